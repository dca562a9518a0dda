/* truce report: one self-contained HTML file -- the agreement, the map, the
 * timeline, the statistics, the violations, the events and the patrols --
 * that opens anywhere with nothing fetched (truce/report.h,
 * docs/report.md). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "cli_judge.h"
#include "truce/borders.h"
#include "truce/report.h"
#include "truce/track.h"

static const char *const SUB = "report";

static const char *const usage_text =
    "usage: truce report [options] AGREEMENT EVENTS... [--tracks GPX...] -o report.html\n"
    "\n"
    "Judge every event against the agreement (as truce classify does) and write\n"
    "one self-contained HTML file: key figures, the agreement (parties, the\n"
    "ceasefire in local time and UTC, zones, corridors, patrol routes, rules,\n"
    "amendments), the map, the timeline, the statistics of truce stats, every\n"
    "violation and possible violation with its reason, a sortable and filterable\n"
    "table of events, patrol results for --tracks, and where the data came from.\n"
    "Nothing in it refers to a URL; it opens offline and prints (docs/report.md).\n"
    "\n"
    "options:\n"
    "  -o, --output FILE       write the page to FILE (default: stdout)\n"
    "  -t, --tracks GPX...     judge the tracks of these GPX files against the patrol\n"
    "                          route (every argument up to the next option)\n"
    "      --route ID          the patrol route (default: the agreement's first)\n"
    "      --title TEXT        the page's title (default: the agreement's title)\n"
    "      --borders FILE      country borders for the map (default: borders.geojson\n"
    "                          beside AGREEMENT, when there is one)\n"
    "      --no-borders        draw no borders\n"
    "      --max-event-rows N  rows of the table of all events (default 2000;\n"
    "                          violations and possible violations are all listed)\n"
    "  -w, --window DAYS       the statistics' window each side (default 30)\n"
    "      --dedup             count incidents, not reports: reports of one incident\n"
    "                          from several sources count once, by the most precise\n"
    "                          (truce dedup's defaults; docs/dedup.md)\n" CLI_JUDGE_HELP
    "  -h, --help              show this help\n"
    "\n"
    "The footer says when the page was made: now, or SOURCE_DATE_EPOCH when set\n"
    "(reproducible output; seconds since 1970 in years 0001 to 9999, else exit 2).\n"
    "\n"
    "exit status: 0 ok, 2 usage, 3 invalid agreement, rejected rows or rejected\n"
    "GPX points (the page still covers everything read), 4 I/O\n";

/* The credit of the bundled data (data/PROVENANCE.md), in the footer of a
 * report on it. */
static const char bundled_credit[] =
    "Bundled Idlib 2020 data (data/idlib-2020): zone from Natural Earth (public domain); road, "
    "patrol route and places drawn through gazetteer points, data from Who's On First and "
    "GeoNames (CC BY 4.0); events compiled for truce from news and monitor reports, each citing "
    "its sources, casualty figures as first reported and unverified. The M4 line and the "
    "de-escalation area are approximations: see data/PROVENANCE.md.";

typedef struct report_ctx {
    truce_report *report;
    truce_event_format format; /* of the current file's first event */
} report_ctx;

static int add_one(void *ctx, const truce_judged *judged)
{
    const truce_event *ev = judged->event;
    const truce_verdict *v = judged->verdict;
    report_ctx *c = ctx;
    if (c->format == TRUCE_FORMAT_UNKNOWN)
        c->format = ev->format;
    truce_status st = truce_report_add_event(c->report, ev, v);
    if (st) {
        cli_error(SUB, "%s", truce_strerror(st));
        return EXIT_FAILURE_;
    }
    return EXIT_OK;
}

static int64_t file_size(const char *path)
{
    struct stat sb;
    return strcmp(path, "-") && stat(path, &sb) == 0 ? (int64_t)sb.st_size : -1;
}

/* Judge each event file in turn, so the footer can give each one's rows. */
static int judge_files(cli_judge *j, report_ctx *c, char **files, int nfiles, int quiet)
{
    int status = EXIT_OK;
    for (int i = 0; i < nfiles; i++) {
        cli_input_totals before = j->totals;
        c->format = TRUCE_FORMAT_UNKNOWN;
        int s = cli_judge_run(j, files + i, 1, quiet, NULL, NULL, add_one, c);
        status = cli_worse(status, s);
        if (s == EXIT_USAGE || s == EXIT_FAILURE_ || s == EXIT_IO)
            break;
        truce_report_input in = {files[i],
                                 c->format ? truce_event_format_name(c->format) : NULL,
                                 file_size(files[i]),
                                 j->totals.read - before.read,
                                 j->totals.accepted - before.accepted,
                                 j->totals.rejected - before.rejected};
        if (truce_report_add_input(c->report, &in)) {
            cli_error(SUB, "out of memory");
            return EXIT_FAILURE_;
        }
    }
    return status;
}

