/* The agreement loader: a GeoJSON FeatureCollection with an "agreement"
 * foreign member (docs/agreement.md) into a truce_agreement.
 *
 * The loader never stops at the first problem: each one becomes a
 * diagnostic naming the item and key, and the agreement is only returned
 * when there were no errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement/agreement_internal.h"
#include "base/alloc.h"
#include "base/util.h"

/* ---- small readers ---------------------------------------------------- */

/* An optional string member; *out is a copy or NULL.  Returns -1 (reported)
 * when present but not a string. */
int trc_agr_opt_string(load_ctx *c, const char *item, const json_t *obj, const char *key,
                       char **out)
{
    *out = NULL;
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        char found[80];
        truce_json_describe(v, found, sizeof found);
        truce_geojson_error(&c->geo, item, key, "found %s, expected a string", found);
        return -1;
    }
    *out = truce_strdup(json_string_value(v));
    if (!*out)
        c->geo.nomem = 1;
    return 0;
}

static void strings_release(truce_strings *s)
{
    for (size_t i = 0; i < s->count; i++)
        trc_free(s->items[i]);
    trc_free(s->items);
    s->items = NULL;
    s->count = 0;
}

/* An optional array of strings. */
static int opt_strings(load_ctx *c, const char *item, const json_t *obj, const char *key,
                       truce_strings *out)
{
    memset(out, 0, sizeof *out);
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    char found[80];
    if (!json_is_array(v)) {
        truce_json_describe(v, found, sizeof found);
        truce_geojson_error(&c->geo, item, key, "found %s, expected an array of strings", found);
        return -1;
    }
    size_t n = json_array_size(v);
    out->items = trc_calloc(n ? n : 1, sizeof *out->items);
    if (!out->items) {
        c->geo.nomem = 1;
        return -1;
    }
    int ok = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(v, i);
        if (!json_is_string(e) || json_string_length(e) == 0) {
            truce_json_describe(e, found, sizeof found);
            truce_geojson_error(&c->geo, item, key,
                                "entry %zu: found %s, expected a non-empty string", i, found);
            ok = -1;
            continue;
        }
        char *copy = truce_strdup(json_string_value(e));
        if (!copy) {
            c->geo.nomem = 1;
            return -1;
        }
        out->items[out->count++] = copy;
    }
    return ok;
}

/* ---- times ------------------------------------------------------------ */

/* Convert a parsed time to an instant in the agreement's zone
 * (truce_tz_instant_of, the rule the event readers follow too): a bare date
 * is the start of that local day, or with `end_of_day` (for "until") its
 * end, the start of the next.  Returns -1 after reporting a problem; 1 when
 * the zone is unknown (already reported, nothing more to say). */
static int resolve_time(load_ctx *c, const char *item, const char *key, const char *text,
                        const truce_time_value *v, int end_of_day, int64_t *out)
{
    if (v->kind != TRUCE_TIME_UTC && !c->a->tz)
        return 1;
    truce_local_kind kind = TRUCE_LOCAL_UNIQUE;
    truce_status st = truce_tz_instant_of(c->a->tz, v, end_of_day, out, &kind);
    if (st == TRUCE_E_TIME_GAP) {
        char when[21];
        truce_time_format_utc(*out, when);
        truce_geojson_error(
            &c->geo, item, key,
            "local time \"%s\" does not exist in %s: clocks jumped forward over it at %s; "
            "expected a local time outside the daylight-saving gap",
            text, c->a->timezone_name, when);
        return -1;
    }
    if (st == TRUCE_E_RANGE) {
        truce_geojson_error(
            &c->geo, item, key,
            "\"%s\" is outside the instants truce handles, " TRUCE_INSTANT_RANGE_TEXT
            "%s (docs/agreement.md)",
            text,
            end_of_day && v->kind == TRUCE_TIME_DATE
                ? " (a date \"until\" ends at the next midnight; leave \"until\" out for "
                  "no end)"
                : "");
        return -1;
    }
    if (st != TRUCE_OK) {
        truce_geojson_error(&c->geo, item, key, "cannot convert \"%s\" to UTC: %s", text,
                            truce_strerror(st));
        return -1;
    }
    if (kind == TRUCE_LOCAL_AMBIGUOUS)
        truce_geojson_warning(
            &c->geo, item, key,
            "local time \"%s\" occurs twice in %s (clocks went back); taken as the "
            "earlier instant, before the change (docs/agreement.md); write the time "
            "with a UTC offset to choose the later one",
            text, c->a->timezone_name);
    return 0;
}

