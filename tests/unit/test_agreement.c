/* The agreement loader: fields, geodesic measures against GeographicLib's
 * Planimeter (Debian geographiclib-tools), times, and error collection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/agreement.h"

#define AGREEMENTS TRUCE_SOURCE_DIR "/tests/data/agreements/"

static truce_agreement *load_ok(const char *path)
{
    truce_diags d;
    truce_diags_init(&d);
    truce_agreement *a = NULL;
    truce_status st = truce_agreement_load(path, &a, &d);
    for (size_t i = 0; i < d.count; i++)
        truce_diag_print(&d.items[i], stderr);
    truce_diags_release(&d);
    assert_int_equal(st, TRUCE_OK);
    assert_non_null(a);
    return a;
}

static void idlib_bundled(void **state)
{
    (void)state;
    truce_agreement *a = load_ok(TRUCE_SOURCE_DIR "/data/idlib-2020/agreement.geojson");
    assert_string_equal(a->id, "idlib-2020");
    assert_int_equal(a->parties.count, 2);
    assert_string_equal(a->parties.items[0], "Russia");
    assert_string_equal(a->timezone_name, "Asia/Damascus");
    assert_int_equal(a->ceasefire_s, 1583445600); /* 2020-03-05T22:00:00Z */
    assert_int_equal(a->ceasefire_offset_s, 7200);
    assert_int_equal(a->nzones, 1);
    /* Planimeter -p 10 on the ring (lat lon per line, closing vertex dropped):
     * 310 421839.3507748739 5636558150.23710 */
    assert_true(fabs(a->zones[0].area_m2 - 5636558150.23710) < 1.0);
    assert_int_equal(a->ncorridors, 1);
    const truce_corridor_def *m4 = truce_agreement_corridor(a, "m4");
    assert_non_null(m4);
    assert_true(m4->left_m == 6000 && m4->right_m == 6000);
    /* Planimeter -l -p 10: 9 61862.2516294434 */
    assert_true(fabs(m4->length_m - 61862.2516294434) < 1e-6);
    const truce_patrol_route *r = truce_agreement_route(a, "m4-patrol");
    assert_non_null(r);
    assert_true(fabs(r->length_m - 58428.5207304741) < 1e-6);
    assert_int_equal(r->valid.from_s, 1584223200); /* 2020-03-14T22:00:00Z */
    assert_string_equal(r->start_name, "Trumba");
    assert_string_equal(r->corridor, "m4");
    assert_int_equal(a->nrules, 2);
    assert_int_equal(a->rules[0].phase, TRUCE_PHASE_AFTER);
    assert_null(truce_agreement_zone(a, "nope"));
    truce_agreement_free(a);
}

static void minimal_measures(void **state)
{
    (void)state;
    truce_agreement *a = load_ok(AGREEMENTS "good_minimal.json");
    /* printf '35.5 36\n35.5 37\n36 37\n36 36\n' | Planimeter -p 10:
     * 4 291846.6708799833 5017748664.74487 */
    assert_true(fabs(a->zones[0].area_m2 - 5017748664.74487) < 1.0);
    /* printf '35.86 36.8\n35.81 36.6\n35.78 36.16\n' | Planimeter -l -p 10:
     * 3 58816.1214268658 */
    assert_true(fabs(a->corridors[0].length_m - 58816.1214268658) < 1e-6);
    assert_string_equal(a->rules[0].zones.items[0], "z1");
    assert_string_equal(a->rules[0].event_types.items[0], "shelling");
    truce_agreement_free(a);
}

static void multi_and_validity(void **state)
{
    (void)state;
    truce_agreement *a = load_ok(AGREEMENTS "good_multi.json");
    assert_int_equal(a->zones[0].npolygons, 2);
    const truce_corridor_def *c = &a->corridors[0];
    assert_int_equal(c->nroads, 2);
    assert_true(c->left_m == 2500 && c->right_m == 2500);
    /* from 2020-03-10 local = 2020-03-09T22:00Z; until 2020-04-01T12:00 EEST = 09:00Z */
    assert_int_equal(c->valid.from_s, 1583791200);
    assert_int_equal(c->valid.until_s, 1585731600);
    assert_true(truce_validity_contains(&c->valid, 1583791200));
    assert_false(truce_validity_contains(&c->valid, 1585731600));
    assert_false(truce_validity_contains(&c->valid, 1583791199));
    truce_agreement_free(a);
}

