/* The SQLite backend of the store (include/truce/store.h).
 *
 * Durability: WAL mode with synchronous=FULL, so that COMMIT returns only
 * once the WAL is synced (https://www.sqlite.org/pragma.html#pragma_synchronous:
 * "FULL ... ensures that all content is safely written to the disk surface
 * prior to continuing"); NORMAL would leave the last transactions to a
 * checkpoint and could lose them to a power cut, which a 2xx answer must
 * not.  Every writing call is one BEGIN IMMEDIATE transaction, so the
 * checks it makes (is this id stored? was this key seen?) and its writes
 * see the same state.
 *
 * Schema: PRAGMA user_version is the schema's version; `migrations` lists
 * the steps, each run in its own transaction with the version it reaches,
 * so a file stopped half-way is at some whole version.  application_id
 * tells a truce store from another SQLite file.
 *
 * One connection writes, used by one thread at a time (the mutex); the
 * reports of concurrent callers reach it in batches (group_commit.h), one
 * transaction and one sync of the WAL per batch.  Tokens are checked on a
 * second, read-only connection with its own mutex, so that a request's
 * admission does not wait for the commit in progress (in WAL mode a reader
 * sees every transaction committed before its statement began).
 */
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/util.h"
#include "store/filter_sql.h"
#include "store/sqlite_stmts.h"
#include "store/store_impl.h"
#include "store/store_sqlite_impl.h"

/* 'trce' */
#define APPLICATION_ID 0x74726365

/* The schema, one step per version: migrations[i] takes version i to i + 1.
 * A step is never edited once released; a change is a new step. */
