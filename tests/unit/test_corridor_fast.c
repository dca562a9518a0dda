/* The corridor's fast path (issue 19): distance and chainage against the
 * independent reference (GeographicLib's algorithms through PROJ, the foot
 * by bisection to 1e-11 m), sides and inside/outside against the exact
 * solve, the worst cases listed one by one, and the chainage of far points
 * near the joints of long straight segments (wrong by 2-3 cm before). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <geodesic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "corridor_reference.h"
#include "test_rng.h"
#include "geo/corridor_internal.h"
#include "truce/corridor.h"

/* The fast path's proven bounds (docs/corridor.md, "The fast path"), and
 * the exact solve's. */
#define FAST_DIST_TOL_M 1e-7
#define FAST_CHAIN_TOL_M 1e-6
#define EXACT_TOL_M 1e-6

/* Sanitizers slow the reference twentyfold: fewer random points there. */
#if defined(__SANITIZE_ADDRESS__)
#define BULK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BULK 1
#endif
#endif
#ifndef BULK
#define BULK 8
#endif

/* n vertices from (lon, lat), segments of len_m[i % nlen] metres, the
 * heading turning by up to +-turn/2 degrees at each vertex. */
static double *road(size_t n, double lon, double lat, double heading, const double *len_m,
                    size_t nlen, double turn)
{
    double *v = malloc(2 * n * sizeof *v);
    assert_non_null(v);
    double h = heading, azi2;
    for (size_t i = 0; i < n; i++) {
        v[2 * i] = lon;
        v[2 * i + 1] = lat;
        h += (rnd() - 0.5) * turn;
        geod_direct(&geod, lat, lon, h, len_m[i % nlen], &lat, &lon, &azi2);
    }
    return v;
}

typedef struct errs {
    double dist, chain; /* largest |fast - reference| seen */
    long points, fast, ties;
} errs;

/* One point: the fast answer (or the exact solve where the fast path
 * declines) against the reference, and side, inside and within against the
 * exact solve. */
static void check_point(truce_corridor *c, const double *v, size_t n, double lon, double lat,
                        errs *e, int expect_fast)
{
    truce_measure fm, xm;
    size_t before = truce_corridor_fallbacks(c);
    assert_int_equal(truce_corridor_measure(c, lon, lat, &fm), TRUCE_OK);
    int was_fast = truce_corridor_fallbacks(c) == before;
    truce_corridor_set_exact(c, 1);
    assert_int_equal(truce_corridor_measure(c, lon, lat, &xm), TRUCE_OK);
    truce_corridor_set_exact(c, 0);
    ref_result r = reference(v, n, lon, lat);
    double dd = fabs(fm.distance_m - r.d), dc = fabs(fm.chainage_m - r.chain);
    e->points++;
    e->fast += was_fast;
    if (expect_fast >= 0 && was_fast != expect_fast)
        fail_msg("(%.12f, %.12f): %s, expected %s", lon, lat, was_fast ? "fast" : "exact",
                 expect_fast ? "fast" : "exact");
    if (dd > (was_fast ? FAST_DIST_TOL_M : EXACT_TOL_M))
        fail_msg("(%.12f, %.12f) %s: distance %.9f, reference %.9f", lon, lat,
                 was_fast ? "fast" : "exact", fm.distance_m, r.d);
    if (dd > e->dist)
        e->dist = dd;
    if (r.second_d - r.d < 1e-5) {
        e->ties++; /* two stretches equally near: either's chainage */
    } else {
        if (dc > (was_fast ? FAST_CHAIN_TOL_M : EXACT_TOL_M))
            fail_msg("(%.12f, %.12f) %s: chainage %.9f, reference %.9f (d %.3f)", lon, lat,
                     was_fast ? "fast" : "exact", fm.chainage_m, r.chain, r.d);
        if (fabs(xm.chainage_m - r.chain) > EXACT_TOL_M)
            fail_msg("(%.12f, %.12f) exact: chainage %.9f, reference %.9f (d %.3f)", lon, lat,
                     xm.chainage_m, r.chain, r.d);
        if (dc > e->chain)
            e->chain = dc;
    }
    /* sides, segments and inside/outside: identical to the exact solve */
    assert_int_equal(fm.side, xm.side);
    if (fm.segment != xm.segment &&
        fabs(fm.chainage_m - xm.chainage_m) > 1e-3) /* a shared vertex belongs to both */
        fail_msg("(%.12f, %.12f): segment %zu, exact %zu", lon, lat, fm.segment, xm.segment);
    double depth =
        fm.side == TRUCE_SIDE_LEFT ? truce_corridor_left_m(c) : truce_corridor_right_m(c);
    double xdepth =
        xm.side == TRUCE_SIDE_LEFT ? truce_corridor_left_m(c) : truce_corridor_right_m(c);
    assert_int_equal(fm.distance_m <= depth, xm.distance_m <= xdepth);
    int inside;
    assert_int_equal(truce_corridor_decide(c, lon, lat, &inside), TRUCE_OK);
    assert_int_equal(inside, xm.distance_m <= xdepth);
}

