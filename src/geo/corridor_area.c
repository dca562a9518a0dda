/* The corridor as an area (polygons), built geodesically.
 *
 * The area within depth D of a road is the union of
 *  - a strip per piece: the points whose perpendicular foot lies on the piece
 *    at most D away, bounded by the piece's offset curves, which are sampled
 *    with geod_direct perpendicular to the road;
 *  - a sector per interior vertex on the outer side of the bend, between the
 *    perpendiculars of the two segments (the round join);
 *  - a half-disc at each end of each part (the round end), each quarter with
 *    the depth of its side.
 * Every vertex generated lies on the true boundary (a geod_direct of exactly
 * the depth); samples are added by bisection until the straight edges in
 * longitude/latitude (RFC 7946) stay within the tolerance of the curve.  GEOS
 * forms the union (which removes the overlaps inside bends and where the road
 * doubles back), then the result is cut at the antimeridian and oriented per
 * RFC 7946. */
#include <geos_c.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "geo/corridor_internal.h"

#define MAX_DEPTH_BISECT 24

/* A growing list of lon/lat points. */
typedef struct pts {
    double *v; /* 2 * n */
    size_t n, cap;
    int oom;
} pts;

static void pts_add(pts *p, double lon, double lat)
{
    if (p->oom)
        return;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        double *v = trc_realloc(p->v, 2 * cap * sizeof *v);
        if (!v) {
            p->oom = 1;
            return;
        }
        p->v = v;
        p->cap = cap;
    }
    p->v[2 * p->n] = lon;
    p->v[2 * p->n + 1] = lat;
    p->n++;
}

typedef struct area_ctx {
    const truce_corridor *c;
    double tol_m;
    double lon_ref; /* every longitude is put within 180 degrees of this */
    GEOSContextHandle_t gh;
    GEOSGeometry **parts;
    size_t nparts, cap;
    int oom;
} area_ctx;

static double unwrap(const area_ctx *a, double lon)
{
    return a->lon_ref + remainder(lon - a->lon_ref, 360.0);
}

/* A conservative local distance (metres) between two nearby lon/lat points:
 * only used to decide where to add samples, never for an answer. */
static double local_dist(double lon1, double lat1, double lon2, double lat2)
{
    double cl = cos(0.5 * (lat1 + lat2) * CORR_DEG);
    double dx = (lon2 - lon1) * 111320.0 * cl, dy = (lat2 - lat1) * 111700.0;
    return sqrt(dx * dx + dy * dy);
}

/* A curve sampled by a parameter: fills (lon, lat) for parameter u. */
typedef void (*curve_fn)(const area_ctx *a, const void *arg, double u, double *lon, double *lat);

/* Append samples of the curve over (u1, u2] to `out`, bisecting until the
 * curve's midpoint is within tol/4 of the straight lon/lat edge's midpoint. */
static void sample(const area_ctx *a, curve_fn f, const void *arg, double u1, double lon1,
                   double lat1, double u2, double lon2, double lat2, int depth, pts *out)
{
    double um = 0.5 * (u1 + u2), lonm, latm;
    f(a, arg, um, &lonm, &latm);
    double dev = local_dist(lonm, latm, 0.5 * (lon1 + lon2), 0.5 * (lat1 + lat2));
    if (depth < MAX_DEPTH_BISECT && dev > 0.25 * a->tol_m) {
        sample(a, f, arg, u1, lon1, lat1, um, lonm, latm, depth + 1, out);
        sample(a, f, arg, um, lonm, latm, u2, lon2, lat2, depth + 1, out);
        return;
    }
    /* Also check the quarter points: a curve can be symmetric about its
     * middle (an arc through the poles of the lon/lat map). */
    if (depth < MAX_DEPTH_BISECT) {
        double uq = 0.5 * (u1 + um), lonq, latq;
        f(a, arg, uq, &lonq, &latq);
        double devq = local_dist(lonq, latq, 0.75 * lon1 + 0.25 * lon2, 0.75 * lat1 + 0.25 * lat2);
        if (devq > 0.25 * a->tol_m) {
            sample(a, f, arg, u1, lon1, lat1, um, lonm, latm, depth + 1, out);
            sample(a, f, arg, um, lonm, latm, u2, lon2, lat2, depth + 1, out);
            return;
        }
    }
    pts_add(out, lon2, lat2);
}

