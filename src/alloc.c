/* The allocator hook: see truce/alloc.h and alloc.h. */
#include "alloc.h"

#include <jansson.h>
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

/* Process-wide by design (truce/alloc.h says when it may change). */
static truce_allocator current = {libc_malloc, libc_realloc, libc_free, NULL};

truce_status truce_set_allocator(const truce_allocator *a)
{
    if (a && (!a->malloc_fn || !a->realloc_fn || !a->free_fn))
        return TRUCE_E_ARG;
    if (a) {
        current = *a;
        json_set_alloc_funcs(trc_malloc, trc_free);
    } else {
        current = (truce_allocator){libc_malloc, libc_realloc, libc_free, NULL};
        json_set_alloc_funcs(malloc, free);
    }
    return TRUCE_OK;
}

void *trc_malloc(size_t size)
{
    return current.malloc_fn(current.user, size ? size : 1);
}

void *trc_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    /* The C library's calloc maps fresh zero pages for a large block
     * without writing them; keep that when its allocator is in force. */
    if (current.malloc_fn == libc_malloc)
        return calloc(n ? n : 1, size ? size : 1);
    void *p = trc_malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *trc_realloc(void *ptr, size_t size)
{
    return current.realloc_fn(current.user, ptr, size ? size : 1);
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
