/* Sectors: see truce/sector.h. */
#include "truce/sector.h"

#include <geodesic.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>

#define WGS84_A 6378137.0
#define WGS84_F (1 / 298.257223563)

/* Gauss-Legendre nodes per stretch of the area's quadrature (see
 * truce_sector_area_m2): 16 in distance, 16 per AREA_CHUNK_DEG of bearing. */
#define GL_N 16
#define AREA_CHUNK_DEG 45.0

/* truce_sector_locate: at most this many cells are tested, whatever the
 * sector (a sector of 1000 km with a boundary across all of it would want
 * some 10^6 cells of 5 m); past it, cells still straddling count as
 * uncertain by their centres, so the answer stays right (uncertain) and only
 * the fraction is coarser.  First cut: cells of at most LOCATE_FIRST_DEG. */
#define LOCATE_MAX_CELLS 40000
#define LOCATE_FIRST_DEG 15.0

static struct geod_geodesic wgs84_g;
static pthread_once_t wgs84_once = PTHREAD_ONCE_INIT;

static void wgs84_init(void)
{
    geod_init(&wgs84_g, WGS84_A, WGS84_F);
}

/* The ellipsoid, set up once for every thread. */
static const struct geod_geodesic *wgs84(void)
{
    pthread_once(&wgs84_once, wgs84_init);
    return &wgs84_g;
}

double truce_sector_width_deg(const truce_sector *s)
{
    double w = s->bearing_max_deg - s->bearing_min_deg;
    if (w == 0)
        return 0;
    while (w <= 0)
        w += 360;
    while (w > 360)
        w -= 360;
    return w;
}

truce_status truce_sector_check(const truce_sector *s, const char **field, char *why,
                                size_t why_len)
{
    const char *f = NULL;
    if (!(s->observer_lon >= -180 && s->observer_lon <= 180)) {
        f = "observer_lon";
        snprintf(why, why_len, "%.17g is outside [-180, 180]", s->observer_lon);
    } else if (!(s->observer_lat >= -90 && s->observer_lat <= 90)) {
        f = "observer_lat";
        snprintf(why, why_len, "%.17g is outside [-90, 90]", s->observer_lat);
    } else if (!(s->bearing_min_deg >= -360 && s->bearing_min_deg <= 360)) {
        f = "bearing_min_deg";
        snprintf(why, why_len, "%.17g is outside [-360, 360]", s->bearing_min_deg);
    } else if (!(s->bearing_max_deg >= -360 && s->bearing_max_deg <= 360)) {
        f = "bearing_max_deg";
        snprintf(why, why_len, "%.17g is outside [-360, 360]", s->bearing_max_deg);
    } else if (truce_sector_width_deg(s) == 0) {
        f = "bearing_max_deg";
        snprintf(why, why_len, "equals bearing_min_deg: a sector needs a width");
    } else if (!(s->distance_min_m >= 0 && s->distance_min_m < TRUCE_SECTOR_MAX_DISTANCE_M)) {
        f = "distance_min_m";
        snprintf(why, why_len, "%.17g is outside [0, %g)", s->distance_min_m,
                 TRUCE_SECTOR_MAX_DISTANCE_M);
    } else if (!(s->distance_max_m > s->distance_min_m &&
                 s->distance_max_m <= TRUCE_SECTOR_MAX_DISTANCE_M)) {
        f = "distance_max_m";
        snprintf(why, why_len, "%.17g is not in (distance_min_m, %g]", s->distance_max_m,
                 TRUCE_SECTOR_MAX_DISTANCE_M);
    }
    if (field)
        *field = f;
    return f ? TRUCE_E_RANGE : TRUCE_OK;
}

void truce_sector_point(const truce_sector *s, double bearing_deg, double distance_m, double *lon,
                        double *lat)
{
    double x, y;
    geod_direct(wgs84(), s->observer_lat, s->observer_lon, bearing_deg, distance_m, &y, &x, NULL);
    *lon = x;
    *lat = y;
}

/* The Gauss-Legendre nodes x[i] and weights w[i] on [-1, 1] for GL_N
 * points: Newton's iteration on the Legendre polynomial from the
 * Chebyshev-like first guess cos(pi (i + 3/4) / (n + 1/2)) (Abramowitz and
 * Stegun 25.4.29, with P_n and its derivative by the three-term
 * recurrence). */
