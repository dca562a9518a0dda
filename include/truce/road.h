/* truce — reading roads and points for corridors.
 *
 * A road file is GeoJSON (RFC 7946) holding one line: a LineString or
 * MultiLineString geometry, a Feature with one, or a FeatureCollection with
 * exactly one such Feature.  Positions are [lon, lat] with lon in
 * [-180, 180] and lat in [-90, 90]; further elements (an altitude) are
 * ignored.  The geometry is read as agreements are (geometry.h).
 * Point lines are "lon,lat" as used by `truce measure`.
 */
#ifndef TRUCE_ROAD_H
#define TRUCE_ROAD_H

#include <stddef.h>

#include "truce/corridor.h"
#include "truce/diag.h"
#include "truce/status.h"

/* A road read from a file: parts[i].lonlat point into `coords`. */
typedef struct truce_road {
    truce_road_part *parts; /* owned; nparts entries */
    size_t nparts;
    double *coords; /* owned; every part's vertices */
    char *name;     /* owned; properties.name of the Feature, or NULL */
} truce_road;

/* Parse a road from `len` bytes of GeoJSON; `name` labels diagnostics (may be
 * NULL).  Every problem is appended to `diags`.  Returns TRUCE_OK and fills
 * *out (release with truce_road_release), or TRUCE_E_PARSE (not JSON),
 * TRUCE_E_INVALID (see diags) or TRUCE_E_NOMEM; *out is then empty.
 * Repeated vertices are kept (truce_corridor_new skips them); a part with
 * fewer than two positions is an error, and so are more than
 * TRUCE_ROAD_MAX_VERTICES vertices in all (corridor.h). */
truce_status truce_road_parse(const char *data, size_t len, const char *name, truce_road *out,
                              truce_diags *diags);

/* As truce_road_parse, from a file; TRUCE_E_IO when it cannot be read. */
truce_status truce_road_load(const char *path, truce_road *out, truce_diags *diags);

/* Free what a road owns; it is empty afterwards. */
void truce_road_release(truce_road *road);

/* Parse one point line "lon,lat" (spaces or tabs around either number and a
 * trailing CR are allowed; nothing else).  Returns TRUCE_E_PARSE when it is
 * not two decimal numbers separated by a comma, TRUCE_E_RANGE when lat is
 * outside [-90, 90] or lon outside [-540, 540]. */
truce_status truce_lonlat_parse(const char *line, double *lon, double *lat);

#endif
