/* The store's agreement versions and monitoring counts (truce/store.h):
 * truce_store_agreement_put stores a version and judges the stored events
 * again with what was in force at their time, a changed record being a new
 * verdict beside the old; the same text again changes nothing; an event
 * that cannot be read back keeps its verdict; versions are append-only;
 * latest and find; tally and size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_fixture.h"
#include "truce/agreement.h"
#include "truce/diag.h"
#include "truce/store.h"

/* A corridor along the M4 near Ariha; version 2 has it in force from 12
 * March 2020 only. */
#define AGREEMENT(FROM)                                                                            \
    "{\"type\":\"FeatureCollection\",\"agreement\":{\"id\":\"t\",\"parties\":[\"Russia\","         \
    "\"Turkey\"],\"timezone\":\"Asia/Damascus\",\"ceasefire\":\"2020-03-06T00:00\",\"rules\":"     \
    "[{\"id\":\"corridor\",\"phase\":\"after\",\"event_types\":[\"Battles\"],\"corridors\":"       \
    "[\"m4\"]}]},\"features\":[{\"type\":\"Feature\",\"id\":\"m4\",\"properties\":{\"role\":"      \
    "\"corridor\",\"left_m\":6000,\"right_m\":6000" FROM "},\"geometry\":{\"type\":"               \
    "\"LineString\",\"coordinates\":[[36.78,35.84],[36.61,35.81],[36.35,35.77]]}}]}"
static const char V1[] = AGREEMENT("");
static const char V2[] = AGREEMENT(",\"from\":\"2020-03-12T00:00\"");

static truce_agreement *load(const char *text)
{
    truce_diags d;
    truce_diags_init(&d);
    truce_agreement *a = NULL;
    assert_int_equal(truce_agreement_parse(text, strlen(text), "t", &a, &d), TRUCE_OK);
    truce_diags_release(&d);
    return a;
}

static void put(truce_store *s, const char *id, const char *event, const char *record)
{
    truce_store_report r = {.id = id, .event_json = event, .record = record, .token_id = 0};
    truce_store_put_result res;
    truce_text answer = {0};
    assert_int_equal(truce_store_report_put(s, &r, &res, &answer), TRUCE_OK);
    assert_int_equal(res.outcome, TRUCE_STORE_CREATED);
    truce_text_release(&answer);
}

/* Whether the current record of `id` (what comes before its "verdicts")
 * holds `text`; the number of its verdicts in *n. */
static int current_has(truce_store *s, const char *id, const char *text, int *n)
{
    truce_text out = {0};
    assert_int_equal(truce_store_event_get(s, id, &out), TRUCE_OK);
    const char *verdicts = strstr(out.p, "\"verdicts\":[");
    assert_non_null(verdicts);
    const char *at = strstr(out.p, text);
    *n = 0;
    for (const char *p = verdicts; (p = strstr(p, "\"judged_at\"")); p++)
        (*n)++;
    int has = at && at < verdicts;
    truce_text_release(&out);
    return has;
}

typedef struct tally {
    int64_t none, possible, other;
} tally;

static truce_status on_tally(void *ctx, const char *verdict, const char *status, int64_t n)
{
    tally *t = ctx;
    assert_string_equal(status, "submitted");
    if (!strcmp(verdict, "none"))
        t->none += n;
    else if (!strcmp(verdict, "possible"))
        t->possible += n;
    else
        t->other += n;
    return TRUCE_OK;
}

static void test_versions(void **state)
{
    (void)state;
    char path[FIXTURE_WHERE];
    fixture_store(path, "versions");
    truce_store *s;
    assert_int_equal(truce_store_open(path, &s, NULL, 0), TRUCE_OK);
    int64_t v = -1;
    assert_int_equal(truce_store_agreement_latest(s, NULL, &v), TRUCE_OK);
    assert_int_equal(v, 0);
    /* A battle on the corridor on 8 March, stored with a record that is not
     * the agreement's; and an event that cannot be read back. */
    put(s, "e1",
        "{\"id\":\"e1\",\"start\":\"2020-03-08T00:00:00Z\",\"lon\":36.61,\"lat\":35.81,"
        "\"event_type\":\"Battles\"}",
        "{\"id\":\"e1\",\"violation\":\"none\"}");
    put(s, "e2", "{\"id\":\"e2\"}", "{\"id\":\"e2\",\"violation\":\"possible\"}");

    truce_agreement *a1 = load(V1), *a2 = load(V2);
    truce_store_revision rev;
    assert_int_equal(truce_store_agreement_put(s, V1, strlen(V1), a1, 0, 1, &rev), TRUCE_OK);
    assert_int_equal(rev.version, 1);
    assert_int_equal(rev.events, 1);
    assert_int_equal(rev.changed, 1);
    assert_int_equal(rev.failed, 1);
    int n;
    assert_true(current_has(s, "e1", "\"verdict\":\"violation\"", &n));
    assert_int_equal(n, 2);
    assert_true(current_has(s, "e2", "\"violation\":\"possible\"", &n));
    assert_int_equal(n, 1);

    /* The same text again: a version, nothing to change. */
    assert_int_equal(truce_store_agreement_put(s, V1, strlen(V1), a1, 0, 2, &rev), TRUCE_OK);
    assert_int_equal(rev.version, 2);
    assert_int_equal(rev.changed, 0);
    assert_true(current_has(s, "e1", "\"verdict\":\"violation\"", &n));
    assert_int_equal(n, 2);

    /* The corridor in force from 12 March: the battle of 8 March is no
     * longer inside one; the old verdicts stay. */
    assert_int_equal(truce_store_agreement_put(s, V2, strlen(V2), a2, 0, 1, &rev), TRUCE_OK);
    assert_int_equal(rev.version, 3);
    assert_int_equal(rev.changed, 1);
    assert_false(current_has(s, "e1", "\"verdict\":\"violation\"", &n));
    assert_true(current_has(s, "e1", "\"violation\":\"none\"", &n));
    assert_int_equal(n, 3);

    truce_text text = {0};
    assert_int_equal(truce_store_agreement_latest(s, &text, &v), TRUCE_OK);
    assert_int_equal(v, 3);
    assert_int_equal(text.len, strlen(V2));
    assert_memory_equal(text.p, V2, text.len);
    truce_text_release(&text);
    assert_int_equal(truce_store_agreement_find(s, V1, strlen(V1), &v), TRUCE_OK);
    assert_int_equal(v, 2);
    assert_int_equal(truce_store_agreement_find(s, "{}", 2, &v), TRUCE_OK);
    assert_int_equal(v, 0);

    tally t = {0};
    assert_int_equal(truce_store_tally(s, on_tally, &t), TRUCE_OK);
    assert_int_equal(t.none, 1);
    assert_int_equal(t.possible, 1);
    assert_int_equal(t.other, 0);
    int64_t bytes = 0;
    assert_int_equal(truce_store_size(s, &bytes), TRUCE_OK);
    assert_true(bytes >= 4096);
    truce_store_free(s);

    /* Versions are append-only. */
    assert_false(fixture_exec(path, "UPDATE agreements SET body = ''"));
    assert_false(fixture_exec(path, "DELETE FROM agreements"));
    assert_int_equal(fixture_int(path, "SELECT count(*) FROM agreements"), 3);

    truce_agreement_free(a1);
    truce_agreement_free(a2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
    };
    return cmocka_run_group_tests(tests, fixture_begin, fixture_end);
}