/* Read an optional instant member ("from", "until", "ceasefire"). */
static int read_when(load_ctx *c, const char *item, const json_t *obj, const char *key,
                     int end_of_day, int64_t *out, char **text, int *present)
{
    const json_t *v = json_object_get(obj, key);
    *present = 0;
    if (!v || json_is_null(v))
        return 0;
    *present = 1;
    char found[80];
    truce_json_describe(v, found, sizeof found);
    if (!json_is_string(v)) {
        truce_geojson_error(&c->geo, item, key,
                            "found %s, expected a date \"YYYY-MM-DD\" or a local time "
                            "\"YYYY-MM-DDTHH:MM\"",
                            found);
        return -1;
    }
    const char *s = json_string_value(v);
    if (text) {
        *text = truce_strdup(s);
        if (!*text)
            c->geo.nomem = 1;
    }
    truce_time_value tv;
    truce_status st = truce_time_parse(s, &tv);
    if (st == TRUCE_E_RANGE) {
        truce_geojson_error(
            &c->geo, item, key,
            "found %s, which is not a real date or time (month 1-12, the month's days, "
            "hours 00-23, minutes 00-59)",
            found);
        return -1;
    }
    if (st != TRUCE_OK) {
        truce_geojson_error(&c->geo, item, key,
                            "found %s, expected a date \"YYYY-MM-DD\" or a local time "
                            "\"YYYY-MM-DDTHH:MM\" (or with \"Z\"/\"+HH:MM\" for UTC)",
                            found);
        return -1;
    }
    int r = resolve_time(c, item, key, s, &tv, end_of_day, out);
    return r < 0 ? -1 : 0;
}

/* "from" and "until" of a feature's properties or a rule. */
static int read_validity(load_ctx *c, const char *item, const json_t *obj, truce_validity *v)
{
    int has_from, has_until;
    v->from_s = TRUCE_TIME_MIN;
    v->until_s = TRUCE_TIME_MAX;
    int ok = read_when(c, item, obj, "from", 0, &v->from_s, &v->from_text, &has_from);
    if (read_when(c, item, obj, "until", 1, &v->until_s, &v->until_text, &has_until) != 0)
        ok = -1;
    if (!has_from)
        v->from_s = TRUCE_TIME_MIN;
    if (!has_until)
        v->until_s = TRUCE_TIME_MAX;
    if (ok == 0 && has_from && has_until && v->from_s >= v->until_s) {
        truce_geojson_error(&c->geo, item, "until",
                            "\"from\" (%s) is not before \"until\" (%s); expected from < until",
                            v->from_text, v->until_text);
        ok = -1;
    }
    return ok;
}

static void validity_release(truce_validity *v)
{
    trc_free(v->from_text);
    trc_free(v->until_text);
}

int truce_validity_contains(const truce_validity *v, int64_t t)
{
    return t >= v->from_s && t < v->until_s;
}

/* ---- depth ------------------------------------------------------------ */

static int read_depth(load_ctx *c, const char *item, const json_t *props, const char *key,
                      double *out)
{
    const json_t *v = json_object_get(props, key);
    char found[80], label[64];
    truce_json_describe(v, found, sizeof found);
    snprintf(label, sizeof label, "properties.%s", key);
    if (!json_is_number(v)) {
        truce_geojson_error(&c->geo, item, label,
                            "found %s, expected a depth in metres (a number >= 0)", found);
        return -1;
    }
    double d = json_number_value(v);
    if (!(d >= 0) || d > 1e7) {
        truce_geojson_error(&c->geo, item, label,
                            "found %s, expected a depth in metres, >= 0 and <= 10000000", found);
        return -1;
    }
    *out = d;
    return 0;
}

static int read_depths(load_ctx *c, const char *item, const json_t *props, double *left,
                       double *right)
{
    int has_half = json_object_get(props, "half_width_m") != NULL;
    int has_left = json_object_get(props, "left_m") != NULL;
    int has_right = json_object_get(props, "right_m") != NULL;
    if (has_half && (has_left || has_right)) {
        truce_geojson_error(
            &c->geo, item, "properties.half_width_m",
            "found both half_width_m and left_m/right_m; expected one or the other");
        return -1;
    }
    if (has_half) {
        if (read_depth(c, item, props, "half_width_m", left) != 0)
            return -1;
        *right = *left;
        return 0;
    }
    if (!has_left && !has_right) {
        truce_geojson_error(
            &c->geo, item, "properties.left_m",
            "missing depth; expected \"left_m\" and \"right_m\" (metres each side of the "
            "road) or \"half_width_m\"");
        return -1;
    }
    int ok = 0;
    if (read_depth(c, item, props, "left_m", left) != 0)
        ok = -1;
    if (read_depth(c, item, props, "right_m", right) != 0)
        ok = -1;
    return ok;
}

