/* Duplicates: see truce/dedup.h and docs/dedup.md. */
#include "truce/dedup.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/json_escape.h"
#include "base/strmap.h"
#include "base/util.h"

/* The sphere places are compared on: its great-circle distances are within
 * 0.6% of WGS84's geodesics, which the place slack (a kilometre by default)
 * and the radii (kilometres) dwarf; a geodesic per candidate pair would be
 * most of the run (some 10^7 pairs for 10^6 reports). */
#define EARTH_R 6371008.8

/* Grid levels: cells of 8 km * 4^l metres (in ECEF, on the sphere
 * above).  A report sits at the first level whose cells are at least
 * twice its reach (radius plus half the slack); two reports that may link
 * are then within one cell of each other at the higher of their levels.
 * The last level (8 km * 4^7 = 131,072 km) holds the whole sphere in at
 * most eight cells: reports without a place sit there. */
#define NLEVELS 8
static const double level_m[NLEVELS] = {8e3, 32e3, 128e3, 512e3, 2048e3, 8192e3, 32768e3, 131072e3};

enum kind {
    K_UNKNOWN,
    K_BATTLE,
    K_EXPLOSION,
    K_CIVILIANS,
    K_PROTEST,
    K_RIOT,
    K_STRATEGIC,
    K_ORGANISED,
    K_COUNT
};

static const char *const kind_names[K_COUNT] = {"unknown", "battle", "explosion", "civilians",
                                                "protest", "riot",   "strategic", "organised"};

/* The words of each vocabulary (docs/dedup.md has the same table). */
static const struct {
    const char *word;
    enum kind kind;
} words[] = {
    {"Battles", K_BATTLE},
    {"Explosions/Remote violence", K_EXPLOSION},
    {"Violence against civilians", K_CIVILIANS},
    {"Protests", K_PROTEST},
    {"Riots", K_RIOT},
    {"Strategic developments", K_STRATEGIC},
    {"armed_clash", K_BATTLE},
    {"attack_on_forces", K_BATTLE},
    {"shelling", K_EXPLOSION},
    {"airstrike", K_EXPLOSION},
    {"drone_strike", K_EXPLOSION},
    {"explosion", K_EXPLOSION},
    {"attack_on_civilians", K_CIVILIANS},
    {"protest", K_PROTEST},
    {"riot", K_RIOT},
    {"territorial_change", K_STRATEGIC},
    {"state-based", K_ORGANISED},
    {"non-state", K_ORGANISED},
    {"one-sided", K_CIVILIANS},
};

static enum kind kind_of(const truce_event *e)
{
    if (e->event_type) {
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (!truce_strcasecmp(e->event_type, words[i].word))
                return words[i].kind;
        return K_UNKNOWN;
    }
    /* UCDP: type_of_violence 1 state-based, 2 non-state, 3 one-sided. */
    return e->violence_type == 1 || e->violence_type == 2 ? K_ORGANISED
           : e->violence_type == 3                        ? K_CIVILIANS
                                                          : K_UNKNOWN;
}

const char *truce_dedup_kind(const truce_event *event)
{
    return event ? kind_names[kind_of(event)] : kind_names[K_UNKNOWN];
}

/* How well two kinds agree, 0 when they cannot be one incident. */
static double kind_match(enum kind a, enum kind b)
{
    if (a == K_UNKNOWN || b == K_UNKNOWN)
        return 0.5;
    if (a == b)
        return 1;
    if (a > b) {
        enum kind t = a;
        a = b;
        b = t;
    }
    /* UCDP's organised violence is fought as battles and by fire from afar;
     * its one-sided violence may be by shelling, which ACLED codes as an
     * explosion. */
    if (b == K_ORGANISED && (a == K_BATTLE || a == K_EXPLOSION))
        return 0.8;
    if (a == K_EXPLOSION && b == K_CIVILIANS)
        return 0.6;
    return 0;
}

typedef struct rep {
    int64_t start, end;  /* seconds */
    double p[3];         /* on the sphere, metres; 0 without a place */
    double radius_m;     /* -1 without a place */
    int64_t fat, lo, hi; /* fatalities: best, low, high; -1 unknown */
    uint32_t id;         /* offset of the id in the arena */
    uint32_t source;
    uint8_t kind;
    uint8_t level;
} rep;

typedef struct link {
    uint32_t a, b; /* a < b */
    float score;
} link;

