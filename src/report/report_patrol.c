/* The report's patrol results: every track of the GPX files judged against
 * the patrol route with the patrol API (patrol.h, docs/tracks.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "report/report_internal.h"
#include "truce/patrol.h"
#include "truce/patrol_summary.h"

static void duration(double s, char buf[32])
{
    long long whole = llround(s);
    snprintf(buf, 32, "%lld:%02lld:%02lld", whole / 3600, whole / 60 % 60, whole % 60);
}

static void track_row(html_buf *b, const truce_report *r, const truce_gpx *g, const truce_track *t,
                      const truce_patrol_result *p)
{
    char off[32];
    duration(p->off_route_s, off);
    trc_html_puts(b, "<tr><td>");
    trc_html_text(b, t->name ? t->name : "(no name)");
    trc_html_puts(b, "<br/><small>");
    trc_html_text(b, g->path ? g->path : "");
    trc_html_printf(b, ", line %ld</small></td><td>", t->line);
    if (isnan(p->start_s))
        trc_html_puts(b, "no times");
    else {
        char local[32];
        trc_report_local_time(r->a, (int64_t)floor(p->start_s), local);
        trc_html_printf(b, "%s", local);
    }
    trc_html_printf(b, "</td><td class=\"num\">%.1f%%</td><td class=\"num\">%.3f of %.3f</td><td>",
                    p->covered_fraction * 100, p->covered_m / 1e3, p->route_length_m / 1e3);
    if (!p->ngaps)
        trc_html_puts(b, "none");
    for (size_t i = 0; i < p->ngaps; i++)
        trc_html_printf(b, "%skm %.3f&#8211;%.3f", i ? "<br/>" : "", p->gaps[i].from_m / 1e3,
                        p->gaps[i].to_m / 1e3);
    trc_html_printf(b, "</td><td>%s, %.3f km, %zu of %zu points</td>", off, p->off_route_m / 1e3,
                    p->noff, p->npoints);
    trc_html_printf(b, "<td class=\"num\">%.1f m at km %.3f</td><td>", p->max_offset_m,
                    p->max_offset_chainage_m / 1e3);
    if (p->before_start)
        trc_html_puts(b, "<b>began before the route's start date</b>");
    if (p->after_end)
        trc_html_printf(b, "%s<b>ended after the route ceased to be in force</b>",
                        p->before_start ? "<br/>" : "");
    trc_html_puts(b, "</td></tr>\n");
}

static void day_text(int64_t day, char buf[11])
{
    int y, m, d;
    truce_civil_from_days(day, &y, &m, &d);
    snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

/* The summary across tracks that `truce patrol` prints (patrol_summary.h):
 * the period, the route covered by the tracks together, the days without a
 * patrol, and per stretch of the route how many tracks and days covered it,
 * bins that read alike merged into one row as `truce patrol` merges them. */
