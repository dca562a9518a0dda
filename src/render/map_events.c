/* The map's events layer: one marker per located event, or past a threshold
 * one marker per grid cell and class (map_internal.h, docs/map.md "Many
 * events").
 *
 * Markers are drawn by class, least important first (before, none,
 * possible, violation), so a violation is never under another class's
 * marker; within a class the largest first, so a small marker is never
 * under a large one. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "render/map_internal.h"

/* Draw order of the classes: the later, the more important. */
static int class_rank(truce_map_class c)
{
    static const int rank[TRUCE_MAP_NCLASSES] = {[TRUCE_MAP_BEFORE] = 0,
                                                 [TRUCE_MAP_NONE] = 1,
                                                 [TRUCE_MAP_POSSIBLE] = 2,
                                                 [TRUCE_MAP_VIOLATION] = 3};
    return rank[c];
}

/* A marker to draw: its place, size and what it stands for. */
typedef struct marker {
    double x, y, r;
    int rank;
    size_t index; /* the mark (single events) or the cell (clusters) */
} marker;

static int by_rank_then_size(const void *pa, const void *pb)
{
    const marker *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->r != b->r)
        return a->r > b->r ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static void begin_marker(truce_svg *svg, const char *kind, truce_map_class cls, const marker *m)
{
    truce_svg_begin(svg, "circle");
    truce_svg_attr(svg, "class", "%s %s", kind, truce_map_class_name(cls));
    truce_svg_attr(svg, "cx", "%.1f", m->x);
    truce_svg_attr(svg, "cy", "%.1f", m->y);
    truce_svg_attr(svg, "r", "%.1f", m->r);
    truce_svg_attr(svg, "fill", "%s", truce_map_class_colour(cls));
}

/* ---- one marker per event ------------------------------------------------ */

/* The sectors of sightings (sector.h) as areas in their class's colour,
 * under every marker: vertices an eighth of the distance band apart along
 * the edges and half a degree along the arcs. */
static truce_status draw_sectors(truce_svg *svg, const map_frame *f, const truce_map_data *d)
{
    double *ring = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < d->nmarks; i++) {
        const truce_map_mark *mk = &d->marks[i];
        if (!mk->has_location || !mk->has_sector)
            continue;
        double step = (mk->sector.distance_max_m - mk->sector.distance_min_m) / 8;
        size_t n = truce_sector_ring(&mk->sector, step, NULL, 0);
        if (!n)
            continue;
        if (n > cap) {
            double *p = trc_realloc(ring, 2 * n * sizeof *ring);
            if (!p) {
                trc_free(ring);
                return TRUCE_E_NOMEM;
            }
            ring = p;
            cap = n;
        }
        truce_sector_ring(&mk->sector, step, ring, n);
        truce_svg_begin(svg, "path");
        truce_svg_attr(svg, "class", "sector %s", truce_map_class_name(mk->cls));
        if (mk->id)
            truce_svg_attr(svg, "data-id", "%s", mk->id);
        truce_svg_attr(svg, "fill", "%s", truce_map_class_colour(mk->cls));
        truce_svg_attr(svg, "fill-opacity", "0.3");
        truce_svg_attr(svg, "stroke", "%s", truce_map_class_colour(mk->cls));
        truce_svg_attr_open(svg, "d");
        trc_map_path_lonlat(svg, f, ring, n, 1);
        truce_svg_attr_close(svg);
        truce_svg_end(svg);
    }
    trc_free(ring);
    return TRUCE_OK;
}

static truce_status draw_singles(truce_svg *svg, const truce_map_data *d, const size_t *loc,
                                 const double *xy, size_t n, map_event_summary *sum)
{
    marker *m = trc_malloc((n ? n : 1) * sizeof *m);
    if (!m)
        return TRUCE_E_NOMEM;
    double most = 0;
    for (size_t i = 0; i < n; i++)
        most = fmax(most, (double)d->marks[loc[i]].fatalities);
    sum->factor = trc_map_radius_factor(most);
    sum->most = most;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const truce_map_mark *mk = &d->marks[loc[i]];
        if (!isfinite(xy[2 * i]))
            continue;
        m[k++] =
            (marker){xy[2 * i], xy[2 * i + 1], trc_map_radius((double)mk->fatalities, sum->factor),
                     class_rank(mk->cls), loc[i]};
    }
    qsort(m, k, sizeof *m, by_rank_then_size);
    sum->markers = k;
    for (size_t i = 0; i < k; i++) {
        const truce_map_mark *mk = &d->marks[m[i].index];
        begin_marker(svg, "event", mk->cls, &m[i]);
        if (mk->id)
            truce_svg_attr(svg, "data-id", "%s", mk->id);
        if (mk->fatalities >= 0)
            truce_svg_attr(svg, "data-fatalities", "%lld", (long long)mk->fatalities);
        if (mk->label || mk->id) {
            truce_svg_begin(svg, "title");
            truce_svg_text(svg, "%s", mk->label ? mk->label : mk->id);
            truce_svg_end(svg);
        }
        truce_svg_end(svg);
    }
    trc_free(m);
    return TRUCE_OK;
}

