/* The report's pictures: the map (map.h) and the timeline (timeline.h),
 * inline SVG (report.h). */
#include <stdint.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "report/report_internal.h"

/* The map of the agreement, the located events and the patrol tracks. */
static truce_status map_svg(const truce_report *r, char **svg, truce_map_stats *stats)
{
    truce_map_mark *marks = r->nmarks ? trc_calloc(r->nmarks, sizeof *marks) : NULL;
    const truce_gpx **tracks = r->ngpx ? trc_calloc(r->ngpx, sizeof *tracks) : NULL;
    if ((r->nmarks && !marks) || (r->ngpx && !tracks)) {
        trc_free(marks);
        trc_free(tracks);
        return TRUCE_E_NOMEM;
    }
    for (size_t i = 0; i < r->nmarks; i++) {
        const report_mark *m = &r->marks[i];
        marks[i] = (truce_map_mark){m->has_location,
                                    m->lon,
                                    m->lat,
                                    m->cls,
                                    m->fatalities,
                                    r->strings.p + m->id_at,
                                    r->strings.p + m->label_at,
                                    m->has_sector,
                                    m->sector};
    }
    for (size_t i = 0; i < r->ngpx; i++)
        tracks[i] = r->gpx[i].gpx;
    truce_map_data data = {r->a, marks, r->nmarks, tracks, r->ngpx, r->opt.borders, r->aid};
    truce_map_options opt;
    truce_map_options_init(&opt);
    opt.width_px = 1160;
    opt.height_px = 820;
    opt.title = r->opt.title;
    opt.cluster_above = r->opt.map_cluster_above;
    opt.xml_declaration = 0;
    size_t len;
    truce_status st = truce_map_render(&data, &opt, svg, &len, stats);
    trc_free(marks);
    trc_free(tracks);
    return st;
}

static truce_status timeline_svg(const truce_report *r, char **svg)
{
    truce_timeline_mark *marks = NULL;
    size_t nmarks = 0, len;
    truce_status st = truce_timeline_marks_from_agreement(r->a, &marks, &nmarks);
    if (st)
        return st;
    truce_timeline_input in;
    truce_timeline_input_init(&in);
    in.title = "Events per day";
    in.tz = r->a->tz;
    in.tz_name = r->a->timezone_name;
    in.days = r->series.days;
    in.ndays = r->series.ndays;
    in.marks = marks;
    in.nmarks = nmarks;
    in.first_day = r->series.first_day;
    in.last_day = r->series.last_day;
    char note[1024];
    truce_timeline_series_note(&r->series, note, sizeof note);
    in.note = note;
    in.width_px = 1160;
    in.height_px = 420;
    st = truce_timeline_svg(&in, 0, svg, &len);
    trc_free(marks);
    return st;
}

static void map_caption(html_buf *b, const truce_report *r, const truce_map_stats *s)
{
    trc_html_printf(b, "<figcaption>%zu located events drawn", s->located);
    if (s->clustered)
        trc_html_printf(b,
                        ", aggregated into %zu grid cells by verdict: past %zu located events one "
                        "marker per event would make the page slow and the map unreadable, so each "
                        "circle stands for the events of its cell (their number in the tooltip)",
                        s->clusters, r->opt.map_cluster_above);
    else
        trc_html_puts(b, ", one marker each, coloured by verdict, with an area proportional to "
                         "fatalities");
    if (s->unlocated)
        trc_html_printf(b, "; %zu events have no location and are not on the map", s->unlocated);
    trc_html_puts(b, ".</figcaption>\n");
}

truce_status trc_report_figures_section(html_buf *b, const truce_report *r)
{
    char *map = NULL, *timeline = NULL;
    truce_map_stats stats;
    truce_status st = map_svg(r, &map, &stats);
    if (!st)
        st = timeline_svg(r, &timeline);
    if (st) {
        trc_free(map);
        return st;
    }
    trc_html_puts(b, "<section id=\"map\"><h2>Map</h2>\n<figure>\n");
    trc_html_puts(b, map);
    map_caption(b, r, &stats);
    trc_html_puts(b,
                  "</figure>\n</section>\n<section id=\"timeline\"><h2>Timeline</h2>\n<figure>\n");
    trc_html_puts(b, timeline);
    trc_html_puts(b, "<figcaption>Events per local day (");
    trc_html_text(b, r->a->timezone_name);
    trc_html_puts(b,
                  "), by the day each report starts in, stacked by verdict; fatalities per day on "
                  "the right-hand axis; the ceasefire (solid) and amendments (dashed) as vertical "
                  "marks.");
    char note[1024];
    truce_timeline_series_note(&r->series, note, sizeof note);
    if (note[0]) {
        trc_html_puts(b, " ");
        trc_html_text(b, note);
    }
    trc_html_puts(b, "</figcaption>\n</figure>\n</section>\n");
    trc_free(map);
    trc_free(timeline);
    return b->error;
}
