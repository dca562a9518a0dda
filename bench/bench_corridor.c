/* Benchmark: truce's corridor against what an analyst would use instead.
 *
 *   bench_corridor [--seed N] [--out DIR]          generate, time truce and GEOS
 *   bench_corridor --out DIR --score METHOD FILE   score PostGIS results
 *
 * The road: 1,000 vertices, ~158 km, random heading changes, near 35.8N
 * 36.6E; the points: 1,000,000 uniform over the road's bounding box grown by
 * 10 km, and 100,000 "stress" points at 6000 +- 15 m from it.  Depth 6000 m
 * on each side.  Everything is scored against truce's exact measure (which
 * the unit tests check against GeographicLib); truce.measure itself is
 * checked on a sample against an independent brute-force reference.
 *
 * Output, one line per method (run.sh adds PostGIS and the ratios):
 *   METHOD <TAB> points_per_second <TAB> wrong_uniform <TAB> wrong_stress <TAB> max_error_m
 * Times are one thread, wall clock (CLOCK_MONOTONIC), best of REPEAT runs,
 * and cover only the method's own work (points already in memory; for GEOS
 * already projected to UTM and already GEOS points, the buffer already
 * prepared). */
#include <errno.h>
#include <geodesic.h>
#include <geos_c.h>
#include <math.h>
#include <proj.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "truce/corridor.h"

#define NV 1000
#define STEP_M 158.2
#define NU 1000000
#define NS 100000
#define DEPTH 6000.0
#define REPEAT 3

static uint64_t rng;
static double rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (double)((rng * 2685821657736338717u) >> 11) * (1.0 / 9007199254740992.0);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench_corridor: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static struct geod_geodesic geod;
static double road[2 * NV];
static double *pts; /* NU uniform then NS stress, lon/lat */
static const size_t NP = NU + NS;

static void generate(void)
{
    double lon = 35.75, lat = 35.8, h = 90;
    for (int i = 0; i < NV; i++) {
        road[2 * i] = lon;
        road[2 * i + 1] = lat;
        h += (rnd() - 0.5) * 24;
        h = 90 + 0.9 * (h - 90);
        double azi2;
        geod_direct(&geod, lat, lon, h, STEP_M, &lat, &lon, &azi2);
    }
    double lo0 = 1e9, lo1 = -1e9, la0 = 1e9, la1 = -1e9;
    for (int i = 0; i < NV; i++) {
        lo0 = fmin(lo0, road[2 * i]);
        lo1 = fmax(lo1, road[2 * i]);
        la0 = fmin(la0, road[2 * i + 1]);
        la1 = fmax(la1, road[2 * i + 1]);
    }
    double mlat = 10000 / 110574.0, mlon = 10000 / (111320.0 * cos(la1 * 3.14159265358979 / 180));
    lo0 -= mlon;
    lo1 += mlon;
    la0 -= mlat;
    la1 += mlat;
    pts = xmalloc(2 * NP * sizeof *pts);
    for (size_t k = 0; k < NU; k++) {
        pts[2 * k] = lo0 + (lo1 - lo0) * rnd();
        pts[2 * k + 1] = la0 + (la1 - la0) * rnd();
    }
    for (size_t k = NU; k < NP; k++) {
        int i = (int)(rnd() * (NV - 1));
        struct geod_geodesicline l;
        geod_inverseline(&l, &geod, road[2 * i + 1], road[2 * i], road[2 * i + 3], road[2 * i + 2],
                         0);
        double xl, xo, xa, azi2;
        geod_genposition(&l, GEOD_NOFLAGS, rnd() * l.s13, &xl, &xo, &xa, NULL, NULL, NULL, NULL,
                         NULL);
        geod_direct(&geod, xl, xo, xa + (rnd() < 0.5 ? 90 : -90), DEPTH + 30 * (rnd() - 0.5),
                    &pts[2 * k + 1], &pts[2 * k], &azi2);
    }
}