static void sample_curve(const area_ctx *a, curve_fn f, const void *arg, double u1, double u2,
                         int with_first, pts *out)
{
    double lon1, lat1, lon2, lat2;
    f(a, arg, u1, &lon1, &lat1);
    f(a, arg, u2, &lon2, &lat2);
    if (with_first)
        pts_add(out, lon1, lat1);
    sample(a, f, arg, u1, lon1, lat1, u2, lon2, lat2, 0, out);
}

/* An offset curve of a piece: u is the arc length along the piece. */
typedef struct offset_arg {
    const corr_piece *pc;
    double sign;    /* +1 right, -1 left */
    double depth_m; /* > 0 */
} offset_arg;

static void offset_point(const area_ctx *a, const void *arg, double u, double *lon, double *lat)
{
    const offset_arg *o = arg;
    double xlat, xlon, beta;
    if (u <= 0) {
        xlat = o->pc->lat_a;
        xlon = o->pc->lon_a;
        beta = o->pc->line.azi1;
    } else if (u >= o->pc->len_m) {
        xlat = o->pc->lat_b;
        xlon = o->pc->lon_b;
        beta = o->pc->azi_b_deg;
    } else {
        geod_genposition(&o->pc->line, GEOD_NOFLAGS, u, &xlat, &xlon, &beta, NULL, NULL, NULL, NULL,
                         NULL);
    }
    double azi2;
    geod_direct(&a->c->geod, xlat, xlon, beta + 90 * o->sign, o->depth_m, lat, lon, &azi2);
    *lon = unwrap(a, *lon);
}

/* A circular arc about a vertex: u is the azimuth (degrees). */
typedef struct arc_arg {
    double lat, lon, radius_m;
} arc_arg;

static void arc_point(const area_ctx *a, const void *arg, double u, double *lon, double *lat)
{
    const arc_arg *o = arg;
    double azi2;
    geod_direct(&a->c->geod, o->lat, o->lon, u, o->radius_m, lat, lon, &azi2);
    *lon = unwrap(a, *lon);
}

static void road_point(const area_ctx *a, const void *arg, double u, double *lon, double *lat)
{
    const corr_piece *pc = arg;
    double azi;
    if (u <= 0) {
        *lat = pc->lat_a;
        *lon = pc->lon_a;
    } else if (u >= pc->len_m) {
        *lat = pc->lat_b;
        *lon = pc->lon_b;
    } else {
        geod_genposition(&pc->line, GEOD_NOFLAGS, u, lat, lon, &azi, NULL, NULL, NULL, NULL, NULL);
    }
    *lon = unwrap(a, *lon);
}