static void report(const char *what, const errs *e)
{
    print_message("%s: %ld points, %.1f%% fast, largest error %.3g m distance, %.3g m chainage "
                  "(%ld ties)\n",
                  what, e->points, 100.0 * (double)e->fast / (double)e->points, e->dist, e->chain,
                  e->ties);
}

/* Issue 19's report: straight segments of 20 km at 35 and 80 degrees,
 * points 5-25 km out whose foot is within centimetres of a joint between
 * two of a segment's 1 km pieces -- the exact solve gave the joint (the
 * distance differs by delta^2 / 2d, under the tie tolerance) and the
 * chainage was 2-3 cm short. */
static void long_segment_joints(void **state)
{
    (void)state;
    const double lats[] = {0, 35, 80};
    for (size_t li = 0; li < 3; li++) {
        double len = 20000;
        double *v = road(4, 30, lats[li], 40 + 25 * (double)li, &len, 1, 10);
        truce_corridor *c = make(v, 4, 6000, 6000);
        errs e = {0};
        for (int k = 0; k < 40 * BULK; k++) {
            size_t seg = (size_t)(rnd() * 3);
            struct geod_geodesicline l;
            geod_inverseline(&l, &geod, v[2 * seg + 1], v[2 * seg], v[2 * seg + 3], v[2 * seg + 2],
                             GEOD_ALL);
            double s = 1000 * (double)(1 + (int)(rnd() * 18)) + (rnd() - 0.5) * 0.1;
            double xl, xo, xa, pl, po, azi2;
            geod_genposition(&l, GEOD_NOFLAGS, s, &xl, &xo, &xa, NULL, NULL, NULL, NULL, NULL);
            geod_direct(&geod, xl, xo, xa + (rnd() < 0.5 ? 90 : -90), 5000 + 20000 * rnd(), &pl,
                        &po, &azi2);
            check_point(c, v, 4, po, pl, &e, 1);
        }
        char what[64];
        snprintf(what, sizeof what, "20 km segments at %.0f deg", lats[li]);
        report(what, &e);
        truce_corridor_free(c);
        free(v);
    }
}

