/* Writing judged patrols as a table, JSON or GeoJSON: see patrol_write.h.
 * The bytes are those `truce patrol` wrote when it formatted them itself. */
#include "truce/patrol_write.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "truce/polyline.h"
#include "truce/time.h"
#include "truce/tz.h"
#include "base/alloc.h"
#include "base/util.h"

struct truce_patrol_writer {
    FILE *out;
    truce_patrol_format format;
    const truce_agreement *a;
    const truce_patrol_route *route;
    double tolerance_m;
    json_t *tracks;    /* JSON: the track objects */
    json_t *summary;   /* JSON: the summary object, once written */
    int first_feature; /* GeoJSON: no feature written yet */
};

/* ---- times and days ---------------------------------------------------- */
static void patrol_format_utc(double t, char buf[21])
{
    if (!truce_instant_s_in_range(t)) {
        snprintf(buf, 21, "-");
        return;
    }
    truce_time_format_utc((int64_t)floor(t), buf);
}

static void patrol_format_local(const truce_agreement *a, double t, char buf[26])
{
    if (!a->tz || !truce_instant_s_in_range(t)) {
        snprintf(buf, 26, "-");
        return;
    }
    truce_tz_format_local(a->tz, (int64_t)floor(t), buf);
}

static void patrol_format_day(int64_t day, char buf[11])
{
    int y, m, d;
    truce_civil_from_days(day, &y, &m, &d);
    snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

/* ---- table ------------------------------------------------------------- */

static void patrol_table_track(FILE *out, const truce_agreement *a, const truce_patrol_judged *j)
{
    const truce_track *t = j->track;
    const truce_patrol_result *r = j->result;
    char u0[21], u1[21], l0[26], l1[26], d[32];
    fprintf(out, "track %s (%s, line %ld)\n", t->name ? t->name : "(no name)", j->path, t->line);
    fprintf(out, "  covered      %.3f of %.3f km (%.1f%%) in %zu stretch%s\n", r->covered_m / 1e3,
            r->route_length_m / 1e3, r->covered_fraction * 100, r->ncovered,
            r->ncovered == 1 ? "" : "es");
    fprintf(out, "  gaps         %zu\n", r->ngaps);
    for (size_t i = 0; i < r->ngaps; i++)
        fprintf(out, "    km %.3f to %.3f (%.3f km)\n", r->gaps[i].from_m / 1e3,
                r->gaps[i].to_m / 1e3, (r->gaps[i].to_m - r->gaps[i].from_m) / 1e3);
    trc_format_hms(r->off_route_s, d);
    fprintf(out, "  off route    %s, %.3f km, %zu of %zu points\n", d, r->off_route_m / 1e3,
            r->noff, r->npoints);
    if (r->has_corridor) {
        trc_format_hms(r->outside_corridor_s, d);
        fprintf(out, "  outside corridor %s, %.3f km\n", d, r->outside_corridor_m / 1e3);
    }
    fprintf(out, "  worst offset %.1f m at km %.3f (%.6f, %.6f)\n", r->max_offset_m,
            r->max_offset_chainage_m / 1e3, r->max_offset_lat, r->max_offset_lon);
    patrol_format_utc(r->start_s, u0);
    patrol_format_utc(r->end_s, u1);
    patrol_format_local(a, r->start_s, l0);
    patrol_format_local(a, r->end_s, l1);
    fprintf(out, "  start        %s (%s)\n  end          %s (%s)\n", u0, l0, u1, l1);
    fprintf(out, "  direction    %s\n", truce_patrol_direction_name(r->direction));
    fprintf(out, "  stops        %zu\n", j->nstops);
    if (r->has_window) {
        char w[12];
        truce_daily_window_format(&r->window, w);
        trc_format_hms(r->outside_window_s, d);
        fprintf(out, "  window       %s local, %s outside\n", w, d);
        if (r->outside_window)
            fprintf(out, "  OUTSIDE WINDOW the patrol ran %s outside the allowed hours %s\n", d, w);
    }
    if (r->before_start)
        fputs("  BEFORE START the patrol began before the route's start date\n", out);
    if (r->after_end)
        fputs("  AFTER END    the patrol ended after the route ceased to be in force\n", out);
}

/* Consecutive bins that read alike share a row (truce_patrol_summary_run_end). */
static void patrol_table_summary(FILE *out, const truce_patrol_summary *s, double bin_m)
{
    char d0[11], d1[11];
    fputs("summary\n", out);
    if (s->from_day == TRUCE_NO_DAY) {
        fprintf(out, "  period       none (the route has no start date and no track has a time)\n");
    } else {
        patrol_format_day(s->from_day, d0);
        patrol_format_day(s->to_day, d1);
        fprintf(out, "  period       %s to %s, %zu day%s\n", d0, d1, s->ndays,
                s->ndays == 1 ? "" : "s");
    }
    fprintf(out, "  tracks       %zu in the period, %zu left out (outside it or without times)\n",
            s->ntracks, s->nleft_out);
    fprintf(out, "  covered      %.3f of %.3f km (%.1f%%) by the tracks together\n",
            s->covered_m / 1e3, s->route_length_m / 1e3, s->covered_fraction * 100);
    fprintf(out, "  patrol days  %zu of %zu\n", s->npatrol_days, s->ndays);
    fprintf(out, "  days without a patrol %zu\n", s->ndays_without);
    for (size_t i = 0; i < s->ndays_without; i++) {
        patrol_format_day(s->days_without[i], d0);
        fprintf(out, "    %s\n", d0);
    }
    fprintf(out, "  per %g km of route    tracks  days  of days  covered\n", bin_m / 1e3);
    for (size_t k = 0; k < s->nbins;) {
        size_t e = truce_patrol_summary_run_end(s, k);
        const truce_patrol_bin *b = &s->bins[k];
        fprintf(out, "    km %7.3f to %7.3f  %6zu  %4zu  %6.1f%%  %6.1f%%\n", b->from_m / 1e3,
                s->bins[e - 1].to_m / 1e3, b->tracks, b->days,
                s->ndays ? 100.0 * (double)b->days / (double)s->ndays : 0.0,
                b->covered_fraction * 100);
        k = e;
    }
}

/* ---- JSON -------------------------------------------------------------- */

static json_t *intervals_json(const truce_chainage_interval *iv, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("[f, f]", iv[i].from_m, iv[i].to_m));
    return arr;
}

