/* Writing statistics as a table, CSV or JSON: see stats_write.h.  The
 * bytes are those `truce stats` wrote when it formatted them itself (with
 * jansson for JSON), except that CSV keys are now always quoted. */
#include "truce/stats_write.h"

#include <csv.h>
#include <math.h>
#include <string.h>

#include "json_escape.h"
#include "truce/time.h"

static const char *const by_names[TRUCE_STATS_NBY] = {"party", "type", "zone", "corridor-km",
                                                      "day"};

const char *truce_stats_by_name(truce_stats_by by)
{
    return (unsigned)by < TRUCE_STATS_NBY ? by_names[by] : NULL;
}

truce_status truce_stats_by_parse(const char *name, truce_stats_by *out)
{
    if (!name || !out)
        return TRUCE_E_ARG;
    for (int b = 0; b < TRUCE_STATS_NBY; b++)
        if (!strcmp(by_names[b], name)) {
            *out = (truce_stats_by)b;
            return TRUCE_OK;
        }
    return TRUCE_E_NOT_FOUND;
}

/* Whether breakdown b is written: the hotspots always, the rest when asked. */
static int wanted(unsigned by_mask, int b)
{
    return b == TRUCE_BY_CORRIDOR_KM || (by_mask & TRUCE_STATS_BY_BIT(b));
}

/* ---- table ------------------------------------------------------------- */

static void table_rows(FILE *out, const char *title, const truce_stats_row *rows, size_t n,
                       int only_violations)
{
    fprintf(out, "\n%-40s %8s %10s %8s %10s\n", title, "events", "violations", "possible",
            "fatalities");
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (only_violations && rows[i].violations == 0)
            continue;
        fprintf(out, "%-40.40s %8llu %10llu %8llu %10lld\n", rows[i].key,
                (unsigned long long)rows[i].events, (unsigned long long)rows[i].violations,
                (unsigned long long)rows[i].possible, (long long)rows[i].fatalities);
        shown++;
    }
    if (!shown)
        fputs("(none)\n", out);
}

static truce_status write_table(FILE *out, truce_stats *st, const truce_agreement *a,
                                const truce_stats_summary *s, unsigned by_mask)
{
    char utc[21];
    truce_time_format_utc(a->ceasefire_s, utc);
    size_t nd;
    const truce_stats_day *days = truce_stats_days(st, &nd);
    fprintf(out, "agreement   %s\n", a->id ? a->id : "(no id)");
    fprintf(out, "ceasefire   %s (%s)\n", utc, a->timezone_name);
    for (int k = 0; k < TRUCE_STATS_NLINES; k++) {
        char line[TRUCE_STATS_LINE_MAX];
        truce_status ts = truce_stats_line_text(st, s, (truce_stats_line)k, 1, line, sizeof line);
        if (ts)
            return ts;
        fprintf(out, "%s\n", line);
    }
    fprintf(out, "\n%-10s %6s %8s %8s %10s %8s %10s\n", "day", "offset", "events", "hostile",
            "violations", "possible", "fatalities");
    for (size_t i = 0; i < nd; i++)
        fprintf(out, "%-10s %6d %8llu %8llu %10llu %8llu %10lld\n", days[i].date, days[i].offset,
                (unsigned long long)days[i].events, (unsigned long long)days[i].hostile,
                (unsigned long long)days[i].violations, (unsigned long long)days[i].possible,
                (long long)days[i].fatalities);
    const truce_stats_row *rows;
    size_t n;
    truce_status ts = truce_stats_breakdown(st, TRUCE_BY_CORRIDOR_KM, &rows, &n);
    if (ts)
        return ts;
    table_rows(out, "hotspots (corridor km with violations)", rows, n, 1);
    for (int b = 0; b < TRUCE_STATS_NBY; b++) {
        if (!(by_mask & TRUCE_STATS_BY_BIT(b)))
            continue;
        if ((ts = truce_stats_breakdown(st, (truce_stats_by)b, &rows, &n)))
            return ts;
        char title[40];
        snprintf(title, sizeof title, "by %s", by_names[b]);
        table_rows(out, title, rows, n, 0);
    }
    return TRUCE_OK;
}

/* ---- csv --------------------------------------------------------------- */

