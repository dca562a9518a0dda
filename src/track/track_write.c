/* Writing GPX tracks' summaries as text or JSON: see track_write.h.  The
 * bytes are those `truce track` wrote when it formatted them itself. */
#include "truce/track_write.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "truce/time.h"
#include "base/alloc.h"
#include "base/util.h"

struct truce_track_writer {
    FILE *out;
    truce_track_format format;
    double stop_speed_mps, stop_min_s;
    json_t *files; /* JSON: the file objects */
};

/* An instant as 2020-03-15T07:00:00Z, with milliseconds when it has them. */
static void format_instant(double t, char buf[32])
{
    if (!truce_instant_s_in_range(t)) { /* NaN, or beyond years 1-9999 */
        snprintf(buf, 32, "-");
        return;
    }
    truce_time_format_utc_ms(t, 0, buf);
}

static const char *kind_name(const truce_track *t)
{
    return t->kind == TRUCE_TRACK_RTE ? "rte" : "trk";
}

static void print_track_text(FILE *out, const truce_track *t, const truce_track_summary *s,
                             const truce_stops *stops)
{
    char a[32], b[32];
    fprintf(out, "track %s (%s, line %ld)\n", t->name ? t->name : "(no name)", kind_name(t),
            t->line);
    fprintf(out, "  points     %zu in %zu segment%s, %zu with a time, %zu rejected\n", s->npoints,
            s->nsegments, s->nsegments == 1 ? "" : "s", s->ntimed, s->rejected);
    fputs("  flagged   ", out);
    int any = 0;
    for (unsigned k = 0; k < TRUCE_PT_NFLAGS; k++)
        if (s->flagged[k]) {
            fprintf(out, "%s %s %zu", any ? "," : "", truce_point_flag_name(k), s->flagged[k]);
            any = 1;
        }
    fputs(any ? "\n" : " none\n", out);
    fprintf(out, "  length     %.3f km\n", s->length_m / 1e3);
    format_instant(s->start_s, a);
    format_instant(s->end_s, b);
    fprintf(out, "  start      %s\n  end        %s\n", a, b);
    trc_format_hms(s->duration_s, a);
    fprintf(out, "  duration   %s\n", a);
    if (!isnan(s->max_speed_mps))
        fprintf(out, "  max speed  %.1f km/h\n", s->max_speed_mps * 3.6);
    fprintf(out, "  stops      %zu\n", stops->count);
    for (size_t i = 0; i < stops->count; i++) {
        const truce_stop *p = &stops->items[i];
        format_instant(p->start_s, a);
        format_instant(p->end_s, b);
        char d[32];
        trc_format_hms(p->end_s - p->start_s, d);
        fprintf(out, "    %s to %s (%s) at %.6f, %.6f\n", a, b, d, p->lat, p->lon);
    }
}

static json_t *track_json(const truce_track *t, const truce_track_summary *s,
                          const truce_stops *stops)
{
    char a[32], b[32];
    json_t *flagged = json_object();
    for (unsigned k = 0; k < TRUCE_PT_NFLAGS; k++)
        json_object_set_new(flagged, truce_point_flag_name(k),
                            json_integer((json_int_t)s->flagged[k]));
    json_t *st = json_array();
    for (size_t i = 0; i < stops->count; i++) {
        const truce_stop *p = &stops->items[i];
        format_instant(p->start_s, a);
        format_instant(p->end_s, b);
        json_array_append_new(st, json_pack("{s:s, s:s, s:f, s:f, s:f}", "start_utc", a, "end_utc",
                                            b, "duration_s", p->end_s - p->start_s, "lat", p->lat,
                                            "lon", p->lon));
    }
    format_instant(s->start_s, a);
    format_instant(s->end_s, b);
    json_t *o = json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:f}", "track",
                          t->name ? json_string(t->name) : json_null(), "kind", kind_name(t),
                          "line", (json_int_t)t->line, "points", (json_int_t)s->npoints, "segments",
                          (json_int_t)s->nsegments, "timed", (json_int_t)s->ntimed, "rejected",
                          (json_int_t)s->rejected, "flagged", flagged, "length_m", s->length_m);
    json_object_set_new(o, "start_utc", s->ntimed ? json_string(a) : json_null());
    json_object_set_new(o, "end_utc", s->ntimed ? json_string(b) : json_null());
    json_object_set_new(o, "duration_s", s->ntimed ? json_real(s->duration_s) : json_null());
    json_object_set_new(o, "max_speed_kmh",
                        isnan(s->max_speed_mps) ? json_null() : json_real(s->max_speed_mps * 3.6));
    json_object_set_new(o, "stops", st);
    return o;
}