/* Turn a closed point list into a GEOS polygon and keep it. */
static void add_ring(area_ctx *a, pts *p)
{
    if (p->oom) {
        a->oom = 1;
        return;
    }
    /* Drop repeated consecutive points (and a last point equal to the
     * first), then close the ring. */
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (n && p->v[2 * i] == p->v[2 * n - 2] && p->v[2 * i + 1] == p->v[2 * n - 1])
            continue;
        p->v[2 * n] = p->v[2 * i];
        p->v[2 * n + 1] = p->v[2 * i + 1];
        n++;
    }
    while (n > 1 && p->v[2 * n - 2] == p->v[0] && p->v[2 * n - 1] == p->v[1])
        n--;
    p->n = n;
    if (p->n < 3)
        return;
    pts_add(p, p->v[0], p->v[1]);
    if (p->oom) {
        a->oom = 1;
        return;
    }
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(a->gh, (unsigned)p->n, 2);
    if (!seq) {
        a->oom = 1;
        return;
    }
    for (size_t i = 0; i < p->n; i++)
        GEOSCoordSeq_setXY_r(a->gh, seq, (unsigned)i, p->v[2 * i], p->v[2 * i + 1]);
    GEOSGeometry *ring = GEOSGeom_createLinearRing_r(a->gh, seq);
    GEOSGeometry *poly = ring ? GEOSGeom_createPolygon_r(a->gh, ring, NULL, 0) : NULL;
    if (!poly) {
        a->oom = 1;
        return;
    }
    if (!GEOSisValid_r(a->gh, poly)) {
        /* A sliver strip of a very short piece can come out self-touching
         * in lon/lat; its valid form covers the same points. */
        GEOSGeometry *fixed = GEOSMakeValid_r(a->gh, poly);
        GEOSGeom_destroy_r(a->gh, poly);
        poly = fixed;
        if (!poly) {
            a->oom = 1;
            return;
        }
    }
    if (a->nparts == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        GEOSGeometry **v = trc_realloc(a->parts, cap * sizeof *v);
        if (!v) {
            GEOSGeom_destroy_r(a->gh, poly);
            a->oom = 1;
            return;
        }
        a->parts = v;
        a->cap = cap;
    }
    a->parts[a->nparts++] = poly;
}

/* The strip of one piece: right offset forward, the road's end vertex, the
 * left offset back, the start vertex.  The vertices make the strip's ends
 * the same lon/lat edges as the joins' and caps' (which start at the
 * vertex), so the union leaves no slivers between them. */
static void add_strip(area_ctx *a, const corr_piece *pc)
{
    const truce_corridor *c = a->c;
    pts p = {0}, back = {0};
    offset_arg right = {pc, 1, c->right_m}, left = {pc, -1, c->left_m};
    /* Forward: the right offset then the end vertex, or the road itself. */
    if (c->right_m > 0) {
        sample_curve(a, offset_point, &right, 0, pc->len_m, 1, &p);
        pts_add(&p, unwrap(a, pc->lon_b), pc->lat_b);
    } else {
        sample_curve(a, road_point, pc, 0, pc->len_m, 1, &p);
    }
    /* Back: the left offset then the start vertex, or the road itself
     * (sampled forward, appended in reverse). */
    if (c->left_m > 0) {
        pts_add(&back, unwrap(a, pc->lon_a), pc->lat_a);
        sample_curve(a, offset_point, &left, 0, pc->len_m, 1, &back);
    } else {
        sample_curve(a, road_point, pc, 0, pc->len_m, 1, &back);
    }
    if (back.oom)
        p.oom = 1;
    for (size_t i = back.n; i-- > 0;)
        pts_add(&p, back.v[2 * i], back.v[2 * i + 1]);
    trc_free(back.v);
    add_ring(a, &p);
    trc_free(p.v);
}

/* A sector about (lat, lon) from azimuth az1 to az2 (az2 > az1), radius r. */
static void add_arc_points(area_ctx *a, double lat, double lon, double az1, double az2, double r,
                           pts *p)
{
    arc_arg arc = {lat, lon, r};
    /* Split into steps of at most 45 degrees so the bisection starts from
     * edges that are short against the radius. */
    int steps = (int)ceil((az2 - az1) / 45.0);
    if (steps < 1)
        steps = 1;
    for (int i = 0; i < steps; i++) {
        double u1 = az1 + (az2 - az1) * i / steps, u2 = az1 + (az2 - az1) * (i + 1) / steps;
        sample_curve(a, arc_point, &arc, u1, u2, i == 0, p);
    }
}

