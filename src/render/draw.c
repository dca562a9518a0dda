/* The drawing layer shared by the map and the timeline (draw.h). */
#include "render/draw.h"

/* Four numeric attributes, to `decimals` places. */
static void four(truce_svg *svg, const char *const names[4], const double v[4], int decimals)
{
    for (int i = 0; i < 4; i++)
        truce_svg_attr(svg, names[i], "%.*f", decimals, v[i]);
}

void trc_draw_begin_rect(truce_svg *svg, const char *cls, double x, double y, double w, double h,
                         const char *fill)
{
    static const char *const names[4] = {"x", "y", "width", "height"};
    truce_svg_begin(svg, "rect");
    if (cls)
        truce_svg_attr(svg, "class", "%s", cls);
    four(svg, names, (const double[4]){x, y, w, h}, 2);
    truce_svg_attr(svg, "fill", "%s", fill);
}

void trc_draw_rect(truce_svg *svg, double x, double y, double w, double h, const char *fill)
{
    trc_draw_begin_rect(svg, NULL, x, y, w, h, fill);
    truce_svg_end(svg);
}

void trc_draw_line(truce_svg *svg, double xa, double ya, double xb, double yb, const char *stroke,
                   double width_px, const char *dash)
{
    static const char *const names[4] = {"x1", "y1", "x2", "y2"};
    truce_svg_begin(svg, "line");
    four(svg, names, (const double[4]){xa, ya, xb, yb}, 1);
    truce_svg_attr(svg, "stroke", "%s", stroke);
    truce_svg_attr(svg, "stroke-width", "%g", width_px);
    if (dash)
        truce_svg_attr(svg, "stroke-dasharray", "%s", dash);
    truce_svg_end(svg);
}

void trc_draw_begin_text(truce_svg *svg, double x, double y, const char *anchor, double font_px)
{
    truce_svg_begin(svg, "text");
    truce_svg_attr(svg, "x", "%.1f", x);
    truce_svg_attr(svg, "y", "%.1f", y);
    if (anchor)
        truce_svg_attr(svg, "text-anchor", "%s", anchor);
    if (font_px > 0)
        truce_svg_attr(svg, "font-size", "%g", font_px);
}

void trc_draw_begin_text_turned(truce_svg *svg, double x, double y, double angle_deg,
                                const char *anchor, double font_px)
{
    truce_svg_begin(svg, "text");
    truce_svg_attr(svg, "transform", "translate(%.1f %.1f) rotate(%g)", x, y, angle_deg);
    if (anchor)
        truce_svg_attr(svg, "text-anchor", "%s", anchor);
    if (font_px > 0)
        truce_svg_attr(svg, "font-size", "%g", font_px);
}

void trc_draw_text(truce_svg *svg, double x, double y, const char *anchor, double font_px,
                   const char *s)
{
    trc_draw_begin_text(svg, x, y, anchor, font_px);
    truce_svg_text(svg, "%s", s);
    truce_svg_end(svg);
}

void trc_draw_halo(truce_svg *svg)
{
    truce_svg_attr(svg, "stroke", "#ffffff");
    truce_svg_attr(svg, "stroke-width", "3");
    truce_svg_attr(svg, "paint-order", "stroke");
}
