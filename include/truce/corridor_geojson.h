/* truce — the corridors of an agreement as GeoJSON (what `truce corridor`
 * writes; docs/cli.md).
 *
 * One FeatureCollection with a Feature per corridor: its id, properties
 * corridor, name, left_m, right_m, from and until (as written; null when
 * open), and its area (truce_corridor_area) as a Polygon or MultiPolygon.
 * Strings go through the library's one JSON escaper.
 */
#ifndef TRUCE_CORRIDOR_GEOJSON_H
#define TRUCE_CORRIDOR_GEOJSON_H

#include <stddef.h>
#include <stdio.h>

#include "truce/agreement.h"
#include "truce/status.h"

/* Write the corridors of `agreement` to `out`, each area within
 * `tolerance_m` metres (> 0) of the true boundary, coordinates with 9
 * decimals.  When a corridor's area cannot be built (TRUCE_E_UNSUPPORTED
 * for one around a pole or wrapping the globe), returns its status with
 * its index in *failed (which may be NULL), after closing the collection
 * on the corridors before it.  TRUCE_E_ARG for a NULL argument or a
 * tolerance that is not positive, TRUCE_E_IO when `out` has its error
 * indicator set afterwards. */
truce_status truce_corridors_write_geojson(FILE *out, const truce_agreement *agreement,
                                           double tolerance_m, size_t *failed);

#endif
