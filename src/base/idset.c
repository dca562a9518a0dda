/* The seen-id set: open addressing with linear probing over 64-bit hashes.
 * See idset.h for the memory bound and the collision probability. */
#include "base/idset.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

void trc_idset_init(truce_idset *set)
{
    memset(set, 0, sizeof *set);
}

void trc_idset_release(truce_idset *set)
{
    trc_free(set->slots);
    trc_idset_init(set);
}

void trc_idset_clear(truce_idset *set)
{
    if (set->cap > 256) {
        trc_idset_release(set); /* a large table would cost a large memset every time */
    } else if (set->count) {
        memset(set->slots, 0, 2 * set->cap * sizeof set->slots[0]);
        set->count = 0;
    }
}

/* FNV-1a over the bytes, then the finaliser of SplitMix64 (Steele, Lea and
 * Flood, "Fast splittable pseudorandom number generators", 2014) to spread
 * FNV's weak low bits, which index the table. */
uint64_t trc_idset_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3u;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9u;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebu;
    h ^= h >> 31;
    return h ? h : 1;
}

static uint64_t *find(uint64_t *slots, size_t cap, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    while (slots[2 * i] && slots[2 * i] != h)
        i = (i + 1) & (cap - 1);
    return &slots[2 * i];
}

static truce_status grow(truce_idset *set)
{
    size_t cap = set->cap ? set->cap * 2 : 1024;
    if (cap > SIZE_MAX / (2 * sizeof(uint64_t)))
        return TRUCE_E_NOMEM;
    uint64_t *slots = trc_calloc(cap * 2, sizeof *slots);
    if (!slots)
        return TRUCE_E_NOMEM;
    /* Each page written once now: calloc's fresh pages are first read (a
     * lookup finds the slot empty), which maps the shared zero page, and the
     * write that follows must then copy it and flush the page from every CPU
     * running the process: with classify's judging threads, an
     * interprocessor interrupt per page of a 32 MB table.  perf on a
     * two-thread run of the 1M-event bench: TLB shootdowns under
     * trc_idset_add_hash fell from 4.6% of the samples to 0.2% (wall-clock
     * differences stayed within the machine's noise).  The writes are
     * volatile since a compiler may turn a memset after malloc into calloc. */
    volatile unsigned char *bytes = (volatile unsigned char *)slots;
    for (size_t b = 0; b < cap * 2 * sizeof *slots; b += 4096)
        bytes[b] = 0;
    for (size_t i = 0; i < set->cap; i++) {
        uint64_t h = set->slots[2 * i];
        if (h) {
            uint64_t *slot = find(slots, cap, h);
            slot[0] = h;
            slot[1] = set->slots[2 * i + 1];
        }
    }
    trc_free(set->slots);
    set->slots = slots;
    set->cap = cap;
    return TRUCE_OK;
}

void trc_idset_prefetch(const truce_idset *set, uint64_t h)
{
#if defined(__GNUC__)
    if (set->cap)
        __builtin_prefetch(&set->slots[2 * ((size_t)h & (set->cap - 1))]);
#else
    (void)set;
    (void)h;
#endif
}

truce_status trc_idset_add(truce_idset *set, const char *id, size_t n, long line, long *first_line)
{
    return trc_idset_add_hash(set, trc_idset_hash(id, n), line, first_line);
}

truce_status trc_idset_add_hash(truce_idset *set, uint64_t h, long line, long *first_line)
{
    if (set->count + 1 > set->cap / 4 * 3) {
        truce_status st = grow(set);
        if (st)
            return st;
    }
    uint64_t *slot = find(set->slots, set->cap, h);
    if (slot[0]) {
        *first_line = (long)slot[1];
        return TRUCE_OK;
    }
    slot[0] = h;
    slot[1] = (uint64_t)line;
    set->count++;
    *first_line = 0;
    return TRUCE_OK;
}
