/* The place memo: see place_memo.h. */
#include "judge/place_memo.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

/* Up to 16384 slots in sets of WAYS, fewer when an agreement's zones and
 * corridors make a slot large: the memo stays within MEMO_BYTES per
 * classifier (one per judging thread), or one set of WAYS slots when even
 * that does not fit (an agreement of some 10,000 zones and corridors:
 * 4 x 48 bytes an item, 2 MB a thread).  A place may sit in any slot of the
 * set its key hashes to; a new place takes the one used least recently.
 * On the bench's million events over the 4,629 places of the bundled
 * gazetteer (Zipf weights; 13,366 keys with the three ACLED radii), 16384
 * direct-mapped slots missed 15.1% of lookups, a place used often losing
 * its slot to any rare one hashing there; sets of four miss 3.2%, of which
 * 1.3% are each key's first use. */
#define MAX_SLOTS 16384
#define MIN_SLOTS WAYS
#define WAYS 4
#define MEMO_BYTES ((size_t)2 << 20)
/* Scattered coordinates (every event a place of its own) find nothing, and
 * each lookup then costs a cache miss on its set's keys and another on the
 * slot it empties: 4-6% of classify's CPU on the bench's scattered file
 * (perf, docs/performance.md "Classify on the scattered file").  So the
 * memo counts its hits over windows of WINDOW lookups; after a window with
 * fewer than WINDOW / MIN_HIT_SHARE hits it stops looking for SKIP_WINDOWS
 * windows, handing out an empty slot of its own, then looks again.  What it
 * answers is never wrong either way (a miss is a new computation). */
#define WINDOW 1024
#define MIN_HIT_SHARE 8
#define SKIP_WINDOWS 15

typedef struct key {
    uint64_t lon, lat, radius; /* bit patterns */
    uint64_t stamp;            /* when last found (the memo's clock); 0: empty */
} key;

struct place_memo {
    size_t nzones, ncorridors;
    size_t set_mask;        /* sets - 1 */
    size_t stride;          /* bytes of answers a slot */
    uint64_t clock;         /* counts lookups */
    uint32_t seen, hits;    /* lookups and hits in the window so far */
    uint32_t skip;          /* lookups left to hand out the spare slot */
    size_t spare;           /* the slot handed out while skipping (no key) */
    key *keys;              /* slot s = set * WAYS + way; a set's keys side by side */
    unsigned char *answers; /* slot s at answers + s * stride: zones, then corridors */
};

/* A slot's zones and corridors follow each other without padding. */
_Static_assert(sizeof(place_zone) % _Alignof(place_corridor) == 0 &&
                   sizeof(place_corridor) % _Alignof(place_zone) == 0,
               "place memo slot parts must keep each other aligned");

static uint64_t bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

place_memo *trc_place_memo_new(size_t nzones, size_t ncorridors)
{
    place_memo *m = trc_calloc(1, sizeof *m);
    if (!m)
        return NULL;
    size_t stride = nzones * sizeof(place_zone) + ncorridors * sizeof(place_corridor);
    size_t slots = MAX_SLOTS;
    while (slots > MIN_SLOTS && slots * (sizeof(key) + stride) > MEMO_BYTES)
        slots /= 2;
    m->nzones = nzones;
    m->ncorridors = ncorridors;
    m->set_mask = slots / WAYS - 1;
    m->stride = stride;
    m->spare = slots;
    m->keys = trc_calloc(slots, sizeof *m->keys);
    m->answers = stride ? trc_malloc((slots + 1) * stride) : NULL;
    if (!m->keys || (stride && !m->answers)) {
        trc_place_memo_free(m);
        return NULL;
    }
    return m;
}

void trc_place_memo_free(place_memo *m)
{
    if (!m)
        return;
    trc_free(m->keys);
    trc_free(m->answers);
    trc_free(m);
}

/* The set of a key: a multiply-and-shift of its three words, so that
 * nearby places (coordinates that differ in their low bits) land far
 * apart. */
static size_t set_of(const place_memo *m, const key *k)
{
    uint64_t h = k->lon * 0x9e3779b97f4a7c15u;
    h = (h ^ (h >> 29) ^ k->lat) * 0xbf58476d1ce4e5b9u;
    h = (h ^ (h >> 31) ^ k->radius) * 0x94d049bb133111ebu;
    return (size_t)(h >> 32) & m->set_mask;
}

size_t trc_place_memo_set(const place_memo *m, double lon, double lat, double radius_m)
{
    key k = {bits(lon), bits(lat), bits(radius_m), 0};
    return set_of(m, &k);
}

/* Slot s of the keys' set for (lon, lat, radius_m), which the place holds
 * when *found, else the one it takes. */
static size_t look_up(place_memo *m, double lon, double lat, double radius_m, int *found)
{
    key k = {bits(lon), bits(lat), bits(radius_m), ++m->clock};
    size_t first = set_of(m, &k) * WAYS, s = first;
    *found = 0;
    for (size_t w = first; w < first + WAYS && !*found; w++) {
        const key *at = &m->keys[w];
        if (at->stamp && at->lon == k.lon && at->lat == k.lat && at->radius == k.radius) {
            s = w;
            *found = 1;
        } else if (at->stamp < m->keys[s].stamp) {
            s = w; /* the least recently used so far (an empty one first) */
        }
    }
    m->keys[s] = k;
    return s;
}

place_slot trc_place_memo_find(place_memo *m, double lon, double lat, double radius_m)
{
    size_t s = m->spare;
    int found = 0;
    if (m->skip) {
        m->skip--;
    } else {
        s = look_up(m, lon, lat, radius_m, &found);
        m->hits += (uint32_t)found;
        if (++m->seen == WINDOW) {
            if (m->hits < WINDOW / MIN_HIT_SHARE)
                m->skip = SKIP_WINDOWS * WINDOW;
            m->seen = m->hits = 0;
        }
    }
    unsigned char *at = m->answers ? m->answers + s * m->stride : NULL;
    place_slot slot = {
        m->nzones ? (place_zone *)(void *)at : NULL,
        m->ncorridors ? (place_corridor *)(void *)(at + m->nzones * sizeof(place_zone)) : NULL};
    if (!found) {
        for (size_t i = 0; i < m->nzones; i++)
            slot.zones[i].known = 0;
        for (size_t i = 0; i < m->ncorridors; i++)
            slot.corridors[i].known = 0;
    }
    return slot;
}
