/* Writing judged patrols: a generated detour on the bundled m4-patrol route
 * in each format (as `truce patrol` wrote it before the writer moved into
 * the library), a track name that needs escaping, and the errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/patrol_write.h"

#include "idlib_fixture.h"

#define MARCH_15_0700Z 1584255600.0 /* 2020-03-15T07:00:00Z, 09:00 in Damascus */

static truce_agreement *a;
static const truce_patrol_route *route;
static truce_patrol_checker *checker;

static int setup(void **state)
{
    (void)state;
    return idlib_checker_new(&a, &route, &checker);
}

static int teardown(void **state)
{
    (void)state;
    return 0;
}

/* Judge a 2 km detour from km 32 to 42 named `name` and write it, with the
 * summary, in `format`; the text (malloc'd; the caller frees it). */
static char *written(truce_patrol_format format, const char *name)
{
    truce_gen_options o;
    truce_gen_options_init(&o);
    o.start_s = MARCH_15_0700Z;
    o.spacing_m = 100;
    o.detour_from_m = 32000;
    o.detour_to_m = 42000;
    o.detour_offset_m = 2000;
    truce_track t;
    truce_track_init(&t);
    truce_gen_truth truth;
    assert_int_equal(truce_track_generate(route->route.lonlat, route->route.n, &o, &t, &truth),
                     TRUCE_OK);
    free(t.name); /* the generator's name */
    t.name = strdup(name);
    truce_patrol_result r;
    assert_int_equal(truce_patrol_check(checker, &t, &r), TRUCE_OK);

    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    truce_patrol_writer *w = NULL;
    assert_int_equal(truce_patrol_writer_new(out, format, a, route, 500, &w), TRUCE_OK);
    truce_patrol_judged j = {"d.gpx", &t, &r, 1};
    assert_int_equal(truce_patrol_write_track(w, &j), TRUCE_OK);
    truce_patrol_summary_options so;
    truce_patrol_summary_options_init(&so);
    truce_patrol_summary s;
    assert_int_equal(truce_patrol_summarize(route, a->tz, &r, 1, &so, &s), TRUCE_OK);
    assert_int_equal(truce_patrol_write_summary(w, &s, so.bin_m), TRUCE_OK);
    truce_patrol_summary_release(&s);
    assert_int_equal(truce_patrol_writer_finish(w), TRUCE_OK);
    assert_int_equal(fclose(out), 0);
    truce_patrol_result_release(&r);
    truce_track_release(&t);
    return text;
}

static void table(void **state)
{
    (void)state;
    char *text = written(TRUCE_PATROL_TABLE, "Detour");
    assert_non_null(strstr(text, "route m4-patrol: 58.429 km, patrols from 2020-03-15"));
    assert_non_null(strstr(text, "track Detour (d.gpx, line "));
    assert_non_null(strstr(text, "    km 32.000 to 42.000 (10.000 km)\n"));
    assert_non_null(
        strstr(text, "  start        2020-03-15T07:00:00Z (2020-03-15T09:00:00+02:00)\n"));
    assert_non_null(strstr(text, "\nsummary\n  period       2020-03-15 to 2020-03-15, 1 day\n"));
    free(text);
}

static void json(void **state)
{
    (void)state;
    char *text = written(TRUCE_PATROL_JSON, "a \"quoted\"\tname");
    assert_non_null(strstr(text, "{\n  \"route\": \"m4-patrol\",\n"));
    assert_non_null(strstr(text, "\"track\": \"a \\\"quoted\\\"\\tname\""));
    assert_non_null(strstr(text, "\"gaps\": [\n        [\n          32000.0,\n"));
    assert_non_null(strstr(text, "\"start_utc\": \"2020-03-15T07:00:00Z\""));
    assert_non_null(strstr(text, "\"summary\": {\n    \"from\": \"2020-03-15\""));
    assert_string_equal(text + strlen(text) - 3, "}\n}\n" + 1);
    free(text);
}

static void geojson(void **state)
{
    (void)state;
    char *text = written(TRUCE_PATROL_GEOJSON, "a \"quoted\"\tname");
    assert_memory_equal(
        text, "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\"", 58);
    assert_non_null(strstr(text, "\"track\":\"a \\\"quoted\\\"\\tname\""));
    assert_non_null(strstr(text, "\"kind\":\"gap\",\"from_m\":32000"));
    assert_non_null(strstr(text, "\"kind\":\"off_route\""));
    assert_null(strstr(text, "summary"));
    assert_string_equal(text + strlen(text) - 4, "\n]}\n");
    free(text);
}

static void errors(void **state)
{
    (void)state;
    truce_patrol_writer *w = (truce_patrol_writer *)1;
    assert_int_equal(truce_patrol_writer_new(NULL, TRUCE_PATROL_TABLE, a, route, 500, &w),
                     TRUCE_E_ARG);
    assert_null(w);
    assert_int_equal(truce_patrol_writer_new(stdout, (truce_patrol_format)3, a, route, 500, &w),
                     TRUCE_E_ARG);
    FILE *sink = fopen("/dev/null", "w");
    assert_non_null(sink);
    assert_int_equal(truce_patrol_writer_new(sink, TRUCE_PATROL_JSON, a, route, 500, &w), TRUCE_OK);
    assert_int_equal(truce_patrol_write_track(w, NULL), TRUCE_E_ARG);
    assert_int_equal(truce_patrol_write_summary(w, NULL, 1000), TRUCE_E_ARG);
    assert_int_equal(truce_patrol_writer_finish(w), TRUCE_OK);
    fclose(sink);
    assert_int_equal(truce_patrol_writer_finish(NULL), TRUCE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(json),
        cmocka_unit_test(geojson),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
