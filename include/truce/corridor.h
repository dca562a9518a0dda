/* truce — corridors: a road and a depth on each side of it.
 *
 * A road is a polyline of WGS84 longitude/latitude vertices (degrees,
 * interleaved lon0, lat0, lon1, lat1, ...); each segment is the shortest
 * geodesic between its vertices, and a road may have several parts (a GeoJSON
 * MultiLineString).  A corridor is a road with a depth left and right of its
 * direction of travel, in metres.  docs/corridor.md is the full model.
 *
 * measure: for a point, the geodesic distance to the nearest point of the
 * road, the chainage of that point (metres along the road from its first
 * vertex), the side and the segment.  Distances are WGS84 geodesics computed
 * with PROJ's <geodesic.h> (Karney's algorithms); the nearest point is solved
 * to well under a micrometre.
 *
 * decide: inside (distance <= the depth of the point's side) or outside.
 * It gives exactly the answer measure would give; an index over the road and
 * proven bounds (docs/corridor.md, "The bounds") settle most points without
 * solving for the nearest point at all.
 *
 * Conventions (docs/corridor.md):
 * - tie rule: when stretches of road are equally near (distances that agree
 *   to TRUCE_CORRIDOR_TIE_M), the nearest point with the smallest chainage
 *   wins; at a vertex shared by two segments that is the earlier segment.
 * - side: the sign of the angle from the road's direction at the nearest
 *   point to the geodesic from there to the point: right when it is in
 *   (0, 180) degrees, left when it is in (-180, 0).  At an interior vertex the
 *   road's direction is the bisector of the arriving and leaving directions;
 *   at an end it is the direction of the end segment.  A point on the road
 *   (closer than TRUCE_CORRIDOR_TIE_M), or exactly on the line of an end
 *   segment extended, is on the right.
 * - zero-length segments (repeated vertices) are skipped; a road part needs
 *   at least two distinct vertices.
 * - chainage runs through the parts in order; the gaps between parts do not
 *   count.  Segments are numbered 0, 1, ... over all parts in order, counting
 *   only the segments of non-zero length.
 *
 * A corridor handle is immutable after truce_corridor_new, so any number of
 * threads may measure and decide with one handle at the same time.
 */
#ifndef TRUCE_CORRIDOR_H
#define TRUCE_CORRIDOR_H

#include <stddef.h>
#include <stdio.h>

#include "truce/geometry.h"
#include "truce/status.h"
#include "truce/zone.h"

/* Distances that agree to this many metres are equally near (tie rule). */
#define TRUCE_CORRIDOR_TIE_M 1e-7

/* The largest road the engine takes, all parts together: at most
 * TRUCE_ROAD_MAX_VERTICES vertices (repeated ones count) and
 * TRUCE_ROAD_MAX_LENGTH_M metres of geodesic length.  Each segment becomes
 * ceil(length / 1 km) pieces of about 600 bytes, so a road within both is
 * at most a million pieces, some 600 MB.  A zone's rings are measured
 * against as such a road (zone.h), and patrol routes are too, so the
 * agreement loader refuses any zone, corridor or route past these, naming
 * it and the limit.  Measured (Release build): a zone of 500,000 vertices
 * took 490 MB and 10 s to set up for classify; Natural Earth's 1:10m
 * borders have a few thousand vertices a country, a highway a few
 * thousand, the finest national boundaries some 100,000. */
#define TRUCE_ROAD_MAX_VERTICES 500000
#define TRUCE_ROAD_MAX_LENGTH_M 5e8

typedef struct truce_corridor truce_corridor;

typedef enum truce_side { TRUCE_SIDE_LEFT = -1, TRUCE_SIDE_RIGHT = 1 } truce_side;

/* One part of a road: n vertices, interleaved lon/lat in degrees. */
typedef struct truce_road_part {
    const double *lonlat; /* 2*n doubles: lon in [-540, 540), lat in [-90, 90] */
    size_t n;
} truce_road_part;

/* What measure finds for one point. */
typedef struct truce_measure {
    double distance_m; /* geodesic distance to the road, metres, >= 0 */
    double chainage_m; /* metres along the road to the nearest point */
    truce_side side;
    size_t segment; /* index of the segment holding the nearest point */
    size_t part;    /* index of the road part holding it */
} truce_measure;

/* Build a corridor over a road of `nparts` parts with depths `left_m` and
 * `right_m` (metres, finite, in [0, 1e7], as agreements allow).  The vertices are copied.
 * Returns TRUCE_E_ARG for NULL pointers, no parts or a bad depth;
 * TRUCE_E_RANGE for a coordinate that is not finite or out of range, or a
 * road past TRUCE_ROAD_MAX_VERTICES or TRUCE_ROAD_MAX_LENGTH_M;
 * TRUCE_E_GEOMETRY when a part has fewer than two distinct vertices;
 * TRUCE_E_NOMEM.  On success *out is a new handle (truce_corridor_free). */
