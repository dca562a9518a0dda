/* truce dedup: reports of one incident from several sources grouped into
 * incidents (truce/dedup.h, docs/dedup.md). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_events.h"
#include "truce/agreement.h"
#include "truce/dedup.h"

static const char *const SUB = "dedup";

static const char *const usage_text =
    "usage: truce dedup [options] EVENTS...\n"
    "\n"
    "Group reports of one incident told by several sources (ACLED, UCDP, GeoJSON,\n"
    "JSON Lines, in any mix; a source is a file) into incidents: times that\n"
    "overlap, places within their uncertainty radii, event types that agree\n"
    "across vocabularies, fatalities that agree, never two reports of one source\n"
    "(docs/dedup.md).  Each incident gets its members, a representative (the most\n"
    "precise report), a score and the reason.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT        table (incidents of two or more reports, for people;\n"
    "                          the default) or jsonl (one line per incident,\n"
    "                          single reports included)\n"
    "  -o, --output FILE       write to FILE instead of stdout\n"
    "      --input-format NAME read EVENTS as NAME: acled, ucdp, geojson or jsonl\n"
    "                          (default: detected per file)\n"
    "      --agreement FILE    read dates as local days of the agreement's time\n"
    "                          zone (default: UTC), and sightings' observer_place\n"
    "                          among the places it names\n"
    "      --place-slack M     metres added to the two radii (default 1000)\n"
    "      --time-slack H      hours each report's interval is widened by (default 0)\n"
    "      --min-score S       the least score that links two reports, in [0, 1]\n"
    "                          (default 0.5)\n"
    "      --fatalities-rel X  fatalities agree within X times the larger (default 0.5)\n"
    "      --fatalities-abs N  ... or within N (default 2)\n"
    "      --same-source       let reports of one source be one incident\n"
    "      --ambiguity D       leave a report alone when it links to two reports of\n"
    "                          one source with scores within D, in [0, 1]\n"
    "                          (default 0.05)\n"
    "  -q, --quiet             do not list rejected rows\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 ok, 1 failure, 2 usage, 3 rejected rows (the incidents still\n"
    "cover every accepted row), 4 I/O\n";

static int add_one(void *ctx, const truce_event *ev)
{
    truce_status st = truce_dedup_add(ctx, ev);
    if (st) {
        cli_error(SUB, "%s", truce_strerror(st));
        return EXIT_FAILURE_;
    }
    return EXIT_OK;
}

int cmd_dedup(int argc, char **argv)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"input-format", required_argument, NULL, 0x200},
                                             {"place-slack", required_argument, NULL, 0x201},
                                             {"time-slack", required_argument, NULL, 0x202},
                                             {"min-score", required_argument, NULL, 0x203},
                                             {"fatalities-rel", required_argument, NULL, 0x204},
                                             {"fatalities-abs", required_argument, NULL, 0x205},
                                             {"same-source", no_argument, NULL, 0x206},
                                             {"ambiguity", required_argument, NULL, 0x207},
                                             {"agreement", required_argument, NULL, 0x208},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "jsonl", NULL};
    truce_dedup_options o;
    truce_dedup_options_init(&o);
    const char *output = NULL, *input_format = NULL, *agreement_path = NULL;
    int format = 0, quiet = 0, opt;
    double x;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:o:qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'f':
            if (cli_format_option(SUB, optarg, formats, &format))
                return EXIT_USAGE;
            break;
        case 'o':
            output = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 0x200:
            input_format = optarg;
            break;
        case 0x201:
            if (cli_double_option(SUB, "place-slack", optarg, "metres", 0, 1e7, &o.place_slack_m))
                return EXIT_USAGE;
            break;
        case 0x202:
            if (cli_double_option(SUB, "time-slack", optarg, "hours", 0, 1e5, &x))
                return EXIT_USAGE;
            o.time_slack_s = (int64_t)(x * 3600);
            break;
        case 0x203:
            if (cli_double_option(SUB, "min-score", optarg, "a score", 0, 1, &o.min_score))
                return EXIT_USAGE;
            break;
        case 0x204:
            if (cli_double_option(SUB, "fatalities-rel", optarg, "a ratio", 0, 1e6,
                                  &o.fatalities_rel))
                return EXIT_USAGE;
            break;
        case 0x205:
            if (cli_double_option(SUB, "fatalities-abs", optarg, "a count", 0, 1e9, &x))
                return EXIT_USAGE;
            o.fatalities_abs = (int64_t)x;
            break;
        case 0x206:
            o.same_source = 1;
            break;
        case 0x208:
            agreement_path = optarg;
            break;
        case 0x207:
            if (cli_double_option(SUB, "ambiguity", optarg, "a score", 0, 1, &o.ambiguity))
                return EXIT_USAGE;
            break;
        default:
            return cli_help_or_usage(opt, usage_text);
        }
    }
    if (cli_operands(SUB, usage_text, argc, 1, -1, NULL))
        return EXIT_USAGE;
    truce_agreement *agreement = NULL;
    int loaded = agreement_path ? cli_load_agreement(SUB, agreement_path, &agreement) : EXIT_OK;
    if (loaded != EXIT_OK)
        return loaded;
    truce_dedup *d = NULL;
    truce_status st = truce_dedup_new(&o, &d);
    if (st) {
        cli_error(SUB, "%s", truce_strerror(st));
        truce_agreement_free(agreement);
        return cli_exit_for(st);
    }
    truce_reader_options ropt;
    truce_reader_options_init(&ropt);
    ropt.format = input_format;
    if (agreement) {
        ropt.tz = agreement->tz;
        ropt.places = agreement->places;
        ropt.nplaces = agreement->nplaces;
    }
    int nfiles = argc - optind, status = EXIT_OK;
    cli_input in = {SUB, &ropt, NULL, quiet, nfiles, 1, NULL, NULL};
    cli_input_totals t = {0, 0, 0};
    for (int i = optind; i < argc; i++) {
        int s = cli_read_event_file(&in, argv[i], add_one, d, &t);
        status = cli_worse(status, s);
        if (s == EXIT_USAGE || s == EXIT_FAILURE_)
            break;
    }
    cli_output out = {0};
    if (status == EXIT_OK || status == EXIT_BADINPUT) {
        st = truce_dedup_run(d);
        if (st) {
            cli_error(SUB, "%s", truce_strerror(st));
            status = cli_exit_for(st);
        }
    }
    if ((status == EXIT_OK || status == EXIT_BADINPUT) &&
        (status = cli_worse(status, cli_open_output(SUB, output, &out))) != EXIT_IO &&
        status != EXIT_FAILURE_) {
        st = truce_dedup_write(d, format ? TRUCE_DEDUP_JSONL : TRUCE_DEDUP_TABLE, out.f);
        if (st)
            status = cli_worse(status, cli_exit_for(st));
    }
    fprintf(stderr, "truce dedup: read %llu, accepted %llu, rejected %llu; %zu incidents\n",
            (unsigned long long)t.read, (unsigned long long)t.accepted,
            (unsigned long long)t.rejected, truce_dedup_count(d));
    status = cli_worse(status, cli_close_output(&out, cli_output_complete(status)));
    truce_dedup_free(d);
    truce_agreement_free(agreement);
    return status;
}
