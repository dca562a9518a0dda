/* Features picked by place and time (truce/feature_query.h), and the
 * writers of the OGC collections' Features: the agreement's layers
 * (truce/agreement_features.h) and GPX tracks (truce/track_geojson.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idlib_fixture.h"
#include "truce/agreement_features.h"
#include "truce/corridor_geojson.h"
#include "truce/feature_query.h"
#include "truce/time.h"
#include "truce/track_geojson.h"

static void test_query(void **state)
{
    (void)state;
    truce_box b;
    truce_box_init(&b);
    assert_true(truce_box_empty(&b));
    const double pts[] = {36.5, 35.8, 36.7, 35.6};
    truce_box_add(&b, pts, 2);
    assert_false(truce_box_empty(&b));
    assert_true(b.min_lon == 36.5 && b.max_lon == 36.7 && b.min_lat == 35.6 && b.max_lat == 35.8);
    truce_feature_query q;
    truce_feature_query_init(&q);
    assert_true(truce_feature_query_meets(&q, &b, 0, 10));
    assert_true(truce_feature_query_meets(&q, NULL, 0, 10)); /* no box asked: any */
    assert_true(truce_feature_query_meets(NULL, NULL, 0, 10));
    q.has_box = 1;
    q.box = (truce_box){36.7, 35.0, 37.0, 35.6}; /* touches a corner */
    assert_true(truce_feature_query_meets(&q, &b, 0, 10));
    assert_false(truce_feature_query_meets(&q, NULL, 0, 10)); /* no geometry */
    q.box = (truce_box){36.71, 35.0, 37.0, 36.0};
    assert_false(truce_feature_query_meets(&q, &b, 0, 10));
    q.box = (truce_box){170, 35.0, 36.6, 36.0}; /* across the antimeridian */
    assert_true(truce_feature_query_meets(&q, &b, 0, 10));
    q.box = (truce_box){170, 35.0, 36.4, 36.0};
    assert_false(truce_feature_query_meets(&q, &b, 0, 10));
    q.has_box = 0;
    q.from_s = 10;
    q.to_s = 20;
    assert_false(truce_feature_query_meets(&q, &b, 0, 10)); /* half-open */
    assert_true(truce_feature_query_meets(&q, &b, 0, 11));
    assert_true(truce_feature_query_meets(&q, &b, 19, TRUCE_TIME_MAX));
    assert_false(truce_feature_query_meets(&q, &b, 20, TRUCE_TIME_MAX));
    truce_feature_extent all, one;
    truce_feature_extent_init(&all);
    one.box = b;
    one.from_s = 5;
    one.until_s = 7;
    truce_feature_extent_join(&all, &one);
    one.box = (truce_box){30, 30, 31, 31};
    one.from_s = 3;
    one.until_s = 4;
    truce_feature_extent_join(&all, &one);
    assert_true(all.box.min_lon == 30 && all.box.max_lon == 36.7 && all.box.max_lat == 35.8);
    assert_int_equal(all.from_s, 3);
    assert_int_equal(all.until_s, 7);
}

static truce_agreement *a;

static int load(void **state)
{
    (void)state;
    a = idlib_agreement();
    return a ? 0 : -1;
}

static int unload(void **state)
{
    (void)state;
    truce_agreement_free(a);
    return 0;
}

/* What a writer wrote, parsed. */
static json_t *written(const char *text, size_t len)
{
    json_error_t e;
    json_t *doc = json_loadb(text, len, 0, &e);
    if (!doc)
        fail_msg("not JSON (%s): %.*s", e.text, (int)(len < 300 ? len : 300), text);
    return doc;
}

static json_t *layer_feature(truce_agreement_layer layer, size_t i, const truce_feature_query *q,
                             truce_feature_extent *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    int w = -1;
    assert_int_equal(truce_agreement_feature_write(mem, a, layer, i, q, 0.1, &w, e), TRUCE_OK);
    fclose(mem);
    json_t *doc = w ? written(buf, len) : NULL;
    assert_true(w ? len > 0 : len == 0);
    free(buf);
    return doc;
}

