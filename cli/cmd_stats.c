/* truce stats: is the ceasefire holding?  Events, violations and fatalities
 * per day around the ceasefire, the rate ratio with its exact interval, days
 * since the last violation, breakdowns and hotspots (docs/stats.md). */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_judge.h"
#include "truce/stats.h"

static const char *const SUB = "stats";

static const char *const usage_text =
    "usage: truce stats [options] AGREEMENT EVENTS...\n"
    "\n"
    "Judge every event against the agreement (as truce classify does) and say\n"
    "whether the ceasefire holds: over a window of days before and after the\n"
    "ceasefire, events, hostile events, violations and fatalities per local day;\n"
    "the rate ratio of hostile events after/before with its exact 95% interval;\n"
    "days since the last violation; hotspots along each corridor; breakdowns.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT        table (default), csv or json\n"
    "  -w, --window DAYS       days each side of the ceasefire (default 30)\n"
    "  -b, --by KEY            add a breakdown: party, type, zone, corridor-km or\n"
    "                          day (repeatable)\n"
    "      --now TIME          count days since the last violation to TIME (a local\n"
    "                          date or time, or UTC with Z; default: the latest\n"
    "                          report's end)\n"
    "  -o, --output FILE       write to FILE instead of stdout\n" CLI_JUDGE_HELP
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 ok, 2 usage, 3 invalid agreement or rejected rows (the\n"
    "statistics still cover every accepted row), 4 I/O\n";

static const char *const by_names[] = {"party", "type", "zone", "corridor-km", "day"};
#define NBY 5

typedef struct stats_ctx {
    truce_stats *stats;
} stats_ctx;

static int add_one(void *ctx, const truce_judged *judged)
{
    stats_ctx *s = ctx;
    truce_status st = truce_stats_add(s->stats, judged->event, judged->verdict);
    if (st) {
        cli_error(SUB, "%s", truce_strerror(st));
        return EXIT_FAILURE_;
    }
    return EXIT_OK;
}

/* ---- table ------------------------------------------------------------- */

static void print_rows(FILE *out, const char *title, const truce_stats_row *rows, size_t n,
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

static int print_table(FILE *out, truce_stats *st, const truce_agreement *a,
                       const truce_stats_summary *s, const int *by)
{
    char utc[21];
    truce_time_format_utc(a->ceasefire_s, utc);
    size_t nd;
    const truce_stats_day *days = truce_stats_days(st, &nd);
    fprintf(out, "agreement   %s\n", a->id ? a->id : "(no id)");
    fprintf(out, "ceasefire   %s (%s)\n", utc, a->timezone_name);
    for (int k = 0; k < TRUCE_STATS_NLINES; k++) {
        char line[TRUCE_STATS_LINE_MAX];
        if (truce_stats_line_text(st, s, (truce_stats_line)k, 1, line, sizeof line))
            return EXIT_FAILURE_;
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
    if (truce_stats_breakdown(st, TRUCE_BY_CORRIDOR_KM, &rows, &n))
        return EXIT_FAILURE_;
    print_rows(out, "hotspots (corridor km with violations)", rows, n, 1);
    for (int b = 0; b < NBY; b++) {
        if (!by[b])
            continue;
        if (truce_stats_breakdown(st, (truce_stats_by)b, &rows, &n))
            return EXIT_FAILURE_;
        char title[40];
        snprintf(title, sizeof title, "by %s", by_names[b]);
        print_rows(out, title, rows, n, 0);
    }
    return EXIT_OK;
}

/* ---- csv --------------------------------------------------------------- */

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static int print_csv(FILE *out, truce_stats *st, const truce_stats_summary *s, const int *by)
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
    for (int b = 0; b < NBY; b++) {
        if (!by[b] && b != TRUCE_BY_CORRIDOR_KM)
            continue;
        const truce_stats_row *rows;
        size_t n;
        if (truce_stats_breakdown(st, (truce_stats_by)b, &rows, &n))
            return EXIT_FAILURE_;
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "%s,", by_names[b]);
            csv_field(out, rows[i].key);
            fprintf(out, ",,%llu,,%llu,%llu,%lld\n", (unsigned long long)rows[i].events,
                    (unsigned long long)rows[i].violations, (unsigned long long)rows[i].possible,
                    (long long)rows[i].fatalities);
        }
    }
    return EXIT_OK;
}

