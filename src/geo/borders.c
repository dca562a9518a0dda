/* Country borders for maps: a GeoJSON FeatureCollection of polygons
 * (borders.h).  Positions and rings are read by the one GeoJSON geometry
 * reader (geojson_geometry.c), so borders and agreements are checked alike. */
#include "truce/borders.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "geo/geojson_geometry.h"
#include "base/util.h"

/* The feature's name: properties.name, NAME or ADMIN, else its id. */
static const char *country_name(const json_t *f)
{
    static const char *const keys[] = {"name", "NAME", "ADMIN", NULL};
    const json_t *props = json_object_get(f, "properties");
    for (size_t i = 0; keys[i] && json_is_object(props); i++) {
        const char *s = json_string_value(json_object_get(props, keys[i]));
        if (s)
            return s;
    }
    return json_string_value(json_object_get(f, "id"));
}

/* Read the polygons of one feature into *out; features that are not
 * polygons are skipped with a warning. */
static void read_country(truce_geojson_ctx *c, const json_t *f, size_t index, truce_country *out)
{
    char item[64], found[80];
    snprintf(item, sizeof item, "features[%zu]", index);
    const json_t *g = json_object_get(f, "geometry");
    const char *type = json_string_value(json_object_get(g, "type"));
    int multi = type && !strcmp(type, "MultiPolygon");
    if (!type || (!multi && strcmp(type, "Polygon"))) {
        truce_json_describe(type ? json_object_get(g, "type") : g, found, sizeof found);
        truce_geojson_warning(c, item, "geometry",
                              "found %s, expected a Polygon or MultiPolygon; skipped", found);
        return;
    }
    const json_t *coords = json_object_get(g, "coordinates");
    if (multi && !json_is_array(coords)) {
        truce_json_describe(coords, found, sizeof found);
        truce_geojson_error(c, item, "geometry.coordinates",
                            "found %s, expected an array of polygons", found);
        return;
    }
    size_t n = multi ? json_array_size(coords) : 1;
    out->polygons = trc_calloc(n ? n : 1, sizeof *out->polygons);
    if (!out->polygons) {
        c->nomem = 1;
        return;
    }
    out->npolygons = n;
    for (size_t i = 0; i < n; i++)
        truce_geojson_polygon(c, item, "geometry.coordinates",
                              multi ? json_array_get(coords, i) : coords, &out->polygons[i]);
    const char *name = country_name(f);
    if (name && !(out->name = truce_strdup(name)))
        c->nomem = 1;
}

truce_status truce_borders_parse(const char *data, size_t len, const char *name,
                                 truce_borders **out, truce_diags *diags)
{
    if (!data || !out || !diags)
        return TRUCE_E_ARG;
    *out = NULL;
    json_error_t jerr;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (truce_diags_add(diags, TRUCE_DIAG_ERROR, name, jerr.line, NULL, NULL, "not JSON: %s",
                            jerr.text) != TRUCE_OK)
            return TRUCE_E_NOMEM;
        return TRUCE_E_PARSE;
    }
    truce_geojson_ctx c = {.file = name, .diags = diags};
    size_t errors = diags->errors;
    truce_borders *b = trc_calloc(1, sizeof *b);
    const json_t *features = json_object_get(root, "features");
    const char *type = json_string_value(json_object_get(root, "type"));
    if (!b || (name && !(b->path = truce_strdup(name)))) {
        c.nomem = 1;
    } else if (!type || strcmp(type, "FeatureCollection") || !json_is_array(features)) {
        int bad_type = !type || strcmp(type, "FeatureCollection");
        char found[80];
        truce_json_describe(bad_type ? json_object_get(root, "type") : features, found,
                            sizeof found);
        truce_geojson_error(&c, NULL, bad_type ? "type" : "features", "found %s, expected %s",
                            found, bad_type ? "\"FeatureCollection\"" : "an array of features");
    } else {
        size_t n = json_array_size(features);
        b->countries = trc_calloc(n ? n : 1, sizeof *b->countries);
        if (!b->countries)
            c.nomem = 1;
        for (size_t i = 0; b->countries && i < n && !c.nomem; i++) {
            truce_country *k = &b->countries[b->ncountries];
            read_country(&c, json_array_get(features, i), i, k);
            if (k->npolygons) {
                b->ncountries++;
            } else { /* skipped: nothing to keep */
                trc_free(k->polygons);
                trc_free(k->name);
                memset(k, 0, sizeof *k);
            }
        }
    }
    json_decref(root);
    if (c.nomem || diags->errors > errors) {
        truce_borders_free(b);
        return c.nomem ? TRUCE_E_NOMEM : TRUCE_E_INVALID;
    }
    *out = b;
    return TRUCE_OK;
}

truce_status truce_borders_load(const char *path, truce_borders **out, truce_diags *diags)
{
    if (!path || !out || !diags)
        return TRUCE_E_ARG;
    *out = NULL;
    size_t len = 0;
    char *data;
    truce_status st = truce_load_input(path, TRUCE_BORDERS_MAX_BYTES, diags, &data, &len);
    if (st)
        return st;
    st = truce_borders_parse(data, len, path, out, diags);
    trc_free(data);
    return st;
}

void truce_borders_free(truce_borders *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->ncountries; i++) {
        truce_country *k = &b->countries[i];
        for (size_t p = 0; p < k->npolygons; p++)
            truce_polygon_release(&k->polygons[p]);
        trc_free(k->polygons);
        trc_free(k->name);
    }
    trc_free(b->countries);
    trc_free(b->path);
    trc_free(b);
}
