/* Writing an agreement's summary as text or JSON: see agreement_write.h.
 * The bytes are those `truce check` wrote when it formatted them itself. */
#include "truce/agreement_write.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "truce/time.h"

static void format_offset(int32_t offset_s, char buf[8])
{
    int32_t m = offset_s < 0 ? -offset_s : offset_s;
    snprintf(buf, 8, "%c%02d:%02d", offset_s < 0 ? '-' : '+', (int)(m / 3600) % 100,
             (int)(m / 60 % 60));
}

static const char *phase_name(truce_rule_phase p)
{
    return p == TRUCE_PHASE_BEFORE ? "before" : p == TRUCE_PHASE_ANY ? "any" : "after";
}

static void print_list(FILE *out, const char *label, const truce_strings *s)
{
    if (!s->count)
        return;
    fprintf(out, "      %s: ", label);
    for (size_t i = 0; i < s->count; i++)
        fprintf(out, "%s%s", i ? ", " : "", s->items[i]);
    fputc('\n', out);
}

static void print_text(FILE *out, const truce_agreement *a, const truce_amendments *am)
{
    char local[20], utc[21], off[8];
    truce_civil_format(&a->ceasefire_local, local);
    truce_time_format_utc(a->ceasefire_s, utc);
    format_offset(a->ceasefire_offset_s, off);
    fprintf(out, "agreement  %s\n", a->id ? a->id : "(no id)");
    if (a->title)
        fprintf(out, "title      %s\n", a->title);
    fputs("parties    ", out);
    for (size_t i = 0; i < a->parties.count; i++)
        fprintf(out, "%s%s", i ? ", " : "", a->parties.items[i]);
    fputc('\n', out);
    fprintf(out, "ceasefire  %s %s (UTC%s) = %s\n", local, a->timezone_name, off, utc);

    fprintf(out, "\nzones (%zu)\n", a->nzones);
    for (size_t i = 0; i < a->nzones; i++) {
        const truce_zone *z = &a->zones[i];
        fprintf(out, "  %-24s %.1f km²  %s%s\n", z->id, z->area_m2 / 1e6, z->name ? z->name : "",
                z->npolygons > 1 ? " (multipolygon)" : "");
    }
    fprintf(out, "\ncorridors (%zu)\n", a->ncorridors);
    for (size_t i = 0; i < a->ncorridors; i++) {
        const truce_corridor_def *c = &a->corridors[i];
        fprintf(out, "  %-24s road %.3f km, left %.0f m, right %.0f m  %s\n", c->id,
                c->length_m / 1e3, c->left_m, c->right_m, c->name ? c->name : "");
    }
    fprintf(out, "\npatrol routes (%zu)\n", a->nroutes);
    for (size_t i = 0; i < a->nroutes; i++) {
        const truce_patrol_route *r = &a->routes[i];
        fprintf(out, "  %-24s %.3f km, %s to %s", r->id, r->length_m / 1e3,
                r->start_name ? r->start_name : "start", r->end_name ? r->end_name : "end");
        if (r->valid.from_s != TRUCE_TIME_MIN) {
            truce_time_format_utc(r->valid.from_s, utc);
            fprintf(out, ", from %s (%s)", r->valid.from_text, utc);
        }
        if (r->corridor)
            fprintf(out, ", in corridor %s", r->corridor);
        if (r->has_window) {
            char w[12];
            truce_daily_window_format(&r->window, w);
            fprintf(out, ", window %s local", w);
        }
        fputc('\n', out);
    }
    if (a->nneeds || a->ncrossings || a->naid_routes) {
        fprintf(out,
                "\nhumanitarian provisions (places in need %zu, crossings %zu, aid routes %zu)\n",
                a->nneeds, a->ncrossings, a->naid_routes);
        for (size_t i = 0; i < a->nneeds; i++) {
            const truce_need *n = &a->needs[i];
            fprintf(out, "  %-24s ", n->id);
            if (n->is_point)
                fprintf(out, "within %.0f m of %.5f,%.5f", n->radius_m, n->lon, n->lat);
            else
                fprintf(out, "%zu polygon%s", n->npolygons, n->npolygons == 1 ? "" : "s");
            if (n->reach_every_days)
                fprintf(out, ", reach every %d days", n->reach_every_days);
            fprintf(out, "  %s\n", n->name ? n->name : "");
        }
        for (size_t i = 0; i < a->ncrossings; i++)
            fprintf(out, "  %-24s crossing at %.5f,%.5f  %s\n", a->crossings[i].id,
                    a->crossings[i].lon, a->crossings[i].lat,
                    a->crossings[i].name ? a->crossings[i].name : "");
        for (size_t i = 0; i < a->naid_routes; i++)
            fprintf(out, "  %-24s aid route %.3f km, buffer %.0f m  %s\n", a->aid_routes[i].id,
                    a->aid_routes[i].length_m / 1e3, a->aid_routes[i].buffer_m,
                    a->aid_routes[i].name ? a->aid_routes[i].name : "");
    }
    fprintf(out, "\nrules (%zu)\n", a->nrules);
    for (size_t i = 0; i < a->nrules; i++) {
        const truce_rule *r = &a->rules[i];
        fprintf(out, "  %s (phase %s)\n", r->id, phase_name(r->phase));
        if (r->description)
            fprintf(out, "      %s\n", r->description);
        print_list(out, "event types", &r->event_types);
        print_list(out, "sub-types", &r->sub_types);
        print_list(out, "actors", &r->actors);
        print_list(out, "except actors", &r->except_actors);
        print_list(out, "zones", &r->zones);
        print_list(out, "corridors", &r->corridors);
        if (r->min_fatalities)
            fprintf(out, "      at least %d fatalities\n", r->min_fatalities);
    }
    fprintf(out, "\namendments (%zu, in date order)\n", am->count);
    for (size_t i = 0; i < am->count; i++) {
        const truce_amendment *m = &am->items[i];
        truce_time_format_utc(m->at_s, utc);
        fprintf(out, "  %s  %-16s %s %s %s\n", utc, m->text, m->kind, m->id,
                m->starts ? "comes into force" : "ends");
    }
}