/* ---- json -------------------------------------------------------------- */

static json_t *num_or_null(int has, double x)
{
    return has && isfinite(x) ? json_real(x) : json_null();
}

static int print_json(FILE *out, truce_stats *st, const truce_agreement *a,
                      const truce_stats_summary *s, const int *by)
{
    char utc[21];
    truce_time_format_utc(a->ceasefire_s, utc);
    json_t *o = json_object();
    json_object_set_new(o, "agreement", a->id ? json_string(a->id) : json_null());
    json_object_set_new(o, "ceasefire_utc", json_string(utc));
    json_object_set_new(o, "timezone", json_string(a->timezone_name));
    json_object_set_new(o, "window_days", json_integer(s->window_days));
    if (s->has_last_violation)
        truce_time_format_utc(s->last_violation_s, utc);
    json_object_set_new(
        o, "summary",
        json_pack(
            "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "events",
            (json_int_t)s->events, "in_window", (json_int_t)s->in_window, "hostile_before",
            (json_int_t)s->hostile_before, "hostile_after", (json_int_t)s->hostile_after,
            "spanning", (json_int_t)s->spanning, "violations", (json_int_t)s->violations,
            "possible", (json_int_t)s->possible, "fatalities_before",
            (json_int_t)s->fatalities_before, "fatalities_after", (json_int_t)s->fatalities_after,
            "rate_ratio", num_or_null(s->has_ratio, s->rate_ratio), "rate_ratio_lo",
            num_or_null(s->has_ratio, s->ratio_lo), "rate_ratio_hi",
            num_or_null(s->has_ratio, s->ratio_hi), "last_violation_utc",
            s->has_last_violation ? json_string(utc) : json_null(), "days_since_last_violation",
            num_or_null(s->has_last_violation, s->days_since_last_violation)));
    size_t nd;
    const truce_stats_day *days = truce_stats_days(st, &nd);
    json_t *jd = json_array();
    for (size_t i = 0; i < nd; i++)
        json_array_append_new(
            jd, json_pack("{s:s, s:i, s:I, s:I, s:I, s:I, s:I}", "date", days[i].date, "offset",
                          days[i].offset, "events", (json_int_t)days[i].events, "hostile",
                          (json_int_t)days[i].hostile, "violations", (json_int_t)days[i].violations,
                          "possible", (json_int_t)days[i].possible, "fatalities",
                          (json_int_t)days[i].fatalities));
    json_object_set_new(o, "days", jd);
    json_t *jb = json_object();
    for (int b = 0; b < NBY; b++) {
        if (!by[b] && b != TRUCE_BY_CORRIDOR_KM)
            continue;
        const truce_stats_row *rows;
        size_t n;
        if (truce_stats_breakdown(st, (truce_stats_by)b, &rows, &n)) {
            json_decref(o);
            json_decref(jb);
            return EXIT_FAILURE_;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, json_pack("{s:s, s:I, s:I, s:I, s:I}", "key", rows[i].key,
                                                 "events", (json_int_t)rows[i].events, "violations",
                                                 (json_int_t)rows[i].violations, "possible",
                                                 (json_int_t)rows[i].possible, "fatalities",
                                                 (json_int_t)rows[i].fatalities));
        json_object_set_new(jb, by_names[b], arr);
    }
    json_object_set_new(o, "breakdowns", jb);
    json_dumpf(o, out, JSON_INDENT(1) | JSON_REAL_PRECISION(12));
    fputc('\n', out);
    json_decref(o);
    return EXIT_OK;
}

