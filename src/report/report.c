/* The HTML report's accumulator: statistics, timeline, map markers and
 * table rows, event by event (report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "report/report_internal.h"
#include "base/util.h"

void truce_report_options_init(truce_report_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->max_event_rows = TRUCE_REPORT_MAX_EVENT_ROWS;
    opt->max_violation_rows = TRUCE_REPORT_MAX_VIOLATION_ROWS;
    opt->max_cell_bytes = 600;
    opt->window_days = 30;
    opt->map_cluster_above = TRUCE_MAP_CLUSTER_ABOVE;
}

void truce_report_free(truce_report *r)
{
    if (!r)
        return;
    trc_free(r->title);
    trc_free(r->route_id);
    trc_free(r->credit);
    truce_stats_free(r->stats);
    truce_timeline_series_release(&r->series);
    trc_html_release(&r->violations);
    trc_html_release(&r->events);
    trc_html_release(&r->strings);
    trc_free(r->marks);
    for (size_t i = 0; i < r->ninputs; i++) {
        trc_free(r->inputs[i].path);
        trc_free(r->inputs[i].format);
    }
    trc_free(r->inputs);
    trc_free(r->gpx);
    trc_free(r);
}

/* A copy of an optional string into *own, which *opt then points to; 0 on
 * success. */
static int copy_opt(char **own, const char **opt)
{
    if (!*opt)
        return 0;
    *opt = *own = truce_strdup(*opt);
    return *own ? 0 : -1;
}

truce_status truce_report_new(const truce_agreement *a, const truce_report_options *opt,
                              truce_report **out)
{
    if (!out)
        return TRUCE_E_ARG;
    *out = NULL;
    truce_report_options defaults;
    truce_report_options_init(&defaults);
    if (!opt)
        opt = &defaults;
    if (!a || !a->tz || opt->window_days < 1 || opt->window_days > 3660 ||
        !(opt->patrol_tolerance_m >= 0 && opt->patrol_tolerance_m <= 1e6) ||
        (opt->has_generated && !truce_instant_in_range(opt->generated_s)))
        return TRUCE_E_ARG;
    truce_report *r = trc_calloc(1, sizeof *r);
    if (!r)
        return TRUCE_E_NOMEM;
    r->a = a;
    r->opt = *opt;
    truce_timeline_series_init(&r->series);
    int64_t first, last;
    truce_timeline_span(a, &first, &last);
    truce_timeline_series_bound(&r->series, first, last);
    trc_html_init(&r->violations);
    trc_html_init(&r->events);
    trc_html_init(&r->strings);
    truce_stats_options so;
    truce_stats_options_init(&so);
    so.window_days = opt->window_days;
    if (copy_opt(&r->title, &r->opt.title) || copy_opt(&r->route_id, &r->opt.route_id) ||
        copy_opt(&r->credit, &r->opt.credit) || truce_stats_new(a, &so, &r->stats)) {
        truce_report_free(r);
        return TRUCE_E_NOMEM;
    }
    *out = r;
    return TRUCE_OK;
}

void trc_report_local_time(const truce_agreement *a, int64_t instant_s, char buf[32])
{
    truce_civil c;
    truce_tz_utc_to_local(a->tz, instant_s, &c);
    snprintf(buf, 32, "%04d-%02d-%02d %02d:%02d", c.year % 100000, c.month % 100, c.day % 100,
             c.hour % 100, c.minute % 100);
}

void trc_report_validity(html_buf *b, const truce_validity *v)
{
    int from = v->from_s != TRUCE_TIME_MIN, until = v->until_s != TRUCE_TIME_MAX;
    if (!from && !until) {
        trc_html_puts(b, "throughout");
        return;
    }
    if (from) {
        trc_html_puts(b, "from ");
        trc_html_text(b, v->from_text);
    }
    if (until) {
        trc_html_puts(b, from ? " until " : "until ");
        trc_html_text(b, v->until_text);
    }
}

/* The event's local start: the date, and the time when the report gives
 * one (an interval that is not whole local days). */