/* ---- features --------------------------------------------------------- */

/* Append to a growable array; NULL when out of memory. */
void *trc_agr_grow(load_ctx *c, void **array, size_t *count, size_t size)
{
    char *p = trc_realloc(*array, (*count + 1) * size);
    if (!p) {
        c->geo.nomem = 1;
        return NULL;
    }
    *array = p;
    memset(p + *count * size, 0, size);
    return p + (*count)++ * size;
}

int trc_agr_read_polygons(load_ctx *c, const char *item, const json_t *f, truce_polygon **out,
                          size_t *nout)
{
    int multi;
    const json_t *coords = truce_geojson_coordinates(&c->geo, item, json_object_get(f, "geometry"),
                                                     "Polygon", "MultiPolygon", &multi);
    if (!coords)
        return -1;
    size_t n = multi ? json_array_size(coords) : 1;
    if (n == 0) {
        truce_geojson_error(&c->geo, item, "geometry.coordinates",
                            "found an empty MultiPolygon, expected at "
                            "least one polygon");
        return -1;
    }
    *out = trc_calloc(n, sizeof **out);
    if (!*out) {
        c->geo.nomem = 1;
        return -1;
    }
    *nout = n;
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        char key[48];
        if (multi)
            snprintf(key, sizeof key, "geometry polygon %zu", i);
        else
            snprintf(key, sizeof key, "geometry");
        const json_t *rings = multi ? json_array_get(coords, i) : coords;
        if (truce_geojson_polygon(&c->geo, item, key, rings, &(*out)[i]) != 0)
            bad = 1;
    }
    return bad ? -1 : 0;
}

static void read_zone(load_ctx *c, const char *item, const char *id, const json_t *f,
                      const json_t *props, size_t index)
{
    truce_agreement *a = c->a;
    truce_zone *z = trc_agr_grow(c, (void **)&a->zones, &a->nzones, sizeof *z);
    if (!z)
        return;
    z->feature_index = index;
    if (!(z->id = truce_strdup(id)))
        c->geo.nomem = 1;
    trc_agr_opt_string(c, item, props, "name", &z->name);
    int bad = read_validity(c, item, props, &z->valid) != 0;
    if (trc_agr_read_polygons(c, item, f, &z->polygons, &z->npolygons) == 0 && !bad)
        trc_agr_check_zone(c, item, z);
}

static void read_corridor(load_ctx *c, const char *item, const char *id, const json_t *f,
                          const json_t *props, size_t index)
{
    truce_agreement *a = c->a;
    truce_corridor_def *cd = trc_agr_grow(c, (void **)&a->corridors, &a->ncorridors, sizeof *cd);
    if (!cd)
        return;
    cd->feature_index = index;
    if (!(cd->id = truce_strdup(id)))
        c->geo.nomem = 1;
    trc_agr_opt_string(c, item, props, "name", &cd->name);
    read_validity(c, item, props, &cd->valid);
    read_depths(c, item, props, &cd->left_m, &cd->right_m);
    int multi;
    const json_t *coords = truce_geojson_coordinates(&c->geo, item, json_object_get(f, "geometry"),
                                                     "LineString", "MultiLineString", &multi);
    if (!coords)
        return;
    size_t n = multi ? json_array_size(coords) : 1;
    if (n == 0) {
        truce_geojson_error(&c->geo, item, "geometry.coordinates",
                            "found an empty MultiLineString, expected at least one road line");
        return;
    }
    cd->roads = trc_calloc(n, sizeof *cd->roads);
    if (!cd->roads) {
        c->geo.nomem = 1;
        return;
    }
    cd->nroads = n;
    size_t nvertices = 0;
    int good = 1;
    for (size_t i = 0; i < n; i++) {
        char key[48];
        if (multi)
            snprintf(key, sizeof key, "geometry line %zu", i);
        else
            snprintf(key, sizeof key, "geometry");
        truce_line *road = &cd->roads[i];
        if (truce_geojson_line(&c->geo, item, key, multi ? json_array_get(coords, i) : coords,
                               road) != 0) {
            good = 0;
            continue;
        }
        nvertices += road->n;
        if (!trc_agr_has_two_distinct(road)) {
            truce_geojson_error(
                &c->geo, item, key,
                "found %zu position%s but fewer than 2 distinct vertices; expected a road "
                "of at least two distinct vertices",
                road->n, road->n == 1 ? "" : "s");
            good = 0;
        }
    }
    /* The vertices first: a road past the limit is not measured. */
    if (trc_agr_check_road_size(c, item, nvertices, 0) != 0 || !good)
        return;
    for (size_t i = 0; i < n; i++)
        cd->length_m += trc_agr_line_length_m(c, &cd->roads[i]);
    trc_agr_check_road_size(c, item, nvertices, cd->length_m);
}