int cmd_stats(int argc, char **argv)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"window", required_argument, NULL, 'w'},
                                             {"by", required_argument, NULL, 'b'},
                                             {"now", required_argument, NULL, 0x200},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             CLI_JUDGE_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", "json", NULL};
    const char *format = "table", *output = NULL, *now_text = NULL;
    int by[NBY] = {0}, opt;
    cli_judge_opts jo = {0};
    truce_stats_options so;
    truce_stats_options_init(&so);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:w:b:o:hq", longopts, NULL)) != -1) {
        if (cli_judge_option(&jo, opt, optarg))
            continue;
        switch (opt) {
        case 'f':
            format = optarg;
            break;
        case 'w': {
            long w;
            if (cli_parse_long(optarg, 1, 3660, &w)) {
                cli_error(SUB, "--window: \"%s\" is not a number of days in [1, 3660]", optarg);
                return EXIT_USAGE;
            }
            so.window_days = (int)w;
            break;
        }
        case 'b': {
            int b = 0;
            while (b < NBY && strcmp(by_names[b], optarg))
                b++;
            if (b == NBY) {
                cli_error(SUB, "--by: \"%s\" is not party, type, zone, corridor-km or day", optarg);
                return EXIT_USAGE;
            }
            by[b] = 1;
            break;
        }
        case 0x200:
            now_text = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        default:
            return cli_help_or_usage(opt, usage_text);
        }
    }
    if (cli_format_option(SUB, format, formats, NULL))
        return EXIT_USAGE;
    if (cli_operands(SUB, usage_text, argc, 2, -1, NULL))
        return EXIT_USAGE;
    cli_judge j;
    int status = cli_judge_open(&j, SUB, argv[optind], &jo);
    truce_stats *st = NULL;
    if (status == EXIT_OK && now_text) {
        truce_time_value tv;
        truce_status ts = truce_time_parse(now_text, &tv);
        if (ts == TRUCE_OK) {
            /* A local time in a gap counts from where the gap starts. */
            ts = truce_tz_instant_of(j.agreement->tz, &tv, 0, &so.now_s, NULL);
            if (ts == TRUCE_E_TIME_GAP)
                ts = TRUCE_OK;
        }
        if (ts == TRUCE_E_RANGE) {
            cli_error(SUB, "--now: \"%s\" is outside " TRUCE_INSTANT_RANGE_TEXT, now_text);
            status = EXIT_USAGE;
        } else if (ts != TRUCE_OK) {
            cli_error(SUB, "--now: \"%s\" is not a date or time (YYYY-MM-DD[THH:MM][Z])", now_text);
            status = EXIT_USAGE;
        }
        so.has_now = 1;
    }
    if (status == EXIT_OK && truce_stats_new(j.agreement, &so, &st) != TRUCE_OK) {
        cli_error(SUB, "out of memory");
        status = EXIT_FAILURE_;
    }
    if (status == EXIT_OK) {
        stats_ctx ctx = {st};
        status = cli_judge_run(&j, argv + optind + 1, argc - optind - 1, jo.quiet, NULL, NULL,
                               add_one, &ctx);
        truce_stats_summary s;
        truce_stats_summarise(st, &s);
        cli_output out;
        int rc = status == EXIT_USAGE || status == EXIT_FAILURE_
                     ? status
                     : cli_open_output(SUB, output, &out);
        if (rc == EXIT_OK) {
            rc = !strcmp(format, "json")  ? print_json(out.f, st, j.agreement, &s, by)
                 : !strcmp(format, "csv") ? print_csv(out.f, st, &s, by)
                                          : print_table(out.f, st, j.agreement, &s, by);
            status = cli_worse(status, rc);
            status = cli_worse(status, cli_close_output(&out, cli_output_complete(status)));
        } else {
            status = cli_worse(status, rc);
        }
    }
    truce_stats_free(st);
    return cli_judge_close(&j, status);
}
