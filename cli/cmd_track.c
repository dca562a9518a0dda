/* truce track: read GPX files and summarise each track -- points, flagged
 * points by kind, length, times, stops. */
#include <float.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "truce/time.h"
#include "truce/track.h"

static const char *const track_usage =
    "usage: truce track [--format text|json] [--max-speed KMH] [--stop-speed KMH]\n"
    "                   [--stop-min SECONDS] [-o FILE] FILE.gpx...\n"
    "\n"
    "Read GPX 1.0/1.1 files and print, per track (and per <rte> route): its name,\n"
    "points and segments, flagged points by kind, the geodesic length, the start\n"
    "and end in UTC, the duration, the highest speed and the stops (docs/tracks.md).\n"
    "\n"
    "Every problem is reported on stderr as FILE:LINE: error|warning: ...; points\n"
    "without a usable position are rejected and counted.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT      text (default) or json\n"
    "      --max-speed KMH   flag points reached faster than this (default 300)\n"
    "      --stop-speed KMH  a stop is slower than this (default 3.6)\n"
    "      --stop-min S      ... for at least this many seconds (default 120)\n"
    "  -o, --output FILE     write the summary to FILE instead of stdout\n"
    "  -h, --help            show this help\n"
    "\n"
    "exit status: 0 read, 2 usage, 3 malformed GPX or rejected points (the rest is\n"
    "still summarised), 4 unreadable file\n";

typedef struct track_opts {
    double stop_speed_mps;
    double stop_min_s;
} track_opts;

/* An instant as 2020-03-15T07:00:00Z, with milliseconds when it has them. */
static void format_instant(double t, char buf[32])
{
    if (!(t >= (double)TRUCE_INSTANT_FIRST_S &&
          t < (double)TRUCE_INSTANT_LAST_S + 1)) { /* (double)NAN, or beyond years 1-9999 */
        snprintf(buf, 32, "-");
        return;
    }
    truce_time_format_utc_ms(t, 0, buf);
}

static void format_duration(double s, char buf[32])
{
    if (!(fabs(s) < 1e15)) {
        snprintf(buf, 32, "-");
        return;
    }
    long long whole = llround(s);
    snprintf(buf, 32, "%lld:%02lld:%02lld", whole / 3600, whole / 60 % 60, whole % 60);
}

static const char *kind_name(const truce_track *t)
{
    return t->kind == TRUCE_TRACK_RTE ? "rte" : "trk";
}

static void print_track_text(FILE *out, const truce_track *t, const truce_track_summary *s,
                             const truce_stops *stops)
{
    char a[32], b[32];
    fprintf(out, "track %s (%s, line %ld)\n", t->name ? t->name : "(no name)", kind_name(t),
            t->line);
    fprintf(out, "  points     %zu in %zu segment%s, %zu with a time, %zu rejected\n", s->npoints,
            s->nsegments, s->nsegments == 1 ? "" : "s", s->ntimed, s->rejected);
    fputs("  flagged   ", out);
    int any = 0;
    for (unsigned k = 0; k < TRUCE_PT_NFLAGS; k++)
        if (s->flagged[k]) {
            fprintf(out, "%s %s %zu", any ? "," : "", truce_point_flag_name(k), s->flagged[k]);
            any = 1;
        }
    fputs(any ? "\n" : " none\n", out);
    fprintf(out, "  length     %.3f km\n", s->length_m / 1e3);
    format_instant(s->start_s, a);
    format_instant(s->end_s, b);
    fprintf(out, "  start      %s\n  end        %s\n", a, b);
    format_duration(s->duration_s, a);
    fprintf(out, "  duration   %s\n", a);
    if (!isnan(s->max_speed_mps))
        fprintf(out, "  max speed  %.1f km/h\n", s->max_speed_mps * 3.6);
    fprintf(out, "  stops      %zu\n", stops->count);
    for (size_t i = 0; i < stops->count; i++) {
        const truce_stop *p = &stops->items[i];
        format_instant(p->start_s, a);
        format_instant(p->end_s, b);
        char d[32];
        format_duration(p->end_s - p->start_s, d);
        fprintf(out, "    %s to %s (%s) at %.6f, %.6f\n", a, b, d, p->lat, p->lon);
    }
}

