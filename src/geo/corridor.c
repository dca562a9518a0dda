/* Corridors: building the handle, measure and decide.  See truce/corridor.h
 * and docs/corridor.md. */
#include "truce/corridor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "geo/corridor_internal.h"

/* Segments shorter than this (metres) count as zero-length. */
#define ZERO_SEGMENT_M 1e-9

void trc_corr_ecef(double lat_deg, double lon_deg, double out[3])
{
    const double e2 = CORR_F * (2 - CORR_F);
    double phi = lat_deg * CORR_DEG, lam = lon_deg * CORR_DEG;
    double sp = sin(phi), cp = cos(phi);
    double n = CORR_A / sqrt(1 - e2 * sp * sp);
    out[0] = n * cp * cos(lam);
    out[1] = n * cp * sin(lam);
    out[2] = n * (1 - e2) * sp;
}

double trc_corr_chord_to_geodesic_ub(double chord_m)
{
    /* rho = b^2 / a, the smallest radius of curvature of WGS84 (the meridian
     * at the equator).  A geodesic is a space curve whose curvature is the
     * normal curvature of the surface, at most 1 / rho; by Schur's comparison
     * theorem its chord is at least that of a circular arc of radius rho and
     * the same length s <= pi rho: chord >= 2 rho sin(s / (2 rho)). */
    const double b = CORR_A * (1 - CORR_F);
    const double rho = b * b / CORR_A;
    if (!(chord_m > 0))
        return 0;
    if (chord_m > 1e6)
        return HUGE_VAL;
    return 2 * rho * asin(chord_m / (2 * rho));
}

/* trc_corr_chord_dist2's work, inlined into the scans: the distance^2, and in
 * *along the unclamped distance along the chord of p's projection (which
 * chord_frac turns into the fraction only for the pieces that need it). */
static inline double chord_dist2_along(const corr_chord *c, const double p[3], double *along_out)
{
    double w0 = p[0] - c->a[0], w1 = p[1] - c->a[1], w2 = p[2] - c->a[2];
    double along = w0 * c->u[0] + w1 * c->u[1] + w2 * c->u[2];
    *along_out = along;
    if (along <= 0)
        along = 0;
    else if (along >= c->len)
        along = c->len;
    double q0 = w0 - along * c->u[0], q1 = w1 - along * c->u[1], q2 = w2 - along * c->u[2];
    return q0 * q0 + q1 * q1 + q2 * q2;
}

static inline double chord_frac(const corr_chord *c, double along)
{
    return along <= 0 ? 0 : along >= c->len ? 1 : along / c->len;
}

double trc_corr_chord_dist2(const corr_chord *c, const double p[3], double *t)
{
    double along;
    double d2 = chord_dist2_along(c, p, &along);
    if (t)
        *t = chord_frac(c, along);
    return d2;
}

/* The direction halfway between azimuths a1 and a2 (degrees): the azimuth of
 * the sum of their unit vectors; a1 when they are opposite. */
static double bisector(double a1, double a2)
{
    double x = cos(a1 * CORR_DEG) + cos(a2 * CORR_DEG);
    double y = sin(a1 * CORR_DEG) + sin(a2 * CORR_DEG);
    if (hypot(x, y) < 1e-12)
        return a1;
    return atan2(y, x) / CORR_DEG;
}

static int coord_ok(double lon, double lat)
{
    return isfinite(lon) && isfinite(lat) && lat >= -90 && lat <= 90 && lon >= -540 && lon < 540;
}

/* The pieces a segment of s12 metres (geod_inverse's) is cut into: the
 * count pass and add_segment both take it from the same s12. */
static size_t pieces_of(double s12)
{
    size_t k = (size_t)ceil(s12 / CORR_PIECE_MAX_M);
    return k < 1 ? 1 : k;
}

/* Append the pieces of segment (lat1, lon1) -> (lat2, lon2), s12 metres
 * long by geod_inverse. */