static void test_agreement_layers(void **state)
{
    (void)state;
    assert_int_equal(truce_agreement_layer_size(a, TRUCE_LAYER_ZONES), a->nzones);
    assert_int_equal(truce_agreement_layer_size(a, TRUCE_LAYER_CORRIDORS), a->ncorridors);
    assert_int_equal(truce_agreement_layer_size(a, TRUCE_LAYER_PATROL_ROUTES), a->nroutes);
    assert_string_equal(truce_agreement_layer_id(a, TRUCE_LAYER_PATROL_ROUTES, 0), "m4-patrol");
    assert_null(truce_agreement_layer_id(a, TRUCE_LAYER_ZONES, a->nzones));
    truce_feature_extent e;

    json_t *z = layer_feature(TRUCE_LAYER_ZONES, 0, NULL, &e);
    assert_string_equal(json_string_value(json_object_get(z, "id")), a->zones[0].id);
    const char *type = json_string_value(json_object_get(json_object_get(z, "geometry"), "type"));
    assert_true(!strcmp(type, "Polygon") || !strcmp(type, "MultiPolygon"));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(z, "properties"), "zone")),
        a->zones[0].id);
    json_decref(z);
    assert_int_equal(e.from_s, a->zones[0].valid.from_s);

    /* The corridor is the Feature truce corridor writes. */
    json_t *c = layer_feature(TRUCE_LAYER_CORRIDORS, 0, NULL, &e);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_int_equal(truce_corridors_write_geojson(mem, a, 0.1, NULL), TRUCE_OK);
    fclose(mem);
    json_t *all = written(buf, len);
    free(buf);
    assert_true(json_equal(c, json_array_get(json_object_get(all, "features"), 0)));
    json_decref(all);
    json_decref(c);
    assert_false(truce_box_empty(&e.box));
    assert_true(e.box.min_lon < 36.6 && e.box.max_lon > 36.6);

    /* A route; picked by place and by its validity. */
    json_t *r = layer_feature(TRUCE_LAYER_PATROL_ROUTES, 0, NULL, &e);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "geometry"), "type")),
                        "LineString");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(r, "properties"), "route")), "m4-patrol");
    json_decref(r);
    truce_feature_query q;
    truce_feature_query_init(&q);
    q.has_box = 1;
    q.box = (truce_box){0, 0, 1, 1};
    assert_null(layer_feature(TRUCE_LAYER_PATROL_ROUTES, 0, &q, &e));
    assert_null(layer_feature(TRUCE_LAYER_CORRIDORS, 0, &q, &e));
    q.box = e.box;
    truce_feature_query_init(&q);
    q.to_s = a->routes[0].valid.from_s; /* before patrols start */
    assert_null(layer_feature(TRUCE_LAYER_PATROL_ROUTES, 0, &q, &e));
    q.to_s = a->routes[0].valid.from_s + 1;
    r = layer_feature(TRUCE_LAYER_PATROL_ROUTES, 0, &q, &e);
    assert_non_null(r);
    json_decref(r);
    int w;
    mem = open_memstream(&buf, &len);
    assert_int_equal(
        truce_agreement_feature_write(mem, a, TRUCE_LAYER_ZONES, a->nzones, NULL, 0.1, &w, NULL),
        TRUCE_E_ARG);
    fclose(mem);
    free(buf);
}