static json_t *time_json(double t, int local, const truce_agreement *a)
{
    char buf[26];
    if (isnan(t))
        return json_null();
    if (local)
        patrol_format_local(a, t, buf);
    else
        patrol_format_utc(t, buf);
    return json_string(buf);
}

static json_t *patrol_json_track(const truce_agreement *a, const truce_patrol_judged *j)
{
    const truce_track *t = j->track;
    const truce_patrol_result *r = j->result;
    json_t *o = json_object();
    json_object_set_new(o, "track", t->name ? json_string(t->name) : json_null());
    json_object_set_new(o, "file", json_string(j->path));
    json_object_set_new(o, "line", json_integer((json_int_t)t->line));
    json_object_set_new(o, "points", json_integer((json_int_t)r->npoints));
    json_object_set_new(o, "covered_m", json_real(r->covered_m));
    json_object_set_new(o, "covered_fraction", json_real(r->covered_fraction));
    json_object_set_new(o, "covered", intervals_json(r->covered, r->ncovered));
    json_object_set_new(o, "gaps", intervals_json(r->gaps, r->ngaps));
    json_object_set_new(o, "off_route_s", json_real(r->off_route_s));
    json_object_set_new(o, "off_route_m", json_real(r->off_route_m));
    json_object_set_new(o, "off_route_points", json_integer((json_int_t)r->noff));
    json_object_set_new(o, "max_offset_m", json_real(r->max_offset_m));
    json_object_set_new(o, "max_offset_at",
                        r->npoints
                            ? json_pack("{s:f, s:f, s:f}", "lat", r->max_offset_lat, "lon",
                                        r->max_offset_lon, "chainage_m", r->max_offset_chainage_m)
                            : json_null());
    json_object_set_new(o, "outside_corridor_s",
                        r->has_corridor ? json_real(r->outside_corridor_s) : json_null());
    json_object_set_new(o, "outside_corridor_m",
                        r->has_corridor ? json_real(r->outside_corridor_m) : json_null());
    json_object_set_new(o, "start_utc", time_json(r->start_s, 0, a));
    json_object_set_new(o, "end_utc", time_json(r->end_s, 0, a));
    json_object_set_new(o, "start_local", time_json(r->start_s, 1, a));
    json_object_set_new(o, "end_local", time_json(r->end_s, 1, a));
    json_object_set_new(o, "direction", json_string(truce_patrol_direction_name(r->direction)));
    json_object_set_new(o, "stops", json_integer((json_int_t)j->nstops));
    char w[12];
    truce_daily_window_format(&r->window, w);
    json_object_set_new(o, "window", r->has_window ? json_string(w) : json_null());
    json_object_set_new(o, "outside_window_s",
                        r->has_window && !isnan(r->outside_window_s)
                            ? json_real(r->outside_window_s)
                            : json_null());
    json_object_set_new(o, "outside_window", json_boolean(r->outside_window));
    json_object_set_new(o, "before_start", json_boolean(r->before_start));
    json_object_set_new(o, "after_end", json_boolean(r->after_end));
    return o;
}

