/* The store (truce/store.h) with its SQLite backend (and, as
 * unit.test_store.pg, its PostgreSQL backend: store_fixture.h), and the
 * review rules
 * (truce/review.h): migrations from an empty file and from version 1,
 * tokens, reports with ids and idempotency keys, reviews, the append-only
 * history, listing by keyset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_impl.h"
#include "store_fixture.h"
#include "truce/review.h"
#include "truce/store.h"

static const char *const PARTIES[] = {"Russia", "Turkey"};

/* A fresh store (store_fixture.h), its location in path. */
typedef struct fixture {
    char path[FIXTURE_WHERE];
    truce_store *s;
} fixture;

static int setup(void **state)
{
    static int n;
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    char name[32];
    snprintf(name, sizeof name, "t%d", ++n);
    fixture_store(f->path, name);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    truce_store_free(f->s);
    free(f);
    return 0;
}

/* Open the fixture's store with four tokens, numbers 1 to 4 (reports and
 * reviews refer to their token). */
static void open_with_tokens(fixture *f)
{
    assert_int_equal(truce_store_open(f->path, &f->s, NULL, 0), TRUCE_OK);
    char t[TRUCE_TOKEN_SIZE];
    assert_int_equal(truce_store_token_add(f->s, TRUCE_ROLE_ADMIN, NULL, NULL, t, NULL), TRUCE_OK);
    assert_int_equal(truce_store_token_add(f->s, TRUCE_ROLE_PARTY, "Russia", NULL, t, NULL),
                     TRUCE_OK);
    assert_int_equal(truce_store_token_add(f->s, TRUCE_ROLE_PARTY, "Turkey", NULL, t, NULL),
                     TRUCE_OK);
    assert_int_equal(truce_store_token_add(f->s, TRUCE_ROLE_REPORTER, NULL, NULL, t, NULL),
                     TRUCE_OK);
}

#define query_int fixture_int

static void test_open_empty(void **state)
{
    fixture *f = *state;
    char why[256];
    assert_int_equal(truce_store_open(f->path, &f->s, why, sizeof why), TRUCE_OK);
    assert_true(truce_store_schema_version() >= 2);
    if (fixture_is_pg(f->path, "WAL mode and PRAGMA settings")) {
        /* the same schema version; opened again (by another process, under
         * the migrations' advisory lock): nothing to migrate */
        assert_int_equal(query_int(f->path, "SELECT version FROM truce_schema"),
                         truce_store_schema_version());
        truce_store *again;
        assert_int_equal(truce_store_open(f->path, &again, why, sizeof why), TRUCE_OK);
        truce_store_free(again);
        assert_int_equal(query_int(f->path, "SELECT count(*) FROM truce_schema"), 1);
        /* where PostGIS is installed (tests/pg_run.sh's cluster has it when
         * the package is there), the geography column and its index */
        if (access("/usr/share/postgresql/15/extension/postgis.control", F_OK) == 0) {
            assert_true(trc_store_pg_postgis(f->s));
            assert_int_equal(query_int(f->path, "SELECT count(*) FROM pg_indexes"
                                                " WHERE indexname = 'event_facets_geog'"),
                             1);
        }
        return;
    }
    assert_int_equal(query_int(f->path, "PRAGMA user_version"), truce_store_schema_version());
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    sqlite3_close(db);
    /* A commit is on disk when it returns: synchronous=FULL (2) on the
     * store's own connection; foreign keys are checked. */
    long long v;
    assert_int_equal(trc_store_sqlite_pragma(f->s, "synchronous", &v), TRUCE_OK);
    assert_int_equal(v, 2);
    assert_int_equal(trc_store_sqlite_pragma(f->s, "foreign_keys", &v), TRUCE_OK);
    assert_int_equal(v, 1);
    /* Statement journals and sorts in memory, not a temporary file per
     * transaction: temp_store=MEMORY (2). */
    assert_int_equal(trc_store_sqlite_pragma(f->s, "temp_store", &v), TRUCE_OK);
    assert_int_equal(v, 2);
    /* Opened again: nothing to migrate, same version. */
    truce_store *again;
    assert_int_equal(truce_store_open(f->path, &again, why, sizeof why), TRUCE_OK);
    truce_store_free(again);
    assert_int_equal(query_int(f->path, "PRAGMA user_version"), truce_store_schema_version());
}

static void test_open_from_version_1(void **state)
{
    fixture *f = *state;
    char why[256];
    if (fixture_is_pg(f->path, "migrating from version 1 (no PostgreSQL store predates 9)"))
        return;
    assert_int_equal(trc_store_sqlite_create(f->path, 1, why, sizeof why), TRUCE_OK);
    assert_int_equal(query_int(f->path, "PRAGMA user_version"), 1);
    /* A version-1 store has tokens only. */
    assert_false(fixture_exec(f->path, "SELECT * FROM events"));
    /* A token made by a truce of version 1 (its digest, as v1 stored it) still works. */
    unsigned char hash[32];
    trc_sha256("old-token", 9, hash);
    char sql[300];
    int n = snprintf(sql, sizeof sql, "INSERT INTO tokens (sha256, role, created_at) VALUES (x'");
    for (int i = 0; i < 32; i++)
        n += snprintf(sql + n, sizeof sql - (size_t)n, "%02x", hash[i]);
    snprintf(sql + n, sizeof sql - (size_t)n, "', 'viewer', '2026-01-01T00:00:00Z')");
    assert_true(fixture_exec(f->path, sql));
    assert_int_equal(truce_store_open(f->path, &f->s, why, sizeof why), TRUCE_OK);
    assert_int_equal(query_int(f->path, "PRAGMA user_version"), truce_store_schema_version());
    truce_token_info who;
    assert_int_equal(truce_store_token_verify(f->s, "old-token", &who), TRUCE_OK);
    assert_int_equal(who.role, TRUCE_ROLE_VIEWER);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM events"), 0);
}