/* ---- aggregated into grid cells ------------------------------------------ */

typedef struct cell {
    uint64_t count[TRUCE_MAP_NCLASSES];
    uint64_t fatalities[TRUCE_MAP_NCLASSES]; /* known fatalities, summed */
    uint64_t unknown[TRUCE_MAP_NCLASSES];    /* events with unknown fatalities */
    uint64_t total;
    double sx, sy; /* sums of the events' pixel positions */
} cell;

/* Pie order: clockwise from twelve o'clock, the most important first. */
static const truce_map_class pie_order[TRUCE_MAP_NCLASSES] = {
    TRUCE_MAP_VIOLATION, TRUCE_MAP_POSSIBLE, TRUCE_MAP_NONE, TRUCE_MAP_BEFORE};

/* One class's share of a cell: a wedge of the pie, or the whole circle. */
static void draw_share(truce_svg *svg, const marker *m, const cell *c, truce_map_class cls,
                       double from, double to)
{
    if (c->count[cls] == c->total) {
        begin_marker(svg, "event-cluster", cls, m);
    } else {
        /* Angles in turns, clockwise from twelve o'clock (y grows down). */
        const double tau = 6.283185307179586;
        double x0 = m->x + m->r * sin(tau * from), y0 = m->y - m->r * cos(tau * from);
        double x1 = m->x + m->r * sin(tau * to), y1 = m->y - m->r * cos(tau * to);
        truce_svg_begin(svg, "path");
        truce_svg_attr(svg, "class", "event-cluster %s", truce_map_class_name(cls));
        truce_svg_attr(svg, "d", "M%.1f %.1fL%.2f %.2fA%.1f %.1f 0 %d 1 %.2f %.2fZ", m->x, m->y, x0,
                       y0, m->r, m->r, to - from > 0.5, x1, y1);
        truce_svg_attr(svg, "fill", "%s", truce_map_class_colour(cls));
    }
    truce_svg_attr(svg, "data-count", "%llu", (unsigned long long)c->count[cls]);
    truce_svg_attr(svg, "data-fatalities", "%llu", (unsigned long long)c->fatalities[cls]);
    truce_svg_begin(svg, "title");
    truce_svg_text(svg, "%llu of %llu events here: %s; %llu fatalities%s",
                   (unsigned long long)c->count[cls], (unsigned long long)c->total,
                   truce_map_class_name(cls), (unsigned long long)c->fatalities[cls],
                   c->unknown[cls] ? " known" : "");
    truce_svg_end(svg);
    truce_svg_end(svg);
}

/* Events are binned by the cell of the map frame their pixel falls in; each
 * non-empty cell becomes one pie at the mean position of its events, its
 * area proportional to their count, a wedge per class in proportion. */