/* A patrol route's allowed window: "22:00-04:00" crosses midnight. */
static void route_window(void **state)
{
    (void)state;
    truce_agreement *a = load_ok(AGREEMENTS "good_window.json");
    const truce_patrol_route *r = truce_agreement_route(a, "p1");
    assert_int_equal(r->has_window, 1);
    assert_int_equal(r->window.start_min, 22 * 60);
    assert_int_equal(r->window.end_min, 4 * 60);
    truce_agreement_free(a);
    a = load_ok(AGREEMENTS "good_minimal.json");
    assert_int_equal(a->routes[0].has_window, 0);
    truce_agreement_free(a);
}

static void summer_and_fall_back(void **state)
{
    (void)state;
    truce_agreement *a = load_ok(AGREEMENTS "summer.json");
    assert_int_equal(a->ceasefire_s, 1594674000); /* 2020-07-13T21:00:00Z */
    assert_int_equal(a->ceasefire_offset_s, 10800);
    truce_agreement_free(a);
    truce_diags d;
    truce_diags_init(&d);
    assert_int_equal(truce_agreement_load(AGREEMENTS "ambiguous.json", &a, &d), TRUCE_OK);
    assert_int_equal(a->ceasefire_s, 1604003400); /* 2020-10-29T20:30:00Z, the earlier */
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.count, 1); /* the warning */
    assert_int_equal(d.items[0].level, TRUCE_DIAG_WARNING);
    truce_diags_release(&d);
    truce_agreement_free(a);
}

/* Loading a broken file: TRUCE_E_INVALID, no agreement, `errors` diagnostics,
 * the first naming `item` and `key`. */
static void expect_invalid(const char *file, size_t errors, const char *item, const char *key)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s", AGREEMENTS, file);
    truce_diags d;
    truce_diags_init(&d);
    truce_agreement *a = (truce_agreement *)&d; /* must be reset to NULL */
    assert_int_equal(truce_agreement_load(path, &a, &d), TRUCE_E_INVALID);
    assert_null(a);
    if (d.errors != errors)
        for (size_t i = 0; i < d.count; i++)
            truce_diag_print(&d.items[i], stderr);
    assert_int_equal(d.errors, errors);
    const truce_diag *first = NULL;
    for (size_t i = 0; i < d.count && !first; i++)
        if (d.items[i].level == TRUCE_DIAG_ERROR)
            first = &d.items[i];
    assert_non_null(first);
    if (!first)
        return;
    assert_string_equal(first->file, path);
    if (item)
        assert_string_equal(first->item, item);
    if (key)
        assert_string_equal(first->key, key);
    truce_diags_release(&d);
}

static void broken_files(void **state)
{
    (void)state;
    expect_invalid("bad_lat_range.json", 1, "feature \"c1\"", "geometry");
    expect_invalid("bad_lon_range.json", 1, "feature \"z1\"", "geometry ring 0");
    expect_invalid("bad_ring_open.json", 1, "feature \"z1\"", "geometry ring 0");
    expect_invalid("bad_self_intersect.json", 1, "feature \"z1\"", "geometry");
    expect_invalid("bad_corridor_one_vertex.json", 1, "feature \"c1\"", "geometry");
    expect_invalid("bad_role.json", 1, "feature \"p1\"", "properties.role");
    expect_invalid("bad_timezone.json", 1, "agreement", "timezone");
    expect_invalid("bad_instant.json", 1, "agreement", "ceasefire");
    expect_invalid("bad_date.json", 1, "feature \"p1\"", "from");
    expect_invalid("bad_from_after_until.json", 1, "feature \"c1\"", "until");
    expect_invalid("bad_duplicate_id.json", 1, "feature \"c1\"", "id");
    expect_invalid("bad_negative_depth.json", 1, "feature \"c1\"", "properties.left_m");
    expect_invalid("bad_missing_depth.json", 1, "feature \"c1\"", "properties.left_m");
    expect_invalid("bad_gap.json", 1, "agreement", "ceasefire");
    expect_invalid("bad_no_id.json", 1, "features[1]", "properties.right_m");
    expect_invalid("bad_rule_ref.json", 1, "rule \"r1\"", "zones");
    expect_invalid("bad_rule_key.json", 1, "rule \"r1\"", "event_type");
    expect_invalid("bad_window.json", 1, "feature \"p1\"", "window");
    expect_invalid("bad_window_range.json", 1, "feature \"p1\"", "window");
    /* Past the corridor engine's limit on a road's length. */
    expect_invalid("bad_road_too_long.json", 1, "feature \"c1\"", "geometry");
    /* Four independent errors, all reported. */
    expect_invalid("bad_many.json", 4, NULL, NULL);
}

