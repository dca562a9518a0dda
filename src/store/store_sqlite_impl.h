/* What the SQLite backend's files share (private to src/store): its two
 * connections, each behind its own lock, and the operations kept in files
 * of their own beside store_sqlite.c. */
#ifndef TRUCE_STORE_SQLITE_IMPL_H
#define TRUCE_STORE_SQLITE_IMPL_H

#include <sqlite3.h>

#include "store/store_impl.h"

/* The writing connection, its lock taken: give it back with
 * trc_sq_writer_done. */
sqlite3 *trc_sq_writer(truce_store *s);
void trc_sq_writer_done(truce_store *s);

/* The read-only connection (it sees every transaction committed before a
 * statement begins), its lock taken: give it back with trc_sq_reader_done. */
sqlite3 *trc_sq_reader(truce_store *s);
void trc_sq_reader_done(truce_store *s);

/* The backend's helpers: run SQL without rows (TRUCE_E_IO on failure);
 * end the writer's transaction, COMMIT when st is TRUCE_OK, else ROLLBACK
 * (the status of the call); bind a text (NULL: null); a column's text. */
truce_status trc_sq_exec(sqlite3 *db, const char *sql);
truce_status trc_sq_finish(truce_store *s, truce_status st);
void trc_sq_bind_text(sqlite3_stmt *q, int i, const char *v);
const char *trc_sq_text(sqlite3_stmt *q, int i);

/* ---- the change feed (store_sqlite_changes.c) ---- */

truce_status trc_sq_changes_read(truce_store *s, int64_t after, size_t limit, trc_change_row_fn fn,
                                 void *ctx, int64_t *last);
truce_status trc_sq_changes_latest(truce_store *s, int64_t *seq);

/* ---- webhooks (store_sqlite_webhooks.c): as store_impl.h's ops ---- */

truce_status trc_sq_webhook_add(truce_store *s, const char *url, const char *secret,
                                const char *filter, int64_t token_id, const char *at, int64_t *id);
truce_status trc_sq_webhooks_read(truce_store *s, int64_t id, trc_webhook_row_fn fn, void *ctx);
truce_status trc_sq_webhook_deactivate(truce_store *s, int64_t id, const char *at);
truce_status trc_sq_webhook_enqueue(truce_store *s, int64_t id, int64_t from, int64_t through,
                                    const int64_t *changes, size_t n, double queued_s,
                                    size_t *queued);
truce_status trc_sq_deliveries_due(truce_store *s, double now_s, size_t limit,
                                   trc_delivery_row_fn fn, void *ctx, double *next_s);
truce_status trc_sq_delivery_attempted(truce_store *s, int64_t id, const char *at, int http_status,
                                       const char *error, double duration_ms, const char *state,
                                       double next_s);
truce_status trc_sq_deliveries_read(truce_store *s, int64_t id, int64_t after, size_t limit,
                                    trc_delivery_row_fn fn, void *ctx);

/* ---- copying a whole store (store_sqlite_copy.c): as store_impl.h's ops ---- */

truce_status trc_sq_copy_count(truce_store *s, size_t table, int64_t *rows);
truce_status trc_sq_copy_read(truce_store *s, trc_copy_row_fn fn, void *ctx);
truce_status trc_sq_copy_write(truce_store *s, size_t table, const trc_copy_value *values,
                               size_t nrows);

#endif
