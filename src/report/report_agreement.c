/* The report's summary of the agreement: what `truce check` prints --
 * parties, the ceasefire in local time and UTC, zones, corridors with their
 * depths, patrol routes, rules and amendments (report.h). */
#include <stdio.h>

#include "report/report_internal.h"
#include "truce/amendment.h"

static void strings(html_buf *b, const truce_strings *s, const char *none)
{
    if (!s->count)
        trc_html_puts(b, none);
    for (size_t i = 0; i < s->count; i++) {
        if (i)
            trc_html_puts(b, ", ");
        trc_html_text(b, s->items[i]);
    }
}

static void offset_text(int32_t offset_s, char buf[16])
{
    int32_t m = offset_s < 0 ? -offset_s : offset_s;
    snprintf(buf, 16, "%c%02d:%02d", offset_s < 0 ? '-' : '+', (int)(m / 3600) % 100,
             (int)(m / 60 % 60));
}

static void facts(html_buf *b, const truce_agreement *a)
{
    char local[20], utc[21], off[16];
    truce_civil_format(&a->ceasefire_local, local);
    truce_time_format_utc(a->ceasefire_s, utc);
    offset_text(a->ceasefire_offset_s, off);
    trc_html_puts(b, "<dl class=\"facts\">\n");
    if (a->title) {
        trc_html_puts(b, "<dt>title</dt><dd>");
        trc_html_text(b, a->title);
        trc_html_puts(b, "</dd>\n");
    }
    trc_html_puts(b, "<dt>parties</dt><dd>");
    strings(b, &a->parties, "(none named)");
    trc_html_printf(b, "</dd>\n<dt>ceasefire</dt><dd><b>%s</b> ", local);
    trc_html_text(b, a->timezone_name);
    trc_html_printf(b, " (UTC%s) = <b>%s</b> UTC</dd>\n</dl>\n", off, utc);
}

static void zones(html_buf *b, const truce_agreement *a)
{
    trc_html_printf(b, "<h3>Zones (%zu)</h3>\n", a->nzones);
    if (!a->nzones)
        return;
    trc_html_puts(b, "<table><thead><tr><th>id</th><th>name</th><th class=\"num\">area (km&#178;)"
                     "</th><th>in force</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < a->nzones; i++) {
        const truce_zone *z = &a->zones[i];
        trc_html_puts(b, "<tr><td>");
        trc_html_text(b, z->id);
        trc_html_puts(b, "</td><td>");
        trc_html_text(b, z->name);
        trc_html_printf(b, "</td><td class=\"num\">%.1f</td><td>", z->area_m2 / 1e6);
        trc_report_validity(b, &z->valid);
        trc_html_puts(b, "</td></tr>\n");
    }
    trc_html_puts(b, "</tbody></table>\n");
}

static void corridors(html_buf *b, const truce_agreement *a)
{
    trc_html_printf(b, "<h3>Corridors (%zu)</h3>\n", a->ncorridors);
    if (!a->ncorridors)
        return;
    trc_html_puts(b, "<table><thead><tr><th>id</th><th>name</th><th class=\"num\">road (km)</th>"
                     "<th class=\"num\">depth left (m)</th><th class=\"num\">depth right (m)</th>"
                     "<th>in force</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < a->ncorridors; i++) {
        const truce_corridor_def *c = &a->corridors[i];
        trc_html_puts(b, "<tr><td>");
        trc_html_text(b, c->id);
        trc_html_puts(b, "</td><td>");
        trc_html_text(b, c->name);
        trc_html_printf(b,
                        "</td><td class=\"num\">%.3f</td><td class=\"num\">%.0f</td><td "
                        "class=\"num\">%.0f</td><td>",
                        c->length_m / 1e3, c->left_m, c->right_m);
        trc_report_validity(b, &c->valid);
        trc_html_puts(b, "</td></tr>\n");
    }
    trc_html_puts(b, "</tbody></table>\n");
}

