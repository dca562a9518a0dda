/* Daily windows in local time (truce/window.h). */
#include <math.h>
#include <stdio.h>

#include "truce/time.h"
#include "truce/window.h"

#include "base/digits.h"

/* The range of instants (time.h), as doubles: its last second included. */
#define MIN_INSTANT_S ((double)TRUCE_INSTANT_FIRST_S)
#define MAX_INSTANT_S ((double)TRUCE_INSTANT_LAST_S + 1)

static int two_digits(const char *s, int *v)
{
    *v = trc_digits_fixed(s, 2);
    return *v < 0 ? -1 : 0;
}

truce_status truce_daily_window_parse(const char *text, truce_daily_window *out)
{
    if (!text || !out)
        return TRUCE_E_ARG;
    int h0, m0, h1, m1;
    /* exactly "HH:MM-HH:MM": 11 characters */
    for (int i = 0; i < 11; i++)
        if (!text[i])
            return TRUCE_E_PARSE;
    if (text[11] || text[2] != ':' || text[5] != '-' || text[8] != ':' || two_digits(text, &h0) ||
        two_digits(text + 3, &m0) || two_digits(text + 6, &h1) || two_digits(text + 9, &m1))
        return TRUCE_E_PARSE;
    if (h0 > 23 || h1 > 23 || m0 > 59 || m1 > 59)
        return TRUCE_E_RANGE;
    truce_daily_window w = {h0 * 60 + m0, h1 * 60 + m1};
    if (w.start_min == w.end_min)
        return TRUCE_E_RANGE;
    *out = w;
    return TRUCE_OK;
}

void truce_daily_window_format(const truce_daily_window *w, char buf[12])
{
    unsigned a = (unsigned)w->start_min % 1440u, b = (unsigned)w->end_min % 1440u;
    snprintf(buf, 12, "%02u:%02u-%02u:%02u", a / 60u, a % 60u, b / 60u, b % 60u);
}

static int valid(const truce_daily_window *w)
{
    return w->start_min >= 0 && w->start_min < 1440 && w->end_min >= 0 && w->end_min < 1440 &&
           w->start_min != w->end_min;
}

static void local_of(const truce_tz *tz, double t_s, truce_civil *c)
{
    int64_t t = (int64_t)floor(t_s);
    if (tz)
        truce_tz_utc_to_local(tz, t, c);
    else
        truce_civil_from_utc(t, c);
}

/* The instant of minute `min` of local day `days` (since 1970-01-01). */
static int64_t instant_of(const truce_tz *tz, int64_t days, int min)
{
    truce_civil c = {0, 0, 0, min / 60, min % 60, 0};
    truce_civil_from_days(days, &c.year, &c.month, &c.day);
    if (!tz)
        return truce_civil_to_utc(&c);
    int64_t t = 0;
    /* a gap gives the instant it starts; an ambiguous time the earlier one */
    truce_tz_local_to_utc(tz, &c, &t, NULL);
    return t;
}

truce_status truce_daily_window_outside_s(const truce_daily_window *w, const truce_tz *tz,
                                          double start_s, double end_s, double *outside_s)
{
    if (!w || !outside_s || !valid(w))
        return TRUCE_E_ARG;
    *outside_s = 0;
    if (!isfinite(start_s) || !isfinite(end_s) || end_s <= start_s)
        return TRUCE_OK;
    /* a day of margin each side so that windows of neighbouring days convert */
    if (start_s < MIN_INSTANT_S + 2 * 86400.0 || end_s >= MAX_INSTANT_S - 2 * 86400.0)
        return TRUCE_E_RANGE;
    truce_civil c0, c1;
    local_of(tz, start_s, &c0);
    local_of(tz, end_s, &c1);
    int64_t d0 = truce_days_from_civil(c0.year, c0.month, c0.day) - 1;
    int64_t d1 = truce_days_from_civil(c1.year, c1.month, c1.day);
    int crosses = w->end_min <= w->start_min;
    double inside = 0, done = start_s; /* instants before `done` are counted */
    for (int64_t d = d0; d <= d1; d++) {
        double ws = (double)instant_of(tz, d, w->start_min);
        double we = (double)instant_of(tz, d + crosses, w->end_min);
        if (ws < done)
            ws = done;
        if (we > end_s)
            we = end_s;
        if (we > ws) {
            inside += we - ws;
            done = we;
        }
    }
    *outside_s = (end_s - start_s) - inside;
    return TRUCE_OK;
}

int truce_daily_window_excludes(const truce_daily_window *w, const truce_tz *tz, double t_s)
{
    truce_civil c;
    local_of(tz, t_s, &c);
    double sod = c.hour * 3600.0 + c.minute * 60.0 + c.second + (t_s - floor(t_s));
    double a = w->start_min * 60.0, b = w->end_min * 60.0;
    int inside = a < b ? (sod >= a && sod < b) : (sod >= a || sod < b);
    return !inside;
}
