/* A polyline measured along its geodesics (truce/polyline.h). */
#include <geodesic.h>
#include <math.h>

#include "truce/polyline.h"

static void put(double *out, size_t *k, double lon, double lat)
{
    out[2 * *k] = lon;
    out[2 * *k + 1] = lat;
    (*k)++;
}

truce_status truce_polyline_slice(const double *lonlat, size_t n, double from_m, double to_m,
                                  double *out, size_t *count)
{
    if (!lonlat || !out || !count || n < 2 || isnan(from_m) || isnan(to_m) || from_m > to_m)
        return TRUCE_E_ARG;
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    if (from_m < 0)
        from_m = 0;
    if (to_m < from_m)
        to_m = from_m;
    size_t k = 0;
    double cum = 0;
    struct geod_geodesicline line;
    for (size_t i = 0; i + 1 < n; i++) {
        geod_inverseline(&line, &g, lonlat[2 * i + 1], lonlat[2 * i], lonlat[2 * i + 3],
                         lonlat[2 * i + 2], 0);
        double end = cum + line.s13;
        int last = i + 2 == n;
        double lat, lon;
        if (k == 0 && (from_m <= end || last)) {
            geod_position(&line, fmin(from_m, end) - cum, &lat, &lon, NULL);
            put(out, &k, lon, lat);
        }
        if (k > 0 && (to_m <= end || last)) {
            geod_position(&line, fmin(to_m, end) - cum, &lat, &lon, NULL);
            put(out, &k, lon, lat);
            break;
        }
        /* the vertex ending this segment lies strictly inside (from_m, to_m) */
        if (k > 0 && end > from_m)
            put(out, &k, lonlat[2 * i + 2], lonlat[2 * i + 3]);
        cum = end;
    }
    *count = k;
    return TRUCE_OK;
}
