/* What the store holds, for monitoring (store.h): the public calls over
 * the backend's operations. */
#include "store/store_impl.h"

truce_status truce_store_tally(truce_store *s, truce_store_tally_fn fn, void *ctx)
{
    if (!s || !fn)
        return TRUCE_E_ARG;
    return s->ops->tally(s, fn, ctx);
}

truce_status truce_store_size(truce_store *s, int64_t *bytes)
{
    if (!s || !bytes)
        return TRUCE_E_ARG;
    return s->ops->size(s, bytes);
}
