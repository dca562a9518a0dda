/* The corridor's fast path: distance, chainage and side without a geodesic
 * problem, within a proven bound of the exact solve, or nothing (and the
 * exact solve answers).  docs/corridor.md, "The fast path", derives every
 * term and its error; the names below follow it.
 *
 * Everything is in Earth-centred coordinates (ECEF, metres).  The ellipsoid
 * is x^T D x = 1 with D = diag(1/a^2, 1/a^2, 1/b^2): its outward unit normal
 * at x is D x / |D x| and its second fundamental form II(v, w) = v^T D w /
 * |D x| (v, w tangent), so the normal curvature in direction w is II(w, w)
 * and the geodesic torsion II(w, n x w).
 *
 *  - The road piece (a geodesic of at most CORR_PIECE_MAX_M) is the cubic
 *    X(s) = m + s t + s^2/2 k + s^3/6 j in arc length s about its midpoint.
 *  - The foot is the root of
 *      f(s) = (P - X).X' + (X'.b) (c^3/6 kappa tau - c^4/24 kappa tau')
 *    (the chord's component along the road, corrected by the geodesic
 *    torsion terms that make it the geodesic's right angle), by Newton's
 *    method; f is decreasing (f' within 1e-4 of -1), so a root beyond an
 *    end means the end.  At an end only f's sign matters: it is read from
 *    the chord where the chord puts the point beyond that end by a proven
 *    margin (most points off a winding road), else from f's chord part
 *    where that exceeds the torsion terms' bound.
 *  - The distance from the chord c = |P - F|: the geodesic of length g whose
 *    chord is c has c = g - kappa^2 g^3/24 + O(g^5) with kappa its normal
 *    curvature at its midpoint, so g = c + kappa^2 c^3/24 + 3 kappa^4 c^5/640.
 *
 * Written here rather than taken from PROJ: PROJ's geodesics are exact for
 * any two points and cost about 0.6 us a problem (bench_corridor's
 * proj.geod_inverse_only), the whole budget of a point at 25x PostGIS; the
 * formulas below cost some 0.1 us and are exact to the bound only for the
 * short lines a corridor needs, which is checked for every point. */
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "geo/corridor_internal.h"

#define INV_A2 (1.0 / (CORR_A * CORR_A))
#define INV_B2 (1.0 / (CORR_A * CORR_A * (1 - CORR_F) * (1 - CORR_F)))

/* Pieces touching latitudes beyond this are left to the exact solve (the
 * road's direction at a vertex is an azimuth, undefined at a pole). */
#define FAST_MAX_LAT_DEG 89.9

/* Newton's last step is at most this (metres). */
#define FAST_ACCEPT_M 0.1
#define FAST_MAX_ITER 8

/* A side is decided when the sine of the angle between the road's direction
 * and the direction to the point is at least this (the direction to the
 * point is known to ~1e-7 rad, docs/corridor.md). */
#define FAST_SIDE_SIN 1e-5

