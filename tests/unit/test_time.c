/* Civil dates, instants and the ISO 8601 parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "truce/time.h"

static void days_round_trip(void **state)
{
    (void)state;
    assert_int_equal(truce_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(truce_days_from_civil(2020, 3, 5), 18326); /* date -d 2020-03-05 +%s / 86400 */
    assert_int_equal(truce_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(truce_days_from_civil(2000, 2, 29), 11016);
    for (int64_t d = -800000; d <= 800000; d += 7) {
        int y, m, dd;
        truce_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(truce_days_from_civil(y, m, dd), d);
        assert_true(dd >= 1 && dd <= truce_days_in_month(y, m));
    }
}

static void format_utc(void **state)
{
    (void)state;
    char buf[21];
    truce_time_format_utc(1583445600, buf); /* 2020-03-05T22:00:00Z */
    assert_string_equal(buf, "2020-03-05T22:00:00Z");
    truce_time_format_utc(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    truce_civil c;
    truce_civil_from_utc(-86401, &c);
    assert_int_equal(c.day, 30);
    assert_int_equal(c.hour, 23);
    assert_int_equal(c.second, 59);
    /* Regression: the extremes of int64_t must not overflow (UBSan, tz fuzzing). */
    truce_civil_from_utc(INT64_MIN, &c);
    truce_civil_from_utc(INT64_MAX, &c);
    assert_true(c.hour >= 0 && c.hour < 24 && c.second >= 0 && c.second < 60);
}

static void parse_forms(void **state)
{
    (void)state;
    truce_time_value v;
    assert_int_equal(truce_time_parse("2020-03-06", &v), TRUCE_OK);
    assert_int_equal(v.kind, TRUCE_TIME_DATE);
    assert_int_equal(v.civil.day, 6);
    assert_int_equal(truce_time_parse("2020-03-06T00:00", &v), TRUCE_OK);
    assert_int_equal(v.kind, TRUCE_TIME_LOCAL);
    assert_int_equal(truce_time_parse("2020-03-06 13:45:09", &v), TRUCE_OK);
    assert_int_equal(v.civil.second, 9);
    assert_int_equal(truce_time_parse("2020-03-05T22:00:00Z", &v), TRUCE_OK);
    assert_int_equal(v.kind, TRUCE_TIME_UTC);
    assert_int_equal(v.offset_s, 0);
    assert_int_equal(truce_time_parse("2020-03-06T00:00+02:00", &v), TRUCE_OK);
    assert_int_equal(v.offset_s, 7200);
    assert_int_equal(truce_civil_to_utc(&v.civil) - v.offset_s, 1583445600);
    assert_int_equal(truce_time_parse("2020-03-06T00:00-03:30", &v), TRUCE_OK);
    assert_int_equal(v.offset_s, -12600);
}

static void parse_rejects(void **state)
{
    (void)state;
    truce_time_value v;
    const char *malformed[] = {"",
                               "2020",
                               "2020-3-6",
                               "2020-03-06T",
                               "2020-03-06T0:00",
                               "2020-03-06T00:00Zx",
                               "06/03/2020",
                               "2020-03-06T00:00+2",
                               "2020-03-06x"};
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++)
        assert_int_equal(truce_time_parse(malformed[i], &v), TRUCE_E_PARSE);
    const char *range[] = {"2020-02-30",       "2019-02-29",       "2020-13-01", "2020-00-10",
                           "2020-03-06T24:00", "2020-03-06T23:60", "0000-01-01"};
    for (size_t i = 0; i < sizeof range / sizeof *range; i++)
        assert_int_equal(truce_time_parse(range[i], &v), TRUCE_E_RANGE);
    assert_int_equal(truce_time_parse("2020-02-29", &v), TRUCE_OK);
}

/* Milliseconds round to the nearest, with a carry into the seconds. */
static void format_utc_ms(void **state)
{
    (void)state;
    char buf[25];
    const double t = 1584255600.0; /* 2020-03-15T07:00:00Z */
    truce_time_format_utc_ms(t + 0.25, 0, buf);
    assert_string_equal(buf, "2020-03-15T07:00:00.250Z");
    truce_time_format_utc_ms(t, 0, buf);
    assert_string_equal(buf, "2020-03-15T07:00:00Z");
    truce_time_format_utc_ms(t, 1, buf);
    assert_string_equal(buf, "2020-03-15T07:00:00.000Z");
    truce_time_format_utc_ms(t + 59.9996, 0, buf);
    assert_string_equal(buf, "2020-03-15T07:01:00Z");
    truce_time_format_utc_ms(t - 0.0004, 1, buf);
    assert_string_equal(buf, "2020-03-15T07:00:00.000Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(days_round_trip), cmocka_unit_test(format_utc),
        cmocka_unit_test(format_utc_ms),   cmocka_unit_test(parse_forms),
        cmocka_unit_test(parse_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