static void add_join(area_ctx *a, const corr_piece *in, const corr_piece *out)
{
    const truce_corridor *c = a->c;
    double tau = remainder(out->line.azi1 - in->azi_b_deg, 360.0);
    if (fabs(tau) < 1e-9)
        return;
    /* tau > 0 turns right (azimuths run clockwise): the outer side is left. */
    double sign = tau > 0 ? -1 : 1;
    double r = sign > 0 ? c->right_m : c->left_m;
    if (!(r > 0))
        return;
    /* From the arriving segment's perpendicular through the turn. */
    double az1 = in->azi_b_deg + 90 * sign, az2 = az1 + tau;
    if (az2 < az1) {
        double t = az1;
        az1 = az2;
        az2 = t;
    }
    pts p = {0};
    pts_add(&p, unwrap(a, in->lon_b), in->lat_b);
    add_arc_points(a, in->lat_b, in->lon_b, az1, az2, r, &p);
    add_ring(a, &p);
    trc_free(p.v);
}

/* A round end at (lat, lon) facing azimuth `ahead` (degrees, away from the
 * road): the quarter from ahead - 90 to ahead with radius r_before, the one
 * from ahead to ahead + 90 with r_after. */
static void add_cap(area_ctx *a, double lat, double lon, double ahead, double r_before,
                    double r_after)
{
    pts p = {0};
    pts_add(&p, unwrap(a, lon), lat);
    if (r_before > 0)
        add_arc_points(a, lat, lon, ahead - 90, ahead, r_before, &p);
    if (r_after > 0)
        add_arc_points(a, lat, lon, ahead, ahead + 90, r_after, &p);
    add_ring(a, &p);
    trc_free(p.v);
}

/* Signed area (lon/lat, shoelace) of a closed ring: > 0 counter-clockwise. */
static double ring_area(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i + 1 < n; i++)
        s += v[2 * i] * v[2 * i + 3] - v[2 * i + 2] * v[2 * i + 1];
    return 0.5 * s;
}

/* Rings and polygons smaller than this (square metres) are artefacts of the
 * overlay, not part of any corridor (whose depth is a metre or more when it
 * has holes at all). */
#define SLIVER_M2 1.0

/* A ring's area in square metres, roughly (local scale at its first vertex):
 * only to recognise slivers. */
static double ring_area_m2(const truce_line *r)
{
    if (r->n < 4)
        return 0;
    double cl = cos(r->lonlat[1] * CORR_DEG);
    return fabs(ring_area(r->lonlat, r->n)) * 111320.0 * 110574.0 * cl;
}

static void release_polygon(truce_polygon *p)
{
    for (size_t j = 0; j < p->nrings; j++)
        trc_free(p->rings[j].lonlat);
    trc_free(p->rings);
    p->rings = NULL;
    p->nrings = 0;
}

static truce_status take_ring(GEOSContextHandle_t gh, const GEOSGeometry *ring, double shift,
                              int outer, truce_line *out)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(gh, ring);
    unsigned n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(gh, seq, &n))
        return TRUCE_E_INTERNAL;
    out->lonlat = trc_malloc(2 * (size_t)(n ? n : 1) * sizeof *out->lonlat);
    if (!out->lonlat)
        return TRUCE_E_NOMEM;
    out->n = n;
    for (unsigned i = 0; i < n; i++) {
        double x, y;
        GEOSCoordSeq_getXY_r(gh, seq, i, &x, &y);
        out->lonlat[2 * i] = x + shift;
        out->lonlat[2 * i + 1] = y;
    }
    /* RFC 7946: exterior rings counter-clockwise, holes clockwise. */
    double s = ring_area(out->lonlat, n);
    if ((outer && s < 0) || (!outer && s > 0)) {
        for (size_t i = 0, j = n - 1; i < j; i++, j--) {
            double tx = out->lonlat[2 * i], ty = out->lonlat[2 * i + 1];
            out->lonlat[2 * i] = out->lonlat[2 * j];
            out->lonlat[2 * i + 1] = out->lonlat[2 * j + 1];
            out->lonlat[2 * j] = tx;
            out->lonlat[2 * j + 1] = ty;
        }
    }
    return TRUCE_OK;
}

/* Append the polygons of `g` (Polygon or MultiPolygon) shifted by `shift`
 * degrees of longitude. */