static truce_status summary(html_buf *b, const truce_report *r, const truce_patrol_route *route,
                            const truce_patrol_result *res, size_t n)
{
    truce_patrol_summary_options so;
    truce_patrol_summary_options_init(&so);
    truce_patrol_summary s;
    truce_status st = truce_patrol_summarize(route, r->a->tz, res, n, &so, &s);
    if (st == TRUCE_E_RANGE) {
        trc_html_puts(b, "<section id=\"patrol-summary\"><h2>Patrols across tracks</h2>\n"
                         "<p class=\"note\">No summary: its period would span more than a century "
                         "of days.</p>\n</section>\n");
        return TRUCE_OK;
    }
    if (st)
        return st;
    char d0[11], d1[11];
    trc_html_puts(b, "<section id=\"patrol-summary\"><h2>Patrols across tracks</h2>\n"
                     "<p>What <code>truce patrol</code> sums up over the tracks above: each track "
                     "counts for the local date it started on (docs/tracks.md, \"Across tracks\")."
                     "</p>\n<dl class=\"facts\">\n<dt>period</dt><dd>");
    if (s.from_day == TRUCE_NO_DAY) {
        trc_html_puts(b, "none (the route has no start date and no track has a time)");
    } else {
        day_text(s.from_day, d0);
        day_text(s.to_day, d1);
        trc_html_printf(b, "%s to %s (local dates), %zu day%s", d0, d1, s.ndays,
                        s.ndays == 1 ? "" : "s");
    }
    trc_html_printf(
        b,
        "</dd>\n<dt>tracks</dt><dd>%zu in the period, %zu left out (outside it or "
        "without times)</dd>\n<dt>covered</dt><dd>%.3f of %.3f km (%.1f%%) by the tracks "
        "together</dd>\n<dt>patrol days</dt><dd>%zu of %zu</dd>\n"
        "<dt>days without a patrol</dt><dd>",
        s.ntracks, s.nleft_out, s.covered_m / 1e3, s.route_length_m / 1e3, s.covered_fraction * 100,
        s.npatrol_days, s.ndays);
    if (!s.ndays_without)
        trc_html_puts(b, "none");
    else
        trc_html_printf(b, "%zu: <span class=\"days-without\">", s.ndays_without);
    for (size_t i = 0; i < s.ndays_without; i++) {
        day_text(s.days_without[i], d0);
        trc_html_printf(b, "%s%s", i ? ", " : "", d0);
    }
    trc_html_puts(b, s.ndays_without ? "</span></dd>\n</dl>\n" : "</dd>\n</dl>\n");
    trc_html_printf(b,
                    "<p>Per stretch of the route (bins of %g km; a track covered a bin when it "
                    "covered at least half of it; neighbouring bins that read alike share a row):"
                    "</p>\n<div class=\"rowset\"><table class=\"patrol-bins\"><thead><tr>"
                    "<th class=\"num\">from km</th><th class=\"num\">to km</th>"
                    "<th class=\"num\">tracks</th><th class=\"num\">days</th>"
                    "<th class=\"num\">of days</th><th class=\"num\">covered</th></tr></thead>"
                    "<tbody>\n",
                    so.bin_m / 1e3);
    for (size_t k = 0; k < s.nbins;) {
        size_t e = truce_patrol_summary_run_end(&s, k);
        const truce_patrol_bin *bin = &s.bins[k];
        trc_html_printf(b,
                        "<tr><td class=\"num\">%.3f</td><td class=\"num\">%.3f</td>"
                        "<td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
                        "<td class=\"num\">%.1f%%</td><td class=\"num\">%.1f%%</td></tr>\n",
                        bin->from_m / 1e3, s.bins[e - 1].to_m / 1e3, bin->tracks, bin->days,
                        s.ndays ? 100.0 * (double)bin->days / (double)s.ndays : 0.0,
                        bin->covered_fraction * 100);
        k = e;
    }
    trc_html_puts(b, "</tbody></table></div>\n</section>\n");
    truce_patrol_summary_release(&s);
    return TRUCE_OK;
}

truce_status trc_report_patrol_section(html_buf *b, const truce_report *r)
{
    if (!r->ngpx)
        return TRUCE_OK;
    const truce_patrol_route *route = r->opt.route_id ? truce_agreement_route(r->a, r->opt.route_id)
                                                      : (r->a->nroutes ? &r->a->routes[0] : NULL);
    if (!route)
        return TRUCE_E_NOT_FOUND;
    truce_patrol_options po;
    truce_patrol_options_init(&po);
    if (r->opt.patrol_tolerance_m > 0)
        po.tolerance_m = r->opt.patrol_tolerance_m;
    truce_patrol_checker *c = NULL;
    truce_status st = truce_patrol_checker_new(r->a, route, &po, &c);
    if (st)
        return st;
    trc_html_puts(b, "<section id=\"patrols\"><h2>Patrols</h2>\n<p>Each GPS track judged against "
                     "patrol route <b>");
    trc_html_text(b, route->id);
    trc_html_printf(b,
                    "</b> (%.3f km): a point within %g m of the route is on it; covered is the "
                    "length of route driven along, gaps the stretches not covered (docs/tracks.md)."
                    "</p>\n",
                    route->length_m / 1e3, po.tolerance_m);
    trc_html_puts(b, "<div class=\"scroll\"><div class=\"rowset\"><table><thead><tr><th>track</th>"
                     "<th>start (local)</th><th class=\"num\">covered</th><th class=\"num\">km</th>"
                     "<th>gaps</th><th>off route</th><th class=\"num\">worst offset</th>"
                     "<th>flags</th></tr></thead><tbody>\n");
    /* Every track's result is kept for the summary across tracks. */
    truce_patrol_result *res = NULL;
    size_t nres = 0, cap = 0;
    for (size_t i = 0; !st && i < r->ngpx; i++) {
        const truce_gpx *g = r->gpx[i].gpx;
        for (size_t t = 0; !st && t < g->ntracks; t++) {
            if (nres == cap) {
                cap = cap ? 2 * cap : 16;
                truce_patrol_result *p = trc_realloc(res, cap * sizeof *p);
                if (!p) {
                    st = TRUCE_E_NOMEM;
                    break;
                }
                res = p;
            }
            st = truce_patrol_check(c, &g->tracks[t], &res[nres]);
            if (st)
                break;
            track_row(b, r, g, &g->tracks[t], &res[nres]);
            nres++;
        }
    }
    trc_html_puts(b, "</tbody></table></div></div></section>\n");
    if (!st)
        st = summary(b, r, route, res, nres);
    for (size_t i = 0; i < nres; i++)
        truce_patrol_result_release(&res[i]);
    trc_free(res);
    truce_patrol_checker_free(c);
    return st;
}
