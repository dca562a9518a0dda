/* Fuzz target: the road reader (GeoJSON LineString / MultiLineString) and,
 * line by line, the "lon,lat" point parser of `truce measure`; a road that
 * parses is also built into a corridor and measured. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "truce/road.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    truce_diags diags;
    truce_diags_init(&diags);
    truce_road road;
    if (truce_road_parse((const char *)data, size, "fuzz", &road, &diags) == TRUCE_OK) {
        /* Build a corridor only for roads within a degree or so of their
         * first vertex: the target is the reader; the corridor's own tests
         * cover long roads, which take long to index. */
        int small = 1;
        for (size_t p = 0; p < road.nparts; p++)
            for (size_t i = 0; i < road.parts[p].n; i++)
                if (fabs(road.parts[p].lonlat[2 * i] - road.parts[0].lonlat[0]) > 1 ||
                    fabs(road.parts[p].lonlat[2 * i + 1] - road.parts[0].lonlat[1]) > 1)
                    small = 0;
        truce_corridor *c = NULL;
        if (small && truce_corridor_new(road.parts, road.nparts, 100, 50, &c) == TRUCE_OK) {
            truce_measure m;
            int inside;
            truce_corridor_measure(c, road.parts[0].lonlat[0] + 0.001, road.parts[0].lonlat[1], &m);
            truce_corridor_decide(c, 0, 0, &inside);
            truce_corridor_free(c);
        }
        truce_road_release(&road);
    }
    truce_diags_release(&diags);
    /* Every line as a point line. */
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    for (char *line = copy, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        double lon, lat;
        truce_lonlat_parse(line, &lon, &lat);
    }
    free(copy);
    return 0;
}
