/* SVG to PNG through librsvg and cairo (raster.h). */
#include "truce/raster.h"

#include <cairo.h>
#include <errno.h>
#include <librsvg/rsvg.h>
#include <stdio.h>

#include "truce/output.h"

static cairo_status_t write_png_chunk(void *closure, const unsigned char *data, unsigned int len)
{
    FILE *out = closure;
    return fwrite(data, 1, len, out) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static truce_status from_cairo(cairo_status_t st)
{
    switch (st) {
    case CAIRO_STATUS_SUCCESS:
        return TRUCE_OK;
    case CAIRO_STATUS_NO_MEMORY:
        return TRUCE_E_NOMEM;
    case CAIRO_STATUS_WRITE_ERROR:
        return TRUCE_E_IO;
    default:
        return TRUCE_E_INTERNAL;
    }
}

truce_status truce_svg_to_png(const char *svg, size_t len, int width_px, int height_px, FILE *out)
{
    if (!svg || !out || width_px < 1 || height_px < 1 || width_px > TRUCE_PNG_MAX_SIDE ||
        height_px > TRUCE_PNG_MAX_SIDE)
        return TRUCE_E_ARG;
    GError *err = NULL;
    RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)svg, len, &err);
    if (!h) {
        g_clear_error(&err);
        return TRUCE_E_PARSE;
    }
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width_px, height_px);
    truce_status st = from_cairo(cairo_surface_status(surface));
    cairo_t *cr = cairo_create(surface);
    if (!st)
        st = from_cairo(cairo_status(cr));
    if (!st) {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        RsvgRectangle viewport = {0, 0, width_px, height_px};
        if (!rsvg_handle_render_document(h, cr, &viewport, &err)) {
            g_clear_error(&err);
            st = TRUCE_E_PARSE;
        }
    }
    if (!st)
        st = from_cairo(cairo_status(cr));
    if (!st) {
        cairo_surface_flush(surface);
        st = from_cairo(cairo_surface_write_to_png_stream(surface, write_png_chunk, out));
    }
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    g_object_unref(h);
    return st;
}

truce_status truce_svg_to_png_file(const char *svg, size_t len, int width_px, int height_px,
                                   const char *path)
{
    truce_output *out;
    truce_status st = truce_output_open(path, &out);
    if (st)
        return st;
    st = truce_svg_to_png(svg, len, width_px, height_px, truce_output_stream(out));
    if (st) {
        truce_output_abort(out);
        return st;
    }
    return truce_output_commit(out);
}
