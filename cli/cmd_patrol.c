/* truce patrol: judge GPX tracks against a patrol route of an agreement --
 * covered stretches, gaps, time off the route and outside its corridor, the
 * worst offset, start and end, the start-date and window flags -- and sum
 * them up across tracks: coverage per km of route and the days without a
 * patrol (truce/patrol.h, truce/patrol_summary.h). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "truce/patrol_write.h"
#include "truce/time.h"

static const char *const patrol_usage =
    "usage: truce patrol [--route ID] [--tolerance M] [--min-gap M] [--max-step M]\n"
    "                    [--window HH:MM-HH:MM] [--from DATE] [--to DATE] [--bin M]\n"
    "                    [--format table|json|geojson] [-o FILE] AGREEMENT TRACKS.gpx...\n"
    "\n"
    "Judge every track of the GPX files against a patrol route of AGREEMENT: the\n"
    "stretches of the route it covered (chainage intervals, within --tolerance of\n"
    "the route), the gaps, the time and distance off the route and outside the\n"
    "route's corridor, the worst offset, start and end (UTC and local), the\n"
    "direction, stops, whether it ran before the route's start date and the time\n"
    "it ran outside the allowed window.  Then, across the tracks of a period of\n"
    "local dates, a summary: per bin of chainage the tracks and days that covered\n"
    "it, and the days without a patrol (docs/tracks.md, \"Judging a patrol\").\n"
    "\n"
    "options:\n"
    "  -r, --route ID       the patrol route (default: the first in the file)\n"
    "  -t, --tolerance M    a point within M metres of the route is on it (default 500)\n"
    "      --min-gap M      list gaps of at least M metres (default 100)\n"
    "      --max-step M     most chainage one step between points covers (default 1000)\n"
    "  -w, --window HH:MM-HH:MM  the allowed hours, local time (default: the route's\n"
    "                       \"window\", if any); 22:00-04:00 crosses midnight\n"
    "      --from DATE      first local date of the summary's period, YYYY-MM-DD\n"
    "                       (default: the route's start date, else the first track's)\n"
    "      --to DATE        last local date of the period (default: the last track's)\n"
    "      --bin M          metres of route per bin of the summary (default 1000)\n"
    "  -f, --format FMT     table (default), json, or geojson (covered stretches,\n"
    "                       gaps and off-route stretches as LineString features)\n"
    "  -o, --output FILE    write to FILE instead of stdout\n"
    "  -h, --help           show this help\n"
    "\n"
    "exit status: 0 judged, 2 usage, 3 invalid agreement, no such route, malformed\n"
    "GPX or rejected points (the rest is still judged), 4 unreadable file\n";

/* The --format names, in truce_patrol_format order. */
static const char *const format_names[] = {"table", "json", "geojson", NULL};

/* What the command keeps across files. */
typedef struct patrol_run {
    const truce_agreement *a;
    const truce_patrol_route *route;
    const truce_patrol_checker *checker;
    truce_patrol_writer *w;
    truce_patrol_result *results; /* every track's result, for the summary */
    size_t nresults, cap;
} patrol_run;

static int parse_day(const char *s, int64_t *day)
{
    truce_time_value tv;
    if (truce_time_parse(s, &tv) != TRUCE_OK || tv.kind != TRUCE_TIME_DATE)
        return -1;
    *day = truce_days_from_civil(tv.civil.year, tv.civil.month, tv.civil.day);
    return 0;
}

/* Judge one track and keep its result in run->results. */
static truce_status judge(patrol_run *run, const char *path, const truce_track *t)
{
    if (run->nresults == run->cap) {
        size_t cap = run->cap ? 2 * run->cap : 16;
        truce_patrol_result *grown = realloc(run->results, cap * sizeof *grown);
        if (!grown)
            return TRUCE_E_NOMEM;
        run->results = grown;
        run->cap = cap;
    }
    truce_patrol_result *r = &run->results[run->nresults];
    truce_status st = truce_patrol_check(run->checker, t, r);
    if (st != TRUCE_OK)
        return st;
    run->nresults++;
    truce_stops stops;
    st = truce_track_stops(t, TRUCE_STOP_SPEED_MPS_DEFAULT, TRUCE_STOP_MIN_S_DEFAULT, &stops);
    if (st != TRUCE_OK)
        return st;
    truce_patrol_judged j = {path, t, r, stops.count};
    truce_stops_release(&stops);
    return truce_patrol_write_track(run->w, &j);
}

