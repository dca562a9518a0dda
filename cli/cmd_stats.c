/* truce stats: is the ceasefire holding?  Events, violations and fatalities
 * per day around the ceasefire, the rate ratio with its exact interval, days
 * since the last violation, breakdowns and hotspots (docs/stats.md). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_judge.h"
#include "truce/stats.h"
#include "truce/stats_write.h"

static const char *const SUB = "stats";

static const char *const usage_text =
    "usage: truce stats [options] AGREEMENT EVENTS...\n"
    "\n"
    "Judge every event against the agreement (as truce classify does) and say\n"
    "whether the ceasefire holds: over a window of days before and after the\n"
    "ceasefire, events, hostile events, violations and fatalities per local day;\n"
    "the rate ratio of hostile events after/before with its exact 95% interval;\n"
    "days since the last violation; hotspots along each corridor; events by each\n"
    "rule (provision) they break, counted once per rule; breakdowns.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT        table (default), csv or json\n"
    "  -w, --window DAYS       days each side of the ceasefire (default 30)\n"
    "  -b, --by KEY            add a breakdown: party, type, zone, corridor-km or\n"
    "                          day (repeatable; rule is always written)\n"
    "      --now TIME          count days since the last violation to TIME (a local\n"
    "                          date or time, or UTC with Z; default: the latest\n"
    "                          report's end)\n"
    "  -o, --output FILE       write to FILE instead of stdout\n"
    "      --dedup             count incidents, not reports: reports of one incident\n"
    "                          from several sources count once, by the most precise\n"
    "                          (truce dedup's defaults; docs/dedup.md)\n" CLI_JUDGE_HELP
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 ok, 2 usage, 3 invalid agreement or rejected rows (the\n"
    "statistics still cover every accepted row), 4 I/O\n";

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

int cmd_stats(int argc, char **argv)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"window", required_argument, NULL, 'w'},
                                             {"by", required_argument, NULL, 'b'},
                                             {"now", required_argument, NULL, 0x200},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"dedup", no_argument, NULL, 0x2ff},
                                             CLI_JUDGE_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", "json", NULL};
    const char *format = "table", *output = NULL, *now_text = NULL;
    unsigned by_mask = 0;
    int opt;
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
            truce_stats_by b;
            if (truce_stats_by_parse(optarg, &b)) {
                cli_error(SUB, "--by: \"%s\" is not party, type, zone, corridor-km, day or rule",
                          optarg);
                return EXIT_USAGE;
            }
            by_mask |= TRUCE_STATS_BY_BIT(b);
            break;
        }
        case 0x200:
            now_text = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 0x2ff:
            jo.dedup = 1;
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
    truce_aid *aid = NULL;
    if (status == EXIT_OK)
        status = cli_judge_aid_new(&j, NULL, TRUCE_AID_NONE, &aid);
    if (status == EXIT_OK) {
        stats_ctx ctx = {st};
        status = cli_judge_run(&j, argv + optind + 1, argc - optind - 1, jo.quiet, NULL, NULL,
                               add_one, &ctx);
        int any = 0;
        if (status != EXIT_USAGE && status != EXIT_FAILURE_)
            status = cli_worse(status, cli_judge_aid_finish(&j, aid, &any));
        if (any)
            truce_stats_set_aid(st, aid);
        cli_output out;
        int rc = status == EXIT_USAGE || status == EXIT_FAILURE_
                     ? status
                     : cli_open_output(SUB, output, &out);
        if (rc == EXIT_OK) {
            truce_stats_format f = !strcmp(format, "json")  ? TRUCE_STATS_JSON
                                   : !strcmp(format, "csv") ? TRUCE_STATS_CSV
                                                            : TRUCE_STATS_TABLE;
            truce_status ts = truce_stats_write(out.f, st, j.agreement, f, by_mask);
            /* A failed write is reported when the output is closed. */
            if (ts && ts != TRUCE_E_IO) {
                cli_error(SUB, "%s", truce_strerror(ts));
                status = cli_worse(status, EXIT_FAILURE_);
            }
            status = cli_worse(status, cli_close_output(&out, cli_output_complete(status)));
        } else {
            status = cli_worse(status, rc);
        }
    }
    truce_stats_free(st);
    truce_aid_free(aid);
    return cli_judge_close(&j, status);
}
