/* The corridor's index: a longitude/latitude grid over the road whose cells
 * carry the pieces that can be nearest to a point in them, and for `decide`
 * whether every point of the cell is inside, outside, or either.
 *
 * Everything here is a bound with a proof (docs/corridor.md, "The bounds"):
 *  - a cell of half-sizes (dphi, dlam) about its centre C is within
 *      r = N(phi_C) cos(phi_C) dlam + M(phi_far) dphi
 *    of C geodesically (a path along C's parallel, then along a meridian, is
 *    at least as long as the geodesic; M grows with |phi|);
 *  - the distance to the road is 1-Lipschitz, so for every P in the cell
 *      d(P, piece j) >= d(C, piece j) - r >= |C - chord_j| - dev_j - r
 *      d(P, road)    <= d(C, road) + r    <= ub(|C - chord_j| + dev_j) + r
 *    with the chord bounds of corridor.c.
 * A piece whose lower bound exceeds the cell's least upper bound cannot be
 * nearest to any point of the cell and is left out of its candidates.
 * Then cell_prune drops the pieces whose chord distance exceeds, at every
 * point of the cell, the farthest measure can keep given another piece's
 * (a bound on the difference of two chord distances over the cell, which
 * far from the road changes much less than either).  The
 * grid only decides how fast an answer comes, never what it is: a point
 * outside the grid is measured against every piece. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "geo/corridor_internal.h"

#define BLOCK 8 /* coarse cells per block edge (build only) */
/* Fine cells with their own lists per edge of a coarse cell with more than
 * MANY_CANDS candidates. */
#define FINE_MANY 4
#define MANY_CANDS 24
#define FINE_BUDGET (1u << 20) /* fine cells of 28 bytes: 28 MiB */
/* Coarse cells: at most CELLS_PER_PIECE a piece of road (CELLS_MIN for any
 * road) and never more than MAX_CELLS; the cells grow until the grid fits.
 * The bundled M4 (66 pieces, 4,096 allowed) has 1,508 cells of 1.5 km;
 * the bench's 158 km road of 1,000 vertices (64,000 allowed) a few thousand.
 * The bound keeps a short road from paying for a large box (2^18 cells of
 * 28 bytes are 7 MiB). */
#define CELLS_MIN 4096u
#define CELLS_PER_PIECE 64u
#define MAX_CELLS (1u << 18)
#define SUPER 8 /* blocks per super-block edge (build only) */
/* Candidate entries the grid may hold (4 bytes each); past this the grid is
 * dropped and every point is measured against every piece: slower, never
 * wrong. */
#define MAX_CANDS (1u << 24)

/* cell_prune splits a cell into 2 x 2 quarters this many times.  On the
 * bench's road (docs/performance.md) a point's list has 24.5 pieces
 * unpruned, 7.4 pruned over the whole cell, 4.3 with one split, 3.2 with
 * two and 2.8 with three; the index took 0.17 s of CPU to build unpruned and
 * 0.39 s with one split (with two 1.35 s and with three 2.1 s, wall clock,
 * before the build's last speed-up); the run-time scan costs about 10 ns a
 * piece, so one split. */
#define PRUNE_DEPTH 1
/* Slack (metres) on cell_prune's bound for rounding in the chord
 * distances, build and run time (about 1e-8 m each). */
#define PRUNE_SLACK_M 1e-3

typedef struct kept_list {
    uint32_t cand, ncand; /* cands[cand, cand + ncand); ncand 0: an empty slot */
} kept_list;

typedef struct builder {
    truce_corridor *c;
    uint32_t *cands;
    size_t ncands, cap;
    corr_cell *fine;
    size_t nfine, fcap;
    uint8_t *states; /* decide's fine states */
    size_t nstates, scap;
    double *lb;        /* scratch, npieces */
    uint32_t *scratch; /* scratch, npieces */
    /* cell_prune's scratch: the pieces still open at each depth, chord
     * distances and directions (chord_dir) at the current ball, and the
     * kept flags by piece */
    uint32_t *open[PRUNE_DEPTH + 1];
    double *pd, *pu;
    uint8_t *keep;
    /* The lists kept so far, by content: a cell whose list is one of them
     * shares it (neighbouring cells mostly keep the same pieces; the M4's
     * 3,077 cells have 771 distinct lists).  Open addressing, power-of-two
     * size, at most half full. */
    kept_list *kept;
    size_t nkept, kcap;
} builder;

