/* The map's projection and page layout (map_internal.h, docs/map.md).
 *
 * The area of interest is every vertex of the agreement's zones, corridor
 * roads (widened by the corridor's depth), patrol routes and places, every
 * located mark and every track point.  Its longitude/latitude box gives the
 * centre of an azimuthal equidistant projection (PROJ "aeqd", WGS84), which
 * keeps distances from the centre true and, over the few hundred kilometres
 * of a ceasefire's area, every other distance within a fraction of a
 * percent; the projected box plus a margin is fitted into the map frame. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/map_internal.h"

/* A share of the area's width and height left free on each side. */
#define MARGIN 0.06
/* The smallest area shown, metres (a map of one point is 20 km across). */
#define MIN_EXTENT_M 20000.0

static void layout(map_layout *l, double w, double h)
{
    l->width = w;
    l->height = h;
    l->title_h = h >= 500 ? 84 : 52;
    l->legend_w = fmin(260, fmax(150, 0.24 * w));
    l->legend_x = w - l->legend_w;
    l->map_x = 0;
    l->map_y = l->title_h;
    l->map_w = l->legend_x;
    l->map_h = h - l->title_h;
}

/* A running box in longitude/latitude or in projected metres. */
typedef struct box {
    double x0, y0, x1, y1;
    size_t n;
} box;

static void box_add(box *b, double x, double y, double pad)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    if (b->n++ == 0) {
        b->x0 = x - pad;
        b->x1 = x + pad;
        b->y0 = y - pad;
        b->y1 = y + pad;
        return;
    }
    b->x0 = fmin(b->x0, x - pad);
    b->x1 = fmax(b->x1, x + pad);
    b->y0 = fmin(b->y0, y - pad);
    b->y1 = fmax(b->y1, y + pad);
}

/* Visit every position of the area of interest: fn(ctx, lon, lat, pad_m). */
typedef void (*visit_fn)(void *ctx, double lon, double lat, double pad_m);

static void visit_line(const double *lonlat, size_t n, double pad_m, visit_fn fn, void *ctx)
{
    for (size_t i = 0; i < n; i++)
        fn(ctx, lonlat[2 * i], lonlat[2 * i + 1], pad_m);
}

static void visit_area(const truce_map_data *d, visit_fn fn, void *ctx)
{
    const truce_agreement *a = d->agreement;
    for (size_t i = 0; i < a->nzones; i++)
        for (size_t p = 0; p < a->zones[i].npolygons; p++) {
            const truce_line *outer = &a->zones[i].polygons[p].rings[0];
            visit_line(outer->lonlat, outer->n, 0, fn, ctx);
        }
    for (size_t i = 0; i < a->ncorridors; i++) {
        const truce_corridor_def *c = &a->corridors[i];
        for (size_t k = 0; k < c->nroads; k++)
            visit_line(c->roads[k].lonlat, c->roads[k].n, fmax(c->left_m, c->right_m), fn, ctx);
    }
    for (size_t i = 0; i < a->nroutes; i++)
        visit_line(a->routes[i].route.lonlat, a->routes[i].route.n, 0, fn, ctx);
    for (size_t i = 0; i < a->nplaces; i++)
        fn(ctx, a->places[i].lon, a->places[i].lat, 0);
    for (size_t i = 0; i < a->nneeds; i++) {
        const truce_need *n = &a->needs[i];
        if (n->is_point)
            fn(ctx, n->lon, n->lat, n->radius_m);
        for (size_t p = 0; p < n->npolygons; p++)
            visit_line(n->polygons[p].rings[0].lonlat, n->polygons[p].rings[0].n, 0, fn, ctx);
    }
    for (size_t i = 0; i < a->ncrossings; i++)
        fn(ctx, a->crossings[i].lon, a->crossings[i].lat, 0);
    for (size_t i = 0; i < a->naid_routes; i++)
        visit_line(a->aid_routes[i].route.lonlat, a->aid_routes[i].route.n, 0, fn, ctx);
    for (size_t i = 0; i < d->nmarks; i++)
        if (d->marks[i].has_location)
            fn(ctx, d->marks[i].lon, d->marks[i].lat, 0);
    for (size_t g = 0; g < d->ntracks; g++)
        for (size_t t = 0; d->tracks[g] && t < d->tracks[g]->ntracks; t++) {
            const truce_track *tr = &d->tracks[g]->tracks[t];
            for (size_t i = 0; i < tr->npoints; i++)
                fn(ctx, tr->points[i].lon, tr->points[i].lat, 0);
        }
}