static void test_open_refuses(void **state)
{
    fixture *f = *state;
    char why[256];
    int pg = fixture_is_pg(f->path, NULL);
    /* Another application's SQLite file, or PostgreSQL database. */
    assert_true(
        fixture_exec(f->path, pg ? "CREATE TABLE other (x int)" : "CREATE TABLE other (x)"));
    assert_int_equal(truce_store_open(f->path, &f->s, why, sizeof why), TRUCE_E_IO);
    assert_null(f->s);
    assert_non_null(strstr(why, "not a truce store"));
    /* A store from a newer truce. */
    if (pg) {
        assert_true(fixture_exec(f->path, "DROP TABLE other"));
        assert_int_equal(truce_store_open(f->path, &f->s, why, sizeof why), TRUCE_OK);
        truce_store_free(f->s);
        f->s = NULL;
        assert_true(fixture_exec(f->path, "UPDATE truce_schema SET version = 99"));
    } else {
        unlink(f->path);
        assert_int_equal(trc_store_sqlite_create(f->path, 1, why, sizeof why), TRUCE_OK);
        assert_true(fixture_exec(f->path, "PRAGMA user_version = 99"));
    }
    assert_int_equal(truce_store_open(f->path, &f->s, why, sizeof why), TRUCE_E_RANGE);
    assert_non_null(strstr(why, "newer"));
    /* Not a file at all; no PostgreSQL server there. */
    assert_int_equal(truce_store_open("/nonexistent/dir/t.db", &f->s, why, sizeof why), TRUCE_E_IO);
    assert_int_equal(truce_store_open("postgresql://127.0.0.1:1/truce", &f->s, why, sizeof why),
                     TRUCE_E_IO);
    assert_non_null(strstr(why, "127.0.0.1"));
}

static truce_status count_tokens(void *ctx, const truce_token_info *t)
{
    (void)t;
    ++*(int *)ctx;
    return TRUCE_OK;
}

static void test_tokens(void **state)
{
    fixture *f = *state;
    assert_int_equal(truce_store_open(f->path, &f->s, NULL, 0), TRUCE_OK);
    char a[TRUCE_TOKEN_SIZE], b[TRUCE_TOKEN_SIZE];
    int64_t ida, idb;
    assert_int_equal(truce_store_token_add(f->s, TRUCE_ROLE_ADMIN, NULL, "ops", a, &ida), TRUCE_OK);
    assert_int_equal(truce_store_token_add(f->s, TRUCE_ROLE_PARTY, "Turkey", NULL, b, &idb),
                     TRUCE_OK);
    assert_int_equal(strlen(a), 64);
    assert_string_not_equal(a, b);
    /* Only digests are stored: the token's text is nowhere in the file. */
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM tokens WHERE sha256 = '%s' OR name = '%s'", a,
             a);
    assert_int_equal(query_int(f->path, sql), 0);
    truce_token_info who;
    assert_int_equal(truce_store_token_verify(f->s, b, &who), TRUCE_OK);
    assert_int_equal(who.id, idb);
    assert_int_equal(who.role, TRUCE_ROLE_PARTY);
    assert_string_equal(who.party, "Turkey");
    assert_string_equal(who.revoked_at, "");
    assert_int_equal(truce_store_token_verify(f->s, "nope", &who), TRUCE_E_NOT_FOUND);
    /* Revoked: fails at once; revoking twice is not found. */
    assert_int_equal(truce_store_token_revoke(f->s, ida), TRUCE_OK);
    assert_int_equal(truce_store_token_verify(f->s, a, &who), TRUCE_E_NOT_FOUND);
    assert_int_equal(truce_store_token_revoke(f->s, ida), TRUCE_E_NOT_FOUND);
    assert_int_equal(truce_store_token_revoke(f->s, 999), TRUCE_E_NOT_FOUND);
    int n = 0;
    assert_int_equal(truce_store_token_list(f->s, count_tokens, &n), TRUCE_OK);
    assert_int_equal(n, 2);
    /* Arguments: a party token needs its party, others have none; text is bounded. */
    assert_int_equal(truce_store_token_add(f->s, TRUCE_ROLE_PARTY, NULL, NULL, a, NULL),
                     TRUCE_E_ARG);
    assert_int_equal(truce_store_token_add(f->s, TRUCE_ROLE_VIEWER, "Russia", NULL, a, NULL),
                     TRUCE_E_ARG);
    assert_int_equal(truce_store_token_add(f->s, TRUCE_ROLE_VIEWER, NULL, "a\nb", a, NULL),
                     TRUCE_E_RANGE);
}

