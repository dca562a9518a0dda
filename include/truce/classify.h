/* truce — verdicts: each event judged against the agreement as it stood at
 * the event's time.
 *
 * For one event the classifier gives
 * - the phase: before the ceasefire instant, after it, or spanning it (the
 *   event's half-open UTC interval [start, end) straddles the instant);
 * - for every zone in force: inside, outside or uncertain (zone.h);
 * - for every corridor in force: distance, chainage and side of the nearest
 *   road point (corridor.h), and inside, outside or uncertain, where
 *   uncertain means the report's uncertainty radius straddles the depth;
 * - for a sighting (an observer's sector, sector.h), each zone and corridor
 *   judged by the whole sector (inside only when all of it is), with the
 *   fraction of its area inside;
 * - the provision: the first rule the event breaks ("violation"), or else the
 *   first it may break ("possible": only an uncertain place, time or missing
 *   location stands between the event and a violation), or "none"; with the
 *   rule and a one-line reason;
 * - every rule the event breaks or may break, in the agreement's order, each
 *   with its own verdict and reason (an attack inside the corridor breaks
 *   both the zone-wide ceasefire and the corridor's rule).
 *
 * An item whose validity (from/until) does not overlap the event's interval
 * is not in force for it and is left out; one that covers the interval only
 * in part counts as uncertain in time.  docs/classify.md has the details.
 */
#ifndef TRUCE_CLASSIFY_H
#define TRUCE_CLASSIFY_H

#include <stddef.h>

#include "truce/agreement.h"
#include "truce/corridor.h"
#include "truce/event.h"
#include "truce/status.h"
#include "truce/zone.h"

typedef enum truce_phase {
    TRUCE_EVENT_BEFORE = 0, /* ends at or before the ceasefire instant */
    TRUCE_EVENT_AFTER = 1,  /* starts at or after it */
    TRUCE_EVENT_SPANS = 2   /* starts before and ends after it */
} truce_phase;

typedef enum truce_violation {
    TRUCE_VIOLATION_NONE = 0,
    TRUCE_VIOLATION_POSSIBLE = 1,
    TRUCE_VIOLATION_YES = 2
} truce_violation;

/* "before", "after", "spans"; "none", "possible", "violation". */
const char *truce_phase_name(truce_phase phase);
const char *truce_violation_name(truce_violation violation);

typedef struct truce_zone_verdict {
    const truce_zone *zone; /* borrowed from the agreement */
    int in_force;           /* 0: not in force at the event's time (position unset) */
    truce_position position;
    double fraction_inside; /* see truce_corridor_verdict */
    double boundary_m;      /* distance to the boundary when a reason quoted it, else -1 */
} truce_zone_verdict;

typedef struct truce_corridor_verdict {
    const truce_corridor_def *corridor; /* borrowed from the agreement */
    int in_force;
    truce_position position;
    /* The share of the event's place inside, in [0, 1]: for a sighting
     * (event.h) the share of its sector's area (truce_sector_locate); for
     * any event 1 inside and 0 outside.  NaN when uncertain for an event
     * that is not a sighting (its disk is not weighed), and when the item
     * is not in force or the event has no location. */
    double fraction_inside;
    double distance_m; /* NaN when the event has no location; a sighting's from its disk's centre */
    double chainage_m;
    truce_side side;
} truce_corridor_verdict;

/* Room for a reason with its NUL: longer ones are cut. */
#define TRUCE_REASON_MAX 320

/* One rule the event breaks or may break. */
typedef struct truce_rule_verdict {
    const truce_rule *rule;    /* borrowed from the agreement */
    truce_violation violation; /* TRUCE_VIOLATION_YES or TRUCE_VIOLATION_POSSIBLE */
    const char *reason;        /* one line, as truce_verdict.reason; never NULL */
} truce_rule_verdict;

typedef struct truce_verdict {
    truce_phase phase;
    truce_violation violation; /* the strongest over all rules */
    const truce_rule *rule;    /* the first rule behind `violation`; NULL for none */
    /* The verdict with the phase criterion left out: what the event would be
     * at any time.  Statistics count events with TRUCE_VIOLATION_YES here as
     * hostile, to compare rates before and after the ceasefire. */
    truce_violation any_phase;
    char reason[TRUCE_REASON_MAX]; /* `rule`'s, one line a person can read */
    /* Every rule that gives `violation` or `possible`, in the agreement's
     * order (`rule` is the first whose verdict is `violation`'s, with the
     * same reason); nrules is 0 when no rule does.  The array and its
     * reasons are owned by the classifier, valid until its next call (a
     * judge copies them for its batches, judge.h). */
    const truce_rule_verdict *rules;
    size_t nrules;
    /* One entry per zone / corridor of the agreement, in its order; arrays
     * owned by the classifier, valid until its next call. */
    const truce_zone_verdict *zones;
    size_t nzones;
    const truce_corridor_verdict *corridors;
    size_t ncorridors;
} truce_verdict;

typedef struct truce_classifier truce_classifier;

/* Prepare an agreement for judging (builds the corridor and zone indexes).
 * The agreement must outlive the classifier.  *out is a new classifier
 * (truce_classifier_free).  TRUCE_E_ARG, TRUCE_E_GEOMETRY, TRUCE_E_NOMEM. */
truce_status truce_classifier_new(const truce_agreement *agreement, truce_classifier **out);

/* Another classifier for the same agreement that shares `model`'s corridor
 * and zone indexes instead of building its own (they are only read while
 * judging), for judging on several threads at once: each thread uses its
 * own classifier.  `model` must outlive it and is not changed.  *out is a
 * new classifier (truce_classifier_free).  TRUCE_E_ARG, TRUCE_E_NOMEM. */
truce_status truce_classifier_new_shared(const truce_classifier *model, truce_classifier **out);

void truce_classifier_free(truce_classifier *classifier);

/* Judge one event into *out (its arrays are the classifier's, see
 * truce_verdict).  TRUCE_E_RANGE for an event whose location is out of
 * range (readers never return one); TRUCE_E_NOMEM when the event breaks
 * more rules than the classifier has room for and it cannot grow. */
truce_status truce_classify(truce_classifier *classifier, const truce_event *event,
                            truce_verdict *out);

#endif
