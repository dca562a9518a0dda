/* truce — a growable text buffer: the text a judge's prepare hook writes
 * (judge.h), and any other text built piece by piece.
 */
#ifndef TRUCE_TEXT_H
#define TRUCE_TEXT_H

#include <stddef.h>

#include "truce/status.h"

/* A growable text buffer: `len` bytes used of `cap` at `p` (from the
 * library's allocator, truce/alloc.h), a NUL kept after them.  All zero is
 * an empty buffer. */
typedef struct truce_text {
    char *p;
    size_t len, cap;
} truce_text;

/* Room for n more bytes and a NUL: where they go (t->p + t->len; the caller
 * writes them and advances t->len), or NULL when out of memory.  May move
 * t->p. */
char *truce_text_room(truce_text *t, size_t n);

/* Append n bytes of s (and keep a NUL after them).  TRUCE_E_NOMEM. */
truce_status truce_text_append(truce_text *t, const char *s, size_t n);

/* Free the buffer's bytes; it is empty afterwards. */
void truce_text_release(truce_text *t);

#endif
