/* truce patrol: judge GPX tracks against a patrol route of an agreement --
 * covered stretches, gaps, time off the route and outside its corridor, the
 * worst offset, start and end, and the start-date flag (truce/patrol.h). */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "truce/agreement.h"
#include "truce/patrol.h"
#include "truce/time.h"
#include "truce/track.h"
#include "truce/tz.h"

static const char *const patrol_usage =
    "usage: truce patrol [--route ID] [--tolerance M] [--min-gap M] [--max-step M]\n"
    "                    [--format table|json] [-o FILE] AGREEMENT TRACKS.gpx...\n"
    "\n"
    "Judge every track of the GPX files against a patrol route of AGREEMENT: the\n"
    "stretches of the route it covered (chainage intervals, within --tolerance of\n"
    "the route), the gaps, the time and distance off the route and outside the\n"
    "route's corridor, the worst offset, start and end (UTC and local), the\n"
    "direction, stops, and whether it ran before the route's start date\n"
    "(docs/tracks.md, \"Judging a patrol\").\n"
    "\n"
    "options:\n"
    "  -r, --route ID       the patrol route (default: the first in the file)\n"
    "  -t, --tolerance M    a point within M metres of the route is on it (default 500)\n"
    "      --min-gap M      list gaps of at least M metres (default 100)\n"
    "      --max-step M     most chainage one step between points covers (default 1000)\n"
    "  -f, --format FMT     table (default) or json\n"
    "  -o, --output FILE    write to FILE instead of stdout\n"
    "  -h, --help           show this help\n"
    "\n"
    "exit status: 0 judged, 2 usage, 3 invalid agreement, no such route, malformed\n"
    "GPX or rejected points (the rest is still judged), 4 unreadable file\n";

/* Stops as `truce track` finds them by default: below 3.6 km/h for 2 min. */
#define STOP_SPEED_MPS 1.0
#define STOP_MIN_S 120.0

static int parse_metres(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v < 0 || v > 1e6)
        return -1;
    *out = v;
    return 0;
}

static void format_utc(double t, char buf[21])
{
    if (!(t >= -62135596800.0 && t < 253402300800.0)) {
        snprintf(buf, 21, "-");
        return;
    }
    truce_time_format_utc((int64_t)floor(t), buf);
}

static void format_local(const truce_agreement *a, double t, char buf[26])
{
    if (!a->tz || !(t >= -62135596800.0 && t < 253402300800.0)) {
        snprintf(buf, 26, "-");
        return;
    }
    truce_tz_format_local(a->tz, (int64_t)floor(t), buf);
}

static void format_duration(double s, char buf[32])
{
    long long whole = llround(s);
    snprintf(buf, 32, "%lld:%02lld:%02lld", whole / 3600, whole / 60 % 60, whole % 60);
}

static void print_table(FILE *out, const truce_agreement *a, const char *path, const truce_track *t,
                        const truce_patrol_result *r, size_t nstops)
{
    char u0[21], u1[21], l0[26], l1[26], d[32];
    fprintf(out, "track %s (%s, line %ld)\n", t->name ? t->name : "(no name)", path, t->line);
    fprintf(out, "  covered      %.3f of %.3f km (%.1f%%) in %zu stretch%s\n", r->covered_m / 1e3,
            r->route_length_m / 1e3, r->covered_fraction * 100, r->ncovered,
            r->ncovered == 1 ? "" : "es");
    fprintf(out, "  gaps         %zu\n", r->ngaps);
    for (size_t i = 0; i < r->ngaps; i++)
        fprintf(out, "    km %.3f to %.3f (%.3f km)\n", r->gaps[i].from_m / 1e3,
                r->gaps[i].to_m / 1e3, (r->gaps[i].to_m - r->gaps[i].from_m) / 1e3);
    format_duration(r->off_route_s, d);
    fprintf(out, "  off route    %s, %.3f km, %zu of %zu points\n", d, r->off_route_m / 1e3,
            r->noff, r->npoints);
    if (r->has_corridor) {
        format_duration(r->outside_corridor_s, d);
        fprintf(out, "  outside corridor %s, %.3f km\n", d, r->outside_corridor_m / 1e3);
    }
    fprintf(out, "  worst offset %.1f m at km %.3f (%.6f, %.6f)\n", r->max_offset_m,
            r->max_offset_chainage_m / 1e3, r->max_offset_lat, r->max_offset_lon);
    format_utc(r->start_s, u0);
    format_utc(r->end_s, u1);
    format_local(a, r->start_s, l0);
    format_local(a, r->end_s, l1);
    fprintf(out, "  start        %s (%s)\n  end          %s (%s)\n", u0, l0, u1, l1);
    fprintf(out, "  direction    %s\n", truce_patrol_direction_name(r->direction));
    fprintf(out, "  stops        %zu\n", nstops);
    if (r->before_start)
        fputs("  BEFORE START the patrol began before the route's start date\n", out);
    if (r->after_end)
        fputs("  AFTER END    the patrol ended after the route ceased to be in force\n", out);
}

