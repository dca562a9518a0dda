/* Track measures that need no route: length, times, speeds and stops
 * (truce/track.h).  Distances are geodesics on WGS84 (geod_inverse). */
#include <geodesic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "truce/track.h"

#include "base/alloc.h"

static void wgs84(struct geod_geodesic *g)
{
    geod_init(g, 6378137.0, 1 / 298.257223563);
}

static double distance_m(const struct geod_geodesic *g, const truce_track_point *a,
                         const truce_track_point *b)
{
    double s12;
    geod_inverse(g, a->lat, a->lon, b->lat, b->lon, &s12, NULL, NULL);
    return s12;
}

truce_status truce_track_speeds(const truce_track *t, double *speeds)
{
    if (!t || (!speeds && t->npoints))
        return TRUCE_E_ARG;
    struct geod_geodesic g;
    wgs84(&g);
    for (size_t i = 0; i < t->npoints; i++)
        speeds[i] = (double)NAN;
    for (size_t s = 0; s < t->nsegments; s++) {
        const truce_track_segment *seg = &t->segments[s];
        const truce_track_point *prev = NULL;
        for (size_t i = seg->first; i < seg->first + seg->count; i++) {
            const truce_track_point *p = &t->points[i];
            if (isnan(p->time_s))
                continue;
            if (prev && p->time_s > prev->time_s)
                speeds[i] = distance_m(&g, prev, p) / (p->time_s - prev->time_s);
            prev = p;
        }
    }
    return TRUCE_OK;
}

truce_status truce_track_summarize(const truce_track *t, truce_track_summary *out)
{
    if (!t || !out)
        return TRUCE_E_ARG;
    memset(out, 0, sizeof *out);
    out->npoints = t->npoints;
    out->nsegments = t->nsegments;
    out->rejected = t->rejected;
    out->start_s = out->end_s = out->duration_s = out->max_speed_mps = (double)NAN;
    struct geod_geodesic g;
    wgs84(&g);
    for (size_t s = 0; s < t->nsegments; s++) {
        const truce_track_segment *seg = &t->segments[s];
        const truce_track_point *prev_timed = NULL;
        for (size_t i = seg->first; i < seg->first + seg->count; i++) {
            const truce_track_point *p = &t->points[i];
            if (i > seg->first)
                out->length_m += distance_m(&g, &t->points[i - 1], p);
            if (isnan(p->time_s))
                continue;
            if (prev_timed && p->time_s > prev_timed->time_s) {
                double v = distance_m(&g, prev_timed, p) / (p->time_s - prev_timed->time_s);
                if (isnan(out->max_speed_mps) || v > out->max_speed_mps)
                    out->max_speed_mps = v;
            }
            prev_timed = p;
        }
    }
    for (size_t i = 0; i < t->npoints; i++) {
        const truce_track_point *p = &t->points[i];
        for (unsigned b = 0; b < TRUCE_PT_NFLAGS; b++)
            if (p->flags & (1u << b))
                out->flagged[b]++;
        if (isnan(p->time_s))
            continue;
        out->ntimed++;
        if (isnan(out->start_s) || p->time_s < out->start_s)
            out->start_s = p->time_s;
        if (isnan(out->end_s) || p->time_s > out->end_s)
            out->end_s = p->time_s;
    }
    if (out->ntimed)
        out->duration_s = out->end_s - out->start_s;
    return TRUCE_OK;
}

void truce_stops_release(truce_stops *stops)
{
    trc_free(stops->items);
    stops->items = NULL;
    stops->count = 0;
}

/* Close the run of points [first, last] (indices of timed points): a stop
 * when it lasted long enough.  The mean position is taken in longitude
 * differences from the first point, so a stop on the antimeridian averages
 * correctly. */
static int close_run(const truce_track *t, size_t first, size_t last, double min_duration_s,
                     truce_stops *out, size_t *cap)
{
    const truce_track_point *a = &t->points[first], *b = &t->points[last];
    if (b->time_s - a->time_s < min_duration_s)
        return 0;
    double lat = 0, dlon = 0;
    size_t n = 0;
    for (size_t i = first; i <= last; i++) {
        const truce_track_point *p = &t->points[i];
        if (isnan(p->time_s))
            continue;
        double d = p->lon - a->lon;
        d -= 360 * round(d / 360);
        lat += p->lat;
        dlon += d;
        n++;
    }
    double lon = a->lon + dlon / (double)n;
    lon -= 360 * round(lon / 360);
    if (out->count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        truce_stop *items = trc_realloc(out->items, ncap * sizeof *items);
        if (!items)
            return -1;
        out->items = items;
        *cap = ncap;
    }
    out->items[out->count++] = (truce_stop){.start_s = a->time_s,
                                            .end_s = b->time_s,
                                            .lat = lat / (double)n,
                                            .lon = lon,
                                            .first = first,
                                            .count = last - first + 1};
    return 0;
}

truce_status truce_track_stops(const truce_track *t, double max_speed_mps, double min_duration_s,
                               truce_stops *out)
{
    if (!t || !out || !(max_speed_mps >= 0) || !(min_duration_s > 0))
        return TRUCE_E_ARG;
    out->items = NULL;
    out->count = 0;
    size_t cap = 0;
    struct geod_geodesic g;
    wgs84(&g);
    for (size_t s = 0; s < t->nsegments; s++) {
        const truce_track_segment *seg = &t->segments[s];
        size_t prev = SIZE_MAX;      /* the previous timed point */
        size_t run_first = SIZE_MAX; /* the first point of the current slow run */
        for (size_t i = seg->first; i < seg->first + seg->count; i++) {
            const truce_track_point *p = &t->points[i];
            if (isnan(p->time_s))
                continue;
            int slow = 0;
            if (prev != SIZE_MAX && p->time_s > t->points[prev].time_s) {
                const truce_track_point *q = &t->points[prev];
                slow = distance_m(&g, q, p) / (p->time_s - q->time_s) < max_speed_mps;
            }
            if (slow && run_first == SIZE_MAX)
                run_first = prev;
            if (!slow && run_first != SIZE_MAX) {
                if (close_run(t, run_first, prev, min_duration_s, out, &cap)) {
                    truce_stops_release(out);
                    return TRUCE_E_NOMEM;
                }
                run_first = SIZE_MAX;
            }
            prev = i;
        }
        if (run_first != SIZE_MAX && close_run(t, run_first, prev, min_duration_s, out, &cap)) {
            truce_stops_release(out);
            return TRUCE_E_NOMEM;
        }
    }
    return TRUCE_OK;
}
