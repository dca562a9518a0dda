/* The lines of JSON Lines, for both JSON Lines readers (events and aid
 * records; not public API): one JSON object per line, parsed by jansson. */
#ifndef TRUCE_JSONL_LINES_H
#define TRUCE_JSONL_LINES_H

#include <jansson.h>

#include "read/reader_impl.h"

/* The next line that is not blank, as a JSON object.  Returns TRUCE_OK with
 * *root a new reference (the caller decrefs it) and the line's first
 * physical line and bytes in *line, *p, *n; or TRUCE_OK with *root NULL
 * when `row` was filled instead: the end of the input, or a reject (a line
 * longer than the row cap, not JSON, not an object).  Any other status
 * stops the stream (trc_src_line's).  Duplicate keys are refused;
 * "\u0000" is let through, to be rejected by the rule every reader applies
 * to text (trc_reader_text_problem), naming the field. */
truce_status trc_jsonl_next_object(truce_reader *r, truce_row *row, json_t **root, long *line,
                                   const char **p, size_t *n);

#endif
