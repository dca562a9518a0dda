/* Fixed-decimal text exactly as printf: see truce/decimal.h.
 *
 * Why not snprintf: classify prints two "%.4f" numbers per corridor and
 * event, and reasons print "%.0f" and "%.1f" ones; snprintf took 0.13-0.18 us
 * a number (parsing the format, then glibc's multi-precision conversion),
 * this about 0.01 us (tests/unit/test_decimal.c, "speed").  The result is
 * the same text: the double is m * 2^e exactly (m < 2^53); for |x| < 2^53
 * and at most 9 decimals, m * 10^decimals fits in 83 bits, so the value
 * times 10^decimals is rounded to an integer in 128-bit arithmetic, to
 * nearest with ties to even as glibc does in the default rounding mode.
 * tests/unit/test_decimal.c compares the two on ties, every binade and
 * random values. */
#include "truce/decimal.h"

#include "base/digits.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

const char trc_digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

#if defined(__SIZEOF_INT128__)

__extension__ typedef unsigned __int128 u128; /* gcc and clang; -Wpedantic knows it is one */

static const uint32_t pow10_u32[10] = {1,      10,      100,      1000,      10000,
                                       100000, 1000000, 10000000, 100000000, 1000000000};

/* The text of q / p with `decimals` decimals (p = 10^decimals) when q is
 * 2^64 or more, digit by digit; its length. */
static size_t wide_digits(u128 q, uint32_t p, int decimals, int negative, char *out)
{
    uint64_t ip = (uint64_t)(q / p); /* < 2^53 + 1 */
    uint32_t fp = (uint32_t)(q % p);
    char tmp[24];
    size_t n = 0, k = sizeof tmp;
    do {
        tmp[--k] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    if (negative)
        out[n++] = '-';
    memcpy(out + n, tmp + k, sizeof tmp - k);
    n += sizeof tmp - k;
    if (decimals > 0) {
        out[n++] = '.';
        for (int i = decimals - 1; i >= 0; i--) {
            out[n + (size_t)i] = (char)('0' + fp % 10);
            fp /= 10;
        }
        n += (size_t)decimals;
    }
    return n;
}

/* The text into out (no NUL); its length, or 0 when snprintf must do it. */
static size_t fixed_fast(double x, int decimals, char *out)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int negative = (int)(bits >> 63);
    int bexp = (int)((bits >> 52) & 0x7ff);
    uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
    if (bexp == 0x7ff)
        return 0; /* infinity or NaN */
    int e;
    if (bexp == 0) {
        e = -1074; /* subnormal (or zero) */
    } else {
        m |= UINT64_C(1) << 52;
        e = bexp - 1075;
    }
    if (e > 0)
        return 0; /* |x| >= 2^53 */
    uint32_t p = pow10_u32[decimals];
    /* q = round(m * p / 2^-e), ties to even. */
    u128 scaled = (u128)m * p; /* < 2^83 */
    u128 q;
    int sh = -e;
    if (sh == 0) {
        q = scaled;
    } else if (sh > 90) {
        q = 0; /* scaled < 2^83 < half of 2^sh: rounds down */
    } else {
        q = scaled >> sh;
        u128 rem = scaled - (q << sh), half = (u128)1 << (sh - 1);
        if (rem > half || (rem == half && (q & 1)))
            q++;
    }
    if (q >> 64)
        return wide_digits(q, p, decimals, negative, out);
    /* The digits of q, two at a time, then the point put in: one pass of
     * divisions by 100 where the integer and fraction parts took one by 10
     * per digit (about a third of the time, callgrind). */
    char tmp[24];
    size_t k = sizeof tmp, n = 0;
    uint64_t v = (uint64_t)q;
    size_t want = (size_t)decimals + 1; /* at least a digit before the point */
    while (v >= 100) {
        memcpy(tmp + k - 2, trc_digit_pairs + 2 * (v % 100), 2);
        k -= 2;
        v /= 100;
    }
    if (v >= 10) {
        memcpy(tmp + k - 2, trc_digit_pairs + 2 * v, 2);
        k -= 2;
    } else {
        tmp[--k] = (char)('0' + v);
    }
    size_t ndigits = sizeof tmp - k;
    while (ndigits < want) { /* leading zeros: 0.0012 */
        tmp[--k] = '0';
        ndigits++;
    }
    if (negative)
        out[n++] = '-';
    size_t ilen = ndigits - (size_t)decimals;
    memcpy(out + n, tmp + k, ilen);
    n += ilen;
    if (decimals > 0) {
        out[n++] = '.';
        memcpy(out + n, tmp + k + ilen, (size_t)decimals);
        n += (size_t)decimals;
    }
    return n;
}

#else

static size_t fixed_fast(double x, int decimals, char *out)
{
    (void)x;
    (void)decimals;
    (void)out;
    return 0; /* no 128-bit integers: snprintf does it all */
}

#endif

int truce_decimal_fixed(double x, int decimals, char *buf, size_t size)
{
    char text[TRUCE_DECIMAL_FIXED_MAX];
    /* Straight into buf when it has room for any fast text. */
    char *to = size >= TRUCE_DECIMAL_FIXED_MAX ? buf : text;
    size_t n = decimals >= 0 && decimals <= 9 ? fixed_fast(x, decimals, to) : 0;
    if (n == 0)
        return snprintf(buf, size, "%.*f", decimals, x);
    if (to == buf) {
        buf[n] = '\0';
    } else if (size) {
        size_t k = n < size ? n : size - 1;
        memcpy(buf, text, k);
        buf[k] = '\0';
    }
    return (int)n;
}
