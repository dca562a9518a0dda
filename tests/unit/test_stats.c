/* Statistics: the exact rate-ratio interval against worked examples, and the
 * accumulator's days, counts and breakdowns on the bundled agreement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "truce/stats.h"

#include "idlib_fixture.h"

#define CEASEFIRE 1583445600 /* 2020-03-05T22:00:00Z */

/* Reference values: Clopper-Pearson limits for p = k1/n from an independent
 * implementation (Python, math.comb sums and bisection), which agree with R's
 * binom.test(10, 50)$conf.int = 0.1003022 0.3371831; R = p/(1-p) t0/t1. */
static void rate_ratio_worked(void **state)
{
    (void)state;
    double r, lo, hi;
    /* 40 events in the 30 days before, 10 in the 30 days after. */
    assert_int_equal(truce_rate_ratio_exact(10, 30, 40, 30, 0.95, &r, &lo, &hi), TRUCE_OK);
    assert_true(fabs(r - 0.25) < 1e-15);
    assert_true(fabs(lo - 0.11148436914059032) < 1e-9);
    assert_true(fabs(hi - 0.5087123044814806) < 1e-9);
    /* Unequal exposures scale the ratio: 10 in 15 days vs 40 in 30. */
    assert_int_equal(truce_rate_ratio_exact(10, 15, 40, 30, 0.95, &r, &lo, &hi), TRUCE_OK);
    assert_true(fabs(r - 0.5) < 1e-15);
    assert_true(fabs(lo - 2 * 0.11148436914059032) < 1e-9);
    /* None after: the lower limit is 0. */
    assert_int_equal(truce_rate_ratio_exact(0, 30, 12, 30, 0.95, &r, &lo, &hi), TRUCE_OK);
    assert_true(r == 0 && lo == 0);
    assert_true(fabs(hi - 0.35989381728770414) < 1e-9);
    /* None before: the ratio and its upper limit are infinite. */
    assert_int_equal(truce_rate_ratio_exact(7, 30, 0, 30, 0.95, &r, &lo, &hi), TRUCE_OK);
    assert_true(isinf(r) && isinf(hi));
    assert_true(fabs(lo - 1.4413085188352384) < 1e-9);
    assert_int_equal(truce_rate_ratio_exact(3, 30, 5, 30, 0.95, &r, &lo, &hi), TRUCE_OK);
    assert_true(fabs(lo - 0.09317504099350883) < 1e-9);
    assert_true(fabs(hi - 3.083912703748186) < 1e-9);
    /* Large counts stay fast and sane: the interval brackets the ratio. */
    assert_int_equal(truce_rate_ratio_exact(90000, 30, 100000, 30, 0.95, &r, &lo, &hi), TRUCE_OK);
    assert_true(lo < 0.9 && 0.9 < hi && hi - lo < 0.03);
    assert_int_equal(truce_rate_ratio_exact(0, 30, 0, 30, 0.95, &r, &lo, &hi), TRUCE_E_ARG);
    assert_int_equal(truce_rate_ratio_exact(1, 0, 1, 30, 0.95, &r, &lo, &hi), TRUCE_E_ARG);
}

/* The bundled agreement, a classifier and an accumulator with default
 * options for it. */
static void idlib_stats(truce_agreement **a, truce_classifier **c, truce_stats **s)
{
    *a = idlib_agreement();
    assert_non_null(*a);
    assert_int_equal(truce_classifier_new(*a, c), TRUCE_OK);
    assert_int_equal(truce_stats_new(*a, NULL, s), TRUCE_OK);
}