/* Judge every track of one file; returns an exit code. */
static int one_file(patrol_run *run, const char *path)
{
    truce_gpx *g = NULL;
    int rc = cli_load_gpx("patrol", path, NULL, &g);
    if (!g)
        return rc;
    for (size_t i = 0; i < g->ntracks; i++) {
        truce_status st = judge(run, path, &g->tracks[i]);
        if (st != TRUCE_OK) {
            cli_error("patrol", "%s: track %zu: %s", path, i + 1, truce_strerror(st));
            rc = st == TRUCE_E_NOMEM ? EXIT_FAILURE_ : cli_exit_for(st);
            break;
        }
    }
    truce_gpx_free(g);
    return rc;
}

/* The summary across tracks in the run's format; returns an exit code. */
static int summary(patrol_run *run, const truce_patrol_summary_options *so)
{
    truce_patrol_summary s;
    truce_status st =
        truce_patrol_summarize(run->route, run->a->tz, run->results, run->nresults, so, &s);
    if (st == TRUCE_E_RANGE) {
        cli_error("patrol",
                  "the summary's period would span more than %d days or its bins exceed %d; "
                  "give --from and --to, or a larger --bin",
                  TRUCE_SUMMARY_MAX_DAYS, TRUCE_SUMMARY_MAX_BINS);
        return EXIT_BADINPUT;
    }
    if (st != TRUCE_OK) {
        cli_error("patrol", "summary: %s", truce_strerror(st));
        return cli_exit_for(st);
    }
    st = truce_patrol_write_summary(run->w, &s, so->bin_m);
    truce_patrol_summary_release(&s);
    if (st != TRUCE_OK && st != TRUCE_E_IO) {
        cli_error("patrol", "summary: %s", truce_strerror(st));
        return EXIT_FAILURE_;
    }
    return EXIT_OK;
}

/* Parse the options into popt, so and the strings; returns -1 to go on, else
 * the exit code. */
static int parse_options(int argc, char **argv, truce_patrol_options *popt,
                         truce_patrol_summary_options *so, const char **route_id, int *format,
                         const char **output)
{
    static const struct option longopts[] = {
        {"route", required_argument, NULL, 'r'},   {"tolerance", required_argument, NULL, 't'},
        {"min-gap", required_argument, NULL, 'g'}, {"max-step", required_argument, NULL, 's'},
        {"window", required_argument, NULL, 'w'},  {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},      {"bin", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, 'f'},  {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "r:t:w:f:o:h", longopts, NULL)) != -1) {
        double v;
        const char *name = NULL;
        switch (opt) {
        case 'r':
            *route_id = optarg;
            break;
        case 'f':
            if (cli_format_option("patrol", optarg, format_names, format))
                return EXIT_USAGE;
            break;
        case 'o':
            *output = optarg;
            break;
        case 'w':
            popt->has_window = 1;
            if (truce_daily_window_parse(optarg, &popt->window) != TRUCE_OK)
                name = "window (expected HH:MM-HH:MM, start and end different)";
            break;
        case 'F':
        case 'T':
            if (parse_day(optarg, opt == 'F' ? &so->from_day : &so->to_day))
                name = opt == 'F' ? "from (expected YYYY-MM-DD)" : "to (expected YYYY-MM-DD)";
            break;
        case 't':
        case 'g':
        case 's':
        case 'b':
            name = opt == 't'   ? "tolerance"
                   : opt == 'g' ? "min-gap"
                   : opt == 's' ? "max-step"
                                : "bin";
            if (cli_parse_double(optarg, 0, 1e6, &v) || (opt != 'g' && v == 0))
                break;
            name = NULL;
            if (opt == 't')
                popt->tolerance_m = v;
            else if (opt == 'g')
                popt->min_gap_m = v;
            else if (opt == 's')
                popt->max_step_m = v;
            else
                so->bin_m = v;
            break;
        default:
            return cli_help_or_usage(opt, patrol_usage);
        }
        if (name) {
            cli_error("patrol", "bad value '%s' for --%s", optarg, name);
            return EXIT_USAGE;
        }
    }
    if (so->from_day != TRUCE_NO_DAY && so->to_day != TRUCE_NO_DAY && so->from_day > so->to_day) {
        cli_error("patrol", "--from is after --to");
        return EXIT_USAGE;
    }
    if (cli_operands("patrol", patrol_usage, argc, 2, -1, NULL))
        return EXIT_USAGE;
    return -1;
}

