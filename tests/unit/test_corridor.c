/* Corridors: measure and decide against GeographicLib vectors, geodesic
 * properties and an independent reference; the bounds behind the index; the
 * edge cases of issue 3. */
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

#include "corridor_reference.h"
#include "test_rng.h"
#include "geo/corridor_internal.h"
#include "truce/corridor.h"

/* Tolerances: the issue asks for 1 mm; truce's solve is far tighter (the
 * fast path's proven bounds, docs/corridor.md; the exact solve alone is
 * checked to 1e-6 m in test_corridor_fast.c). */
#define DIST_TOL_M 1e-6
#define CHAIN_TOL_M 1e-6

/* Sanitizers slow the brute force: fewer points there. */
#if defined(__SANITIZE_ADDRESS__)
#define BULK_PRUNE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BULK_PRUNE 1
#endif
#endif
#ifndef BULK_PRUNE
#define BULK_PRUNE 4
#endif

static double *wiggly_road(size_t n, double lon, double lat, double heading, double step_m,
                           double turn)
{
    double *v = malloc(2 * n * sizeof *v);
    assert_non_null(v);
    double h = heading;
    for (size_t i = 0; i < n; i++) {
        v[2 * i] = lon;
        v[2 * i + 1] = lat;
        h += (rnd() - 0.5) * turn;
        h = heading + 0.8 * (h - heading);
        double azi2;
        geod_direct(&geod, lat, lon, h, step_m, &lat, &lon, &azi2);
    }
    return v;
}

/* ---- tests ---- */

static void geodsolve_vectors(void **state)
{
    (void)state;
    FILE *f = fopen(TRUCE_SOURCE_DIR "/tests/vectors/corridor_perp.txt", "r");
    assert_non_null(f);
    double la, oa, lb, ob, lp, op, d, ch;
    char side;
    int count = 0;
    while (fscanf(f, "%lf %lf %lf %lf %lf %lf %lf %lf %c", &la, &oa, &lb, &ob, &lp, &op, &d, &ch,
                  &side) == 9) {
        double v[4] = {oa, la, ob, lb};
        truce_corridor *c = make(v, 2, 6000, 6000);
        truce_measure m;
        assert_int_equal(truce_corridor_measure(c, op, lp, &m), TRUCE_OK);
        if (fabs(m.distance_m - d) > DIST_TOL_M || fabs(m.chainage_m - ch) > CHAIN_TOL_M ||
            m.side != (side == 'R' ? TRUCE_SIDE_RIGHT : TRUCE_SIDE_LEFT))
            fail_msg("vector %d: distance %.9f (want %.9f), chainage %.9f (want %.9f), side %d",
                     count, m.distance_m, d, m.chainage_m, ch, m.side);
        int inside;
        truce_corridor_decide(c, op, lp, &inside);
        assert_int_equal(inside, m.distance_m <= 6000);
        truce_corridor_free(c);
        count++;
    }
    fclose(f);
    assert_true(count >= 17);
}

/* A point placed with geod_direct perpendicular to a segment at distance d
 * measures d, the chainage of the foot and the side. */
static void perpendicular_property(void **state)
{
    (void)state;
    for (int k = 0; k < 300; k++) {
        double lat = -80 + 160 * rnd(), lon = -180 + 360 * rnd();
        double azi = 360 * rnd(), len = 10 + 20000 * rnd();
        double v[4] = {lon, lat, 0, 0};
        double azi2;
        geod_direct(&geod, lat, lon, azi, len, &v[3], &v[2], &azi2);
        double f = 0.001 + 0.998 * rnd();
        double xl, xo, xa;
        geod_direct(&geod, lat, lon, azi, f * len, &xl, &xo, &xa);
        double d = k % 10 == 0 ? 1e-3 * rnd() : 50000 * rnd();
        int right = rnd() < 0.5;
        double pl, po;
        geod_direct(&geod, xl, xo, xa + (right ? 90 : -90), d, &pl, &po, &azi2);
        truce_corridor *c = make(v, 2, 100, 6000);
        truce_measure m;
        truce_corridor_measure(c, po, pl, &m);
        if (fabs(m.distance_m - d) > DIST_TOL_M || fabs(m.chainage_m - f * len) > CHAIN_TOL_M ||
            (d > 1e-6 && m.side != (right ? TRUCE_SIDE_RIGHT : TRUCE_SIDE_LEFT)))
            fail_msg("case %d: d %.9f want %.9f, chain %.9f want %.9f, side %d", k, m.distance_m, d,
                     m.chainage_m, f * len, m.side);
        truce_corridor_free(c);
    }
}

