/* Copying a whole store, the SQLite backend's part (store_impl.h's copy_*
 * ops): the tables of trc_copy_tables are SQLite's own, by the same names,
 * so the statements are built from that list.
 *
 * Reading is one read transaction on the read-only connection, so every
 * table comes from one snapshot while a server keeps writing.
 *
 * Writing keeps the history's rules: the append-only triggers stay, and
 * the triggers that keep event_facets (the query tables) current run for
 * each verdict and review inserted, in order, as when they were first
 * written.  The triggers that number the change feed (verdicts_change,
 * reviews_change) would add rows of their own, numbered afresh; the copied
 * `changes` rows are the feed, so while verdicts and reviews are inserted a
 * TEMP trigger on this connection only skips those inserts (RAISE(IGNORE)
 * abandons the insert into changes and the verdict's insert carries on,
 * https://www.sqlite.org/lang_createtrigger.html#the_raise_function).  It
 * lives inside the batch's transaction: a crash or another connection
 * never sees it. */
#include <stdio.h>
#include <string.h>

#include "store/store_sqlite_impl.h"

/* "SELECT a, b FROM t ORDER BY k" or "INSERT INTO t (a, b) VALUES (?, ?)"
 * into buf; TRUCE_E_INTERNAL when it does not fit (it always does for the
 * tables listed). */
static truce_status build_sql(const trc_copy_table *t, int insert, char *buf, size_t size)
{
    size_t n = 0;
    int w = snprintf(buf, size, insert ? "INSERT INTO %s (" : "SELECT ", t->name);
    for (size_t c = 0; w >= 0 && (n += (size_t)w) < size && c < t->ncolumns; c++)
        w = snprintf(buf + n, size - n, "%s%s", c ? ", " : "", t->columns[c].name);
    if (w >= 0 && n < size) {
        if (insert) {
            w = snprintf(buf + n, size - n, ") VALUES (");
            for (size_t c = 0; w >= 0 && (n += (size_t)w) < size && c < t->ncolumns; c++)
                w = snprintf(buf + n, size - n, "%s", c ? ", ?" : "?");
            if (w >= 0 && n < size)
                w = snprintf(buf + n, size - n, ")");
        } else {
            w = snprintf(buf + n, size - n, " FROM %s ORDER BY ", t->name);
            for (size_t c = 0; w >= 0 && (n += (size_t)w) < size && c < t->nkey; c++)
                w = snprintf(buf + n, size - n, "%s%s", c ? ", " : "", t->columns[c].name);
        }
        if (w >= 0)
            n += (size_t)w;
    }
    return w >= 0 && n < size ? TRUCE_OK : TRUCE_E_INTERNAL;
}

truce_status trc_sq_copy_count(truce_store *s, size_t table, int64_t *rows)
{
    if (table >= TRC_COPY_TABLES)
        return TRUCE_E_ARG;
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", trc_copy_tables[table].name);
    sqlite3 *db = trc_sq_reader(s);
    sqlite3_stmt *q = NULL;
    truce_status st = TRUCE_E_IO;
    if (!sqlite3_prepare_v2(db, sql, -1, &q, NULL) && sqlite3_step(q) == SQLITE_ROW) {
        *rows = sqlite3_column_int64(q, 0);
        st = TRUCE_OK;
    }
    sqlite3_finalize(q);
    trc_sq_reader_done(s);
    return st;
}

