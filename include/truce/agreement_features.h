/* truce — an agreement's zones, corridors and patrol routes as GeoJSON
 * Features (RFC 7946), one at a time, so that a client can page through
 * them and pick them by place and time (the collections of truce serve's
 * OGC API Features, docs/server.md).
 *
 * A layer's items are the agreement's, in its order (agreement.h); item i
 * is written as one Feature whose id is the item's id:
 * - zones: its polygons (a Polygon, or a MultiPolygon for several), with
 *   properties zone, name, from, until (as written; null when open) and
 *   area_m2;
 * - corridors: its area within `tolerance_m` of the true boundary, the
 *   Feature truce_corridors_write_geojson writes for it (corridor_geojson.h);
 * - patrol routes: its LineString, with properties route, name, start, end,
 *   corridor, from, until and length_m.
 * Coordinates have 9 decimals.  Strings go through the library's one JSON
 * escaper.  An item's place is its geometry's bounding box (a corridor's:
 * its area's), its time its validity [from, until).
 */
#ifndef TRUCE_AGREEMENT_FEATURES_H
#define TRUCE_AGREEMENT_FEATURES_H

#include <stddef.h>
#include <stdio.h>

#include "truce/agreement.h"
#include "truce/feature_query.h"
#include "truce/status.h"

typedef enum truce_agreement_layer {
    TRUCE_LAYER_ZONES = 0,
    TRUCE_LAYER_CORRIDORS = 1,
    TRUCE_LAYER_PATROL_ROUTES = 2
} truce_agreement_layer;

/* How many items the layer has (0 for a layer out of range). */
size_t truce_agreement_layer_size(const truce_agreement *a, truce_agreement_layer layer);

/* The id of item i (NULL when out of range); owned by the agreement. */
const char *truce_agreement_layer_id(const truce_agreement *a, truce_agreement_layer layer,
                                     size_t i);

/* When item i meets `q` (NULL: always; feature_query.h), write it to `out`
 * as one Feature (no newline) and set *written to 1; else write nothing and
 * set it to 0.  `extent` (may be NULL) receives the item's place and time
 * either way (a corridor's place only when its area was built: when it
 * was written, or when there is no `q`).  TRUCE_E_ARG (NULL a, out or written; i out of range; a
 * tolerance not positive), TRUCE_E_UNSUPPORTED for a corridor whose area
 * cannot be built (truce_corridor_area), TRUCE_E_NOMEM, TRUCE_E_IO when
 * `out` has its error indicator set afterwards. */
truce_status truce_agreement_feature_write(FILE *out, const truce_agreement *a,
                                           truce_agreement_layer layer, size_t i,
                                           const truce_feature_query *q, double tolerance_m,
                                           int *written, truce_feature_extent *extent);

#endif
