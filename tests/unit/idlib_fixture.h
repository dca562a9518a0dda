/* The bundled Idlib 2020 agreement, its m4-patrol route and a checker for
 * it, for the unit tests (a header of the tests, not of the library). */
#ifndef TRUCE_TEST_IDLIB_FIXTURE_H
#define TRUCE_TEST_IDLIB_FIXTURE_H

#include "truce/agreement.h"
#include "truce/patrol.h"

/* The agreement, loaded; NULL on failure. */
static inline truce_agreement *idlib_agreement(void)
{
    truce_diags d;
    truce_diags_init(&d);
    truce_agreement *a = NULL;
    truce_status st =
        truce_agreement_load(TRUCE_SOURCE_DIR "/data/idlib-2020/agreement.geojson", &a, &d);
    truce_diags_release(&d);
    return st == TRUCE_OK ? a : NULL;
}

/* Load the agreement into *a and find the route; 0, or -1 on failure (with
 * *a freed and NULL). */
static inline int idlib_load(truce_agreement **a, const truce_patrol_route **route)
{
    if (!(*a = idlib_agreement()))
        return -1;
    *route = truce_agreement_route(*a, "m4-patrol");
    if (*route)
        return 0;
    truce_agreement_free(*a);
    *a = NULL;
    return -1;
}

/* idlib_load and a patrol checker for the route with default options; 0,
 * or -1 on failure.  idlib_checker_free releases both. */
static inline int idlib_checker_new(truce_agreement **a, const truce_patrol_route **route,
                                    truce_patrol_checker **checker)
{
    if (idlib_load(a, route) != 0)
        return -1;
    return truce_patrol_checker_new(*a, *route, NULL, checker) == TRUCE_OK ? 0 : -1;
}

static inline void idlib_checker_free(truce_agreement *a, truce_patrol_checker *checker)
{
    truce_patrol_checker_free(checker);
    truce_agreement_free(a);
}

#endif
