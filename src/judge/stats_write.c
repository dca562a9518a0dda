/* Writing statistics as a table, CSV or JSON: see stats_write.h.  The
 * bytes are those `truce stats` wrote when it formatted them itself (with
 * jansson for JSON), except that CSV keys are now always quoted. */
#include "truce/stats_write.h"

#include <csv.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "aid/aid_json.h"
#include "truce/aid.h"
#include "truce/time.h"

static const char *const by_names[TRUCE_STATS_NBY] = {"party",       "type", "zone",
                                                      "corridor-km", "day",  "rule"};

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

/* Whether breakdown b is written: the hotspots and the rules always, the
 * rest when asked. */
static int wanted(unsigned by_mask, int b)
{
    return b == TRUCE_BY_CORRIDOR_KM || b == TRUCE_BY_RULE || (by_mask & TRUCE_STATS_BY_BIT(b));
}

/* ---- the humanitarian provisions (aid.h), when set ---------------------- */

typedef struct aid_counts {
    size_t places, reached, targets, met;
    uint64_t access, returnees;
} aid_counts;

static const truce_aid_result *aid_counts_of(const truce_stats *st, aid_counts *c)
{
    const truce_aid_result *r =
        truce_stats_aid(st) ? truce_aid_result_get(truce_stats_aid(st)) : NULL;
    memset(c, 0, sizeof *c);
    for (size_t i = 0; r && i < r->nplaces; i++) {
        c->places++;
        c->reached += (size_t)r->places[i].reached;
        c->targets += r->places[i].target >= 0;
        c->met += r->places[i].target > 0;
    }
    for (int k = 1; r && k < TRUCE_ACCESS_NCATEGORIES; k++)
        c->access += r->access[k];
    for (size_t i = 0; r && i < r->nreturns; i++)
        c->returnees += (uint64_t)r->returns[i].returnees;
    return r;
}

static void aid_table(FILE *out, const truce_stats *st)
{
    aid_counts c;
    const truce_aid_result *r = aid_counts_of(st, &c);
    if (!r)
        return;
    fprintf(out, "\nhumanitarian provisions (truce aid)\n");
    fprintf(out, "places in need       %zu, reached %zu; targets met %zu of %zu\n", c.places,
            c.reached, c.met, c.targets);
    fputs("never reached        ", out);
    size_t shown = 0;
    for (size_t i = 0; i < r->nplaces; i++)
        if (!r->places[i].reached)
            fprintf(out, "%s%s", shown++ ? ", " : "", r->places[i].need->id);
    fprintf(out, "%s\n", shown ? "" : "(none)");
    fprintf(out, "access incidents     %llu\n", (unsigned long long)c.access);
    fprintf(out, "returnees            %llu; returns into danger %zu\n",
            (unsigned long long)c.returnees, r->ndanger);
}

static void aid_csv(FILE *out, const truce_stats *st)
{
    aid_counts c;
    const truce_aid_result *r = aid_counts_of(st, &c);
    if (!r)
        return;
    fprintf(out,
            "aid,\"places\",%zu,,,,,\naid,\"reached\",%zu,,,,,\naid,\"targets\",%zu,,,,,\n"
            "aid,\"targets_met\",%zu,,,,,\naid,\"access_incidents\",%llu,,,,,\n"
            "aid,\"returnees\",%llu,,,,,\naid,\"returns_into_danger\",%zu,,,,,\n",
            c.places, c.reached, c.targets, c.met, (unsigned long long)c.access,
            (unsigned long long)c.returnees, r->ndanger);
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
        if (!(by_mask & TRUCE_STATS_BY_BIT(b)) && b != TRUCE_BY_RULE)
            continue;
        if ((ts = truce_stats_breakdown(st, (truce_stats_by)b, &rows, &n)))
            return ts;
        char title[40];
        snprintf(title, sizeof title, "by %s", by_names[b]);
        table_rows(out, title, rows, n, 0);
    }
    aid_table(out, st);
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
    aid_csv(out, st);
    return TRUCE_OK;
}

/* ---- json -------------------------------------------------------------- */

/* The JSON document is built with jansson and written with one space of
 * indent per level and 12 significant digits (the layout `truce stats -f
 * json` has always had). */

static json_t *num_or_null(int has, double x)
{
    return has && isfinite(x) ? json_real(x) : json_null();
}

/* A string, or null for NULL.  NULL (so the caller's json_pack fails) when
 * the text is not UTF-8, which the readers never let through. */
