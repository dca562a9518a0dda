/* Synthetic patrol tracks along a route (truce/track.h), for tests and demos
 * whose expected answers are known by construction.
 *
 * Points lie on the route's geodesic segments (geod_inverseline and
 * geod_position), the detour's points are geodesic perpendiculars from route
 * points (geod_direct), so every distance the truth states is exact to the
 * accuracy of Karney's algorithms rather than to a flat-earth approximation. */
#include <geodesic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/time.h"
#include "truce/track.h"
#include "base/alloc.h"
#include "base/util.h"

#define DEDUP_M 1e-6 /* chainages closer than this are one point */
#define PI 3.14159265358979323846

void truce_gen_options_init(truce_gen_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->spacing_m = 25;
    opt->speed_mps = 40 / 3.6;
    opt->seed = 1;
    opt->max_points = 10000000;
}

typedef struct route {
    struct geod_geodesic g;
    struct geod_geodesicline *lines; /* one per segment */
    double *cum;                     /* chainage of each vertex; cum[n-1] is the length */
    size_t n;
} route;

typedef struct gen {
    const truce_gen_options *opt;
    route *r;
    truce_track *t;
    size_t cap;
    double travelled_m, clock_s;
    int have_last;
    double last_lat, last_lon;
} gen;

static void route_free(route *r)
{
    trc_free(r->lines);
    trc_free(r->cum);
}

static int route_init(route *r, const double *lonlat, size_t n)
{
    memset(r, 0, sizeof *r);
    geod_init(&r->g, 6378137.0, 1 / 298.257223563);
    r->n = n;
    r->lines = trc_calloc(n - 1, sizeof *r->lines);
    r->cum = trc_calloc(n, sizeof *r->cum);
    if (!r->lines || !r->cum)
        return -1;
    for (size_t i = 0; i + 1 < n; i++) {
        geod_inverseline(&r->lines[i], &r->g, lonlat[2 * i + 1], lonlat[2 * i], lonlat[2 * i + 3],
                         lonlat[2 * i + 2], 0);
        r->cum[i + 1] = r->cum[i] + r->lines[i].s13;
    }
    return 0;
}

/* The route point at chainage `c` and the route's azimuth there; *seg is a
 * hint (the segment of the previous call) updated in place. */
static void route_at(const route *r, double c, size_t *seg, double *lat, double *lon, double *azi)
{
    size_t k = *seg;
    while (k + 2 < r->n && c > r->cum[k + 1])
        k++;
    while (k > 0 && c < r->cum[k])
        k--;
    *seg = k;
    geod_position(&r->lines[k], c - r->cum[k], lat, lon, azi);
}

static int emit(gen *s, double lat, double lon, double pause_s)
{
    truce_track *t = s->t;
    if (s->have_last) {
        double d;
        geod_inverse(&s->r->g, s->last_lat, s->last_lon, lat, lon, &d, NULL, NULL);
        s->travelled_m += d;
        s->clock_s += d / s->opt->speed_mps;
    }
    s->clock_s += pause_s;
    if (t->npoints == s->cap) {
        if (t->npoints >= s->opt->max_points)
            return -2;
        size_t ncap = s->cap ? s->cap * 2 : 1024;
        truce_track_point *p = trc_realloc(t->points, ncap * sizeof *p);
        if (!p)
            return -1;
        t->points = p;
        s->cap = ncap;
    }
    t->points[t->npoints++] = (truce_track_point){
        .lat = lat, .lon = lon, .ele_m = (double)NAN, .time_s = s->opt->start_s + s->clock_s};
    s->have_last = 1;
    s->last_lat = lat;
    s->last_lon = lon;
    return 0;
}

/* The point `offset_m` to the left (> 0) or right (< 0) of the route point
 * (lat, lon) where the route's azimuth is `azi`. */
