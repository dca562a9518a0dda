/* Writing the humanitarian provisions' result: see aid_write.h. */
#include "truce/aid_write.h"

#include <csv.h>
#include <jansson.h>
#include <string.h>

#include "aid/aid_json.h"
#include "base/json_escape.h"
#include "truce/time.h"

void truce_aid_format_day(int64_t day, char buf[16])
{
    int y, m, d;
    truce_civil_from_days(day, &y, &m, &d);
    snprintf(buf, 16, "%04d-%02d-%02d", y, m, d);
}

static const char *day_text(int has, int64_t day, char buf[16])
{
    if (!has)
        return "-";
    truce_aid_format_day(day, buf);
    return buf;
}

/* ---- table ---- */

static void write_table(FILE *out, const truce_aid *aid, const truce_aid_result *r)
{
    const truce_agreement *a = truce_aid_agreement(aid);
    char d1[16], d2[16];
    fprintf(out, "agreement   %s\n", a->id ? a->id : "(no id)");
    if (r->has_period)
        fprintf(out, "period      %s to %s (%lld days)\n", day_text(1, r->from_day, d1),
                day_text(1, r->to_day, d2), (long long)(r->to_day - r->from_day + 1));
    else
        fputs("period      (no records)\n", out);
    fprintf(out,
            "records     %llu deliveries, %llu access incidents, %llu returns (%llu outside the "
            "period); %llu violations\n",
            (unsigned long long)r->records[TRUCE_AID_DELIVERY],
            (unsigned long long)r->records[TRUCE_AID_ACCESS],
            (unsigned long long)r->records[TRUCE_AID_RETURN], (unsigned long long)r->outside_period,
            (unsigned long long)r->violations);
    fprintf(out, "\n%-20s %10s %10s %7s %-10s %6s %7s %-6s\n", "place in need", "people",
            "deliveries", "trucks", "last", "since", "longest", "target");
    for (size_t i = 0; i < r->nplaces; i++) {
        const truce_aid_place *p = &r->places[i];
        char people[24], since[24], target[24];
        snprintf(people, sizeof people, "%lld", (long long)p->need->people_in_need);
        snprintf(since, sizeof since, "%lld", (long long)p->days_since_last);
        if (p->target < 0)
            snprintf(target, sizeof target, "-");
        else
            snprintf(target, sizeof target, "%s/%d", p->target ? "met" : "missed",
                     p->need->reach_every_days);
        fprintf(out, "%-20.20s %10s %10llu %7lld %-10s %6s %7lld %-6s\n", p->need->id,
                p->need->people_in_need >= 0 ? people : "-", (unsigned long long)p->deliveries,
                (long long)p->trucks, day_text(p->reached, p->last_day, d1),
                p->reached ? since : "never", (long long)p->longest_gap_days, target);
    }
    if (!r->nplaces)
        fputs("(the agreement names no places in need)\n", out);
    fputs("\nunreached  ", out);
    size_t shown = 0;
    for (size_t i = 0; i < r->nplaces; i++)
        if (!r->places[i].reached)
            fprintf(out, "%s%s", shown++ ? ", " : "", r->places[i].need->id);
    fprintf(out, "%s\n", shown ? "" : "(none)");
    if (r->unplaced_deliveries)
        fprintf(out, "deliveries to no place in need: %llu\n",
                (unsigned long long)r->unplaced_deliveries);
    if (r->ncrossings) {
        fprintf(out, "\n%-20s %10s %7s\n", "crossing", "deliveries", "trucks");
        for (size_t i = 0; i < r->ncrossings; i++)
            fprintf(out, "%-20.20s %10llu %7lld\n", r->crossings[i].crossing->id,
                    (unsigned long long)r->crossings[i].deliveries,
                    (long long)r->crossings[i].trucks);
    }
    fprintf(out, "\n%-20s %9s  %s\n", "access category", "incidents", "(OCHA access framework)");
    shown = 0;
    for (int c = 1; c < TRUCE_ACCESS_NCATEGORIES; c++)
        if (r->access[c]) {
            fprintf(out, "%-20s %9llu  %s\n", truce_access_category_name((truce_access_category)c),
                    (unsigned long long)r->access[c],
                    truce_access_category_label((truce_access_category)c));
            shown++;
        }
    if (!shown)
        fputs("(none)\n", out);
    if (r->naccess_km) {
        fprintf(out, "\n%-20s %-9s %5s %9s\n", "access along", "kind", "km", "incidents");
        for (size_t i = 0; i < r->naccess_km; i++)
            fprintf(out, "%-20.20s %-9s %5lld %9llu\n", r->access_km[i].line,
                    r->access_km[i].is_corridor ? "corridor" : "aid_route",
                    (long long)r->access_km[i].km, (unsigned long long)r->access_km[i].incidents);
    }
    fprintf(out, "\n%-20s %-10s %9s %10s\n", "returns: area", "week of", "people", "households");
    for (size_t i = 0; i < r->nreturns; i++)
        fprintf(out, "%-20.20s %-10s %9lld %10lld\n", r->returns[i].area,
                day_text(1, r->returns[i].week_day, d1), (long long)r->returns[i].returnees,
                (long long)r->returns[i].households);
    if (!r->nreturns)
        fputs("(none)\n", out);
    fprintf(out,
            "\nreturns into danger (a violation in the %d days before, in the place in need or "
            "within %.0f m)\n",
            r->window_days, r->radius_m);
    for (size_t i = 0; i < r->ndanger; i++) {
        const truce_aid_danger *d = &r->danger[i];
        fprintf(out, "%s %-20.20s %7lld people  ", day_text(1, d->day, d1), d->area,
                (long long)d->returnees);
        for (size_t k = 0; k < d->nviolations; k++)
            fprintf(out, "%s%s", k ? ", " : "", d->violations[k]);
        fputc('\n', out);
    }
    if (!r->ndanger)
        fputs("(none)\n", out);
}