#define RECORD(id, extra) "{\"id\":\"" id "\",\"violation\":\"none\"" extra "}"

static truce_store_report report(const char *id, const char *event, const char *record)
{
    truce_store_report r;
    memset(&r, 0, sizeof r);
    r.id = id;
    r.event_json = event;
    r.record = record;
    r.received_at = "2026-12-05T22:00:00.000000Z";
    r.token_id = 1;
    return r;
}

/* Store the event `id` (a minimal event and record), which must be new. */
static void put_event(truce_store *s, const char *id)
{
    char ev[64], rec[96];
    snprintf(ev, sizeof ev, "{\"id\":\"%s\"}", id);
    snprintf(rec, sizeof rec, "{\"id\":\"%s\",\"violation\":\"none\"}", id);
    truce_store_report r = report(id, ev, rec);
    truce_store_put_result res;
    truce_text a = {0};
    assert_int_equal(truce_store_report_put(s, &r, &res, &a), TRUCE_OK);
    assert_int_equal(res.outcome, TRUCE_STORE_CREATED);
    truce_text_release(&a);
}

/* Reports submitted without waiting: each owner is told once, after the
 * commit that holds its report, with the answer set; a duplicate id in the
 * same batch is its own outcome; an agreement put (which flushes first)
 * sees them all stored. */
typedef struct told {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int count;
    truce_status st[8];
} told;

static void on_told(void *ctx, truce_status st)
{
    told *t = ctx;
    pthread_mutex_lock(&t->lock);
    t->st[t->count++] = st;
    pthread_cond_signal(&t->cond);
    pthread_mutex_unlock(&t->lock);
}

static void test_reports_submitted(void **state)
{
    fixture *f = *state;
    open_with_tokens(f);
    told t = {.count = 0};
    pthread_mutex_init(&t.lock, NULL);
    pthread_cond_init(&t.cond, NULL);
    truce_store_report r[4] = {
        report("s1", "{\"id\":\"s1\"}", RECORD("s1", "")),
        report("s2", "{\"id\":\"s2\"}", RECORD("s2", "")),
        report("s3", "{\"id\":\"s3\"}", RECORD("s3", "")),
        report("s1", "{\"id\":\"s1\",\"x\":1}", RECORD("s1", "")),
    };
    truce_store_put_result res[4];
    truce_text a[4] = {{0}};
    for (int i = 0; i < 4; i++)
        assert_int_equal(truce_store_report_submit(f->s, &r[i], &res[i], &a[i], on_told, &t),
                         TRUCE_OK);
    pthread_mutex_lock(&t.lock);
    while (t.count < 4)
        pthread_cond_wait(&t.cond, &t.lock);
    pthread_mutex_unlock(&t.lock);
    for (int i = 0; i < 4; i++)
        assert_int_equal(t.st[i], TRUCE_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(res[i].outcome, TRUCE_STORE_CREATED);
        assert_non_null(strstr(a[i].p, "\"status\":\"submitted\""));
    }
    assert_int_equal(res[3].outcome, TRUCE_STORE_CONFLICT);
    assert_int_equal(a[3].len, 0);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM events"), 3);
    /* Refused at once, and not told: bad arguments. */
    truce_store_report bad = r[0];
    bad.id = NULL;
    assert_int_equal(truce_store_report_submit(f->s, &bad, &res[0], &a[0], on_told, &t),
                     TRUCE_E_ARG);
    assert_int_equal(truce_store_report_submit(f->s, &r[0], &res[0], &a[0], NULL, &t), TRUCE_E_ARG);
    assert_int_equal(t.count, 4);
    for (int i = 0; i < 4; i++)
        truce_text_release(&a[i]);
    pthread_cond_destroy(&t.cond);
    pthread_mutex_destroy(&t.lock);
}

