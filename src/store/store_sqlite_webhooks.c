/* Webhooks in the SQLite backend (store_impl.h): tables webhooks,
 * webhook_deliveries and webhook_attempts (migration 7).  Writes go through
 * the writing connection, each one BEGIN IMMEDIATE transaction; the reads
 * too, since a delivery just recorded must be seen at once. */
#include <string.h>

#include "store/store_sqlite_impl.h"

/* Step a prepared statement that returns no rows, and reset it. */
static truce_status step_done(sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? TRUCE_OK : TRUCE_E_IO;
}

/* Prepare sql; TRUCE_E_IO with *q NULL on failure. */
static truce_status prepare(sqlite3 *db, const char *sql, sqlite3_stmt **q)
{
    *q = NULL;
    return sqlite3_prepare_v2(db, sql, -1, q, NULL) == SQLITE_OK ? TRUCE_OK : TRUCE_E_IO;
}

truce_status trc_sq_webhook_add(truce_store *s, const char *url, const char *secret,
                                const char *filter, int64_t token_id, const char *at, int64_t *id)
{
    sqlite3 *db = trc_sq_writer(s);
    sqlite3_stmt *q = NULL;
    truce_status st = trc_sq_exec(db, "BEGIN IMMEDIATE");
    if (!st)
        st = prepare(db,
                     "INSERT INTO webhooks (url, secret, filter, created_at, token_id,"
                     " queued_through) VALUES (?, ?, ?, ?, ?,"
                     " (SELECT coalesce(max(seq), 0) FROM changes))",
                     &q);
    if (!st) {
        trc_sq_bind_text(q, 1, url);
        trc_sq_bind_text(q, 2, secret);
        trc_sq_bind_text(q, 3, filter);
        trc_sq_bind_text(q, 4, at);
        if (token_id > 0)
            sqlite3_bind_int64(q, 5, token_id);
        st = step_done(q);
    }
    if (!st)
        *id = sqlite3_last_insert_rowid(db);
    sqlite3_finalize(q);
    st = trc_sq_finish(s, st);
    trc_sq_writer_done(s);
    return st;
}

truce_status trc_sq_webhooks_read(truce_store *s, int64_t id, trc_webhook_row_fn fn, void *ctx)
{
    sqlite3 *db = trc_sq_writer(s);
    sqlite3_stmt *q;
    truce_status st = prepare(db,
                              "SELECT id, url, secret, filter, created_at, token_id,"
                              " queued_through, deactivated_at FROM webhooks"
                              " WHERE ?1 = 0 OR id = ?1 ORDER BY id",
                              &q);
    int rc = SQLITE_DONE;
    if (!st)
        sqlite3_bind_int64(q, 1, id);
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        trc_webhook_row w = {sqlite3_column_int64(q, 0), trc_sq_text(q, 1),
                             trc_sq_text(q, 2),          trc_sq_text(q, 3),
                             trc_sq_text(q, 4),          sqlite3_column_int64(q, 5),
                             sqlite3_column_int64(q, 6), trc_sq_text(q, 7)};
        st = fn(ctx, &w);
    }
    if (!st && rc != SQLITE_DONE)
        st = TRUCE_E_IO;
    sqlite3_finalize(q);
    trc_sq_writer_done(s);
    return st;
}

truce_status trc_sq_webhook_deactivate(truce_store *s, int64_t id, const char *at)
{
    sqlite3 *db = trc_sq_writer(s);
    sqlite3_stmt *q;
    truce_status st = prepare(db,
                              "UPDATE webhooks SET deactivated_at = ?"
                              " WHERE id = ? AND deactivated_at IS NULL",
                              &q);
    if (!st) {
        trc_sq_bind_text(q, 1, at);
        sqlite3_bind_int64(q, 2, id);
        st = step_done(q);
    }
    if (!st && sqlite3_changes(db) == 0)
        st = TRUCE_E_NOT_FOUND;
    sqlite3_finalize(q);
    trc_sq_writer_done(s);
    return st;
}

truce_status trc_sq_webhook_enqueue(truce_store *s, int64_t id, int64_t from, int64_t through,
                                    const int64_t *changes, size_t n, double queued_s,
                                    size_t *queued)
{
    sqlite3 *db = trc_sq_writer(s);
    sqlite3_stmt *mark = NULL, *put = NULL;
    *queued = 0;
    truce_status st = trc_sq_exec(db, "BEGIN IMMEDIATE");
    if (!st)
        st = prepare(db,
                     "UPDATE webhooks SET queued_through = ?"
                     " WHERE id = ? AND queued_through = ? AND deactivated_at IS NULL",
                     &mark);
    if (!st)
        st = prepare(db,
                     "INSERT OR IGNORE INTO webhook_deliveries (webhook_id, change_seq,"
                     " queued_s, next_s) VALUES (?, ?, ?, ?)",
                     &put);
    if (!st) {
        sqlite3_bind_int64(mark, 1, through);
        sqlite3_bind_int64(mark, 2, id);
        sqlite3_bind_int64(mark, 3, from);
        st = step_done(mark);
    }
    /* Another process queued these already, or the webhook was deactivated. */
    int mine = !st && sqlite3_changes(db) == 1;
    for (size_t i = 0; mine && !st && i < n; i++) {
        sqlite3_bind_int64(put, 1, id);
        sqlite3_bind_int64(put, 2, changes[i]);
        sqlite3_bind_double(put, 3, queued_s);
        sqlite3_bind_double(put, 4, queued_s);
        st = step_done(put);
        if (!st)
            *queued += (size_t)sqlite3_changes(db);
    }
    sqlite3_finalize(mark);
    sqlite3_finalize(put);
    st = trc_sq_finish(s, st);
    if (st)
        *queued = 0;
    trc_sq_writer_done(s);
    return st;
}

