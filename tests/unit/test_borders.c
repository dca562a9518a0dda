/* The borders reader: the bundled Natural Earth file, and every kind of bad
 * input reported as a diagnostic naming the feature and the key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "truce/borders.h"

#define BORDERS TRUCE_SOURCE_DIR "/data/idlib-2020/borders.geojson"

static void test_bundled(void **state)
{
    (void)state;
    truce_diags d;
    truce_diags_init(&d);
    truce_borders *b = NULL;
    assert_int_equal(truce_borders_load(BORDERS, &b, &d), TRUCE_OK);
    assert_int_equal(d.count, 0);
    assert_int_equal(b->ncountries, 3);
    assert_string_equal(b->countries[1].name, "Syria");
    assert_true(b->countries[1].npolygons >= 1);
    const truce_line *outer = &b->countries[1].polygons[0].rings[0];
    assert_true(outer->n > 100);
    assert_true(outer->lonlat[0] > 35 && outer->lonlat[0] < 43);
    truce_borders_free(b);
    truce_diags_release(&d);
}

/* Parse `json`; returns the status and leaves the diagnostics in *d. */
static truce_status parse(const char *json, truce_borders **b, truce_diags *d)
{
    truce_diags_init(d);
    return truce_borders_parse(json, strlen(json), "t.geojson", b, d);
}

static void test_shapes(void **state)
{
    (void)state;
    truce_diags d;
    truce_borders *b = NULL;
    /* A MultiPolygon with a hole, a name from NAME, a Point skipped with a
     * warning, a nameless feature named by its id. */
    const char *ok =
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"NAME\":\"A\"},\"geometry\":{\"type\":"
        "\"MultiPolygon\",\"coordinates\":[[[[0,0],[4,0],[4,4],[0,4],[0,0]],"
        "[[1,1],[1,2],[2,2],[1,1]]],[[[5,5],[6,5],[6,6],[5,5]]]]}},"
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[1,1]}},"
        "{\"type\":\"Feature\",\"id\":\"b\",\"properties\":null,\"geometry\":{\"type\":"
        "\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]}";
    assert_int_equal(parse(ok, &b, &d), TRUCE_OK);
    assert_int_equal(b->ncountries, 2);
    assert_string_equal(b->countries[0].name, "A");
    assert_int_equal(b->countries[0].npolygons, 2);
    assert_int_equal(b->countries[0].polygons[0].nrings, 2);
    assert_string_equal(b->countries[1].name, "b");
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].level, TRUCE_DIAG_WARNING);
    assert_string_equal(d.items[0].item, "features[1]");
    truce_borders_free(b);
    truce_diags_release(&d);
}

static void test_errors(void **state)
{
    (void)state;
    truce_diags d;
    truce_borders *b = (truce_borders *)1;
    assert_int_equal(parse("{\"type\":", &b, &d), TRUCE_E_PARSE);
    assert_null(b);
    assert_int_equal(d.errors, 1);
    truce_diags_release(&d);

    assert_int_equal(parse("{\"type\":\"Feature\"}", &b, &d), TRUCE_E_INVALID);
    assert_string_equal(d.items[0].key, "type");
    truce_diags_release(&d);

    /* An unclosed ring, a latitude out of range, coordinates not an array:
     * every one reported. */
    const char *bad =
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
        "[[[0,0],[1,0],[1,1],[0,1]]]}},"
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
        "[[[0,0],[1,0],[1,95],[0,0]]]}},"
        "{\"type\":\"Feature\",\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":7}}]}";
    assert_int_equal(parse(bad, &b, &d), TRUCE_E_INVALID);
    assert_null(b);
    assert_int_equal(d.errors, 3);
    assert_string_equal(d.items[0].item, "features[0]");
    assert_non_null(strstr(d.items[0].message, "not closed"));
    assert_string_equal(d.items[1].item, "features[1]");
    assert_non_null(strstr(d.items[1].message, "latitude"));
    assert_string_equal(d.items[2].item, "features[2]");
    truce_diags_release(&d);

    truce_diags_init(&d);
    assert_int_equal(truce_borders_load("/nonexistent/borders.geojson", &b, &d), TRUCE_E_IO);
    assert_int_equal(d.errors, 1);
    truce_diags_release(&d);
    assert_int_equal(truce_borders_parse(NULL, 0, NULL, &b, &d), TRUCE_E_ARG);
    truce_borders_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