/* Independent reference (tests/unit/test_corridor.c's method): per segment,
 * bisection on the sign of the distance's derivative along it. */
static double reference(double lon, double lat)
{
    double best = HUGE_VAL;
    for (int i = 0; i + 1 < NV; i++) {
        struct geod_geodesicline l;
        geod_inverseline(&l, &geod, road[2 * i + 1], road[2 * i], road[2 * i + 3], road[2 * i + 2],
                         0);
        double d0, azi1, azi2;
        geod_inverse(&geod, road[2 * i + 1], road[2 * i], lat, lon, &d0, &azi1, &azi2);
        if (d0 - l.s13 > best)
            continue;
        double lo = 0, hi = l.s13, d = d0;
        for (int k = 0; k < 80 && hi - lo > 1e-11; k++) {
            double m = 0.5 * (lo + hi), xl, xo, b, g;
            geod_genposition(&l, GEOD_NOFLAGS, m, &xl, &xo, &b, NULL, NULL, NULL, NULL, NULL);
            geod_inverse(&geod, xl, xo, lat, lon, &d, &g, &azi2);
            if (cos((g - b) * 3.14159265358979323846 / 180) > 0)
                lo = m;
            else
                hi = m;
        }
        double xl, xo, b;
        geod_genposition(&l, GEOD_NOFLAGS, 0.5 * (lo + hi), &xl, &xo, &b, NULL, NULL, NULL, NULL,
                         NULL);
        geod_inverse(&geod, xl, xo, lat, lon, &d, &azi1, &azi2);
        double dend;
        geod_inverse(&geod, road[2 * i + 3], road[2 * i + 2], lat, lon, &dend, &azi1, &azi2);
        d = fmin(d, fmin(d0, dend));
        if (d < best)
            best = d;
    }
    return best;
}

static double *exact_d;         /* truce measure: distance */
static unsigned char *exact_in; /* distance <= depth of the side */

static void line(const char *method, double pps, long wu, long ws, double maxerr)
{
    printf("%s\t%.0f\t%ld\t%ld\t%.6g\n", method, pps, wu, ws, maxerr);
    fflush(stdout);
}

static void count_wrong(const unsigned char *in, long *wu, long *ws)
{
    *wu = *ws = 0;
    for (size_t k = 0; k < NP; k++)
        if (in[k] != exact_in[k])
            (*(k < NU ? wu : ws))++;
}

static void write_file(const char *dir, const char *name, void (*fill)(FILE *))
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        die("%s: %s", path, strerror(errno));
    fill(f);
    if (fclose(f))
        die("%s: write failed", path);
}

static void fill_road(FILE *f)
{
    fputs("SRID=4326;LINESTRING(", f);
    for (int i = 0; i < NV; i++)
        fprintf(f, "%s%.15g %.15g", i ? "," : "", road[2 * i], road[2 * i + 1]);
    fputs(")\n", f);
}

static void fill_points(FILE *f)
{
    for (size_t k = 0; k < NP; k++)
        fprintf(f, "%zu,%.15g,%.15g\n", k, pts[2 * k], pts[2 * k + 1]);
}

static void fill_exact(FILE *f)
{
    for (size_t k = 0; k < NP; k++)
        fprintf(f, "%.9f,%d\n", exact_d[k], exact_in[k]);
}

/* The fast path (what truce.measure times) against the exact solve alone
 * on every point: the largest differences of distance and chainage, sides
 * and inside/outside that differ, and the share of points the fast path
 * handed to the exact solve.  The exact answers are what the other methods
 * are scored against. */