static void add_segment(truce_corridor *c, size_t *np, double lat1, double lon1, double lat2,
                        double lon2, double s12, size_t part)
{
    struct geod_geodesicline seg;
    const unsigned caps = GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_AZIMUTH | GEOD_DISTANCE_IN;
    geod_inverseline(&seg, &c->geod, lat1, lon1, lat2, lon2, caps);
    double len = seg.s13;
    size_t k = pieces_of(s12);
    double plat = lat1, plon = lon1, pazi = seg.azi1;
    for (size_t i = 0; i < k; i++) {
        corr_piece *pc = &c->pieces[(*np)++];
        double s_end = i + 1 == k ? len : len * (double)(i + 1) / (double)k;
        double s_start = len * (double)i / (double)k;
        if (k == 1)
            pc->line = seg;
        else
            geod_lineinit(&pc->line, &c->geod, plat, plon, pazi, caps);
        pc->len_m = s_end - s_start;
        pc->chain0_m = c->length_m + s_start;
        pc->lat_a = plat;
        pc->lon_a = plon;
        pc->dir_a_deg = pazi;
        double elat, elon, eazi;
        if (i + 1 == k) {
            elat = lat2;
            elon = lon2;
            geod_genposition(&seg, GEOD_NOFLAGS, len, NULL, NULL, &eazi, NULL, NULL, NULL, NULL,
                             NULL);
        } else {
            geod_genposition(&seg, GEOD_NOFLAGS, s_end, &elat, &elon, &eazi, NULL, NULL, NULL, NULL,
                             NULL);
        }
        pc->lat_b = elat;
        pc->lon_b = elon;
        pc->dir_b_deg = eazi;
        pc->azi_b_deg = eazi;
        pc->chain1_m = c->length_m + s_end;
        pc->segment = c->nsegments;
        pc->part = part;
        pc->has_prev = i > 0;
        pc->has_next = i + 1 < k;
        plat = elat;
        plon = elon;
        pazi = eazi;
    }
    c->length_m += len;
    c->nsegments++;
}

