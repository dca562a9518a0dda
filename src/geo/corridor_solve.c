/* The exact solve: the nearest point of one geodesic piece to a point.
 *
 * Karney, "Algorithms for geodesics", J. Geodesy 87 (2013), sec. 8, solves
 * the interception problem with the ellipsoidal gnomonic projection centred on
 * the current estimate X of the nearest point: there geodesics through X are
 * straight, so the foot of the perpendicular from the projected point P onto
 * the projected road line is the next estimate, and the iteration converges
 * to the point where the geodesic X-P meets the road at 90 degrees (the
 * gnomonic projection is accurate to second order about its centre).
 *
 * With the geodesic X-P of azimuth gamma at X, reduced length m12 and
 * geodesic scale M12 (Karney 2013, eqs. 26-27), P lies at gnomonic radius
 * rho = m12 / M12 in direction gamma; the road leaves X with azimuth beta, so
 * the foot is at distance t = rho cos(gamma - beta) along the projected road.
 * A projected distance t along a geodesic through the centre is a ground
 * distance a atan(t / a) on a sphere of radius a; the step uses that, which
 * only affects how fast the iteration converges, not where it converges to
 * (the fixed point is cos(gamma - beta) = 0).
 *
 * Every geodesic quantity comes from PROJ's <geodesic.h>.  The estimate is
 * clamped to the piece's ends; pieces are at most CORR_PIECE_MAX_M long, so the
 * distance along a piece to any point not near the piece's antipode has one
 * minimum and the clamped iteration finds it. */
#include <math.h>

#include "geo/corridor_internal.h"

/* Stop when the step is below this (metres): the distance is then stationary
 * to |cos(gamma - beta)| * step, far below a nanometre. */
#define SOLVE_TOL_M 1e-9
#define SOLVE_MAX_ITER 40

void trc_corr_solve_piece(const truce_corridor *c, const corr_piece *pc, double lat, double lon,
                          double t0, corr_foot *out)
{
    double len = pc->len_m;
    double s = t0 * len;
    if (!(s > 0))
        s = 0;
    if (s > len)
        s = len;
    corr_foot best = {.d = HUGE_VAL};
    for (int iter = 0; iter < SOLVE_MAX_ITER; iter++) {
        double xlat, xlon, beta;
        if (s == 0) {
            xlat = pc->lat_a;
            xlon = pc->lon_a;
            beta = pc->line.azi1;
        } else {
            geod_genposition(&pc->line, GEOD_NOFLAGS, s, &xlat, &xlon, &beta, NULL, NULL, NULL,
                             NULL, NULL);
        }
        double d, gamma, azi2, m12, M12, M21;
        geod_geninverse(&c->geod, xlat, xlon, lat, lon, &d, &gamma, &azi2, &m12, &M12, &M21, NULL);
        /* The last iterate is the answer (near the foot the distance is
         * stationary, so comparing distances of iterates is rounding noise). */
        best.s = s;
        best.d = d;
        best.gamma_deg = gamma;
        best.dir_deg = s == 0 ? pc->dir_a_deg : s == len ? pc->dir_b_deg : beta;
        if (d == 0)
            break;
        double cosang = cos((gamma - beta) * CORR_DEG);
        double step;
        if (M12 > 0) {
            double t = m12 / M12 * cosang;
            step = CORR_A * atan(t / CORR_A);
        } else {
            step = d * cosang; /* beyond the gnomonic horizon: a plain descent step */
        }
        if (step > len)
            step = len;
        if (step < -len)
            step = -len;
        double next = s + step;
        if (next < 0)
            next = 0;
        if (next > len)
            next = len;
        if (fabs(next - s) <= SOLVE_TOL_M)
            break;
        s = next;
    }
    if (best.d > 1e6) {
        /* Far away (beyond 1000 km) the distance along a piece need not have a
         * single minimum: the ends are candidates too. */
        for (int end = 0; end < 2; end++) {
            double elat = end ? pc->lat_b : pc->lat_a, elon = end ? pc->lon_b : pc->lon_a;
            double d, gamma, azi2;
            geod_inverse(&c->geod, elat, elon, lat, lon, &d, &gamma, &azi2);
            if (d < best.d) {
                best.s = end ? len : 0;
                best.d = d;
                best.gamma_deg = gamma;
                best.dir_deg = end ? pc->dir_b_deg : pc->dir_a_deg;
            }
        }
    }
    *out = best;
}

/* Newton's method on the direct problem for an interior foot.
 *
 * Unknowns: the foot's arc length s on the piece and the distance d.  The
 * geodesic that leaves X(s) at right angles to the road (azimuth beta +- 90)
 * for d metres ends at P' = D(s, d).  Moving d moves P' along that geodesic;
 * moving s moves P' across it by M12 ds (the geodesic scale: the Jacobi field
 * with unit start and zero start derivative, Karney 2013 eq. 26; the road is
 * a geodesic, so the perpendicular is parallel-transported along it).  So the
 * residual r = P - P', resolved along and across the geodesic at P', gives
 * the update (dd, ds) = (r_along, r_across / M12), whose error is second order
 * in |r|.  D is PROJ's geod_gendirect; the residual is converted to metres
 * with the exact meridional and prime-vertical radii at P' (first order in
 * |r|, which is the order Newton needs).
 *
 * The solve is accepted when the last residual is small enough that the
 * second-order error |r|^2 / d of the last update is below 1e-10 m; it
 * returns 0 (and the caller falls back to trc_corr_solve_piece) when it cannot
 * settle the foot: near a pole, on the road itself, or if s leaves the
 * piece. */
