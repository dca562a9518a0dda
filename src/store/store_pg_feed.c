/* The change feed and webhooks of the PostgreSQL backend (store_impl.h),
 * and the listener that wakes this process's streams when another process
 * sharing the database committed a change.
 *
 * The feed is read on the reading connection; change numbers are taken in
 * commit order (store_pg.c: the feed's advisory lock), so a reader that
 * sees change N sees every change before it.
 *
 * Deliveries of webhooks are leased: the process that takes due deliveries
 * locks their rows (FOR UPDATE SKIP LOCKED: rows another process holds are
 * passed over) and marks them as its own (leased_by: the store's instance)
 * for a minute (leased_until), in one transaction; until the attempt is
 * logged (which clears the lease) or the lease runs out (the process
 * died), no other process takes them.  The process itself may take them
 * again, as from a SQLite store. */
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_pg_impl.h"

/* How long a delivery taken stays with its process (seconds): longer than
 * an attempt may take (server/webhook_delivery.c times out far sooner). */
#define LEASE_S 60.0

truce_status trc_pg_changes_read(truce_store *s, int64_t after, size_t limit, trc_change_row_fn fn,
                                 void *ctx, int64_t *last)
{
    trc_pg_params p = {0};
    trc_pg_int(&p, after);
    trc_pg_int(&p, (int64_t)limit);
    trc_pg_conn *c = trc_pg_reader(s);
    PGresult *res = trc_pg_read(
        c,
        "SELECT c.seq, c.kind, e.id, e.token_id, v.record, coalesce(r.to_status, 'submitted'),"
        " e.received_at, CASE c.kind WHEN 'review' THEN r.at ELSE v.judged_at END"
        " FROM changes c JOIN events e ON e.seq = c.event_seq"
        " JOIN verdicts v ON v.seq = c.verdict_seq LEFT JOIN reviews r ON r.seq = c.review_seq"
        " WHERE c.seq > $1 ORDER BY c.seq LIMIT $2",
        &p);
    truce_status st = res ? TRUCE_OK : TRUCE_E_IO;
    for (int i = 0; !st && i < PQntuples(res); i++) {
        const char *kind = PQgetvalue(res, i, 1);
        trc_change_row row = {trc_pg_i64(res, i, 0),
                              !strcmp(kind, "created")   ? TRUCE_CHANGE_CREATED
                              : !strcmp(kind, "verdict") ? TRUCE_CHANGE_VERDICT
                                                         : TRUCE_CHANGE_REVIEW,
                              PQgetvalue(res, i, 2),
                              trc_pg_i64(res, i, 3),
                              PQgetvalue(res, i, 4),
                              PQgetvalue(res, i, 5),
                              PQgetvalue(res, i, 6),
                              trc_pg_val(res, i, 7)};
        *last = row.seq;
        st = row.at ? fn(ctx, &row) : TRUCE_E_IO;
    }
    PQclear(res);
    return st;
}

/* One integer from sql with p on connection c. */
static truce_status one_int(trc_pg_conn *c, const char *sql, const trc_pg_params *p, int64_t *out)
{
    PGresult *res = trc_pg_read(c, sql, p);
    if (res && PQntuples(res))
        *out = trc_pg_i64(res, 0, 0);
    truce_status st = res && PQntuples(res) ? TRUCE_OK : TRUCE_E_IO;
    PQclear(res);
    return st;
}

truce_status trc_pg_changes_latest(truce_store *s, int64_t *seq)
{
    return one_int(trc_pg_reader(s), "SELECT coalesce(max(seq), 0) FROM changes", NULL, seq);
}

truce_status trc_pg_webhook_add(truce_store *s, const char *url, const char *secret,
                                const char *filter, int64_t token_id, const char *at, int64_t *id)
{
    trc_pg_params p = {0};
    trc_pg_text(&p, url);
    trc_pg_text(&p, secret);
    trc_pg_text(&p, filter);
    trc_pg_text(&p, at);
    trc_pg_int_or_null(&p, token_id);
    /* the feed's lock: "every change stored now" is every change committed */
    trc_pg_conn *c = trc_pg_writer(s);
    PGconn *db = trc_pg_take(c);
    if (!db)
        return TRUCE_E_IO;
    truce_status st = trc_pg_run(db, "BEGIN", NULL);
    if (!st)
        st = trc_pg_run(db, TRC_PG_FEED_LOCK, NULL);
    PGresult *res = st ? NULL
                       : trc_pg_query(db,
                                      "INSERT INTO webhooks (url, secret, filter, created_at,"
                                      " token_id, queued_through) VALUES ($1, $2, $3, $4, $5,"
                                      " (SELECT coalesce(max(seq), 0) FROM changes)) RETURNING id",
                                      &p, NULL);
    if (!st && !res)
        st = TRUCE_E_IO;
    if (res)
        *id = trc_pg_i64(res, 0, 0);
    PQclear(res);
    st = trc_pg_finish(db, st);
    trc_pg_give(c);
    return st;
}

