/* Road files (GeoJSON) and point lines ("lon,lat"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "truce/road.h"

static truce_status parse(const char *text, truce_road *road, size_t *nerr)
{
    truce_diags d;
    truce_diags_init(&d);
    truce_status st = truce_road_parse(text, strlen(text), "road.geojson", road, &d);
    *nerr = d.errors;
    truce_diags_release(&d);
    return st;
}

static void forms(void **state)
{
    (void)state;
    truce_road r;
    size_t nerr;
    assert_int_equal(
        parse("{\"type\":\"LineString\",\"coordinates\":[[36,35.8],[36.1,35.9,12]]}", &r, &nerr),
        TRUCE_OK);
    assert_int_equal(r.nparts, 1);
    assert_int_equal(r.parts[0].n, 2);
    assert_true(r.parts[0].lonlat[2] == 36.1 && r.parts[0].lonlat[3] == 35.9);
    truce_road_release(&r);
    assert_int_equal(parse("{\"type\":\"Feature\",\"properties\":{\"name\":\"M4\"},\"geometry\":"
                           "{\"type\":\"MultiLineString\",\"coordinates\":[[[36,35.8],[36.1,35.9]"
                           "],[[37,35],[37.1,35],[37.2,35.1]]]}}",
                           &r, &nerr),
                     TRUCE_OK);
    assert_int_equal(r.nparts, 2);
    assert_int_equal(r.parts[1].n, 3);
    assert_true(r.parts[1].lonlat[4] == 37.2);
    assert_string_equal(r.name, "M4");
    truce_road_release(&r);
    assert_int_equal(parse("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                           "\"properties\":null,\"geometry\":{\"type\":\"LineString\","
                           "\"coordinates\":[[1,2],[3,4]]}}]}",
                           &r, &nerr),
                     TRUCE_OK);
    assert_int_equal(r.parts[0].n, 2);
    truce_road_release(&r);
}

static void errors(void **state)
{
    (void)state;
    truce_road r;
    size_t nerr;
    assert_int_equal(parse("{\"type\":", &r, &nerr), TRUCE_E_PARSE);
    assert_int_equal(r.nparts, 0);
    assert_int_equal(parse("{\"type\":\"Point\",\"coordinates\":[1,2]}", &r, &nerr),
                     TRUCE_E_INVALID);
    assert_int_equal(parse("{\"type\":\"LineString\",\"coordinates\":[[1,2]]}", &r, &nerr),
                     TRUCE_E_INVALID); /* one vertex */
    assert_int_equal(
        parse("{\"type\":\"LineString\",\"coordinates\":[[1,2],[200,2],[1,\"x\"]]}", &r, &nerr),
        TRUCE_E_INVALID);
    assert_int_equal(nerr, 2); /* both bad positions reported */
    assert_int_equal(parse("{\"type\":\"FeatureCollection\",\"features\":[]}", &r, &nerr),
                     TRUCE_E_INVALID);
    assert_int_equal(parse("[1,2]", &r, &nerr), TRUCE_E_INVALID);
    truce_diags d;
    truce_diags_init(&d);
    assert_int_equal(truce_road_load("/nonexistent/road.geojson", &r, &d), TRUCE_E_IO);
    truce_diags_release(&d);
}

/* A road's positions are read as an agreement's are: the same words, the
 * key of the part, and further elements of a position ignored. */
static void messages_as_agreements(void **state)
{
    (void)state;
    truce_road r;
    truce_diags d;
    truce_diags_init(&d);
    const char *text = "{\"type\":\"MultiLineString\",\"coordinates\":"
                       "[[[1,2],[3,4]],[[1,2],[3,95]],[[1,2],[\"x\",4]]]}";
    assert_int_equal(truce_road_parse(text, strlen(text), "road.geojson", &r, &d), TRUCE_E_INVALID);
    assert_int_equal(d.errors, 2);
    assert_null(d.items[0].item);
    assert_string_equal(d.items[0].key, "geometry.coordinates[1]");
    assert_string_equal(d.items[0].message,
                        "position 1: latitude 95 out of range, expected [-90, 90]");
    assert_string_equal(d.items[1].key, "geometry.coordinates[2]");
    assert_string_equal(d.items[1].message,
                        "position 1: found an array of 2, expected [longitude, latitude]");
    truce_diags_release(&d);
    text = "{\"type\":\"LineString\",\"coordinates\":[[1,2],[3,4,5,6]]}";
    size_t nerr;
    assert_int_equal(parse(text, &r, &nerr), TRUCE_OK);
    assert_true(r.nparts == 1 && r.parts[0].n == 2 && r.parts[0].lonlat[3] == 4);
    truce_road_release(&r);
}

static void lonlat_lines(void **state)
{
    (void)state;
    double lon, lat;
    assert_int_equal(truce_lonlat_parse("36.6,35.8", &lon, &lat), TRUCE_OK);
    assert_true(lon == 36.6 && lat == 35.8);
    assert_int_equal(truce_lonlat_parse(" -179.5 ,\t-16e0 \r\n", &lon, &lat), TRUCE_OK);
    assert_true(lon == -179.5 && lat == -16);
    assert_int_equal(truce_lonlat_parse("36.6;35.8", &lon, &lat), TRUCE_E_PARSE);
    assert_int_equal(truce_lonlat_parse("36.6,35.8,1", &lon, &lat), TRUCE_E_PARSE);
    assert_int_equal(truce_lonlat_parse("nan,35.8", &lon, &lat), TRUCE_E_PARSE);
    assert_int_equal(truce_lonlat_parse("inf,35.8", &lon, &lat), TRUCE_E_PARSE);
    assert_int_equal(truce_lonlat_parse("0x10,35.8", &lon, &lat), TRUCE_E_PARSE);
    assert_int_equal(truce_lonlat_parse("1e999,35.8", &lon, &lat), TRUCE_E_PARSE);
    assert_int_equal(truce_lonlat_parse(",", &lon, &lat), TRUCE_E_PARSE);
    assert_int_equal(truce_lonlat_parse("", &lon, &lat), TRUCE_E_PARSE);
    assert_int_equal(truce_lonlat_parse("36,91", &lon, &lat), TRUCE_E_RANGE);
    assert_int_equal(truce_lonlat_parse("541,0", &lon, &lat), TRUCE_E_RANGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(forms),
        cmocka_unit_test(errors),
        cmocka_unit_test(messages_as_agreements),
        cmocka_unit_test(lonlat_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
