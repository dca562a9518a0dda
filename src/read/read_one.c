/* One event from a JSON document in memory (reader.h): the document is
 * checked with jansson, given its default id, written compactly on one
 * line and handed to the JSON Lines or GeoJSON reader through a memory
 * stream, so a report posted to the server is read by exactly the code
 * that reads files. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "truce/reader.h"
#include "base/util.h"

struct truce_event_doc {
    truce_event event;
    char *strings; /* the event's strings (truce_event_copy) */
};

static int absent(json_t *v)
{
    return !v || json_is_null(v);
}

const truce_event *truce_event_doc_event(const truce_event_doc *doc)
{
    return doc ? &doc->event : NULL;
}

void truce_event_doc_free(truce_event_doc *doc)
{
    if (!doc)
        return;
    trc_free(doc->strings);
    trc_free(doc);
}

/* Keep the reader's event past the reader: a copy in *out. */
static truce_status keep(const truce_event *e, truce_event_doc **out)
{
    truce_event_doc *doc = trc_calloc(1, sizeof *doc);
    size_t need = truce_event_copy_size(e), used = 0;
    if (doc)
        doc->strings = trc_malloc(need ? need : 1);
    if (!doc || !doc->strings) {
        truce_event_doc_free(doc);
        return TRUCE_E_NOMEM;
    }
    truce_status st = truce_event_copy(e, &doc->event, doc->strings, need, &used);
    if (st) {
        truce_event_doc_free(doc);
        return st;
    }
    *out = doc;
    return TRUCE_OK;
}

truce_status truce_event_read_json(const char *buf, size_t len, const char *name,
                                   const char *default_id, const truce_reader_options *options,
                                   truce_event_doc **out, char *field_buf, size_t field_len,
                                   char *why, size_t why_len)
{
    if (out)
        *out = NULL;
    if (field_buf && field_len)
        field_buf[0] = '\0';
    if (!buf || !out || !why || !why_len)
        return TRUCE_E_ARG;
    json_error_t err;
    /* "\u0000" is let through for the reader to reject naming its field,
     * as it does in a file. */
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
    if (!root) {
        snprintf(why, why_len, "not JSON: %s (line %d, column %d)", err.text, err.line, err.column);
        trc_one_line(why); /* jansson quotes the token, newlines and all */
        return TRUCE_E_PARSE;
    }
    truce_status st = TRUCE_E_INVALID;
    char *text = NULL;
    FILE *in = NULL;
    truce_reader *r = NULL;
    if (!json_is_object(root)) {
        snprintf(why, why_len, "expected a JSON object: an event or a GeoJSON Feature");
        goto done;
    }
    json_t *type = json_object_get(root, "type");
    const char *t = json_is_string(type) ? json_string_value(type) : NULL;
    int feature = t && !strcmp(t, "Feature");
    if (t && !strcmp(t, "FeatureCollection")) {
        snprintf(why, why_len, "one event per report: a Feature, not a FeatureCollection");
        goto done;
    }
    st = TRUCE_E_NOMEM;
    if (feature) {
        json_t *props = json_object_get(root, "properties");
        if (default_id && absent(json_object_get(root, "id")) &&
            (!json_is_object(props) || absent(json_object_get(props, "id"))) &&
            json_object_set_new(root, "id", json_string(default_id)))
            goto done;
        json_t *fc = json_pack("{s:s, s:[O]}", "type", "FeatureCollection", "features", root);
        if (!fc)
            goto done;
        json_decref(root);
        root = fc;
    } else if (default_id && absent(json_object_get(root, "id")) &&
               json_object_set_new(root, "id", json_string(default_id))) {
        goto done;
    }
    text = json_dumps(root, JSON_COMPACT);
    if (!text)
        goto done;
    truce_reader_options opt;
    if (options)
        opt = *options;
    else
        truce_reader_options_init(&opt);
    opt.format = feature ? "geojson" : "jsonl";
    in = fmemopen(text, strlen(text), "r");
    if (!in) {
        st = TRUCE_E_IO;
        snprintf(why, why_len, "cannot read from memory");
        goto done;
    }
    st = truce_reader_open(in, name, &opt, &r, NULL);
    if (st) {
        snprintf(why, why_len, "%s", truce_strerror(st));
        goto done;
    }
    truce_row row;
    st = truce_reader_next(r, &row);
    if (!st && row.kind == TRUCE_ROW_EVENT) {
        st = keep(row.event, out);
        if (st)
            snprintf(why, why_len, "%s", truce_strerror(st));
    } else {
        if (!st)
            st = TRUCE_E_INVALID;
        if (field_buf && field_len && row.field)
            snprintf(field_buf, field_len, "%s", row.field);
        snprintf(why, why_len, "%s",
                 row.reason                  ? row.reason
                 : row.kind == TRUCE_ROW_END ? "no event"
                                             : "rejected");
    }
done:
    if (st == TRUCE_E_NOMEM)
        snprintf(why, why_len, "out of memory");
    truce_reader_free(r);
    if (in)
        fclose(in);
    free(text);
    json_decref(root);
    return st;
}
