/* What a place is, remembered per place (not public API).
 *
 * ACLED and UCDP code events to gazetteer places: every report from one
 * town carries the same coordinates and, by its precision code, the same
 * radius, so a file of a million events holds a few thousand places.  Where
 * a place lies against the agreement's zones and corridors depends on
 * nothing else, and the exact corridor measure alone was 24% of classify's
 * time (docs/performance.md, "Classify").  A place memo keeps those answers
 * per place: the same numbers, computed once per place while it stays in
 * the memo.
 *
 * A place hashes to a set of four slots; a place not in its set takes the
 * slot used least recently, forgetting what it held.  Keys are the bit
 * patterns of lon, lat and radius_m, so a hit returns exactly what a new
 * computation would.  Each item of a slot (a zone, a corridor)
 * is filled on first need, since a zone not in force at an event's time is
 * not located.  When a window of lookups finds almost nothing (scattered
 * coordinates), the memo stops looking for a while and hands out an empty
 * slot of its own instead (place_memo.c says how long).  Not thread-safe: a
 * classifier owns one.
 */
#ifndef TRUCE_PLACE_MEMO_H
#define TRUCE_PLACE_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "truce/corridor.h"
#include "truce/zone.h"

typedef struct place_zone {
    int known; /* 0: not located yet for this place */
    truce_position position;
    double boundary_m; /* -1 until a reason measured it */
} place_zone;

typedef struct place_corridor {
    int known; /* 0: not measured yet for this place */
    truce_measure m;
} place_corridor;

typedef struct place_memo place_memo;

/* A memo for `nzones` zones and `ncorridors` corridors; NULL when out of
 * memory.  Its size is bounded (place_memo.c says how). */
place_memo *trc_place_memo_new(size_t nzones, size_t ncorridors);
void trc_place_memo_free(place_memo *m);

/* The slot for a place, emptied first when the place was not in the memo:
 * zones[i] and corridors[i] are the memo's answers for zone / corridor i.
 * Valid until the next call. */
typedef struct place_slot {
    place_zone *zones;
    place_corridor *corridors;
} place_slot;

place_slot trc_place_memo_find(place_memo *m, double lon, double lat, double radius_m);

/* The set a place hashes to (for tests). */
size_t trc_place_memo_set(const place_memo *m, double lon, double lat, double radius_m);

#endif
