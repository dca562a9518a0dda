/* truce — pictures as PNG: an SVG document (a map, a timeline) rasterised
 * with librsvg and cairo.
 *
 * The document is scaled to fit the requested size, keeping its aspect
 * ratio and centred, over an opaque white background (a PNG for a slide or a
 * message should not depend on the viewer's background colour).  Text is
 * drawn with the system's fonts through Pango; no file or URL the document
 * names is fetched (librsvg resolves none without a base file).
 */
#ifndef TRUCE_RASTER_H
#define TRUCE_RASTER_H

#include <stddef.h>
#include <stdio.h>

#include "truce/status.h"

/* The largest side of a PNG, pixels. */
#define TRUCE_PNG_MAX_SIDE 16384

/* Render `svg` (`len` bytes, need not be NUL-terminated) as an RGB(A) PNG of
 * width_px x height_px pixels (each in [1, TRUCE_PNG_MAX_SIDE]) written to
 * `out`.  Returns TRUCE_E_ARG for a NULL argument or a size out of range,
 * TRUCE_E_PARSE when librsvg cannot read the document, TRUCE_E_IO when
 * writing fails, TRUCE_E_NOMEM, TRUCE_E_INTERNAL for another cairo or
 * librsvg failure. */
truce_status truce_svg_to_png(const char *svg, size_t len, int width_px, int height_px, FILE *out);

/* As truce_svg_to_png, into the file `path`, written as truce_output_open
 * and truce_output_commit write it (output.h): the file is replaced only
 * when the whole PNG was written, and left as it was when rendering or
 * writing fails.  TRUCE_E_IO sets errno to the reason. */
truce_status truce_svg_to_png_file(const char *svg, size_t len, int width_px, int height_px,
                                   const char *path);

#endif
