/* Local times with their offset, for people: see truce_tz_format_local. */
#include <stdio.h>
#include <string.h>

#include "truce/tz.h"

void truce_tz_format_local(const truce_tz *tz, int64_t instant_s, char buf[26])
{
    int32_t off = 0;
    truce_tz_offset_at(tz, instant_s, &off, NULL, NULL);
    truce_civil c;
    truce_tz_utc_to_local(tz, instant_s, &c);
    int32_t m = off < 0 ? -off : off;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.year, c.month, c.day,
             c.hour, c.minute, c.second, off < 0 ? '-' : '+', (int)(m / 3600), (int)(m / 60 % 60));
    memcpy(buf, tmp, 25);
    buf[25] = '\0';
}
