/* What the store offers the dashboard (truce/store.h): events counted on a
 * grid (truce_store_events_grid: cells, edges, filters, bounds), and the
 * review queue (truce_store_filter's open, waiting_for and newest_first:
 * which events wait for which party, newest first, paged). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_fixture.h"
#include "truce/store.h"

/* Records as classify writes them, with what the store reads: a and b in
 * one cell, e on the grid's north-east corner, c without a location, d far
 * away. */
static const char *const RECORDS[] = {
    "{\"id\":\"a\",\"start\":\"2020-03-01T10:00:00Z\",\"violation\":\"none\",\"lon\":36.5,"
    "\"lat\":35.8,\"rules\":[],\"zones\":{},\"corridors\":{}}",
    "{\"id\":\"b\",\"start\":\"2020-03-06T10:00:00Z\",\"violation\":\"violation\",\"lon\":36.6,"
    "\"lat\":35.9,\"rules\":[],\"zones\":{},\"corridors\":{}}",
    "{\"id\":\"c\",\"start\":\"2020-03-07T10:00:00Z\",\"violation\":\"possible\",\"lon\":null,"
    "\"lat\":null,\"rules\":[],\"zones\":{},\"corridors\":{}}",
    "{\"id\":\"d\",\"start\":\"2020-03-08T10:00:00Z\",\"violation\":\"violation\",\"lon\":179.5,"
    "\"lat\":1,\"rules\":[],\"zones\":{},\"corridors\":{}}",
    "{\"id\":\"e\",\"start\":\"2020-03-09T10:00:00Z\",\"violation\":\"possible\",\"lon\":37,"
    "\"lat\":36,\"rules\":[],\"zones\":{},\"corridors\":{}}",
};
#define NRECORDS 5

static truce_store *open_filled(const char *name)
{
    char path[FIXTURE_WHERE];
    fixture_store(path, name);
    truce_store *s;
    assert_int_equal(truce_store_open(path, &s, NULL, 0), TRUCE_OK);
    char t[TRUCE_TOKEN_SIZE];
    assert_int_equal(truce_store_token_add(s, TRUCE_ROLE_ADMIN, NULL, NULL, t, NULL), TRUCE_OK);
    for (int i = 0; i < NRECORDS; i++) {
        char id[2] = {RECORDS[i][7], '\0'}, event[32];
        snprintf(event, sizeof event, "{\"id\":\"%s\"}", id);
        truce_store_report r = {.id = id, .event_json = event, .record = RECORDS[i], .token_id = 1};
        truce_store_put_result res;
        truce_text a = {0};
        assert_int_equal(truce_store_report_put(s, &r, &res, &a), TRUCE_OK);
        truce_text_release(&a);
    }
    return s;
}

/* ---- the grid ---- */

typedef struct cells {
    truce_store_cell c[8];
    int n;
} cells;

static truce_status on_cell(void *ctx, const truce_store_cell *c)
{
    cells *got = ctx;
    assert_true(got->n < 8);
    got->c[got->n++] = *c;
    return TRUCE_OK;
}

/* The cell (col, row) among those called back; one with count -1 if none. */
static const truce_store_cell *cell_at(const cells *got, unsigned col, unsigned row)
{
    static const truce_store_cell none = {.count = -1};
    for (int i = 0; i < got->n; i++)
        if (got->c[i].col == col && got->c[i].row == row)
            return &got->c[i];
    return &none;
}