/* ---- CSV ---- */

static void csv_text(FILE *out, const char *s, int last)
{
    if (s)
        csv_fwrite(out, s, strlen(s));
    fputc(last ? '\n' : ',', out);
}

static void write_csv(FILE *out, const truce_aid_result *r)
{
    fputs("id,name,people_in_need,deliveries,quantity,trucks,first_delivery,last_delivery,"
          "days_since_last,longest_gap_days,reach_every_days,target_met,access_incidents,"
          "returnees\n",
          out);
    for (size_t i = 0; i < r->nplaces; i++) {
        const truce_aid_place *p = &r->places[i];
        char d1[16], d2[16], q[32];
        csv_text(out, p->need->id, 0);
        csv_text(out, p->need->name, 0);
        if (p->need->people_in_need >= 0)
            fprintf(out, "%lld", (long long)p->need->people_in_need);
        trc_json_double(p->quantity, q);
        fprintf(out, ",%llu,%s,%lld,%s,%s,", (unsigned long long)p->deliveries, q,
                (long long)p->trucks, p->reached ? day_text(1, p->first_day, d1) : "",
                p->reached ? day_text(1, p->last_day, d2) : "");
        if (p->reached)
            fprintf(out, "%lld", (long long)p->days_since_last);
        fprintf(out, ",%lld,", (long long)p->longest_gap_days);
        if (p->need->reach_every_days)
            fprintf(out, "%d", p->need->reach_every_days);
        fprintf(out, ",%s,%llu,%lld\n",
                p->target < 0   ? ""
                : p->target > 0 ? "true"
                                : "false",
                (unsigned long long)p->access_incidents, (long long)p->returnees);
    }
}

/* ---- GeoJSON ---- */

static void point(FILE *out, double lon, double lat)
{
    char x[32], y[32];
    trc_json_double(lon, x);
    trc_json_double(lat, y);
    fprintf(out, "{\"type\":\"Point\",\"coordinates\":[%s,%s]}", x, y);
}

static void polygons(FILE *out, const truce_need *n)
{
    fputs(n->npolygons == 1 ? "{\"type\":\"Polygon\",\"coordinates\":"
                            : "{\"type\":\"MultiPolygon\",\"coordinates\":[",
          out);
    for (size_t k = 0; k < n->npolygons; k++) {
        fputs(k ? ",[" : "[", out);
        for (size_t g = 0; g < n->polygons[k].nrings; g++) {
            const truce_line *ring = &n->polygons[k].rings[g];
            fputs(g ? ",[" : "[", out);
            for (size_t v = 0; v < ring->n; v++) {
                char x[32], y[32];
                trc_json_double(ring->lonlat[2 * v], x);
                trc_json_double(ring->lonlat[2 * v + 1], y);
                fprintf(out, "%s[%s,%s]", v ? "," : "", x, y);
            }
            fputc(']', out);
        }
        fputc(']', out);
    }
    fputs(n->npolygons == 1 ? "}" : "]}", out);
}

