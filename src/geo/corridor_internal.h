/* Internals of the corridor module (not public API): the road's pieces, the
 * exact point-to-piece solve, the bounds and the grid index.
 * docs/corridor.md explains the model, the bounds and their proofs. */
#ifndef TRUCE_CORRIDOR_INTERNAL_H
#define TRUCE_CORRIDOR_INTERNAL_H

#include <geodesic.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "truce/corridor.h"

/* WGS84. */
#define CORR_A 6378137.0
#define CORR_F (1.0 / 298.257223563)
#define CORR_PI 3.14159265358979323846
#define CORR_DEG (CORR_PI / 180.0)

/* Segments longer than this are cut into pieces of at most this length
 * (metres) so that every piece stays close to its chord (the bounds) and
 * short against the Earth (the solve is then unimodal on a piece). */
#define CORR_PIECE_MAX_M 1000.0

/* At most this many pieces (about 600 bytes each; indexed by uint32_t).  A
 * segment of s metres makes ceil(s / CORR_PIECE_MAX_M) <= 1 + s /
 * CORR_PIECE_MAX_M pieces, so a road within truce/corridor.h's limits makes
 * at most TRUCE_ROAD_MAX_VERTICES + TRUCE_ROAD_MAX_LENGTH_M / CORR_PIECE_MAX_M. */
#define CORR_MAX_PIECES (1u << 20)
_Static_assert(TRUCE_ROAD_MAX_VERTICES +
                       (unsigned long)TRUCE_ROAD_MAX_LENGTH_M / (unsigned long)CORR_PIECE_MAX_M <=
                   CORR_MAX_PIECES,
               "a road within the public limits must fit the pieces' index");

/* Slack added to every bound (metres) to cover floating-point rounding in the
 * Earth-centred coordinates (|X| ~ 6.4e6 m, ulp ~ 1e-9 m) by a wide margin. */
#define CORR_EPS_M 1e-6

/* A piece of road: a stretch of one geodesic segment (a whole segment unless
 * it was longer than CORR_PIECE_MAX_M). */
typedef struct corr_piece {
    struct geod_geodesicline line; /* from a toward b */
    double len_m;                  /* geodesic length of the piece */
    double chain0_m;               /* chainage at a */
    double chain1_m;               /* chainage at b (== the next piece's chain0_m) */
    double azi_b_deg;              /* the geodesic's azimuth at b */
    double lat_a, lon_a, lat_b, lon_b;
    double dir_a_deg; /* the road's direction at a (bisector at an interior vertex) */
    double dir_b_deg; /* at b */
    size_t segment;   /* index of the (non-zero) segment over all parts */
    size_t part;
    unsigned char has_prev, has_next; /* a neighbouring piece in the same part */
} corr_piece;

/* The chord of a piece in Earth-centred, Earth-fixed coordinates (metres):
 * what the bounds need, packed for the candidate scans. */
typedef struct corr_chord {
    double a[3]; /* ECEF of the piece's start */
    double u[3]; /* unit vector from a to b */
    double len;  /* |b - a| */
    double dev;  /* proven bound on the distance between the geodesic arc and
                    the chord point at the same fraction: kappa_max len_m^2 / 8 */
} corr_chord;

/* Cell states for `decide`. */
enum { CORR_OUT = 0, CORR_IN = 1, CORR_MIXED = 2 };

typedef struct corr_cell {
    uint32_t cand; /* offset into grid.cands */
    uint32_t ncand;
    uint32_t fine;   /* index of the first fine cell, or UINT32_MAX */
    uint32_t states; /* index of the first fine state, or UINT32_MAX */
    /* Proven bounds of the distance to the road (metres) at every point of
     * the cell, rounded outward to float (cell_filter's lo and hi):
     * truce_corridor_within settles most points with them alone. */
    float lo_m, hi_m;
    uint8_t state;
    uint8_t k; /* fine cells per edge (k * k of them), 0 when none */
} corr_cell;

typedef struct corr_grid {
    double lon0, lat0; /* south-west corner, degrees (lon0 on the road's unwrapped scale) */
    double dlon, dlat; /* coarse cell size, degrees */
    double inv_dlon, inv_dlat;
    size_t nx, ny;     /* coarse cells */
    double nx_d, ny_d; /* the same as doubles, for the look-up's range check */
    corr_cell *cells;  /* nx * ny, row-major from the south */
    corr_cell *fine;   /* k * k per coarse cell with many candidates */
    size_t nfine;
    /* decide's states of CORR_FINE_STATES^2 fine cells per coarse cell that
     * decide cannot settle (the candidates stay the coarse cell's), two
     * bits each, four to a byte (corr_fine_state). */
    uint8_t *states;
    size_t nstates;
    uint32_t *cands; /* candidate piece indices; neighbouring cells share equal lists */
    size_t ncands;
} corr_grid;

/* Fine states per edge of a coarse cell that decide cannot settle. */
#define CORR_FINE_STATES 16

/* Fine state i of a grid. */
static inline int corr_fine_state(const corr_grid *g, size_t i)
{
    return (g->states[i / 4] >> (2 * (i % 4))) & 3;
}

