/* Local times with their offset, for people: see truce_tz_format_local. */
#include <stdio.h>
#include <string.h>

#include "truce/tz.h"

/* Two digits of v (0..99) at p. */
static void two(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* Written digit by digit: snprintf with its nine fields took about 0.2 us,
 * which classify paid for every event (a twentieth of its judging time);
 * anything outside the fixed layout (a year outside 0..9999) still goes to
 * snprintf, so the text is the same. */
void truce_tz_format_local(const truce_tz *tz, int64_t instant_s, char buf[26])
{
    int32_t off = 0;
    truce_tz_offset_at(tz, instant_s, &off, NULL, NULL);
    truce_civil c;
    truce_tz_utc_to_local(tz, instant_s, &c);
    int32_t m = off < 0 ? -off : off;
    int oh = (int)(m / 3600), om = (int)(m / 60 % 60);
    if (c.year >= 0 && c.year <= 9999 && c.month >= 0 && c.month <= 99 && c.day >= 0 &&
        c.day <= 99 && c.hour >= 0 && c.hour <= 99 && c.minute >= 0 && c.minute <= 99 &&
        c.second >= 0 && c.second <= 99 && oh <= 99) {
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
        two(buf + 20, oh);
        buf[22] = ':';
        two(buf + 23, om);
        buf[25] = '\0';
        return;
    }
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.year, c.month, c.day,
             c.hour, c.minute, c.second, off < 0 ? '-' : '+', oh, om);
    memcpy(buf, tmp, 25);
    buf[25] = '\0';
}
