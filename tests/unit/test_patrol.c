/* Patrol checking on the bundled m4-patrol route with generated tracks whose
 * coverage, detour and dates are known by construction (track.h's
 * generator and its truth). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/agreement.h"
#include "truce/patrol.h"
#include "truce/track.h"

#include "idlib_fixture.h"

#define MARCH_15_0700Z 1584255600.0 /* 2020-03-15T07:00:00Z, 09:00 in Damascus */
#define MARCH_14_0700Z 1584169200.0

static truce_agreement *idlib;
static const truce_patrol_route *route;
static truce_patrol_checker *checker;

static int setup(void **state)
{
    (void)state;
    return idlib_checker_new(&idlib, &route, &checker);
}

static int teardown(void **state)
{
    (void)state;
    idlib_checker_free(idlib, checker);
    return 0;
}

/* Generate a track with `o` and judge it; the truth into *w. */
static void judge(const truce_gen_options *o, truce_gen_truth *w, truce_patrol_result *r)
{
    truce_track t;
    truce_track_init(&t);
    assert_int_equal(truce_track_generate(route->route.lonlat, route->route.n, o, &t, w), TRUCE_OK);
    assert_int_equal(truce_patrol_check(checker, &t, r), TRUCE_OK);
    truce_track_release(&t);
}

static void options(truce_gen_options *o)
{
    truce_gen_options_init(o);
    o->start_s = MARCH_15_0700Z;
}

static void full_patrol(void **state)
{
    (void)state;
    truce_gen_options o;
    options(&o);
    truce_gen_truth w;
    truce_patrol_result r;
    judge(&o, &w, &r);
    assert_true(fabs(r.route_length_m - w.route_length_m) < 1e-6);
    assert_true(fabs(r.covered_m - w.route_length_m) <= 0.01 * w.route_length_m);
    assert_true(r.covered_fraction > 0.99 && r.covered_fraction <= 1);
    assert_int_equal(r.ngaps, 0);
    assert_int_equal(r.ncovered, 1);
    assert_int_equal(r.noff, 0);
    assert_int_equal(r.noff_route, 0);
    assert_true(r.off_route_s == 0 && r.off_route_m == 0);
    assert_true(r.max_offset_m < 1e-3);
    assert_true(r.start_s == w.start_s && r.end_s == w.end_s);
    assert_int_equal(r.direction, TRUCE_DIR_INCREASING);
    assert_int_equal(r.before_start, 0);
    assert_int_equal(r.has_corridor, route->corridor != NULL);
    assert_true(r.outside_corridor_s == 0);
    truce_patrol_result_release(&r);
}

/* With noise of 20 m per axis every point stays well within 500 m. */
static void noisy_patrol(void **state)
{
    (void)state;
    truce_gen_options o;
    options(&o);
    o.noise_m = 20;
    o.seed = 42;
    truce_gen_truth w;
    truce_patrol_result r;
    judge(&o, &w, &r);
    assert_true(fabs(r.covered_m - w.route_length_m) <= 0.01 * w.route_length_m);
    assert_int_equal(r.ngaps, 0);
    assert_true(r.max_offset_m > 20 && r.max_offset_m < 200);
    truce_patrol_result_release(&r);
}

static void turn_back_at_40_km(void **state)
{
    (void)state;
    truce_gen_options o;
    options(&o);
    o.turn_back_m = 40000;
    truce_gen_truth w;
    truce_patrol_result r;
    judge(&o, &w, &r);
    double truth = w.covered_to_m - w.covered_from_m;
    assert_true(fabs(truth - 40000) < 1e-6);
    assert_true(fabs(r.covered_m - truth) <= 0.01 * truth);
    /* the one gap is the uncovered end, from km 40 to the end of the route */
    assert_int_equal(r.ngaps, 1);
    assert_true(fabs(r.gaps[0].from_m - 40000) < 1);
    assert_true(fabs(r.gaps[0].to_m - w.route_length_m) < 1e-6);
    assert_int_equal(r.direction, TRUCE_DIR_BOTH);
    truce_patrol_result_release(&r);
}

