/* The statistics' summary as the text lines `truce stats` prints and the
 * HTML report shows (stats.h, truce_stats_line_text). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "truce/stats.h"
#include "truce/time.h"

static const char *const keys[TRUCE_STATS_NLINES] = {
    [TRUCE_STATS_LINE_WINDOW] = "window",
    [TRUCE_STATS_LINE_EVENTS] = "events",
    [TRUCE_STATS_LINE_HOSTILE] = "hostile",
    [TRUCE_STATS_LINE_RATE_RATIO] = "rate ratio",
    [TRUCE_STATS_LINE_LAST_VIOLATION] = "last violation",
    [TRUCE_STATS_LINE_FATALITIES] = "fatalities",
};

const char *truce_stats_line_key(truce_stats_line line)
{
    return (unsigned)line < TRUCE_STATS_NLINES ? keys[line] : NULL;
}

static void ratio_text(double x, char buf[24])
{
    if (isinf(x))
        snprintf(buf, 24, "inf");
    else
        snprintf(buf, 24, "%.3g", x);
}

/* The value of a line; snprintf's result. */
static int value(const truce_stats *stats, const truce_stats_summary *s, truce_stats_line line,
                 char *buf, size_t size)
{
    switch (line) {
    case TRUCE_STATS_LINE_WINDOW: {
        size_t nd;
        const truce_stats_day *days = truce_stats_days(stats, &nd);
        if (!nd)
            return snprintf(buf, size, "%d days each side", s->window_days);
        return snprintf(buf, size, "%d days each side: %s to %s (local days)", s->window_days,
                        days[0].date, days[nd - 1].date);
    }
    case TRUCE_STATS_LINE_EVENTS:
        return snprintf(buf, size,
                        "%llu judged, %llu in the window; %llu violations, %llu possible",
                        (unsigned long long)s->events, (unsigned long long)s->in_window,
                        (unsigned long long)s->violations, (unsigned long long)s->possible);
    case TRUCE_STATS_LINE_HOSTILE: {
        int n = snprintf(buf, size, "%llu in the %d days before, %llu in the %d days after",
                         (unsigned long long)s->hostile_before, s->window_days,
                         (unsigned long long)s->hostile_after, s->window_days);
        if (s->spanning && n >= 0 && (size_t)n < size)
            n += snprintf(buf + n, size - (size_t)n, " (%llu spanning the ceasefire left out)",
                          (unsigned long long)s->spanning);
        return n;
    }
    case TRUCE_STATS_LINE_RATE_RATIO: {
        if (!s->has_ratio)
            return snprintf(buf, size, "no hostile events in the window");
        char r[24], lo[24], hi[24];
        ratio_text(s->rate_ratio, r);
        ratio_text(s->ratio_lo, lo);
        ratio_text(s->ratio_hi, hi);
        return snprintf(buf, size, "%s after/before, 95%% CI %s to %s (exact conditional)", r, lo,
                        hi);
    }
    case TRUCE_STATS_LINE_LAST_VIOLATION: {
        if (!s->has_last_violation)
            return snprintf(buf, size, "none");
        char when[21], ref[21];
        truce_time_format_utc(s->last_violation_s, when);
        truce_time_format_utc(s->reference_s, ref);
        return snprintf(buf, size, "%s, %.1f days before %s", when, s->days_since_last_violation,
                        ref);
    }
    case TRUCE_STATS_LINE_FATALITIES:
        return snprintf(buf, size, "%lld before, %lld after (in the window)",
                        (long long)s->fatalities_before, (long long)s->fatalities_after);
    default:
        return -1;
    }
}

truce_status truce_stats_line_text(const truce_stats *stats, const truce_stats_summary *s,
                                   truce_stats_line line, int with_key, char *buf, size_t size)
{
    if (!buf || !size)
        return TRUCE_E_ARG;
    buf[0] = '\0';
    if (!stats || !s || (unsigned)line >= TRUCE_STATS_NLINES)
        return TRUCE_E_ARG;
    int at = 0;
    if (with_key) {
        /* Keys in a column of 11; a longer key is followed by two spaces. */
        size_t klen = strlen(keys[line]);
        at = snprintf(buf, size, "%-*s ", klen < 11 ? 11 : (int)klen + 1, keys[line]);
        if (at < 0 || (size_t)at >= size)
            return TRUCE_E_RANGE;
    }
    int n = value(stats, s, line, buf + at, size - (size_t)at);
    return n < 0 || (size_t)n >= size - (size_t)at ? TRUCE_E_RANGE : TRUCE_OK;
}