/* A report in its cell, with what rules most candidates out copied beside
 * it (the sweep reads entries in order; the reports only for survivors). */
typedef struct entry {
    uint64_t cell;
    int64_t start, end;
    float p[3];    /* the place, metres (0 without one) */
    float reach_m; /* radius plus the place slack: -1 without a place */
    uint32_t rep;
    uint32_t source;
} entry;

typedef struct slot {
    uint64_t cell; /* 0: empty (real keys have a level bit set) */
    uint32_t first, count;
    int64_t max_len;
    /* The first entry that may still overlap a report: reports are looked
     * up in order of start, so it only moves forward (a binary search per
     * lookup was three quarters of the run, all of it cache misses). */
    uint32_t cursor;
} slot;

/* A report's start, for looking reports up in order of start. */
typedef struct by_start {
    int64_t start;
    uint32_t rep;
} by_start;

static int by_start_cmp(const void *x, const void *y)
{
    const by_start *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->rep < b->rep ? -1 : a->rep > b->rep;
}

struct truce_dedup {
    truce_dedup_options o;
    rep *reps;
    size_t n, cap;
    char *ids;
    size_t ids_len, ids_cap;
    strmap sources;
    int ran;
    /* After run: the clusters. */
    uint32_t *members;     /* n, cluster by cluster */
    size_t *start;         /* nclusters + 1 */
    uint32_t *repr;        /* per cluster */
    float *score;          /* per cluster */
    link *weakest;         /* per cluster; a == b for a singleton */
    unsigned char *counts; /* per report: 1 for a representative */
    size_t nclusters;
};

void truce_dedup_options_init(truce_dedup_options *o)
{
    memset(o, 0, sizeof *o);
    o->place_slack_m = 1000;
    o->time_slack_s = 0;
    o->min_score = 0.5;
    o->fatalities_rel = 0.5;
    o->fatalities_abs = 2;
    o->ambiguity = 0.05;
}

static int options_ok(const truce_dedup_options *o)
{
    return o->place_slack_m >= 0 && o->place_slack_m <= 1e7 && o->time_slack_s >= 0 &&
           o->time_slack_s <= (int64_t)1 << 40 && o->min_score >= 0 && o->min_score <= 1 &&
           o->fatalities_rel >= 0 && o->fatalities_rel <= 1e6 && o->fatalities_abs >= 0 &&
           o->ambiguity >= 0 && o->ambiguity <= 1;
}

truce_status truce_dedup_new(const truce_dedup_options *o, truce_dedup **out)
{
    if (!o || !out)
        return TRUCE_E_ARG;
    *out = NULL;
    if (!options_ok(o))
        return TRUCE_E_ARG;
    truce_dedup *d = trc_calloc(1, sizeof *d);
    if (!d)
        return TRUCE_E_NOMEM;
    d->o = *o;
    trc_strmap_init(&d->sources);
    *out = d;
    return TRUCE_OK;
}

void truce_dedup_free(truce_dedup *d)
{
    if (!d)
        return;
    trc_free(d->reps);
    trc_free(d->ids);
    trc_strmap_release(&d->sources);
    trc_free(d->members);
    trc_free(d->start);
    trc_free(d->repr);
    trc_free(d->score);
    trc_free(d->weakest);
    trc_free(d->counts);
    trc_free(d);
}

static truce_status grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return TRUCE_OK;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = trc_realloc(*p, c * size);
    if (!q)
        return TRUCE_E_NOMEM;
    *p = q;
    *cap = c;
    return TRUCE_OK;
}

/* What the rules read of event e, into r (its id and source left 0). */
static void fill(rep *r, const truce_event *e)
{
    memset(r, 0, sizeof *r);
    r->start = e->start_s;
    r->end = e->end_s;
    r->radius_m = -1;
    if (e->has_location) {
        const double deg = 3.14159265358979323846 / 180;
        double cl = cos(e->lat * deg);
        r->p[0] = EARTH_R * cl * cos(e->lon * deg);
        r->p[1] = EARTH_R * cl * sin(e->lon * deg);
        r->p[2] = EARTH_R * sin(e->lat * deg);
        r->radius_m = e->radius_m;
    }
    r->fat = e->fatalities;
    r->lo = e->fatalities_low >= 0 ? e->fatalities_low : e->fatalities;
    r->hi = e->fatalities_high >= 0 ? e->fatalities_high : e->fatalities;
    r->kind = (uint8_t)kind_of(e);
}

