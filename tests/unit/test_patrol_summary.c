/* Patrols across tracks: coverage per kilometre of the route and the days
 * without a patrol, first on results written by hand (the bin rule at its
 * edges), then on generated patrols along the bundled m4-patrol route whose
 * coverage is known by construction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "truce/agreement.h"
#include "truce/patrol.h"
#include "truce/patrol_summary.h"
#include "truce/track.h"

#include "idlib_fixture.h"

#define DAY_S 86400.0
#define MARCH_15_0700Z 1584255600.0 /* 09:00 in Damascus */

static truce_agreement *idlib;
static const truce_patrol_route *route;
static truce_patrol_checker *checker;
static int64_t march_15; /* days since 1970-01-01 */

static int setup(void **state)
{
    (void)state;
    march_15 = truce_days_from_civil(2020, 3, 15);
    return idlib_checker_new(&idlib, &route, &checker);
}

static int teardown(void **state)
{
    (void)state;
    idlib_checker_free(idlib, checker);
    return 0;
}

/* ---- results written by hand --------------------------------------------- */

/* A result covering [a, b] km on the day `day` after 15 March, at 09:00. */
static truce_patrol_result made(truce_chainage_interval *iv, double a_km, double b_km, int day)
{
    truce_patrol_result r;
    memset(&r, 0, sizeof r);
    iv->from_m = a_km * 1e3;
    iv->to_m = b_km * 1e3;
    r.covered = iv;
    r.ncovered = 1;
    r.covered_m = iv->to_m - iv->from_m;
    r.route_length_m = route->length_m;
    r.start_s = r.end_s = MARCH_15_0700Z + day * DAY_S;
    return r;
}

/* Half a bin covers it; less does not.  Two tracks on one day are one day. */
static void half_bin_rule(void **state)
{
    (void)state;
    truce_chainage_interval iv[4];
    truce_patrol_result r[4] = {made(&iv[0], 0, 2.5, 0), made(&iv[1], 0.2, 1.6, 0),
                                made(&iv[2], 2.51, 3, 2), made(&iv[3], 0, 0, 3)};
    r[3].ncovered = 0; /* day 3: a track that covered nothing */
    truce_patrol_summary s;
    assert_int_equal(truce_patrol_summarize(route, idlib->tz, r, 4, NULL, &s), TRUCE_OK);
    assert_int_equal(s.from_day, march_15);
    assert_int_equal(s.to_day, march_15 + 3);
    assert_int_equal(s.ndays, 4);
    assert_int_equal(s.ntracks, 4);
    assert_int_equal(s.nleft_out, 0);
    assert_int_equal(s.nbins, 59); /* 58.429 km */
    assert_true(fabs(s.bins[58].to_m - route->length_m) < 1e-9);
    assert_true(fabs(s.bins[58].from_m - 58000) < 1e-9);
    /* bin 0: both tracks of day 0 (0.8 km of it for the second) */
    assert_int_equal(s.bins[0].tracks, 2);
    assert_int_equal(s.bins[0].days, 1);
    assert_true(s.bins[0].covered_fraction == 1);
    /* bin 1: the first track, and the second's 0.6 km */
    assert_int_equal(s.bins[1].tracks, 2);
    /* bin 2: 0.5 km of the first (counts), 0.49 km of the third (does not) */
    assert_int_equal(s.bins[2].tracks, 1);
    assert_int_equal(s.bins[2].days, 1);
    assert_true(fabs(s.bins[2].covered_m - 990) < 1e-6);
    assert_int_equal(s.bins[3].tracks, 0);
    assert_true(s.bins[3].covered_m == 0);
    assert_true(fabs(s.covered_m - 3000 + 10) < 1e-6);
    /* days 1 (no track) and 3 (a track that covered nothing) */
    assert_int_equal(s.npatrol_days, 2);
    assert_int_equal(s.ndays_without, 2);
    assert_int_equal(s.days_without[0], march_15 + 1);
    assert_int_equal(s.days_without[1], march_15 + 3);
    truce_patrol_summary_release(&s);

    /* --bin 500: bin 5 (2.5-3 km) has 0.49 km of the third track */
    truce_patrol_summary_options o;
    truce_patrol_summary_options_init(&o);
    o.bin_m = 500;
    assert_int_equal(truce_patrol_summarize(route, idlib->tz, r, 4, &o, &s), TRUCE_OK);
    assert_int_equal(s.nbins, 117);
    assert_int_equal(s.bins[5].tracks, 1);
    assert_int_equal(s.bins[5].days, 1);
    truce_patrol_summary_release(&s);
}

/* The period: the options' dates, else the route's start; tracks outside it
 * or without times are left out. */
