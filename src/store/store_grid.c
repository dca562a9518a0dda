/* Events counted on a grid (store.h), for a map that draws a million
 * events as a few hundred cells: the public call over the backend's
 * operation. */
#include <math.h>

#include "store/store_impl.h"

truce_status truce_store_events_grid(truce_store *s, const truce_store_filter *filter,
                                     const truce_store_grid *grid, truce_store_cell_fn fn,
                                     void *ctx)
{
    if (!s || !grid || !fn)
        return TRUCE_E_ARG;
    if (!(grid->cell_deg > 0) || !isfinite(grid->cell_deg) || !isfinite(grid->min_lon) ||
        !isfinite(grid->min_lat) || !grid->cols || !grid->rows ||
        (uint64_t)grid->cols * grid->rows > TRUCE_STORE_GRID_CELLS_MAX)
        return TRUCE_E_ARG;
    truce_store_filter all = {0};
    return s->ops->events_grid(s, filter ? filter : &all, grid, fn, ctx);
}
