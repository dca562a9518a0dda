/* Fixed-decimal text: truce_decimal_fixed against snprintf("%.*f") on ties,
 * every binade, random bit patterns and random values, and the speed that
 * is its reason to exist. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "truce/decimal.h"

static uint64_t rng_state = 20200305;

static uint64_t next_u64(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static double from_bits(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/* Both ways, with a roomy buffer and with every short one. */
static void same(double x, int decimals)
{
    char want[512], got[512];
    int nw = snprintf(want, sizeof want, "%.*f", decimals, x);
    int ng = truce_decimal_fixed(x, decimals, got, sizeof got);
    if (nw != ng || strcmp(want, got) != 0)
        fail_msg("%.17g with %d decimals: printf \"%s\", got \"%s\"", x, decimals, want, got);
    for (size_t size = 0; size < 12 && size <= (size_t)nw; size++) {
        char w2[16], g2[16];
        memset(w2, 'x', sizeof w2);
        memset(g2, 'x', sizeof g2);
        snprintf(w2, size, "%.*f", decimals, x);
        assert_int_equal(truce_decimal_fixed(x, decimals, g2, size), nw);
        assert_memory_equal(w2, g2, sizeof w2);
    }
}

static void ties_round_to_even(void **state)
{
    (void)state;
    /* x * 10^d is a half-integer exactly when x = odd / 2^(d+1) (times any
     * power of 5 up to 5^d): both ways of rounding occur. */
    for (int d = 0; d <= 9; d++)
        for (int64_t j = -5000; j <= 5000; j++) {
            same(ldexp((double)j, -(d + 1)), d);
            same(ldexp((double)j * 5, -(d + 1)), d);
            same((double)j / 8 + 1e6, d);
        }
    char b[16];
    truce_decimal_fixed(0.03125, 4, b, sizeof b);
    assert_string_equal(b, "0.0312");
    truce_decimal_fixed(0.09375, 4, b, sizeof b);
    assert_string_equal(b, "0.0938");
    truce_decimal_fixed(2.5, 0, b, sizeof b);
    assert_string_equal(b, "2");
}

static void signs_and_specials(void **state)
{
    (void)state;
    const double xs[] = {0.0,
                         -0.0,
                         1e-300,
                         -1e-300,
                         4.9e-324,
                         -4.9e-324,
                         0.00005,
                         -0.00005,
                         0.99995,
                         -0.99995,
                         9.5,
                         -9.5,
                         1e15,
                         9007199254740991.0,
                         9007199254740992.0,
                         -9007199254740993.0,
                         1e300,
                         -1e300,
                         HUGE_VAL,
                         -HUGE_VAL,
                         (double)NAN,
                         -(double)NAN};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        for (int d = -1; d <= 12; d++)
            same(xs[i], d);
}

static void every_binade(void **state)
{
    (void)state;
    for (int e = -1074; e <= 1023; e++)
        for (int k = 0; k < 40; k++) {
            uint64_t m = k < 2 ? (uint64_t)k * ((UINT64_C(1) << 52) - 1) : next_u64() >> 12;
            double x = ldexp(1.0 + ldexp((double)m, -52), e);
            for (int d = 0; d <= 9; d++)
                same(k % 2 ? -x : x, d);
        }
}

static void random_values(void **state)
{
    (void)state;
    for (int i = 0; i < 300000; i++) {
        double x = from_bits(next_u64());
        same(x, (int)(next_u64() % 10));
        /* The magnitudes classify prints: metres up to Earth scale. */
        double y = (double)(next_u64() >> 11) * 0x1p-53 * pow(10, (double)(next_u64() % 9));
        same(y, (int)(next_u64() % 10));
        same(y, 4);
    }
}

/* Not a check: prints the two costs (docs, and the comment in decimal.c). */
static void speed(void **state)
{
    (void)state;
    enum { N = 1000000 };
    double *xs = malloc(N * sizeof *xs);
    assert_non_null(xs);
    for (int i = 0; i < N; i++)
        xs[i] = (double)(next_u64() >> 11) * 0x1p-53 * 60000;
    char buf[64];
    size_t sink = 0;
    for (int way = 0; way < 2; way++) {
        clock_t t0 = clock();
        for (int i = 0; i < N; i++)
            sink += (size_t)(way ? truce_decimal_fixed(xs[i], 4, buf, sizeof buf)
                                 : snprintf(buf, sizeof buf, "%.4f", xs[i]));
        double us = (double)(clock() - t0) / CLOCKS_PER_SEC * 1e6 / N;
        printf("%s: %.3f us a number\n", way ? "truce_decimal_fixed" : "snprintf %.4f", us);
    }
    assert_true(sink > 0);
    free(xs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ties_round_to_even),
        cmocka_unit_test(signs_and_specials),
        cmocka_unit_test(every_binade),
        cmocka_unit_test(random_values),
        cmocka_unit_test(speed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
