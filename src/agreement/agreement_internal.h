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
/* Append a zeroed element of `size` bytes to *array (*count of them); NULL
 * (out of memory noted in c) when it cannot grow. */
void *trc_agr_grow(load_ctx *c, void **array, size_t *count, size_t size);
/* An optional string member; *out is a copy or NULL.  Returns -1 (reported)
 * when present but not a string. */
int trc_agr_opt_string(load_ctx *c, const char *item, const json_t *obj, const char *key,
                       char **out);
/* A feature's Polygon or MultiPolygon into *out (*nout polygons, owned by
 * the caller even on failure); 0, or -1 after reporting a problem. */
int trc_agr_read_polygons(load_ctx *c, const char *item, const json_t *f, truce_polygon **out,
                          size_t *nout);

/* A route's LineString (a patrol route's, an aid route's) into *out (owned
 * by the caller even on failure) and its geodesic length into *length_m:
 * at least two distinct vertices, within the corridor engine's limits;
 * problems reported. */
void trc_agr_read_route_line(load_ctx *c, const char *item, const json_t *f, truce_line *out,
                             double *length_m);

/* The humanitarian roles (agreement_aid.c): "need", "crossing", "aid_route". */
void trc_agr_read_need(load_ctx *c, const char *item, const char *id, const json_t *f,
                       const json_t *props, size_t index);
void trc_agr_read_crossing(load_ctx *c, const char *item, const char *id, const json_t *f,
                           const json_t *props, size_t index);
void trc_agr_read_aid_route(load_ctx *c, const char *item, const char *id, const json_t *f,
                            const json_t *props, size_t index);
void trc_agr_aid_release(truce_agreement *a);

/* One corridor's Feature with its built area (agreement_features.c), for
 * truce_corridors_write_geojson and truce_agreement_feature_write. */
void trc_corridor_feature_write(FILE *out, const truce_corridor_def *def, const truce_area *area);

#endif
