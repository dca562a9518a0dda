/* The report's patrol results: every track of the GPX files judged against
 * the patrol route with the patrol API (patrol.h, docs/tracks.md). */
#include <math.h>
#include <stdio.h>

#include "report_internal.h"
#include "truce/patrol.h"

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
    html_puts(b, "<tr><td>");
    html_text(b, t->name ? t->name : "(no name)");
    html_puts(b, "<br/><small>");
    html_text(b, g->path ? g->path : "");
    html_printf(b, ", line %ld</small></td><td>", t->line);
    if (isnan(p->start_s))
        html_puts(b, "no times");
    else {
        char local[32];
        report_local_time(r->a, (int64_t)floor(p->start_s), local);
        html_printf(b, "%s", local);
    }
    html_printf(b, "</td><td class=\"num\">%.1f%%</td><td class=\"num\">%.3f of %.3f</td><td>",
                p->covered_fraction * 100, p->covered_m / 1e3, p->route_length_m / 1e3);
    if (!p->ngaps)
        html_puts(b, "none");
    for (size_t i = 0; i < p->ngaps; i++)
        html_printf(b, "%skm %.3f&#8211;%.3f", i ? "<br/>" : "", p->gaps[i].from_m / 1e3,
                    p->gaps[i].to_m / 1e3);
    html_printf(b, "</td><td>%s, %.3f km, %zu of %zu points</td>", off, p->off_route_m / 1e3,
                p->noff, p->npoints);
    html_printf(b, "<td class=\"num\">%.1f m at km %.3f</td><td>", p->max_offset_m,
                p->max_offset_chainage_m / 1e3);
    if (p->before_start)
        html_puts(b, "<b>began before the route's start date</b>");
    if (p->after_end)
        html_printf(b, "%s<b>ended after the route ceased to be in force</b>",
                    p->before_start ? "<br/>" : "");
    html_puts(b, "</td></tr>\n");
}

truce_status report_patrol_section(html_buf *b, const truce_report *r)
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
    html_puts(b, "<section id=\"patrols\"><h2>Patrols</h2>\n<p>Each GPS track judged against "
                 "patrol route <b>");
    html_text(b, route->id);
    html_printf(b,
                "</b> (%.3f km): a point within %g m of the route is on it; covered is the "
                "length of route driven along, gaps the stretches not covered (docs/tracks.md)."
                "</p>\n",
                route->length_m / 1e3, po.tolerance_m);
    html_puts(b, "<div class=\"scroll\"><div class=\"rowset\"><table><thead><tr><th>track</th>"
                 "<th>start (local)</th><th class=\"num\">covered</th><th class=\"num\">km</th>"
                 "<th>gaps</th><th>off route</th><th class=\"num\">worst offset</th>"
                 "<th>flags</th></tr></thead><tbody>\n");
    for (size_t i = 0; !st && i < r->ngpx; i++) {
        const truce_gpx *g = r->gpx[i].gpx;
        for (size_t t = 0; !st && t < g->ntracks; t++) {
            truce_patrol_result p;
            st = truce_patrol_check(c, &g->tracks[t], &p);
            if (st)
                break;
            track_row(b, r, g, &g->tracks[t], &p);
            truce_patrol_result_release(&p);
        }
    }
    html_puts(b, "</tbody></table></div></div></section>\n");
    truce_patrol_checker_free(c);
    return st;
}
