/* Prepared statements kept per SQLite connection (internal to src/store).
 *
 * Preparing a statement parses and compiles it (and, for an INSERT into
 * verdicts, every trigger and view it fires); under load that was a fifth
 * of the server's CPU per report (perf, docs/performance.md).  A statement
 * taken from the cache is compiled once per connection and then only reset.
 *
 * The cache is keyed by the address of the SQL text: pass only text of
 * static storage (string literals).  SQL built at run time (a filter's
 * query: its values are bound, so one shape of filter is one text) goes
 * through a second, smaller cache keyed by the text itself, the oldest
 * finalized when it is full: POST /reports asks the same duplicates query
 * of every report, and preparing it was a fifth of the server's CPU (perf,
 * docs/performance.md).  Not thread-safe: the caller holds the
 * connection's lock. */
#ifndef TRUCE_STORE_SQLITE_STMTS_H
#define TRUCE_STORE_SQLITE_STMTS_H

#include <sqlite3.h>

#define TRC_SQ_STMTS_MAX 48
#define TRC_SQ_TEXTS_MAX 8

typedef struct trc_sq_stmts {
    sqlite3 *db;
    unsigned n;
    const char *sql[TRC_SQ_STMTS_MAX];
    sqlite3_stmt *q[TRC_SQ_STMTS_MAX];
    /* keyed by text: copies owned here, the oldest replaced first */
    unsigned tn, tnext;
    char *text[TRC_SQ_TEXTS_MAX];
    sqlite3_stmt *tq[TRC_SQ_TEXTS_MAX];
} trc_sq_stmts;

/* The statement for `sql` (static storage) on c->db, ready to bind; NULL
 * when it cannot be prepared.  Give it back with trc_sq_stmt_done. */
sqlite3_stmt *trc_sq_stmt(trc_sq_stmts *c, const char *sql);

/* The same for `sql` built at run time (copied when kept). */
sqlite3_stmt *trc_sq_stmt_text(trc_sq_stmts *c, const char *sql);

/* Done with q (may be NULL): reset and unbound if cached, else finalized. */
void trc_sq_stmt_done(trc_sq_stmts *c, sqlite3_stmt *q);

/* Finalize every cached statement (before closing the connection). */
void trc_sq_stmts_clear(trc_sq_stmts *c);

#endif
