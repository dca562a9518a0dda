/* The report's summary of the agreement: what `truce check` prints --
 * parties, the ceasefire in local time and UTC, zones, corridors with their
 * depths, patrol routes, rules and amendments (report.h). */
#include <stdio.h>

#include "report_internal.h"
#include "truce/amendment.h"

static void strings(html_buf *b, const truce_strings *s, const char *none)
{
    if (!s->count)
        html_puts(b, none);
    for (size_t i = 0; i < s->count; i++) {
        if (i)
            html_puts(b, ", ");
        html_text(b, s->items[i]);
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
    html_puts(b, "<dl class=\"facts\">\n");
    if (a->title) {
        html_puts(b, "<dt>title</dt><dd>");
        html_text(b, a->title);
        html_puts(b, "</dd>\n");
    }
    html_puts(b, "<dt>parties</dt><dd>");
    strings(b, &a->parties, "(none named)");
    html_printf(b, "</dd>\n<dt>ceasefire</dt><dd><b>%s</b> ", local);
    html_text(b, a->timezone_name);
    html_printf(b, " (UTC%s) = <b>%s</b> UTC</dd>\n</dl>\n", off, utc);
}

static void zones(html_buf *b, const truce_agreement *a)
{
    html_printf(b, "<h3>Zones (%zu)</h3>\n", a->nzones);
    if (!a->nzones)
        return;
    html_puts(b, "<table><thead><tr><th>id</th><th>name</th><th class=\"num\">area (km&#178;)"
                 "</th><th>in force</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < a->nzones; i++) {
        const truce_zone *z = &a->zones[i];
        html_puts(b, "<tr><td>");
        html_text(b, z->id);
        html_puts(b, "</td><td>");
        html_text(b, z->name);
        html_printf(b, "</td><td class=\"num\">%.1f</td><td>", z->area_m2 / 1e6);
        report_validity(b, &z->valid);
        html_puts(b, "</td></tr>\n");
    }
    html_puts(b, "</tbody></table>\n");
}

static void corridors(html_buf *b, const truce_agreement *a)
{
    html_printf(b, "<h3>Corridors (%zu)</h3>\n", a->ncorridors);
    if (!a->ncorridors)
        return;
    html_puts(b, "<table><thead><tr><th>id</th><th>name</th><th class=\"num\">road (km)</th>"
                 "<th class=\"num\">depth left (m)</th><th class=\"num\">depth right (m)</th>"
                 "<th>in force</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < a->ncorridors; i++) {
        const truce_corridor_def *c = &a->corridors[i];
        html_puts(b, "<tr><td>");
        html_text(b, c->id);
        html_puts(b, "</td><td>");
        html_text(b, c->name);
        html_printf(b,
                    "</td><td class=\"num\">%.3f</td><td class=\"num\">%.0f</td><td "
                    "class=\"num\">%.0f</td><td>",
                    c->length_m / 1e3, c->left_m, c->right_m);
        report_validity(b, &c->valid);
        html_puts(b, "</td></tr>\n");
    }
    html_puts(b, "</tbody></table>\n");
}

static void routes(html_buf *b, const truce_agreement *a)
{
    html_printf(b, "<h3>Patrol routes (%zu)</h3>\n", a->nroutes);
    if (!a->nroutes)
        return;
    html_puts(b, "<table><thead><tr><th>id</th><th>name</th><th>from</th><th>to</th>"
                 "<th class=\"num\">length (km)</th><th>corridor</th><th>in force</th></tr>"
                 "</thead><tbody>\n");
    for (size_t i = 0; i < a->nroutes; i++) {
        const truce_patrol_route *r = &a->routes[i];
        html_puts(b, "<tr><td>");
        html_text(b, r->id);
        html_puts(b, "</td><td>");
        html_text(b, r->name);
        html_puts(b, "</td><td>");
        html_text(b, r->start_name);
        html_puts(b, "</td><td>");
        html_text(b, r->end_name);
        html_printf(b, "</td><td class=\"num\">%.3f</td><td>", r->length_m / 1e3);
        html_text(b, r->corridor);
        html_puts(b, "</td><td>");
        report_validity(b, &r->valid);
        html_puts(b, "</td></tr>\n");
    }
    html_puts(b, "</tbody></table>\n");
}

static void criterion(html_buf *b, const char *label, const truce_strings *s)
{
    if (!s->count)
        return;
    html_printf(b, "<br/><i>%s:</i> ", label);
    strings(b, s, "");
}

static void rules(html_buf *b, const truce_agreement *a)
{
    static const char *const phase[] = {"after the ceasefire", "before the ceasefire", "any time"};
    html_printf(b, "<h3>Rules (%zu)</h3>\n", a->nrules);
    if (!a->nrules)
        return;
    html_puts(b, "<table><thead><tr><th>id</th><th>applies</th><th>what it forbids</th>"
                 "<th>in force</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < a->nrules; i++) {
        const truce_rule *r = &a->rules[i];
        html_puts(b, "<tr><td>");
        html_text(b, r->id);
        html_printf(b, "</td><td>%s</td><td>", phase[(unsigned)r->phase % 3]);
        html_text(b, r->description);
        criterion(b, "event types", &r->event_types);
        criterion(b, "sub-types", &r->sub_types);
        criterion(b, "actors", &r->actors);
        criterion(b, "except actors", &r->except_actors);
        criterion(b, "zones", &r->zones);
        criterion(b, "corridors", &r->corridors);
        if (r->min_fatalities)
            html_printf(b, "<br/><i>at least %d fatalities</i>", r->min_fatalities);
        html_puts(b, "</td><td>");
        report_validity(b, &r->valid);
        html_puts(b, "</td></tr>\n");
    }
    html_puts(b, "</tbody></table>\n");
}

static void amendments(html_buf *b, const truce_agreement *a)
{
    truce_amendments am;
    if (truce_amendments_collect(a, &am)) {
        b->error = TRUCE_E_NOMEM;
        return;
    }
    html_printf(b, "<h3>Amendments (%zu, in date order)</h3>\n", am.count);
    if (am.count)
        html_puts(b, "<table><thead><tr><th>local time</th><th>UTC</th><th>as written</th>"
                     "<th>change</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < am.count; i++) {
        const truce_amendment *m = &am.items[i];
        char local[32], utc[21];
        report_local_time(a, m->at_s, local);
        truce_time_format_utc(m->at_s, utc);
        html_printf(b, "<tr><td>%s</td><td>%s</td><td>", local, utc);
        html_text(b, m->text);
        html_printf(b, "</td><td>%s <b>", m->kind);
        html_text(b, m->id);
        html_printf(b, "</b> %s</td></tr>\n", m->starts ? "comes into force" : "ends");
    }
    if (am.count)
        html_puts(b, "</tbody></table>\n");
    truce_amendments_release(&am);
}

void report_agreement_section(html_buf *b, const truce_report *r)
{
    html_puts(b, "<section id=\"agreement\"><h2>The agreement</h2>\n");
    facts(b, r->a);
    zones(b, r->a);
    corridors(b, r->a);
    routes(b, r->a);
    rules(b, r->a);
    amendments(b, r->a);
    html_puts(b, "</section>\n");
}
