/* truce map: the agreement and its events drawn as a map (docs/map.md). */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_marks.h"
#include "truce/borders.h"
#include "truce/map.h"
#include "truce/track.h"

static const char *const SUB = "map";

static const char *const usage_text =
    "usage: truce map [options] AGREEMENT [EVENTS...] -o FILE\n"
    "\n"
    "Draw the agreement -- country borders, zones, corridors and their roads,\n"
    "patrol routes, the places it names -- and the events, judged as truce\n"
    "classify judges them, as markers coloured by verdict (violation, possible,\n"
    "none, before the ceasefire) with an area proportional to fatalities; with\n"
    "a legend, a scale bar, a north arrow, the title and the ceasefire in local\n"
    "time.  Events without a location are counted and not drawn.  Past\n"
    "--cluster-above events, markers are aggregated into grid cells\n"
    "(docs/map.md).  EVENTS are ACLED CSV, UCDP GED CSV, GeoJSON or JSON Lines\n"
    "files (\"-\" is stdin).\n"
    "\n"
    "options:\n"
    "  -o, --output FILE       the map: FILE.svg or FILE.png (\"-\": SVG on stdout)\n"
    "      --format FMT        svg or png (default: by FILE's extension, else svg)\n"
    "      --size WxH          size in pixels (default 1000x760)\n"
    "      --title TEXT        the title (default: the agreement's)\n"
    "      --tracks GPX        draw the tracks of a GPX file (repeatable)\n"
    "      --borders FILE      country borders, a GeoJSON FeatureCollection of\n"
    "                          polygons (default: borders.geojson beside AGREEMENT,\n"
    "                          when there is one)\n"
    "      --no-borders        draw no borders\n"
    "      --cluster-above N   aggregate markers past N located events (default 2000)\n"
    "      --cluster-cell PX   the aggregation grid's cell, pixels (default 24)\n" CLI_JUDGE_HELP
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 ok, 2 usage, 3 invalid agreement, borders or rejected rows\n"
    "(the map is still drawn from every accepted row), 4 I/O\n";

/* What the judging loop fills: the marks, and the agreement the labels
 * give local times in. */
typedef struct map_ctx {
    cli_marks marks;
    const truce_agreement *a;
} map_ctx;

/* On a judging thread (judge.h): reads ctx only. */
static truce_status prepare(const void *ctx, const truce_event *ev, const truce_verdict *v,
                            truce_text *t)
{
    return cli_mark_label(((const map_ctx *)ctx)->a, ev, v, t) ? TRUCE_E_NOMEM : TRUCE_OK;
}

static int on_verdict(void *ctx, const truce_judged *judged)
{
    if (cli_marks_add(&((map_ctx *)ctx)->marks, judged->event, judged->verdict, judged->text)) {
        cli_error(SUB, "out of memory");
        return EXIT_FAILURE_;
    }
    return EXIT_OK;
}

/* "W" "x" "H" with each side a whole number of pixels. */
static int parse_size(const char *s, double *w, double *h)
{
    char *end;
    long x = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X'))
        return -1;
    const char *p = end + 1;
    long y = strtol(p, &end, 10);
    if (end == p || *end || x < 200 || x > 16384 || y < 150 || y > 16384)
        return -1;
    *w = (double)x;
    *h = (double)y;
    return 0;
}

typedef struct map_args {
    const char *output, *format, *borders;
    int no_borders;
    const char **tracks;
    int ntracks;
    truce_map_options opt;
    cli_judge_opts jo;
} map_args;

/* Parse the command line; returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, map_args *a)
{
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"format", required_argument, NULL, 0x200},
                                             {"size", required_argument, NULL, 0x201},
                                             {"title", required_argument, NULL, 0x202},
                                             {"tracks", required_argument, NULL, 0x203},
                                             {"borders", required_argument, NULL, 0x204},
                                             {"no-borders", no_argument, NULL, 0x205},
                                             {"cluster-above", required_argument, NULL, 0x206},
                                             {"cluster-cell", required_argument, NULL, 0x207},
                                             {"help", no_argument, NULL, 'h'},
                                             CLI_JUDGE_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:hq", longopts, NULL)) != -1) {
        if (cli_judge_option(&a->jo, opt, optarg))
            continue;
        char *end;
        switch (opt) {
        case 'o':
            a->output = optarg;
            break;
        case 0x200:
            if (cli_picture_format_option(SUB, optarg))
                return EXIT_USAGE;
            a->format = optarg;
            break;
        case 0x201:
            if (parse_size(optarg, &a->opt.width_px, &a->opt.height_px)) {
                cli_error(SUB,
                          "--size: expected WxH, W in [200, 16384] and H in [150, 16384] "
                          "pixels, found '%s'",
                          optarg);
                return EXIT_USAGE;
            }
            break;
        case 0x202:
            a->opt.title = optarg;
            break;
        case 0x203:
            a->tracks[a->ntracks++] = optarg;
            break;
        case 0x204:
            a->borders = optarg;
            break;
        case 0x205:
            a->no_borders = 1;
            break;
        case 0x206: {
            unsigned long long n = strtoull(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end) {
                cli_error(SUB, "--cluster-above: expected a number of events, found '%s'", optarg);
                return EXIT_USAGE;
            }
            a->opt.cluster_above = n > SIZE_MAX ? SIZE_MAX : (size_t)n;
            break;
        }
        case 0x207:
            if (cli_double_option(SUB, "cluster-cell", optarg, "pixels", 4, 200,
                                  &a->opt.cluster_cell_px))
                return EXIT_USAGE;
            break;
        default:
            return cli_help_or_usage(opt, usage_text);
        }
    }
    if (cli_operands(SUB, usage_text, argc, 1, -1, "expected an AGREEMENT file"))
        return EXIT_USAGE;
    if (!a->output) {
        cli_error(SUB, "expected -o FILE (FILE.svg, FILE.png, or - for SVG on stdout)");
        return EXIT_USAGE;
    }
    if (!a->format)
        a->format = cli_picture_is_png(NULL, a->output) ? "png" : "svg";
    return -1;
}

/* Load the borders and the tracks; returns an exit status. */
static int load_layers(const map_args *a, const char *agreement, truce_borders **borders,
                       truce_gpx **gpx)
{
    int status = cli_load_borders(SUB, agreement, a->borders, a->no_borders, borders);
    for (int i = 0; i < a->ntracks && status == EXIT_OK; i++) {
        int rc = cli_load_gpx(SUB, a->tracks[i], NULL, &gpx[i]);
        if (!gpx[i])
            status = rc;
    }
    return status;
}