/* A patrol route's optional allowed window, "HH:MM-HH:MM" local time. */
static void read_window(load_ctx *c, const char *item, const json_t *props, truce_patrol_route *r)
{
    const json_t *v = json_object_get(props, "window");
    if (!v || json_is_null(v))
        return;
    char found[80];
    truce_json_describe(v, found, sizeof found);
    truce_status st = json_is_string(v) ? truce_daily_window_parse(json_string_value(v), &r->window)
                                        : TRUCE_E_PARSE;
    if (st == TRUCE_E_RANGE)
        truce_geojson_error(
            &c->geo, item, "window",
            "found %s, which is not a window of real times (hours 00-23, minutes 00-59) "
            "with a start different from its end",
            found);
    else if (st != TRUCE_OK)
        truce_geojson_error(&c->geo, item, "window",
                            "found %s, expected the allowed hours as \"HH:MM-HH:MM\" in local time "
                            "(e.g. \"06:00-18:00\"; \"22:00-04:00\" crosses midnight)",
                            found);
    else
        r->has_window = 1;
}

static void read_route(load_ctx *c, const char *item, const char *id, const json_t *f,
                       const json_t *props, size_t index)
{
    truce_agreement *a = c->a;
    truce_patrol_route *r = trc_agr_grow(c, (void **)&a->routes, &a->nroutes, sizeof *r);
    if (!r)
        return;
    r->feature_index = index;
    if (!(r->id = truce_strdup(id)))
        c->geo.nomem = 1;
    trc_agr_opt_string(c, item, props, "name", &r->name);
    trc_agr_opt_string(c, item, props, "start", &r->start_name);
    trc_agr_opt_string(c, item, props, "end", &r->end_name);
    trc_agr_opt_string(c, item, props, "corridor", &r->corridor);
    read_validity(c, item, props, &r->valid);
    read_window(c, item, props, r);
    trc_agr_read_route_line(c, item, f, &r->route, &r->length_m);
}

void trc_agr_read_route_line(load_ctx *c, const char *item, const json_t *f, truce_line *out,
                             double *length_m)
{
    int multi;
    const json_t *coords = truce_geojson_coordinates(&c->geo, item, json_object_get(f, "geometry"),
                                                     "LineString", NULL, &multi);
    if (!coords)
        return;
    if (truce_geojson_line(&c->geo, item, "geometry", coords, out) != 0)
        return;
    if (!trc_agr_has_two_distinct(out)) {
        truce_geojson_error(
            &c->geo, item, "geometry",
            "found fewer than 2 distinct vertices; expected a route of at least two");
        return;
    }
    if (trc_agr_check_road_size(c, item, out->n, 0) != 0)
        return;
    *length_m = trc_agr_line_length_m(c, out);
    trc_agr_check_road_size(c, item, out->n, *length_m);
}

static void read_place(load_ctx *c, const char *item, const json_t *f, const json_t *props,
                       size_t index)
{
    int multi;
    const json_t *coords = truce_geojson_coordinates(&c->geo, item, json_object_get(f, "geometry"),
                                                     "Point", "MultiPoint", &multi);
    if (!coords)
        return;
    char *name = NULL;
    trc_agr_opt_string(c, item, props, "name", &name);
    truce_line pts = {0};
    double one[2];
    int ok = multi ? truce_geojson_line(&c->geo, item, "geometry", coords, &pts)
                   : truce_geojson_position(&c->geo, item, "geometry", coords, 0, one);
    size_t n = multi ? pts.n : 1;
    for (size_t i = 0; ok == 0 && i < n; i++) {
        truce_place *p = trc_agr_grow(c, (void **)&c->a->places, &c->a->nplaces, sizeof *p);
        if (!p)
            break;
        p->feature_index = index;
        p->lon = multi ? pts.lonlat[2 * i] : one[0];
        p->lat = multi ? pts.lonlat[2 * i + 1] : one[1];
        if (name && !(p->name = truce_strdup(name)))
            c->geo.nomem = 1;
    }
    truce_line_release(&pts);
    trc_free(name);
}

