/* Copying a whole store (truce/store_copy.h): a store holding something in
 * every table (tokens, one revoked; agreement versions with new verdicts;
 * events confirmed and disputed; an idempotency key; a track; webhooks
 * with deliveries and attempts) copied into a new one has the same counts
 * and checksums, serves the same events, change feed and query tables,
 * keeps its history append-only and numbers what comes next after what was
 * copied; a target that is not empty is refused with nothing written. */
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

#include "store/store_impl.h"
#include "temp_store.h"
#include "truce/alloc.h"
#include "truce/event_filter.h"
#include "truce/store.h"
#include "truce/store_copy.h"
#include "truce/webhook.h"

static void put(truce_store *s, const char *id, int64_t token, const char *key)
{
    char event[96], record[160];
    snprintf(event, sizeof event, "{\"id\":\"%s\"}", id);
    snprintf(record, sizeof record,
             "{\"id\":\"%s\",\"violation\":\"possible\",\"lon\":36.6,\"lat\":35.8}", id);
    truce_store_report r = {.id = id,
                            .event_json = event,
                            .record = record,
                            .token_id = token,
                            .idempotency_key = key,
                            .request = event,
                            .request_len = strlen(event)};
    truce_store_put_result res;
    truce_text answer = {0};
    assert_int_equal(truce_store_report_put(s, &r, &res, &answer), TRUCE_OK);
    assert_int_equal(res.outcome, TRUCE_STORE_CREATED);
    truce_text_release(&answer);
}

static void review(truce_store *s, const char *id, int64_t token, const char *party,
                   truce_review_action action)
{
    static const char *const parties[] = {"Russia", "Turkey"};
    truce_token_info who = {.id = token, .role = TRUCE_ROLE_PARTY};
    strcpy(who.party, party);
    truce_review_request rq = {action, NULL, action == TRUCE_REVIEW_DISPUTE ? "not us" : NULL,
                               NULL};
    truce_review_decision d;
    truce_text out = {0};
    assert_int_equal(truce_store_review(s, id, &who, &rq, NULL, parties, 2, &d, &out), TRUCE_OK);
    assert_int_equal(d.outcome, TRUCE_REVIEW_OK);
    truce_text_release(&out);
}

/* An agreement version (its text need not parse here) with a new verdict
 * for the event at position `seq`. */
static void version(truce_store *s, const char *text, int64_t seq, const char *record)
{
    unsigned char sha[32];
    trc_sha256(text, strlen(text), sha);
    char rec[128];
    snprintf(rec, sizeof rec, "%s", record);
    trc_verdict_change ch = {seq, rec};
    int64_t v = 0;
    assert_int_equal(
        s->ops->agreement_put(s, text, strlen(text), sha, 0, "2026-12-06T00:00:00Z", &ch, 1, &v),
        TRUCE_OK);
}

static truce_status on_delivery(void *ctx, const truce_webhook_delivery *d)
{
    truce_store *s = ctx;
    truce_webhook_attempt a = {1e9, 500, "server error", 12.5};
    return truce_store_webhook_attempted(s, d, &a, 60);
}

/* A store with rows in every table. */
static void fill(truce_store *s)
{
    char token[TRUCE_TOKEN_SIZE];
    int64_t turkey, russia, reporter;
    assert_int_equal(truce_store_token_add(s, TRUCE_ROLE_PARTY, "Turkey", "t", token, &turkey),
                     TRUCE_OK);
    assert_int_equal(truce_store_token_add(s, TRUCE_ROLE_PARTY, "Russia", NULL, token, &russia),
                     TRUCE_OK);
    assert_int_equal(truce_store_token_add(s, TRUCE_ROLE_REPORTER, NULL, "r", token, &reporter),
                     TRUCE_OK);
    assert_int_equal(truce_store_token_revoke(s, reporter), TRUCE_OK);
    int64_t hook = 0;
    assert_int_equal(
        truce_store_webhook_add(s, "http://127.0.0.1:9/h", "secret", NULL, turkey, &hook, NULL),
        TRUCE_OK);
    put(s, "e1", turkey, "k1");
    put(s, "e2", russia, NULL);
    put(s, "e3", reporter, "k3");
    review(s, "e1", turkey, "Turkey", TRUCE_REVIEW_CONFIRM);
    review(s, "e2", turkey, "Turkey", TRUCE_REVIEW_DISPUTE);
    version(s, "v1", 1, "{\"id\":\"e1\",\"violation\":\"violation\",\"lon\":36.7,\"lat\":35.8}");
    version(s, "v2", 3, "{\"id\":\"e3\",\"violation\":\"none\"}");
    review(s, "e1", russia, "Russia", TRUCE_REVIEW_CONFIRM);
    int64_t id, other = 0;
    int existed;
    assert_int_equal(truce_store_track_put(s, "a.gpx", "<gpx/>\0x", 8, turkey, &id, &existed),
                     TRUCE_OK);
    assert_int_equal(
        truce_store_webhook_add(s, "http://127.0.0.1:9/g", "s2", NULL, 0, &other, NULL), TRUCE_OK);
    assert_int_equal(truce_store_webhooks_queue(s, 100, NULL), TRUCE_OK);
    assert_int_equal(truce_store_webhooks_due(s, 2e9, 2, on_delivery, s, NULL), TRUCE_OK);
    assert_int_equal(truce_store_webhook_deactivate(s, other, NULL), TRUCE_OK);
}

