/* The PostgreSQL backend of the store (include/truce/store.h), through
 * libpq; the same operations, with the same meaning, as the SQLite backend
 * (store_sqlite.c).
 *
 * Where: a libpq connection URI ("postgresql://USER@HOST/DB") or key=value
 * string; a password comes from PGPASSWORD or ~/.pgpass, as libpq reads
 * them, never from the command line.
 *
 * Durability: each connection sets synchronous_commit = on, so that COMMIT
 * returns once the commit record is flushed to disk; a 2xx answer follows
 * only such a COMMIT.  A batch of reports is one transaction, each report
 * in a savepoint (group_commit.h).
 *
 * Several processes may share one database.  Each transaction that may
 * write a change to an event (a report, a review, an agreement version)
 * first takes one transaction-level advisory lock (TRC_PG_FEED_LOCK; the
 * change triggers take it too), held until its COMMIT: so change numbers
 * (a sequence) are taken in commit order, and a reader of the feed that
 * sees change N sees every change before it.  Its checks (is this id
 * stored? was this key seen?) see every such transaction committed before
 * it.  A review also locks its event's row (SELECT ... FOR UPDATE), so a
 * confirm and a dispute at two processes are decided one after the other.
 * The commit sends NOTIFY truce_changes; each process LISTENs on a
 * connection of its own (store_pg_feed.c) and wakes its streams.
 *
 * Connections: one writes (and reads what must see its writes at once),
 * one reads tokens and the feed, each behind its own lock; when the server
 * went away, the next call reconnects (PQreset, with backoff).  A COMMIT
 * whose answer was lost is settled by asking, after reconnecting, for the
 * status of the transaction's id (txid_status), taken before the COMMIT.
 *
 * Schema: table truce_schema holds the version; the steps
 * (store_pg_schema.c) are applied under a session advisory lock, so that
 * several processes starting at once migrate once.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/util.h"
#include "store/store_pg_impl.h"

/* The session advisory lock of the migrations. */
#define MIGRATION_LOCK "7665876206593700914"

/* Connections for scans (truce_store_events_scan: a report's likely
 * duplicates, statistics over every event), connected when first needed:
 * a scan of a million events holds one for a minute, never the writer nor
 * the reader of tokens and the change feed. */
#define PG_SCANS 4

typedef struct pg_store {
    truce_store base;
    char *conninfo;
    trc_pg_conn w, r;
    trc_pg_conn scan[PG_SCANS];
    unsigned next_scan; /* the one to wait for when all are taken */
    trc_pg_listener listener;
    int postgis;
    char instance[TRUCE_TOKEN_SIZE];
} pg_store;

static pg_store *pg(truce_store *s)
{
    return (pg_store *)s;
}

trc_pg_conn *trc_pg_writer(truce_store *s)
{
    return &pg(s)->w;
}

trc_pg_conn *trc_pg_reader(truce_store *s)
{
    return &pg(s)->r;
}

const char *trc_pg_instance(truce_store *s)
{
    return pg(s)->instance;
}

/* ---- parameters and results ---- */

static void param(trc_pg_params *p, const char *v, int len, int fmt)
{
    if (p->n >= TRC_PG_PARAMS_MAX)
        return; /* the callers' statements have fewer */
    p->v[p->n] = v;
    p->len[p->n] = len;
    p->fmt[p->n++] = fmt;
}

void trc_pg_text(trc_pg_params *p, const char *v)
{
    param(p, v, 0, 0);
}

void trc_pg_int(trc_pg_params *p, int64_t v)
{
    if (p->n >= TRC_PG_PARAMS_MAX)
        return;
    snprintf(p->num[p->n], sizeof p->num[p->n], "%lld", (long long)v);
    param(p, p->num[p->n], 0, 0);
}

void trc_pg_int_or_null(trc_pg_params *p, int64_t v)
{
    if (v > 0)
        trc_pg_int(p, v);
    else
        param(p, NULL, 0, 0);
}

void trc_pg_double(trc_pg_params *p, double v)
{
    if (p->n >= TRC_PG_PARAMS_MAX)
        return;
    /* %.17g reads back as the same double; inf as float8 reads "inf". */
    snprintf(p->num[p->n], sizeof p->num[p->n], "%.17g", v);
    param(p, p->num[p->n], 0, 0);
}

void trc_pg_bytes(trc_pg_params *p, const void *v, size_t len)
{
    param(p, v, (int)len, 1);
}

void trc_pg_args(trc_pg_params *p, const trc_sql_args *a)
{
    for (int k = 0; k < a->n; k++) {
        if (a->v[k].kind == 'i')
            trc_pg_int(p, a->v[k].i);
        else if (a->v[k].kind == 'd')
            trc_pg_double(p, a->v[k].d);
        else
            trc_pg_text(p, a->v[k].t);
    }
}

PGresult *trc_pg_query(PGconn *db, const char *sql, const trc_pg_params *p, char state[6])
{
    if (state)
        state[0] = '\0';
    PGresult *res = p ? PQexecParams(db, sql, p->n, NULL, p->v, p->len, p->fmt, 0)
                      : PQexec(db, sql); /* may hold several statements */
    ExecStatusType rc = PQresultStatus(res);
    if (rc == PGRES_COMMAND_OK || rc == PGRES_TUPLES_OK)
        return res;
    const char *code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (state && code)
        snprintf(state, 6, "%s", code);
    PQclear(res);
    return NULL;
}

truce_status trc_pg_run(PGconn *db, const char *sql, const trc_pg_params *p)
{
    PGresult *res = trc_pg_query(db, sql, p, NULL);
    PQclear(res);
    return res ? TRUCE_OK : TRUCE_E_IO;
}

const char *trc_pg_val(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
}

int64_t trc_pg_i64(const PGresult *res, int r, int c)
{
    const char *v = trc_pg_val(res, r, c);
    return v ? strtoll(v, NULL, 10) : 0;
}

/* A bytea column (hex text) of 32 bytes into out (zeros otherwise). */
static void bytes32(const PGresult *res, int r, int c, unsigned char out[32])
{
    memset(out, 0, 32);
    size_t n = 0;
    unsigned char *b = PQunescapeBytea((const unsigned char *)PQgetvalue(res, r, c), &n);
    if (b && n == 32)
        memcpy(out, b, 32);
    PQfreemem(b);
}

truce_status trc_pg_finish(PGconn *db, truce_status st)
{
    if (!st && trc_pg_run(db, "COMMIT", NULL))
        st = TRUCE_E_IO;
    if (st && PQstatus(db) == CONNECTION_OK)
        trc_pg_run(db, "ROLLBACK", NULL);
    return st;
}

/* ---- connections ---- */

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* The session's settings: durable commits, times in UTC, no notices. */
static truce_status session(PGconn *db)
{
    return trc_pg_run(db,
                      "SET synchronous_commit = on; SET TimeZone = 'UTC';"
                      " SET client_min_messages = warning",
                      NULL);
}

/* Connect, or reconnect, c: backoff from 50 ms doubling to 1 s, for at most
 * RECONNECT_MS in all (a restart of PostgreSQL takes a second or two). */