static truce_status write_csv(FILE *out, truce_stats *st, const truce_stats_summary *s,
                              unsigned by_mask)
{
    fputs("section,key,value,events,hostile,violations,possible,fatalities\n", out);
    fprintf(out, "summary,window_days,%d,,,,,\n", s->window_days);
    fprintf(out, "summary,events,%llu,,,,,\n", (unsigned long long)s->events);
    fprintf(out, "summary,hostile_before,%llu,,,,,\n", (unsigned long long)s->hostile_before);
    fprintf(out, "summary,hostile_after,%llu,,,,,\n", (unsigned long long)s->hostile_after);
    if (s->has_ratio) {
        fprintf(out, "summary,rate_ratio,%.17g,,,,,\n", s->rate_ratio);
        fprintf(out, "summary,rate_ratio_lo,%.17g,,,,,\n", s->ratio_lo);
        fprintf(out, "summary,rate_ratio_hi,%.17g,,,,,\n", s->ratio_hi);
    }
    if (s->has_last_violation)
        fprintf(out, "summary,days_since_last_violation,%.6f,,,,,\n", s->days_since_last_violation);
    size_t nd;
    const truce_stats_day *days = truce_stats_days(st, &nd);
    for (size_t i = 0; i < nd; i++)
        fprintf(out, "day,%s,%d,%llu,%llu,%llu,%llu,%lld\n", days[i].date, days[i].offset,
                (unsigned long long)days[i].events, (unsigned long long)days[i].hostile,
                (unsigned long long)days[i].violations, (unsigned long long)days[i].possible,
                (long long)days[i].fatalities);
    for (int b = 0; b < TRUCE_STATS_NBY; b++) {
        if (!wanted(by_mask, b))
            continue;
        const truce_stats_row *rows;
        size_t n;
        truce_status ts = truce_stats_breakdown(st, (truce_stats_by)b, &rows, &n);
        if (ts)
            return ts;
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%s,", by_names[b]);
            csv_fwrite(out, rows[i].key, strlen(rows[i].key));
            fprintf(out, ",,%llu,,%llu,%llu,%lld\n", (unsigned long long)rows[i].events,
                    (unsigned long long)rows[i].violations, (unsigned long long)rows[i].possible,
                    (long long)rows[i].fatalities);
        }
    }
    return TRUCE_OK;
}

/* ---- json -------------------------------------------------------------- */

/* The JSON writer: one object, a member per line, each level indented by
 * one more space (what jansson's JSON_INDENT(1) wrote). */
typedef struct jw {
    FILE *out;
    int depth;
    int first;       /* no member written yet at this level */
    truce_status st; /* the first failure; nothing is written after it */
} jw;

static void jw_newline(jw *j)
{
    fputc('\n', j->out);
    for (int i = 0; i < j->depth; i++)
        fputc(' ', j->out);
}

/* Start the next member of an object (key non-NULL) or element of an
 * array; 0 after a failure. */
static int jw_next(jw *j, const char *key)
{
    if (j->st)
        return 0;
    if (!j->first)
        fputc(',', j->out);
    j->first = 0;
    jw_newline(j);
    if (key) {
        json_escape_fputs(j->out, key);
        fputs(": ", j->out);
    }
    return 1;
}

static void jw_open(jw *j, const char *key, char c)
{
    if (!jw_next(j, key))
        return;
    fputc(c, j->out);
    j->depth++;
    j->first = 1;
}

static void jw_close(jw *j, char c)
{
    if (j->st)
        return;
    j->depth--;
    if (!j->first) /* an empty container closes on its line: [] or {} */
        jw_newline(j);
    fputc(c, j->out);
    j->first = 0;
}

static void jw_int(jw *j, const char *key, long long v)
{
    if (jw_next(j, key))
        fprintf(j->out, "%lld", v);
}

/* A number as jansson wrote it with 12 significant digits: always with a
 * '.' or an exponent, no '+' and no leading zeros in the exponent; null
 * when absent or not finite. */
static void jw_real(jw *j, const char *key, int has, double x)
{
    if (!jw_next(j, key))
        return;
    if (!has || !isfinite(x)) {
        fputs("null", j->out);
        return;
    }
    char buf[40];
    int len = snprintf(buf, sizeof buf - 2, "%.12g", x);
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        buf[len++] = '.';
        buf[len++] = '0';
        buf[len] = '\0';
    }
    char *e = strchr(buf, 'e');
    if (e) {
        char *to = e + 1 + (e[1] == '-'), *from = e + 1 + (e[1] == '-' || e[1] == '+');
        while (*from == '0' && from[1])
            from++;
        memmove(to, from, strlen(from) + 1);
    }
    fputs(buf, j->out);
}

