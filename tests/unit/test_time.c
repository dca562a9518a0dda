/* Civil dates, instants and the ISO 8601 parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "time/time_rules.h"
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

/* The xsd:dateTime rules GPX <time> is read with: the same parser, with a
 * fraction, "t", "z" and "+HHMM" added, and seconds and the "T" required;
 * truce_time_parse takes none of those additions. */
static void parse_xsd_rules(void **state)
{
    (void)state;
    truce_time_value v;
    double f = -1;
    assert_int_equal(trc_time_parse("2020-03-15T07:00:00.250Z", TRC_TIME_XSD, &v, &f), TRUCE_OK);
    assert_int_equal(v.kind, TRUCE_TIME_UTC);
    assert_int_equal(v.civil.second, 0);
    assert_true(f == 0.25);
    assert_int_equal(trc_time_parse("2020-03-15t07:00:00z", TRC_TIME_XSD, &v, &f), TRUCE_OK);
    assert_int_equal(v.kind, TRUCE_TIME_UTC);
    assert_true(f == 0);
    assert_int_equal(trc_time_parse("2020-03-15T04:00:00-0300", TRC_TIME_XSD, &v, NULL), TRUCE_OK);
    assert_int_equal(v.offset_s, -10800);
    assert_int_equal(trc_time_parse("2020-03-15T09:30:00+02:30", TRC_TIME_XSD, &v, NULL), TRUCE_OK);
    assert_int_equal(v.offset_s, 9000);
    assert_int_equal(trc_time_parse("2020-03-15T07:00:00", TRC_TIME_XSD, &v, &f), TRUCE_OK);
    assert_int_equal(v.kind, TRUCE_TIME_LOCAL);
    /* the first 15 digits of a fraction count, the rest are read */
    assert_int_equal(
        trc_time_parse("2020-03-15T07:00:59.123456789012345678Z", TRC_TIME_XSD, &v, &f), TRUCE_OK);
    assert_true(f == 0.123456789012345);
    assert_int_equal(
        trc_time_parse("2020-03-15T07:00:00.999999999999999999Z", TRC_TIME_XSD, &v, &f), TRUCE_OK);
    assert_true(f < 1);
    const char *xsd_only[] = {"2020-03-15T07:00:00.5Z", "2020-03-15t07:00:00Z",
                              "2020-03-15T07:00:00z", "2020-03-15T07:00:00+0200"};
    for (size_t i = 0; i < sizeof xsd_only / sizeof *xsd_only; i++) {
        assert_int_equal(trc_time_parse(xsd_only[i], TRC_TIME_XSD, &v, NULL), TRUCE_OK);
        assert_int_equal(truce_time_parse(xsd_only[i], &v), TRUCE_E_PARSE);
    }
    const char *not_xsd[] = {"2020-03-15",
                             "2020-03-15T07:00Z",
                             "2020-03-15 07:00:00Z",
                             "2020-03-15T07:00:00.Z",
                             "2020-03-15T07:00:00.",
                             "2020-03-15T07:00:00+02",
                             "2020-03-15T07:00:00+2:00"};
    for (size_t i = 0; i < sizeof not_xsd / sizeof *not_xsd; i++)
        assert_int_equal(trc_time_parse(not_xsd[i], TRC_TIME_XSD, &v, NULL), TRUCE_E_PARSE);
    /* the ranges are the parser's, whatever the rules */
    const char *range[] = {"0000-12-31T23:00:00Z", "2019-02-29T00:00:00Z", "2020-03-15T24:00:00Z",
                           "2020-03-15T07:00:00+19:00"};
    for (size_t i = 0; i < sizeof range / sizeof *range; i++)
        assert_int_equal(trc_time_parse(range[i], TRC_TIME_XSD, &v, NULL), TRUCE_E_RANGE);
    int64_t t;
    assert_int_equal(trc_time_parse("0001-01-01T00:30:00+01:00", TRC_TIME_XSD, &v, NULL), TRUCE_OK);
    assert_int_equal(truce_time_value_instant(&v, &t), TRUCE_E_RANGE);
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

/* The range of instants: its two ends, one second either side, and values
 * far outside, which every formatter writes as a placeholder of the usual
 * length (SOURCE_DATE_EPOCH=-93700000000 once overran the report footer's
 * 21-byte buffer, and 9999-12-31's end came out as year 0000). */
static void instant_range(void **state)
{
    (void)state;
    assert_true(truce_instant_in_range(TRUCE_INSTANT_FIRST_S));
    assert_true(truce_instant_in_range(TRUCE_INSTANT_LAST_S));
    assert_false(truce_instant_in_range(TRUCE_INSTANT_FIRST_S - 1));
    assert_false(truce_instant_in_range(TRUCE_INSTANT_LAST_S + 1));
    assert_int_equal(TRUCE_INSTANT_FIRST_S, truce_days_from_civil(1, 1, 1) * 86400);
    assert_int_equal(TRUCE_INSTANT_LAST_S + 1, truce_days_from_civil(10000, 1, 1) * 86400);

    char *buf = malloc(21); /* exactly the size promised: ASan sees any overrun */
    assert_non_null(buf);
    truce_time_format_utc(TRUCE_INSTANT_FIRST_S, buf);
    assert_string_equal(buf, "0001-01-01T00:00:00Z");
    truce_time_format_utc(TRUCE_INSTANT_LAST_S, buf);
    assert_string_equal(buf, "9999-12-31T23:59:59Z");
    const int64_t outside[] = {TRUCE_INSTANT_FIRST_S - 1, TRUCE_INSTANT_LAST_S + 1,
                               INT64_C(-93700000000), INT64_MIN, INT64_MAX};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        truce_time_format_utc(outside[i], buf);
        assert_string_equal(buf, TRUCE_INSTANT_UNKNOWN_TEXT);
    }
    free(buf);

    char *ms = malloc(25);
    assert_non_null(ms);
    truce_time_format_utc_ms((double)TRUCE_INSTANT_LAST_S + 0.25, 0, ms);
    assert_string_equal(ms, "9999-12-31T23:59:59.250Z");
    /* 999.6 ms would carry into year 10000: kept at .999 instead. */
    truce_time_format_utc_ms((double)TRUCE_INSTANT_LAST_S + 0.9996, 0, ms);
    assert_string_equal(ms, "9999-12-31T23:59:59.999Z");
    truce_time_format_utc_ms((double)TRUCE_INSTANT_FIRST_S, 1, ms);
    assert_string_equal(ms, "0001-01-01T00:00:00.000Z");
    const double bad[] = {(double)TRUCE_INSTANT_FIRST_S - 0.001,
                          (double)TRUCE_INSTANT_LAST_S + 1,
                          -9.37e10,
                          1e300,
                          -1e300,
                          (double)NAN,
                          (double)INFINITY};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        truce_time_format_utc_ms(bad[i], 1, ms);
        assert_string_equal(ms, TRUCE_INSTANT_UNKNOWN_TEXT);
    }
    free(ms);

    char *cf = malloc(20);
    assert_non_null(cf);
    truce_civil c = {9999, 12, 31, 23, 59, 59};
    truce_civil_format(&c, cf);
    assert_string_equal(cf, "9999-12-31T23:59:59");
    const truce_civil wrong[] = {{10000, 1, 1, 0, 0, 0},
                                 {0, 12, 31, 0, 0, 0},
                                 {-99999, 1, 1, 0, 0, 0},
                                 {2020, 2, 30, 0, 0, 0},
                                 {2020, 1, 1, 24, 0, 0}};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        truce_civil_format(&wrong[i], cf);
        assert_string_equal(cf, "XXXX-XX-XXTXX:XX");
    }
    free(cf);
}

