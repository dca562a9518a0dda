/* The independent reference of the corridor tests (test_corridor.c,
 * test_corridor_fast.c): GeographicLib's algorithms through PROJ, no chords,
 * no index, no fast path.  The including file calls geod_init on `geod`. */
#ifndef TRUCE_TEST_CORRIDOR_REFERENCE_H
#define TRUCE_TEST_CORRIDOR_REFERENCE_H

#include <geodesic.h>
#include <math.h>
#include <stdlib.h>

#include "geo/corridor_internal.h"
#include "truce/corridor.h"

static struct geod_geodesic geod;

/* A corridor over one part of n vertices (the test fails if it cannot). */
static inline truce_corridor *make(const double *lonlat, size_t n, double left, double right)
{
    truce_road_part part = {lonlat, n};
    truce_corridor *c = NULL;
    assert_int_equal(truce_corridor_new(&part, 1, left, right, &c), TRUCE_OK);
    return c;
}

/* ---- the independent reference ----
 * Per segment (a geodesic from PROJ's geod_inverseline), the nearest point is
 * found by bisection on the sign of the derivative of the distance along the
 * segment, -cos(gamma - beta), evaluated with geod_inverse: no gnomonic
 * projection, no Newton, no chords, no index. */
typedef struct ref_result {
    double d, chain, second_d;
    int side;
} ref_result;

static double deriv(const struct geod_geodesicline *l, double s, double lat, double lon, double *d,
                    double *gamma, double *beta)
{
    double xl, xo;
    geod_genposition(l, GEOD_NOFLAGS, s, &xl, &xo, beta, NULL, NULL, NULL, NULL, NULL);
    double azi2;
    geod_inverse(&geod, xl, xo, lat, lon, d, gamma, &azi2);
    return -cos((*gamma - *beta) * CORR_DEG);
}

static ref_result reference(const double *v, size_t n, double lon, double lat)
{
    ref_result r = {HUGE_VAL, 0, HUGE_VAL, 1};
    struct geod_geodesicline *lines = malloc(n * sizeof *lines);
    assert_non_null(lines);
    size_t nl = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        geod_inverseline(&lines[nl], &geod, v[2 * i + 1], v[2 * i], v[2 * i + 3], v[2 * i + 2], 0);
        if (lines[nl].s13 > 1e-9)
            nl++;
    }
    double c0 = 0;
    for (size_t i = 0; i < nl; i++) {
        const struct geod_geodesicline *l = &lines[i];
        double len = l->s13, d, g, b, lo = 0, hi = len, s;
        double f0 = deriv(l, 0, lat, lon, &d, &g, &b);
        double f1 = deriv(l, len, lat, lon, &d, &g, &b);
        if (f0 >= 0) {
            s = 0;
        } else if (f1 <= 0) {
            s = len;
        } else {
            for (int k = 0; k < 200 && hi - lo > 1e-11; k++) {
                double m = 0.5 * (lo + hi);
                if (deriv(l, m, lat, lon, &d, &g, &b) < 0)
                    lo = m;
                else
                    hi = m;
            }
            s = 0.5 * (lo + hi);
        }
        deriv(l, s, lat, lon, &d, &g, &b);
        /* the road's direction at an interior vertex: the bisector */
        double dir = b;
        double in = (double)NAN, out = (double)NAN;
        if (s == 0 && i > 0) {
            double e;
            deriv(&lines[i - 1], lines[i - 1].s13, lat, lon, &d, &g, &e);
            in = e;
            out = l->azi1;
            deriv(l, s, lat, lon, &d, &g, &b);
        } else if (s == len && i + 1 < nl) {
            in = b;
            out = lines[i + 1].azi1;
        }
        if (!isnan(in)) {
            double x = cos(in * CORR_DEG) + cos(out * CORR_DEG);
            double y = sin(in * CORR_DEG) + sin(out * CORR_DEG);
            dir = atan2(y, x) / CORR_DEG;
        }
        if (d < r.d - 1e-9) {
            r.second_d = r.d;
            r.d = d;
            r.chain = c0 + s;
            double a = remainder(g - dir, 360);
            r.side = (a < 0 && a > -180) ? -1 : 1;
        } else if (d < r.second_d && !(s == 0 && r.chain == c0)) {
            r.second_d = d; /* (a vertex shared with the previous segment is no tie) */
        }
        c0 += len;
    }
    free(lines);
    return r;
}

#endif