static truce_status take_polygons(GEOSContextHandle_t gh, const GEOSGeometry *g, double shift,
                                  truce_area *out)
{
    int type = GEOSGeomTypeId_r(gh, g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(gh, g);
        for (int i = 0; i < n; i++) {
            truce_status st = take_polygons(gh, GEOSGetGeometryN_r(gh, g, i), shift, out);
            if (st)
                return st;
        }
        return TRUCE_OK;
    }
    if (type != GEOS_POLYGON || GEOSisEmpty_r(gh, g))
        return TRUCE_OK; /* lines and points from a cut: no area */
    int nholes = GEOSGetNumInteriorRings_r(gh, g);
    if (nholes < 0)
        return TRUCE_E_INTERNAL;
    truce_polygon *v = trc_realloc(out->polygons, (out->npolygons + 1) * sizeof *v);
    if (!v)
        return TRUCE_E_NOMEM;
    out->polygons = v;
    truce_polygon *poly = &out->polygons[out->npolygons++];
    poly->nrings = 0;
    poly->rings = trc_calloc((size_t)nholes + 1, sizeof *poly->rings);
    if (!poly->rings)
        return TRUCE_E_NOMEM;
    truce_status st = take_ring(gh, GEOSGetExteriorRing_r(gh, g), shift, 1, &poly->rings[0]);
    if (st)
        return st;
    poly->nrings = 1;
    if (ring_area_m2(&poly->rings[0]) < SLIVER_M2) {
        release_polygon(poly);
        out->npolygons--;
        return TRUCE_OK;
    }
    for (int i = 0; i < nholes; i++) {
        truce_line *r = &poly->rings[poly->nrings];
        st = take_ring(gh, GEOSGetInteriorRingN_r(gh, g, i), shift, 0, r);
        if (st)
            return st;
        if (ring_area_m2(r) < SLIVER_M2) {
            /* A hole of no real area: an artefact of nearly collinear edges
             * inside the union (every point of it is within the depth). */
            trc_free(r->lonlat);
            r->lonlat = NULL;
            continue;
        }
        poly->nrings++;
    }
    return TRUCE_OK;
}

static void geos_quiet(const char *fmt, ...)
{
    (void)fmt;
}

