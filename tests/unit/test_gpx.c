/* The GPX reader and writer and the track measures: fixtures in
 * tests/data/gpx/ with exact counts and lines, caps, and lengths against
 * GeographicLib's Planimeter and GeodSolve (Debian geographiclib-tools). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/track.h"

#define GPX TRUCE_SOURCE_DIR "/tests/data/gpx/"

/* 2020-03-15T07:00:00Z */
#define T0 1584255600.0

static truce_status load(const char *path, const truce_gpx_options *opt, truce_gpx **g,
                         truce_diags *d)
{
    truce_diags_init(d);
    return truce_gpx_load(path, opt, g, d);
}

static truce_status parse(const char *text, const truce_gpx_options *opt, truce_gpx **g,
                          truce_diags *d)
{
    truce_diags_init(d);
    return truce_gpx_parse(text, strlen(text), "mem.gpx", opt, g, d);
}

/* Assert that diagnostic i is on `line`, at `level`, and mentions `text`. */
static void diag_is(const truce_diags *d, size_t i, long line, truce_diag_level level,
                    const char *text)
{
    assert_true(i < d->count);
    const truce_diag *x = &d->items[i];
    if (x->line != line || x->level != level || !strstr(x->message, text)) {
        truce_diag_print(x, stderr);
        fail_msg("diagnostic %zu: expected line %ld, level %d, \"%s\"", i, line, (int)level, text);
    }
}

static void gpx11_tracks_routes_waypoints(void **state)
{
    (void)state;
    truce_diags d;
    truce_gpx *g = NULL;
    assert_int_equal(load(GPX "v11_tracks.gpx", NULL, &g, &d), TRUCE_OK);
    assert_int_equal(d.count, 0);
    assert_string_equal(g->version, "1.1");
    assert_string_equal(g->creator, "truce tests & fixtures");
    assert_string_equal(g->path, GPX "v11_tracks.gpx");
    assert_int_equal(g->rejected, 0);

    assert_int_equal(g->nwaypoints, 2);
    assert_string_equal(g->waypoints[0].name, "Trumba");
    assert_true(g->waypoints[0].ele_m == 320);
    assert_true(isnan(g->waypoints[0].time_s));
    assert_int_equal(g->waypoints[0].flags, 0);
    assert_string_equal(g->waypoints[1].name, "Ain al-Hawr");
    assert_true(isnan(g->waypoints[1].ele_m));
    assert_int_equal(g->waypoints[1].line, 9);

    assert_int_equal(g->ntracks, 3);
    const truce_track *r = &g->tracks[0];
    assert_int_equal(r->kind, TRUCE_TRACK_RTE);
    assert_string_equal(r->name, "Planned");
    assert_int_equal(r->npoints, 2);
    assert_int_equal(r->nsegments, 1);
    assert_int_equal(r->points[1].flags, 0); /* a route point needs no time */

    const truce_track *t = &g->tracks[1];
    assert_int_equal(t->kind, TRUCE_TRACK_TRK);
    assert_string_equal(t->name, "Patrol <east>"); /* not the <name> inside <extensions> */
    assert_string_equal(t->desc, "two segments");
    assert_int_equal(t->line, 15);
    assert_int_equal(t->npoints, 5);
    assert_int_equal(t->nsegments, 2);
    assert_int_equal(t->segments[0].first, 0);
    assert_int_equal(t->segments[0].count, 3);
    assert_int_equal(t->segments[1].first, 3);
    assert_int_equal(t->segments[1].count, 2);
    assert_int_equal(t->points[0].line, 20);
    assert_true(t->points[0].lat == 35.85979 && t->points[0].lon == 36.76833);
    assert_true(t->points[0].ele_m == 321.5);
    assert_true(t->points[0].time_s == T0);
    assert_true(t->points[1].time_s == T0 + 60); /* 09:01:00+02:00 */
    assert_true(t->points[2].time_s == T0 + 120.5);
    assert_true(isnan(t->points[2].ele_m));
    for (size_t i = 0; i < t->npoints; i++)
        assert_int_equal(t->points[i].flags, 0);

    /* Planimeter -l -p 10 on each segment: 1662.7623092764 and 783.0045653404;
     * nothing is measured across the gap between them. */
    truce_track_summary s;
    assert_int_equal(truce_track_summarize(t, &s), TRUCE_OK);
    assert_true(fabs(s.length_m - (1662.7623092764 + 783.0045653404)) < 1e-6);
    assert_int_equal(s.ntimed, 5);
    assert_true(s.start_s == T0 && s.end_s == T0 + 31 * 60 && s.duration_s == 31 * 60);
    assert_string_equal(g->tracks[2].name, "Patrol west");
    truce_gpx_free(g);
    truce_diags_release(&d);
}

