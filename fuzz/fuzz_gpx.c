/* Fuzz target: the GPX reader (expat callbacks, caps, points, times), then
 * the measures and the writer on whatever it accepted. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "truce/track.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    truce_gpx_options opt;
    truce_gpx_options_init(&opt);
    opt.max_points = 100000; /* keep each run fast; the caps themselves are tested */
    truce_diags diags;
    truce_diags_init(&diags);
    truce_gpx *g = NULL;
    if (truce_gpx_parse((const char *)data, size, "fuzz", &opt, &g, &diags) == TRUCE_OK) {
        for (size_t i = 0; i < g->ntracks; i++) {
            truce_track_summary s;
            truce_stops stops;
            truce_track_summarize(&g->tracks[i], &s);
            if (truce_track_stops(&g->tracks[i], 1.0, 60, &stops) == TRUCE_OK)
                truce_stops_release(&stops);
        }
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            truce_gpx_write(null, g);
            fclose(null);
        }
        truce_gpx_free(g);
    }
    truce_diags_release(&diags);
    return 0;
}