static void event_when(const truce_report *r, const truce_event *ev, char buf[32])
{
    truce_civil c;
    truce_tz_utc_to_local(r->a->tz, ev->start_s, &c);
    int whole_days =
        c.hour == 0 && c.minute == 0 && c.second == 0 && ev->end_s - ev->start_s >= 82800;
    if (whole_days)
        snprintf(buf, 32, "%04d-%02d-%02d", c.year % 100000, c.month % 100, c.day % 100);
    else
        trc_report_local_time(r->a, ev->start_s, buf);
}

static const char *verdict_label(truce_map_class c)
{
    static const char *const names[TRUCE_MAP_NCLASSES] = {"violation", "possible", "none",
                                                          "before ceasefire"};
    return names[c];
}

/* The cells both tables share: id, local date, verdict. */
static void row_start(html_buf *b, const truce_report *r, const truce_event *ev, truce_map_class c)
{
    char when[32];
    event_when(r, ev, when);
    trc_html_printf(b, "<tr class=\"v-%s\"><td>", truce_map_class_name(c));
    trc_html_text_cut(b, ev->id, r->opt.max_cell_bytes);
    trc_html_printf(b, "</td><td>%s</td><td>%s</td>", when, verdict_label(c));
}

/* A cell of text from input; `open` is its start tag. */
static void cell_as(html_buf *b, const truce_report *r, const char *open, const char *s)
{
    trc_html_puts(b, open);
    trc_html_text_cut(b, s, r->opt.max_cell_bytes);
    trc_html_puts(b, "</td>");
}

static void cell(html_buf *b, const truce_report *r, const char *s)
{
    cell_as(b, r, "<td>", s);
}

/* A cell of prose (reasons, notes) that gets room before short ones. */
static void wide_cell(html_buf *b, const truce_report *r, const char *s)
{
    cell_as(b, r, "<td class=\"wide\">", s);
}

static void fatalities_cell(html_buf *b, const truce_event *ev)
{
    if (ev->fatalities >= 0)
        trc_html_printf(b, "<td class=\"num\">%lld</td>", (long long)ev->fatalities);
    else
        trc_html_puts(b, "<td class=\"num\"></td>");
}

/* Two actors as "A vs B" (either may be absent). */
static void actors_cell(html_buf *b, const truce_report *r, const truce_event *ev)
{
    trc_html_puts(b, "<td>");
    trc_html_text_cut(b, ev->actor1, r->opt.max_cell_bytes);
    if (ev->actor1 && ev->actor2)
        trc_html_puts(b, " <i>vs</i> ");
    trc_html_text_cut(b, ev->actor2, r->opt.max_cell_bytes);
    trc_html_puts(b, "</td>");
}

static void violation_row(truce_report *r, const truce_event *ev, const truce_verdict *v,
                          truce_map_class c)
{
    html_buf *b = &r->violations;
    row_start(b, r, ev, c);
    cell(b, r, v->rule ? v->rule->id : NULL);
    wide_cell(b, r, v->reason);
    cell(b, r, ev->event_type);
    actors_cell(b, r, ev);
    cell(b, r, ev->place);
    fatalities_cell(b, ev);
    wide_cell(b, r, ev->notes);
    cell_as(b, r, "<td class=\"url\">", ev->sources); /* they cite URLs: text, not links */
    trc_html_puts(b, "</tr>\n");
    r->nviolation_rows++;
}

static void event_row(truce_report *r, const truce_event *ev, const truce_verdict *v,
                      truce_map_class c)
{
    html_buf *b = &r->events;
    row_start(b, r, ev, c);
    cell(b, r, ev->event_type);
    actors_cell(b, r, ev);
    cell(b, r, ev->place);
    fatalities_cell(b, ev);
    if (ev->has_location)
        trc_html_printf(b, "<td class=\"num\">%.5f</td><td class=\"num\">%.5f</td>", ev->lat,
                        ev->lon);
    else
        trc_html_puts(b, "<td></td><td></td>");
    wide_cell(b, r, v->reason);
    trc_html_puts(b, "</tr>\n");
    r->nevent_rows++;
}

