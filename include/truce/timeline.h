/* truce — the timeline: events per local day stacked by verdict, the
 * ceasefire and the amendments as vertical marks, fatalities per day as a
 * second series, drawn as SVG through the SVG writer (svg.h).
 *
 * The renderer is a pure function of plain data the caller prepares: a
 * series of local days (the agreement's time zone, as `truce stats` counts
 * them: an event counts on the local day its interval starts in) with the
 * events of each class and the fatalities, and a list of marks.  A series
 * accumulates them event by event:
 *
 *     truce_timeline_series s;
 *     truce_timeline_series_init(&s);
 *     truce_timeline_span(a, &first, &last);
 *     truce_timeline_series_bound(&s, first, last);
 *     for each event and verdict:
 *         truce_timeline_series_add_event(&s, tz, ev, truce_map_class_of(&verdict), NULL);
 *     truce_timeline_marks_from_agreement(a, &marks, &nmarks);
 *     truce_timeline_input in = {...};  // truce_timeline_input_init, then the fields
 *     truce_timeline_svg(&in, 1, &svg, &len);
 */
#ifndef TRUCE_TIMELINE_H
#define TRUCE_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "truce/alloc.h"
#include "truce/agreement.h"
#include "truce/classify.h"
#include "truce/event.h"
#include "truce/map.h"
#include "truce/status.h"
#include "truce/tz.h"

/* A bar segment counts the events of one class of the map's (map.h):
 * TRUCE_MAP_VIOLATION, _POSSIBLE, _NONE (after or spanning the ceasefire) and
 * _BEFORE, from truce_map_class_of, so that the two pictures class events
 * alike. */

/* The local calendar day of an instant in `tz`, as days since 1970-01-01
 * (truce_days_from_civil of the local date). */
int64_t truce_timeline_local_day(const truce_tz *tz, int64_t instant_s);

/* The longest span a timeline draws: a century of days. */
#define TRUCE_TIMELINE_MAX_DAYS 36600

/* The local days a timeline of agreement `a` may show: TRUCE_TIMELINE_MAX_DAYS
 * days centred on the ceasefire's local day (18,300 days before it to 18,299
 * after).  Events and marks outside are left off the picture and counted in
 * its note rather than refused, so that one mistyped date (0202 for 2020)
 * does not stop a timeline of everything else (docs/report.md, "The
 * timeline").  `a` must have a time zone. */
void truce_timeline_span(const truce_agreement *a, int64_t *first_day, int64_t *last_day);

/* One local day. */
typedef struct truce_timeline_day {
    int64_t day;                         /* days since 1970-01-01 of the local date */
    uint64_t events[TRUCE_MAP_NCLASSES]; /* events starting that day, by class */
    int64_t fatalities;                  /* sum of known fatality figures (>= 0) */
} truce_timeline_day;

/* How many of the events left out a series names (file:line and id). */
#define TRUCE_TIMELINE_NAMED 5

/* Days in ascending order, each at most once; days without events may be
 * left out (the renderer draws them empty).  A series may be bounded to the
 * days [first_day, last_day]: an event on another day is not kept but
 * counted in left_out, and the first TRUCE_TIMELINE_NAMED of those that
 * came through truce_timeline_series_add_event are named in named[]. */
typedef struct truce_timeline_series {
    truce_timeline_day *days; /* owned; ndays entries */
    size_t ndays;
    size_t cap;
    int64_t first_day, last_day; /* the days kept (default: every day) */
    uint64_t left_out;           /* events on a day outside them */
    size_t nnamed;
    char named[TRUCE_TIMELINE_NAMED][160]; /* "FILE:LINE (ID)", cut to fit */
} truce_timeline_series;

/* Set up an empty series that keeps every day (no allocation). */
void truce_timeline_series_init(truce_timeline_series *s);

/* Keep only the days [first_day, last_day] from now on (truce_timeline_span). */
void truce_timeline_series_bound(truce_timeline_series *s, int64_t first_day, int64_t last_day);