static double meridional_radius(double phi)
{
    const double e2 = CORR_F * (2 - CORR_F);
    double s = sin(phi);
    double w = 1 - e2 * s * s;
    return CORR_A * (1 - e2) / (w * sqrt(w));
}

static double normal_radius(double phi)
{
    const double e2 = CORR_F * (2 - CORR_F);
    double s = sin(phi);
    return CORR_A / sqrt(1 - e2 * s * s);
}

/* Proven geodesic radius of a lon/lat cell about its centre (metres). */
static double cell_radius(double latc, double half_dlat, double half_dlon)
{
    double phic = latc * CORR_DEG;
    double far = fmin(90.0, fabs(latc) + half_dlat) * CORR_DEG;
    double r = normal_radius(phic) * cos(phic) * half_dlon * CORR_DEG +
               meridional_radius(far) * half_dlat * CORR_DEG;
    return r * (1 + 1e-9) + CORR_EPS_M;
}

/* Bounds of a cell over the candidates `in`; the survivors are written to
 * `out`, the cell's lower and upper bounds of the distance to the road to
 * *lb_out and *ub_out.  Returns the number of survivors.
 *
 * With m the least chord distance from the centre C, for every P in the cell
 *   d(P) <= ub(m + dev_max) + r   and   d(P) >= m - dev_max - r,
 * and piece j survives when its own lower bound |C - chord_j| - dev_j - r
 * is at most that upper bound (compared squared). */
static size_t cell_filter(builder *b, double latc, double lonc, double r, const uint32_t *in,
                          size_t nin, uint32_t *out, double *lb_out, double *ub_out)
{
    const truce_corridor *c = b->c;
    double p[3];
    trc_corr_ecef(latc, lonc, p);
    double m2 = HUGE_VAL;
    for (size_t i = 0; i < nin; i++) {
        double d2 = trc_corr_chord_dist2(&c->chords[in[i]], p, NULL);
        b->lb[i] = d2;
        if (d2 < m2)
            m2 = d2;
    }
    double m = sqrt(m2);
    double ub = trc_corr_chord_to_geodesic_ub(m + c->dev_max) + r + CORR_EPS_M;
    size_t n = 0;
    for (size_t i = 0; i < nin; i++) {
        double lim = ub + r + c->chords[in[i]].dev + CORR_EPS_M;
        if (b->lb[i] <= lim * lim)
            out[n++] = in[i];
    }
    *lb_out = m - c->dev_max - r - CORR_EPS_M;
    *ub_out = ub;
    return n;
}

/* The chord distance from p to piece j and the unit vector u from the
 * chord's nearest point to p (zero when p is on the chord). */
static double chord_dir(const truce_corridor *c, uint32_t j, const double p[3], double u[3])
{
    const corr_chord *ch = &c->chords[j];
    double t;
    double d = sqrt(trc_corr_chord_dist2(ch, p, &t));
    for (int i = 0; i < 3; i++)
        u[i] = d > 0 ? (p[i] - ch->a[i] - t * ch->len * ch->u[i]) / d : 0;
    return d;
}

/* An upper bound of asin(x) for 0 <= x < 1: tan(asin x) >= asin x. */
static double asin_ub(double x)
{
    return x / sqrt(1 - x * x);
}

double trc_corr_diff_change(double r, double dj, const double uj[3], double dk, const double uk[3])
{
    if (!(dj > 2 * r && dk > 2 * r))
        return 2 * r;
    double e[3] = {uj[0] - uk[0], uj[1] - uk[1], uj[2] - uk[2]};
    double du = sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
    return r * fmin(2, du + asin_ub(2 * r / dj) + asin_ub(2 * r / dk));
}

