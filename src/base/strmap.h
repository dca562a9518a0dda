/* A map from strings to indexes 0, 1, 2, ... in order of first insertion
 * (not public API).  Keys are copied; open addressing on trc_idset_hash. */
#ifndef TRUCE_STRMAP_H
#define TRUCE_STRMAP_H

#include <stddef.h>

#include "truce/status.h"

typedef struct strmap {
    char **keys; /* owned; count entries, by index */
    size_t count;
    size_t *slots; /* owned; cap entries: index + 1, 0 = empty */
    size_t cap;    /* a power of two, or 0 */
} strmap;

void trc_strmap_init(strmap *m);
void trc_strmap_release(strmap *m);

/* The index of `key`, adding it when new (*added set to 1, else 0; may be
 * NULL).  TRUCE_E_NOMEM leaves the map unchanged. */
truce_status trc_strmap_put(strmap *m, const char *key, size_t *index, int *added);

#endif
