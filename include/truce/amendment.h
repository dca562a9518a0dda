/* truce — amendments: the dated changes of an agreement.
 *
 * Every zone, corridor, patrol route and rule may carry `from` and `until`
 * (agreement.h, truce_validity): each bound that is given is one amendment,
 * an item coming into force or ceasing to be in force at an instant.
 * `truce check` lists them and the timeline draws them as marks.
 */
#ifndef TRUCE_AMENDMENT_H
#define TRUCE_AMENDMENT_H

#include <stddef.h>
#include <stdint.h>

#include "truce/agreement.h"
#include "truce/status.h"

typedef struct truce_amendment {
    int64_t at_s;     /* the instant of the change (UTC) */
    const char *text; /* the bound as written in the file; borrowed from the agreement */
    const char *kind; /* "zone", "corridor", "patrol route" or "rule"; static */
    const char *id;   /* the item's id; borrowed from the agreement */
    int starts;       /* 1: the item comes into force; 0: it ends */
} truce_amendment;

typedef struct truce_amendments {
    truce_amendment *items; /* owned; count entries, by instant, then id */
    size_t count;
} truce_amendments;

/* Collect the amendments of `a` in date order (ties by id) into *out, which
 * borrows strings from `a` (keep `a` while *out is used; release with
 * truce_amendments_release).  TRUCE_E_ARG, TRUCE_E_NOMEM (then *out is
 * empty). */
truce_status truce_amendments_collect(const truce_agreement *a, truce_amendments *out);

/* Free the list; it is empty afterwards. */
void truce_amendments_release(truce_amendments *list);

#endif
