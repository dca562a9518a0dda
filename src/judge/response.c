/* Responses to attacks: see truce/response.h.
 *
 * Attacks are kept in buckets by target (actor2, lower-cased), each in the
 * order they came.  A query looks only in the bucket of its actor1, skips
 * attacks outside its window, and rules out far ones with a cheap proven
 * bound before the geodesic: the distance between two points is at least the
 * meridian arc between their parallels, which is at least |dlat| times the
 * least meridional radius of curvature a (1 - e^2). */
#include "truce/response.h"

#include <geodesic.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/name_memo.h"
#include "base/strmap.h"
#include "base/util.h"

#define WGS84_A 6378137.0
#define WGS84_F (1 / 298.257223563)

typedef struct attack {
    char *id;
    size_t by; /* actor1: its index in `targets` */
    int64_t start_s;
    double lon, lat;
} attack;

typedef struct bucket {
    attack *items;
    size_t count, cap;
} bucket;

/* Actor names as events write them, each with its index in `targets`
 * (a name memo, name_memo.h): lower-casing a name and hashing it into the
 * map for every event took two thirds of linking (callgrind, 200,000
 * scattered events), and names repeat. */
#define NAME_SLOTS 256

struct truce_responder {
    double window_s, distance_m, min_radius_m;
    struct geod_geodesic g;
    strmap targets;  /* lower-cased actor names -> bucket index (actor2 of
                        attacks; actor1 of every event, for its own lookup) */
    bucket *buckets; /* buckets_cap, of which nbuckets in use */
    size_t nbuckets, buckets_cap;
    int64_t latest_s;
    char *last_id; /* the id handed out by the last call */
    char *lc;      /* scratch for lower-casing */
    size_t lc_cap;
    trc_name_key names[NAME_SLOTS];
    size_t name_index[NAME_SLOTS]; /* of the name in names[i] */
};

static void attack_release(attack *a)
{
    trc_free(a->id);
}

truce_status truce_responder_new(double window_s, double distance_m, truce_responder **out)
{
    if (!out || !(window_s > 0) || !(distance_m >= 0))
        return TRUCE_E_ARG;
    truce_responder *r = trc_calloc(1, sizeof *r);
    if (!r)
        return TRUCE_E_NOMEM;
    r->window_s = window_s;
    r->distance_m = distance_m;
    r->min_radius_m = WGS84_A * (1 - WGS84_F * (2 - WGS84_F));
    r->latest_s = INT64_MIN;
    trc_strmap_init(&r->targets);
    trc_name_keys_clear(r->names, NAME_SLOTS);
    geod_init(&r->g, WGS84_A, WGS84_F);
    *out = r;
    return TRUCE_OK;
}

void truce_responder_free(truce_responder *r)
{
    if (!r)
        return;
    for (size_t b = 0; b < r->nbuckets; b++) {
        for (size_t i = 0; i < r->buckets[b].count; i++)
            attack_release(&r->buckets[b].items[i]);
        trc_free(r->buckets[b].items);
    }
    trc_free(r->buckets);
    trc_strmap_release(&r->targets);
    trc_free(r->last_id);
    trc_free(r->lc);
    trc_free(r);
}

/* A lower-case copy of s[0, n] (with its NUL) in the scratch buffer; NULL
 * when out of memory. */
static const char *lower(truce_responder *r, const char *s, size_t n)
{
    if (n + 1 > r->lc_cap) {
        char *p = trc_realloc(r->lc, (n + 1) * 2);
        if (!p)
            return NULL;
        r->lc = p;
        r->lc_cap = (n + 1) * 2;
    }
    for (size_t i = 0; i <= n; i++)
        r->lc[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + ('a' - 'A')) : s[i];
    return r->lc;
}

/* The index in `targets` of actor `name` ignoring ASCII case, adding it
 * (with an empty bucket) when new.  TRUCE_E_NOMEM. */
