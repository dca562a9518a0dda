/* The store's change feed (truce/store.h): every created event, verdict and
 * review numbered in order; each change gives the event as it was right
 * after it, and is filtered on that; the filter of the change feed
 * (truce_event_filter_match) selects what the listing's SQL selects, on
 * records that exercise every criterion; a waiter is woken by a commit;
 * the migration gives the history stored before it its changes, in time
 * order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store_impl.h"
#include "temp_store.h"
#include "truce/event_filter.h"
#include "truce/store.h"

static void put(truce_store *s, const char *id, const char *record, int64_t token)
{
    char event[96];
    snprintf(event, sizeof event, "{\"id\":\"%s\"}", id);
    truce_store_report r = {.id = id, .event_json = event, .record = record, .token_id = token};
    truce_store_put_result res;
    truce_text answer = {0};
    assert_int_equal(truce_store_report_put(s, &r, &res, &answer), TRUCE_OK);
    assert_int_equal(res.outcome, TRUCE_STORE_CREATED);
    truce_text_release(&answer);
}

static void confirm(truce_store *s, const char *id)
{
    static const char *const parties[] = {"Russia", "Turkey"};
    truce_token_info who = {.id = 0, .role = TRUCE_ROLE_PARTY};
    strcpy(who.party, "Turkey");
    char token[TRUCE_TOKEN_SIZE];
    assert_int_equal(truce_store_token_add(s, TRUCE_ROLE_PARTY, "Turkey", NULL, token, &who.id),
                     TRUCE_OK);
    truce_review_request rq = {TRUCE_REVIEW_CONFIRM, NULL, NULL, NULL};
    truce_review_decision d;
    truce_text out = {0};
    assert_int_equal(truce_store_review(s, id, &who, &rq, NULL, parties, 2, &d, &out), TRUCE_OK);
    assert_int_equal(d.outcome, TRUCE_REVIEW_OK);
    truce_text_release(&out);
}

/* The changes handed out, as "seq kind id status;" */
typedef struct seen {
    char text[4096];
    size_t n;
} seen;

static truce_status on_seen(void *ctx, const truce_store_change *c)
{
    seen *w = ctx;
    const char *status = strstr(c->json, "\"status\":\"");
    assert_non_null(status);
    status += 10;
    size_t len = strlen(w->text);
    snprintf(w->text + len, sizeof w->text - len, "%lld %s %s %.*s;", (long long)c->seq,
             truce_change_kind_name(c->kind), c->event_id, (int)strcspn(status, "\""), status);
    w->n++;
    return TRUCE_OK;
}

static void test_numbers_kinds_and_state_then(void **state)
{
    (void)state;
    char dir[32], path[64];
    truce_store *s = temp_store_open(dir, path);
    int64_t latest = -1;
    assert_int_equal(truce_store_changes_latest(s, &latest), TRUCE_OK);
    assert_int_equal(latest, 0);
    put(s, "a", "{\"id\":\"a\",\"violation\":\"none\"}", 0);
    put(s, "b", "{\"id\":\"b\",\"violation\":\"violation\"}", 0);
    confirm(s, "a");
    seen w = {"", 0};
    int64_t last = -1;
    assert_int_equal(truce_store_changes(s, NULL, 0, 100, on_seen, &w, &last), TRUCE_OK);
    /* a's creation says what it was then: submitted, though confirmed now. */
    assert_string_equal(w.text,
                        "1 created a submitted;2 created b submitted;3 review a confirmed;");
    assert_int_equal(last, 3);
    /* After N: the rest; a page of one; none left. */
    w.text[0] = '\0';
    assert_int_equal(truce_store_changes(s, NULL, 1, 1, on_seen, &w, &last), TRUCE_OK);
    assert_string_equal(w.text, "2 created b submitted;");
    assert_int_equal(last, 2);
    w.text[0] = '\0';
    assert_int_equal(truce_store_changes(s, NULL, 3, 10, on_seen, &w, &last), TRUCE_OK);
    assert_string_equal(w.text, "");
    assert_int_equal(last, 3);
    /* A filter on the status then: only the review passes confirmed. */
    truce_event_filter f;
    truce_event_filter_init(&f);
    assert_int_equal(truce_event_filter_set(&f, "status", "confirmed", NULL, NULL, 0), TRUCE_OK);
    truce_store_filter sf = {.events = &f};
    w.text[0] = '\0';
    assert_int_equal(truce_store_changes(s, &sf, 0, 100, on_seen, &w, &last), TRUCE_OK);
    assert_string_equal(w.text, "3 review a confirmed;");
    assert_int_equal(last, 3); /* read through, passing or not */
    assert_int_equal(truce_store_changes_latest(s, &latest), TRUCE_OK);
    assert_int_equal(latest, 3);
    temp_store_remove(s, dir, path);
}

/* ---- the change feed's filter against the listing's ---- */

#define NRECORDS 64

