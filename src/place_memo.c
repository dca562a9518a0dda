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

/* A slot is its key followed by its zones' and corridors' answers, so that
 * a place missing from the memo (every event of a file with coordinates of
 * its own) costs one or two cache lines, not one in each of three arrays. */
typedef struct key {
    uint64_t lon, lat, radius; /* bit patterns */
    uint64_t used;
} key;

struct place_memo {
    size_t nzones, ncorridors;
    size_t mask;   /* slots - 1 */
    size_t stride; /* bytes a slot */
    unsigned char *slots;
};

/* The parts of a slot follow each other without padding. */
_Static_assert(sizeof(key) % _Alignof(place_zone) == 0 &&
                   sizeof(key) % _Alignof(place_corridor) == 0 &&
                   sizeof(place_zone) % _Alignof(place_corridor) == 0 &&
                   sizeof(place_corridor) % _Alignof(key) == 0,
               "place memo slot parts must keep each other aligned");

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
    m->stride = per;
    if (!(m->slots = calloc(slots, per))) {
        free(m);
        return NULL;
    }
    return m;
}

void place_memo_free(place_memo *m)
{
    if (!m)
        return;
    free(m->slots);
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
    unsigned char *at = m->slots + s * m->stride;
    key *kp = (key *)(void *)at;
    place_slot slot = {m->nzones ? (place_zone *)(void *)(at + sizeof(key)) : NULL,
                       m->ncorridors ? (place_corridor *)(void *)(at + sizeof(key) +
                                                                  m->nzones * sizeof(place_zone))
                                     : NULL};
    if (!kp->used || kp->lon != k.lon || kp->lat != k.lat || kp->radius != k.radius) {
        *kp = k;
        for (size_t i = 0; i < m->nzones; i++)
            slot.zones[i].known = 0;
        for (size_t i = 0; i < m->ncorridors; i++)
            slot.corridors[i].known = 0;
    }
    return slot;
}
