/* The change feed of the SQLite backend (store_impl.h): the rows of table
 * `changes` (migration 6), read on the read-only connection so that a
 * stream's reads do not wait for the commit in progress.
 *
 * Numbers are given by one writer at a time (every write is a BEGIN
 * IMMEDIATE transaction), so changes commit in the order of their numbers:
 * a reader that sees change N sees every change before it. */
#include <string.h>

#include "store/store_sqlite_impl.h"

truce_status trc_sq_changes_read(truce_store *s, int64_t after, size_t limit, trc_change_row_fn fn,
                                 void *ctx, int64_t *last)
{
    static const char sql[] =
        "SELECT c.seq, c.kind, e.id, e.token_id, v.record, coalesce(r.to_status, 'submitted'),"
        " e.received_at, CASE c.kind WHEN 'review' THEN r.at ELSE v.judged_at END"
        " FROM changes c JOIN events e ON e.seq = c.event_seq"
        " JOIN verdicts v ON v.seq = c.verdict_seq LEFT JOIN reviews r ON r.seq = c.review_seq"
        " WHERE c.seq > ? ORDER BY c.seq LIMIT ?";
    sqlite3 *db = trc_sq_reader(s);
    sqlite3_stmt *q = NULL;
    truce_status st = sqlite3_prepare_v2(db, sql, -1, &q, NULL) ? TRUCE_E_IO : TRUCE_OK;
    int rc = SQLITE_DONE;
    if (!st) {
        sqlite3_bind_int64(q, 1, after);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)limit);
    }
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *kind = trc_sq_text(q, 1);
        trc_change_row row = {sqlite3_column_int64(q, 0),
                              !strcmp(kind, "created")   ? TRUCE_CHANGE_CREATED
                              : !strcmp(kind, "verdict") ? TRUCE_CHANGE_VERDICT
                                                         : TRUCE_CHANGE_REVIEW,
                              trc_sq_text(q, 2),
                              sqlite3_column_int64(q, 3),
                              trc_sq_text(q, 4),
                              trc_sq_text(q, 5),
                              trc_sq_text(q, 6),
                              trc_sq_text(q, 7)};
        *last = row.seq;
        st = row.event_id && row.record && row.at ? fn(ctx, &row) : TRUCE_E_IO;
    }
    if (!st && rc != SQLITE_DONE)
        st = TRUCE_E_IO;
    sqlite3_finalize(q);
    trc_sq_reader_done(s);
    return st;
}

truce_status trc_sq_changes_latest(truce_store *s, int64_t *seq)
{
    sqlite3 *db = trc_sq_reader(s);
    sqlite3_stmt *q = NULL;
    truce_status st = TRUCE_E_IO;
    if (!sqlite3_prepare_v2(db, "SELECT coalesce(max(seq), 0) FROM changes", -1, &q, NULL) &&
        sqlite3_step(q) == SQLITE_ROW) {
        *seq = sqlite3_column_int64(q, 0);
        st = TRUCE_OK;
    }
    sqlite3_finalize(q);
    trc_sq_reader_done(s);
    return st;
}
