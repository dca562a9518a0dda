/* One event from a JSON document in memory (truce_event_read_json,
 * reader.h): the normalised object (over several lines too), a GeoJSON
 * Feature, the default id, and refusals naming the field in one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "truce/reader.h"

/* Read `json`; the status, with the field and reason in f and why. */
static truce_status read1(const char *json, const char *default_id, truce_event_doc **doc,
                          char f[96], char why[300])
{
    return truce_event_read_json(json, strlen(json), "posted", default_id, NULL, doc, f, 96, why,
                                 300);
}

static void test_object(void **state)
{
    (void)state;
    truce_event_doc *doc;
    char f[96], why[300];
    const char *json =
        "{\"id\": \"a1\",\n \"start\": \"2020-03-07\",\n \"lon\": 36.6, \"lat\": 35.8,\n"
        " \"notes\": \"two\\nlines\", \"fatalities\": 3}";
    assert_int_equal(read1(json, "dflt", &doc, f, why), TRUCE_OK);
    const truce_event *e = truce_event_doc_event(doc);
    assert_string_equal(e->id, "a1");
    assert_int_equal(e->format, TRUCE_FORMAT_JSONL);
    assert_string_equal(e->file, "posted");
    assert_int_equal(e->has_location, 1);
    assert_true(e->lon == 36.6);
    assert_int_equal(e->fatalities, 3);
    assert_string_equal(e->notes, "two\nlines");
    assert_int_equal(e->end_s - e->start_s, 86400);
    truce_event_doc_free(doc);
    /* No id: the default; none given either: rejected naming id. */
    assert_int_equal(read1("{\"start\": \"2020-03-07\", \"id\": null}", "dflt", &doc, f, why),
                     TRUCE_OK);
    assert_string_equal(truce_event_doc_event(doc)->id, "dflt");
    truce_event_doc_free(doc);
    assert_int_equal(read1("{\"start\": \"2020-03-07\"}", NULL, &doc, f, why), TRUCE_E_INVALID);
    assert_string_equal(f, "id");
    assert_null(doc);
}

static void test_feature(void **state)
{
    (void)state;
    truce_event_doc *doc;
    char f[96], why[300];
    const char *json =
        "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": "
        "[36.6, 35.8]}, \"properties\": {\"date\": \"2020-03-08\"}}";
    assert_int_equal(read1(json, "dflt", &doc, f, why), TRUCE_OK);
    const truce_event *e = truce_event_doc_event(doc);
    assert_string_equal(e->id, "dflt");
    assert_int_equal(e->format, TRUCE_FORMAT_GEOJSON);
    assert_true(e->lat == 35.8);
    truce_event_doc_free(doc);
    /* properties.id is the Feature's id: the default does not replace it. */
    const char *with_id = "{\"type\": \"Feature\", \"geometry\": null, \"properties\": "
                          "{\"id\": \"p1\", \"date\": \"2020-03-08\"}}";
    assert_int_equal(read1(with_id, "dflt", &doc, f, why), TRUCE_OK);
    assert_string_equal(truce_event_doc_event(doc)->id, "p1");
    assert_int_equal(truce_event_doc_event(doc)->has_location, 0);
    truce_event_doc_free(doc);
    const char *bad = "{\"type\": \"Feature\", \"geometry\": null, \"properties\": "
                      "{\"date\": \"2020-13-08\"}}";
    assert_int_equal(read1(bad, "dflt", &doc, f, why), TRUCE_E_INVALID);
    assert_string_equal(f, "properties.date");
}

static void test_refused(void **state)
{
    (void)state;
    truce_event_doc *doc;
    char f[96], why[300];
    assert_int_equal(read1("{\"id\": \"a\", \"start\": \"2020-03-07\", \"fatalities\": \"x\"}",
                           NULL, &doc, f, why),
                     TRUCE_E_INVALID);
    assert_string_equal(f, "fatalities");
    assert_int_equal(read1("{\"id\": \"a\", \"start\": \"2020-03-07\", \"notes\": \"a\\u0000\"}",
                           NULL, &doc, f, why),
                     TRUCE_E_INVALID);
    assert_string_equal(f, "notes");
    assert_int_equal(
        read1("{\"type\": \"FeatureCollection\", \"features\": []}", NULL, &doc, f, why),
        TRUCE_E_INVALID);
    assert_non_null(strstr(why, "FeatureCollection"));
    assert_int_equal(read1("[1]", NULL, &doc, f, why), TRUCE_E_INVALID);
    assert_string_equal(f, "");
    /* Not JSON: where, in one line, though jansson quotes a token with newlines. */
    assert_int_equal(read1("{\"id\": \"a\\u00\n\n\n\"}", NULL, &doc, f, why), TRUCE_E_PARSE);
    assert_non_null(strstr(why, "not JSON"));
    assert_non_null(strstr(why, "(line "));
    assert_null(strchr(why, '\n'));
    assert_int_equal(read1("{\"id\": \"a\", \"id\": \"b\"}", NULL, &doc, f, why), TRUCE_E_PARSE);
    assert_null(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_object),
        cmocka_unit_test(test_feature),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