truce_status truce_dedup_add(truce_dedup *d, const truce_event *e)
{
    if (!d || !e || !e->id || d->ran)
        return TRUCE_E_ARG;
    if (d->n >= UINT32_MAX - 1)
        return TRUCE_E_RANGE;
    size_t idn = strlen(e->id) + 1;
    if (d->ids_len + idn > UINT32_MAX)
        return TRUCE_E_RANGE;
    if (grow((void **)&d->reps, &d->cap, d->n + 1, sizeof *d->reps) ||
        grow((void **)&d->ids, &d->ids_cap, d->ids_len + idn, 1))
        return TRUCE_E_NOMEM;
    /* The source: the format and the file the report was first read from. */
    char key[512];
    snprintf(key, sizeof key, "%s\t%s", truce_event_format_name(e->format), e->file ? e->file : "");
    size_t source;
    if (trc_strmap_put(&d->sources, key, &source, NULL) != TRUCE_OK)
        return TRUCE_E_NOMEM;
    rep *r = &d->reps[d->n];
    fill(r, e);
    r->id = (uint32_t)d->ids_len;
    r->source = (uint32_t)source;
    double reach = r->radius_m + d->o.place_slack_m / 2;
    int level = NLEVELS - 1;
    if (e->has_location)
        for (level = 0; level < NLEVELS - 1 && level_m[level] < 2 * reach;)
            level++;
    r->level = (uint8_t)level;
    memcpy(d->ids + d->ids_len, e->id, idn);
    d->ids_len += idn;
    d->n++;
    return TRUCE_OK;
}

/* Reports are also kept apart by how long their intervals are, so that
 * the sweep over a cell of day-long reports need not reach back as far as
 * the longest report in the place (a month-precision one would make every
 * neighbour's sweep a month long): up to a day and a half, up to 8.5 days
 * (a week-precision report), up to 32 (a month), longer. */
#define NSPANS 4
static int span_of(int64_t len_s)
{
    return len_s <= 129600 ? 0 : len_s <= 734400 ? 1 : len_s <= 2764800 ? 2 : 3;
}

/* The cell of point p at level l for intervals of span class `span`: the
 * level in the top four bits, the span in the next two, then the three
 * cell indexes, 19 bits each (offset so that they are positive; level 0's
 * 8 km cells need 11 bits across the Earth). */
static uint64_t cell_at(const double p[3], int l, int span, int dx, int dy, int dz)
{
    double g = level_m[l];
    int64_t c[3] = {(int64_t)floor(p[0] / g) + dx, (int64_t)floor(p[1] / g) + dy,
                    (int64_t)floor(p[2] / g) + dz};
    uint64_t key = (uint64_t)(l + 1) << 60 | (uint64_t)span << 58;
    for (int k = 0; k < 3; k++)
        key |= (uint64_t)((c[k] + (1 << 18)) & 0x7ffff) << (38 - 19 * k);
    return key;
}

static int by_cell_start(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->cell != b->cell)
        return a->cell < b->cell ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->rep < b->rep ? -1 : a->rep > b->rep;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static slot *find_cell(slot *t, size_t mask, uint64_t cell)
{
    for (size_t h = mix(cell) & mask;; h = (h + 1) & mask) {
        if (t[h].cell == cell)
            return &t[h];
        if (!t[h].cell)
            return NULL;
    }
}

/* The great-circle distance between two reports' places. */
static double distance_m(const rep *a, const rep *b)
{
    double dx = a->p[0] - b->p[0], dy = a->p[1] - b->p[1], dz = a->p[2] - b->p[2];
    double chord = sqrt(dx * dx + dy * dy + dz * dz);
    double half = chord / (2 * EARTH_R);
    return 2 * EARTH_R * asin(half < 1 ? half : 1);
}

/* The area (square metres) two disks of radii r1, r2 (metres) whose centres
 * are d metres apart have in common, on the plane: the radii (tens of
 * kilometres at most) are small beside the Earth's. */