static void accumulate(void **state)
{
    (void)state;
    truce_agreement *a;
    truce_classifier *c;
    truce_stats *s;
    idlib_stats(&a, &c, &s);

    truce_event ev;
    truce_event_init(&ev);
    ev.id = "e";
    ev.event_type = "shelling";
    ev.actor1 = "Syrian government forces";
    ev.has_location = 1;
    ev.lon = 36.63; /* Idlib city: inside the zone */
    ev.lat = 35.93;
    ev.fatalities = 2;
    truce_verdict v;
    /* 40 hostile events over the 30 days before, 10 over the 30 after. */
    for (int i = 0; i < 40; i++) {
        ev.start_s = CEASEFIRE - (int64_t)(i % 30 + 1) * 86400;
        ev.end_s = ev.start_s + 86400;
        assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
        assert_int_equal(v.phase, TRUCE_EVENT_BEFORE);
        assert_int_equal(v.violation, TRUCE_VIOLATION_NONE);
        assert_int_equal(v.any_phase, TRUCE_VIOLATION_YES);
        assert_int_equal(truce_stats_add(s, &ev, &v), TRUCE_OK);
    }
    for (int i = 0; i < 10; i++) {
        ev.start_s = CEASEFIRE + (int64_t)i * 3 * 86400;
        ev.end_s = ev.start_s + 86400;
        assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
        assert_int_equal(v.violation, TRUCE_VIOLATION_YES);
        assert_int_equal(truce_stats_add(s, &ev, &v), TRUCE_OK);
    }
    /* Outside the window: counted as an event, not in the ratio. */
    ev.start_s = CEASEFIRE + 45 * 86400;
    ev.end_s = ev.start_s + 86400;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(truce_stats_add(s, &ev, &v), TRUCE_OK);

    truce_stats_summary sum;
    assert_int_equal(truce_stats_summarise(s, &sum), TRUCE_OK);
    assert_int_equal(sum.events, 51);
    assert_int_equal(sum.in_window, 50);
    assert_int_equal(sum.hostile_before, 40);
    assert_int_equal(sum.hostile_after, 10);
    assert_int_equal(sum.violations, 11);
    assert_int_equal(sum.fatalities_before, 80);
    assert_true(sum.has_ratio);
    assert_true(fabs(sum.rate_ratio - 0.25) < 1e-12);
    assert_true(fabs(sum.ratio_lo - 0.11148436914059032) < 1e-9);
    assert_int_equal(sum.last_violation_s, CEASEFIRE + 45 * 86400);
    assert_true(fabs(sum.days_since_last_violation - 1.0) < 1e-12);

    size_t n;
    const truce_stats_day *days = truce_stats_days(s, &n);
    assert_int_equal(n, 60);
    assert_int_equal(days[30].offset, 0);
    assert_string_equal(days[30].date, "2020-03-06");
    assert_int_equal(days[30].start_s, CEASEFIRE);
    assert_string_equal(days[0].date, "2020-02-05");
    assert_int_equal(days[30].violations, 1);
    assert_int_equal(days[29].hostile, 2); /* 5 March: i = 0 and i = 30 */
    /* Summer time starts on 27 March 2020: that day begins at 22:00Z still. */
    assert_string_equal(days[51].date, "2020-03-27");
    assert_int_equal(days[51].start_s, CEASEFIRE + 21 * 86400);
    assert_int_equal(days[52].start_s, CEASEFIRE + 22 * 86400 - 3600);

    const truce_stats_row *rows;
    assert_int_equal(truce_stats_breakdown(s, TRUCE_BY_ZONE, &rows, &n), TRUCE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].key, "idlib-area");
    assert_int_equal(rows[0].events, 51);
    assert_int_equal(rows[0].violations, 11);
    assert_int_equal(truce_stats_breakdown(s, TRUCE_BY_DAY, &rows, &n), TRUCE_OK);
    assert_string_equal(rows[0].key, "2020-02-05");
    assert_int_equal(truce_stats_breakdown(s, TRUCE_BY_PARTY, &rows, &n), TRUCE_OK);
    assert_int_equal(n, 1);

    /* The summary as text, with and without its key; a buffer too small. */
    char line[TRUCE_STATS_LINE_MAX];
    assert_int_equal(truce_stats_line_text(s, &sum, TRUCE_STATS_LINE_EVENTS, 1, line, sizeof line),
                     TRUCE_OK);
    assert_string_equal(line, "events      51 judged, 50 in the window; 11 violations, 0 possible");
    assert_int_equal(
        truce_stats_line_text(s, &sum, TRUCE_STATS_LINE_RATE_RATIO, 0, line, sizeof line),
        TRUCE_OK);
    assert_string_equal(line, "0.25 after/before, 95% CI 0.111 to 0.509 (exact conditional)");
    assert_int_equal(
        truce_stats_line_text(s, &sum, TRUCE_STATS_LINE_LAST_VIOLATION, 1, line, sizeof line),
        TRUCE_OK);
    assert_string_equal(
        line, "last violation  2020-04-19T22:00:00Z, 1.0 days before 2020-04-20T22:00:00Z");
    assert_string_equal(truce_stats_line_key(TRUCE_STATS_LINE_WINDOW), "window");
    assert_null(truce_stats_line_key(TRUCE_STATS_NLINES));
    assert_int_equal(truce_stats_line_text(s, &sum, TRUCE_STATS_LINE_WINDOW, 1, line, 20),
                     TRUCE_E_RANGE);
    assert_int_equal(strlen(line), 19);
    assert_int_equal(truce_stats_line_text(s, &sum, TRUCE_STATS_NLINES, 1, line, sizeof line),
                     TRUCE_E_ARG);
    truce_stats_free(s);
    truce_classifier_free(c);
    truce_agreement_free(a);
}