truce_status truce_corridor_new(const truce_road_part *parts, size_t nparts, double left_m,
                                double right_m, truce_corridor **out)
{
    if (!out)
        return TRUCE_E_ARG;
    *out = NULL;
    if (!parts || nparts == 0 || !isfinite(left_m) || !isfinite(right_m) || left_m < 0 ||
        right_m < 0 || left_m > 1e7 || right_m > 1e7)
        return TRUCE_E_ARG;
    truce_corridor *c = trc_calloc(1, sizeof *c);
    if (!c)
        return TRUCE_E_NOMEM;
    geod_init(&c->geod, CORR_A, CORR_F);
    c->left_m = left_m;
    c->right_m = right_m;
    c->dmin_m = fmin(left_m, right_m);
    c->dmax_m = fmax(left_m, right_m);
    c->nparts = nparts;

    /* First pass: validate and count the pieces. */
    truce_status st = TRUCE_OK;
    size_t npieces = 0, nvertices = 0;
    double length_m = 0;
    for (size_t p = 0; p < nparts && !st; p++) {
        if (!parts[p].lonlat && parts[p].n) {
            st = TRUCE_E_ARG;
            break;
        }
        nvertices += parts[p].n;
        if (nvertices > TRUCE_ROAD_MAX_VERTICES) {
            st = TRUCE_E_RANGE;
            break;
        }
        size_t distinct = 0;
        double plon = 0, plat = 0;
        for (size_t i = 0; i < parts[p].n; i++) {
            double lon = parts[p].lonlat[2 * i], lat = parts[p].lonlat[2 * i + 1];
            if (!coord_ok(lon, lat)) {
                st = TRUCE_E_RANGE;
                break;
            }
            if (distinct) {
                double s12;
                geod_inverse(&c->geod, plat, plon, lat, lon, &s12, NULL, NULL);
                if (s12 <= ZERO_SEGMENT_M)
                    continue;
                length_m += s12;
                if (length_m > TRUCE_ROAD_MAX_LENGTH_M) {
                    st = TRUCE_E_RANGE;
                    break;
                }
                npieces += pieces_of(s12);
            }
            distinct++;
            plon = lon;
            plat = lat;
        }
        if (!st && distinct < 2)
            st = TRUCE_E_GEOMETRY;
    }
    if (!st && npieces > CORR_MAX_PIECES)
        st = TRUCE_E_INTERNAL; /* the limits above rule it out */
    if (!st) {
        c->pieces = trc_calloc(npieces, sizeof *c->pieces);
        if (!c->pieces)
            st = TRUCE_E_NOMEM;
    }
    if (st) {
        truce_corridor_free(c);
        return st;
    }

    /* Second pass: the pieces, and the bisectors at interior vertices. */
    size_t np = 0;
    for (size_t p = 0; p < nparts; p++) {
        double plon = parts[p].lonlat[0], plat = parts[p].lonlat[1];
        size_t first_of_seg = np, prev_last = SIZE_MAX;
        for (size_t i = 1; i < parts[p].n; i++) {
            double lon = parts[p].lonlat[2 * i], lat = parts[p].lonlat[2 * i + 1];
            double s12;
            geod_inverse(&c->geod, plat, plon, lat, lon, &s12, NULL, NULL);
            if (s12 <= ZERO_SEGMENT_M)
                continue;
            first_of_seg = np;
            add_segment(c, &np, plat, plon, lat, lon, s12, p);
            if (prev_last != SIZE_MAX) {
                c->pieces[prev_last].has_next = 1;
                c->pieces[first_of_seg].has_prev = 1;
                double b =
                    bisector(c->pieces[prev_last].dir_b_deg, c->pieces[first_of_seg].dir_a_deg);
                c->pieces[prev_last].dir_b_deg = b;
                c->pieces[first_of_seg].dir_a_deg = b;
            }
            prev_last = np - 1;
            plon = lon;
            plat = lat;
        }
    }
    c->npieces = np;

    /* Chords, their deviation bounds and a ball around the whole road. */
    c->chords = trc_malloc(np * sizeof *c->chords);
    c->all = trc_malloc(np * sizeof *c->all);
    if (!c->chords || !c->all) {
        truce_corridor_free(c);
        return TRUCE_E_NOMEM;
    }
    const double b = CORR_A * (1 - CORR_F);
    const double kappa_max = CORR_A / (b * b);
    double centre[3] = {0, 0, 0};
    for (size_t i = 0; i < np; i++) {
        corr_piece *pc = &c->pieces[i];
        corr_chord *ch = &c->chords[i];
        double e[3];
        trc_corr_ecef(pc->lat_a, pc->lon_a, ch->a);
        trc_corr_ecef(pc->lat_b, pc->lon_b, e);
        double v[3] = {e[0] - ch->a[0], e[1] - ch->a[1], e[2] - ch->a[2]};
        ch->len = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        for (int k = 0; k < 3; k++) {
            ch->u[k] = ch->len > 0 ? v[k] / ch->len : 0;
            centre[k] += ch->a[k] + e[k];
        }
        /* The arc point and the chord point at the same fraction are at most
         * kappa_max L^2 / 8 apart (interpolation error of a curve with
         * |x''| <= kappa_max); docs/corridor.md. */
        ch->dev = kappa_max * pc->len_m * pc->len_m / 8 + CORR_EPS_M;
        if (ch->dev > c->dev_max)
            c->dev_max = ch->dev;
        c->all[i] = (uint32_t)i;
    }
    for (int k = 0; k < 3; k++)
        c->sphere_c[k] = centre[k] / (2.0 * (double)np);
    for (size_t i = 0; i < np; i++) {
        double e[3];
        trc_corr_ecef(c->pieces[i].lat_b, c->pieces[i].lon_b, e);
        const double *a = c->chords[i].a;
        double ra =
            hypot(hypot(a[0] - c->sphere_c[0], a[1] - c->sphere_c[1]), a[2] - c->sphere_c[2]);
        double rb =
            hypot(hypot(e[0] - c->sphere_c[0], e[1] - c->sphere_c[1]), e[2] - c->sphere_c[2]);
        double r = fmax(ra, rb) + c->chords[i].dev;
        if (r > c->sphere_r)
            c->sphere_r = r;
    }

    /* The blocks' balls: centred on the middle of their chords' ends, with
     * a millimetre more than the farthest end (a chord lies within the ball
     * around its ends). */
    c->nblocks = (np + CORR_BLOCK - 1) / CORR_BLOCK;
    if (!(c->blocks = trc_calloc(c->nblocks, sizeof *c->blocks))) {
        truce_corridor_free(c);
        return TRUCE_E_NOMEM;
    }
    for (size_t k = 0; k < c->nblocks; k++) {
        corr_block *bl = &c->blocks[k];
        size_t i0 = k * CORR_BLOCK, i1 = i0 + CORR_BLOCK < np ? i0 + CORR_BLOCK : np;
        double lo[3] = {HUGE_VAL, HUGE_VAL, HUGE_VAL}, hi[3] = {-HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
        for (size_t i = i0; i < i1; i++)
            for (int end = 0; end < 2; end++)
                for (int d = 0; d < 3; d++) {
                    const corr_chord *ch = &c->chords[i];
                    double x = ch->a[d] + (end ? ch->len * ch->u[d] : 0);
                    lo[d] = fmin(lo[d], x);
                    hi[d] = fmax(hi[d], x);
                }
        for (int d = 0; d < 3; d++)
            bl->c[d] = 0.5 * (lo[d] + hi[d]);
        for (size_t i = i0; i < i1; i++)
            for (int end = 0; end < 2; end++) {
                const corr_chord *ch = &c->chords[i];
                double q[3];
                for (int d = 0; d < 3; d++)
                    q[d] = ch->a[d] + (end ? ch->len * ch->u[d] : 0) - bl->c[d];
                double r = sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]) + 1e-3;
                if (r > bl->r)
                    bl->r = r;
            }
    }

    /* decide's per-point chord thresholds (see truce_corridor_decide). */
    const double rho = b * b / CORR_A;
    double in_chord = 2 * rho * sin(c->dmin_m / (2 * rho)) - c->dev_max - 4 * CORR_EPS_M;
    c->chord_in2 = in_chord > 0 ? in_chord * in_chord : -1;
    double out_chord = c->dmax_m + c->dev_max + 4 * CORR_EPS_M;
    c->chord_out2 = out_chord * out_chord;

    st = trc_corr_grid_build(c);
    if (!st)
        st = trc_corr_fast_build(c);
    if (st) {
        truce_corridor_free(c);
        return st;
    }
    *out = c;
    return TRUCE_OK;
}

