/* truce — the allocator hook.
 *
 * Every block that libtruce allocates itself, and every block that expat
 * (GPX) and libcsv (ACLED and UCDP CSV) allocate for it, comes from one
 * process-wide allocator: the C library's malloc, realloc and free until
 * truce_set_allocator installs another.  A program may install its own to
 * account for memory or to place it in an arena; the project's tests install
 * one that fails the Nth allocation to check that every path reports
 * TRUCE_E_NOMEM and leaks nothing (tests/unit/test_oom.c).
 *
 * When an allocation fails, the function that needed it frees what it had
 * built, leaves its out-pointers as documented for failure (NULL, or the
 * object untouched) and returns TRUCE_E_NOMEM.  No partial object is handed
 * out.  The one failure that is not reported is a realloc that would only
 * make a finished block smaller (a corridor's index): the larger block is
 * kept.
 *
 * Outside the hook, allocating with the C library's malloc (or C++'s new)
 * whatever is installed:
 *   - jansson (JSON documents: the agreement, JSON Lines rows, precision
 *     tables, roads, borders) and YAJL (the streaming GeoJSON event reader):
 *     both use some allocations unchecked (jansson's lexer drops a byte it
 *     cannot save and may then read past its buffer; YAJL writes through
 *     the pointer it got), so a failing hook would corrupt memory inside
 *     them.  Their failures, when reported, are reported as theirs;
 *   - the C library itself: FILE streams (fopen, and fopencookie behind
 *     truce_output), thread stacks (pthread_create), and the like;
 *   - GEOS (polygon validity), PROJ contexts (map projections), librsvg and
 *     cairo (PNG output).  PROJ's geodesic functions allocate nothing;
 *   - SQLite (the store of truce serve, truce/store.h), nettle (token
 *     digests allocate nothing).
 *
 * Memory that the library hands to the caller to free (documented as
 * "truce_free() it") came from this allocator and goes back through
 * truce_free.
 *
 * Threads: the hook is process-wide state.  Install it once, before any
 * other truce_ call and before any thread uses libtruce, and do not change
 * it while a block from the previous allocator is still alive (every block
 * is freed through the allocator in force at that moment).  The functions
 * are called from every thread that uses libtruce, including the judging
 * threads of truce_judge, so they must be safe to call concurrently when
 * more than one thread is in use.
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
 * free) as the allocator of libtruce, expat and libcsv as libtruce uses them,
 * for the whole process (see the thread rules above).  TRUCE_E_ARG, and
 * nothing changes, when `a` lacks one of its three functions. */
truce_status truce_set_allocator(const truce_allocator *a);

/* Free a block that libtruce returned for the caller to free ("truce_free()
 * it"); NULL is a no-op. */
void truce_free(void *ptr);

#endif