truce_status trc_pg_webhooks_read(truce_store *s, int64_t id, trc_webhook_row_fn fn, void *ctx)
{
    trc_pg_params p = {0};
    trc_pg_int(&p, id);
    trc_pg_conn *c = trc_pg_writer(s);
    PGresult *res = trc_pg_read(c,
                                "SELECT id, url, secret, filter, created_at, token_id,"
                                " queued_through, deactivated_at FROM webhooks"
                                " WHERE $1 = 0 OR id = $1 ORDER BY id",
                                &p);
    truce_status st = res ? TRUCE_OK : TRUCE_E_IO;
    for (int i = 0; !st && i < PQntuples(res); i++) {
        trc_webhook_row w = {trc_pg_i64(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
                             PQgetvalue(res, i, 3), PQgetvalue(res, i, 4), trc_pg_i64(res, i, 5),
                             trc_pg_i64(res, i, 6), trc_pg_val(res, i, 7)};
        st = fn(ctx, &w);
    }
    PQclear(res);
    return st;
}

/* Run an UPDATE: TRUCE_E_NOT_FOUND when it changed no row. */
static truce_status update(trc_pg_conn *c, const char *sql, const trc_pg_params *p)
{
    PGconn *db = trc_pg_take(c);
    if (!db)
        return TRUCE_E_IO;
    PGresult *res = trc_pg_query(db, sql, p, NULL);
    trc_pg_give(c);
    truce_status st = !res                             ? TRUCE_E_IO
                      : !strcmp(PQcmdTuples(res), "0") ? TRUCE_E_NOT_FOUND
                                                       : TRUCE_OK;
    PQclear(res);
    return st;
}

truce_status trc_pg_webhook_deactivate(truce_store *s, int64_t id, const char *at)
{
    trc_pg_params p = {0};
    trc_pg_text(&p, at);
    trc_pg_int(&p, id);
    return update(
        trc_pg_writer(s),
        "UPDATE webhooks SET deactivated_at = $1 WHERE id = $2 AND deactivated_at IS NULL", &p);
}

truce_status trc_pg_webhook_enqueue(truce_store *s, int64_t id, int64_t from, int64_t through,
                                    const int64_t *changes, size_t n, double queued_s,
                                    size_t *queued)
{
    *queued = 0;
    trc_pg_conn *c = trc_pg_writer(s);
    PGconn *db = trc_pg_take(c);
    if (!db)
        return TRUCE_E_IO;
    trc_pg_params p = {0};
    trc_pg_int(&p, through);
    trc_pg_int(&p, id);
    trc_pg_int(&p, from);
    truce_status st = trc_pg_run(db, "BEGIN", NULL);
    PGresult *res = st ? NULL
                       : trc_pg_query(db,
                                      "UPDATE webhooks SET queued_through = $1 WHERE id = $2"
                                      " AND queued_through = $3 AND deactivated_at IS NULL",
                                      &p, NULL);
    if (!st && !res)
        st = TRUCE_E_IO;
    /* Another process queued these already, or the webhook was deactivated. */
    int mine = res && !strcmp(PQcmdTuples(res), "1");
    PQclear(res);
    for (size_t i = 0; mine && !st && i < n; i++) {
        trc_pg_params q = {0};
        trc_pg_int(&q, id);
        trc_pg_int(&q, changes[i]);
        trc_pg_double(&q, queued_s);
        res = trc_pg_query(db,
                           "INSERT INTO webhook_deliveries (webhook_id, change_seq, queued_s,"
                           " next_s) VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING",
                           &q, NULL);
        if (!res)
            st = TRUCE_E_IO;
        else
            *queued += (size_t)strtoul(PQcmdTuples(res), NULL, 10);
        PQclear(res);
    }
    st = trc_pg_finish(db, st);
    if (st)
        *queued = 0;
    trc_pg_give(c);
    return st;
}

#define DELIVERY_COLUMNS                                                                           \
    "d.id, d.webhook_id, d.change_seq, c.kind, e.id, d.state, d.attempts, d.queued_s, d.next_s"

static void delivery_row(const PGresult *res, int i, trc_delivery_row *d)
{
    memset(d, 0, sizeof *d);
    d->id = trc_pg_i64(res, i, 0);
    d->webhook_id = trc_pg_i64(res, i, 1);
    d->change = trc_pg_i64(res, i, 2);
    d->kind = PQgetvalue(res, i, 3);
    d->event_id = PQgetvalue(res, i, 4);
    d->state = PQgetvalue(res, i, 5);
    d->attempts = (unsigned)trc_pg_i64(res, i, 6);
    d->queued_s = strtod(PQgetvalue(res, i, 7), NULL);
    d->next_s = strtod(PQgetvalue(res, i, 8), NULL);
}

/* The deliveries due now are leased to this process in the transaction
 * that reads them; the earliest not yet due gives *next_s. */
truce_status trc_pg_deliveries_due(truce_store *s, double now_s, size_t limit,
                                   trc_delivery_row_fn fn, void *ctx, double *next_s)
{
    *next_s = 0;
    trc_pg_params p = {0};
    trc_pg_double(&p, now_s);
    trc_pg_int(&p, (int64_t)limit);
    trc_pg_double(&p, now_s + LEASE_S);
    trc_pg_text(&p, trc_pg_instance(s));
    trc_pg_conn *c = trc_pg_writer(s);
    PGconn *db = trc_pg_take(c);
    if (!db)
        return TRUCE_E_IO;
    truce_status st = trc_pg_run(db, "BEGIN", NULL);
    PGresult *res =
        st ? NULL
           : trc_pg_query(
                 db,
                 "WITH due AS (SELECT d.id FROM webhook_deliveries d"
                 " JOIN webhooks w ON w.id = d.webhook_id"
                 " WHERE d.state = 'pending' AND w.deactivated_at IS NULL"
                 " AND d.next_s <= $1 AND (coalesce(d.leased_until, 0) <= $1"
                 " OR d.leased_by = $4)"
                 " ORDER BY d.next_s, d.id LIMIT $2 FOR UPDATE OF d SKIP LOCKED),"
                 " leased AS (UPDATE webhook_deliveries d SET leased_until = $3, leased_by = $4"
                 " FROM due WHERE d.id = due.id RETURNING d.*)"
                 " SELECT " DELIVERY_COLUMNS ", w.url, w.secret FROM leased d"
                 " JOIN webhooks w ON w.id = d.webhook_id"
                 " JOIN changes c ON c.seq = d.change_seq"
                 " JOIN events e ON e.seq = c.event_seq ORDER BY d.next_s, d.id",
                 &p, NULL);
    if (!st && !res)
        st = TRUCE_E_IO;
    st = trc_pg_finish(db, st);
    PGresult *later = NULL;
    if (!st) {
        /* when the next is due here: its time, or its lease's end when
         * another process holds it */
        trc_pg_params q = {0};
        trc_pg_double(&q, now_s);
        trc_pg_text(&q, trc_pg_instance(s));
        later = trc_pg_query(db,
                             "SELECT min(t) FROM (SELECT CASE WHEN d.leased_by = $2 THEN d.next_s"
                             " ELSE greatest(d.next_s, coalesce(d.leased_until, 0)) END AS t"
                             " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                             " WHERE d.state = 'pending' AND w.deactivated_at IS NULL) AS due"
                             " WHERE t > $1",
                             &q, NULL);
    }
    trc_pg_give(c);
    if (later && trc_pg_val(later, 0, 0))
        *next_s = strtod(PQgetvalue(later, 0, 0), NULL);
    /* a full batch: more may be due at once */
    if (res && (size_t)PQntuples(res) == limit)
        *next_s = now_s;
    PQclear(later);
    for (int i = 0; !st && i < PQntuples(res); i++) {
        trc_delivery_row d;
        delivery_row(res, i, &d);
        d.url = PQgetvalue(res, i, 9);
        d.secret = PQgetvalue(res, i, 10);
        st = fn(ctx, &d);
    }
    PQclear(res);
    return st;
}