static void period_and_left_out(void **state)
{
    (void)state;
    truce_chainage_interval iv[4];
    truce_patrol_result r[4] = {made(&iv[0], 0, 10, -1), made(&iv[1], 0, 10, 0),
                                made(&iv[2], 0, 10, 5), made(&iv[3], 0, 10, 1)};
    r[3].start_s = r[3].end_s = (double)NAN;
    truce_patrol_summary s;
    assert_int_equal(truce_patrol_summarize(route, idlib->tz, r, 4, NULL, &s), TRUCE_OK);
    /* 14 March is before the route's start: left out, as is the untimed one */
    assert_int_equal(s.from_day, march_15);
    assert_int_equal(s.to_day, march_15 + 5);
    assert_int_equal(s.ntracks, 2);
    assert_int_equal(s.nleft_out, 2);
    assert_int_equal(s.ndays_without, 4);
    assert_int_equal(s.days_without[0], march_15 + 1);
    assert_int_equal(s.bins[0].tracks, 2);
    truce_patrol_summary_release(&s);

    truce_patrol_summary_options o;
    truce_patrol_summary_options_init(&o);
    o.from_day = march_15 - 1;
    o.to_day = march_15 + 2;
    assert_int_equal(truce_patrol_summarize(route, idlib->tz, r, 4, &o, &s), TRUCE_OK);
    assert_int_equal(s.ndays, 4);
    assert_int_equal(s.ntracks, 2);
    assert_int_equal(s.bins[0].days, 2);
    assert_int_equal(s.ndays_without, 2);
    truce_patrol_summary_release(&s);

    /* no tracks at all: the period runs from the route's start to nowhere */
    assert_int_equal(truce_patrol_summarize(route, idlib->tz, NULL, 0, NULL, &s), TRUCE_OK);
    assert_int_equal(s.ndays, 0);
    assert_true(s.to_day == TRUCE_NO_DAY);
    assert_int_equal(s.nbins, 59);
    truce_patrol_summary_release(&s);

    o.from_day = march_15 + 1;
    o.to_day = march_15;
    assert_int_equal(truce_patrol_summarize(route, idlib->tz, r, 4, &o, &s), TRUCE_E_ARG);
    o.to_day = o.from_day + TRUCE_SUMMARY_MAX_DAYS;
    assert_int_equal(truce_patrol_summarize(route, idlib->tz, r, 4, &o, &s), TRUCE_E_RANGE);
    truce_patrol_summary_options_init(&o);
    o.bin_m = 0;
    assert_int_equal(truce_patrol_summarize(route, idlib->tz, r, 4, &o, &s), TRUCE_E_ARG);
    assert_int_equal(truce_patrol_summarize(NULL, idlib->tz, r, 4, NULL, &s), TRUCE_E_ARG);
}

/* ---- generated patrols --------------------------------------------------- */

static void judge(truce_gen_options *o, int day, truce_patrol_result *r)
{
    truce_track t;
    truce_track_init(&t);
    o->start_s = MARCH_15_0700Z + day * DAY_S;
    o->spacing_m = 50;
    assert_int_equal(truce_track_generate(route->route.lonlat, route->route.n, o, &t, NULL),
                     TRUCE_OK);
    assert_int_equal(truce_patrol_check(checker, &t, r), TRUCE_OK);
    truce_track_release(&t);
}

/* 15 March: the whole route, and a turn-back at km 10.  16 March: a
 * turn-back at km 40.  17 March: nothing.  18 March: a 2 km detour from km
 * 32 to km 42.  14 March: the whole route, before the start. */
static void generated_week(void **state)
{
    (void)state;
    truce_patrol_result r[5];
    truce_gen_options o;
    truce_gen_options_init(&o);
    judge(&o, 0, &r[0]);
    o.turn_back_m = 10000;
    judge(&o, 0, &r[1]);
    o.turn_back_m = 40000;
    judge(&o, 1, &r[2]);
    truce_gen_options_init(&o);
    o.detour_from_m = 32000;
    o.detour_to_m = 42000;
    o.detour_offset_m = 2000;
    judge(&o, 3, &r[3]);
    truce_gen_options_init(&o);
    judge(&o, -1, &r[4]);
    truce_patrol_summary s;
    assert_int_equal(truce_patrol_summarize(route, idlib->tz, r, 5, NULL, &s), TRUCE_OK);
    assert_int_equal(s.ndays, 4);
    assert_int_equal(s.ntracks, 4);
    assert_int_equal(s.nleft_out, 1);
    assert_int_equal(s.ndays_without, 1);
    assert_int_equal(s.days_without[0], march_15 + 2);
    assert_int_equal(s.nbins, 59);
    for (size_t k = 0; k < s.nbins; k++) {
        size_t tracks = (size_t)(1 + (k < 10) + (k < 40) + (k < 32 || k >= 42));
        size_t days = (size_t)(1 + (k < 40) + (k < 32 || k >= 42));
        if (s.bins[k].tracks != tracks || s.bins[k].days != days)
            fail_msg("bin %zu: %zu tracks on %zu days, expected %zu on %zu", k, s.bins[k].tracks,
                     s.bins[k].days, tracks, days);
        assert_true(s.bins[k].covered_fraction > 0.99);
    }
    assert_true(fabs(s.covered_m - route->length_m) <= 0.01 * route->length_m);
    truce_patrol_summary_release(&s);
    for (int i = 0; i < 5; i++)
        truce_patrol_result_release(&r[i]);
}

/* Bins that read alike share a table row: same tracks and days, coverage
 * within 0.1%. */
static void runs_of_bins(void **state)
{
    (void)state;
    truce_patrol_bin bins[5] = {
        {0, 1000, 2, 2, 1000, 1.0},    {1000, 2000, 2, 2, 1000, 0.9996},
        {2000, 3000, 2, 2, 990, 0.99}, {3000, 4000, 1, 1, 1000, 1.0},
        {4000, 4500, 1, 1, 500, 1.0},
    };
    truce_patrol_summary s;
    memset(&s, 0, sizeof s);
    s.bins = bins;
    s.nbins = 5;
    assert_int_equal(truce_patrol_summary_run_end(&s, 0), 2);
    assert_int_equal(truce_patrol_summary_run_end(&s, 2), 3);
    assert_int_equal(truce_patrol_summary_run_end(&s, 3), 5);
    assert_int_equal(truce_patrol_summary_run_end(&s, 5), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(half_bin_rule),
        cmocka_unit_test(period_and_left_out),
        cmocka_unit_test(generated_week),
        cmocka_unit_test(runs_of_bins),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
