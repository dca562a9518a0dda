/* What the PostgreSQL backend's files share (private to src/store): its
 * connections, each behind its own lock and reconnected by itself when
 * the server went away, and the helpers for libpq's parameters and
 * results. */
#ifndef TRUCE_STORE_PG_IMPL_H
#define TRUCE_STORE_PG_IMPL_H

#include <libpq-fe.h>
#include <pthread.h>

#include "store/filter_sql.h"
#include "store/store_pg_schema.h"
#include "store/store_impl.h"

/* One connection and its lock.  `db` is NULL or not CONNECTION_OK after a
 * failure; trc_pg_take brings it back (PQreset with backoff). */
typedef struct trc_pg_conn {
    pthread_mutex_t lock;
    PGconn *db;
    const char *conninfo; /* the store's */
} trc_pg_conn;

/* Take the connection's lock and make sure it is connected (reconnecting
 * with backoff for at most a few seconds): NULL, the lock given back, when
 * the server cannot be reached. */
PGconn *trc_pg_take(trc_pg_conn *c);
void trc_pg_give(trc_pg_conn *c);

/* The backend's connections: the writer (every write and the reads that
 * must see them at once) and the reader (tokens, the change feed). */
trc_pg_conn *trc_pg_writer(truce_store *s);
trc_pg_conn *trc_pg_reader(truce_store *s);

/* This store object's name among the processes sharing the database
 * (random, made when it is opened): who holds a webhook delivery. */
const char *trc_pg_instance(truce_store *s);

/* Parameters of one statement, sent as text (bytes as binary). */
#define TRC_PG_PARAMS_MAX 32
typedef struct trc_pg_params {
    int n;
    const char *v[TRC_PG_PARAMS_MAX];
    int len[TRC_PG_PARAMS_MAX], fmt[TRC_PG_PARAMS_MAX];
    char num[TRC_PG_PARAMS_MAX][32];
} trc_pg_params;
void trc_pg_text(trc_pg_params *p, const char *v); /* NULL: null */
void trc_pg_int(trc_pg_params *p, int64_t v);
void trc_pg_int_or_null(trc_pg_params *p, int64_t v); /* 0 or less: null */
void trc_pg_double(trc_pg_params *p, double v);
void trc_pg_bytes(trc_pg_params *p, const void *v, size_t len);
/* A filter's values (filter_sql.h), after those already there. */
void trc_pg_args(trc_pg_params *p, const trc_sql_args *a);

/* Run sql with p (may be NULL).  The result (PQclear it) or NULL on
 * failure, then with the SQLSTATE in `state` (may be NULL; "" when the
 * connection is lost). */
PGresult *trc_pg_query(PGconn *db, const char *sql, const trc_pg_params *p, char state[6]);
/* Run sql, a read outside any transaction, on connection c (taken and
 * given back): when the connection turns out lost (the server restarted
 * since the last call), it is read again once reconnected.  The result
 * or NULL. */
PGresult *trc_pg_read(trc_pg_conn *c, const char *sql, const trc_pg_params *p);
/* Run sql without rows: TRUCE_OK or TRUCE_E_IO. */
truce_status trc_pg_run(PGconn *db, const char *sql, const trc_pg_params *p);
/* Column c of row r as text (NULL for null), as an integer (0 for null). */
const char *trc_pg_val(const PGresult *res, int r, int c);
int64_t trc_pg_i64(const PGresult *res, int r, int c);

/* End the transaction: COMMIT when st is TRUCE_OK (a failed COMMIT is
 * TRUCE_E_IO), else ROLLBACK.  The status of the call. */
truce_status trc_pg_finish(PGconn *db, truce_status st);

/* The transaction-level advisory lock every transaction that may write a
 * change takes before it writes (store_pg.c says why), and the
 * notification sent at its commit. */
#define TRC_PG_FEED_LOCK "SELECT pg_advisory_xact_lock(" TRC_PG_FEED_KEY ")"
#define TRC_PG_NOTIFY "SELECT pg_notify('truce_changes', '')"

/* ---- the change feed and webhooks (store_pg_feed.c): as store_impl.h's ops ---- */

truce_status trc_pg_changes_read(truce_store *s, int64_t after, size_t limit, trc_change_row_fn fn,
                                 void *ctx, int64_t *last);
truce_status trc_pg_changes_latest(truce_store *s, int64_t *seq);
truce_status trc_pg_webhook_add(truce_store *s, const char *url, const char *secret,
                                const char *filter, int64_t token_id, const char *at, int64_t *id);
truce_status trc_pg_webhooks_read(truce_store *s, int64_t id, trc_webhook_row_fn fn, void *ctx);
truce_status trc_pg_webhook_deactivate(truce_store *s, int64_t id, const char *at);
truce_status trc_pg_webhook_enqueue(truce_store *s, int64_t id, int64_t from, int64_t through,
                                    const int64_t *changes, size_t n, double queued_s,
                                    size_t *queued);
truce_status trc_pg_deliveries_due(truce_store *s, double now_s, size_t limit,
                                   trc_delivery_row_fn fn, void *ctx, double *next_s);
truce_status trc_pg_delivery_attempted(truce_store *s, int64_t id, const char *at, int http_status,
                                       const char *error, double duration_ms, const char *state,
                                       double next_s);
truce_status trc_pg_deliveries_read(truce_store *s, int64_t id, int64_t after, size_t limit,
                                    trc_delivery_row_fn fn, void *ctx);

/* ---- copying a whole store (store_pg_copy.c): as store_impl.h's ops ---- */

truce_status trc_pg_copy_count(truce_store *s, size_t table, int64_t *rows);
truce_status trc_pg_copy_read(truce_store *s, trc_copy_row_fn fn, void *ctx);
truce_status trc_pg_copy_write(truce_store *s, size_t table, const trc_copy_value *values,
                               size_t nrows);

/* The listener (store_pg_feed.c): a thread on a connection of its own
 * that LISTENs for truce_changes and wakes this process's waiters
 * (trc_changes_committed) when another process committed a change. */
typedef struct trc_pg_listener {
    pthread_t thread;
    int running;
    int stop;             /* atomic */
    pthread_mutex_t lock; /* for ready, with cond */
    pthread_cond_t cond;
    int ready; /* the first LISTEN was tried */
    const char *conninfo;
    truce_store *s;
} trc_pg_listener;
truce_status trc_pg_listen_start(trc_pg_listener *l, truce_store *s, const char *conninfo);
void trc_pg_listen_stop(trc_pg_listener *l);

#endif