static void write_geojson(FILE *out, const truce_aid_result *r)
{
    fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", out);
    int first = 1;
    for (size_t i = 0; i < r->nplaces; i++) {
        const truce_aid_place *p = &r->places[i];
        char d1[16];
        fprintf(out, "%s{\"type\":\"Feature\",\"id\":", first ? "" : ",\n");
        first = 0;
        trc_json_escape_fputs(out, p->need->id);
        fputs(",\"geometry\":", out);
        if (p->need->is_point)
            point(out, p->need->lon, p->need->lat);
        else
            polygons(out, p->need);
        fputs(",\"properties\":{\"kind\":\"need\",\"name\":", out);
        trc_json_escape_fputs(out, p->need->name);
        fprintf(out, ",\"deliveries\":%llu,\"last_delivery\":", (unsigned long long)p->deliveries);
        if (p->reached)
            fprintf(out, "\"%s\"", day_text(1, p->last_day, d1));
        else
            fputs("null", out);
        if (p->reached)
            fprintf(out, ",\"days_since_last\":%lld", (long long)p->days_since_last);
        else
            fputs(",\"days_since_last\":null", out);
        fprintf(out, ",\"longest_gap_days\":%lld,\"target_met\":%s}}",
                (long long)p->longest_gap_days,
                p->target < 0   ? "null"
                : p->target > 0 ? "true"
                                : "false");
    }
    for (size_t i = 0; i < r->naccess_points; i++) {
        const truce_aid_point *p = &r->access_points[i];
        char d1[16];
        fprintf(out, "%s{\"type\":\"Feature\",\"geometry\":", first ? "" : ",\n");
        first = 0;
        point(out, p->lon, p->lat);
        fprintf(out, ",\"properties\":{\"kind\":\"access\",\"category\":\"%s\",\"date\":\"%s\"}}",
                truce_access_category_name(p->category), day_text(1, p->day, d1));
    }
    for (size_t i = 0; i < r->ndanger; i++) {
        const truce_aid_danger *d = &r->danger[i];
        char d1[16];
        fprintf(out, "%s{\"type\":\"Feature\",\"geometry\":", first ? "" : ",\n");
        first = 0;
        if (d->has_location)
            point(out, d->lon, d->lat);
        else
            fputs("null", out);
        fputs(",\"properties\":{\"kind\":\"return_into_danger\",\"area\":", out);
        trc_json_escape_fputs(out, d->area);
        fprintf(out, ",\"date\":\"%s\",\"returnees\":%lld,\"violations\":[",
                day_text(1, d->day, d1), (long long)d->returnees);
        for (size_t k = 0; k < d->nviolations; k++) {
            if (k)
                fputc(',', out);
            trc_json_escape_fputs(out, d->violations[k]);
        }
        fputs("]}}", out);
    }
    fputs("\n]}\n", out);
}

truce_status truce_aid_write(FILE *out, const truce_aid *aid, truce_aid_format format)
{
    const truce_aid_result *r = truce_aid_result_get(aid);
    if (!out || !r || (unsigned)format > TRUCE_AID_GEOJSON)
        return TRUCE_E_ARG;
    switch (format) {
    case TRUCE_AID_TABLE:
        write_table(out, aid, r);
        break;
    case TRUCE_AID_CSV:
        write_csv(out, r);
        break;
    case TRUCE_AID_JSON: {
        json_t *o = trc_aid_json(aid);
        if (!o)
            return TRUCE_E_NOMEM;
        int failed = json_dumpf(o, out, JSON_INDENT(1) | JSON_REAL_PRECISION(15));
        json_decref(o);
        if (failed || fputc('\n', out) == EOF)
            return TRUCE_E_IO;
        break;
    }
    case TRUCE_AID_GEOJSON:
        write_geojson(out, r);
        break;
    }
    return ferror(out) ? TRUCE_E_IO : TRUCE_OK;
}
