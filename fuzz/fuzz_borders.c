/* Fuzz target: the borders reader (a GeoJSON FeatureCollection of
 * polygons); borders that parse are also drawn on a map of a small
 * agreement, which projects every vertex. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "truce/borders.h"
#include "truce/map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char agreement[] =
    "{\"type\":\"FeatureCollection\",\"agreement\":{\"parties\":[\"A\",\"B\"],"
    "\"timezone\":\"UTC\",\"ceasefire\":\"2020-03-06T00:00\"},\"features\":["
    "{\"type\":\"Feature\",\"id\":\"z\",\"properties\":{\"role\":\"zone\"},\"geometry\":"
    "{\"type\":\"Polygon\",\"coordinates\":[[[36,35],[37,35],[37,36],[36,35]]]}}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    truce_diags diags;
    truce_diags_init(&diags);
    truce_borders *b = NULL;
    if (truce_borders_parse((const char *)data, size, "fuzz", &b, &diags) == TRUCE_OK) {
        if (!b)
            abort();
        for (size_t i = 0; i < b->ncountries; i++)
            for (size_t p = 0; p < b->countries[i].npolygons; p++)
                if (b->countries[i].polygons[p].nrings == 0)
                    abort();
        /* Drawing is the borders' only use: keep it to small inputs, whose
         * vertices PROJ projects in microseconds. */
        truce_agreement *a = NULL;
        truce_diags ad;
        truce_diags_init(&ad);
        if (size < 4096 &&
            truce_agreement_parse(agreement, sizeof agreement - 1, "a", &a, &ad) == TRUCE_OK) {
            truce_map_data d = {.agreement = a, .borders = b};
            truce_map_options o;
            truce_map_options_init(&o);
            char *svg = NULL;
            size_t len = 0;
            if (truce_map_render(&d, &o, &svg, &len, NULL) == TRUCE_OK && strlen(svg) != len)
                abort();
            free(svg);
        }
        truce_agreement_free(a);
        truce_diags_release(&ad);
    } else if (b) {
        abort();
    }
    truce_borders_free(b);
    truce_diags_release(&diags);
    return 0;
}
