/* Amendments: the dated bounds of an agreement's items (amendment.h). */
#include "truce/amendment.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

static int add(truce_amendments *list, const truce_validity *v, const char *kind, const char *id)
{
    for (int k = 0; k < 2; k++) {
        int64_t at = k == 0 ? v->from_s : v->until_s;
        if (at == TRUCE_TIME_MIN || at == TRUCE_TIME_MAX)
            continue;
        truce_amendment *items = trc_realloc(list->items, (list->count + 1) * sizeof *items);
        if (!items)
            return -1;
        list->items = items;
        items[list->count++] =
            (truce_amendment){at, k == 0 ? v->from_text : v->until_text, kind, id, k == 0};
    }
    return 0;
}

static int by_instant(const void *pa, const void *pb)
{
    const truce_amendment *a = pa, *b = pb;
    if (a->at_s != b->at_s)
        return a->at_s < b->at_s ? -1 : 1;
    return strcmp(a->id, b->id);
}

truce_status truce_amendments_collect(const truce_agreement *a, truce_amendments *out)
{
    if (!out)
        return TRUCE_E_ARG;
    memset(out, 0, sizeof *out);
    if (!a)
        return TRUCE_E_ARG;
    int bad = 0;
    for (size_t i = 0; i < a->nzones; i++)
        bad |= add(out, &a->zones[i].valid, "zone", a->zones[i].id);
    for (size_t i = 0; i < a->ncorridors; i++)
        bad |= add(out, &a->corridors[i].valid, "corridor", a->corridors[i].id);
    for (size_t i = 0; i < a->nroutes; i++)
        bad |= add(out, &a->routes[i].valid, "patrol route", a->routes[i].id);
    for (size_t i = 0; i < a->nrules; i++)
        bad |= add(out, &a->rules[i].valid, "rule", a->rules[i].id);
    if (bad) {
        truce_amendments_release(out);
        return TRUCE_E_NOMEM;
    }
    if (out->count)
        qsort(out->items, out->count, sizeof *out->items, by_instant);
    return TRUCE_OK;
}

void truce_amendments_release(truce_amendments *list)
{
    if (!list)
        return;
    trc_free(list->items);
    list->items = NULL;
    list->count = 0;
}