/* One ball of cell_prune: the lon/lat box of half-sizes (hlat, hlon) about
 * (latc, lonc), the pieces open[depth][0, n) not yet ruled out for it.
 *
 * With C the box's centre (ECEF), r its proven radius (every point P of the
 * box has |P - C| <= r), k the open piece of least chord distance from C,
 * for a piece j g(P) = |P - chord_j| - |P - chord_k| and D the bound
 * trc_corr_diff_change gives for that over the ball, and with K(x) =
 * trc_corr_cand_lim(c, x) - x, which grows with x, and |P - chord_k| <=
 * |C - chord_k| + r:
 *   g(C) - D > K(|C - chord_k| + r)  implies  for every P in the ball
 *   |P - chord_j| > trc_corr_cand_lim(c, |P - chord_k|),
 * so j is neither the nearest chord at P nor one measure keeps there
 * (trc_corr_cand_lim grows with its argument and |P - chord_k| is at least
 * the least chord distance).  What is not ruled out goes to the four
 * quarters, and at the last depth is kept. */
static void prune_ball(builder *b, double latc, double lonc, double hlat, double hlon, int depth,
                       size_t n)
{
    const truce_corridor *c = b->c;
    const uint32_t *open = b->open[depth];
    double p[3];
    trc_corr_ecef(latc, lonc, p);
    double r = cell_radius(latc, hlat, hlon);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        b->pd[i] = chord_dir(c, open[i], p, &b->pu[3 * i]);
        if (b->pd[i] < b->pd[k])
            k = i;
    }
    double dk = b->pd[k];
    double lim = trc_corr_cand_lim(c, dk + r) - (dk + r) + PRUNE_SLACK_M;
    uint32_t *next = depth < PRUNE_DEPTH ? b->open[depth + 1] : NULL;
    size_t nn = 0;
    for (size_t i = 0; i < n; i++) {
        /* ruled out in this ball (the bound is at most 2r: the cheap test
         * first) */
        double g = b->pd[i] - dk;
        if (i != k && g > lim &&
            (g - 2 * r > lim ||
             g - trc_corr_diff_change(r, b->pd[i], &b->pu[3 * i], dk, &b->pu[3 * k]) > lim))
            continue;
        if (next)
            next[nn++] = open[i];
        else
            b->keep[open[i]] = 1;
    }
    if (!next)
        return;
    if (nn == 1) { /* k alone: it stays in every quarter */
        b->keep[next[0]] = 1;
        return;
    }
    for (int q = 0; q < 4; q++) {
        double qlat = latc + (q & 1 ? 0.5 : -0.5) * hlat;
        double qlon = lonc + (q & 2 ? 0.5 : -0.5) * hlon;
        prune_ball(b, qlat, qlon, 0.5 * hlat, 0.5 * hlon, depth + 1, nn);
    }
}

/* Drop from list[0, n) (in place, order kept) the pieces that no point of
 * the cell of half-sizes (hlat, hlon) about (latc, lonc) can need
 * (prune_ball); returns how many are left.  The nearest chord of every
 * point stays, and every piece measure would keep for it; the pieces left
 * out are only those the run-time scan would read and drop. */
static size_t cell_prune(builder *b, double latc, double lonc, double hlat, double hlon,
                         uint32_t *list, size_t n)
{
    if (n < 2)
        return n;
    memcpy(b->open[0], list, n * sizeof *list);
    prune_ball(b, latc, lonc, hlat, hlon, 0, n);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (b->keep[list[i]])
            list[m++] = list[i];
        b->keep[list[i]] = 0;
    }
    return m;
}

static int state_of(const truce_corridor *c, double lb, double ub)
{
    if (ub <= c->dmin_m)
        return CORR_IN;
    if (lb > c->dmax_m)
        return CORR_OUT;
    return CORR_MIXED;
}

/* Reserve room for `n` more candidates. */
static int reserve(builder *b, size_t n)
{
    if (b->ncands + n <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->ncands + n)
        cap *= 2;
    uint32_t *p = trc_realloc(b->cands, cap * sizeof *p);
    if (!p)
        return -1;
    b->cands = p;
    b->cap = cap;
    return 0;
}

static size_t list_hash(const uint32_t *list, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ n;
    for (size_t i = 0; i < n; i++)
        h = (h ^ list[i]) * 0xbf58476d1ce4e5b9u;
    return (size_t)(h ^ (h >> 29));
}

