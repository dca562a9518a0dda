/* Daily windows in local time: parsing, and the time of an interval outside
 * a window, worked out by hand in Asia/Damascus (UTC+2 in March 2020, UTC+3
 * from 00:00 on 27 March 2020, when clocks went forward to 01:00). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "truce/window.h"

#define MARCH_15_0000_LOCAL 1584223200.0 /* 2020-03-14T22:00:00Z */

static void parse(void **state)
{
    (void)state;
    truce_daily_window w;
    assert_int_equal(truce_daily_window_parse("06:00-18:30", &w), TRUCE_OK);
    assert_int_equal(w.start_min, 360);
    assert_int_equal(w.end_min, 1110);
    char buf[12];
    truce_daily_window_format(&w, buf);
    assert_string_equal(buf, "06:00-18:30");
    assert_int_equal(truce_daily_window_parse("22:00-00:00", &w), TRUCE_OK);
    assert_int_equal(w.end_min, 0);
    assert_int_equal(truce_daily_window_parse("6:00-18:00", &w), TRUCE_E_PARSE);
    assert_int_equal(truce_daily_window_parse("06:00-18:00 ", &w), TRUCE_E_PARSE);
    assert_int_equal(truce_daily_window_parse("06:00", &w), TRUCE_E_PARSE);
    assert_int_equal(truce_daily_window_parse("06:00/18:00", &w), TRUCE_E_PARSE);
    assert_int_equal(truce_daily_window_parse("24:00-18:00", &w), TRUCE_E_RANGE);
    assert_int_equal(truce_daily_window_parse("06:60-18:00", &w), TRUCE_E_RANGE);
    assert_int_equal(truce_daily_window_parse("06:00-06:00", &w), TRUCE_E_RANGE);
    assert_int_equal(truce_daily_window_parse(NULL, &w), TRUCE_E_ARG);
}

static double outside(const char *text, const truce_tz *tz, double t0, double t1)
{
    truce_daily_window w;
    assert_int_equal(truce_daily_window_parse(text, &w), TRUCE_OK);
    double s = -1;
    assert_int_equal(truce_daily_window_outside_s(&w, tz, t0, t1, &s), TRUCE_OK);
    return s;
}

static void outside_time(void **state)
{
    (void)state;
    truce_tz *tz = NULL;
    assert_int_equal(truce_tz_open("Asia/Damascus", &tz), TRUCE_OK);
    double day = MARCH_15_0000_LOCAL, h = 3600;
    /* 09:00-10:43 local inside 06:00-18:00: nothing outside */
    assert_true(outside("06:00-18:00", tz, day + 9 * h, day + 10.75 * h) == 0);
    /* 05:00-07:00 local: one hour before the window opens */
    assert_true(outside("06:00-18:00", tz, day + 5 * h, day + 7 * h) == h);
    /* in UTC the same instants are 03:00-05:00: all outside */
    assert_true(outside("06:00-18:00", NULL, day + 5 * h, day + 7 * h) == 2 * h);
    /* 17:00 to 07:00 next day: 18:00-06:00 outside, 12 hours */
    assert_true(outside("06:00-18:00", tz, day + 17 * h, day + 31 * h) == 12 * h);
    /* across midnight, 22:00-04:00: 20:00 to 05:00 has 2 + 1 hours outside */
    assert_true(outside("22:00-04:00", tz, day + 20 * h, day + 29 * h) == 3 * h);
    /* two whole local days: 2 x 18 hours outside a 6-hour window */
    assert_true(outside("22:00-04:00", tz, day, day + 48 * h) == 36 * h);
    /* an empty or reversed interval */
    assert_true(outside("06:00-18:00", tz, day + h, day + h) == 0);
    assert_true(outside("06:00-18:00", tz, day + h, (double)NAN) == 0);
    /* 27 March 2020 lasts 23 hours in Damascus: 00:00 local is 26th 22:00Z,
     * 24:00 local is 27th 21:00Z.  The window 06:00-18:00 (03:00Z-15:00Z)
     * still lasts 12 hours, so 11 hours of that day are outside it. */
    double mar27 = day + 12 * 24 * h;
    assert_true(outside("06:00-18:00", tz, mar27, mar27 + 23 * h) == 11 * h);

    truce_daily_window w;
    truce_daily_window_parse("06:00-18:00", &w);
    assert_int_equal(truce_daily_window_excludes(&w, tz, day + 5.99 * h), 1);
    assert_int_equal(truce_daily_window_excludes(&w, tz, day + 6 * h), 0);
    assert_int_equal(truce_daily_window_excludes(&w, tz, day + 18 * h), 1);
    truce_daily_window bad = {0, 0};
    double s;
    assert_int_equal(truce_daily_window_outside_s(&bad, tz, 0, 1, &s), TRUCE_E_ARG);
    assert_int_equal(truce_daily_window_outside_s(&w, tz, -1e15, 1, &s), TRUCE_E_RANGE);
    truce_tz_free(tz);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse),
        cmocka_unit_test(outside_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
