/* The synthetic patrol generator on the bundled m4-patrol route: lengths,
 * the detour's worst offset measured independently of the generator, the
 * stop, the turn-back, noise, and the truth written into <desc>. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <geodesic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/agreement.h"
#include "truce/track.h"

#include "idlib_fixture.h"

/* Planimeter -l -p 10 on the route's vertices (test_agreement.c). */
#define ROUTE_LENGTH_M 58428.5207304741

static truce_agreement *idlib;
static const truce_patrol_route *route;

static int setup(void **state)
{
    (void)state;
    return idlib_load(&idlib, &route);
}

static int teardown(void **state)
{
    (void)state;
    truce_agreement_free(idlib);
    return 0;
}

static truce_track generate(const truce_gen_options *o, truce_gen_truth *w)
{
    truce_track t;
    truce_track_init(&t);
    assert_int_equal(truce_track_generate(route->route.lonlat, route->route.n, o, &t, w), TRUCE_OK);
    return t;
}

/* Distance from (lat, lon) to the route, by golden-section search for the
 * nearest point of each geodesic segment (a point a few km from a segment
 * tens of km long has one minimum along it), after a coarse scan.  It uses
 * only geod_inverse and geod_position, not the generator's construction. */
static double distance_to_route(const struct geod_geodesic *g, double lat, double lon)
{
    const double *v = route->route.lonlat;
    double best = HUGE_VAL;
    for (size_t k = 0; k + 1 < route->route.n; k++) {
        struct geod_geodesicline l;
        geod_inverseline(&l, g, v[2 * k + 1], v[2 * k], v[2 * k + 3], v[2 * k + 2], 0);
        double len = l.s13;
#define DIST_AT(s, out)                                                                            \
    do {                                                                                           \
        double plat, plon;                                                                         \
        geod_position(&l, (s), &plat, &plon, NULL);                                                \
        geod_inverse(g, lat, lon, plat, plon, &(out), NULL, NULL);                                 \
    } while (0)
        enum { N = 16 };
        double bs = 0, bd = HUGE_VAL;
        for (int i = 0; i <= N; i++) {
            double d, s = len * i / N;
            DIST_AT(s, d);
            if (d < bd)
                bd = d, bs = s;
        }
        double lo = fmax(0, bs - len / N), hi = fmin(len, bs + len / N);
        const double r = 0.6180339887498949;
        double a = hi - r * (hi - lo), b = lo + r * (hi - lo), da, db;
        DIST_AT(a, da);
        DIST_AT(b, db);
        for (int it = 0; it < 60; it++) {
            if (da < db) {
                hi = b, b = a, db = da;
                a = hi - r * (hi - lo);
                DIST_AT(a, da);
            } else {
                lo = a, a = b, da = db;
                b = lo + r * (hi - lo);
                DIST_AT(b, db);
            }
        }
        best = fmin(best, fmin(bd, fmin(da, db)));
#undef DIST_AT
    }
    return best;
}

