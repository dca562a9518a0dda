/* Civil dates and instants (proleptic Gregorian, POSIX seconds).
 *
 * Day counts use the era-based algorithm of H. Hinnant, "chrono-Compatible
 * Low-Level Date Algorithms" (2013): exact for every date, no tables.
 * The one ISO 8601 parser of the library is here too (truce_time_parse, and
 * trc_time_parse with the rules GPX's xsd:dateTime needs). */
#include "truce/time.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/digits.h"
#include "time/time_rules.h"

int64_t truce_days_from_civil(int year, int month, int day)
{
    int64_t y = (int64_t)year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                         /* [0, 399] */
    int64_t mp = (month + 9) % 12;                       /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + day - 1;          /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void truce_civil_from_days(int64_t days, int *year, int *month, int *day)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(yoe + era * 400 + (m <= 2));
    *month = (int)m;
    *day = (int)d;
}

int truce_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
        return 29;
    return days[month - 1];
}

int64_t truce_civil_to_utc(const truce_civil *c)
{
    return truce_days_from_civil(c->year, c->month, c->day) * 86400 + c->hour * 3600 +
           c->minute * 60 + c->second;
}

void truce_civil_from_utc(int64_t t, truce_civil *out)
{
    /* Floor division without negating t or multiplying back (INT64_MIN). */
    int64_t secs = t % 86400;
    int64_t days = t / 86400;
    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    truce_civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs / 60 % 60);
    out->second = (int)(secs % 60);
}

int truce_instant_in_range(int64_t t)
{
    return t >= TRUCE_INSTANT_FIRST_S && t <= TRUCE_INSTANT_LAST_S;
}

/* Whether every field of c is in its range in truce_civil. */
static int civil_valid(const truce_civil *c)
{
    return c->year >= 1 && c->year <= 9999 && c->month >= 1 && c->month <= 12 && c->day >= 1 &&
           c->day <= truce_days_in_month(c->year, c->month) && c->hour >= 0 && c->hour <= 23 &&
           c->minute >= 0 && c->minute <= 59 && c->second >= 0 && c->second <= 59;
}

int truce_instant_s_in_range(double t)
{
    /* Compared as doubles before any conversion: casting a huge or NaN
     * double to int64_t is undefined. */
    return t >= (double)TRUCE_INSTANT_FIRST_S && t < (double)TRUCE_INSTANT_LAST_S + 1;
}

void truce_time_format_utc(int64_t t, char buf[21])
{
    static const char unknown[] = TRUCE_INSTANT_UNKNOWN_TEXT;
    if (!truce_instant_in_range(t)) {
        memcpy(buf, unknown, sizeof unknown);
        return;
    }
    truce_civil c;
    truce_civil_from_utc(t, &c);
    char tmp[64]; /* in range, so exactly 20 characters are written */
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
             c.minute, c.second);
    memcpy(buf, tmp, 21);
}

void truce_time_format_utc_ms(double t, int ms_always, char buf[25])
{
    static const char unknown[] = TRUCE_INSTANT_UNKNOWN_TEXT;
    if (!truce_instant_s_in_range(t)) {
        memcpy(buf, unknown, sizeof unknown);
        return;
    }
    double whole = floor(t);
    long long ms = llround((t - whole) * 1000);
    if (ms == 1000) {
        if (whole < (double)TRUCE_INSTANT_LAST_S) {
            whole += 1;
            ms = 0;
        } else {
            ms = 999; /* no carry past the last instant */
        }
    }
    char utc[21];
    truce_time_format_utc((int64_t)whole, utc);
    if (ms || ms_always)
        snprintf(buf, 25, "%.19s.%03lldZ", utc, ms);
    else
        memcpy(buf, utc, 21);
}

void truce_civil_format(const truce_civil *c, char buf[20])
{
    char tmp[64];
    if (!civil_valid(c))
        snprintf(tmp, sizeof tmp, "XXXX-XX-XXTXX:XX");
    else if (c->second)
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d", c->year, c->month, c->day,
                 c->hour, c->minute, c->second);
    else
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d", c->year, c->month, c->day, c->hour,
                 c->minute);
    memcpy(buf, tmp, 20);
    buf[19] = '\0';
}

