/* Joint patrols: a track judged against a patrol route (truce/patrol.h).
 * The rules -- what covers, what counts as off the route -- are stated in the
 * header; this file only applies them. */
#include <geodesic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "truce/agreement.h"
#include "truce/corridor.h"
#include "truce/patrol.h"

#include "base/alloc.h"

struct truce_patrol_checker {
    const truce_agreement *agreement;
    const truce_patrol_route *route;
    truce_corridor *road;     /* owned; the route's line, depth = tolerance */
    truce_corridor *corridor; /* owned; the corridor the route names; NULL when none */
    truce_patrol_options opt;
    int64_t from_s, until_s; /* the route's validity */
    int has_window;          /* the options' window, else the route's */
    truce_daily_window window;
    struct geod_geodesic geod;
};

void truce_patrol_options_init(truce_patrol_options *opt)
{
    opt->tolerance_m = 500;
    opt->min_gap_m = 100;
    opt->max_step_m = 1000;
    opt->has_window = 0;
    opt->window = (truce_daily_window){0, 0};
}

const char *truce_patrol_direction_name(truce_patrol_direction d)
{
    switch (d) {
    case TRUCE_DIR_INCREASING:
        return "increasing";
    case TRUCE_DIR_DECREASING:
        return "decreasing";
    case TRUCE_DIR_BOTH:
        return "both";
    case TRUCE_DIR_NONE:
        break;
    }
    return "none";
}

truce_status truce_patrol_checker_new(const truce_agreement *a, const truce_patrol_route *route,
                                      const truce_patrol_options *opt, truce_patrol_checker **out)
{
    if (!a || !route || !out)
        return TRUCE_E_ARG;
    *out = NULL;
    truce_patrol_options o;
    if (opt)
        o = *opt;
    else
        truce_patrol_options_init(&o);
    if (!(o.tolerance_m > 0 && o.tolerance_m <= 1e6) || !(o.min_gap_m >= 0) ||
        !isfinite(o.min_gap_m) || !(o.max_step_m > 0) || !isfinite(o.max_step_m))
        return TRUCE_E_ARG;
    if (o.has_window &&
        !(o.window.start_min >= 0 && o.window.start_min < 1440 && o.window.end_min >= 0 &&
          o.window.end_min < 1440 && o.window.start_min != o.window.end_min))
        return TRUCE_E_ARG;
    const truce_corridor_def *def = NULL;
    if (route->corridor) {
        def = truce_agreement_corridor(a, route->corridor);
        if (!def)
            return TRUCE_E_NOT_FOUND;
    }
    truce_patrol_checker *c = trc_calloc(1, sizeof *c);
    if (!c)
        return TRUCE_E_NOMEM;
    c->agreement = a;
    c->route = route;
    c->opt = o;
    c->has_window = o.has_window || route->has_window;
    c->window = o.has_window ? o.window : route->window;
    c->from_s = route->valid.from_s;
    c->until_s = route->valid.until_s;
    geod_init(&c->geod, 6378137.0, 1 / 298.257223563);
    truce_road_part part = {route->route.lonlat, route->route.n};
    truce_status st = truce_corridor_new(&part, 1, o.tolerance_m, o.tolerance_m, &c->road);
    if (st == TRUCE_OK && def)
        st = truce_corridor_from_def(def, -1, -1, &c->corridor);
    if (st != TRUCE_OK) {
        truce_patrol_checker_free(c);
        return st;
    }
    *out = c;
    return TRUCE_OK;
}

void truce_patrol_checker_free(truce_patrol_checker *checker)
{
    if (!checker)
        return;
    truce_corridor_free(checker->road);
    truce_corridor_free(checker->corridor);
    trc_free(checker);
}

void truce_patrol_result_release(truce_patrol_result *result)
{
    if (!result)
        return;
    trc_free(result->covered);
    trc_free(result->gaps);
    trc_free(result->off_route);
    memset(result, 0, sizeof *result);
}

static int by_from(const void *pa, const void *pb)
{
    const truce_chainage_interval *a = pa, *b = pb;
    return (a->from_m > b->from_m) - (a->from_m < b->from_m);
}

/* Sort and merge `n` intervals in place (touching ones merge); returns the
 * number left. */
static size_t merge(truce_chainage_interval *iv, size_t n)
{
    if (!n)
        return 0;
    qsort(iv, n, sizeof *iv, by_from);
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        if (iv[i].from_m <= iv[k].to_m) {
            if (iv[i].to_m > iv[k].to_m)
                iv[k].to_m = iv[i].to_m;
        } else {
            iv[++k] = iv[i];
        }
    }
    return k + 1;
}

