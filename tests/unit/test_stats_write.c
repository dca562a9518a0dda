/* Writing statistics: breakdown names, the JSON writer's escaping and
 * numbers (as jansson wrote them before the writer moved into the
 * library), the CSV quoting of keys, and the errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/stats_write.h"

#include "idlib_fixture.h"

#define CEASEFIRE 1583445600 /* 2020-03-05T22:00:00Z */

static void by_names(void **state)
{
    (void)state;
    for (int b = 0; b < TRUCE_STATS_NBY; b++) {
        truce_stats_by got;
        assert_int_equal(truce_stats_by_parse(truce_stats_by_name((truce_stats_by)b), &got),
                         TRUCE_OK);
        assert_int_equal(got, b);
    }
    assert_string_equal(truce_stats_by_name(TRUCE_BY_CORRIDOR_KM), "corridor-km");
    assert_null(truce_stats_by_name((truce_stats_by)TRUCE_STATS_NBY));
    truce_stats_by got;
    assert_int_equal(truce_stats_by_parse("actor", &got), TRUCE_E_NOT_FOUND);
    assert_int_equal(truce_stats_by_parse(NULL, &got), TRUCE_E_ARG);
}

/* Write stats in a format to a string (malloc'd; the caller frees it). */
static char *written(truce_stats *s, const truce_agreement *a, truce_stats_format f, unsigned by)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(truce_stats_write(out, s, a, f, by), TRUCE_OK);
    assert_int_equal(fclose(out), 0);
    return text;
}

static void formats(void **state)
{
    (void)state;
    truce_agreement *a = idlib_agreement();
    assert_non_null(a);
    truce_classifier *c = NULL;
    assert_int_equal(truce_classifier_new(a, &c), TRUCE_OK);
    truce_stats *s = NULL;
    assert_int_equal(truce_stats_new(a, NULL, &s), TRUCE_OK);
    truce_event ev;
    truce_event_init(&ev);
    ev.id = "e";
    ev.event_type = "shelling";
    ev.has_location = 1;
    ev.lon = 36.63; /* Idlib city: inside the zone */
    ev.lat = 35.93;
    truce_verdict v;
    /* 3 hostile events before the ceasefire and 1 after: ratio 1/3. */
    static const char *const actors[] = {"a \"quoted\", \\ name\t\x01", "plain", "plain", "after"};
    for (int i = 0; i < 4; i++) {
        ev.actor1 = actors[i];
        ev.start_s = CEASEFIRE + (i < 3 ? -(int64_t)(i + 1) * 86400 : 86400);
        ev.end_s = ev.start_s + 3600;
        assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
        assert_int_equal(truce_stats_add(s, &ev, &v), TRUCE_OK);
    }

    char *json = written(s, a, TRUCE_STATS_JSON, TRUCE_STATS_BY_BIT(TRUCE_BY_PARTY));
    assert_non_null(strstr(json, "{\n \"agreement\": \"idlib-2020\",\n"));
    assert_non_null(strstr(json, "\n  \"rate_ratio\": 0.333333333333,\n"));
    assert_non_null(strstr(json, "\"key\": \"a \\\"quoted\\\", \\\\ name\\t\\u0001\""));
    assert_non_null(strstr(json, "\n  \"corridor-km\": []")); /* none on the road */
    assert_int_equal(json[strlen(json) - 1], '\n');
    free(json);

    char *csv = written(s, a, TRUCE_STATS_CSV, TRUCE_STATS_BY_BIT(TRUCE_BY_PARTY));
    assert_non_null(strstr(csv, "\nparty,\"plain\",,2,,"));
    assert_non_null(strstr(csv, "\nparty,\"a \"\"quoted\"\", \\ name\t\x01\",,1,,"));
    free(csv);

    char *table = written(s, a, TRUCE_STATS_TABLE, 0);
    assert_non_null(strstr(table, "agreement   idlib-2020\n"));
    assert_null(strstr(table, "by party"));
    free(table);

    /* A stream that cannot be written: TRUCE_E_IO. */
    FILE *ro = fopen("/dev/null", "r");
    assert_non_null(ro);
    assert_int_equal(truce_stats_write(ro, s, a, TRUCE_STATS_TABLE, 0), TRUCE_E_IO);
    fclose(ro);
    assert_int_equal(truce_stats_write(stdout, s, a, (truce_stats_format)3, 0), TRUCE_E_ARG);
    assert_int_equal(truce_stats_write(stdout, NULL, a, TRUCE_STATS_JSON, 0), TRUCE_E_ARG);

    truce_stats_free(s);
    truce_classifier_free(c);
    truce_agreement_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(by_names),
        cmocka_unit_test(formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