static void test_reports(void **state)
{
    fixture *f = *state;
    open_with_tokens(f);
    truce_store_report r = report("e1", "{\"id\":\"e1\"}", RECORD("e1", ""));
    truce_store_put_result res;
    truce_text a = {0};
    assert_int_equal(truce_store_report_put(f->s, &r, &res, &a), TRUCE_OK);
    assert_int_equal(res.outcome, TRUCE_STORE_CREATED);
    assert_int_equal(res.replayed, 0);
    assert_string_equal(a.p, "{\"id\":\"e1\",\"violation\":\"none\",\"status\":\"submitted\","
                             "\"received_at\":\"2026-12-05T22:00:00.000000Z\"}");
    /* The same event again: existed, the same answer, nothing written. */
    a.len = 0;
    assert_int_equal(truce_store_report_put(f->s, &r, &res, &a), TRUCE_OK);
    assert_int_equal(res.outcome, TRUCE_STORE_EXISTED);
    assert_non_null(strstr(a.p, "\"status\":\"submitted\""));
    /* The same id, another event: conflict, nothing written. */
    truce_store_report other = report("e1", "{\"id\":\"e1\",\"x\":1}", RECORD("e1", ""));
    a.len = 0;
    assert_int_equal(truce_store_report_put(f->s, &other, &res, &a), TRUCE_OK);
    assert_int_equal(res.outcome, TRUCE_STORE_CONFLICT);
    assert_int_equal(a.len, 0);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM events"), 1);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM verdicts"), 1);
    /* An idempotency key: the retry is replayed, another request with it refused. */
    truce_store_report k = report("e2", "{\"id\":\"e2\"}", RECORD("e2", ""));
    k.idempotency_key = "key-1";
    k.request = "body one";
    k.request_len = 8;
    a.len = 0;
    assert_int_equal(truce_store_report_put(f->s, &k, &res, &a), TRUCE_OK);
    assert_int_equal(res.outcome, TRUCE_STORE_CREATED);
    char *first = strdup(a.p);
    k.received_at = "2026-12-05T23:00:00.000000Z";
    a.len = 0;
    assert_int_equal(truce_store_report_put(f->s, &k, &res, &a), TRUCE_OK);
    assert_int_equal(res.outcome, TRUCE_STORE_CREATED);
    assert_int_equal(res.replayed, 1);
    assert_string_equal(a.p, first);
    free(first);
    k.request = "body two";
    a.len = 0;
    assert_int_equal(truce_store_report_put(f->s, &k, &res, &a), TRUCE_OK);
    assert_int_equal(res.outcome, TRUCE_STORE_KEY_REUSED);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM events"), 2);
    /* The same key from another token is another key. */
    k.token_id = 2;
    k.id = "e3";
    k.event_json = "{\"id\":\"e3\"}";
    k.record = RECORD("e3", "");
    a.len = 0;
    assert_int_equal(truce_store_report_put(f->s, &k, &res, &a), TRUCE_OK);
    assert_int_equal(res.outcome, TRUCE_STORE_CREATED);
    int64_t by;
    assert_int_equal(truce_store_event_submitter(f->s, "e3", &by), TRUCE_OK);
    assert_int_equal(by, 2);
    assert_int_equal(truce_store_event_submitter(f->s, "zz", &by), TRUCE_E_NOT_FOUND);
    /* A record that is not an object is a bug of the caller's: nothing stored. */
    truce_store_report broken = report("e4", "{}", "[1]");
    a.len = 0;
    assert_int_not_equal(truce_store_report_put(f->s, &broken, &res, &a), TRUCE_OK);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM events"), 3);
    truce_text_release(&a);
}

/* A batch: one transaction; stored, already stored and conflicting ids told
 * apart, a repeated id within the batch seeing its first; a bad batch
 * writes nothing. */
static void test_reports_batch(void **state)
{
    fixture *f = *state;
    open_with_tokens(f);
    put_event(f->s, "e1");
    truce_store_report b[4] = {
        report("e1", "{\"id\":\"e1\"}", RECORD("e1", "")),
        report("e2", "{\"id\":\"e2\"}", RECORD("e2", "")),
        report("e3", "{\"id\":\"e3\"}", RECORD("e3", "")),
        report("e3", "{\"id\":\"e3\",\"x\":1}", RECORD("e3", "")),
    };
    b[0].event_json = "{\"id\":\"e1\",\"changed\":1}";
    truce_store_outcome out[4];
    assert_int_equal(truce_store_reports_put(f->s, b, 4, out), TRUCE_OK);
    assert_int_equal(out[0], TRUCE_STORE_CONFLICT);
    assert_int_equal(out[1], TRUCE_STORE_CREATED);
    assert_int_equal(out[2], TRUCE_STORE_CREATED);
    assert_int_equal(out[3], TRUCE_STORE_CONFLICT);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM events"), 3);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM verdicts"), 3);
    /* Again: every one stored already (or still conflicting). */
    assert_int_equal(truce_store_reports_put(f->s, b + 1, 2, out), TRUCE_OK);
    assert_int_equal(out[0], TRUCE_STORE_EXISTED);
    assert_int_equal(out[1], TRUCE_STORE_EXISTED);
    int64_t by;
    assert_int_equal(truce_store_event_submitter(f->s, "e2", &by), TRUCE_OK);
    assert_int_equal(by, 1);
    /* A report without an id: refused before anything is written. */
    truce_store_report bad[2] = {report("e9", "{\"id\":\"e9\"}", RECORD("e9", "")),
                                 report(NULL, "{}", RECORD("x", ""))};
    assert_int_equal(truce_store_reports_put(f->s, bad, 2, out), TRUCE_E_ARG);
    assert_int_equal(truce_store_reports_put(f->s, bad, 0, out), TRUCE_E_ARG);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM events"), 3);
}

/* Tracks: kept verbatim, listed in order (by submitter when asked), the
 * same bytes stored once, names checked, the table append-only. */
typedef struct track_seen {
    int n;
    int64_t ids[4];
    char names[4][16];
    size_t lens[4];
} track_seen;

static truce_status on_track(void *ctx, const truce_store_track *t)
{
    track_seen *seen = ctx;
    if (seen->n == 4)
        return TRUCE_E_RANGE;
    seen->ids[seen->n] = t->id;
    snprintf(seen->names[seen->n], sizeof seen->names[0], "%s", t->name);
    seen->lens[seen->n++] = t->len;
    return TRUCE_OK;
}