static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *summary_json(const truce_stats_summary *s)
{
    char utc[21] = "";
    if (s->has_last_violation)
        truce_time_format_utc(s->last_violation_s, utc);
    return json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "events",
        (json_int_t)s->events, "in_window", (json_int_t)s->in_window, "hostile_before",
        (json_int_t)s->hostile_before, "hostile_after", (json_int_t)s->hostile_after, "spanning",
        (json_int_t)s->spanning, "violations", (json_int_t)s->violations, "possible",
        (json_int_t)s->possible, "fatalities_before", (json_int_t)s->fatalities_before,
        "fatalities_after", (json_int_t)s->fatalities_after, "rate_ratio",
        num_or_null(s->has_ratio, s->rate_ratio), "rate_ratio_lo",
        num_or_null(s->has_ratio, s->ratio_lo), "rate_ratio_hi",
        num_or_null(s->has_ratio, s->ratio_hi), "last_violation_utc",
        s->has_last_violation ? json_string(utc) : json_null(), "days_since_last_violation",
        num_or_null(s->has_last_violation, s->days_since_last_violation));
}

static json_t *days_json(truce_stats *st)
{
    size_t nd;
    const truce_stats_day *days = truce_stats_days(st, &nd);
    json_t *jd = json_array();
    for (size_t i = 0; jd && i < nd; i++)
        if (json_array_append_new(jd, json_pack("{s:o, s:i, s:I, s:I, s:I, s:I, s:I}", "date",
                                                str_or_null(days[i].date), "offset", days[i].offset,
                                                "events", (json_int_t)days[i].events, "hostile",
                                                (json_int_t)days[i].hostile, "violations",
                                                (json_int_t)days[i].violations, "possible",
                                                (json_int_t)days[i].possible, "fatalities",
                                                (json_int_t)days[i].fatalities))) {
            json_decref(jd);
            return NULL;
        }
    return jd;
}

/* The breakdowns asked for, into a new object at *out; its status. */
static truce_status breakdowns_json(truce_stats *st, unsigned by_mask, json_t **out)
{
    json_t *jb = json_object();
    truce_status ts = jb ? TRUCE_OK : TRUCE_E_NOMEM;
    for (int b = 0; b < TRUCE_STATS_NBY && !ts; b++) {
        if (!wanted(by_mask, b))
            continue;
        const truce_stats_row *rows;
        size_t n;
        if ((ts = truce_stats_breakdown(st, (truce_stats_by)b, &rows, &n)))
            break;
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < n; i++)
            if (json_array_append_new(arr, json_pack("{s:o, s:I, s:I, s:I, s:I}", "key",
                                                     str_or_null(rows[i].key), "events",
                                                     (json_int_t)rows[i].events, "violations",
                                                     (json_int_t)rows[i].violations, "possible",
                                                     (json_int_t)rows[i].possible, "fatalities",
                                                     (json_int_t)rows[i].fatalities))) {
                json_decref(arr);
                arr = NULL;
            }
        if (json_object_set_new(jb, by_names[b], arr))
            ts = TRUCE_E_INVALID;
    }
    if (ts) {
        json_decref(jb);
        jb = NULL;
    }
    *out = jb;
    return ts;
}

static truce_status write_json(FILE *out, truce_stats *st, const truce_agreement *a,
                               const truce_stats_summary *s, unsigned by_mask)
{
    json_t *jb;
    truce_status ts = breakdowns_json(st, by_mask, &jb);
    if (ts)
        return ts;
    char utc[21];
    truce_time_format_utc(a->ceasefire_s, utc);
    /* "o" steals each value, also when json_pack fails; a NULL value (no
     * memory, or text that is not UTF-8) makes it fail. */
    json_t *o = json_pack("{s:o, s:s, s:o, s:i, s:o, s:o, s:o}", "agreement", str_or_null(a->id),
                          "ceasefire_utc", utc, "timezone", str_or_null(a->timezone_name),
                          "window_days", s->window_days, "summary", summary_json(s), "days",
                          days_json(st), "breakdowns", jb);
    if (!o)
        return TRUCE_E_INVALID;
    const truce_aid *aid = truce_stats_aid(st);
    if (aid && json_object_set_new(o, "aid", trc_aid_json(aid))) {
        json_decref(o);
        return TRUCE_E_NOMEM;
    }
    if (json_dumpf(o, out, JSON_INDENT(1) | JSON_REAL_PRECISION(12)) || fputc('\n', out) == EOF)
        ts = TRUCE_E_IO;
    json_decref(o);
    return ts;
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