/* Feature ids seen so far, to report duplicates. */
typedef struct seen_ids {
    char **ids;
    size_t *index;
    size_t count;
} seen_ids;

#define ROLES                                                                                      \
    "\"zone\", \"corridor\", \"patrol_route\", \"place\", \"need\", \"crossing\", \"aid_route\""

static void read_feature(load_ctx *c, const json_t *f, size_t index, seen_ids *seen)
{
    char item[160], idbuf[64];
    const json_t *jid = json_object_get(f, "id");
    const char *id = NULL;
    if (json_is_string(jid)) {
        id = json_string_value(jid);
    } else if (json_is_integer(jid)) {
        snprintf(idbuf, sizeof idbuf, "%" JSON_INTEGER_FORMAT, json_integer_value(jid));
        id = idbuf;
    }
    if (id)
        snprintf(item, sizeof item, "feature \"%.100s\"", id);
    else
        snprintf(item, sizeof item, "features[%zu]", index);
    const char *ftype = json_string_value(json_object_get(f, "type"));
    if (!json_is_object(f) || !ftype || strcmp(ftype, "Feature") != 0) {
        truce_geojson_error(&c->geo, item, "type", "expected a GeoJSON Feature object");
        return;
    }
    if (jid && !id) {
        char found[80];
        truce_json_describe(jid, found, sizeof found);
        truce_geojson_error(&c->geo, item, "id", "found %s, expected a string or an integer",
                            found);
    }
    if (id) {
        for (size_t i = 0; i < seen->count; i++)
            if (!strcmp(seen->ids[i], id)) {
                truce_geojson_error(
                    &c->geo, item, "id",
                    "duplicate feature id \"%s\" (also features[%zu]); expected ids to be "
                    "unique",
                    id, seen->index[i]);
                break;
            }
        char **ids = trc_realloc(seen->ids, (seen->count + 1) * sizeof *ids);
        size_t *idx = ids ? trc_realloc(seen->index, (seen->count + 1) * sizeof *idx) : NULL;
        if (ids)
            seen->ids = ids;
        if (idx)
            seen->index = idx;
        if (!ids || !idx || !(seen->ids[seen->count] = truce_strdup(id))) {
            c->geo.nomem = 1;
            return;
        }
        seen->index[seen->count++] = index;
    }
    const json_t *props = json_object_get(f, "properties");
    if (!json_is_object(props)) {
        truce_geojson_error(&c->geo, item, "properties",
                            "missing; expected an object with a \"role\"");
        return;
    }
    const json_t *role = json_object_get(props, "role");
    const char *r = json_string_value(role);
    if (!r) {
        char found[80];
        truce_json_describe(role, found, sizeof found);
        truce_geojson_error(&c->geo, item, "properties.role", "found %s, expected one of " ROLES,
                            found);
        return;
    }
    char generated[64];
    if (!id) {
        snprintf(generated, sizeof generated, "%s-%zu", r, index);
        id = generated;
    }
    if (!strcmp(r, "zone")) {
        read_zone(c, item, id, f, props, index);
    } else if (!strcmp(r, "corridor")) {
        read_corridor(c, item, id, f, props, index);
    } else if (!strcmp(r, "patrol_route")) {
        read_route(c, item, id, f, props, index);
    } else if (!strcmp(r, "place")) {
        read_place(c, item, f, props, index);
    } else if (!strcmp(r, "need")) {
        trc_agr_read_need(c, item, id, f, props, index);
    } else if (!strcmp(r, "crossing")) {
        trc_agr_read_crossing(c, item, id, f, props, index);
    } else if (!strcmp(r, "aid_route")) {
        trc_agr_read_aid_route(c, item, id, f, props, index);
    } else {
        truce_geojson_error(&c->geo, item, "properties.role",
                            "unknown role \"%s\"; expected one of " ROLES, r);
    }
}

/* ---- rules ------------------------------------------------------------ */

static const char *const rule_keys[] = {
    "id",    "description", "phase", "event_types",    "sub_types", "actors", "except_actors",
    "zones", "corridors",   "from",  "min_fatalities", "until",     NULL};

