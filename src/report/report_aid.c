/* The report's "Humanitarian provisions" section: the result of truce aid
 * (aid.h, docs/aid.md) as tables -- places in need, access incidents,
 * returns and returns into danger; without a result, the agreement's places
 * in need alone. */
#include "report/report_internal.h"
#include "truce/aid_write.h"

static void day(html_buf *b, int64_t d)
{
    char buf[16];
    truce_aid_format_day(d, buf);
    trc_html_printf(b, "%s", buf);
}

static void places_table(html_buf *b, const truce_report *r, const truce_aid_result *res)
{
    trc_html_puts(b, "<div class=\"rowset\"><table class=\"aid-places\"><thead><tr>"
                     "<th>place in need</th><th class=\"num\">people in need</th>"
                     "<th class=\"num\">deliveries</th><th class=\"num\">trucks</th>"
                     "<th>last delivery</th><th class=\"num\">days since</th>"
                     "<th class=\"num\">longest gap (days)</th><th>target</th>"
                     "<th class=\"num\">access incidents</th><th class=\"num\">returnees</th>"
                     "</tr></thead><tbody>\n");
    for (size_t i = 0; i < r->a->nneeds; i++) {
        const truce_need *n = &r->a->needs[i];
        const truce_aid_place *p = res ? &res->places[i] : NULL;
        trc_html_puts(b, "<tr><td>");
        trc_html_text(b, n->name ? n->name : n->id);
        trc_html_puts(b, "<br/><small>");
        trc_html_text(b, n->id);
        trc_html_puts(b, "</small></td><td class=\"num\">");
        if (n->people_in_need >= 0)
            trc_html_printf(b, "%lld", (long long)n->people_in_need);
        if (!p) {
            trc_html_printf(b, "</td><td colspan=\"8\">%s</td></tr>\n", "no deliveries read");
            continue;
        }
        trc_html_printf(b, "</td><td class=\"num\">%llu</td><td class=\"num\">%lld</td><td>",
                        (unsigned long long)p->deliveries, (long long)p->trucks);
        if (p->reached)
            day(b, p->last_day);
        else
            trc_html_puts(b, "<b>never</b>");
        trc_html_puts(b, "</td><td class=\"num\">");
        if (p->reached)
            trc_html_printf(b, "%lld", (long long)p->days_since_last);
        trc_html_printf(b, "</td><td class=\"num\">%lld</td><td>", (long long)p->longest_gap_days);
        if (p->target < 0)
            trc_html_puts(b, "none");
        else
            trc_html_printf(b, "%s (every %d days)", p->target ? "met" : "<b>missed</b>",
                            n->reach_every_days);
        trc_html_printf(b, "</td><td class=\"num\">%llu</td><td class=\"num\">%lld</td></tr>\n",
                        (unsigned long long)p->access_incidents, (long long)p->returnees);
    }
    trc_html_puts(b, "</tbody></table></div>\n");
}

static void access_table(html_buf *b, const truce_aid_result *res)
{
    trc_html_puts(b, "<h3>Access incidents</h3>\n");
    size_t n = 0;
    for (int c = 1; c < TRUCE_ACCESS_NCATEGORIES; c++)
        n += res->access[c] > 0;
    if (!n) {
        trc_html_puts(b, "<p>No access incident in the period.</p>\n");
        return;
    }
    trc_html_puts(b, "<div class=\"rowset\"><table class=\"aid-access\"><thead><tr>"
                     "<th>category (OCHA access framework)</th><th class=\"num\">incidents</th>"
                     "</tr></thead><tbody>\n");
    for (int c = 1; c < TRUCE_ACCESS_NCATEGORIES; c++)
        if (res->access[c])
            trc_html_printf(b, "<tr><td>%s</td><td class=\"num\">%llu</td></tr>\n",
                            truce_access_category_label((truce_access_category)c),
                            (unsigned long long)res->access[c]);
    trc_html_puts(b, "</tbody></table></div>\n");
    if (!res->naccess_km)
        return;
    trc_html_puts(b, "<p>Along aid routes and corridors:</p>\n<div class=\"rowset\"><table "
                     "class=\"aid-km\"><thead><tr><th>line</th><th>kind</th>"
                     "<th class=\"num\">km</th><th class=\"num\">incidents</th></tr></thead>"
                     "<tbody>\n");
    for (size_t i = 0; i < res->naccess_km; i++) {
        trc_html_puts(b, "<tr><td>");
        trc_html_text(b, res->access_km[i].line);
        trc_html_printf(b,
                        "</td><td>%s</td><td class=\"num\">%lld</td><td class=\"num\">%llu</td>"
                        "</tr>\n",
                        res->access_km[i].is_corridor ? "corridor" : "aid route",
                        (long long)res->access_km[i].km,
                        (unsigned long long)res->access_km[i].incidents);
    }
    trc_html_puts(b, "</tbody></table></div>\n");
}

