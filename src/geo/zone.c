/* Zone membership with uncertainty: see truce/zone.h. */
#include "truce/zone.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "truce/corridor.h"

#include "base/alloc.h"

/* One edge of a ring for the crossing test: from vertex i (x1, y1) back to
 * vertex j = i - 1 (x0, y0), as the test walks the ring. */
typedef struct zone_edge {
    double x1, y1, x0, y0;
} zone_edge;

struct truce_zone_index {
    double min_lon, max_lon, min_lat, max_lat;
    truce_corridor *boundary; /* the rings as geodesic polylines */
    /* The crossing test's edges by latitude band: band b holds every edge
     * whose latitude range meets it, at edges[band_start[b]] up to
     * edges[band_start[b + 1]] (an edge is copied into each band it meets). */
    zone_edge *edges;
    size_t *band_start; /* nbands + 1 */
    size_t nbands;
    double inv_band; /* bands per degree of latitude */
};

const char *truce_position_name(truce_position p)
{
    switch (p) {
    case TRUCE_POS_INSIDE:
        return "inside";
    case TRUCE_POS_UNCERTAIN:
        return "uncertain";
    default:
        return "outside";
    }
}

void truce_zone_index_free(truce_zone_index *z)
{
    if (!z)
        return;
    trc_free(z->edges);
    trc_free(z->band_start);
    truce_corridor_free(z->boundary);
    trc_free(z);
}

/* The band of latitude `lat`: monotone in lat, so an edge whose latitudes
 * span [y_lo, y_hi] meets every band from band_of(y_lo) to band_of(y_hi). */
static size_t band_of(const truce_zone_index *z, double lat)
{
    double f = (lat - z->min_lat) * z->inv_band;
    if (!(f > 0))
        return 0;
    return f >= (double)(z->nbands - 1) ? z->nbands - 1 : (size_t)f;
}

/* An edge is copied into every band it meets, so a ring whose edges each
 * span most of the zone's height (a comb) would copy each into most of the
 * bands: n^2 / 2 copies for n edges.  The bands are halved until the copies
 * are at most BAND_COPIES per edge; the crossing test then sees more edges
 * per band on such a ring, never a different answer. */
#define BAND_COPIES 8

/* The edge copies `nbands` bands over the zone's height would hold. */
static size_t band_copies(truce_zone_index *z, const truce_polygon *polygons, size_t npolygons,
                          size_t nbands)
{
    double height = z->max_lat - z->min_lat;
    z->nbands = nbands;
    z->inv_band = height > 0 ? (double)nbands / height : 0;
    size_t total = 0;
    for (size_t p = 0; p < npolygons; p++)
        for (size_t r = 0; r < polygons[p].nrings; r++) {
            const truce_line *ring = &polygons[p].rings[r];
            const double *v = ring->lonlat;
            for (size_t i = 0, j = ring->n - 1; i < ring->n; j = i++)
                total += band_of(z, fmax(v[2 * i + 1], v[2 * j + 1])) -
                         band_of(z, fmin(v[2 * i + 1], v[2 * j + 1])) + 1;
        }
    return total;
}

/* Sort the edges of every ring into latitude bands (about two edges per
 * band, fewer bands where edges are tall: BAND_COPIES), counting first and
 * then filling. */
static truce_status build_bands(truce_zone_index *z, const truce_polygon *polygons,
                                size_t npolygons, size_t nedges)
{
    size_t nbands = nedges / 2 + 1;
    while (nbands > 1 && band_copies(z, polygons, npolygons, nbands) > BAND_COPIES * nedges)
        nbands /= 2;
    band_copies(z, polygons, npolygons, nbands);
    z->band_start = trc_calloc(z->nbands + 1, sizeof *z->band_start);
    if (!z->band_start)
        return TRUCE_E_NOMEM;
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t p = 0; p < npolygons; p++)
            for (size_t r = 0; r < polygons[p].nrings; r++) {
                const truce_line *ring = &polygons[p].rings[r];
                const double *v = ring->lonlat;
                for (size_t i = 0, j = ring->n - 1; i < ring->n; j = i++) {
                    zone_edge e = {v[2 * i], v[2 * i + 1], v[2 * j], v[2 * j + 1]};
                    size_t b0 = band_of(z, fmin(e.y0, e.y1)), b1 = band_of(z, fmax(e.y0, e.y1));
                    for (size_t b = b0; b <= b1; b++) {
                        if (pass == 0)
                            total++, z->band_start[b + 1]++;
                        else
                            z->edges[z->band_start[b + 1]++] = e;
                    }
                }
            }
        if (pass == 0) {
            /* band_start[b + 1] now counts band b: make it band b's start,
             * which the fill pass advances to band b's end. */
            for (size_t b = 1; b <= z->nbands; b++)
                z->band_start[b] += z->band_start[b - 1];
            memmove(z->band_start + 1, z->band_start, z->nbands * sizeof *z->band_start);
            z->band_start[0] = 0;
            if (!(z->edges = trc_malloc((total ? total : 1) * sizeof *z->edges)))
                return TRUCE_E_NOMEM;
        }
    }
    return TRUCE_OK;
}

