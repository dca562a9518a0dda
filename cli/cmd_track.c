/* truce track: read GPX files and summarise each track -- points, flagged
 * points by kind, length, times, stops. */
#include <float.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "truce/track.h"
#include "truce/track_write.h"

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

/* Summarise one file; returns an exit code. */
static int one_file(const char *path, const truce_gpx_options *gopt, truce_track_writer *w)
{
    truce_gpx *g = NULL;
    int rc = cli_load_gpx("track", path, gopt, &g);
    if (!g)
        return rc;
    if (truce_track_write_file(w, path, g) == TRUCE_E_NOMEM) {
        cli_error("track", "out of memory");
        rc = EXIT_FAILURE_;
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
    track_opts topt = {TRUCE_STOP_SPEED_MPS_DEFAULT, TRUCE_STOP_MIN_S_DEFAULT};
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
    truce_track_writer *w = NULL;
    if (truce_track_writer_new(file.f, strcmp(format, "json") ? TRUCE_TRACK_TEXT : TRUCE_TRACK_JSON,
                               topt.stop_speed_mps, topt.stop_min_s, &w) != TRUCE_OK) {
        cli_error("track", "out of memory");
        cli_close_output(&file, 0);
        return EXIT_FAILURE_;
    }
    int rc = EXIT_OK;
    for (int i = optind; i < argc; i++) {
        int r = one_file(argv[i], &gopt, w);
        /* the worst outcome wins: failure over I/O over bad input */
        if (r == EXIT_FAILURE_ || (r == EXIT_IO && rc != EXIT_FAILURE_) ||
            (r == EXIT_BADINPUT && rc == EXIT_OK))
            rc = r;
    }
    if (truce_track_writer_finish(w) == TRUCE_E_NOMEM) {
        cli_error("track", "out of memory");
        rc = EXIT_FAILURE_;
    }
    int crc = cli_close_output(&file, cli_output_complete(rc));
    return rc != EXIT_OK ? rc : crc;
}
