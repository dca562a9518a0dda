/* Importing many reports at once (include/truce/store.h, "imports"): the
 * checks and the hashes here, one transaction per batch in the backend. */
#include <string.h>

#include "base/alloc.h"
#include "store/store_impl.h"

truce_status truce_store_reports_put(truce_store *s, const truce_store_report *reps, size_t n,
                                     truce_store_outcome *outcomes)
{
    if (!s || !reps || !n || !outcomes)
        return TRUCE_E_ARG;
    for (size_t i = 0; i < n; i++)
        if (!reps[i].id || !reps[i].event_json || !reps[i].record)
            return TRUCE_E_ARG;
    unsigned char(*sha)[32] = trc_calloc(n, sizeof *sha);
    truce_store_report *stamped = trc_calloc(n, sizeof *stamped);
    truce_status st = sha && stamped ? TRUCE_OK : TRUCE_E_NOMEM;
    char now[32];
    trc_store_now(now);
    for (size_t i = 0; !st && i < n; i++) {
        trc_sha256(reps[i].event_json, strlen(reps[i].event_json), sha[i]);
        stamped[i] = reps[i];
        stamped[i].idempotency_key = NULL;
        if (!stamped[i].received_at)
            stamped[i].received_at = now;
    }
    if (!st) {
        st = s->ops->reports_put(s, stamped, n, (const unsigned char(*)[32])sha, outcomes);
        trc_changes_committed(s);
    }
    trc_free(stamped);
    trc_free(sha);
    return st;
}