static const char *const migrations[] = {
    /* 1: tokens */
    "CREATE TABLE tokens ("
    " id INTEGER PRIMARY KEY,"
    " sha256 BLOB NOT NULL UNIQUE,"
    " role TEXT NOT NULL CHECK (role IN ('admin','party','reporter','viewer')),"
    " party TEXT,"
    " name TEXT,"
    " created_at TEXT NOT NULL,"
    " revoked_at TEXT);",
    /* 2: events, their verdicts, their reviews, idempotency keys; history
     * is append-only */
    "CREATE TABLE events ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " id TEXT NOT NULL UNIQUE,"
    " event TEXT NOT NULL,"
    " event_sha256 BLOB NOT NULL,"
    " received_at TEXT NOT NULL,"
    " token_id INTEGER REFERENCES tokens(id));"
    "CREATE TABLE verdicts ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " event_seq INTEGER NOT NULL REFERENCES events(seq),"
    " record TEXT NOT NULL,"
    " judged_at TEXT NOT NULL);"
    "CREATE INDEX verdicts_event ON verdicts(event_seq, seq);"
    "CREATE TABLE reviews ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " event_seq INTEGER NOT NULL REFERENCES events(seq),"
    " at TEXT NOT NULL,"
    " token_id INTEGER REFERENCES tokens(id),"
    " role TEXT NOT NULL,"
    " party TEXT,"
    " action TEXT NOT NULL,"
    " from_status TEXT NOT NULL,"
    " to_status TEXT NOT NULL,"
    " note TEXT);"
    "CREATE INDEX reviews_event ON reviews(event_seq, seq);"
    "CREATE TABLE idempotency ("
    " token_id INTEGER NOT NULL,"
    " key TEXT NOT NULL,"
    " request_sha256 BLOB NOT NULL,"
    " outcome INTEGER NOT NULL,"
    " answer TEXT NOT NULL,"
    " PRIMARY KEY (token_id, key));"
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
    "CREATE TRIGGER verdicts_no_update BEFORE UPDATE ON verdicts"
    " BEGIN SELECT RAISE(ABORT, 'verdicts are append-only'); END;"
    "CREATE TRIGGER verdicts_no_delete BEFORE DELETE ON verdicts"
    " BEGIN SELECT RAISE(ABORT, 'verdicts are append-only'); END;"
    "CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews"
    " BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;"
    "CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews"
    " BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;",
    /* 3: GPX tracks of patrols, kept as posted; append-only */
    "CREATE TABLE tracks ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT NOT NULL,"
    " gpx BLOB NOT NULL,"
    " gpx_sha256 BLOB NOT NULL UNIQUE,"
    " received_at TEXT NOT NULL,"
    " token_id INTEGER REFERENCES tokens(id));"
    "CREATE TRIGGER tracks_no_update BEFORE UPDATE ON tracks"
    " BEGIN SELECT RAISE(ABORT, 'tracks are append-only'); END;"
    "CREATE TRIGGER tracks_no_delete BEFORE DELETE ON tracks"
    " BEGIN SELECT RAISE(ABORT, 'tracks are append-only'); END;",
    /* 4: query -- what the filters of a listing test (event_filter.h), kept
     * beside each event from its current verdict and status, so that they
     * are indexed.  The verdict_* views read a verdict's record once for
     * both the triggers and the rows stored before this step; triggers keep
     * the tables current as verdicts and reviews are appended (by any
     * code).  These tables are derived, not history: they are rewritten. */
    "CREATE VIEW verdict_facets AS SELECT seq AS verdict_seq, event_seq,"
    " CAST(strftime('%s', record->>'start') AS INTEGER) AS start_s,"
    " record->>'violation' AS violation,"
    " record->>'actor1' AS actor1, record->>'actor2' AS actor2,"
    " record->>'sources' AS sources,"
    " record->>'lon' AS lon, record->>'lat' AS lat FROM verdicts;"
    "CREATE VIEW verdict_rules AS SELECT v.seq AS verdict_seq, v.event_seq,"
    " j.value->>'rule' AS rule FROM verdicts v, json_each(v.record, '$.rules') j"
    " WHERE j.value->>'rule' IS NOT NULL;"
    "CREATE VIEW verdict_zones AS SELECT v.seq AS verdict_seq, v.event_seq, j.key AS zone"
    " FROM verdicts v, json_each(v.record, '$.zones') j WHERE j.value = 'inside';"
    "CREATE VIEW verdict_corridors AS SELECT v.seq AS verdict_seq, v.event_seq,"
    " j.key AS corridor, j.value->>'chainage_m' AS chainage_m"
    " FROM verdicts v, json_each(v.record, '$.corridors') j"
    " WHERE j.value->>'position' = 'inside';"
    "CREATE TABLE event_facets ("
    " event_seq INTEGER PRIMARY KEY REFERENCES events(seq),"
    " start_s INTEGER, violation TEXT, actor1 TEXT, actor2 TEXT, sources TEXT,"
    " lon REAL, lat REAL, status TEXT NOT NULL DEFAULT 'submitted');"
    "CREATE INDEX event_facets_start ON event_facets(start_s);"
    "CREATE INDEX event_facets_violation ON event_facets(violation, event_seq);"
    "CREATE INDEX event_facets_status ON event_facets(status, event_seq);"
    "CREATE INDEX event_facets_actor1 ON event_facets(actor1);"
    "CREATE INDEX event_facets_actor2 ON event_facets(actor2);"
    "CREATE INDEX event_facets_lon ON event_facets(lon, lat);"
    "CREATE TABLE event_rules (rule TEXT NOT NULL, event_seq INTEGER NOT NULL,"
    " PRIMARY KEY (rule, event_seq)) WITHOUT ROWID;"
    "CREATE TABLE event_zones (zone TEXT NOT NULL, event_seq INTEGER NOT NULL,"
    " PRIMARY KEY (zone, event_seq)) WITHOUT ROWID;"
    "CREATE TABLE event_corridors (corridor TEXT NOT NULL, event_seq INTEGER NOT NULL,"
    " chainage_m REAL, PRIMARY KEY (corridor, event_seq)) WITHOUT ROWID;"
    "CREATE INDEX event_corridors_km ON event_corridors(corridor, chainage_m);"
    "CREATE INDEX event_rules_event ON event_rules(event_seq);"
    "CREATE INDEX event_zones_event ON event_zones(event_seq);"
    "CREATE INDEX event_corridors_event ON event_corridors(event_seq);"
    "CREATE TRIGGER verdicts_facets AFTER INSERT ON verdicts BEGIN"
    " INSERT OR IGNORE INTO event_facets (event_seq) VALUES (NEW.event_seq);"
    " UPDATE event_facets SET (start_s, violation, actor1, actor2, sources, lon, lat) ="
    " (SELECT start_s, violation, actor1, actor2, sources, lon, lat FROM verdict_facets"
    " WHERE verdict_seq = NEW.seq) WHERE event_seq = NEW.event_seq;"
    " DELETE FROM event_rules WHERE event_seq = NEW.event_seq;"
    " INSERT OR IGNORE INTO event_rules SELECT rule, event_seq FROM verdict_rules"
    " WHERE verdict_seq = NEW.seq;"
    " DELETE FROM event_zones WHERE event_seq = NEW.event_seq;"
    " INSERT OR IGNORE INTO event_zones SELECT zone, event_seq FROM verdict_zones"
    " WHERE verdict_seq = NEW.seq;"
    " DELETE FROM event_corridors WHERE event_seq = NEW.event_seq;"
    " INSERT OR IGNORE INTO event_corridors SELECT corridor, event_seq, chainage_m"
    " FROM verdict_corridors WHERE verdict_seq = NEW.seq;"
    " END;"
    "CREATE TRIGGER reviews_facets AFTER INSERT ON reviews BEGIN"
    " UPDATE event_facets SET status = NEW.to_status WHERE event_seq = NEW.event_seq;"
    " END;"
    "CREATE TEMP TABLE current_verdicts AS SELECT max(seq) AS seq FROM verdicts GROUP BY event_seq;"
    "INSERT INTO event_facets (event_seq, start_s, violation, actor1, actor2, sources, lon, lat,"
    " status) SELECT event_seq, start_s, violation, actor1, actor2, sources, lon, lat,"
    " coalesce((SELECT to_status FROM reviews r WHERE r.event_seq = f.event_seq"
    " ORDER BY r.seq DESC LIMIT 1), 'submitted')"
    " FROM verdict_facets f WHERE verdict_seq IN (SELECT seq FROM current_verdicts);"
    "INSERT OR IGNORE INTO event_rules SELECT rule, event_seq FROM verdict_rules"
    " WHERE verdict_seq IN (SELECT seq FROM current_verdicts);"
    "INSERT OR IGNORE INTO event_zones SELECT zone, event_seq FROM verdict_zones"
    " WHERE verdict_seq IN (SELECT seq FROM current_verdicts);"
    "INSERT OR IGNORE INTO event_corridors SELECT corridor, event_seq, chainage_m"
    " FROM verdict_corridors WHERE verdict_seq IN (SELECT seq FROM current_verdicts);"
    "DROP TABLE temp.current_verdicts;",
    /* 5: agreement versions (append-only); a verdict says which version
     * judged it (NULL: the agreement served when the report came) */
    "CREATE TABLE agreements ("
    " version INTEGER PRIMARY KEY AUTOINCREMENT,"
    " body TEXT NOT NULL,"
    " sha256 BLOB NOT NULL,"
    " stored_at TEXT NOT NULL,"
    " token_id INTEGER REFERENCES tokens(id));"
    "CREATE INDEX agreements_sha256 ON agreements(sha256);"
    "ALTER TABLE verdicts ADD COLUMN agreement_version INTEGER REFERENCES agreements(version);"
    "CREATE TRIGGER agreements_no_update BEFORE UPDATE ON agreements"
    " BEGIN SELECT RAISE(ABORT, 'agreement versions are append-only'); END;"
    "CREATE TRIGGER agreements_no_delete BEFORE DELETE ON agreements"
    " BEGIN SELECT RAISE(ABORT, 'agreement versions are append-only'); END;",
    /* 6: the change feed -- a numbered row for each change to an event,
     * written by triggers with the verdict or review that makes it (by any
     * code), naming the verdict and review current right after it, so that
     * the event can be given as it was then.  The history stored before
     * this step gets its rows in the order it was written (by time).
     * Append-only. */
    "CREATE TABLE changes ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " event_seq INTEGER NOT NULL REFERENCES events(seq),"
    " kind TEXT NOT NULL CHECK (kind IN ('created','verdict','review')),"
    " verdict_seq INTEGER NOT NULL REFERENCES verdicts(seq),"
    " review_seq INTEGER REFERENCES reviews(seq));"
    "CREATE TRIGGER verdicts_change AFTER INSERT ON verdicts BEGIN"
    " INSERT INTO changes (event_seq, kind, verdict_seq, review_seq) VALUES (NEW.event_seq,"
    " CASE WHEN EXISTS (SELECT 1 FROM verdicts p WHERE p.event_seq = NEW.event_seq"
    " AND p.seq < NEW.seq) THEN 'verdict' ELSE 'created' END, NEW.seq,"
    " (SELECT max(seq) FROM reviews r WHERE r.event_seq = NEW.event_seq)); END;"
    "CREATE TRIGGER reviews_change AFTER INSERT ON reviews BEGIN"
    " INSERT INTO changes (event_seq, kind, verdict_seq, review_seq) VALUES (NEW.event_seq,"
    " 'review', (SELECT max(seq) FROM verdicts v WHERE v.event_seq = NEW.event_seq), NEW.seq);"
    " END;"
    "CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes"
    " BEGIN SELECT RAISE(ABORT, 'changes are append-only'); END;"
    "CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes"
    " BEGIN SELECT RAISE(ABORT, 'changes are append-only'); END;"
    "INSERT INTO changes (event_seq, kind, verdict_seq, review_seq)"
    " SELECT event_seq, kind, vseq, rseq FROM ("
    " SELECT v.event_seq, CASE WHEN EXISTS (SELECT 1 FROM verdicts p WHERE p.event_seq ="
    " v.event_seq AND p.seq < v.seq) THEN 'verdict' ELSE 'created' END AS kind, v.seq AS vseq,"
    " (SELECT max(r.seq) FROM reviews r WHERE r.event_seq = v.event_seq AND r.at <= v.judged_at)"
    " AS rseq, v.judged_at AS at, 0 AS k, v.seq AS n FROM verdicts v"
    " UNION ALL SELECT r.event_seq, 'review', coalesce((SELECT max(v.seq) FROM verdicts v"
    " WHERE v.event_seq = r.event_seq AND v.judged_at <= r.at), (SELECT min(v.seq) FROM"
    " verdicts v WHERE v.event_seq = r.event_seq)), r.seq, r.at, 1, r.seq FROM reviews r)"
    " ORDER BY at, k, n;",
    /* 7: webhooks -- each registered URL with its secret and filter (a JSON
     * object, event_filter.h) and how far the changes have been queued for
     * it; the queue of deliveries (a change for a webhook), and the log of
     * every attempt (append-only).  A webhook is deactivated, never
     * deleted. */
    "CREATE TABLE webhooks ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " url TEXT NOT NULL,"
    " secret TEXT NOT NULL,"
    " filter TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " token_id INTEGER REFERENCES tokens(id),"
    " queued_through INTEGER NOT NULL,"
    " deactivated_at TEXT);"
    "CREATE TABLE webhook_deliveries ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " webhook_id INTEGER NOT NULL REFERENCES webhooks(id),"
    " change_seq INTEGER NOT NULL REFERENCES changes(seq),"
    " state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','delivered','failed')),"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " queued_s REAL NOT NULL,"
    " next_s REAL NOT NULL,"
    " UNIQUE (webhook_id, change_seq));"
    "CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_s);"
    "CREATE TABLE webhook_attempts ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id),"
    " at TEXT NOT NULL,"
    " http_status INTEGER,"
    " error TEXT,"
    " duration_ms REAL NOT NULL);"
    "CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, seq);"
    "CREATE TRIGGER webhook_attempts_no_update BEFORE UPDATE ON webhook_attempts"
    " BEGIN SELECT RAISE(ABORT, 'webhook attempts are append-only'); END;"
    "CREATE TRIGGER webhook_attempts_no_delete BEFORE DELETE ON webhook_attempts"
    " BEGIN SELECT RAISE(ABORT, 'webhook attempts are append-only'); END;",
    /* 8: the dashboard -- events counted on a grid read position and
     * verdict from one index, never the table (a million events: 0.5 s
     * instead of 15 s with the table's pages read at random); it serves
     * the bbox filter as the index on (lon, lat) did, which it replaces */
    "CREATE INDEX event_facets_grid ON event_facets(lon, lat, violation);"
    "DROP INDEX event_facets_lon;",
    /* 9: a token's events by position, for a reporter's listing, count
     * and extent without reading every event; latitudes, so that the
     * extent of all events is read from the ends of indexes */
    ("CREATE INDEX events_token ON events(token_id);"
     "CREATE INDEX event_facets_lat ON event_facets(lat);"),
    /* 10: likely duplicates (truce_store_near) -- each event's end and
     * radius beside its start and place, so that the refusals of the pair
     * rule are asked of one covering index, not of each event read: its
     * own trigger (it makes the facets row too, whichever fires first),
     * and the events stored before filled from their current verdicts.
     * The index replaces the one on start_s alone, which its first column
     * serves. */
    ("ALTER TABLE event_facets ADD COLUMN end_s INTEGER;"
     "ALTER TABLE event_facets ADD COLUMN radius_m REAL;"
     "CREATE VIEW verdict_extent AS SELECT seq AS verdict_seq, event_seq,"
     " CAST(strftime('%s', record->>'end') AS INTEGER) AS end_s,"
     " record->>'radius_m' AS radius_m FROM verdicts;"
     "CREATE TRIGGER verdicts_extent AFTER INSERT ON verdicts BEGIN"
     " INSERT OR IGNORE INTO event_facets (event_seq) VALUES (NEW.event_seq);"
     " UPDATE event_facets SET (end_s, radius_m) = (SELECT end_s, radius_m FROM verdict_extent"
     " WHERE verdict_seq = NEW.seq) WHERE event_seq = NEW.event_seq;"
     " END;"
     "UPDATE event_facets SET (end_s, radius_m) = (SELECT end_s, radius_m FROM verdict_extent"
     " WHERE verdict_seq = (SELECT max(seq) FROM verdicts v"
     " WHERE v.event_seq = event_facets.event_seq));"
     "CREATE INDEX event_facets_when ON event_facets(start_s, end_s, lat, lon, radius_m);"
     "DROP INDEX event_facets_start;"),
};

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