truce_status truce_corridor_new(const truce_road_part *parts, size_t nparts, double left_m,
                                double right_m, truce_corridor **out);

/* Free a corridor (NULL is a no-op). */
void truce_corridor_free(truce_corridor *corridor);

/* The geodesic length of the road (all parts), metres. */
double truce_corridor_length_m(const truce_corridor *corridor);

/* The depths the corridor was built with, metres. */
double truce_corridor_left_m(const truce_corridor *corridor);
double truce_corridor_right_m(const truce_corridor *corridor);

/* Measure one point (lon, lat in degrees; lat in [-90, 90], lon finite).
 * Returns TRUCE_E_RANGE for a coordinate out of range (and leaves *out
 * untouched). */
truce_status truce_corridor_measure(const truce_corridor *corridor, double lon, double lat,
                                    truce_measure *out);

/* Measure answers come from a fast path within a proven 1e-7 m of the exact
 * solve (chainage within 1e-6 m; side, segment and inside/outside
 * identical), and from the exact solve wherever that bound cannot be
 * proved for the point (docs/corridor.md, "The fast path").  set_exact(corridor, 1) turns the
 * fast path off (for checks; not while other threads measure);
 * fallbacks() counts the points measured by the exact solve while the fast
 * path was on, since the corridor was built (any thread). */
void truce_corridor_set_exact(truce_corridor *corridor, int exact);
size_t truce_corridor_fallbacks(const truce_corridor *corridor);

/* Where a disk stands against the corridor, from `m`, what
 * truce_corridor_measure gives for its centre, and its radius (metres,
 * >= 0): inside when all of it is within the depth of the centre's side,
 * outside when none of it is, else uncertain.  A disk that reaches across
 * the road (m->distance_m < radius_m) covers both sides: inside only within
 * the smaller depth, outside only beyond the larger. */
truce_position truce_corridor_disk_position(const truce_corridor *corridor, const truce_measure *m,
                                            double radius_m);

/* Decide one point: *inside is 1 when the point's distance is at most the
 * depth of its side, else 0.  Always the answer truce_corridor_measure
 * implies.  TRUCE_E_RANGE as for measure. */
truce_status truce_corridor_decide(const truce_corridor *corridor, double lon, double lat,
                                   int *inside);

/* Whether a point is within `distance_m` (metres, >= 0) of the road,
 * whatever the corridor's depths: *within is 1 when the geodesic distance
 * measure would give is at most distance_m.  Settled by the index and the
 * bounds where they can, by the exact solve where they cannot. */
truce_status truce_corridor_within(const truce_corridor *corridor, double lon, double lat,
                                   double distance_m, int *within);

/* Batch forms over `n` points (interleaved lon/lat).  out[i] / inside[i] is
 * the answer for point i.  A point out of range gets a NaN distance (measure)
 * or 0 (decide), and the function returns TRUCE_E_RANGE after doing all the
 * others; otherwise TRUCE_OK. */
truce_status truce_corridor_measure_batch(const truce_corridor *corridor, const double *lonlat,
                                          size_t n, truce_measure *out);
truce_status truce_corridor_decide_batch(const truce_corridor *corridor, const double *lonlat,
                                         size_t n, unsigned char *inside);

/* The corridor as an area: polygons in longitude/latitude (RFC 7946: straight
 * edges in longitude and latitude, outer rings counter-clockwise, holes
 * clockwise, no polygon crosses the antimeridian). */
typedef struct truce_area {
    truce_polygon *polygons; /* owned (geometry.h) */
    size_t npolygons;
} truce_area;

/* Build the corridor's area: every point within the depth of its side of the
 * road, built geodesically (offsets with geod_direct, round ends and joins,
 * the union where the road comes back on itself) with vertices on the true
 * boundary and edges within `tolerance_m` (metres, in [0.001, 100]) of it.
 * For unequal depths, where the road comes within the larger depth of itself
 * the area is the union of each stretch's own strips (docs/corridor.md).
 * Returns TRUCE_E_UNSUPPORTED when the area would contain a pole (it has no
 * RFC 7946 polygon), TRUCE_E_INTERNAL when GEOS fails, TRUCE_E_NOMEM.
 * On success release *out with truce_area_release. */
truce_status truce_corridor_area(const truce_corridor *corridor, double tolerance_m,
                                 truce_area *out);

/* Free what an area owns; it is empty afterwards. */
void truce_area_release(truce_area *area);

/* Write an area as a GeoJSON geometry (Polygon when it has one polygon,
 * MultiPolygon otherwise) with `decimals` decimals (1..15; 9 is 0.1 mm). */
truce_status truce_area_write_geojson(const truce_area *area, int decimals, FILE *out);

#endif
