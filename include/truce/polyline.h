/* truce — a polyline measured along its geodesics: the part of it between
 * two chainages (a stretch of a patrol route, for maps).
 *
 * A polyline is n WGS84 vertices, interleaved lon0, lat0, lon1, lat1, ...
 * (degrees), each segment the shortest geodesic between its vertices, as a
 * road in corridor.h; chainage is metres along it from its first vertex.
 */
#ifndef TRUCE_POLYLINE_H
#define TRUCE_POLYLINE_H

#include <stddef.h>

#include "truce/status.h"

/* The part of the polyline `lonlat` (n >= 2 vertices) from chainage from_m
 * to to_m: the point at from_m, the vertices strictly between, the point at
 * to_m (points on a segment are on its geodesic, PROJ's geod_position).
 * Chainages are clamped to [0, length]; from_m == to_m gives two equal
 * points.  The caller's `out` has room for 2 * (n + 2) doubles; *count is
 * set to the vertices written (at least 2).  Longitudes come back in
 * [-180, 180].  Returns TRUCE_E_ARG for NULL arguments, n < 2, chainages
 * that are not numbers or from_m > to_m. */
truce_status truce_polyline_slice(const double *lonlat, size_t n, double from_m, double to_m,
                                  double *out, size_t *count);

#endif
