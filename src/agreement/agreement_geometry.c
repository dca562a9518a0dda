/* Agreement geometry: the checks on the lines and polygons that
 * geojson_geometry.c reads (GEOS validity, the corridor engine's limits) and
 * their geodesic measures (PROJ's geod_polygonarea and geod_inverse,
 * Karney 2013). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement/agreement_internal.h"
#include "base/alloc.h"
#include "truce/corridor.h"

/* A GEOS linear ring from a closed ring; NULL on failure. */
static GEOSGeometry *geos_ring(GEOSContextHandle_t h, const truce_line *ring)
{
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(h, (unsigned)ring->n, 2);
    if (!seq)
        return NULL;
    for (size_t i = 0; i < ring->n; i++)
        GEOSCoordSeq_setXY_r(h, seq, (unsigned)i, ring->lonlat[2 * i], ring->lonlat[2 * i + 1]);
    return GEOSGeom_createLinearRing_r(h, seq);
}

static GEOSGeometry *geos_polygon(GEOSContextHandle_t h, const truce_polygon *poly)
{
    GEOSGeometry *shell = geos_ring(h, &poly->rings[0]);
    if (!shell)
        return NULL;
    GEOSGeometry **holes = NULL;
    size_t nholes = poly->nrings - 1;
    if (nholes) {
        holes = trc_calloc(nholes, sizeof *holes);
        if (!holes) {
            GEOSGeom_destroy_r(h, shell);
            return NULL;
        }
        for (size_t i = 0; i < nholes; i++) {
            holes[i] = geos_ring(h, &poly->rings[i + 1]);
            if (!holes[i]) {
                for (size_t k = 0; k < i; k++)
                    GEOSGeom_destroy_r(h, holes[k]);
                GEOSGeom_destroy_r(h, shell);
                trc_free(holes);
                return NULL;
            }
        }
    }
    GEOSGeometry *g = GEOSGeom_createPolygon_r(h, shell, holes, (unsigned)nholes);
    trc_free(holes);
    return g;
}

/* Geodesic area of a closed ring, m^2 (absolute; orientation ignored), and
 * its perimeter in metres added to *length_m. */
static double ring_area_m2(const load_ctx *c, const truce_line *ring, double *length_m)
{
    struct geod_polygon p;
    geod_polygon_init(&p, 0);
    for (size_t i = 0; i + 1 < ring->n; i++)
        geod_polygon_addpoint(&c->wgs84, &p, ring->lonlat[2 * i + 1], ring->lonlat[2 * i]);
    double area = 0, perimeter = 0;
    geod_polygon_compute(&c->wgs84, &p, 0, 1, &area, &perimeter);
    *length_m += perimeter;
    return fabs(area);
}

int trc_agr_check_zone(load_ctx *c, const char *item, truce_zone *zone)
{
    /* The boundary is measured against as a road: its limits first, before
     * GEOS sees a ring past them. */
    size_t nvertices = 0;
    for (size_t i = 0; i < zone->npolygons; i++)
        for (size_t r = 0; r < zone->polygons[i].nrings; r++)
            nvertices += zone->polygons[i].rings[r].n;
    if (trc_agr_check_road_size(c, item, nvertices, 0) != 0)
        return -1;
    GEOSGeometry **parts = trc_calloc(zone->npolygons, sizeof *parts);
    if (!parts) {
        c->geo.nomem = 1;
        return -1;
    }
    int ok = 0;
    for (size_t i = 0; i < zone->npolygons; i++) {
        parts[i] = geos_polygon(c->geos, &zone->polygons[i]);
        if (!parts[i]) {
            truce_geojson_error(&c->geo, item, "geometry", "GEOS could not build polygon %zu", i);
            ok = -1;
        }
    }
    if (ok == 0) {
        GEOSGeometry *g = zone->npolygons == 1
                              ? parts[0]
                              : GEOSGeom_createCollection_r(c->geos, GEOS_MULTIPOLYGON, parts,
                                                            (unsigned)zone->npolygons);
        if (g && zone->npolygons != 1) {
            /* The collection now owns the parts. */
            memset(parts, 0, zone->npolygons * sizeof *parts);
        } else if (g) {
            parts[0] = NULL;
        }
        if (!g) {
            truce_geojson_error(&c->geo, item, "geometry", "GEOS could not build the multipolygon");
            ok = -1;
        } else {
            char *reason = NULL;
            GEOSGeometry *where = NULL;
            char valid = GEOSisValidDetail_r(c->geos, g, 0, &reason, &where);
            if (valid == 0) {
                double x = 0, y = 0;
                if (where) {
                    GEOSGeomGetX_r(c->geos, where, &x);
                    GEOSGeomGetY_r(c->geos, where, &y);
                }
                truce_geojson_error(&c->geo, item, "geometry",
                                    "invalid polygon: %s at [%.6f, %.6f] (GEOS); expected a simple "
                                    "polygon whose rings do not cross or touch themselves",
                                    reason ? reason : "unknown reason", x, y);
                ok = -1;
            } else if (valid != 1) {
                truce_geojson_error(&c->geo, item, "geometry", "GEOS could not check validity");
                ok = -1;
            }
            if (reason)
                GEOSFree_r(c->geos, reason);
            if (where)
                GEOSGeom_destroy_r(c->geos, where);
            GEOSGeom_destroy_r(c->geos, g);
        }
    }
    for (size_t i = 0; i < zone->npolygons; i++)
        if (parts[i])
            GEOSGeom_destroy_r(c->geos, parts[i]);
    trc_free(parts);
    if (ok != 0)
        return ok;
    double area = 0, length_m = 0;
    for (size_t i = 0; i < zone->npolygons; i++) {
        const truce_polygon *p = &zone->polygons[i];
        area += ring_area_m2(c, &p->rings[0], &length_m);
        for (size_t r = 1; r < p->nrings; r++)
            area -= ring_area_m2(c, &p->rings[r], &length_m);
    }
    zone->area_m2 = area;
    return trc_agr_check_road_size(c, item, nvertices, length_m);
}

double trc_agr_line_length_m(const load_ctx *c, const truce_line *line)
{
    double total = 0;
    for (size_t i = 0; i + 1 < line->n; i++) {
        const double *p = &line->lonlat[2 * i];
        double s12 = 0;
        geod_inverse(&c->wgs84, p[1], p[0], p[3], p[2], &s12, NULL, NULL);
        total += s12;
    }
    return total;
}

int trc_agr_check_road_size(load_ctx *c, const char *item, size_t nvertices, double length_m)
{
    if (nvertices > TRUCE_ROAD_MAX_VERTICES) {
        truce_geojson_error(&c->geo, item, "geometry",
                            "has %zu vertices, more than the limit of %d", nvertices,
                            TRUCE_ROAD_MAX_VERTICES);
        return -1;
    }
    if (length_m > TRUCE_ROAD_MAX_LENGTH_M) {
        truce_geojson_error(&c->geo, item, "geometry",
                            "is %.0f km long, more than the limit of %.0f km", length_m / 1e3,
                            TRUCE_ROAD_MAX_LENGTH_M / 1e3);
        return -1;
    }
    return 0;
}

int trc_agr_has_two_distinct(const truce_line *line)
{
    for (size_t i = 1; i < line->n; i++)
        if (line->lonlat[2 * i] != line->lonlat[0] || line->lonlat[2 * i + 1] != line->lonlat[1])
            return 1;
    return 0;
}
