/* The map's geographic layers: borders, zones, corridors, roads, patrol
 * routes, tracks and places (map_internal.h).  Every text taken from a file
 * (names, ids) goes through the SVG writer's escaper. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "render/map_internal.h"
#include "truce/corridor.h"

static void title(truce_svg *svg, const char *kind, const char *name, const char *id)
{
    truce_svg_begin(svg, "title");
    truce_svg_text(svg, "%s: %s", kind, name ? name : id ? id : "(unnamed)");
    truce_svg_end(svg);
}

/* Begin <path class="cls" data-id="id"> (no data-id when id is NULL) and
 * open its "d", for the caller to fill and close. */
static void begin_path(truce_svg *svg, const char *cls, const char *id)
{
    truce_svg_begin(svg, "path");
    truce_svg_attr(svg, "class", "%s", cls);
    if (id)
        truce_svg_attr(svg, "data-id", "%s", id);
    truce_svg_attr_open(svg, "d");
}

/* " (from X until Y)" when a validity has either end, into buf. */
static const char *validity_text(const truce_validity *v, char *buf, size_t n)
{
    buf[0] = '\0';
    if (v->from_text && v->until_text)
        snprintf(buf, n, " (from %s until %s)", v->from_text, v->until_text);
    else if (v->from_text)
        snprintf(buf, n, " (from %s)", v->from_text);
    else if (v->until_text)
        snprintf(buf, n, " (until %s)", v->until_text);
    return buf;
}

/* A polygon's rings as one path (even-odd fill makes holes holes). */
static void polygon_path(truce_svg *svg, const map_frame *f, const truce_polygon *poly)
{
    for (size_t r = 0; r < poly->nrings; r++)
        trc_map_path_lonlat(svg, f, poly->rings[r].lonlat, poly->rings[r].n, 1);
}

void trc_map_draw_borders(truce_svg *svg, const map_frame *f, const truce_borders *b)
{
    trc_map_begin_layer(svg, "borders", &trc_map_style_border);
    for (size_t i = 0; b && i < b->ncountries; i++) {
        const truce_country *k = &b->countries[i];
        begin_path(svg, "country", NULL);
        for (size_t p = 0; p < k->npolygons; p++)
            polygon_path(svg, f, &k->polygons[p]);
        truce_svg_attr_close(svg);
        title(svg, "country", k->name, NULL);
        truce_svg_end(svg);
    }
    truce_svg_end(svg);
}

void trc_map_draw_zones(truce_svg *svg, const map_frame *f, const truce_agreement *a)
{
    trc_map_begin_layer(svg, "zones", &trc_map_style_zone);
    for (size_t i = 0; i < a->nzones; i++) {
        const truce_zone *z = &a->zones[i];
        char when[160];
        begin_path(svg, "zone", z->id);
        for (size_t p = 0; p < z->npolygons; p++)
            polygon_path(svg, f, &z->polygons[p]);
        truce_svg_attr_close(svg);
        truce_svg_begin(svg, "title");
        truce_svg_text(svg, "zone: %s%s", z->name ? z->name : z->id,
                       validity_text(&z->valid, when, sizeof when));
        truce_svg_end(svg);
        truce_svg_end(svg);
    }
    truce_svg_end(svg);
}

truce_status trc_map_draw_corridors(truce_svg *svg, const map_frame *f, const truce_agreement *a)
{
    /* Edges within a quarter of a pixel of the true boundary are as good
     * as exact at this scale. */
    double tol_m = fmin(100, fmax(0.001, 0.25 / f->scale));
    truce_status st = TRUCE_OK;
    trc_map_begin_layer(svg, "corridors", &trc_map_style_corridor);
    for (size_t i = 0; i < a->ncorridors && !st; i++) {
        const truce_corridor_def *def = &a->corridors[i];
        truce_corridor *c = NULL;
        truce_area area = {0};
        st = truce_corridor_from_def(def, -1, -1, &c);
        if (!st)
            st = truce_corridor_area(c, tol_m, &area);
        truce_corridor_free(c);
        if (st)
            break;
        char when[160];
        begin_path(svg, "corridor", def->id);
        for (size_t p = 0; p < area.npolygons; p++)
            for (size_t r = 0; r < area.polygons[p].nrings; r++)
                trc_map_path_lonlat(svg, f, area.polygons[p].rings[r].lonlat,
                                    area.polygons[p].rings[r].n, 1);
        truce_svg_attr_close(svg);
        truce_svg_begin(svg, "title");
        truce_svg_text(svg, "corridor: %s, %g km left and %g km right of the road%s",
                       def->name ? def->name : def->id, def->left_m / 1000, def->right_m / 1000,
                       validity_text(&def->valid, when, sizeof when));
        truce_svg_end(svg);
        truce_svg_end(svg);
        truce_area_release(&area);
    }
    truce_svg_end(svg);
    /* A corridor around a pole has no polygon; the map then goes without it
     * rather than failing (truce check and truce corridor report it). */
    return st == TRUCE_E_UNSUPPORTED ? TRUCE_OK : st;
}