/* The worst cases, one by one. */
static void worst_cases(void **state)
{
    (void)state;
    /* 1. long segments at high latitude, points out to the fast path's limit */
    double len = 20000;
    double *v = road(3, -20, 80, 45, &len, 1, 0); /* 45 deg: the largest torsion */
    truce_corridor *c = make(v, 3, 6000, 6000);
    errs e = {0};
    struct geod_geodesicline l;
    geod_inverseline(&l, &geod, v[1], v[0], v[3], v[2], GEOD_ALL);
    /* on the road, 1 cm off, 10 um either side of the depth, far, beyond
     * the fast path's 60 km: which of them the fast path answers */
    const double far[] = {1e-4, 0.01, 5999.99999, 6000.00001, 30000, 50000, 59000, 61000};
    const int fast[] = {0, 1, 0, 0, 1, 1, 1, 0};
    for (size_t k = 0; k < sizeof far / sizeof far[0]; k++)
        for (int sgn = -1; sgn <= 1; sgn += 2) {
            double xl, xo, xa, pl, po, azi2;
            geod_genposition(&l, GEOD_NOFLAGS, 7000.02, &xl, &xo, &xa, NULL, NULL, NULL, NULL,
                             NULL);
            geod_direct(&geod, xl, xo, xa + 90 * sgn, far[k], &pl, &po, &azi2);
            check_point(c, v, 3, po, pl, &e, fast[k]);
        }
    /* 2. beyond the road's ends, along its line and off it */
    for (int k = 0; k < 8; k++) {
        double pl, po, azi2;
        geod_direct(&geod, v[1], v[0], 225 + 20 * (k % 4) - 30, 1000 + 12000 * k, &pl, &po, &azi2);
        check_point(c, v, 3, po, pl, &e, -1);
    }
    report("worst cases at 80 deg", &e);
    truce_corridor_free(c);
    free(v);

    /* 3. near a vertex where the nearest segment changes: a bend of 60 deg,
     * points along the bisector (inner side: two segments equally near;
     * outer side: the vertex) and just off it */
    double b[6] = {35, 35, 35.2, 35, 0, 0};
    double azi1, azi2, s12;
    geod_inverse(&geod, b[1], b[0], b[3], b[2], &s12, &azi1, &azi2);
    geod_direct(&geod, b[3], b[2], azi2 - 60, 18000, &b[5], &b[4], &azi2);
    c = make(b, 3, 6000, 6000);
    e = (errs){0};
    geod_inverse(&geod, b[3], b[2], b[1], b[0], &s12, &azi1, &azi2);
    double back = azi1;
    geod_inverse(&geod, b[3], b[2], b[5], b[4], &s12, &azi1, &azi2);
    double bis = atan2(sin(back * CORR_DEG) + sin(azi1 * CORR_DEG),
                       cos(back * CORR_DEG) + cos(azi1 * CORR_DEG)) /
                 CORR_DEG;
    const double offs[] = {0, 1e-6, -1e-6, 1e-3, -1e-3, 0.5, -0.5};
    for (size_t k = 0; k < sizeof offs / sizeof offs[0]; k++)
        for (int side = 0; side < 2; side++)
            for (int j = 1; j <= 4; j++) {
                double pl, po;
                geod_direct(&geod, b[3], b[2], bis + 180 * side + offs[k], 12000.0 * j, &pl, &po,
                            &azi2);
                check_point(c, b, 3, po, pl, &e, -1);
            }
    report("bisector of a bend", &e);
    truce_corridor_free(c);
}

/* The torsion terms' bound, which lets a foot at a piece's end skip them
 * (docs/corridor.md, "The fast path", 2): |twist| <= bound for points up to
 * 60 km from pieces at 0-89.9 degrees and every azimuth, and the bound is
 * reached to within a factor of 3.4 (45 degrees at the equator, the largest
 * torsion), so the points tried include the worst directions.  Then the
 * cases that bound decides: points 40-59.9 km out, at the equator and 45
 * degrees (where the terms are largest), whose foot is within 5 mm of a
 * joint between two 1 km pieces, so that the chord part alone at the joint
 * is within the bound of zero and the fast path must solve the terms. */
