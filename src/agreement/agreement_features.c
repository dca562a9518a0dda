/* An agreement's zones, corridors and patrol routes as GeoJSON Features:
 * see truce/agreement_features.h. */
#include "truce/agreement_features.h"

#include "agreement/agreement_internal.h"
#include "base/json_escape.h"
#include "truce/corridor.h"

size_t truce_agreement_layer_size(const truce_agreement *a, truce_agreement_layer layer)
{
    if (!a)
        return 0;
    switch (layer) {
    case TRUCE_LAYER_ZONES:
        return a->nzones;
    case TRUCE_LAYER_CORRIDORS:
        return a->ncorridors;
    case TRUCE_LAYER_PATROL_ROUTES:
        return a->nroutes;
    }
    return 0;
}

const char *truce_agreement_layer_id(const truce_agreement *a, truce_agreement_layer layer,
                                     size_t i)
{
    if (i >= truce_agreement_layer_size(a, layer))
        return NULL;
    return layer == TRUCE_LAYER_ZONES       ? a->zones[i].id
           : layer == TRUCE_LAYER_CORRIDORS ? a->corridors[i].id
                                            : a->routes[i].id;
}

/* `"key":` and the text as a JSON string (null for NULL), after a comma
 * unless it is the first member. */
static void member(FILE *out, const char *key, const char *text)
{
    fprintf(out, "%s\"%s\":", key[0] == '{' ? "" : ",", key[0] == '{' ? key + 1 : key);
    trc_json_escape_fputs(out, text);
}

/* The Feature's head up to its properties' first member. */
static void head(FILE *out, const char *id)
{
    fputs("{\"type\":\"Feature\",\"id\":", out);
    trc_json_escape_fputs(out, id);
    fputs(",\"properties\":{", out);
}

static void zone(FILE *out, const truce_zone *z)
{
    head(out, z->id);
    member(out, "{zone", z->id);
    member(out, "name", z->name);
    member(out, "from", z->valid.from_text);
    member(out, "until", z->valid.until_text);
    fprintf(out, ",\"area_m2\":%.17g},\"geometry\":", z->area_m2);
    truce_area area = {z->polygons, z->npolygons};
    truce_area_write_geojson(&area, 9, out);
    fputc('}', out);
}

void trc_corridor_feature_write(FILE *out, const truce_corridor_def *def, const truce_area *area)
{
    head(out, def->id);
    member(out, "{corridor", def->id);
    member(out, "name", def->name);
    fprintf(out, ",\"left_m\":%.17g,\"right_m\":%.17g", def->left_m, def->right_m);
    member(out, "from", def->valid.from_text);
    member(out, "until", def->valid.until_text);
    fputs("},\"geometry\":", out);
    truce_area_write_geojson(area, 9, out);
    fputc('}', out);
}

static void route(FILE *out, const truce_patrol_route *r)
{
    head(out, r->id);
    member(out, "{route", r->id);
    member(out, "name", r->name);
    member(out, "start", r->start_name);
    member(out, "end", r->end_name);
    member(out, "corridor", r->corridor);
    member(out, "from", r->valid.from_text);
    member(out, "until", r->valid.until_text);
    fprintf(out, ",\"length_m\":%.17g},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[",
            r->length_m);
    for (size_t k = 0; k < r->route.n; k++)
        fprintf(out, "%s[%.9f,%.9f]", k ? "," : "", r->route.lonlat[2 * k],
                r->route.lonlat[2 * k + 1]);
    fputs("]}}", out);
}

static void box_of_polygons(truce_box *b, const truce_polygon *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].nrings)
            truce_box_add(b, p[i].rings[0].lonlat, p[i].rings[0].n);
}

truce_status truce_agreement_feature_write(FILE *out, const truce_agreement *a,
                                           truce_agreement_layer layer, size_t i,
                                           const truce_feature_query *q, double tolerance_m,
                                           int *written, truce_feature_extent *extent)
{
    if (!out || !written || i >= truce_agreement_layer_size(a, layer) || !(tolerance_m > 0))
        return TRUCE_E_ARG;
    *written = 0;
    truce_feature_extent mine;
    truce_feature_extent_init(&mine);
    if (!extent)
        extent = &mine;
    truce_box_init(&extent->box);
    truce_box *box = &extent->box;
    if (layer == TRUCE_LAYER_ZONES) {
        const truce_zone *z = &a->zones[i];
        extent->from_s = z->valid.from_s;
        extent->until_s = z->valid.until_s;
        box_of_polygons(box, z->polygons, z->npolygons);
        if (!truce_feature_query_meets(q, box, z->valid.from_s, z->valid.until_s))
            return TRUCE_OK;
        zone(out, z);
    } else if (layer == TRUCE_LAYER_PATROL_ROUTES) {
        const truce_patrol_route *r = &a->routes[i];
        extent->from_s = r->valid.from_s;
        extent->until_s = r->valid.until_s;
        truce_box_add(box, r->route.lonlat, r->route.n);
        if (!truce_feature_query_meets(q, box, r->valid.from_s, r->valid.until_s))
            return TRUCE_OK;
        route(out, r);
    } else {
        const truce_corridor_def *def = &a->corridors[i];
        extent->from_s = def->valid.from_s;
        extent->until_s = def->valid.until_s;
        /* The time first: an area is worth building only then. */
        if (q && (def->valid.from_s >= q->to_s || def->valid.until_s <= q->from_s))
            return TRUCE_OK;
        truce_corridor *c = NULL;
        truce_area area = {0};
        truce_status st = truce_corridor_from_def(def, -1, -1, &c);
        if (!st)
            st = truce_corridor_area(c, tolerance_m, &area);
        truce_corridor_free(c);
        if (!st) {
            box_of_polygons(box, area.polygons, area.npolygons);
            if (truce_feature_query_meets(q, box, def->valid.from_s, def->valid.until_s))
                trc_corridor_feature_write(out, def, &area);
            else
                st = TRUCE_E_NOT_FOUND;
        }
        truce_area_release(&area);
        if (st)
            return st == TRUCE_E_NOT_FOUND ? TRUCE_OK : st;
    }
    *written = 1;
    return ferror(out) ? TRUCE_E_IO : TRUCE_OK;
}