void trc_map_draw_roads(truce_svg *svg, const map_frame *f, const truce_agreement *a)
{
    trc_map_begin_layer(svg, "roads", &trc_map_style_road);
    truce_svg_attr(svg, "stroke-linecap", "round");
    for (size_t i = 0; i < a->ncorridors; i++) {
        const truce_corridor_def *def = &a->corridors[i];
        begin_path(svg, "road", def->id);
        for (size_t k = 0; k < def->nroads; k++)
            trc_map_path_lonlat(svg, f, def->roads[k].lonlat, def->roads[k].n, 0);
        truce_svg_attr_close(svg);
        title(svg, "road of the corridor", def->name, def->id);
        truce_svg_end(svg);
    }
    truce_svg_end(svg);
}

void trc_map_draw_routes(truce_svg *svg, const map_frame *f, const truce_agreement *a)
{
    trc_map_begin_layer(svg, "routes", &trc_map_style_route);
    for (size_t i = 0; i < a->nroutes; i++) {
        const truce_patrol_route *r = &a->routes[i];
        char when[160];
        begin_path(svg, "route", r->id);
        trc_map_path_lonlat(svg, f, r->route.lonlat, r->route.n, 0);
        truce_svg_attr_close(svg);
        char ends[256] = "";
        if (r->start_name || r->end_name)
            snprintf(ends, sizeof ends, ", %s to %s", r->start_name ? r->start_name : "?",
                     r->end_name ? r->end_name : "?");
        truce_svg_begin(svg, "title");
        truce_svg_text(svg, "patrol route: %s%s, %.1f km%s", r->name ? r->name : r->id, ends,
                       r->length_m / 1000, validity_text(&r->valid, when, sizeof when));
        truce_svg_end(svg);
        truce_svg_end(svg);
    }
    truce_svg_end(svg);
}

truce_status trc_map_draw_tracks(truce_svg *svg, const map_frame *f, const truce_map_data *d)
{
    trc_map_begin_layer(svg, "tracks", &trc_map_style_track);
    double *xy = NULL;
    size_t cap = 0;
    truce_status st = TRUCE_OK;
    for (size_t g = 0; g < d->ntracks && !st; g++) {
        const truce_gpx *gpx = d->tracks[g];
        for (size_t t = 0; gpx && t < gpx->ntracks && !st; t++) {
            const truce_track *tr = &gpx->tracks[t];
            if (tr->npoints > cap) {
                double *p = trc_realloc(xy, tr->npoints * 2 * sizeof *xy);
                if (!p) {
                    st = TRUCE_E_NOMEM;
                    break;
                }
                xy = p;
                cap = tr->npoints;
            }
            const truce_track_point *pt = tr->points;
            size_t stride = sizeof *pt / sizeof(double);
            /* lon and lat are doubles inside the point struct, a whole
             * number of doubles apart. */
            _Static_assert(sizeof(truce_track_point) % sizeof(double) == 0,
                           "track points are strided arrays of doubles");
            st = trc_map_project(f, &pt->lon, &pt->lat, stride, tr->npoints, xy);
            begin_path(svg, "track", NULL);
            for (size_t s = 0; s < tr->nsegments; s++)
                trc_map_path_xy(svg, xy + 2 * tr->segments[s].first, tr->segments[s].count, 0);
            truce_svg_attr_close(svg);
            truce_svg_begin(svg, "title");
            truce_svg_text(svg, "track: %s%s%s", tr->name ? tr->name : "(unnamed)",
                           gpx->path ? ", " : "", gpx->path ? gpx->path : "");
            truce_svg_end(svg);
            truce_svg_end(svg);
        }
    }
    trc_free(xy);
    truce_svg_end(svg);
    return st;
}

/* ---- places and their labels ------------------------------------------- */

typedef struct rect {
    double x0, y0, x1, y1;
} rect;