static void record(int i, char *out, size_t size)
{
    static const char *const verdicts[] = {"violation", "possible", "none"};
    static const char *const actors[] = {"Army", "Rebels", "Militia"};
    snprintf(out, size,
             "{\"id\":\"e%02d\",\"start\":\"2020-03-%02dT%02d:00:00Z\",\"violation\":\"%s\","
             "\"actor1\":\"%s\",\"actor2\":%s,\"sources\":\"%s\",\"lon\":%s,\"lat\":%g,"
             "\"rules\":[{\"rule\":\"r%d\"},{\"rule\":\"r%d\"}],"
             "\"zones\":{\"z1\":\"%s\",\"z2\":\"inside\"},"
             "\"corridors\":{\"m4\":{\"position\":\"%s\",\"chainage_m\":%d}}}",
             i, 1 + i % 28, i % 24, verdicts[i % 3], actors[i % 3], i % 4 ? "\"Army\"" : "null",
             i % 2 ? "BBC; Reuters" : "SANA", i % 7 ? (i % 5 ? "36.5" : "179.5") : "null",
             35.0 + (i % 10) * 0.1, i % 5, (i + 2) % 5, i % 3 ? "inside" : "outside",
             i % 5 ? "inside" : "outside", (i * 977) % 60000);
}

static truce_status on_listed(void *ctx, const char *json, size_t len)
{
    (void)len;
    char *ids = ctx;
    const char *id = strstr(json, "\"id\":\"") + 6;
    strncat(ids, id, 3);
    return TRUCE_OK;
}

static truce_status on_change_id(void *ctx, const truce_store_change *c)
{
    strncat((char *)ctx, c->event_id, 3);
    return TRUCE_OK;
}

static void test_filter_agrees_with_listing(void **state)
{
    (void)state;
    char dir[32], path[64];
    truce_store *s = temp_store_open(dir, path);
    char token[TRUCE_TOKEN_SIZE];
    for (int i = 0; i < 2; i++)
        assert_int_equal(truce_store_token_add(s, TRUCE_ROLE_REPORTER, NULL, NULL, token, NULL),
                         TRUCE_OK);
    for (int i = 0; i < NRECORDS; i++) {
        char rec[1024], id[8];
        record(i, rec, sizeof rec);
        snprintf(id, sizeof id, "e%02d", i);
        put(s, id, rec, 1 + i % 2);
    }
    confirm(s, "e05");
    static const char *const filters[][2] = {
        {"from", "2020-03-10T00:00:00Z"},
        {"to", "2020-03-09T12:00:00Z"},
        {"violation", "yes,possible"},
        {"violation", "no"},
        {"status", "confirmed"},
        {"status", "submitted"},
        {"rule", "r3"},
        {"zone", "z1"},
        {"zone", "z2"},
        {"corridor", "m4"},
        {"party", "Army"},
        {"party", "Rebels"},
        {"source", "Reuters"},
        {"bbox", "36,35.2,37,35.6"},
        {"bbox", "179,34,-179,36"},
    };
    for (size_t k = 0; k <= sizeof filters / sizeof filters[0]; k++) {
        truce_event_filter f;
        truce_event_filter_init(&f);
        if (k < sizeof filters / sizeof filters[0])
            assert_int_equal(
                truce_event_filter_set(&f, filters[k][0], filters[k][1], NULL, NULL, 0), TRUCE_OK);
        else { /* a corridor's kilometres, and who submitted */
            assert_int_equal(truce_event_filter_set(&f, "corridor", "m4", NULL, NULL, 0), TRUCE_OK);
            assert_int_equal(truce_event_filter_set(&f, "km_min", "10", NULL, NULL, 0), TRUCE_OK);
            assert_int_equal(truce_event_filter_set(&f, "km_max", "40.5", NULL, NULL, 0), TRUCE_OK);
        }
        truce_store_filter sf = {.submitted_by = k == sizeof filters / sizeof filters[0] ? 2 : 0,
                                 .events = &f};
        char listed[NRECORDS * 3 + 1] = "", changed[NRECORDS * 3 + 1] = "";
        int64_t next, last;
        assert_int_equal(truce_store_events_list(s, &sf, 0, 1000, on_listed, listed, &next),
                         TRUCE_OK);
        /* The creations only: the listing has e05 once, with its status now. */
        assert_int_equal(truce_store_changes(s, &sf, 0, NRECORDS, on_change_id, changed, &last),
                         TRUCE_OK);
        if (k == 4) /* confirmed: only the review passes, not e05's creation */
            assert_string_equal(changed, "");
        else if (k == 5) /* submitted: e05's creation passes, its listing does not */
            assert_non_null(strstr(changed, "e05"));
        else
            assert_string_equal(listed, changed);
        assert_true(strlen(listed) > 0 || k == 4);
    }
    temp_store_remove(s, dir, path);
}

/* ---- waiting ---- */

typedef struct waiter {
    truce_store *s;
    int64_t after;
    _Atomic int64_t latest; /* -1 until the wait returned */
} waiter;

static void *wait_thread(void *arg)
{
    waiter *w = arg;
    /* A minute: should the commit not wake it, the test is slow, not
     * wrong -- and says so below. */
    int64_t latest = -1;
    assert_int_equal(truce_store_changes_wait(w->s, w->after, 60000, &latest), TRUCE_OK);
    atomic_store(&w->latest, latest);
    return NULL;
}

