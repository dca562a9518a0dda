/* truce — writing measured points: what `truce measure` prints, one CSV row
 * per `lon,lat` line measured against a corridor (docs/cli.md): the lon and
 * lat as written, distance_m and chainage_m with 6 decimals, the side (L or
 * R of the direction the road is drawn in) and, when asked, inside (1 or 0).
 */
#ifndef TRUCE_MEASURE_WRITE_H
#define TRUCE_MEASURE_WRITE_H

#include <stddef.h>
#include <stdio.h>

#include "truce/corridor.h"
#include "truce/status.h"

/* Write the header row: lon,lat,distance_m,chainage_m,side[,inside]. */
void truce_measure_write_header(FILE *out, int with_inside);

/* Parse `line` (NUL-terminated, its newline included or not) as
 * truce_lonlat_parse does, measure the point against `corridor` and write
 * its row, with the inside column when `with_inside` (and then 1 or 0 into
 * *inside, when not NULL: what truce_corridor_decide answers).  Returns
 * truce_lonlat_parse's TRUCE_E_PARSE or TRUCE_E_RANGE without writing,
 * TRUCE_E_ARG for a NULL argument. */
truce_status truce_measure_write_row(FILE *out, const truce_corridor *corridor, const char *line,
                                     int with_inside, int *inside);

#endif