static inline double dot3(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static inline void cross3(const double a[3], const double b[3], double out[3])
{
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

/* D v . w */
static inline double dform(const double v[3], const double w[3])
{
    return (v[0] * w[0] + v[1] * w[1]) * INV_A2 + v[2] * w[2] * INV_B2;
}

/* The outward unit normal of the ellipsoid through q's direction (q near the
 * surface), and 1 / |D q_s| for q_s = q / sqrt(q^T D q) on the surface. */
static inline double normal_at(const double q[3], double n[3])
{
    double dq[3] = {q[0] * INV_A2, q[1] * INV_A2, q[2] * INV_B2};
    double len = sqrt(dot3(dq, dq));
    for (int i = 0; i < 3; i++)
        n[i] = dq[i] / len;
    /* |D q_s| = |D q| / sqrt(q^T D q) */
    return sqrt(dot3(q, dq)) / len;
}

/* Unit tangent (ECEF) of azimuth azi_deg at (lat, lon). */
static void tangent_of(double lat, double lon, double azi_deg, double out[3])
{
    double sp = sin(lat * CORR_DEG), cp = cos(lat * CORR_DEG);
    double sl = sin(lon * CORR_DEG), cl = cos(lon * CORR_DEG);
    double sa = sin(azi_deg * CORR_DEG), ca = cos(azi_deg * CORR_DEG);
    double north[3] = {-sp * cl, -sp * sl, cp}, east[3] = {-sl, cl, 0};
    for (int i = 0; i < 3; i++)
        out[i] = ca * north[i] + sa * east[i];
}

/* The normal curvature of the ellipsoid at x in the unit tangent direction t,
 * and its outward unit normal n there. */
static double curvature(const double x[3], const double t[3], double n[3])
{
    double inv = normal_at(x, n);
    return dform(t, t) * inv;
}

truce_status trc_corr_fast_build(truce_corridor *c)
{
    c->fallbacks = trc_malloc(sizeof *c->fallbacks);
    if (!c->fallbacks)
        return TRUCE_E_NOMEM;
    atomic_init(c->fallbacks, 0);
    c->fast = trc_calloc(c->npieces ? c->npieces : 1, sizeof *c->fast);
    if (!c->fast)
        return TRUCE_E_NOMEM;
    for (size_t i = 0; i < c->npieces; i++) {
        const corr_piece *pc = &c->pieces[i];
        corr_fast *F = &c->fast[i];
        double h = pc->len_m / 2, mlat, mlon, mazi;
        geod_genposition(&pc->line, GEOD_NOFLAGS, h, &mlat, &mlon, &mazi, NULL, NULL, NULL, NULL,
                         NULL);
        if (fabs(pc->lat_a) > FAST_MAX_LAT_DEG || fabs(pc->lat_b) > FAST_MAX_LAT_DEG ||
            fabs(mlat) > FAST_MAX_LAT_DEG || pc->len_m > CORR_PIECE_MAX_M * (1 + 1e-12))
            continue; /* h stays 0: the exact solve */
        trc_corr_ecef(mlat, mlon, F->m);
        trc_corr_ecef(pc->lat_b, pc->lon_b, F->b);
        tangent_of(mlat, mlon, mazi, F->t);
        tangent_of(pc->lat_a, pc->lon_a, pc->dir_a_deg, F->da);
        tangent_of(pc->lat_b, pc->lon_b, pc->dir_b_deg, F->db);
        /* x'' = kappa nu (nu = -n, inward); x''' = kappa' nu + kappa nu',
         * nu' = -(D t - n (n . D t)) / |D x|; kappa' from the curvatures at
         * the ends in the geodesic's own directions there (central
         * difference: its error is O(h^2 kappa''') and enters x''' only). */
        double n[3];
        double inv = normal_at(F->m, n);
        double kappa = dform(F->t, F->t) * inv;
        double dt[3] = {F->t[0] * INV_A2, F->t[1] * INV_A2, F->t[2] * INV_B2};
        double ndt = dot3(n, dt);
        double ta[3], tb[3], na[3], nb[3];
        tangent_of(pc->lat_a, pc->lon_a, pc->line.azi1, ta);
        tangent_of(pc->lat_b, pc->lon_b, pc->azi_b_deg, tb);
        double ka = curvature(c->chords[i].a, ta, na), kb = curvature(F->b, tb, nb);
        double dkappa = pc->len_m > 0 ? (kb - ka) / pc->len_m : 0;
        for (int d = 0; d < 3; d++) {
            F->n[d] = n[d];
            F->k[d] = -kappa * n[d];
            double nu1 = -(dt[d] - n[d] * ndt) * inv;
            F->j[d] = -dkappa * n[d] + kappa * nu1;
        }
        F->h = h;
        F->chain0_m = pc->chain0_m;
        F->chain1_m = pc->chain1_m;
        F->segment = (uint32_t)pc->segment;
        F->part = (uint32_t)pc->part;
        F->has_prev = pc->has_prev;
        F->has_next = pc->has_next;
        normal_at(c->chords[i].a, F->na);
        normal_at(F->b, F->nb);
    }
    /* Two pieces meeting at a vertex are both solved for a point whose foot
     * is there (the outer side of a bend: most points of a winding road):
     * where every input of the vertex's answer is the same bits, the second
     * takes the first's (fast_piece). */
    for (size_t i = 0; i + 1 < c->npieces; i++) {
        corr_fast *F = &c->fast[i], *G = &c->fast[i + 1];
        int same = F->has_next && F->h > 0 && G->h > 0 &&
                   !memcmp(F->b, c->chords[i + 1].a, sizeof F->b) &&
                   !memcmp(F->db, G->da, sizeof F->db) && !memcmp(F->nb, G->na, sizeof F->nb);
        F->same_next = G->same_prev = (unsigned char)same;
    }
    return TRUCE_OK;
}

/* The geodesic length whose chord vector from x is w (c2 = |w|^2): the
 * normal curvature at the chord's midpoint in the chord's direction
 * (projected on the tangent plane) gives g = c + kappa^2 c^3/24 +
 * 3 kappa^4 c^5/640. */
static double arc_of_chord(const double x[3], const double w[3], double c2)
{
    double q[3] = {x[0] + 0.5 * w[0], x[1] + 0.5 * w[1], x[2] + 0.5 * w[2]}, n[3];
    double inv = normal_at(q, n);
    double wn = dot3(w, n);
    double wt[3] = {w[0] - wn * n[0], w[1] - wn * n[1], w[2] - wn * n[2]};
    double lt2 = dot3(wt, wt);
    if (!(lt2 > 0))
        return sqrt(c2);
    double kappa = dform(wt, wt) * inv / lt2;
    double k2c2 = kappa * kappa * c2;
    return sqrt(c2) * (1 + k2c2 * (1.0 / 24 + k2c2 * (3.0 / 640)));
}

/* The foot condition on the cubic at s (docs/corridor.md): its chord part
 * f0 = (P - X).X' and f', without the torsion terms (twist below). */
typedef struct feval {
    double f0, fp;
    double x[3], xp[3], w[3]; /* X(s), X'(s), P - X(s) */
    double c2;
} feval;

static void feval_at(const corr_fast *F, const double p[3], double s, feval *e)
{
    double s2 = 0.5 * s * s, s3 = s2 * s / 3;
    double xpp[3];
    for (int d = 0; d < 3; d++) {
        e->x[d] = F->m[d] + s * F->t[d] + s2 * F->k[d] + s3 * F->j[d];
        e->xp[d] = F->t[d] + s * F->k[d] + s2 * F->j[d];
        xpp[d] = F->k[d] + s * F->j[d];
        e->w[d] = p[d] - e->x[d];
    }
    e->c2 = dot3(e->w, e->w);
    e->f0 = dot3(e->w, e->xp);
    e->fp = -dot3(e->xp, e->xp) + dot3(e->w, xpp);
}

double trc_corr_fast_twist(const double x[3], const double w[3], const double xp[3], double c2)
{
    /* The torsion term c^3/6 kappa tau (X'.b) at the chord's midpoint, with
     * w_t the chord's direction in the tangent plane and b = n x w_t. */
    double q[3] = {x[0] + 0.5 * w[0], x[1] + 0.5 * w[1], x[2] + 0.5 * w[2]};
    double n[3];
    double inv = normal_at(q, n);
    double wn = dot3(w, n);
    double wt[3] = {w[0] - wn * n[0], w[1] - wn * n[1], w[2] - wn * n[2]};
    double lt2 = dot3(wt, wt);
    if (!(lt2 > 0))
        return 0;
    double b[3];
    cross3(n, wt, b); /* |b| = |wt| */
    double lt = sqrt(lt2);
    double kappa = dform(wt, wt) * inv / lt2, tau = dform(wt, b) * inv / lt2;
    /* tau' along the geodesic: -(2 tau n.DT + kappa b.Dn) / |Dy| */
    double taup = -(2 * tau * dform(n, wt) + kappa * dform(b, n)) * inv / lt;
    double c = sqrt(c2);
    return c2 * kappa * (c * tau / 6 - c2 * taup / 24) * dot3(xp, b) / lt;
}

double trc_corr_fast_twist_bound(double c2)
{
    /* |kappa| <= a / b^2, |tau| <= (a / b^2 - b / a^2) / 2, |tau'| <= a e^2
     * / (2 b^2) (2 |tau|max + kappa_max), |X'.b| / |w_t| <= |X'| <= 1.0001
     * (docs/corridor.md, "The fast path", 2); doubled for the rounding of
     * the factors (each within a few ulps of its value). */
    const double a = CORR_A, b = CORR_A * (1 - CORR_F), e2 = CORR_F * (2 - CORR_F);
    const double kmax = a / (b * b), tmax = (kmax - b / (a * a)) / 2;
    const double tpmax = a * e2 / (2 * b * b) * (2 * tmax + kmax);
    const double k3 = 2 * 1.0001 * kmax * tmax / 6, k4 = 2 * 1.0001 * kmax * tpmax / 24;
    double c = sqrt(c2);
    return c2 * c * (k3 + c * k4);
}

/* The fast foot on one piece. */
typedef struct fast_foot {
    double d; /* geodesic distance */
    double s; /* arc length from the piece's start, in [0, len] */
    int end;  /* -1: at the start, 1: at the end, 0: interior */
    truce_side side;
    uint32_t piece;
} fast_foot;

/* Side from the road's direction dir, the direction w to the point and the
 * outward normal n: right when w is clockwise from dir seen from above
 * ((dir x w) . n < 0).  0 when too close to call. */
static int side_of_vectors(const double dir[3], const double w[3], const double n[3],
                           truce_side *out)
{
    double x[3];
    cross3(dir, w, x);
    double wn = dot3(w, n);
    double lt2 = dot3(w, w) - wn * wn;
    double s = dot3(x, n);
    if (!(lt2 > 0) || !(s * s >= FAST_SIDE_SIN * FAST_SIDE_SIN * lt2 * dot3(dir, dir)))
        return 0;
    *out = s < 0 ? TRUCE_SIDE_RIGHT : TRUCE_SIDE_LEFT;
    return 1;
}

double trc_corr_fast_end_margin(double h, double d2)
{
    /* f >= 0 at s = h (f <= 0 at -h) when (P - b).u exceeds |P - b| |X'(h)
     * - u| + |b - X(h)| + the torsion terms; |X'(h) - u| <= kappa_max h (the
     * tangent turns by at most kappa_max a metre) + 4.2e-9 (|b - a| against
     * 2h) + 9e-14 (the cubic's tangent); CORR_EPS_M for |b - X(h)| (1.1e-11
     * m) and the rounding of along and of the chord part. */
    const double b = CORR_A * (1 - CORR_F), kmax = CORR_A / (b * b);
    return sqrt(d2) * (kmax * h + 5e-9) + trc_corr_fast_twist_bound(d2) + CORR_EPS_M;
}

/* The foot on piece F (chord ch) for p by Newton's method on f, started
 * from the chord's distance along (unclamped): -1 or 1 at the piece's start
 * or end, 0 inside at *s_out (arc length from the midpoint), 2 when the
 * fast path cannot answer.
 *
 * A step of at most FAST_ACCEPT_M is the last: its result is within 2e-8 m
 * of the root of f (docs/corridor.md: f' is within 1e-4 of -1, |f''| <
 * 1.6e-9 / m and the torsion terms' own derivative, which the step leaves
 * out, below 1.5e-7).  A root beyond an end is that end (f decreases).  At
 * an end, where f's sign alone decides, the torsion terms are computed only
 * when the chord part f0 is within their bound of zero. */
static int newton_foot(const corr_fast *F, const corr_chord *ch, const double p[3], double along,
                       double *s_out)
{
    double h = F->h;
    double s = ch->len > 0 ? along * (2 * h / ch->len) - h : 0;
    if (s > h)
        s = h;
    if (s < -h)
        s = -h;
    feval e;
    for (int iter = 0; iter < FAST_MAX_ITER; iter++) {
        feval_at(F, p, s, &e);
        if (!(e.fp < -0.5))
            return 2;
        /* At s = h the answer is the end exactly when f >= 0 (a step from
         * h of at most FAST_ACCEPT_M ends at or beyond h; a longer one is
         * clamped back to h), at s = -h when f <= 0; |f - f0| is at most
         * the bound. */
        if (s == h || s == -h) {
            double bound = trc_corr_fast_twist_bound(e.c2);
            if (s == h ? e.f0 > bound : e.f0 < -bound)
                return s == h ? 1 : -1;
        }
        double f = e.f0 + trc_corr_fast_twist(e.x, e.w, e.xp, e.c2);
        double step = -f / e.fp, next = s + step;
        if (fabs(step) <= FAST_ACCEPT_M) {
            *s_out = next;
            return next >= h ? 1 : next <= -h ? -1 : 0;
        }
        if (next > h)
            next = h;
        if (next < -h)
            next = -h;
        if (next == s) /* at an end, the root beyond it */
            return s > 0 ? 1 : -1;
        s = next;
    }
    return 2;
}

/* Solve piece i for p, given the chord's distance along (unclamped) and
 * chord distance^2 d2; res[0, nres) are the pieces already solved for p.
 * 0 when the fast path cannot answer. */
static int fast_piece(const truce_corridor *c, uint32_t i, const double p[3], double along,
                      double d2, const fast_foot *res, size_t nres, fast_foot *out)
{
    const corr_fast *F = &c->fast[i];
    const corr_chord *ch = &c->chords[i];
    double h = F->h, s = 0;
    if (!(h > 0))
        return 0;
    /* The chord beyond an end by more than the margin: newton_foot's first
     * step, from that end, would stop there. */
    double beyond = along > ch->len ? along - ch->len : -along;
    int end = beyond > 0 && beyond > trc_corr_fast_end_margin(h, d2)
                  ? (along > 0 ? 1 : -1)
                  : newton_foot(F, ch, p, along, &s);
    if (end == 2)
        return 0;
    out->piece = i;
    out->end = end;
    if (end) {
        out->s = end > 0 ? 2 * h : 0;
        /* the neighbour already at this vertex: the same inputs, the same
         * answer (trc_corr_fast_build) */
        if (end > 0 ? F->same_next : F->same_prev) {
            uint32_t nb = end > 0 ? i + 1 : i - 1;
            for (size_t k = 0; k < nres; k++)
                if (res[k].piece == nb && res[k].end == -end) {
                    out->d = res[k].d;
                    out->side = res[k].side;
                    return 1;
                }
        }
        const double *v = end > 0 ? F->b : ch->a;
        double w[3] = {p[0] - v[0], p[1] - v[1], p[2] - v[2]};
        out->d = arc_of_chord(v, w, dot3(w, w));
        return side_of_vectors(end > 0 ? F->db : F->da, w, end > 0 ? F->nb : F->na, &out->side);
    }
    double s2 = 0.5 * s * s, s3 = s2 * s / 3, x[3], xp[3], w[3];
    for (int d = 0; d < 3; d++) {
        x[d] = F->m[d] + s * F->t[d] + s2 * F->k[d] + s3 * F->j[d];
        xp[d] = F->t[d] + s * F->k[d] + s2 * F->j[d];
        w[d] = p[d] - x[d];
    }
    out->d = arc_of_chord(x, w, dot3(w, w));
    out->s = s + h;
    /* the side with the midpoint's normal: within 1e-4 rad of the foot's */
    return side_of_vectors(xp, w, F->n, &out->side);
}

/* Chord distance^2 of p to chord ch and the distance along it (unclamped). */
static inline double chord_d2(const corr_chord *ch, const double p[3], double *along_out)
{
    double w[3] = {p[0] - ch->a[0], p[1] - ch->a[1], p[2] - ch->a[2]};
    double along = dot3(w, ch->u);
    *along_out = along;
    double a = along > 0 ? along : 0; /* branch-free (maxsd, minsd) */
    a = a < ch->len ? a : ch->len;
    double q[3] = {w[0] - a * ch->u[0], w[1] - a * ch->u[1], w[2] - a * ch->u[2]};
    return dot3(q, q);
}

/* trc_corr_chord_to_geodesic_ub, 2 rho asin(c / 2 rho), for chords up to
 * 127 km (x = c / 2 rho <= 0.01) without the asin: asin x = x + x^3/6 +
 * 3x^5/40 + 5x^7/112 + ... <= x + x^3/6 + x^5/8 for x <= 1/2. */
static inline double chord_ub_short(double c)
{
    const double b = CORR_A * (1 - CORR_F), rho = b * b / CORR_A;
    double x2 = c * c / (4 * rho * rho);
    return c * (1 + x2 * (1.0 / 6 + x2 / 8));
}

/* The tie slack of the fast path: two answers each within CORR_FAST_EPS_M,
 * and the tie tolerance. */
#define FAST_SLACK (2 * CORR_FAST_EPS_M + TRUCE_CORRIDOR_TIE_M)

double trc_corr_cand_lim(const truce_corridor *c, double m)
{
    /* The fast path keeps chord distances up to chord_ub_short(m + mdev) +
     * CORR_EPS_M + FAST_SLACK + dev_max + CORR_EPS_M (below); the exact
     * solve up to trc_corr_chord_to_geodesic_ub(m + mdev) + CORR_EPS_M +
     * dev_j + CORR_EPS_M; mdev, dev_j <= dev_max and both bounds grow with
     * their argument. */
    double x = m + c->dev_max;
    double ub = fmax(chord_ub_short(x), trc_corr_chord_to_geodesic_ub(x));
    return ub + FAST_SLACK + c->dev_max + 2 * CORR_EPS_M;
}

#define FAST_CANDS 64
/* Candidate lists up to this long (the grid's are shorter) are scanned once
 * onto the stack; longer ones (a point outside the grid) go to the exact
 * solve. */
#define FAST_SCAN 1024

/* Whether result r, at a vertex it shares with the next or previous piece
 * of its part, is not the nearest point there: that neighbour's own foot is
 * elsewhere on it (the distance decreases into it), or at the same vertex
 * and the neighbour comes first. */
static int superseded(const truce_corridor *c, const fast_foot *r, const fast_foot *res, size_t n)
{
    const corr_fast *pc = &c->fast[r->piece];
    if (r->end == 0 || (r->end > 0 && !pc->has_next) || (r->end < 0 && !pc->has_prev))
        return 0;
    uint32_t nb = r->end > 0 ? r->piece + 1 : r->piece - 1;
    for (size_t k = 0; k < n; k++) {
        if (res[k].piece != nb)
            continue;
        if (res[k].end == -r->end) /* both at the shared vertex: the earlier piece stays */
            return r->end < 0;
        return 1;
    }
    return 0;
}

int trc_corr_measure_fast(const truce_corridor *c, const double p[3], const uint32_t *cands,
                          size_t ncand, truce_measure *out)
{
    if (!c->fast)
        return 0;
    if (ncand > FAST_SCAN)
        return 0;
    double sd2[FAST_SCAN], sal[FAST_SCAN];
    double m2 = HUGE_VAL;
    size_t mi = 0;
    for (size_t i = 0; i < ncand; i++) {
        double d2 = chord_d2(&c->chords[cands[i]], p, &sal[i]);
        sd2[i] = d2;
        int lt = d2 < m2; /* branch-free: the minimum moves unpredictably */
        m2 = lt ? d2 : m2;
        mi = lt ? i : mi;
    }
    double mdev = ncand ? c->chords[cands[mi]].dev : 0;
    if (!(m2 <= CORR_FAST_MAX_CHORD_M * CORR_FAST_MAX_CHORD_M))
        return 0;
    /* Every piece whose lower bound (chord distance - dev) can be within
     * the error bound and the tie tolerance of the nearest's upper bound;
     * dev_max for dev keeps a few more than needed, never fewer. */
    const double slack = FAST_SLACK;
    double ub = chord_ub_short(sqrt(m2) + mdev) + CORR_EPS_M;
    double lim = ub + slack + c->dev_max + CORR_EPS_M, lim2 = lim * lim;
    cand_lb cl[FAST_CANDS];
    size_t n = 0;
    for (size_t i = 0; i < ncand; i++) {
        if (sd2[i] > lim2)
            continue;
        if (n == FAST_CANDS)
            return 0;
        const corr_chord *ch = &c->chords[cands[i]];
        cl[n++] = (cand_lb){cands[i], sqrt(sd2[i]) - ch->dev - CORR_EPS_M, sal[i], sd2[i]};
    }
    fast_foot res[FAST_CANDS];
    size_t nres = 0;
    double best = HUGE_VAL;
    for (size_t done = 0; done < n; done++) {
        cand_lb cur = trc_corr_next_cand(cl, done, n);
        if (cur.lb > best + slack)
            break;
        if (!fast_piece(c, cur.piece, p, cur.t, cur.d2, res, nres, &res[nres]))
            return 0;
        if (res[nres].d < best)
            best = res[nres].d;
        nres++;
    }
    /* The nearest locus; another within the error bound (plus the tie
     * tolerance) is a tie the exact solve must settle. */
    const fast_foot *win = nres == 1 ? &res[0] : NULL;
    unsigned char sup[FAST_CANDS];
    for (size_t k = 0; k < nres && nres > 1; k++) {
        sup[k] = (unsigned char)superseded(c, &res[k], res, nres);
        if (!sup[k] && (!win || res[k].d < win->d))
            win = &res[k];
    }
    if (!win)
        return 0;
    for (size_t k = 0; k < nres && nres > 1; k++)
        if (&res[k] != win && res[k].d <= win->d + slack && !sup[k])
            return 0;
    double depth = win->side == TRUCE_SIDE_LEFT ? c->left_m : c->right_m;
    if (win->d < CORR_FAST_MIN_D_M || fabs(win->d - depth) <= 2 * CORR_FAST_EPS_M)
        return 0;
    const corr_fast *pc = &c->fast[win->piece];
    out->distance_m = win->d;
    out->chainage_m = win->end > 0 ? pc->chain1_m : pc->chain0_m + win->s;
    if (out->chainage_m > pc->chain1_m)
        out->chainage_m = pc->chain1_m;
    out->side = win->side;
    out->segment = pc->segment;
    out->part = pc->part;
    return 1;
}
