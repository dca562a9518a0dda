/* truce map: the agreement and its events drawn as a map (docs/map.md). */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_judge.h"
#include "truce/borders.h"
#include "truce/map.h"
#include "truce/raster.h"
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

/* The events read so far, as marks whose strings live in `text` (offsets
 * until every event is in, since `text` moves as it grows). */
typedef struct map_ctx {
    truce_map_mark *marks;
    size_t n, cap;
    size_t *id_at, *label_at; /* offsets into text; SIZE_MAX for none */
    cli_text text;
    const truce_agreement *a;
} map_ctx;

/* The tooltip of an event: id, local time, verdict and reason, what and
 * who, fatalities, place, and the start of the notes.  On the judging
 * thread (cli_judge.h): reads ctx only. */
static int prepare(const void *ctx, const truce_event *ev, const truce_verdict *v, cli_text *t)
{
    const map_ctx *c = ctx;
    char when[64], line[768];
    cli_when_local(c->a, ev, when, sizeof when);
    int n = snprintf(line, sizeof line, "%s, %s: %s\n%s%s%s%s%s", ev->id, when, v->reason,
                     ev->event_type ? ev->event_type : "", ev->actor1 ? "; " : "",
                     ev->actor1 ? ev->actor1 : "", ev->actor2 ? " vs " : "",
                     ev->actor2 ? ev->actor2 : "");
    int bad = n < 0 || cli_text_put(t, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    if (ev->fatalities >= 0)
        n = snprintf(line, sizeof line, "; %lld fatalities", (long long)ev->fatalities);
    else
        n = snprintf(line, sizeof line, "; fatalities unknown");
    bad |= n < 0 || cli_text_put(t, line, (size_t)n);
    if (ev->place) {
        bad |= cli_text_put(t, "\n", 1) || cli_text_put(t, ev->place, strlen(ev->place));
    }
    if (ev->notes) {
        /* Notes can run to paragraphs; a tooltip shows the first 300
         * bytes, cut at a character boundary. */
        size_t len = strlen(ev->notes), cut = len > 300 ? 300 : len;
        while (cut < len && cut > 0 && ((unsigned char)ev->notes[cut] & 0xc0) == 0x80)
            cut--;
        bad |= cli_text_put(t, "\n", 1) || cli_text_put(t, ev->notes, cut) ||
               (cut < len && cli_text_put(t, "\xe2\x80\xa6", 3));
    }
    /* With two threads every event's text follows the last in one buffer:
     * end each with its NUL. */
    bad |= cli_text_put(t, "", 1);
    return bad ? EXIT_FAILURE_ : EXIT_OK;
}

static int on_verdict(void *ctx, const truce_event *ev, const truce_verdict *v, const char *label)
{
    map_ctx *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        truce_map_mark *m = realloc(c->marks, cap * sizeof *m);
        size_t *ids = m ? realloc(c->id_at, cap * sizeof *ids) : NULL;
        size_t *labels = ids ? realloc(c->label_at, cap * sizeof *labels) : NULL;
        if (m)
            c->marks = m;
        if (ids)
            c->id_at = ids;
        if (!labels) {
            cli_error(SUB, "out of memory");
            return EXIT_FAILURE_;
        }
        c->label_at = labels;
        c->cap = cap;
    }
    c->marks[c->n] = (truce_map_mark){.has_location = ev->has_location,
                                      .lon = ev->lon,
                                      .lat = ev->lat,
                                      .cls = truce_map_class_of(v),
                                      .fatalities = ev->fatalities};
    c->id_at[c->n] = c->text.len;
    if (cli_text_put(&c->text, ev->id, strlen(ev->id) + 1)) {
        cli_error(SUB, "out of memory");
        return EXIT_FAILURE_;
    }
    c->label_at[c->n] = c->text.len;
    if (cli_text_put(&c->text, label, strlen(label) + 1)) {
        cli_error(SUB, "out of memory");
        return EXIT_FAILURE_;
    }
    c->n++;
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

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
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
            if (strcmp(optarg, "svg") && strcmp(optarg, "png")) {
                cli_error(SUB, "--format: expected svg or png, found '%s'", optarg);
                return EXIT_USAGE;
            }
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
            a->opt.cluster_cell_px = strtod(optarg, &end);
            if (*end || !(a->opt.cluster_cell_px >= 4 && a->opt.cluster_cell_px <= 200)) {
                cli_error(SUB, "--cluster-cell: expected pixels in [4, 200], found '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error(SUB, "expected an AGREEMENT file");
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (!a->output) {
        cli_error(SUB, "expected -o FILE (FILE.svg, FILE.png, or - for SVG on stdout)");
        return EXIT_USAGE;
    }
    if (!a->format)
        a->format = ends_with(a->output, ".png") || ends_with(a->output, ".PNG") ? "png" : "svg";
    return -1;
}

/* Load the borders and the tracks; returns an exit status. */
static int load_layers(const map_args *a, const char *agreement, truce_borders **borders,
                       truce_gpx **gpx)
{
    int status = cli_load_borders(SUB, agreement, a->borders, a->no_borders, borders);
    for (int i = 0; i < a->ntracks && status == EXIT_OK; i++) {
        int rc = cli_load_gpx(a->tracks[i], NULL, &gpx[i]);
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
    int status = EXIT_OK;
    if (!strcmp(a->format, "png")) {
        int w = (int)a->opt.width_px, h = (int)a->opt.height_px;
        st = strcmp(a->output, "-") ? truce_svg_to_png_file(svg, len, w, h, a->output)
                                    : truce_svg_to_png(svg, len, w, h, stdout);
        if (st) {
            cli_error(SUB, "%s: writing the PNG: %s", a->output, truce_strerror(st));
            status = st == TRUCE_E_IO ? EXIT_IO : EXIT_FAILURE_;
        }
    } else {
        FILE *out = cli_open_output(SUB, a->output);
        if (!out) {
            status = EXIT_IO;
        } else {
            fwrite(svg, 1, len, out);
            status = cli_close_output(SUB, out, a->output);
        }
    }
    free(svg);
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
    if (status == EXIT_OK)
        status = cli_judge_run(&j, argv + optind + 1, argc - optind - 1, a.jo.quiet, prepare,
                               on_verdict, &c);
    /* Draw unless reading stopped on an error other than bad rows. */
    if (status == EXIT_OK || status == EXIT_BADINPUT) {
        for (size_t i = 0; i < c.n; i++) {
            c.marks[i].id = c.text.p + c.id_at[i];
            c.marks[i].label = c.text.p + c.label_at[i];
        }
        truce_map_data data = {.agreement = j.agreement,
                               .marks = c.marks,
                               .nmarks = c.n,
                               .tracks = (const truce_gpx *const *)gpx,
                               .ntracks = (size_t)a.ntracks,
                               .borders = borders};
        status = cli_worse(status, write_map(&a, &data));
    }
    for (int i = 0; gpx && i < a.ntracks; i++)
        truce_gpx_free(gpx[i]);
    free(gpx);
    truce_borders_free(borders);
    free(c.marks);
    free(c.id_at);
    free(c.label_at);
    free(c.text.p);
    free(a.tracks);
    return gpx ? cli_judge_close(&j, status) : status;
}