static void check_fast(truce_corridor *c, const truce_measure *m, size_t fallbacks)
{
    truce_measure *x = xmalloc(NP * sizeof *x);
    truce_corridor_set_exact(c, 1);
    double t0 = now();
    if (truce_corridor_measure_batch(c, pts, NP, x))
        die("measure failed");
    double exact_pps = (double)NP / (now() - t0);
    truce_corridor_set_exact(c, 0);
    exact_d = xmalloc(NP * sizeof *exact_d);
    exact_in = xmalloc(NP);
    double dd = 0, dc = 0;
    long side = 0, in = 0;
    for (size_t k = 0; k < NP; k++) {
        exact_d[k] = x[k].distance_m;
        exact_in[k] = x[k].distance_m <= DEPTH; /* equal depths: the side does not matter */
        dd = fmax(dd, fabs(m[k].distance_m - x[k].distance_m));
        dc = fmax(dc, fabs(m[k].chainage_m - x[k].chainage_m));
        side += m[k].side != x[k].side;
        in += (m[k].distance_m <= DEPTH) != exact_in[k];
    }
    printf("truce.measure.fast\tfallback_share %.4f%%\tmax |fast - exact| %.3g m distance, %.3g m "
           "chainage\tsides differing %ld\tinside differing %ld\n",
           100.0 * (double)fallbacks / (double)NP, dd, dc, side, in);
    line("truce.measure_exact_only", exact_pps, 0, 0, 0);
    free(x);
}

static void run_truce(truce_corridor *c)
{
    truce_measure *m = xmalloc(NP * sizeof *m);
    double best = HUGE_VAL;
    size_t fallbacks = 0;
    for (int r = 0; r < REPEAT; r++) {
        size_t f0 = truce_corridor_fallbacks(c);
        double t0 = now();
        if (truce_corridor_measure_batch(c, pts, NP, m))
            die("measure failed");
        best = fmin(best, now() - t0);
        fallbacks = truce_corridor_fallbacks(c) - f0;
    }
    double measure_pps = (double)NP / best;
    check_fast(c, m, fallbacks);

    unsigned char *in = xmalloc(NP);
    best = HUGE_VAL;
    for (int r = 0; r < REPEAT; r++) {
        double t0 = now();
        if (truce_corridor_decide_batch(c, pts, NP, in))
            die("decide failed");
        best = fmin(best, now() - t0);
    }
    long wu, ws;
    count_wrong(in, &wu, &ws);
    line("truce.decide", (double)NP / best, wu, ws, 0);

    /* measure against the independent reference on a sample */
    double maxerr = 0;
    for (int k = 0; k < 400; k++) {
        size_t i = k < 200 ? (size_t)(rnd() * NU) : NU + (size_t)(rnd() * NS);
        double e = fabs(reference(pts[2 * i], pts[2 * i + 1]) - exact_d[i]);
        maxerr = fmax(maxerr, e);
    }
    line("truce.measure", measure_pps, 0, 0, maxerr);
    free(in);
    free(m);
}

/* The ceiling for any exact measure through PROJ: one geodesic problem per
 * point and nothing else (no search for the nearest piece, no foot), an
 * inverse from the point to a road vertex, and a direct problem of the
 * point's distance from it.  An exact distance needs at least one of them
 * per point, so truce.measure cannot be faster than the faster of the two;
 * run.sh prints their ratios to PostGIS beside truce's. */
static void run_proj_floor(void)
{
    double best_inv = HUGE_VAL, best_dir = HUGE_VAL, sink = 0;
    for (int r = 0; r < REPEAT; r++) {
        double t0 = now();
        for (size_t k = 0; k < NP; k++) {
            const double *v = road + 2 * (k % NV);
            double s12, azi1, azi2;
            geod_inverse(&geod, pts[2 * k + 1], pts[2 * k], v[1], v[0], &s12, &azi1, &azi2);
            sink += s12;
        }
        best_inv = fmin(best_inv, now() - t0);
        t0 = now();
        for (size_t k = 0; k < NP; k++) {
            double lat2, lon2, azi2;
            geod_direct(&geod, pts[2 * k + 1], pts[2 * k], (double)(k % 360), exact_d[k], &lat2,
                        &lon2, &azi2);
            sink += lat2;
        }
        best_dir = fmin(best_dir, now() - t0);
    }
    if (sink == 0) /* keeps the loops from being optimised away */
        fprintf(stderr, "bench_corridor: sink %g\n", sink);
    line("proj.geod_inverse_only", (double)NP / best_inv, 0, 0, 0);
    line("proj.geod_direct_only", (double)NP / best_dir, 0, 0, 0);
}

