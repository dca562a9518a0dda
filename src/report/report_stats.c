/* The report's statistics: the numbers `truce stats` prints, from the same
 * accumulator (stats.h, docs/stats.md). */
#include <stdio.h>

#include "report/report_internal.h"

/* The summary lines of `truce stats`, word for word (truce_stats_line_text). */
static truce_status summary(html_buf *b, const truce_report *r, const truce_stats_summary *s)
{
    trc_html_puts(b, "<dl class=\"facts\">\n");
    for (int k = 0; k < TRUCE_STATS_NLINES; k++) {
        char line[TRUCE_STATS_LINE_MAX];
        truce_status st =
            truce_stats_line_text(r->stats, s, (truce_stats_line)k, 0, line, sizeof line);
        if (st)
            return st;
        trc_html_printf(b, "<dt>%s</dt><dd>", truce_stats_line_key((truce_stats_line)k));
        trc_html_text(b, line);
        if (k == TRUCE_STATS_LINE_LAST_VIOLATION && s->has_last_violation)
            trc_html_puts(b, " (the latest report's end)");
        trc_html_puts(b, "</dd>\n");
    }
    trc_html_puts(b, "</dl>\n");
    return TRUCE_OK;
}

static void days_table(html_buf *b, const truce_stats_day *days, size_t nd)
{
    size_t with_events = 0;
    for (size_t i = 0; i < nd; i++)
        with_events += days[i].events > 0;
    trc_html_printf(
        b,
        "<details><summary>Per day: %zu days of the window, %zu with events</summary>\n"
        "<div class=\"rowset\"><table><thead><tr><th>day</th><th class=\"num\">offset</th>"
        "<th class=\"num\">events</th><th class=\"num\">hostile</th><th class=\"num\">"
        "violations</th><th class=\"num\">possible</th><th class=\"num\">fatalities</th>"
        "</tr></thead><tbody>\n",
        nd, with_events);
    for (size_t i = 0; i < nd; i++)
        trc_html_printf(
            b,
            "<tr><td>%s</td><td class=\"num\">%d</td><td class=\"num\">%llu</td><td "
            "class=\"num\">%llu</td><td class=\"num\">%llu</td><td class=\"num\">%llu</td>"
            "<td class=\"num\">%lld</td></tr>\n",
            days[i].date, days[i].offset, (unsigned long long)days[i].events,
            (unsigned long long)days[i].hostile, (unsigned long long)days[i].violations,
            (unsigned long long)days[i].possible, (long long)days[i].fatalities);
    trc_html_puts(b, "</tbody></table></div></details>\n");
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
    trc_html_printf(b, "<h3>%s</h3>\n", title);
    if (!eligible) {
        trc_html_puts(b, "<p>(none)</p>\n");
        return TRUCE_OK;
    }
    trc_html_puts(
        b, "<div class=\"rowset\"><table><thead><tr><th>key</th><th class=\"num\">events</th>"
           "<th class=\"num\">violations</th><th class=\"num\">possible</th>"
           "<th class=\"num\">fatalities</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n && shown < max_rows; i++) {
        if (only_violations && !rows[i].violations)
            continue;
        trc_html_puts(b, "<tr><td>");
        trc_html_text_cut(b, rows[i].key, r->opt.max_cell_bytes);
        trc_html_printf(b,
                        "</td><td class=\"num\">%llu</td><td class=\"num\">%llu</td><td "
                        "class=\"num\">%llu</td><td class=\"num\">%lld</td></tr>\n",
                        (unsigned long long)rows[i].events, (unsigned long long)rows[i].violations,
                        (unsigned long long)rows[i].possible, (long long)rows[i].fatalities);
        shown++;
    }
    trc_html_puts(b, "</tbody></table></div>\n");
    if (shown < eligible)
        trc_html_printf(b, "<p>The first %zu of %zu rows, by violations then events.</p>\n", shown,
                        eligible);
    return TRUCE_OK;
}

/* Breakdowns list every key of a small input; past this many rows (a
 * generated file can name thousands of actors) the tail is left out. */
#define MAX_BREAKDOWN_ROWS 50

truce_status trc_report_stats_section(html_buf *b, truce_report *r)
{
    truce_stats_summary s;
    truce_status st = truce_stats_summarise(r->stats, &s);
    if (st)
        return st;
    size_t nd;
    const truce_stats_day *days = truce_stats_days(r->stats, &nd);
    trc_html_puts(b,
                  "<section id=\"statistics\"><h2>Is the ceasefire holding?</h2>\n"
                  "<p>The numbers of <code>truce stats</code>: an event is <i>hostile</i> when it "
                  "breaks a rule with the phase left aside, so rates before and after the "
                  "ceasefire compare like with like (docs/stats.md).</p>\n");
    st = summary(b, r, &s);
    if (st)
        return st;
    days_table(b, days, nd);
    st = breakdown(b, r, TRUCE_BY_CORRIDOR_KM, "Hotspots: corridor kilometres with violations", 1,
                   MAX_BREAKDOWN_ROWS);
    if (!st)
        st = breakdown(b, r, TRUCE_BY_PARTY, "By party", 0, MAX_BREAKDOWN_ROWS);
    if (!st)
        st = breakdown(b, r, TRUCE_BY_TYPE, "By event type", 0, MAX_BREAKDOWN_ROWS);
    if (!st)
        st = breakdown(b, r, TRUCE_BY_ZONE, "By zone (events inside)", 0, MAX_BREAKDOWN_ROWS);
    trc_html_puts(b, "</section>\n");
    return st;
}
