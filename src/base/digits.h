/* Decimal digits (not public API): the one digit reader of the library, for
 * the date and time parsers (time.c, reader.c, window.c, tz_posix.c) and the
 * number readers (reader.c, gpx.c, read_ucdp.c); and the digit pairs its
 * hot number and time writers share (decimal.c, tz_format.c).  Inline, because the
 * coordinate reader calls it twice a row on the readers' hot path. */
#ifndef TRUCE_DIGITS_H
#define TRUCE_DIGITS_H

#include <stddef.h>
#include <stdint.h>

/* Whether c is an ASCII decimal digit; c as from a char or (unsigned char). */
static inline int trc_is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Read the run of decimal digits that starts s, at most `max` of them (a
 * NUL ends the run whatever max, so SIZE_MAX reads a whole C string's run),
 * and return how many were read: 0 when s[0] is not a digit.  Their value
 * goes to *value (not NULL) -- UINT64_MAX when it would be larger -- and is
 * 0 for no digit.  No sign, no space, no locale: only '0' to '9'. */
static inline size_t trc_digits(const char *s, size_t max, uint64_t *value)
{
    uint64_t v = 0;
    size_t n = 0;
    for (; n < max && trc_is_digit(s[n]); n++) {
        unsigned d = (unsigned)(s[n] - '0');
        v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
    }
    if (value)
        *value = v;
    return n;
}

/* Exactly `n` digits (1 to 9) at s, as an int; -1 when any of the first n
 * bytes is not a digit. */
static inline int trc_digits_fixed(const char *s, size_t n)
{
    uint64_t v;
    return trc_digits(s, n, &v) == n ? (int)v : -1;
}

/* "00" "01" ... "99": the two digits of v at trc_digit_pairs + 2 * v
 * (decimal.c).  Writing digits in pairs halves the divisions. */
extern const char trc_digit_pairs[201];

/* The two digits of v (0..99) at p (no NUL). */
static inline void trc_two_digits(char *p, unsigned v)
{
    p[0] = trc_digit_pairs[2 * v];
    p[1] = trc_digit_pairs[2 * v + 1];
}

#endif