/* Read every GPX file into gpx[] (freed by the caller) and hand it to the
 * report. */
static int load_tracks(truce_report *r, char **paths, int n, truce_gpx **gpx)
{
    int status = EXIT_OK;
    for (int i = 0; i < n; i++) {
        int s = cli_load_gpx(SUB, paths[i], NULL, &gpx[i]);
        status = cli_worse(status, s);
        if (!gpx[i])
            return status;
        if (truce_report_add_gpx(r, gpx[i], file_size(paths[i]))) {
            cli_error(SUB, "out of memory");
            return EXIT_FAILURE_;
        }
    }
    return status;
}

/* When the page was made: now, or SOURCE_DATE_EPOCH (reproducible-builds.org:
 * decimal seconds since 1970, and a malformed value is an error, not a
 * silent "now").  It must be an instant truce can write: years 0001-9999. */
static int generated_at(truce_report_options *opt)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    opt->has_generated = 1;
    if (!sde || !*sde) {
        opt->generated_s = (int64_t)time(NULL);
        return EXIT_OK;
    }
    char *end = NULL;
    errno = 0;
    long long t = strtoll(sde, &end, 10);
    if (end == sde || *end || errno == ERANGE || !truce_instant_in_range((int64_t)t)) {
        cli_error(SUB,
                  "SOURCE_DATE_EPOCH: \"%.40s\" is not a whole number of seconds since 1970 "
                  "from %lld to %lld (" TRUCE_INSTANT_RANGE_TEXT ")",
                  sde, (long long)TRUCE_INSTANT_FIRST_S, (long long)TRUCE_INSTANT_LAST_S);
        return EXIT_USAGE;
    }
    opt->generated_s = (int64_t)t;
    return EXIT_OK;
}

/* Split argv at --tracks: the event files before it (and after the GPX files
 * when options follow), the GPX files up to the next option.  getopt would
 * take only one argument per --tracks; the syntax lists several. */
static int split_tracks(int argc, char **argv, char **rest, int *nrest, char **tracks, int *ntracks)
{
    *nrest = *ntracks = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--tracks") || !strcmp(argv[i], "-t")) {
            int k = i + 1;
            while (k < argc && argv[k][0] != '-')
                tracks[(*ntracks)++] = argv[k++];
            if (k == i + 1)
                return -1;
            i = k - 1;
        } else {
            rest[(*nrest)++] = argv[i];
        }
    }
    rest[*nrest] = NULL;
    return 0;
}