/* The offset of a kept list equal to list[0, n), or else list's own offset
 * (list is at the end of b->cands), which is then kept; -1 when out of
 * memory. */
static int64_t share_list(builder *b, const uint32_t *list, size_t n)
{
    size_t at = (size_t)(list - b->cands);
    if (n == 0)
        return (int64_t)at;
    if (2 * (b->nkept + 1) > b->kcap) {
        size_t cap = b->kcap ? 2 * b->kcap : 1024;
        kept_list *t = trc_calloc(cap, sizeof *t);
        if (!t)
            return -1;
        for (size_t i = 0; i < b->kcap; i++) {
            const kept_list *e = &b->kept[i];
            if (!e->ncand)
                continue;
            size_t h = list_hash(b->cands + e->cand, e->ncand) & (cap - 1);
            while (t[h].ncand)
                h = (h + 1) & (cap - 1);
            t[h] = *e;
        }
        trc_free(b->kept);
        b->kept = t;
        b->kcap = cap;
    }
    size_t h = list_hash(list, n) & (b->kcap - 1);
    for (; b->kept[h].ncand; h = (h + 1) & (b->kcap - 1)) {
        const kept_list *e = &b->kept[h];
        if (e->ncand == n && !memcmp(b->cands + e->cand, list, n * sizeof *list))
            return e->cand;
    }
    b->kept[h] = (kept_list){(uint32_t)at, (uint32_t)n};
    b->nkept++;
    return (int64_t)at;
}

/* Whether a coarse cell of n candidates gets fine cells with their own
 * lists (its own list is then only their parent's and stays whole). */
static int splits(const builder *b, size_t n)
{
    return n > MANY_CANDS && b->ncands < MAX_CANDS;
}

/* The largest float at most x, and the least at least x (x not NaN). */
static float float_below(double x)
{
    float f = (float)x;
    return (double)f > x ? nextafterf(f, -HUGE_VALF) : f;
}

static float float_above(double x)
{
    float f = (float)x;
    return (double)f < x ? nextafterf(f, HUGE_VALF) : f;
}

/* Fill one cell, of half-sizes (hlat, hlon) about (latc, lonc), from the
 * candidates `in` (which must not live in b->cands).  A coarse cell
 * (`coarse`) that splits keeps its list whole; every other list of a road
 * with depth is pruned (cell_prune).  Returns 1 when the cell splits, 0, or -1 when out of
 * memory. */
static int fill_cell(builder *b, corr_cell *cell, double latc, double lonc, double hlat,
                     double hlon, const uint32_t *in, size_t nin, int coarse)
{
    if (reserve(b, nin))
        return -1;
    double lo, hi;
    uint32_t *list = b->cands + b->ncands;
    size_t n = cell_filter(b, latc, lonc, cell_radius(latc, hlat, hlon), in, nin, list, &lo, &hi);
    int split = coarse && splits(b, n);
    /* A road with no depth (a zone's boundary) is not pruned: zone.c asks
     * it whether a point is within a radius, which the cell's bounds
     * settle for most points before any list is read.  On the bundled
     * zone, pruning took 0.32 G of the 0.50 G instructions of building its
     * grid and saved 2.5 M over 200,000 scattered events (callgrind): it
     * would pay back after some 25 million. */
    if (!split && b->c->dmax_m > 0)
        n = cell_prune(b, latc, lonc, hlat, hlon, list, n);
    int64_t shared = share_list(b, list, n);
    if (shared < 0)
        return -1;
    cell->cand = (uint32_t)shared;
    if ((size_t)shared == b->ncands)
        b->ncands += n; /* a new list */
    cell->ncand = (uint32_t)n;
    cell->fine = UINT32_MAX;
    cell->states = UINT32_MAX;
    cell->k = 0;
    cell->state = (uint8_t)state_of(b->c, lo, hi);
    cell->lo_m = float_below(lo);
    cell->hi_m = float_above(hi);
    return split;
}