static void geos_quiet(const char *fmt, ...)
{
    (void)fmt;
}

static void run_geos(void)
{
    PJ_CONTEXT *ctx = proj_context_create();
    PJ *p = proj_create_crs_to_crs(ctx, "EPSG:4326", "EPSG:32637", NULL);
    PJ *pn = p ? proj_normalize_for_visualization(ctx, p) : NULL;
    if (!pn)
        die("PROJ: cannot make EPSG:4326 -> EPSG:32637");
    double *x = xmalloc(NP * sizeof *x), *y = xmalloc(NP * sizeof *y);
    for (size_t k = 0; k < NP; k++) {
        x[k] = pts[2 * k];
        y[k] = pts[2 * k + 1];
    }
    proj_trans_generic(pn, PJ_FWD, x, sizeof *x, NP, y, sizeof *y, NP, NULL, 0, 0, NULL, 0, 0);
    double rx[NV], ry[NV];
    for (int i = 0; i < NV; i++) {
        rx[i] = road[2 * i];
        ry[i] = road[2 * i + 1];
    }
    proj_trans_generic(pn, PJ_FWD, rx, sizeof *rx, NV, ry, sizeof *ry, NV, NULL, 0, 0, NULL, 0, 0);

    GEOSContextHandle_t h = GEOS_init_r();
    GEOSContext_setNoticeHandler_r(h, geos_quiet);
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(h, NV, 2);
    for (int i = 0; i < NV; i++)
        GEOSCoordSeq_setXY_r(h, seq, (unsigned)i, rx[i], ry[i]);
    GEOSGeometry *line_utm = GEOSGeom_createLineString_r(h, seq);
    GEOSGeometry *buf = GEOSBuffer_r(h, line_utm, DEPTH, 8); /* GEOS's default quadrant segments */
    const GEOSPreparedGeometry *pbuf = GEOSPrepare_r(h, buf);
    const GEOSPreparedGeometry *pline = GEOSPrepare_r(h, line_utm);
    GEOSGeometry **gp = xmalloc(NP * sizeof *gp);
    for (size_t k = 0; k < NP; k++)
        gp[k] = GEOSGeom_createPointFromXY_r(h, x[k], y[k]);

    unsigned char *in = xmalloc(NP);
    double best = HUGE_VAL;
    for (int r = 0; r < REPEAT; r++) {
        double t0 = now();
        for (size_t k = 0; k < NP; k++)
            in[k] = GEOSPreparedContains_r(h, pbuf, gp[k]) == 1;
        best = fmin(best, now() - t0);
    }
    long wu, ws;
    count_wrong(in, &wu, &ws);
    line("geos.prepared_contains_utm", (double)NP / best, wu, ws, (double)NAN);

    double *dist = xmalloc(NP * sizeof *dist);
    best = HUGE_VAL;
    for (int r = 0; r < 1; r++) { /* slow: one run */
        double t0 = now();
        for (size_t k = 0; k < NP; k++)
            GEOSPreparedDistance_r(h, pline, gp[k], &dist[k]);
        best = fmin(best, now() - t0);
    }
    double maxerr = 0;
    for (size_t k = 0; k < NP; k++) {
        in[k] = dist[k] <= DEPTH;
        maxerr = fmax(maxerr, fabs(dist[k] - exact_d[k]));
    }
    count_wrong(in, &wu, &ws);
    line("geos.prepared_distance", (double)NP / best, wu, ws, maxerr);

    for (size_t k = 0; k < NP; k++)
        GEOSGeom_destroy_r(h, gp[k]);
    free(gp);
    free(dist);
    free(in);
    GEOSPreparedGeom_destroy_r(h, pbuf);
    GEOSPreparedGeom_destroy_r(h, pline);
    GEOSGeom_destroy_r(h, buf);
    GEOSGeom_destroy_r(h, line_utm);
    GEOS_finish_r(h);
    proj_destroy(pn);
    proj_destroy(p);
    proj_context_destroy(ctx);
    free(x);
    free(y);
}

