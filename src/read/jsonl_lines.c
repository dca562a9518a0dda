/* The lines of JSON Lines (jsonl_lines.h). */
#include "read/jsonl_lines.h"

#include "base/alloc.h"

static int blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return 0;
    return 1;
}

truce_status trc_jsonl_open(truce_reader *r, const char *layout)
{
    r->state = trc_calloc(1, sizeof(jsonl_state));
    r->layout = layout;
    return r->state ? TRUCE_OK : TRUCE_E_NOMEM;
}

void trc_jsonl_close(truce_reader *r)
{
    jsonl_state *j = r->state;
    json_decref(j->root);
    trc_free(j);
    r->state = NULL;
}

truce_status trc_jsonl_next_object(truce_reader *r, truce_row *row, json_t **root, long *line,
                                   const char **p, size_t *n)
{
    jsonl_state *j = r->state;
    json_decref(j->root);
    j->root = NULL;
    *root = NULL;
    int got, cut;
    for (;;) {
        r->src.mark = r->src.pos;
        *line = r->src.line;
        truce_status st = trc_src_line(&r->src, p, n, &got, &cut);
        if (st)
            return st;
        if (!got) {
            row->kind = TRUCE_ROW_END;
            return TRUCE_OK;
        }
        if (!blank(*p, *n) || cut)
            break;
    }
    if (cut) {
        trc_reader_reject(r, row, *line, *p, *n, NULL, "line longer than the maximum row size");
        row->raw_truncated = 1;
        return TRUCE_OK;
    }
    json_error_t err;
    json_t *doc = json_loadb(*p, *n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
    if (!doc) {
        trc_reader_reject(r, row, *line, *p, *n, NULL, "not JSON: %s (column %d)", err.text,
                          err.column);
        return TRUCE_OK;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        trc_reader_reject(r, row, *line, *p, *n, NULL, "not a JSON object");
        return TRUCE_OK;
    }
    *root = j->root = doc;
    return TRUCE_OK;
}
