/* truce — the geometry types shared by agreements, corridors, zones and
 * borders.
 *
 * Coordinates are WGS84 longitude and latitude in degrees, in that order
 * (as in GeoJSON, RFC 7946 section 3.1.1), stored interleaved: lon0, lat0,
 * lon1, lat1, ...  Positions read from files have lon in [-180, 180] and
 * lat in [-90, 90]; any altitude is dropped.  Polygons follow RFC 7946:
 * edges are straight lines in longitude and latitude, each ring is closed
 * (its last vertex repeats its first) and has at least 4 vertices; the
 * first ring is the outer one, the rest are holes.
 */
#ifndef TRUCE_GEOMETRY_H
#define TRUCE_GEOMETRY_H

#include <stddef.h>

/* A polyline or a ring: n vertices.  A line read from a file has n >= 2 (a
 * road at least two distinct); a ring is closed and has n >= 4. */
typedef struct truce_line {
    double *lonlat; /* owned; 2*n doubles, interleaved lon/lat in degrees */
    size_t n;
} truce_line;

/* A polygon: rings[0] the outer ring, the rest holes. */
typedef struct truce_polygon {
    truce_line *rings; /* owned; nrings entries, each closed */
    size_t nrings;
} truce_polygon;

#endif