/* Render and write the map; returns an exit status. */
static int write_map(const map_args *a, const truce_map_data *data)
{
    char *svg = NULL;
    size_t len = 0;
    truce_map_stats stats;
    truce_status st = truce_map_render(data, &a->opt, &svg, &len, &stats);
    if (st) {
        cli_error(SUB, "drawing the map: %s", truce_strerror(st));
        return cli_exit_for(st);
    }
    int status = cli_write_picture(SUB, svg, len, !strcmp(a->format, "png"), a->opt.width_px,
                                   a->opt.height_px, a->output);
    truce_free(svg);
    if (stats.unlocated)
        cli_error(SUB, "%zu event%s without a location not drawn", stats.unlocated,
                  stats.unlocated == 1 ? "" : "s");
    if (status == EXIT_OK) {
        if (stats.clustered)
            cli_error(SUB, "%s: %zu events in %zu cluster markers (more than %zu events)",
                      a->output, stats.located, stats.clusters, a->opt.cluster_above);
        else
            cli_error(SUB, "%s: %zu event markers", a->output, stats.markers);
    }
    return status;
}

int cmd_map(int argc, char **argv)
{
    map_args a = {0};
    truce_map_options_init(&a.opt);
    a.tracks = calloc((size_t)argc + 1, sizeof *a.tracks);
    if (!a.tracks) {
        cli_error(SUB, "out of memory");
        return EXIT_FAILURE_;
    }
    int status = parse_args(argc, argv, &a);
    if (status >= 0) {
        free(a.tracks);
        return status;
    }
    const char *agreement = argv[optind];
    map_ctx c = {0};
    truce_borders *borders = NULL;
    truce_gpx **gpx = calloc((size_t)a.ntracks + 1, sizeof *gpx);
    cli_judge j;
    status = gpx ? cli_judge_open(&j, SUB, agreement, &a.jo) : EXIT_FAILURE_;
    if (status == EXIT_OK) {
        c.a = j.agreement;
        status = load_layers(&a, agreement, &borders, gpx);
    }
    truce_aid *aid = NULL;
    int any = 0;
    if (status == EXIT_OK)
        status = cli_judge_aid_new(&j, NULL, TRUCE_AID_NONE, &aid);
    if (status == EXIT_OK)
        status = cli_judge_run(&j, argv + optind + 1, argc - optind - 1, a.jo.quiet, prepare, &c,
                               on_verdict, &c);
    if (aid && (status == EXIT_OK || status == EXIT_BADINPUT))
        status = cli_worse(status, cli_judge_aid_finish(&j, aid, &any));
    /* Draw unless reading stopped on an error other than bad rows (an
     * agreement that did not load is such an error: nothing to draw). */
    if ((status == EXIT_OK || status == EXIT_BADINPUT) && j.agreement) {
        cli_marks_finish(&c.marks);
        truce_map_data data = {.agreement = j.agreement,
                               .marks = c.marks.marks,
                               .nmarks = c.marks.n,
                               .tracks = (const truce_gpx *const *)gpx,
                               .ntracks = (size_t)a.ntracks,
                               .borders = borders,
                               .aid = any ? aid : NULL};
        status = cli_worse(status, write_map(&a, &data));
    }
    for (int i = 0; gpx && i < a.ntracks; i++)
        truce_gpx_free(gpx[i]);
    free(gpx);
    truce_borders_free(borders);
    truce_aid_free(aid);
    cli_marks_release(&c.marks);
    free(a.tracks);
    return gpx ? cli_judge_close(&j, status) : status;
}