static json_t *day_json(int64_t day)
{
    char buf[11];
    if (day == TRUCE_NO_DAY)
        return json_null();
    patrol_format_day(day, buf);
    return json_string(buf);
}

static json_t *patrol_json_summary(const truce_patrol_summary *s, double bin_m)
{
    json_t *bins = json_array(), *without = json_array();
    for (size_t k = 0; k < s->nbins; k++) {
        const truce_patrol_bin *b = &s->bins[k];
        json_array_append_new(
            bins, json_pack("{s:f, s:f, s:I, s:I, s:f, s:f}", "from_m", b->from_m, "to_m", b->to_m,
                            "tracks", (json_int_t)b->tracks, "days", (json_int_t)b->days,
                            "covered_m", b->covered_m, "covered_fraction", b->covered_fraction));
    }
    for (size_t i = 0; i < s->ndays_without; i++)
        json_array_append_new(without, day_json(s->days_without[i]));
    json_t *o = json_object();
    json_object_set_new(o, "from", day_json(s->from_day));
    json_object_set_new(o, "to", day_json(s->to_day));
    json_object_set_new(o, "days", json_integer((json_int_t)s->ndays));
    json_object_set_new(o, "tracks", json_integer((json_int_t)s->ntracks));
    json_object_set_new(o, "left_out", json_integer((json_int_t)s->nleft_out));
    json_object_set_new(o, "covered_m", json_real(s->covered_m));
    json_object_set_new(o, "covered_fraction", json_real(s->covered_fraction));
    json_object_set_new(o, "patrol_days", json_integer((json_int_t)s->npatrol_days));
    json_object_set_new(o, "days_without_patrol", without);
    json_object_set_new(o, "bin_m", json_real(bin_m));
    json_object_set_new(o, "bins", bins);
    return o;
}

/* ---- GeoJSON ----------------------------------------------------------- */

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
    json_free_t jansson_free; /* jansson's allocator, not the hook (truce/alloc.h) */
    json_get_alloc_funcs(NULL, &jansson_free);
    jansson_free(text);
    *first = 0;
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s[%.7f,%.7f]", i ? "," : "", lonlat[2 * i], lonlat[2 * i + 1]);
    return fputs("]}}", out) < 0 ? TRUCE_E_IO : TRUCE_OK;
}

static json_t *props_of(const truce_patrol_judged *j, const char *kind, double from_m, double to_m)
{
    return json_pack("{s:o, s:s, s:s, s:f, s:f}", "track",
                     j->track->name ? json_string(j->track->name) : json_null(), "file", j->path,
                     "kind", kind, "from_m", from_m, "to_m", to_m);
}

/* Stretches of the route, as covered or gap features. */
static truce_status route_parts(FILE *out, const truce_patrol_route *route,
                                const truce_patrol_judged *j, const char *kind,
                                const truce_chainage_interval *iv, size_t n, double *buf,
                                int *first)
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

static truce_status patrol_geojson_track(FILE *out, const truce_agreement *a,
                                         const truce_patrol_route *route,
                                         const truce_patrol_judged *j, int *first)
{
    const truce_patrol_result *r = j->result;
    double *buf = trc_malloc(2 * (route->route.n + 2) * sizeof *buf);
    if (!buf)
        return TRUCE_E_NOMEM;
    truce_status st = route_parts(out, route, j, "covered", r->covered, r->ncovered, buf, first);
    if (st == TRUCE_OK)
        st = route_parts(out, route, j, "gap", r->gaps, r->ngaps, buf, first);
    trc_free(buf);
    for (size_t i = 0; i < r->noff_route && st == TRUCE_OK; i++) {
        const truce_off_route_stretch *s = &r->off_route[i];
        size_t n = s->count < 2 ? 2 : s->count; /* a lone point: a line of two equal points */
        double *line = trc_malloc(2 * n * sizeof *line);
        if (!line)
            return TRUCE_E_NOMEM;
        for (size_t k = 0; k < n; k++) {
            const truce_track_point *p = &j->track->points[s->first + (k < s->count ? k : 0)];
            line[2 * k] = p->lon;
            line[2 * k + 1] = p->lat;
        }
        json_t *props = props_of(j, "off_route", s->from_m, s->to_m);
        json_object_set_new(props, "max_offset_m", json_real(s->max_offset_m));
        json_object_set_new(props, "start_utc", time_json(s->start_s, 0, a));
        json_object_set_new(props, "end_utc", time_json(s->end_s, 0, a));
        json_object_set_new(props, "start_local", time_json(s->start_s, 1, a));
        json_object_set_new(props, "end_local", time_json(s->end_s, 1, a));
        st = feature(out, props, line, n, first);
        trc_free(line);
    }
    return st;
}