static void routes(html_buf *b, const truce_agreement *a)
{
    trc_html_printf(b, "<h3>Patrol routes (%zu)</h3>\n", a->nroutes);
    if (!a->nroutes)
        return;
    trc_html_puts(b, "<table><thead><tr><th>id</th><th>name</th><th>from</th><th>to</th>"
                     "<th class=\"num\">length (km)</th><th>corridor</th><th>in force</th></tr>"
                     "</thead><tbody>\n");
    for (size_t i = 0; i < a->nroutes; i++) {
        const truce_patrol_route *r = &a->routes[i];
        trc_html_puts(b, "<tr><td>");
        trc_html_text(b, r->id);
        trc_html_puts(b, "</td><td>");
        trc_html_text(b, r->name);
        trc_html_puts(b, "</td><td>");
        trc_html_text(b, r->start_name);
        trc_html_puts(b, "</td><td>");
        trc_html_text(b, r->end_name);
        trc_html_printf(b, "</td><td class=\"num\">%.3f</td><td>", r->length_m / 1e3);
        trc_html_text(b, r->corridor);
        trc_html_puts(b, "</td><td>");
        trc_report_validity(b, &r->valid);
        trc_html_puts(b, "</td></tr>\n");
    }
    trc_html_puts(b, "</tbody></table>\n");
}

static void criterion(html_buf *b, const char *label, const truce_strings *s)
{
    if (!s->count)
        return;
    trc_html_printf(b, "<br/><i>%s:</i> ", label);
    strings(b, s, "");
}

static void rules(html_buf *b, const truce_agreement *a)
{
    static const char *const phase[] = {"after the ceasefire", "before the ceasefire", "any time"};
    trc_html_printf(b, "<h3>Rules (%zu)</h3>\n", a->nrules);
    if (!a->nrules)
        return;
    trc_html_puts(b, "<table><thead><tr><th>id</th><th>applies</th><th>what it forbids</th>"
                     "<th>in force</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < a->nrules; i++) {
        const truce_rule *r = &a->rules[i];
        trc_html_puts(b, "<tr><td>");
        trc_html_text(b, r->id);
        trc_html_printf(b, "</td><td>%s</td><td>", phase[(unsigned)r->phase % 3]);
        trc_html_text(b, r->description);
        criterion(b, "event types", &r->event_types);
        criterion(b, "sub-types", &r->sub_types);
        criterion(b, "actors", &r->actors);
        criterion(b, "except actors", &r->except_actors);
        criterion(b, "zones", &r->zones);
        criterion(b, "corridors", &r->corridors);
        if (r->min_fatalities)
            trc_html_printf(b, "<br/><i>at least %d fatalities</i>", r->min_fatalities);
        trc_html_puts(b, "</td><td>");
        trc_report_validity(b, &r->valid);
        trc_html_puts(b, "</td></tr>\n");
    }
    trc_html_puts(b, "</tbody></table>\n");
}

static void amendments(html_buf *b, const truce_agreement *a)
{
    truce_amendments am;
    if (truce_amendments_collect(a, &am)) {
        b->error = TRUCE_E_NOMEM;
        return;
    }
    trc_html_printf(b, "<h3>Amendments (%zu, in date order)</h3>\n", am.count);
    if (am.count)
        trc_html_puts(b, "<table><thead><tr><th>local time</th><th>UTC</th><th>as written</th>"
                         "<th>change</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < am.count; i++) {
        const truce_amendment *m = &am.items[i];
        char local[32], utc[21];
        trc_report_local_time(a, m->at_s, local);
        truce_time_format_utc(m->at_s, utc);
        trc_html_printf(b, "<tr><td>%s</td><td>%s</td><td>", local, utc);
        trc_html_text(b, m->text);
        trc_html_printf(b, "</td><td>%s <b>", m->kind);
        trc_html_text(b, m->id);
        trc_html_printf(b, "</b> %s</td></tr>\n", m->starts ? "comes into force" : "ends");
    }
    if (am.count)
        trc_html_puts(b, "</tbody></table>\n");
    truce_amendments_release(&am);
}

void trc_report_agreement_section(html_buf *b, const truce_report *r)
{
    trc_html_puts(b, "<section id=\"agreement\"><h2>The agreement</h2>\n");
    facts(b, r->a);
    zones(b, r->a);
    corridors(b, r->a);
    routes(b, r->a);
    rules(b, r->a);
    amendments(b, r->a);
    trc_html_puts(b, "</section>\n");
}