/* Fine cells per edge for a coarse cell of ncand candidates: FINE_MANY, or
 * twice that for the most crowded while the fine cells stay within
 * FINE_BUDGET.  The candidates a point scans fall with its cell's size: 8 x 8
 * cells measured 1.3-1.7x faster than 4 x 4 on the bench's road before
 * cell_prune (23 candidates a point instead of 35), and with it keep 4.3
 * where 4 x 4 cells pruned two splits deep keep 4.9 (docs/performance.md). */
static unsigned fine_per_edge(const builder *b, size_t ncand)
{
    if (ncand > 2 * MANY_CANDS && b->nfine + 4 * FINE_MANY * FINE_MANY <= FINE_BUDGET)
        return 2 * FINE_MANY;
    return FINE_MANY;
}

/* Give coarse cell (ix, iy) k x k fine cells. */
static int subdivide(builder *b, corr_cell *cell, size_t ix, size_t iy, unsigned k)
{
    const corr_grid *g = &b->c->grid;
    size_t nk = (size_t)k * k;
    if (b->nfine + nk > UINT32_MAX)
        return -1;
    if (b->nfine + nk > b->fcap) {
        size_t cap = b->fcap ? b->fcap * 2 : 4096;
        while (cap < b->nfine + nk)
            cap *= 2;
        corr_cell *f = trc_realloc(b->fine, cap * sizeof *f);
        if (!f)
            return -1;
        b->fine = f;
        b->fcap = cap;
    }
    /* The parent's candidates are copied out of b->cands, which the
     * children append to. */
    size_t np = cell->ncand;
    uint32_t *parent = trc_malloc((np ? np : 1) * sizeof *parent);
    if (!parent)
        return -1;
    memcpy(parent, b->cands + cell->cand, np * sizeof *parent);
    double fdlat = g->dlat / k, fdlon = g->dlon / k;
    for (unsigned jy = 0; jy < k; jy++) {
        double flat = g->lat0 + (double)iy * g->dlat + (jy + 0.5) * fdlat;
        for (unsigned jx = 0; jx < k; jx++) {
            double flon = g->lon0 + (double)ix * g->dlon + (jx + 0.5) * fdlon;
            if (fill_cell(b, &b->fine[b->nfine + jy * k + jx], flat, flon, 0.5 * fdlat, 0.5 * fdlon,
                          parent, np, 0)) {
                trc_free(parent);
                return -1;
            }
        }
    }
    cell->fine = (uint32_t)b->nfine;
    cell->k = (uint8_t)k;
    b->nfine += nk;
    trc_free(parent);
    return 0;
}

/* Give coarse cell (ix, iy), which decide cannot settle, CORR_FINE_STATES^2
 * fine states from its own candidates: a point in a fine cell that is in
 * or out is settled by a look-up; the rest use the coarse cell's list.  Two
 * bits a fine cell (64 bytes a coarse cell) where a fine cell with its own
 * list was 16 bytes and the list: the bundled M4's index went from 1.76 MB
 * to 0.17 MB with the shared lists (docs/corridor.md, "Memory"). */
static int refine_states(builder *b, corr_cell *cell, size_t ix, size_t iy)
{
    const corr_grid *g = &b->c->grid;
    const size_t k = CORR_FINE_STATES, nk = k * k;
    if (b->nstates + nk > UINT32_MAX)
        return 0; /* no fine states: slower, never wrong */
    if ((b->nstates + nk) / 4 > b->scap) {
        size_t cap = b->scap ? b->scap * 2 : 4 * nk;
        uint8_t *p = trc_realloc(b->states, cap);
        if (!p)
            return -1;
        b->states = p;
        b->scap = cap;
    }
    const uint32_t *parent = b->cands + cell->cand;
    double fdlat = g->dlat / (double)k, fdlon = g->dlon / (double)k;
    for (size_t jy = 0; jy < k; jy++) {
        double flat = g->lat0 + (double)iy * g->dlat + ((double)jy + 0.5) * fdlat;
        double fr = cell_radius(flat, 0.5 * fdlat, 0.5 * fdlon);
        for (size_t jx = 0; jx < k; jx++) {
            double flon = g->lon0 + (double)ix * g->dlon + ((double)jx + 0.5) * fdlon;
            double lo, hi;
            cell_filter(b, flat, flon, fr, parent, cell->ncand, b->scratch, &lo, &hi);
            size_t i = b->nstates + jy * k + jx;
            if (i % 4 == 0)
                b->states[i / 4] = 0;
            b->states[i / 4] |= (uint8_t)(state_of(b->c, lo, hi) << (2 * (i % 4)));
        }
    }
    cell->states = (uint32_t)b->nstates;
    b->nstates += nk;
    return 0;
}

