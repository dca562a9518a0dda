/* truce — joint patrols: a GPS track judged against a patrol route.
 *
 * A checker is built once per patrol route of an agreement (agreement.h) and
 * judges any number of tracks (track.h).  Every track point is measured
 * against the route's road with the corridor engine (corridor.h): the exact
 * geodesic distance to the route and the chainage of the nearest point.
 *
 * - A point is on the route when its distance is at most the tolerance.
 * - Covered stretches: two consecutive points of one segment that are both on
 *   the route cover the chainage between them when their chainages differ by
 *   at most max_step_m (a track that leaves the tolerance, or jumps along the
 *   route faster than a step allows, covers nothing in between).  A lone
 *   point on the route covers its own chainage.  The stretches are merged;
 *   covered_m is their total length.
 * - Gaps: the parts of [0, route length] not covered that are at least
 *   min_gap_m long, the uncovered ends included.
 * - Off route: a step between consecutive points of one segment counts in
 *   full when both points are off the route, in half when one is.  Time
 *   counts only for steps whose times are known and advance.  The same rule
 *   gives the time and distance outside the route's corridor (the corridor
 *   the route names, with its own depths), decided by that corridor's engine.
 * - Off-route stretches: each maximal run of consecutive points of one
 *   segment that are off the route, with the points on the route just before
 *   and after it in that segment (the steps that leave and rejoin it).
 * - Allowed window: when the route gives a daily window (agreement.h) or the
 *   options give one, the time between the track's first and last point
 *   (start_s to end_s, receivers switched off included: the patrol was under
 *   way) that falls outside the window in the agreement's local time
 *   (window.h); the track is outside the window when that time is not zero or
 *   its first point is outside it (a track of one instant).
 * - Direction: the sum of the chainage advanced and of the chainage gone back
 *   over covering steps; increasing or decreasing when one is more than
 *   twice the other, else both (out and back).
 *
 * Chainage is metres along the route from its first vertex; distances are
 * metres; instants are POSIX seconds (UTC) as in track.h.
 */
#ifndef TRUCE_PATROL_H
#define TRUCE_PATROL_H

#include <stddef.h>
#include <stdint.h>

#include "truce/status.h"
#include "truce/track.h"
#include "truce/window.h"

struct truce_agreement;
struct truce_patrol_route;

typedef struct truce_patrol_options {
    double tolerance_m; /* a point within this of the route is on it, in (0, 1e6]
                           (default 500) */
    double min_gap_m;   /* gaps shorter than this are not listed, >= 0 (default 100) */
    double max_step_m;  /* the most chainage one step between points may cover, > 0
                           (default 1000) */
    int has_window;     /* 1: judge against `window` instead of the route's own (default 0) */
    truce_daily_window window; /* the allowed hours, local time, when has_window */
} truce_patrol_options;

/* Fill `opt` with the defaults above. */
void truce_patrol_options_init(truce_patrol_options *opt);

/* A stretch of the route: chainage from_m <= to_m, metres. */
typedef struct truce_chainage_interval {
    double from_m;
    double to_m;
} truce_chainage_interval;

/* A stretch of a track off the route (see the rules above). */
typedef struct truce_off_route_stretch {
    size_t first;          /* index in track->points of its first point */
    size_t count;          /* its points, those on the route at either end included */
    double from_m, to_m;   /* from_m <= to_m: the chainage span of the nearest route points
                              of its off-route points */
    double start_s, end_s; /* earliest and latest time of its off-route points; NAN when none
                              has a time */
    double max_offset_m;   /* the greatest distance of its points from the route */
} truce_off_route_stretch;

typedef enum truce_patrol_direction {
    TRUCE_DIR_NONE = 0,       /* no covering step */
    TRUCE_DIR_INCREASING = 1, /* mostly with increasing chainage */
    TRUCE_DIR_DECREASING = 2, /* mostly with decreasing chainage */
    TRUCE_DIR_BOTH = 3        /* out and back */
} truce_patrol_direction;

/* "none", "increasing", "decreasing", "both". */
const char *truce_patrol_direction_name(truce_patrol_direction d);

typedef struct truce_patrol_result {
    double route_length_m;            /* geodesic length of the route */
    truce_chainage_interval *covered; /* owned; ncovered merged stretches, in order */
    size_t ncovered;
    double covered_m;              /* total length of the covered stretches */
    double covered_fraction;       /* covered_m / route_length_m, in [0, 1] */
    truce_chainage_interval *gaps; /* owned; ngaps gaps >= min_gap_m, in order */
    size_t ngaps;
    size_t npoints;                     /* points measured */
    size_t noff;                        /* of which off the route */
    truce_off_route_stretch *off_route; /* owned; noff_route stretches in track order */
    size_t noff_route;
    double off_route_s;                    /* time off the route, seconds */
    double off_route_m;                    /* geodesic distance travelled off the route */
    double max_offset_m;                   /* greatest distance of a point from the route;
                                              0 for a track without points */
    size_t max_offset_index;               /* that point's index in track->points */
    double max_offset_chainage_m;          /* the chainage of its nearest route point */
    double max_offset_lat, max_offset_lon; /* its position, degrees */
    int has_corridor;                      /* 1 when the route names a corridor */
    double outside_corridor_s;             /* as off_route_s, outside that corridor; 0 without */
    double outside_corridor_m;
    double start_s, end_s; /* earliest and latest point times; NAN when none */
    truce_patrol_direction direction;
    int has_window;            /* 1 when a window was checked (the route's or the options') */
    truce_daily_window window; /* that window */
    double outside_window_s;   /* seconds of [start_s, end_s] outside it; 0 without a window
                                  or times; NAN for times beyond the years 1-9999 */
    int outside_window;        /* 1 when the patrol ran outside the window */
    int before_start;          /* 1 when start_s is before the route's valid.from_s */
    int after_end;             /* 1 when end_s is at or after the route's valid.until_s */
} truce_patrol_result;

typedef struct truce_patrol_checker truce_patrol_checker;

/* Build a checker for `route`, a patrol route of agreement `a` (the corridor
 * it names is looked up in `a`).  `opt` may be NULL for the defaults.
 * Returns TRUCE_E_ARG for NULL arguments or options out of range,
 * TRUCE_E_NOT_FOUND when the route names a corridor `a` does not have, the
 * corridor engine's statuses (corridor.h) and TRUCE_E_NOMEM.  A window in
 * `opt` (has_window) that is out of range is TRUCE_E_ARG.  On success
 * *out is a new handle (truce_patrol_checker_free); it keeps pointers to `a`
 * and `route`, which must outlive it.  A checker is immutable: threads may
 * share one. */
truce_status truce_patrol_checker_new(const struct truce_agreement *a,
                                      const struct truce_patrol_route *route,
                                      const truce_patrol_options *opt, truce_patrol_checker **out);

/* Free a checker (NULL is a no-op). */
void truce_patrol_checker_free(truce_patrol_checker *checker);

/* Judge one track.  *out is filled (release with truce_patrol_result_release)
 * on TRUCE_OK; on failure it is left empty.  Returns TRUCE_E_ARG for NULL
 * arguments, TRUCE_E_RANGE for a point out of range (the GPX reader keeps
 * none), TRUCE_E_NOMEM. */
truce_status truce_patrol_check(const truce_patrol_checker *checker, const truce_track *track,
                                truce_patrol_result *out);

/* Free what a result owns; it is empty afterwards. */
void truce_patrol_result_release(truce_patrol_result *result);

#endif