void truce_corridor_free(truce_corridor *c)
{
    if (!c)
        return;
    trc_corr_grid_release(&c->grid);
    trc_free(c->pieces);
    trc_free(c->chords);
    trc_free(c->all);
    trc_free(c->blocks);
    trc_free(c->fast);
    trc_free(c->fallbacks);
    trc_free(c);
}

double truce_corridor_length_m(const truce_corridor *c)
{
    return c->length_m;
}

void truce_corridor_set_exact(truce_corridor *c, int exact)
{
    c->exact_only = exact != 0;
}

size_t truce_corridor_fallbacks(const truce_corridor *c)
{
    return atomic_load_explicit(c->fallbacks, memory_order_relaxed);
}

double truce_corridor_left_m(const truce_corridor *c)
{
    return c->left_m;
}

double truce_corridor_right_m(const truce_corridor *c)
{
    return c->right_m;
}

/* Side from the azimuth of the geodesic to the point and the road's
 * direction at the nearest point (truce/corridor.h). */
static truce_side side_of(double gamma_deg, double dir_deg)
{
    double x = gamma_deg - dir_deg;
    /* Left when remainder(x, 360) is in (-180, 0).  Azimuths are within
     * [-180, 180], so |x| <= 360 but for an interior foot's gamma (within
     * 270 of zero): there the remainder is x on (-180, 180), x - 360 on
     * (180, 360], x + 360 on [-360, -180) and x at +-180 (ties to even),
     * which is the test below without the call. */
    if (fabs(x) <= 360)
        return (x < 0 && x > -180) || (x > 180 && x < 360) ? TRUCE_SIDE_LEFT : TRUCE_SIDE_RIGHT;
    double alpha = remainder(x, 360.0);
    if (alpha < 0 && alpha > -180)
        return TRUCE_SIDE_LEFT;
    return TRUCE_SIDE_RIGHT;
}

/* Two feet on neighbouring pieces of one part, one at the vertex they
 * share and the other not: the one at the vertex is no nearest point (the
 * distance still decreases into the other piece), however small the
 * difference -- a far point's distance changes by only delta^2 / (2 d) a
 * distance delta from its foot, below the tie tolerance for delta of
 * centimetres (issue 19), so the tie rule must not see them.  1 when f
 * (on piece a) wins, -1 when the best (on b) stays, 0 when not such a pair. */
static int adjacent_end(const truce_corridor *c, const corr_piece *a, const corr_foot *fa,
                        const corr_piece *b, const corr_foot *fb)
{
    size_t ia = (size_t)(a - c->pieces), ib = (size_t)(b - c->pieces);
    int a_first = ia + 1 == ib && a->has_next, b_first = ib + 1 == ia && b->has_next;
    if (!a_first && !b_first)
        return 0;
    /* the shared vertex: the first piece's end, the second's start */
    int a_at = a_first ? fa->s == a->len_m : fa->s == 0;
    int b_at = b_first ? fb->s == b->len_m : fb->s == 0;
    if (a_at == b_at)
        return 0;
    return a_at ? -1 : 1;
}

#define CAND_STACK 64

/* Candidate lists up to this long (every grid cell of the bench's road; at
 * most 1024 pieces outside the grid go through outside_cands) are scanned
 * once, their chord distances kept on the stack; longer ones twice. */
#define SCAN_STACK 1024

/* Measure against a candidate list (every piece that can be nearest).
 *
 * The scan finds the least chord distance; the chord bounds turn it into an
 * upper bound ub of the distance to the road.  The pieces whose lower bound
 * (chord distance - dev) is at most ub are kept, and solved exactly in order
 * of lower bound until the next lower bound exceeds the best exact distance
 * (plus the tie tolerance).  Compared in squared chord lengths so that the
 * scans need no square roots.  The chord distances of the scan are kept for
 * the second look, which first drops what is beyond ub + dev_max (a looser
 * limit than any piece's, so the same pieces are kept, in the same order). */