static json_t *strings_json(const truce_strings *s)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < s->count; i++)
        json_array_append_new(arr, json_string(s->items[i]));
    return arr;
}

static json_t *validity_json(const truce_validity *v)
{
    char utc[21];
    json_t *o = json_object();
    if (v->from_s != TRUCE_TIME_MIN) {
        truce_time_format_utc(v->from_s, utc);
        json_object_set_new(o, "from", json_string(v->from_text));
        json_object_set_new(o, "from_utc", json_string(utc));
    }
    if (v->until_s != TRUCE_TIME_MAX) {
        truce_time_format_utc(v->until_s, utc);
        json_object_set_new(o, "until", json_string(v->until_text));
        json_object_set_new(o, "until_utc", json_string(utc));
    }
    return o;
}

static json_t *summary_json(const truce_agreement *a, const truce_amendments *am)
{
    char local[20], utc[21], off[8];
    truce_civil_format(&a->ceasefire_local, local);
    truce_time_format_utc(a->ceasefire_s, utc);
    format_offset(a->ceasefire_offset_s, off);
    json_t *o = json_object();
    json_object_set_new(o, "id", a->id ? json_string(a->id) : json_null());
    json_object_set_new(o, "title", a->title ? json_string(a->title) : json_null());
    json_object_set_new(o, "parties", strings_json(&a->parties));
    json_object_set_new(o, "timezone", json_string(a->timezone_name));
    json_object_set_new(
        o, "ceasefire",
        json_pack("{s:s, s:s, s:s}", "local", local, "utc", utc, "utc_offset", off));
    json_t *zones = json_array();
    for (size_t i = 0; i < a->nzones; i++) {
        const truce_zone *z = &a->zones[i];
        json_t *zo =
            json_pack("{s:s, s:o, s:f, s:I, s:o}", "id", z->id, "name",
                      z->name ? json_string(z->name) : json_null(), "area_km2", z->area_m2 / 1e6,
                      "polygons", (json_int_t)z->npolygons, "valid", validity_json(&z->valid));
        json_array_append_new(zones, zo);
    }
    json_object_set_new(o, "zones", zones);
    json_t *cors = json_array();
    for (size_t i = 0; i < a->ncorridors; i++) {
        const truce_corridor_def *c = &a->corridors[i];
        json_array_append_new(cors, json_pack("{s:s, s:o, s:f, s:f, s:f, s:I, s:o}", "id", c->id,
                                              "name", c->name ? json_string(c->name) : json_null(),
                                              "length_km", c->length_m / 1e3, "left_m", c->left_m,
                                              "right_m", c->right_m, "parts", (json_int_t)c->nroads,
                                              "valid", validity_json(&c->valid)));
    }
    json_object_set_new(o, "corridors", cors);
    json_t *routes = json_array();
    for (size_t i = 0; i < a->nroutes; i++) {
        const truce_patrol_route *r = &a->routes[i];
        char w[12];
        truce_daily_window_format(&r->window, w);
        json_array_append_new(
            routes, json_pack("{s:s, s:o, s:o, s:o, s:o, s:f, s:o, s:o}", "id", r->id, "name",
                              r->name ? json_string(r->name) : json_null(), "start",
                              r->start_name ? json_string(r->start_name) : json_null(), "end",
                              r->end_name ? json_string(r->end_name) : json_null(), "corridor",
                              r->corridor ? json_string(r->corridor) : json_null(), "length_km",
                              r->length_m / 1e3, "valid", validity_json(&r->valid), "window",
                              r->has_window ? json_string(w) : json_null()));
    }
    json_object_set_new(o, "patrol_routes", routes);
    json_t *needs = json_array();
    for (size_t i = 0; i < a->nneeds; i++) {
        const truce_need *n = &a->needs[i];
        json_array_append_new(
            needs, json_pack("{s:s, s:o, s:o, s:o, s:o}", "id", n->id, "name",
                             n->name ? json_string(n->name) : json_null(), "people_in_need",
                             n->people_in_need >= 0 ? json_integer(n->people_in_need) : json_null(),
                             "reach_every_days",
                             n->reach_every_days ? json_integer(n->reach_every_days) : json_null(),
                             "radius_m", n->is_point ? json_real(n->radius_m) : json_null()));
    }
    json_object_set_new(o, "needs", needs);
    json_t *crossings = json_array();
    for (size_t i = 0; i < a->ncrossings; i++)
        json_array_append_new(
            crossings,
            json_pack("{s:s, s:o}", "id", a->crossings[i].id, "name",
                      a->crossings[i].name ? json_string(a->crossings[i].name) : json_null()));
    json_object_set_new(o, "crossings", crossings);
    json_t *aid_routes = json_array();
    for (size_t i = 0; i < a->naid_routes; i++)
        json_array_append_new(
            aid_routes,
            json_pack("{s:s, s:o, s:f, s:f}", "id", a->aid_routes[i].id, "name",
                      a->aid_routes[i].name ? json_string(a->aid_routes[i].name) : json_null(),
                      "length_km", a->aid_routes[i].length_m / 1e3, "buffer_m",
                      a->aid_routes[i].buffer_m));
    json_object_set_new(o, "aid_routes", aid_routes);
    json_t *rules = json_array();
    for (size_t i = 0; i < a->nrules; i++) {
        const truce_rule *r = &a->rules[i];
        json_array_append_new(
            rules,
            json_pack("{s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:o}", "id", r->id,
                      "description", r->description ? json_string(r->description) : json_null(),
                      "phase", phase_name(r->phase), "event_types", strings_json(&r->event_types),
                      "sub_types", strings_json(&r->sub_types), "actors", strings_json(&r->actors),
                      "except_actors", strings_json(&r->except_actors), "zones",
                      strings_json(&r->zones), "corridors", strings_json(&r->corridors),
                      "min_fatalities", r->min_fatalities, "valid", validity_json(&r->valid)));
    }
    json_object_set_new(o, "rules", rules);
    json_t *ams = json_array();
    for (size_t i = 0; i < am->count; i++) {
        const truce_amendment *m = &am->items[i];
        truce_time_format_utc(m->at_s, utc);
        json_array_append_new(ams, json_pack("{s:s, s:s, s:s, s:s, s:s}", "utc", utc, "as_written",
                                             m->text, "kind", m->kind, "id", m->id, "change",
                                             m->starts ? "comes_into_force" : "ends"));
    }
    json_object_set_new(o, "amendments", ams);
    return o;
}

truce_status truce_agreement_summary_write(FILE *out, const truce_agreement *agreement,
                                           const truce_amendments *am,
                                           truce_agreement_format format)
{
    if (!out || !agreement || !am || (unsigned)format > TRUCE_AGREEMENT_JSON)
        return TRUCE_E_ARG;
    if (format == TRUCE_AGREEMENT_JSON) {
        json_t *j = summary_json(agreement, am);
        if (!j)
            return TRUCE_E_NOMEM;
        json_dumpf(j, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        fputc('\n', out);
        json_decref(j);
    } else {
        print_text(out, agreement, am);
    }
    return ferror(out) ? TRUCE_E_IO : TRUCE_OK;
}