truce_status truce_track_writer_new(FILE *out, truce_track_format format, double stop_speed_mps,
                                    double stop_min_s, truce_track_writer **w)
{
    if (w)
        *w = NULL;
    if (!out || !w || (unsigned)format > TRUCE_TRACK_JSON)
        return TRUCE_E_ARG;
    truce_track_writer *n = trc_calloc(1, sizeof *n);
    if (!n)
        return TRUCE_E_NOMEM;
    *n = (truce_track_writer){out, format, stop_speed_mps, stop_min_s, NULL};
    if (format == TRUCE_TRACK_JSON && !(n->files = json_array())) {
        trc_free(n);
        return TRUCE_E_NOMEM;
    }
    *w = n;
    return TRUCE_OK;
}

truce_status truce_track_write_file(truce_track_writer *w, const char *path, const truce_gpx *g)
{
    if (!w || !path || !g)
        return TRUCE_E_ARG;
    FILE *out = w->out;
    json_t *tracks = w->files ? json_array() : NULL;
    if (!w->files)
        fprintf(out, "file %s: GPX %s, %zu track%s, %zu waypoint%s, %zu rejected point%s\n", path,
                g->version ? g->version : "(no version)", g->ntracks, g->ntracks == 1 ? "" : "s",
                g->nwaypoints, g->nwaypoints == 1 ? "" : "s", g->rejected,
                g->rejected == 1 ? "" : "s");
    truce_status st = TRUCE_OK;
    for (size_t i = 0; i < g->ntracks; i++) {
        const truce_track *t = &g->tracks[i];
        truce_track_summary s;
        truce_stops stops;
        if (truce_track_summarize(t, &s) != TRUCE_OK ||
            truce_track_stops(t, w->stop_speed_mps, w->stop_min_s, &stops) != TRUCE_OK) {
            st = TRUCE_E_NOMEM;
            break;
        }
        if (w->files)
            json_array_append_new(tracks, track_json(t, &s, &stops));
        else
            print_track_text(out, t, &s, &stops);
        truce_stops_release(&stops);
    }
    if (w->files) {
        json_array_append_new(w->files,
                              json_pack("{s:s, s:o, s:I, s:I, s:o}", "file", path, "version",
                                        g->version ? json_string(g->version) : json_null(),
                                        "waypoints", (json_int_t)g->nwaypoints, "rejected",
                                        (json_int_t)g->rejected, "tracks", tracks));
        return st;
    }
    return st == TRUCE_OK && ferror(out) ? TRUCE_E_IO : st;
}

truce_status truce_track_writer_finish(truce_track_writer *w)
{
    if (!w)
        return TRUCE_OK;
    truce_status st = TRUCE_OK;
    FILE *out = w->out;
    if (w->files) {
        json_t *o = json_pack("{s:o}", "files", w->files);
        if (!o)
            st = TRUCE_E_NOMEM;
        else
            json_dumpf(o, out, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
        fputc('\n', out);
        json_decref(o);
    }
    trc_free(w);
    return st == TRUCE_OK && ferror(out) ? TRUCE_E_IO : st;
}
