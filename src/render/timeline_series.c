/* The timeline's data: classes, local days, the series of days and the
 * marks of an agreement (timeline.h). */
#include "truce/timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/amendment.h"
#include "truce/event.h"

#include "base/alloc.h"

int64_t truce_timeline_local_day(const truce_tz *tz, int64_t instant_s)
{
    truce_civil c;
    truce_tz_utc_to_local(tz, instant_s, &c);
    return truce_days_from_civil(c.year, c.month, c.day);
}

void truce_timeline_span(const truce_agreement *a, int64_t *first_day, int64_t *last_day)
{
    int64_t day = truce_timeline_local_day(a->tz, a->ceasefire_s);
    *first_day = day - TRUCE_TIMELINE_MAX_DAYS / 2;
    *last_day = day + TRUCE_TIMELINE_MAX_DAYS / 2 - 1;
}

void truce_timeline_series_init(truce_timeline_series *s)
{
    memset(s, 0, sizeof *s);
    s->first_day = INT64_MIN;
    s->last_day = INT64_MAX;
}

void truce_timeline_series_bound(truce_timeline_series *s, int64_t first_day, int64_t last_day)
{
    s->first_day = first_day;
    s->last_day = last_day;
}

void truce_timeline_series_release(truce_timeline_series *s)
{
    if (!s)
        return;
    trc_free(s->days);
    truce_timeline_series_init(s);
}

/* The index of `day` in s, or where it would go. */
static size_t find_day(const truce_timeline_series *s, int64_t day)
{
    if (s->ndays && s->days[s->ndays - 1].day < day)
        return s->ndays; /* the usual case: events in date order */
    size_t lo = 0, hi = s->ndays;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->days[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

truce_status truce_timeline_series_add(truce_timeline_series *s, int64_t day, truce_map_class c,
                                       int64_t fatalities)
{
    if (!s || (unsigned)c >= TRUCE_MAP_NCLASSES)
        return TRUCE_E_ARG;
    if (day < s->first_day || day > s->last_day) {
        s->left_out++;
        return TRUCE_OK;
    }
    size_t i = find_day(s, day);
    if (i == s->ndays || s->days[i].day != day) {
        if (s->ndays == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 64;
            truce_timeline_day *p = trc_realloc(s->days, cap * sizeof *p);
            if (!p)
                return TRUCE_E_NOMEM;
            s->days = p;
            s->cap = cap;
        }
        memmove(s->days + i + 1, s->days + i, (s->ndays - i) * sizeof *s->days);
        s->days[i] = (truce_timeline_day){.day = day};
        s->ndays++;
    }
    s->days[i].events[c]++;
    if (fatalities > 0)
        s->days[i].fatalities += fatalities;
    return TRUCE_OK;
}

/* Copy at most cap - 1 bytes of s, cut before a UTF-8 continuation byte so
 * a label never ends inside a character. */
static void copy_label(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

truce_status truce_timeline_series_add_event(truce_timeline_series *s, const truce_tz *tz,
                                             const truce_event *ev, truce_map_class c,
                                             int *left_out)
{
    if (!s || !tz || !ev)
        return TRUCE_E_ARG;
    uint64_t before = s->left_out;
    truce_status st =
        truce_timeline_series_add(s, truce_timeline_local_day(tz, ev->start_s), c, ev->fatalities);
    int out = !st && s->left_out > before;
    if (out && s->nnamed < TRUCE_TIMELINE_NAMED) {
        char text[512];
        snprintf(text, sizeof text, "%.200s:%ld (%.200s)", ev->file ? ev->file : "<stdin>",
                 ev->line, ev->id ? ev->id : "");
        copy_label(s->named[s->nnamed++], sizeof s->named[0], text);
    }
    if (left_out)
        *left_out = out;
    return st;
}

/* A local day as YYYY-MM-DD (any day: the year is not cut). */
static void day_text(int64_t day, char buf[32])
{
    const int64_t far = INT64_C(1) << 39; /* a billion years: the year fits an int */
    int y, m, d;
    truce_civil_from_days(day < -far ? -far : day > far ? far : day, &y, &m, &d);
    snprintf(buf, 32, "%04d-%02d-%02d", y, m % 100, d % 100);
}

void truce_timeline_series_note(const truce_timeline_series *s, char *out, size_t out_size)
{
    if (!out || !out_size)
        return;
    out[0] = '\0';
    if (!s || !s->left_out)
        return;
    char buf[1024];
    char first[32], last[32];
    day_text(s->first_day, first);
    day_text(s->last_day, last);
    size_t size = sizeof buf;
    size_t n = (size_t)snprintf(buf, size,
                                "%llu event%s starting outside the days shown (%s to %s) %s left "
                                "out%s",
                                (unsigned long long)s->left_out, s->left_out == 1 ? "" : "s", first,
                                last, s->left_out == 1 ? "is" : "are", s->nnamed ? ":" : ".");
    for (size_t i = 0; i < s->nnamed && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s %s", i ? "," : "", s->named[i]);
    if (s->nnamed && n < size)
        snprintf(buf + n, size - n, "%s", s->left_out > s->nnamed ? ", ..." : ".");
    copy_label(out, out_size, buf);
}

truce_status truce_timeline_marks_from_agreement(const truce_agreement *a,
                                                 truce_timeline_mark **marks, size_t *count)
{
    if (!marks || !count)
        return TRUCE_E_ARG;
    *marks = NULL;
    *count = 0;
    if (!a || !a->tz)
        return TRUCE_E_ARG;
    truce_amendments am;
    truce_status st = truce_amendments_collect(a, &am);
    if (st)
        return st;
    truce_timeline_mark *m = trc_calloc(am.count + 1, sizeof *m);
    if (!m) {
        truce_amendments_release(&am);
        return TRUCE_E_NOMEM;
    }
    const truce_civil *c = &a->ceasefire_local;
    m[0].instant_s = a->ceasefire_s;
    m[0].ceasefire = 1;
    snprintf(m[0].label, sizeof m[0].label, "ceasefire %04d-%02d-%02d %02d:%02d", c->year % 100000,
             c->month % 100, c->day % 100, c->hour % 100, c->minute % 100);
    for (size_t i = 0; i < am.count; i++) {
        const truce_amendment *x = &am.items[i];
        char text[512];
        snprintf(text, sizeof text, "%s %.200s %s", x->kind, x->id,
                 x->starts ? "in force" : "ends");
        m[i + 1].instant_s = x->at_s;
        copy_label(m[i + 1].label, sizeof m[i + 1].label, text);
    }
    *marks = m;
    *count = am.count + 1;
    truce_amendments_release(&am);
    return TRUCE_OK;
}