int truce_store_schema_version(void)
{
    return SCHEMA_VERSION;
}

/* Read-only connections for scans (truce_store_events_scan: a report's
 * likely duplicates, statistics over every event), opened when first
 * needed, each behind its own lock: a scan of a million events holds one
 * for a minute, never the writer nor the tokens' reader. */
#define SQ_SCANS 4

typedef struct sq_scan {
    sqlite3 *db;
    pthread_mutex_t lock;
    trc_sq_stmts stmts; /* db's, under lock */
} sq_scan;

typedef struct sq_store {
    truce_store base;
    sqlite3 *db;
    pthread_mutex_t lock;
    trc_sq_stmts stmts; /* db's, under lock */
    sqlite3 *rdb;       /* read-only, for tokens */
    pthread_mutex_t rlock;
    trc_sq_stmts rstmts; /* rdb's, under rlock */
    sq_scan scan[SQ_SCANS];
    unsigned next_scan; /* the one to wait for when all are taken */
    char *path;         /* the file, which the scans open */
} sq_store;

static sq_store *sq(truce_store *s)
{
    return (sq_store *)s;
}

static truce_status exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? TRUCE_OK : TRUCE_E_IO;
}

/* One integer from a query without parameters; -1 on failure. */
static long long pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

/* Bring db from its version to `target`, a transaction per step. */
static truce_status migrate(sqlite3 *db, int target, char *why, size_t why_len)
{
    for (;;) {
        if (exec(db, "BEGIN IMMEDIATE"))
            goto fail;
        long long v = pragma_int(db, "PRAGMA user_version");
        long long tables = pragma_int(db, "SELECT count(*) FROM sqlite_schema");
        long long app = pragma_int(db, "PRAGMA application_id");
        if (v < 0 || tables < 0 || app < 0) {
            exec(db, "ROLLBACK");
            goto fail;
        }
        if ((v == 0 && tables > 0) || (v > 0 && app != APPLICATION_ID)) {
            exec(db, "ROLLBACK");
            snprintf(why, why_len, "not a truce store (a SQLite file with other tables)");
            return TRUCE_E_IO;
        }
        if (v > SCHEMA_VERSION) {
            exec(db, "ROLLBACK");
            snprintf(why, why_len, "schema version %lld is newer than this truce's (%d)", v,
                     SCHEMA_VERSION);
            return TRUCE_E_RANGE;
        }
        if (v >= target)
            return exec(db, "COMMIT") ? TRUCE_E_IO : TRUCE_OK;
        char set[96];
        snprintf(set, sizeof set, "PRAGMA user_version = %lld; PRAGMA application_id = %d", v + 1,
                 APPLICATION_ID);
        if (exec(db, migrations[v]) || exec(db, set) || exec(db, "COMMIT")) {
            snprintf(why, why_len, "migration to schema version %lld failed: %s", v + 1,
                     sqlite3_errmsg(db));
            exec(db, "ROLLBACK");
            return TRUCE_E_IO;
        }
    }
fail:
    snprintf(why, why_len, "%s", sqlite3_errmsg(db));
    return TRUCE_E_IO;
}

/* Open path with the durability settings, migrated to `target`. */
static truce_status connect(const char *path, int target, sqlite3 **out, char *why, size_t why_len)
{
    sqlite3 *db = NULL;
    *out = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(why, why_len, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return rc == SQLITE_NOMEM ? TRUCE_E_NOMEM : TRUCE_E_IO;
    }
    /* Another process (truce token add beside a running server) may hold
     * the write lock for a moment. */
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt *q;
    int wal = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW) {
            const unsigned char *mode = sqlite3_column_text(q, 0);
            wal = mode && !strcmp((const char *)mode, "wal");
        }
        sqlite3_finalize(q);
    }
    if (!wal) {
        snprintf(why, why_len, "cannot use WAL mode: %s", sqlite3_errmsg(db));
        sqlite3_close(db);
        return TRUCE_E_IO;
    }
    /* temp_store = MEMORY: the statement journals of the savepoints and
     * triggers a report's insert runs, and the filter tables' sorts, stay in
     * memory instead of a file created and removed under /var/tmp for each
     * transaction (strace under load: an openat, access and unlink per
     * report).  Nothing durable is kept there.  cache_size: 64 MiB of
     * pages instead of 2: a page of 1000 events scattered over a million
     * reads some 3000 pages, which then stay for the next request (the
     * page of a filter matching 1.6% of a million: 60 to 80 ms with the
     * default, 15 to 20 ms warm; docs/performance.md). */
    truce_status st = exec(db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                               " PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536");
    if (st)
        snprintf(why, why_len, "%s", sqlite3_errmsg(db));
    if (!st)
        st = migrate(db, target, why, why_len);
    if (st) {
        sqlite3_close(db);
        return st;
    }
    *out = db;
    return TRUCE_OK;
}

truce_status trc_store_sqlite_create(const char *path, int version, char *why, size_t why_len)
{
    if (version < 1 || version > SCHEMA_VERSION)
        return TRUCE_E_ARG;
    sqlite3 *db;
    truce_status st = connect(path, version, &db, why, why_len);
    if (!st)
        sqlite3_close(db);
    return st;
}

static const trc_store_ops sqlite_ops;

truce_status trc_store_sqlite_open(const char *path, truce_store **out, char *why, size_t why_len)
{
    char ignored[8];
    if (!why || !why_len) {
        why = ignored;
        why_len = sizeof ignored;
    }
    sq_store *s = trc_calloc(1, sizeof *s);
    if (!s) {
        snprintf(why, why_len, "out of memory");
        return TRUCE_E_NOMEM;
    }
    truce_status st = connect(path, SCHEMA_VERSION, &s->db, why, why_len);
    if (!st && !(s->path = truce_strdup(path))) {
        snprintf(why, why_len, "out of memory");
        st = TRUCE_E_NOMEM;
    }
    if (!st && sqlite3_open_v2(path, &s->rdb, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(why, why_len, "%s", s->rdb ? sqlite3_errmsg(s->rdb) : "out of memory");
        st = TRUCE_E_IO;
    }
    if (st) {
        sqlite3_close(s->rdb);
        sqlite3_close(s->db);
        trc_free(s->path);
        trc_free(s);
        return st;
    }
    sqlite3_busy_timeout(s->rdb, 10000);
    s->stmts.db = s->db;
    s->rstmts.db = s->rdb;
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->rlock, NULL);
    for (int i = 0; i < SQ_SCANS; i++)
        pthread_mutex_init(&s->scan[i].lock, NULL);
    s->base.ops = &sqlite_ops;
    *out = &s->base;
    return TRUCE_OK;
}

static void sq_free(truce_store *base)
{
    sq_store *s = sq(base);
    /* Closing the last connection checkpoints the WAL into the database. */
    for (int i = 0; i < SQ_SCANS; i++) {
        trc_sq_stmts_clear(&s->scan[i].stmts);
        sqlite3_close(s->scan[i].db);
        pthread_mutex_destroy(&s->scan[i].lock);
    }
    trc_sq_stmts_clear(&s->rstmts);
    trc_sq_stmts_clear(&s->stmts);
    sqlite3_close(s->rdb);
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->rlock);
    pthread_mutex_destroy(&s->lock);
    trc_free(s->path);
    trc_free(s);
}

/* ---- statements ---- */

/* The statement for sql (a string literal: sqlite_stmts.h) on s, prepared
 * once per connection; NULL on failure.  Give it back with done(), never
 * sqlite3_finalize (which would leave the cache a freed statement); done()
 * also finalizes the statements prepared from text built at run time. */
static sqlite3_stmt *prep(sq_store *s, const char *sql)
{
    return trc_sq_stmt(&s->stmts, sql);
}

static void done(sq_store *s, sqlite3_stmt *q)
{
    trc_sq_stmt_done(&s->stmts, q);
}

