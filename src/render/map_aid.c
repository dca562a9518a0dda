/* The map's humanitarian layer (map_internal.h): places in need filled by
 * days since their last delivery, aid routes, crossings, access incidents
 * and the returns per place.  Colours: ColorBrewer's RdYlGn, green for a
 * place reached in the last week to dark red for one never reached. */
#include <math.h>
#include <stdio.h>

#include "render/map_internal.h"
#include "truce/aid_write.h"

const map_need_band trc_map_need_bands[MAP_NEED_BANDS] = {
    {"#1a9850", "place in need, last delivery within 7 days of the period's end"},
    {"#a6d96a", "place in need, last delivery 8-14 days before"},
    {"#fdae61", "place in need, last delivery 15-30 days before"},
    {"#d73027", "place in need, last delivery more than 30 days before"},
    {"#67001f", "place in need never reached in the period"},
    {"#969696", "place in need (no deliveries read)"},
};

int trc_map_need_band(int64_t days_since)
{
    return days_since == -2   ? 5
           : days_since < 0   ? 4
           : days_since <= 7  ? 0
           : days_since <= 14 ? 1
           : days_since <= 30 ? 2
                              : 3;
}

static void need_area(truce_svg *svg, const map_frame *f, const truce_need *n, double *cx,
                      double *cy)
{
    *cx = *cy = (double)NAN;
    if (n->is_point) {
        double x, y;
        if (trc_map_project1(f, n->lon, n->lat, &x, &y))
            return;
        truce_svg_begin(svg, "circle");
        truce_svg_attr(svg, "cx", "%.1f", x);
        truce_svg_attr(svg, "cy", "%.1f", y);
        truce_svg_attr(svg, "r", "%.1f", fmax(n->radius_m * f->scale, 3));
        *cx = x;
        *cy = y;
        return;
    }
    truce_svg_begin(svg, "path");
    truce_svg_attr_open(svg, "d");
    double sx = 0, sy = 0;
    size_t k = 0;
    for (size_t p = 0; p < n->npolygons; p++)
        for (size_t r = 0; r < n->polygons[p].nrings; r++) {
            const truce_line *ring = &n->polygons[p].rings[r];
            trc_map_path_lonlat(svg, f, ring->lonlat, ring->n, 1);
            for (size_t v = 0; r == 0 && v + 1 < ring->n; v++) {
                double x, y;
                if (!trc_map_project1(f, ring->lonlat[2 * v], ring->lonlat[2 * v + 1], &x, &y)) {
                    sx += x;
                    sy += y;
                    k++;
                }
            }
        }
    truce_svg_attr_close(svg);
    if (k) {
        *cx = sx / (double)k;
        *cy = sy / (double)k;
    }
}

