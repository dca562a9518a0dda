/* The report's pictures: the map and the timeline, inline SVG (report.h). */
#include "report_internal.h"

truce_status report_figures_section(html_buf *b, const truce_report *r, const char *map_svg,
                                    const char *timeline_svg)
{
    html_puts(b, "<section id=\"map\"><h2>Map</h2>\n");
    if (map_svg) {
        html_puts(b, "<figure>\n");
        html_puts(b, map_svg);
        html_puts(b, "</figure>\n");
    } else {
        html_puts(b, "<p>(no map in this build)</p>\n");
    }
    html_puts(b, "</section>\n<section id=\"timeline\"><h2>Timeline</h2>\n<figure>\n");
    html_puts(b, timeline_svg);
    html_puts(b, "<figcaption>Events per local day (");
    html_text(b, r->a->timezone_name);
    html_puts(b, "), by the day each report starts in, stacked by verdict; fatalities per day on "
                 "the right-hand axis; the ceasefire (solid) and amendments (dashed) as vertical "
                 "marks.</figcaption>\n</figure>\n</section>\n");
    return b->error;
}