static void plain_track_is_the_route(void **state)
{
    (void)state;
    truce_gen_options o;
    truce_gen_options_init(&o);
    o.start_s = 1584255600; /* 2020-03-15T07:00:00Z */
    truce_gen_truth w;
    truce_track t = generate(&o, &w);
    assert_true(fabs(w.route_length_m - ROUTE_LENGTH_M) < 1e-6);
    truce_track_summary s;
    assert_int_equal(truce_track_summarize(&t, &s), TRUCE_OK);
    assert_true(fabs(s.length_m - ROUTE_LENGTH_M) / ROUTE_LENGTH_M < 1e-6);
    assert_true(fabs(w.path_length_m - ROUTE_LENGTH_M) < 1e-6);
    assert_true(w.covered_from_m == 0 && w.covered_to_m == w.route_length_m);
    assert_true(w.detour_max_offset_m == 0 && isnan(w.stop_start_s));
    /* 25 m spacing plus the 6 inner vertices: 2338 multiples of 25 below the
     * length, the 6 inner vertices and the end. */
    assert_int_equal(t.npoints, (size_t)floor(ROUTE_LENGTH_M / 25) + 1 + 6 + 1);
    assert_true(fabs(t.points[0].lon - route->route.lonlat[0]) < 1e-12 &&
                fabs(t.points[0].lat - route->route.lonlat[1]) < 1e-12);
    assert_true(fabs(s.duration_s - ROUTE_LENGTH_M / (40 / 3.6)) < 1e-6);
    assert_true(s.start_s == o.start_s && s.start_s == w.start_s && s.end_s == w.end_s);
    /* Times near 1.6e9 s resolve to 2.4e-7 s, so the speed over the shortest
     * steps (a vertex a few centimetres past a multiple of 25 m) is only good
     * to a few parts in 10^4. */
    assert_true(fabs(s.max_speed_mps - 40 / 3.6) < 1e-2);
    assert_string_equal(t.name, "synthetic patrol");
    /* Every point lies on the route: sample every 50th. */
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    for (size_t i = 0; i < t.npoints; i += 50)
        assert_true(distance_to_route(&g, t.points[i].lat, t.points[i].lon) < 1e-6);
    truce_track_release(&t);
}

static void detour_worst_offset(void **state)
{
    (void)state;
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    /* Within one segment (30.573 to 44.203 km), and across the bend at the
     * vertex at 20.825 km, where the inner side comes nearer the road. */
    static const struct {
        double from_m, to_m;
        size_t off_points;
    } cases[] = {{32000, 42000, 19 + 101 + 19}, {20000, 26000, 19 + 61 + 1 + 19}};
    for (size_t c = 0; c < 2; c++) {
        for (int side = -1; side <= 1; side += 2) {
            truce_gen_options o;
            truce_gen_options_init(&o);
            o.spacing_m = 100;
            o.detour_from_m = cases[c].from_m;
            o.detour_to_m = cases[c].to_m;
            o.detour_offset_m = side * 2000.0;
            truce_gen_truth w;
            truce_track t = generate(&o, &w);
            assert_true(w.detour_max_offset_m == 2000);
            double worst = 0;
            size_t off = 0;
            for (size_t i = 0; i < t.npoints; i++) {
                double d = distance_to_route(&g, t.points[i].lat, t.points[i].lon);
                worst = fmax(worst, d);
                off += d > 1;
            }
            assert_true(fabs(worst - 2000) < 1.0);
            /* 19 points out, one every 100 m beside the road (plus one at the
             * vertex), 19 back */
            assert_int_equal(off, cases[c].off_points);
            /* Beside a straight segment the path is longer by the two legs: the
             * curve 2 km from a geodesic is longer or shorter than it by a
             * fraction of order (2 km / 6371 km)^2. */
            if (c == 0)
                assert_true(fabs(w.path_length_m - (ROUTE_LENGTH_M + 4000)) < 1.0);
            truce_track_release(&t);
        }
    }
}

static void detour_side(void **state)
{
    (void)state;
    /* The route runs west from Trumba; a detour to the left of travel is
     * south of the road, to the right is north. */
    double lat[2];
    for (int k = 0; k < 2; k++) {
        truce_gen_options o;
        truce_gen_options_init(&o);
        o.spacing_m = 500;
        o.detour_from_m = 50000;
        o.detour_to_m = 56000;
        o.detour_offset_m = k ? -2000 : 2000;
        truce_track t = generate(&o, NULL);
        lat[k] = -HUGE_VAL;
        for (size_t i = 0; i < t.npoints; i++)
            if (t.points[i].lon < 36.25 && t.points[i].lon > 36.20)
                lat[k] = t.points[i].lat;
        truce_track_release(&t);
    }
    /* the road is near 35.78 there */
    assert_true(lat[0] < 35.77 && lat[1] > 35.79);
}