static int overlaps(const rect *a, const rect *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Characters (not bytes) of a UTF-8 string. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

#define PLACE_FONT_PX 11.0

/* Where a label goes: right of the dot, left, above or below, whichever is
 * first free of the labels and dots placed so far and inside the frame;
 * *anchor gets the text-anchor.  0 when none is free (the label is left
 * out; the place keeps its tooltip). */
static int place_label(const map_layout *l, double x, double y, double w, const rect *taken,
                       size_t ntaken, rect *out, double *tx, double *ty, const char **anchor)
{
    const double h = PLACE_FONT_PX, gap = 5;
    const struct {
        double x0, y0, tx, ty;
        const char *anchor;
    } cand[4] = {
        {x + gap, y - h / 2, x + gap, y + h * 0.35, "start"},
        {x - gap - w, y - h / 2, x - gap, y + h * 0.35, "end"},
        {x - w / 2, y - gap - h, x, y - gap - 1, "middle"},
        {x - w / 2, y + gap, x, y + gap + h * 0.8, "middle"},
    };
    for (int c = 0; c < 4; c++) {
        rect r = {cand[c].x0, cand[c].y0, cand[c].x0 + w, cand[c].y0 + h};
        if (r.x0 < l->map_x + 2 || r.x1 > l->map_x + l->map_w - 2 || r.y0 < l->map_y + 2 ||
            r.y1 > l->map_y + l->map_h - 2)
            continue;
        int free_here = 1;
        for (size_t i = 0; i < ntaken && free_here; i++)
            free_here = !overlaps(&r, &taken[i]);
        if (free_here) {
            *out = r;
            *tx = cand[c].tx;
            *ty = cand[c].ty;
            *anchor = cand[c].anchor;
            return 1;
        }
    }
    return 0;
}

truce_status trc_map_draw_places(truce_svg *svg, const map_frame *f, const truce_agreement *a)
{
    /* Dots first (every dot is an obstacle for every label), then labels. */
    size_t n = a->nplaces;
    rect *taken = trc_malloc((2 * n + 1) * sizeof *taken);
    double *xy = trc_malloc((2 * n + 1) * sizeof *xy);
    if (!taken || !xy) {
        trc_free(taken);
        trc_free(xy);
        return TRUCE_E_NOMEM;
    }
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "places");
    truce_svg_attr(svg, "font-family", MAP_FONT);
    truce_svg_attr(svg, "font-size", "%.0f", PLACE_FONT_PX);
    size_t ntaken = 0;
    for (size_t i = 0; i < n; i++) {
        const truce_place *p = &a->places[i];
        double x = (double)NAN, y = (double)NAN;
        trc_map_project1(f, p->lon, p->lat, &x, &y);
        xy[2 * i] = x;
        xy[2 * i + 1] = y;
        if (!isfinite(x))
            continue;
        truce_svg_begin(svg, "circle");
        truce_svg_attr(svg, "class", "place");
        truce_svg_attr(svg, "cx", "%.1f", x);
        truce_svg_attr(svg, "cy", "%.1f", y);
        truce_svg_attr(svg, "r", "2.5");
        truce_svg_attr(svg, "fill", "#252525");
        truce_svg_attr(svg, "stroke", "#ffffff");
        truce_svg_attr(svg, "stroke-width", "0.8");
        title(svg, "place", p->name, NULL);
        truce_svg_end(svg);
        taken[ntaken++] = (rect){x - 3, y - 3, x + 3, y + 3};
    }
    for (size_t i = 0; i < n; i++) {
        const truce_place *p = &a->places[i];
        if (!p->name || !isfinite(xy[2 * i]))
            continue;
        double w = 0.6 * PLACE_FONT_PX * (double)utf8_chars(p->name), tx, ty;
        const char *anchor;
        if (!place_label(&f->layout, xy[2 * i], xy[2 * i + 1], w, taken, ntaken, &taken[ntaken],
                         &tx, &ty, &anchor))
            continue;
        ntaken++;
        trc_draw_begin_text(svg, tx, ty, anchor, 0);
        truce_svg_attr(svg, "class", "place-label");
        truce_svg_attr(svg, "fill", "#252525");
        trc_draw_halo(svg);
        truce_svg_attr(svg, "stroke-opacity", "0.8");
        truce_svg_text(svg, "%s", p->name);
        truce_svg_end(svg);
    }
    truce_svg_end(svg);
    trc_free(taken);
    trc_free(xy);
    return TRUCE_OK;
}
