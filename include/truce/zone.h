/* truce — zones: is a reported place inside an agreement's polygon, outside,
 * or uncertain because the report's own imprecision straddles the boundary?
 *
 * A zone's polygons follow RFC 7946: edges are straight lines in longitude
 * and latitude.  Membership of the point is decided in that plane (even-odd
 * over all rings, so holes and multipolygons need no special case).  When the
 * report has an uncertainty radius r, the answer is "uncertain" where the
 * geodesic distance from the point to the zone's boundary is at most r: the
 * disk of possible places then reaches the boundary.
 *
 * The distance to the boundary treats each edge as a geodesic (the corridor
 * engine, corridor.h).  An RFC 7946 edge and the geodesic between its ends
 * differ by at most about L^2 tan(lat) / (8 R) for an edge of length L
 * (Natural Earth 1:10m edges, L <= 2 km near 36 N: under 0.06 m), far below
 * the kilometre-scale radii of imprecise reports.
 */
#ifndef TRUCE_ZONE_H
#define TRUCE_ZONE_H

#include "truce/geometry.h"
#include "truce/status.h"

/* Where a place stands relative to a zone or a corridor. */
typedef enum truce_position {
    TRUCE_POS_OUTSIDE = 0,
    TRUCE_POS_INSIDE = 1,
    TRUCE_POS_UNCERTAIN = 2 /* the uncertainty disk crosses the boundary */
} truce_position;

/* "outside", "inside", "uncertain". */
const char *truce_position_name(truce_position position);

typedef struct truce_zone_index truce_zone_index;

/* Prepare a zone -- `npolygons` polygons, an agreement's zone's `polygons`
 * (agreement.h) or any others -- for queries.  The coordinates are copied;
 * *out is a new index (truce_zone_index_free).  TRUCE_E_ARG for a NULL `out`,
 * or NULL `polygons` with `npolygons` > 0; TRUCE_E_GEOMETRY for a zone
 * without rings, TRUCE_E_RANGE for rings past
 * the corridor engine's limits (TRUCE_ROAD_MAX_VERTICES and
 * TRUCE_ROAD_MAX_LENGTH_M, all rings together: the agreement loader refuses
 * such a zone), TRUCE_E_NOMEM.  Memory: about 600 bytes a vertex for the
 * boundary's pieces and index (docs/classify.md), and at most 8 copies of
 * each edge for the inside test. */
truce_status truce_zone_index_new(const truce_polygon *polygons, size_t npolygons,
                                  truce_zone_index **out);

void truce_zone_index_free(truce_zone_index *index);

/* Locate a place (lon, lat in degrees) with an uncertainty radius (metres,
 * >= 0; 0 for an exact place).  *position gets the answer; *boundary_m (may
 * be NULL) is -1: the distance is measured on request by
 * truce_zone_boundary_m, since the answer rarely needs it.  TRUCE_E_RANGE for a coordinate or
 * radius out of range. */
truce_status truce_zone_locate(const truce_zone_index *index, double lon, double lat,
                               double radius_m, truce_position *position, double *boundary_m);

/* The geodesic distance from a place to the zone's boundary, metres. */
truce_status truce_zone_boundary_m(const truce_zone_index *index, double lon, double lat,
                                   double *distance_m);

#endif