static void stop_is_detected(void **state)
{
    (void)state;
    truce_gen_options o;
    truce_gen_options_init(&o);
    o.start_s = 1584255600;
    o.stop_at_m = 10000;
    o.stop_duration_s = 600;
    truce_gen_truth w;
    truce_track t = generate(&o, &w);
    assert_true(fabs(w.stop_end_s - w.stop_start_s - 600) < 1e-9);
    assert_true(fabs(w.stop_start_s - (o.start_s + 10000 / o.speed_mps)) < 1e-6);
    truce_stops s;
    assert_int_equal(truce_track_stops(&t, 1.0, 120, &s), TRUCE_OK);
    assert_int_equal(s.count, 1);
    assert_true(fabs(s.items[0].start_s - w.stop_start_s) < 1e-9);
    assert_true(fabs(s.items[0].end_s - s.items[0].start_s - 600) < 1e-9);
    assert_true(fabs(s.items[0].lat - w.stop_lat) < 1e-12 &&
                fabs(s.items[0].lon - w.stop_lon) < 1e-12);
    truce_stops_release(&s);
    truce_track_summary sum;
    truce_track_summarize(&t, &sum);
    assert_true(fabs(sum.duration_s - (ROUTE_LENGTH_M / o.speed_mps + 600)) < 1e-6);

    /* Through GPX and back: times to the millisecond. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    truce_gpx gpx = {.tracks = &t, .ntracks = 1};
    assert_int_equal(truce_gpx_write(f, &gpx), TRUCE_OK);
    fclose(f);
    truce_diags d;
    truce_diags_init(&d);
    truce_gpx *back = NULL;
    assert_int_equal(truce_gpx_parse(buf, len, "gen", NULL, &back, &d), TRUCE_OK);
    assert_int_equal(d.count, 0);
    assert_int_equal(truce_track_stops(&back->tracks[0], 1.0, 120, &s), TRUCE_OK);
    assert_int_equal(s.count, 1);
    assert_true(fabs(s.items[0].end_s - s.items[0].start_s - 600) < 2e-3);
    truce_stops_release(&s);
    truce_gen_truth w2;
    assert_int_equal(truce_gen_truth_parse(back->tracks[0].desc, &w2), TRUCE_OK);
    assert_true(fabs(w2.stop_start_s - w.stop_start_s) < 1e-3);
    assert_true(fabs(w2.covered_to_m - w.covered_to_m) < 1e-6);
    assert_true(isnan(w2.detour_max_offset_m) == 0 && w2.detour_max_offset_m == 0);
    truce_gpx_free(back);
    truce_diags_release(&d);
    free(buf);
    truce_track_release(&t);
}

static void turn_back(void **state)
{
    (void)state;
    truce_gen_options o;
    truce_gen_options_init(&o);
    o.turn_back_m = 40000;
    truce_gen_truth w;
    truce_track t = generate(&o, &w);
    assert_true(w.covered_to_m == 40000);
    truce_track_summary s;
    truce_track_summarize(&t, &s);
    assert_true(fabs(s.length_m - 80000) / 80000 < 1e-9);
    /* It ends where it started. */
    assert_true(t.points[t.npoints - 1].lat == t.points[0].lat &&
                t.points[t.npoints - 1].lon == t.points[0].lon);
    /* The farthest point from the start is the turning point, 40 km along. */
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    double far = 0, from_start;
    for (size_t i = 0; i < t.npoints; i++) {
        geod_inverse(&g, t.points[0].lat, t.points[0].lon, t.points[i].lat, t.points[i].lon,
                     &from_start, NULL, NULL);
        far = fmax(far, from_start);
    }
    assert_true(far < 40000 && far > 35000); /* the road bends: less than 40 km as the crow flies */
    truce_track_release(&t);
}