static json_t *intervals_json(const truce_chainage_interval *iv, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("[f, f]", iv[i].from_m, iv[i].to_m));
    return arr;
}

static json_t *time_json(double t, int local, const truce_agreement *a)
{
    char buf[26];
    if (isnan(t))
        return json_null();
    if (local)
        format_local(a, t, buf);
    else
        format_utc(t, buf);
    return json_string(buf);
}

static json_t *result_json(const truce_agreement *a, const char *path, const truce_track *t,
                           const truce_patrol_result *r, size_t nstops)
{
    json_t *o = json_object();
    json_object_set_new(o, "track", t->name ? json_string(t->name) : json_null());
    json_object_set_new(o, "file", json_string(path));
    json_object_set_new(o, "line", json_integer((json_int_t)t->line));
    json_object_set_new(o, "points", json_integer((json_int_t)r->npoints));
    json_object_set_new(o, "covered_m", json_real(r->covered_m));
    json_object_set_new(o, "covered_fraction", json_real(r->covered_fraction));
    json_object_set_new(o, "covered", intervals_json(r->covered, r->ncovered));
    json_object_set_new(o, "gaps", intervals_json(r->gaps, r->ngaps));
    json_object_set_new(o, "off_route_s", json_real(r->off_route_s));
    json_object_set_new(o, "off_route_m", json_real(r->off_route_m));
    json_object_set_new(o, "off_route_points", json_integer((json_int_t)r->noff));
    json_object_set_new(o, "max_offset_m", json_real(r->max_offset_m));
    json_object_set_new(o, "max_offset_at",
                        r->npoints
                            ? json_pack("{s:f, s:f, s:f}", "lat", r->max_offset_lat, "lon",
                                        r->max_offset_lon, "chainage_m", r->max_offset_chainage_m)
                            : json_null());
    json_object_set_new(o, "outside_corridor_s",
                        r->has_corridor ? json_real(r->outside_corridor_s) : json_null());
    json_object_set_new(o, "outside_corridor_m",
                        r->has_corridor ? json_real(r->outside_corridor_m) : json_null());
    json_object_set_new(o, "start_utc", time_json(r->start_s, 0, a));
    json_object_set_new(o, "end_utc", time_json(r->end_s, 0, a));
    json_object_set_new(o, "start_local", time_json(r->start_s, 1, a));
    json_object_set_new(o, "end_local", time_json(r->end_s, 1, a));
    json_object_set_new(o, "direction", json_string(truce_patrol_direction_name(r->direction)));
    json_object_set_new(o, "stops", json_integer((json_int_t)nstops));
    json_object_set_new(o, "before_start", json_boolean(r->before_start));
    json_object_set_new(o, "after_end", json_boolean(r->after_end));
    return o;
}

/* Judge every track of one file; returns an exit code. */
static int one_file(const char *path, const truce_agreement *a, const truce_patrol_checker *c,
                    FILE *out, json_t *tracks)
{
    truce_gpx *g = NULL;
    int rc = cli_load_gpx(path, NULL, &g);
    if (!g)
        return rc;
    for (size_t i = 0; i < g->ntracks; i++) {
        const truce_track *t = &g->tracks[i];
        truce_patrol_result r;
        truce_stops stops;
        truce_status st = truce_patrol_check(c, t, &r);
        if (st != TRUCE_OK) {
            cli_error("patrol", "%s: track %zu: %s", path, i + 1, truce_strerror(st));
            rc = cli_exit_for(st);
            break;
        }
        st = truce_track_stops(t, STOP_SPEED_MPS, STOP_MIN_S, &stops);
        if (st != TRUCE_OK) {
            truce_patrol_result_release(&r);
            cli_error("patrol", "out of memory");
            rc = EXIT_FAILURE_;
            break;
        }
        if (tracks)
            json_array_append_new(tracks, result_json(a, path, t, &r, stops.count));
        else
            print_table(out, a, path, t, &r, stops.count);
        truce_stops_release(&stops);
        truce_patrol_result_release(&r);
    }
    truce_gpx_free(g);
    return rc;
}

