/* truce aid: the agreement's humanitarian provisions -- deliveries per place
 * in need, places never reached, access incidents, returns, and returns into
 * places where violations happened (docs/aid.md). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_judge.h"
#include "truce/aid.h"
#include "truce/aid_write.h"
#include "truce/time.h"

static const char *const SUB = "aid";

static const char *const usage_text =
    "usage: truce aid [options] AGREEMENT FILES...\n"
    "\n"
    "Read aid deliveries, access incidents and returns (HXL-tagged CSV or JSON\n"
    "Lines) and events (any format truce reads; each file's kind is found from\n"
    "its tags and columns), judge the events as truce classify does, and say\n"
    "per place in need of the agreement: deliveries, the last one, days since\n"
    "it, the longest gap and whether the place's target was met; the places\n"
    "never reached; access incidents by category, place and km along aid routes\n"
    "and corridors; returns per area per week; and returns into a place where a\n"
    "violation happened in the days before.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT        table (default), json, csv or geojson\n"
    "      --from DATE         the period's first day, YYYY-MM-DD (default: the\n"
    "                          first date of the aid records)\n"
    "      --to DATE           its last day (default: the last date of the records)\n"
    "      --kind KIND         every file holds deliveries, access, returns or\n"
    "                          events (default: found from each file)\n"
    "      --window DAYS       returns into danger: violations this many days\n"
    "                          before a return (default 14)\n"
    "      --radius METRES     ... within this distance of a return that has no\n"
    "                          place in need (default 5000)\n"
    "  -o, --output FILE       write to FILE instead of stdout\n" CLI_JUDGE_HELP
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 ok, 2 usage, 3 invalid agreement or rejected rows (the\n"
    "result still covers every accepted row), 4 I/O\n";

/* A --from or --to date into *day. */
static int date_option(const char *name, const char *text, int64_t *day)
{
    truce_time_value v;
    if (truce_time_parse(text, &v) != TRUCE_OK || v.kind != TRUCE_TIME_DATE) {
        cli_error(SUB, "--%s: \"%s\" is not a date (YYYY-MM-DD)", name, text);
        return EXIT_USAGE;
    }
    *day = truce_days_from_civil(v.civil.year, v.civil.month, v.civil.day);
    return EXIT_OK;
}

static int ignore_verdict(void *ctx, const truce_judged *judged)
{
    (void)ctx;
    (void)judged;
    return EXIT_OK;
}

int cmd_aid(int argc, char **argv)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"from", required_argument, NULL, 0x200},
                                             {"to", required_argument, NULL, 0x201},
                                             {"kind", required_argument, NULL, 0x202},
                                             {"window", required_argument, NULL, 0x203},
                                             {"radius", required_argument, NULL, 0x204},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             CLI_JUDGE_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", "json", "geojson", NULL};
    static const truce_aid_format format_codes[] = {TRUCE_AID_TABLE, TRUCE_AID_CSV, TRUCE_AID_JSON,
                                                    TRUCE_AID_GEOJSON};
    const char *format = "table", *output = NULL;
    int kind = TRUCE_AID_NONE, opt;
    cli_judge_opts jo = {0};
    truce_aid_options ao;
    truce_aid_options_init(&ao);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:o:hq", longopts, NULL)) != -1) {
        if (cli_judge_option(&jo, opt, optarg))
            continue;
        int rc = EXIT_OK;
        switch (opt) {
        case 'f':
            format = optarg;
            break;
        case 0x200:
            rc = date_option("from", optarg, &ao.from_day);
            ao.has_from = 1;
            break;
        case 0x201:
            rc = date_option("to", optarg, &ao.to_day);
            ao.has_to = 1;
            break;
        case 0x202: {
            truce_aid_kind k;
            if (!strcmp(optarg, "events")) {
                kind = -1;
            } else if (truce_aid_kind_parse(optarg, &k) == 0) {
                kind = k;
            } else {
                cli_error(SUB, "--kind: \"%s\" is not deliveries, access, returns or events",
                          optarg);
                rc = EXIT_USAGE;
            }
            break;
        }
        case 0x203: {
            long w;
            if (cli_parse_long(optarg, 0, 3660, &w)) {
                cli_error(SUB, "--window: \"%s\" is not a number of days in [0, 3660]", optarg);
                rc = EXIT_USAGE;
            }
            ao.window_days = (int)w;
            break;
        }
        case 0x204:
            rc = cli_double_option(SUB, "radius", optarg, "metres", 1, 200000, &ao.radius_m);
            break;
        case 'o':
            output = optarg;
            break;
        default:
            return cli_help_or_usage(opt, usage_text);
        }
        if (rc != EXIT_OK)
            return rc;
    }
    int fi;
    if (cli_format_option(SUB, format, formats, &fi))
        return EXIT_USAGE;
    if (cli_operands(SUB, usage_text, argc, 2, -1, NULL))
        return EXIT_USAGE;
    if (ao.has_from && ao.has_to && ao.from_day > ao.to_day) {
        cli_error(SUB, "--from is after --to");
        return EXIT_USAGE;
    }
    cli_judge j;
    int status = cli_judge_open(&j, SUB, argv[optind], &jo);
    truce_aid *aid = NULL;
    if (status == EXIT_OK && truce_aid_new(j.agreement, &ao, &aid) != TRUCE_OK) {
        cli_error(SUB, "out of memory");
        status = EXIT_FAILURE_;
    }
    if (status == EXIT_OK) {
        cli_judge_with_aid(&j, aid, kind);
        status = cli_judge_run(&j, argv + optind + 1, argc - optind - 1, jo.quiet, NULL, NULL,
                               ignore_verdict, NULL);
        truce_status ts =
            status == EXIT_USAGE || status == EXIT_FAILURE_ ? TRUCE_OK : truce_aid_finish(aid);
        if (ts) {
            cli_error(SUB, "%s", truce_strerror(ts));
            status = cli_worse(status, EXIT_FAILURE_);
        }
        cli_output out;
        int rc = status == EXIT_USAGE || status == EXIT_FAILURE_
                     ? status
                     : cli_open_output(SUB, output, &out);
        if (rc == EXIT_OK) {
            ts = truce_aid_write(out.f, aid, format_codes[fi]);
            if (ts && ts != TRUCE_E_IO) {
                cli_error(SUB, "%s", truce_strerror(ts));
                status = cli_worse(status, EXIT_FAILURE_);
            }
            status = cli_worse(status, cli_close_output(&out, cli_output_complete(status)));
        } else {
            status = cli_worse(status, rc);
        }
    }
    truce_aid_free(aid); /* before the agreement it was made over */
    return cli_judge_close(&j, status);
}
