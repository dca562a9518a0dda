/* truce patrol --format geojson: covered stretches and gaps as parts of the
 * route, off-route stretches as parts of the track, one LineString feature
 * each (RFC 7946: lon/lat WGS84, 7 decimals, about 1 cm) (patrol_out.h). */
#include <math.h>
#include <stdlib.h>

#include "patrol_out.h"
#include "truce/polyline.h"

/* One feature: `props` (stolen) and the line of `n` lon/lat pairs. */
static truce_status feature(FILE *out, json_t *props, const double *lonlat, size_t n, int *first)
{
    char *text = props ? json_dumps(props, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
    json_decref(props);
    if (!text)
        return TRUCE_E_NOMEM;
    fprintf(out,
            "%s{\"type\":\"Feature\",\"properties\":%s,\"geometry\":{\"type\":\"LineString\","
            "\"coordinates\":[",
            *first ? "" : ",\n", text);
    free(text);
    *first = 0;
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s[%.7f,%.7f]", i ? "," : "", lonlat[2 * i], lonlat[2 * i + 1]);
    return fputs("]}}", out) < 0 ? TRUCE_E_IO : TRUCE_OK;
}

static json_t *props_of(const patrol_judged *j, const char *kind, double from_m, double to_m)
{
    return json_pack("{s:o, s:s, s:s, s:f, s:f}", "track",
                     j->track->name ? json_string(j->track->name) : json_null(), "file", j->path,
                     "kind", kind, "from_m", from_m, "to_m", to_m);
}

/* Stretches of the route, as covered or gap features. */
static truce_status route_parts(FILE *out, const truce_patrol_route *route, const patrol_judged *j,
                                const char *kind, const truce_chainage_interval *iv, size_t n,
                                double *buf, int *first)
{
    truce_status st = TRUCE_OK;
    for (size_t i = 0; i < n && st == TRUCE_OK; i++) {
        size_t count = 0;
        st = truce_polyline_slice(route->route.lonlat, route->route.n, iv[i].from_m, iv[i].to_m,
                                  buf, &count);
        if (st == TRUCE_OK)
            st = feature(out, props_of(j, kind, iv[i].from_m, iv[i].to_m), buf, count, first);
    }
    return st;
}

static void set_time(json_t *o, const char *key, const truce_agreement *a, double t, int local)
{
    char buf[26];
    if (isnan(t)) {
        json_object_set_new(o, key, json_null());
        return;
    }
    if (local)
        patrol_format_local(a, t, buf);
    else
        patrol_format_utc(t, buf);
    json_object_set_new(o, key, json_string(buf));
}

truce_status patrol_geojson_track(FILE *out, const truce_agreement *a,
                                  const truce_patrol_route *route, const patrol_judged *j,
                                  int *first)
{
    const truce_patrol_result *r = j->result;
    double *buf = malloc(2 * (route->route.n + 2) * sizeof *buf);
    if (!buf)
        return TRUCE_E_NOMEM;
    truce_status st = route_parts(out, route, j, "covered", r->covered, r->ncovered, buf, first);
    if (st == TRUCE_OK)
        st = route_parts(out, route, j, "gap", r->gaps, r->ngaps, buf, first);
    free(buf);
    for (size_t i = 0; i < r->noff_route && st == TRUCE_OK; i++) {
        const truce_off_route_stretch *s = &r->off_route[i];
        size_t n = s->count < 2 ? 2 : s->count; /* a lone point: a line of two equal points */
        double *line = malloc(2 * n * sizeof *line);
        if (!line)
            return TRUCE_E_NOMEM;
        for (size_t k = 0; k < n; k++) {
            const truce_track_point *p = &j->track->points[s->first + (k < s->count ? k : 0)];
            line[2 * k] = p->lon;
            line[2 * k + 1] = p->lat;
        }
        json_t *props = props_of(j, "off_route", s->from_m, s->to_m);
        json_object_set_new(props, "max_offset_m", json_real(s->max_offset_m));
        set_time(props, "start_utc", a, s->start_s, 0);
        set_time(props, "end_utc", a, s->end_s, 0);
        set_time(props, "start_local", a, s->start_s, 1);
        set_time(props, "end_local", a, s->end_s, 1);
        st = feature(out, props, line, n, first);
        free(line);
    }
    return st;
}