/* The gaps of [0, length] that the merged intervals leave, those of at least
 * min_m; into gaps (room for n + 1). */
static size_t find_gaps(const truce_chainage_interval *iv, size_t n, double length_m, double min_m,
                        truce_chainage_interval *gaps)
{
    size_t k = 0;
    double at = 0;
    for (size_t i = 0; i <= n; i++) {
        double next = i < n ? iv[i].from_m : length_m;
        if (next - at >= min_m && next > at)
            gaps[k++] = (truce_chainage_interval){at, next};
        if (i < n && iv[i].to_m > at)
            at = iv[i].to_m;
    }
    return k;
}

/* The off-route stretches of one segment, points [first, end), appended to
 * out->off_route (which may be reallocated; *cap is its room).  Returns
 * TRUCE_E_NOMEM when growing it fails. */
static truce_status off_stretches(const truce_track *track, size_t first, size_t end,
                                  const unsigned char *on, const double *chain, const double *dist,
                                  truce_patrol_result *out, size_t *cap)
{
    for (size_t i = first; i < end; i++) {
        if (on[i])
            continue;
        size_t a = i, b = i; /* the run of off-route points [a, b] */
        while (b + 1 < end && !on[b + 1])
            b++;
        if (out->noff_route == *cap) {
            size_t ncap = *cap ? 2 * *cap : 8;
            truce_off_route_stretch *grown = trc_realloc(out->off_route, ncap * sizeof *grown);
            if (!grown)
                return TRUCE_E_NOMEM;
            out->off_route = grown;
            *cap = ncap;
        }
        truce_off_route_stretch *st = &out->off_route[out->noff_route++];
        st->first = a > first ? a - 1 : a;
        st->count = (b + 1 < end ? b + 2 : b + 1) - st->first;
        st->from_m = st->to_m = chain[a];
        st->start_s = st->end_s = (double)NAN;
        st->max_offset_m = 0;
        for (size_t k = a; k <= b; k++) {
            double t = track->points[k].time_s;
            st->from_m = fmin(st->from_m, chain[k]);
            st->to_m = fmax(st->to_m, chain[k]);
            st->max_offset_m = fmax(st->max_offset_m, dist[k]);
            if (!isnan(t)) {
                st->start_s = isnan(st->start_s) ? t : fmin(st->start_s, t);
                st->end_s = isnan(st->end_s) ? t : fmax(st->end_s, t);
            }
        }
        i = b;
    }
    return TRUCE_OK;
}