static void test_tracks(void **state)
{
    fixture *f = *state;
    open_with_tokens(f);
    static const char a[] = "<gpx>a\0with a NUL</gpx>", b[] = "<gpx>b</gpx>";
    int64_t id1, id2, id;
    int existed;
    assert_int_equal(truce_store_track_put(f->s, "a.gpx", a, sizeof a - 1, 1, &id1, &existed),
                     TRUCE_OK);
    assert_int_equal(existed, 0);
    assert_int_equal(truce_store_track_put(f->s, "b.gpx", b, sizeof b - 1, 3, &id2, &existed),
                     TRUCE_OK);
    assert_true(id2 > id1);
    assert_int_equal(truce_store_track_put(f->s, "again.gpx", a, sizeof a - 1, 3, &id, &existed),
                     TRUCE_OK);
    assert_int_equal(existed, 1);
    assert_int_equal(id, id1);
    assert_int_equal(truce_store_track_put(f->s, "", b, 1, 1, &id, &existed), TRUCE_E_RANGE);
    assert_int_equal(truce_store_track_put(f->s, "a\nb", b, 1, 1, &id, &existed), TRUCE_E_RANGE);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM tracks"), 2);
    track_seen seen = {0};
    assert_int_equal(truce_store_tracks_list(f->s, 0, on_track, &seen), TRUCE_OK);
    assert_int_equal(seen.n, 2);
    assert_string_equal(seen.names[0], "a.gpx");
    assert_int_equal(seen.lens[0], sizeof a - 1);
    assert_string_equal(seen.names[1], "b.gpx");
    track_seen mine = {0};
    assert_int_equal(truce_store_tracks_list(f->s, 3, on_track, &mine), TRUCE_OK);
    assert_int_equal(mine.n, 1);
    assert_int_equal(mine.ids[0], id2);
    /* A callback's failure stops the listing and is returned. */
    track_seen full = {.n = 4};
    assert_int_equal(truce_store_tracks_list(f->s, 0, on_track, &full), TRUCE_E_RANGE);
    truce_store_free(f->s);
    f->s = NULL;
    assert_false(fixture_exec(f->path, "DELETE FROM tracks"));
    assert_false(fixture_exec(f->path, "UPDATE tracks SET name = 'x'"));
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM tracks"), 2);
}

/* Reports in one batch (one transaction, one commit) are each stored as
 * if alone: one that fails leaves nothing and keeps none of the others
 * out; two with the same id in one batch are created, then existed. */
static void test_report_batch(void **state)
{
    fixture *f = *state;
    open_with_tokens(f);
    truce_store_report r[4] = {report("b1", "{\"id\":\"b1\"}", RECORD("b1", "")),
                               report("b2", "{}", "[1]"),
                               report("b3", "{\"id\":\"b3\"}", RECORD("b3", "")),
                               report("b3", "{\"id\":\"b3\"}", RECORD("b3", ""))};
    trc_report_job jobs[4];
    truce_store_put_result res[4];
    truce_text a[4];
    memset(jobs, 0, sizeof jobs);
    memset(a, 0, sizeof a);
    for (int i = 0; i < 4; i++) {
        jobs[i].r = &r[i];
        jobs[i].result = &res[i];
        jobs[i].answer = &a[i];
        jobs[i].group.next = i < 3 ? &jobs[i + 1].group : NULL;
        trc_sha256(r[i].event_json, strlen(r[i].event_json), jobs[i].event_sha256);
    }
    f->s->ops->report_batch(f->s, &jobs[0]);
    assert_int_equal(jobs[0].status, TRUCE_OK);
    assert_int_equal(res[0].outcome, TRUCE_STORE_CREATED);
    assert_int_not_equal(jobs[1].status, TRUCE_OK);
    assert_int_equal(a[1].len, 0);
    assert_int_equal(jobs[2].status, TRUCE_OK);
    assert_int_equal(res[2].outcome, TRUCE_STORE_CREATED);
    assert_int_equal(jobs[3].status, TRUCE_OK);
    assert_int_equal(res[3].outcome, TRUCE_STORE_EXISTED);
    assert_non_null(strstr(a[3].p, "\"status\":\"submitted\""));
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM events"), 2);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM verdicts"), 2);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM events WHERE id = 'b2'"), 0);
    for (int i = 0; i < 4; i++)
        truce_text_release(&a[i]);
}

/* Reports put from several threads at once (they share commits): every one
 * is stored, once, with its verdict. */
#define PUTTERS 6
#define PUTS 40

static void *putter(void *arg)
{
    fixture *f = arg;
    static int next;
    int me = __atomic_fetch_add(&next, 1, __ATOMIC_SEQ_CST);
    for (int i = 0; i < PUTS; i++) {
        char id[32];
        snprintf(id, sizeof id, "t%d-%d", me, i);
        put_event(f->s, id);
    }
    return NULL;
}

static void test_report_threads(void **state)
{
    fixture *f = *state;
    open_with_tokens(f);
    pthread_t t[PUTTERS];
    for (int i = 0; i < PUTTERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, putter, f), 0);
    for (int i = 0; i < PUTTERS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(query_int(f->path, "SELECT count(DISTINCT id) FROM events"), PUTTERS * PUTS);
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM verdicts"), PUTTERS * PUTS);
}