static truce_status draw_cells(truce_svg *svg, const map_frame *f, const truce_map_data *d,
                               const truce_map_options *opt, const size_t *loc, const double *xy,
                               size_t n, map_event_summary *sum)
{
    const map_layout *l = &f->layout;
    double cs = opt->cluster_cell_px;
    size_t nx = (size_t)ceil(l->map_w / cs), ny = (size_t)ceil(l->map_h / cs);
    cell *cells = trc_calloc(nx * ny, sizeof *cells);
    if (!cells)
        return TRUCE_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (!isfinite(x))
            continue;
        /* The area of interest holds every event, so only rounding can put
         * one on the frame's edge: clamp it into the edge cell. */
        double fx = floor((x - l->map_x) / cs), fy = floor((y - l->map_y) / cs);
        size_t cx = fx < 0 ? 0 : fx >= (double)nx ? nx - 1 : (size_t)fx;
        size_t cy = fy < 0 ? 0 : fy >= (double)ny ? ny - 1 : (size_t)fy;
        const truce_map_mark *mk = &d->marks[loc[i]];
        cell *c = &cells[cy * nx + cx];
        c->count[mk->cls]++;
        c->total++;
        c->sx += x;
        c->sy += y;
        if (mk->fatalities >= 0)
            c->fatalities[mk->cls] += (uint64_t)mk->fatalities;
        else
            c->unknown[mk->cls]++;
    }
    size_t used = 0;
    uint64_t most = 0;
    for (size_t i = 0; i < nx * ny; i++)
        if (cells[i].total) {
            used++;
            most = cells[i].total > most ? cells[i].total : most;
        }
    marker *m = trc_malloc((used ? used : 1) * sizeof *m);
    if (!m) {
        trc_free(cells);
        return TRUCE_E_NOMEM;
    }
    /* A cell's pie stays within about its cell. */
    double max_r = fmin(MAP_MAX_R, 0.8 * cs);
    sum->factor = most ? fmin(2.5, max_r / sqrt((double)most)) : 2.5;
    sum->most = (double)most;
    size_t k = 0;
    for (size_t i = 0; i < nx * ny; i++) {
        const cell *c = &cells[i];
        if (c->total)
            m[k++] = (marker){c->sx / (double)c->total, c->sy / (double)c->total,
                              trc_map_radius((double)c->total, sum->factor), 0, i};
    }
    qsort(m, k, sizeof *m, by_rank_then_size);
    size_t shares = 0;
    for (size_t i = 0; i < k; i++) {
        const cell *c = &cells[m[i].index];
        truce_svg_begin(svg, "g");
        truce_svg_attr(svg, "class", "event-cell");
        truce_svg_attr(svg, "data-count", "%llu", (unsigned long long)c->total);
        uint64_t before = 0;
        for (int p = 0; p < TRUCE_MAP_NCLASSES; p++) {
            truce_map_class cls = pie_order[p];
            if (!c->count[cls])
                continue;
            double from = (double)before / (double)c->total;
            before += c->count[cls];
            draw_share(svg, &m[i], c, cls, from, (double)before / (double)c->total);
            shares++;
        }
        truce_svg_end(svg);
    }
    sum->clusters = shares;
    trc_free(m);
    trc_free(cells);
    return TRUCE_OK;
}

truce_status trc_map_draw_events(truce_svg *svg, const map_frame *f, const truce_map_data *d,
                                 const truce_map_options *opt, truce_map_stats *stats,
                                 map_event_summary *sum)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nmarks; i++)
        n += d->marks[i].has_location != 0;
    size_t *loc = trc_malloc((n ? n : 1) * sizeof *loc);
    double *lonlat = trc_malloc((n ? n : 1) * 2 * sizeof *lonlat);
    double *xy = trc_malloc((n ? n : 1) * 2 * sizeof *xy);
    truce_status st = loc && lonlat && xy ? TRUCE_OK : TRUCE_E_NOMEM;
    for (size_t i = 0, k = 0; !st && i < d->nmarks; i++) {
        const truce_map_mark *mk = &d->marks[i];
        if (!mk->has_location)
            continue;
        loc[k] = i;
        lonlat[2 * k] = mk->lon;
        lonlat[2 * k + 1] = mk->lat;
        sum->count[mk->cls]++;
        k++;
    }
    if (!st)
        st = trc_map_project(f, lonlat, lonlat + 1, 2, n, xy);
    stats->located = n;
    stats->unlocated = d->nmarks - n;
    sum->clustered = stats->clustered = n > opt->cluster_above;
    sum->cell_px = opt->cluster_cell_px;
    if (!st) {
        truce_svg_begin(svg, "g");
        truce_svg_attr(svg, "class", "events");
        truce_svg_attr(svg, "fill-opacity", "0.8");
        truce_svg_attr(svg, "stroke", "#ffffff");
        truce_svg_attr(svg, "stroke-width", "0.8");
        if (sum->clustered) {
            st = draw_cells(svg, f, d, opt, loc, xy, n, sum);
            stats->clusters = sum->clusters;
        } else {
            st = draw_sectors(svg, f, d);
            if (!st)
                st = draw_singles(svg, d, loc, xy, n, sum);
            stats->markers = sum->markers;
        }
        truce_svg_end(svg);
    }
    trc_free(loc);
    trc_free(lonlat);
    trc_free(xy);
    return st;
}