static void gpx10_and_no_namespace(void **state)
{
    (void)state;
    truce_diags d;
    truce_gpx *g = NULL;
    assert_int_equal(load(GPX "v10.gpx", NULL, &g, &d), TRUCE_OK);
    assert_int_equal(d.count, 0);
    assert_string_equal(g->version, "1.0");
    assert_int_equal(g->ntracks, 1);
    const truce_track *t = &g->tracks[0];
    assert_string_equal(t->name, "GPX 1.0 track");
    assert_int_equal(t->npoints, 3);
    assert_true(t->points[2].ele_m == 302.0);
    truce_track_summary s;
    assert_int_equal(truce_track_summarize(t, &s), TRUCE_OK);
    /* Planimeter -l -p 10: 3 16986.5043203493 */
    assert_true(fabs(s.length_m - 16986.5043203493) < 1e-6);
    assert_true(s.duration_s == 1200);
    /* GeodSolve -i -p 10: legs of 3356.7360892533 m in 300 s and 13629.7682310960 m in 900 s */
    double v[3];
    assert_int_equal(truce_track_speeds(t, v), TRUCE_OK);
    assert_true(isnan(v[0]));
    assert_true(fabs(v[1] - 3356.7360892533 / 300) < 1e-9);
    assert_true(fabs(v[2] - 13629.7682310960 / 900) < 1e-9);
    assert_true(fabs(s.max_speed_mps - v[2]) < 1e-12);
    truce_gpx_free(g);
    truce_diags_release(&d);

    assert_int_equal(load(GPX "no_namespace.gpx", NULL, &g, &d), TRUCE_OK);
    assert_int_equal(d.count, 0);
    assert_int_equal(g->tracks[0].npoints, 2);
    assert_null(g->tracks[0].name);
    truce_gpx_free(g);
    truce_diags_release(&d);
}

/* A file that must fail with one error diagnostic. */
static void fails(const char *path, truce_status want, long line, const char *text)
{
    truce_diags d;
    truce_gpx *g = (truce_gpx *)&d; /* must be reset to NULL */
    assert_int_equal(load(path, NULL, &g, &d), want);
    assert_null(g);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.errors, 1);
    diag_is(&d, 0, line, TRUCE_DIAG_ERROR, text);
    assert_string_equal(d.items[0].file, path);
    truce_diags_release(&d);
}

static void malformed_xml(void **state)
{
    (void)state;
    fails(GPX "truncated.gpx", TRUCE_E_PARSE, 7, "malformed XML: no element found");
    fails(GPX "mismatched.gpx", TRUCE_E_PARSE, 6, "malformed XML: mismatched tag");
    fails(GPX "bad_entity.gpx", TRUCE_E_PARSE, 4, "malformed XML: undefined entity");
    fails(GPX "doctype.gpx", TRUCE_E_INVALID, 2, "DOCTYPE declaration is not allowed");
    fails(GPX "not_gpx.kml", TRUCE_E_INVALID, 2, "root element is <kml>");
    fails(GPX "huge_lat.gpx", TRUCE_E_INVALID, 6, "longer than 65536 bytes");
    fails(GPX "does-not-exist.gpx", TRUCE_E_IO, 0, "cannot read");

    truce_diags d;
    truce_gpx *g = NULL;
    assert_int_equal(parse("", NULL, &g, &d), TRUCE_E_PARSE);
    assert_null(g);
    truce_diags_release(&d);
    assert_int_equal(truce_gpx_parse(NULL, 3, "x", NULL, &g, &d), TRUCE_E_ARG);
    assert_int_equal(truce_gpx_load(GPX "v10.gpx", NULL, NULL, &d), TRUCE_E_ARG);
}

static void huge_unused_attribute_is_skipped(void **state)
{
    (void)state;
    truce_diags d;
    truce_gpx *g = NULL;
    assert_int_equal(load(GPX "huge_unused_attr.gpx", NULL, &g, &d), TRUCE_OK);
    assert_int_equal(d.count, 0);
    assert_int_equal(g->tracks[0].npoints, 1);
    truce_gpx_free(g);
    truce_diags_release(&d);
}