#define DELIVERY_COLUMNS                                                                           \
    "d.id, d.webhook_id, d.change_seq, c.kind, e.id, d.state, d.attempts, d.queued_s, d.next_s"

static void delivery_row(sqlite3_stmt *q, trc_delivery_row *d)
{
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(q, 0);
    d->webhook_id = sqlite3_column_int64(q, 1);
    d->change = sqlite3_column_int64(q, 2);
    d->kind = trc_sq_text(q, 3);
    d->event_id = trc_sq_text(q, 4);
    d->state = trc_sq_text(q, 5);
    d->attempts = (unsigned)sqlite3_column_int(q, 6);
    d->queued_s = sqlite3_column_double(q, 7);
    d->next_s = sqlite3_column_double(q, 8);
}

truce_status trc_sq_deliveries_due(truce_store *s, double now_s, size_t limit,
                                   trc_delivery_row_fn fn, void *ctx, double *next_s)
{
    sqlite3 *db = trc_sq_writer(s);
    sqlite3_stmt *q;
    truce_status st = prepare(db,
                              "SELECT " DELIVERY_COLUMNS ", w.url, w.secret"
                              " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                              " JOIN changes c ON c.seq = d.change_seq"
                              " JOIN events e ON e.seq = c.event_seq"
                              " WHERE d.state = 'pending' AND w.deactivated_at IS NULL"
                              " ORDER BY d.next_s, d.id LIMIT ?",
                              &q);
    int rc = SQLITE_DONE;
    size_t n = 0;
    *next_s = 0;
    if (!st)
        sqlite3_bind_int64(q, 1, (sqlite3_int64)limit + 1);
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        trc_delivery_row d;
        delivery_row(q, &d);
        if (d.next_s > now_s || n == limit) {
            *next_s = d.next_s;
            break;
        }
        d.url = trc_sq_text(q, 9);
        d.secret = trc_sq_text(q, 10);
        st = fn(ctx, &d);
        n++;
    }
    if (!st && rc != SQLITE_DONE && rc != SQLITE_ROW)
        st = TRUCE_E_IO;
    sqlite3_finalize(q);
    trc_sq_writer_done(s);
    return st;
}

truce_status trc_sq_delivery_attempted(truce_store *s, int64_t id, const char *at, int http_status,
                                       const char *error, double duration_ms, const char *state,
                                       double next_s)
{
    sqlite3 *db = trc_sq_writer(s);
    sqlite3_stmt *log = NULL, *set = NULL;
    truce_status st = trc_sq_exec(db, "BEGIN IMMEDIATE");
    if (!st)
        st = prepare(db,
                     "INSERT INTO webhook_attempts (delivery_id, at, http_status, error,"
                     " duration_ms) VALUES (?, ?, ?, ?, ?)",
                     &log);
    if (!st)
        st = prepare(db,
                     "UPDATE webhook_deliveries SET attempts = attempts + 1, state = ?,"
                     " next_s = ? WHERE id = ?",
                     &set);
    if (!st) {
        sqlite3_bind_int64(log, 1, id);
        trc_sq_bind_text(log, 2, at);
        if (http_status)
            sqlite3_bind_int(log, 3, http_status);
        trc_sq_bind_text(log, 4, error);
        sqlite3_bind_double(log, 5, duration_ms);
        st = step_done(log);
    }
    if (!st) {
        trc_sq_bind_text(set, 1, state);
        sqlite3_bind_double(set, 2, next_s);
        sqlite3_bind_int64(set, 3, id);
        st = step_done(set);
    }
    sqlite3_finalize(log);
    sqlite3_finalize(set);
    st = trc_sq_finish(s, st);
    trc_sq_writer_done(s);
    return st;
}

truce_status trc_sq_deliveries_read(truce_store *s, int64_t id, int64_t after, size_t limit,
                                    trc_delivery_row_fn fn, void *ctx)
{
    sqlite3 *db = trc_sq_writer(s);
    sqlite3_stmt *q;
    truce_status st =
        prepare(db,
                "SELECT " DELIVERY_COLUMNS ", a.at, a.http_status, a.error, a.duration_ms"
                " FROM webhook_deliveries d JOIN changes c ON c.seq = d.change_seq"
                " JOIN events e ON e.seq = c.event_seq"
                " LEFT JOIN webhook_attempts a ON a.delivery_id = d.id"
                " WHERE d.id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = ?"
                " AND id > ? ORDER BY id LIMIT ?) ORDER BY d.id, a.seq",
                &q);
    int rc = SQLITE_DONE;
    if (!st) {
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, after);
        sqlite3_bind_int64(q, 3, (sqlite3_int64)limit);
    }
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        trc_delivery_row d;
        delivery_row(q, &d);
        d.at = trc_sq_text(q, 9);
        d.http_status = sqlite3_column_int(q, 10);
        d.error = trc_sq_text(q, 11);
        d.duration_ms = sqlite3_column_double(q, 12);
        st = fn(ctx, &d);
    }
    if (!st && rc != SQLITE_DONE)
        st = TRUCE_E_IO;
    sqlite3_finalize(q);
    trc_sq_writer_done(s);
    return st;
}