/* Each id in `names` must name an item of the agreement. */
static void check_refs(load_ctx *c, const char *item, const char *key, const truce_strings *names,
                       int corridors)
{
    for (size_t i = 0; i < names->count; i++) {
        const char *n = names->items[i];
        if (corridors ? truce_agreement_corridor(c->a, n) == NULL
                      : truce_agreement_zone(c->a, n) == NULL)
            truce_geojson_error(&c->geo, item, key,
                                "\"%s\" is not the id of any %s in this agreement", n,
                                corridors ? "corridor" : "zone");
    }
}

static void read_rule(load_ctx *c, json_t *jr, size_t index)
{
    truce_agreement *a = c->a;
    char item[160];
    const char *id = json_string_value(json_object_get(jr, "id"));
    if (id)
        snprintf(item, sizeof item, "rule \"%.100s\"", id);
    else
        snprintf(item, sizeof item, "rules[%zu]", index);
    if (!json_is_object(jr)) {
        truce_geojson_error(&c->geo, item, NULL, "expected a rule object");
        return;
    }
    if (!id) {
        char found[80];
        truce_json_describe(json_object_get(jr, "id"), found, sizeof found);
        truce_geojson_error(&c->geo, item, "id", "found %s, expected a string naming the rule",
                            found);
        return;
    }
    for (size_t i = 0; i < a->nrules; i++)
        if (!strcmp(a->rules[i].id, id)) {
            truce_geojson_error(&c->geo, item, "id",
                                "duplicate rule id (also rules[%zu]); expected unique ids",
                                a->rules[i].rule_index);
            return;
        }
    const char *key;
    json_t *value;
    json_object_foreach(jr, key, value)
    {
        size_t k = 0;
        while (rule_keys[k] && strcmp(rule_keys[k], key))
            k++;
        if (!rule_keys[k])
            truce_geojson_error(
                &c->geo, item, key,
                "unknown key; expected one of id, description, phase, event_types, "
                "sub_types, actors, except_actors, zones, corridors, min_fatalities, from, "
                "until");
    }
    truce_rule *r = trc_agr_grow(c, (void **)&a->rules, &a->nrules, sizeof *r);
    if (!r)
        return;
    r->rule_index = index;
    if (!(r->id = truce_strdup(id))) {
        c->geo.nomem = 1;
        return;
    }
    trc_agr_opt_string(c, item, jr, "description", &r->description);
    const json_t *phase = json_object_get(jr, "phase");
    const char *ph = json_string_value(phase);
    if (!phase || (ph && !strcmp(ph, "after"))) {
        r->phase = TRUCE_PHASE_AFTER;
    } else if (ph && !strcmp(ph, "before")) {
        r->phase = TRUCE_PHASE_BEFORE;
    } else if (ph && !strcmp(ph, "any")) {
        r->phase = TRUCE_PHASE_ANY;
    } else {
        char found[80];
        truce_json_describe(phase, found, sizeof found);
        truce_geojson_error(&c->geo, item, "phase",
                            "found %s, expected \"after\", \"before\" or \"any\"", found);
    }
    opt_strings(c, item, jr, "event_types", &r->event_types);
    opt_strings(c, item, jr, "sub_types", &r->sub_types);
    opt_strings(c, item, jr, "actors", &r->actors);
    opt_strings(c, item, jr, "except_actors", &r->except_actors);
    if (opt_strings(c, item, jr, "zones", &r->zones) == 0)
        check_refs(c, item, "zones", &r->zones, 0);
    if (opt_strings(c, item, jr, "corridors", &r->corridors) == 0)
        check_refs(c, item, "corridors", &r->corridors, 1);
    const json_t *mf = json_object_get(jr, "min_fatalities");
    if (mf) {
        if (!json_is_integer(mf) || json_integer_value(mf) < 0 ||
            json_integer_value(mf) > 1000000) {
            char found[80];
            truce_json_describe(mf, found, sizeof found);
            truce_geojson_error(&c->geo, item, "min_fatalities",
                                "found %s, expected an integer >= 0", found);
        } else {
            r->min_fatalities = (int)json_integer_value(mf);
        }
    }
    read_validity(c, item, jr, &r->valid);
}

/* ---- the agreement member ---------------------------------------------- */