/* What a store serves: each event with its histories, the change feed, the
 * tally (from the query tables) and a filtered listing. */
static truce_status on_change(void *ctx, const truce_store_change *c)
{
    truce_text *out = ctx;
    return truce_text_append(out, c->json, c->len) ? TRUCE_E_NOMEM : TRUCE_OK;
}

static truce_status on_tally(void *ctx, const char *verdict, const char *status, int64_t n)
{
    char line[96];
    snprintf(line, sizeof line, "%s %s %lld;", verdict, status, (long long)n);
    return truce_text_append(ctx, line, strlen(line)) ? TRUCE_E_NOMEM : TRUCE_OK;
}

static truce_status on_event(void *ctx, const char *json, size_t len)
{
    return truce_text_append(ctx, json, len) ? TRUCE_E_NOMEM : TRUCE_OK;
}

static void served(truce_store *s, truce_text *out)
{
    static const char *const ids[] = {"e1", "e2", "e3"};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(truce_store_event_get(s, ids[i], out), TRUCE_OK);
    int64_t last;
    assert_int_equal(truce_store_changes(s, NULL, 0, 100, on_change, out, &last), TRUCE_OK);
    assert_int_equal(truce_store_tally(s, on_tally, out), TRUCE_OK);
    truce_store_filter open = {.open = 1, .waiting_for = "Russia"};
    int64_t next;
    assert_int_equal(truce_store_events_list(s, &open, 0, 10, on_event, out, &next), TRUCE_OK);
    assert_int_equal(truce_store_webhooks_list(s, out), TRUCE_OK);
    assert_int_equal(truce_store_webhook_deliveries(s, 1, 0, 10, out, &next), TRUCE_OK);
}

/* A filled store a and an empty one b (b.db) beside it. */
static truce_store *open_pair(char dir[32], char path[64], char path_b[96], truce_store **b)
{
    truce_store *a = temp_store_open(dir, path);
    fill(a);
    snprintf(path_b, 96, "%s/b.db", dir);
    assert_int_equal(truce_store_open(path_b, b, NULL, 0), TRUCE_OK);
    return a;
}

typedef struct progress {
    int calls;
    int64_t rows;
} progress;

static void on_progress(void *ctx, size_t table, int64_t copied, int64_t total)
{
    progress *p = ctx;
    assert_non_null(truce_store_table_name(table));
    assert_true(copied <= total);
    p->calls++;
    p->rows = copied;
}

static void test_copy_is_the_same_store(void **state)
{
    (void)state;
    char dir[32], path[64], path_b[96];
    truce_store *b;
    truce_store *a = open_pair(dir, path, path_b, &b);
    truce_store_copy_report rep;
    progress p = {0};
    char why[256] = "";
    assert_int_equal(truce_store_copy(a, b, on_progress, &p, &rep, why, sizeof why), TRUCE_OK);
    assert_true(truce_store_census_equal(&rep.from, &rep.to));
    for (size_t t = 0; t < TRUCE_STORE_TABLES; t++)
        if (!rep.from.rows[t])
            fail_msg("table %s is empty: the test covers it no more", truce_store_table_name(t));
    assert_int_equal(rep.from.rows[2], 3); /* events */
    assert_int_equal(rep.from.rows[3], 5); /* verdicts: 3 + 2 versions */
    assert_int_equal(rep.from.rows[4], 3); /* reviews */
    assert_int_equal(rep.from.rows[5], 8); /* changes */
    assert_int_equal(p.calls, TRUCE_STORE_TABLES);
    truce_store_census ca, cb;
    assert_int_equal(truce_store_census_take(a, &ca), TRUCE_OK);
    assert_int_equal(truce_store_census_take(b, &cb), TRUCE_OK);
    assert_true(truce_store_census_equal(&ca, &cb));
    assert_true(truce_store_census_equal(&ca, &rep.from));

    truce_text sa = {0}, sb = {0};
    served(a, &sa);
    served(b, &sb);
    assert_true(sa.len > 0);
    assert_string_equal(sa.p, sb.p);
    truce_text_release(&sa);
    truce_text_release(&sb);

    /* What comes next is numbered after what was copied, and the history
     * stays append-only. */
    int64_t la, lb;
    put(a, "e4", 0, NULL);
    put(b, "e4", 0, NULL);
    assert_int_equal(truce_store_changes_latest(a, &la), TRUCE_OK);
    assert_int_equal(truce_store_changes_latest(b, &lb), TRUCE_OK);
    assert_int_equal(la, 9);
    assert_int_equal(lb, 9);
    assert_int_equal(truce_store_census_take(a, &ca), TRUCE_OK);
    assert_int_equal(truce_store_census_take(b, &cb), TRUCE_OK);
    assert_memory_equal(ca.rows, cb.rows, sizeof ca.rows);
    truce_store_free(b);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path_b, &db), SQLITE_OK);
    static const char *const edits[] = {"DELETE FROM events",
                                        "UPDATE verdicts SET record = '{}'",
                                        "DELETE FROM reviews",
                                        "UPDATE changes SET kind = 'review'",
                                        "DELETE FROM webhook_attempts",
                                        "DELETE FROM tracks",
                                        "UPDATE agreements SET body = ''"};
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++)
        assert_int_not_equal(sqlite3_exec(db, edits[i], NULL, NULL, NULL), SQLITE_OK);
    /* No trigger of the copy is left behind. */
    sqlite3_stmt *q;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_temp_schema", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    temp_store_unlink(path_b);
    temp_store_remove(a, dir, path);
}

