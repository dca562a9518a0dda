/* The report's statistics: the numbers `truce stats` prints, from the same
 * accumulator (stats.h, docs/stats.md). */
#include <math.h>
#include <stdio.h>

#include "report_internal.h"

static void ratio_text(double x, char buf[24])
{
    if (isinf(x))
        snprintf(buf, 24, "infinite");
    else
        snprintf(buf, 24, "%.3g", x);
}

static void summary(html_buf *b, const truce_report *r, const truce_stats_summary *s,
                    const truce_stats_day *days, size_t nd)
{
    char utc[21];
    truce_time_format_utc(r->a->ceasefire_s, utc);
    html_printf(b,
                "<dl class=\"facts\">\n<dt>window</dt><dd>%d local days each side of the "
                "ceasefire (%s UTC): %s to %s</dd>\n",
                s->window_days, utc, days[0].date, days[nd - 1].date);
    html_printf(b,
                "<dt>events</dt><dd>%llu judged, %llu in the window; %llu violations, %llu "
                "possible</dd>\n",
                (unsigned long long)s->events, (unsigned long long)s->in_window,
                (unsigned long long)s->violations, (unsigned long long)s->possible);
    html_printf(b, "<dt>hostile</dt><dd>%llu in the %d days before, %llu in the %d days after",
                (unsigned long long)s->hostile_before, s->window_days,
                (unsigned long long)s->hostile_after, s->window_days);
    if (s->spanning)
        html_printf(b, " (%llu spanning the ceasefire left out)", (unsigned long long)s->spanning);
    html_puts(b, "</dd>\n<dt>rate ratio</dt><dd>");
    if (s->has_ratio) {
        char x[24], lo[24], hi[24];
        ratio_text(s->rate_ratio, x);
        ratio_text(s->ratio_lo, lo);
        ratio_text(s->ratio_hi, hi);
        html_printf(b, "%s after/before, 95%% CI %s to %s (exact conditional)", x, lo, hi);
    } else {
        html_puts(b, "no hostile events in the window");
    }
    html_puts(b, "</dd>\n<dt>last violation</dt><dd>");
    if (s->has_last_violation) {
        char when[21], ref[21];
        truce_time_format_utc(s->last_violation_s, when);
        truce_time_format_utc(s->reference_s, ref);
        html_printf(b, "%s, %.1f days before %s (the latest report's end)", when,
                    s->days_since_last_violation, ref);
    } else {
        html_puts(b, "none");
    }
    html_printf(b,
                "</dd>\n<dt>fatalities</dt><dd>%lld before, %lld after (in the window)</dd>\n"
                "</dl>\n",
                (long long)s->fatalities_before, (long long)s->fatalities_after);
}

static void days_table(html_buf *b, const truce_stats_day *days, size_t nd)
{
    size_t with_events = 0;
    for (size_t i = 0; i < nd; i++)
        with_events += days[i].events > 0;
    html_printf(b,
                "<details><summary>Per day: %zu days of the window, %zu with events</summary>\n"
                "<div class=\"rowset\"><table><thead><tr><th>day</th><th class=\"num\">offset</th>"
                "<th class=\"num\">events</th><th class=\"num\">hostile</th><th class=\"num\">"
                "violations</th><th class=\"num\">possible</th><th class=\"num\">fatalities</th>"
                "</tr></thead><tbody>\n",
                nd, with_events);
    for (size_t i = 0; i < nd; i++)
        html_printf(b,
                    "<tr><td>%s</td><td class=\"num\">%d</td><td class=\"num\">%llu</td><td "
                    "class=\"num\">%llu</td><td class=\"num\">%llu</td><td class=\"num\">%llu</td>"
                    "<td class=\"num\">%lld</td></tr>\n",
                    days[i].date, days[i].offset, (unsigned long long)days[i].events,
                    (unsigned long long)days[i].hostile, (unsigned long long)days[i].violations,
                    (unsigned long long)days[i].possible, (long long)days[i].fatalities);
    html_puts(b, "</tbody></table></div></details>\n");
}

/* A breakdown as a table; only rows with violations when `only_violations`;
 * at most `max_rows` rows, saying how many are left out. */
static truce_status breakdown(html_buf *b, truce_report *r, truce_stats_by by, const char *title,
                              int only_violations, size_t max_rows)
{
    const truce_stats_row *rows;
    size_t n, shown = 0, eligible = 0;
    truce_status st = truce_stats_breakdown(r->stats, by, &rows, &n);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++)
        eligible += !only_violations || rows[i].violations;
    html_printf(b, "<h3>%s</h3>\n", title);
    if (!eligible) {
        html_puts(b, "<p>(none)</p>\n");
        return TRUCE_OK;
    }
    html_puts(b, "<div class=\"rowset\"><table><thead><tr><th>key</th><th class=\"num\">events</th>"
                 "<th class=\"num\">violations</th><th class=\"num\">possible</th>"
                 "<th class=\"num\">fatalities</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n && shown < max_rows; i++) {
        if (only_violations && !rows[i].violations)
            continue;
        html_puts(b, "<tr><td>");
        html_text_cut(b, rows[i].key, r->opt.max_cell_bytes);
        html_printf(b,
                    "</td><td class=\"num\">%llu</td><td class=\"num\">%llu</td><td "
                    "class=\"num\">%llu</td><td class=\"num\">%lld</td></tr>\n",
                    (unsigned long long)rows[i].events, (unsigned long long)rows[i].violations,
                    (unsigned long long)rows[i].possible, (long long)rows[i].fatalities);
        shown++;
    }
    html_puts(b, "</tbody></table></div>\n");
    if (shown < eligible)
        html_printf(b, "<p>The first %zu of %zu rows, by violations then events.</p>\n", shown,
                    eligible);
    return TRUCE_OK;
}

/* Breakdowns list every key of a small input; past this many rows (a
 * generated file can name thousands of actors) the tail is left out. */
#define MAX_BREAKDOWN_ROWS 50

truce_status report_stats_section(html_buf *b, truce_report *r)
{
    truce_stats_summary s;
    truce_status st = truce_stats_summarise(r->stats, &s);
    if (st)
        return st;
    size_t nd;
    const truce_stats_day *days = truce_stats_days(r->stats, &nd);
    html_puts(b, "<section id=\"statistics\"><h2>Is the ceasefire holding?</h2>\n"
                 "<p>The numbers of <code>truce stats</code>: an event is <i>hostile</i> when it "
                 "breaks a rule with the phase left aside, so rates before and after the "
                 "ceasefire compare like with like (docs/stats.md).</p>\n");
    summary(b, r, &s, days, nd);
    days_table(b, days, nd);
    st = breakdown(b, r, TRUCE_BY_CORRIDOR_KM, "Hotspots: corridor kilometres with violations", 1,
                   MAX_BREAKDOWN_ROWS);
    if (!st)
        st = breakdown(b, r, TRUCE_BY_PARTY, "By party", 0, MAX_BREAKDOWN_ROWS);
    if (!st)
        st = breakdown(b, r, TRUCE_BY_TYPE, "By event type", 0, MAX_BREAKDOWN_ROWS);
    if (!st)
        st = breakdown(b, r, TRUCE_BY_ZONE, "By zone (events inside)", 0, MAX_BREAKDOWN_ROWS);
    html_puts(b, "</section>\n");
    return st;
}
