/* Stores for the unit tests: each test opens a fresh one, a SQLite file in
 * the program's scratch directory, or, when TRUCE_TEST_PG names a
 * PostgreSQL cluster (tests/pg_run.sh: ctest's unit.test_*.pg), a fresh
 * database in it.  Header-only, included by one test program each.
 *
 *     cmocka_run_group_tests(tests, fixture_begin, fixture_end);
 *     char where[FIXTURE_WHERE];
 *     fixture_store(where, "name");
 *     truce_store_open(where, &s, NULL, 0);
 *     fixture_int(where, "SELECT count(*) FROM events");
 */
#ifndef TRUCE_TESTS_STORE_FIXTURE_H
#define TRUCE_TESTS_STORE_FIXTURE_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURE_WHERE 256

static char fixture_scratch[64];

/* The cluster's URI without a database, or NULL: SQLite. */
static const char *fixture_pg(void)
{
    const char *pg = getenv("TRUCE_TEST_PG");
    return pg && *pg ? pg : NULL;
}

/* Whether `where` is a PostgreSQL store (then a SQLite-only check is
 * skipped, saying so). */
static inline int fixture_is_pg(const char *where, const char *skipped)
{
    int pg = !strncmp(where, "postgresql://", 13);
    if (pg && skipped)
        printf("skipped on PostgreSQL: %s\n", skipped);
    return pg;
}

static inline int fixture_begin(void **state)
{
    (void)state;
    snprintf(fixture_scratch, sizeof fixture_scratch, "/tmp/truce-unit-XXXXXX");
    return mkdtemp(fixture_scratch) ? 0 : -1;
}

static inline int fixture_end(void **state)
{
    (void)state;
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fixture_scratch);
    return system(cmd) ? -1 : 0;
}

/* Run sql on PostgreSQL database `where`: 1 when it succeeded, its first
 * value (NULL: 0) in *out (may be NULL). */
static inline int fixture_pg_run(const char *where, const char *sql, long long *out)
{
    PGconn *db = PQconnectdb(where);
    int ok = PQstatus(db) == CONNECTION_OK;
    PGresult *res = ok ? PQexec(db, sql) : NULL;
    ok = ok && (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK);
    if (ok && out)
        *out = PQntuples(res) ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
    PQclear(res);
    PQfinish(db);
    return ok;
}

/* A fresh store's location, named `name` (one per test). */
static inline void fixture_store(char where[FIXTURE_WHERE], const char *name)
{
    const char *pg = fixture_pg();
    if (!pg) {
        snprintf(where, FIXTURE_WHERE, "%s/%s.db", fixture_scratch, name);
        unlink(where);
        return;
    }
    char base[FIXTURE_WHERE], sql[160];
    snprintf(base, sizeof base, "%s/postgres", pg);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    if (!fixture_pg_run(base, sql, NULL))
        fprintf(stderr, "fixture: %s failed\n", sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    if (!fixture_pg_run(base, sql, NULL))
        fprintf(stderr, "fixture: %s failed\n", sql);
    snprintf(where, FIXTURE_WHERE, "%s/%s", pg, name);
}

/* Run sql on the store at `where` from outside the store (its own
 * connection): 1 when it succeeded. */
static inline int fixture_exec(const char *where, const char *sql)
{
    if (fixture_is_pg(where, NULL))
        return fixture_pg_run(where, sql, NULL);
    sqlite3 *db;
    int ok = sqlite3_open(where, &db) == SQLITE_OK &&
             sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

/* The integer sql selects from the store at `where`; -1 on failure. */
static inline long long fixture_int(const char *where, const char *sql)
{
    long long v = -1;
    if (fixture_is_pg(where, NULL))
        return fixture_pg_run(where, sql, &v) ? v : -1;
    sqlite3 *db;
    sqlite3_stmt *q = NULL;
    if (sqlite3_open(where, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

#endif