/* Fill the coarse cells of the block at (bx, by) from the candidates `in`;
 * `scratch` has room for c->npieces entries. */
static int fill_block(builder *b, const uint32_t *in, size_t nin, uint32_t *scratch, size_t bx,
                      size_t by)
{
    const corr_grid *g = &b->c->grid;
    size_t nx = g->nx, ny = g->ny;
    size_t ex = bx + BLOCK < nx ? bx + BLOCK : nx;
    size_t ey = by + BLOCK < ny ? by + BLOCK : ny;
    double hlat = 0.5 * (double)(ey - by) * g->dlat;
    double hlon = 0.5 * (double)(ex - bx) * g->dlon;
    double latc = g->lat0 + (double)by * g->dlat + hlat;
    double lonc = g->lon0 + (double)bx * g->dlon + hlon;
    double lo, hi;
    size_t nb =
        cell_filter(b, latc, lonc, cell_radius(latc, hlat, hlon), in, nin, scratch, &lo, &hi);
    for (size_t iy = by; iy < ey; iy++) {
        double clat = g->lat0 + ((double)iy + 0.5) * g->dlat;
        for (size_t ix = bx; ix < ex; ix++) {
            double clon = g->lon0 + ((double)ix + 0.5) * g->dlon;
            corr_cell *cell = &g->cells[iy * nx + ix];
            int split =
                fill_cell(b, cell, clat, clon, 0.5 * g->dlat, 0.5 * g->dlon, scratch, nb, 1);
            if (split < 0)
                return -1;
            if (cell->state == CORR_MIXED && b->c->dmax_m > 0 && refine_states(b, cell, ix, iy))
                return -1;
            if (split && subdivide(b, cell, ix, iy, fine_per_edge(b, cell->ncand)))
                return -1;
        }
    }
    return 0;
}

/* The builder's scratch (not what the grid keeps). */
static void builder_free(builder *b)
{
    trc_free(b->lb);
    trc_free(b->scratch);
    trc_free(b->kept);
    for (int d = 0; d <= PRUNE_DEPTH; d++)
        trc_free(b->open[d]);
    trc_free(b->pd);
    trc_free(b->pu);
    trc_free(b->keep);
}

/* `p` cut to `size` bytes (p itself when realloc cannot). */
static void *shrink(void *p, size_t size)
{
    void *q = p && size ? trc_realloc(p, size) : NULL;
    return q ? q : p;
}