static double lens_m2(double r1, double r2, double d)
{
    const double pi = 3.14159265358979323846;
    if (r1 <= 0 || r2 <= 0 || d >= r1 + r2)
        return 0;
    double small = r1 < r2 ? r1 : r2;
    if (d <= fabs(r1 - r2))
        return pi * small * small;
    double a1 = acos(fmax(-1, fmin(1, (d * d + r1 * r1 - r2 * r2) / (2 * d * r1))));
    double a2 = acos(fmax(-1, fmin(1, (d * d + r2 * r2 - r1 * r1) / (2 * d * r2))));
    double k = (-d + r1 + r2) * (d + r1 - r2) * (d - r1 + r2) * (d + r1 + r2);
    return r1 * r1 * a1 + r2 * r2 * a2 - 0.5 * sqrt(k > 0 ? k : 0);
}

/* A link refused: -1, and why. */
static double refuse(char *why, size_t size, const char *reason)
{
    if (why)
        snprintf(why, size, "%s", reason);
    return -1;
}

/* How two reports agree: the link's score, or a negative number when they
 * cannot be one incident.  `why` (may be NULL) gets the reason.
 *
 * Place and time each score the Bhattacharyya coefficient of the two
 * reports' uniform uncertainties: the common part over the geometric mean
 * of the two (area of the disks' lens over sqrt(area_a * area_b); overlap of
 * the intervals over sqrt(len_a * len_b)).  It is 1 for the same precise
 * place or day and falls with how much each report's uncertainty is spent
 * outside the other's, so that a place 25 km wide that holds a precise one
 * somewhere inside it says little (2 km in 25 km: 0.08) however near their
 * centres are. */
static double agree(const truce_dedup_options *o, const rep *a, const rep *b, char *why,
                    size_t size)
{
    if (!o->same_source && a->source == b->source)
        return refuse(why, size, "one source");
    int64_t slack = 2 * o->time_slack_s;
    int64_t lo = a->start > b->start ? a->start : b->start;
    int64_t hi = a->end < b->end ? a->end : b->end;
    if (hi - lo + slack <= 0)
        return refuse(why, size, "times do not overlap");
    double la = (double)(a->end - a->start + slack), lb = (double)(b->end - b->start + slack);
    double t = la > 0 && lb > 0 ? (double)(hi - lo + slack) / sqrt(la * lb) : 1;
    if (t > 1)
        t = 1;
    double p = 0.5, dist = -1;
    if (a->radius_m >= 0 && b->radius_m >= 0) {
        double limit = a->radius_m + b->radius_m + o->place_slack_m;
        dist = distance_m(a, b);
        if (dist > limit)
            return refuse(why, size, "places farther apart than their radii");
        double ra = a->radius_m + o->place_slack_m / 2, rb = b->radius_m + o->place_slack_m / 2;
        const double pi = 3.14159265358979323846;
        p = ra > 0 && rb > 0 ? lens_m2(ra, rb, dist) / (pi * ra * rb) : 1;
    }
    double k = kind_match((enum kind)a->kind, (enum kind)b->kind);
    if (k <= 0)
        return refuse(why, size, "types cannot be one incident");
    double f = 0.5;
    if (a->fat >= 0 && b->fat >= 0) {
        int64_t big = a->fat > b->fat ? a->fat : b->fat;
        double diff = (double)(a->fat > b->fat ? a->fat - b->fat : b->fat - a->fat);
        double tol = fmax((double)o->fatalities_abs, o->fatalities_rel * (double)big);
        int ranges_meet = a->lo <= b->hi && b->lo <= a->hi;
        if (diff > tol && !ranges_meet)
            return refuse(why, size, "fatalities disagree");
        f = diff > tol ? 0.25 : 1 - diff / (tol + 1);
    }
    double score = (p + t + k + f) / 4;
    if (why) {
        char place[64];
        if (dist >= 0)
            snprintf(place, sizeof place, "places %.1f km apart, sharing %.0f%%", dist / 1e3,
                     100 * p);
        else
            snprintf(place, sizeof place, "a place unknown");
        snprintf(why, size, "times sharing %.0f%%; %s; %s and %s; fatalities %s", 100 * t, place,
                 kind_names[a->kind], kind_names[b->kind],
                 a->fat >= 0 && b->fat >= 0 ? "agree" : "not both known");
    }
    return score;
}

