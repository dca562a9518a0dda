/* The HTML report's page: head (CSP, CSS), sections in order, footer and the
 * small script that sorts and filters tables (report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"
#include "truce/version.h"

/* The page is polyglot markup: HTML5 that is also well-formed XML (void
 * elements closed with "/>", the script in CDATA), so `xmllint --noout`
 * checks all of it.
 *
 * Nothing may be fetched: no default source, so no fetch, image, font,
 * frame, media or connection; inline style only; no <base>, no form.  The
 * one script runs by its hash, not as "any inline script", so a <script>
 * that slipped in (text from input is escaped, never markup) would not run.
 * SCRIPT_SHA256 is the SHA-256 of the script element's text (the CDATA
 * markers, `script` and the newlines around them), base64: changing the
 * script means changing it, and tests/cli/test_report.sh (html_check.py,
 * fact script_csp) prints the value to paste when they disagree. */
#define SCRIPT_SHA256 "y8BAq5xc+W8epj+QQ2NXqw7ZwZiYXaCUj1CF9FO9iHk="
static const char csp[] = "default-src 'none'; style-src 'unsafe-inline'; "
                          "script-src 'sha256-" SCRIPT_SHA256 "'; base-uri 'none'; "
                          "form-action 'none'";

static const char css[] =
    ":root{--ink:#1d2327;--muted:#5f6b73;--rule:#d8dde1}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',"
    "sans-serif;color:var(--ink);background:#f4f5f6}\n"
    "header,main,footer{max-width:1240px;margin:0 auto;padding:0 20px}\n"
    "header{padding-top:18px}\n"
    "h1{font-size:24px;margin:6px 0 2px}h2{font-size:19px;margin:0 0 10px;"
    "border-bottom:2px solid var(--rule);padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}\n"
    ".sub{color:var(--muted);margin:0 0 10px}\n"
    "nav{display:flex;flex-wrap:wrap;gap:4px 14px;margin:8px 0 14px;font-size:14px}\n"
    "nav a{color:#1f5f8b;text-decoration:none}nav a:hover{text-decoration:underline}\n"
    "section{background:#fff;border:1px solid var(--rule);border-radius:6px;padding:14px 18px;"
    "margin:0 0 16px}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:10px}\n"
    ".card{flex:1 1 150px;border:1px solid var(--rule);border-radius:6px;padding:8px 12px;"
    "background:#fafbfb}\n"
    ".card b{display:block;font-size:22px}.card span{color:var(--muted);font-size:13px}\n"
    ".card.violation b{color:var(--violation)}.card.possible b{color:#b35a00}\n"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;margin:0}\n"
    "dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}\n"
    "figure{margin:0}figure svg{max-width:100%;height:auto;display:block;margin:0 auto}\n"
    "figcaption{color:var(--muted);font-size:13px;margin-top:6px}\n"
    ".scroll{overflow-x:auto}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px;margin:4px 0 8px}\n"
    "th,td{text-align:left;vertical-align:top;padding:3px 7px;border-bottom:1px solid #e8ebed}\n"
    "th{background:#eef1f3;position:sticky;top:0;white-space:nowrap}\n"
    "th.sort{cursor:pointer}th[aria-sort=ascending]::after{content:' \\25B2'}"
    "th[aria-sort=descending]::after{content:' \\25BC'}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "table.events td{overflow-wrap:break-word}table.events td.wide{min-width:12em}"
    "table.events td.url{overflow-wrap:anywhere;min-width:8em}"
    "table.events td:nth-child(2){white-space:nowrap}\n"
    "tbody tr:nth-child(even){background:#fafbfb}\n"
    "tr.v-violation td:first-child{border-left:4px solid var(--violation)}\n"
    "tr.v-possible td:first-child{border-left:4px solid var(--possible)}\n"
    "tr.v-none td:first-child{border-left:4px solid var(--none)}\n"
    "tr.v-before td:first-child{border-left:4px solid var(--before)}\n"
    ".controls{display:flex;gap:8px;align-items:center;margin:4px 0;font-size:13px}\n"
    ".controls input{flex:0 1 280px;padding:3px 6px}.controls span{color:var(--muted)}\n"
    ".note{background:#fff8e5;border-left:4px solid #e6b800;padding:6px 10px;font-size:14px}\n"
    "footer{color:var(--muted);font-size:13px;padding-bottom:30px}\n"
    "footer table{font-size:12px}\n"
    "details.page>summary{cursor:pointer;color:#1f5f8b;margin:4px 0}\n"
    "@media print{body{background:#fff;font-size:11pt}nav,.controls{display:none}"
    "header,main,footer{max-width:none;padding:0}"
    "section{border:0;padding:0;margin:0 0 14pt;break-inside:auto}"
    "h2{break-after:avoid}figure{break-inside:avoid}"
    "th{position:static}tr{break-inside:avoid}table{font-size:8.5pt}"
    "tr[hidden]{display:table-row}}\n";