#define RECONNECT_MS 15000
static int connected(trc_pg_conn *c)
{
    if (c->db && PQstatus(c->db) == CONNECTION_OK && PQtransactionStatus(c->db) != PQTRANS_UNKNOWN)
        return 1;
    long waited = 0, pause = 50;
    for (;;) {
        if (c->db)
            PQreset(c->db);
        else
            c->db = PQconnectdb(c->conninfo);
        if (c->db && PQstatus(c->db) == CONNECTION_OK && !session(c->db))
            return 1;
        if (waited >= RECONNECT_MS)
            return 0;
        sleep_ms(pause);
        waited += pause;
        pause = pause * 2 > 1000 ? 1000 : pause * 2;
    }
}

PGconn *trc_pg_take(trc_pg_conn *c)
{
    pthread_mutex_lock(&c->lock);
    if (connected(c))
        return c->db;
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

void trc_pg_give(trc_pg_conn *c)
{
    pthread_mutex_unlock(&c->lock);
}

PGresult *trc_pg_read(trc_pg_conn *c, const char *sql, const trc_pg_params *p)
{
    PGconn *db = trc_pg_take(c);
    if (!db)
        return NULL;
    PGresult *res = trc_pg_query(db, sql, p, NULL);
    if (!res && PQstatus(db) != CONNECTION_OK && connected(c))
        res = trc_pg_query(c->db, sql, p, NULL);
    trc_pg_give(c);
    return res;
}

/* Whether the connection was lost (the call's outcome then unknown). */
static int lost(PGconn *db)
{
    return PQstatus(db) != CONNECTION_OK;
}

/* Begin a writing transaction on the writer, taken: with the feed's lock
 * when `feed`.  On failure the writer is given back. */
static PGconn *begin(pg_store *s, int feed)
{
    PGconn *db = trc_pg_take(&s->w);
    if (!db)
        return NULL;
    if (!trc_pg_run(db, "BEGIN", NULL) && (!feed || !trc_pg_run(db, TRC_PG_FEED_LOCK, NULL)))
        return db;
    if (!lost(db))
        trc_pg_run(db, "ROLLBACK", NULL);
    trc_pg_give(&s->w);
    return NULL;
}

/* ---- opening: migrations ---- */

static int schema_version(void)
{
    return trc_pg_steps[trc_pg_nsteps - 1].version;
}

static truce_status migrate(PGconn *db, char *why, size_t why_len)
{
    if (trc_pg_run(db, "SELECT pg_advisory_lock(" MIGRATION_LOCK ")", NULL)) {
        snprintf(why, why_len, "%s", PQerrorMessage(db));
        return TRUCE_E_IO;
    }
    truce_status st = TRUCE_OK;
    PGresult *res = trc_pg_query(db,
                                 "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname ="
                                 " current_schema()), to_regclass('truce_schema') IS NOT NULL",
                                 NULL, NULL);
    if (!res) {
        snprintf(why, why_len, "%s", PQerrorMessage(db));
        st = TRUCE_E_IO;
    } else if (!strcmp(PQgetvalue(res, 0, 1), "f") && trc_pg_i64(res, 0, 0) > 0) {
        snprintf(why, why_len, "not a truce store (a PostgreSQL database with other tables)");
        st = TRUCE_E_IO;
    }
    PQclear(res);
    if (!st && trc_pg_run(db,
                          "CREATE TABLE IF NOT EXISTS truce_schema (version integer NOT NULL);"
                          " INSERT INTO truce_schema SELECT 0 WHERE NOT EXISTS"
                          " (SELECT 1 FROM truce_schema)",
                          NULL)) {
        snprintf(why, why_len, "%s", PQerrorMessage(db));
        st = TRUCE_E_IO;
    }
    for (size_t i = 0; !st && i < trc_pg_nsteps; i++) {
        res = trc_pg_query(db, "SELECT version FROM truce_schema", NULL, NULL);
        int64_t v = res ? trc_pg_i64(res, 0, 0) : -1;
        PQclear(res);
        if (v < 0) {
            snprintf(why, why_len, "%s", PQerrorMessage(db));
            st = TRUCE_E_IO;
        } else if (v > schema_version()) {
            snprintf(why, why_len, "schema version %lld is newer than this truce's (%d)",
                     (long long)v, schema_version());
            st = TRUCE_E_RANGE;
        } else if (v < trc_pg_steps[i].version) {
            char set[64];
            snprintf(set, sizeof set, "UPDATE truce_schema SET version = %d",
                     trc_pg_steps[i].version);
            if (trc_pg_run(db, "BEGIN", NULL))
                st = TRUCE_E_IO;
            for (const char *const *sql = trc_pg_steps[i].sql; !st && *sql; sql++) {
                PGresult *step = PQexec(db, *sql);
                if (PQresultStatus(step) != PGRES_COMMAND_OK)
                    st = TRUCE_E_IO;
                PQclear(step);
            }
            if (!st && (trc_pg_run(db, set, NULL) || trc_pg_run(db, "COMMIT", NULL)))
                st = TRUCE_E_IO;
            if (st) {
                snprintf(why, why_len, "migration to schema version %d failed: %s",
                         trc_pg_steps[i].version, PQerrorMessage(db));
                trc_pg_run(db, "ROLLBACK", NULL);
            }
        }
    }
    trc_pg_run(db, "SELECT pg_advisory_unlock(" MIGRATION_LOCK ")", NULL);
    return st;
}

/* PostGIS, where it is installed: the extension and the geography column
 * (store_pg_schema.c); silently nothing otherwise.  1 when it is there. */
static int postgis(PGconn *db)
{
    if (trc_pg_run(db, "SELECT pg_advisory_lock(" MIGRATION_LOCK ")", NULL))
        return 0;
    int ok = !trc_pg_run(db, "BEGIN", NULL);
    if (ok && trc_pg_run(db, "CREATE EXTENSION IF NOT EXISTS postgis", NULL))
        ok = 0;
    PGresult *res = ok ? PQexec(db, trc_pg_postgis) : NULL;
    if (ok && PQresultStatus(res) != PGRES_COMMAND_OK)
        ok = 0;
    PQclear(res);
    if (ok)
        ok = !trc_pg_run(db, "COMMIT", NULL);
    else
        trc_pg_run(db, "ROLLBACK", NULL);
    trc_pg_run(db, "SELECT pg_advisory_unlock(" MIGRATION_LOCK ")", NULL);
    return ok;
}

static const trc_store_ops pg_ops;

int trc_store_pg_location(const char *where)
{
    static const char *const starts[] = {"postgresql://", "postgres://", "host=", "hostaddr=",
                                         "dbname=",       "user=",       "port=", "service="};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
        if (!strncmp(where, starts[i], strlen(starts[i])))
            return 1;
    return 0;
}

truce_status trc_store_pg_open(const char *conninfo, truce_store **out, char *why, size_t why_len)
{
    char ignored[8];
    if (!why || !why_len) {
        why = ignored;
        why_len = sizeof ignored;
    }
    pg_store *s = trc_calloc(1, sizeof *s);
    char *info = truce_strdup(conninfo);
    if (!s || !info) {
        trc_free(s);
        trc_free(info);
        snprintf(why, why_len, "out of memory");
        return TRUCE_E_NOMEM;
    }
    s->conninfo = info;
    s->w.conninfo = s->r.conninfo = info;
    pthread_mutex_init(&s->w.lock, NULL);
    pthread_mutex_init(&s->r.lock, NULL);
    for (int i = 0; i < PG_SCANS; i++) {
        s->scan[i].conninfo = info;
        pthread_mutex_init(&s->scan[i].lock, NULL);
    }
    s->base.ops = &pg_ops;
    truce_status st = trc_token_new(s->instance);
    if (st) {
        snprintf(why, why_len, "no random bytes for the store's instance");
        s->base.ops->free(&s->base);
        return st;
    }
    s->w.db = PQconnectdb(info);
    if (!s->w.db || PQstatus(s->w.db) != CONNECTION_OK || session(s->w.db)) {
        /* libpq's message names the host and what failed, never the
         * password */
        snprintf(why, why_len, "%s", s->w.db ? PQerrorMessage(s->w.db) : "out of memory");
        size_t n = strlen(why);
        while (n && (why[n - 1] == '\n' || why[n - 1] == ' '))
            why[--n] = '\0';
        st = TRUCE_E_IO;
    }
    if (!st)
        st = migrate(s->w.db, why, why_len);
    if (!st)
        s->postgis = postgis(s->w.db);
    if (!st && !trc_pg_take(&s->r)) {
        snprintf(why, why_len, "%s", PQerrorMessage(s->r.db));
        st = TRUCE_E_IO;
    } else if (!st) {
        trc_pg_give(&s->r);
    }
    if (st) {
        s->base.ops->free(&s->base);
        return st;
    }
    *out = &s->base;
    return TRUCE_OK;
}

int trc_store_pg_postgis(truce_store *s)
{
    return s && s->ops == &pg_ops && pg(s)->postgis;
}

static truce_status pg_start(truce_store *base)
{
    pg_store *s = pg(base);
    return trc_pg_listen_start(&s->listener, base, s->conninfo);
}

static void pg_free(truce_store *base)
{
    pg_store *s = pg(base);
    trc_pg_listen_stop(&s->listener);
    PQfinish(s->w.db);
    PQfinish(s->r.db);
    pthread_mutex_destroy(&s->w.lock);
    pthread_mutex_destroy(&s->r.lock);
    for (int i = 0; i < PG_SCANS; i++) {
        PQfinish(s->scan[i].db);
        pthread_mutex_destroy(&s->scan[i].lock);
    }
    trc_free(s->conninfo);
    trc_free(s);
}

/* ---- tokens ---- */

static truce_status pg_token_add(truce_store *base, truce_role role, const char *party,
                                 const char *name, const unsigned char hash[32], const char *at,
                                 int64_t *id)
{
    trc_pg_params p = {0};
    trc_pg_bytes(&p, hash, 32);
    trc_pg_text(&p, truce_role_name(role));
    trc_pg_text(&p, party);
    trc_pg_text(&p, name);
    trc_pg_text(&p, at);
    PGconn *db = trc_pg_take(&pg(base)->w);
    if (!db)
        return TRUCE_E_IO;
    PGresult *res = trc_pg_query(db,
                                 "INSERT INTO tokens (sha256, role, party, name, created_at)"
                                 " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                 &p, NULL);
    if (res)
        *id = trc_pg_i64(res, 0, 0);
    PQclear(res);
    trc_pg_give(&pg(base)->w);
    return res ? TRUCE_OK : TRUCE_E_IO;
}

#define TOKEN_COLUMNS "id, role, party, name, created_at, revoked_at"

static void token_row(const PGresult *res, int r, truce_token_info *out)
{
    memset(out, 0, sizeof *out);
    out->id = trc_pg_i64(res, r, 0);
    if (truce_role_from_name(PQgetvalue(res, r, 1), &out->role))
        out->role = TRUCE_ROLE_VIEWER;
    snprintf(out->party, sizeof out->party, "%s", PQgetvalue(res, r, 2));
    snprintf(out->name, sizeof out->name, "%s", PQgetvalue(res, r, 3));
    snprintf(out->created_at, sizeof out->created_at, "%s", PQgetvalue(res, r, 4));
    snprintf(out->revoked_at, sizeof out->revoked_at, "%s", PQgetvalue(res, r, 5));
}

static truce_status pg_token_verify(truce_store *base, const unsigned char hash[32],
                                    truce_token_info *out)
{
    trc_pg_params p = {0};
    trc_pg_bytes(&p, hash, 32);
    PGresult *res = trc_pg_read(
        &pg(base)->r,
        "SELECT " TOKEN_COLUMNS " FROM tokens WHERE sha256 = $1 AND revoked_at IS NULL", &p);
    truce_status st = !res ? TRUCE_E_IO : PQntuples(res) ? TRUCE_OK : TRUCE_E_NOT_FOUND;
    if (!st)
        token_row(res, 0, out);
    PQclear(res);
    return st;
}

static truce_status pg_token_revoke(truce_store *base, int64_t id, const char *at)
{
    trc_pg_params p = {0};
    trc_pg_text(&p, at);
    trc_pg_int(&p, id);
    PGconn *db = trc_pg_take(&pg(base)->w);
    if (!db)
        return TRUCE_E_IO;
    PGresult *res = trc_pg_query(
        db, "UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", &p, NULL);
    truce_status st = !res                             ? TRUCE_E_IO
                      : !strcmp(PQcmdTuples(res), "0") ? TRUCE_E_NOT_FOUND
                                                       : TRUCE_OK;
    PQclear(res);
    trc_pg_give(&pg(base)->w);
    return st;
}

static truce_status pg_token_list(truce_store *base, truce_token_fn fn, void *ctx)
{
    PGresult *res =
        trc_pg_read(&pg(base)->w, "SELECT " TOKEN_COLUMNS " FROM tokens ORDER BY id", NULL);
    truce_status st = res ? TRUCE_OK : TRUCE_E_IO;
    for (int i = 0; !st && i < PQntuples(res); i++) {
        truce_token_info t;
        token_row(res, i, &t);
        st = fn(ctx, &t);
    }
    PQclear(res);
    return st;
}

/* ---- events ---- */

/* The event `id`: its position (and its digest and submitter), or
 * TRUCE_E_NOT_FOUND.  `lock`: FOR UPDATE. */
static truce_status find_event(PGconn *db, const char *id, int lock, int64_t *seq,
                               unsigned char sha[32], int64_t *token_id)
{
    trc_pg_params p = {0};
    trc_pg_text(&p, id);
    PGresult *res = trc_pg_query(db,
                                 lock ? "SELECT seq, event_sha256, token_id FROM events"
                                        " WHERE id = $1 FOR UPDATE"
                                      : "SELECT seq, event_sha256, token_id FROM events"
                                        " WHERE id = $1",
                                 &p, NULL);
    truce_status st = !res ? TRUCE_E_IO : PQntuples(res) ? TRUCE_OK : TRUCE_E_NOT_FOUND;
    if (!st) {
        *seq = trc_pg_i64(res, 0, 0);
        if (sha)
            bytes32(res, 0, 1, sha);
        if (token_id)
            *token_id = trc_pg_i64(res, 0, 2);
    }
    PQclear(res);
    return st;
}

/* The current record and status of event `seq` as truce_store_report_put
 * answers (record + status + received_at + `more`), appended to out. */
static truce_status event_answer(PGconn *db, int64_t seq, const char *more, truce_text *out)
{
    trc_pg_params p = {0};
    trc_pg_int(&p, seq);
    PGresult *res = trc_pg_query(db,
                                 "SELECT " TRC_SQL_CURRENT_RECORD ", " TRC_SQL_CURRENT_STATUS
                                 ", received_at FROM events e WHERE seq = $1",
                                 &p, NULL);
    truce_status st = TRUCE_E_IO;
    if (res && PQntuples(res) && trc_pg_val(res, 0, 0)) {
        const char *status = trc_pg_val(res, 0, 1);
        st = trc_store_json_event(out, PQgetvalue(res, 0, 0), status ? status : "submitted",
                                  PQgetvalue(res, 0, 2), more);
    }
    PQclear(res);
    return st;
}

/* Within a transaction: store event r unless its id is stored already;
 * *outcome says which (CREATED, EXISTED, CONFLICT).  `answer` (may be
 * NULL) receives the event as stored for CREATED and EXISTED.  `state`:
 * the SQLSTATE of a failed insert. */
static truce_status put_event(PGconn *db, const truce_store_report *r,
                              const unsigned char event_sha[32], truce_store_outcome *outcome,
                              truce_text *answer, char state[6])
{
    int64_t seq;
    unsigned char sha[32];
    truce_status st = find_event(db, r->id, 0, &seq, sha, NULL);
    if (!st) {
        *outcome = memcmp(sha, event_sha, 32) ? TRUCE_STORE_CONFLICT : TRUCE_STORE_EXISTED;
        if (*outcome == TRUCE_STORE_EXISTED && answer)
            st = event_answer(db, seq, NULL, answer);
        return st;
    }
    if (st != TRUCE_E_NOT_FOUND)
        return st;
    *outcome = TRUCE_STORE_CREATED;
    trc_pg_params p = {0};
    trc_pg_text(&p, r->id);
    trc_pg_text(&p, r->event_json);
    trc_pg_bytes(&p, event_sha, 32);
    trc_pg_text(&p, r->received_at);
    trc_pg_int_or_null(&p, r->token_id);
    trc_pg_text(&p, r->record);
    PGresult *res = trc_pg_query(db,
                                 "WITH e AS (INSERT INTO events (id, event, event_sha256,"
                                 " received_at, token_id) VALUES ($1, $2, $3, $4, $5)"
                                 " RETURNING seq)"
                                 " INSERT INTO verdicts (event_seq, record, judged_at)"
                                 " SELECT seq, $6, $4 FROM e",
                                 &p, state);
    st = res ? TRUCE_OK : TRUCE_E_IO;
    PQclear(res);
    if (!st && answer)
        st = trc_store_json_event(answer, r->record, "submitted", r->received_at, NULL);
    return st;
}

/* Job j's report, inside the open transaction, as if alone: the caller
 * rolls back to a savepoint when this fails.  `state`: as put_event. */
static truce_status put_one(PGconn *db, trc_report_job *j, char state[6])
{
    const truce_store_report *r = j->r;
    truce_store_put_result *res = j->result;
    truce_text *answer = j->answer;
    size_t answer_len = answer->len;
    memset(res, 0, sizeof *res);
    truce_status st = TRUCE_OK;
    if (r->idempotency_key) {
        trc_pg_params p = {0};
        trc_pg_int(&p, r->token_id);
        trc_pg_text(&p, r->idempotency_key);
        PGresult *q = trc_pg_query(db,
                                   "SELECT request_sha256, outcome, answer FROM idempotency"
                                   " WHERE token_id = $1 AND key = $2",
                                   &p, NULL);
        if (!q)
            return TRUCE_E_IO;
        if (PQntuples(q)) {
            unsigned char sha[32];
            bytes32(q, 0, 0, sha);
            if (!memcmp(sha, j->request_sha256, 32)) {
                res->replayed = 1;
                res->outcome = (truce_store_outcome)atoi(PQgetvalue(q, 0, 1));
                const char *a = PQgetvalue(q, 0, 2);
                st = truce_text_append(answer, a, strlen(a));
            } else {
                res->outcome = TRUCE_STORE_KEY_REUSED;
            }
        }
        PQclear(q);
        if (st || res->replayed || res->outcome == TRUCE_STORE_KEY_REUSED)
            return st;
    }
    st = put_event(db, r, j->event_sha256, &res->outcome, answer, state);
    if (!st && r->idempotency_key && res->outcome != TRUCE_STORE_CONFLICT) {
        trc_pg_params p = {0};
        trc_pg_int(&p, r->token_id);
        trc_pg_text(&p, r->idempotency_key);
        trc_pg_bytes(&p, j->request_sha256, 32);
        trc_pg_int(&p, (int64_t)res->outcome);
        /* the answer as appended: text, not NUL-terminated at answer_len */
        char *a = trc_malloc(answer->len - answer_len + 1);
        if (!a)
            return TRUCE_E_NOMEM;
        memcpy(a, answer->p + answer_len, answer->len - answer_len);
        a[answer->len - answer_len] = '\0';
        trc_pg_text(&p, a);
        PGresult *q = trc_pg_query(db,
                                   "INSERT INTO idempotency (token_id, key, request_sha256,"
                                   " outcome, answer) VALUES ($1, $2, $3, $4, $5)",
                                   &p, state);
        st = q ? TRUCE_OK : TRUCE_E_IO;
        PQclear(q);
        trc_free(a);
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

/* The jobs of one batch in one transaction, each in a savepoint.  *xid is
 * the transaction's id; *sent: COMMIT was sent (its outcome, when the
 * connection was lost meanwhile, unknown).  A job whose insert met a
 * unique violation (another transaction stored the same id or key first)
 * is tried again once, reading the stored answer. */
static truce_status batch_once(PGconn *db, trc_report_job *first, char xid[32], int *sent)
{
    *sent = 0;
    xid[0] = '\0';
    truce_status st = trc_pg_run(db, "BEGIN", NULL);
    if (!st)
        st = trc_pg_run(db, TRC_PG_FEED_LOCK, NULL);
    PGresult *res = st ? NULL : trc_pg_query(db, "SELECT txid_current()", NULL, NULL);
    if (!st && !res)
        st = TRUCE_E_IO;
    if (res)
        snprintf(xid, 32, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    for (trc_report_job *j = first; j; j = (trc_report_job *)j->group.next) {
        j->mark = j->answer->len;
        j->status = st ? st : trc_pg_run(db, "SAVEPOINT report", NULL);
        for (int attempt = 0; !j->status && attempt < 2; attempt++) {
            char state[6];
            j->status = put_one(db, j, state);
            if (!j->status)
                break;
            if (trc_pg_run(db, "ROLLBACK TO report", NULL))
                st = TRUCE_E_IO;
            unanswer(j, j->mark);
            if (st || strcmp(state, "23505"))
                break;
            j->status = TRUCE_OK; /* again, reading what the other stored */
        }
        if (j->status && !st && lost(db))
            st = TRUCE_E_IO;
        if (!j->status && trc_pg_run(db, "RELEASE report", NULL) && !st)
            st = TRUCE_E_IO;
    }
    if (!st)
        st = trc_pg_run(db, TRC_PG_NOTIFY, NULL);
    if (!st) {
        *sent = 1;
        st = trc_pg_run(db, "COMMIT", NULL);
    } else if (!lost(db)) {
        trc_pg_run(db, "ROLLBACK", NULL);
    }
    return st;
}

/* Whether transaction `xid` committed, asked after reconnecting: 1
 * committed, 0 not (aborted: nothing of it stored), -1 unknown. */
static int committed(trc_pg_conn *c, const char *xid)
{
    if (!xid[0] || !connected(c))
        return -1;
    trc_pg_params p = {0};
    trc_pg_text(&p, xid);
    PGresult *res = trc_pg_query(c->db, "SELECT txid_status($1::bigint)", &p, NULL);
    const char *v = res && PQntuples(res) ? trc_pg_val(res, 0, 0) : NULL;
    int known = !v ? -1 : !strcmp(v, "committed") ? 1 : !strcmp(v, "aborted") ? 0 : -1;
    PQclear(res);
    return known;
}

/* Every job of the batch in one transaction (one flush of the WAL).  When
 * the connection is lost before the COMMIT, nothing was stored: the batch
 * is written again once reconnected; when it is lost during the COMMIT,
 * the transaction's status settles it. */
static void pg_report_batch(truce_store *base, trc_report_job *first)
{
    pg_store *s = pg(base);
    truce_status st = TRUCE_E_IO;
    for (int attempt = 0; attempt < 3; attempt++) {
        PGconn *db = trc_pg_take(&s->w);
        if (!db)
            break;
        char xid[32];
        int sent;
        st = batch_once(db, first, xid, &sent);
        int gone = st && lost(db);
        int known = gone && sent ? committed(&s->w, xid) : 0;
        trc_pg_give(&s->w);
        if (known == 1)
            st = TRUCE_OK;
        if (!st || !gone || known == -1)
            break;
        for (trc_report_job *j = first; j; j = (trc_report_job *)j->group.next)
            unanswer(j, j->mark);
    }
    for (trc_report_job *j = first; st && j; j = (trc_report_job *)j->group.next) {
        if (!j->status)
            unanswer(j, j->mark);
        j->status = st;
    }
}

static truce_status pg_reports_put(truce_store *base, const truce_store_report *reps, size_t n,
                                   const unsigned char (*event_sha)[32],
                                   truce_store_outcome *outcomes)
{
    pg_store *s = pg(base);
    PGconn *db = begin(s, 1);
    if (!db)
        return TRUCE_E_IO;
    truce_status st = TRUCE_OK;
    for (size_t i = 0; !st && i < n; i++)
        st = put_event(db, &reps[i], event_sha[i], &outcomes[i], NULL, NULL);
    if (!st)
        st = trc_pg_run(db, TRC_PG_NOTIFY, NULL);
    st = trc_pg_finish(db, st);
    trc_pg_give(&s->w);
    return st;
}

static truce_status pg_event_submitter(truce_store *base, const char *id, int64_t *token_id)
{
    PGconn *db = trc_pg_take(&pg(base)->w);
    if (!db)
        return TRUCE_E_IO;
    int64_t seq;
    truce_status st = find_event(db, id, 0, &seq, NULL, token_id);
    trc_pg_give(&pg(base)->w);
    return st;
}

/* The history of event `seq`: appends the reviews' JSON array to `reviews`
 * (may be NULL), finds whether it was rejected and each of `parties`'
 * position. */
static truce_status history(PGconn *db, int64_t seq, const char *const *parties, size_t nparties,
                            int *positions, int *rejected, truce_text *reviews)
{
    trc_pg_params p = {0};
    trc_pg_int(&p, seq);
    PGresult *res = trc_pg_query(db,
                                 "SELECT at, token_id, role, party, action, from_status,"
                                 " to_status, note FROM reviews WHERE event_seq = $1 ORDER BY seq",
                                 &p, NULL);
    if (!res)
        return TRUCE_E_IO;
    truce_status st = reviews ? truce_text_append(reviews, "[", 1) : TRUCE_OK;
    *rejected = 0;
    memset(positions, 0, nparties * sizeof *positions);
    for (int i = 0; !st && i < PQntuples(res); i++) {
        trc_review_row row = {trc_pg_val(res, i, 0), trc_pg_i64(res, i, 1), trc_pg_val(res, i, 2),
                              trc_pg_val(res, i, 3), trc_pg_val(res, i, 4), trc_pg_val(res, i, 5),
                              trc_pg_val(res, i, 6), trc_pg_val(res, i, 7)};
        st = trc_store_history_row(&row, i == 0, parties, nparties, positions, rejected, reviews);
    }
    if (!st && reviews)
        st = truce_text_append(reviews, "]", 1);
    PQclear(res);
    return st;
}

/* ,"verdicts":[...]: every verdict event `seq` was given, oldest first. */
static truce_status verdict_history(PGconn *db, int64_t seq, truce_text *out)
{
    trc_pg_params p = {0};
    trc_pg_int(&p, seq);
    PGresult *res = trc_pg_query(db,
                                 "SELECT judged_at, agreement_version, record FROM verdicts"
                                 " WHERE event_seq = $1 ORDER BY seq",
                                 &p, NULL);
    if (!res)
        return TRUCE_E_IO;
    truce_status st = truce_text_append(out, ",\"verdicts\":[", 13);
    for (int i = 0; !st && i < PQntuples(res); i++) {
        st = trc_store_json_verdict(out, i == 0, trc_pg_val(res, i, 0), trc_pg_val(res, i, 1),
                                    PQgetvalue(res, i, 2));
    }
    if (!st)
        st = truce_text_append(out, "]", 1);
    PQclear(res);
    return st;
}

static truce_status pg_event_get(truce_store *base, const char *id, truce_text *out)
{
    PGconn *db = trc_pg_take(&pg(base)->w);
    if (!db)
        return TRUCE_E_IO;
    int64_t seq = 0;
    char **names = NULL;
    size_t nnames = 0;
    int *positions = NULL, rejected;
    truce_text more = {0}, reviews = {0};
    /* one snapshot for the reads */
    truce_status st = trc_pg_run(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL);
    if (!st)
        st = find_event(db, id, 0, &seq, NULL, NULL);
    /* the parties that have reviewed it, each once, in the order of their
     * first review (confirmed_by, when the agreement's list is not at hand) */
    trc_pg_params p = {0};
    trc_pg_int(&p, seq);
    PGresult *res = st ? NULL
                       : trc_pg_query(db,
                                      "SELECT party FROM reviews WHERE event_seq = $1 AND party"
                                      " IS NOT NULL GROUP BY party ORDER BY min(seq)",
                                      &p, NULL);
    if (!st && !res)
        st = TRUCE_E_IO;
    nnames = res ? (size_t)PQntuples(res) : 0;
    if (!st && !(names = trc_calloc(nnames + 1, sizeof *names)))
        st = TRUCE_E_NOMEM;
    for (size_t i = 0; !st && i < nnames; i++)
        names[i] = PQgetvalue(res, (int)i, 0);
    if (!st && !(positions = trc_calloc(nnames + 1, sizeof *positions)))
        st = TRUCE_E_NOMEM;
    if (!st)
        st = history(db, seq, (const char *const *)names, nnames, positions, &rejected, &reviews);
    if (!st)
        st = trc_store_json_confirmed_by(&more, (const char *const *)names, nnames, positions);
    if (!st)
        st = truce_text_append(&more, ",\"reviews\":", 11);
    if (!st)
        st = truce_text_append(&more, reviews.p, reviews.len);
    if (!st)
        st = verdict_history(db, seq, &more);
    if (!st)
        st = event_answer(db, seq, more.p, out);
    if (!lost(db))
        trc_pg_run(db, "COMMIT", NULL);
    trc_pg_give(&pg(base)->w);
    PQclear(res);
    trc_free(names);
    trc_free(positions);
    truce_text_release(&reviews);
    truce_text_release(&more);
    return st;
}

/* A review: the event's row locked (FOR UPDATE) while its history is read
 * and the decision made, so that two processes decide one after the
 * other. */
static truce_status pg_review(truce_store *base, const char *id, const truce_token_info *who,
                              const truce_review_request *request, const char *at,
                              const char *const *parties, size_t nparties,
                              truce_review_decision *decision, truce_text *out)
{
    pg_store *s = pg(base);
    int *positions = trc_calloc(nparties + 1, sizeof *positions);
    if (!positions)
        return TRUCE_E_NOMEM;
    PGconn *db = begin(s, 1);
    if (!db) {
        trc_free(positions);
        return TRUCE_E_IO;
    }
    int64_t seq = 0;
    int rejected = 0;
    truce_status st = find_event(db, id, 1, &seq, NULL, NULL);
    if (!st)
        st = history(db, seq, parties, nparties, positions, &rejected, NULL);
    if (!st)
        truce_review_decide(who->role, who->party[0] ? who->party : NULL, request, rejected,
                            positions, parties, nparties, decision);
    if (!st && decision->outcome == TRUCE_REVIEW_OK) {
        trc_review_row row;
        trc_store_review_row(who, request, decision, parties, at, &row);
        trc_pg_params p = {0};
        trc_pg_int(&p, seq);
        trc_pg_text(&p, row.at);
        trc_pg_int(&p, row.by);
        trc_pg_text(&p, row.role);
        trc_pg_text(&p, row.party);
        trc_pg_text(&p, row.action);
        trc_pg_text(&p, row.from);
        trc_pg_text(&p, row.to);
        trc_pg_text(&p, row.note);
        st =
            trc_pg_run(db,
                       "INSERT INTO reviews (event_seq, at, token_id, role, party, action,"
                       " from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                       &p);
        if (!st)
            st = trc_pg_run(db, TRC_PG_NOTIFY, NULL);
        if (!st)
            st = trc_store_json_reviewed(out, id, &row, parties, nparties, positions);
    }
    if (!st && decision->outcome != TRUCE_REVIEW_OK)
        trc_pg_run(db, "ROLLBACK", NULL);
    else
        st = trc_pg_finish(db, st);
    trc_pg_give(&s->w);
    trc_free(positions);
    return st;
}

/* ---- query: the filters (filter_sql.c) ---- */

/* Run sql (a filter's values bound after `pre`'s) on db, taken. */
static PGresult *filtered(PGconn *db, const char *head, const truce_store_filter *filter,
                          const char *tail, trc_pg_params *pre)
{
    truce_text sql = {0};
    trc_sql_args args = {0};
    truce_status st = truce_text_append(&sql, head, strlen(head));
    if (!st)
        st = trc_filter_sql_where(TRC_SQL_PG, filter, NULL, pre->n + 1, &sql, &args);
    if (!st)
        st = truce_text_append(&sql, tail, strlen(tail));
    trc_pg_args(pre, &args);
    PGresult *res = st ? NULL : trc_pg_query(db, sql.p, pre, NULL);
    truce_text_release(&sql);
    return res;
}

static truce_status list_range(void *ctx, const char *sql, const trc_sql_args *args,
                               trc_sql_page *p)
{
    trc_pg_params params = {0};
    trc_pg_args(&params, args);
    PGresult *res = trc_pg_query(ctx, sql, &params, NULL);
    truce_status st = res ? TRUCE_OK : TRUCE_E_IO;
    int stop = 0;
    for (int i = 0; !st && !stop && i < PQntuples(res); i++)
        st = trc_sql_page_row(p, trc_pg_i64(res, i, 0), trc_pg_val(res, i, 1),
                              trc_pg_val(res, i, 2), trc_pg_val(res, i, 3), &stop);
    PQclear(res);
    return st;
}

static truce_status pg_events_list(truce_store *base, const truce_store_filter *filter,
                                   int64_t after, size_t limit, truce_store_event_fn fn, void *ctx,
                                   int64_t *next)
{
    *next = 0;
    PGconn *db = trc_pg_take(&pg(base)->w);
    if (!db)
        return TRUCE_E_IO;
    int64_t end = 0;
    truce_status st = TRUCE_OK;
    if (trc_filter_sql_filtered(filter)) {
        PGresult *res = trc_pg_query(db, "SELECT coalesce(max(seq), 0) FROM events", NULL, NULL);
        if (res)
            end = trc_pg_i64(res, 0, 0);
        else
            st = TRUCE_E_IO;
        PQclear(res);
    }
    if (!st)
        st = trc_filter_sql_list(TRC_SQL_PG, filter, after, limit, end, list_range, db, fn, ctx,
                                 next);
    trc_pg_give(&pg(base)->w);
    return st;
}

/* A scan connection, taken (trc_pg_give) and connected: a free one, else
 * the next in turn once it is given back; NULL when the server cannot be
 * reached. */
static trc_pg_conn *scan_take(pg_store *s)
{
    trc_pg_conn *c =
        &s->scan[trc_store_lock_one(&s->scan[0].lock, sizeof s->scan[0], PG_SCANS, &s->next_scan)];
    if (connected(c))
        return c;
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

static truce_status pg_events_scan(truce_store *base, const truce_store_filter *filter,
                                   truce_store_event_fn fn, void *ctx)
{
    /* On a scan connection (outside any transaction, it sees every commit
     * made before the query), so that the writer goes on meanwhile. */
    trc_pg_conn *c = scan_take(pg(base));
    if (!c)
        return TRUCE_E_IO;
    trc_pg_params p = {0};
    PGresult *res =
        filtered(c->db, "SELECT event FROM events e WHERE TRUE", filter, " ORDER BY seq", &p);
    trc_pg_give(c);
    truce_status st = res ? TRUCE_OK : TRUCE_E_IO;
    for (int i = 0; !st && i < PQntuples(res); i++)
        st = fn(ctx, PQgetvalue(res, i, 0), (size_t)PQgetlength(res, i, 0));
    PQclear(res);
    return st;
}

/* ---- the dashboard: events counted on a grid, in SQL (a point on the
 * grid's east or north edge goes to the last cell, as in SQLite's) ---- */

static truce_status pg_events_grid(truce_store *base, const truce_store_filter *filter,
                                   const truce_store_grid *g, truce_store_cell_fn fn, void *ctx)
{
    trc_pg_params p = {0};
    trc_pg_double(&p, g->min_lon);
    trc_pg_double(&p, g->min_lat);
    trc_pg_double(&p, g->min_lon + g->cell_deg * g->cols);
    trc_pg_double(&p, g->min_lat + g->cell_deg * g->rows);
    trc_pg_double(&p, g->cell_deg);
    trc_pg_int(&p, g->cols);
    trc_pg_int(&p, g->rows);
    PGconn *db = trc_pg_take(&pg(base)->w);
    if (!db)
        return TRUCE_E_IO;
    PGresult *res =
        filtered(db,
                 "SELECT least(greatest(floor((f.lon - $1) / $5), 0), $6 - 1)::bigint AS c,"
                 " least(greatest(floor((f.lat - $2) / $5), 0), $7 - 1)::bigint AS r, count(*),"
                 " count(*) FILTER (WHERE f.violation = 'violation'),"
                 " count(*) FILTER (WHERE f.violation = 'possible'), avg(f.lon), avg(f.lat)"
                 " FROM event_facets f JOIN events e ON e.seq = f.event_seq"
                 " WHERE f.lon BETWEEN $1 AND $3 AND f.lat BETWEEN $2 AND $4",
                 filter, " GROUP BY r, c ORDER BY r, c", &p);
    trc_pg_give(&pg(base)->w);
    truce_status st = res ? TRUCE_OK : TRUCE_E_IO;
    for (int i = 0; !st && i < PQntuples(res); i++) {
        truce_store_cell c = {(unsigned)trc_pg_i64(res, i, 0),
                              (unsigned)trc_pg_i64(res, i, 1),
                              trc_pg_i64(res, i, 2),
                              trc_pg_i64(res, i, 3),
                              trc_pg_i64(res, i, 4),
                              strtod(PQgetvalue(res, i, 5), NULL),
                              strtod(PQgetvalue(res, i, 6), NULL)};
        st = fn(ctx, &c);
    }
    PQclear(res);
    return st;
}

/* ---- tracks ---- */

static truce_status pg_track_put(truce_store *base, const char *name, const void *gpx, size_t len,
                                 const unsigned char sha[32], const char *at, int64_t token_id,
                                 int64_t *id, int *existed)
{
    pg_store *s = pg(base);
    *existed = 0;
    PGconn *db = begin(s, 0);
    if (!db)
        return TRUCE_E_IO;
    /* one GPX at a time, so that two processes store a file once */
    truce_status st = trc_pg_run(db, "LOCK TABLE tracks IN SHARE ROW EXCLUSIVE MODE", NULL);
    trc_pg_params p = {0};
    trc_pg_bytes(&p, sha, 32);
    PGresult *res =
        st ? NULL : trc_pg_query(db, "SELECT seq FROM tracks WHERE gpx_sha256 = $1", &p, NULL);
    if (!st && !res)
        st = TRUCE_E_IO;
    if (res && PQntuples(res)) {
        *id = trc_pg_i64(res, 0, 0);
        *existed = 1;
    }
    PQclear(res);
    if (!st && !*existed) {
        trc_pg_params q = {0};
        trc_pg_text(&q, name);
        trc_pg_bytes(&q, gpx, len);
        trc_pg_bytes(&q, sha, 32);
        trc_pg_text(&q, at);
        trc_pg_int_or_null(&q, token_id);
        res = trc_pg_query(db,
                           "INSERT INTO tracks (name, gpx, gpx_sha256, received_at, token_id)"
                           " VALUES ($1, $2, $3, $4, $5) RETURNING seq",
                           &q, NULL);
        if (res)
            *id = trc_pg_i64(res, 0, 0);
        else
            st = TRUCE_E_IO;
        PQclear(res);
    }
    st = trc_pg_finish(db, st);
    trc_pg_give(&s->w);
    return st;
}

static truce_status pg_tracks_list(truce_store *base, int64_t submitted_by, truce_store_track_fn fn,
                                   void *ctx)
{
    trc_pg_params p = {0};
    trc_pg_int(&p, submitted_by);
    PGresult *res = trc_pg_read(&pg(base)->w,
                                "SELECT seq, name, gpx, received_at, token_id FROM tracks"
                                " WHERE $1 = 0 OR token_id = $1 ORDER BY seq",
                                &p);
    truce_status st = res ? TRUCE_OK : TRUCE_E_IO;
    for (int i = 0; !st && i < PQntuples(res); i++) {
        size_t n = 0;
        unsigned char *gpx = PQunescapeBytea((const unsigned char *)PQgetvalue(res, i, 2), &n);
        if (!gpx) {
            st = TRUCE_E_NOMEM;
            break;
        }
        truce_store_track t = {trc_pg_i64(res, i, 0), PQgetvalue(res, i, 1), gpx, n,
                               PQgetvalue(res, i, 3), trc_pg_i64(res, i, 4)};
        st = fn(ctx, &t);
        PQfreemem(gpx);
    }
    PQclear(res);
    return st;
}

/* ---- agreement versions ---- */

static truce_status pg_agreement_latest(truce_store *base, truce_text *text, int64_t *version)
{
    *version = 0;
    PGresult *res = trc_pg_read(
        &pg(base)->w, "SELECT version, body FROM agreements ORDER BY version DESC LIMIT 1", NULL);
    truce_status st = res ? TRUCE_OK : TRUCE_E_IO;
    if (res && PQntuples(res)) {
        *version = trc_pg_i64(res, 0, 0);
        if (text)
            st = truce_text_append(text, PQgetvalue(res, 0, 1), (size_t)PQgetlength(res, 0, 1));
    }
    PQclear(res);
    return st;
}

static truce_status pg_agreement_find(truce_store *base, const unsigned char sha[32],
                                      int64_t *version)
{
    *version = 0;
    trc_pg_params p = {0};
    trc_pg_bytes(&p, sha, 32);
    PGresult *res =
        trc_pg_read(&pg(base)->w, "SELECT max(version) FROM agreements WHERE sha256 = $1", &p);
    if (res)
        *version = trc_pg_i64(res, 0, 0);
    PQclear(res);
    return res ? TRUCE_OK : TRUCE_E_IO;
}

static truce_status pg_events_records(truce_store *base, int64_t after, size_t limit,
                                      trc_store_record_fn fn, void *ctx, int64_t *next)
{
    *next = 0;
    trc_pg_params p = {0};
    trc_pg_int(&p, after);
    trc_pg_int(&p, (int64_t)limit);
    PGresult *res = trc_pg_read(&pg(base)->w,
                                "SELECT seq, id, event, " TRC_SQL_CURRENT_RECORD
                                " FROM events e WHERE seq > $1 ORDER BY seq LIMIT $2",
                                &p);
    truce_status st = res ? TRUCE_OK : TRUCE_E_IO;
    for (int i = 0; !st && i < PQntuples(res); i++) {
        int64_t seq = trc_pg_i64(res, i, 0);
        st = fn(ctx, seq, PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), trc_pg_val(res, i, 3));
        if ((size_t)i + 1 == limit)
            *next = seq;
    }
    PQclear(res);
    return st;
}

static truce_status pg_agreement_put(truce_store *base, const char *text, size_t len,
                                     const unsigned char sha[32], int64_t token_id, const char *at,
                                     const trc_verdict_change *changes, size_t nchanges,
                                     int64_t *version)
{
    pg_store *s = pg(base);
    char *body = trc_malloc(len + 1);
    if (!body)
        return TRUCE_E_NOMEM;
    memcpy(body, text, len);
    body[len] = '\0';
    PGconn *db = begin(s, 1);
    if (!db) {
        trc_free(body);
        return TRUCE_E_IO;
    }
    trc_pg_params p = {0};
    trc_pg_text(&p, body);
    trc_pg_bytes(&p, sha, 32);
    trc_pg_text(&p, at);
    trc_pg_int_or_null(&p, token_id);
    PGresult *res = trc_pg_query(db,
                                 "INSERT INTO agreements (body, sha256, stored_at, token_id)"
                                 " VALUES ($1, $2, $3, $4) RETURNING version",
                                 &p, NULL);
    truce_status st = res ? TRUCE_OK : TRUCE_E_IO;
    if (res)
        *version = trc_pg_i64(res, 0, 0);
    PQclear(res);
    trc_free(body);
    for (size_t i = 0; !st && i < nchanges; i++) {
        trc_pg_params q = {0};
        trc_pg_int(&q, changes[i].event_seq);
        trc_pg_text(&q, changes[i].record);
        trc_pg_text(&q, at);
        trc_pg_int(&q, *version);
        st = trc_pg_run(db,
                        "INSERT INTO verdicts (event_seq, record, judged_at, agreement_version)"
                        " VALUES ($1, $2, $3, $4)",
                        &q);
    }
    if (!st)
        st = trc_pg_run(db, TRC_PG_NOTIFY, NULL);
    st = trc_pg_finish(db, st);
    trc_pg_give(&s->w);
    return st;
}

/* ---- monitoring ---- */

static truce_status pg_tally(truce_store *base, truce_store_tally_fn fn, void *ctx)
{
    PGresult *res = trc_pg_read(&pg(base)->w,
                                "SELECT (" TRC_SQL_CURRENT_RECORD ")::jsonb->>'violation' AS v,"
                                " coalesce(" TRC_SQL_CURRENT_STATUS ", 'submitted') AS st,"
                                " count(*) FROM events e GROUP BY v, st",
                                NULL);
    truce_status st = res ? TRUCE_OK : TRUCE_E_IO;
    for (int i = 0; !st && i < PQntuples(res); i++)
        st = fn(ctx, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), trc_pg_i64(res, i, 2));
    PQclear(res);
    return st;
}

static truce_status pg_size(truce_store *base, int64_t *bytes)
{
    PGresult *res = trc_pg_read(&pg(base)->w, "SELECT pg_database_size(current_database())", NULL);
    if (res)
        *bytes = trc_pg_i64(res, 0, 0);
    PQclear(res);
    return res ? TRUCE_OK : TRUCE_E_IO;
}

/* ---- OGC API Features: counts and extents ---- */

static truce_status pg_events_count(truce_store *base, const truce_store_filter *filter,
                                    int64_t *count)
{
    truce_store_filter all = {.submitted_by = 0};
    PGconn *db = trc_pg_take(&pg(base)->w);
    if (!db)
        return TRUCE_E_IO;
    trc_pg_params p = {0};
    PGresult *res =
        filtered(db, "SELECT count(*) FROM events e WHERE TRUE", filter ? filter : &all, "", &p);
    trc_pg_give(&pg(base)->w);
    if (res)
        *count = trc_pg_i64(res, 0, 0);
    PQclear(res);
    return res ? TRUCE_OK : TRUCE_E_IO;
}

static truce_status pg_events_extent(truce_store *base, int64_t submitted_by,
                                     truce_store_extent *out)
{
    trc_pg_params p = {0};
    trc_pg_int(&p, submitted_by);
    PGresult *res = trc_pg_read(
        &pg(base)->w,
        submitted_by ? "SELECT min(lon), min(lat), max(lon), max(lat), min(start_s), max(start_s)"
                       " FROM events e JOIN event_facets f ON f.event_seq = e.seq"
                       " WHERE e.token_id = $1"
                     : "SELECT min(lon), min(lat), max(lon), max(lat), min(start_s), max(start_s)"
                       " FROM event_facets WHERE $1 = 0",
        &p);
    if (!res)
        return TRUCE_E_IO;
    out->located = trc_pg_val(res, 0, 0) && trc_pg_val(res, 0, 1) && trc_pg_val(res, 0, 2) &&
                   trc_pg_val(res, 0, 3);
    out->min_lon = out->located ? strtod(PQgetvalue(res, 0, 0), NULL) : 0;
    out->min_lat = out->located ? strtod(PQgetvalue(res, 0, 1), NULL) : 0;
    out->max_lon = out->located ? strtod(PQgetvalue(res, 0, 2), NULL) : 0;
    out->max_lat = out->located ? strtod(PQgetvalue(res, 0, 3), NULL) : 0;
    out->timed = trc_pg_val(res, 0, 4) && trc_pg_val(res, 0, 5);
    out->first_start_s = trc_pg_i64(res, 0, 4);
    out->last_start_s = trc_pg_i64(res, 0, 5);
    PQclear(res);
    return TRUCE_OK;
}

static const trc_store_ops pg_ops = {
    .name = "postgresql",
    .start = pg_start,
    .free = pg_free,
    .token_add = pg_token_add,
    .token_verify = pg_token_verify,
    .token_revoke = pg_token_revoke,
    .token_list = pg_token_list,
    .report_batch = pg_report_batch,
    .reports_put = pg_reports_put,
    .track_put = pg_track_put,
    .tracks_list = pg_tracks_list,
    .event_get = pg_event_get,
    .agreement_latest = pg_agreement_latest,
    .agreement_find = pg_agreement_find,
    .events_records = pg_events_records,
    .agreement_put = pg_agreement_put,
    .tally = pg_tally,
    .size = pg_size,
    .event_submitter = pg_event_submitter,
    .review = pg_review,
    .events_list = pg_events_list,
    .events_scan = pg_events_scan,
    /* ---- the change feed and webhooks (store_pg_feed.c) ---- */
    .changes_read = trc_pg_changes_read,
    .changes_latest = trc_pg_changes_latest,
    .webhook_add = trc_pg_webhook_add,
    .webhooks_read = trc_pg_webhooks_read,
    .webhook_deactivate = trc_pg_webhook_deactivate,
    .webhook_enqueue = trc_pg_webhook_enqueue,
    .deliveries_due = trc_pg_deliveries_due,
    .delivery_attempted = trc_pg_delivery_attempted,
    .deliveries_read = trc_pg_deliveries_read,
    .events_grid = pg_events_grid,
    .events_count = pg_events_count,
    .events_extent = pg_events_extent,
    /* ---- copying a whole store (store_pg_copy.c) ---- */
    .copy_count = trc_pg_copy_count,
    .copy_read = trc_pg_copy_read,
    .copy_write = trc_pg_copy_write,
};
