/* truce classify: judge every event against the agreement (docs/classify.md). */
#include <getopt.h>
#include <unistd.h>

#include "cli.h"
#include "cli_judge.h"
#include "truce/verdict_write.h"

static const char *const SUB = "classify";

static const char *const usage_text =
    "usage: truce classify [options] AGREEMENT EVENTS...\n"
    "\n"
    "Judge every event against the agreement as it stood at the event's time:\n"
    "the phase (before, after, or spans the ceasefire), its position against\n"
    "every zone and corridor (inside, outside, or uncertain where the report's\n"
    "own precision straddles the boundary; distance, chainage and side for\n"
    "corridors), and the verdict: violation, possible or none, with the rule and\n"
    "a reason.  EVENTS are ACLED CSV, UCDP GED CSV, GeoJSON or JSON Lines files\n"
    "(\"-\" is stdin); dates are local days in the agreement's time zone.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT        table (the default on a terminal), jsonl (the\n"
    "                          default otherwise), csv or geojson\n"
    "  -o, --output FILE       write to FILE instead of stdout\n"
    "      --response-window H, --response-distance KM\n"
    "                          link an event by a party to an attack on it by another\n"
    "                          party at most H hours earlier (default 24) and KM km\n"
    "                          away (default 25): response_to\n" CLI_JUDGE_HELP
    "  -h, --help              show this help\n"
    "\n"
    "jsonl lines are truce's normalised events (docs/events.md) with the verdict\n"
    "added (phase, violation, rule, reason, local_start, response_to, zones,\n"
    "corridors), so truce events reads them back.  geojson is a FeatureCollection\n"
    "of Point features (null geometry without a location) for QGIS.  A summary\n"
    "line goes to stderr.\n"
    "\n"
    "exit status: 0 ok, 2 usage, 3 invalid agreement or rejected rows (every\n"
    "accepted row is still judged), 4 I/O\n";

/* The --format names, in truce_verdict_format's order. */
static const char *const format_names[] = {"table", "jsonl", "csv", "geojson", NULL};

typedef struct classify_out {
    truce_verdict_writer *w;
    int table;
} classify_out;

static int on_verdict(void *ctx, const truce_judged *judged)
{
    const classify_out *c = ctx;
    truce_status st = truce_verdict_write(c->w, judged);
    if (st == TRUCE_E_NOMEM) {
        cli_error(SUB, "out of memory");
        return EXIT_FAILURE_;
    }
    if (st) {
        /* The table goes straight to the stream: closing it says what failed. */
        if (!c->table)
            cli_error(SUB, "writing: %s", truce_strerror(st));
        return EXIT_IO;
    }
    return EXIT_OK;
}

int cmd_classify(int argc, char **argv)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"response-window", required_argument, NULL, 0x300},
                                             {"response-distance", required_argument, NULL, 0x301},
                                             {"help", no_argument, NULL, 'h'},
                                             CLI_JUDGE_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    const char *format = NULL, *output = NULL;
    double window_h = 24, distance_km = 25;
    cli_judge_opts jo = {0};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:o:hq", longopts, NULL)) != -1) {
        if (cli_judge_option(&jo, opt, optarg))
            continue;
        switch (opt) {
        case 'f':
            format = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 0x300:
        case 0x301: {
            double x;
            if (cli_parse_double(optarg, 0, 1e6, &x) || x == 0) {
                cli_error(SUB, "--%s: \"%s\" is not a positive number",
                          opt == 0x300 ? "response-window" : "response-distance", optarg);
                return EXIT_USAGE;
            }
            *(opt == 0x300 ? &window_h : &distance_km) = x;
            break;
        }
        default:
            return cli_help_or_usage(opt, usage_text);
        }
    }
    int kind;
    if (!format)
        kind = !output && isatty(STDOUT_FILENO) ? TRUCE_VERDICT_TABLE : TRUCE_VERDICT_JSONL;
    else if (cli_format_option(SUB, format, format_names, &kind))
        return EXIT_USAGE;
    if (cli_operands(SUB, usage_text, argc, 2, -1, NULL))
        return EXIT_USAGE;
    jo.response_window_s = window_h * 3600;
    jo.response_distance_m = distance_km * 1000;
    cli_judge j;
    cli_output out = {0};
    classify_out c = {NULL, kind == TRUCE_VERDICT_TABLE};
    int status = cli_judge_open(&j, SUB, argv[optind], &jo);
    if (status == EXIT_OK) {
        status = cli_open_output(SUB, output, &out);
        if (status == EXIT_OK &&
            truce_verdict_writer_new(out.f, (truce_verdict_format)kind, j.agreement, &c.w)) {
            cli_error(SUB, "out of memory");
            status = EXIT_FAILURE_;
        }
    }
    /* The table needs nothing prepared: the rest format on the judging threads. */
    if (status == EXIT_OK)
        status = cli_judge_run(&j, argv + optind + 1, argc - optind - 1, jo.quiet,
                               kind == TRUCE_VERDICT_TABLE ? NULL : truce_verdict_prepare, c.w,
                               on_verdict, &c);
    if (c.w && truce_verdict_writer_free(c.w) != TRUCE_OK)
        status = cli_worse(status, EXIT_IO);
    status = cli_worse(status, cli_close_output(&out, cli_output_complete(status)));
    return cli_judge_close(&j, status);
}