void trc_corr_measure_exact(const truce_corridor *c, double lat, double lon, const double p[3],
                            const uint32_t *cands, size_t ncand, truce_measure *out)
{
    double sd2[SCAN_STACK], salong[SCAN_STACK];
    int stored = ncand <= SCAN_STACK;
    double m2 = HUGE_VAL, mdev = 0;
    for (size_t i = 0; i < ncand; i++) {
        const corr_chord *ch = &c->chords[cands[i]];
        double along;
        double d2 = chord_dist2_along(ch, p, &along);
        if (stored) {
            sd2[i] = d2;
            salong[i] = along;
        }
        if (d2 < m2) {
            m2 = d2;
            mdev = ch->dev;
        }
    }
    double ub = trc_corr_chord_to_geodesic_ub(sqrt(m2) + mdev) + CORR_EPS_M;
    double limmax = ub + c->dev_max + CORR_EPS_M, lim2max = limmax * limmax;

    cand_lb stackbuf[CAND_STACK];
    cand_lb *buf = stackbuf;
    size_t cap = CAND_STACK, todo = 0;
    for (size_t i = 0; i < ncand; i++) {
        const corr_chord *ch = &c->chords[cands[i]];
        double d2, along;
        if (stored) {
            d2 = sd2[i];
            if (d2 > lim2max)
                continue;
            along = salong[i];
        } else {
            d2 = chord_dist2_along(ch, p, &along);
        }
        double lim = ub + ch->dev + CORR_EPS_M;
        if (d2 > lim * lim)
            continue;
        if (todo == cap) {
            size_t ncap = cap * 4;
            cand_lb *nb = trc_malloc(ncap * sizeof *nb);
            if (!nb) {
                todo = 0; /* no room for the pruning list: the full scan below */
                break;
            }
            memcpy(nb, buf, todo * sizeof *nb);
            if (buf != stackbuf)
                trc_free(buf);
            buf = nb;
            cap = ncap;
        }
        buf[todo++] =
            (cand_lb){cands[i], sqrt(d2) - ch->dev - CORR_EPS_M, chord_frac(ch, along), d2};
    }

    corr_foot best = {.d = HUGE_VAL};
    const corr_piece *bestp = NULL;
    corr_vcache vc = {.id = SIZE_MAX};
    for (size_t done = 0; done < todo; done++) {
        cand_lb cur = trc_corr_next_cand(buf, done, todo);
        if (cur.lb > best.d + TRUCE_CORRIDOR_TIE_M)
            break;
        const corr_piece *pc = &c->pieces[cur.piece];
        corr_foot f;
        trc_corr_solve(c, cur.piece, lat, lon, p, cur.t, cur.d2, &vc, &f);
        int better, adj = bestp ? adjacent_end(c, pc, &f, bestp, &best) : 0;
        if (!bestp || f.d < best.d - TRUCE_CORRIDOR_TIE_M) {
            better = 1;
        } else if (adj) {
            better = adj > 0;
        } else if (f.d <= best.d + TRUCE_CORRIDOR_TIE_M) {
            /* Equally near: the smaller chainage, then the earlier segment. */
            double ca = f.s == pc->len_m ? pc->chain1_m : pc->chain0_m + f.s;
            double cb = best.s == bestp->len_m ? bestp->chain1_m : bestp->chain0_m + best.s;
            better = ca < cb || (ca == cb && pc->segment < bestp->segment);
        } else {
            better = 0;
        }
        if (better) {
            best = f;
            bestp = pc;
        }
    }
    if (buf != stackbuf)
        trc_free(buf);
    if (!bestp) {
        /* Only when memory ran out for the pruning list: solve them all. */
        for (size_t i = 0; i < ncand; i++) {
            const corr_piece *pc = &c->pieces[cands[i]];
            double t;
            trc_corr_chord_dist2(&c->chords[cands[i]], p, &t);
            corr_foot f;
            trc_corr_solve_piece(c, pc, lat, lon, t, &f);
            if (!bestp || f.d < best.d) {
                best = f;
                bestp = pc;
            }
        }
    }
    if (!bestp) { /* no candidates: cannot happen for a built corridor */
        memset(out, 0, sizeof *out);
        out->distance_m = (double)NAN;
        out->chainage_m = (double)NAN;
        return;
    }
    out->distance_m = best.d;
    out->chainage_m = best.s == bestp->len_m ? bestp->chain1_m : bestp->chain0_m + best.s;
    /* Within the tie distance a point is on the road, where the side is
     * right by convention (below that the azimuth to it is rounding). */
    out->side =
        best.d <= TRUCE_CORRIDOR_TIE_M ? TRUCE_SIDE_RIGHT : side_of(best.gamma_deg, best.dir_deg);
    out->segment = bestp->segment;
    out->part = bestp->part;
}

int trc_corr_measure_cands(const truce_corridor *c, double lat, double lon, const double p[3],
                           const uint32_t *cands, size_t ncand, truce_measure *out)
{
    if (c->fast && !c->exact_only) {
        if (trc_corr_measure_fast(c, p, cands, ncand, out))
            return 1;
        /* c is shared by the threads that measure; the counter is the one
         * thing they write, and only here (truce_corridor_fallbacks). */
        atomic_fetch_add_explicit(c->fallbacks, 1, memory_order_relaxed);
    }
    trc_corr_measure_exact(c, lat, lon, p, cands, ncand, out);
    return 0;
}

