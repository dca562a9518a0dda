/* A compact set of seen ids (not public API).
 *
 * Stores a 64-bit hash of each id and the line it was first seen on: 16 bytes
 * a slot, the table doubling when three quarters full, so between 21 and 43
 * bytes per distinct id, and for a moment up to 64 while the table doubles
 * (old and new tables together).  A million ids: 32 MB held, 48 MB at peak
 * (tests/cli/test_events_stream.sh measures it).  Two different ids share a
 * hash with probability
 * about n^2 / 2^65 over the whole source (3e-8 for a million ids); such a pair
 * would be reported as a repeat, never missed.
 */
#ifndef TRUCE_IDSET_H
#define TRUCE_IDSET_H

#include <stddef.h>
#include <stdint.h>

#include "truce/status.h"

typedef struct truce_idset {
    uint64_t *slots; /* owned; 2 * cap words: hash (0 = empty), line */
    size_t cap;      /* a power of two, or 0 */
    size_t count;
} truce_idset;

void trc_idset_init(truce_idset *set);
void trc_idset_release(truce_idset *set);
/* Empty the set for reuse (a small table is kept, a large one freed). */
void trc_idset_clear(truce_idset *set);

/* Add id (n bytes) first seen at `line`.  *first_line is 0 when it is new,
 * else the line where it was first seen.  TRUCE_E_NOMEM when the table
 * cannot grow (the set is unchanged). */
truce_status trc_idset_add(truce_idset *set, const char *id, size_t n, long line, long *first_line);

/* 64-bit hash of a byte string (not cryptographic; never 0). */
uint64_t trc_idset_hash(const char *s, size_t n);

/* trc_idset_add for an id whose trc_idset_hash is h. */
truce_status trc_idset_add_hash(truce_idset *set, uint64_t h, long line, long *first_line);

/* Start loading the slot where h would go: a hint, nothing changes.  The
 * table outgrows the caches with a few hundred thousand ids, and the slot
 * load was most of trc_idset_add's time (13% of `truce events` on the 210 MB
 * bench file, perf annotate); a reader calls this once it knows the id, so
 * the load overlaps the row's other checks. */
void trc_idset_prefetch(const truce_idset *set, uint64_t h);

#endif
