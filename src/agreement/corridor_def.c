/* A corridor engine for an agreement's corridor: see truce_corridor_from_def. */
#include <stdlib.h>

#include "truce/agreement.h"
#include "truce/corridor.h"

#include "base/alloc.h"

truce_status truce_corridor_from_def(const truce_corridor_def *def, double left_m, double right_m,
                                     truce_corridor **out)
{
    if (!def || !out)
        return TRUCE_E_ARG;
    truce_road_part *parts = trc_calloc(def->nroads ? def->nroads : 1, sizeof *parts);
    if (!parts)
        return TRUCE_E_NOMEM;
    for (size_t i = 0; i < def->nroads; i++)
        parts[i] = (truce_road_part){def->roads[i].lonlat, def->roads[i].n};
    truce_status st = truce_corridor_new(parts, def->nroads, left_m >= 0 ? left_m : def->left_m,
                                         right_m >= 0 ? right_m : def->right_m, out);
    trc_free(parts);
    return st;
}
