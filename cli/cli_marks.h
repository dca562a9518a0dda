/* Events as map marks in the CLI: the tooltip of an event and the list of
 * marks that truce map (and the HTML report, which embeds the same map)
 * hand to truce_map_render.  Used with cli_judge (cli_judge.h): the label is
 * made on a judging thread, the mark added by the in-order callback. */
#ifndef TRUCE_CLI_MARKS_H
#define TRUCE_CLI_MARKS_H

#include "cli_judge.h"
#include "truce/map.h"

/* The marks read so far.  Their strings live in `text`, which moves as it
 * grows: until cli_marks_finish, marks[i].id and .label are unset and
 * id_at / label_at hold offsets. */
typedef struct cli_marks {
    truce_map_mark *marks; /* owned; n entries */
    size_t n, cap;
    size_t *id_at, *label_at; /* owned; offsets into text */
    truce_text text;
} cli_marks;

/* Append an event's tooltip (truce_map_mark_label, map.h) to `out` with its
 * NUL.  Safe on the judging thread (reads only its arguments).  0, or -1
 * when out of memory. */
int cli_mark_label(const truce_agreement *a, const truce_event *ev, const truce_verdict *v,
                   truce_text *out);

/* Add an event as a mark (class from the verdict), with `label` (copied).
 * 0, or -1 when out of memory. */
int cli_marks_add(cli_marks *m, const truce_event *ev, const truce_verdict *v, const char *label);

/* Point every mark's id and label into the text, once every event is in. */
void cli_marks_finish(cli_marks *m);

/* Free what the list owns; it is empty afterwards. */
void cli_marks_release(cli_marks *m);

#endif