truce_status truce_dedup_pair(const truce_dedup_options *options, const truce_event *a,
                              const truce_event *b, double *score, char *reason, size_t size)
{
    truce_dedup_options defaults;
    if (!options) {
        truce_dedup_options_init(&defaults);
        options = &defaults;
    }
    if (!a || !b || !score || (reason && !size) || !options_ok(options))
        return TRUCE_E_ARG;
    rep ra, rb;
    fill(&ra, a);
    fill(&rb, b);
    /* One source: the same format and file (truce_dedup_add's key). */
    rb.source = a->format != b->format || strcmp(a->file ? a->file : "", b->file ? b->file : "");
    *score = agree(options, &ra, &rb, reason, size);
    return TRUCE_OK;
}

/* Offer link (i, j, s) to report i's best list (cnt[i] of TRUCE_DEDUP_LINKS). */
static void offer(link *best, uint8_t *cnt, uint32_t i, uint32_t j, float s)
{
    link *l = best + (size_t)i * TRUCE_DEDUP_LINKS;
    link x = {i < j ? i : j, i < j ? j : i, s};
    if (cnt[i] < TRUCE_DEDUP_LINKS) {
        l[cnt[i]++] = x;
        return;
    }
    size_t worst = 0;
    for (size_t k = 1; k < TRUCE_DEDUP_LINKS; k++)
        if (l[k].score < l[worst].score)
            worst = k;
    if (l[worst].score < s)
        l[worst] = x;
}