/* By rule: an event counts once for each rule it breaks (the IED on the
 * joint patrol at Ariha, 14 July 2020, breaks the area's and the
 * corridor's), while the totals by verdict count it once; every rule has a
 * row from the start. */
static void by_rule(void **state)
{
    (void)state;
    truce_agreement *a;
    truce_classifier *c;
    truce_stats *s;
    idlib_stats(&a, &c, &s);
    const truce_stats_row *rows;
    size_t n;
    assert_int_equal(truce_stats_breakdown(s, TRUCE_BY_RULE, &rows, &n), TRUCE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].events + rows[1].events, 0);
    truce_event ev;
    truce_event_init(&ev);
    ev.id = "ariha";
    ev.start_s = 1594674000; /* 2020-07-14 in Damascus (UTC+3) */
    ev.end_s = ev.start_s + 86400;
    ev.event_type = "attack_on_forces";
    ev.has_location = 1;
    ev.lon = 36.60964;
    ev.lat = 35.81374;
    ev.radius_m = 2000;
    ev.fatalities = 2;
    truce_verdict v;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(truce_stats_add(s, &ev, &v), TRUCE_OK);
    /* 20 km north, outside the corridor, inside the area: its rule only. */
    ev.id = "north";
    ev.lat += 20000 / 111000.0;
    ev.fatalities = 0;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.nrules, 1);
    assert_int_equal(truce_stats_add(s, &ev, &v), TRUCE_OK);
    truce_stats_summary sum;
    assert_int_equal(truce_stats_summarise(s, &sum), TRUCE_OK);
    assert_int_equal(sum.events, 2);
    assert_int_equal(sum.violations, 2);
    assert_int_equal(truce_stats_breakdown(s, TRUCE_BY_RULE, &rows, &n), TRUCE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].key, "ceasefire-idlib-area");
    assert_int_equal(rows[0].events, 2);
    assert_int_equal(rows[0].violations, 2);
    assert_int_equal(rows[0].fatalities, 2);
    assert_string_equal(rows[1].key, "ceasefire-m4-corridor");
    assert_int_equal(rows[1].events, 1);
    assert_int_equal(rows[1].violations, 1);
    assert_int_equal(rows[1].possible, 0);
    assert_int_equal(rows[1].fatalities, 2);
    truce_stats_free(s);
    truce_classifier_free(c);
    truce_agreement_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rate_ratio_worked),
        cmocka_unit_test(accumulate),
        cmocka_unit_test(by_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
