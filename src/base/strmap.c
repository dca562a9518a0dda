/* String-to-index map: see strmap.h. */
#include "base/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/idset.h"
#include "base/util.h"

void trc_strmap_init(strmap *m)
{
    memset(m, 0, sizeof *m);
}

void trc_strmap_release(strmap *m)
{
    for (size_t i = 0; i < m->count; i++)
        trc_free(m->keys[i]);
    trc_free(m->keys);
    trc_free(m->slots);
    trc_strmap_init(m);
}

static size_t find_slot(const strmap *m, const char *key, uint64_t h)
{
    size_t mask = m->cap - 1, i = (size_t)h & mask;
    while (m->slots[i] && strcmp(m->keys[m->slots[i] - 1], key) != 0)
        i = (i + 1) & mask;
    return i;
}

static truce_status grow(strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    size_t *slots = trc_calloc(cap, sizeof *slots);
    char **keys = trc_realloc(m->keys, cap * sizeof *keys);
    if (!slots || !keys) {
        trc_free(slots);
        if (keys)
            m->keys = keys;
        return TRUCE_E_NOMEM;
    }
    m->keys = keys;
    trc_free(m->slots);
    m->slots = slots;
    m->cap = cap;
    for (size_t k = 0; k < m->count; k++) {
        const char *key = m->keys[k];
        m->slots[find_slot(m, key, trc_idset_hash(key, strlen(key)))] = k + 1;
    }
    return TRUCE_OK;
}

truce_status trc_strmap_put(strmap *m, const char *key, size_t *index, int *added)
{
    if (added)
        *added = 0;
    if ((m->count + 1) * 4 > m->cap * 3 && grow(m) != TRUCE_OK)
        return TRUCE_E_NOMEM;
    uint64_t h = trc_idset_hash(key, strlen(key));
    size_t s = find_slot(m, key, h);
    if (m->slots[s]) {
        *index = m->slots[s] - 1;
        return TRUCE_OK;
    }
    char *copy = truce_strdup(key);
    if (!copy)
        return TRUCE_E_NOMEM;
    m->keys[m->count] = copy;
    m->slots[s] = ++m->count;
    *index = m->count - 1;
    if (added)
        *added = 1;
    return TRUCE_OK;
}