/* Sorting by a click on a header (numbers for th.num) and, above tables of
 * events, a filter box and a verdict choice; added by the script, so a page
 * read without it shows no control that does nothing.  A "rowset" is one
 * table or the pages of one (report.h): sorting and filtering take all its
 * rows, pages keep their sizes, and a page with no row left is hidden. */
static const char script[] =
    "(function(){'use strict';\n"
    "function each(l,f){Array.prototype.forEach.call(l,f);}\n"
    "function val(r,i,num){var t=r.cells[i]?r.cells[i].textContent:'';"
    "if(!num)return t.toLowerCase();var x=parseFloat(t);return isNaN(x)?-Infinity:x;}\n"
    "each(document.querySelectorAll('.rowset'),function(set){\n"
    " var tables=set.querySelectorAll('table'),bodies=[],sizes=[],rows=[],filter=null;\n"
    " each(tables,function(t){var b=t.tBodies[0];bodies.push(b);sizes.push(b.rows.length);"
    "each(b.rows,function(r){rows.push(r);});});\n"
    " each(tables,function(t){each(t.tHead.rows[0].cells,function(th,i){\n"
    "  th.classList.add('sort');th.tabIndex=0;\n"
    "  function go(){var dir=th.getAttribute('aria-sort')==='ascending'?-1:1,"
    "num=th.classList.contains('num');\n"
    "   rows.sort(function(a,b){var x=val(a,i,num),y=val(b,i,num);return(x<y?-1:x>y?1:0)*dir;});\n"
    "   each(tables,function(u){each(u.tHead.rows[0].cells,function(h,k){if(k===i)"
    "h.setAttribute('aria-sort',dir>0?'ascending':'descending');else "
    "h.removeAttribute('aria-sort');});});\n"
    "   var k=0;bodies.forEach(function(b,p){var f=document.createDocumentFragment();"
    "for(var n=0;n<sizes[p];n++)f.appendChild(rows[k++]);b.appendChild(f);});\n"
    "   if(filter)filter();}\n"
    "  th.addEventListener('click',go);th.addEventListener('keydown',function(e){"
    "if(e.key==='Enter'||e.key===' '){e.preventDefault();go();}});});});\n"
    " if(!set.classList.contains('events'))return;\n"
    " var box=document.createElement('div'),q=document.createElement('input'),"
    "sel=document.createElement('select'),n=document.createElement('span');\n"
    " box.className='controls';q.type='search';q.placeholder='filter rows';"
    "q.setAttribute('aria-label','filter rows');sel.setAttribute('aria-label','verdict');\n"
    " [['','all verdicts'],['violation','violation'],['possible','possible'],['none','none'],"
    "['before','before ceasefire']].forEach(function(o){var e=document.createElement('option');"
    "e.value=o[0];e.textContent=o[1];sel.appendChild(e);});\n"
    " filter=function(){var s=q.value.toLowerCase(),v=sel.value,all=0,first=true;\n"
    "  bodies.forEach(function(b){var k=0;each(b.rows,function(r){var show=(!v||r.className==="
    "'v-'+v)&&(!s||r.textContent.toLowerCase().indexOf(s)>=0);r.hidden=!show;if(show)k++;});\n"
    "   all+=k;var page=b.parentNode.parentNode.parentNode;if(page.tagName==='DETAILS'){"
    "page.hidden=!k;if(k&&first&&(s||v))page.open=true;}if(k)first=false;});\n"
    "  n.textContent=all+' of '+rows.length+' rows shown';};\n"
    " q.addEventListener('input',filter);sel.addEventListener('change',filter);\n"
    " box.appendChild(q);box.appendChild(sel);box.appendChild(n);"
    "set.insertBefore(box,set.firstChild);filter();});\n"
    "window.addEventListener('beforeprint',function(){each(document.querySelectorAll("
    "'details:not(.page)'),function(d){d.open=true;});});\n"
    "})();\n";

static const char *page_title(const truce_report *r)
{
    return r->opt.title  ? r->opt.title
           : r->a->title ? r->a->title
           : r->a->id    ? r->a->id
                         : "truce report";
}

