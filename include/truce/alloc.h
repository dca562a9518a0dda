/* truce — the allocator hook.
 *
 * Every block that libtruce allocates itself, and every block that jansson
 * (JSON documents), expat (GPX) and libcsv (ACLED and UCDP CSV) allocate for
 * it, comes from one process-wide allocator: the C library's malloc, realloc
 * and free until truce_set_allocator installs another.  A program may
 * install its own to account for memory, to place it in an arena, or, as the
 * project's tests do, to fail the Nth allocation and check that every path
 * reports TRUCE_E_NOMEM and leaks nothing.
 *
 * When an allocation fails, the function that needed it frees what it had
 * built, leaves its out-pointers as documented for failure (NULL, or the
 * object untouched) and returns TRUCE_E_NOMEM.  No partial object is handed
 * out.
 *
 * Still outside the hook, allocated with the C library's malloc (or, in C++,
 * operator new) whatever allocator is installed:
 *   - YAJL (the streaming GeoJSON event reader): it does not check its own
 *     allocations (yajl_alloc, its lexer buffer and its nesting stack use the
 *     result unchecked), so a failing hook would crash inside YAJL;
 *   - the C library itself: FILE streams (fopen, and fopencookie behind
 *     truce_output), thread stacks (pthread_create), strerror and the like;
 *   - GEOS (polygon validity), PROJ contexts (map projections), librsvg and
 *     cairo (PNG output).  PROJ's geodesic functions allocate nothing.
 * A failure inside these surfaces as whatever they report (TRUCE_E_IO for a
 * stream that cannot be opened, for instance), or not at all.
 *
 * Memory that the library hands to the caller with "truce_free() it" in its
 * documentation came from this allocator and goes back through truce_free.
 *
 * Threads: the hook is process-wide state.  Install it once, before any other
 * truce_ call and before any thread uses libtruce, and do not change it while
 * any block from the previous allocator is still alive (the library frees
 * every block with the allocator in force at that moment).  The functions are
 * called from every thread that uses libtruce, including the judging threads
 * of truce_judge, so they must be safe to call concurrently when more than
 * one thread is used.
 */
#ifndef TRUCE_ALLOC_H
#define TRUCE_ALLOC_H

#include <stddef.h>

#include "truce/status.h"

typedef struct truce_allocator {
    /* A new block of `size` bytes (never 0), or NULL on failure. */
    void *(*malloc_fn)(void *user, size_t size);
    /* `ptr` (NULL, or a block from this allocator) resized to `size` bytes
     * (never 0), like C's realloc: on failure NULL, and `ptr` stays valid. */
    void *(*realloc_fn)(void *user, void *ptr, size_t size);
    /* Release a block from this allocator (never called with NULL). */
    void (*free_fn)(void *user, void *ptr);
    /* Passed to each function as is. */
    void *user;
} truce_allocator;

/* Install `a` (copied; NULL restores the C library's malloc, realloc and
 * free) as the allocator of libtruce and of the libraries above, for the
 * whole process (see the thread rules above).  Setting it also sets jansson's
 * allocation functions (json_set_alloc_funcs), which are process-wide too: a
 * program that uses jansson itself shares them.  TRUCE_E_ARG when `a` lacks
 * one of its three functions. */
truce_status truce_set_allocator(const truce_allocator *a);

/* Free a block that libtruce returned for the caller to free ("truce_free()
 * it"); NULL is a no-op. */
void truce_free(void *ptr);

#endif