/* The longitude/latitude box (the padding is for the projected box). */
static void add_lonlat(void *ctx, double lon, double lat, double pad_m)
{
    (void)pad_m;
    box_add(ctx, lon, lat, 0);
}

typedef struct proj_box {
    const map_frame *f;
    box b;
} proj_box;

static void add_projected(void *ctx, double lon, double lat, double pad_m)
{
    proj_box *pb = ctx;
    PJ_COORD c = proj_coord(lon, lat, 0, 0);
    c = proj_trans(pb->f->pj, PJ_FWD, c);
    if (c.xy.x != HUGE_VAL)
        box_add(&pb->b, c.xy.x, c.xy.y, pad_m);
}

truce_status trc_map_frame_fit(map_frame *f, const truce_map_data *d, const truce_map_options *opt)
{
    memset(f, 0, sizeof *f);
    layout(&f->layout, opt->width_px, opt->height_px);
    box ll = {0};
    visit_area(d, add_lonlat, &ll);
    f->lon0 = ll.n ? (ll.x0 + ll.x1) / 2 : 0;
    f->lat0 = ll.n ? (ll.y0 + ll.y1) / 2 : 0;
    char def[256];
    snprintf(def, sizeof def,
             "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
             "+step +proj=aeqd +lat_0=%.9f +lon_0=%.9f +ellps=WGS84",
             f->lat0, f->lon0);
    f->ctx = proj_context_create();
    if (!f->ctx)
        return TRUCE_E_NOMEM;
    proj_log_level(f->ctx, PJ_LOG_NONE);
    f->pj = proj_create(f->ctx, def);
    if (!f->pj) {
        trc_map_frame_release(f);
        return TRUCE_E_INTERNAL;
    }
    proj_box pb = {.f = f};
    visit_area(d, add_projected, &pb);
    box *b = &pb.b;
    if (!b->n)
        box_add(b, 0, 0, 0);
    double cx = (b->x0 + b->x1) / 2, cy = (b->y0 + b->y1) / 2;
    double dx = fmax(b->x1 - b->x0, MIN_EXTENT_M), dy = fmax(b->y1 - b->y0, MIN_EXTENT_M);
    const map_layout *l = &f->layout;
    f->scale = fmin(l->map_w * (1 - 2 * MARGIN) / dx, l->map_h * (1 - 2 * MARGIN) / dy);
    f->off_x = l->map_x + l->map_w / 2 - f->scale * cx;
    f->off_y = l->map_y + l->map_h / 2 + f->scale * cy;
    return TRUCE_OK;
}

void trc_map_frame_release(map_frame *f)
{
    if (f->pj)
        proj_destroy(f->pj);
    if (f->ctx)
        proj_context_destroy(f->ctx);
    f->pj = NULL;
    f->ctx = NULL;
}

int trc_map_project1(const map_frame *f, double lon, double lat, double *x, double *y)
{
    PJ_COORD c = proj_trans(f->pj, PJ_FWD, proj_coord(lon, lat, 0, 0));
    if (c.xy.x == HUGE_VAL || !isfinite(c.xy.x) || !isfinite(c.xy.y)) {
        *x = *y = (double)NAN;
        return -1;
    }
    *x = f->off_x + f->scale * c.xy.x;
    *y = f->off_y - f->scale * c.xy.y;
    return 0;
}

truce_status trc_map_project(const map_frame *f, const double *lon, const double *lat,
                             size_t stride, size_t n, double *xy)
{
    if (!n)
        return TRUCE_OK;
    /* proj_trans_generic works in place on strided arrays: copy the input
     * into xy first (x at even, y at odd indices). */
    for (size_t i = 0; i < n; i++) {
        xy[2 * i] = lon[i * stride];
        xy[2 * i + 1] = lat[i * stride];
    }
    size_t st = 2 * sizeof(double);
    proj_trans_generic(f->pj, PJ_FWD, xy, st, n, xy + 1, st, n, NULL, 0, 0, NULL, 0, 0);
    for (size_t i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (x == HUGE_VAL || !isfinite(x) || !isfinite(y)) {
            xy[2 * i] = xy[2 * i + 1] = (double)NAN;
            continue;
        }
        xy[2 * i] = f->off_x + f->scale * x;
        xy[2 * i + 1] = f->off_y - f->scale * y;
    }
    return TRUCE_OK;
}

