/* The growable text buffer: see truce/text.h. */
#include <stdlib.h>
#include <string.h>

#include "truce/text.h"

#include "base/alloc.h"

char *truce_text_room(truce_text *t, size_t n)
{
    if (t->cap - t->len <= n) {
        size_t cap = (t->cap + n) * 2 + 64;
        char *p = trc_realloc(t->p, cap);
        if (!p)
            return NULL;
        t->p = p;
        t->cap = cap;
    }
    return t->p + t->len;
}

truce_status truce_text_append(truce_text *t, const char *s, size_t n)
{
    if (!truce_text_room(t, n))
        return TRUCE_E_NOMEM;
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
    return TRUCE_OK;
}

void truce_text_release(truce_text *t)
{
    trc_free(t->p);
    memset(t, 0, sizeof *t);
}