truce_status trc_corr_grid_build(truce_corridor *c)
{
    truce_status failed; /* what too_big and nomem return */
    corr_grid *g = &c->grid;
    memset(g, 0, sizeof *g);

    /* The road's extent on an unwrapped longitude scale. */
    double prev = c->pieces[0].lon_a, u = prev;
    double lonmin = u, lonmax = u, latmin = 90, latmax = -90;
    for (size_t i = 0; i < c->npieces; i++) {
        const corr_piece *pc = &c->pieces[i];
        for (int e = 0; e < 2; e++) {
            double lon = e ? pc->lon_b : pc->lon_a, lat = e ? pc->lat_b : pc->lat_a;
            u += remainder(lon - prev, 360.0);
            prev = lon;
            lonmin = fmin(lonmin, u);
            lonmax = fmax(lonmax, u);
            latmin = fmin(latmin, lat);
            latmax = fmax(latmax, lat);
        }
    }
    double margin_m = 2 * c->dmax_m + 2000;
    double mlat = margin_m / 110574.0; /* the shortest degree of latitude, metres */
    latmin = fmax(-90, latmin - mlat);
    latmax = fmin(90, latmax + mlat);
    double coslat = cos(fmax(fabs(latmin), fabs(latmax)) * CORR_DEG);
    double mlon = coslat > 1e-3 ? margin_m / (111319.0 * coslat) : 360;
    lonmin -= mlon;
    lonmax += mlon;
    if (lonmax - lonmin >= 360) {
        lonmax = lonmin + 360;
    }
    /* A road with no depth (a zone's boundary, which zone.c only measures
     * against) leaves decide nothing to settle but points on the line, so
     * its cells are 500 m and get no fine cells for decide: the bundled
     * zone's grid took 0.115 s to build with 250 m cells and 16 x 16 fine
     * cells wherever the boundary passes, 0.02 s so, and classify over
     * 300,000 scattered events was no slower (0.13 s less CPU in all). */
    double cell_m = c->dmax_m > 0 ? fmin(4000, fmax(250, c->dmax_m / 4)) : 500;
    double cosmid = fmax(0.01, cos(0.5 * (latmin + latmax) * CORR_DEG));
    double dlat = cell_m / 110574.0, dlon = cell_m / (111319.0 * cosmid);
    double width = lonmax - lonmin, height = latmax - latmin;
    if (height <= 0)
        height = dlat;
    size_t nx, ny;
    size_t max_cells =
        c->npieces < MAX_CELLS / CELLS_PER_PIECE ? CELLS_PER_PIECE * c->npieces : MAX_CELLS;
    if (max_cells < CELLS_MIN)
        max_cells = CELLS_MIN;
    for (;;) {
        nx = (size_t)ceil(width / dlon);
        ny = (size_t)ceil(height / dlat);
        if (nx < 1)
            nx = 1;
        if (ny < 1)
            ny = 1;
        if (nx * ny <= max_cells)
            break;
        dlon *= 1.5;
        dlat *= 1.5;
    }
    g->lon0 = lonmin;
    g->lat0 = latmin;
    g->nx = nx;
    g->ny = ny;
    g->nx_d = (double)nx;
    g->ny_d = (double)ny;
    g->dlon = width / (double)nx;
    g->dlat = height / (double)ny;
    g->inv_dlon = 1 / g->dlon;
    g->inv_dlat = 1 / g->dlat;
    g->cells = trc_calloc(nx * ny, sizeof *g->cells);

    builder b = {.c = c};
    b.lb = trc_malloc(c->npieces * sizeof *b.lb);
    b.scratch = trc_malloc(c->npieces * sizeof *b.scratch);
    uint32_t *blockc = trc_malloc(c->npieces * sizeof *blockc);
    uint32_t *superc = trc_malloc(c->npieces * sizeof *superc);
    int prune_ok = 1;
    for (int d = 0; d <= PRUNE_DEPTH; d++)
        prune_ok &= (b.open[d] = trc_malloc(c->npieces * sizeof *b.open[d])) != NULL;
    b.pd = trc_malloc(c->npieces * sizeof *b.pd);
    b.pu = trc_malloc(3 * c->npieces * sizeof *b.pu);
    b.keep = trc_calloc(c->npieces, 1);
    if (!g->cells || !b.lb || !b.scratch || !blockc || !superc || !prune_ok || !b.pd || !b.pu ||
        !b.keep)
        goto nomem;

    for (size_t sy = 0; sy < ny; sy += BLOCK * SUPER) {
        for (size_t sx = 0; sx < nx; sx += BLOCK * SUPER) {
            size_t sex = sx + BLOCK * SUPER < nx ? sx + BLOCK * SUPER : nx;
            size_t sey = sy + BLOCK * SUPER < ny ? sy + BLOCK * SUPER : ny;
            double shlat = 0.5 * (double)(sey - sy) * g->dlat;
            double shlon = 0.5 * (double)(sex - sx) * g->dlon;
            double slat = g->lat0 + (double)sy * g->dlat + shlat;
            double slon = g->lon0 + (double)sx * g->dlon + shlon;
            double slo, shi;
            size_t ns = cell_filter(&b, slat, slon, cell_radius(slat, shlat, shlon), c->all,
                                    c->npieces, superc, &slo, &shi);
            for (size_t by = sy; by < sey; by += BLOCK) {
                for (size_t bx = sx; bx < sex; bx += BLOCK) {
                    if (fill_block(&b, superc, ns, blockc, bx, by))
                        goto nomem;
                    if (b.ncands > MAX_CANDS)
                        goto too_big;
                }
            }
        }
    }
    builder_free(&b);
    trc_free(blockc);
    trc_free(superc);
    /* The arrays grew by doubling: give back what they do not use. */
    g->cands = shrink(b.cands, b.ncands * sizeof *b.cands);
    g->ncands = b.ncands;
    g->fine = shrink(b.fine, b.nfine * sizeof *b.fine);
    g->nfine = b.nfine;
    g->states = shrink(b.states, b.nstates / 4);
    g->nstates = b.nstates;
    return TRUCE_OK;

too_big:
    /* No grid: trc_corr_grid_lookup sends every point to the full list. */
    failed = TRUCE_OK;
    goto release;

nomem:
    failed = TRUCE_E_NOMEM;
release:
    builder_free(&b);
    trc_free(b.states);
    trc_free(blockc);
    trc_free(superc);
    trc_free(b.cands);
    trc_free(b.fine);
    trc_free(g->cells);
    memset(g, 0, sizeof *g);
    return failed;
}

