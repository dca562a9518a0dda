/* The normalised event schema's table: see event_schema.h. */
#include "event/event_schema.h"

#include <string.h>

const event_field_desc trc_event_schema[EF_COUNT] = {
#define ES_DESC(name, k, kind_, at_, text_at_, lo_, hi_)                                           \
    [EF_##name] = {.key = k,                                                                       \
                   .json_key = ",\"" k "\":",                                                      \
                   .json_key_len = sizeof(",\"" k "\":") - 1,                                      \
                   .kind = kind_,                                                                  \
                   .at = at_,                                                                      \
                   .text_at = text_at_,                                                            \
                   .lo = lo_,                                                                      \
                   .hi = hi_},
    EVENT_SCHEMA(ES_DESC)
#undef ES_DESC
};

int trc_event_field_find(const char *name, size_t len)
{
    for (int f = 0; f < EF_COUNT; f++)
        if (strlen(trc_event_schema[f].key) == len && !memcmp(trc_event_schema[f].key, name, len))
            return f;
    return -1;
}