static void bind_text(sqlite3_stmt *q, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(q, i);
}

static const char *col_text(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? (const char *)t : NULL;
}

static void copy_col(char *dst, size_t size, sqlite3_stmt *q, int i)
{
    const char *t = col_text(q, i);
    snprintf(dst, size, "%s", t ? t : "");
}

/* Run a statement that returns no rows and give it back. */
static truce_status run(sq_store *s, sqlite3_stmt *q)
{
    if (!q)
        return TRUCE_E_IO;
    int rc = sqlite3_step(q);
    done(s, q);
    return rc == SQLITE_DONE ? TRUCE_OK : TRUCE_E_IO;
}

/* Run sql (a string literal without parameters) on s's connection. */
static truce_status sx(sq_store *s, const char *sql)
{
    return run(s, prep(s, sql));
}

static void lock(sq_store *s)
{
    pthread_mutex_lock(&s->lock);
}

static void unlock(sq_store *s)
{
    pthread_mutex_unlock(&s->lock);
}

/* Take the writer's lock and begin a write transaction; on failure the
 * lock is given back and the status returned. */
static truce_status begin(sq_store *s)
{
    lock(s);
    truce_status st = sx(s, "BEGIN IMMEDIATE");
    if (st)
        unlock(s);
    return st;
}

/* End the transaction: COMMIT when st is TRUCE_OK (a failed commit is
 * TRUCE_E_IO), else ROLLBACK.  Returns the status of the call. */
static truce_status finish(sq_store *s, truce_status st)
{
    if (!st && sx(s, "COMMIT"))
        st = TRUCE_E_IO;
    if (st)
        sx(s, "ROLLBACK");
    return st;
}

/* ---- the connections, for the backend's other files (store_sqlite_impl.h) ---- */

sqlite3 *trc_sq_writer(truce_store *base)
{
    lock(sq(base));
    return sq(base)->db;
}

void trc_sq_writer_done(truce_store *base)
{
    unlock(sq(base));
}

sqlite3 *trc_sq_reader(truce_store *base)
{
    pthread_mutex_lock(&sq(base)->rlock);
    return sq(base)->rdb;
}

void trc_sq_reader_done(truce_store *base)
{
    pthread_mutex_unlock(&sq(base)->rlock);
}

truce_status trc_sq_exec(sqlite3 *db, const char *sql)
{
    return exec(db, sql);
}

truce_status trc_sq_finish(truce_store *base, truce_status st)
{
    return finish(sq(base), st);
}

void trc_sq_bind_text(sqlite3_stmt *q, int i, const char *v)
{
    bind_text(q, i, v);
}

const char *trc_sq_text(sqlite3_stmt *q, int i)
{
    return col_text(q, i);
}

truce_status trc_store_sqlite_pragma(truce_store *base, const char *name, long long *out)
{
    if (!base || base->ops != &sqlite_ops || !name)
        return TRUCE_E_ARG;
    sq_store *s = sq(base);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA %.40s", name);
    lock(s);
    *out = pragma_int(s->db, sql);
    unlock(s);
    return *out < 0 ? TRUCE_E_IO : TRUCE_OK;
}

/* ---- tokens ---- */

static truce_status sq_token_add(truce_store *base, truce_role role, const char *party,
                                 const char *name, const unsigned char hash[32], const char *at,
                                 int64_t *id)
{
    sq_store *s = sq(base);
    lock(s);
    sqlite3_stmt *q = prep(s, "INSERT INTO tokens (sha256, role, party, name, created_at)"
                              " VALUES (?, ?, ?, ?, ?)");
    if (q) {
        sqlite3_bind_blob(q, 1, hash, 32, SQLITE_TRANSIENT);
        bind_text(q, 2, truce_role_name(role));
        bind_text(q, 3, party);
        bind_text(q, 4, name);
        bind_text(q, 5, at);
    }
    truce_status st = run(s, q);
    if (!st)
        *id = sqlite3_last_insert_rowid(s->db);
    unlock(s);
    return st;
}

#define TOKEN_COLUMNS "id, role, party, name, created_at, revoked_at"

static void token_row(sqlite3_stmt *q, truce_token_info *out)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(q, 0);
    if (truce_role_from_name(col_text(q, 1), &out->role))
        out->role = TRUCE_ROLE_VIEWER;
    copy_col(out->party, sizeof out->party, q, 2);
    copy_col(out->name, sizeof out->name, q, 3);
    copy_col(out->created_at, sizeof out->created_at, q, 4);
    copy_col(out->revoked_at, sizeof out->revoked_at, q, 5);
}

static truce_status sq_token_verify(truce_store *base, const unsigned char hash[32],
                                    truce_token_info *out)
{
    sq_store *s = sq(base);
    pthread_mutex_lock(&s->rlock);
    truce_status st = TRUCE_E_IO;
    sqlite3_stmt *q = trc_sq_stmt(
        &s->rstmts, "SELECT " TOKEN_COLUMNS " FROM tokens WHERE sha256 = ? AND revoked_at IS NULL");
    if (q) {
        sqlite3_bind_blob(q, 1, hash, 32, SQLITE_TRANSIENT);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            token_row(q, out);
            st = TRUCE_OK;
        } else if (rc == SQLITE_DONE) {
            st = TRUCE_E_NOT_FOUND;
        }
        trc_sq_stmt_done(&s->rstmts, q);
    }
    pthread_mutex_unlock(&s->rlock);
    return st;
}

static truce_status sq_token_revoke(truce_store *base, int64_t id, const char *at)
{
    sq_store *s = sq(base);
    lock(s);
    sqlite3_stmt *q =
        prep(s, "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    if (q) {
        bind_text(q, 1, at);
        sqlite3_bind_int64(q, 2, id);
    }
    truce_status st = run(s, q);
    if (!st && sqlite3_changes(s->db) == 0)
        st = TRUCE_E_NOT_FOUND;
    unlock(s);
    return st;
}

static truce_status sq_token_list(truce_store *base, truce_token_fn fn, void *ctx)
{
    sq_store *s = sq(base);
    lock(s);
    truce_status st = TRUCE_E_IO;
    sqlite3_stmt *q = prep(s, "SELECT " TOKEN_COLUMNS " FROM tokens ORDER BY id");
    if (q) {
        int rc;
        st = TRUCE_OK;
        while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
            truce_token_info t;
            token_row(q, &t);
            st = fn(ctx, &t);
        }
        if (!st && rc != SQLITE_DONE)
            st = TRUCE_E_IO;
        done(s, q);
    }
    unlock(s);
    return st;
}

/* ---- events ---- */

/* The event `id`: its position and when it came (copied), or
 * TRUCE_E_NOT_FOUND. */
static truce_status find_event(sq_store *s, const char *id, int64_t *seq, char received_at[32],
                               unsigned char sha[32], int64_t *token_id)
{
    sqlite3_stmt *q =
        prep(s, "SELECT seq, received_at, event_sha256, token_id FROM events WHERE id = ?");
    if (!q)
        return TRUCE_E_IO;
    bind_text(q, 1, id);
    int rc = sqlite3_step(q);
    truce_status st = rc == SQLITE_ROW    ? TRUCE_OK
                      : rc == SQLITE_DONE ? TRUCE_E_NOT_FOUND
                                          : TRUCE_E_IO;
    if (!st) {
        *seq = sqlite3_column_int64(q, 0);
        if (received_at)
            copy_col(received_at, 32, q, 1);
        if (sha) {
            memset(sha, 0, 32);
            if (sqlite3_column_bytes(q, 2) == 32)
                memcpy(sha, sqlite3_column_blob(q, 2), 32);
        }
        if (token_id)
            *token_id = sqlite3_column_int64(q, 3);
    }
    done(s, q);
    return st;
}

/* The current record and status of event `seq` as truce_store_report_put
 * answers (record + status + received_at + `more`), appended to out. */
#define CURRENT_RECORD TRC_SQL_CURRENT_RECORD
#define CURRENT_STATUS TRC_SQL_CURRENT_STATUS

static truce_status event_answer(sq_store *s, int64_t seq, const char *more, truce_text *out)
{
    sqlite3_stmt *q = prep(s, "SELECT " CURRENT_RECORD ", " CURRENT_STATUS
                              ", received_at FROM events e WHERE seq = ?");
    if (!q)
        return TRUCE_E_IO;
    sqlite3_bind_int64(q, 1, seq);
    truce_status st = TRUCE_E_IO;
    if (sqlite3_step(q) == SQLITE_ROW && col_text(q, 0)) {
        const char *status = col_text(q, 1);
        st = trc_store_json_event(out, col_text(q, 0), status ? status : "submitted",
                                  col_text(q, 2), more);
    }
    done(s, q);
    return st;
}