static void missing_and_bad_times(void **state)
{
    (void)state;
    truce_diags d;
    truce_gpx *g = NULL;
    assert_int_equal(load(GPX "missing_time.gpx", NULL, &g, &d), TRUCE_OK);
    assert_int_equal(d.count, 4);
    assert_int_equal(d.errors, 0);
    diag_is(&d, 0, 7, TRUCE_DIAG_WARNING, "trkpt has no <time>");
    diag_is(&d, 1, 8, TRUCE_DIAG_WARNING, "trkpt has no <time>");
    diag_is(&d, 2, 9, TRUCE_DIAG_WARNING, "found \"15/03/2020 07:03\", expected an ISO 8601");
    diag_is(&d, 3, 10, TRUCE_DIAG_WARNING, "found \"three hundred\", expected metres");
    assert_string_equal(d.items[2].key, "time");
    assert_string_equal(d.items[2].item, "track \"gaps in time\"");
    const truce_track *t = &g->tracks[0];
    assert_int_equal(t->npoints, 5);
    assert_int_equal(t->points[0].flags, 0);
    assert_int_equal(t->points[1].flags, TRUCE_PT_NO_TIME);
    assert_int_equal(t->points[2].flags, TRUCE_PT_NO_TIME);
    assert_true(t->points[2].ele_m == 300);
    assert_int_equal(t->points[3].flags, TRUCE_PT_BAD_TIME);
    assert_true(isnan(t->points[3].time_s));
    assert_int_equal(t->points[4].flags, TRUCE_PT_BAD_ELE);
    truce_track_summary s;
    truce_track_summarize(t, &s);
    assert_int_equal(s.ntimed, 2);
    assert_int_equal(s.flagged[0], 2); /* no_time */
    assert_int_equal(s.flagged[1], 1); /* bad_time */
    assert_int_equal(s.flagged[4], 1); /* bad_ele */
    assert_string_equal(truce_point_flag_name(0), "no_time");
    assert_string_equal(truce_point_flag_name(3), "too_fast");
    /* The speed skips the untimed points: from the first point to the last in
     * 240 s; GeodSolve -i -p 10 on 35.80 36.50 35.80 36.54: 3615.6318807558 m. */
    double v[5];
    truce_track_speeds(t, v);
    assert_true(isnan(v[0]) && isnan(v[1]) && isnan(v[2]) && isnan(v[3]));
    assert_true(fabs(v[4] - 3615.6318807558 / 240) < 1e-9);
    truce_gpx_free(g);
    truce_diags_release(&d);
}

static void backwards_times(void **state)
{
    (void)state;
    truce_diags d;
    truce_gpx *g = NULL;
    assert_int_equal(load(GPX "backwards.gpx", NULL, &g, &d), TRUCE_OK);
    /* Only line 8: the second segment starting earlier is not "backwards". */
    assert_int_equal(d.count, 1);
    diag_is(&d, 0, 8, TRUCE_DIAG_WARNING,
            "2020-03-15T06:59:30Z is 90.000 s before the previous point's 2020-03-15T07:01:00Z "
            "(line 7)");
    const truce_track *t = &g->tracks[0];
    assert_int_equal(t->points[2].flags, TRUCE_PT_BACKWARDS);
    assert_int_equal(t->points[3].flags, 0);
    assert_int_equal(t->points[4].flags, 0);
    truce_track_summary s;
    truce_track_summarize(t, &s);
    assert_true(s.start_s == T0 - 3600 && s.end_s == T0 + 180);
    assert_int_equal(s.flagged[2], 1);
    truce_gpx_free(g);
    truce_diags_release(&d);
}

