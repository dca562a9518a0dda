/* Local times with their offset, for people: see truce_tz_format_local. */
#include <string.h>

#include "base/digits.h"
#include "truce/tz.h"

/* Two digits of v (0..99) at p. */
static void two(char *p, int v)
{
    trc_two_digits(p, (unsigned)v);
}

/* Written digit by digit: snprintf with its nine fields took about 0.2 us,
 * which classify paid for every event (a twentieth of its judging time).
 * Every field then has two digits (four for the year): a local date outside
 * years 1 to 9999 is only met within a day of either end of the range of
 * instants, and is written in UTC instead (tz.h). */
void truce_tz_format_local(const truce_tz *tz, int64_t instant_s, char buf[26])
{
    static const char unknown[] = "XXXX-XX-XXTXX:XX:XX+XX:XX";
    if (!truce_instant_in_range(instant_s)) {
        memcpy(buf, unknown, sizeof unknown);
        return;
    }
    /* One look-up of the offset (truce_tz_utc_to_local would make a
     * second); an instant in range plus an offset of at most 26 h cannot
     * overflow. */
    int32_t off = 0;
    truce_tz_offset_at(tz, instant_s, &off, NULL, NULL);
    truce_civil c;
    truce_civil_from_utc(instant_s + off, &c);
    if (c.year < 1 || c.year > 9999) {
        off = 0;
        truce_civil_from_utc(instant_s, &c);
    }
    int32_t m = off < 0 ? -off : off; /* at most 26 h (tz.c's TZ_UTOFF bounds) */
    two(buf, c.year / 100);
    two(buf + 2, c.year % 100);
    buf[4] = '-';
    two(buf + 5, c.month);
    buf[7] = '-';
    two(buf + 8, c.day);
    buf[10] = 'T';
    two(buf + 11, c.hour);
    buf[13] = ':';
    two(buf + 14, c.minute);
    buf[16] = ':';
    two(buf + 17, c.second);
    buf[19] = off < 0 ? '-' : '+';
    two(buf + 20, (int)(m / 3600));
    buf[22] = ':';
    two(buf + 23, (int)(m / 60 % 60));
    buf[25] = '\0';
}
