/* truce — patrols across tracks: how often each stretch of a patrol route
 * was patrolled over a period, and the days without a patrol.
 *
 * The input is the results of truce_patrol_check (patrol.h) for any number
 * of tracks against one route.  Every track belongs to the local date (in
 * the agreement's time zone) of its first point; a track without times
 * belongs to no date and is left out.  The period is a range of local dates;
 * the tracks of dates outside it are left out too (and counted).
 *
 * - Bins: the route's chainage cut into bins of bin_m from chainage 0; the
 *   last bin ends at the end of the route and may be shorter.  A track
 *   covered a bin when its covered stretches take up at least half of the
 *   bin's length: a patrol that turned back at km 40 covered bins 0-39, not
 *   bin 40, and one that grazed a bin by a metre did not cover it.  Per bin:
 *   the tracks and the distinct dates that covered it, and the part of it
 *   covered by the tracks together.
 * - Days without a patrol: the dates of the period on which no track covered
 *   any part of the route.
 *
 * Dates are counted in days since 1970-01-01 (time.h's
 * truce_days_from_civil); chainage in metres from the route's first vertex.
 */
#ifndef TRUCE_PATROL_SUMMARY_H
#define TRUCE_PATROL_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "truce/patrol.h"
#include "truce/status.h"
#include "truce/tz.h"

struct truce_patrol_route;

/* A date not given (options) or not known (a summary without dates). */
#define TRUCE_NO_DAY INT64_MIN

/* The most days a period may have (about 100 years), and the most bins. */
#define TRUCE_SUMMARY_MAX_DAYS 36600
#define TRUCE_SUMMARY_MAX_BINS 10000000

typedef struct truce_patrol_summary_options {
    double bin_m;     /* length of a bin of chainage, metres, > 0 (default 1000) */
    int64_t from_day; /* first date of the period; TRUCE_NO_DAY: the route's start date, or,
                         for a route without one, the first track's date (default) */
    int64_t to_day;   /* last date of the period, included; TRUCE_NO_DAY: the last
                         track's date (default) */
} truce_patrol_summary_options;

/* Fill `opt` with the defaults above. */
void truce_patrol_summary_options_init(truce_patrol_summary_options *opt);

typedef struct truce_patrol_bin {
    double from_m, to_m;     /* the bin's chainage interval */
    size_t tracks;           /* tracks of the period that covered the bin */
    size_t days;             /* distinct dates of those tracks */
    double covered_m;        /* the part of the bin covered by any track of the period */
    double covered_fraction; /* covered_m / (to_m - from_m), in [0, 1] */
} truce_patrol_bin;

typedef struct truce_patrol_summary {
    int64_t from_day, to_day; /* the period; TRUCE_NO_DAY both when it could not be set
                                 (no start date, no timed track); to_day < from_day when
                                 empty */
    size_t ndays;             /* dates in the period */
    size_t ntracks;           /* tracks of the period */
    size_t nleft_out;         /* tracks outside the period or without times */
    size_t npatrol_days;      /* dates on which some track covered part of the route */
    double route_length_m;
    double covered_m;        /* the route covered by the tracks of the period together */
    double covered_fraction; /* covered_m / route_length_m */
    truce_patrol_bin *bins;  /* owned; nbins bins in chainage order */
    size_t nbins;
    int64_t *days_without; /* owned; ndays_without dates of the period, in order, on
                              which no track covered any part of the route */
    size_t ndays_without;
} truce_patrol_summary;

/* Summarise `n` results (an array; may be NULL when n is 0) of tracks
 * checked against `route`, with dates in the local time of `tz` (NULL: UTC).
 * `opt` may be NULL for the defaults.  *out is filled (release with
 * truce_patrol_summary_release) on TRUCE_OK; on failure it is left empty.
 * Returns TRUCE_E_ARG for NULL arguments, a bin_m that is not > 0, or a
 * from_day after to_day; TRUCE_E_RANGE for a period of more than
 * TRUCE_SUMMARY_MAX_DAYS days or more than TRUCE_SUMMARY_MAX_BINS bins;
 * TRUCE_E_NOMEM. */
truce_status truce_patrol_summarize(const struct truce_patrol_route *route, const truce_tz *tz,
                                    const truce_patrol_result *results, size_t n,
                                    const truce_patrol_summary_options *opt,
                                    truce_patrol_summary *out);

/* Consecutive bins that read alike -- the same tracks and days, and
 * coverage within 0.1% -- share a row of a table (`truce patrol` and the
 * HTML report merge them so): the index just after the run of such bins
 * that starts at bin `first`.  `first` itself when first >= nbins. */
size_t truce_patrol_summary_run_end(const truce_patrol_summary *summary, size_t first);

/* Free what a summary owns; it is empty afterwards. */
void truce_patrol_summary_release(truce_patrol_summary *summary);

/* The local date (days since 1970-01-01) of the instant t_s (POSIX seconds)
 * in `tz` (NULL: UTC); TRUCE_NO_DAY when t_s is NAN or beyond the years
 * 1-9999. */
int64_t truce_local_day(const truce_tz *tz, double t_s);

#endif
