/* POSIX TZ strings of TZif footers: parsing and evaluation.
 *
 * Grammar (POSIX.1-2017 section 8.3, with the RFC 8536 section 3.3.1
 * extension that a rule's time of day may be negative and up to 167 hours):
 *   std offset [dst [offset] ,start[/time],end[/time]]
 * Names are 3+ letters or <3+ of [A-Za-z0-9+-]>; offsets are hh[:mm[:ss]]
 * with hh in [0, 24] and count west of Greenwich, so "CET-1" is UTC+1.
 *
 * Evaluation works in a fixed 400-year window: the Gregorian calendar and the
 * weekdays repeat every 146097 days, so any instant is first moved into
 * [2000-01-01, 2400-01-01) and the result moved back.  That keeps all year
 * arithmetic small whatever int64_t instant the caller asks about. */
#include "time/tz_posix.h"

#include <string.h>

#include "truce/time.h"
#include "base/digits.h"

#define CYCLE_S (146097LL * 86400) /* 400 Gregorian years */
#define WINDOW_START_S 946684800LL /* 2000-01-01T00:00:00Z */

typedef struct cursor {
    const char *p, *end;
} cursor;

static int peek(const cursor *c)
{
    return c->p < c->end ? (unsigned char)*c->p : -1;
}

static int is_alpha(int ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

/* Read 1 to `max_digits` decimal digits into *v; 0 if there are none. */
static int number(cursor *c, size_t max_digits, int *v)
{
    size_t left = (size_t)(c->end - c->p);
    uint64_t value;
    size_t n = trc_digits(c->p, max_digits < left ? max_digits : left, &value);
    c->p += n;
    *v = (int)value;
    return n > 0;
}

/* A name: 3+ letters, or <3+ of [A-Za-z0-9+-]> (stored without the <>). */
static int name(cursor *c, char out[TRUCE_TZ_ABBR_MAX + 1])
{
    size_t n = 0;
    if (peek(c) == '<') {
        c->p++;
        int ch;
        while ((ch = peek(c)) != '>') {
            if (!(is_alpha(ch) || trc_is_digit(ch) || ch == '+' || ch == '-') ||
                n == TRUCE_TZ_ABBR_MAX)
                return 0;
            out[n++] = (char)ch;
            c->p++;
        }
        c->p++; /* the '>' */
    } else {
        while (is_alpha(peek(c))) {
            if (n == TRUCE_TZ_ABBR_MAX)
                return 0;
            out[n++] = *c->p++;
        }
    }
    out[n] = '\0';
    return n >= 3;
}

/* [+-]hh[:mm[:ss]] with hh in [0, max_hours]: signed seconds into *out. */
static int hms(cursor *c, int max_hours, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (peek(c) == '+' || peek(c) == '-')
        sign = *c->p++ == '-' ? -1 : 1;
    if (!number(c, 3, &h) || h > max_hours)
        return 0;
    if (peek(c) == ':') {
        c->p++;
        if (!number(c, 2, &m) || m > 59)
            return 0;
        if (peek(c) == ':') {
            c->p++;
            if (!number(c, 2, &s) || s > 59)
                return 0;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return 1;
}

static int date(cursor *c, truce_tz_posix_date *d)
{
    memset(d, 0, sizeof *d);
    if (peek(c) == 'J') {
        c->p++;
        d->kind = 'J';
        if (!number(c, 3, &d->day) || d->day < 1 || d->day > 365)
            return 0;
    } else if (peek(c) == 'M') {
        c->p++;
        d->kind = 'M';
        if (!number(c, 2, &d->month) || d->month < 1 || d->month > 12 || peek(c) != '.')
            return 0;
        c->p++;
        if (!number(c, 1, &d->week) || d->week < 1 || d->week > 5 || peek(c) != '.')
            return 0;
        c->p++;
        if (!number(c, 1, &d->day) || d->day > 6)
            return 0;
    } else {
        d->kind = 'N';
        if (!number(c, 3, &d->day) || d->day > 365)
            return 0;
    }
    d->time_s = 7200; /* POSIX default 02:00:00 */
    if (peek(c) == '/') {
        c->p++;
        if (!hms(c, 167, &d->time_s))
            return 0;
    }
    return 1;
}

truce_status truce_tz_posix_parse(const char *s, size_t len, truce_tz_posix *out)
{
    cursor c = {s, s + len};
    int32_t west;
    memset(out, 0, sizeof *out);
    if (!name(&c, out->std_abbr) || !hms(&c, 24, &west))
        return TRUCE_E_PARSE;
    out->std_offset_s = -west;
    if (c.p == c.end)
        return TRUCE_OK;
    if (!name(&c, out->dst_abbr))
        return TRUCE_E_PARSE;
    out->has_dst = 1;
    out->dst_offset_s = out->std_offset_s + 3600;
    if (peek(&c) != ',') {
        if (!hms(&c, 24, &west))
            return TRUCE_E_PARSE;
        out->dst_offset_s = -west;
    }
    if (peek(&c) != ',')
        return TRUCE_E_PARSE;
    c.p++;
    if (!date(&c, &out->start) || peek(&c) != ',')
        return TRUCE_E_PARSE;
    c.p++;
    if (!date(&c, &out->end) || c.p != c.end)
        return TRUCE_E_PARSE;
    return TRUCE_OK;
}

static int is_leap(int year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

/* Days since 1970-01-01 of the rule's day in `year`. */
static int64_t rule_day(const truce_tz_posix_date *d, int year)
{
    int64_t jan1 = truce_days_from_civil(year, 1, 1);
    switch (d->kind) {
    case 'J':
        return jan1 + d->day - 1 + (is_leap(year) && d->day >= 60);
    case 'N':
        return jan1 + d->day;
    default: {
        int64_t first = truce_days_from_civil(year, d->month, 1);
        int64_t wday = (first + 4) % 7; /* 1970-01-01 was a Thursday; first > 0 here */
        int64_t day = first + (d->day - wday + 7) % 7 + 7 * (d->week - 1);
        while (day >= first + truce_days_in_month(year, d->month))
            day -= 7;
        return day;
    }
    }
}

/* A switch between standard and daylight-saving time. */
typedef struct change {
    int64_t at_s;
    int to_dst;
} change;

/* The changes of years [year0, year0 + 3], sorted by instant; on a tie the
 * start of DST sorts after the end, so that "DST all year" rules such as
 * "EST5EDT,0/0,J365/25" (one year's end is the next one's start) stay in DST. */
static void changes(const truce_tz_posix *p, int year0, change out[8])
{
    for (int i = 0; i < 4; i++) {
        int y = year0 + i;
        out[2 * i].at_s = rule_day(&p->start, y) * 86400 + p->start.time_s - p->std_offset_s;
        out[2 * i].to_dst = 1;
        out[2 * i + 1].at_s = rule_day(&p->end, y) * 86400 + p->end.time_s - p->dst_offset_s;
        out[2 * i + 1].to_dst = 0;
    }
    for (int i = 1; i < 8; i++) { /* insertion sort of 8 */
        change x = out[i];
        int j = i - 1;
        while (j >= 0 &&
               (out[j].at_s > x.at_s || (out[j].at_s == x.at_s && out[j].to_dst > x.to_dst))) {
            out[j + 1] = out[j];
            j--;
        }
        out[j + 1] = x;
    }
}

/* The instant in the 400-year window with the same calendar position as t. */
static int64_t into_window(int64_t t)
{
    int64_t r = t % CYCLE_S; /* in (-CYCLE_S, CYCLE_S) */
    if (r < 0)
        r += CYCLE_S;
    if (r < WINDOW_START_S)
        r += CYCLE_S;
    return r;
}

/* The year (of standard local time) an in-window instant falls in. */
static int year_of(const truce_tz_posix *p, int64_t t)
{
    truce_civil c;
    truce_civil_from_utc(t + p->std_offset_s, &c);
    return c.year;
}

void truce_tz_posix_at(const truce_tz_posix *p, int64_t instant_s, int32_t *offset_s, int *is_dst,
                       const char **abbrev)
{
    int dst = 0;
    if (p->has_dst) {
        int64_t t = into_window(instant_s);
        change ch[8];
        /* Rule times lie within about a week of their year, so the latest
         * change at or before t is among those of the two years before. */
        changes(p, year_of(p, t) - 2, ch);
        for (int i = 0; i < 8 && ch[i].at_s <= t; i++)
            dst = ch[i].to_dst;
    }
    if (offset_s)
        *offset_s = dst ? p->dst_offset_s : p->std_offset_s;
    if (is_dst)
        *is_dst = dst;
    if (abbrev)
        *abbrev = dst ? p->dst_abbr : p->std_abbr;
}

int64_t truce_tz_posix_next(const truce_tz_posix *p, int64_t instant_s)
{
    if (!p->has_dst)
        return INT64_MAX;
    int64_t t = into_window(instant_s);
    change ch[8];
    changes(p, year_of(p, t) - 1, ch);
    for (int i = 0; i < 8; i++) {
        if (ch[i].at_s > t) {
            int64_t ahead_s = ch[i].at_s - t; /* > 0 and at most a few years */
            return instant_s > INT64_MAX - ahead_s ? INT64_MAX : instant_s + ahead_s;
        }
    }
    return INT64_MAX; /* not reached: year + 2 always has a later change */
}
