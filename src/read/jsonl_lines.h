/* The lines of JSON Lines, for both JSON Lines readers (events and aid
 * records; not public API): one JSON object per line, parsed by jansson. */
#ifndef TRUCE_JSONL_LINES_H
#define TRUCE_JSONL_LINES_H

#include <jansson.h>

#include "read/reader_impl.h"

/* A JSON Lines reader's state: the current line's document. */
typedef struct jsonl_state {
    json_t *root; /* the current row's, valid until the next; NULL when none */
} jsonl_state;

/* A format's open and close for a state of this kind, with `layout`. */
truce_status trc_jsonl_open(truce_reader *r, const char *layout);
void trc_jsonl_close(truce_reader *r);

/* The next line that is not blank, as a JSON object (the previous row's,
 * in r's jsonl_state, is released first).  Returns TRUCE_OK with
 * *root the state's new document (owned by the state) and the line's first
 * physical line and bytes in *line, *p, *n; or TRUCE_OK with *root NULL
 * when `row` was filled instead: the end of the input, or a reject (a line
 * longer than the row cap, not JSON, not an object).  Any other status
 * stops the stream (trc_src_line's).  Duplicate keys are refused;
 * "\u0000" is let through, to be rejected by the rule every reader applies
 * to text (trc_reader_text_problem), naming the field. */
truce_status trc_jsonl_next_object(truce_reader *r, truce_row *row, json_t **root, long *line,
                                   const char **p, size_t *n);

#endif