truce_status trc_pg_delivery_attempted(truce_store *s, int64_t id, const char *at, int http_status,
                                       const char *error, double duration_ms, const char *state,
                                       double next_s)
{
    trc_pg_params p = {0};
    trc_pg_int(&p, id);
    trc_pg_text(&p, at);
    trc_pg_int_or_null(&p, http_status);
    trc_pg_text(&p, error);
    trc_pg_double(&p, duration_ms);
    trc_pg_text(&p, state);
    trc_pg_double(&p, next_s);
    trc_pg_conn *c = trc_pg_writer(s);
    PGconn *db = trc_pg_take(c);
    if (!db)
        return TRUCE_E_IO;
    truce_status st = trc_pg_run(db,
                                 "WITH a AS (INSERT INTO webhook_attempts (delivery_id, at,"
                                 " http_status, error, duration_ms) VALUES ($1, $2, $3, $4, $5))"
                                 " UPDATE webhook_deliveries SET attempts = attempts + 1,"
                                 " state = $6, next_s = $7, leased_by = NULL, leased_until = NULL"
                                 " WHERE id = $1",
                                 &p);
    trc_pg_give(c);
    return st;
}

truce_status trc_pg_deliveries_read(truce_store *s, int64_t id, int64_t after, size_t limit,
                                    trc_delivery_row_fn fn, void *ctx)
{
    trc_pg_params p = {0};
    trc_pg_int(&p, id);
    trc_pg_int(&p, after);
    trc_pg_int(&p, (int64_t)limit);
    trc_pg_conn *c = trc_pg_writer(s);
    PGresult *res =
        trc_pg_read(c,
                    "SELECT " DELIVERY_COLUMNS ", a.at, a.http_status, a.error, a.duration_ms"
                    " FROM webhook_deliveries d JOIN changes c ON c.seq = d.change_seq"
                    " JOIN events e ON e.seq = c.event_seq"
                    " LEFT JOIN webhook_attempts a ON a.delivery_id = d.id"
                    " WHERE d.id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = $1"
                    " AND id > $2 ORDER BY id LIMIT $3) ORDER BY d.id, a.seq",
                    &p);
    truce_status st = res ? TRUCE_OK : TRUCE_E_IO;
    for (int i = 0; !st && i < PQntuples(res); i++) {
        trc_delivery_row d;
        delivery_row(res, i, &d);
        d.at = trc_pg_val(res, i, 9);
        d.http_status = (int)trc_pg_i64(res, i, 10);
        d.error = trc_pg_val(res, i, 11);
        d.duration_ms = trc_pg_val(res, i, 12) ? strtod(PQgetvalue(res, i, 12), NULL) : 0;
        st = fn(ctx, &d);
    }
    PQclear(res);
    return st;
}