static void test_append_only(void **state)
{
    fixture *f = *state;
    open_with_tokens(f);
    put_event(f->s, "e1");
    truce_text a = {0};
    truce_token_info admin = {.id = 1, .role = TRUCE_ROLE_ADMIN};
    truce_review_request rq = {TRUCE_REVIEW_COMMENT, NULL, "seen", NULL};
    truce_review_decision d;
    a.len = 0;
    assert_int_equal(truce_store_review(f->s, "e1", &admin, &rq, NULL, PARTIES, 2, &d, &a),
                     TRUCE_OK);
    assert_int_equal(d.outcome, TRUCE_REVIEW_OK);
    truce_text_release(&a);
    assert_false(fixture_exec(f->path, "UPDATE events SET event = '{}'"));
    assert_false(fixture_exec(f->path, "DELETE FROM events"));
    assert_false(fixture_exec(f->path, "UPDATE verdicts SET record = '{}'"));
    assert_false(fixture_exec(f->path, "DELETE FROM verdicts"));
    assert_false(fixture_exec(f->path, "UPDATE reviews SET note = 'x'"));
    assert_false(fixture_exec(f->path, "DELETE FROM reviews"));
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM reviews WHERE note = 'seen'"), 1);
}

/* Review `id` as `who`: the decision's outcome. */
static truce_review_outcome review(truce_store *s, const char *id, const truce_token_info *who,
                                   truce_review_action action, const char *party, const char *note)
{
    truce_review_request rq = {action, party, note, NULL};
    truce_review_decision d;
    truce_text out = {0};
    assert_int_equal(truce_store_review(s, id, who, &rq, NULL, PARTIES, 2, &d, &out), TRUCE_OK);
    if (d.outcome == TRUCE_REVIEW_OK)
        assert_non_null(strstr(out.p, truce_review_status_name(d.to)));
    else
        assert_int_equal(out.len, 0);
    truce_text_release(&out);
    return d.outcome;
}

static void test_reviews(void **state)
{
    fixture *f = *state;
    open_with_tokens(f);
    put_event(f->s, "e1");
    truce_text a = {0};
    truce_token_info ru = {.id = 2, .role = TRUCE_ROLE_PARTY, .party = "Russia"};
    truce_token_info tr = {.id = 3, .role = TRUCE_ROLE_PARTY, .party = "Turkey"};
    truce_token_info admin = {.id = 1, .role = TRUCE_ROLE_ADMIN};
    truce_token_info reporter = {.id = 4, .role = TRUCE_ROLE_REPORTER};
    assert_int_equal(review(f->s, "e1", &reporter, TRUCE_REVIEW_CONFIRM, NULL, NULL),
                     TRUCE_REVIEW_FORBIDDEN);
    assert_int_equal(review(f->s, "e1", &ru, TRUCE_REVIEW_CONFIRM, "Turkey", NULL),
                     TRUCE_REVIEW_FORBIDDEN);
    assert_int_equal(review(f->s, "e1", &ru, TRUCE_REVIEW_CONFIRM, NULL, NULL), TRUCE_REVIEW_OK);
    assert_int_equal(review(f->s, "e1", &ru, TRUCE_REVIEW_CONFIRM, NULL, NULL),
                     TRUCE_REVIEW_CONFLICT);
    a.len = 0;
    assert_int_equal(truce_store_event_get(f->s, "e1", &a), TRUCE_OK);
    assert_non_null(strstr(a.p, "\"status\":\"confirmed\""));
    assert_non_null(strstr(a.p, "\"confirmed_by\":[\"Russia\"]"));
    assert_int_equal(review(f->s, "e1", &tr, TRUCE_REVIEW_DISPUTE, NULL, NULL),
                     TRUCE_REVIEW_INVALID);
    assert_int_equal(review(f->s, "e1", &tr, TRUCE_REVIEW_DISPUTE, NULL, "not ours"),
                     TRUCE_REVIEW_OK);
    a.len = 0;
    assert_int_equal(truce_store_event_get(f->s, "e1", &a), TRUCE_OK);
    assert_non_null(strstr(a.p, "\"status\":\"disputed\""));
    assert_int_equal(review(f->s, "e1", &tr, TRUCE_REVIEW_CONFIRM, NULL, NULL), TRUCE_REVIEW_OK);
    a.len = 0;
    assert_int_equal(truce_store_event_get(f->s, "e1", &a), TRUCE_OK);
    assert_non_null(strstr(a.p, "\"status\":\"jointly_verified\""));
    assert_non_null(strstr(a.p, "\"confirmed_by\":[\"Russia\",\"Turkey\"]"));
    assert_non_null(strstr(a.p, "\"note\":\"not ours\""));
    assert_int_equal(review(f->s, "e1", &ru, TRUCE_REVIEW_REJECT, NULL, "x"),
                     TRUCE_REVIEW_FORBIDDEN);
    assert_int_equal(review(f->s, "e1", &admin, TRUCE_REVIEW_CONFIRM, NULL, NULL),
                     TRUCE_REVIEW_INVALID);
    assert_int_equal(review(f->s, "e1", &admin, TRUCE_REVIEW_REJECT, NULL, "duplicate"),
                     TRUCE_REVIEW_OK);
    assert_int_equal(review(f->s, "e1", &tr, TRUCE_REVIEW_DISPUTE, NULL, "late"),
                     TRUCE_REVIEW_CONFLICT);
    assert_int_equal(review(f->s, "e1", &tr, TRUCE_REVIEW_COMMENT, NULL, "fine"), TRUCE_REVIEW_OK);
    a.len = 0;
    assert_int_equal(truce_store_event_get(f->s, "e1", &a), TRUCE_OK);
    assert_non_null(strstr(a.p, "\"status\":\"rejected\""));
    assert_int_equal(query_int(f->path, "SELECT count(*) FROM reviews"), 5);
    /* No such event. */
    truce_review_request rq = {TRUCE_REVIEW_COMMENT, NULL, "x", NULL};
    truce_review_decision d;
    assert_int_equal(truce_store_review(f->s, "nope", &admin, &rq, NULL, PARTIES, 2, &d, &a),
                     TRUCE_E_NOT_FOUND);
    assert_int_equal(truce_store_event_get(f->s, "nope", &a), TRUCE_E_NOT_FOUND);
    truce_text_release(&a);
}

