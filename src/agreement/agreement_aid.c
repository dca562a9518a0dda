/* The agreement's humanitarian provisions (docs/aid.md): places or areas in
 * need ("need"), border crossings ("crossing") and aid routes
 * ("aid_route"), read like the other features: every problem reported with
 * the feature and the key, the load going on past it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "agreement/agreement_internal.h"
#include "base/alloc.h"
#include "base/util.h"

/* The largest radius or buffer accepted: a province, not a country. */
#define AID_MAX_RADIUS_M 200000.0

/* An optional number in [lo, hi]: 1 when absent (*out untouched), 0 when
 * read, -1 after reporting a bad one. */
static int opt_number(load_ctx *c, const char *item, const json_t *props, const char *key,
                      double lo, double hi, const char *expected, double *out)
{
    const json_t *v = json_object_get(props, key);
    if (!v || json_is_null(v))
        return 1;
    double x = json_is_number(v) ? json_number_value(v) : (double)NAN;
    if (!(x >= lo && x <= hi)) {
        char found[80];
        truce_json_describe(v, found, sizeof found);
        truce_geojson_error(&c->geo, item, key, "found %s, expected %s", found, expected);
        return -1;
    }
    *out = x;
    return 0;
}

/* An optional whole number in [lo, hi], as opt_number. */
static int opt_integer(load_ctx *c, const char *item, const json_t *props, const char *key,
                       double lo, double hi, const char *expected, double *out)
{
    const json_t *v = json_object_get(props, key);
    if (v && !json_is_null(v) && !json_is_integer(v)) {
        char found[80];
        truce_json_describe(v, found, sizeof found);
        truce_geojson_error(&c->geo, item, key, "found %s, expected %s", found, expected);
        return -1;
    }
    return opt_number(c, item, props, key, lo, hi, expected, out);
}

void trc_agr_read_need(load_ctx *c, const char *item, const char *id, const json_t *f,
                       const json_t *props, size_t index)
{
    truce_agreement *a = c->a;
    truce_need *n = trc_agr_grow(c, (void **)&a->needs, &a->nneeds, sizeof *n);
    if (!n)
        return;
    n->feature_index = index;
    n->people_in_need = -1;
    if (!(n->id = truce_strdup(id)))
        c->geo.nomem = 1;
    trc_agr_opt_string(c, item, props, "name", &n->name);
    trc_agr_opt_string(c, item, props, "admin_code", &n->admin_code);
    double v;
    if (opt_integer(c, item, props, "people_in_need", 0, 1e10, "a whole number of people >= 0",
                    &v) == 0)
        n->people_in_need = (int64_t)v;
    if (opt_integer(c, item, props, "reach_every_days", 1, 3660,
                    "a whole number of days in [1, 3660]", &v) == 0)
        n->reach_every_days = (int)v;
    const json_t *geom = json_object_get(f, "geometry");
    const char *type = json_string_value(json_object_get(geom, "type"));
    if (type && !strcmp(type, "Point")) {
        n->is_point = 1;
        int multi;
        const json_t *coords =
            truce_geojson_coordinates(&c->geo, item, geom, "Point", NULL, &multi);
        double p[2];
        if (coords && truce_geojson_position(&c->geo, item, "geometry", coords, 0, p) == 0) {
            n->lon = p[0];
            n->lat = p[1];
        }
        if (opt_number(c, item, props, "radius_m", 1, AID_MAX_RADIUS_M,
                       "a radius in metres in [1, 200000]", &n->radius_m) == 1)
            truce_geojson_error(&c->geo, item, "radius_m",
                                "missing; a place in need given as a Point needs the radius "
                                "of its area in metres");
        return;
    }
    if (trc_agr_read_polygons(c, item, f, &n->polygons, &n->npolygons) == 0) {
        truce_zone view = {.polygons = n->polygons, .npolygons = n->npolygons};
        trc_agr_check_zone(c, item, &view);
    }
}

void trc_agr_read_crossing(load_ctx *c, const char *item, const char *id, const json_t *f,
                           const json_t *props, size_t index)
{
    truce_agreement *a = c->a;
    truce_crossing *x = trc_agr_grow(c, (void **)&a->crossings, &a->ncrossings, sizeof *x);
    if (!x)
        return;
    x->feature_index = index;
    if (!(x->id = truce_strdup(id)))
        c->geo.nomem = 1;
    trc_agr_opt_string(c, item, props, "name", &x->name);
    int multi;
    const json_t *coords = truce_geojson_coordinates(&c->geo, item, json_object_get(f, "geometry"),
                                                     "Point", NULL, &multi);
    double p[2];
    if (coords && truce_geojson_position(&c->geo, item, "geometry", coords, 0, p) == 0) {
        x->lon = p[0];
        x->lat = p[1];
    }
}

void trc_agr_read_aid_route(load_ctx *c, const char *item, const char *id, const json_t *f,
                            const json_t *props, size_t index)
{
    truce_agreement *a = c->a;
    truce_aid_route *r = trc_agr_grow(c, (void **)&a->aid_routes, &a->naid_routes, sizeof *r);
    if (!r)
        return;
    r->feature_index = index;
    r->buffer_m = 2000;
    if (!(r->id = truce_strdup(id)))
        c->geo.nomem = 1;
    trc_agr_opt_string(c, item, props, "name", &r->name);
    opt_number(c, item, props, "buffer_m", 0, AID_MAX_RADIUS_M,
               "a distance in metres in [0, 200000]", &r->buffer_m);
    trc_agr_read_route_line(c, item, f, &r->route, &r->length_m);
}

void trc_agr_aid_release(truce_agreement *a)
{
    for (size_t i = 0; i < a->nneeds; i++) {
        truce_need *n = &a->needs[i];
        trc_free(n->id);
        trc_free(n->name);
        trc_free(n->admin_code);
        for (size_t k = 0; k < n->npolygons; k++)
            truce_polygon_release(&n->polygons[k]);
        trc_free(n->polygons);
    }
    trc_free(a->needs);
    for (size_t i = 0; i < a->ncrossings; i++) {
        trc_free(a->crossings[i].id);
        trc_free(a->crossings[i].name);
    }
    trc_free(a->crossings);
    for (size_t i = 0; i < a->naid_routes; i++) {
        trc_free(a->aid_routes[i].id);
        trc_free(a->aid_routes[i].name);
        truce_line_release(&a->aid_routes[i].route);
    }
    trc_free(a->aid_routes);
}

const truce_need *truce_agreement_need(const truce_agreement *a, const char *id)
{
    for (size_t i = 0; i < a->nneeds; i++)
        if (!strcmp(a->needs[i].id, id))
            return &a->needs[i];
    return NULL;
}