const map_style trc_map_style_border = {"#f2f2ef", 1, "#8c8c8c", 0.8, NULL};
const map_style trc_map_style_zone = {"#fdf1c7", 0.75, "#b08d2c", 1.5, NULL};
const map_style trc_map_style_corridor = {"#9ecae1", 0.55, "#3182bd", 1, NULL};
const map_style trc_map_style_road = {"none", 1, "#08306b", 2, NULL};
const map_style trc_map_style_route = {"none", 1, "#6a3d9a", 3, "8 5"};
const map_style trc_map_style_track = {"none", 1, "#e7298a", 1.5, NULL};
const map_style trc_map_style_aid_route = {"none", 1, "#1f78b4", 2.0, "2 3"};

void trc_map_begin_layer(truce_svg *svg, const char *cls, const map_style *s)
{
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "%s", cls);
    truce_svg_attr(svg, "fill", "%s", s->fill);
    if (s->fill_opacity < 1)
        truce_svg_attr(svg, "fill-opacity", "%.2f", s->fill_opacity);
    truce_svg_attr(svg, "stroke", "%s", s->stroke);
    truce_svg_attr(svg, "stroke-width", "%.1f", s->stroke_width);
    if (s->dash)
        truce_svg_attr(svg, "stroke-dasharray", "%s", s->dash);
    truce_svg_attr(svg, "fill-rule", "evenodd");
    truce_svg_attr(svg, "stroke-linejoin", "round");
}

double trc_map_radius_factor(double max_count)
{
    /* 2.5 px per sqrt(count) (1 -> 2.5 px, 100 -> 25 px) unless the largest
     * would pass MAP_MAX_R. */
    return max_count > 0 ? fmin(2.5, MAP_MAX_R / sqrt(max_count)) : 2.5;
}

double trc_map_radius(double count, double factor)
{
    return fmax(MAP_MIN_R, factor * sqrt(count > 0 ? count : 0));
}

/* Path data is written through a small buffer: one escaped append per
 * few kilobytes rather than per vertex. */
typedef struct path_buf {
    truce_svg *svg;
    char buf[4096];
    size_t len;
    int started;
    double lx, ly;
} path_buf;

static void path_flush(path_buf *p)
{
    if (p->len)
        truce_svg_attr_append(p->svg, "%s", p->buf);
    p->len = 0;
    p->buf[0] = '\0';
}

static void path_vertex(path_buf *p, double x, double y, int last)
{
    if (!isfinite(x) || !isfinite(y))
        return;
    if (p->started && !last && fabs(x - p->lx) < 0.5 && fabs(y - p->ly) < 0.5)
        return;
    if (sizeof p->buf - p->len < 64)
        path_flush(p);
    int n = snprintf(p->buf + p->len, sizeof p->buf - p->len, "%s%.1f %.1f", p->started ? "L" : "M",
                     x, y);
    if (n > 0)
        p->len += (size_t)n;
    p->started = 1;
    p->lx = x;
    p->ly = y;
}

static void path_end(path_buf *p, int close)
{
    if (close && p->started && sizeof p->buf - p->len > 1) {
        p->buf[p->len++] = 'Z';
        p->buf[p->len] = '\0';
    }
    path_flush(p);
}

void trc_map_path_xy(truce_svg *svg, const double *xy, size_t n, int close)
{
    path_buf p = {.svg = svg};
    for (size_t i = 0; i < n; i++)
        path_vertex(&p, xy[2 * i], xy[2 * i + 1], i + 1 == n);
    path_end(&p, close);
}

void trc_map_path_lonlat(truce_svg *svg, const map_frame *f, const double *lonlat, size_t n,
                         int close)
{
    path_buf p = {.svg = svg};
    for (size_t i = 0; i < n; i++) {
        double x, y;
        if (trc_map_project1(f, lonlat[2 * i], lonlat[2 * i + 1], &x, &y) == 0)
            path_vertex(&p, x, y, i + 1 == n);
    }
    path_end(&p, close);
}
