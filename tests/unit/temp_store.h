/* A store in a fresh temporary directory for a unit test, and its removal
 * (the database, its WAL and shared-memory files, the directory); under
 * tests/pg_run.sh a fresh PostgreSQL database instead (store_fixture.h). */
#ifndef TRUCE_TEST_TEMP_STORE_H
#define TRUCE_TEST_TEMP_STORE_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store_fixture.h"
#include "truce/store.h"

/* Make the directory (into dir) and name the store's path in it. */
static void temp_store_path(char dir[32], char path[64])
{
    strcpy(dir, "/tmp/truce-test-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, 64, "%s/t.db", dir);
    if (fixture_pg()) {
        static int n;
        char name[16], where[FIXTURE_WHERE];
        snprintf(name, sizeof name, "tmp%d", ++n);
        fixture_store(where, name);
        assert_true(strlen(where) < 64);
        memcpy(path, where, strlen(where) + 1);
    }
}

static truce_store *temp_store_open(char dir[32], char path[64])
{
    temp_store_path(dir, path);
    truce_store *s;
    assert_int_equal(truce_store_open(path, &s, NULL, 0), TRUCE_OK);
    return s;
}

/* Remove a store's database, WAL and shared-memory files. */
static void temp_store_unlink(const char *path)
{
    char p[128];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static void temp_store_remove(truce_store *s, const char *dir, const char *path)
{
    truce_store_free(s);
    temp_store_unlink(path);
    rmdir(dir);
}

#endif