static void test_target_not_empty(void **state)
{
    (void)state;
    char dir[32], path[64], path_b[96];
    truce_store *b;
    truce_store *a = open_pair(dir, path, path_b, &b);
    put(b, "x", 0, NULL);
    truce_store_census before, after;
    assert_int_equal(truce_store_census_take(b, &before), TRUCE_OK);
    char why[256] = "";
    assert_int_equal(truce_store_copy(a, b, NULL, NULL, NULL, why, sizeof why), TRUCE_E_ARG);
    assert_non_null(strstr(why, "not empty"));
    assert_non_null(strstr(why, "events"));
    assert_int_equal(truce_store_census_take(b, &after), TRUCE_OK);
    assert_true(truce_store_census_equal(&before, &after));
    assert_int_equal(truce_store_copy(a, a, NULL, NULL, NULL, why, sizeof why), TRUCE_E_ARG);
    truce_store_free(b);
    temp_store_unlink(path_b);
    temp_store_remove(a, dir, path);
}

/* An empty store's census: zero rows, the checksums of nothing. */
static void test_empty_census(void **state)
{
    (void)state;
    char dir[32], path[64];
    truce_store *a = temp_store_open(dir, path);
    truce_store_census c;
    assert_int_equal(truce_store_census_take(a, &c), TRUCE_OK);
    for (size_t t = 0; t < TRUCE_STORE_TABLES; t++)
        assert_int_equal(c.rows[t], 0);
    /* SHA-256 of no bytes: e3b0c442... */
    assert_int_equal(c.sha256[0], 0xe3);
    assert_int_equal(c.sha256[1], 0xb0);
    assert_null(truce_store_table_name(TRUCE_STORE_TABLES));
    temp_store_remove(a, dir, path);
}

/* An allocator whose call number fail_at (from 1; 0: none) fails. */
typedef struct counter {
    long calls, fail_at;
} counter;

static void *count_malloc(void *user, size_t size)
{
    counter *c = user;
    return ++c->calls == c->fail_at ? NULL : malloc(size);
}

static void *count_realloc(void *user, void *ptr, size_t size)
{
    counter *c = user;
    return ++c->calls == c->fail_at ? NULL : realloc(ptr, size);
}

static void count_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

/* Copy a into a new store with allocation `fail_at` of the copy failing;
 * the number of allocations made. */
static long copy_failing(truce_store *a, const char *dir, long fail_at, truce_status want)
{
    char path_b[96];
    snprintf(path_b, sizeof path_b, "%s/oom.db", dir);
    truce_store *b;
    assert_int_equal(truce_store_open(path_b, &b, NULL, 0), TRUCE_OK);
    counter c = {0, fail_at};
    truce_allocator hook = {count_malloc, count_realloc, count_free, &c};
    assert_int_equal(truce_set_allocator(&hook), TRUCE_OK);
    char why[256] = "";
    truce_status st = truce_store_copy(a, b, NULL, NULL, NULL, why, sizeof why);
    assert_int_equal(truce_set_allocator(NULL), TRUCE_OK);
    assert_int_equal(st, want);
    if (want)
        assert_non_null(strstr(why, "remove it and copy again"));
    truce_store_free(b);
    temp_store_unlink(path_b);
    return c.calls;
}

/* Each allocation of a copy failing in turn: TRUCE_E_NOMEM, nothing
 * leaked (the sanitizer build checks). */
static void test_copy_out_of_memory(void **state)
{
    (void)state;
    char dir[32], path[64];
    truce_store *a = temp_store_open(dir, path);
    fill(a);
    long n = copy_failing(a, dir, 0, TRUCE_OK);
    assert_true(n >= 2);
    for (long k = 1; k <= n; k++)
        copy_failing(a, dir, k, TRUCE_E_NOMEM);
    temp_store_remove(a, dir, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_is_the_same_store),
        cmocka_unit_test(test_target_not_empty),
        cmocka_unit_test(test_empty_census),
        cmocka_unit_test(test_copy_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