/* A string (with the library's one escaper), or null for NULL. */
static void jw_str(jw *j, const char *key, const char *s)
{
    if (jw_next(j, key))
        json_escape_fputs(j->out, s);
}

static truce_status write_json(FILE *out, truce_stats *st, const truce_agreement *a,
                               const truce_stats_summary *s, unsigned by_mask)
{
    jw j = {out, 0, 1, TRUCE_OK};
    char utc[21];
    truce_time_format_utc(a->ceasefire_s, utc);
    fputc('{', out);
    j.depth = 1;
    jw_str(&j, "agreement", a->id);
    jw_str(&j, "ceasefire_utc", utc);
    jw_str(&j, "timezone", a->timezone_name);
    jw_int(&j, "window_days", s->window_days);
    jw_open(&j, "summary", '{');
    jw_int(&j, "events", (long long)s->events);
    jw_int(&j, "in_window", (long long)s->in_window);
    jw_int(&j, "hostile_before", (long long)s->hostile_before);
    jw_int(&j, "hostile_after", (long long)s->hostile_after);
    jw_int(&j, "spanning", (long long)s->spanning);
    jw_int(&j, "violations", (long long)s->violations);
    jw_int(&j, "possible", (long long)s->possible);
    jw_int(&j, "fatalities_before", s->fatalities_before);
    jw_int(&j, "fatalities_after", s->fatalities_after);
    jw_real(&j, "rate_ratio", s->has_ratio, s->rate_ratio);
    jw_real(&j, "rate_ratio_lo", s->has_ratio, s->ratio_lo);
    jw_real(&j, "rate_ratio_hi", s->has_ratio, s->ratio_hi);
    if (s->has_last_violation)
        truce_time_format_utc(s->last_violation_s, utc);
    jw_str(&j, "last_violation_utc", s->has_last_violation ? utc : NULL);
    jw_real(&j, "days_since_last_violation", s->has_last_violation, s->days_since_last_violation);
    jw_close(&j, '}');
    size_t nd;
    const truce_stats_day *days = truce_stats_days(st, &nd);
    jw_open(&j, "days", '[');
    for (size_t i = 0; i < nd; i++) {
        jw_open(&j, NULL, '{');
        jw_str(&j, "date", days[i].date);
        jw_int(&j, "offset", days[i].offset);
        jw_int(&j, "events", (long long)days[i].events);
        jw_int(&j, "hostile", (long long)days[i].hostile);
        jw_int(&j, "violations", (long long)days[i].violations);
        jw_int(&j, "possible", (long long)days[i].possible);
        jw_int(&j, "fatalities", days[i].fatalities);
        jw_close(&j, '}');
    }
    jw_close(&j, ']');
    jw_open(&j, "breakdowns", '{');
    for (int b = 0; b < TRUCE_STATS_NBY && !j.st; b++) {
        if (!wanted(by_mask, b))
            continue;
        const truce_stats_row *rows;
        size_t n;
        if ((j.st = truce_stats_breakdown(st, (truce_stats_by)b, &rows, &n)))
            break;
        jw_open(&j, by_names[b], '[');
        for (size_t i = 0; i < n; i++) {
            jw_open(&j, NULL, '{');
            jw_str(&j, "key", rows[i].key);
            jw_int(&j, "events", (long long)rows[i].events);
            jw_int(&j, "violations", (long long)rows[i].violations);
            jw_int(&j, "possible", (long long)rows[i].possible);
            jw_int(&j, "fatalities", rows[i].fatalities);
            jw_close(&j, '}');
        }
        jw_close(&j, ']');
    }
    jw_close(&j, '}');
    jw_close(&j, '}');
    if (!j.st)
        fputc('\n', out);
    return j.st;
}

truce_status truce_stats_write(FILE *out, truce_stats *stats, const truce_agreement *agreement,
                               truce_stats_format format, unsigned by_mask)
{
    if (!out || !stats || !agreement)
        return TRUCE_E_ARG;
    truce_stats_summary s;
    truce_status ts = truce_stats_summarise(stats, &s);
    if (ts)
        return ts;
    switch (format) {
    case TRUCE_STATS_TABLE:
        ts = write_table(out, stats, agreement, &s, by_mask);
        break;
    case TRUCE_STATS_CSV:
        ts = write_csv(out, stats, &s, by_mask);
        break;
    case TRUCE_STATS_JSON:
        ts = write_json(out, stats, agreement, &s, by_mask);
        break;
    default:
        return TRUCE_E_ARG;
    }
    if (!ts && ferror(out))
        ts = TRUCE_E_IO;
    return ts;
}
