/* truce — country borders for maps: a GeoJSON FeatureCollection (RFC 7946)
 * of Polygon and MultiPolygon features, such as the bundled
 * data/idlib-2020/borders.geojson (Natural Earth, public domain).
 *
 * The model is plain data: read the fields directly.  Everything reachable
 * from a truce_borders is owned by it and freed by truce_borders_free.
 * Polygons are the geometry type of geometry.h: interleaved WGS84
 * longitude/latitude in degrees, rings closed.
 *
 * The file is untrusted input: it is read with jansson under a size cap,
 * every position is checked, and every problem becomes a diagnostic naming
 * the feature and the key.  Features that are not polygons are skipped with
 * a warning; a country's name is properties.name (or NAME, ADMIN, or the
 * feature's id).
 */
#ifndef TRUCE_BORDERS_H
#define TRUCE_BORDERS_H

#include <stddef.h>

#include "truce/geometry.h"
#include "truce/diag.h"
#include "truce/status.h"

/* The largest borders file read, bytes (Natural Earth 1:10m countries of the
 * whole world is about 24 MB). */
#define TRUCE_BORDERS_MAX_BYTES ((size_t)64 << 20)

typedef struct truce_country {
    char *name;              /* owned; may be NULL */
    truce_polygon *polygons; /* owned; npolygons entries (a Polygon has 1) */
    size_t npolygons;
} truce_country;

typedef struct truce_borders {
    char *path;               /* owned; the file read or the name given; may be NULL */
    truce_country *countries; /* owned; ncountries entries in file order */
    size_t ncountries;
} truce_borders;

/* Read a borders file.  Problems go to `diags` (initialised by the caller).
 * Returns TRUCE_OK with *out a new truce_borders (truce_borders_free) when
 * there are no errors; otherwise *out is NULL and the status is TRUCE_E_IO
 * (unreadable, or larger than TRUCE_BORDERS_MAX_BYTES), TRUCE_E_PARSE (not
 * JSON), TRUCE_E_INVALID (see diags) or TRUCE_E_NOMEM. */
truce_status truce_borders_load(const char *path, truce_borders **out, truce_diags *diags);

/* As truce_borders_load, from `len` bytes (need not be NUL-terminated);
 * `name` labels diagnostics (may be NULL). */
truce_status truce_borders_parse(const char *data, size_t len, const char *name,
                                 truce_borders **out, truce_diags *diags);

/* Free a truce_borders and everything it owns (NULL is a no-op). */
void truce_borders_free(truce_borders *borders);

#endif