/* Pieces per block of the out-of-grid bounds (corridor.c, outside_cands). */
#define CORR_BLOCK 8

typedef struct corr_block {
    double c[3]; /* ECEF centre */
    double r;    /* every chord point of the block's pieces is within r of c */
} corr_block;

/* Per-piece data of the fast path (corridor_fast.c; docs/corridor.md, "The
 * fast path"): the piece's geodesic as a cubic in arc length about its
 * midpoint, in Earth-centred coordinates (metres). */
typedef struct corr_fast {
    double m[3];         /* the midpoint */
    double t[3];         /* unit tangent there (first derivative in arc length) */
    double n[3];         /* outward unit normal there */
    double k[3];         /* second derivative: the normal curvature times the inward normal */
    double j[3];         /* third derivative */
    double h;            /* half the piece's length; 0: no fast path for this piece */
    double b[3];         /* the piece's end (its start is chords[].a) */
    double da[3], db[3]; /* unit vectors of the road's direction at a and b (dir_a/b_deg) */
    double na[3], nb[3]; /* outward unit normals at a and b */
    /* the piece's own fields the answer needs, here to spare a cache miss */
    double chain0_m, chain1_m;
    uint32_t segment, part;
    unsigned char has_prev, has_next;
    /* the next (previous) piece's start (end), its normal and the road's
     * direction there are bit for bit this piece's end (start): a foot at
     * that vertex has the same distance and side on both */
    unsigned char same_next, same_prev;
} corr_fast;

/* The fast path's limits and its error bound as used in comparisons
 * (docs/corridor.md, "The fast path"). */
#define CORR_FAST_MAX_CHORD_M 60000.0 /* farther from every chord: the exact solve */
#define CORR_FAST_EPS_M 1e-5          /* |fast - exact| distance, with a wide margin */
#define CORR_FAST_MIN_D_M 1e-3        /* closer to the road: the exact solve */

struct truce_corridor {
    struct geod_geodesic geod;
    double left_m, right_m, length_m;
    double dmin_m, dmax_m; /* min and max of the depths */
    corr_piece *pieces;
    corr_chord *chords;
    size_t npieces;
    size_t nsegments;
    size_t nparts;
    double dev_max;     /* max of chords[].dev */
    double chord_in2;   /* decide: inside when min chord distance^2 <= this */
    double chord_out2;  /* decide: outside when min chord distance^2 > this */
    double sphere_c[3]; /* a ball containing every piece (ECEF) */
    double sphere_r;
    uint32_t *all; /* 0..npieces-1: the candidates outside the grid */
    /* Outside the grid, pieces are taken CORR_BLOCK at a time: block k
     * holds pieces [k * CORR_BLOCK, (k + 1) * CORR_BLOCK) and a ball (ECEF
     * centre, radius) around their chords. */
    corr_block *blocks;
    size_t nblocks;
    corr_grid grid;
    corr_fast *fast; /* per piece; NULL: no fast path */
    int exact_only;  /* truce_corridor_set_exact */
    /* points the fast path handed to the exact solve (its own allocation:
     * measure takes a const handle, and this is the one thing it writes) */
    atomic_size_t *fallbacks;
};

/* The nearest point of one piece to a point. */
typedef struct corr_foot {
    double s;         /* metres from the piece's start, in [0, len_m] */
    double d;         /* geodesic distance, metres */
    double gamma_deg; /* azimuth of the geodesic from the nearest point to the point */
    double dir_deg;   /* the road's direction there (for the side) */
} corr_foot;

/* A candidate piece for a point: its lower bound, and where its chord puts
 * the point (t: the chord fraction for the exact solve, the distance along
 * the chord for the fast path; d2: the chord distance^2). */
typedef struct cand_lb {
    uint32_t piece;
    double lb, t, d2;
} cand_lb;

/* Move the candidate of least lower bound among buf[done, n) to buf[done]
 * and return it: candidates are solved in that order until the next lower
 * bound rules the rest out, so a selection step each beats a sort. */
static inline cand_lb trc_corr_next_cand(cand_lb *buf, size_t done, size_t n)
{
    size_t pick = done;
    for (size_t i = done + 1; i < n; i++)
        if (buf[i].lb < buf[pick].lb)
            pick = i;
    cand_lb cur = buf[pick];
    buf[pick] = buf[done];
    buf[done] = cur;
    return cur;
}

/* The last vertex solved for a point (two pieces share each vertex). */
typedef struct corr_vcache {
    size_t id; /* SIZE_MAX: empty */
    double d, gamma_deg;
} corr_vcache;

/* ECEF (metres) of a point on the WGS84 ellipsoid. */
void trc_corr_ecef(double lat_deg, double lon_deg, double out[3]);

/* Upper bound of the geodesic distance between two points of the ellipsoid
 * whose chord is `chord_m` (Schur's comparison theorem with the largest
 * normal curvature a/b^2); +inf beyond 1000 km. */
double trc_corr_chord_to_geodesic_ub(double chord_m);

