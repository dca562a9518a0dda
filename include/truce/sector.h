/* truce — sectors: the area an observer's sighting points to.
 *
 * A monitor rarely sees where a shell lands: "from P, heard explosions
 * 3-5 km north-east" names an observer, a bearing range and a distance band.
 * That area is a geodesic annular sector on WGS84: the points Q with
 *   distance_min_m <= s(P, Q) <= distance_max_m and
 *   azimuth(P -> Q) clockwise from bearing_min_deg to bearing_max_deg,
 * where s is the geodesic distance and the azimuth the direction of the
 * geodesic at P, degrees clockwise from true north.  Its straight edges run
 * along geodesics from the observer; its arcs are at constant geodesic
 * distance.  docs/events.md ("Sightings") and docs/classify.md describe how
 * sightings are read and judged.
 *
 * Conventions:
 * - bearings are degrees in [-360, 360]; the sector runs clockwise from
 *   bearing_min_deg to bearing_max_deg, so 350 to 20 is the 30 degrees
 *   across north.  The width is (max - min) reduced into (0, 360]: 0 to 360
 *   is the whole circle; equal bearings are refused (no area).
 * - distances are metres, 0 <= distance_min_m < distance_max_m <=
 *   TRUCE_SECTOR_MAX_DISTANCE_M.
 * - every function only reads its arguments: any number of threads may use
 *   them at once.
 */
#ifndef TRUCE_SECTOR_H
#define TRUCE_SECTOR_H

#include <stddef.h>

#include "truce/status.h"
#include "truce/zone.h"

/* The farthest sighting: 1000 km, well past anything heard or seen, and
 * short enough that no sector wraps the globe (see truce_sector_area_m2). */
#define TRUCE_SECTOR_MAX_DISTANCE_M 1e6

/* How finely truce_sector_locate settles a sector that a boundary crosses:
 * its answer is "inside" or "outside" for any sector that stays this many
 * metres clear of the boundary, and "uncertain" only within it. */
#define TRUCE_SECTOR_RESOLUTION_M 5.0

typedef struct truce_sector {
    double observer_lon;    /* degrees, in [-180, 180] */
    double observer_lat;    /* degrees, in [-90, 90] */
    double bearing_min_deg; /* degrees from true north, in [-360, 360] */
    double bearing_max_deg;
    double distance_min_m; /* metres */
    double distance_max_m;
} truce_sector;

/* Whether *sector follows the conventions above.  TRUCE_OK, or
 * TRUCE_E_RANGE with *field (static; may be NULL) naming the member at
 * fault by its schema key ("bearing_max_deg") and `why` (why_len bytes)
 * saying what is wrong. */
truce_status truce_sector_check(const truce_sector *sector, const char **field, char *why,
                                size_t why_len);

/* The clockwise width from bearing_min_deg to bearing_max_deg, degrees, in
 * (0, 360] (0 for equal bearings, which truce_sector_check refuses). */
double truce_sector_width_deg(const truce_sector *sector);

/* The point `distance_m` metres from the observer along the geodesic that
 * leaves it at `bearing_deg`: (*lon, *lat) in degrees, lon in [-180, 180]. */
void truce_sector_point(const truce_sector *sector, double bearing_deg, double distance_m,
                        double *lon, double *lat);

/* The sector's area, m^2, on WGS84.  In geodesic polar coordinates about
 * the observer (distance s, azimuth a) the element of area is m(s, a) ds da
 * with m the reduced length of the geodesic (Karney 2013, "Algorithms for
 * geodesics", J. Geodesy 87, eq. 7 and section 3), so the area is the double
 * integral of m over the band and the bearings, done by Gauss-Legendre
 * quadrature with PROJ's m12.  m is smooth for s below the conjugate
 * point (some 20,000 km away), so 16 nodes in s and 16 per 45 degrees of
 * bearing are exact to about 1e-12.  TRUCE_E_RANGE for a sector that
 * truce_sector_check refuses. */
truce_status truce_sector_area_m2(const truce_sector *sector, double *area_m2);

/* A disk that covers the sector: centre (*lon, *lat) and radius *radius_m.
 * A sector of 180 degrees or more is covered from the observer with
 * distance_max_m; a narrower one from the point at the middle bearing and
 * the middle distance, with the farthest of 17 points along each arc and
 * edge of its boundary plus half their spacing.  Events that carry a
 * sector are located at this disk for everything that wants a place and a
 * radius (statistics, maps, duplicates).  TRUCE_E_RANGE as above. */
truce_status truce_sector_disk(const truce_sector *sector, double *lon, double *lat,
                               double *radius_m);

/* The sector's boundary as a closed ring, counter-clockwise (RFC 7946's
 * right-hand rule): the outer arc from bearing_min to bearing_max, the edge
 * in, the inner arc back (or the observer when distance_min_m is 0), the
 * edge out, and the first vertex again.  Consecutive vertices are at most
 * about `step_m` metres apart along the arcs and edges (step_m > 0; at
 * least 2 vertices an arc per degree of width).  Writes up to `cap`
 * vertices (2 * cap doubles, lon/lat interleaved, lon in [-180, 180]) and
 * returns the ring's number of vertices, so a call with cap 0 asks for the
 * size.  0 for a sector truce_sector_check refuses or step_m <= 0. */
size_t truce_sector_ring(const truce_sector *sector, double step_m, double *lonlat, size_t cap);

/* Where a disk (centre lon, lat; radius_m) stands against a region:
 * inside, outside, or uncertain when it straddles the region's boundary.
 * A zone (truce_zone_locate) or a corridor (truce_corridor_locate) is such a
 * test; `ctx` is the caller's.  A status other than TRUCE_OK stops the
 * search and is returned by truce_sector_locate. */
typedef truce_status (*truce_disk_test)(void *ctx, double lon, double lat, double radius_m,
                                        truce_position *position);

/* Where the sector stands against the region `test` decides: inside (all of
 * it), outside (none of it) or uncertain, and the fraction of its area
 * inside, in [0, 1] (exactly 1 inside and 0 outside).  The sector is cut
 * into cells in (distance, bearing), each covered by a disk: a cell whose
 * disk is inside or outside is settled, the others are halved until their
 * disks are TRUCE_SECTOR_RESOLUTION_M across; those count for the fraction
 * by their centres.  `margin_m` (>= 0) widens every disk, for an observer
 * whose own position is uncertain.  Cost: a test per cell, a few hundred
 * for a sector a boundary crosses, a few for one it does not.
 * TRUCE_E_RANGE for a bad sector, or the test's own failure. */
truce_status truce_sector_locate(const truce_sector *sector, double margin_m, truce_disk_test test,
                                 void *ctx, truce_position *position, double *fraction_inside);

#endif