/* The detour runs 2 km beside the route from km 32 to km 42: the worst
 * offset is 2000 m (to 1 m), the detour is a gap, and the time off the route
 * is about the time spent beyond 500 m. */
static void detour_2_km(void **state)
{
    (void)state;
    for (int side = -1; side <= 1; side += 2) {
        truce_gen_options o;
        options(&o);
        o.detour_from_m = 32000;
        o.detour_to_m = 42000;
        o.detour_offset_m = side * 2000.0;
        truce_gen_truth w;
        truce_patrol_result r;
        judge(&o, &w, &r);
        assert_true(fabs(r.max_offset_m - 2000) <= 1);
        assert_true(r.max_offset_chainage_m > 32000 - 1 && r.max_offset_chainage_m < 42000 + 1);
        assert_int_equal(r.ngaps, 1);
        assert_true(fabs(r.gaps[0].from_m - 32000) < 1);
        assert_true(fabs(r.gaps[0].to_m - 42000) < 1);
        assert_true(fabs(r.covered_m - (w.route_length_m - 10000)) <= 0.01 * w.route_length_m);
        /* off the route: 10 km beside it and 1.5 km of each leg */
        assert_true(fabs(r.off_route_m - 13000) < 100);
        assert_true(fabs(r.off_route_s - 13000 / o.speed_mps) < 100 / o.speed_mps);
        assert_int_equal(r.direction, TRUCE_DIR_INCREASING);
        /* one off-route stretch: the detour beyond 500 m, joined to the route */
        assert_int_equal(r.noff_route, 1);
        const truce_off_route_stretch *off = &r.off_route[0];
        assert_int_equal(off->count, r.noff + 2);
        assert_true(fabs(off->from_m - 32000) < 1 && fabs(off->to_m - 42000) < 1);
        assert_true(off->max_offset_m == r.max_offset_m);
        assert_true(fabs((off->end_s - off->start_s) - 13000 / o.speed_mps) < 100 / o.speed_mps);
        truce_patrol_result_release(&r);
    }
}

/* The m4 corridor is 6 km deep on each side: a 2 km detour stays inside it,
 * an 8 km one leaves it for a while and the route for longer. */
static void outside_corridor(void **state)
{
    (void)state;
    assert_non_null(route->corridor);
    truce_gen_options o;
    options(&o);
    o.spacing_m = 100;
    o.detour_from_m = 20000;
    o.detour_to_m = 40000;
    o.detour_offset_m = 2000;
    truce_gen_truth w;
    truce_patrol_result r;
    judge(&o, &w, &r);
    assert_int_equal(r.has_corridor, 1);
    assert_true(r.outside_corridor_s == 0 && r.outside_corridor_m == 0);
    truce_patrol_result_release(&r);
    o.detour_offset_m = 8000;
    judge(&o, &w, &r);
    assert_true(fabs(r.max_offset_m - 8000) <= 1);
    assert_true(r.outside_corridor_m > 10000);
    assert_true(r.outside_corridor_s > 0 && r.outside_corridor_s < r.off_route_s);
    assert_true(r.outside_corridor_m < r.off_route_m);
    truce_patrol_result_release(&r);
}

static void before_start(void **state)
{
    (void)state;
    truce_gen_options o;
    options(&o);
    o.start_s = MARCH_14_0700Z;
    o.spacing_m = 500;
    truce_gen_truth w;
    truce_patrol_result r;
    judge(&o, &w, &r);
    assert_int_equal(r.before_start, 1);
    assert_true(r.start_s == MARCH_14_0700Z);
    truce_patrol_result_release(&r);
    o.start_s = MARCH_15_0700Z;
    judge(&o, &w, &r);
    assert_int_equal(r.before_start, 0);
    truce_patrol_result_release(&r);
}

/* The full patrol, 58.4 km at 40 km/h, runs 09:00 to 10:27:38 local: a
 * window closing at 10:00 leaves its last 27.6 minutes outside; one opening at 22:00
 * and closing at 11:00 the next morning takes all of it. */