/* The worst outcome wins: failure over I/O over bad input. */
static int worse(int rc, int r)
{
    if (r == EXIT_FAILURE_ || (r == EXIT_IO && rc != EXIT_FAILURE_) ||
        (r == EXIT_BADINPUT && rc == EXIT_OK))
        return r;
    return rc;
}

int cmd_patrol(int argc, char **argv)
{
    const char *route_id = NULL, *output = NULL;
    truce_patrol_options popt;
    truce_patrol_options_init(&popt);
    truce_patrol_summary_options so;
    truce_patrol_summary_options_init(&so);
    patrol_run run = {0};
    int format = TRUCE_PATROL_TABLE;
    int parsed = parse_options(argc, argv, &popt, &so, &route_id, &format, &output);
    if (parsed >= 0)
        return parsed;
    truce_agreement *a = NULL;
    int loaded = cli_load_agreement("patrol", argv[optind], &a);
    if (loaded != EXIT_OK)
        return loaded;
    run.a = a;
    run.route = route_id ? truce_agreement_route(a, route_id) : (a->nroutes ? &a->routes[0] : NULL);
    if (!run.route) {
        cli_error("patrol", "%s: no patrol route%s%s", argv[optind], route_id ? " " : "",
                  route_id ? route_id : "");
        truce_agreement_free(a);
        return EXIT_BADINPUT;
    }
    truce_patrol_checker *c = NULL;
    truce_status st = truce_patrol_checker_new(a, run.route, &popt, &c);
    if (st != TRUCE_OK) {
        cli_error("patrol", "patrol route %s: %s", run.route->id, truce_strerror(st));
        truce_agreement_free(a);
        return cli_exit_for(st);
    }
    run.checker = c;
    cli_output file;
    int orc = cli_open_output("patrol", output, &file);
    if (orc != EXIT_OK) {
        truce_patrol_checker_free(c);
        truce_agreement_free(a);
        return orc;
    }
    st = truce_patrol_writer_new(file.f, (truce_patrol_format)format, a, run.route,
                                 popt.tolerance_m, &run.w);
    int rc = EXIT_OK;
    if (st != TRUCE_OK) {
        cli_error("patrol", "%s", truce_strerror(st));
        rc = EXIT_FAILURE_;
    }
    for (int i = optind + 1; i < argc && run.w; i++)
        rc = worse(rc, one_file(&run, argv[i]));
    if (run.w && format != TRUCE_PATROL_GEOJSON)
        rc = worse(rc, summary(&run, &so));
    if (truce_patrol_writer_finish(run.w) == TRUCE_E_NOMEM)
        rc = EXIT_FAILURE_;
    for (size_t i = 0; i < run.nresults; i++)
        truce_patrol_result_release(&run.results[i]);
    free(run.results);
    truce_patrol_checker_free(c);
    truce_agreement_free(a);
    int crc = cli_close_output(&file, cli_output_complete(rc));
    return rc != EXIT_OK ? rc : crc;
}