/* Random points up to 50 km from a wiggly road, against the reference. */
static void check_against_reference(const double *v, size_t n, double left, double right,
                                    int npoints)
{
    truce_corridor *c = make(v, n, left, right);
    int ties = 0;
    for (int k = 0; k < npoints; k++) {
        size_t i = (size_t)(rnd() * (double)(n - 1));
        double lat, lon, azi2;
        double dist = k % 3 == 0 ? fmax(left, right) + (rnd() - 0.5) * 60 : 50000 * rnd();
        geod_direct(&geod, v[2 * i + 1], v[2 * i], 360 * rnd(), dist, &lat, &lon, &azi2);
        ref_result r = reference(v, n, lon, lat);
        truce_measure m;
        truce_corridor_measure(c, lon, lat, &m);
        if (fabs(m.distance_m - r.d) > DIST_TOL_M)
            fail_msg("point %d (%.12f, %.12f): distance %.9f, reference %.9f", k, lon, lat,
                     m.distance_m, r.d);
        if (r.second_d - r.d < 1e-5) {
            ties++; /* two stretches equally near: the chainage may be either's */
            continue;
        }
        if (fabs(m.chainage_m - r.chain) > CHAIN_TOL_M)
            fail_msg("point %d: chainage %.9f, reference %.9f", k, m.chainage_m, r.chain);
        if (r.d > 1e-6 && (int)m.side != r.side)
            fail_msg("point %d: side %d, reference %d (d %.3f)", k, m.side, r.side, r.d);
        int inside;
        truce_corridor_decide(c, lon, lat, &inside);
        assert_int_equal(inside, r.d <= (r.side < 0 ? left : right));
    }
    assert_true(ties < npoints / 10);
    truce_corridor_free(c);
}

static void reference_idlib_like(void **state)
{
    (void)state;
    double *v = wiggly_road(80, 36.2, 35.8, 90, 158.2, 30);
    check_against_reference(v, 80, 6000, 6000, 300);
    free(v);
    /* asymmetric depths, longer segments (cut into pieces) */
    v = wiggly_road(12, 36.2, 35.8, 60, 2500, 50);
    check_against_reference(v, 12, 6000, 2000, 200);
    free(v);
}

static void antimeridian(void **state)
{
    (void)state;
    double *v = wiggly_road(40, 179.8, -16, 95, 700, 30); /* crosses 180 */
    int crosses = 0;
    for (size_t i = 0; i < 40; i++)
        crosses |= v[2 * i] < 0;
    assert_true(crosses);
    check_against_reference(v, 40, 6000, 6000, 150);
    /* the same point written with lon + 360 or - 360 measures the same */
    truce_corridor *c = make(v, 40, 6000, 6000);
    truce_measure a, b;
    truce_corridor_measure(c, -179.9, -16.02, &a);
    truce_corridor_measure(c, 180.1, -16.02, &b);
    assert_true(fabs(a.distance_m - b.distance_m) < 1e-8); /* ECEF rounding of either */
    truce_corridor_free(c);
    free(v);
}

static void near_pole(void **state)
{
    (void)state;
    /* a road over the north pole and one circling near the south pole */
    double over[6] = {0, 89.9, 0, 89.99, 180, 89.95};
    check_against_reference(over, 3, 3000, 3000, 100);
    double *v = wiggly_road(30, 10, -89.5, 90, 3000, 20);
    check_against_reference(v, 30, 6000, 6000, 100);
    truce_corridor *c = make(over, 3, 3000, 3000);
    truce_measure m;
    truce_corridor_measure(c, 77, 90, &m); /* the pole itself */
    ref_result r = reference(over, 3, 77, 90);
    assert_true(fabs(m.distance_m - r.d) < DIST_TOL_M);
    truce_corridor_free(c);
    free(v);
}

static void repeated_vertices(void **state)
{
    (void)state;
    double clean[8] = {36.0, 35.8, 36.01, 35.8, 36.02, 35.81, 36.03, 35.81};
    double dup[16] = {36.0,  35.8, 36.0,  35.8,  36.01, 35.8,  36.01, 35.8,
                      36.01, 35.8, 36.02, 35.81, 36.03, 35.81, 36.03, 35.81};
    truce_corridor *a = make(clean, 4, 500, 500), *b = make(dup, 8, 500, 500);
    assert_true(fabs(truce_corridor_length_m(a) - truce_corridor_length_m(b)) < 1e-9);
    for (int k = 0; k < 100; k++) {
        double lon = 35.99 + 0.05 * rnd(), lat = 35.79 + 0.03 * rnd();
        truce_measure ma, mb;
        truce_corridor_measure(a, lon, lat, &ma);
        truce_corridor_measure(b, lon, lat, &mb);
        assert_true(ma.distance_m == mb.distance_m);
        assert_true(fabs(ma.chainage_m - mb.chainage_m) < 1e-9);
        assert_int_equal(ma.side, mb.side);
        assert_int_equal(ma.segment, mb.segment); /* zero-length segments are not counted */
    }
    truce_corridor_free(a);
    truce_corridor_free(b);
}

