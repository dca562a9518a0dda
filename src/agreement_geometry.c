/* Agreement geometry: GeoJSON coordinates into lines and polygons, their
 * checks (range, closure, GEOS validity) and geodesic measures (PROJ's
 * geod_polygonarea and geod_inverse, Karney 2013). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement_internal.h"
#include "truce/corridor.h"

void agr_line_release(truce_line *line)
{
    free(line->lonlat);
    line->lonlat = NULL;
    line->n = 0;
}

void agr_polygon_release(truce_polygon *poly)
{
    for (size_t i = 0; i < poly->nrings; i++)
        agr_line_release(&poly->rings[i]);
    free(poly->rings);
    poly->rings = NULL;
    poly->nrings = 0;
}

/* Read one position [lon, lat(, alt...)] into out[0..1]. */
int agr_read_position(load_ctx *c, const char *item, const char *key, const json_t *pos,
                      size_t index, double out[2])
{
    char found[80];
    if (!json_is_array(pos) || json_array_size(pos) < 2 ||
        !json_is_number(json_array_get(pos, 0)) || !json_is_number(json_array_get(pos, 1))) {
        agr_describe(pos, found, sizeof found);
        agr_error(c, item, key, "position %zu: found %s, expected [longitude, latitude]", index,
                  found);
        return -1;
    }
    double lon = json_number_value(json_array_get(pos, 0));
    double lat = json_number_value(json_array_get(pos, 1));
    int ok = 0;
    if (!(lon >= -180.0 && lon <= 180.0)) {
        agr_error(c, item, key, "position %zu: longitude %.10g out of range, expected [-180, 180]",
                  index, lon);
        ok = -1;
    }
    if (!(lat >= -90.0 && lat <= 90.0)) {
        agr_error(c, item, key, "position %zu: latitude %.10g out of range, expected [-90, 90]",
                  index, lat);
        ok = -1;
    }
    out[0] = lon;
    out[1] = lat;
    return ok;
}

int agr_read_line(load_ctx *c, const char *item, const char *key, const json_t *coords,
                  truce_line *out)
{
    char found[80];
    memset(out, 0, sizeof *out);
    if (!json_is_array(coords)) {
        agr_describe(coords, found, sizeof found);
        agr_error(c, item, key, "found %s, expected an array of positions", found);
        return -1;
    }
    size_t n = json_array_size(coords);
    out->lonlat = malloc((n ? n : 1) * 2 * sizeof(double));
    if (!out->lonlat) {
        c->nomem = 1;
        return -1;
    }
    out->n = n;
    int ok = 0;
    for (size_t i = 0; i < n; i++)
        if (agr_read_position(c, item, key, json_array_get(coords, i), i, &out->lonlat[2 * i]) != 0)
            ok = -1;
    return ok;
}

int agr_read_polygon(load_ctx *c, const char *item, const char *key, const json_t *rings,
                     truce_polygon *out)
{
    char found[80];
    memset(out, 0, sizeof *out);
    if (!json_is_array(rings) || json_array_size(rings) == 0) {
        agr_describe(rings, found, sizeof found);
        agr_error(c, item, key, "found %s, expected an array of linear rings", found);
        return -1;
    }
    size_t n = json_array_size(rings);
    out->rings = calloc(n, sizeof *out->rings);
    if (!out->rings) {
        c->nomem = 1;
        return -1;
    }
    out->nrings = n;
    int ok = 0;
    for (size_t r = 0; r < n; r++) {
        char rkey[96];
        snprintf(rkey, sizeof rkey, "%s ring %zu", key, r);
        truce_line *ring = &out->rings[r];
        if (agr_read_line(c, item, rkey, json_array_get(rings, r), ring) != 0) {
            ok = -1;
            continue;
        }
        if (ring->n < 4) {
            agr_error(c, item, rkey, "found %zu positions, expected at least 4 (a closed ring)",
                      ring->n);
            ok = -1;
            continue;
        }
        const double *first = ring->lonlat, *last = &ring->lonlat[2 * (ring->n - 1)];
        if (first[0] != last[0] || first[1] != last[1]) {
            agr_error(c, item, rkey,
                      "ring is not closed: first position [%.10g, %.10g], last [%.10g, %.10g]; "
                      "expected the last position to repeat the first",
                      first[0], first[1], last[0], last[1]);
            ok = -1;
        }
    }
    return ok;
}

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
        holes = calloc(nholes, sizeof *holes);
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
                free(holes);
                return NULL;
            }
        }
    }
    GEOSGeometry *g = GEOSGeom_createPolygon_r(h, shell, holes, (unsigned)nholes);
    free(holes);
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

int agr_check_zone(load_ctx *c, const char *item, truce_zone *zone)
{
    /* The boundary is measured against as a road: its limits first, before
     * GEOS sees a ring past them. */
    size_t nvertices = 0;
    for (size_t i = 0; i < zone->npolygons; i++)
        for (size_t r = 0; r < zone->polygons[i].nrings; r++)
            nvertices += zone->polygons[i].rings[r].n;
    if (agr_check_road_size(c, item, nvertices, 0) != 0)
        return -1;
    GEOSGeometry **parts = calloc(zone->npolygons, sizeof *parts);
    if (!parts) {
        c->nomem = 1;
        return -1;
    }
    int ok = 0;
    for (size_t i = 0; i < zone->npolygons; i++) {
        parts[i] = geos_polygon(c->geos, &zone->polygons[i]);
        if (!parts[i]) {
            agr_error(c, item, "geometry", "GEOS could not build polygon %zu", i);
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
            agr_error(c, item, "geometry", "GEOS could not build the multipolygon");
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
                agr_error(c, item, "geometry",
                          "invalid polygon: %s at [%.6f, %.6f] (GEOS); expected a simple "
                          "polygon whose rings do not cross or touch themselves",
                          reason ? reason : "unknown reason", x, y);
                ok = -1;
            } else if (valid != 1) {
                agr_error(c, item, "geometry", "GEOS could not check validity");
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
    free(parts);
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
    return agr_check_road_size(c, item, nvertices, length_m);
}

double agr_line_length_m(const load_ctx *c, const truce_line *line)
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

int agr_check_road_size(load_ctx *c, const char *item, size_t nvertices, double length_m)
{
    if (nvertices > TRUCE_ROAD_MAX_VERTICES) {
        agr_error(c, item, "geometry", "has %zu vertices, more than the limit of %d", nvertices,
                  TRUCE_ROAD_MAX_VERTICES);
        return -1;
    }
    if (length_m > TRUCE_ROAD_MAX_LENGTH_M) {
        agr_error(c, item, "geometry", "is %.0f km long, more than the limit of %.0f km",
                  length_m / 1e3, TRUCE_ROAD_MAX_LENGTH_M / 1e3);
        return -1;
    }
    return 0;
}

int agr_has_two_distinct(const truce_line *line)
{
    for (size_t i = 1; i < line->n; i++)
        if (line->lonlat[2 * i] != line->lonlat[0] || line->lonlat[2 * i + 1] != line->lonlat[1])
            return 1;
    return 0;
}