/* Within a transaction: store event r unless its id is stored already;
 * *outcome says which (CREATED, EXISTED, CONFLICT).  `answer` (may be
 * NULL) receives the event as stored for CREATED and EXISTED. */
static truce_status put_event(sq_store *s, const truce_store_report *r,
                              const unsigned char event_sha[32], truce_store_outcome *outcome,
                              truce_text *answer)
{
    int64_t seq;
    unsigned char sha[32];
    truce_status st = find_event(s, r->id, &seq, NULL, sha, NULL);
    if (!st) {
        *outcome = memcmp(sha, event_sha, 32) ? TRUCE_STORE_CONFLICT : TRUCE_STORE_EXISTED;
        if (*outcome == TRUCE_STORE_EXISTED && answer)
            st = event_answer(s, seq, NULL, answer);
        return st;
    }
    if (st != TRUCE_E_NOT_FOUND)
        return st;
    *outcome = TRUCE_STORE_CREATED;
    sqlite3_stmt *q = prep(s, "INSERT INTO events (id, event, event_sha256, received_at,"
                              " token_id) VALUES (?, ?, ?, ?, ?)");
    if (q) {
        bind_text(q, 1, r->id);
        bind_text(q, 2, r->event_json);
        sqlite3_bind_blob(q, 3, event_sha, 32, SQLITE_TRANSIENT);
        bind_text(q, 4, r->received_at);
        if (r->token_id > 0)
            sqlite3_bind_int64(q, 5, r->token_id);
    }
    st = run(s, q);
    if (!st) {
        seq = sqlite3_last_insert_rowid(s->db);
        q = prep(s, "INSERT INTO verdicts (event_seq, record, judged_at) VALUES (?, ?, ?)");
        if (q) {
            sqlite3_bind_int64(q, 1, seq);
            bind_text(q, 2, r->record);
            bind_text(q, 3, r->received_at);
        }
        st = run(s, q);
    }
    if (!st && answer)
        st = trc_store_json_event(answer, r->record, "submitted", r->received_at, NULL);
    return st;
}

/* Job j's report, inside the open transaction, as if alone: the caller
 * rolls back to a savepoint when this fails. */
static truce_status put_one(sq_store *s, trc_report_job *j)
{
    const truce_store_report *r = j->r;
    const unsigned char *event_sha = j->event_sha256, *request_sha = j->request_sha256;
    truce_store_put_result *res = j->result;
    truce_text *answer = j->answer;
    size_t answer_len = answer->len;
    memset(res, 0, sizeof *res);
    truce_status st = TRUCE_OK;
    if (r->idempotency_key) {
        sqlite3_stmt *q = prep(s, "SELECT request_sha256, outcome, answer FROM idempotency"
                                  " WHERE token_id = ? AND key = ?");
        st = q ? TRUCE_OK : TRUCE_E_IO;
        int rc = SQLITE_DONE;
        if (q) {
            sqlite3_bind_int64(q, 1, r->token_id);
            bind_text(q, 2, r->idempotency_key);
            rc = sqlite3_step(q);
        }
        if (q && rc == SQLITE_ROW) {
            if (sqlite3_column_bytes(q, 0) == 32 &&
                !memcmp(sqlite3_column_blob(q, 0), request_sha, 32)) {
                res->replayed = 1;
                res->outcome = (truce_store_outcome)sqlite3_column_int(q, 1);
                const char *a = col_text(q, 2);
                st = truce_text_append(answer, a ? a : "", a ? strlen(a) : 0);
            } else {
                res->outcome = TRUCE_STORE_KEY_REUSED;
            }
        } else if (q && rc != SQLITE_DONE) {
            st = TRUCE_E_IO;
        }
        done(s, q);
        if (st || res->replayed || res->outcome == TRUCE_STORE_KEY_REUSED)
            return st;
    }
    st = put_event(s, r, event_sha, &res->outcome, answer);
    if (!st && r->idempotency_key && res->outcome != TRUCE_STORE_CONFLICT) {
        sqlite3_stmt *q = prep(s, "INSERT INTO idempotency (token_id, key, request_sha256,"
                                  " outcome, answer) VALUES (?, ?, ?, ?, ?)");
        if (q) {
            sqlite3_bind_int64(q, 1, r->token_id);
            bind_text(q, 2, r->idempotency_key);
            sqlite3_bind_blob(q, 3, request_sha, 32, SQLITE_TRANSIENT);
            sqlite3_bind_int(q, 4, (int)res->outcome);
            sqlite3_bind_text(q, 5, answer->p + answer_len, (int)(answer->len - answer_len),
                              SQLITE_TRANSIENT);
        }
        st = run(s, q);
    }
    return st;
}

/* Take back what a job appended to its answer. */
static void unanswer(trc_report_job *j, size_t len)
{
    j->answer->len = len;
    if (j->answer->p)
        j->answer->p[len] = '\0';
}

/* Every job of the batch in one transaction (one sync of the WAL), each
 * inside its own savepoint so that one that fails leaves no trace. */
static void sq_report_batch(truce_store *base, trc_report_job *first)
{
    sq_store *s = sq(base);
    lock(s);
    truce_status st = sx(s, "BEGIN IMMEDIATE");
    for (trc_report_job *j = first; j; j = (trc_report_job *)j->group.next) {
        j->mark = j->answer->len;
        j->status = st ? st : sx(s, "SAVEPOINT report");
        if (j->status)
            continue;
        j->status = put_one(s, j);
        if (j->status) {
            sx(s, "ROLLBACK TO report");
            unanswer(j, j->mark);
        }
        if (sx(s, "RELEASE report") && !st)
            st = TRUCE_E_IO;
    }
    st = finish(s, st);
    for (trc_report_job *j = first; st && j; j = (trc_report_job *)j->group.next) {
        if (!j->status)
            unanswer(j, j->mark);
        j->status = st;
    }
    unlock(s);
}

static truce_status sq_reports_put(truce_store *base, const truce_store_report *reps, size_t n,
                                   const unsigned char (*event_sha)[32],
                                   truce_store_outcome *outcomes)
{
    sq_store *s = sq(base);
    truce_status st = begin(s);
    if (st)
        return st;
    for (size_t i = 0; !st && i < n; i++)
        st = put_event(s, &reps[i], event_sha[i], &outcomes[i], NULL);
    st = finish(s, st);
    unlock(s);
    return st;
}

static truce_status sq_event_submitter(truce_store *base, const char *id, int64_t *token_id)
{
    sq_store *s = sq(base);
    lock(s);
    int64_t seq;
    truce_status st = find_event(s, id, &seq, NULL, NULL, token_id);
    unlock(s);
    return st;
}

/* The parties of the history of event `seq`: appends the reviews' JSON
 * array to `reviews` (may be NULL) and finds whether it was rejected and
 * each of `parties`' position. */
static truce_status history(sq_store *s, int64_t seq, const char *const *parties, size_t nparties,
                            int *positions, int *rejected, truce_text *reviews)
{
    sqlite3_stmt *q = prep(s, "SELECT at, token_id, role, party, action, from_status, to_status,"
                              " note FROM reviews WHERE event_seq = ? ORDER BY seq");
    if (!q)
        return TRUCE_E_IO;
    sqlite3_bind_int64(q, 1, seq);
    truce_status st = reviews ? truce_text_append(reviews, "[", 1) : TRUCE_OK;
    int rc, first = 1;
    *rejected = 0;
    memset(positions, 0, nparties * sizeof *positions);
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        trc_review_row row = {col_text(q, 0), sqlite3_column_int64(q, 1),
                              col_text(q, 2), col_text(q, 3),
                              col_text(q, 4), col_text(q, 5),
                              col_text(q, 6), col_text(q, 7)};
        st = trc_store_history_row(&row, first, parties, nparties, positions, rejected, reviews);
        first = 0;
    }
    if (!st && rc != SQLITE_DONE)
        st = TRUCE_E_IO;
    if (!st && reviews)
        st = truce_text_append(reviews, "]", 1);
    done(s, q);
    return st;
}

/* The parties that have reviewed event `seq` (each once, in the order of
 * their first review), for confirmed_by when the agreement's list is not
 * at hand. */
static truce_status reviewing_parties(sq_store *s, int64_t seq, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    sqlite3_stmt *q = prep(s, "SELECT party FROM reviews WHERE event_seq = ? AND party IS NOT"
                              " NULL GROUP BY party ORDER BY min(seq)");
    if (!q)
        return TRUCE_E_IO;
    sqlite3_bind_int64(q, 1, seq);
    truce_status st = TRUCE_OK;
    int rc;
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        char **grown = trc_realloc(*names, (*n + 1) * sizeof **names);
        char *copy = grown ? truce_strdup(col_text(q, 0)) : NULL;
        if (grown)
            *names = grown;
        if (!copy)
            st = TRUCE_E_NOMEM;
        else
            (*names)[(*n)++] = copy;
    }
    if (!st && rc != SQLITE_DONE)
        st = TRUCE_E_IO;
    done(s, q);
    return st;
}