static void rejected_roads(void **state)
{
    (void)state;
    truce_corridor *c = (truce_corridor *)1;
    double one[2] = {36.0, 35.8};
    truce_road_part p = {one, 1};
    assert_int_equal(truce_corridor_new(&p, 1, 6000, 6000, &c), TRUCE_E_GEOMETRY);
    assert_null(c);
    double same[6] = {36.0, 35.8, 36.0, 35.8, 36.0, 35.8};
    p = (truce_road_part){same, 3};
    assert_int_equal(truce_corridor_new(&p, 1, 6000, 6000, &c), TRUCE_E_GEOMETRY);
    double ok[4] = {36.0, 35.8, 36.1, 35.8};
    p = (truce_road_part){ok, 2};
    assert_int_equal(truce_corridor_new(&p, 1, -1, 6000, &c), TRUCE_E_ARG);
    assert_int_equal(truce_corridor_new(&p, 1, (double)NAN, 6000, &c), TRUCE_E_ARG);
    double badlat[4] = {36.0, 95, 36.1, 35.8};
    p = (truce_road_part){badlat, 2};
    assert_int_equal(truce_corridor_new(&p, 1, 10, 10, &c), TRUCE_E_RANGE);
    assert_int_equal(truce_corridor_new(NULL, 1, 10, 10, &c), TRUCE_E_ARG);
    /* Past the engine's limits (corridor.h), refused before any piece is
     * made: one vertex too many, then 27 segments of 19,800 km. */
    size_t n = TRUCE_ROAD_MAX_VERTICES + 1;
    double *many = malloc(2 * n * sizeof *many);
    assert_non_null(many);
    for (size_t i = 0; i < n; i++) {
        many[2 * i] = 36.0 + 1e-5 * (double)i;
        many[2 * i + 1] = 35.8;
    }
    p = (truce_road_part){many, n};
    assert_int_equal(truce_corridor_new(&p, 1, 10, 10, &c), TRUCE_E_RANGE);
    for (size_t i = 0; i < 28; i++) {
        many[2 * i] = i % 2 ? 89.0 : -89.0;
        many[2 * i + 1] = 0;
    }
    p = (truce_road_part){many, 28};
    assert_int_equal(truce_corridor_new(&p, 1, 10, 10, &c), TRUCE_E_RANGE);
    free(many);
    p = (truce_road_part){ok, 2};
    assert_int_equal(truce_corridor_new(&p, 1, 10, 10, &c), TRUCE_OK);
    truce_measure m;
    int inside;
    assert_int_equal(truce_corridor_measure(c, 36.0, (double)NAN, &m), TRUCE_E_RANGE);
    assert_int_equal(truce_corridor_measure(c, 36.0, 90.5, &m), TRUCE_E_RANGE);
    assert_int_equal(truce_corridor_decide(c, HUGE_VAL, 35, &inside), TRUCE_E_RANGE);
    double pts[4] = {36.05, 35.8, 36.05, (double)NAN};
    unsigned char in[2];
    truce_measure ms[2];
    assert_int_equal(truce_corridor_decide_batch(c, pts, 2, in), TRUCE_E_RANGE);
    assert_int_equal(in[0], 1);
    assert_int_equal(in[1], 0);
    assert_int_equal(truce_corridor_measure_batch(c, pts, 2, ms), TRUCE_E_RANGE);
    assert_true(ms[0].distance_m < 10); /* the geodesic bulges north of the parallel */
    assert_true(isnan(ms[1].distance_m));
    truce_corridor_free(c);
    truce_corridor_free(NULL);
}

static void point_on_vertex(void **state)
{
    (void)state;
    double v[6] = {36.0, 35.8, 36.01, 35.8, 36.01, 35.81};
    truce_corridor *c = make(v, 3, 100, 100);
    truce_measure m;
    truce_corridor_measure(c, 36.01, 35.8, &m);
    double len0;
    geod_inverse(&geod, 35.8, 36.0, 35.8, 36.01, &len0, NULL, NULL);
    assert_true(m.distance_m == 0);
    assert_true(fabs(m.chainage_m - len0) < 1e-9);
    assert_int_equal(m.segment, 0); /* tie: the earlier segment */
    assert_int_equal(m.side, TRUCE_SIDE_RIGHT);
    truce_corridor_measure(c, 36.0, 35.8, &m); /* the first vertex */
    assert_true(m.distance_m == 0 && m.chainage_m == 0 && m.segment == 0);
    truce_corridor_measure(c, 36.01, 35.81, &m); /* the last */
    assert_true(m.distance_m == 0);
    assert_true(fabs(m.chainage_m - truce_corridor_length_m(c)) < 1e-9);
    assert_int_equal(m.segment, 1);
    truce_corridor_free(c);
}

