/* truce — diagnostics: every problem found in an input, not just the first.
 *
 * Loaders append to a truce_diags list: one entry per problem, naming the
 * file, the line (when known), the item (a feature id, or "features[3]" when
 * it has none), the key and what was found against what was expected.
 */
#ifndef TRUCE_DIAG_H
#define TRUCE_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "truce/status.h"

typedef enum truce_diag_level { TRUCE_DIAG_ERROR = 0, TRUCE_DIAG_WARNING = 1 } truce_diag_level;

typedef struct truce_diag {
    truce_diag_level level;
    char *file;    /* owned; NULL when the input has no name */
    long line;     /* 1-based; 0 when unknown */
    char *item;    /* owned; e.g. `feature "m4"`; NULL for the whole file */
    char *key;     /* owned; e.g. "properties.left_m"; NULL when none */
    char *message; /* owned; never NULL */
} truce_diag;

typedef struct truce_diags {
    truce_diag *items; /* owned array of `count` entries */
    size_t count;
    size_t capacity;
    size_t errors; /* entries with level TRUCE_DIAG_ERROR */
} truce_diags;

/* Set up an empty list (no allocation). */
void truce_diags_init(truce_diags *diags);

/* Free every entry; the list is empty and reusable afterwards. */
void truce_diags_release(truce_diags *diags);

/* Append one entry.  `file`, `item` and `key` may be NULL; they and the
 * formatted message are copied.  Returns TRUCE_E_NOMEM when out of memory
 * (the list is left as it was). */
truce_status truce_diags_add(truce_diags *diags, truce_diag_level level, const char *file,
                             long line, const char *item, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* Write one entry as a single line:
 *   FILE:LINE: error: ITEM: KEY: MESSAGE
 * (parts that are absent are left out) followed by a newline. */
void truce_diag_print(const truce_diag *diag, FILE *out);

#endif