/* ,"verdicts":[...]: every verdict event `seq` was given, oldest first:
 * "judged_at", "agreement_version" (null: the one served when the report
 * came) and "record". */
static truce_status verdict_history(sq_store *s, int64_t seq, truce_text *out)
{
    sqlite3_stmt *q = prep(s, "SELECT judged_at, agreement_version, record FROM verdicts"
                              " WHERE event_seq = ? ORDER BY seq");
    if (!q)
        return TRUCE_E_IO;
    sqlite3_bind_int64(q, 1, seq);
    truce_status st = truce_text_append(out, ",\"verdicts\":[", 13);
    int rc, first = 1;
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        st = trc_store_json_verdict(out, first, col_text(q, 0), col_text(q, 1), col_text(q, 2));
        first = 0;
    }
    if (!st && rc != SQLITE_DONE)
        st = TRUCE_E_IO;
    if (!st)
        st = truce_text_append(out, "]", 1);
    done(s, q);
    return st;
}

static truce_status sq_event_get(truce_store *base, const char *id, truce_text *out)
{
    sq_store *s = sq(base);
    lock(s);
    int64_t seq;
    char **names = NULL;
    size_t nnames = 0;
    int *positions = NULL, rejected;
    truce_text more = {0};
    truce_status st = find_event(s, id, &seq, NULL, NULL, NULL);
    if (!st)
        st = reviewing_parties(s, seq, &names, &nnames);
    if (!st && !(positions = trc_calloc(nnames + 1, sizeof *positions)))
        st = TRUCE_E_NOMEM;
    truce_text reviews = {0};
    if (!st)
        st = history(s, seq, (const char *const *)names, nnames, positions, &rejected, &reviews);
    if (!st)
        st = trc_store_json_confirmed_by(&more, (const char *const *)names, nnames, positions);
    if (!st)
        st = truce_text_append(&more, ",\"reviews\":", 11);
    if (!st)
        st = truce_text_append(&more, reviews.p, reviews.len);
    if (!st)
        st = verdict_history(s, seq, &more);
    if (!st)
        st = event_answer(s, seq, more.p, out);
    unlock(s);
    for (size_t i = 0; i < nnames; i++)
        trc_free(names[i]);
    trc_free(names);
    trc_free(positions);
    truce_text_release(&reviews);
    truce_text_release(&more);
    return st;
}

static truce_status sq_review(truce_store *base, const char *id, const truce_token_info *who,
                              const truce_review_request *request, const char *at,
                              const char *const *parties, size_t nparties,
                              truce_review_decision *decision, truce_text *out)
{
    sq_store *s = sq(base);
    int *positions = trc_calloc(nparties + 1, sizeof *positions);
    if (!positions)
        return TRUCE_E_NOMEM;
    lock(s);
    truce_status st = sx(s, "BEGIN IMMEDIATE");
    int64_t seq = 0;
    int rejected = 0;
    if (!st)
        st = find_event(s, id, &seq, NULL, NULL, NULL);
    if (!st)
        st = history(s, seq, parties, nparties, positions, &rejected, NULL);
    if (!st)
        truce_review_decide(who->role, who->party[0] ? who->party : NULL, request, rejected,
                            positions, parties, nparties, decision);
    if (!st && decision->outcome == TRUCE_REVIEW_OK) {
        trc_review_row row;
        trc_store_review_row(who, request, decision, parties, at, &row);
        sqlite3_stmt *q = prep(s, "INSERT INTO reviews (event_seq, at, token_id, role, party,"
                                  " action, from_status, to_status, note)"
                                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (q) {
            sqlite3_bind_int64(q, 1, seq);
            bind_text(q, 2, row.at);
            sqlite3_bind_int64(q, 3, row.by);
            bind_text(q, 4, row.role);
            bind_text(q, 5, row.party);
            bind_text(q, 6, row.action);
            bind_text(q, 7, row.from);
            bind_text(q, 8, row.to);
            bind_text(q, 9, row.note);
        }
        st = run(s, q);
        if (!st)
            st = trc_store_json_reviewed(out, id, &row, parties, nparties, positions);
    }
    if (!st && decision->outcome != TRUCE_REVIEW_OK)
        sx(s, "ROLLBACK");
    else
        st = finish(s, st);
    unlock(s);
    trc_free(positions);
    return st;
}

/* ---- query: the filters (event_filter.h) over event_facets and its
 * tables ---- */

static void bind_args(sqlite3_stmt *q, const trc_sql_args *a, int first)
{
    for (int k = 0; k < a->n; k++) {
        if (a->v[k].kind == 'i')
            sqlite3_bind_int64(q, first + k, a->v[k].i);
        else if (a->v[k].kind == 'd')
            sqlite3_bind_double(q, first + k, a->v[k].d);
        else
            bind_text(q, first + k, a->v[k].t);
    }
}

/* Prepare on c's connection (its lock held; give the statement back with
 * trc_sq_stmt_done) `head` (selecting from events e, its WHERE begun), the
 * filter's clauses (within `window`, NULL: none; trc_filter_sql_where), then
 * `tail`, all bound from parameter `first` on. */
static sqlite3_stmt *prep_filtered(trc_sq_stmts *c, const char *head,
                                   const truce_store_filter *filter, const int64_t *window,
                                   const char *tail, int first)
{
    truce_text sql = {0};
    trc_sql_args args = {0};
    truce_status st = truce_text_append(&sql, head, strlen(head));
    if (!st)
        st = trc_filter_sql_where(TRC_SQL_SQLITE, filter, window, first, &sql, &args);
    if (!st)
        st = truce_text_append(&sql, tail, strlen(tail));
    sqlite3_stmt *q = st ? NULL : trc_sq_stmt_text(c, sql.p);
    if (q)
        bind_args(q, &args, first);
    truce_text_release(&sql);
    return q;
}

/* A window of the listing (filter_sql.h): its query on s's connection. */
static truce_status list_range(void *ctx, const char *sql, const trc_sql_args *args,
                               trc_sql_page *p)
{
    sq_store *s = ctx;
    sqlite3_stmt *q = NULL; /* built at run time: not cached */
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK || !q)
        return TRUCE_E_IO;
    bind_args(q, args, 1);
    truce_status st = TRUCE_OK;
    int rc = SQLITE_DONE, stop = 0;
    while (!st && !stop && (rc = sqlite3_step(q)) == SQLITE_ROW)
        st = trc_sql_page_row(p, sqlite3_column_int64(q, 0), col_text(q, 1), col_text(q, 2),
                              col_text(q, 3), &stop);
    if (!st && rc != SQLITE_DONE && rc != SQLITE_ROW)
        st = TRUCE_E_IO;
    sqlite3_finalize(q);
    return st;
}

/* The windowed listing (trc_filter_sql_list says why). */
static truce_status sq_events_list(truce_store *base, const truce_store_filter *filter,
                                   int64_t after, size_t limit, truce_store_event_fn fn, void *ctx,
                                   int64_t *next)
{
    sq_store *s = sq(base);
    truce_store_filter all = {.submitted_by = 0};
    if (!filter)
        filter = &all;
    *next = 0;
    lock(s);
    long long end = trc_filter_sql_filtered(filter)
                        ? pragma_int(s->db, "SELECT coalesce(max(seq), 0) FROM events")
                        : 0;
    truce_status st = end < 0 ? TRUCE_E_IO
                              : trc_filter_sql_list(TRC_SQL_SQLITE, filter, after, limit, end,
                                                    list_range, s, fn, ctx, next);
    unlock(s);
    return st;
}

/* ---- the dashboard: events counted on a grid ---- */

/* The counts are summed here, not by GROUP BY: SQLite would sort a
 * million rows in a temporary b-tree (2.4 s) where one pass over the
 * index into an array of cells takes 0.5 s. */
typedef struct sq_cell_sum {
    int64_t count, violation, possible;
    double lon, lat;
} sq_cell_sum;