static json_t *track_json(const truce_track *t, const truce_track_summary *s,
                          const truce_stops *stops)
{
    char a[32], b[32];
    json_t *flagged = json_object();
    for (unsigned k = 0; k < TRUCE_PT_NFLAGS; k++)
        json_object_set_new(flagged, truce_point_flag_name(k),
                            json_integer((json_int_t)s->flagged[k]));
    json_t *st = json_array();
    for (size_t i = 0; i < stops->count; i++) {
        const truce_stop *p = &stops->items[i];
        format_instant(p->start_s, a);
        format_instant(p->end_s, b);
        json_array_append_new(st, json_pack("{s:s, s:s, s:f, s:f, s:f}", "start_utc", a, "end_utc",
                                            b, "duration_s", p->end_s - p->start_s, "lat", p->lat,
                                            "lon", p->lon));
    }
    format_instant(s->start_s, a);
    format_instant(s->end_s, b);
    json_t *o = json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:f}", "track",
                          t->name ? json_string(t->name) : json_null(), "kind", kind_name(t),
                          "line", (json_int_t)t->line, "points", (json_int_t)s->npoints, "segments",
                          (json_int_t)s->nsegments, "timed", (json_int_t)s->ntimed, "rejected",
                          (json_int_t)s->rejected, "flagged", flagged, "length_m", s->length_m);
    json_object_set_new(o, "start_utc", s->ntimed ? json_string(a) : json_null());
    json_object_set_new(o, "end_utc", s->ntimed ? json_string(b) : json_null());
    json_object_set_new(o, "duration_s", s->ntimed ? json_real(s->duration_s) : json_null());
    json_object_set_new(o, "max_speed_kmh",
                        isnan(s->max_speed_mps) ? json_null() : json_real(s->max_speed_mps * 3.6));
    json_object_set_new(o, "stops", st);
    return o;
}

/* Summarise one file; returns an exit code. */
static int one_file(const char *path, const truce_gpx_options *gopt, const track_opts *topt,
                    FILE *out, json_t *files)
{
    truce_gpx *g = NULL;
    int rc = cli_load_gpx(path, gopt, &g);
    if (!g)
        return rc;
    json_t *tracks = files ? json_array() : NULL;
    if (!files)
        fprintf(out, "file %s: GPX %s, %zu track%s, %zu waypoint%s, %zu rejected point%s\n", path,
                g->version ? g->version : "(no version)", g->ntracks, g->ntracks == 1 ? "" : "s",
                g->nwaypoints, g->nwaypoints == 1 ? "" : "s", g->rejected,
                g->rejected == 1 ? "" : "s");
    for (size_t i = 0; i < g->ntracks && rc != EXIT_FAILURE_; i++) {
        const truce_track *t = &g->tracks[i];
        truce_track_summary s;
        truce_stops stops;
        if (truce_track_summarize(t, &s) != TRUCE_OK ||
            truce_track_stops(t, topt->stop_speed_mps, topt->stop_min_s, &stops) != TRUCE_OK) {
            cli_error("track", "out of memory");
            rc = EXIT_FAILURE_;
            break;
        }
        if (files)
            json_array_append_new(tracks, track_json(t, &s, &stops));
        else
            print_track_text(out, t, &s, &stops);
        truce_stops_release(&stops);
    }
    if (files) {
        json_array_append_new(files, json_pack("{s:s, s:o, s:I, s:I, s:o}", "file", path, "version",
                                               g->version ? json_string(g->version) : json_null(),
                                               "waypoints", (json_int_t)g->nwaypoints, "rejected",
                                               (json_int_t)g->rejected, "tracks", tracks));
    }
    truce_gpx_free(g);
    return rc;
}

int cmd_track(int argc, char **argv)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"max-speed", required_argument, NULL, 'M'},
                                             {"stop-speed", required_argument, NULL, 'S'},
                                             {"stop-min", required_argument, NULL, 'm'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"text", "json", NULL};
    const char *format = "text", *output = NULL;
    truce_gpx_options gopt;
    truce_gpx_options_init(&gopt);
    track_opts topt = {1.0, 120};
    double v;
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
        case 'M':
        case 'S':
        case 'm':
            if (cli_parse_double(optarg, 0, DBL_MAX, &v) || (opt != 'S' && v == 0)) {
                cli_error("track", "bad value '%s' for --%s", optarg,
                          opt == 'M'   ? "max-speed"
                          : opt == 'S' ? "stop-speed"
                                       : "stop-min");
                return EXIT_USAGE;
            }
            if (opt == 'M')
                gopt.max_speed_mps = v / 3.6;
            else if (opt == 'S')
                topt.stop_speed_mps = v / 3.6;
            else
                topt.stop_min_s = v;
            break;
        default:
            return cli_help_or_usage(opt, track_usage);
        }
    }
    if (cli_format_option("track", format, formats, NULL))
        return EXIT_USAGE;
    if (cli_operands("track", track_usage, argc, 1, -1, NULL))
        return EXIT_USAGE;
    cli_output file;
    int orc = cli_open_output("track", output, &file);
    if (orc != EXIT_OK)
        return orc;
    FILE *out = file.f;
    json_t *files = strcmp(format, "json") ? NULL : json_array();
    int rc = EXIT_OK;
    for (int i = optind; i < argc; i++) {
        int r = one_file(argv[i], &gopt, &topt, out, files);
        /* the worst outcome wins: failure over I/O over bad input */
        if (r == EXIT_FAILURE_ || (r == EXIT_IO && rc != EXIT_FAILURE_) ||
            (r == EXIT_BADINPUT && rc == EXIT_OK))
            rc = r;
    }
    if (files) {
        json_t *o = json_pack("{s:o}", "files", files);
        json_dumpf(o, out, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
        fputc('\n', out);
        json_decref(o);
    }
    int crc = cli_close_output(&file, cli_output_complete(rc));
    return rc != EXIT_OK ? rc : crc;
}
