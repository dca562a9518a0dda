/* The map renderer's entry points (map.h): check the input, fit the
 * projection, then draw the layers bottom to top. */
#include "truce/map.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/map_internal.h"

/* What each class is called, and how it is drawn (map.h). */
static const struct {
    const char *name, *colour, *label;
} classes[TRUCE_MAP_NCLASSES] = {
    [TRUCE_MAP_VIOLATION] = {"violation", "#d7191c", "violation"},
    [TRUCE_MAP_POSSIBLE] = {"possible", "#f28e2b", "possible violation"},
    [TRUCE_MAP_NONE] = {"none", "#2c7bb6", "no violation"},
    [TRUCE_MAP_BEFORE] = {"before", "#8c8c8c", "before the ceasefire"},
};

/* Out-of-range values read as "none". */
static unsigned class_index(truce_map_class cls)
{
    return (unsigned)cls < TRUCE_MAP_NCLASSES ? (unsigned)cls : TRUCE_MAP_NONE;
}

const char *truce_map_class_name(truce_map_class cls)
{
    return classes[class_index(cls)].name;
}

const char *truce_map_class_colour(truce_map_class cls)
{
    return classes[class_index(cls)].colour;
}

const char *truce_map_class_label(truce_map_class cls)
{
    return classes[class_index(cls)].label;
}

truce_map_class truce_map_class_of(const truce_verdict *v)
{
    if (v->violation == TRUCE_VIOLATION_YES)
        return TRUCE_MAP_VIOLATION;
    if (v->violation == TRUCE_VIOLATION_POSSIBLE)
        return TRUCE_MAP_POSSIBLE;
    return v->phase == TRUCE_EVENT_BEFORE ? TRUCE_MAP_BEFORE : TRUCE_MAP_NONE;
}

void truce_map_options_init(truce_map_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->width_px = 1000;
    opt->height_px = 760;
    opt->cluster_above = TRUCE_MAP_CLUSTER_ABOVE;
    opt->cluster_cell_px = 24;
    opt->xml_declaration = 1;
}

static truce_status check_input(const truce_map_data *d, const truce_map_options *o)
{
    if (!(o->width_px >= 200 && o->width_px <= 16384) ||
        !(o->height_px >= 150 && o->height_px <= 16384) ||
        !(o->cluster_cell_px >= 4 && o->cluster_cell_px <= 200) || !d->agreement ||
        (d->nmarks && !d->marks) || (d->ntracks && !d->tracks))
        return TRUCE_E_ARG;
    for (size_t i = 0; i < d->nmarks; i++) {
        const truce_map_mark *m = &d->marks[i];
        if ((unsigned)m->cls >= TRUCE_MAP_NCLASSES)
            return TRUCE_E_RANGE;
        if (m->has_location && !(m->lon >= -180 && m->lon <= 180 && m->lat >= -90 && m->lat <= 90))
            return TRUCE_E_RANGE;
    }
    return TRUCE_OK;
}

/* Page background, the clip path of the map frame and the sea. */
static void begin_frame(truce_svg *svg, const map_frame *f, int has_borders)
{
    const map_layout *l = &f->layout;
    trc_draw_begin_rect(svg, "background", 0, 0, l->width, l->height, "#ffffff");
    truce_svg_end(svg);
    truce_svg_begin(svg, "defs");
    truce_svg_begin(svg, "clipPath");
    truce_svg_attr(svg, "id", "truce-map-frame");
    trc_draw_begin_rect(svg, NULL, l->map_x, l->map_y, l->map_w, l->map_h, "#ffffff");
    truce_svg_end(svg);
    truce_svg_end(svg);
    truce_svg_end(svg);
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "map");
    truce_svg_attr(svg, "clip-path", "url(#truce-map-frame)");
    /* With borders, what no country covers is sea; without, plain paper. */
    trc_draw_begin_rect(svg, "sea", l->map_x, l->map_y, l->map_w, l->map_h,
                        has_borders ? MAP_SEA_FILL : "#ffffff");
    truce_svg_end(svg);
}

static void frame_outline(truce_svg *svg, const map_frame *f)
{
    const map_layout *l = &f->layout;
    trc_draw_begin_rect(svg, "frame", l->map_x + 0.5, l->map_y + 0.5, l->map_w - 1, l->map_h - 1,
                        "none");
    truce_svg_attr(svg, "stroke", "#999999");
    truce_svg_end(svg);
}

truce_status truce_map_render(const truce_map_data *data, const truce_map_options *opt, char **out,
                              size_t *len, truce_map_stats *stats)
{
    if (out)
        *out = NULL;
    if (!data || !opt || !out || !len)
        return TRUCE_E_ARG;
    truce_status st = check_input(data, opt);
    if (st)
        return st;
    truce_map_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    map_frame f;
    st = trc_map_frame_fit(&f, data, opt);
    if (st)
        return st;
    stats->scale_px_per_m = f.scale;
    truce_svg *svg = NULL;
    st = truce_svg_new(opt->width_px, opt->height_px, &svg);
    if (st) {
        trc_map_frame_release(&f);
        return st;
    }
    const truce_agreement *a = data->agreement;
    const char *title = opt->title ? opt->title : a->title ? a->title : a->id;
    truce_svg_attr(svg, "class", "truce-map");
    truce_svg_attr(svg, "role", "img");
    if (title) {
        truce_svg_begin(svg, "title");
        truce_svg_text(svg, "%s", title);
        truce_svg_end(svg);
    }
    int has_borders = data->borders && data->borders->ncountries;
    begin_frame(svg, &f, has_borders);
    if (has_borders)
        trc_map_draw_borders(svg, &f, data->borders);
    trc_map_draw_zones(svg, &f, a);
    st = trc_map_draw_corridors(svg, &f, a);
    trc_map_draw_roads(svg, &f, a);
    trc_map_draw_routes(svg, &f, a);
    if (!st && data->ntracks)
        st = trc_map_draw_tracks(svg, &f, data);
    trc_map_draw_aid(svg, &f, data);
    if (!st)
        st = trc_map_draw_places(svg, &f, a);
    map_event_summary sum;
    memset(&sum, 0, sizeof sum);
    if (!st)
        st = trc_map_draw_events(svg, &f, data, opt, stats, &sum);
    truce_svg_end(svg); /* the map group */
    frame_outline(svg, &f);
    trc_map_draw_scale_bar(svg, &f);
    trc_map_draw_north_arrow(svg, &f);
    trc_map_draw_legend(svg, &f, data, &sum);
    trc_map_draw_title(svg, &f, a, opt);
    trc_map_frame_release(&f);
    if (st) {
        truce_svg_free(svg);
        return st;
    }
    return truce_svg_finish(svg, opt->xml_declaration, out, len);
}
