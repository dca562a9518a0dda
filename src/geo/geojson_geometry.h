/* Internal: the one reader of GeoJSON geometry (RFC 7946) from a jansson
 * tree into the types of truce/geometry.h, used by the agreement loader,
 * roads and borders.  Every problem becomes a diagnostic naming the item
 * (e.g. `feature "m4"`), the key and what was expected; the readers go on
 * past a bad position so that all of them are reported. */
#ifndef TRUCE_GEOJSON_GEOMETRY_H
#define TRUCE_GEOJSON_GEOMETRY_H

#include <jansson.h>
#include <stddef.h>

#include "truce/diag.h"
#include "truce/geometry.h"

/* Where a reader reports. */
typedef struct truce_geojson_ctx {
    const char *file;   /* label for diagnostics; may be NULL */
    truce_diags *diags; /* where problems go */
    int nomem;          /* set when an allocation failed */
} truce_geojson_ctx;

/* Report an error or a warning about `item` (may be NULL) and `key`. */
void truce_geojson_error(truce_geojson_ctx *g, const char *item, const char *key, const char *fmt,
                         ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void truce_geojson_warning(truce_geojson_ctx *g, const char *item, const char *key, const char *fmt,
                           ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* A short description of a JSON value for "found ..." in messages. */
void truce_json_describe(const json_t *v, char *buf, size_t size);

/* The coordinates of a geometry object whose type is `single` or (when not
 * NULL) `multi`; *is_multi says which.  NULL after reporting a geometry that
 * is not an object, has another type, or has no array of coordinates (keys
 * "geometry", "geometry.type", "geometry.coordinates"). */
const json_t *truce_geojson_coordinates(truce_geojson_ctx *g, const char *item,
                                        const json_t *geometry, const char *single,
                                        const char *multi, int *is_multi);

/* Each reader returns 0 on success, -1 after reporting what is wrong (or
 * setting g->nomem).  `key` names the member read ("geometry").
 * A position is [lon, lat(, alt...)] with lon in [-180, 180] and lat in
 * [-90, 90]; `index` is its place in its line, for messages. */
int truce_geojson_position(truce_geojson_ctx *g, const char *item, const char *key,
                           const json_t *pos, size_t index, double out[2]);
/* An array of positions (a LineString's or MultiPoint's coordinates; any
 * count).  *out is owned by the caller even on failure. */
int truce_geojson_line(truce_geojson_ctx *g, const char *item, const char *key,
                       const json_t *coords, truce_line *out);
/* A Polygon's coordinates: at least one ring, each closed and of at least
 * 4 positions.  *out is owned by the caller even on failure. */
int truce_geojson_polygon(truce_geojson_ctx *g, const char *item, const char *key,
                          const json_t *rings, truce_polygon *out);

/* Free what a line or polygon owns; it is empty afterwards. */
void truce_line_release(truce_line *line);
void truce_polygon_release(truce_polygon *poly);

#endif
