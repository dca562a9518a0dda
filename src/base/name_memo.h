/* Names remembered as events write them (not public API): judging looks the
 * same few actor names and event types up for every event, so the
 * classifier (its answers per rule list) and the responder (each actor's
 * index in its map) keep, per name, what they found, in a slot picked by
 * trc_quick_hash of the name: direct-mapped, a name that lands on a taken
 * slot replaces the one there.  Names of TRC_NAME_KEY_MAX bytes or more
 * are not kept (the caller looks them up every time). */
#ifndef TRUCE_NAME_MEMO_H
#define TRUCE_NAME_MEMO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TRC_NAME_KEY_MAX 96

typedef struct trc_name_key {
    char key[TRC_NAME_KEY_MAX]; /* the name as events write it */
    size_t len;                 /* its length; SIZE_MAX: the slot is empty */
} trc_name_key;

/* A cheap hash of s[0, n) for the small caches of names that judging
 * keeps (actor names, event types): made of the length and the first and
 * last eight bytes only, so strings that share those collide (a cache
 * checks its key; a collision costs a miss).  Hashing every byte (FNV)
 * was most of what a cache hit cost. */
static inline uint64_t trc_quick_hash(const char *s, size_t n)
{
    uint64_t head = 0, tail = 0;
    memcpy(&head, s, n < 8 ? n : 8);
    if (n > 8)
        memcpy(&tail, s + n - 8, 8);
    uint64_t h = head * 0x9e3779b97f4a7c15u ^ tail * 0xc2b2ae3d27d4eb4fu ^ n;
    h ^= h >> 32; /* then SplitMix64's mixing, as trc_idset_hash: every bit counts */
    h *= 0xbf58476d1ce4e5b9u;
    return h ^ (h >> 29);
}

/* Empty keys[0, nslots). */
static inline void trc_name_keys_clear(trc_name_key *keys, size_t nslots)
{
    for (size_t i = 0; i < nslots; i++)
        keys[i].len = SIZE_MAX;
}

/* The slot of keys[0, nslots) for name s[0, n), or SIZE_MAX when s is too
 * long to keep; *hit is 1 when that slot holds s (what the caller kept for
 * it is valid), else 0 (trc_name_keep makes it hold s). */
static inline size_t trc_name_find(const trc_name_key *keys, size_t nslots, const char *s, size_t n,
                                   int *hit)
{
    *hit = 0;
    if (n >= TRC_NAME_KEY_MAX)
        return SIZE_MAX;
    size_t slot = (size_t)(trc_quick_hash(s, n) % nslots);
    *hit = keys[slot].len == n && !memcmp(keys[slot].key, s, n);
    return slot;
}

/* Make `key` (a slot trc_name_find gave for s) hold s[0, n). */
static inline void trc_name_keep(trc_name_key *key, const char *s, size_t n)
{
    memcpy(key->key, s, n);
    key->len = n;
}

#endif