typedef struct page {
    int n;
    char ids[8][8];
} page;

static truce_status on_event(void *ctx, const char *json, size_t len)
{
    page *p = ctx;
    assert_true(len > 10);
    assert_int_equal(json[len - 1], '}');
    snprintf(p->ids[p->n++], 8, "%.2s", json + 7);
    return TRUCE_OK;
}

static void test_list(void **state)
{
    fixture *f = *state;
    open_with_tokens(f);
    const char *ids[] = {"e1", "e2", "e3", "e4", "e5"};
    for (int i = 0; i < 5; i++)
        put_event(f->s, ids[i]);
    page p = {0};
    int64_t next;
    assert_int_equal(truce_store_events_list(f->s, NULL, 0, 2, on_event, &p, &next), TRUCE_OK);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.ids[0], "e1");
    assert_true(next > 0);
    int64_t after = next;
    assert_int_equal(truce_store_events_list(f->s, NULL, after, 2, on_event, &p, &next), TRUCE_OK);
    assert_string_equal(p.ids[2], "e3");
    assert_int_equal(truce_store_events_list(f->s, NULL, next, 2, on_event, &p, &next), TRUCE_OK);
    assert_int_equal(p.n, 5);
    assert_string_equal(p.ids[4], "e5");
    assert_int_equal(next, 0);
    /* One submitter's: none of these came from token 2. */
    truce_store_filter by2 = {.submitted_by = 2};
    page q = {0};
    assert_int_equal(truce_store_events_list(f->s, &by2, 0, 10, on_event, &q, &next), TRUCE_OK);
    assert_int_equal(q.n, 0);
    truce_store_filter by1 = {.submitted_by = 1};
    assert_int_equal(truce_store_events_list(f->s, &by1, 0, 10, on_event, &q, &next), TRUCE_OK);
    assert_int_equal(q.n, 5);
}

static void test_feature(void **state)
{
    (void)state;
    truce_text out = {0};
    const char *rec = "{\"id\":\"a\\\"b\",\"lon\":36.600000000000001,\"lat\":-0.5,\"x\":1}";
    assert_int_equal(truce_store_event_feature(rec, strlen(rec), &out), TRUCE_OK);
    char want[256];
    snprintf(want, sizeof want,
             "{\"type\":\"Feature\",\"id\":\"a\\\"b\",\"geometry\":{\"type\":\"Point\","
             "\"coordinates\":[36.6,-0.5]},\"properties\":%s}",
             rec);
    assert_string_equal(out.p, want);
    out.len = 0;
    const char *none = "{\"id\":\"n\",\"lon\":null,\"lat\":null}";
    assert_int_equal(truce_store_event_feature(none, strlen(none), &out), TRUCE_OK);
    assert_non_null(strstr(out.p, "\"geometry\":null,"));
    assert_int_equal(truce_store_event_feature("[1]", 3, &out), TRUCE_E_ARG);
    assert_int_equal(truce_store_event_feature("{\"lon\":1}", 9, &out), TRUCE_E_ARG);
    const char *bad_ids[] = {"{\"id\":7,\"lon\":1,\"lat\":2}", "{\"id\":null}", "{\"id\":[\"a\"]}",
                             "\"id\"", "{\"id\":\"a\""};
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++)
        assert_int_equal(truce_store_event_feature(bad_ids[i], strlen(bad_ids[i]), &out),
                         TRUCE_E_ARG);
    /* Members of nested objects are not the event's; whole numbers are
     * numbers; a lon that is not a number gives no point. */
    out.len = 0;
    const char *nested = "{\"x\":{\"id\":\"no\",\"lon\":9},\"lat\":35,\"id\":\"yes\",\"lon\":36}";
    assert_int_equal(truce_store_event_feature(nested, strlen(nested), &out), TRUCE_OK);
    assert_non_null(strstr(out.p, "\"id\":\"yes\",\"geometry\":{\"type\":\"Point\","
                                  "\"coordinates\":[36,35]}"));
    out.len = 0;
    const char *odd = "{\"id\":\"o\",\"lon\":{\"deg\":36},\"lat\":35}";
    assert_int_equal(truce_store_event_feature(odd, strlen(odd), &out), TRUCE_OK);
    assert_non_null(strstr(out.p, "\"geometry\":null,"));
    truce_text_release(&out);
}

