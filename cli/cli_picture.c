/* Pictures from the command line: SVG or PNG, chosen by --format or by the
 * output's extension, written by one function (truce map, truce timeline). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "truce/raster.h"

int cli_picture_format_option(const char *sub, const char *value)
{
    if (strcmp(value, "svg") && strcmp(value, "png")) {
        cli_error(sub, "--format: expected svg or png, found '%s'", value);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int cli_picture_is_png(const char *format, const char *output)
{
    if (format)
        return !strcmp(format, "png");
    size_t n = output ? strlen(output) : 0;
    return n >= 4 && (!strcmp(output + n - 4, ".png") || !strcmp(output + n - 4, ".PNG"));
}

int cli_write_picture(const char *sub, const char *svg, size_t len, int png, double width_px,
                      double height_px, const char *output)
{
    cli_output out;
    int rc = cli_open_output(sub, output, &out);
    if (rc != EXIT_OK)
        return rc;
    if (!png) {
        fwrite(svg, 1, len, out.f);
        return cli_close_output(&out, 1);
    }
    truce_status st = truce_svg_to_png(svg, len, (int)width_px, (int)height_px, out.f);
    if (!st)
        return cli_close_output(&out, 1);
    /* a failed write is reported, with its reason, by the close */
    if (cli_close_output(&out, 0) == EXIT_OK)
        cli_error(sub, "%s: writing the PNG: %s", output ? output : "<stdout>", truce_strerror(st));
    return st == TRUCE_E_IO ? EXIT_IO : EXIT_FAILURE_;
}
