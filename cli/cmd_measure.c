/* truce measure: distance, chainage and side of points against a road. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "truce/agreement.h"
#include "truce/corridor.h"
#include "truce/measure_write.h"
#include "truce/road.h"

static const char *const measure_usage =
    "usage: truce measure [--depth M] [--input FILE] [--corridor ID] ROAD\n"
    "\n"
    "Measure points against a road: the geodesic distance to it (WGS84), the\n"
    "chainage of the nearest point (metres along the road from its first\n"
    "vertex) and the side (L or R of the direction the road is drawn in).\n"
    "ROAD is a GeoJSON file with one LineString or MultiLineString, or with\n"
    "--corridor an agreement and the id of one of its corridors.\n"
    "\n"
    "Points are read as lines `lon,lat` (degrees) from stdin or --input; a first\n"
    "line `lon,lat` is a header.  Output is CSV on stdout, one row per point in\n"
    "input order:\n"
    "  lon,lat,distance_m,chainage_m,side[,inside]\n"
    "Bad lines are reported on stderr with their line number and skipped; a\n"
    "summary goes to stderr at the end.\n"
    "\n"
    "options:\n"
    "  -d, --depth M      add `inside` (1 or 0): within M metres on either side\n"
    "                     (with --corridor: overrides the corridor's depths)\n"
    "  -c, --corridor ID  ROAD is an agreement; measure against corridor ID and\n"
    "                     add `inside` with the corridor's own depths\n"
    "  -i, --input FILE   read points from FILE instead of stdin\n"
    "  -h, --help         show this help\n"
    "\n"
    "exit status: 0 ok, 2 usage, 3 bad road or bad lines (good rows are still\n"
    "written), 4 I/O error\n";

/* Whether a line holds only blanks. */
static int is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    return 1;
}

static int is_header(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return !strncmp(s, "lon", 3) && strchr(s, ',') && !strchr("0123456789+-.", s[0]);
}

/* Build the corridor from an agreement's corridor `id`. */
static int corridor_from_agreement(const char *path, const char *id, double depth,
                                   truce_corridor **out)
{
    truce_agreement *a = NULL;
    int loaded = cli_load_agreement("measure", path, &a);
    if (loaded != EXIT_OK)
        return loaded;
    const truce_corridor_def *def = truce_agreement_corridor(a, id);
    if (!def) {
        cli_error("measure", "%s: no corridor with id \"%s\"", path, id);
        truce_agreement_free(a);
        return EXIT_BADINPUT;
    }
    truce_status st = truce_corridor_from_def(def, depth, depth, out);
    truce_agreement_free(a);
    if (st) {
        cli_error("measure", "%s: corridor \"%s\": %s", path, id, truce_strerror(st));
        return cli_exit_for(st);
    }
    return EXIT_OK;
}

static int corridor_from_road(const char *path, double depth, truce_corridor **out)
{
    truce_diags diags;
    truce_diags_init(&diags);
    truce_road road;
    truce_status st = truce_road_load(path, &road, &diags);
    for (size_t i = 0; i < diags.count; i++)
        truce_diag_print(&diags.items[i], stderr);
    truce_diags_release(&diags);
    if (st) {
        cli_error("measure", "%s: %s", path, truce_strerror(st));
        return cli_exit_for(st);
    }
    double d = depth >= 0 ? depth : 0;
    st = truce_corridor_new(road.parts, road.nparts, d, d, out);
    truce_road_release(&road);
    if (st) {
        cli_error("measure", "%s: %s%s", path, truce_strerror(st),
                  st == TRUCE_E_GEOMETRY ? " (a road needs at least two distinct vertices)" : "");
        return cli_exit_for(st);
    }
    return EXIT_OK;
}

int cmd_measure(int argc, char **argv)
{
    static const struct option opts[] = {{"depth", required_argument, NULL, 'd'},
                                         {"corridor", required_argument, NULL, 'c'},
                                         {"input", required_argument, NULL, 'i'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    double depth = -1;
    const char *corridor_id = NULL, *input = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:c:i:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            if (cli_double_option("measure", "depth", optarg, "metres", 0, 1e7, &depth))
                return EXIT_USAGE;
            break;
        case 'c':
            corridor_id = optarg;
            break;
        case 'i':
            input = optarg;
            break;
        default:
            return cli_help_or_usage(ch, measure_usage);
        }
    }
    if (cli_operands("measure", measure_usage, argc, 1, 1, "expected one ROAD file"))
        return EXIT_USAGE;
    const char *road_path = argv[optind];
    truce_corridor *c = NULL;
    int rc = corridor_id ? corridor_from_agreement(road_path, corridor_id, depth, &c)
                         : corridor_from_road(road_path, depth, &c);
    if (rc)
        return rc;
    int with_inside = corridor_id || depth >= 0;

    FILE *in = stdin;
    const char *in_name = input ? input : "stdin";
    if (input && strcmp(input, "-")) {
        in = fopen(input, "r");
        if (!in) {
            cli_error("measure", "%s: %s", input, strerror(errno));
            truce_corridor_free(c);
            return EXIT_IO;
        }
    }
    truce_measure_write_header(stdout, with_inside);
    char *line = NULL;
    size_t cap = 0, lineno = 0, points = 0, bad = 0, inside_count = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, in)) != -1) {
        lineno++;
        if ((size_t)got != strlen(line)) {
            fprintf(stderr, "%s:%zu: error: a NUL byte in the line; skipped\n", in_name, lineno);
            bad++;
            continue;
        }
        if (is_blank(line) || (lineno == 1 && is_header(line)))
            continue;
        int inside = 0;
        truce_status st = truce_measure_write_row(stdout, c, line, with_inside, &inside);
        if (st) {
            fprintf(stderr, "%s:%zu: error: %s; skipped\n", in_name, lineno,
                    st == TRUCE_E_RANGE ? "lat outside [-90, 90] or lon outside [-540, 540]"
                                        : "expected `lon,lat` (two decimal numbers)");
            bad++;
            continue;
        }
        inside_count += (size_t)inside;
        points++;
    }
    int read_error = ferror(in);
    free(line);
    if (in != stdin)
        fclose(in);
    truce_corridor_free(c);
    if (read_error) {
        cli_error("measure", "%s: read error", in_name);
        return EXIT_IO;
    }
    if (with_inside)
        cli_error("measure", "%zu points (%zu inside), %zu bad lines skipped", points, inside_count,
                  bad);
    else
        cli_error("measure", "%zu points, %zu bad lines skipped", points, bad);
    cli_output out;
    cli_open_output("measure", NULL, &out); /* stdout: cannot fail */
    rc = cli_close_output(&out, 1);
    if (rc)
        return rc;
    return bad ? EXIT_BADINPUT : EXIT_OK;
}