static void gauss_legendre(double x[GL_N], double w[GL_N])
{
    const double pi = 3.14159265358979323846;
    for (int i = 0; i < GL_N; i++) {
        double z = cos(pi * (i + 0.75) / (GL_N + 0.5)), dp = 1;
        for (int it = 0; it < 100; it++) {
            double p0 = 1, p1 = z;
            for (int k = 2; k <= GL_N; k++) {
                double p2 = ((2.0 * k - 1) * z * p1 - (k - 1.0) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = GL_N * (z * p1 - p0) / (z * z - 1);
            double dz = p1 / dp;
            z -= dz;
            if (fabs(dz) < 1e-16)
                break;
        }
        x[i] = z;
        w[i] = 2 / ((1 - z * z) * dp * dp);
    }
}

truce_status truce_sector_area_m2(const truce_sector *s, double *area_m2)
{
    if (truce_sector_check(s, NULL, (char[8]){0}, 8) != TRUCE_OK)
        return TRUCE_E_RANGE;
    double x[GL_N], w[GL_N];
    gauss_legendre(x, w);
    const double deg = 3.14159265358979323846 / 180;
    double width = truce_sector_width_deg(s);
    int chunks = (int)ceil(width / AREA_CHUNK_DEG);
    double da = width / chunks;
    double s_mid = (s->distance_min_m + s->distance_max_m) / 2;
    double s_half = (s->distance_max_m - s->distance_min_m) / 2;
    double total = 0;
    for (int c = 0; c < chunks; c++) {
        double a_mid = s->bearing_min_deg + (c + 0.5) * da;
        for (int i = 0; i < GL_N; i++) {
            struct geod_geodesicline l;
            geod_lineinit(&l, wgs84(), s->observer_lat, s->observer_lon, a_mid + x[i] * da / 2,
                          GEOD_DISTANCE_IN | GEOD_REDUCEDLENGTH);
            double ray = 0;
            for (int j = 0; j < GL_N; j++) {
                double m12 = 0;
                geod_genposition(&l, GEOD_NOFLAGS, s_mid + x[j] * s_half, NULL, NULL, NULL, NULL,
                                 &m12, NULL, NULL, NULL);
                ray += w[j] * m12;
            }
            total += w[i] * ray;
        }
    }
    /* Each stretch's nodes were on [-1, 1]: scale by the half-widths. */
    *area_m2 = total * s_half * (da * deg / 2);
    return TRUCE_OK;
}

/* Vertices of one stretch of the ring into lonlat[2 * at ...] while they
 * fit: n + 1 points from (b0, d0) to (b1, d1) with bearing and distance
 * varying linearly (an arc or an edge), the last left out when `last` is 0
 * (the next stretch starts there). */
static size_t stretch(const truce_sector *s, double b0, double d0, double b1, double d1, size_t n,
                      int last, double *lonlat, size_t cap, size_t at)
{
    for (size_t i = 0; i <= n; i++) {
        if (i == n && !last)
            break;
        if (at < cap) {
            double t = (double)i / (double)n;
            truce_sector_point(s, b0 + t * (b1 - b0), d0 + t * (d1 - d0), &lonlat[2 * at],
                               &lonlat[2 * at + 1]);
        }
        at++;
    }
    return at;
}

static size_t pieces(double length_m, double step_m, double width_deg)
{
    double n = ceil(length_m / step_m), min = ceil(2 * width_deg);
    if (n < min)
        n = min;
    if (n < 1)
        n = 1;
    return n > 1e7 ? (size_t)1e7 : (size_t)n;
}

size_t truce_sector_ring(const truce_sector *s, double step_m, double *lonlat, size_t cap)
{
    if (!(step_m > 0) || truce_sector_check(s, NULL, (char[8]){0}, 8) != TRUCE_OK)
        return 0;
    const double deg = 3.14159265358979323846 / 180;
    double w = truce_sector_width_deg(s);
    double lo = s->bearing_min_deg, hi = lo + w;
    double d0 = s->distance_min_m, d1 = s->distance_max_m;
    size_t outer = pieces(d1 * w * deg, step_m, w), edge = pieces(d1 - d0, step_m, 0);
    size_t at = 0;
    /* Counter-clockwise: the outer arc backwards, in along lo, the inner
     * arc forwards (or the observer), out along hi, and close. */
    at = stretch(s, hi, d1, lo, d1, outer, 0, lonlat, cap, at);
    at = stretch(s, lo, d1, lo, d0, edge, 0, lonlat, cap, at);
    if (d0 > 0)
        at = stretch(s, lo, d0, hi, d0, pieces(d0 * w * deg, step_m, w), 0, lonlat, cap, at);
    else
        at = stretch(s, lo, 0, lo, 0, 1, 0, lonlat, cap, at);
    at = stretch(s, hi, d0, hi, d1, edge, 0, lonlat, cap, at);
    if (at < cap) {
        lonlat[2 * at] = lonlat[0];
        lonlat[2 * at + 1] = lonlat[1];
    }
    return at + 1;
}

truce_status truce_sector_disk(const truce_sector *s, double *lon, double *lat, double *radius_m)
{
    if (truce_sector_check(s, NULL, (char[8]){0}, 8) != TRUCE_OK)
        return TRUCE_E_RANGE;
    double w = truce_sector_width_deg(s);
    if (w >= 180) {
        *lon = s->observer_lon;
        *lat = s->observer_lat;
        *radius_m = s->distance_max_m;
        return TRUCE_OK;
    }
    double clon, clat;
    truce_sector_point(s, s->bearing_min_deg + w / 2, (s->distance_min_m + s->distance_max_m) / 2,
                       &clon, &clat);
    /* The farthest of 17 points along each arc and each edge: any point of
     * the boundary is within half a spacing of one of them. */
    const double deg = 3.14159265358979323846 / 180;
    double d0 = s->distance_min_m, d1 = s->distance_max_m;
    double step = fmax(d1 * w * deg, d1 - d0) / 16;
    double far = 0;
    for (int k = 0; k <= 16; k++) {
        double b = s->bearing_min_deg + w * k / 16, d = d0 + (d1 - d0) * k / 16;
        const double at[4][2] = {
            {b, d0}, {b, d1}, {s->bearing_min_deg, d}, {s->bearing_max_deg, d}};
        for (int j = 0; j < 4; j++) {
            double plon, plat, dist;
            truce_sector_point(s, at[j][0], at[j][1], &plon, &plat);
            geod_inverse(wgs84(), clat, clon, plat, plon, &dist, NULL, NULL);
            if (dist > far)
                far = dist;
        }
    }
    *lon = clon;
    *lat = clat;
    *radius_m = far + step / 2;
    return TRUCE_OK;
}

typedef struct cell {
    double s0, s1; /* metres */
    double a0, a1; /* degrees */
} cell;

truce_status truce_sector_locate(const truce_sector *s, double margin_m, truce_disk_test test,
                                 void *ctx, truce_position *position, double *fraction_inside)
{
    if (!test || !(margin_m >= 0) || truce_sector_check(s, NULL, (char[8]){0}, 8) != TRUCE_OK)
        return TRUCE_E_RANGE;
    const double deg = 3.14159265358979323846 / 180;
    double w = truce_sector_width_deg(s);
    /* A cell is left alone once its own disk is this small: the resolution,
     * or an eighth of the margin (cells much finer than the blur that the
     * margin adds would only multiply the tests). */
    double leaf_r = fmax(TRUCE_SECTOR_RESOLUTION_M, margin_m / 8) / 2;
    /* Cells wait on a stack: depth-first, so it holds at most a few per
     * halving (about 2 * 40 levels) beyond the first cut. */
    cell stack[64 + 128];
    size_t top = 0;
    int first = (int)ceil(w / LOCATE_FIRST_DEG);
    for (int i = first - 1; i >= 0; i--)
        stack[top++] =
            (cell){s->distance_min_m, s->distance_max_m, s->bearing_min_deg + w * i / first,
                   s->bearing_min_deg + w * (i + 1) / first};
    double w_in = 0, w_out = 0;
    size_t n_in = 0, n_out = 0, n_unsure = 0, tested = 0;
    while (top) {
        cell c = stack[--top];
        double sc = (c.s0 + c.s1) / 2, ac = (c.a0 + c.a1) / 2;
        double lat, lon, m12 = 0;
        geod_gendirect(wgs84(), s->observer_lat, s->observer_lon, ac, GEOD_NOFLAGS, sc, &lat, &lon,
                       NULL, NULL, &m12, NULL, NULL, NULL);
        /* Any point of the cell is reached from its centre along the ray to
         * its distance (at most half the cell's depth) and then along the
         * arc at that distance, whose length is at most s1 times the angle
         * (the reduced length m <= s where the curvature is positive, as
         * everywhere on an ellipsoid). */
        double dr = (c.s1 - c.s0) / 2, da = c.s1 * (c.a1 - c.a0) * deg / 2;
        double r = (dr + da) * (1 + 1e-9) + margin_m;
        double weight = m12 * (c.s1 - c.s0) * (c.a1 - c.a0) * deg;
        truce_position p;
        truce_status st = test(ctx, lon, lat, r, &p);
        tested++;
        if (st != TRUCE_OK)
            return st;
        if (p == TRUCE_POS_INSIDE) {
            w_in += weight;
            n_in++;
            continue;
        }
        if (p == TRUCE_POS_OUTSIDE) {
            w_out += weight;
            n_out++;
            continue;
        }
        if (r - margin_m <= leaf_r || tested + top >= LOCATE_MAX_CELLS ||
            top + 2 > sizeof stack / sizeof stack[0]) {
            /* Settled as far as it goes: the centre says which side its
             * area counts on. */
            n_unsure++;
            st = test(ctx, lon, lat, 0, &p);
            if (st != TRUCE_OK)
                return st;
            if (p == TRUCE_POS_INSIDE)
                w_in += weight;
            else
                w_out += weight;
            continue;
        }
        if (dr >= da) {
            stack[top++] = (cell){sc, c.s1, c.a0, c.a1};
            stack[top++] = (cell){c.s0, sc, c.a0, c.a1};
        } else {
            stack[top++] = (cell){c.s0, c.s1, ac, c.a1};
            stack[top++] = (cell){c.s0, c.s1, c.a0, ac};
        }
    }
    if (!n_unsure && !n_out) {
        *position = TRUCE_POS_INSIDE;
        *fraction_inside = 1;
    } else if (!n_unsure && !n_in) {
        *position = TRUCE_POS_OUTSIDE;
        *fraction_inside = 0;
    } else {
        *position = TRUCE_POS_UNCERTAIN;
        *fraction_inside = w_in + w_out > 0 ? w_in / (w_in + w_out) : 0;
    }
    return TRUCE_OK;
}