static void allowed_window(void **state)
{
    (void)state;
    truce_gen_options o;
    options(&o);
    o.spacing_m = 500;
    truce_gen_truth w;
    truce_patrol_result r;
    judge(&o, &w, &r);
    assert_int_equal(r.has_window, 0); /* the bundled route gives none */
    assert_int_equal(r.outside_window, 0);
    assert_true(r.outside_window_s == 0);
    truce_patrol_result_release(&r);

    truce_patrol_options po;
    truce_patrol_options_init(&po);
    po.has_window = 1;
    assert_int_equal(truce_daily_window_parse("06:00-10:00", &po.window), TRUCE_OK);
    truce_patrol_checker *c = NULL;
    assert_int_equal(truce_patrol_checker_new(idlib, route, &po, &c), TRUCE_OK);
    truce_track t;
    truce_track_init(&t);
    assert_int_equal(truce_track_generate(route->route.lonlat, route->route.n, &o, &t, &w),
                     TRUCE_OK);
    assert_int_equal(truce_patrol_check(c, &t, &r), TRUCE_OK);
    assert_int_equal(r.has_window, 1);
    assert_int_equal(r.outside_window, 1);
    assert_true(fabs(r.outside_window_s - (w.end_s - (MARCH_15_0700Z + 3600))) < 1e-6);
    assert_true(r.outside_window_s > 27 * 60 && r.outside_window_s < 28 * 60);
    truce_patrol_result_release(&r);
    truce_patrol_checker_free(c);

    assert_int_equal(truce_daily_window_parse("22:00-11:00", &po.window), TRUCE_OK);
    assert_int_equal(truce_patrol_checker_new(idlib, route, &po, &c), TRUCE_OK);
    assert_int_equal(truce_patrol_check(c, &t, &r), TRUCE_OK);
    assert_int_equal(r.outside_window, 0);
    truce_patrol_result_release(&r);
    truce_patrol_checker_free(c);
    truce_track_release(&t);

    po.window.end_min = po.window.start_min;
    assert_int_equal(truce_patrol_checker_new(idlib, route, &po, &c), TRUCE_E_ARG);
}

/* A step longer than max_step_m covers nothing between its points. */
static void sparse_points_leave_gaps(void **state)
{
    (void)state;
    truce_gen_options o;
    options(&o);
    o.spacing_m = 2000;
    truce_gen_truth w;
    truce_patrol_result r;
    judge(&o, &w, &r);
    assert_true(r.covered_m < 0.1 * w.route_length_m);
    assert_true(r.ngaps > 20);
    truce_patrol_result_release(&r);
}

static void empty_track_and_bad_options(void **state)
{
    (void)state;
    truce_track t;
    truce_track_init(&t);
    truce_patrol_result r;
    assert_int_equal(truce_patrol_check(checker, &t, &r), TRUCE_OK);
    assert_true(r.covered_m == 0 && r.ncovered == 0 && isnan(r.start_s));
    assert_int_equal(r.ngaps, 1);
    assert_int_equal(r.direction, TRUCE_DIR_NONE);
    truce_patrol_result_release(&r);

    truce_patrol_options po;
    truce_patrol_options_init(&po);
    po.tolerance_m = 0;
    truce_patrol_checker *c = NULL;
    assert_int_equal(truce_patrol_checker_new(idlib, route, &po, &c), TRUCE_E_ARG);
    assert_null(c);
    truce_patrol_options_init(&po);
    po.max_step_m = (double)NAN;
    assert_int_equal(truce_patrol_checker_new(idlib, route, &po, &c), TRUCE_E_ARG);
    assert_int_equal(truce_patrol_check(NULL, &t, &r), TRUCE_E_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_patrol),
        cmocka_unit_test(noisy_patrol),
        cmocka_unit_test(turn_back_at_40_km),
        cmocka_unit_test(detour_2_km),
        cmocka_unit_test(outside_corridor),
        cmocka_unit_test(before_start),
        cmocka_unit_test(allowed_window),
        cmocka_unit_test(sparse_points_leave_gaps),
        cmocka_unit_test(empty_track_and_bad_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