static void test_grid(void **state)
{
    (void)state;
    truce_store *s = open_filled("grid");
    /* 36..37 x 35..36 in cells of 0.5 degrees: a and b share (1, 1); e on
     * the north-east corner goes to the last cell; c (no location) and d
     * (outside) are not counted. */
    truce_store_grid g = {36, 35, 0.5, 2, 2};
    cells got = {.n = 0};
    assert_int_equal(truce_store_events_grid(s, NULL, &g, on_cell, &got), TRUCE_OK);
    assert_int_equal(got.n, 1);
    const truce_store_cell *c = cell_at(&got, 1, 1);
    assert_int_equal(c->count, 3);
    assert_int_equal(c->violation, 1);
    assert_int_equal(c->possible, 1);
    assert_float_equal(c->lon, (36.5 + 36.6 + 37) / 3, 1e-9);
    assert_float_equal(c->lat, (35.8 + 35.9 + 36) / 3, 1e-9);
    /* Finer: e, on the north-east corner, in the last cell, alone. */
    truce_store_grid fine = {36, 35, 0.25, 4, 4};
    got.n = 0;
    assert_int_equal(truce_store_events_grid(s, NULL, &fine, on_cell, &got), TRUCE_OK);
    assert_int_equal(got.n, 2);
    assert_int_equal(cell_at(&got, 2, 3)->count, 2); /* a and b */
    assert_int_equal(cell_at(&got, 3, 3)->count, 1); /* e */
    /* The listing's filters apply. */
    truce_event_filter ef;
    truce_event_filter_init(&ef);
    char why[200];
    assert_int_equal(truce_event_filter_set(&ef, "violation", "yes", NULL, why, sizeof why),
                     TRUCE_OK);
    truce_store_filter sf = {.events = &ef};
    got.n = 0;
    assert_int_equal(truce_store_events_grid(s, &sf, &g, on_cell, &got), TRUCE_OK);
    assert_int_equal(got.n, 1);
    assert_int_equal(got.c[0].count, 1);
    /* Across the antimeridian's side: d alone. */
    truce_store_grid east = {179, 0, 1, 1, 2};
    got.n = 0;
    assert_int_equal(truce_store_events_grid(s, NULL, &east, on_cell, &got), TRUCE_OK);
    assert_int_equal(got.n, 1);
    assert_int_equal(got.c[0].row, 1);
    /* Bounds. */
    truce_store_grid bad[] = {{36, 35, 0, 2, 2}, {36, 35, 0.5, 0, 2}, {36, 35, 0.5, 257, 256}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(truce_store_events_grid(s, NULL, &bad[i], on_cell, &got), TRUCE_E_ARG);
    truce_store_free(s);
}

/* ---- the queue ---- */

static truce_status on_event(void *ctx, const char *json, size_t len)
{
    (void)len;
    char *got = ctx;
    const char *id = strstr(json, "\"id\":\"");
    size_t n = strlen(got);
    got[n] = id[6];
    got[n + 1] = '\0';
    return TRUCE_OK;
}

/* The ids of the queue for `party` (NULL: any), newest first, listed in
 * pages of 1 and of 10. */
static void expect_queue(truce_store *s, const char *party, const char *want)
{
    truce_store_filter sf = {.open = 1, .waiting_for = party, .newest_first = 1};
    for (size_t limit = 1; limit <= 10; limit += 9) {
        char got[16] = "";
        int64_t after = 0, next;
        int pages = 0;
        do {
            assert_int_equal(truce_store_events_list(s, &sf, after, limit, on_event, got, &next),
                             TRUCE_OK);
            after = next;
            assert_true(++pages <= NRECORDS + 1);
        } while (next);
        if (strcmp(got, want))
            fail_msg("queue of %s: \"%s\", expected \"%s\"", party ? party : "any", got, want);
    }
}

static void review(truce_store *s, const char *id, truce_role role, const char *party,
                   truce_review_action action, const char *note)
{
    truce_token_info who = {.id = 1, .role = role};
    if (role == TRUCE_ROLE_PARTY)
        snprintf(who.party, sizeof who.party, "%s", party);
    truce_review_request rq = {action, role == TRUCE_ROLE_ADMIN ? party : NULL, note, NULL};
    const char *const parties[] = {"Russia", "Turkey"};
    truce_review_decision d;
    truce_text a = {0};
    assert_int_equal(truce_store_review(s, id, &who, &rq, NULL, parties, 2, &d, &a), TRUCE_OK);
    assert_int_equal(d.outcome, TRUCE_REVIEW_OK);
    truce_text_release(&a);
}

static void test_queue(void **state)
{
    (void)state;
    truce_store *s = open_filled("queue");
    expect_queue(s, "Turkey", "edcba");
    expect_queue(s, NULL, "edcba");
    /* A party's confirm or dispute takes the event out of its queue only. */
    review(s, "b", TRUCE_ROLE_PARTY, "Turkey", TRUCE_REVIEW_CONFIRM, NULL);
    review(s, "c", TRUCE_ROLE_PARTY, "Russia", TRUCE_REVIEW_DISPUTE, "not us");
    review(s, "a", TRUCE_ROLE_PARTY, "Turkey", TRUCE_REVIEW_COMMENT, "seen");
    expect_queue(s, "Turkey", "edca");
    expect_queue(s, "Russia", "edba");
    /* An admin's review for a party counts as that party's. */
    review(s, "e", TRUCE_ROLE_ADMIN, "Russia", TRUCE_REVIEW_CONFIRM, NULL);
    expect_queue(s, "Russia", "dba");
    /* Jointly verified and rejected events are no one's to review. */
    review(s, "b", TRUCE_ROLE_PARTY, "Russia", TRUCE_REVIEW_CONFIRM, NULL);
    review(s, "d", TRUCE_ROLE_ADMIN, NULL, TRUCE_REVIEW_REJECT, "duplicate");
    expect_queue(s, "Russia", "a");
    expect_queue(s, "Turkey", "eca");
    expect_queue(s, NULL, "eca");
    /* The other filters still apply. */
    truce_event_filter ef;
    truce_event_filter_init(&ef);
    char why[200];
    assert_int_equal(truce_event_filter_set(&ef, "violation", "possible", NULL, why, sizeof why),
                     TRUCE_OK);
    truce_store_filter sf = {.events = &ef, .open = 1, .waiting_for = "Turkey", .newest_first = 1};
    char got[16] = "";
    int64_t next;
    assert_int_equal(truce_store_events_list(s, &sf, 0, 10, on_event, got, &next), TRUCE_OK);
    assert_string_equal(got, "ec");
    truce_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_queue),
    };
    return cmocka_run_group_tests(tests, fixture_begin, fixture_end);
}