void trc_map_draw_aid(truce_svg *svg, const map_frame *f, const truce_map_data *d)
{
    const truce_agreement *a = d->agreement;
    const truce_aid_result *r = d->aid ? truce_aid_result_get(d->aid) : NULL;
    if (!a->nneeds && !a->naid_routes && !a->ncrossings && !(r && r->naccess_points))
        return;
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "aid");
    truce_svg_attr(svg, "font-family", MAP_FONT);
    trc_map_begin_layer(svg, "aid-routes", &trc_map_style_aid_route);
    for (size_t i = 0; i < a->naid_routes; i++) {
        truce_svg_begin(svg, "path");
        truce_svg_attr(svg, "data-id", "%s", a->aid_routes[i].id);
        truce_svg_attr_open(svg, "d");
        trc_map_path_lonlat(svg, f, a->aid_routes[i].route.lonlat, a->aid_routes[i].route.n, 0);
        truce_svg_attr_close(svg);
        truce_svg_begin(svg, "title");
        truce_svg_text(svg, "aid route: %s",
                       a->aid_routes[i].name ? a->aid_routes[i].name : a->aid_routes[i].id);
        truce_svg_end(svg);
        truce_svg_end(svg);
    }
    truce_svg_end(svg);
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "needs");
    for (size_t i = 0; i < a->nneeds; i++) {
        const truce_need *n = &a->needs[i];
        const truce_aid_place *p = r ? &r->places[i] : NULL;
        const char *colour =
            trc_map_need_bands[trc_map_need_band(p ? p->days_since_last : -2)].colour;
        double cx, cy;
        need_area(svg, f, n, &cx, &cy);
        truce_svg_attr(svg, "class", "need");
        truce_svg_attr(svg, "data-id", "%s", n->id);
        truce_svg_attr(svg, "fill", "%s", colour);
        truce_svg_attr(svg, "fill-opacity", "0.55");
        truce_svg_attr(svg, "stroke", "%s", colour);
        truce_svg_attr(svg, "stroke-width", "1.2");
        truce_svg_begin(svg, "title");
        char day[16];
        if (p && p->reached) {
            truce_aid_format_day(p->last_day, day);
            truce_svg_text(svg,
                           "place in need: %s; %llu deliveries, the last on %s (%lld days "
                           "before the period's end); %lld people returned",
                           n->name ? n->name : n->id, (unsigned long long)p->deliveries, day,
                           (long long)p->days_since_last, (long long)p->returnees);
        } else {
            truce_svg_text(svg, "place in need: %s; %s", n->name ? n->name : n->id,
                           p ? "never reached in the period" : "no deliveries read");
        }
        truce_svg_end(svg);
        truce_svg_end(svg);
        if (p && p->returnees > 0 && isfinite(cx)) {
            trc_draw_begin_text(svg, cx, cy + 4, "middle", 11);
            truce_svg_attr(svg, "class", "returns");
            truce_svg_attr(svg, "fill", "#08306b");
            trc_draw_halo(svg);
            truce_svg_text(svg, "\xe2\x86\xa9 %lld", (long long)p->returnees);
            truce_svg_end(svg);
        }
    }
    truce_svg_end(svg);
    for (size_t i = 0; i < a->ncrossings; i++) {
        double x, y;
        if (trc_map_project1(f, a->crossings[i].lon, a->crossings[i].lat, &x, &y))
            continue;
        truce_svg_begin(svg, "rect");
        truce_svg_attr(svg, "class", "crossing");
        truce_svg_attr(svg, "x", "%.1f", x - 4);
        truce_svg_attr(svg, "y", "%.1f", y - 4);
        truce_svg_attr(svg, "width", "8");
        truce_svg_attr(svg, "height", "8");
        truce_svg_attr(svg, "fill", "#1f78b4");
        truce_svg_attr(svg, "stroke", "#ffffff");
        truce_svg_begin(svg, "title");
        truce_svg_text(svg, "crossing: %s",
                       a->crossings[i].name ? a->crossings[i].name : a->crossings[i].id);
        truce_svg_end(svg);
        truce_svg_end(svg);
    }
    for (size_t i = 0; r && i < r->naccess_points; i++) {
        const truce_aid_point *p = &r->access_points[i];
        double x, y;
        if (trc_map_project1(f, p->lon, p->lat, &x, &y))
            continue;
        char day[16];
        truce_aid_format_day(p->day, day);
        truce_svg_begin(svg, "path");
        truce_svg_attr(svg, "class", "access");
        truce_svg_attr(svg, "d", "M%.1f %.1fl5 9h-10z", x, y - 6);
        truce_svg_attr(svg, "fill", "#6a3d9a");
        truce_svg_attr(svg, "stroke", "#ffffff");
        truce_svg_attr(svg, "stroke-width", "0.8");
        truce_svg_begin(svg, "title");
        truce_svg_text(svg, "access incident, %s: %s", day,
                       truce_access_category_label(p->category));
        truce_svg_end(svg);
        truce_svg_end(svg);
    }
    truce_svg_end(svg);
}
