/* Roads from GeoJSON and points from "lon,lat" lines: see truce/road.h. */
#include "truce/road.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/digits.h"
#include "geo/geojson_geometry.h"
#include "base/util.h"

void truce_road_release(truce_road *road)
{
    if (!road)
        return;
    trc_free(road->parts);
    trc_free(road->coords);
    trc_free(road->name);
    memset(road, 0, sizeof *road);
}

/* Read one part of the road at `key` into *line; 0, or -1 after adding
 * diagnostics (or setting g->nomem). */
static int read_part(truce_geojson_ctx *g, const char *key, const json_t *coords, truce_line *line)
{
    if (truce_geojson_line(g, NULL, key, coords, line) != 0)
        return -1;
    if (line->n < 2) {
        truce_geojson_error(g, NULL, key, "found %zu position(s), expected at least 2", line->n);
        return -1;
    }
    return 0;
}

/* The geometry of the road: returns it, or NULL after adding a diagnostic. */
static const json_t *find_geometry(const json_t *root, const char *file, char **name,
                                   truce_diags *diags)
{
    const char *type = json_string_value(json_object_get(root, "type"));
    if (!type) {
        truce_diags_add(diags, TRUCE_DIAG_ERROR, file, 0, NULL, "type",
                        "expected a GeoJSON object with a \"type\"");
        return NULL;
    }
    const json_t *feature = NULL;
    if (!strcmp(type, "FeatureCollection")) {
        const json_t *features = json_object_get(root, "features");
        if (!json_is_array(features) || json_array_size(features) != 1) {
            truce_diags_add(diags, TRUCE_DIAG_ERROR, file, 0, NULL, "features",
                            "expected exactly one feature (the road); found %zu",
                            json_is_array(features) ? json_array_size(features) : 0);
            return NULL;
        }
        feature = json_array_get(features, 0);
        const char *ft = json_string_value(json_object_get(feature, "type"));
        if (!ft || strcmp(ft, "Feature")) {
            truce_diags_add(diags, TRUCE_DIAG_ERROR, file, 0, "features[0]", "type",
                            "expected \"Feature\"");
            return NULL;
        }
    } else if (!strcmp(type, "Feature")) {
        feature = root;
    }
    if (!feature)
        return root;
    const char *nm =
        json_string_value(json_object_get(json_object_get(feature, "properties"), "name"));
    if (nm)
        *name = truce_strdup(nm);
    const json_t *geom = json_object_get(feature, "geometry");
    if (!json_is_object(geom)) {
        truce_diags_add(diags, TRUCE_DIAG_ERROR, file, 0, NULL, "geometry",
                        "expected a LineString or MultiLineString geometry");
        return NULL;
    }
    return geom;
}