truce_status truce_zone_index_new(const truce_polygon *polygons, size_t npolygons,
                                  truce_zone_index **out)
{
    if ((!polygons && npolygons) || !out)
        return TRUCE_E_ARG;
    *out = NULL;
    size_t nrings = 0, nverts = 0;
    for (size_t p = 0; p < npolygons; p++)
        for (size_t r = 0; r < polygons[p].nrings; r++) {
            nrings++;
            nverts += polygons[p].rings[r].n;
        }
    if (nrings == 0)
        return TRUCE_E_GEOMETRY;
    truce_zone_index *z = trc_calloc(1, sizeof *z);
    truce_road_part *parts = trc_calloc(nrings, sizeof *parts);
    if (!z || !parts) {
        trc_free(parts);
        truce_zone_index_free(z);
        return TRUCE_E_NOMEM;
    }
    z->min_lon = z->min_lat = HUGE_VAL;
    z->max_lon = z->max_lat = -HUGE_VAL;
    size_t k = 0;
    for (size_t p = 0; p < npolygons; p++)
        for (size_t r = 0; r < polygons[p].nrings; r++) {
            const truce_line *ring = &polygons[p].rings[r];
            parts[k++] = (truce_road_part){ring->lonlat, ring->n};
            for (size_t i = 0; i < ring->n; i++) {
                double lon = ring->lonlat[2 * i], lat = ring->lonlat[2 * i + 1];
                z->min_lon = fmin(z->min_lon, lon);
                z->max_lon = fmax(z->max_lon, lon);
                z->min_lat = fmin(z->min_lat, lat);
                z->max_lat = fmax(z->max_lat, lat);
            }
        }
    truce_status st = build_bands(z, polygons, npolygons, nverts);
    if (st == TRUCE_OK) {
        /* The corridor copies the vertices. */
        st = truce_corridor_new(parts, nrings, 0, 0, &z->boundary);
        if (st != TRUCE_OK && st != TRUCE_E_NOMEM && st != TRUCE_E_RANGE)
            st = TRUCE_E_GEOMETRY;
    }
    trc_free(parts);
    if (st != TRUCE_OK) {
        truce_zone_index_free(z);
        return st;
    }
    *out = z;
    return TRUCE_OK;
}

/* Even-odd crossing test in the lon/lat plane (RFC 7946 edges).  A point
 * exactly on an edge may fall either way; callers with an uncertainty radius
 * see it as uncertain, and an exact place on a boundary line is a tie that no
 * report's precision resolves.
 *
 * Only the edges of the point's latitude band are tested: an edge outside it
 * has both ends above or both at or below the point's latitude, so it could
 * not toggle.  Each tested edge is the same expression on the same vertices
 * as a walk over every ring, and parity does not depend on the order, so the
 * answer is the full walk's.  (The full walk over the bundled zone's 311
 * edges was 0.3 us a point, a tenth of classify's time.) */
static int contains(const truce_zone_index *z, double lon, double lat)
{
    if (lon < z->min_lon || lon > z->max_lon || lat < z->min_lat || lat > z->max_lat)
        return 0;
    int inside = 0;
    size_t b = band_of(z, lat);
    for (size_t k = z->band_start[b]; k < z->band_start[b + 1]; k++) {
        const zone_edge *e = &z->edges[k];
        double xi = e->x1, yi = e->y1, xj = e->x0, yj = e->y0;
        if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
            inside = !inside;
    }
    return inside;
}

truce_status truce_zone_locate(const truce_zone_index *z, double lon, double lat, double radius_m,
                               truce_position *position, double *boundary_m)
{
    if (!z || !position)
        return TRUCE_E_ARG;
    if (!(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90) || !(radius_m >= 0) ||
        !isfinite(radius_m))
        return TRUCE_E_RANGE;
    int in = contains(z, lon, lat);
    if (boundary_m)
        *boundary_m = -1;
    if (radius_m > 0) {
        /* Settled by the boundary's index and bounds where they can; the
         * exact distance is measured only when they cannot (or later, by
         * truce_zone_boundary_m, for a reason that quotes it). */
        int within;
        truce_status st = truce_corridor_within(z->boundary, lon, lat, radius_m, &within);
        if (st != TRUCE_OK)
            return st;
        if (within) {
            *position = TRUCE_POS_UNCERTAIN;
            return TRUCE_OK;
        }
    }
    *position = in ? TRUCE_POS_INSIDE : TRUCE_POS_OUTSIDE;
    return TRUCE_OK;
}

truce_status truce_zone_boundary_m(const truce_zone_index *z, double lon, double lat,
                                   double *distance_m)
{
    if (!z || !distance_m)
        return TRUCE_E_ARG;
    truce_measure m;
    truce_status st = truce_corridor_measure(z->boundary, lon, lat, &m);
    if (st == TRUCE_OK)
        *distance_m = m.distance_m;
    return st;
}
