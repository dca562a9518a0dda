/* GPX tracks of patrols in the store (include/truce/store.h, "tracks"):
 * the checks, the digest and the time here, the transaction in the
 * backend. */
#include <string.h>

#include "store/store_impl.h"

truce_status truce_store_track_put(truce_store *s, const char *name, const void *gpx, size_t len,
                                   int64_t token_id, int64_t *id, int *existed)
{
    if (!s || !name || (!gpx && len) || !id || !existed)
        return TRUCE_E_ARG;
    size_t n = strlen(name);
    if (!n || n > TRUCE_TRACK_NAME_MAX)
        return TRUCE_E_RANGE;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return TRUCE_E_RANGE;
    unsigned char sha[32];
    trc_sha256(gpx ? gpx : "", len, sha);
    char now[32];
    trc_store_now(now);
    return s->ops->track_put(s, name, gpx ? gpx : "", len, sha, now, token_id, id, existed);
}

truce_status truce_store_tracks_list(truce_store *s, int64_t submitted_by, truce_store_track_fn fn,
                                     void *ctx)
{
    if (!s || !fn || submitted_by < 0)
        return TRUCE_E_ARG;
    return s->ops->tracks_list(s, submitted_by, fn, ctx);
}