/* ---- the listener ---- */

/* LISTEN on a connection of its own; every notification (or a reconnect,
 * after which changes may have been missed) wakes this process's waiters.
 * The stop flag is looked at every 200 ms. */
static void *listen_loop(void *arg)
{
    trc_pg_listener *l = arg;
    trc_pg_conn c = {.db = NULL, .conninfo = l->conninfo};
    pthread_mutex_init(&c.lock, NULL);
    int listening = 0, first = 1;
    while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE)) {
        if (!listening) {
            PGconn *db = trc_pg_take(&c);
            listening = db && !trc_pg_run(db, "LISTEN truce_changes", NULL);
            if (db)
                trc_pg_give(&c);
            if (first) { /* the store's opening waits for this */
                pthread_mutex_lock(&l->lock);
                l->ready = 1;
                pthread_cond_broadcast(&l->cond);
                pthread_mutex_unlock(&l->lock);
            } else if (listening) {
                trc_changes_committed(l->s);
            }
            first = 0;
            if (!listening)
                continue;
        }
        struct pollfd pfd = {PQsocket(c.db), POLLIN, 0};
        int rc = pfd.fd < 0 ? -1 : poll(&pfd, 1, 200);
        if (rc < 0 || (rc > 0 && !PQconsumeInput(c.db))) {
            listening = 0;
            continue;
        }
        int woke = 0;
        PGnotify *n;
        while ((n = PQnotifies(c.db))) {
            woke = 1;
            PQfreemem(n);
        }
        if (woke)
            trc_changes_committed(l->s);
    }
    PQfinish(c.db);
    pthread_mutex_destroy(&c.lock);
    return NULL;
}

truce_status trc_pg_listen_start(trc_pg_listener *l, truce_store *s, const char *conninfo)
{
    l->s = s;
    l->conninfo = conninfo;
    l->ready = 0;
    __atomic_store_n(&l->stop, 0, __ATOMIC_RELEASE);
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->cond, NULL);
    if (pthread_create(&l->thread, NULL, listen_loop, l)) {
        pthread_cond_destroy(&l->cond);
        pthread_mutex_destroy(&l->lock);
        return TRUCE_E_NOMEM;
    }
    l->running = 1;
    /* Listening before the store is handed out: a change committed by
     * another process once it is open wakes its waiters. */
    pthread_mutex_lock(&l->lock);
    while (!l->ready)
        pthread_cond_wait(&l->cond, &l->lock);
    pthread_mutex_unlock(&l->lock);
    return TRUCE_OK;
}

void trc_pg_listen_stop(trc_pg_listener *l)
{
    if (!l->running)
        return;
    __atomic_store_n(&l->stop, 1, __ATOMIC_RELEASE);
    pthread_join(l->thread, NULL);
    pthread_cond_destroy(&l->cond);
    pthread_mutex_destroy(&l->lock);
    l->running = 0;
}