/* Euclidean distance^2 from p to the chord of c, and the chord fraction of
 * the nearest chord point (in [0, 1]). */
double trc_corr_chord_dist2(const corr_chord *c, const double p[3], double *t);

/* Solve the nearest point of piece `pc` to (lat, lon): Karney's gnomonic
 * interception iteration on the piece's geodesic, clamped to its ends,
 * started from chord fraction t0.  Always converges; the reference path. */
void trc_corr_solve_piece(const truce_corridor *c, const corr_piece *pc, double lat, double lon,
                          double t0, corr_foot *out);

/* The nearest point of piece i to (lat, lon) (ECEF p), given the chord
 * fraction t and chord distance^2 d2 of the point: a vertex foot is one
 * inverse problem, an interior foot Newton's method on the direct problem;
 * whatever those cannot settle goes to trc_corr_solve_piece. */
void trc_corr_solve(const truce_corridor *c, size_t i, double lat, double lon, const double p[3],
                    double t, double d2, corr_vcache *vc, corr_foot *out);

/* Build the grid index (after pieces and chords). */
truce_status trc_corr_grid_build(truce_corridor *c);
void trc_corr_grid_release(corr_grid *g);

/* The grid cell whose candidates a point uses (a fine one where there are
 * fine lists), NULL outside the grid; reads only the coarse cell (the
 * batches prefetch the cell it returns). */
const corr_cell *trc_corr_grid_cell(const truce_corridor *c, double lat, double lon);

/* The candidate pieces and the decide-state for a point; `lon` is any
 * longitude.  Outside the grid: state CORR_MIXED and every piece. */
void trc_corr_grid_lookup(const truce_corridor *c, double lat, double lon, const uint32_t **cands,
                          size_t *ncand, int *state);

/* Measure with a known candidate list: the fast path where its bound is
 * proven, else the exact solve (counted in c->fallbacks).  Returns 1 when
 * the answer came from the fast path (distance within CORR_FAST_EPS_M). */
int trc_corr_measure_cands(const truce_corridor *c, double lat, double lon, const double p[3],
                           const uint32_t *cands, size_t ncand, truce_measure *out);

/* The exact solve alone. */
void trc_corr_measure_exact(const truce_corridor *c, double lat, double lon, const double p[3],
                            const uint32_t *cands, size_t ncand, truce_measure *out);

/* An upper bound of the chord distance up to which measure (the fast path
 * or the exact solve) keeps a candidate when the least chord distance over
 * the point's candidates is m (metres; +inf beyond 1000 km).  A piece whose
 * chord distance exceeds this for the point changes none of measure's,
 * decide's or within's answers: the grid leaves such pieces out of a cell's
 * list (corridor_index.c, cell_prune).  Grows with m, and so does
 * trc_corr_cand_lim(c, m) - m. */
double trc_corr_cand_lim(const truce_corridor *c, double m);

/* An upper bound of how far |P - chord_j| - |P - chord_k| can move from
 * its value at c over the ball |P - c| <= r, given the chord distances dj,
 * dk of c and the unit vectors uj, uk from the chords' nearest points to c
 * (ECEF, metres).  The chord distance to a segment is 1-Lipschitz with
 * gradient the unit vector U from the segment's nearest point F to P, so
 * the difference moves by at most r sup |U_j - U_k| <= 2r; and when both
 * chords are farther than 2r from c, F moves by at most |P - c| (the
 * projection onto a segment is 1-Lipschitz), so P - F moves by at most 2r
 * and U turns by at most asin(2r / d) from its value at c, whence
 * sup |U_j - U_k| <= |uj - uk| + asin(2r / dj) + asin(2r / dk) (the
 * difference of two unit vectors is at most the angle between them).  Far
 * from the road this is about r times the angle between the two pieces
 * seen from c: much less than 2r. */
double trc_corr_diff_change(double r, double dj, const double uj[3], double dk, const double uk[3]);

/* The fast path's per-piece data (after pieces and chords). */
truce_status trc_corr_fast_build(truce_corridor *c);

/* The fast path's torsion terms of the foot condition at a point X of a
 * piece with tangent X', for the chord w = P - X, c2 = |w|^2
 * (docs/corridor.md, "The fast path", 2), and a proven bound of their
 * absolute value for any X, X' of a piece and any w with |w|^2 = c2. */
double trc_corr_fast_twist(const double x[3], const double w[3], const double xp[3], double c2);
double trc_corr_fast_twist_bound(double c2);

/* How far beyond an end of a piece of half-length h (metres) the chord
 * must put a point, at chord distance^2 d2 from that end, for f to have
 * the sign that puts the foot at that end (docs/corridor.md, "At a piece's
 * end, from the chord"): where it does, the fast path solves nothing. */
double trc_corr_fast_end_margin(double h, double d2);

/* The fast path: 1 and *out when every bound holds for this point, else 0
 * (*out then undefined). */
int trc_corr_measure_fast(const truce_corridor *c, const double p[3], const uint32_t *cands,
                          size_t ncand, truce_measure *out);

#endif
