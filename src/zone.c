/* Zone membership with uncertainty: see truce/zone.h. */
#include "truce/zone.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "truce/corridor.h"

struct truce_zone_index {
    double *lonlat;   /* all rings' vertices, each ring closed */
    size_t *ring_end; /* vertex index one past each ring's last */
    size_t nrings;
    double min_lon, max_lon, min_lat, max_lat;
    truce_corridor *boundary; /* the rings as geodesic polylines */
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
    free(z->lonlat);
    free(z->ring_end);
    truce_corridor_free(z->boundary);
    free(z);
}

truce_status truce_zone_index_new(const truce_zone *zone, truce_zone_index **out)
{
    if (!zone || !out)
        return TRUCE_E_ARG;
    *out = NULL;
    size_t nrings = 0, nverts = 0;
    for (size_t p = 0; p < zone->npolygons; p++)
        for (size_t r = 0; r < zone->polygons[p].nrings; r++) {
            nrings++;
            nverts += zone->polygons[p].rings[r].n;
        }
    if (nrings == 0)
        return TRUCE_E_GEOMETRY;
    truce_zone_index *z = calloc(1, sizeof *z);
    truce_road_part *parts = calloc(nrings, sizeof *parts);
    if (!z || !parts || !(z->lonlat = malloc(nverts * 2 * sizeof(double))) ||
        !(z->ring_end = malloc(nrings * sizeof(size_t)))) {
        free(parts);
        truce_zone_index_free(z);
        return TRUCE_E_NOMEM;
    }
    z->min_lon = z->min_lat = HUGE_VAL;
    z->max_lon = z->max_lat = -HUGE_VAL;
    size_t v = 0;
    for (size_t p = 0; p < zone->npolygons; p++)
        for (size_t r = 0; r < zone->polygons[p].nrings; r++) {
            const truce_line *ring = &zone->polygons[p].rings[r];
            memcpy(&z->lonlat[2 * v], ring->lonlat, ring->n * 2 * sizeof(double));
            parts[z->nrings] = (truce_road_part){&z->lonlat[2 * v], ring->n};
            v += ring->n;
            z->ring_end[z->nrings++] = v;
            for (size_t i = 0; i < ring->n; i++) {
                double lon = ring->lonlat[2 * i], lat = ring->lonlat[2 * i + 1];
                z->min_lon = fmin(z->min_lon, lon);
                z->max_lon = fmax(z->max_lon, lon);
                z->min_lat = fmin(z->min_lat, lat);
                z->max_lat = fmax(z->max_lat, lat);
            }
        }
    truce_status st = truce_corridor_new(parts, nrings, 0, 0, &z->boundary);
    free(parts);
    if (st != TRUCE_OK) {
        truce_zone_index_free(z);
        return st == TRUCE_E_NOMEM ? st : TRUCE_E_GEOMETRY;
    }
    *out = z;
    return TRUCE_OK;
}

/* Even-odd crossing test in the lon/lat plane (RFC 7946 edges).  A point
 * exactly on an edge may fall either way; callers with an uncertainty radius
 * see it as uncertain, and an exact place on a boundary line is a tie that no
 * report's precision resolves. */
static int contains(const truce_zone_index *z, double lon, double lat)
{
    if (lon < z->min_lon || lon > z->max_lon || lat < z->min_lat || lat > z->max_lat)
        return 0;
    int inside = 0;
    size_t start = 0;
    for (size_t r = 0; r < z->nrings; r++) {
        size_t end = z->ring_end[r];
        for (size_t i = start, j = end - 1; i < end; j = i++) {
            double xi = z->lonlat[2 * i], yi = z->lonlat[2 * i + 1];
            double xj = z->lonlat[2 * j], yj = z->lonlat[2 * j + 1];
            if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
                inside = !inside;
        }
        start = end;
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
