/* The JSON of stored events and reviews, for every backend: the judged
 * record as truce_verdict_write gave it, with the store's members added
 * after its own, so a client reads one object. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/json_escape.h"
#include "base/util.h"
#include "store/store_impl.h"

truce_status trc_store_json_printf(truce_text *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = truce_vasprintf(fmt, ap);
    va_end(ap);
    truce_status st = text ? truce_text_append(out, text, strlen(text)) : TRUCE_E_NOMEM;
    trc_free(text);
    return st;
}

truce_status trc_store_json_string(truce_text *out, const char *s)
{
    return trc_json_escape_text(out, s);
}

truce_status trc_store_json_event(truce_text *out, const char *record, const char *status,
                                  const char *received_at, const char *more)
{
    size_t n = strlen(record);
    while (n && (record[n - 1] == '\n' || record[n - 1] == ' '))
        n--;
    if (!n || record[n - 1] != '}')
        return TRUCE_E_INTERNAL;
    truce_status st = truce_text_append(out, record, n - 1);
    if (!st)
        st = truce_text_append(out, ",\"status\":", 10);
    if (!st)
        st = trc_store_json_string(out, status);
    if (!st)
        st = truce_text_append(out, ",\"received_at\":", 15);
    if (!st)
        st = trc_store_json_string(out, received_at);
    if (!st && more)
        st = truce_text_append(out, more, strlen(more));
    if (!st)
        st = truce_text_append(out, "}", 1);
    return st;
}

truce_status trc_store_json_review(truce_text *out, const trc_review_row *row)
{
    truce_status st = truce_text_append(out, "{\"at\":", 6);
    if (!st)
        st = trc_store_json_string(out, row->at);
    if (!st)
        st = trc_store_json_printf(out, ",\"by\":%lld,\"role\":", (long long)row->by);
    if (!st)
        st = trc_store_json_string(out, row->role);
    const char *keys[] = {",\"party\":", ",\"action\":", ",\"from\":", ",\"to\":", ",\"note\":"};
    const char *vals[] = {row->party, row->action, row->from, row->to, row->note};
    for (size_t i = 0; !st && i < 5; i++) {
        st = truce_text_append(out, keys[i], strlen(keys[i]));
        if (!st)
            st = trc_store_json_string(out, vals[i]);
    }
    if (!st)
        st = truce_text_append(out, "}", 1);
    return st;
}

truce_status truce_store_event_feature(const char *json, size_t len, truce_text *out)
{
    if (!json || !out)
        return TRUCE_E_ARG;
    json_t *doc = json_loadb(json, len, 0, NULL);
    json_t *id = json_object_get(doc, "id");
    json_t *lon = json_object_get(doc, "lon"), *lat = json_object_get(doc, "lat");
    if (!json_is_object(doc) || !json_is_string(id)) {
        json_decref(doc);
        return TRUCE_E_ARG;
    }
    truce_status st = truce_text_append(out, "{\"type\":\"Feature\",\"id\":", 23);
    if (!st)
        st = trc_store_json_string(out, json_string_value(id));
    if (!st && json_is_number(lon) && json_is_number(lat)) {
        /* The coordinates' text is the record's: the writer's and this
         * formatting of the same double agree. */
        char x[32], y[32];
        trc_json_double(json_number_value(lon), x);
        trc_json_double(json_number_value(lat), y);
        st = trc_store_json_printf(
            out, ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%s,%s]}", x, y);
    } else if (!st) {
        st = truce_text_append(out, ",\"geometry\":null", 16);
    }
    if (!st)
        st = truce_text_append(out, ",\"properties\":", 14);
    if (!st)
        st = truce_text_append(out, json, len);
    if (!st)
        st = truce_text_append(out, "}", 1);
    json_decref(doc);
    return st;
}