/* ---- the writer -------------------------------------------------------- */

truce_status truce_patrol_writer_new(FILE *out, truce_patrol_format format,
                                     const truce_agreement *agreement,
                                     const truce_patrol_route *route, double tolerance_m,
                                     truce_patrol_writer **w)
{
    if (w)
        *w = NULL;
    if (!out || !agreement || !route || !w || (unsigned)format > TRUCE_PATROL_GEOJSON)
        return TRUCE_E_ARG;
    truce_patrol_writer *n = trc_calloc(1, sizeof *n);
    if (!n)
        return TRUCE_E_NOMEM;
    *n = (truce_patrol_writer){out, format, agreement, route, tolerance_m, NULL, NULL, 1};
    if (format == TRUCE_PATROL_JSON) {
        n->tracks = json_array();
        if (!n->tracks) {
            trc_free(n);
            return TRUCE_E_NOMEM;
        }
    } else if (format == TRUCE_PATROL_GEOJSON) {
        fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", out);
    } else {
        fprintf(out, "route %s: %.3f km, patrols from %s, tolerance %g m\n", route->id,
                route->length_m / 1e3,
                route->valid.from_text ? route->valid.from_text : "(no start date)", tolerance_m);
    }
    *w = n;
    return TRUCE_OK;
}

truce_status truce_patrol_write_track(truce_patrol_writer *w, const truce_patrol_judged *j)
{
    if (!w || !j || !j->track || !j->result || !j->path)
        return TRUCE_E_ARG;
    switch (w->format) {
    case TRUCE_PATROL_JSON:
        return json_array_append_new(w->tracks, patrol_json_track(w->a, j)) ? TRUCE_E_NOMEM
                                                                            : TRUCE_OK;
    case TRUCE_PATROL_GEOJSON:
        return patrol_geojson_track(w->out, w->a, w->route, j, &w->first_feature);
    default:
        patrol_table_track(w->out, w->a, j);
        return ferror(w->out) ? TRUCE_E_IO : TRUCE_OK;
    }
}

truce_status truce_patrol_write_summary(truce_patrol_writer *w, const truce_patrol_summary *s,
                                        double bin_m)
{
    if (!w || !s)
        return TRUCE_E_ARG;
    switch (w->format) {
    case TRUCE_PATROL_JSON:
        json_decref(w->summary);
        w->summary = patrol_json_summary(s, bin_m);
        return w->summary ? TRUCE_OK : TRUCE_E_NOMEM;
    case TRUCE_PATROL_GEOJSON:
        return TRUCE_OK;
    default:
        patrol_table_summary(w->out, s, bin_m);
        return ferror(w->out) ? TRUCE_E_IO : TRUCE_OK;
    }
}

truce_status truce_patrol_writer_finish(truce_patrol_writer *w)
{
    if (!w)
        return TRUCE_OK;
    truce_status st = TRUCE_OK;
    if (w->format == TRUCE_PATROL_JSON) {
        const truce_patrol_route *r = w->route;
        json_t *o = json_pack("{s:s, s:f, s:f, s:o, s:o}", "route", r->id, "route_length_m",
                              r->length_m, "tolerance_m", w->tolerance_m, "route_start",
                              r->valid.from_text ? json_string(r->valid.from_text) : json_null(),
                              "tracks", w->tracks);
        if (o && w->summary) {
            json_object_set_new(o, "summary", w->summary);
            w->summary = NULL;
        }
        if (!o || json_dumpf(o, w->out, JSON_INDENT(2) | JSON_REAL_PRECISION(12)))
            st = o ? TRUCE_E_IO : TRUCE_E_NOMEM;
        fputc('\n', w->out);
        json_decref(o);
        json_decref(w->summary);
    } else if (w->format == TRUCE_PATROL_GEOJSON) {
        fputs("\n]}\n", w->out);
    }
    FILE *out = w->out;
    trc_free(w);
    return st == TRUCE_OK && ferror(out) ? TRUCE_E_IO : st;
}