/* Sides at an interior vertex (bisector rule) and beyond the ends. */
static void sides_at_vertex_and_ends(void **state)
{
    (void)state;
    /* east, then north: a left turn at (36.01, 35.8) */
    double v[6] = {36.0, 35.8, 36.01, 35.8, 36.01, 35.81};
    truce_corridor *c = make(v, 3, 6000, 2000);
    truce_measure m;
    /* the outer wedge of the bend (south-east of the vertex) is right */
    truce_corridor_measure(c, 36.02, 35.79, &m);
    assert_int_equal(m.side, TRUCE_SIDE_RIGHT);
    double len0;
    geod_inverse(&geod, 35.8, 36.0, 35.8, 36.01, &len0, NULL, NULL);
    assert_true(fabs(m.chainage_m - len0) < 1e-9); /* the vertex */
    /* inside the bend (north-west) is left */
    truce_corridor_measure(c, 36.005, 35.805, &m);
    assert_int_equal(m.side, TRUCE_SIDE_LEFT);
    /* behind the start, to the north (left of an eastward road) */
    truce_corridor_measure(c, 35.99, 35.801, &m);
    assert_int_equal(m.side, TRUCE_SIDE_LEFT);
    assert_true(m.chainage_m == 0);
    /* beyond the end (north of it), to the east: right of a northward road */
    truce_corridor_measure(c, 36.0101, 35.82, &m);
    assert_int_equal(m.side, TRUCE_SIDE_RIGHT);
    assert_true(fabs(m.chainage_m - truce_corridor_length_m(c)) < 1e-9);
    /* decide uses the depth of the side: 3 km south of the first segment is
     * right (2 km) and out; 3 km north is left (6 km) and in */
    int inside;
    double lat, lon, azi2;
    geod_direct(&geod, 35.8, 36.005, 180, 3000, &lat, &lon, &azi2);
    truce_corridor_decide(c, lon, lat, &inside);
    assert_int_equal(inside, 0);
    geod_direct(&geod, 35.8, 36.005, 0, 3000, &lat, &lon, &azi2);
    truce_corridor_decide(c, lon, lat, &inside);
    assert_int_equal(inside, 1);
    truce_corridor_free(c);
}

/* A hairpin: the road goes east, turns, and comes back 2 km north. */
static void hairpin(void **state)
{
    (void)state;
    double a[2] = {36.0, 35.8}, lat, lon, azi2;
    double v[8];
    v[0] = a[0];
    v[1] = a[1];
    geod_direct(&geod, a[1], a[0], 90, 10000, &v[3], &v[2], &azi2);
    geod_direct(&geod, v[3], v[2], 0, 2000, &v[5], &v[4], &azi2);
    geod_direct(&geod, v[5], v[4], 270, 10000, &v[7], &v[6], &azi2);
    check_against_reference(v, 4, 6000, 6000, 150);
    truce_corridor *c = make(v, 4, 6000, 6000);
    /* halfway between the arms: both 1 km away; the tie goes to the smaller
     * chainage (the first arm), whose left it is */
    double x1l, x1o;
    geod_direct(&geod, a[1], a[0], 90, 5000, &x1l, &x1o, &azi2);
    truce_measure m;
    struct geod_geodesicline l;
    geod_inverseline(&l, &geod, v[5], v[4], v[7], v[6], 0);
    /* the midpoint of the perpendicular between the arms, found by bisection
     * on the difference of the distances to the arms */
    double lo = 0, hi = 2000;
    for (int k = 0; k < 100; k++) {
        double mid = 0.5 * (lo + hi);
        geod_direct(&geod, x1l, x1o, 0, mid, &lat, &lon, &azi2);
        ref_result r1 = reference(v, 2, lon, lat), r2 = reference(v + 4, 2, lon, lat);
        if (r1.d < r2.d)
            lo = mid;
        else
            hi = mid;
    }
    geod_direct(&geod, x1l, x1o, 0, 0.5 * (lo + hi), &lat, &lon, &azi2);
    truce_corridor_measure(c, lon, lat, &m);
    if (fabs(m.distance_m - 1000) > 5)
        fail_msg("hairpin midpoint at %.6f", m.distance_m);
    assert_true(m.chainage_m < 10000); /* the first arm wins the tie */
    assert_int_equal(m.side, TRUCE_SIDE_LEFT);
    truce_corridor_free(c);
}

static void multipart(void **state)
{
    (void)state;
    double a[4] = {36.0, 35.8, 36.01, 35.8}, b[4] = {36.05, 35.8, 36.06, 35.8};
    truce_road_part parts[2] = {{a, 2}, {b, 2}};
    truce_corridor *c = NULL;
    assert_int_equal(truce_corridor_new(parts, 2, 1000, 1000, &c), TRUCE_OK);
    double la, lb;
    geod_inverse(&geod, 35.8, 36.0, 35.8, 36.01, &la, NULL, NULL);
    geod_inverse(&geod, 35.8, 36.05, 35.8, 36.06, &lb, NULL, NULL);
    assert_true(fabs(truce_corridor_length_m(c) - la - lb) < 1e-6);
    truce_measure m;
    truce_corridor_measure(c, 36.055, 35.801, &m);
    assert_int_equal(m.part, 1);
    assert_int_equal(m.segment, 1);
    assert_true(m.chainage_m > la && m.chainage_m < la + lb);
    /* in the gap: nearest is the end of part 0 or the start of part 1 */
    truce_corridor_measure(c, 36.02, 35.8, &m);
    assert_int_equal(m.part, 0);
    assert_true(fabs(m.chainage_m - la) < 1e-9);
    truce_corridor_free(c);
}