static void head(html_buf *b, const truce_report *r)
{
    trc_html_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    trc_html_printf(b, "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\"/>\n", csp);
    trc_html_puts(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                     "<meta name=\"referrer\" content=\"no-referrer\"/>\n"
                     "<meta name=\"generator\" content=\"truce ");
    trc_html_text(b, truce_version());
    trc_html_puts(b, "\"/>\n<title>");
    trc_html_text(b, page_title(r));
    trc_html_puts(b, " \xe2\x80\x94 truce report</title>\n<style>\n");
    /* The classes' colours are the map's and the timeline's. */
    trc_html_puts(b, ":root{");
    for (int c = 0; c < TRUCE_MAP_NCLASSES; c++)
        trc_html_printf(b, "--%s:%s;", truce_map_class_name((truce_map_class)c),
                        truce_map_class_colour((truce_map_class)c));
    trc_html_puts(b, "}\n");
    trc_html_puts(b, css);
    trc_html_puts(b, "</style>\n</head>\n<body>\n<header>\n<h1>");
    trc_html_text(b, page_title(r));
    trc_html_puts(b, "</h1>\n<p class=\"sub\">Ceasefire monitoring report");
    if (r->a->id) {
        trc_html_puts(b, " \xe2\x80\x94 agreement <b>");
        trc_html_text(b, r->a->id);
        trc_html_puts(b, "</b>");
    }
    trc_html_printf(b, " \xe2\x80\x94 %llu events judged</p>\n", (unsigned long long)r->nevents);
    trc_html_puts(b, "<nav aria-label=\"sections\"><a href=\"#figures\">key figures</a>"
                     "<a href=\"#agreement\">agreement</a><a href=\"#map\">map</a>"
                     "<a href=\"#timeline\">timeline</a><a href=\"#statistics\">statistics</a>"
                     "<a href=\"#violations\">violations</a><a href=\"#events\">events</a>");
    if (r->ngpx)
        trc_html_puts(b, "<a href=\"#patrols\">patrols</a><a href=\"#patrol-summary\">across "
                         "tracks</a>");
    if (r->aid || r->a->nneeds)
        trc_html_puts(b, "<a href=\"#humanitarian\">humanitarian provisions</a>");
    trc_html_puts(b, "<a href=\"#provenance\">provenance</a></nav>\n</header>\n<main>\n");
}

static void key_figures(html_buf *b, truce_report *r)
{
    truce_stats_summary s;
    truce_stats_summarise(r->stats, &s);
    trc_html_puts(b, "<section id=\"figures\"><h2>Key figures</h2><div class=\"cards\">\n");
    trc_html_printf(b, "<div class=\"card\"><b>%llu</b><span>events judged</span></div>\n",
                    (unsigned long long)r->nevents);
    trc_html_printf(b, "<div class=\"card violation\"><b>%llu</b><span>violations</span></div>\n",
                    (unsigned long long)s.violations);
    trc_html_printf(
        b, "<div class=\"card possible\"><b>%llu</b><span>possible violations</span></div>\n",
        (unsigned long long)s.possible);
    if (s.has_ratio)
        trc_html_printf(
            b,
            "<div class=\"card\"><b>%.3g</b><span>rate ratio of hostile events, %d days "
            "after / before (95%% CI %.3g to %.3g)</span></div>\n",
            s.rate_ratio, s.window_days, s.ratio_lo, s.ratio_hi);
    if (s.has_last_violation)
        trc_html_printf(b,
                        "<div class=\"card\"><b>%.1f</b><span>days since the last violation</span>"
                        "</div>\n",
                        s.days_since_last_violation);
    trc_html_printf(b,
                    "<div class=\"card\"><b>%lld / %lld</b><span>fatalities %d days before / after"
                    "</span></div>\n",
                    (long long)s.fatalities_before, (long long)s.fatalities_after, s.window_days);
    trc_html_puts(b, "</div></section>\n");
}

/* Rows of a table of events in pages of TRUCE_REPORT_PAGE_ROWS (report.h):
 * one table when they fit in one, else a <details> per page, the first
 * open.  `head` is the table's <tr> of headers; `rows` holds `nrows` rows,
 * each ending "</tr>\n". */
/* The end of the row that starts at p: past its "</tr>\n" (escaped text
 * holds no "<", so no cell can), or `end`.  memchr, not strstr: strstr
 * looks for the end of the whole rest of the buffer each time (under
 * AddressSanitizer at least), which made 36,000 rows take two minutes. */
static const char *row_end(const char *p, const char *end)
{
    const char *q = p;
    while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
        if (q - p >= 5 && !memcmp(q - 5, "</tr>", 5))
            return q + 1;
        q++;
    }
    return end;
}

