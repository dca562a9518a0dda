/* truce — the agreement's humanitarian provisions: is aid reaching all who
 * need it, are convoys let through, are the displaced returning into
 * places still being hit?  (docs/aid.md)
 *
 * An accumulator, like the statistics (stats.h): add the humanitarian
 * records a reader hands out (aid_record.h, reader.h) and the events that
 * `truce classify` judged violations (classify.h), then finish; the result
 * is plain data to read or to write (aid_write.h).
 *
 *     truce_aid *aid;
 *     truce_aid_new(agreement, NULL, &aid);
 *     for each record:    truce_aid_add_record(aid, &record);
 *     for each violation: truce_aid_add_violation(aid, &event);
 *     truce_aid_finish(aid);
 *     const truce_aid_result *res = truce_aid_result_get(aid);
 *     truce_aid_free(aid);
 *
 * Membership: a record belongs to the agreement's first place in need
 * (truce_need) whose name is its place name (ASCII case-insensitive), else
 * whose admin_code is its admin code, else whose area holds its point (a
 * Point's disk of radius_m, geodesic; a Polygon as zones are read).
 *
 * Days are local dates (days since 1970-01-01).  The period [from, to]
 * holds both ends; records outside it are counted and left out.  Gaps: the
 * days from the period's first day to the first delivery, from each
 * delivery to the next, and from the last delivery to the period's last day
 * (days_since_last); a place never reached has one gap, the whole period
 * (to - from + 1 days).  A place meets its target (reach_every_days) when
 * its longest gap is at most the target.
 *
 * Returns into danger: a return whose day is D is in danger when a
 * violation started (local day) in [D - window_days, D] within the return's
 * place in need, or, when the return has no place in need, within
 * radius_m of the return's point; returns with neither are not judged.
 *
 * Thread safety: truce_aid_add_record and truce_aid_add_violation touch
 * disjoint parts of the accumulator, so one thread may add records while
 * another adds violations (as the CLI does: records on the reading thread,
 * violations in judged order); each on its own is not reentrant.
 */
#ifndef TRUCE_AID_H
#define TRUCE_AID_H

#include <stddef.h>
#include <stdint.h>

#include "truce/agreement.h"
#include "truce/aid_record.h"
#include "truce/event.h"
#include "truce/status.h"

typedef struct truce_aid_options {
    int has_from, has_to; /* 0: the first (last) day of the records added */
    int64_t from_day, to_day;
    int window_days; /* returns into danger: days before a return, in [0, 3660] (default 14) */
    double radius_m; /* returns into danger without a place in need: metres, in (0, 200000]
                        (default 5000) */
} truce_aid_options;

void truce_aid_options_init(truce_aid_options *options);

typedef struct truce_aid truce_aid;

/* A new accumulator over `agreement` (which must outlive it); `options`
 * may be NULL for the defaults.  TRUCE_E_ARG (options out of range),
 * TRUCE_E_NOMEM. */
truce_status truce_aid_new(const truce_agreement *agreement, const truce_aid_options *options,
                           truce_aid **out);
void truce_aid_free(truce_aid *aid);

/* Add a record (copied).  TRUCE_E_ARG for a record of no kind, TRUCE_E_NOMEM. */
truce_status truce_aid_add_record(truce_aid *aid, const truce_aid_record *record);

/* Add an event judged a violation (its id, first local day and point are
 * copied; one without a location is counted but can put no return in
 * danger).  TRUCE_E_NOMEM. */
truce_status truce_aid_add_violation(truce_aid *aid, const truce_event *event);

/* Per place in need, in the agreement's order. */
typedef struct truce_aid_place {
    const truce_need *need;      /* the agreement's */
    uint64_t deliveries;         /* in the period */
    double quantity;             /* the sum of the quantities given */
    int64_t trucks;              /* the sum of the trucks given */
    int reached;                 /* at least one delivery in the period */
    int64_t first_day, last_day; /* of the deliveries (when reached) */
    int64_t days_since_last;     /* to - last_day; -1 when never reached */
    int64_t longest_gap_days;    /* see above */
    int target;                  /* -1: no target; 0: missed; 1: met */
    uint64_t access_incidents;   /* in the period */
    int64_t returnees;           /* people returning in the period (given counts) */
} truce_aid_place;

/* Deliveries through a crossing: its name or id in the record's crossing. */
typedef struct truce_aid_crossing {
    const truce_crossing *crossing;
    uint64_t deliveries;
    int64_t trucks;
} truce_aid_crossing;

/* Access incidents within an aid route's buffer or inside a corridor, by
 * kilometre of chainage. */
typedef struct truce_aid_km {
    const char *line; /* the aid route's or corridor's id */
    int is_corridor;  /* 0: an aid route */
    int64_t km;       /* floor(chainage / 1000) */
    uint64_t incidents;
} truce_aid_km;

/* Returns per area per week: the area is the place in need's id, else the
 * admin code, else the place name, else "(unplaced)"; weeks start on the
 * period's first day. */
typedef struct truce_aid_week {
    const char *area;
    int64_t week_day; /* the week's first day */
    int64_t returnees;
    int64_t households;
} truce_aid_week;

/* A return into danger, with the violations (ids, by day then id). */
typedef struct truce_aid_danger {
    const char *area;
    int64_t day;
    int64_t returnees;  /* -1 when not given */
    int64_t households; /* -1 when not given */
    const char *file;
    long line;
    int has_location; /* the return's point, when it has one */
    double lon, lat;
    const char *const *violations;
    size_t nviolations;
} truce_aid_danger;

/* A located access incident in the period (for maps). */
typedef struct truce_aid_point {
    double lon, lat;
    truce_access_category category;
    int64_t day;
} truce_aid_point;

typedef struct truce_aid_result {
    int has_period; /* 0 when there were no records and no period was given */
    int64_t from_day, to_day;
    uint64_t records[TRUCE_AID_NKINDS]; /* added, by kind */
    uint64_t outside_period;
    uint64_t violations; /* added */
    truce_aid_place *places;
    size_t nplaces;
    size_t unreached; /* places not reached */
    uint64_t unplaced_deliveries;
    truce_aid_crossing *crossings;
    size_t ncrossings;
    uint64_t access[TRUCE_ACCESS_NCATEGORIES]; /* incidents by category */
    truce_aid_km *access_km;
    size_t naccess_km;
    truce_aid_point *access_points;
    size_t naccess_points;
    truce_aid_week *returns;
    size_t nreturns;
    truce_aid_danger *danger;
    size_t ndanger;
    int window_days; /* the options used */
    double radius_m;
} truce_aid_result;

/* Compute the result from what was added (once; adding after it is
 * TRUCE_E_ARG).  TRUCE_E_NOMEM, TRUCE_E_INTERNAL (a geometry the engines
 * refuse). */
truce_status truce_aid_finish(truce_aid *aid);

/* The result, owned by `aid`; NULL before truce_aid_finish. */
const truce_aid_result *truce_aid_result_get(const truce_aid *aid);

/* The agreement it was made for. */
const truce_agreement *truce_aid_agreement(const truce_aid *aid);

/* Whether any record was added (else there is nothing to show beyond the
 * agreement's own places in need). */
int truce_aid_any(const truce_aid *aid);

#endif