/* Count one event of class `c` on local day `day`, with `fatalities`
 * (TRUCE_COUNT_UNKNOWN or negative: not counted); outside the series'
 * bounds, count it in left_out only.  Events in date order append in
 * constant time; others are inserted.  TRUCE_E_ARG, TRUCE_E_NOMEM (the
 * series is unchanged). */
truce_status truce_timeline_series_add(truce_timeline_series *s, int64_t day, truce_map_class c,
                                       int64_t fatalities);

/* As truce_timeline_series_add, for `event` on the local day in `tz` its
 * interval starts in; one left out is also named (its file, line and id).
 * *left_out (may be NULL) is set to 1 when it was left out, else 0. */
truce_status truce_timeline_series_add_event(truce_timeline_series *s, const truce_tz *tz,
                                             const truce_event *event, truce_map_class c,
                                             int *left_out);

/* A sentence on the events left out, for under the picture: "1 event
 * starting outside the days shown (1970-03-07 to 2070-03-05) is left out:
 * f.csv:22 (SYR20)."; empty when none.  Into buf (`size` bytes,
 * NUL-terminated, cut to fit). */
void truce_timeline_series_note(const truce_timeline_series *s, char *buf, size_t size);

/* Free the days; the series is empty afterwards. */
void truce_timeline_series_release(truce_timeline_series *s);

/* A vertical mark at an instant. */
typedef struct truce_timeline_mark {
    int64_t instant_s; /* UTC */
    int ceasefire;     /* 1: the ceasefire instant (drawn heavier), 0: an amendment */
    char label[128];   /* the text beside the mark, UTF-8, NUL-terminated */
} truce_timeline_mark;

/* The marks of an agreement: the ceasefire, then every amendment
 * (amendment.h) in date order, labelled "ceasefire 2020-03-06 00:00" (local) and
 * "patrol route m4-patrol in force" / "... ends".  *marks is a new array of
 * *count entries (truce_free()).  TRUCE_E_ARG, TRUCE_E_NOMEM. */
truce_status truce_timeline_marks_from_agreement(const truce_agreement *a,
                                                 truce_timeline_mark **marks, size_t *count);

typedef struct truce_timeline_input {
    const char *title;              /* drawn at the top; may be NULL */
    const truce_tz *tz;             /* the zone of the days and of the date labels; required */
    const char *tz_name;            /* named in the axis title; may be NULL */
    const truce_timeline_day *days; /* ascending, distinct; may be NULL when ndays is 0 */
    size_t ndays;
    const truce_timeline_mark *marks; /* may be NULL when nmarks is 0 */
    size_t nmarks;
    double width_px;  /* of the picture, in [320, 20000] (default 960) */
    double height_px; /* in [200, 20000] (default 400) */
    /* The days that may be drawn (truce_timeline_span); days and marks
     * outside are not drawn, and the marks left out are counted in the note.
     * Default: every day. */
    int64_t first_day, last_day;
    const char *note; /* drawn under the title (truce_timeline_series_note); may be NULL */
} truce_timeline_input;

/* Defaults: no data, every day, 960 x 400 px. */
void truce_timeline_input_init(truce_timeline_input *in);

/* Draw the timeline.  The days shown run from the earliest to the latest of
 * the series' days and the marks' local days within [first_day, last_day]
 * (one day either side when there is only one); every day in between is a
 * bar slot.  Marks sit at
 * their instant's local time of day within its day's slot.  Counts are on
 * the left axis, fatalities on the right; ticks are round numbers; date
 * labels are local dates, thinned to fit; a legend names the four classes,
 * the fatalities line and the marks.  Every text is escaped by the writer.
 *
 * *svg is a new NUL-terminated document of *len bytes (truce_free()), with an XML
 * declaration when `standalone` is nonzero (a .svg file), without one to go
 * inline into HTML.  TRUCE_E_ARG for a NULL or out-of-range input, days
 * out of order or nothing to draw, TRUCE_E_RANGE for a span of more than
 * TRUCE_TIMELINE_MAX_DAYS (only when first_day and last_day allow one),
 * TRUCE_E_NOMEM. */
truce_status truce_timeline_svg(const truce_timeline_input *in, int standalone, char **svg,
                                size_t *len);

#endif