truce_status truce_corridor_area(const truce_corridor *c, double tolerance_m, truce_area *out)
{
    if (!c || !out || !(tolerance_m >= 0.001 && tolerance_m <= 100))
        return TRUCE_E_ARG;
    memset(out, 0, sizeof *out);
    if (c->dmax_m == 0)
        return TRUCE_OK; /* no depth: no area */
    /* A corridor around a pole has no polygon in longitude/latitude. */
    for (int pole = -1; pole <= 1; pole += 2) {
        truce_measure m;
        truce_corridor_measure(c, 0, 90.0 * pole, &m);
        if (m.distance_m <= c->dmax_m + 1)
            return TRUCE_E_UNSUPPORTED;
    }
    area_ctx a = {.c = c, .tol_m = tolerance_m, .lon_ref = c->pieces[0].lon_a};
    a.gh = GEOS_init_r();
    if (!a.gh)
        return TRUCE_E_NOMEM;
    GEOSContext_setNoticeHandler_r(a.gh, geos_quiet);
    GEOSContext_setErrorHandler_r(a.gh, geos_quiet);

    for (size_t i = 0; i < c->npieces && !a.oom; i++) {
        const corr_piece *pc = &c->pieces[i];
        add_strip(&a, pc);
        if (pc->has_next)
            add_join(&a, pc, pc + 1);
        else
            /* ahead of the end: left of the road before, right after */
            add_cap(&a, pc->lat_b, pc->lon_b, pc->azi_b_deg, c->left_m, c->right_m);
        if (!pc->has_prev)
            /* behind the start: the road's right before, its left after */
            add_cap(&a, pc->lat_a, pc->lon_a, pc->line.azi1 + 180, c->right_m, c->left_m);
    }
    truce_status st = TRUCE_OK;
    GEOSGeometry *u = NULL;
    if (a.oom) {
        st = TRUCE_E_NOMEM;
    } else {
        GEOSGeometry *coll =
            GEOSGeom_createCollection_r(a.gh, GEOS_MULTIPOLYGON, a.parts, (unsigned)a.nparts);
        if (coll) {
            a.nparts = 0; /* owned by coll now */
            /* Fixed-precision overlay (1e-9 degrees, about 0.1 mm) is robust
             * against the slivers that nearly coincident edges of
             * neighbouring strips and joins would otherwise leave. */
            u = GEOSUnaryUnionPrec_r(a.gh, coll, 1e-9);
            GEOSGeom_destroy_r(a.gh, coll);
        }
        if (!u)
            st = TRUCE_E_INTERNAL;
    }
    if (!st) {
        double xmin, xmax, ymin, ymax;
        if (!GEOSGeom_getXMin_r(a.gh, u, &xmin) || !GEOSGeom_getXMax_r(a.gh, u, &xmax) ||
            !GEOSGeom_getYMin_r(a.gh, u, &ymin) || !GEOSGeom_getYMax_r(a.gh, u, &ymax)) {
            st = TRUCE_E_INTERNAL;
        } else if (xmax - xmin >= 360) {
            st = TRUCE_E_UNSUPPORTED;
        } else {
            /* Cut at the antimeridian: the parts in [-180 + 360k, 180 + 360k]
             * are shifted back by -360k. */
            for (int k = -2; k <= 2 && !st; k++) {
                double lo = -180.0 + 360.0 * k, hi = 180.0 + 360.0 * k;
                if (xmax <= lo || xmin >= hi)
                    continue;
                if (xmin >= lo && xmax <= hi) {
                    st = take_polygons(a.gh, u, -360.0 * k, out);
                    continue;
                }
                GEOSGeometry *cut = GEOSClipByRect_r(a.gh, u, lo, -90, hi, 90);
                if (!cut) {
                    st = TRUCE_E_INTERNAL;
                    break;
                }
                st = take_polygons(a.gh, cut, -360.0 * k, out);
                GEOSGeom_destroy_r(a.gh, cut);
            }
        }
    }
    if (u)
        GEOSGeom_destroy_r(a.gh, u);
    for (size_t i = 0; i < a.nparts; i++)
        GEOSGeom_destroy_r(a.gh, a.parts[i]);
    trc_free(a.parts);
    GEOS_finish_r(a.gh);
    if (st)
        truce_area_release(out);
    return st;
}

void truce_area_release(truce_area *area)
{
    if (!area)
        return;
    for (size_t i = 0; i < area->npolygons; i++)
        release_polygon(&area->polygons[i]);
    trc_free(area->polygons);
    memset(area, 0, sizeof *area);
}

static void write_ring(const truce_line *r, int decimals, FILE *out)
{
    fputc('[', out);
    for (size_t i = 0; i < r->n; i++)
        fprintf(out, "%s[%.*f,%.*f]", i ? "," : "", decimals, r->lonlat[2 * i], decimals,
                r->lonlat[2 * i + 1]);
    fputc(']', out);
}

static void write_polygon(const truce_polygon *p, int decimals, FILE *out)
{
    fputc('[', out);
    for (size_t j = 0; j < p->nrings; j++) {
        if (j)
            fputc(',', out);
        write_ring(&p->rings[j], decimals, out);
    }
    fputc(']', out);
}

truce_status truce_area_write_geojson(const truce_area *area, int decimals, FILE *out)
{
    if (!area || !out || decimals < 1 || decimals > 15)
        return TRUCE_E_ARG;
    if (area->npolygons == 1) {
        fputs("{\"type\":\"Polygon\",\"coordinates\":", out);
        write_polygon(&area->polygons[0], decimals, out);
    } else {
        fputs("{\"type\":\"MultiPolygon\",\"coordinates\":[", out);
        for (size_t i = 0; i < area->npolygons; i++) {
            if (i)
                fputc(',', out);
            write_polygon(&area->polygons[i], decimals, out);
        }
        fputc(']', out);
    }
    fputc('}', out);
    return ferror(out) ? TRUCE_E_IO : TRUCE_OK;
}