static void twist_bound(void **state)
{
    (void)state;
    double worst = 0;
    for (int r = 0; r < 24; r++) {
        double len = 3000, lat = r < 4 ? 0 : 89.9 * rnd() * (r % 2 ? 1 : -1);
        double azi = r < 4 ? 45 + 90 * r : 360 * rnd();
        double *v = road(2, 360 * rnd() - 180, lat, azi, &len, 1, 0);
        truce_corridor *c = make(v, 2, 6000, 6000);
        for (size_t i = 0; i < c->npieces; i++) {
            const corr_fast *F = &c->fast[i];
            if (!(F->h > 0))
                continue;
            for (int k = 0; k < 200; k++) {
                double s = k % 3 == 0 ? F->h : k % 3 == 1 ? -F->h : F->h * (2 * rnd() - 1);
                double s2 = 0.5 * s * s, s3 = s2 * s / 3, x[3], xp[3], w[3], pl, pn, pa, xa, azi2;
                geod_genposition(&c->pieces[i].line, GEOD_NOFLAGS, F->h + s, &pl, &pn, &xa, NULL,
                                 NULL, NULL, NULL, NULL);
                geod_direct(&geod, pl, pn, 360 * rnd(), 60000 * sqrt(rnd()), &pa, &pn, &azi2);
                double p[3];
                trc_corr_ecef(pa, pn, p);
                for (int d = 0; d < 3; d++) {
                    x[d] = F->m[d] + s * F->t[d] + s2 * F->k[d] + s3 * F->j[d];
                    xp[d] = F->t[d] + s * F->k[d] + s2 * F->j[d];
                    w[d] = p[d] - x[d];
                }
                double c2 = w[0] * w[0] + w[1] * w[1] + w[2] * w[2];
                double t = fabs(trc_corr_fast_twist(x, w, xp, c2)),
                       b = trc_corr_fast_twist_bound(c2);
                if (!(t <= b))
                    fail_msg("twist %.6g m > bound %.6g m (lat %.3f, c %.0f m)", t, b, lat,
                             sqrt(c2));
                if (c2 > 1e8 && t / b > worst)
                    worst = t / b;
            }
        }
        truce_corridor_free(c);
        free(v);
    }
    print_message("twist bound: largest |twist| / bound %.3f\n", worst);
    assert_true(worst > 0.3);

    double len = 20000;
    double *v = road(2, 10, 0, 45, &len, 1, 0);
    truce_corridor *c = make(v, 2, 6000, 6000);
    struct geod_geodesicline l;
    geod_inverseline(&l, &geod, v[1], v[0], v[3], v[2], GEOD_ALL);
    errs e = {0};
    for (int k = 0; k < 20 * BULK; k++) {
        double s = 1000 * (double)(1 + (int)(rnd() * 19)) + (rnd() - 0.5) * 0.01;
        double xl, xo, xa, pl, po, azi2;
        geod_genposition(&l, GEOD_NOFLAGS, s, &xl, &xo, &xa, NULL, NULL, NULL, NULL, NULL);
        geod_direct(&geod, xl, xo, xa + (k % 2 ? 90 : -90), 40000 + 19900 * rnd(), &pl, &po, &azi2);
        check_point(c, v, 2, po, pl, &e, 1);
    }
    report("feet within 5 mm of a joint, 40-60 km out", &e);
    truce_corridor_free(c);
    free(v);
}

/* The chord's shortcut to a piece's end (docs/corridor.md, "At a piece's
 * end, from the chord"): the cubic's ends and tangents there against the
 * chord, and for points up to 60 km out, just beyond an end of the chord
 * (within 0.03 degrees of its perpendicular there, so many are within a
 * few times the margin), f at that end with the torsion terms has the
 * sign that puts the foot there whenever the chord is beyond by more than
 * the margin. */