static int run(int argc, char **argv, char **tracks, int ntracks)
{
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"route", required_argument, NULL, 0x200},
                                             {"title", required_argument, NULL, 0x201},
                                             {"max-event-rows", required_argument, NULL, 0x202},
                                             {"window", required_argument, NULL, 'w'},
                                             {"borders", required_argument, NULL, 0x203},
                                             {"no-borders", no_argument, NULL, 0x204},
                                             {"help", no_argument, NULL, 'h'},
                                             {"dedup", no_argument, NULL, 0x2ff},
                                             CLI_JUDGE_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    const char *output = NULL, *borders_path = NULL;
    int no_borders = 0;
    truce_report_options ropt;
    truce_report_options_init(&ropt);
    cli_judge_opts jo = {0};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:w:hq", longopts, NULL)) != -1) {
        if (cli_judge_option(&jo, opt, optarg))
            continue;
        long n;
        switch (opt) {
        case 'o':
            output = optarg;
            break;
        case 0x200:
            ropt.route_id = optarg;
            break;
        case 0x201:
            ropt.title = optarg;
            break;
        case 0x203:
            borders_path = optarg;
            break;
        case 0x204:
            no_borders = 1;
            break;
        case 0x202:
        case 'w':
            if (cli_parse_long(optarg, opt == 'w', opt == 'w' ? 3660 : 10000000, &n)) {
                cli_error(SUB, "%s: \"%s\" is out of range",
                          opt == 'w' ? "--window" : "--max-event-rows", optarg);
                return EXIT_USAGE;
            }
            if (opt == 'w')
                ropt.window_days = (int)n;
            else
                ropt.max_event_rows = (size_t)n;
            break;
        case 0x2ff:
            jo.dedup = 1;
            break;
        default:
            return cli_help_or_usage(opt, usage_text);
        }
    }
    if (cli_operands(SUB, usage_text, argc, 2, -1, NULL))
        return EXIT_USAGE;
    if (generated_at(&ropt) != EXIT_OK)
        return EXIT_USAGE;
    cli_judge j;
    int status = cli_judge_open(&j, SUB, argv[optind], &jo);
    truce_report *r = NULL;
    truce_borders *borders = NULL;
    truce_gpx **gpx = calloc((size_t)ntracks + 1, sizeof *gpx);
    if (status == EXIT_OK && strstr(argv[optind], "idlib-2020/"))
        ropt.credit = bundled_credit;
    if (status == EXIT_OK)
        status = cli_load_borders(SUB, argv[optind], borders_path, no_borders, &borders);
    ropt.borders = borders;
    if (status == EXIT_OK && (!gpx || truce_report_new(j.agreement, &ropt, &r))) {
        cli_error(SUB, "out of memory");
        status = EXIT_FAILURE_;
    }
    if (status == EXIT_OK && ntracks && !ropt.route_id && !j.agreement->nroutes) {
        cli_error(SUB, "%s: no patrol route to judge --tracks against", argv[optind]);
        status = EXIT_BADINPUT;
    } else if (status == EXIT_OK && ropt.route_id &&
               !truce_agreement_route(j.agreement, ropt.route_id)) {
        cli_error(SUB, "%s: no patrol route %s", argv[optind], ropt.route_id);
        status = EXIT_BADINPUT;
    }
    truce_aid *aid = NULL;
    if (status == EXIT_OK)
        status = cli_judge_aid_new(&j, NULL, TRUCE_AID_NONE, &aid);
    if (status == EXIT_OK) {
        report_ctx ctx = {r, TRUCE_FORMAT_UNKNOWN};
        status = judge_files(&j, &ctx, argv + optind + 1, argc - optind - 1, jo.quiet);
        int any = 0;
        if (status != EXIT_USAGE && status != EXIT_FAILURE_ && status != EXIT_IO)
            status = cli_worse(status, cli_judge_aid_finish(&j, aid, &any));
        if (any)
            truce_report_set_aid(r, aid);
    }
    if (status != EXIT_USAGE && status != EXIT_FAILURE_ && status != EXIT_IO && r)
        status = cli_worse(status, load_tracks(r, tracks, ntracks, gpx));
    if (status != EXIT_USAGE && status != EXIT_FAILURE_ && status != EXIT_IO && r) {
        cli_output out;
        int rc = cli_open_output(SUB, output, &out);
        if (rc != EXIT_OK) {
            status = rc;
        } else {
            fprintf(stderr, "truce %s: writing %s\n", SUB, output ? output : "<stdout>");
            truce_status st = truce_report_write(r, out.f);
            if (st)
                cli_error(SUB, "%s", truce_strerror(st));
            /* a page cut short by an error is not kept */
            status = cli_worse(status, st ? cli_exit_for(st) : EXIT_OK);
            status = cli_worse(status, cli_close_output(&out, !st && cli_output_complete(status)));
        }
    }
    truce_report_free(r);
    truce_aid_free(aid);
    truce_borders_free(borders);
    for (int i = 0; gpx && i < ntracks; i++)
        truce_gpx_free(gpx[i]);
    free(gpx);
    return cli_judge_close(&j, status);
}

int cmd_report(int argc, char **argv)
{
    char **rest = malloc(((size_t)argc + 1) * sizeof *rest);
    char **tracks = malloc(((size_t)argc + 1) * sizeof *tracks);
    int nrest, ntracks, rc;
    if (!rest || !tracks) {
        cli_error(SUB, "out of memory");
        rc = EXIT_FAILURE_;
    } else if (split_tracks(argc, argv, rest, &nrest, tracks, &ntracks)) {
        cli_error(SUB, "--tracks: expected one or more GPX files");
        rc = EXIT_USAGE;
    } else {
        rc = run(nrest, rest, tracks, ntracks);
    }
    free(rest);
    free(tracks);
    return rc;
}