truce_status truce_patrol_check(const truce_patrol_checker *c, const truce_track *track,
                                truce_patrol_result *out)
{
    if (!c || !track || !out)
        return TRUCE_E_ARG;
    memset(out, 0, sizeof *out);
    out->route_length_m = truce_corridor_length_m(c->road);
    out->start_s = out->end_s = (double)NAN;
    out->has_corridor = c->corridor != NULL;
    size_t n = track->npoints;
    truce_chainage_interval *iv = trc_malloc((n ? n : 1) * sizeof *iv);
    unsigned char *on = trc_malloc(n ? n : 1);     /* on the route */
    unsigned char *inside = trc_malloc(n ? n : 1); /* inside the corridor */
    double *chain = trc_malloc((n ? n : 1) * sizeof *chain);
    double *dist = trc_malloc((n ? n : 1) * sizeof *dist);
    if (!iv || !on || !inside || !chain || !dist) {
        trc_free(iv), trc_free(on), trc_free(inside), trc_free(chain), trc_free(dist);
        return TRUCE_E_NOMEM;
    }
    truce_status st = TRUCE_OK;
    out->npoints = n;
    for (size_t i = 0; i < n && st == TRUCE_OK; i++) {
        const truce_track_point *p = &track->points[i];
        truce_measure m;
        st = truce_corridor_measure(c->road, p->lon, p->lat, &m);
        if (st != TRUCE_OK)
            break;
        chain[i] = m.chainage_m;
        dist[i] = m.distance_m;
        on[i] = m.distance_m <= c->opt.tolerance_m;
        out->noff += !on[i];
        if (m.distance_m > out->max_offset_m || i == 0) {
            out->max_offset_m = m.distance_m;
            out->max_offset_index = i;
            out->max_offset_chainage_m = m.chainage_m;
            out->max_offset_lat = p->lat;
            out->max_offset_lon = p->lon;
        }
        int in = 1;
        if (c->corridor)
            st = truce_corridor_decide(c->corridor, p->lon, p->lat, &in);
        inside[i] = (unsigned char)in;
        if (!isnan(p->time_s)) {
            if (isnan(out->start_s) || p->time_s < out->start_s)
                out->start_s = p->time_s;
            if (isnan(out->end_s) || p->time_s > out->end_s)
                out->end_s = p->time_s;
        }
    }
    size_t niv = 0, cap = 0;
    double forward_m = 0, back_m = 0;
    for (size_t s = 0; s < track->nsegments && st == TRUCE_OK; s++) {
        const truce_track_segment *seg = &track->segments[s];
        st = off_stretches(track, seg->first, seg->first + seg->count, on, chain, dist, out, &cap);
        for (size_t i = seg->first; i < seg->first + seg->count; i++) {
            if (on[i])
                iv[niv++] = (truce_chainage_interval){chain[i], chain[i]};
            if (i == seg->first)
                continue;
            const truce_track_point *p = &track->points[i - 1], *q = &track->points[i];
            double dc = chain[i] - chain[i - 1];
            if (on[i] && on[i - 1] && fabs(dc) <= c->opt.max_step_m) {
                /* replaces the lone point just added: it is within this step */
                iv[niv - 1] = dc >= 0 ? (truce_chainage_interval){chain[i - 1], chain[i]}
                                      : (truce_chainage_interval){chain[i], chain[i - 1]};
                if (dc >= 0)
                    forward_m += dc;
                else
                    back_m -= dc;
            }
            double off = (!on[i] + !on[i - 1]) / 2.0;
            double outc = (!inside[i] + !inside[i - 1]) / 2.0;
            if (off == 0 && outc == 0)
                continue;
            double d_m;
            geod_inverse(&c->geod, p->lat, p->lon, q->lat, q->lon, &d_m, NULL, NULL);
            double dt = q->time_s - p->time_s; /* NAN when either is unknown */
            out->off_route_m += off * d_m;
            out->outside_corridor_m += outc * d_m;
            if (dt > 0) {
                out->off_route_s += off * dt;
                out->outside_corridor_s += outc * dt;
            }
        }
    }
    trc_free(on), trc_free(inside), trc_free(chain), trc_free(dist);
    niv = merge(iv, niv);
    truce_chainage_interval *gaps = st == TRUCE_OK ? trc_malloc((niv + 1) * sizeof *gaps) : NULL;
    if (!gaps) {
        trc_free(iv);
        truce_patrol_result_release(out);
        return st == TRUCE_OK ? TRUCE_E_NOMEM : st;
    }
    for (size_t i = 0; i < niv; i++)
        out->covered_m += iv[i].to_m - iv[i].from_m;
    out->ngaps = find_gaps(iv, niv, out->route_length_m, c->opt.min_gap_m, gaps);
    out->gaps = gaps;
    out->covered = iv;
    out->ncovered = niv;
    out->covered_fraction = out->route_length_m > 0 ? out->covered_m / out->route_length_m : 0;
    if (out->covered_fraction > 1)
        out->covered_fraction = 1;

    if (forward_m == 0 && back_m == 0)
        out->direction = TRUCE_DIR_NONE;
    else if (forward_m > 2 * back_m)
        out->direction = TRUCE_DIR_INCREASING;
    else if (back_m > 2 * forward_m)
        out->direction = TRUCE_DIR_DECREASING;
    else
        out->direction = TRUCE_DIR_BOTH;
    out->has_window = c->has_window;
    out->window = c->window;
    if (c->has_window && !isnan(out->start_s)) {
        const truce_tz *tz = c->agreement->tz;
        if (truce_daily_window_outside_s(&c->window, tz, out->start_s, out->end_s,
                                         &out->outside_window_s) != TRUCE_OK)
            out->outside_window_s = (double)NAN;
        /* the first point counts on its own for a track of one instant */
        out->outside_window = !(out->outside_window_s == 0) ||
                              truce_daily_window_excludes(&c->window, tz, out->start_s);
    }
    if (!isnan(out->start_s) && c->from_s != TRUCE_TIME_MIN)
        out->before_start = out->start_s < (double)c->from_s;
    if (!isnan(out->end_s) && c->until_s != TRUCE_TIME_MAX)
        out->after_end = out->end_s >= (double)c->until_s;
    return TRUCE_OK;
}
