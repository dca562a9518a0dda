/* truce — daily windows: the hours of the day, in an agreement's local time,
 * in which something is allowed (a patrol route's allowed window).
 *
 * A window is written "HH:MM-HH:MM" (24-hour local wall times).  It is
 * half-open: 06:00-18:00 allows 06:00 up to, not including, 18:00.  A window
 * whose end is not after its start crosses midnight: 22:00-04:00 allows
 * 22:00 on one day up to 04:00 on the next.  A window of 24 hours is not one
 * (there is nothing to check), so start == end is refused.
 *
 * Local times become instants with the zone's rules (tz.h): when a window's
 * start or end falls in a daylight-saving gap, the instant the gap starts is
 * used; when it occurs twice, the earlier instant (as for agreements,
 * docs/agreement.md).
 */
#ifndef TRUCE_WINDOW_H
#define TRUCE_WINDOW_H

#include <stdint.h>

#include "truce/status.h"
#include "truce/tz.h"

typedef struct truce_daily_window {
    int start_min; /* minutes after local midnight, in [0, 1440) */
    int end_min;   /* minutes after local midnight, in [0, 1440), != start_min;
                      not after start_min: the window crosses midnight */
} truce_daily_window;

/* Parse "HH:MM-HH:MM" (hours 00-23, minutes 00-59, two digits each).
 * Returns TRUCE_E_PARSE for another shape, TRUCE_E_RANGE for an hour or
 * minute out of range or a start equal to the end, TRUCE_E_ARG for NULL. */
truce_status truce_daily_window_parse(const char *text, truce_daily_window *out);

/* Format as "HH:MM-HH:MM" into `buf` (at least 12 bytes). */
void truce_daily_window_format(const truce_daily_window *w, char buf[12]);

/* Seconds of the instants [start_s, end_s] (POSIX seconds, UTC) that fall
 * outside the window in the local time of `tz` (NULL: UTC).  0 when
 * end_s <= start_s or either is not finite.  Into *outside_s.  Returns
 * TRUCE_E_ARG for NULL `w` or `outside_s` or a window out of range,
 * TRUCE_E_RANGE for instants beyond the years 1-9999. */
truce_status truce_daily_window_outside_s(const truce_daily_window *w, const truce_tz *tz,
                                          double start_s, double end_s, double *outside_s);

/* Whether the instant t_s is outside the window (1) or inside it (0) in the
 * local time of `tz` (NULL: UTC). */
int truce_daily_window_excludes(const truce_daily_window *w, const truce_tz *tz, double t_s);

#endif
