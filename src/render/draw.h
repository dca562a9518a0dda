/* The drawing layer under the map (map_*.c) and the timeline (timeline.c):
 * the few SVG elements both draw, over the SVG writer (svg.h), so that a
 * rectangle, a line or a label is written one way.  Not public API.
 *
 * Coordinates are CSS pixels, y down.  Rectangles are written to 0.01 px
 * (stacked bars must meet), everything else to 0.1 px.  Text goes through
 * the writer's escaper like every other text. */
#ifndef TRUCE_DRAW_H
#define TRUCE_DRAW_H

#include "truce/svg.h"

/* Begin a <rect> with `cls` (NULL: none) and `fill`; the caller may add
 * attributes, and ends it. */
void trc_draw_begin_rect(truce_svg *svg, const char *cls, double x, double y, double w, double h,
                         const char *fill);

/* A whole <rect>. */
void trc_draw_rect(truce_svg *svg, double x, double y, double w, double h, const char *fill);

/* A whole <line> from (xa, ya) to (xb, yb), `width_px` wide, dashed by
 * `dash` (a stroke-dasharray; NULL: solid). */
void trc_draw_line(truce_svg *svg, double xa, double ya, double xb, double yb, const char *stroke,
                   double width_px, const char *dash);

/* Begin a <text> at (x, y) anchored `anchor` ("start", "middle", "end";
 * NULL: inherited) in `font_px` (0: inherited); the caller may add
 * attributes and text, and ends it. */
void trc_draw_begin_text(truce_svg *svg, double x, double y, const char *anchor, double font_px);

/* Begin a <text> whose baseline runs through (x, y) turned `angle_deg`
 * clockwise (-90: reads upwards), otherwise as trc_draw_begin_text. */
void trc_draw_begin_text_turned(truce_svg *svg, double x, double y, double angle_deg,
                                const char *anchor, double font_px);

/* A whole <text> holding `s`. */
void trc_draw_text(truce_svg *svg, double x, double y, const char *anchor, double font_px,
                   const char *s);

/* A white halo round the letters of the <text> just begun (a 3-px white
 * stroke painted under the fill), so a label stays legible over whatever
 * it is drawn on. */
void trc_draw_halo(truce_svg *svg);

#endif
