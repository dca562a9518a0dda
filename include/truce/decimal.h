/* truce — decimal text of numbers with a fixed number of decimals, exactly as
 * printf's "%.Nf" writes them.
 *
 * Output of distances and chainages ("%.4f") and of reasons ("%.0f", "%.1f")
 * is printed for every judged event; printf's general machinery (format
 * parsing, multi-precision conversion) cost about 0.15 us a number, a tenth
 * of the judging time of an event.  These functions give the same bytes for
 * the common case and hand everything else to snprintf.
 */
#ifndef TRUCE_DECIMAL_H
#define TRUCE_DECIMAL_H

#include <stddef.h>

/* The longest text truce_decimal_fixed writes by itself (it defers to
 * snprintf for anything longer), without the NUL. */
#define TRUCE_DECIMAL_FIXED_MAX 40

/* Write `x` with `decimals` digits after the point (0 to 9; no point for 0)
 * into buf[size] as snprintf(buf, size, "%.*f", decimals, x) does in the C
 * locale with the default rounding mode (to nearest, ties to even, on the
 * exact binary value), and return what snprintf would: the length of the
 * whole text, which is truncated (and NUL-terminated) when size is too small.
 * A sign is written for every negative value and for -0, as printf does.
 * Values of magnitude 2^53 or more, infinities, NaNs and decimals outside
 * 0..9 go to snprintf itself. */
int truce_decimal_fixed(double x, int decimals, char *buf, size_t size);

#endif
