/* Prepared statements kept per SQLite connection (sqlite_stmts.h). */
#include "store/sqlite_stmts.h"

#include <stddef.h>
#include <string.h>

#include "base/alloc.h"
#include "base/util.h"

sqlite3_stmt *trc_sq_stmt(trc_sq_stmts *c, const char *sql)
{
    for (unsigned i = 0; i < c->n; i++)
        if (c->sql[i] == sql)
            return c->q[i];
    sqlite3_stmt *q = NULL;
    int cached = c->n < TRC_SQ_STMTS_MAX;
    if (sqlite3_prepare_v3(c->db, sql, -1, cached ? SQLITE_PREPARE_PERSISTENT : 0, &q, NULL) !=
        SQLITE_OK) {
        sqlite3_finalize(q);
        return NULL;
    }
    if (cached) {
        c->sql[c->n] = sql;
        c->q[c->n++] = q;
    }
    return q;
}

sqlite3_stmt *trc_sq_stmt_text(trc_sq_stmts *c, const char *sql)
{
    for (unsigned i = 0; i < c->tn; i++)
        if (!strcmp(c->text[i], sql))
            return c->tq[i];
    sqlite3_stmt *q = NULL;
    char *copy = truce_strdup(sql);
    if (sqlite3_prepare_v3(c->db, sql, -1, copy ? SQLITE_PREPARE_PERSISTENT : 0, &q, NULL) !=
        SQLITE_OK) {
        sqlite3_finalize(q);
        trc_free(copy);
        return NULL;
    }
    if (copy) { /* else used once, finalized when done */
        unsigned at;
        if (c->tn < TRC_SQ_TEXTS_MAX) {
            at = c->tn++;
        } else {
            at = c->tnext;
            c->tnext = (at + 1) % TRC_SQ_TEXTS_MAX;
            sqlite3_finalize(c->tq[at]);
            trc_free(c->text[at]);
        }
        c->text[at] = copy;
        c->tq[at] = q;
    }
    return q;
}

void trc_sq_stmt_done(trc_sq_stmts *c, sqlite3_stmt *q)
{
    if (!q)
        return;
    for (unsigned i = 0; i < c->n || i < c->tn; i++)
        if ((i < c->n && c->q[i] == q) || (i < c->tn && c->tq[i] == q)) {
            sqlite3_reset(q);
            sqlite3_clear_bindings(q);
            return;
        }
    sqlite3_finalize(q);
}

void trc_sq_stmts_clear(trc_sq_stmts *c)
{
    for (unsigned i = 0; i < c->n; i++)
        sqlite3_finalize(c->q[i]);
    c->n = 0;
    for (unsigned i = 0; i < c->tn; i++) {
        sqlite3_finalize(c->tq[i]);
        trc_free(c->text[i]);
        c->text[i] = NULL;
    }
    c->tn = c->tnext = 0;
}