/* decide agrees with measure everywhere: uniform points, and a stress set
 * within 15 m of the boundary, through the single and the batch forms. */
static void decide_matches_measure(void **state)
{
    (void)state;
    double *v = wiggly_road(300, 36.2, 35.8, 90, 158.2, 30);
    truce_corridor *c = make(v, 300, 6000, 6000);
    enum { N = 20000 };
    double *pts = malloc(2 * N * sizeof *pts);
    assert_non_null(pts);
    for (int k = 0; k < N; k++) {
        if (k % 2) {
            pts[2 * k] = 36.0 + 0.9 * rnd();
            pts[2 * k + 1] = 35.55 + 0.5 * rnd();
        } else {
            /* 6000 +- 15 m perpendicular to a random segment */
            size_t i = (size_t)(rnd() * 299);
            double xl, xo, xa, azi2, f = rnd();
            struct geod_geodesicline l;
            geod_inverseline(&l, &geod, v[2 * i + 1], v[2 * i], v[2 * i + 3], v[2 * i + 2], 0);
            geod_genposition(&l, GEOD_NOFLAGS, f * l.s13, &xl, &xo, &xa, NULL, NULL, NULL, NULL,
                             NULL);
            geod_direct(&geod, xl, xo, xa + (rnd() < 0.5 ? 90 : -90), 6000 + 30 * (rnd() - 0.5),
                        &pts[2 * k + 1], &pts[2 * k], &azi2);
        }
    }
    unsigned char *in = malloc(N);
    truce_measure *ms = malloc(N * sizeof *ms);
    assert_non_null(in);
    assert_non_null(ms);
    assert_int_equal(truce_corridor_decide_batch(c, pts, N, in), TRUCE_OK);
    assert_int_equal(truce_corridor_measure_batch(c, pts, N, ms), TRUCE_OK);
    int ins = 0;
    for (int k = 0; k < N; k++) {
        int want = ms[k].distance_m <= 6000;
        if (in[k] != want)
            fail_msg("point %d: decide %d, measure %.9f", k, in[k], ms[k].distance_m);
        int one;
        truce_corridor_decide(c, pts[2 * k], pts[2 * k + 1], &one);
        assert_int_equal(one, want);
        /* within() with the depth, a smaller and a larger distance (zones
         * ask it with a report's radius on a depth-0 corridor). */
        const double ds[3] = {6000, 2500, 9000};
        for (int q = 0; q < 3; q++) {
            int w;
            assert_int_equal(truce_corridor_within(c, pts[2 * k], pts[2 * k + 1], ds[q], &w),
                             TRUCE_OK);
            if (w != (ms[k].distance_m <= ds[q]))
                fail_msg("point %d: within(%g) %d, measure %.9f", k, ds[q], w, ms[k].distance_m);
        }
        ins += want;
    }
    assert_true(ins > N / 10 && ins < N - N / 10);
    free(pts);
    free(in);
    free(ms);
    free(v);
    truce_corridor_free(c);
}

/* The bounds the index rests on, on many random pairs and pieces:
 *  - chord <= geodesic <= ub(chord) for points up to 1000 km apart;
 *  - an arc point is within dev of the chord point at the same fraction;
 *  - chord distance to a piece - dev <= exact distance <= ub(chord + dev). */
