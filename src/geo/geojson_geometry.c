/* The GeoJSON geometry reader: see geojson_geometry.h. */
#include "geo/geojson_geometry.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/util.h"

static void report(truce_geojson_ctx *g, truce_diag_level level, const char *item, const char *key,
                   const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 0)))
#endif
    ;
static void report(truce_geojson_ctx *g, truce_diag_level level, const char *item, const char *key,
                   const char *fmt, va_list ap)
{
    char *msg = truce_vasprintf(fmt, ap);
    if (!msg || truce_diags_add(g->diags, level, g->file, 0, item, key, "%s", msg) != TRUCE_OK)
        g->nomem = 1;
    trc_free(msg);
}

void truce_geojson_error(truce_geojson_ctx *g, const char *item, const char *key, const char *fmt,
                         ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(g, TRUCE_DIAG_ERROR, item, key, fmt, ap);
    va_end(ap);
}

void truce_geojson_warning(truce_geojson_ctx *g, const char *item, const char *key, const char *fmt,
                           ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(g, TRUCE_DIAG_WARNING, item, key, fmt, ap);
    va_end(ap);
}

void truce_json_describe(const json_t *v, char *buf, size_t size)
{
    if (!v) {
        snprintf(buf, size, "nothing");
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (strlen(s) > 40)
            snprintf(buf, size, "\"%.37s...\"", s);
        else
            snprintf(buf, size, "\"%s\"", s);
    } else if (json_is_number(v)) {
        snprintf(buf, size, "%.10g", json_number_value(v));
    } else if (json_is_boolean(v)) {
        snprintf(buf, size, "%s", json_is_true(v) ? "true" : "false");
    } else if (json_is_null(v)) {
        snprintf(buf, size, "null");
    } else if (json_is_array(v)) {
        snprintf(buf, size, "an array of %zu", json_array_size(v));
    } else {
        snprintf(buf, size, "an object");
    }
}

void truce_line_release(truce_line *line)
{
    trc_free(line->lonlat);
    line->lonlat = NULL;
    line->n = 0;
}

void truce_polygon_release(truce_polygon *poly)
{
    for (size_t i = 0; i < poly->nrings; i++)
        truce_line_release(&poly->rings[i]);
    trc_free(poly->rings);
    poly->rings = NULL;
    poly->nrings = 0;
}

const json_t *truce_geojson_coordinates(truce_geojson_ctx *g, const char *item,
                                        const json_t *geometry, const char *single,
                                        const char *multi, int *is_multi)
{
    const json_t *type = json_object_get(geometry, "type");
    const char *t = json_string_value(type);
    char found[80];
    if (!json_is_object(geometry) || !t) {
        truce_json_describe(geometry, found, sizeof found);
        truce_geojson_error(g, item, "geometry", "found %s, expected a %s%s%s geometry", found,
                            single, multi ? " or " : "", multi ? multi : "");
        return NULL;
    }
    if (!strcmp(t, single)) {
        *is_multi = 0;
    } else if (multi && !strcmp(t, multi)) {
        *is_multi = 1;
    } else {
        truce_geojson_error(g, item, "geometry.type", "found \"%s\", expected \"%s\"%s%s%s", t,
                            single, multi ? " or \"" : "", multi ? multi : "", multi ? "\"" : "");
        return NULL;
    }
    const json_t *coords = json_object_get(geometry, "coordinates");
    if (!json_is_array(coords)) {
        truce_json_describe(coords, found, sizeof found);
        truce_geojson_error(g, item, "geometry.coordinates", "found %s, expected an array", found);
        return NULL;
    }
    return coords;
}

int truce_geojson_position(truce_geojson_ctx *g, const char *item, const char *key,
                           const json_t *pos, size_t index, double out[2])
{
    char found[80];
    if (!json_is_array(pos) || json_array_size(pos) < 2 ||
        !json_is_number(json_array_get(pos, 0)) || !json_is_number(json_array_get(pos, 1))) {
        truce_json_describe(pos, found, sizeof found);
        truce_geojson_error(g, item, key, "position %zu: found %s, expected [longitude, latitude]",
                            index, found);
        return -1;
    }
    double lon = json_number_value(json_array_get(pos, 0));
    double lat = json_number_value(json_array_get(pos, 1));
    int ok = 0;
    if (!(lon >= -180.0 && lon <= 180.0)) {
        truce_geojson_error(g, item, key,
                            "position %zu: longitude %.10g out of range, expected [-180, 180]",
                            index, lon);
        ok = -1;
    }
    if (!(lat >= -90.0 && lat <= 90.0)) {
        truce_geojson_error(g, item, key,
                            "position %zu: latitude %.10g out of range, expected [-90, 90]", index,
                            lat);
        ok = -1;
    }
    out[0] = lon;
    out[1] = lat;
    return ok;
}

int truce_geojson_line(truce_geojson_ctx *g, const char *item, const char *key,
                       const json_t *coords, truce_line *out)
{
    char found[80];
    memset(out, 0, sizeof *out);
    if (!json_is_array(coords)) {
        truce_json_describe(coords, found, sizeof found);
        truce_geojson_error(g, item, key, "found %s, expected an array of positions", found);
        return -1;
    }
    size_t n = json_array_size(coords);
    out->lonlat = trc_malloc((n ? n : 1) * 2 * sizeof(double));
    if (!out->lonlat) {
        g->nomem = 1;
        return -1;
    }
    out->n = n;
    int ok = 0;
    for (size_t i = 0; i < n; i++)
        if (truce_geojson_position(g, item, key, json_array_get(coords, i), i,
                                   &out->lonlat[2 * i]) != 0)
            ok = -1;
    return ok;
}

int truce_geojson_polygon(truce_geojson_ctx *g, const char *item, const char *key,
                          const json_t *rings, truce_polygon *out)
{
    char found[80];
    memset(out, 0, sizeof *out);
    if (!json_is_array(rings) || json_array_size(rings) == 0) {
        truce_json_describe(rings, found, sizeof found);
        truce_geojson_error(g, item, key, "found %s, expected an array of linear rings", found);
        return -1;
    }
    size_t n = json_array_size(rings);
    out->rings = trc_calloc(n, sizeof *out->rings);
    if (!out->rings) {
        g->nomem = 1;
        return -1;
    }
    out->nrings = n;
    int ok = 0;
    for (size_t r = 0; r < n; r++) {
        char rkey[96];
        snprintf(rkey, sizeof rkey, "%s ring %zu", key, r);
        truce_line *ring = &out->rings[r];
        if (truce_geojson_line(g, item, rkey, json_array_get(rings, r), ring) != 0) {
            ok = -1;
            continue;
        }
        if (ring->n < 4) {
            truce_geojson_error(
                g, item, rkey, "found %zu positions, expected at least 4 (a closed ring)", ring->n);
            ok = -1;
            continue;
        }
        const double *first = ring->lonlat, *last = &ring->lonlat[2 * (ring->n - 1)];
        if (first[0] != last[0] || first[1] != last[1]) {
            truce_geojson_error(
                g, item, rkey,
                "ring is not closed: first position [%.10g, %.10g], last [%.10g, %.10g]; "
                "expected the last position to repeat the first",
                first[0], first[1], last[0], last[1]);
            ok = -1;
        }
    }
    return ok;
}
