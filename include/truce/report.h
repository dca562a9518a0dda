/* truce — the HTML report: one self-contained HTML5 file a monitor can send
 * to people who will not read a CSV, that opens anywhere, offline.
 *
 * A report accumulates, like the statistics (stats.h), event by event: the
 * caller judges each event (classify.h) and adds it with its verdict; adds
 * the event files it read (for the provenance footer) and, optionally, GPX
 * files of patrols; then writes the page.  The page holds, in order:
 * key figures, the agreement's summary (parties, the ceasefire in local time
 * and UTC, zones, corridors with their depths, patrol routes, rules,
 * amendments), the map (map.h: one marker per located event, aggregated
 * into grid cells past map_cluster_above), the timeline (timeline.h), the statistics of `truce
 * stats` (from the same accumulator, so the numbers are the same), the violations and possible
 * violations with their reasons, a table of events, patrol results (per track, and the summary
 * across tracks of patrol_summary.h), and a footer with the inputs
 * (sizes, row counts), a credit line and the truce version.
 *
 * Self-contained: CSS, SVG and a small script are inline; nothing refers to
 * a URL, and a Content-Security-Policy meta forbids every network load.
 * Every piece of text taken from input is escaped (truce_xml_escape).  The
 * page reads without its script: every row is in the HTML; the script only
 * sorts and filters the tables.
 *
 * Large inputs (docs/report.md, "Large inputs"): violations and possible
 * violations are all listed up to max_violation_rows (default 50,000); the
 * table of all events lists the first max_event_rows (default 2,000) in
 * input order; each table says how many rows it leaves out.  Tables of more
 * than TRUCE_REPORT_PAGE_ROWS rows come in pages of that many, each a
 * <details> element (the first open), so a browser lays out one page, not
 * tens of thousands of rows; the script sorts and filters across pages.
 * Long texts in cells are cut at max_cell_bytes.  Memory grows with the
 * listed rows, the map's markers and the statistics' keys.
 *
 *     truce_report *r;
 *     truce_report_options opt;
 *     truce_report_options_init(&opt);
 *     truce_report_new(agreement, &opt, &r);
 *     for each event: truce_report_add_event(r, &event, &verdict);
 *     truce_report_add_input(r, &input);
 *     truce_report_add_gpx(r, gpx);          // optional, borrowed until write
 *     truce_report_write(r, out);
 *     truce_report_free(r);
 */
#ifndef TRUCE_REPORT_H
#define TRUCE_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "truce/agreement.h"
#include "truce/borders.h"
#include "truce/classify.h"
#include "truce/event.h"
#include "truce/status.h"
#include "truce/track.h"

/* The default number of rows of the table of all events, and of the table of
 * violations and possible violations. */
#define TRUCE_REPORT_MAX_EVENT_ROWS 2000
#define TRUCE_REPORT_MAX_VIOLATION_ROWS 50000

/* Rows of a table page (docs/report.md, "Large inputs"). */
#define TRUCE_REPORT_PAGE_ROWS 1000

typedef struct truce_report_options {
    const char *title;         /* the page's title; NULL: the agreement's title, else its id */
    size_t max_event_rows;     /* rows of the table of all events (default
                                  TRUCE_REPORT_MAX_EVENT_ROWS); 0: none listed */
    size_t max_violation_rows; /* rows of the table of violations and possible violations
                                  (default TRUCE_REPORT_MAX_VIOLATION_ROWS) */
    size_t max_cell_bytes;     /* longer texts in a cell are cut, with an ellipsis (default 600) */
    int window_days;           /* the statistics' window, days each side (default 30) */
    const char *route_id;      /* the patrol route GPX tracks are judged against; NULL: the
                                  agreement's first */
    double patrol_tolerance_m; /* patrol.h; 0: its default (500) */
    int64_t generated_s;       /* when the report was made, shown in the footer (UTC), in the
                                  range of instants (time.h); ignored unless has_generated */
    int has_generated;
    const char *credit; /* a line of data credit for the footer (plain text); may be NULL */
    const truce_borders *borders; /* country borders for the map (borders.h); NULL for none;
                                     borrowed until truce_report_write returns */
    size_t map_cluster_above;     /* the map aggregates markers past this many located events
                                     (map.h; default TRUCE_MAP_CLUSTER_ABOVE) */
} truce_report_options;

/* Fill `opt` with the defaults above. */
void truce_report_options_init(truce_report_options *opt);

typedef struct truce_report truce_report;

/* A new report on `agreement` (which must outlive it).  `opt` may be NULL
 * for the defaults; its strings are copied.  TRUCE_E_ARG for options out of
 * range, TRUCE_E_NOMEM. */
truce_status truce_report_new(const truce_agreement *agreement, const truce_report_options *opt,
                              truce_report **out);

/* Free a report (NULL is a no-op). */
void truce_report_free(truce_report *report);

/* Count one judged event: statistics, timeline, map marker, and a row in the
 * tables it belongs to (its texts are escaped and copied now, so `event`
 * need not outlive the call).  TRUCE_E_ARG, TRUCE_E_NOMEM. */
truce_status truce_report_add_event(truce_report *report, const truce_event *event,
                                    const truce_verdict *verdict);

/* An input file, for the provenance footer. */
typedef struct truce_report_input {
    const char *path;                  /* as given ("-" for stdin); copied */
    const char *format;                /* "acled", "geojson", ...; may be NULL; copied */
    int64_t bytes;                     /* its size; -1 when unknown */
    uint64_t read, accepted, rejected; /* rows */
} truce_report_input;

truce_status truce_report_add_input(truce_report *report, const truce_report_input *input);

/* A GPX file of patrols: each track is judged against the patrol route
 * (options.route_id) with the patrol API (patrol.h) when the page is
 * written: covered fraction, gaps, time off the route, worst offset.  The
 * report borrows `gpx` until truce_report_write returns.  `bytes` is the
 * file's size for the footer (-1: unknown).  TRUCE_E_ARG, TRUCE_E_NOMEM. */
truce_status truce_report_add_gpx(truce_report *report, const truce_gpx *gpx, int64_t bytes);

/* The humanitarian provisions (aid.h): a finished accumulator over the
 * same agreement, borrowed until truce_report_write returns.  The page then
 * has a "Humanitarian provisions" section (places in need, unreached
 * places, access incidents, returns and returns into danger) and the map
 * draws the places in need by days since their last delivery.  Without
 * one, the section lists the agreement's places in need, if any.
 * TRUCE_E_ARG (NULL, not finished, or another agreement's). */
struct truce_aid;
truce_status truce_report_set_aid(truce_report *report, const struct truce_aid *aid);

/* Write the page to `out`.  TRUCE_E_NOT_FOUND when GPX files were added but
 * the agreement has no such patrol route; the patrol and map statuses;
 * TRUCE_E_NOMEM; TRUCE_E_IO when writing fails. */
truce_status truce_report_write(truce_report *report, FILE *out);

#endif