static void not_json(void **state)
{
    (void)state;
    truce_diags d;
    truce_diags_init(&d);
    truce_agreement *a = NULL;
    assert_int_equal(truce_agreement_parse("{\"type\":", 8, "x.json", &a, &d), TRUCE_E_PARSE);
    assert_null(a);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.items[0].line, 1);
    truce_diags_release(&d);
    assert_int_equal(truce_agreement_load(AGREEMENTS "missing.json", &a, &d), TRUCE_E_IO);
    truce_diags_release(&d);
    /* Duplicate keys are rejected, not silently resolved. */
    const char *dup = "{\"type\":\"FeatureCollection\",\"type\":\"x\"}";
    assert_int_equal(truce_agreement_parse(dup, strlen(dup), NULL, &a, &d), TRUCE_E_PARSE);
    truce_diags_release(&d);
}

/* An agreement whose zone z1 has `props` ("from"/"until" members). */
static truce_status parse_zone_props(const char *props, truce_agreement **a, truce_diags *d)
{
    char doc[2048];
    snprintf(doc, sizeof doc,
             "{\"type\":\"FeatureCollection\",\"agreement\":{\"id\":\"t\",\"title\":\"t\","
             "\"parties\":[\"A\",\"B\"],\"timezone\":\"Asia/Damascus\","
             "\"ceasefire\":\"2020-03-06T00:00\",\"rules\":[]},\"features\":[{\"type\":"
             "\"Feature\",\"id\":\"z1\",\"properties\":{\"role\":\"zone\"%s},\"geometry\":{"
             "\"type\":\"Polygon\",\"coordinates\":[[[36,35.5],[37,35.5],[37,36],[36,36],[36,"
             "35.5]]]}}]}",
             props);
    truce_diags_init(d);
    return truce_agreement_parse(doc, strlen(doc), "t.json", a, d);
}

/* A date-only "from" or "until" whose local midnight Damascus skipped
 * (2020-03-27, summer time from 00:00) starts or ends the day where the
 * event readers start it, at the end of the gap, instead of being an error;
 * dates whose day leaves the range of instants are errors naming the key. */
static void dates_at_gap_and_range(void **state)
{
    (void)state;
    truce_agreement *a = NULL;
    truce_diags d;
    assert_int_equal(parse_zone_props(",\"from\":\"2020-03-27\",\"until\":\"2020-03-28\"", &a, &d),
                     TRUCE_OK);
    assert_int_equal(d.count, 0);
    assert_int_equal(a->zones[0].valid.from_s, 1585260000); /* 2020-03-26T22:00:00Z */
    assert_int_equal(a->zones[0].valid.until_s, 1585260000 + 47 * 3600);
    truce_agreement_free(a);
    truce_diags_release(&d);
    assert_int_equal(parse_zone_props(",\"until\":\"2020-03-26\"", &a, &d), TRUCE_OK);
    assert_int_equal(a->zones[0].valid.until_s, 1585260000);
    truce_agreement_free(a);
    truce_diags_release(&d);
    /* A local time inside the gap is still an error. */
    assert_int_equal(parse_zone_props(",\"from\":\"2020-03-27T00:30\"", &a, &d), TRUCE_E_INVALID);
    truce_diags_release(&d);

    static const char *const out_of_range[] = {
        ",\"until\":\"9999-12-31T23:30-01:00\"", /* an offset carries it out */
        ",\"from\":\"0001-01-01\"",              /* Damascus is east: year 0 of UTC */
        ",\"from\":\"0001-01-01T00:30+01:00\"",
    };
    for (size_t i = 0; i < sizeof out_of_range / sizeof out_of_range[0]; i++) {
        assert_int_equal(parse_zone_props(out_of_range[i], &a, &d), TRUCE_E_INVALID);
        assert_null(a);
        assert_int_equal(d.errors, 1);
        assert_string_equal(d.items[0].key, i == 0 ? "until" : "from");
        assert_non_null(strstr(d.items[0].message, TRUCE_INSTANT_RANGE_TEXT));
        truce_diags_release(&d);
    }
    /* East of UTC (Damascus has kept +03:00 since 2022), the end of the
     * last day is in range. */
    assert_int_equal(parse_zone_props(",\"until\":\"9999-12-31\"", &a, &d), TRUCE_OK);
    assert_int_equal(a->zones[0].valid.until_s, TRUCE_INSTANT_LAST_S + 1 - 3 * 3600);
    truce_agreement_free(a);
    truce_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(idlib_bundled),        cmocka_unit_test(minimal_measures),
        cmocka_unit_test(multi_and_validity),   cmocka_unit_test(route_window),
        cmocka_unit_test(summer_and_fall_back), cmocka_unit_test(dates_at_gap_and_range),
        cmocka_unit_test(broken_files),         cmocka_unit_test(not_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
