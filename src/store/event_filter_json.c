/* A filter's parameters read from a JSON object (truce/event_filter.h): the
 * form a webhook's filter is given and kept in. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/json_escape.h"
#include "truce/event_filter.h"

static truce_status refuse(char *param, size_t param_len, const char *name, char *why,
                           size_t why_len, const char *msg)
{
    if (param && param_len)
        snprintf(param, param_len, "%s", name);
    if (why && why_len && msg != why)
        snprintf(why, why_len, "%s", msg);
    return TRUCE_E_INVALID;
}

truce_status truce_event_filter_read_json(truce_event_filter *f, const char *json, size_t len,
                                          const truce_tz *tz, char *param, size_t param_len,
                                          char *why, size_t why_len)
{
    if (!f || !json)
        return TRUCE_E_ARG;
    truce_event_filter_init(f);
    json_error_t err;
    json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(doc)) {
        json_decref(doc);
        refuse(param, param_len, "filter", why, why_len,
               doc ? "expected an object of filter parameters" : err.text);
        return doc ? TRUCE_E_INVALID : TRUCE_E_PARSE;
    }
    truce_status st = TRUCE_OK;
    const char *name;
    json_t *value;
    json_object_foreach(doc, name, value)
    {
        char text[64];
        const char *v = json_string_value(value);
        if (json_is_integer(value)) {
            snprintf(text, sizeof text, "%lld", (long long)json_integer_value(value));
            v = text;
        } else if (json_is_real(value)) {
            trc_json_double(json_real_value(value), text);
            v = text;
        }
        if (!v) {
            st = refuse(param, param_len, name, why, why_len, "expected a string");
            break;
        }
        char msg[200];
        st = truce_event_filter_set(f, name, v, tz, msg, sizeof msg);
        if (st == TRUCE_E_NOT_FOUND)
            snprintf(msg, sizeof msg, "not a filter parameter (those of GET /api/v1/events)");
        if (st) {
            st = refuse(param, param_len, name, why, why_len, msg);
            break;
        }
    }
    json_decref(doc);
    const char *bad;
    char msg[200];
    if (!st && truce_event_filter_check(f, &bad, msg, sizeof msg))
        st = refuse(param, param_len, bad, why, why_len, msg);
    return st;
}
