/* The bundled Idlib 2020 agreement and its m4-patrol route, for the unit
 * tests of patrols and tracks (a header of the tests, not of the library). */
#ifndef TRUCE_TEST_IDLIB_FIXTURE_H
#define TRUCE_TEST_IDLIB_FIXTURE_H

#include "truce/agreement.h"

/* Load the agreement into *a and find the route; 0, or -1 on failure (with
 * *a freed and NULL). */
static inline int idlib_load(truce_agreement **a, const truce_patrol_route **route)
{
    truce_diags d;
    truce_diags_init(&d);
    truce_status st =
        truce_agreement_load(TRUCE_SOURCE_DIR "/data/idlib-2020/agreement.geojson", a, &d);
    truce_diags_release(&d);
    if (st != TRUCE_OK)
        return -1;
    *route = truce_agreement_route(*a, "m4-patrol");
    if (*route)
        return 0;
    truce_agreement_free(*a);
    *a = NULL;
    return -1;
}

#endif
