/* The one digit reader (src/base/digits.h): counts, values, the bound, a NUL
 * ending the run, saturation, and fixed widths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/digits.h"

static void runs(void **state)
{
    (void)state;
    uint64_t v = 7;
    assert_int_equal(trc_digits("", SIZE_MAX, &v), 0);
    assert_true(v == 0);
    assert_int_equal(trc_digits("x1", SIZE_MAX, &v), 0);
    assert_int_equal(trc_digits("-1", SIZE_MAX, &v), 0);
    assert_int_equal(trc_digits(" 1", SIZE_MAX, &v), 0);
    assert_int_equal(trc_digits("0", SIZE_MAX, &v), 1);
    assert_true(v == 0);
    assert_int_equal(trc_digits("2020-03", SIZE_MAX, &v), 4);
    assert_true(v == 2020);
    assert_int_equal(trc_digits("007", SIZE_MAX, &v), 3);
    assert_true(v == 7);
    /* the bound, and bytes past it never read */
    const char cut[3] = {'1', '2', '3'};
    assert_int_equal(trc_digits(cut, 2, &v), 2);
    assert_true(v == 12);
    assert_int_equal(trc_digits(cut, 0, &v), 0);
    assert_int_equal(trc_digits("123", SIZE_MAX, NULL), 3);
    /* '/' and ':' border the digits in ASCII */
    assert_int_equal(trc_digits("/09:", SIZE_MAX, &v), 0);
    assert_int_equal(trc_digits("09:", SIZE_MAX, &v), 2);
}

static void saturation(void **state)
{
    (void)state;
    uint64_t v;
    assert_int_equal(trc_digits("18446744073709551615", SIZE_MAX, &v), 20);
    assert_true(v == UINT64_MAX);
    assert_int_equal(trc_digits("18446744073709551614", SIZE_MAX, &v), 20);
    assert_true(v == UINT64_MAX - 1);
    assert_int_equal(trc_digits("18446744073709551616", SIZE_MAX, &v), 20);
    assert_true(v == UINT64_MAX);
    assert_int_equal(trc_digits("99999999999999999999999999x", SIZE_MAX, &v), 26);
    assert_true(v == UINT64_MAX);
    /* leading zeros do not count towards it */
    assert_int_equal(trc_digits("000000000000000000000000009223372036854775807", SIZE_MAX, &v), 45);
    assert_true(v == INT64_MAX);
}

static void fixed(void **state)
{
    (void)state;
    assert_int_equal(trc_digits_fixed("2020", 4), 2020);
    assert_int_equal(trc_digits_fixed("20200", 4), 2020);
    assert_int_equal(trc_digits_fixed("0000", 4), 0);
    assert_int_equal(trc_digits_fixed("202", 4), -1);
    assert_int_equal(trc_digits_fixed("20x0", 4), -1);
    assert_int_equal(trc_digits_fixed("09", 2), 9);
    assert_int_equal(trc_digits_fixed("999999999", 9), 999999999);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(runs),
        cmocka_unit_test(saturation),
        cmocka_unit_test(fixed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