/* A time with an offset can cross the range even though its written year
 * is within 0001-9999. */
static void value_instant(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        truce_status st;
        int64_t t;
    } rows[] = {
        {"0001-01-01T00:00:00Z", TRUCE_OK, TRUCE_INSTANT_FIRST_S},
        {"0001-01-01T00:00:00-00:01", TRUCE_OK, TRUCE_INSTANT_FIRST_S + 60},
        {"0001-01-01T00:00+01:00", TRUCE_E_RANGE, 0},
        {"9999-12-31T23:59:59Z", TRUCE_OK, TRUCE_INSTANT_LAST_S},
        {"9999-12-31T23:59:59+00:01", TRUCE_OK, TRUCE_INSTANT_LAST_S - 60},
        {"9999-12-31T23:30-01:00", TRUCE_E_RANGE, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        truce_time_value v;
        int64_t t = 0;
        assert_int_equal(truce_time_parse(rows[i].text, &v), TRUCE_OK);
        assert_int_equal(truce_time_value_instant(&v, &t), rows[i].st);
        if (rows[i].st == TRUCE_OK)
            assert_int_equal(t, rows[i].t);
    }
    truce_time_value v;
    int64_t t;
    assert_int_equal(truce_time_parse("2020-03-06", &v), TRUCE_OK);
    assert_int_equal(truce_time_value_instant(&v, &t), TRUCE_E_ARG);
    /* Years outside 0001-9999 do not parse at all. */
    assert_int_equal(truce_time_parse("0000-12-31T23:59:59Z", &v), TRUCE_E_RANGE);
    assert_int_equal(truce_time_parse("10000-01-01T00:00:00Z", &v), TRUCE_E_PARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(days_round_trip), cmocka_unit_test(format_utc),
        cmocka_unit_test(format_utc_ms),   cmocka_unit_test(parse_forms),
        cmocka_unit_test(parse_rejects),   cmocka_unit_test(instant_range),
        cmocka_unit_test(value_instant),   cmocka_unit_test(parse_xsd_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
