/* truce corridor: the corridors of an agreement as polygons (GeoJSON). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "truce/agreement.h"
#include "truce/corridor_geojson.h"

static const char *const corridor_usage =
    "usage: truce corridor [-o FILE] [--tolerance M] AGREEMENT\n"
    "\n"
    "Write the area of each corridor of an agreement (every point within the\n"
    "depth of its side of the road) as a GeoJSON FeatureCollection: one\n"
    "Feature per corridor with a Polygon or MultiPolygon, built geodesically on\n"
    "WGS84 with round ends and joins; its vertices lie on the true boundary and\n"
    "its edges within the tolerance of it.  Properties: corridor, name, left_m,\n"
    "right_m, from, until (as written; null when open).\n"
    "\n"
    "options:\n"
    "  -o, --output FILE  write to FILE instead of stdout\n"
    "  -t, --tolerance M  how far an edge may stray from the true boundary,\n"
    "                     metres (default 0.1)\n"
    "  -h, --help         show this help\n"
    "\n"
    "exit status: 0 ok, 2 usage, 3 invalid agreement or a corridor with no\n"
    "polygon (around a pole), 4 I/O error\n";

int cmd_corridor(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"tolerance", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *output = NULL;
    double tol = 0.1;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "o:t:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'o':
            output = optarg;
            break;
        case 't':
            if (cli_double_option("corridor", "tolerance", optarg, "metres", 0.001, 100, &tol))
                return EXIT_USAGE;
            break;
        default:
            return cli_help_or_usage(ch, corridor_usage);
        }
    }
    if (cli_operands("corridor", corridor_usage, argc, 1, 1, "expected one AGREEMENT file"))
        return EXIT_USAGE;
    const char *path = argv[optind];
    truce_agreement *a = NULL;
    int loaded = cli_load_agreement("corridor", path, &a);
    if (loaded != EXIT_OK)
        return loaded;
    cli_output o;
    int rc = cli_open_output("corridor", output, &o);
    if (rc != EXIT_OK) {
        truce_agreement_free(a);
        return rc;
    }
    size_t failed = a->ncorridors;
    truce_status st = truce_corridors_write_geojson(o.f, a, tol, &failed);
    if (st && st != TRUCE_E_IO) {
        cli_error("corridor", "%s: corridor \"%s\": %s%s", path,
                  failed < a->ncorridors ? a->corridors[failed].id : "(none)", truce_strerror(st),
                  st == TRUCE_E_UNSUPPORTED
                      ? " (the area contains a pole or wraps the globe: no GeoJSON polygon)"
                      : "");
        rc = cli_exit_for(st);
    }
    truce_agreement_free(a);
    /* a corridor that could not be written stops the list: keep the old file */
    int crc = cli_close_output(&o, rc == EXIT_OK);
    return rc ? rc : crc;
}