static void noise_is_seeded_and_sized(void **state)
{
    (void)state;
    truce_gen_options o;
    truce_gen_options_init(&o);
    truce_track clean = generate(&o, NULL);
    o.noise_m = 5;
    o.seed = 42;
    truce_track a = generate(&o, NULL), b = generate(&o, NULL);
    o.seed = 43;
    truce_track c = generate(&o, NULL);
    assert_int_equal(a.npoints, clean.npoints);
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    double sum2 = 0;
    size_t differ = 0;
    for (size_t i = 0; i < a.npoints; i++) {
        assert_true(a.points[i].lat == b.points[i].lat && a.points[i].lon == b.points[i].lon);
        differ += a.points[i].lat != c.points[i].lat;
        double d;
        geod_inverse(&g, clean.points[i].lat, clean.points[i].lon, a.points[i].lat, a.points[i].lon,
                     &d, NULL, NULL);
        sum2 += d * d;
    }
    /* Two axes of sigma 5 m: the mean squared displacement is 2 * 25 m^2;
     * with 2346 points its estimate is within 10% with overwhelming odds. */
    double msd = sum2 / (double)a.npoints;
    assert_true(msd > 45 && msd < 55);
    assert_true(differ > a.npoints / 2);
    truce_track_release(&clean);
    truce_track_release(&a);
    truce_track_release(&b);
    truce_track_release(&c);
}

static void bad_options(void **state)
{
    (void)state;
    const double *v = route->route.lonlat;
    size_t n = route->route.n;
    truce_track t;
    truce_track_init(&t);
    truce_gen_options o;

    truce_gen_options_init(&o);
    o.turn_back_m = 60000; /* beyond the end */
    assert_int_equal(truce_track_generate(v, n, &o, &t, NULL), TRUCE_E_ARG);
    truce_gen_options_init(&o);
    o.detour_from_m = 30000;
    o.detour_to_m = 20000;
    o.detour_offset_m = 100;
    assert_int_equal(truce_track_generate(v, n, &o, &t, NULL), TRUCE_E_ARG);
    truce_gen_options_init(&o);
    o.detour_from_m = 10000;
    o.detour_to_m = 20000;
    o.detour_offset_m = 100;
    o.stop_at_m = 15000;
    o.stop_duration_s = 60;
    assert_int_equal(truce_track_generate(v, n, &o, &t, NULL), TRUCE_E_ARG);
    truce_gen_options_init(&o);
    o.turn_back_m = 10000;
    o.stop_at_m = 15000; /* after the turn */
    o.stop_duration_s = 60;
    assert_int_equal(truce_track_generate(v, n, &o, &t, NULL), TRUCE_E_ARG);
    truce_gen_options_init(&o);
    o.spacing_m = 0;
    assert_int_equal(truce_track_generate(v, n, &o, &t, NULL), TRUCE_E_ARG);
    truce_gen_options_init(&o);
    o.max_points = 1000;
    assert_int_equal(truce_track_generate(v, n, &o, &t, NULL), TRUCE_E_RANGE);
    truce_gen_options_init(&o);
    o.spacing_m = 5000;
    o.speed_mps = 1e-9; /* 58 km would take 1.8 million years */
    assert_int_equal(truce_track_generate(v, n, &o, &t, NULL), TRUCE_E_RANGE);
    truce_gen_options_init(&o);
    const double same[] = {36.5, 35.8, 36.5, 35.8};
    assert_int_equal(truce_track_generate(same, 2, &o, &t, NULL), TRUCE_E_ARG);
    assert_int_equal(truce_track_generate(v, 1, &o, &t, NULL), TRUCE_E_ARG);
    assert_null(t.points);

    truce_gen_truth w;
    assert_int_equal(truce_gen_truth_parse("a patrol", &w), TRUCE_E_PARSE);
    assert_int_equal(truce_gen_truth_parse("truce-gen route_length_m=1", &w), TRUCE_E_PARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_track_is_the_route),
        cmocka_unit_test(detour_worst_offset),
        cmocka_unit_test(detour_side),
        cmocka_unit_test(stop_is_detected),
        cmocka_unit_test(turn_back),
        cmocka_unit_test(noise_is_seeded_and_sized),
        cmocka_unit_test(bad_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