/* Read exactly `n` decimal digits at *p and step past them; -1 if they are
 * not all digits. */
static int digits(const char **p, size_t n)
{
    int v = trc_digits_fixed(*p, n);
    if (v >= 0)
        *p += n;
    return v;
}

truce_status truce_time_value_instant(const truce_time_value *v, int64_t *out)
{
    if (!v || !out || v->kind != TRUCE_TIME_UTC || !civil_valid(&v->civil))
        return TRUCE_E_ARG;
    int64_t t = truce_civil_to_utc(&v->civil) - v->offset_s;
    if (!truce_instant_in_range(t))
        return TRUCE_E_RANGE;
    *out = t;
    return TRUCE_OK;
}

/* The fraction of a second at p, after its '.': one or more digits, of
 * which the first 15 count (a femtosecond; a double holds no finer part of
 * a present-day instant), read as one correctly rounded division. */
static double fraction(const char **p)
{
    uint64_t v;
    size_t n = trc_digits(*p, 15, &v);
    *p += n;
    *p += trc_digits(*p, SIZE_MAX, NULL);
    double scale = 1; /* 10^n, exact */
    for (size_t i = 0; i < n; i++)
        scale *= 10;
    return n ? (double)v / scale : -1;
}

truce_status trc_time_parse(const char *text, unsigned rules, truce_time_value *out,
                            double *fraction_s)
{
    if (!text || !out)
        return TRUCE_E_ARG;
    memset(out, 0, sizeof *out);
    if (fraction_s)
        *fraction_s = 0;
    int xsd = (rules & TRC_TIME_XSD) != 0;
    const char *p = text;
    truce_civil *c = &out->civil;
    if ((c->year = digits(&p, 4)) < 0 || *p++ != '-' || (c->month = digits(&p, 2)) < 0 ||
        *p++ != '-' || (c->day = digits(&p, 2)) < 0)
        return TRUCE_E_PARSE;
    out->kind = TRUCE_TIME_DATE;
    int sep = xsd ? *p == 'T' || *p == 't' : *p == 'T' || *p == ' ';
    if (xsd && !sep)
        return TRUCE_E_PARSE; /* a date-time, never a date alone */
    if (sep) {
        p++;
        if ((c->hour = digits(&p, 2)) < 0 || *p++ != ':' || (c->minute = digits(&p, 2)) < 0)
            return TRUCE_E_PARSE;
        if (*p == ':') {
            p++;
            if ((c->second = digits(&p, 2)) < 0)
                return TRUCE_E_PARSE;
            if (xsd && *p == '.') {
                p++;
                double f = fraction(&p);
                if (f < 0)
                    return TRUCE_E_PARSE;
                if (fraction_s)
                    *fraction_s = f;
            }
        } else if (xsd) {
            return TRUCE_E_PARSE;
        }
        out->kind = TRUCE_TIME_LOCAL;
        if (*p == 'Z' || (xsd && *p == 'z')) {
            p++;
            out->kind = TRUCE_TIME_UTC;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1;
            int oh, om;
            if ((oh = digits(&p, 2)) < 0)
                return TRUCE_E_PARSE;
            if (*p == ':')
                p++;
            else if (!xsd)
                return TRUCE_E_PARSE;
            if ((om = digits(&p, 2)) < 0)
                return TRUCE_E_PARSE;
            if (oh > 18 || om > 59)
                return TRUCE_E_RANGE;
            out->offset_s = sign * (oh * 3600 + om * 60);
            out->kind = TRUCE_TIME_UTC;
        }
    }
    if (*p != '\0')
        return TRUCE_E_PARSE;
    if (!civil_valid(c))
        return TRUCE_E_RANGE;
    return TRUCE_OK;
}

truce_status truce_time_parse(const char *text, truce_time_value *out)
{
    return trc_time_parse(text, 0, out, NULL);
}