static int solve_interior(const truce_corridor *c, const corr_piece *pc, double lat, double lon,
                          const double p[3], double t, double d2, corr_foot *out)
{
    const double e2 = CORR_F * (2 - CORR_F);
    if (fabs(lat) > 89)
        return 0;
    const corr_chord *ch = &c->chords[pc - c->pieces];
    /* The side: the sign of (u x (p - a)) . a, with a ~ the local up. */
    double w[3] = {p[0] - ch->a[0], p[1] - ch->a[1], p[2] - ch->a[2]};
    double x[3] = {ch->u[1] * w[2] - ch->u[2] * w[1], ch->u[2] * w[0] - ch->u[0] * w[2],
                   ch->u[0] * w[1] - ch->u[1] * w[0]};
    double k = (x[0] * ch->a[0] + x[1] * ch->a[1] + x[2] * ch->a[2]) /
               sqrt(ch->a[0] * ch->a[0] + ch->a[1] * ch->a[1] + ch->a[2] * ch->a[2]);
    double cd = sqrt(d2);
    if (cd < 1e-3 || fabs(k) < 0.5 * cd)
        return 0;
    double sigma = k < 0 ? 1.0 : -1.0; /* +1: right (beta + 90) */
    /* Chord to arc on a sphere of the mean radius: a start, not a bound. */
    const double r_mean = 6371008.8;
    double d = cd * (1 + d2 / (24 * r_mean * r_mean));
    double s = t * pc->len_m;
    for (int iter = 0; iter < 4; iter++) {
        double xlat, xlon, beta;
        geod_genposition(&pc->line, GEOD_NOFLAGS, s, &xlat, &xlon, &beta, NULL, NULL, NULL, NULL,
                         NULL);
        double alpha = beta + 90 * sigma;
        double plat, plon, azi2, M12;
        geod_gendirect(&c->geod, xlat, xlon, alpha, GEOD_NOFLAGS, d, &plat, &plon, &azi2, NULL,
                       NULL, &M12, NULL, NULL);
        if (!(M12 > 0))
            return 0;
        double phi = plat * CORR_DEG;
        double sp = sin(phi), cp = cos(phi);
        double wq = 1 - e2 * sp * sp;
        double mrad = CORR_A * (1 - e2) / (wq * sqrt(wq)), nrad = CORR_A / sqrt(wq);
        double north = (lat - plat) * CORR_DEG * mrad;
        /* remainder(dlon, 360) is dlon itself within [-180, 180] (at +-180
         * by ties to even): the call only beyond. */
        double dlon = lon - plon;
        if (fabs(dlon) > 180)
            dlon = remainder(dlon, 360.0);
        double east = dlon * CORR_DEG * nrad * cp;
        double sa = sin(azi2 * CORR_DEG), ca = cos(azi2 * CORR_DEG);
        double along = east * sa + north * ca;
        /* across: along azimuth azi2 - 90 sigma, the road's transported direction */
        double across = sigma * (north * sa - east * ca);
        double r2 = along * along + across * across;
        d += along;
        s += across / M12;
        if (!(s > 0 && s < pc->len_m) || !(d > 0))
            return 0;
        if (r2 <= 1e-10 * fmax(d, 1e-3) && r2 <= 1e-4) {
            out->s = s;
            out->d = d;
            out->dir_deg = beta;
            out->gamma_deg = alpha;
            return 1;
        }
    }
    return 0;
}

void trc_corr_solve(const truce_corridor *c, size_t i, double lat, double lon, const double p[3],
                    double t, double d2, corr_vcache *vc, corr_foot *out)
{
    const corr_piece *pc = &c->pieces[i];
    if (d2 < 1e12) { /* within 1000 km (chord): a piece is unimodal there */
        if (t <= 0 || t >= 1) {
            /* The chord says a vertex.  Its distance is one inverse problem;
             * it is this piece's nearest point exactly when the distance
             * does not decrease into the piece (the derivative of the
             * distance along the road is -cos(gamma - azimuth)). */
            int at_b = t >= 1;
            size_t id = at_b ? 2 * i + 1 : pc->has_prev ? 2 * (i - 1) + 1 : 2 * i;
            if (vc->id != id) {
                double vlat = at_b ? pc->lat_b : pc->lat_a, vlon = at_b ? pc->lon_b : pc->lon_a;
                double azi2;
                geod_inverse(&c->geod, vlat, vlon, lat, lon, &vc->d, &vc->gamma_deg, &azi2);
                vc->id = id;
            }
            double azi = at_b ? pc->azi_b_deg : pc->line.azi1;
            double cosang = cos((vc->gamma_deg - azi) * CORR_DEG);
            if (vc->d == 0 || (at_b ? cosang >= 0 : cosang <= 0)) {
                out->s = at_b ? pc->len_m : 0;
                out->d = vc->d;
                out->gamma_deg = vc->gamma_deg;
                out->dir_deg = at_b ? pc->dir_b_deg : pc->dir_a_deg;
                return;
            }
        } else if (solve_interior(c, pc, lat, lon, p, t, d2, out)) {
            return;
        }
    }
    trc_corr_solve_piece(c, pc, lat, lon, t, out);
}
