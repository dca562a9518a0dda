/* Responses to attacks: see truce/response.h. */
#include "truce/response.h"

#include <geodesic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct attack {
    char *id;
    char *by;     /* actor1, as written */
    char *target; /* actor2 */
    int64_t start_s;
    double lon, lat;
} attack;

struct truce_responder {
    double window_s, distance_m;
    struct geod_geodesic g;
    attack *items; /* a ring buffer is not needed: evicted from the front */
    size_t count, cap;
    int64_t latest_s;
    char *last_id; /* the id handed out by the last call */
};

static void attack_release(attack *a)
{
    free(a->id);
    free(a->by);
    free(a->target);
}

truce_status truce_responder_new(double window_s, double distance_m, truce_responder **out)
{
    if (!out || !(window_s > 0) || !(distance_m >= 0))
        return TRUCE_E_ARG;
    truce_responder *r = calloc(1, sizeof *r);
    if (!r)
        return TRUCE_E_NOMEM;
    r->window_s = window_s;
    r->distance_m = distance_m;
    r->latest_s = INT64_MIN;
    geod_init(&r->g, 6378137.0, 1 / 298.257223563);
    *out = r;
    return TRUCE_OK;
}

void truce_responder_free(truce_responder *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++)
        attack_release(&r->items[i]);
    free(r->items);
    free(r->last_id);
    free(r);
}

/* Forget attacks that started more than a window before the latest start. */
static void evict(truce_responder *r)
{
    size_t keep = 0;
    for (size_t i = 0; i < r->count; i++) {
        if ((double)(r->latest_s - r->items[i].start_s) > r->window_s)
            attack_release(&r->items[i]);
        else
            r->items[keep++] = r->items[i];
    }
    r->count = keep;
}

static truce_status remember(truce_responder *r, const truce_event *ev)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        attack *items = realloc(r->items, cap * sizeof *items);
        if (!items)
            return TRUCE_E_NOMEM;
        r->items = items;
        r->cap = cap;
    }
    attack a = {truce_strdup(ev->id),
                truce_strdup(ev->actor1),
                truce_strdup(ev->actor2),
                ev->start_s,
                ev->lon,
                ev->lat};
    if (!a.id || !a.by || !a.target) {
        attack_release(&a);
        return TRUCE_E_NOMEM;
    }
    r->items[r->count++] = a;
    return TRUCE_OK;
}

truce_status truce_responder_link(truce_responder *r, const truce_event *ev, int is_attack,
                                  const char **response_to, double *delay_s, double *distance_m)
{
    if (!r || !ev || !response_to)
        return TRUCE_E_ARG;
    *response_to = NULL;
    if (ev->start_s > r->latest_s) {
        r->latest_s = ev->start_s;
        evict(r);
    }
    const attack *best = NULL;
    double best_d = 0;
    if (ev->actor1 && ev->has_location) {
        for (size_t i = 0; i < r->count; i++) {
            const attack *a = &r->items[i];
            if (ev->start_s < a->start_s || (double)(ev->start_s - a->start_s) > r->window_s ||
                truce_strcasecmp(a->target, ev->actor1) != 0 ||
                truce_strcasecmp(a->by, ev->actor1) == 0)
                continue;
            double d = 0;
            geod_inverse(&r->g, a->lat, a->lon, ev->lat, ev->lon, &d, NULL, NULL);
            if (d > r->distance_m)
                continue;
            if (!best || a->start_s > best->start_s ||
                (a->start_s == best->start_s && d < best_d)) {
                best = a;
                best_d = d;
            }
        }
    }
    free(r->last_id);
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
    if (is_attack && ev->actor1 && ev->actor2 && ev->has_location &&
        truce_strcasecmp(ev->actor1, ev->actor2) != 0)
        return remember(r, ev);
    return TRUCE_OK;
}