truce_status truce_road_parse(const char *data, size_t len, const char *name, truce_road *out,
                              truce_diags *diags)
{
    if (!out || !diags || (!data && len))
        return TRUCE_E_ARG;
    memset(out, 0, sizeof *out);
    json_error_t err;
    json_t *root = json_loadb(data ? data : "", len, JSON_DECODE_INT_AS_REAL, &err);
    if (!root) {
        truce_diags_add(diags, TRUCE_DIAG_ERROR, name, err.line > 0 ? err.line : 0, NULL, NULL,
                        "not JSON: %s", err.text);
        return TRUCE_E_PARSE;
    }
    truce_status st = TRUCE_E_INVALID;
    const json_t *geom = json_is_object(root) ? find_geometry(root, name, &out->name, diags) : NULL;
    if (!json_is_object(root))
        truce_diags_add(diags, TRUCE_DIAG_ERROR, name, 0, NULL, NULL, "expected a GeoJSON object");
    truce_geojson_ctx g = {.file = name, .diags = diags};
    truce_line *lines = NULL;
    size_t nparts = 0, total = 0;
    int bad = 0, multi = 0;
    const json_t *coords =
        geom ? truce_geojson_coordinates(&g, NULL, geom, "LineString", "MultiLineString", &multi)
             : NULL;
    if (coords && multi && json_array_size(coords) == 0)
        truce_geojson_error(&g, NULL, "geometry.coordinates",
                            "found an empty MultiLineString, expected at least one line");
    else if (coords)
        nparts = multi ? json_array_size(coords) : 1;
    if (nparts && !(lines = trc_calloc(nparts, sizeof *lines)))
        g.nomem = 1;
    for (size_t i = 0; lines && i < nparts && !g.nomem; i++) {
        char key[64];
        if (multi)
            snprintf(key, sizeof key, "geometry.coordinates[%zu]", i);
        else
            snprintf(key, sizeof key, "geometry.coordinates");
        if (read_part(&g, key, multi ? json_array_get(coords, i) : coords, &lines[i]))
            bad = 1;
        total += lines[i].n;
    }
    if (lines && !bad && !g.nomem && total > TRUCE_ROAD_MAX_VERTICES) {
        truce_geojson_error(&g, NULL, "geometry.coordinates",
                            "has %zu vertices, more than the limit of %d", total,
                            TRUCE_ROAD_MAX_VERTICES);
        bad = 1;
    }
    if (lines && !bad && !g.nomem) {
        out->parts = trc_calloc(nparts, sizeof *out->parts);
        out->coords = trc_malloc(2 * total * sizeof *out->coords);
        if (!out->parts || !out->coords) {
            g.nomem = 1;
        } else {
            size_t k = 0;
            for (size_t p = 0; p < nparts; p++) {
                out->parts[p].lonlat = out->coords + 2 * k;
                out->parts[p].n = lines[p].n;
                memcpy(out->coords + 2 * k, lines[p].lonlat, 2 * lines[p].n * sizeof(double));
                k += lines[p].n;
            }
            out->nparts = nparts;
            st = TRUCE_OK;
        }
    }
    for (size_t i = 0; lines && i < nparts; i++)
        truce_line_release(&lines[i]);
    trc_free(lines);
    if (g.nomem)
        st = TRUCE_E_NOMEM;
    json_decref(root);
    if (st)
        truce_road_release(out);
    return st;
}

truce_status truce_road_load(const char *path, truce_road *out, truce_diags *diags)
{
    if (!path || !out || !diags)
        return TRUCE_E_ARG;
    memset(out, 0, sizeof *out);
    size_t len;
    char *data;
    truce_status st = truce_load_input(path, 0, diags, &data, &len);
    if (st)
        return st;
    st = truce_road_parse(data, len, path, out, diags);
    trc_free(data);
    return st;
}

/* One number: optional blanks, a decimal number (no nan/inf/hex), optional
 * blanks; *end is where it stopped. */
static int parse_number(const char *p, double *v, const char **end)
{
    while (*p == ' ' || *p == '\t')
        p++;
    const char *q = p;
    if (*q == '+' || *q == '-')
        q++;
    if (!(trc_is_digit(*q) || (*q == '.' && trc_is_digit(q[1]))))
        return -1;
    if (*q == '0' && (q[1] == 'x' || q[1] == 'X'))
        return -1;
    char *e;
    errno = 0;
    *v = strtod(p, &e);
    if (e == p || errno == ERANGE || !isfinite(*v))
        return -1;
    while (*e == ' ' || *e == '\t')
        e++;
    *end = e;
    return 0;
}

truce_status truce_lonlat_parse(const char *line, double *lon, double *lat)
{
    if (!line || !lon || !lat)
        return TRUCE_E_ARG;
    const char *p;
    double x, y;
    if (parse_number(line, &x, &p) || *p != ',' || parse_number(p + 1, &y, &p))
        return TRUCE_E_PARSE;
    if (*p == '\r')
        p++;
    if (*p == '\n')
        p++;
    if (*p != '\0')
        return TRUCE_E_PARSE;
    if (!(y >= -90 && y <= 90 && x >= -540 && x <= 540))
        return TRUCE_E_RANGE;
    *lon = x;
    *lat = y;
    return TRUCE_OK;
}
