/* The place memo: see place_memo.h. */
#include "place_memo.h"

#include <stdlib.h>
#include <string.h>

/* Up to 16384 slots (a power of two), fewer when an agreement's zones and
 * corridors make a slot large: the memo stays within MEMO_BYTES per
 * classifier (one per judging thread).  On a million events spread over
 * the 4,629 places of the bundled gazetteer (Zipf weights), 16384 slots
 * took classify --threads 1 from 2.59-2.73 s of CPU (4096 slots) to
 * 2.53-2.57 s; the bench file's 66 keys fit either way. */
#define MAX_SLOTS 16384
#define MIN_SLOTS 64
#define MEMO_BYTES ((size_t)2 << 20)

typedef struct key {
    uint64_t lon, lat, radius; /* bit patterns */
    int used;
} key;

struct place_memo {
    size_t nzones, ncorridors;
    size_t mask; /* slots - 1 */
    key *keys;
    place_zone *zones;         /* slot s: zones + s * nzones */
    place_corridor *corridors; /* slot s: corridors + s * ncorridors */
};

static uint64_t bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

place_memo *place_memo_new(size_t nzones, size_t ncorridors)
{
    place_memo *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    size_t per = sizeof(key) + nzones * sizeof(place_zone) + ncorridors * sizeof(place_corridor);
    size_t slots = MAX_SLOTS;
    while (slots > MIN_SLOTS && slots * per > MEMO_BYTES)
        slots /= 2;
    m->nzones = nzones;
    m->ncorridors = ncorridors;
    m->mask = slots - 1;
    m->keys = calloc(slots, sizeof *m->keys);
    m->zones = nzones ? malloc(slots * nzones * sizeof *m->zones) : NULL;
    m->corridors = ncorridors ? malloc(slots * ncorridors * sizeof *m->corridors) : NULL;
    if (!m->keys || (nzones && !m->zones) || (ncorridors && !m->corridors)) {
        place_memo_free(m);
        return NULL;
    }
    return m;
}

void place_memo_free(place_memo *m)
{
    if (!m)
        return;
    free(m->keys);
    free(m->zones);
    free(m->corridors);
    free(m);
}

place_slot place_memo_find(place_memo *m, double lon, double lat, double radius_m)
{
    key k = {bits(lon), bits(lat), bits(radius_m), 1};
    /* Multiply-and-shift of the three words: nearby places (coordinates
     * that differ in their low bits) land far apart. */
    uint64_t h = k.lon * 0x9e3779b97f4a7c15u;
    h = (h ^ (h >> 29) ^ k.lat) * 0xbf58476d1ce4e5b9u;
    h = (h ^ (h >> 31) ^ k.radius) * 0x94d049bb133111ebu;
    size_t s = (size_t)(h >> 32) & m->mask;
    key *at = &m->keys[s];
    place_slot slot = {m->zones ? m->zones + s * m->nzones : NULL,
                       m->corridors ? m->corridors + s * m->ncorridors : NULL};
    if (!at->used || at->lon != k.lon || at->lat != k.lat || at->radius != k.radius) {
        *at = k;
        for (size_t i = 0; i < m->nzones; i++)
            slot.zones[i].known = 0;
        for (size_t i = 0; i < m->ncorridors; i++)
            slot.corridors[i].known = 0;
    }
    return slot;
}
