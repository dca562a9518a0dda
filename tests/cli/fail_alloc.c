/* Linked into truce-oom (tests/CMakeLists.txt), the truce command built for
 * tests only: before main, TRUCE_TEST_FAIL_ALLOC=N installs an allocator
 * hook (truce/alloc.h) that fails the Nth allocation, and only that one,
 * so that test_oom.sh can check what the command does when memory runs out
 * at each step.  On exit it writes "truce-oom: N allocations" to stderr
 * when TRUCE_TEST_COUNT_ALLOC is set, so the script knows when to stop.
 * Nothing of this is in the shipped binary. */
#include <stdio.h>
#include <stdlib.h>

#include "truce/alloc.h"

/* The judging threads share the hook: the count is atomic. */
static _Atomic long calls;
static long fail_at;

static void *fail_malloc(void *user, size_t size)
{
    (void)user;
    return ++calls == fail_at ? NULL : malloc(size);
}

static void *fail_realloc(void *user, void *ptr, size_t size)
{
    (void)user;
    return ++calls == fail_at ? NULL : realloc(ptr, size);
}

static void fail_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static void report(void)
{
    fprintf(stderr, "truce-oom: %ld allocations\n", (long)calls);
}

__attribute__((constructor)) static void install(void)
{
    const char *n = getenv("TRUCE_TEST_FAIL_ALLOC");
    fail_at = n ? atol(n) : 0;
    static const truce_allocator hook = {fail_malloc, fail_realloc, fail_free, NULL};
    if (truce_set_allocator(&hook) != TRUCE_OK)
        abort();
    if (getenv("TRUCE_TEST_COUNT_ALLOC"))
        atexit(report);
}
