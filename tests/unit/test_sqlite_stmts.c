/* Prepared statements kept per connection (src/store/sqlite_stmts.h):
 * the same SQL text gives the same statement, reset and unbound when given
 * back; past the cache's size statements are prepared and finalized each
 * time; clearing finalizes them all (the connection then closes cleanly). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>

#include "store/sqlite_stmts.h"

static const char SELECT_ONE[] = "SELECT value FROM t WHERE value >= ? ORDER BY value";

static void test_reuse(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (value); INSERT INTO t VALUES (1), (2), (3)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    trc_sq_stmts c = {.db = db};
    sqlite3_stmt *q = trc_sq_stmt(&c, SELECT_ONE);
    assert_non_null(q);
    sqlite3_bind_int(q, 1, 2);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 2);
    /* Given back mid-way: the next use starts over, unbound. */
    trc_sq_stmt_done(&c, q);
    assert_ptr_equal(trc_sq_stmt(&c, SELECT_ONE), q);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE); /* NULL bound: no row */
    trc_sq_stmt_done(&c, q);
    assert_int_equal(c.n, 1);
    /* Not preparable: NULL, nothing cached. */
    assert_null(trc_sq_stmt(&c, "SELECT FROM nowhere"));
    assert_int_equal(c.n, 1);
    trc_sq_stmts_clear(&c);
    assert_int_equal(c.n, 0);
    assert_int_equal(sqlite3_close(db), SQLITE_OK); /* nothing left unfinalized */
}

/* More distinct statements than the cache holds. */
static char sql[TRC_SQ_STMTS_MAX + 8][32];

static void test_full(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    trc_sq_stmts c = {.db = db};
    for (int i = 0; i < TRC_SQ_STMTS_MAX + 8; i++) {
        snprintf(sql[i], sizeof sql[i], "SELECT %d", i);
        sqlite3_stmt *q = trc_sq_stmt(&c, sql[i]);
        assert_non_null(q);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(q, 0), i);
        trc_sq_stmt_done(&c, q);
    }
    assert_int_equal(c.n, TRC_SQ_STMTS_MAX);
    trc_sq_stmts_clear(&c);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