static int point_ok(double lon, double lat)
{
    return isfinite(lon) && isfinite(lat) && lat >= -90 && lat <= 90;
}

/* |p - block's centre|, and the block's radius. */
static double block_dist(const corr_block *bl, const double p[3])
{
    double q0 = p[0] - bl->c[0], q1 = p[1] - bl->c[1], q2 = p[2] - bl->c[2];
    return sqrt(q0 * q0 + q1 * q1 + q2 * q2);
}

/* Slack (metres) on the block bounds: they only choose what is scanned. */
#define BLOCK_SLACK_M 1.0

/* Roads of at most this many pieces get outside_cands (on the stack). */
#define KEPT_STACK 1024

/* Outside the grid every piece is a candidate; measure scanned them all
 * twice (a point 35 km from the bundled 65-piece road: 130 chord distances
 * for one solve).  This keeps, in index order, the pieces of the blocks
 * that can hold what trc_corr_measure_cands needs.  U, the least chord
 * distance over the pieces of the block of least |p - c| + r, is an upper
 * bound of the least chord distance m over all pieces; measure keeps no
 * piece whose chord distance exceeds trc_corr_cand_lim(c, m) <=
 * trc_corr_cand_lim(c, U) (it grows with m), and the nearest chord is at
 * m <= U below that.  A block whose ball is farther than that holds
 * neither, so leaving it out changes nothing (the kept pieces are in the
 * same order, ties included).  (U from the block's ball alone, |p - c| + r,
 * overshot m by up to twice a block's radius: a point 20 km from the M4
 * kept 47 of its 66 pieces.)  Returns the number kept in out (room for
 * npieces). */
static size_t outside_cands(const truce_corridor *c, const double p[3], uint32_t *out)
{
    double dist[(KEPT_STACK + CORR_BLOCK - 1) / CORR_BLOCK];
    double best = HUGE_VAL;
    size_t kb = 0;
    for (size_t k = 0; k < c->nblocks; k++) {
        dist[k] = block_dist(&c->blocks[k], p);
        double d = dist[k] + c->blocks[k].r;
        if (d < best) {
            best = d;
            kb = k;
        }
    }
    size_t i1 = (kb + 1) * CORR_BLOCK < c->npieces ? (kb + 1) * CORR_BLOCK : c->npieces;
    double u2 = HUGE_VAL;
    for (size_t i = kb * CORR_BLOCK; i < i1; i++) {
        double d2 = trc_corr_chord_dist2(&c->chords[i], p, NULL);
        u2 = d2 < u2 ? d2 : u2;
    }
    double lim = trc_corr_cand_lim(c, sqrt(u2)) + BLOCK_SLACK_M;
    size_t n = 0;
    for (size_t k = 0; k < c->nblocks; k++) {
        if (!(dist[k] - c->blocks[k].r <= lim))
            continue;
        i1 = (k + 1) * CORR_BLOCK < c->npieces ? (k + 1) * CORR_BLOCK : c->npieces;
        for (size_t i = k * CORR_BLOCK; i < i1; i++)
            out[n++] = (uint32_t)i;
    }
    return n;
}

/* measure for a point known to be in range, given its grid candidates. */
static void measure_in(const truce_corridor *c, double lat, double lon, const uint32_t *cands,
                       size_t ncand, truce_measure *out)
{
    double p[3];
    trc_corr_ecef(lat, lon, p);
    uint32_t kept[KEPT_STACK];
    if (cands == c->all && c->nblocks > 1 && c->npieces <= KEPT_STACK) {
        ncand = outside_cands(c, p, kept);
        cands = kept;
    }
    trc_corr_measure_cands(c, lat, lon, p, cands, ncand, out);
}

/* measure for a point known to be in range. */
static void measure_one(const truce_corridor *c, double lat, double lon, truce_measure *out)
{
    const uint32_t *cands;
    size_t ncand;
    int state;
    trc_corr_grid_lookup(c, lat, lon, &cands, &ncand, &state);
    measure_in(c, lat, lon, cands, ncand, out);
}

#if defined(__GNUC__)
#define PREFETCH(addr) __builtin_prefetch(addr)
#else
#define PREFETCH(addr) ((void)(addr))
#endif

truce_status truce_corridor_measure(const truce_corridor *c, double lon, double lat,
                                    truce_measure *out)
{
    if (!c || !out)
        return TRUCE_E_ARG;
    if (!point_ok(lon, lat))
        return TRUCE_E_RANGE;
    measure_one(c, lat, lon, out);
    return TRUCE_OK;
}

