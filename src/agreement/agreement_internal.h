/* Internal to the agreement loader: the parse context shared by its files. */
#ifndef TRUCE_AGREEMENT_INTERNAL_H
#define TRUCE_AGREEMENT_INTERNAL_H

#include <geodesic.h>
#include <geos_c.h>
#include <jansson.h>

#include "geo/geojson_geometry.h"
#include "truce/agreement.h"
#include "truce/corridor.h"

typedef struct load_ctx {
    truce_geojson_ctx geo; /* the file, where problems go, out of memory */
    truce_agreement *a;    /* being filled */
    GEOSContextHandle_t geos;
    struct geod_geodesic wgs84;
} load_ctx;

/* Check a zone's polygons with GEOS (self-intersection and the like) and
 * compute their geodesic area. */
int trc_agr_check_zone(load_ctx *c, const char *item, truce_zone *zone);
/* Geodesic length of a polyline, metres. */
double trc_agr_line_length_m(const load_ctx *c, const truce_line *line);
/* Check a zone's rings, a corridor's road or a route against the corridor
 * engine's limits (truce/corridor.h): `nvertices` over all its lines and
 * their geodesic `length_m` (pass 0 to check the vertices alone, before
 * anything is measured).  0 when within, else -1 after an error naming the
 * feature and the limit. */
int trc_agr_check_road_size(load_ctx *c, const char *item, size_t nvertices, double length_m);
/* Whether a line has at least two distinct vertices. */
int trc_agr_has_two_distinct(const truce_line *line);

/* One corridor's Feature with its built area (agreement_features.c), for
 * truce_corridors_write_geojson and truce_agreement_feature_write. */
void trc_corridor_feature_write(FILE *out, const truce_corridor_def *def, const truce_area *area);

#endif