static void bounds_bracket_exact(void **state)
{
    (void)state;
    for (int k = 0; k < 3000; k++) {
        double lat1 = -89 + 178 * rnd(), lon1 = -180 + 360 * rnd(), lat2, lon2, azi2;
        double s = k < 1000 ? 1e6 * rnd() : 60000 * rnd();
        geod_direct(&geod, lat1, lon1, 360 * rnd(), s, &lat2, &lon2, &azi2);
        double s12;
        geod_inverse(&geod, lat1, lon1, lat2, lon2, &s12, NULL, NULL);
        double p[3], q[3];
        trc_corr_ecef(lat1, lon1, p);
        trc_corr_ecef(lat2, lon2, q);
        double chord = sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) +
                            (p[2] - q[2]) * (p[2] - q[2]));
        /* (rounding in the Earth-centred coordinates is ~1e-9 m: the code
         * adds CORR_EPS_M to every bound, and so does the test) */
        if (!(chord <= s12 + CORR_EPS_M) ||
            !(s12 <= trc_corr_chord_to_geodesic_ub(chord) + CORR_EPS_M))
            fail_msg("(%.9f, %.9f) to (%.9f, %.9f): chord %.9f geodesic %.9f ub %.9f", lat1, lon1,
                     lat2, lon2, chord, s12, trc_corr_chord_to_geodesic_ub(chord));
    }
    double *v = wiggly_road(30, 36.2, 35.8, 90, 900, 40);
    truce_corridor *c = make(v, 30, 6000, 6000);
    for (size_t i = 0; i < c->npieces; i++) {
        const corr_piece *pc = &c->pieces[i];
        const corr_chord *ch = &c->chords[i];
        for (int k = 0; k <= 16; k++) {
            double f = k / 16.0, xl, xo, azi, x[3];
            geod_genposition(&pc->line, GEOD_NOFLAGS, f * pc->len_m, &xl, &xo, &azi, NULL, NULL,
                             NULL, NULL, NULL);
            trc_corr_ecef(xl, xo, x);
            double y[3], dd = 0;
            for (int j = 0; j < 3; j++) {
                y[j] = ch->a[j] + f * ch->len * ch->u[j];
                dd += (x[j] - y[j]) * (x[j] - y[j]);
            }
            assert_true(sqrt(dd) <= ch->dev);
        }
        for (int k = 0; k < 100; k++) {
            double lat, lon, azi2, p[3];
            double dist = k % 2 ? 6000 + 20 * (rnd() - 0.5) : 50000 * rnd();
            geod_direct(&geod, pc->lat_a, pc->lon_a, 360 * rnd(), dist, &lat, &lon, &azi2);
            trc_corr_ecef(lat, lon, p);
            double t, cd = sqrt(trc_corr_chord_dist2(ch, p, &t));
            corr_foot f;
            trc_corr_solve_piece(c, pc, lat, lon, t, &f);
            assert_true(cd - ch->dev <= f.d);
            assert_true(f.d <= trc_corr_chord_to_geodesic_ub(cd + ch->dev));
        }
    }
    /* The grid: a cell that says IN or OUT is right for every point tried. */
    const corr_grid *g = &c->grid;
    for (int k = 0; k < 20000; k++) {
        double lon = g->lon0 + rnd() * g->dlon * (double)g->nx;
        double lat = g->lat0 + rnd() * g->dlat * (double)g->ny;
        const uint32_t *cands;
        size_t n;
        int st;
        trc_corr_grid_lookup(c, lat, lon, &cands, &n, &st);
        if (st == CORR_MIXED)
            continue;
        truce_measure m;
        truce_corridor_measure(c, lon, lat, &m);
        assert_int_equal(st == CORR_IN, m.distance_m <= 6000);
    }
    truce_corridor_free(c);
    free(v);
}

/* The fast paths (vertex inverse, Newton on the direct problem) agree with
 * the gnomonic iteration alone. */
static void fast_paths_match_gnomonic(void **state)
{
    (void)state;
    double *v = wiggly_road(40, 36.2, 35.8, 90, 400, 40);
    truce_corridor *c = make(v, 40, 6000, 6000);
    for (int k = 0; k < 2000; k++) {
        size_t i = (size_t)(rnd() * (double)c->npieces);
        const corr_piece *pc = &c->pieces[i];
        double lat, lon, azi2, p[3];
        geod_direct(&geod, pc->lat_a, pc->lon_a, 360 * rnd(), 50000 * rnd() * rnd(), &lat, &lon,
                    &azi2);
        trc_corr_ecef(lat, lon, p);
        double t, d2 = trc_corr_chord_dist2(&c->chords[i], p, &t);
        corr_vcache vc = {.id = SIZE_MAX};
        corr_foot a, b;
        trc_corr_solve(c, i, lat, lon, p, t, d2, &vc, &a);
        trc_corr_solve_piece(c, pc, lat, lon, t, &b);
        if (fabs(a.d - b.d) > 1e-8 || fabs(a.s - b.s) > 1e-6)
            fail_msg("piece %zu: fast d %.10f s %.10f, gnomonic d %.10f s %.10f (len %.3f t %.6f)",
                     i, a.d, a.s, b.d, b.s, pc->len_m, t);
    }
    truce_corridor_free(c);
    free(v);
}

/* measure at (lon, lat) is bit for bit the scan of every piece (*want);
 * the road must have at most 1,024 pieces (beyond, the fast path leaves a
 * full scan to the exact solve). */
static void same_as_full_scan(const truce_corridor *c, double lon, double lat, truce_measure *want)
{
    truce_measure got;
    double p[3];
    assert_int_equal(truce_corridor_measure(c, lon, lat, &got), TRUCE_OK);
    trc_corr_ecef(lat, lon, p);
    trc_corr_measure_cands(c, lat, lon, p, c->all, c->npieces, want);
    if (got.distance_m != want->distance_m || got.chainage_m != want->chainage_m ||
        got.side != want->side || got.segment != want->segment || got.part != want->part)
        fail_msg("(%.9f, %.9f): %.9f m at %.9f, full scan %.9f m at %.9f", lon, lat, got.distance_m,
                 got.chainage_m, want->distance_m, want->chainage_m);
}

/* The grid's pruned lists (corridor_index.c, cell_prune) against brute
 * force over every piece: each list holds every piece whose chord distance
 * is within trc_corr_cand_lim of the least over all pieces (so the nearest
 * chord too), and measure from the list is the full scan's, bit for bit.
 * Points uniform over the grid, near vertices (within 30 m), on the road
 * (within 1 m) and up to 50 km out, on a wiggly road of short steps (the
 * bench's), a zigzag of sharp turns, long straight segments (cut into
 * 1 km pieces) and a road at 80 degrees north, with unequal depths. */
