/* Internal to the agreement loader: the parse context shared by its files. */
#ifndef TRUCE_AGREEMENT_INTERNAL_H
#define TRUCE_AGREEMENT_INTERNAL_H

#include <geodesic.h>
#include <geos_c.h>
#include <jansson.h>

#include "truce/agreement.h"

typedef struct load_ctx {
    const char *file;   /* label for diagnostics; may be NULL */
    truce_diags *diags; /* where problems go */
    truce_agreement *a; /* being filled */
    GEOSContextHandle_t geos;
    struct geod_geodesic wgs84;
    int nomem; /* set when an allocation failed */
} load_ctx;

/* Report an error about `item` (e.g. `feature "m4"`) and `key`. */
void agr_error(load_ctx *c, const char *item, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void agr_warning(load_ctx *c, const char *item, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* A short description of a JSON value for "found ..." in messages. */
void agr_describe(const json_t *v, char *buf, size_t size);

/* Geometry readers (agreement_geometry.c).  Each returns 0 on success, -1
 * after reporting what is wrong.  `key` names the member read ("geometry"). */
int agr_read_position(load_ctx *c, const char *item, const char *key, const json_t *pos,
                      size_t index, double out[2]);
int agr_read_line(load_ctx *c, const char *item, const char *key, const json_t *coords,
                  truce_line *out);
int agr_read_polygon(load_ctx *c, const char *item, const char *key, const json_t *rings,
                     truce_polygon *out);
/* Check a zone's polygons with GEOS (self-intersection and the like) and
 * compute their geodesic area. */
int agr_check_zone(load_ctx *c, const char *item, truce_zone *zone);
/* Geodesic length of a polyline, metres. */
double agr_line_length_m(const load_ctx *c, const truce_line *line);
/* Check a zone's rings, a corridor's road or a route against the corridor
 * engine's limits (truce/corridor.h): `nvertices` over all its lines and
 * their geodesic `length_m` (pass 0 to check the vertices alone, before
 * anything is measured).  0 when within, else -1 after an error naming the
 * feature and the limit. */
int agr_check_road_size(load_ctx *c, const char *item, size_t nvertices, double length_m);
/* Whether a line has at least two distinct vertices. */
int agr_has_two_distinct(const truce_line *line);

void agr_line_release(truce_line *line);
void agr_polygon_release(truce_polygon *poly);

#endif