static void impossible_speed(void **state)
{
    (void)state;
    truce_diags d;
    truce_gpx *g = NULL;
    assert_int_equal(load(GPX "speed.gpx", NULL, &g, &d), TRUCE_OK);
    /* One displaced point flags itself and the point after it. */
    assert_int_equal(d.count, 2);
    diag_is(&d, 0, 8, TRUCE_DIAG_WARNING, "km/h from the previous point (line 7");
    diag_is(&d, 1, 9, TRUCE_DIAG_WARNING, "above the limit of 300.0 km/h");
    const truce_track *t = &g->tracks[0];
    assert_int_equal(t->points[1].flags, 0);
    assert_int_equal(t->points[2].flags, TRUCE_PT_TOO_FAST);
    assert_int_equal(t->points[3].flags, TRUCE_PT_TOO_FAST);
    assert_int_equal(t->points[4].flags, 0);
    truce_gpx_free(g);
    truce_diags_release(&d);

    /* 111 km in a minute is 6658 km/h: under a 7000 km/h limit, nothing. */
    truce_gpx_options opt;
    truce_gpx_options_init(&opt);
    opt.max_speed_mps = 7000 / 3.6;
    assert_int_equal(load(GPX "speed.gpx", &opt, &g, &d), TRUCE_OK);
    assert_int_equal(d.count, 0);
    truce_gpx_free(g);
    truce_diags_release(&d);
}

static void rejected_positions(void **state)
{
    (void)state;
    truce_diags d;
    truce_gpx *g = NULL;
    assert_int_equal(load(GPX "bad_position.gpx", NULL, &g, &d), TRUCE_OK);
    assert_int_equal(d.count, 7);
    assert_int_equal(d.errors, 7);
    diag_is(&d, 0, 3, TRUCE_DIAG_ERROR, "found \"95\", expected a latitude");
    assert_string_equal(d.items[0].item, "waypoint \"north of the pole\"");
    diag_is(&d, 1, 9, TRUCE_DIAG_ERROR, "found \"91.5\"");
    diag_is(&d, 2, 10, TRUCE_DIAG_ERROR, "trkpt has no lat");
    diag_is(&d, 3, 11, TRUCE_DIAG_ERROR, "found \"east\", expected a longitude");
    diag_is(&d, 4, 12, TRUCE_DIAG_ERROR, "found \"nan\"");
    diag_is(&d, 5, 12, TRUCE_DIAG_ERROR, "found \"0x10\"");
    diag_is(&d, 6, 16, TRUCE_DIAG_ERROR, "<trkpt> is not where GPX allows it");
    assert_int_equal(g->rejected, 6);
    assert_int_equal(g->nwaypoints, 1);
    assert_true(g->waypoints[0].lat == -90 && g->waypoints[0].lon == 180);
    const truce_track *t = &g->tracks[0];
    assert_int_equal(t->rejected, 4);
    assert_int_equal(t->npoints, 2);
    assert_true(t->points[1].lat == 35.80); /* " 35.80 ": XML whitespace is trimmed */
    truce_gpx_free(g);
    truce_diags_release(&d);
}

static const char *const four_points =
    "<gpx><trk><name>n</name><trkseg>\n"
    "<trkpt lat='1' lon='1'/>\n<trkpt lat='1' lon='1'/>\n<trkpt lat='1' lon='1'/>\n"
    "<trkpt lat='1' lon='1'/>\n</trkseg></trk></gpx>";

static void caps(void **state)
{
    (void)state;
    truce_gpx_options opt;
    truce_diags d;
    truce_gpx *g = NULL;

    truce_gpx_options_init(&opt);
    opt.max_points = 3;
    assert_int_equal(parse(four_points, &opt, &g, &d), TRUCE_E_INVALID);
    assert_null(g);
    diag_is(&d, d.count - 1, 5, TRUCE_DIAG_ERROR, "more than 3 points");
    truce_diags_release(&d);
    opt.max_points = 4;
    assert_int_equal(parse(four_points, &opt, &g, &d), TRUCE_OK);
    truce_gpx_free(g);
    truce_diags_release(&d);

    /* max_diags: four "no time" warnings, two listed and one count. */
    truce_gpx_options_init(&opt);
    opt.max_diags = 2;
    assert_int_equal(parse(four_points, &opt, &g, &d), TRUCE_OK);
    assert_int_equal(d.count, 3);
    diag_is(&d, 2, 0, TRUCE_DIAG_WARNING, "2 further problems not listed");
    assert_int_equal(g->tracks[0].npoints, 4); /* counts stay exact */
    truce_gpx_free(g);
    truce_diags_release(&d);

    truce_gpx_options_init(&opt);
    opt.max_text = 3;
    assert_int_equal(parse("<gpx><trk><name>abcd</name></trk></gpx>", &opt, &g, &d),
                     TRUCE_E_INVALID);
    diag_is(&d, 0, 1, TRUCE_DIAG_ERROR, "text longer than 3 bytes");
    truce_diags_release(&d);
    assert_int_equal(parse("<gpx><trk><name>abc</name><cmt>not kept, not capped</cmt></trk></gpx>",
                           &opt, &g, &d),
                     TRUCE_OK);
    assert_string_equal(g->tracks[0].name, "abc");
    truce_gpx_free(g);
    truce_diags_release(&d);

    truce_gpx_options_init(&opt);
    opt.max_depth = 4;
    assert_int_equal(
        parse("<gpx><trk><extensions><a>\n<b/></a></extensions></trk></gpx>", &opt, &g, &d),
        TRUCE_E_INVALID);
    diag_is(&d, 0, 2, TRUCE_DIAG_ERROR, "nested deeper than 4");
    truce_diags_release(&d);

    truce_gpx_options_init(&opt);
    opt.max_tracks = 2;
    assert_int_equal(parse("<gpx><trk/><rte/><trk/></gpx>", &opt, &g, &d), TRUCE_E_INVALID);
    diag_is(&d, 0, 1, TRUCE_DIAG_ERROR, "more than 2 tracks");
    truce_diags_release(&d);
}