static truce_status sq_events_grid(truce_store *base, const truce_store_filter *filter,
                                   const truce_store_grid *g, truce_store_cell_fn fn, void *ctx)
{
    sq_store *s = sq(base);
    size_t ncells = (size_t)g->cols * g->rows;
    sq_cell_sum *sum = trc_calloc(ncells, sizeof *sum);
    if (!sum)
        return TRUCE_E_NOMEM;
    /* ?1..?4: the grid's box; the filter's values are bound from 5 on.
     * The events table is joined only for a filter that tests it. */
    truce_text probe = {0};
    trc_sql_args unused = {0};
    truce_status st = trc_filter_sql_where(TRC_SQL_SQLITE, filter, NULL, 5, &probe, &unused);
    int join = probe.len > 0;
    truce_text_release(&probe);
    lock(s);
    sqlite3_stmt *q =
        st ? NULL
           : prep_filtered(&s->stmts,
                           join ? "SELECT f.lon, f.lat, f.violation FROM event_facets f"
                                  " JOIN events e ON e.seq = f.event_seq"
                                  " WHERE f.lon BETWEEN ?1 AND ?3 AND f.lat BETWEEN ?2 AND ?4"
                                : "SELECT f.lon, f.lat, f.violation FROM event_facets f"
                                  " WHERE f.lon BETWEEN ?1 AND ?3 AND f.lat BETWEEN ?2 AND ?4",
                           filter, NULL, "", 5);
    if (!st && !q)
        st = TRUCE_E_IO;
    if (q) {
        sqlite3_bind_double(q, 1, g->min_lon);
        sqlite3_bind_double(q, 2, g->min_lat);
        sqlite3_bind_double(q, 3, g->min_lon + g->cell_deg * g->cols);
        sqlite3_bind_double(q, 4, g->min_lat + g->cell_deg * g->rows);
    }
    int rc = SQLITE_DONE;
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        double lon = sqlite3_column_double(q, 0), lat = sqlite3_column_double(q, 1);
        /* A point on the grid's east or north edge goes to the last cell. */
        double col = floor((lon - g->min_lon) / g->cell_deg);
        double row = floor((lat - g->min_lat) / g->cell_deg);
        size_t i = (size_t)fmin(fmax(row, 0), g->rows - 1) * g->cols +
                   (size_t)fmin(fmax(col, 0), g->cols - 1);
        const char *v = col_text(q, 2);
        sum[i].count++;
        sum[i].violation += v && !strcmp(v, "violation");
        sum[i].possible += v && !strcmp(v, "possible");
        sum[i].lon += lon;
        sum[i].lat += lat;
    }
    if (!st && rc != SQLITE_DONE)
        st = TRUCE_E_IO;
    if (q)
        done(s, q);
    unlock(s);
    for (size_t i = 0; !st && i < ncells; i++) {
        if (!sum[i].count)
            continue;
        truce_store_cell c = {(unsigned)(i % g->cols),
                              (unsigned)(i / g->cols),
                              sum[i].count,
                              sum[i].violation,
                              sum[i].possible,
                              sum[i].lon / (double)sum[i].count,
                              sum[i].lat / (double)sum[i].count};
        st = fn(ctx, &c);
    }
    trc_free(sum);
    return st;
}

/* ---- tracks ---- */

static truce_status sq_track_put(truce_store *base, const char *name, const void *gpx, size_t len,
                                 const unsigned char sha[32], const char *at, int64_t token_id,
                                 int64_t *id, int *existed)
{
    sq_store *s = sq(base);
    truce_status st = begin(s);
    if (st)
        return st;
    *existed = 0;
    sqlite3_stmt *q = prep(s, "SELECT seq FROM tracks WHERE gpx_sha256 = ?");
    int rc = SQLITE_ERROR;
    if (q) {
        sqlite3_bind_blob(q, 1, sha, 32, SQLITE_TRANSIENT);
        rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            *id = sqlite3_column_int64(q, 0);
            *existed = 1;
        }
    }
    done(s, q);
    st = rc == SQLITE_ROW || rc == SQLITE_DONE ? TRUCE_OK : TRUCE_E_IO;
    if (!st && !*existed) {
        q = prep(s, "INSERT INTO tracks (name, gpx, gpx_sha256, received_at, token_id)"
                    " VALUES (?, ?, ?, ?, ?)");
        if (q) {
            bind_text(q, 1, name);
            sqlite3_bind_blob64(q, 2, gpx, len, SQLITE_TRANSIENT);
            sqlite3_bind_blob(q, 3, sha, 32, SQLITE_TRANSIENT);
            bind_text(q, 4, at);
            if (token_id > 0)
                sqlite3_bind_int64(q, 5, token_id);
        }
        st = run(s, q);
        if (!st)
            *id = sqlite3_last_insert_rowid(s->db);
    }
    st = finish(s, st);
    unlock(s);
    return st;
}

static truce_status sq_tracks_list(truce_store *base, int64_t submitted_by, truce_store_track_fn fn,
                                   void *ctx)
{
    sq_store *s = sq(base);
    lock(s);
    sqlite3_stmt *q = prep(s, "SELECT seq, name, gpx, received_at, token_id FROM tracks"
                              " WHERE ?1 = 0 OR token_id = ?1 ORDER BY seq");
    truce_status st = q ? TRUCE_OK : TRUCE_E_IO;
    if (q)
        sqlite3_bind_int64(q, 1, submitted_by);
    int rc = SQLITE_DONE;
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        truce_store_track t = {
            sqlite3_column_int64(q, 0),         col_text(q, 1), sqlite3_column_blob(q, 2),
            (size_t)sqlite3_column_bytes(q, 2), col_text(q, 3), sqlite3_column_int64(q, 4)};
        st = fn(ctx, &t);
    }
    if (!st && rc != SQLITE_DONE)
        st = TRUCE_E_IO;
    done(s, q);
    unlock(s);
    return st;
}

/* A scan connection, its lock taken: a free one, else the next in turn
 * once it is given back; NULL (no lock held) when it cannot be opened. */
static sq_scan *scan_take(sq_store *s)
{
    sq_scan *c =
        &s->scan[trc_store_lock_one(&s->scan[0].lock, sizeof s->scan[0], SQ_SCANS, &s->next_scan)];
    if (!c->db) {
        if (sqlite3_open_v2(s->path, &c->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
            sqlite3_close(c->db);
            c->db = NULL;
            pthread_mutex_unlock(&c->lock);
            return NULL;
        }
        sqlite3_busy_timeout(c->db, 10000);
        c->stmts.db = c->db;
    }
    return c;
}

static truce_status sq_events_scan(truce_store *base, const truce_store_filter *filter,
                                   truce_store_event_fn fn, void *ctx)
{
    /* On a scan connection, whose snapshot holds every commit made before
     * the scan began, so that the writer goes on while fn reads. */
    sq_scan *c = scan_take(sq(base));
    if (!c)
        return TRUCE_E_IO;
    sqlite3_stmt *q = prep_filtered(&c->stmts, "SELECT event FROM events e WHERE 1", filter, NULL,
                                    " ORDER BY seq", 1);
    truce_status st = q ? TRUCE_OK : TRUCE_E_IO;
    int rc = SQLITE_DONE;
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *event = col_text(q, 0);
        st = event ? fn(ctx, event, (size_t)sqlite3_column_bytes(q, 0)) : TRUCE_E_IO;
    }
    if (!st && rc != SQLITE_DONE)
        st = TRUCE_E_IO;
    trc_sq_stmt_done(&c->stmts, q);
    pthread_mutex_unlock(&c->lock);
    return st;
}

/* ---- agreement versions ---- */

static truce_status sq_agreement_latest(truce_store *base, truce_text *text, int64_t *version)
{
    sq_store *s = sq(base);
    *version = 0;
    lock(s);
    sqlite3_stmt *q = prep(s, "SELECT version, body FROM agreements ORDER BY version DESC LIMIT 1");
    truce_status st = q ? TRUCE_OK : TRUCE_E_IO;
    int rc = q ? sqlite3_step(q) : SQLITE_ERROR;
    if (q && rc == SQLITE_ROW) {
        *version = sqlite3_column_int64(q, 0);
        if (text)
            st = truce_text_append(text, (const char *)sqlite3_column_blob(q, 1),
                                   (size_t)sqlite3_column_bytes(q, 1));
    } else if (q && rc != SQLITE_DONE) {
        st = TRUCE_E_IO;
    }
    done(s, q);
    unlock(s);
    return st;
}

static truce_status sq_agreement_find(truce_store *base, const unsigned char sha[32],
                                      int64_t *version)
{
    sq_store *s = sq(base);
    *version = 0;
    lock(s);
    sqlite3_stmt *q = prep(s, "SELECT max(version) FROM agreements WHERE sha256 = ?");
    truce_status st = TRUCE_E_IO;
    if (q) {
        sqlite3_bind_blob(q, 1, sha, 32, SQLITE_TRANSIENT);
        if (sqlite3_step(q) == SQLITE_ROW) {
            *version = sqlite3_column_int64(q, 0);
            st = TRUCE_OK;
        }
        done(s, q);
    }
    unlock(s);
    return st;
}