void trc_corr_grid_release(corr_grid *g)
{
    trc_free(g->cells);
    trc_free(g->fine);
    trc_free(g->states);
    trc_free(g->cands);
    memset(g, 0, sizeof *g);
}

/* The coarse cell holding a point and where in it (fractions fx, fy in
 * [0, 1)); NULL outside the grid. */
static inline const corr_cell *coarse_cell(const truce_corridor *c, double lat, double lon,
                                           double *fx, double *fy)
{
    const corr_grid *g = &c->grid;
    double x = lon - g->lon0;
    if (x < 0 || x >= 360)
        x -= 360 * floor(x / 360);
    double gx = x * g->inv_dlon, gy = (lat - g->lat0) * g->inv_dlat;
    if (!(gx >= 0 && gx < g->nx_d && gy >= 0 && gy < g->ny_d))
        return NULL;
    /* below 2^18 (the grid's cells): a 32-bit conversion, one instruction */
    size_t ix = (uint32_t)gx, iy = (uint32_t)gy;
    *fx = gx - (double)ix;
    *fy = gy - (double)iy;
    return &g->cells[iy * g->nx + ix];
}

/* Fine cell (jx, jy) of k per edge at fractions (fx, fy). */
static inline size_t fine_index(double fx, double fy, unsigned k)
{
    unsigned jx = (unsigned)(fx * k), jy = (unsigned)(fy * k);
    if (jx >= k)
        jx = k - 1;
    if (jy >= k)
        jy = k - 1;
    return (size_t)jy * k + jx;
}

/* The cell whose candidates a point uses (fine where there are fine
 * lists), from its coarse cell. */
static inline const corr_cell *list_cell(const truce_corridor *c, const corr_cell *cell, double fx,
                                         double fy)
{
    if (cell->fine == UINT32_MAX)
        return cell;
    return &c->grid.fine[cell->fine + fine_index(fx, fy, cell->k)];
}

const corr_cell *trc_corr_grid_cell(const truce_corridor *c, double lat, double lon)
{
    double fx, fy;
    const corr_cell *cell = coarse_cell(c, lat, lon, &fx, &fy);
    return cell ? list_cell(c, cell, fx, fy) : NULL;
}

void trc_corr_grid_lookup(const truce_corridor *c, double lat, double lon, const uint32_t **cands,
                          size_t *ncand, int *state)
{
    double fx, fy;
    const corr_cell *cell = coarse_cell(c, lat, lon, &fx, &fy);
    if (!cell) {
        *cands = c->all;
        *ncand = c->npieces;
        *state = CORR_MIXED;
        return;
    }
    const corr_cell *list = list_cell(c, cell, fx, fy);
    *cands = c->grid.cands + list->cand;
    *ncand = list->ncand;
    /* Every state is proven: any that settles the point will do. */
    int st = list->state;
    if (st == CORR_MIXED && cell->states != UINT32_MAX)
        st = corr_fine_state(&c->grid, cell->states + fine_index(fx, fy, CORR_FINE_STATES));
    *state = st;
}