/* One point with this <time> text; its time ((double)NAN when flagged). */
static double time_of(const char *text)
{
    char buf[256];
    snprintf(buf, sizeof buf,
             "<gpx><trk><trkseg><trkpt lat='1' lon='2'><time>%s</time></trkpt>"
             "</trkseg></trk></gpx>",
             text);
    truce_diags d;
    truce_gpx *g = NULL;
    assert_int_equal(parse(buf, NULL, &g, &d), TRUCE_OK);
    const truce_track_point *p = &g->tracks[0].points[0];
    double t = p->time_s;
    assert_true(isnan(t) == !!(p->flags & TRUCE_PT_BAD_TIME));
    truce_gpx_free(g);
    truce_diags_release(&d);
    return t;
}

static void time_forms(void **state)
{
    (void)state;
    assert_true(time_of("2020-03-15T07:00:00Z") == T0);
    assert_true(time_of(" 2020-03-15T07:00:00Z\n") == T0);
    assert_true(time_of("2020-03-15T07:00:00") == T0); /* GPX times are UTC */
    assert_true(time_of("2020-03-15T09:30:00+02:30") == T0);
    assert_true(time_of("2020-03-15T04:00:00-0300") == T0);
    assert_true(time_of("2020-03-15T07:00:00.250Z") == T0 + 0.25);
    assert_true(fabs(time_of("2020-03-15T07:00:00.123456789Z") - (T0 + 0.123456789)) < 1e-6);
    assert_true(time_of("2020-02-29T00:00:00Z") == 1582934400.0);
    assert_true(isnan(time_of("2019-02-29T00:00:00Z")));
    assert_true(isnan(time_of("2020-03-15T24:00:00Z")));
    assert_true(isnan(time_of("2020-03-15T07:00Z")));
    assert_true(isnan(time_of("2020-03-15 07:00:00Z")));
    assert_true(isnan(time_of("2020-03-15T07:00:00.Z")));
    assert_true(isnan(time_of("2020-03-15T07:00:00+19:00")));
    assert_true(isnan(time_of("")));
}

static void write_and_read_back(void **state)
{
    (void)state;
    truce_diags d;
    truce_gpx *g = NULL, *h = NULL;
    assert_int_equal(load(GPX "v11_tracks.gpx", NULL, &g, &d), TRUCE_OK);
    truce_diags_release(&d);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(truce_gpx_write(f, g), TRUCE_OK);
    fclose(f);
    assert_non_null(strstr(buf, "<name>Patrol &lt;east&gt;</name>"));
    assert_non_null(strstr(buf, "creator=\"truce tests &amp; fixtures\""));
    truce_diags_init(&d);
    assert_int_equal(truce_gpx_parse(buf, len, "written", NULL, &h, &d), TRUCE_OK);
    assert_int_equal(d.count, 0);
    assert_int_equal(h->ntracks, g->ntracks);
    assert_int_equal(h->nwaypoints, 2);
    assert_string_equal(h->waypoints[0].name, "Trumba");
    for (size_t i = 0; i < g->ntracks; i++) {
        const truce_track *a = &g->tracks[i], *b = &h->tracks[i];
        assert_int_equal(a->kind, b->kind);
        assert_string_equal(a->name, b->name);
        assert_int_equal(a->npoints, b->npoints);
        assert_int_equal(a->nsegments, b->nsegments);
        for (size_t k = 0; k < a->npoints; k++) {
            assert_true(fabs(a->points[k].lat - b->points[k].lat) < 1e-7);
            assert_true(fabs(a->points[k].lon - b->points[k].lon) < 1e-7);
            assert_true(isnan(a->points[k].time_s) == isnan(b->points[k].time_s));
            if (!isnan(a->points[k].time_s))
                assert_true(fabs(a->points[k].time_s - b->points[k].time_s) < 1e-3);
        }
    }
    assert_string_equal(h->tracks[1].desc, "two segments");
    free(buf);
    truce_gpx_free(h);
    truce_gpx_free(g);
    truce_diags_release(&d);
}

