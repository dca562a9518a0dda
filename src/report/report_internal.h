/* The HTML report's parts (not public API): the accumulator (report.c) and
 * the sections of the page, one file each. */
#ifndef TRUCE_REPORT_INTERNAL_H
#define TRUCE_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "report/html_buf.h"
#include "truce/aid.h"
#include "truce/map.h"
#include "truce/report.h"
#include "truce/stats.h"
#include "truce/timeline.h"

/* An event as the map draws it; strings at offsets into report.strings. */
typedef struct report_mark {
    double lon, lat;
    int64_t fatalities;
    size_t id_at, label_at;
    int has_location;
    truce_map_class cls;
    int has_sector; /* a sighting: its sector drawn on the map */
    truce_sector sector;
} report_mark;

typedef struct report_input {
    char *path, *format; /* owned */
    int64_t bytes;
    uint64_t read, accepted, rejected;
} report_input;

typedef struct report_gpx {
    const truce_gpx *gpx; /* borrowed until truce_report_write returns */
    int64_t bytes;
} report_gpx;

struct truce_report {
    const truce_agreement *a;
    truce_report_options opt;        /* its strings point to the copies below */
    char *title, *route_id, *credit; /* owned */
    truce_stats *stats;
    truce_timeline_series series;
    html_buf violations; /* <tr> rows of violations and possible violations, each ending
                            "</tr>\n" (text is escaped, so that ends only a row) */
    size_t nviolation_rows;
    uint64_t nviolations;
    html_buf events; /* <tr> rows of the table of all events, up to opt.max_event_rows */
    size_t nevent_rows;
    uint64_t nevents;
    uint64_t nclass[TRUCE_MAP_NCLASSES];
    report_mark *marks;
    size_t nmarks, marks_cap;
    html_buf strings; /* NUL-separated ids and labels of the marks (not HTML) */
    report_input *inputs;
    size_t ninputs;
    report_gpx *gpx;
    size_t ngpx;
    const truce_aid *aid; /* borrowed until truce_report_write returns; may be NULL */
};

/* Sections, each appending to `b` (report_page.c puts them in order). */
void trc_report_agreement_section(html_buf *b, const truce_report *r);
truce_status trc_report_stats_section(html_buf *b, truce_report *r);
truce_status trc_report_patrol_section(html_buf *b, const truce_report *r);
truce_status trc_report_figures_section(html_buf *b, const truce_report *r);
void trc_report_aid_section(html_buf *b, const truce_report *r);

/* Shared by the sections: an instant as "YYYY-MM-DD HH:MM" in the
 * agreement's zone, and a validity interval as written ("from X until Y",
 * or "always"). */
void trc_report_local_time(const truce_agreement *a, int64_t instant_s, char buf[32]);
void trc_report_validity(html_buf *b, const truce_validity *v);

#endif
