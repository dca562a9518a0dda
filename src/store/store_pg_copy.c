/* Copying a whole store, the PostgreSQL backend's part (store_impl.h's
 * copy_* ops): the tables of trc_copy_tables are this backend's own, by
 * the same names and columns (store_pg_schema.c), in PostgreSQL's types.
 *
 * Reading is one REPEATABLE READ, READ ONLY transaction on the reading
 * connection, so every table comes from one snapshot while servers keep
 * writing; each table is read through a cursor, a few thousand rows at a
 * time, not whole into memory.  Text keys are ordered byte by byte
 * (COLLATE "C"), as the copy's checksum wants.  A float8 is read back
 * exactly: PostgreSQL writes the shortest text that reads back as the same
 * double (extra_float_digits 1, its default since version 12).
 *
 * Writing: one transaction per call, a prepared INSERT per row.  The
 * append-only triggers stay, and the triggers that keep the query tables
 * (and the PostGIS column) current run for each verdict and review
 * inserted; the two that number the change feed are disabled within the
 * transaction (ALTER TABLE ... DISABLE TRIGGER: its lock keeps every other
 * session out until the commit, by which they are enabled again), since the
 * copied `changes` rows are the feed.  Each table's sequence is then set
 * past its copied numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_pg_impl.h"

/* Rows fetched from a cursor at a time. */
#define FETCH_ROWS 5000
#define FETCH_SQL "FETCH 5000 FROM trc_copy"

/* The SELECT (insert 0) or INSERT of table t into sql. */
static truce_status table_sql(const trc_copy_table *t, int insert, truce_text *sql)
{
    truce_status st = trc_store_json_printf(sql, insert ? "INSERT INTO %s (" : "SELECT ", t->name);
    for (size_t c = 0; !st && c < t->ncolumns; c++)
        st = trc_store_json_printf(sql, "%s%s", c ? ", " : "", t->columns[c].name);
    if (!st && insert) {
        st = trc_store_json_printf(sql, ") VALUES (");
        for (size_t c = 0; !st && c < t->ncolumns; c++)
            st = trc_store_json_printf(sql, "%s$%zu", c ? ", " : "", c + 1);
        if (!st)
            st = trc_store_json_printf(sql, ")");
    } else if (!st) {
        st = trc_store_json_printf(sql, " FROM %s ORDER BY ", t->name);
        for (size_t c = 0; !st && c < t->nkey; c++)
            st = trc_store_json_printf(sql, "%s%s%s", c ? ", " : "", t->columns[c].name,
                                       t->columns[c].type == TRC_COPY_TEXT ? " COLLATE \"C\"" : "");
    }
    return st;
}

truce_status trc_pg_copy_count(truce_store *s, size_t table, int64_t *rows)
{
    if (table >= TRC_COPY_TABLES)
        return TRUCE_E_ARG;
    truce_text sql = {0};
    truce_status st =
        trc_store_json_printf(&sql, "SELECT count(*) FROM %s", trc_copy_tables[table].name);
    PGresult *res = st ? NULL : trc_pg_read(trc_pg_reader(s), sql.p, NULL);
    if (!st && !res)
        st = TRUCE_E_IO;
    if (res)
        *rows = trc_pg_i64(res, 0, 0);
    PQclear(res);
    truce_text_release(&sql);
    return st;
}

/* The values of row r of res (table t) into v; blobs unescaped into
 * blobs[] (freed by the caller with PQfreemem). */
static truce_status row_values(const PGresult *res, int r, const trc_copy_table *t,
                               trc_copy_value *v, unsigned char **blobs)
{
    for (size_t c = 0; c < t->ncolumns; c++) {
        int i = (int)c;
        memset(&v[c], 0, sizeof v[c]);
        blobs[c] = NULL;
        if (PQgetisnull(res, r, i)) {
            v[c].null = 1;
            if (!t->columns[c].nullable)
                return TRUCE_E_IO;
            continue;
        }
        const char *text = PQgetvalue(res, r, i);
        switch (t->columns[c].type) {
        case TRC_COPY_INT:
            v[c].i = strtoll(text, NULL, 10);
            break;
        case TRC_COPY_REAL:
            v[c].r = strtod(text, NULL);
            break;
        case TRC_COPY_TEXT:
            v[c].p = text;
            v[c].len = (size_t)PQgetlength(res, r, i);
            break;
        case TRC_COPY_BLOB:
            blobs[c] = PQunescapeBytea((const unsigned char *)text, &v[c].len);
            if (!blobs[c])
                return TRUCE_E_NOMEM;
            v[c].p = blobs[c];
            break;
        }
    }
    return TRUCE_OK;
}

/* Every row of table t through fn, within the open transaction. */
static truce_status read_table(PGconn *db, size_t t, trc_copy_row_fn fn, void *ctx)
{
    const trc_copy_table *tab = &trc_copy_tables[t];
    trc_copy_value v[16];
    unsigned char *blobs[16];
    if (tab->ncolumns > sizeof v / sizeof v[0])
        return TRUCE_E_INTERNAL;
    truce_text sql = {0};
    truce_status st = truce_text_append(&sql, "DECLARE trc_copy NO SCROLL CURSOR FOR ", 38);
    if (!st)
        st = table_sql(tab, 0, &sql);
    if (!st)
        st = trc_pg_run(db, sql.p, NULL);
    truce_text_release(&sql);
    for (int more = 1; !st && more;) {
        PGresult *res = trc_pg_query(db, FETCH_SQL, NULL, NULL);
        if (!res)
            st = TRUCE_E_IO;
        int n = res ? PQntuples(res) : 0;
        more = n == FETCH_ROWS;
        for (int r = 0; !st && r < n; r++) {
            st = row_values(res, r, tab, v, blobs);
            if (!st)
                st = fn(ctx, t, v);
            for (size_t c = 0; c < tab->ncolumns; c++)
                PQfreemem(blobs[c]);
        }
        PQclear(res);
    }
    if (!st)
        st = trc_pg_run(db, "CLOSE trc_copy", NULL);
    return st;
}

