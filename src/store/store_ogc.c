/* Counting stored events and their extent, for the collections of OGC API
 * Features (store.h): the public calls over the backend's operations. */
#include <string.h>

#include "store/store_impl.h"

truce_status truce_store_events_count(truce_store *s, const truce_store_filter *filter,
                                      int64_t *count)
{
    if (!s || !count)
        return TRUCE_E_ARG;
    *count = 0;
    return s->ops->events_count(s, filter, count);
}

truce_status truce_store_events_extent(truce_store *s, int64_t submitted_by,
                                       truce_store_extent *out)
{
    if (!s || !out)
        return TRUCE_E_ARG;
    memset(out, 0, sizeof *out);
    return s->ops->events_extent(s, submitted_by, out);
}
