/* The library's allocation functions: every allocation in src/ goes through
 * these, so that the hook of truce/alloc.h sees it.  Same contracts as the C
 * library's, with firmer rules: a size of 0 asks for 1 byte (so NULL always
 * means out of memory), trc_calloc checks n * size for overflow, and a
 * failure sets errno to ENOMEM.  They have the shapes that expat
 * (XML_Memory_Handling_Suite) and libcsv (csv_set_realloc_func,
 * csv_set_free_func) take, and are passed to them. */
#ifndef TRUCE_SRC_ALLOC_H
#define TRUCE_SRC_ALLOC_H

#include <stddef.h>

void *trc_malloc(size_t size);
void *trc_calloc(size_t n, size_t size);
void *trc_realloc(void *ptr, size_t size);
void trc_free(void *ptr);

/* How many allocations have failed on the calling thread so far.  Compare
 * the count before and after a call into code that cannot report a failure
 * (a format's sniff function) or does not always (expat). */
unsigned long trc_alloc_failures(void);

#endif