/* A track from (lat, lon, time) triples, one segment. */
static truce_track make_track(const double *v, size_t n)
{
    truce_track t;
    truce_track_init(&t);
    t.points = calloc(n, sizeof *t.points);
    t.segments = calloc(1, sizeof *t.segments);
    assert_non_null(t.points);
    assert_non_null(t.segments);
    for (size_t i = 0; i < n; i++)
        t.points[i] =
            (truce_track_point){.lat = v[3 * i], .lon = v[3 * i + 1], .time_s = v[3 * i + 2]};
    t.npoints = n;
    t.segments[0] = (truce_track_segment){0, n};
    t.nsegments = 1;
    return t;
}

static void stops(void **state)
{
    (void)state;
    /* Moving at ~11 m/s, then 5 minutes within a metre, then moving again,
     * then 1 minute still (too short), on the antimeridian. */
    const double v[] = {
        10, 179.999,  0,   10, 179.9999, 10,  10, 180.0,    20,  /* arrives at t = 20 */
        10, -180.0,   80,  10, 180.0,    140, 10, 180.0,    320, /* still until 320 */
        10, -179.999, 330, 10, -179.998, 340, 10, -179.998, 400, 10, -179.997, 410};
    truce_track t = make_track(v, sizeof v / sizeof v[0] / 3);
    truce_stops s;
    assert_int_equal(truce_track_stops(&t, 1.0, 120, &s), TRUCE_OK);
    assert_int_equal(s.count, 1);
    assert_true(s.items[0].start_s == 20 && s.items[0].end_s == 320);
    assert_int_equal(s.items[0].first, 2);
    assert_int_equal(s.items[0].count, 4);
    assert_true(fabs(fabs(s.items[0].lon) - 180) < 1e-9);
    assert_true(s.items[0].lat == 10);
    truce_stops_release(&s);
    assert_int_equal(truce_track_stops(&t, 1.0, 60, &s), TRUCE_OK);
    assert_int_equal(s.count, 2);
    assert_true(s.items[1].start_s == 340 && s.items[1].end_s == 400);
    truce_stops_release(&s);
    assert_int_equal(truce_track_stops(&t, 1.0, 0, &s), TRUCE_E_ARG);
    assert_int_equal(truce_track_stops(&t, -1, 10, &s), TRUCE_E_ARG);
    truce_track_release(&t);
    assert_null(t.points);
}

static void writer_skips_unwritable_times(void **state)
{
    (void)state;
    const double v[] = {10, 20, 1e300, 10, 20, (double)NAN, 10, 20, -7e10, 10, 20, 253402300799.5};
    truce_track t = make_track(v, 4);
    truce_gpx g = {.tracks = &t, .ntracks = 1};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(truce_gpx_write(f, &g), TRUCE_OK);
    fclose(f);
    /* only the last, half a second before the year 10000 */
    const char *first = strstr(buf, "<time>");
    assert_non_null(first);
    assert_null(strstr(first + 1, "<time>"));
    assert_non_null(strstr(buf, "<time>9999-12-31T23:59:59.500Z</time>"));
    free(buf);
    truce_track_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gpx11_tracks_routes_waypoints),
        cmocka_unit_test(gpx10_and_no_namespace),
        cmocka_unit_test(malformed_xml),
        cmocka_unit_test(huge_unused_attribute_is_skipped),
        cmocka_unit_test(missing_and_bad_times),
        cmocka_unit_test(backwards_times),
        cmocka_unit_test(impossible_speed),
        cmocka_unit_test(rejected_positions),
        cmocka_unit_test(caps),
        cmocka_unit_test(time_forms),
        cmocka_unit_test(write_and_read_back),
        cmocka_unit_test(stops),
        cmocka_unit_test(writer_skips_unwritable_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
