/* truce check: validate an agreement and print a summary a monitor can read. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "truce/agreement.h"
#include "truce/agreement_write.h"
#include "truce/amendment.h"

static const char *const check_usage =
    "usage: truce check [--format text|json] [-o FILE] AGREEMENT\n"
    "\n"
    "Validate an agreement (a GeoJSON FeatureCollection, docs/agreement.md) and\n"
    "print what truce understood: title, parties, the ceasefire in local time and\n"
    "in UTC, each zone with its geodesic area, each corridor with the geodesic\n"
    "length of its road and its depths, each patrol route with its length and\n"
    "start, the rules, and the amendments in date order.\n"
    "\n"
    "Every problem in the file is reported on stderr as\n"
    "  FILE: error: feature \"ID\": KEY: what was found, what was expected\n"
    "including a zone, road or route past the engine's limits (500,000\n"
    "vertices, 500,000 km), which every command that loads the agreement refuses.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT  text (default) or json\n"
    "  -o, --output FILE write the summary to FILE instead of stdout\n"
    "  -h, --help        show this help\n"
    "\n"
    "exit status: 0 valid, 2 usage, 3 invalid agreement, 4 unreadable file\n";

int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"text", "json", NULL};
    const char *format = "text", *output = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'f':
            format = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        default:
            return cli_help_or_usage(opt, check_usage);
        }
    }
    if (cli_format_option("check", format, formats, NULL))
        return EXIT_USAGE;
    if (cli_operands("check", check_usage, argc, 1, 1, NULL))
        return EXIT_USAGE;
    truce_agreement *a = NULL;
    int loaded = cli_load_agreement("check", argv[optind], &a);
    if (loaded != EXIT_OK)
        return loaded;
    truce_amendments am;
    if (truce_amendments_collect(a, &am) != TRUCE_OK) {
        truce_agreement_free(a);
        cli_error("check", "out of memory");
        return EXIT_FAILURE_;
    }
    int rc = EXIT_OK;
    cli_output out;
    rc = cli_open_output("check", output, &out);
    if (rc == EXIT_OK) {
        truce_status st = truce_agreement_summary_write(
            out.f, a, &am, strcmp(format, "json") ? TRUCE_AGREEMENT_TEXT : TRUCE_AGREEMENT_JSON);
        if (st == TRUCE_E_NOMEM)
            cli_error("check", "out of memory");
        rc = cli_close_output(&out, st != TRUCE_E_NOMEM);
        if (rc == EXIT_OK && st == TRUCE_E_NOMEM)
            rc = EXIT_FAILURE_;
    }
    truce_amendments_release(&am);
    truce_agreement_free(a);
    return rc;
}