static void offset_point(const route *r, double lat, double lon, double azi, double offset_m,
                         double *olat, double *olon)
{
    double side = offset_m > 0 ? -90 : 90;
    geod_direct(&r->g, lat, lon, azi + side, fabs(offset_m), olat, olon, NULL);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The outbound chainages: multiples of the spacing, the vertices and the
 * chainages where something happens, sorted and without duplicates. */
static double *chainages(const route *r, const truce_gen_options *o, double end_m, size_t *count)
{
    size_t steps = (size_t)floor(end_m / o->spacing_m) + 1;
    size_t cap = steps + r->n + 5;
    double *c = trc_malloc(cap * sizeof *c);
    if (!c)
        return NULL;
    size_t m = 0;
    for (size_t k = 0; k < steps; k++)
        c[m++] = (double)k * o->spacing_m;
    for (size_t i = 0; i < r->n && r->cum[i] <= end_m; i++)
        c[m++] = r->cum[i];
    c[m++] = end_m;
    if (o->detour_offset_m != 0) {
        c[m++] = o->detour_from_m;
        c[m++] = o->detour_to_m;
    }
    if (o->stop_duration_s > 0)
        c[m++] = o->stop_at_m;
    qsort(c, m, sizeof *c, cmp_double);
    size_t u = 0;
    for (size_t i = 0; i < m; i++) {
        if (c[i] > end_m)
            break;
        if (u && c[i] - c[u - 1] < DEDUP_M) {
            /* keep the exact vertex or event chainage over a grid multiple */
            continue;
        }
        c[u++] = c[i];
    }
    *count = u;
    return c;
}

/* Whether a chainage is the event chainage `b` (merged within DEDUP_M). */
static int same(double a, double b)
{
    return fabs(a - b) < DEDUP_M;
}

static int gen_leg(gen *s, double from_lat, double from_lon, double azi, double from_off,
                   double to_off)
{
    /* a perpendicular leg between two offsets at one chainage */
    double step = s->opt->spacing_m, sign = from_off < to_off ? 1 : -1;
    double span = fabs(to_off - from_off);
    for (double d = step; d < span - DEDUP_M; d += step) {
        double lat, lon;
        double off = from_off + sign * d;
        if (fabs(off) < DEDUP_M)
            continue;
        offset_point(s->r, from_lat, from_lon, azi, off, &lat, &lon);
        int e = emit(s, lat, lon, 0);
        if (e)
            return e;
    }
    return 0;
}

static int generate(gen *s, const double *c, size_t m, double end_m, truce_gen_truth *truth)
{
    const truce_gen_options *o = s->opt;
    const route *r = s->r;
    int detour = o->detour_offset_m != 0;
    double D = o->detour_offset_m;
    size_t seg = 0;
    int e;
    for (size_t i = 0; i < m; i++) {
        double lat, lon, azi;
        route_at(r, c[i], &seg, &lat, &lon, &azi);
        if (detour && same(c[i], o->detour_from_m)) {
            if ((e = emit(s, lat, lon, 0)) || (e = gen_leg(s, lat, lon, azi, 0, D)))
                return e;
            double olat, olon;
            offset_point(r, lat, lon, azi, D, &olat, &olon);
            if ((e = emit(s, olat, olon, 0)))
                return e;
        } else if (detour && same(c[i], o->detour_to_m)) {
            double olat, olon;
            offset_point(r, lat, lon, azi, D, &olat, &olon);
            if ((e = emit(s, olat, olon, 0)) || (e = gen_leg(s, lat, lon, azi, D, 0)) ||
                (e = emit(s, lat, lon, 0)))
                return e;
        } else if (detour && c[i] > o->detour_from_m && c[i] < o->detour_to_m) {
            double olat, olon;
            offset_point(r, lat, lon, azi, D, &olat, &olon);
            if ((e = emit(s, olat, olon, 0)))
                return e;
        } else {
            if ((e = emit(s, lat, lon, 0)))
                return e;
        }
        if (o->stop_duration_s > 0 && same(c[i], o->stop_at_m)) {
            double step = o->spacing_m / o->speed_mps, waited = 0;
            truth->stop_start_s = o->start_s + s->clock_s;
            truth->stop_lat = lat;
            truth->stop_lon = lon;
            while (waited < o->stop_duration_s) {
                double dt = fmin(step, o->stop_duration_s - waited);
                waited += dt;
                if ((e = emit(s, lat, lon, dt)))
                    return e;
            }
            truth->stop_end_s = o->start_s + s->clock_s;
        }
    }
    if (end_m < r->cum[r->n - 1]) { /* the turn-back: home along the route */
        for (size_t i = m - 1; i-- > 0;) {
            double lat, lon, azi;
            route_at(r, c[i], &seg, &lat, &lon, &azi);
            if ((e = emit(s, lat, lon, 0)))
                return e;
        }
    }
    return 0;
}

static int valid_options(const truce_gen_options *o, double length_m, double *end_m)
{
    if (!(o->spacing_m > 0) || !isfinite(o->spacing_m) || !(o->speed_mps > 0) ||
        !isfinite(o->speed_mps) || !isfinite(o->start_s) || !(o->noise_m >= 0) ||
        !isfinite(o->noise_m) || !(o->turn_back_m >= 0) || !(o->stop_duration_s >= 0) ||
        !isfinite(o->stop_duration_s) || !isfinite(o->detour_offset_m))
        return 0;
    if (o->turn_back_m >= length_m)
        return 0;
    *end_m = o->turn_back_m > 0 ? o->turn_back_m : length_m;
    if (o->detour_offset_m != 0 &&
        !(o->detour_from_m >= 0 && o->detour_from_m < o->detour_to_m && o->detour_to_m <= *end_m))
        return 0;
    if (o->stop_duration_s > 0) {
        if (!(o->stop_at_m >= 0 && o->stop_at_m <= *end_m))
            return 0;
        if (o->detour_offset_m != 0 && o->stop_at_m >= o->detour_from_m - DEDUP_M &&
            o->stop_at_m <= o->detour_to_m + DEDUP_M)
            return 0;
    }
    return 1;
}

/* splitmix64 (S. Vigna, public domain algorithm): a small, well-mixed
 * stream from any seed, so a seed always gives the same track. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in (0, 1), never 0, so that log() is finite. */
static double uniform(uint64_t *state)
{
    return ((double)(splitmix64(state) >> 11) + 0.5) * 0x1.0p-53;
}

static void add_noise(const route *r, truce_track *t, double sigma_m, uint64_t seed)
{
    uint64_t state = seed;
    for (size_t i = 0; i < t->npoints; i++) {
        /* Box-Muller: two independent standard normals from two uniforms. */
        double rad = sqrt(-2 * log(uniform(&state))), theta = 2 * PI * uniform(&state);
        double east = sigma_m * rad * cos(theta), north = sigma_m * rad * sin(theta);
        truce_track_point *p = &t->points[i];
        double azi = atan2(east, north) * (180 / PI);
        geod_direct(&r->g, p->lat, p->lon, azi, hypot(east, north), &p->lat, &p->lon, NULL);
    }
}

static char *truth_text(const truce_gen_truth *w)
{
    return truce_asprintf("truce-gen route_length_m=%.6f covered_from_m=%.6f covered_to_m=%.6f "
                          "path_length_m=%.6f start_s=%.3f end_s=%.3f detour_from_m=%.6f "
                          "detour_to_m=%.6f detour_max_offset_m=%.6f stop_start_s=%.3f "
                          "stop_end_s=%.3f stop_lat=%.9f stop_lon=%.9f",
                          w->route_length_m, w->covered_from_m, w->covered_to_m, w->path_length_m,
                          w->start_s, w->end_s, w->detour_from_m, w->detour_to_m,
                          w->detour_max_offset_m, w->stop_start_s, w->stop_end_s, w->stop_lat,
                          w->stop_lon);
}

truce_status truce_gen_truth_parse(const char *desc, truce_gen_truth *w)
{
    if (!desc || !w)
        return TRUCE_E_ARG;
    static const char *const keys[] = {
        "route_length_m", "covered_from_m", "covered_to_m", "path_length_m",       "start_s",
        "end_s",          "detour_from_m",  "detour_to_m",  "detour_max_offset_m", "stop_start_s",
        "stop_end_s",     "stop_lat",       "stop_lon"};
    double *fields[] = {&w->route_length_m, &w->covered_from_m, &w->covered_to_m,
                        &w->path_length_m,  &w->start_s,        &w->end_s,
                        &w->detour_from_m,  &w->detour_to_m,    &w->detour_max_offset_m,
                        &w->stop_start_s,   &w->stop_end_s,     &w->stop_lat,
                        &w->stop_lon};
    const char *p = desc;
    if (strncmp(p, "truce-gen", 9))
        return TRUCE_E_PARSE;
    p += 9;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        size_t n = strlen(keys[k]);
        if (*p++ != ' ' || strncmp(p, keys[k], n) || p[n] != '=')
            return TRUCE_E_PARSE;
        p += n + 1;
        char *end;
        *fields[k] = strtod(p, &end);
        if (end == p)
            return TRUCE_E_PARSE;
        p = end;
    }
    return *p ? TRUCE_E_PARSE : TRUCE_OK;
}