/* Score PostGIS output: lines "id,value" (value 0/1 for dwithin, metres for
 * distance), with the elapsed seconds given. */
static void score(const char *dir, const char *method, const char *file, double seconds)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/exact.csv", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        die("%s: %s (run the benchmark first)", path, strerror(errno));
    exact_d = xmalloc(NP * sizeof *exact_d);
    exact_in = xmalloc(NP);
    for (size_t k = 0; k < NP; k++) {
        int in;
        if (fscanf(f, "%lf,%d", &exact_d[k], &in) != 2)
            die("%s: short", path);
        exact_in[k] = (unsigned char)in;
    }
    fclose(f);
    f = fopen(file, "r");
    if (!f)
        die("%s: %s", file, strerror(errno));
    unsigned char *in = xmalloc(NP);
    memset(in, 2, NP);
    int is_distance = strstr(method, "distance") != NULL;
    double maxerr = is_distance ? 0 : (double)NAN;
    size_t id, n = 0;
    char val[64];
    while (fscanf(f, "%zu,%63s", &id, val) == 2) {
        if (id >= NP)
            die("%s: id %zu out of range", file, id);
        if (is_distance) {
            double d = strtod(val, NULL);
            in[id] = d <= DEPTH;
            maxerr = fmax(maxerr, fabs(d - exact_d[id]));
        } else {
            in[id] = val[0] == 't' || val[0] == '1';
        }
        n++;
    }
    fclose(f);
    if (n != NP)
        die("%s: %zu results, expected %zu", file, n, NP);
    long wu, ws;
    count_wrong(in, &wu, &ws);
    line(method, (double)NP / seconds, wu, ws, maxerr);
}

int main(int argc, char **argv)
{
    uint64_t seed = 20200305;
    const char *out = "bench/out", *score_method = NULL, *score_file = NULL;
    double score_seconds = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--score") && i + 3 < argc) {
            score_method = argv[++i];
            score_file = argv[++i];
            score_seconds = strtod(argv[++i], NULL);
        } else {
            fprintf(stderr, "usage: bench_corridor [--seed N] [--out DIR]\n"
                            "       bench_corridor [--out DIR] --score METHOD FILE SECONDS\n");
            return 2;
        }
    }
    geod_init(&geod, 6378137, 1 / 298.257223563);
    if (score_method) {
        score(out, score_method, score_file, score_seconds);
        return 0;
    }
    rng = seed * 0x9e3779b97f4a7c15u + 1;
    generate();
    fprintf(stderr, "bench_corridor: seed %llu, road %d vertices, %d uniform + %d stress points\n",
            (unsigned long long)seed, NV, NU, NS);
    truce_road_part part = {road, NV};
    truce_corridor *c = NULL;
    double t0 = now();
    if (truce_corridor_new(&part, 1, DEPTH, DEPTH, &c))
        die("corridor_new failed");
    fprintf(stderr, "bench_corridor: road %.1f km, index built in %.3f s\n",
            truce_corridor_length_m(c) / 1000, now() - t0);
    run_truce(c);
    run_proj_floor();
    run_geos();
    write_file(out, "road.ewkt", fill_road);
    write_file(out, "points.csv", fill_points);
    write_file(out, "exact.csv", fill_exact);
    truce_corridor_free(c);
    free(pts);
    free(exact_d);
    free(exact_in);
    return 0;
}
