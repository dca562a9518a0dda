/* truce gen-track: write a synthetic patrol track along a patrol route of an
 * agreement, as GPX, with what was injected recorded in the track's <desc>. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "truce/agreement.h"
#include "truce/track.h"

static const char *const gen_usage =
    "usage: truce gen-track [options] AGREEMENT\n"
    "\n"
    "Write a synthetic patrol track along a patrol route of AGREEMENT as GPX 1.1:\n"
    "points every --spacing metres on the route's geodesics at --speed, with\n"
    "optional noise, a detour, a stop and a turn-back.  The track's <desc> records\n"
    "the truth (covered chainage, the detour's worst offset, the stop) as\n"
    "\"truce-gen key=value ...\" (docs/tracks.md).\n"
    "\n"
    "options:\n"
    "      --route ID          the patrol route (default: the first in the file)\n"
    "      --spacing M         metres between points along the route (default 25)\n"
    "      --speed KMH         travel speed (default 40)\n"
    "      --start TIME        first point, ISO 8601 with Z or an offset (default:\n"
    "                          09:00 local on the route's start date)\n"
    "      --noise M           Gaussian position noise, standard deviation per axis\n"
    "      --seed N            seed of the noise (default 1)\n"
    "      --detour A,B,OFF    leave the route at km A, rejoin at km B, OFF metres\n"
    "                          to the left (negative: right)\n"
    "      --turn-back KM      turn back at km KM and return to the start\n"
    "      --stop KM,SECONDS   stay put at km KM for SECONDS\n"
    "      --name NAME         the track's name (default \"synthetic patrol\")\n"
    "  -o, --output FILE       write to FILE instead of stdout\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 written, 2 usage or options that do not fit the route,\n"
    "3 invalid agreement or no such route, 4 I/O error\n";

/* Parse `count` comma-separated numbers. */
static int parse_numbers(const char *s, double *v, int count)
{
    const char *p = s;
    for (int i = 0; i < count; i++) {
        char *end;
        v[i] = strtod(p, &end);
        if (end == p || !isfinite(v[i]))
            return -1;
        p = end;
        if (i + 1 < count && *p++ != ',')
            return -1;
    }
    return *p ? -1 : 0;
}

static int parse_instant(const char *s, double *out)
{
    truce_time_value tv;
    int64_t t;
    if (truce_time_parse(s, &tv) != TRUCE_OK || truce_time_value_instant(&tv, &t) != TRUCE_OK)
        return -1;
    *out = (double)t;
    return 0;
}

int cmd_gen_track(int argc, char **argv)
{
    static const struct option longopts[] = {{"route", required_argument, NULL, 'r'},
                                             {"spacing", required_argument, NULL, 's'},
                                             {"speed", required_argument, NULL, 'v'},
                                             {"start", required_argument, NULL, 't'},
                                             {"noise", required_argument, NULL, 'n'},
                                             {"seed", required_argument, NULL, 'S'},
                                             {"detour", required_argument, NULL, 'd'},
                                             {"turn-back", required_argument, NULL, 'b'},
                                             {"stop", required_argument, NULL, 'p'},
                                             {"name", required_argument, NULL, 'N'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *route_id = NULL, *output = NULL, *name = NULL;
    truce_gen_options g;
    truce_gen_options_init(&g);
    int have_start = 0;
    double v[3];
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        int bad = 0;
        switch (opt) {
        case 'r':
            route_id = optarg;
            break;
        case 'N':
            name = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 's':
            bad = parse_numbers(optarg, &g.spacing_m, 1);
            break;
        case 'v':
            bad = parse_numbers(optarg, v, 1);
            g.speed_mps = v[0] / 3.6;
            break;
        case 't':
            bad = parse_instant(optarg, &g.start_s);
            have_start = 1;
            break;
        case 'n':
            bad = parse_numbers(optarg, &g.noise_m, 1);
            break;
        case 'S': {
            char *end;
            g.seed = strtoull(optarg, &end, 10);
            bad = end == optarg || *end;
            break;
        }
        case 'd':
            bad = parse_numbers(optarg, v, 3) || v[2] == 0;
            g.detour_from_m = v[0] * 1e3;
            g.detour_to_m = v[1] * 1e3;
            g.detour_offset_m = v[2];
            break;
        case 'b':
            bad = parse_numbers(optarg, v, 1) || v[0] <= 0;
            g.turn_back_m = v[0] * 1e3;
            break;
        case 'p':
            bad = parse_numbers(optarg, v, 2) || v[1] <= 0;
            g.stop_at_m = v[0] * 1e3;
            g.stop_duration_s = v[1];
            break;
        default:
            return cli_help_or_usage(opt, gen_usage);
        }
        if (bad) {
            cli_error("gen-track", "bad value '%s' for an option (see --help)", optarg);
            return EXIT_USAGE;
        }
    }
    if (cli_operands("gen-track", gen_usage, argc, 1, 1, NULL))
        return EXIT_USAGE;
    truce_agreement *a = NULL;
    int loaded = cli_load_agreement("gen-track", argv[optind], &a);
    if (loaded != EXIT_OK)
        return loaded;
    const truce_patrol_route *r =
        route_id ? truce_agreement_route(a, route_id) : (a->nroutes ? &a->routes[0] : NULL);
    if (!r) {
        cli_error("gen-track", "%s: no patrol route%s%s", argv[optind], route_id ? " " : "",
                  route_id ? route_id : "");
        truce_agreement_free(a);
        return EXIT_BADINPUT;
    }
    if (!have_start) {
        if (r->valid.from_s == TRUCE_TIME_MIN) {
            cli_error("gen-track", "patrol route %s has no start date; give --start", r->id);
            truce_agreement_free(a);
            return EXIT_USAGE;
        }
        g.start_s = (double)r->valid.from_s + 9 * 3600; /* from_s is local midnight */
    }
    truce_track t;
    truce_track_init(&t);
    truce_status st = truce_track_generate(r->route.lonlat, r->route.n, &g, &t, NULL);
    int rc = EXIT_OK;
    if (st == TRUCE_E_ARG || st == TRUCE_E_RANGE) {
        cli_error("gen-track", "the options do not fit route %s (%.3f km): %s", r->id,
                  r->length_m / 1e3,
                  st == TRUCE_E_RANGE ? "too many points"
                                      : "a chainage outside the route, a stop "
                                        "within the detour, or a bad value");
        rc = EXIT_USAGE;
    } else if (st != TRUCE_OK) {
        cli_error("gen-track", "%s", truce_strerror(st));
        rc = cli_exit_for(st);
    } else {
        /* --name is written instead of the generated name, which stays
         * with the track for truce_track_release to free. */
        char *generated = t.name, *copy = name ? malloc(strlen(name) + 1) : NULL;
        if (copy) {
            memcpy(copy, name, strlen(name) + 1);
            t.name = copy;
        }
        char creator[] = "truce gen-track";
        truce_gpx gpx = {.creator = creator, .tracks = &t, .ntracks = 1};
        cli_output out;
        rc = cli_open_output("gen-track", output, &out);
        if (rc == EXIT_OK) {
            truce_gpx_write(out.f, &gpx);
            rc = cli_close_output(&out, 1);
        }
        t.name = generated;
        free(copy);
    }
    truce_track_release(&t);
    truce_agreement_free(a);
    return rc;
}