static const char gpx_text[] =
    "<?xml version=\"1.0\"?>\n"
    "<gpx version=\"1.1\" creator=\"t\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
    "<trk><name>two \"segments\"</name>\n"
    "<trkseg><trkpt lat=\"35.8\" lon=\"36.6\"><time>2020-03-15T07:00:00Z</time></trkpt>\n"
    "<trkpt lat=\"35.81\" lon=\"36.62\"><time>2020-03-15T07:02:00Z</time></trkpt></trkseg>\n"
    "<trkseg><trkpt lat=\"35.82\" lon=\"36.64\"><time>2020-03-15T07:10:00Z</time></trkpt>"
    "</trkseg></trk>\n"
    "<trk><trkseg><trkpt lat=\"35.9\" lon=\"36.7\"/><trkpt lat=\"35.91\" lon=\"36.71\"/>"
    "</trkseg></trk>\n"
    "<trk><name>empty</name></trk>\n"
    "</gpx>\n";

static json_t *track_feature(const truce_track *t, const truce_feature_query *q,
                             truce_feature_extent *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    int w = -1;
    assert_int_equal(truce_track_feature_write(mem, t, "1-1", "day1.gpx", q, &w, e), TRUCE_OK);
    fclose(mem);
    json_t *doc = w ? written(buf, len) : NULL;
    free(buf);
    return doc;
}

static void test_tracks(void **state)
{
    (void)state;
    truce_diags d;
    truce_diags_init(&d);
    truce_gpx *g = NULL;
    assert_int_equal(truce_gpx_parse(gpx_text, sizeof gpx_text - 1, "t.gpx", NULL, &g, &d),
                     TRUCE_OK);
    truce_diags_release(&d);
    assert_int_equal(g->ntracks, 3);
    truce_feature_extent e;
    json_t *f = track_feature(&g->tracks[0], NULL, &e);
    json_t *geom = json_object_get(f, "geometry");
    assert_string_equal(json_string_value(json_object_get(geom, "type")), "MultiLineString");
    /* A segment of one point is a line of it twice. */
    json_t *second = json_array_get(json_object_get(geom, "coordinates"), 1);
    assert_int_equal(json_array_size(second), 2);
    json_t *props = json_object_get(f, "properties");
    assert_string_equal(json_string_value(json_object_get(props, "name")), "two \"segments\"");
    assert_string_equal(json_string_value(json_object_get(props, "file")), "day1.gpx");
    assert_string_equal(json_string_value(json_object_get(props, "start")),
                        "2020-03-15T07:00:00.000Z");
    assert_string_equal(json_string_value(json_object_get(props, "end")),
                        "2020-03-15T07:10:00.000Z");
    assert_int_equal(json_integer_value(json_object_get(props, "points")), 3);
    json_decref(f);
    assert_int_equal(e.from_s, 1584255600);
    assert_int_equal(e.until_s, 1584255600 + 600 + 1);
    assert_true(e.box.min_lon == 36.6 && e.box.max_lat == 35.82);

    f = track_feature(&g->tracks[1], NULL, &e); /* no times: all of time */
    assert_string_equal(json_string_value(json_object_get(json_object_get(f, "geometry"), "type")),
                        "LineString");
    assert_true(json_is_null(json_object_get(json_object_get(f, "properties"), "start")));
    json_decref(f);
    assert_true(e.from_s == TRUCE_TIME_MIN && e.until_s == TRUCE_TIME_MAX);
    f = track_feature(&g->tracks[2], NULL, &e);
    assert_true(json_is_null(json_object_get(f, "geometry")));
    json_decref(f);

    truce_feature_query q;
    truce_feature_query_init(&q);
    q.from_s = 1584255600 + 601; /* after the last point */
    assert_null(track_feature(&g->tracks[0], &q, &e));
    q.from_s = 1584255600 + 600;
    f = track_feature(&g->tracks[0], &q, &e);
    assert_non_null(f);
    json_decref(f);
    q.has_box = 1;
    q.box = (truce_box){36.0, 35.0, 36.5, 36.0};
    assert_null(track_feature(&g->tracks[0], &q, &e));
    assert_null(track_feature(&g->tracks[2], &q, &e)); /* no points: no place */
    truce_gpx_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query),
        cmocka_unit_test_setup_teardown(test_agreement_layers, load, unload),
        cmocka_unit_test(test_tracks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