static void end_from_chord(void **state)
{
    (void)state;
    const double b = CORR_A * (1 - CORR_F), kmax = CORR_A / (b * b);
    long tried = 0, near = 0;
    for (int r = 0; r < 16; r++) {
        double len = 2500, lat = r < 4 ? 0 : 89.9 * rnd() * (r % 2 ? 1 : -1);
        double *v = road(2, 360 * rnd() - 180, lat, r < 4 ? 45 + 90 * r : 360 * rnd(), &len, 1, 0);
        truce_corridor *c = make(v, 2, 6000, 6000);
        for (size_t i = 0; i < c->npieces; i++) {
            const corr_fast *F = &c->fast[i];
            const corr_chord *ch = &c->chords[i];
            const corr_piece *pc = &c->pieces[i];
            if (!(F->h > 0))
                continue;
            for (int e = -1; e <= 1; e += 2) {
                double s = e * F->h, s2 = 0.5 * s * s, s3 = s2 * s / 3, x[3], xp[3], xpp[3];
                const double *vx = e > 0 ? F->b : ch->a;
                double dx = 0, dt = 0;
                for (int d = 0; d < 3; d++) {
                    x[d] = F->m[d] + s * F->t[d] + s2 * F->k[d] + s3 * F->j[d];
                    xp[d] = F->t[d] + s * F->k[d] + s2 * F->j[d];
                    xpp[d] = F->k[d] + s * F->j[d];
                    dx += (x[d] - vx[d]) * (x[d] - vx[d]);
                    dt += (xp[d] - ch->u[d]) * (xp[d] - ch->u[d]);
                }
                if (!(sqrt(dx) < 1e-8) || !(sqrt(dt) <= kmax * F->h + 5e-9))
                    fail_msg("piece end %.3g m from its vertex, tangent %.6g from the chord (%.6g)",
                             sqrt(dx), sqrt(dt), kmax * F->h + 5e-9);
                double vl = e > 0 ? pc->lat_b : pc->lat_a, vo = e > 0 ? pc->lon_b : pc->lon_a;
                double va = e > 0 ? pc->azi_b_deg : pc->line.azi1;
                for (int k = 0; k < 300; k++) {
                    double pl, po, azi2, p[3], w[3];
                    double da = 90 - 0.03 * rnd();
                    double az = va + (k % 2 ? da : -da) + (e > 0 ? 0 : 180);
                    geod_direct(&geod, vl, vo, az, 60000 * sqrt(rnd()), &pl, &po, &azi2);
                    trc_corr_ecef(pl, po, p);
                    double wa[3] = {p[0] - ch->a[0], p[1] - ch->a[1], p[2] - ch->a[2]};
                    double along = wa[0] * ch->u[0] + wa[1] * ch->u[1] + wa[2] * ch->u[2];
                    double cl = along > ch->len ? ch->len : along < 0 ? 0 : along, d2 = 0;
                    for (int d = 0; d < 3; d++)
                        d2 += (wa[d] - cl * ch->u[d]) * (wa[d] - cl * ch->u[d]);
                    double beyond = e > 0 ? along - ch->len : -along;
                    double m = trc_corr_fast_end_margin(F->h, d2);
                    if (!(beyond > m))
                        continue;
                    tried++;
                    near += beyond < 3 * m;
                    double c2 = 0, f0 = 0, fp = 0;
                    for (int d = 0; d < 3; d++) {
                        w[d] = p[d] - x[d];
                        c2 += w[d] * w[d];
                        f0 += w[d] * xp[d];
                        fp += w[d] * xpp[d] - xp[d] * xp[d];
                    }
                    double f = f0 + trc_corr_fast_twist(x, w, xp, c2);
                    if (!(e > 0 ? f > 0 : f < 0) || !(fp < -0.5))
                        fail_msg("beyond the chord's end by %.6g m (margin %.6g m) but f = %.6g, "
                                 "f' = %.6g (lat %.3f, %.0f m out)",
                                 beyond, m, f, fp, lat, sqrt(c2));
                }
            }
        }
        truce_corridor_free(c);
        free(v);
    }
    print_message("end from the chord: %ld points beyond the margin, %ld within 3 margins\n", tried,
                  near);
    assert_true(near > tried / 10);
}

/* The very long segment: 2,000 km, or 300 km under the sanitizers (whose
 * 2,000 km grid takes 20 s to build). */
#define HUGE_M (BULK == 1 ? 3e5 : 2e6)

/* Random roads at latitudes 0-80, segments from 50 m to 2000 km (every
 * length the engine takes: it cuts them into pieces of at most 1 km),
 * points up to 50 km out, against the reference; the fallback share. */
static void random_roads(void **state)
{
    (void)state;
    const double lens[][4] = {{50, 158, 300, 80},
                              {1000, 2500, 700, 4000},
                              {20000, 8000, 15000, 20000},
                              {HUGE_M, 1e5, 0, 0}};
    const size_t nlens[] = {4, 4, 4, 2};
    errs all = {0}, huge = {0};
    for (int r = 0; r < 8; r++) {
        size_t kind = (size_t)r % 4, n = kind == 3 ? 3 : 12;
        double lat = 80 * rnd() * (r % 2 ? 1 : -1), lon = 360 * rnd() - 180;
        double *v = road(n, lon, lat, 360 * rnd(), lens[kind], nlens[kind], 60);
        truce_corridor *c = make(v, n, 2000 + 8000 * rnd(), 2000 + 8000 * rnd());
        for (int k = 0; k < (BULK == 1 ? 20 : 320); k++) {
            size_t i = (size_t)(rnd() * (double)(n - 1));
            double s12, azi1, azi2, xl, xo, xa, pl, po;
            geod_inverse(&geod, v[2 * i + 1], v[2 * i], v[2 * i + 3], v[2 * i + 2], &s12, &azi1,
                         &azi2);
            struct geod_geodesicline l;
            geod_inverseline(&l, &geod, v[2 * i + 1], v[2 * i], v[2 * i + 3], v[2 * i + 2],
                             GEOD_ALL);
            geod_genposition(&l, GEOD_NOFLAGS, rnd() * s12, &xl, &xo, &xa, NULL, NULL, NULL, NULL,
                             NULL);
            double d = k % 4 == 0 ? 50000 * rnd() : 50000 * rnd() * rnd();
            geod_direct(&geod, xl, xo, 360 * rnd(), d, &pl, &po, &azi2);
            check_point(c, v, n, po, pl, kind == 3 ? &huge : &all, -1);
        }
        truce_corridor_free(c);
        free(v);
    }
    report("random roads", &all);
    /* A road of more than 1,024 pieces (a 2,000 km segment makes 2,000)
     * sends the points outside its grid to the exact solve. */
    report("random roads with one very long segment", &huge);
    assert_true(all.fast > all.points * 95 / 100);
}