static truce_status target_index(truce_responder *r, const char *name, size_t *index)
{
    size_t n = strlen(name);
    int hit;
    size_t slot = trc_name_find(r->names, NAME_SLOTS, name, n, &hit);
    if (hit) {
        *index = r->name_index[slot];
        return TRUCE_OK;
    }
    if (r->nbuckets == r->buckets_cap) { /* room first: every key has its bucket */
        size_t cap = r->buckets_cap ? 2 * r->buckets_cap : 16;
        bucket *nb = trc_realloc(r->buckets, cap * sizeof *nb);
        if (!nb)
            return TRUCE_E_NOMEM;
        r->buckets = nb;
        r->buckets_cap = cap;
    }
    const char *lc = lower(r, name, n);
    int added;
    if (!lc || trc_strmap_put(&r->targets, lc, index, &added) != TRUCE_OK)
        return TRUCE_E_NOMEM;
    if (added)
        r->buckets[r->nbuckets++] = (bucket){0};
    if (slot != SIZE_MAX) {
        trc_name_keep(&r->names[slot], name, n);
        r->name_index[slot] = *index;
    }
    return TRUCE_OK;
}

/* Drop a bucket's attacks that no response can reach any more: those that
 * started more than a window before the latest start seen. */
static void evict(truce_responder *r, bucket *b)
{
    size_t keep = 0;
    for (size_t i = 0; i < b->count; i++) {
        if ((double)(r->latest_s - b->items[i].start_s) > r->window_s)
            attack_release(&b->items[i]);
        else
            b->items[keep++] = b->items[i];
    }
    b->count = keep;
}

/* Remember `ev` as an attack by actor1, whose index in `targets` is `by`,
 * on actor2 (neither NULL, the two different ignoring case). */
static truce_status remember(truce_responder *r, const truce_event *ev, size_t by)
{
    if ((double)(r->latest_s - ev->start_s) > r->window_s)
        return TRUCE_OK; /* already out of every future window */
    size_t bi;
    if (target_index(r, ev->actor2, &bi) != TRUCE_OK)
        return TRUCE_E_NOMEM;
    if (bi == by)
        return TRUCE_OK; /* an actor against itself */
    bucket *b = &r->buckets[bi];
    if (b->count == b->cap) {
        evict(r, b);
        if (b->count == b->cap) {
            size_t cap = b->cap ? b->cap * 2 : 16;
            attack *items = trc_realloc(b->items, cap * sizeof *items);
            if (!items)
                return TRUCE_E_NOMEM;
            b->items = items;
            b->cap = cap;
        }
    }
    attack a = {truce_strdup(ev->id), by, ev->start_s, ev->lon, ev->lat};
    if (!a.id)
        return TRUCE_E_NOMEM;
    b->items[b->count++] = a;
    return TRUCE_OK;
}

truce_status truce_responder_link(truce_responder *r, const truce_event *ev, int is_attack,
                                  const char **response_to, double *delay_s, double *distance_m)
{
    if (!r || !ev || !response_to)
        return TRUCE_E_ARG;
    *response_to = NULL;
    if (ev->start_s > r->latest_s)
        r->latest_s = ev->start_s;
    const attack *best = NULL;
    double best_d = 0;
    int who = ev->actor1 && ev->has_location;
    size_t bi = 0; /* actor1's index in targets, when `who` */
    if (who && target_index(r, ev->actor1, &bi) != TRUCE_OK)
        return TRUCE_E_NOMEM;
    const double dlat_max = r->distance_m / r->min_radius_m * (180 / 3.14159265358979323846);
    for (size_t i = who ? r->buckets[bi].count : 0; i-- > 0;) {
        const attack *a = &r->buckets[bi].items[i];
        if (ev->start_s < a->start_s || (double)(ev->start_s - a->start_s) > r->window_s ||
            fabs(a->lat - ev->lat) > dlat_max || a->by == bi)
            continue;
        if (best && (a->start_s < best->start_s))
            continue;
        double d = 0;
        geod_inverse(&r->g, a->lat, a->lon, ev->lat, ev->lon, &d, NULL, NULL);
        if (d > r->distance_m)
            continue;
        if (!best || a->start_s > best->start_s || d < best_d) {
            best = a;
            best_d = d;
        }
    }
    trc_free(r->last_id);
    r->last_id = NULL;
    if (best) {
        if (!(r->last_id = truce_strdup(best->id)))
            return TRUCE_E_NOMEM;
        *response_to = r->last_id;
        if (delay_s)
            *delay_s = (double)(ev->start_s - best->start_s);
        if (distance_m)
            *distance_m = best_d;
    }
    if (is_attack && who && ev->actor2)
        return remember(r, ev, bi);
    return TRUCE_OK;
}
