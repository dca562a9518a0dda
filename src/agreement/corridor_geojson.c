/* The corridors of an agreement as GeoJSON: see corridor_geojson.h. */
#include "truce/corridor_geojson.h"

#include "agreement/agreement_internal.h"
#include "truce/corridor.h"

truce_status truce_corridors_write_geojson(FILE *out, const truce_agreement *agreement,
                                           double tolerance_m, size_t *failed)
{
    if (!out || !agreement || !(tolerance_m > 0))
        return TRUCE_E_ARG;
    truce_status st = TRUCE_OK;
    fputs("{\"type\":\"FeatureCollection\",\"features\":[", out);
    for (size_t i = 0; i < agreement->ncorridors && !st; i++) {
        const truce_corridor_def *def = &agreement->corridors[i];
        truce_corridor *c = NULL;
        truce_area area = {0};
        st = truce_corridor_from_def(def, -1, -1, &c);
        if (!st)
            st = truce_corridor_area(c, tolerance_m, &area);
        truce_corridor_free(c);
        if (st) {
            if (failed)
                *failed = i;
            break;
        }
        fputs(i ? ",\n" : "\n", out);
        trc_corridor_feature_write(out, def, &area);
        truce_area_release(&area);
    }
    fputs("\n]}\n", out);
    if (!st && ferror(out))
        st = TRUCE_E_IO;
    return st;
}