static void test_wait(void **state)
{
    (void)state;
    char dir[32], path[64];
    truce_store *s = temp_store_open(dir, path);
    int64_t latest = -1;
    assert_int_equal(truce_store_changes_wait(s, 0, 0, &latest), TRUCE_OK);
    assert_int_equal(latest, 0);
    waiter w = {s, 0, -1};
    atomic_init(&w.latest, -1);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, wait_thread, &w), 0);
    put(s, "a", "{\"id\":\"a\"}", 0);
    pthread_join(t, NULL);
    assert_int_equal(w.latest, 1);
    /* Already there: at once. */
    assert_int_equal(truce_store_changes_wait(s, 0, 60000, &latest), TRUCE_OK);
    assert_int_equal(latest, 1);
    /* Woken with nothing new. */
    w.after = 1;
    atomic_store(&w.latest, -1);
    assert_int_equal(pthread_create(&t, NULL, wait_thread, &w), 0);
    for (int i = 0; i < 6000 && atomic_load(&w.latest) < 0; i++) {
        truce_store_changes_wake(s);
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    pthread_join(t, NULL);
    assert_int_equal(w.latest, 1);
    temp_store_remove(s, dir, path);
}

/* Two store objects on one PostgreSQL database, as two processes: a
 * change committed through one wakes a waiter of the other (the listener's
 * LISTEN/NOTIFY), long before its wait's minute is out.  SQLite stores
 * are one process's: skipped. */
static void test_wait_other_process(void **state)
{
    (void)state;
    char dir[32], path[64];
    truce_store *a = temp_store_open(dir, path);
    if (!fixture_is_pg(path, NULL)) {
        printf("skipped on SQLite: waking another process's waiter (one process per file)\n");
        temp_store_remove(a, dir, path);
        return;
    }
    truce_store *b;
    assert_int_equal(truce_store_open(path, &b, NULL, 0), TRUCE_OK);
    waiter w = {b, 0, -1};
    atomic_init(&w.latest, -1);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, wait_thread, &w), 0);
    /* the waiter waiting (it may also see the change at once: either way) */
    nanosleep(&(struct timespec){0, 200000000}, NULL);
    put(a, "a", "{\"id\":\"a\"}", 0);
    int i = 0;
    for (; i < 2000 && atomic_load(&w.latest) < 0; i++)
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    int woke = atomic_load(&w.latest) >= 0;
    truce_store_changes_wake(b); /* lets the thread go, woken or not */
    pthread_join(t, NULL);
    assert_true(woke);
    assert_int_equal(w.latest, 1);
    truce_store_free(b);
    temp_store_remove(a, dir, path);
}

/* ---- the migration: the history before it gets its changes ---- */

static void test_migration_backfills(void **state)
{
    (void)state;
    char dir[32], path[64], why[200];
    temp_store_path(dir, path);
    if (fixture_is_pg(path, "migrating a SQLite store from version 5")) {
        rmdir(dir);
        return;
    }
    assert_int_equal(trc_store_sqlite_create(path, 5, why, sizeof why), TRUCE_OK);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    /* b came first; a later, reviewed, then judged again. */
    assert_int_equal(
        sqlite3_exec(
            db,
            "INSERT INTO events VALUES (1, 'a', '{}', x'00', '2026-01-02T00:00:00Z', NULL);"
            "INSERT INTO events VALUES (2, 'b', '{}', x'01', '2026-01-01T00:00:00Z', NULL);"
            "INSERT INTO verdicts VALUES (1, 1, '{\"id\":\"a\"}', '2026-01-02T00:00:00Z', NULL);"
            "INSERT INTO verdicts VALUES (2, 2, '{\"id\":\"b\"}', '2026-01-01T00:00:00Z', NULL);"
            "INSERT INTO reviews VALUES (1, 1, '2026-01-03T00:00:00Z', NULL, 'party', 'Turkey',"
            " 'confirm', 'submitted', 'confirmed', NULL);"
            "INSERT INTO agreements VALUES (1, '{}', x'00', '2026-01-04T00:00:00Z', NULL);"
            "INSERT INTO verdicts VALUES (3, 1, '{\"id\":\"a\",\"v\":2}',"
            " '2026-01-04T00:00:00Z', 1);",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    truce_store *s;
    assert_int_equal(truce_store_open(path, &s, why, sizeof why), TRUCE_OK);
    seen w = {"", 0};
    int64_t last;
    assert_int_equal(truce_store_changes(s, NULL, 0, 100, on_seen, &w, &last), TRUCE_OK);
    assert_string_equal(w.text, "1 created b submitted;2 created a submitted;3 review a confirmed;"
                                "4 verdict a confirmed;");
    temp_store_remove(s, dir, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_kinds_and_state_then),
        cmocka_unit_test(test_filter_agrees_with_listing),
        cmocka_unit_test(test_wait),
        cmocka_unit_test(test_wait_other_process),
        cmocka_unit_test(test_migration_backfills),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
