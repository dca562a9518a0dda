/* The GPX writer: a truce_gpx as GPX 1.1 (truce/track.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "truce/time.h"
#include "truce/track.h"
#include "base/xml_escape.h"

static void write_sink(void *out, const char *s, size_t n)
{
    fwrite(s, 1, n, out);
}

/* Text and attribute values, through the one XML escaper (xml_escape.h). */
static void put_escaped(FILE *out, const char *s)
{
    trc_xml_escape(s, strlen(s), write_sink, out);
}

static void put_element(FILE *out, const char *indent, const char *name, const char *text)
{
    if (!text)
        return;
    fprintf(out, "%s<%s>", indent, name);
    put_escaped(out, text);
    fprintf(out, "</%s>\n", name);
}

/* <time> in UTC with milliseconds: 2020-03-15T07:00:00.250Z. */
static void put_time(FILE *out, double t)
{
    char utc[25];
    truce_time_format_utc_ms(t, 1, utc);
    fprintf(out, "<time>%s</time>", utc);
}

static void put_point(FILE *out, const char *indent, const char *tag, double lat, double lon,
                      double ele_m, double time_s, const char *name)
{
    fprintf(out, "%s<%s lat=\"%.7f\" lon=\"%.7f\">", indent, tag, lat, lon);
    if (!isnan(ele_m))
        fprintf(out, "<ele>%.2f</ele>", ele_m);
    /* A time outside the years 1 to 9999 cannot be written as xsd:dateTime
     * in four digits; such a point is written without one. */
    if (truce_instant_s_in_range(time_s))
        put_time(out, time_s);
    if (name) {
        fputs("<name>", out);
        put_escaped(out, name);
        fputs("</name>", out);
    }
    fprintf(out, "</%s>\n", tag);
}

truce_status truce_gpx_write(FILE *out, const truce_gpx *gpx)
{
    if (!out || !gpx)
        return TRUCE_E_ARG;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<gpx version=\"1.1\" creator=\"",
          out);
    put_escaped(out, gpx->creator ? gpx->creator : "truce");
    fputs("\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n", out);
    for (size_t i = 0; i < gpx->nwaypoints; i++) {
        const truce_waypoint *w = &gpx->waypoints[i];
        put_point(out, "  ", "wpt", w->lat, w->lon, w->ele_m, w->time_s, w->name);
    }
    for (size_t i = 0; i < gpx->ntracks; i++) {
        const truce_track *t = &gpx->tracks[i];
        int rte = t->kind == TRUCE_TRACK_RTE;
        fputs(rte ? "  <rte>\n" : "  <trk>\n", out);
        put_element(out, "    ", "name", t->name);
        put_element(out, "    ", "desc", t->desc);
        for (size_t s = 0; s < t->nsegments; s++) {
            const truce_track_segment *seg = &t->segments[s];
            if (!rte)
                fputs("    <trkseg>\n", out);
            for (size_t k = seg->first; k < seg->first + seg->count; k++) {
                const truce_track_point *p = &t->points[k];
                put_point(out, "      ", rte ? "rtept" : "trkpt", p->lat, p->lon, p->ele_m,
                          p->time_s, NULL);
            }
            if (!rte)
                fputs("    </trkseg>\n", out);
        }
        fputs(rte ? "  </rte>\n" : "  </trk>\n", out);
    }
    fputs("</gpx>\n", out);
    return ferror(out) ? TRUCE_E_IO : TRUCE_OK;
}