truce_status truce_track_generate(const double *lonlat, size_t n, const truce_gen_options *opt,
                                  truce_track *track, truce_gen_truth *truth)
{
    if (!lonlat || n < 2 || !opt || !track)
        return TRUCE_E_ARG;
    for (size_t i = 0; i < n; i++)
        if (!(fabs(lonlat[2 * i]) <= 180) || !(fabs(lonlat[2 * i + 1]) <= 90))
            return TRUCE_E_ARG;
    route r;
    if (route_init(&r, lonlat, n)) {
        route_free(&r);
        return TRUCE_E_NOMEM;
    }
    double length_m = r.cum[n - 1], end_m = 0;
    if (!(length_m > 0) || !valid_options(opt, length_m, &end_m)) {
        route_free(&r);
        return TRUCE_E_ARG;
    }
    /* Refuse before allocating when the count is plainly too large. */
    double estimate = (end_m / opt->spacing_m + (double)n + 8) * (opt->turn_back_m > 0 ? 2 : 1) +
                      2 * fabs(opt->detour_offset_m) / opt->spacing_m +
                      opt->stop_duration_s * opt->speed_mps / opt->spacing_m;
    if (estimate > (double)opt->max_points) {
        route_free(&r);
        return TRUCE_E_RANGE;
    }
    truce_gen_truth w = {.route_length_m = length_m,
                         .covered_to_m = end_m,
                         .stop_start_s = (double)NAN,
                         .stop_end_s = (double)NAN,
                         .stop_lat = (double)NAN,
                         .stop_lon = (double)NAN};
    if (opt->detour_offset_m != 0) {
        w.detour_from_m = opt->detour_from_m;
        w.detour_to_m = opt->detour_to_m;
        w.detour_max_offset_m = fabs(opt->detour_offset_m);
    }
    size_t m = 0;
    double *c = chainages(&r, opt, end_m, &m);
    truce_track t;
    truce_track_init(&t);
    gen s = {.opt = opt, .r = &r, .t = &t};
    int e = c ? generate(&s, c, m, end_m, &w) : -1;
    trc_free(c);
    truce_status st = e == -2 ? TRUCE_E_RANGE : e ? TRUCE_E_NOMEM : TRUCE_OK;
    if (st == TRUCE_OK) {
        w.path_length_m = s.travelled_m;
        w.start_s = t.points[0].time_s;
        w.end_s = t.points[t.npoints - 1].time_s;
        /* A crawl or a start far in the past or future: keep to the range
         * of instants (time.h) that GPX and truce's time functions write. */
        if (!(w.start_s >= (double)TRUCE_INSTANT_FIRST_S &&
              w.end_s < (double)TRUCE_INSTANT_LAST_S + 1))
            st = TRUCE_E_RANGE;
    }
    if (st == TRUCE_OK) {
        if (opt->noise_m > 0)
            add_noise(&r, &t, opt->noise_m, opt->seed);
        t.segments = trc_malloc(sizeof *t.segments);
        t.name = truce_strdup("synthetic patrol");
        t.desc = truth_text(&w);
        if (!t.segments || !t.name || !t.desc)
            st = TRUCE_E_NOMEM;
        else
            t.segments[t.nsegments++] = (truce_track_segment){0, t.npoints};
    }
    route_free(&r);
    if (st != TRUCE_OK) {
        truce_track_release(&t);
        return st;
    }
    truce_track_release(track);
    *track = t;
    if (truth)
        *truth = w;
    return TRUCE_OK;
}