static void pruned_lists_match_full_scan(void **state)
{
    (void)state;
    struct {
        size_t n;
        double lon, lat, heading, step_m, turn, left, right;
    } roads[] = {
        {200, 36.2, 35.8, 90, 158.2, 24, 6000, 6000},
        {120, 10.0, 45.0, 30, 400, 170, 3000, 8000},
        {12, -70.0, 35.0, 60, 20000, 10, 6000, 2000},
        {150, 20.0, 80.0, 120, 300, 40, 5000, 5000},
    };
    double *d2 = malloc(1024 * sizeof *d2);
    assert_non_null(d2);
    for (size_t r = 0; r < sizeof roads / sizeof roads[0]; r++) {
        double *v = wiggly_road(roads[r].n, roads[r].lon, roads[r].lat, roads[r].heading,
                                roads[r].step_m, roads[r].turn);
        truce_corridor *c = make(v, roads[r].n, roads[r].left, roads[r].right);
        assert_true(c->npieces <= 1024 && c->grid.cells);
        const corr_grid *g = &c->grid;
        size_t pruned = 0, bounded = 0;
        for (int k = 0; k < 4000 * BULK_PRUNE; k++) {
            double lat, lon, azi2;
            const corr_piece *pc = &c->pieces[(size_t)(rnd() * (double)c->npieces)];
            switch (k % 4) {
            case 0: /* uniform over the grid */
                lon = g->lon0 + rnd() * g->dlon * (double)g->nx;
                lat = g->lat0 + rnd() * g->dlat * (double)g->ny;
                break;
            case 1: /* near a vertex */
                geod_direct(&geod, pc->lat_a, pc->lon_a, 360 * rnd(), 30 * rnd(), &lat, &lon,
                            &azi2);
                break;
            case 2: /* on the road */
                geod_direct(&geod, pc->lat_a, pc->lon_a, pc->line.azi1 + (rnd() - 0.5) * 1e-4,
                            pc->len_m * rnd(), &lat, &lon, &azi2);
                break;
            default: /* up to 50 km out */
                geod_direct(&geod, pc->lat_a, pc->lon_a, 360 * rnd(), 50000 * rnd(), &lat, &lon,
                            &azi2);
            }
            double p[3], m2 = HUGE_VAL;
            trc_corr_ecef(lat, lon, p);
            for (size_t j = 0; j < c->npieces; j++) {
                d2[j] = trc_corr_chord_dist2(&c->chords[j], p, NULL);
                m2 = fmin(m2, d2[j]);
            }
            double lim = trc_corr_cand_lim(c, sqrt(m2));
            const uint32_t *cands;
            size_t n, at = 0;
            int st;
            trc_corr_grid_lookup(c, lat, lon, &cands, &n, &st);
            for (size_t j = 0; j < c->npieces; j++) {
                while (at < n && cands[at] < j)
                    at++;
                int listed = at < n && cands[at] == j;
                pruned += !listed;
                if (!listed && !(sqrt(d2[j]) > lim))
                    fail_msg("road %zu (%.9f, %.9f): piece %zu at %.6f m left out, least %.6f m, "
                             "limit %.6f m",
                             r, lon, lat, j, sqrt(d2[j]), sqrt(m2), lim);
            }
            truce_measure want;
            same_as_full_scan(c, lon, lat, &want);
            /* The cell's stored bounds hold for the point (within() settles
             * most points with them alone). */
            const corr_cell *cell = trc_corr_grid_cell(c, lat, lon);
            if (cell &&
                !((double)cell->lo_m <= want.distance_m && want.distance_m <= (double)cell->hi_m))
                fail_msg("road %zu (%.9f, %.9f): %.9f m outside its cell's [%.9f, %.9f]", r, lon,
                         lat, want.distance_m, (double)cell->lo_m, (double)cell->hi_m);
            bounded += cell != NULL;
        }
        assert_true(pruned > 0); /* the lists are shorter than the road */
        assert_true(bounded > 2000 * BULK_PRUNE);
        truce_corridor_free(c);
        free(v);
    }
    free(d2);
}

/* Chord distance from p to piece j and the unit vector u from the chord's
 * nearest point to p. */
static double chord_and_dir(const truce_corridor *c, size_t j, const double p[3], double u[3])
{
    const corr_chord *ch = &c->chords[j];
    double t, d = sqrt(trc_corr_chord_dist2(ch, p, &t));
    for (int i = 0; i < 3; i++)
        u[i] = d > 0 ? (p[i] - ch->a[i] - t * ch->len * ch->u[i]) / d : 0;
    return d;
}

/* trc_corr_diff_change, the lemma behind the pruned lists, holds where it
 * is tightest: at points of the ball's surface in the direction where the
 * difference of the two chord distances falls fastest (and at random points
 * of the ball), for balls from 0.5 m to most of their distance to the road,
 * 1 m to 50 km out, at 36 and 80 degrees. */