truce_position truce_corridor_disk_position(const truce_corridor *c, const truce_measure *m,
                                            double r)
{
    double left = truce_corridor_left_m(c), right = truce_corridor_right_m(c);
    double depth = m->side == TRUCE_SIDE_LEFT ? left : right;
    double lo = m->distance_m < r ? fmin(left, right) : depth;
    double hi = m->distance_m < r ? fmax(left, right) : depth;
    if (m->distance_m + r <= lo)
        return TRUCE_POS_INSIDE;
    if (m->distance_m - r > hi)
        return TRUCE_POS_OUTSIDE;
    return TRUCE_POS_UNCERTAIN;
}

/* decide for a point known to be in range.
 *
 * Cells of the grid that the bounds settle give the answer at once.  In the
 * others, min over the candidates of the chord distance c_j brackets the
 * geodesic distance d: c_j - dev_j <= d(P, piece j) for every j, and
 * d <= ub(c_j + dev_j) (trc_corr_chord_to_geodesic_ub), so
 *   min c_j <= ub^-1(dmin) - dev_max  implies  d <= dmin  (inside), and
 *   min c_j >  dmax + dev_max         implies  d >  dmax  (outside);
 * both thresholds (squared, with slack) are precomputed in truce_corridor_new.
 * Only what is left is measured exactly. */
static int decide_one(const truce_corridor *c, double lat, double lon)
{
    const uint32_t *cands;
    size_t ncand;
    int state;
    trc_corr_grid_lookup(c, lat, lon, &cands, &ncand, &state);
    if (state != CORR_MIXED)
        return state == CORR_IN;
    double p[3];
    trc_corr_ecef(lat, lon, p);
    if (ncand == c->npieces) {
        /* Outside the grid: the ball around the road first. */
        double dc =
            hypot(hypot(p[0] - c->sphere_c[0], p[1] - c->sphere_c[1]), p[2] - c->sphere_c[2]);
        if (dc - c->sphere_r > c->dmax_m + 4 * CORR_EPS_M)
            return 0;
    }
    double m2 = HUGE_VAL;
    for (size_t i = 0; i < ncand; i++) {
        double d2 = trc_corr_chord_dist2(&c->chords[cands[i]], p, NULL);
        if (d2 < m2)
            m2 = d2;
    }
    if (m2 <= c->chord_in2)
        return 1;
    if (m2 > c->chord_out2)
        return 0;
    truce_measure m;
    trc_corr_measure_cands(c, lat, lon, p, cands, ncand, &m);
    return m.distance_m <= (m.side == TRUCE_SIDE_LEFT ? c->left_m : c->right_m);
}

truce_status truce_corridor_within(const truce_corridor *c, double lon, double lat,
                                   double distance_m, int *within)
{
    if (!c || !within || !(distance_m >= 0))
        return TRUCE_E_ARG;
    if (!point_ok(lon, lat))
        return TRUCE_E_RANGE;
    /* The cell's own bounds first (proven for every point of it, with the
     * same slack as the chord bounds below): no Earth-centred coordinates,
     * no chords, for most points some way from the distance asked. */
    const corr_cell *cell = trc_corr_grid_cell(c, lat, lon);
    if (cell && (double)cell->lo_m - 4 * CORR_EPS_M > distance_m) {
        *within = 0;
        return TRUCE_OK;
    }
    if (cell && (double)cell->hi_m + 4 * CORR_EPS_M <= distance_m) {
        *within = 1;
        return TRUCE_OK;
    }
    const uint32_t *cands;
    size_t ncand;
    int state;
    trc_corr_grid_lookup(c, lat, lon, &cands, &ncand, &state);
    double p[3];
    trc_corr_ecef(lat, lon, p);
    if (cands == c->all) {
        /* Outside the grid, the blocks' balls first: every chord of block
         * k is at least |p - c_k| - r_k and at most |p - c_k| + r_k away,
         * so d >= min_k (|p - c_k| - r_k) - dev_max and
         * d <= ub(min_k (|p - c_k| + r_k) + dev_max). */
        double lb = HUGE_VAL, ubc = HUGE_VAL;
        for (size_t k = 0; k < c->nblocks; k++) {
            double dist = block_dist(&c->blocks[k], p), r = c->blocks[k].r;
            lb = dist - r < lb ? dist - r : lb;
            ubc = dist + r < ubc ? dist + r : ubc;
        }
        if (lb - c->dev_max - 4 * CORR_EPS_M - BLOCK_SLACK_M > distance_m) {
            *within = 0;
            return TRUCE_OK;
        }
        if (trc_corr_chord_to_geodesic_ub(ubc + c->dev_max + BLOCK_SLACK_M) + 4 * CORR_EPS_M <=
            distance_m) {
            *within = 1;
            return TRUCE_OK;
        }
    }
    /* The same bounds as decide's, with the distance given here: for each
     * candidate j, d >= c_j - dev_j (so d >= min c - max dev), and
     * d <= ub(c_j + dev_j) for the nearest chord. */
    double m2 = HUGE_VAL, mdev = 0, devmax = 0;
    for (size_t i = 0; i < ncand; i++) {
        const corr_chord *ch = &c->chords[cands[i]];
        double d2 = trc_corr_chord_dist2(ch, p, NULL);
        if (d2 < m2) {
            m2 = d2;
            mdev = ch->dev;
        }
        if (ch->dev > devmax)
            devmax = ch->dev;
    }
    double m = sqrt(m2);
    if (m - devmax - 4 * CORR_EPS_M > distance_m) {
        *within = 0;
        return TRUCE_OK;
    }
    if (trc_corr_chord_to_geodesic_ub(m + mdev) + 4 * CORR_EPS_M <= distance_m) {
        *within = 1;
        return TRUCE_OK;
    }
    truce_measure me;
    if (trc_corr_measure_cands(c, lat, lon, p, cands, ncand, &me) &&
        fabs(me.distance_m - distance_m) <= 2 * CORR_FAST_EPS_M)
        trc_corr_measure_exact(c, lat, lon, p, cands, ncand, &me); /* too close to call */
    *within = me.distance_m <= distance_m;
    return TRUCE_OK;
}