static void returns_tables(html_buf *b, const truce_aid_result *res)
{
    trc_html_puts(b, "<h3>Returns</h3>\n");
    if (!res->nreturns) {
        trc_html_puts(b, "<p>No returns in the period.</p>\n");
    } else {
        trc_html_puts(b, "<div class=\"rowset\"><table class=\"aid-returns\"><thead><tr>"
                         "<th>area</th><th>week of</th><th class=\"num\">people</th>"
                         "<th class=\"num\">households</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < res->nreturns; i++) {
            trc_html_puts(b, "<tr><td>");
            trc_html_text(b, res->returns[i].area);
            trc_html_puts(b, "</td><td>");
            day(b, res->returns[i].week_day);
            trc_html_printf(b, "</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr>\n",
                            (long long)res->returns[i].returnees,
                            (long long)res->returns[i].households);
        }
        trc_html_puts(b, "</tbody></table></div>\n");
    }
    trc_html_printf(b,
                    "<h3>Returns into danger (%zu)</h3>\n<p>Returns into a place where a "
                    "violation happened in the %d days before: the return's place in need, or "
                    "within %.0f m of it when it has none.</p>\n",
                    res->ndanger, res->window_days, res->radius_m);
    if (!res->ndanger)
        return;
    trc_html_puts(b, "<div class=\"rowset\"><table class=\"aid-danger\"><thead><tr>"
                     "<th>date</th><th>area</th><th class=\"num\">people</th>"
                     "<th>violations</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < res->ndanger; i++) {
        const truce_aid_danger *d = &res->danger[i];
        trc_html_puts(b, "<tr><td>");
        day(b, d->day);
        trc_html_puts(b, "</td><td>");
        trc_html_text(b, d->area);
        trc_html_puts(b, "</td><td class=\"num\">");
        if (d->returnees >= 0)
            trc_html_printf(b, "%lld", (long long)d->returnees);
        trc_html_puts(b, "</td><td>");
        for (size_t k = 0; k < d->nviolations; k++) {
            if (k)
                trc_html_puts(b, ", ");
            trc_html_text(b, d->violations[k]);
        }
        trc_html_puts(b, "</td></tr>\n");
    }
    trc_html_puts(b, "</tbody></table></div>\n");
}

void trc_report_aid_section(html_buf *b, const truce_report *r)
{
    const truce_aid_result *res = r->aid ? truce_aid_result_get(r->aid) : NULL;
    if (!res && !r->a->nneeds)
        return;
    trc_html_puts(b, "<section id=\"humanitarian\"><h2>Humanitarian provisions</h2>\n"
                     "<p>Aid to all who need it and the voluntary return of the displaced: "
                     "deliveries, access incidents and returns against the agreement's places in "
                     "need (docs/aid.md).</p>\n");
    if (res) {
        trc_html_puts(b, "<dl class=\"facts\">\n<dt>period</dt><dd>");
        if (res->has_period) {
            day(b, res->from_day);
            trc_html_puts(b, " to ");
            day(b, res->to_day);
        } else {
            trc_html_puts(b, "none (no records)");
        }
        trc_html_printf(b,
                        "</dd>\n<dt>records</dt><dd>%llu deliveries, %llu access incidents, "
                        "%llu returns; %llu outside the period</dd>\n<dt>unreached</dt><dd>",
                        (unsigned long long)res->records[TRUCE_AID_DELIVERY],
                        (unsigned long long)res->records[TRUCE_AID_ACCESS],
                        (unsigned long long)res->records[TRUCE_AID_RETURN],
                        (unsigned long long)res->outside_period);
        size_t shown = 0;
        for (size_t i = 0; i < res->nplaces; i++)
            if (!res->places[i].reached) {
                if (shown++)
                    trc_html_puts(b, ", ");
                trc_html_text(b, res->places[i].need->id);
            }
        trc_html_puts(b, shown ? "</dd>\n</dl>\n" : "none</dd>\n</dl>\n");
    }
    if (r->a->nneeds)
        places_table(b, r, res);
    if (res) {
        access_table(b, res);
        returns_tables(b, res);
    }
    trc_html_puts(b, "</section>\n");
}