/* The bench's kind of road and points (bench/bench_corridor.c: 158 m steps,
 * points uniform over the road's box grown by 10 km, and points within
 * 15 m of the depth), fewer of them: the fast answers against the exact
 * solve's, every field. */
static void bench_like(void **state)
{
    (void)state;
    const size_t nv = 200;
    double step = 158.2;
    double *v = road(nv, 35.75, 35.8, 90, &step, 1, 24);
    truce_corridor *c = make(v, nv, 6000, 6000);
    /* the road heads east from 35.75E 35.8N, wandering a few km north and
     * south: a box 10-15 km around it */
    double lo0 = v[0] - 0.12, lo1 = v[2 * nv - 2] + 0.12, la0 = 35.8 - 0.15, la1 = 35.8 + 0.15;
    long fast = 0, n = 2500 * BULK;
    double dd = 0, dc = 0;
    for (long k = 0; k < n; k++) {
        double lon, lat;
        if (k % 10) {
            lon = lo0 + (lo1 - lo0) * rnd();
            lat = la0 + (la1 - la0) * rnd();
        } else {
            size_t i = (size_t)(rnd() * (double)(nv - 1));
            double azi2, xl, xo, xa;
            struct geod_geodesicline l;
            geod_inverseline(&l, &geod, v[2 * i + 1], v[2 * i], v[2 * i + 3], v[2 * i + 2],
                             GEOD_ALL);
            geod_genposition(&l, GEOD_NOFLAGS, rnd() * l.s13, &xl, &xo, &xa, NULL, NULL, NULL, NULL,
                             NULL);
            geod_direct(&geod, xl, xo, xa + (rnd() < 0.5 ? 90 : -90), 6000 + 30 * (rnd() - 0.5),
                        &lat, &lon, &azi2);
        }
        truce_measure fm, xm;
        size_t before = truce_corridor_fallbacks(c);
        assert_int_equal(truce_corridor_measure(c, lon, lat, &fm), TRUCE_OK);
        fast += truce_corridor_fallbacks(c) == before;
        truce_corridor_set_exact(c, 1);
        assert_int_equal(truce_corridor_measure(c, lon, lat, &xm), TRUCE_OK);
        truce_corridor_set_exact(c, 0);
        dd = fmax(dd, fabs(fm.distance_m - xm.distance_m));
        dc = fmax(dc, fabs(fm.chainage_m - xm.chainage_m));
        if (fabs(fm.distance_m - xm.distance_m) > FAST_DIST_TOL_M ||
            fabs(fm.chainage_m - xm.chainage_m) > FAST_CHAIN_TOL_M || fm.side != xm.side ||
            (fm.distance_m <= 6000) != (xm.distance_m <= 6000))
            fail_msg("(%.12f, %.12f): fast %.9f m at %.9f side %d, exact %.9f m at %.9f side %d",
                     lon, lat, fm.distance_m, fm.chainage_m, fm.side, xm.distance_m, xm.chainage_m,
                     xm.side);
    }
    print_message("bench-like: %ld points, %.2f%% fast, largest |fast - exact| %.3g m distance, "
                  "%.3g m chainage\n",
                  n, 100.0 * (double)fast / (double)n, dd, dc);
    assert_true(fast > n * 99 / 100);
    truce_corridor_free(c);
    free(v);
}

int main(void)
{
    geod_init(&geod, CORR_A, CORR_F);
    rng_state = 0x2545f4914f6cdd1du;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(long_segment_joints), cmocka_unit_test(worst_cases),
        cmocka_unit_test(twist_bound),         cmocka_unit_test(end_from_chord),
        cmocka_unit_test(random_roads),        cmocka_unit_test(bench_like),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
