/* The allocator hook: see truce/alloc.h and alloc.h. */
#include "base/alloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "truce/alloc.h"

static void *libc_malloc(void *user, size_t size)
{
    (void)user;
    return malloc(size);
}

static void *libc_realloc(void *user, void *ptr, size_t size)
{
    (void)user;
    return realloc(ptr, size);
}

static void libc_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

/* Allocations that failed on this thread (trc_alloc_failures). */
static _Thread_local unsigned long failures;

/* Process-wide by design (truce/alloc.h says when it may change). */
static truce_allocator current = {libc_malloc, libc_realloc, libc_free, NULL};

truce_status truce_set_allocator(const truce_allocator *a)
{
    if (a && (!a->malloc_fn || !a->realloc_fn || !a->free_fn))
        return TRUCE_E_ARG;
    if (a)
        current = *a;
    else
        current = (truce_allocator){libc_malloc, libc_realloc, libc_free, NULL};
    return TRUCE_OK;
}

/* Count a failure, and say why in errno as POSIX's malloc does (a hook
 * need not). */
static void fail(void)
{
    failures++;
    errno = ENOMEM;
}

void *trc_malloc(size_t size)
{
    void *p = current.malloc_fn(current.user, size ? size : 1);
    if (!p)
        fail();
    return p;
}

void *trc_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        fail();
        return NULL;
    }
    /* The C library's calloc maps fresh zero pages for a large block
     * without writing them; keep that when its allocator is in force. */
    if (current.malloc_fn == libc_malloc) {
        void *p = calloc(n ? n : 1, size ? size : 1);
        if (!p)
            fail();
        return p;
    }
    void *p = trc_malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *trc_realloc(void *ptr, size_t size)
{
    void *p = current.realloc_fn(current.user, ptr, size ? size : 1);
    if (!p)
        fail();
    return p;
}

void trc_free(void *ptr)
{
    if (ptr)
        current.free_fn(current.user, ptr);
}

void truce_free(void *ptr)
{
    trc_free(ptr);
}

unsigned long trc_alloc_failures(void)
{
    return failures;
}