static void paged_table(html_buf *b, const char *head, const html_buf *rows, size_t nrows)
{
    const char *p = rows->p, *end = rows->p + rows->len;
    int paged = nrows > TRUCE_REPORT_PAGE_ROWS;
    trc_html_puts(b, "<div class=\"rowset events\">\n");
    for (size_t first = 0; first < nrows; first += TRUCE_REPORT_PAGE_ROWS) {
        size_t n = nrows - first < TRUCE_REPORT_PAGE_ROWS ? nrows - first : TRUCE_REPORT_PAGE_ROWS;
        const char *q = p;
        for (size_t i = 0; i < n && q < end; i++)
            q = row_end(q, end);
        if (paged)
            trc_html_printf(b,
                            "<details class=\"page\"%s><summary>rows %zu to %zu of %zu</summary>\n",
                            first ? "" : " open=\"open\"", first + 1, first + n, nrows);
        trc_html_printf(
            b, "<div class=\"scroll\"><table class=\"events\"><thead>%s</thead>\n<tbody>\n", head);
        trc_html_raw(b, p, (size_t)(q - p));
        trc_html_puts(b, "</tbody></table></div>\n");
        if (paged)
            trc_html_puts(b, "</details>\n");
        p = q;
    }
    trc_html_puts(b, "</div>\n");
}

#define EVENT_HEADS "<th>id</th><th>local date</th><th>verdict</th>"

/* The words of a capped table's note: "the first 5 events" (or "the first
 * 5" when `noun` is NULL; "the first event" / "the first one" for 1) and
 * "the other 31 are left out" ("the other one is left out" for 1). */
static void listed_and_left_out(size_t listed, uint64_t left, const char *noun, char first[64],
                                char rest[64])
{
    if (listed == 1)
        snprintf(first, 64, "the first %.20s", noun ? noun : "one");
    else
        snprintf(first, 64, "the first %zu%s%.20s%s", listed, noun ? " " : "", noun ? noun : "",
                 noun ? "s" : "");
    if (left == 1)
        snprintf(rest, 64, "the other one is left out");
    else
        snprintf(rest, 64, "the other %llu are left out", (unsigned long long)left);
}

static void violations_section(html_buf *b, const truce_report *r)
{
    trc_html_printf(
        b, "<section id=\"violations\"><h2>Violations and possible violations (%llu)</h2>\n",
        (unsigned long long)r->nviolations);
    if (!r->nviolations) {
        trc_html_puts(b,
                      "<p>No event breaks or may break a rule of the agreement.</p></section>\n");
        return;
    }
    trc_html_puts(b, "<p>Every event that breaks a rule (violation) or may break one (possible: "
                     "only an uncertain place or time stands between it and a violation), with the "
                     "rule and the reason, in input order.</p>\n");
    if (r->nviolation_rows < r->nviolations) {
        char first[64], rest[64];
        listed_and_left_out(r->nviolation_rows, r->nviolations - r->nviolation_rows, NULL, first,
                            rest);
        trc_html_printf(
            b,
            "<p class=\"note\">This table lists %s in input order; %s to keep the page "
            "usable in a browser. They are counted in the key figures, the timeline, the "
            "statistics and the map; <code>truce classify</code> lists every one.</p>\n",
            first, rest);
    }
    paged_table(
        b,
        "<tr>" EVENT_HEADS "<th>rule</th><th>reason</th><th>type</th><th>actors</th>"
        "<th>place</th><th class=\"num\">fatalities</th><th>notes</th><th>sources</th></tr>",
        &r->violations, r->nviolation_rows);
    trc_html_puts(b, "</section>\n");
}

static void events_section(html_buf *b, const truce_report *r)
{
    trc_html_printf(b, "<section id=\"events\"><h2>Events (%llu)</h2>\n",
                    (unsigned long long)r->nevents);
    if (r->nevent_rows < r->nevents) {
        char first[64], rest[64];
        listed_and_left_out(r->nevent_rows, r->nevents - r->nevent_rows, "event", first, rest);
        trc_html_printf(b,
                        "<p class=\"note\">This table lists %s in input order; %s so that the page "
                        "stays usable in a browser. They are all counted in the key figures, the "
                        "timeline, the statistics and the map, and the violations and possible "
                        "violations are listed above. <code>truce classify</code> lists every "
                        "event.</p>\n",
                        first, rest);
    }
    if (r->nevent_rows)
        paged_table(b,
                    "<tr>" EVENT_HEADS "<th>type</th><th>actors</th><th>place</th>"
                    "<th class=\"num\">fatalities</th><th class=\"num\">lat</th>"
                    "<th class=\"num\">lon</th><th>reason</th></tr>",
                    &r->events, r->nevent_rows);
    trc_html_puts(b, "</section>\n");
}