int cmd_patrol(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"route", required_argument, NULL, 'r'},   {"tolerance", required_argument, NULL, 't'},
        {"min-gap", required_argument, NULL, 'g'}, {"max-step", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},  {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *route_id = NULL, *format = "table", *output = NULL;
    truce_patrol_options popt;
    truce_patrol_options_init(&popt);
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "r:t:f:o:h", longopts, NULL)) != -1) {
        double v;
        switch (opt) {
        case 'r':
            route_id = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 't':
        case 'g':
        case 's':
            if (parse_metres(optarg, &v) || (opt != 'g' && v == 0)) {
                cli_error("patrol", "bad value '%s' for --%s", optarg,
                          opt == 't'   ? "tolerance"
                          : opt == 'g' ? "min-gap"
                                       : "max-step");
                return EXIT_USAGE;
            }
            if (opt == 't')
                popt.tolerance_m = v;
            else if (opt == 'g')
                popt.min_gap_m = v;
            else
                popt.max_step_m = v;
            break;
        case 'h':
            fputs(patrol_usage, stdout);
            return EXIT_OK;
        default:
            fputs(patrol_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (strcmp(format, "table") && strcmp(format, "json")) {
        cli_error("patrol", "unknown format '%s' (expected table or json)", format);
        return EXIT_USAGE;
    }
    if (argc - optind < 2) {
        fputs(patrol_usage, stderr);
        return EXIT_USAGE;
    }
    truce_agreement *a = NULL;
    int loaded = cli_load_agreement("patrol", argv[optind], &a);
    if (loaded != EXIT_OK)
        return loaded;
    const truce_patrol_route *route =
        route_id ? truce_agreement_route(a, route_id) : (a->nroutes ? &a->routes[0] : NULL);
    if (!route) {
        cli_error("patrol", "%s: no patrol route%s%s", argv[optind], route_id ? " " : "",
                  route_id ? route_id : "");
        truce_agreement_free(a);
        return EXIT_BADINPUT;
    }
    truce_patrol_checker *c = NULL;
    truce_status st = truce_patrol_checker_new(a, route, &popt, &c);
    if (st != TRUCE_OK) {
        cli_error("patrol", "patrol route %s: %s", route->id, truce_strerror(st));
        truce_agreement_free(a);
        return cli_exit_for(st);
    }
    FILE *out = cli_open_output("patrol", output);
    if (!out) {
        truce_patrol_checker_free(c);
        truce_agreement_free(a);
        return EXIT_IO;
    }
    json_t *tracks = strcmp(format, "json") ? NULL : json_array();
    if (!tracks)
        fprintf(out, "route %s: %.3f km, patrols from %s, tolerance %g m\n", route->id,
                route->length_m / 1e3,
                route->valid.from_text ? route->valid.from_text : "(no start date)",
                popt.tolerance_m);
    int rc = EXIT_OK;
    for (int i = optind + 1; i < argc; i++) {
        int r = one_file(argv[i], a, c, out, tracks);
        /* the worst outcome wins: failure over I/O over bad input */
        if (r == EXIT_FAILURE_ || (r == EXIT_IO && rc != EXIT_FAILURE_) ||
            (r == EXIT_BADINPUT && rc == EXIT_OK))
            rc = r;
    }
    if (tracks) {
        json_t *o =
            json_pack("{s:s, s:f, s:f, s:o, s:o}", "route", route->id, "route_length_m",
                      route->length_m, "tolerance_m", popt.tolerance_m, "route_start",
                      route->valid.from_text ? json_string(route->valid.from_text) : json_null(),
                      "tracks", tracks);
        json_dumpf(o, out, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
        fputc('\n', out);
        json_decref(o);
    }
    truce_patrol_checker_free(c);
    truce_agreement_free(a);
    int crc = cli_close_output("patrol", out, output);
    return rc != EXIT_OK ? rc : crc;
}
