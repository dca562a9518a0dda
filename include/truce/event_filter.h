/* truce — which judged events a query wants: the filters of `GET
 * /api/v1/events` and `GET /api/v1/stats` (docs/server.md, "Filters"), for
 * any program that lists or counts stored events (truce_store_events_list,
 * truce_store_stats).
 *
 * A filter is plain data (no allocation): each criterion left unset lets
 * every event through, and an event passes when it meets them all.  What
 * each one tests, on an event's current verdict (one record of `truce
 * classify --format jsonl`) and review status:
 * - from_s, to_s: the event's start is at or after from_s and before to_s;
 * - violations, statuses: its verdict (violation, possible, none) and its
 *   status are among the bits set (TRUCE_FILTER_BIT);
 * - rule: one of its `rules` (every provision it breaks or may break, not
 *   only the first) is this rule;
 * - zone: it lies inside this zone (position "inside");
 * - corridor: it lies inside this corridor, and with has_km its chainage
 *   along it is within [km_min, km_max] (kilometres);
 * - party: its actor1 or actor2 is this text exactly (as `truce stats --by
 *   party` counts parties);
 * - source: its `sources` contain this text;
 * - bbox: it has a location within [min_lon, max_lon] x [min_lat, max_lat]
 *   (degrees, WGS 84); min_lon > max_lon crosses the antimeridian (OGC API
 *   Features' rule).
 *
 * Texts are read from the parameters of a query with truce_event_filter_set,
 * and written back in one canonical form with truce_event_filter_query, so
 * that two filters that select the same events write the same text (a
 * listing's cursor is checked against it).
 */
#ifndef TRUCE_EVENT_FILTER_H
#define TRUCE_EVENT_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "truce/text.h"
#include "truce/status.h"
#include "truce/tz.h"

/* The longest text a criterion may hold (bytes). */
#define TRUCE_FILTER_TEXT_MAX 200

/* Verdicts for `violations`, statuses (review.h's order) for `statuses`. */
typedef enum truce_filter_verdict {
    TRUCE_FILTER_VIOLATION = 0, /* "yes": verdict violation */
    TRUCE_FILTER_POSSIBLE = 1,  /* "possible" */
    TRUCE_FILTER_NONE = 2       /* "no": verdict none */
} truce_filter_verdict;
#define TRUCE_FILTER_BIT(v) (1u << (unsigned)(v))

typedef struct truce_event_filter {
    int has_from, has_to;
    int64_t from_s;                           /* inclusive */
    int64_t to_s;                             /* exclusive */
    unsigned violations;                      /* TRUCE_FILTER_BIT(truce_filter_verdict)s; 0: any */
    unsigned statuses;                        /* TRUCE_FILTER_BIT(truce_review_status)s; 0: any */
    char rule[TRUCE_FILTER_TEXT_MAX + 1];     /* "": any */
    char zone[TRUCE_FILTER_TEXT_MAX + 1];     /* "": any */
    char corridor[TRUCE_FILTER_TEXT_MAX + 1]; /* "": any */
    int has_km;                               /* needs corridor; km_max may be HUGE_VAL */
    double km_min, km_max;                    /* kilometres of chainage, km_min <= km_max */
    char party[TRUCE_FILTER_TEXT_MAX + 1];    /* "": any */
    char source[TRUCE_FILTER_TEXT_MAX + 1];   /* "": any */
    int has_bbox;
    double min_lon, min_lat, max_lon, max_lat;
} truce_event_filter;

/* Every event passes. */
void truce_event_filter_init(truce_event_filter *f);

/* Set the criterion a query parameter `name` gives with `value`:
 *   from, to      an instant (with Z or an offset), a local time or a local
 *                 date in `tz` (the agreement's; NULL: UTC), read as every
 *                 reader of truce reads them (truce_tz_instant_of): `from`
 *                 a date's first instant, `to` inclusive (a date through
 *                 its end, an instant up to and including it);
 *   violation     yes, possible, no; status: submitted, confirmed,
 *                 jointly_verified, disputed, rejected -- a comma list, and
 *                 each may be given again (the sets join);
 *   rule, zone, corridor, party, source   a text (1 to TRUCE_FILTER_TEXT_MAX
 *                 bytes);
 *   km_min, km_max  kilometres (>= 0); both or one, with corridor (checked
 *                 by truce_event_filter_check);
 *   datetime      OGC API Features' interval: START/END (an open end ".."
 *                 or empty) or one instant, each end read as `from` and
 *                 `to` read theirs; it sets both and excludes them;
 *   bbox          minlon,minlat,maxlon,maxlat in degrees, or six numbers
 *                 minlon,minlat,minheight,maxlon,maxlat,maxheight (the
 *                 heights are not kept).
 * TRUCE_E_NOT_FOUND for a name that is not a filter's (f unchanged);
 * TRUCE_E_INVALID for a bad value or a single-valued criterion given twice,
 * with `why` (may be NULL) saying what was expected; TRUCE_E_ARG for NULL
 * name, value or f. */
truce_status truce_event_filter_set(truce_event_filter *f, const char *name, const char *value,
                                    const truce_tz *tz, char *why, size_t why_len);

/* Check the criteria together, once all are set: km_min or km_max without
 * corridor, km_min > km_max, from after to.  TRUCE_OK, or TRUCE_E_INVALID
 * with the offending parameter's name in *param (a static string) and
 * `why`. */
truce_status truce_event_filter_check(truce_event_filter *f, const char **param, char *why,
                                      size_t why_len);

/* Append the filter as query parameters in canonical form ("from=...&
 * violation=yes,possible&..."; values percent-encoded, instants in UTC;
 * nothing for a filter that lets everything through).  Reading it back
 * with truce_event_filter_set gives an equal filter.  TRUCE_E_NOMEM. */
truce_status truce_event_filter_query(const truce_event_filter *f, truce_text *out);

/* Append the filter as a JSON object of the same parameters in the same
 * canonical form, each value a string ({"violation":"yes,possible",
 * "corridor":"m4"}; {} for a filter that lets everything through).
 * Reading it back with truce_event_filter_read_json gives an equal filter.
 * TRUCE_E_NOMEM. */
truce_status truce_event_filter_json(const truce_event_filter *f, truce_text *out);

/* Read a filter from a JSON object (`len` bytes) whose members are the
 * parameters truce_event_filter_set takes, each value a string (a number
 * is taken as its text: {"km_min": 30}), then check it as
 * truce_event_filter_check does.  TRUCE_OK; TRUCE_E_PARSE when the text
 * is not a JSON object; TRUCE_E_INVALID for an unknown member, a value of
 * another type or one truce_event_filter_set refuses, with the member's
 * name in `param` (room for `param_len` bytes; "filter" for the object as a
 * whole) and `why`. */
truce_status truce_event_filter_read_json(truce_event_filter *f, const char *json, size_t len,
                                          const truce_tz *tz, char *param, size_t param_len,
                                          char *why, size_t why_len);

/* Whether an event passes the filter, tested on its judged record (one
 * line of `truce classify --format jsonl`, `len` bytes) and its review
 * status (review.h's name), as the store's listing tests its current
 * verdict: *passes is 1 or 0.  For a record that is not a JSON object,
 * TRUCE_E_PARSE. */
truce_status truce_event_filter_match(const truce_event_filter *f, const char *record, size_t len,
                                      const char *status, int *passes);

#endif
