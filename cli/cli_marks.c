/* Events as map marks in the CLI: see cli_marks.h. */
#include "cli_marks.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_mark_label(const truce_agreement *a, const truce_event *ev, const truce_verdict *v,
                   truce_text *t)
{
    char label[TRUCE_MAP_LABEL_MAX];
    size_t n = truce_map_mark_label(a, ev, v, label, sizeof label);
    /* On the judging thread every event's text follows the last in one
     * buffer: end each with its NUL. */
    return truce_text_append(t, label, n + 1) ? -1 : 0;
}

int cli_marks_add(cli_marks *m, const truce_event *ev, const truce_verdict *v, const char *label)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        truce_map_mark *marks = realloc(m->marks, cap * sizeof *marks);
        if (!marks)
            return -1;
        m->marks = marks;
        size_t *ids = realloc(m->id_at, cap * sizeof *ids);
        if (!ids)
            return -1;
        m->id_at = ids;
        size_t *labels = realloc(m->label_at, cap * sizeof *labels);
        if (!labels)
            return -1;
        m->label_at = labels;
        m->cap = cap;
    }
    m->marks[m->n] = (truce_map_mark){.has_location = ev->has_location,
                                      .lon = ev->lon,
                                      .lat = ev->lat,
                                      .cls = truce_map_class_of(v),
                                      .fatalities = ev->fatalities,
                                      .has_sector = ev->has_sector,
                                      .sector = ev->sector};
    m->id_at[m->n] = m->text.len;
    if (truce_text_append(&m->text, ev->id, strlen(ev->id) + 1))
        return -1;
    m->label_at[m->n] = m->text.len;
    if (truce_text_append(&m->text, label, strlen(label) + 1))
        return -1;
    m->n++;
    return 0;
}

void cli_marks_finish(cli_marks *m)
{
    for (size_t i = 0; i < m->n; i++) {
        m->marks[i].id = m->text.p + m->id_at[i];
        m->marks[i].label = m->text.p + m->label_at[i];
    }
}

void cli_marks_release(cli_marks *m)
{
    free(m->marks);
    free(m->id_at);
    free(m->label_at);
    truce_text_release(&m->text);
    memset(m, 0, sizeof *m);
}
