/* A GPX track as a GeoJSON Feature: see truce/track_geojson.h. */
#include "truce/track_geojson.h"

#include <math.h>

#include "base/json_escape.h"
#include "truce/time.h"

static void segment(FILE *out, const truce_track *t, const truce_track_segment *sg)
{
    fputc('[', out);
    for (size_t k = 0; k < sg->count || k < 2; k++) {
        const truce_track_point *p = &t->points[sg->first + (k < sg->count ? k : 0)];
        fprintf(out, "%s[%.7f,%.7f]", k ? "," : "", p->lon, p->lat);
    }
    fputc(']', out);
}

/* The time of a point as a JSON string, or null. */
static void instant(FILE *out, const truce_track_point *p)
{
    char text[25];
    if (!p) {
        fputs("null", out);
        return;
    }
    truce_time_format_utc_ms(p->time_s, 1, text);
    fprintf(out, "\"%s\"", text);
}

truce_status truce_track_feature_write(FILE *out, const truce_track *t, const char *id,
                                       const char *file, const truce_feature_query *q, int *written,
                                       truce_feature_extent *extent)
{
    if (!out || !t || !id || !written)
        return TRUCE_E_ARG;
    *written = 0;
    truce_box box;
    truce_box_init(&box);
    const truce_track_point *first = NULL, *last = NULL;
    for (size_t i = 0; i < t->npoints; i++) {
        const truce_track_point *p = &t->points[i];
        double lonlat[2] = {p->lon, p->lat};
        truce_box_add(&box, lonlat, 1);
        if (isfinite(p->time_s)) {
            if (!first || p->time_s < first->time_s)
                first = p;
            if (!last || p->time_s > last->time_s)
                last = p;
        }
    }
    /* [first, last]: the second after the last point's is out of it. */
    int64_t from_s = first ? (int64_t)floor(first->time_s) : TRUCE_TIME_MIN;
    int64_t until_s = last ? (int64_t)floor(last->time_s) + 1 : TRUCE_TIME_MAX;
    if (extent) {
        extent->box = box;
        extent->from_s = from_s;
        extent->until_s = until_s;
    }
    if (!truce_feature_query_meets(q, &box, from_s, until_s))
        return TRUCE_OK;
    fputs("{\"type\":\"Feature\",\"id\":", out);
    trc_json_escape_fputs(out, id);
    fputs(",\"properties\":{\"name\":", out);
    trc_json_escape_fputs(out, t->name);
    fputs(",\"file\":", out);
    trc_json_escape_fputs(out, file);
    fprintf(out, ",\"kind\":\"%s\",\"points\":%zu,\"start\":",
            t->kind == TRUCE_TRACK_RTE ? "rte" : "trk", t->npoints);
    instant(out, first);
    fputs(",\"end\":", out);
    instant(out, last);
    fputs("},\"geometry\":", out);
    size_t nseg = 0;
    for (size_t s = 0; s < t->nsegments; s++)
        nseg += t->segments[s].count > 0;
    if (!nseg) {
        fputs("null", out);
    } else {
        fputs(nseg == 1 ? "{\"type\":\"LineString\",\"coordinates\":"
                        : "{\"type\":\"MultiLineString\",\"coordinates\":[",
              out);
        size_t written_segments = 0;
        for (size_t s = 0; s < t->nsegments; s++) {
            if (!t->segments[s].count)
                continue;
            if (written_segments++)
                fputc(',', out);
            segment(out, t, &t->segments[s]);
        }
        fputs(nseg == 1 ? "}" : "]}", out);
    }
    fputc('}', out);
    *written = 1;
    return ferror(out) ? TRUCE_E_IO : TRUCE_OK;
}