static void human_bytes(int64_t n, char buf[32])
{
    if (n < 0)
        snprintf(buf, 32, "unknown");
    else if (n < 10 * 1024)
        snprintf(buf, 32, "%lld bytes", (long long)n);
    else if (n < 10 * 1024 * 1024)
        snprintf(buf, 32, "%.1f KiB", (double)n / 1024);
    else
        snprintf(buf, 32, "%.1f MiB", (double)n / (1024 * 1024));
}

static void footer(html_buf *b, const truce_report *r)
{
    trc_html_puts(b, "</main>\n<footer id=\"provenance\"><h2>Data provenance</h2>\n<p>Agreement: "
                     "<code>");
    trc_html_text(b, r->a->path);
    trc_html_puts(b, "</code>");
    if (r->a->id) {
        trc_html_puts(b, " (id <code>");
        trc_html_text(b, r->a->id);
        trc_html_puts(b, "</code>)");
    }
    trc_html_puts(b, ".</p>\n");
    if (r->ninputs) {
        trc_html_puts(b,
                      "<table><thead><tr><th>event file</th><th>format</th><th class=\"num\">size"
                      "</th><th class=\"num\">rows read</th><th class=\"num\">accepted</th>"
                      "<th class=\"num\">rejected</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < r->ninputs; i++) {
            const report_input *in = &r->inputs[i];
            char size[32];
            human_bytes(in->bytes, size);
            trc_html_puts(b, "<tr><td><code>");
            trc_html_text(b, in->path);
            trc_html_puts(b, "</code></td><td>");
            trc_html_text(b, in->format ? in->format : "");
            trc_html_printf(b,
                            "</td><td class=\"num\">%s</td><td class=\"num\">%llu</td><td "
                            "class=\"num\">%llu</td><td class=\"num\">%llu</td></tr>\n",
                            size, (unsigned long long)in->read, (unsigned long long)in->accepted,
                            (unsigned long long)in->rejected);
        }
        trc_html_puts(b, "</tbody></table>\n");
    }
    for (size_t i = 0; i < r->ngpx; i++) {
        const truce_gpx *g = r->gpx[i].gpx;
        char size[32];
        human_bytes(r->gpx[i].bytes, size);
        size_t points = 0;
        for (size_t t = 0; t < g->ntracks; t++)
            points += g->tracks[t].npoints;
        trc_html_puts(b, "<p>GPX: <code>");
        trc_html_text(b, g->path ? g->path : "(unnamed)");
        trc_html_printf(b, "</code>, %s, %zu tracks, %zu points, %zu rejected.</p>\n", size,
                        g->ntracks, points, g->rejected);
    }
    if (r->opt.credit) {
        trc_html_puts(b, "<p>");
        trc_html_text(b, r->opt.credit);
        trc_html_puts(b, "</p>\n");
    }
    trc_html_puts(b, "<p>Made by truce ");
    trc_html_text(b, truce_version());
    if (r->opt.has_generated) {
        char utc[21];
        truce_time_format_utc(r->opt.generated_s, utc);
        trc_html_printf(b, " on %s", utc);
    }
    trc_html_puts(b, ". Verdicts, statistics and their definitions: truce's docs/classify.md and "
                     "docs/stats.md. Times are local to the agreement's time zone (");
    trc_html_text(b, r->a->timezone_name);
    trc_html_puts(b, ") unless marked UTC.</p>\n</footer>\n");
}

truce_status truce_report_write(truce_report *r, FILE *out)
{
    if (!r || !out)
        return TRUCE_E_ARG;
    html_buf b;
    trc_html_init(&b);
    head(&b, r);
    key_figures(&b, r);
    trc_report_agreement_section(&b, r);
    truce_status st = trc_report_figures_section(&b, r);
    if (!st)
        st = trc_report_stats_section(&b, r);
    if (!st) {
        violations_section(&b, r);
        events_section(&b, r);
        st = trc_report_patrol_section(&b, r);
        if (!st)
            trc_report_aid_section(&b, r);
    }
    if (!st) {
        footer(&b, r);
        /* In a CDATA section (commented out for HTML parsers) so that
         * the page is also well-formed XML, which xmllint checks whole,
         * inline SVG included. */
        trc_html_puts(&b, "<script>//<![CDATA[\n");
        trc_html_puts(&b, script);
        trc_html_puts(&b, "//]]></script>\n</body>\n</html>\n");
        st = b.error;
    }
    if (!st && fwrite(b.p, 1, b.len, out) != b.len)
        st = TRUCE_E_IO;
    trc_html_release(&b);
    return st;
}
