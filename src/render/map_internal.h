/* Internal to the map renderer (map.h): the page layout, the projection, and
 * the drawing of each layer, one file per concern:
 *   map.c         the public entry points and the order of the layers
 *   map_frame.c   the area of interest, the projection and the page layout
 *   map_layers.c  borders, zones, corridors, roads, routes, tracks, places
 *   map_events.c  event markers, and their aggregation into grid cells
 *   map_legend.c  title, dates, legend, scale bar, north arrow
 */
#ifndef TRUCE_MAP_INTERNAL_H
#define TRUCE_MAP_INTERNAL_H

#include <proj.h>
#include <stddef.h>

#include "render/draw.h"
#include "truce/aid.h"
#include "truce/map.h"
#include "truce/svg.h"

/* The page: a title band on top, the map frame below it on the left, the
 * legend panel on the right.  All in pixels, y down. */
typedef struct map_layout {
    double width, height;              /* the document */
    double title_h;                    /* the title band: y in [0, title_h) */
    double map_x, map_y, map_w, map_h; /* the map frame */
    double legend_x, legend_w;         /* the legend panel: x in [legend_x, width) */
} map_layout;

/* The projection: PROJ's azimuthal equidistant on WGS84 centred on the area
 * of interest, then a scale and an offset into the map frame. */
typedef struct map_frame {
    PJ_CONTEXT *ctx;
    PJ *pj;
    double lon0, lat0;   /* the centre, degrees */
    double scale;        /* pixels per metre */
    double off_x, off_y; /* pixel = (off_x + scale * x_m, off_y - scale * y_m) */
    map_layout layout;
} map_frame;

/* Fit the frame: the area of interest is the agreement's geometry, the
 * located marks and the tracks, with a margin.  TRUCE_E_INTERNAL when PROJ
 * fails, TRUCE_E_NOMEM.  Release with trc_map_frame_release. */
truce_status trc_map_frame_fit(map_frame *f, const truce_map_data *data,
                               const truce_map_options *opt);
void trc_map_frame_release(map_frame *f);

/* Project n positions (interleaved lon/lat, degrees, at `stride` doubles
 * apart starting at lon, lat) to pixels in xy (2*n doubles).  A position
 * PROJ cannot project gets NaN.  TRUCE_E_NOMEM. */
truce_status trc_map_project(const map_frame *f, const double *lon, const double *lat,
                             size_t stride, size_t n, double *xy);

/* Project one position to pixels; 0 on success, -1 when PROJ cannot. */
int trc_map_project1(const map_frame *f, double lon, double lat, double *x, double *y);

/* The look of a layer of lines or areas, shared by the layer and its
 * legend entry (map_frame.c). */
typedef struct map_style {
    const char *fill;    /* "none" for lines */
    double fill_opacity; /* in [0, 1] */
    const char *stroke;
    double stroke_width; /* pixels */
    const char *dash;    /* stroke-dasharray; NULL for a solid line */
} map_style;

extern const map_style trc_map_style_border, trc_map_style_zone, trc_map_style_corridor,
    trc_map_style_road, trc_map_style_route, trc_map_style_track, trc_map_style_aid_route;
#define MAP_SEA_FILL "#dfeaf3"
#define MAP_FONT "DejaVu Sans, Arial, Helvetica, sans-serif"

/* Marker size: a circle's area is proportional to its count (fatalities of
 * an event, events of a cell) with a minimum radius; the factor is chosen so
 * the largest count gets at most MAP_MAX_R (docs/map.md). */
#define MAP_MIN_R 4.0
#define MAP_MAX_R 28.0
double trc_map_radius(double count, double factor);
double trc_map_radius_factor(double max_count);

/* Open <g class="cls"> with a style's presentation attributes (areas
 * filled even-odd, joins round). */
void trc_map_begin_layer(truce_svg *svg, const char *cls, const map_style *style);

/* A path's "d" in pieces: M/L commands, skipping vertices within half a
 * pixel of the last one kept; `close` adds Z.  Positions are projected
 * pixels (xy, 2*n); NaN positions are skipped. */
void trc_map_path_xy(truce_svg *svg, const double *xy, size_t n, int close);

/* The same for lon/lat positions (projected one by one). */
void trc_map_path_lonlat(truce_svg *svg, const map_frame *f, const double *lonlat, size_t n,
                         int close);

/* The layers (map_layers.c).  Each writes one <g class="NAME">. */
void trc_map_draw_borders(truce_svg *svg, const map_frame *f, const truce_borders *borders);
void trc_map_draw_zones(truce_svg *svg, const map_frame *f, const truce_agreement *a);
truce_status trc_map_draw_corridors(truce_svg *svg, const map_frame *f, const truce_agreement *a);
void trc_map_draw_roads(truce_svg *svg, const map_frame *f, const truce_agreement *a);
void trc_map_draw_routes(truce_svg *svg, const map_frame *f, const truce_agreement *a);
truce_status trc_map_draw_tracks(truce_svg *svg, const map_frame *f, const truce_map_data *data);
truce_status trc_map_draw_places(truce_svg *svg, const map_frame *f, const truce_agreement *a);

/* The humanitarian layer (map_aid.c): places in need, crossings, aid
 * routes, and from a finished accumulator the colour of each place by days
 * since its last delivery, access incidents and returns. */
void trc_map_draw_aid(truce_svg *svg, const map_frame *f, const truce_map_data *data);
/* The colour band of a place in need: its colour and legend text. */
typedef struct map_need_band {
    const char *colour;
    const char *label;
} map_need_band;
#define MAP_NEED_BANDS 6
extern const map_need_band trc_map_need_bands[MAP_NEED_BANDS];
/* Which band: a place reached `days_since` days before the period's end
 * (-1: never reached; -2: no deliveries known, no accumulator). */
int trc_map_need_band(int64_t days_since);

/* Counts per class of what the events layer drew, for the legend. */
typedef struct map_event_summary {
    size_t count[TRUCE_MAP_NCLASSES]; /* located marks per class */
    double factor;                    /* trc_map_radius factor used */
    double most;                      /* the largest count drawn: fatalities of an event,
                                         or events of a cell */
    size_t markers;                   /* single-event markers drawn */
    int clustered;
    size_t clusters;
    double cell_px;
} map_event_summary;

/* The events layer (map_events.c); fills *stats and *sum. */
truce_status trc_map_draw_events(truce_svg *svg, const map_frame *f, const truce_map_data *data,
                                 const truce_map_options *opt, truce_map_stats *stats,
                                 map_event_summary *sum);

/* The furniture (map_legend.c). */
void trc_map_draw_title(truce_svg *svg, const map_frame *f, const truce_agreement *a,
                        const truce_map_options *opt);
void trc_map_draw_legend(truce_svg *svg, const map_frame *f, const truce_map_data *data,
                         const map_event_summary *sum);
void trc_map_draw_scale_bar(truce_svg *svg, const map_frame *f);
void trc_map_draw_north_arrow(truce_svg *svg, const map_frame *f);

/* Write `text` as one or more <tspan> lines of at most about `max_px` wide
 * (estimated from the font size), at most `max_lines`, the last cut with an
 * ellipsis; returns the number of lines written.  With `svg` NULL nothing
 * is written: the count says how many lines the text would take. */
int trc_map_text_lines(truce_svg *svg, const char *text, double x, double y, double font_px,
                       double line_px, double max_px, int max_lines);

#endif