static void diff_change_bounds_difference(void **state)
{
    (void)state;
    size_t sharp = 0;
    for (int road = 0; road < 2; road++) {
        double *v = wiggly_road(200, 36.2, road ? 80.0 : 35.8, 90, 158.2, 40);
        truce_corridor *c = make(v, 200, 6000, 6000);
        for (int k = 0; k < 20000; k++) {
            size_t i = (size_t)(rnd() * (double)c->npieces);
            const corr_piece *pc = &c->pieces[i];
            double lat, lon, azi2, cp[3], uj[3], uk[3];
            geod_direct(&geod, pc->lat_a, pc->lon_a, 360 * rnd(), exp(log(50000) * rnd()), &lat,
                        &lon, &azi2);
            trc_corr_ecef(lat, lon, cp);
            size_t j = (i + (size_t)(rnd() * 40)) % c->npieces;
            double dj = chord_and_dir(c, i, cp, uj), dk = chord_and_dir(c, j, cp, uk);
            double r = fmin(dj, dk) * (0.001 + 0.6 * rnd()) + 0.5 * rnd();
            double D = trc_corr_diff_change(r, dj, uj, dk, uk);
            sharp += D < 2 * r;
            /* the steepest direction: -(U_j - U_k) */
            double e[3] = {uk[0] - uj[0], uk[1] - uj[1], uk[2] - uj[2]};
            for (int t = 0; t < 8; t++) {
                double w[3], w2 = 0, s = t < 2 ? 1 : rnd();
                for (int d = 0; d < 3; d++) {
                    w[d] = t == 0 ? e[d] : t == 1 ? -e[d] : rnd() - 0.5;
                    w2 += w[d] * w[d];
                }
                if (!(w2 > 0))
                    continue;
                double p[3], u[3];
                for (int d = 0; d < 3; d++)
                    p[d] = cp[d] + r * s * w[d] / sqrt(w2);
                double g = chord_and_dir(c, i, p, u) - chord_and_dir(c, j, p, u);
                if (fabs(g - (dj - dk)) > D + 1e-8)
                    fail_msg("piece %zu vs %zu, r %.3f m at %.3f / %.3f m: the difference moves "
                             "%.9f m, bound %.9f m",
                             i, j, r, dj, dk, fabs(g - (dj - dk)), D);
            }
        }
        truce_corridor_free(c);
        free(v);
    }
    assert_true(sharp > 10000); /* the bound below 2r is exercised */
}

/* Outside the grid, measure scans only the blocks of pieces its bounds
 * cannot rule out: the answer is bit for bit the full scan's, from just
 * past the grid to beyond 1000 km (where every block is kept); within()
 * agrees with the measured distance. */
static void outside_grid_blocks(void **state)
{
    (void)state;
    double *v = wiggly_road(80, 36.2, 35.8, 90, 158.2, 30);
    truce_corridor *c = make(v, 80, 6000, 6000);
    assert_true(c->nblocks > 1);
    int outside = 0;
    for (int k = 0; k < 3000; k++) {
        const corr_piece *pc = &c->pieces[(size_t)(rnd() * (double)c->npieces)];
        double lat, lon, azi2;
        double far = k % 10 == 0 ? 3e6 * rnd() : 15000 + 150000 * rnd();
        geod_direct(&geod, pc->lat_a, pc->lon_a, 360 * rnd(), far, &lat, &lon, &azi2);
        const uint32_t *cands;
        size_t n;
        int st;
        trc_corr_grid_lookup(c, lat, lon, &cands, &n, &st);
        outside += cands == c->all;
        truce_measure want;
        same_as_full_scan(c, lon, lat, &want);
        /* just below and above the distance, well below it (the blocks'
         * lower bound settles it) and well above (their upper bound) */
        for (int j = 0; j < 4; j++) {
            double r = j == 3 ? 1.5 * want.distance_m + 30000
                              : want.distance_m * (j == 0   ? 0.999
                                                   : j == 1 ? 1.001
                                                            : 0.5);
            int within;
            assert_int_equal(truce_corridor_within(c, lon, lat, r, &within), TRUCE_OK);
            assert_int_equal(within, want.distance_m <= r);
        }
    }
    assert_true(outside > 2000);
    truce_corridor_free(c);
    free(v);
}

int main(void)
{
    geod_init(&geod, CORR_A, CORR_F);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(geodsolve_vectors),
        cmocka_unit_test(outside_grid_blocks),
        cmocka_unit_test(pruned_lists_match_full_scan),
        cmocka_unit_test(diff_change_bounds_difference),
        cmocka_unit_test(perpendicular_property),
        cmocka_unit_test(reference_idlib_like),
        cmocka_unit_test(antimeridian),
        cmocka_unit_test(near_pole),
        cmocka_unit_test(repeated_vertices),
        cmocka_unit_test(rejected_roads),
        cmocka_unit_test(point_on_vertex),
        cmocka_unit_test(sides_at_vertex_and_ends),
        cmocka_unit_test(hairpin),
        cmocka_unit_test(multipart),
        cmocka_unit_test(decide_matches_measure),
        cmocka_unit_test(bounds_bracket_exact),
        cmocka_unit_test(fast_paths_match_gnomonic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