static int by_score(const void *x, const void *y)
{
    const link *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static uint32_t root(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Whether every member of cluster x agrees with every member of cluster y
 * (`next` chains a cluster's members from its root): a link between two
 * clusters must not chain reports that cannot be one incident, such as two
 * places farther apart than their radii through a vague third.  At most
 * ALL_AGREE_MAX pairs are checked; past that (only with same_source can
 * clusters grow so big) the link alone decides. */
#define ALL_AGREE_MAX 256
static int all_agree(const truce_dedup *d, const uint32_t *next, uint32_t x, uint32_t y)
{
    size_t checked = 0;
    for (uint32_t i = x; i != UINT32_MAX; i = next[i])
        for (uint32_t j = y; j != UINT32_MAX; j = next[j]) {
            if (++checked > ALL_AGREE_MAX)
                return 1;
            if (agree(&d->o, &d->reps[i], &d->reps[j], NULL, 0) < 0)
                return 0;
        }
    return 1;
}

/* Whether report a is more precise than b: a smaller radius (a place at
 * all), then a shorter interval, then known fatalities, then read first. */
static int more_precise(const rep *ra, uint32_t a, const rep *rb, uint32_t b)
{
    double xa = ra->radius_m < 0 ? HUGE_VAL : ra->radius_m;
    double xb = rb->radius_m < 0 ? HUGE_VAL : rb->radius_m;
    if (xa != xb)
        return xa < xb;
    int64_t la = ra->end - ra->start, lb = rb->end - rb->start;
    if (la != lb)
        return la < lb;
    if ((ra->fat >= 0) != (rb->fat >= 0))
        return ra->fat >= 0;
    return a < b;
}

/* Whether link k of report i has a rival: another of i's links, to a
 * report of the same source as this link's other end, scoring within
 * margin of it.  A source tells an incident once, so i can be one of the
 * two at most; when the evidence hardly prefers either, linking i to the
 * better is a coin toss between two incidents, and i is left alone.  With
 * same_source a source may tell an incident twice: no rivals then. */
static int rivalled(const truce_dedup *d, const link *best, const uint8_t *cnt, uint32_t i,
                    size_t k, double margin)
{
    if (d->o.same_source)
        return 0;
    const link *l = best + (size_t)i * TRUCE_DEDUP_LINKS;
    uint32_t j = l[k].a == i ? l[k].b : l[k].a;
    for (size_t q = 0; q < cnt[i]; q++) {
        uint32_t c = l[q].a == i ? l[q].b : l[q].a;
        if (q != k && c != j && d->reps[c].source == d->reps[j].source &&
            (double)l[q].score >= (double)l[k].score - margin)
            return 1;
    }
    return 0;
}

/* The candidate pairs, scored, into each report's best list. */
static truce_status find_links(truce_dedup *d, link *best, uint8_t *cnt)
{
    size_t n = d->n;
    entry *e = trc_malloc((n ? n : 1) * sizeof *e);
    if (!e)
        return TRUCE_E_NOMEM;
    int used[NLEVELS][NSPANS] = {{0}};
    for (size_t i = 0; i < n; i++) {
        const rep *r = &d->reps[i];
        int span = span_of(r->end - r->start);
        e[i] = (entry){cell_at(r->p, r->level, span, 0, 0, 0),
                       r->start,
                       r->end,
                       {(float)r->p[0], (float)r->p[1], (float)r->p[2]},
                       r->radius_m < 0 ? -1.0f : (float)(r->radius_m + d->o.place_slack_m),
                       (uint32_t)i,
                       r->source};
        used[r->level][span] = 1;
    }
    qsort(e, n, sizeof *e, by_cell_start);
    size_t ncell = 0;
    for (size_t i = 0; i < n; i++)
        ncell += !i || e[i].cell != e[i - 1].cell;
    size_t tcap = 16;
    while (tcap < 2 * ncell)
        tcap *= 2;
    slot *t = trc_calloc(tcap, sizeof *t);
    if (!t) {
        trc_free(e);
        return TRUCE_E_NOMEM;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int64_t longest = 0;
        for (; j < n && e[j].cell == e[i].cell; j++) {
            const rep *r = &d->reps[e[j].rep];
            if (r->end - r->start > longest)
                longest = r->end - r->start;
        }
        size_t h = mix(e[i].cell) & (tcap - 1);
        while (t[h].cell)
            h = (h + 1) & (tcap - 1);
        t[h] = (slot){e[i].cell, (uint32_t)i, (uint32_t)(j - i), longest, (uint32_t)i};
        i = j;
    }
    by_start *order = trc_malloc((n ? n : 1) * sizeof *order);
    if (!order) {
        trc_free(t);
        trc_free(e);
        return TRUCE_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (by_start){d->reps[i].start, (uint32_t)i};
    qsort(order, n, sizeof *order, by_start_cmp);
    int64_t slack = 2 * d->o.time_slack_s;
    for (size_t o = 0; o < n; o++) {
        size_t i = order[o].rep;
        const rep *ri = &d->reps[i];
        for (int ls = ri->level * NSPANS; ls < NLEVELS * NSPANS; ls++) {
            int l = ls / NSPANS, span = ls % NSPANS;
            if (!used[l][span])
                continue;
            for (int dx = -1; dx <= 1; dx++)
                for (int dy = -1; dy <= 1; dy++)
                    for (int dz = -1; dz <= 1; dz++) {
                        slot *s = find_cell(t, tcap - 1, cell_at(ri->p, l, span, dx, dy, dz));
                        if (!s)
                            continue;
                        /* Entries by start: those that may overlap begin
                         * after start - slack - the cell's longest. */
                        int64_t from = ri->start - slack - s->max_len;
                        size_t lo = s->cursor;
                        while (lo < s->first + s->count && e[lo].start <= from)
                            lo++;
                        s->cursor = (uint32_t)lo;
                        for (size_t k = lo; k < s->first + s->count; k++) {
                            const entry *c = &e[k];
                            if (c->start >= ri->end + slack)
                                break;
                            if (c->end + slack <= ri->start ||
                                (!d->o.same_source && c->source == ri->source))
                                continue;
                            if (c->reach_m >= 0 && ri->radius_m >= 0) {
                                /* The chord is at most the arc: a chord past
                                 * the limit (with float's rounding, 1e-5 of
                                 * the Earth's radius: 64 m) rules it out. */
                                double ex = (double)c->p[0] - ri->p[0],
                                       ey = (double)c->p[1] - ri->p[1],
                                       ez = (double)c->p[2] - ri->p[2];
                                double lim = (double)c->reach_m + ri->radius_m + 64;
                                if (ex * ex + ey * ey + ez * ez > lim * lim)
                                    continue;
                            }
                            uint32_t j = c->rep;
                            const rep *rj = &d->reps[j];
                            /* Each pair once: from the lower level, or the
                             * lower number at one level. */
                            if (j == i || (rj->level == ri->level && j < i) ||
                                rj->level < ri->level)
                                continue;
                            double sc = agree(&d->o, ri, rj, NULL, 0);
                            if (sc < d->o.min_score)
                                continue;
                            offer(best, cnt, (uint32_t)i, j, (float)sc);
                            offer(best, cnt, j, (uint32_t)i, (float)sc);
                        }
                    }
        }
    }
    trc_free(order);
    trc_free(t);
    trc_free(e);
    return TRUCE_OK;
}

truce_status truce_dedup_run(truce_dedup *d)
{
    if (!d || d->ran)
        return TRUCE_E_ARG;
    size_t n = d->n, m = n ? n : 1;
    link *best = trc_malloc(m * TRUCE_DEDUP_LINKS * sizeof *best);
    uint8_t *cnt = trc_calloc(m, 1);
    uint8_t *amb = trc_calloc(m * TRUCE_DEDUP_LINKS, 1);
    uint32_t *parent = trc_malloc(m * sizeof *parent);
    uint64_t *srcs = trc_malloc(m * sizeof *srcs);
    link *weak = trc_malloc(m * sizeof *weak);
    uint32_t *next = trc_malloc(m * sizeof *next), *tail = trc_malloc(m * sizeof *tail);
    truce_status st =
        best && cnt && amb && parent && srcs && weak && next && tail ? TRUCE_OK : TRUCE_E_NOMEM;
    if (st == TRUCE_OK)
        st = find_links(d, best, cnt);
    size_t nl = 0;
    if (st == TRUCE_OK) {
        /* Every kept link once (a link kept by both ends twice, next to
         * each other once sorted). */
        double margin = d->o.ambiguity;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < cnt[i]; k++)
                amb[i * TRUCE_DEDUP_LINKS + k] =
                    (uint8_t)rivalled(d, best, cnt, (uint32_t)i, k, margin);
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < cnt[i]; k++) {
                link x = best[i * TRUCE_DEDUP_LINKS + k];
                if (amb[i * TRUCE_DEDUP_LINKS + k])
                    continue;
                uint32_t j = x.a == i ? x.b : x.a;
                int skip = 0;
                for (size_t q = 0; q < cnt[j]; q++) {
                    const link *y = &best[(size_t)j * TRUCE_DEDUP_LINKS + q];
                    if (y->a == x.a && y->b == x.b)
                        skip = amb[(size_t)j * TRUCE_DEDUP_LINKS + q];
                }
                if (!skip)
                    best[nl++] = x;
            }
        qsort(best, nl, sizeof *best, by_score);
        for (size_t i = 0; i < n; i++) {
            parent[i] = (uint32_t)i;
            /* A source set per cluster, a bit per source (sources past 64
             * share bits: then a merge is refused more often, never allowed
             * wrongly). */
            srcs[i] = (uint64_t)1 << (d->reps[i].source % 64);
            weak[i] = (link){(uint32_t)i, (uint32_t)i, 1};
            next[i] = UINT32_MAX;
            tail[i] = (uint32_t)i;
        }
        for (size_t k = 0; k < nl; k++) {
            if (k && best[k].a == best[k - 1].a && best[k].b == best[k - 1].b)
                continue;
            uint32_t x = root(parent, best[k].a), y = root(parent, best[k].b);
            if (x == y || (!d->o.same_source && (srcs[x] & srcs[y])) || !all_agree(d, next, x, y))
                continue;
            if (x > y) {
                uint32_t tmp = x;
                x = y;
                y = tmp;
            }
            parent[y] = x;
            srcs[x] |= srcs[y];
            /* y's members after x's (lists end at UINT32_MAX; tail[] of roots). */
            next[tail[x]] = y;
            tail[x] = tail[y];
            /* Links come best first: the one that merges is the weakest yet. */
            weak[x] = best[k];
        }
    }
    if (st == TRUCE_OK) {
        /* Clusters numbered by their first report; members in input order. */
        size_t *id = trc_malloc(m * sizeof *id);
        d->members = trc_malloc(m * sizeof *d->members);
        d->start = trc_calloc(m + 1, sizeof *d->start);
        if (!id || !d->members || !d->start)
            st = TRUCE_E_NOMEM;
        size_t nc = 0;
        for (size_t i = 0; i < n && st == TRUCE_OK; i++) {
            uint32_t r = root(parent, (uint32_t)i);
            id[i] = r == i ? nc++ : id[r];
            d->start[id[i] + 1]++;
        }
        if (st == TRUCE_OK) {
            d->repr = trc_malloc((nc ? nc : 1) * sizeof *d->repr);
            d->score = trc_malloc((nc ? nc : 1) * sizeof *d->score);
            d->weakest = trc_malloc((nc ? nc : 1) * sizeof *d->weakest);
            if (!d->repr || !d->score || !d->weakest)
                st = TRUCE_E_NOMEM;
        }
        if (st == TRUCE_OK) {
            for (size_t c = 0; c < nc; c++)
                d->start[c + 1] += d->start[c];
            size_t *ofs = trc_malloc((nc ? nc : 1) * sizeof *ofs);
            if (!ofs)
                st = TRUCE_E_NOMEM;
            for (size_t c = 0; c < nc && ofs; c++)
                ofs[c] = d->start[c];
            for (size_t i = 0; i < n && ofs; i++) {
                size_t c = id[i];
                d->members[ofs[c]++] = (uint32_t)i;
                if (root(parent, (uint32_t)i) == i) { /* a cluster's first report */
                    d->repr[c] = (uint32_t)i;
                    d->weakest[c] = weak[i];
                    d->score[c] = weak[i].score;
                } else if (more_precise(&d->reps[i], (uint32_t)i, &d->reps[d->repr[c]],
                                        d->repr[c])) {
                    d->repr[c] = (uint32_t)i;
                }
            }
            trc_free(ofs);
            d->counts = trc_calloc(m, 1);
            if (!d->counts)
                st = TRUCE_E_NOMEM;
            for (size_t c = 0; c < nc && d->counts; c++)
                d->counts[d->repr[c]] = 1;
            d->nclusters = nc;
        }
        trc_free(id);
    }
    trc_free(best);
    trc_free(cnt);
    trc_free(amb);
    trc_free(parent);
    trc_free(srcs);
    trc_free(weak);
    trc_free(next);
    trc_free(tail);
    if (st == TRUCE_OK)
        d->ran = 1;
    return st;
}

size_t truce_dedup_reports(const truce_dedup *d)
{
    return d ? d->n : 0;
}

size_t truce_dedup_count(const truce_dedup *d)
{
    return d && d->ran ? d->nclusters : 0;
}

int truce_dedup_counts(const truce_dedup *d, size_t i)
{
    return d && d->ran && i < d->n && d->counts[i];
}

const char *truce_dedup_id(const truce_dedup *d, size_t i)
{
    return d && i < d->n ? d->ids + d->reps[i].id : NULL;
}

truce_status truce_dedup_get(const truce_dedup *d, size_t k, truce_dedup_cluster *out)
{
    if (!d || !out || !d->ran || k >= d->nclusters)
        return TRUCE_E_ARG;
    out->members = d->members + d->start[k];
    out->nmembers = d->start[k + 1] - d->start[k];
    out->representative = d->repr[k];
    out->score = d->score[k];
    const link *w = &d->weakest[k];
    if (out->nmembers == 1)
        snprintf(out->reason, sizeof out->reason, "no other report agrees");
    else
        agree(&d->o, &d->reps[w->a], &d->reps[w->b], out->reason, sizeof out->reason);
    return TRUCE_OK;
}

truce_status truce_dedup_write(const truce_dedup *d, truce_dedup_format format, FILE *out)
{
    if (!d || !out || !d->ran)
        return TRUCE_E_ARG;
    truce_dedup_cluster c;
    for (size_t k = 0; k < d->nclusters; k++) {
        truce_dedup_get(d, k, &c);
        if (format == TRUCE_DEDUP_JSONL) {
            fprintf(out, "{\"cluster\":%zu,\"members\":[", k + 1);
            for (size_t i = 0; i < c.nmembers; i++) {
                if (i)
                    fputc(',', out);
                trc_json_escape_fputs(out, truce_dedup_id(d, c.members[i]));
            }
            fputs("],\"representative\":", out);
            trc_json_escape_fputs(out, truce_dedup_id(d, c.representative));
            char num[32];
            num[trc_json_double(round(c.score * 1e4) / 1e4, num)] = '\0';
            fprintf(out, ",\"score\":%s,\"reason\":", num);
            trc_json_escape_fputs(out, c.reason);
            fputs("}\n", out);
        } else if (c.nmembers > 1) {
            fprintf(out, "incident %zu: %zu reports, score %.2f (%s)\n", k + 1, c.nmembers, c.score,
                    c.reason);
            for (size_t i = 0; i < c.nmembers; i++)
                fprintf(out, "  %s%s\n", truce_dedup_id(d, c.members[i]),
                        c.members[i] == c.representative ? " (representative)" : "");
        }
    }
    return ferror(out) ? TRUCE_E_IO : TRUCE_OK;
}