static void read_metadata(load_ctx *c, const json_t *meta)
{
    truce_agreement *a = c->a;
    const char *item = "agreement";
    trc_agr_opt_string(c, item, meta, "id", &a->id);
    trc_agr_opt_string(c, item, meta, "title", &a->title);
    if (!json_object_get(meta, "parties")) {
        truce_geojson_error(&c->geo, item, "parties",
                            "missing; expected an array of the parties' names");
    } else if (opt_strings(c, item, meta, "parties", &a->parties) == 0 && a->parties.count == 0) {
        truce_geojson_error(&c->geo, item, "parties", "empty; expected at least one party");
    }
    const json_t *tz = json_object_get(meta, "timezone");
    if (!json_is_string(tz)) {
        char found[80];
        truce_json_describe(tz, found, sizeof found);
        truce_geojson_error(&c->geo, item, "timezone",
                            "found %s, expected an IANA time zone such as "
                            "\"Asia/Damascus\"",
                            found);
    } else {
        if (!(a->timezone_name = truce_strdup(json_string_value(tz))))
            c->geo.nomem = 1;
        truce_status st = truce_tz_open(json_string_value(tz), &a->tz);
        if (st == TRUCE_E_NOMEM)
            c->geo.nomem = 1;
        else if (st == TRUCE_E_TZ_UNKNOWN)
            truce_geojson_error(
                &c->geo, item, "timezone",
                "unknown time zone \"%s\"; expected a name from the system's tz database "
                "(/usr/share/zoneinfo), such as \"Asia/Damascus\"",
                json_string_value(tz));
        else if (st != TRUCE_OK)
            truce_geojson_error(&c->geo, item, "timezone", "cannot read time zone \"%s\": %s",
                                json_string_value(tz), truce_strerror(st));
    }
    int present = 0;
    char *text = NULL;
    if (read_when(c, item, meta, "ceasefire", 0, &a->ceasefire_s, &text, &present) == 0 &&
        present && a->tz) {
        truce_tz_utc_to_local(a->tz, a->ceasefire_s, &a->ceasefire_local);
        truce_tz_offset_at(a->tz, a->ceasefire_s, &a->ceasefire_offset_s, NULL, NULL);
    }
    trc_free(text);
    if (!present)
        truce_geojson_error(
            &c->geo, item, "ceasefire",
            "missing; expected the ceasefire's local time, e.g. \"2020-03-06T00:00\"");
}

/* ---- entry points ------------------------------------------------------ */

static void geos_quiet(const char *fmt, ...)
{
    (void)fmt;
}

truce_status truce_agreement_parse(const char *data, size_t len, const char *name,
                                   truce_agreement **out, truce_diags *diags)
{
    if (!data || !out || !diags)
        return TRUCE_E_ARG;
    *out = NULL;
    json_error_t jerr;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (truce_diags_add(diags, TRUCE_DIAG_ERROR, name, jerr.line, NULL, NULL,
                            "not valid JSON: %s (column %d)", jerr.text, jerr.column) != TRUCE_OK)
            return TRUCE_E_NOMEM;
        return TRUCE_E_PARSE;
    }
    load_ctx c = {.geo = {.file = name, .diags = diags}};
    size_t errors_before = diags->errors;
    c.a = trc_calloc(1, sizeof *c.a);
    c.geos = GEOS_init_r();
    if (!c.a || !c.geos) {
        trc_free(c.a);
        if (c.geos)
            GEOS_finish_r(c.geos);
        json_decref(root);
        return TRUCE_E_NOMEM;
    }
    GEOSContext_setNoticeHandler_r(c.geos, geos_quiet);
    GEOSContext_setErrorHandler_r(c.geos, geos_quiet);
    geod_init(&c.wgs84, 6378137.0, 1 / 298.257223563);
    if (name && !(c.a->path = truce_strdup(name)))
        c.geo.nomem = 1;

    const char *type = json_string_value(json_object_get(root, "type"));
    const json_t *meta = json_object_get(root, "agreement");
    const json_t *features = json_object_get(root, "features");
    if (!type || strcmp(type, "FeatureCollection") != 0) {
        truce_geojson_error(&c.geo, NULL, "type", "expected a GeoJSON FeatureCollection");
    } else if (!json_is_object(meta)) {
        truce_geojson_error(&c.geo, NULL, "agreement",
                            "missing; expected an \"agreement\" object with parties, timezone and "
                            "ceasefire (docs/agreement.md)");
    } else {
        read_metadata(&c, meta);
        if (!json_is_array(features)) {
            truce_geojson_error(&c.geo, NULL, "features", "expected an array of features");
        } else {
            seen_ids seen = {0};
            for (size_t i = 0; i < json_array_size(features) && !c.geo.nomem; i++)
                read_feature(&c, json_array_get(features, i), i, &seen);
            for (size_t i = 0; i < seen.count; i++)
                trc_free(seen.ids[i]);
            trc_free(seen.ids);
            trc_free(seen.index);
        }
        const json_t *rules = json_object_get(meta, "rules");
        if (rules && !json_is_array(rules)) {
            truce_geojson_error(&c.geo, "agreement", "rules", "expected an array of rule objects");
        } else {
            for (size_t i = 0; i < json_array_size(rules) && !c.geo.nomem; i++)
                read_rule(&c, json_array_get(rules, i), i);
        }
        for (size_t i = 0; i < c.a->nroutes; i++) {
            const truce_patrol_route *r = &c.a->routes[i];
            if (r->corridor && !truce_agreement_corridor(c.a, r->corridor)) {
                char item[160];
                snprintf(item, sizeof item, "feature \"%.100s\"", r->id);
                truce_geojson_error(&c.geo, item, "properties.corridor",
                                    "\"%s\" is not the id of any corridor in this agreement",
                                    r->corridor);
            }
        }
    }
    GEOS_finish_r(c.geos);
    json_decref(root);
    if (c.geo.nomem) {
        truce_agreement_free(c.a);
        return TRUCE_E_NOMEM;
    }
    if (diags->errors > errors_before) {
        truce_agreement_free(c.a);
        return TRUCE_E_INVALID;
    }
    *out = c.a;
    return TRUCE_OK;
}

