/* JSON Lines in truce's normalised schema (docs/events.md): one JSON object
 * per line, each parsed with jansson.  Keys outside the schema are ignored,
 * so the output of later stages (classify) reads back too. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "read/json_fields.h"
#include "read/jsonl_lines.h"
#include "read/reader_impl.h"

static int first_nonspace(const char *head, size_t len, size_t *at)
{
    for (size_t i = 0; i < len; i++) {
        if (head[i] != ' ' && head[i] != '\t' && head[i] != '\r' && head[i] != '\n') {
            *at = i;
            return head[i];
        }
    }
    return -1;
}

static int jsonl_sniff(const char *head, size_t len)
{
    size_t at;
    if (first_nonspace(head, len, &at) != '{')
        return 0;
    const char *nl = memchr(head + at, '\n', len - at);
    size_t n = nl ? (size_t)(nl - (head + at)) : len - at;
    json_t *doc = json_loadb(head + at, n, 0, NULL);
    if (!doc)
        return 10; /* an object that starts a line, but not a whole one */
    /* A whole object on the first line that is not a FeatureCollection is
     * certain: a GeoJSON document whose first line is a whole object is
     * that object.  GeoJSON's sniff only looks for "FeatureCollection" in
     * the text, which a field of truce's own output may hold. */
    json_t *type = json_object_get(doc, "type");
    int fc = json_is_string(type) && !strcmp(json_string_value(type), "FeatureCollection");
    json_decref(doc);
    return fc ? 0 : 100;
}

static truce_status jsonl_open(truce_reader *r, truce_diags *diags)
{
    (void)diags;
    return trc_jsonl_open(r, "jsonl");
}

static void to_jvalue(json_t *v, jvalue *out)
{
    memset(out, 0, sizeof *out);
    switch (json_typeof(v)) {
    case JSON_NULL:
        out->type = JV_NULL;
        break;
    case JSON_STRING:
        out->type = JV_STRING;
        out->str = json_string_value(v);
        break;
    case JSON_INTEGER:
        out->type = JV_NUMBER;
        out->is_int = 1;
        out->ival = json_integer_value(v);
        out->num = (double)out->ival;
        break;
    case JSON_REAL:
        out->type = JV_NUMBER;
        out->num = json_real_value(v);
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        out->type = JV_BOOL;
        break;
    default:
        out->type = JV_OTHER;
        break;
    }
}

static truce_status jsonl_next(truce_reader *r, truce_row *row)
{
    json_t *root;
    const char *p;
    size_t n;
    long line;
    truce_status st = trc_jsonl_next_object(r, row, &root, &line, &p, &n);
    if (st || !root)
        return st;
    truce_event *e = &r->event;
    truce_event_init(e);
    jrow jr;
    memset(&jr, 0, sizeof jr);
    char why[200];
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        int f = trc_event_field_find(key, strlen(key));
        if (f < 0)
            continue;
        jvalue v;
        to_jvalue(value, &v);
        const char *problem =
            v.type == JV_STRING ? trc_reader_text_problem(v.str, json_string_length(value)) : NULL;
        if (problem) {
            trc_reader_reject(r, row, line, p, n, trc_event_schema[f].key, "%s", problem);
            return TRUCE_OK;
        }
        if (trc_jfield_set(e, &jr, (event_field)f, &v, why, sizeof why)) {
            trc_reader_reject(r, row, line, p, n, trc_event_schema[f].key, "%s", why);
            return TRUCE_OK;
        }
    }
    const char *bad;
    if (trc_jrow_finish(e, &jr, r->tz, r->places, r->nplaces, &bad, why, sizeof why)) {
        trc_reader_reject(r, row, line, p, n, bad, "%s", why);
        return TRUCE_OK;
    }
    if (!jr.given[EF_FORMAT]) {
        /* Not written by truce: this line is where the event comes from. */
        e->format = TRUCE_FORMAT_JSONL;
        e->file = r->name;
        e->line = line;
    }
    return trc_reader_accept(r, row, line, p, n, "id");
}

const truce_reader_format_ops truce_reader_jsonl = {
    .name = "jsonl",
    .summary = "JSON Lines in truce's normalised event schema",
    .sniff = jsonl_sniff,
    .open = jsonl_open,
    .next = jsonl_next,
    .close = trc_jsonl_close,
};