truce_status trc_pg_copy_read(truce_store *s, trc_copy_row_fn fn, void *ctx)
{
    trc_pg_conn *c = trc_pg_reader(s);
    PGconn *db = trc_pg_take(c);
    if (!db)
        return TRUCE_E_IO;
    truce_status st = trc_pg_run(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL);
    for (size_t t = 0; !st && t < TRC_COPY_TABLES; t++)
        st = read_table(db, t, fn, ctx);
    if (PQstatus(db) == CONNECTION_OK)
        trc_pg_run(db, st ? "ROLLBACK" : "COMMIT", NULL);
    trc_pg_give(c);
    return st;
}

/* Insert the rows with the prepared statement trc_copy_insert. */
static truce_status insert_rows(PGconn *db, const trc_copy_table *tab, const trc_copy_value *values,
                                size_t nrows)
{
    const char *v[16];
    int len[16], fmt[16];
    char num[16][32];
    truce_status st = TRUCE_OK;
    for (size_t r = 0; !st && r < nrows; r++) {
        const trc_copy_value *row = values + r * tab->ncolumns;
        for (size_t c = 0; c < tab->ncolumns; c++) {
            v[c] = NULL;
            len[c] = 0;
            fmt[c] = 0;
            if (row[c].null)
                continue;
            switch (tab->columns[c].type) {
            case TRC_COPY_INT:
                snprintf(num[c], sizeof num[c], "%lld", (long long)row[c].i);
                v[c] = num[c];
                break;
            case TRC_COPY_REAL: /* %.17g: the same double back */
                snprintf(num[c], sizeof num[c], "%.17g", row[c].r);
                v[c] = num[c];
                break;
            case TRC_COPY_TEXT: /* NUL-terminated (store_impl.h) */
                v[c] = row[c].p;
                break;
            case TRC_COPY_BLOB:
                v[c] = row[c].p;
                len[c] = (int)row[c].len;
                fmt[c] = 1;
                break;
            }
        }
        PGresult *res = PQexecPrepared(db, "trc_copy_insert", (int)tab->ncolumns, v, len, fmt, 0);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
            st = state && !strncmp(state, "23", 2) ? TRUCE_E_INVALID : TRUCE_E_IO;
        }
        PQclear(res);
    }
    return st;
}

truce_status trc_pg_copy_write(truce_store *s, size_t table, const trc_copy_value *values,
                               size_t nrows)
{
    if (table >= TRC_COPY_TABLES)
        return TRUCE_E_ARG;
    const trc_copy_table *tab = &trc_copy_tables[table];
    if (tab->ncolumns > 16)
        return TRUCE_E_INTERNAL;
    const char *trigger = !strcmp(tab->name, "verdicts")  ? "verdicts_change"
                          : !strcmp(tab->name, "reviews") ? "reviews_change"
                                                          : NULL;
    truce_text insert = {0}, off = {0}, on = {0}, serial = {0};
    truce_status st = table_sql(tab, 1, &insert);
    if (!st && trigger)
        st = trc_store_json_printf(&off, "ALTER TABLE %s DISABLE TRIGGER %s", tab->name, trigger);
    if (!st && trigger)
        st = trc_store_json_printf(&on, "ALTER TABLE %s ENABLE TRIGGER %s", tab->name, trigger);
    /* the sequence of a table keyed by one number (not idempotency) */
    if (!st && tab->nkey == 1 && tab->columns[0].type == TRC_COPY_INT)
        st =
            trc_store_json_printf(&serial,
                                  "SELECT setval(pg_get_serial_sequence('%s', '%s'),"
                                  " (SELECT max(%s) FROM %s))",
                                  tab->name, tab->columns[0].name, tab->columns[0].name, tab->name);
    trc_pg_conn *c = trc_pg_writer(s);
    PGconn *db = st ? NULL : trc_pg_take(c);
    if (!st && !db)
        st = TRUCE_E_IO;
    if (db) {
        st = trc_pg_run(db, "BEGIN", NULL);
        if (!st && trigger)
            st = trc_pg_run(db, off.p, NULL);
        PGresult *prep = st ? NULL : PQprepare(db, "trc_copy_insert", insert.p, 0, NULL);
        if (!st && PQresultStatus(prep) != PGRES_COMMAND_OK)
            st = TRUCE_E_IO;
        PQclear(prep);
        if (!st)
            st = insert_rows(db, tab, values, nrows);
        if (!st && trigger)
            st = trc_pg_run(db, on.p, NULL);
        if (!st && serial.len)
            st = trc_pg_run(db, serial.p, NULL);
        st = trc_pg_finish(db, st);
        if (PQstatus(db) == CONNECTION_OK)
            trc_pg_run(db, "DEALLOCATE trc_copy_insert", NULL);
        trc_pg_give(c);
    }
    truce_text_release(&insert);
    truce_text_release(&off);
    truce_text_release(&on);
    truce_text_release(&serial);
    return st;
}