static void test_decide(void **state)
{
    (void)state;
    int pos[2] = {0, 0};
    truce_review_decision d;
    truce_review_request rq = {TRUCE_REVIEW_CONFIRM, NULL, NULL, NULL};
    truce_review_decide(TRUCE_ROLE_VIEWER, NULL, &rq, 0, pos, PARTIES, 2, &d);
    assert_int_equal(d.outcome, TRUCE_REVIEW_FORBIDDEN);
    /* A party token of a party the agreement does not name. */
    truce_review_decide(TRUCE_ROLE_PARTY, "Syria", &rq, 0, pos, PARTIES, 2, &d);
    assert_int_equal(d.outcome, TRUCE_REVIEW_FORBIDDEN);
    rq.party = "Nobody";
    truce_review_decide(TRUCE_ROLE_ADMIN, NULL, &rq, 0, pos, PARTIES, 2, &d);
    assert_int_equal(d.outcome, TRUCE_REVIEW_INVALID);
    assert_string_equal(d.field, "party");
    rq.party = "Turkey";
    truce_review_decide(TRUCE_ROLE_ADMIN, NULL, &rq, 0, pos, PARTIES, 2, &d);
    assert_int_equal(d.outcome, TRUCE_REVIEW_OK);
    assert_int_equal(d.party, 1);
    assert_int_equal(d.from, TRUCE_STATUS_SUBMITTED);
    assert_int_equal(d.to, TRUCE_STATUS_CONFIRMED);
    assert_int_equal(pos[1], TRUCE_POSITION_CONFIRMED);
    assert_int_equal(truce_review_status_of(0, pos, 2), TRUCE_STATUS_CONFIRMED);
    pos[0] = TRUCE_POSITION_CONFIRMED;
    assert_int_equal(truce_review_status_of(0, pos, 2), TRUCE_STATUS_JOINTLY_VERIFIED);
    assert_int_equal(truce_review_status_of(1, pos, 2), TRUCE_STATUS_REJECTED);
    /* An agreement without parties: nothing is ever jointly verified. */
    assert_int_equal(truce_review_status_of(0, pos, 0), TRUCE_STATUS_SUBMITTED);
}

static void test_request_read(void **state)
{
    (void)state;
    truce_review_request rq;
    const char *field;
    char why[200];
    const char *ok = "{\"action\": \"dispute\", \"note\": \"<script>\", \"party\": \"Turkey\"}";
    assert_int_equal(truce_review_request_read(ok, strlen(ok), &rq, &field, why, sizeof why),
                     TRUCE_OK);
    assert_int_equal(rq.action, TRUCE_REVIEW_DISPUTE);
    assert_string_equal(rq.note, "<script>");
    assert_string_equal(rq.party, "Turkey");
    truce_review_request_release(&rq);
    static const struct {
        const char *body, *field, *why;
        truce_status st;
    } bad[] = {
        {"{\"action\": \"confirm\"", NULL, "not JSON", TRUCE_E_PARSE},
        {"[]", NULL, "object", TRUCE_E_INVALID},
        {"{}", "action", "missing", TRUCE_E_INVALID},
        {"{\"action\": \"approve\"}", "action", "unknown action", TRUCE_E_INVALID},
        {"{\"action\": 1}", "action", "string", TRUCE_E_INVALID},
        {"{\"action\": \"comment\", \"note\": 5}", "note", "string", TRUCE_E_INVALID},
        {"{\"action\": \"comment\", \"note\": \"a\\u0000b\"}", NULL, "not JSON", TRUCE_E_PARSE},
        {"{\"action\": \"comment\", \"note\": \"\xff\"}", NULL, "not JSON", TRUCE_E_PARSE},
        {"{\"action\": \"comment\", \"by\": \"x\"}", NULL, "unknown member", TRUCE_E_INVALID},
        {"{\"action\": \"comment\", \"action\": \"confirm\"}", NULL, "not JSON", TRUCE_E_PARSE},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        truce_status st = truce_review_request_read(bad[i].body, strlen(bad[i].body), &rq, &field,
                                                    why, sizeof why);
        assert_int_equal(st, bad[i].st);
        if (bad[i].field)
            assert_string_equal(field, bad[i].field);
        else
            assert_null(field);
        if (!strstr(why, bad[i].why))
            fail_msg("%s: \"%s\" lacks \"%s\"", bad[i].body, why, bad[i].why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_from_version_1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reports_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tracks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reviews, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reports_submitted, setup, teardown),
        cmocka_unit_test(test_feature),
        cmocka_unit_test(test_decide),
        cmocka_unit_test(test_request_read),
    };
    return cmocka_run_group_tests(tests, fixture_begin, fixture_end);
}