truce_status truce_agreement_load(const char *path, truce_agreement **out, truce_diags *diags)
{
    if (!path || !out || !diags)
        return TRUCE_E_ARG;
    *out = NULL;
    size_t len = 0;
    char *data;
    truce_status st = truce_load_input(path, 0, diags, &data, &len);
    if (st)
        return st;
    st = truce_agreement_parse(data, len, path, out, diags);
    trc_free(data);
    return st;
}

void truce_agreement_free(truce_agreement *a)
{
    if (!a)
        return;
    trc_free(a->path);
    trc_free(a->id);
    trc_free(a->title);
    strings_release(&a->parties);
    trc_free(a->timezone_name);
    truce_tz_free(a->tz);
    for (size_t i = 0; i < a->nzones; i++) {
        truce_zone *z = &a->zones[i];
        trc_free(z->id);
        trc_free(z->name);
        for (size_t k = 0; k < z->npolygons; k++)
            truce_polygon_release(&z->polygons[k]);
        trc_free(z->polygons);
        validity_release(&z->valid);
    }
    trc_free(a->zones);
    for (size_t i = 0; i < a->ncorridors; i++) {
        truce_corridor_def *cd = &a->corridors[i];
        trc_free(cd->id);
        trc_free(cd->name);
        for (size_t k = 0; k < cd->nroads; k++)
            truce_line_release(&cd->roads[k]);
        trc_free(cd->roads);
        validity_release(&cd->valid);
    }
    trc_free(a->corridors);
    for (size_t i = 0; i < a->nroutes; i++) {
        truce_patrol_route *r = &a->routes[i];
        trc_free(r->id);
        trc_free(r->name);
        trc_free(r->start_name);
        trc_free(r->end_name);
        trc_free(r->corridor);
        truce_line_release(&r->route);
        validity_release(&r->valid);
    }
    trc_free(a->routes);
    for (size_t i = 0; i < a->nplaces; i++)
        trc_free(a->places[i].name);
    trc_free(a->places);
    trc_agr_aid_release(a);
    for (size_t i = 0; i < a->nrules; i++) {
        truce_rule *r = &a->rules[i];
        trc_free(r->id);
        trc_free(r->description);
        strings_release(&r->event_types);
        strings_release(&r->sub_types);
        strings_release(&r->actors);
        strings_release(&r->except_actors);
        strings_release(&r->zones);
        strings_release(&r->corridors);
        validity_release(&r->valid);
    }
    trc_free(a->rules);
    trc_free(a);
}

const truce_zone *truce_agreement_zone(const truce_agreement *a, const char *id)
{
    for (size_t i = 0; i < a->nzones; i++)
        if (a->zones[i].id && !strcmp(a->zones[i].id, id))
            return &a->zones[i];
    return NULL;
}

const truce_corridor_def *truce_agreement_corridor(const truce_agreement *a, const char *id)
{
    for (size_t i = 0; i < a->ncorridors; i++)
        if (a->corridors[i].id && !strcmp(a->corridors[i].id, id))
            return &a->corridors[i];
    return NULL;
}

const truce_patrol_route *truce_agreement_route(const truce_agreement *a, const char *id)
{
    for (size_t i = 0; i < a->nroutes; i++)
        if (a->routes[i].id && !strcmp(a->routes[i].id, id))
            return &a->routes[i];
    return NULL;
}