static truce_status sq_events_records(truce_store *base, int64_t after, size_t limit,
                                      trc_store_record_fn fn, void *ctx, int64_t *next)
{
    sq_store *s = sq(base);
    *next = 0;
    lock(s);
    sqlite3_stmt *q = prep(s, "SELECT seq, id, event, " CURRENT_RECORD
                              " FROM events e WHERE seq > ? ORDER BY seq LIMIT ?");
    truce_status st = q ? TRUCE_OK : TRUCE_E_IO;
    int rc = SQLITE_DONE;
    size_t n = 0;
    if (q) {
        sqlite3_bind_int64(q, 1, after);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)limit);
    }
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(q, 0);
        st = fn(ctx, seq, col_text(q, 1), col_text(q, 2), col_text(q, 3));
        if (++n == limit)
            *next = seq;
    }
    if (!st && rc != SQLITE_DONE && rc != SQLITE_ROW)
        st = TRUCE_E_IO;
    done(s, q);
    unlock(s);
    return st;
}

static truce_status sq_agreement_put(truce_store *base, const char *text, size_t len,
                                     const unsigned char sha[32], int64_t token_id, const char *at,
                                     const trc_verdict_change *changes, size_t nchanges,
                                     int64_t *version)
{
    sq_store *s = sq(base);
    truce_status st = begin(s);
    if (st)
        return st;
    sqlite3_stmt *q = prep(s, "INSERT INTO agreements (body, sha256, stored_at, token_id)"
                              " VALUES (?, ?, ?, ?)");
    if (q) {
        sqlite3_bind_text(q, 1, text, (int)len, SQLITE_TRANSIENT);
        sqlite3_bind_blob(q, 2, sha, 32, SQLITE_TRANSIENT);
        bind_text(q, 3, at);
        if (token_id > 0)
            sqlite3_bind_int64(q, 4, token_id);
    }
    st = run(s, q);
    if (!st)
        *version = sqlite3_last_insert_rowid(s->db);
    q = st ? NULL
           : prep(s, "INSERT INTO verdicts (event_seq, record, judged_at, agreement_version)"
                     " VALUES (?, ?, ?, ?)");
    if (!st && !q)
        st = TRUCE_E_IO;
    for (size_t i = 0; !st && i < nchanges; i++) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, changes[i].event_seq);
        bind_text(q, 2, changes[i].record);
        bind_text(q, 3, at);
        sqlite3_bind_int64(q, 4, *version);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = TRUCE_E_IO;
    }
    done(s, q);
    st = finish(s, st);
    unlock(s);
    return st;
}

/* ---- monitoring ---- */

static truce_status sq_tally(truce_store *base, truce_store_tally_fn fn, void *ctx)
{
    sq_store *s = sq(base);
    lock(s);
    sqlite3_stmt *q = prep(s, "SELECT json_extract(" CURRENT_RECORD ", '$.violation') AS v,"
                              " coalesce(" CURRENT_STATUS ", 'submitted') AS st, count(*)"
                              " FROM events e GROUP BY v, st");
    truce_status st = q ? TRUCE_OK : TRUCE_E_IO;
    int rc = SQLITE_DONE;
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW)
        st = fn(ctx, col_text(q, 0) ? col_text(q, 0) : "", col_text(q, 1),
                sqlite3_column_int64(q, 2));
    if (!st && rc != SQLITE_DONE)
        st = TRUCE_E_IO;
    done(s, q);
    unlock(s);
    return st;
}

static truce_status sq_size(truce_store *base, int64_t *bytes)
{
    sq_store *s = sq(base);
    lock(s);
    long long pages = pragma_int(s->db, "PRAGMA page_count");
    long long page = pragma_int(s->db, "PRAGMA page_size");
    const char *path = sqlite3_db_filename(s->db, "main");
    unlock(s);
    if (pages < 0 || page < 0)
        return TRUCE_E_IO;
    *bytes = pages * page;
    /* The WAL holds what was committed since the last checkpoint. */
    char wal[4096];
    struct stat st;
    if (path && snprintf(wal, sizeof wal, "%s-wal", path) < (int)sizeof wal && !stat(wal, &st))
        *bytes += st.st_size;
    return TRUCE_OK;
}

/* ---- OGC API Features: counts and extents ---- */

static truce_status sq_events_count(truce_store *base, const truce_store_filter *filter,
                                    int64_t *count)
{
    sq_store *s = sq(base);
    truce_store_filter all = {.submitted_by = 0};
    lock(s);
    sqlite3_stmt *q = prep_filtered(&s->stmts, "SELECT count(*) FROM events e WHERE 1",
                                    filter ? filter : &all, NULL, "", 1);
    truce_status st = q && sqlite3_step(q) == SQLITE_ROW ? TRUCE_OK : TRUCE_E_IO;
    if (!st)
        *count = sqlite3_column_int64(q, 0);
    done(s, q);
    unlock(s);
    return st;
}

/* Everyone's extent is six lookups at the ends of indexes (SQLite reads a
 * lone min() or max() from the index's first or last entry); one token's
 * reads its events. */
static truce_status sq_events_extent(truce_store *base, int64_t submitted_by,
                                     truce_store_extent *out)
{
    static const char *const ends[] = {
        "SELECT min(lon) FROM event_facets",     "SELECT min(lat) FROM event_facets",
        "SELECT max(lon) FROM event_facets",     "SELECT max(lat) FROM event_facets",
        "SELECT min(start_s) FROM event_facets", "SELECT max(start_s) FROM event_facets"};
    static const char one[] =
        "SELECT min(lon), min(lat), max(lon), max(lat), min(start_s), max(start_s)"
        " FROM events e JOIN event_facets f ON f.event_seq = e.seq WHERE e.token_id = ?";
    sq_store *s = sq(base);
    double box[4] = {0};
    int64_t times[2] = {0};
    int nulls = 0;
    truce_status st = TRUCE_OK;
    lock(s);
    for (size_t i = 0; !st && i < (submitted_by ? 1 : 6); i++) {
        sqlite3_stmt *q = prep(s, submitted_by ? one : ends[i]);
        if (q && submitted_by)
            sqlite3_bind_int64(q, 1, submitted_by);
        if (!q || sqlite3_step(q) != SQLITE_ROW)
            st = TRUCE_E_IO;
        for (int c = 0; !st && c < (submitted_by ? 6 : 1); c++) {
            size_t k = submitted_by ? (size_t)c : i;
            if (sqlite3_column_type(q, c) == SQLITE_NULL)
                nulls |= 1 << k;
            else if (k < 4)
                box[k] = sqlite3_column_double(q, c);
            else
                times[k - 4] = sqlite3_column_int64(q, c);
        }
        done(s, q);
    }
    unlock(s);
    if (st)
        return st;
    out->located = !(nulls & 0xf);
    out->min_lon = box[0];
    out->min_lat = box[1];
    out->max_lon = box[2];
    out->max_lat = box[3];
    out->timed = !(nulls & 0x30);
    out->first_start_s = times[0];
    out->last_start_s = times[1];
    return TRUCE_OK;
}

static const trc_store_ops sqlite_ops = {
    .name = "sqlite",
    .free = sq_free,
    .token_add = sq_token_add,
    .token_verify = sq_token_verify,
    .token_revoke = sq_token_revoke,
    .token_list = sq_token_list,
    .report_batch = sq_report_batch,
    .reports_put = sq_reports_put,
    .track_put = sq_track_put,
    .tracks_list = sq_tracks_list,
    .event_get = sq_event_get,
    .agreement_latest = sq_agreement_latest,
    .agreement_find = sq_agreement_find,
    .events_records = sq_events_records,
    .agreement_put = sq_agreement_put,
    .tally = sq_tally,
    .size = sq_size,
    .event_submitter = sq_event_submitter,
    .review = sq_review,
    .events_list = sq_events_list,
    .events_scan = sq_events_scan,
    /* ---- the change feed and webhooks (store_sqlite_changes.c, store_sqlite_webhooks.c) ---- */
    .changes_read = trc_sq_changes_read,
    .changes_latest = trc_sq_changes_latest,
    .webhook_add = trc_sq_webhook_add,
    .webhooks_read = trc_sq_webhooks_read,
    .webhook_deactivate = trc_sq_webhook_deactivate,
    .webhook_enqueue = trc_sq_webhook_enqueue,
    .deliveries_due = trc_sq_deliveries_due,
    .delivery_attempted = trc_sq_delivery_attempted,
    .deliveries_read = trc_sq_deliveries_read,
    /* ---- the dashboard (store_grid.c) ---- */
    .events_grid = sq_events_grid,
    /* ---- OGC API Features (store_ogc.c) ---- */
    .events_count = sq_events_count,
    .events_extent = sq_events_extent,
    /* ---- copying a whole store (store_sqlite_copy.c) ---- */
    .copy_count = trc_sq_copy_count,
    .copy_read = trc_sq_copy_read,
    .copy_write = trc_sq_copy_write,
};