/* Every row of table t through fn. */
static truce_status read_table(sqlite3 *db, size_t t, trc_copy_row_fn fn, void *ctx)
{
    const trc_copy_table *tab = &trc_copy_tables[t];
    char sql[512];
    truce_status st = build_sql(tab, 0, sql, sizeof sql);
    sqlite3_stmt *q = NULL;
    if (!st && sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        st = TRUCE_E_IO;
    trc_copy_value v[16];
    if (!st && tab->ncolumns > sizeof v / sizeof v[0])
        st = TRUCE_E_INTERNAL;
    int rc = SQLITE_DONE;
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        for (size_t c = 0; !st && c < tab->ncolumns; c++) {
            int i = (int)c;
            memset(&v[c], 0, sizeof v[c]);
            if (sqlite3_column_type(q, i) == SQLITE_NULL) {
                v[c].null = 1;
                st = tab->columns[c].nullable ? TRUCE_OK : TRUCE_E_IO;
                continue;
            }
            switch (tab->columns[c].type) {
            case TRC_COPY_INT:
                v[c].i = sqlite3_column_int64(q, i);
                break;
            case TRC_COPY_REAL:
                v[c].r = sqlite3_column_double(q, i);
                break;
            case TRC_COPY_TEXT:
                v[c].p = sqlite3_column_text(q, i);
                v[c].len = (size_t)sqlite3_column_bytes(q, i);
                break;
            case TRC_COPY_BLOB:
                v[c].p = sqlite3_column_blob(q, i);
                v[c].len = (size_t)sqlite3_column_bytes(q, i);
                if (!v[c].p)
                    v[c].p = ""; /* a zero-length blob */
                break;
            }
            if ((tab->columns[c].type == TRC_COPY_TEXT && !v[c].p))
                st = TRUCE_E_NOMEM;
        }
        if (!st)
            st = fn(ctx, t, v);
    }
    if (!st && rc != SQLITE_DONE)
        st = TRUCE_E_IO;
    sqlite3_finalize(q);
    return st;
}

truce_status trc_sq_copy_read(truce_store *s, trc_copy_row_fn fn, void *ctx)
{
    sqlite3 *db = trc_sq_reader(s);
    truce_status st = trc_sq_exec(db, "BEGIN");
    for (size_t t = 0; !st && t < TRC_COPY_TABLES; t++)
        st = read_table(db, t, fn, ctx);
    trc_sq_exec(db, "COMMIT");
    trc_sq_reader_done(s);
    return st;
}

/* Bind row `r`'s values to q. */
static void bind_row(sqlite3_stmt *q, const trc_copy_table *tab, const trc_copy_value *r)
{
    for (size_t c = 0; c < tab->ncolumns; c++) {
        int i = (int)c + 1;
        if (r[c].null) {
            sqlite3_bind_null(q, i);
            continue;
        }
        switch (tab->columns[c].type) {
        case TRC_COPY_INT:
            sqlite3_bind_int64(q, i, r[c].i);
            break;
        case TRC_COPY_REAL:
            sqlite3_bind_double(q, i, r[c].r);
            break;
        case TRC_COPY_TEXT:
            sqlite3_bind_text64(q, i, r[c].p, r[c].len, SQLITE_STATIC, SQLITE_UTF8);
            break;
        case TRC_COPY_BLOB:
            sqlite3_bind_blob64(q, i, r[c].p, r[c].len, SQLITE_STATIC);
            break;
        }
    }
}

truce_status trc_sq_copy_write(truce_store *s, size_t table, const trc_copy_value *values,
                               size_t nrows)
{
    if (table >= TRC_COPY_TABLES)
        return TRUCE_E_ARG;
    const trc_copy_table *tab = &trc_copy_tables[table];
    int history = !strcmp(tab->name, "verdicts") || !strcmp(tab->name, "reviews");
    char sql[512];
    truce_status st = build_sql(tab, 1, sql, sizeof sql);
    if (st)
        return st;
    sqlite3 *db = trc_sq_writer(s);
    sqlite3_stmt *q = NULL;
    st = trc_sq_exec(db, "BEGIN IMMEDIATE");
    if (!st && history)
        st = trc_sq_exec(db, "CREATE TEMP TRIGGER trc_copy_changes BEFORE INSERT ON main.changes"
                             " BEGIN SELECT RAISE(IGNORE); END");
    if (!st && sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        st = TRUCE_E_IO;
    for (size_t r = 0; !st && r < nrows; r++) {
        bind_row(q, tab, values + r * tab->ncolumns);
        int rc = sqlite3_step(q);
        if (rc != SQLITE_DONE)
            st = (rc & 0xff) == SQLITE_CONSTRAINT ? TRUCE_E_INVALID : TRUCE_E_IO;
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    if (!st && history)
        st = trc_sq_exec(db, "DROP TRIGGER temp.trc_copy_changes");
    st = trc_sq_finish(s, st);
    trc_sq_writer_done(s);
    return st;
}