/* Keep what the map needs: the place, class, fatalities, id and the
 * marker's tooltip (truce_map_mark_label, as truce map draws it). */
static truce_status add_mark(truce_report *r, const truce_event *ev, const truce_verdict *v)
{
    if (r->nmarks == r->marks_cap) {
        size_t cap = r->marks_cap ? r->marks_cap * 2 : 256;
        report_mark *m = trc_realloc(r->marks, cap * sizeof *m);
        if (!m)
            return TRUCE_E_NOMEM;
        r->marks = m;
        r->marks_cap = cap;
    }
    char label[TRUCE_MAP_LABEL_MAX];
    size_t n = truce_map_mark_label(r->a, ev, v, label, sizeof label);
    report_mark *m = &r->marks[r->nmarks];
    *m = (report_mark){ev->lon,   ev->lat,          ev->fatalities,        r->strings.len,
                       0,         ev->has_location, truce_map_class_of(v), ev->has_sector,
                       ev->sector};
    trc_html_raw(&r->strings, ev->id, strlen(ev->id) + 1);
    m->label_at = r->strings.len;
    trc_html_raw(&r->strings, label, n + 1);
    if (r->strings.error)
        return r->strings.error;
    r->nmarks++;
    return TRUCE_OK;
}

truce_status truce_report_add_event(truce_report *r, const truce_event *ev, const truce_verdict *v)
{
    if (!r || !ev || !v || !ev->id)
        return TRUCE_E_ARG;
    truce_map_class c = truce_map_class_of(v);
    truce_status st = truce_stats_add(r->stats, ev, v);
    if (!st)
        st = truce_timeline_series_add_event(&r->series, r->a->tz, ev, c, NULL);
    if (!st)
        st = add_mark(r, ev, v);
    if (st)
        return st;
    if (c == TRUCE_MAP_VIOLATION || c == TRUCE_MAP_POSSIBLE) {
        if (r->nviolation_rows < r->opt.max_violation_rows)
            violation_row(r, ev, v, c);
        r->nviolations++;
    }
    if (r->nevent_rows < r->opt.max_event_rows)
        event_row(r, ev, v, c);
    r->nevents++;
    r->nclass[c]++;
    return r->violations.error ? r->violations.error : r->events.error;
}

truce_status truce_report_add_input(truce_report *r, const truce_report_input *in)
{
    if (!r || !in || !in->path)
        return TRUCE_E_ARG;
    report_input *p = trc_realloc(r->inputs, (r->ninputs + 1) * sizeof *p);
    if (!p)
        return TRUCE_E_NOMEM;
    r->inputs = p;
    report_input *x = &p[r->ninputs];
    *x = (report_input){truce_strdup(in->path),
                        in->format ? truce_strdup(in->format) : NULL,
                        in->bytes,
                        in->read,
                        in->accepted,
                        in->rejected};
    if (!x->path || (in->format && !x->format)) {
        trc_free(x->path);
        trc_free(x->format);
        return TRUCE_E_NOMEM;
    }
    r->ninputs++;
    return TRUCE_OK;
}

truce_status truce_report_add_gpx(truce_report *r, const truce_gpx *gpx, int64_t bytes)
{
    if (!r || !gpx)
        return TRUCE_E_ARG;
    report_gpx *p = trc_realloc(r->gpx, (r->ngpx + 1) * sizeof *p);
    if (!p)
        return TRUCE_E_NOMEM;
    r->gpx = p;
    p[r->ngpx++] = (report_gpx){gpx, bytes};
    return TRUCE_OK;
}

truce_status truce_report_set_aid(truce_report *r, const truce_aid *aid)
{
    if (!r || !aid || !truce_aid_result_get(aid) || truce_aid_agreement(aid) != r->a)
        return TRUCE_E_ARG;
    r->aid = aid;
    return truce_stats_set_aid(r->stats, aid);
}