truce_status truce_corridor_decide(const truce_corridor *c, double lon, double lat, int *inside)
{
    if (!c || !inside)
        return TRUCE_E_ARG;
    if (!point_ok(lon, lat))
        return TRUCE_E_RANGE;
    *inside = decide_one(c, lat, lon);
    return TRUCE_OK;
}

/* The candidate list of a point whose list cell (trc_corr_grid_cell) is
 * cell: every piece outside the grid. */
static const uint32_t *cell_cands(const truce_corridor *c, const corr_cell *cell, size_t *ncand)
{
    if (!cell) {
        *ncand = c->npieces;
        return c->all;
    }
    *ncand = cell->ncand;
    return c->grid.cands + cell->cand;
}

/* Most of a batch's points fall in fine cells, whose cells and candidate
 * lists are too many to stay in cache: the cell of point i + 2 and the
 * candidate list of point i + 1 are prefetched while point i is measured
 * (the answers are measure_one's).  Each point's cell is found once, two
 * points ahead, and its list read from it one point ahead. */
truce_status truce_corridor_measure_batch(const truce_corridor *c, const double *lonlat, size_t n,
                                          truce_measure *out)
{
    if (!c || (n && (!lonlat || !out)))
        return TRUCE_E_ARG;
    truce_status st = TRUCE_OK;
    const uint32_t *cands = NULL, *next = NULL;
    size_t ncand = 0, nnext = 0;
    const corr_cell *cell1 = NULL; /* point i + 1's */
    if (n)
        cands = cell_cands(c, trc_corr_grid_cell(c, lonlat[1], lonlat[0]), &ncand);
    if (n > 1)
        cell1 = trc_corr_grid_cell(c, lonlat[3], lonlat[2]);
    for (size_t i = 0; i < n; i++) {
        const corr_cell *cell2 = NULL;
        if (i + 2 < n) {
            cell2 = trc_corr_grid_cell(c, lonlat[2 * i + 5], lonlat[2 * i + 4]);
            if (cell2)
                PREFETCH(cell2);
        }
        if (i + 1 < n) {
            next = cell_cands(c, cell1, &nnext);
            PREFETCH(next);
            if (nnext > 16)
                PREFETCH(next + 16);
        }
        double lon = lonlat[2 * i], lat = lonlat[2 * i + 1];
        if (!point_ok(lon, lat)) {
            memset(&out[i], 0, sizeof out[i]);
            out[i].distance_m = (double)NAN;
            out[i].chainage_m = (double)NAN;
            st = TRUCE_E_RANGE;
        } else {
            measure_in(c, lat, lon, cands, ncand, &out[i]);
        }
        cands = next;
        ncand = nnext;
        cell1 = cell2;
    }
    return st;
}

truce_status truce_corridor_decide_batch(const truce_corridor *c, const double *lonlat, size_t n,
                                         unsigned char *inside)
{
    if (!c || (n && (!lonlat || !inside)))
        return TRUCE_E_ARG;
    truce_status st = TRUCE_OK;
    for (size_t i = 0; i < n; i++) {
        double lon = lonlat[2 * i], lat = lonlat[2 * i + 1];
        if (!point_ok(lon, lat)) {
            inside[i] = 0;
            st = TRUCE_E_RANGE;
            continue;
        }
        inside[i] = (unsigned char)decide_one(c, lat, lon);
    }
    return st;
}
