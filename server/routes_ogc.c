/* truce serve: OGC API - Features, Part 1 (Core, GeoJSON), under /ogc, so
 * that GIS clients (QGIS, GDAL's OAPIF driver) add the live record as
 * layers: the landing page, the conformance classes, the collections and
 * their items (docs/server.md, "OGC API - Features").
 *
 * Events are the stored events as GET /api/v1/events lists them: the same
 * filters (bbox and datetime among them, event_filter.h), the same keyset
 * cursor and the same Features (srv_events_page).  The agreement's zones,
 * corridors and patrol routes are written by agreement_features.h, the
 * stored GPX tracks by track_geojson.h, each a page at a time.  Links are
 * absolute, built from the Host the client asked for. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server_impl.h"
#include "truce/agreement_features.h"
#include "truce/time.h"
#include "truce/track_geojson.h"

#define OGC_LIMIT_DEFAULT 100
#define OGC_LIMIT_MAX 1000

/* A corridor's area as GET /api/v1/corridors/{id} gives it (metres). */
#define OGC_CORRIDOR_TOLERANCE_M 0.1

/* Tracks of one stored file: a position is file * TRACKS_PER_FILE + track
 * (from 1), so that positions keep the order files were stored in. */
#define TRACKS_PER_FILE 65536

#define CRS84 "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#define GREGORIAN "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
#define GEOJSON "application/geo+json"
#define JSON "application/json"

enum { C_EVENTS, C_ZONES, C_CORRIDORS, C_ROUTES, C_TRACKS, NCOLLECTIONS };

static const struct collection {
    const char *id, *title, *description;
} collections[NCOLLECTIONS] = {
    {"events", "Events",
     "Reported events, judged against the agreement on arrival: each with its current verdict "
     "and review status (the properties of GET /api/v1/events)"},
    {"zones", "Zones", "The agreement's zones (polygons), each with its validity"},
    {"corridors", "Corridors",
     "The agreement's corridors: each corridor's area around its road, within 0.1 m"},
    {"patrol_routes", "Patrol routes", "The agreement's patrol routes (lines)"},
    {"tracks", "Patrol tracks", "The GPX tracks of patrols stored with POST /api/v1/tracks"},
};

/* ---- links ---- */

/* The start of every link: "http://" or "https://" and the Host header
 * as the client sent it, when it is a plain host[:port]; else nothing (the
 * links are then relative). */
static void base_url(srv_req *r, char *out, size_t len)
{
    const char *host = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    out[0] = '\0';
    if (!host || !*host || strlen(host) > 255 ||
        host[strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")])
        return;
    snprintf(out, len, "%s://%s", r->s->cfg->tls_cert ? "https" : "http", host);
}

static json_t *link_to(const char *base, const char *path, const char *rel, const char *type,
                       const char *title)
{
    json_t *href = json_sprintf("%s%s", base, path);
    return json_pack("{s:o, s:s, s:s, s:s}", "href", href, "rel", rel, "type", type, "title",
                     title);
}

/* Answer 200 with the JSON document `doc` (taken). */
static void answer_json(srv_req *r, json_t *doc, const char *type)
{
    char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    if (text)
        srv_answer(r, MHD_HTTP_OK, type, text, strlen(text), NULL, NULL);
    else
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
    free(text);
    json_decref(doc);
}

/* `f` of a request for a JSON document: absent or json.  0, or -1 with a
 * 400 answered. */
static int json_only(srv_req *r)
{
    const char *f = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "f");
    if (!f || !strcmp(f, "json"))
        return 0;
    srv_problem(r, MHD_HTTP_BAD_REQUEST, "f", "expected json");
    return -1;
}

/* ---- GET /ogc, GET /ogc/conformance ---- */

void srv_ogc_landing(srv_req *r)
{
    char base[300];
    base_url(r, base, sizeof base);
    if (json_only(r))
        return;
    const truce_agreement *a = srv_agreement(r->s);
    json_t *doc = json_pack(
        "{s:s++, s:s, s:[o,o,o,o,o]}", "title", "truce: ", a->title ? a->title : "",
        a->title ? "" : (a->id ? a->id : "the agreement"), "description",
        "The live record of a ceasefire agreement: reported events with their verdicts, the "
        "agreement's zones, corridors and patrol routes, and patrol tracks (OGC API - Features)",
        "links", link_to(base, "/ogc", "self", JSON, "this document"),
        /* Its type as it is served (OpenAPI's own media type would say
         * application/vnd.oai.openapi+json;version=3.1). */
        link_to(base, "/api/v1/openapi.json", "service-desc", JSON,
                "the API definition (OpenAPI 3.1)"),
        link_to(base, "/ogc/conformance", "conformance", JSON, "the conformance classes"),
        link_to(base, "/ogc/collections", "data", JSON, "the collections"),
        link_to(base, "/api/v1/events", "related", GEOJSON, "the events API"));
    answer_json(r, doc, JSON);
}

void srv_ogc_conformance(srv_req *r)
{
    if (json_only(r))
        return;
    answer_json(r,
                json_pack("{s:[s,s]}", "conformsTo",
                          "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                          "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"),
                JSON);
}

/* ---- collections ---- */

static int collection_of(const char *id)
{
    for (int i = 0; i < NCOLLECTIONS; i++)
        if (!strcmp(collections[i].id, id))
            return i;
    return -1;
}

/* An instant as RFC 3339 UTC, or null for an open end. */
static json_t *instant(int64_t at)
{
    if (at == TRUCE_TIME_MIN || at == TRUCE_TIME_MAX)
        return json_null();
    char text[21];
    truce_time_format_utc(at, text);
    return json_string(text);
}

static json_t *extent_json(const truce_feature_extent *e)
{
    json_t *spatial =
        truce_box_empty(&e->box)
            ? json_pack("{s:[[f,f,f,f]], s:s}", "bbox", -180.0, -90.0, 180.0, 90.0, "crs", CRS84)
            : json_pack("{s:[[f,f,f,f]], s:s}", "bbox", e->box.min_lon, e->box.min_lat,
                        e->box.max_lon, e->box.max_lat, "crs", CRS84);
    json_t *temporal = e->from_s > e->until_s
                           ? json_pack("{s:[[n,n]], s:s}", "interval", "trs", GREGORIAN)
                           : json_pack("{s:[[o,o]], s:s}", "interval", instant(e->from_s),
                                       instant(e->until_s), "trs", GREGORIAN);
    return json_pack("{s:o, s:o}", "spatial", spatial, "temporal", temporal);
}

typedef truce_status (*item_fn)(void *ctx, int64_t position, const char *feature, size_t len,
                                const truce_feature_extent *extent);

/* Write item i of an agreement layer, when it meets q, to a fresh buffer
 * and hand it to fn (with len 0 when it did not meet q). */
static truce_status layer_item(const truce_agreement *a, truce_agreement_layer layer, size_t i,
                               const truce_feature_query *q, item_fn fn, void *ctx)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    int written = 0;
    truce_feature_extent e;
    truce_status st = mem ? truce_agreement_feature_write(mem, a, layer, i, q,
                                                          OGC_CORRIDOR_TOLERANCE_M, &written, &e)
                          : TRUCE_E_NOMEM;
    if (mem && fclose(mem) && !st)
        st = TRUCE_E_NOMEM;
    if (!st)
        st = fn(ctx, (int64_t)i + 1, buf, written ? len : 0, &e);
    free(buf);
    return st;
}

static truce_status layer_each(const truce_agreement *a, truce_agreement_layer layer,
                               const truce_feature_query *q, item_fn fn, void *ctx)
{
    truce_status st = TRUCE_OK;
    for (size_t i = 0; !st && i < truce_agreement_layer_size(a, layer); i++)
        st = layer_item(a, layer, i, q, fn, ctx);
    return st;
}

typedef struct tracks_each_ctx {
    const truce_feature_query *q;
    item_fn fn;
    void *ctx;
} tracks_each_ctx;

static truce_status on_track_file(void *ctx, const truce_store_track *t)
{
    tracks_each_ctx *te = ctx;
    truce_diags diags; /* none: it read whole when it was stored */
    truce_diags_init(&diags);
    truce_gpx *g = NULL;
    truce_status st = truce_gpx_parse(t->gpx, t->len, t->name, NULL, &g, &diags);
    truce_diags_release(&diags);
    for (size_t k = 0; !st && k < g->ntracks && k + 1 < TRACKS_PER_FILE; k++) {
        char id[48];
        snprintf(id, sizeof id, "%lld-%zu", (long long)t->id, k + 1);
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        int written = 0;
        truce_feature_extent e;
        st = mem ? truce_track_feature_write(mem, &g->tracks[k], id, t->name, te->q, &written, &e)
                 : TRUCE_E_NOMEM;
        if (mem && fclose(mem) && !st)
            st = TRUCE_E_NOMEM;
        if (!st)
            st = te->fn(te->ctx, t->id * TRACKS_PER_FILE + (int64_t)k + 1, buf, written ? len : 0,
                        &e);
        free(buf);
    }
    truce_gpx_free(g);
    return st;
}

/* Each item of the agreement's layer or of the stored tracks (r's token's
 * own for a reporter), in order. */
static truce_status items_each(srv_req *r, int c, const truce_feature_query *q, item_fn fn,
                               void *ctx)
{
    if (c != C_TRACKS)
        return layer_each(srv_agreement(r->s), (truce_agreement_layer)(c - C_ZONES), q, fn, ctx);
    tracks_each_ctx te = {q, fn, ctx};
    return truce_store_tracks_list(
        r->s->cfg->store, r->who.role == TRUCE_ROLE_REPORTER ? r->who.id : 0, on_track_file, &te);
}

static truce_status on_extent(void *ctx, int64_t position, const char *feature, size_t len,
                              const truce_feature_extent *extent)
{
    (void)position, (void)feature, (void)len;
    truce_feature_extent_join(ctx, extent);
    return TRUCE_OK;
}

/* The extent of collection c, as r's token sees it. */
static truce_status collection_extent(srv_req *r, int c, truce_feature_extent *e)
{
    truce_feature_extent_init(e);
    if (c != C_EVENTS)
        return items_each(r, c, NULL, on_extent, e);
    truce_store_extent x;
    truce_status st = truce_store_events_extent(
        r->s->cfg->store, r->who.role == TRUCE_ROLE_REPORTER ? r->who.id : 0, &x);
    if (!st && x.located) {
        double corners[4] = {x.min_lon, x.min_lat, x.max_lon, x.max_lat};
        truce_box_add(&e->box, corners, 2);
    }
    if (!st && x.timed) {
        e->from_s = x.first_start_s;
        e->until_s = x.last_start_s;
    }
    return st;
}

static json_t *collection_json(srv_req *r, int c, const char *base, truce_status *st)
{
    truce_feature_extent e;
    *st = collection_extent(r, c, &e);
    if (*st)
        return NULL;
    char self[64], items[64];
    snprintf(self, sizeof self, "/ogc/collections/%s", collections[c].id);
    snprintf(items, sizeof items, "/ogc/collections/%s/items", collections[c].id);
    return json_pack("{s:s, s:s, s:s, s:s, s:[s], s:o, s:[o,o,o]}", "id", collections[c].id,
                     "title", collections[c].title, "description", collections[c].description,
                     "itemType", "feature", "crs", CRS84, "extent", extent_json(&e), "links",
                     link_to(base, self, "self", JSON, "this collection"),
                     link_to(base, items, "items", GEOJSON, "its items"),
                     link_to(base, items, "items", JSON, "its items as JSON"));
}

void srv_ogc_collections(srv_req *r)
{
    char base[300];
    base_url(r, base, sizeof base);
    if (json_only(r))
        return;
    json_t *list = json_array();
    truce_status st = TRUCE_OK;
    for (int c = 0; !st && c < NCOLLECTIONS; c++)
        json_array_append_new(list, collection_json(r, c, base, &st));
    if (st) {
        json_decref(list);
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, truce_strerror(st));
        return;
    }
    answer_json(r,
                json_pack("{s:[o], s:o}", "links",
                          link_to(base, "/ogc/collections", "self", JSON, "this document"),
                          "collections", list),
                JSON);
}

/* The collection named by the first segment of r->param: its index, or -1
 * with a 404 answered. */
static int named_collection(srv_req *r, char **rest)
{
    char *slash = strchr(r->param, '/');
    if (slash)
        *slash = '\0';
    *rest = slash ? slash + 1 : NULL;
    int c = collection_of(r->param);
    if (c < 0)
        srv_problem(r, MHD_HTTP_NOT_FOUND, NULL, "no such collection");
    return c;
}

void srv_ogc_collection(srv_req *r)
{
    char base[300], *rest;
    base_url(r, base, sizeof base);
    int c = named_collection(r, &rest);
    if (c < 0 || json_only(r))
        return;
    truce_status st;
    json_t *doc = collection_json(r, c, base, &st);
    if (st)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, truce_strerror(st));
    else
        answer_json(r, doc, JSON);
}

/* ---- items ---- */

/* The type of an answer of Features: `f` (json or geojson) or else the
 * Accept header's choice between application/geo+json (the default) and
 * application/json.  NULL with a 400 answered for another `f`. */
static const char *features_type(srv_req *r)
{
    const char *f = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "f");
    if (f && strcmp(f, "json") && strcmp(f, "geojson")) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "f", "expected geojson or json");
        return NULL;
    }
    if (f)
        return f[0] == 'j' ? JSON : GEOJSON;
    const char *accept = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    return accept && !strstr(accept, GEOJSON) && strstr(accept, JSON) ? JSON : GEOJSON;
}

/* A page of Features: what the items answer holds. */
typedef struct page {
    truce_text features; /* comma-separated */
    size_t returned;
    int64_t matched; /* -1: not counted */
    int64_t after;   /* the position the page starts after */
    int64_t last;    /* the position of its last item */
    int64_t next;    /* where the next page starts after; 0: none */
    size_t limit;
} page;

/* Answer the page as a FeatureCollection of `type`, its links to itself
 * and to the next page of `path` under the filter `f` (with the `f`
 * parameter the request gave, so that the pages keep its type). */
static void answer_page(srv_req *r, const char *path, const truce_event_filter *f, page *pg,
                        const char *type)
{
    const char *format = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "f");
    const char *keep = !format ? "" : !strcmp(format, "json") ? "&f=json" : "&f=geojson";
    char base[300];
    base_url(r, base, sizeof base);
    truce_text self = {0}, next = {0}, body = {0}, url = {0};
    char stamp[21];
    truce_time_format_utc((int64_t)time(NULL), stamp);
    truce_status st = truce_text_append(&url, base, strlen(base));
    if (!st)
        st = truce_text_append(&url, path, strlen(path));
    /* Self: the page's own start (the first page has no cursor). */
    if (!st && pg->after)
        st = srv_next_link(url.p, (long)pg->limit, f, pg->after, keep, &self);
    if (!st && !pg->after) {
        char head[32];
        int n = snprintf(head, sizeof head, "?limit=%zu", pg->limit);
        st = truce_text_append(&self, url.p, url.len);
        if (!st)
            st = truce_text_append(&self, head, (size_t)n);
        truce_text q = {0};
        if (!st)
            st = truce_event_filter_query(f, &q);
        if (!st && q.len)
            st = truce_text_append(&self, "&", 1);
        if (!st && q.len)
            st = truce_text_append(&self, q.p, q.len);
        truce_text_release(&q);
        if (!st)
            st = truce_text_append(&self, keep, strlen(keep));
    }
    if (!st && pg->next)
        st = srv_next_link(url.p, (long)pg->limit, f, pg->next, keep, &next);
    json_t *links = json_array();
    json_array_append_new(links, json_pack("{s:s, s:s, s:s, s:s}", "href", self.p ? self.p : "",
                                           "rel", "self", "type", type, "title", "this page"));
    if (pg->next)
        json_array_append_new(links, json_pack("{s:s, s:s, s:s, s:s}", "href", next.p, "rel",
                                               "next", "type", type, "title", "the next page"));
    json_t *tail = json_pack("{s:I, s:s, s:o}", "numberReturned", (json_int_t)pg->returned,
                             "timeStamp", stamp, "links", links);
    if (tail && pg->matched >= 0)
        json_object_set_new(tail, "numberMatched", json_integer(pg->matched));
    char *tail_text = tail ? json_dumps(tail, JSON_COMPACT) : NULL;
    static const char head[] = "{\"type\":\"FeatureCollection\",\"features\":[";
    if (!st)
        st = tail_text ? truce_text_append(&body, head, sizeof head - 1) : TRUCE_E_NOMEM;
    if (!st && pg->features.len)
        st = truce_text_append(&body, pg->features.p, pg->features.len);
    /* The tail's members follow the features: "]," and the object without
     * its opening brace. */
    if (!st)
        st = truce_text_append(&body, "],", 2);
    if (!st)
        st = truce_text_append(&body, tail_text + 1, strlen(tail_text + 1));
    if (st) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
    } else {
        truce_text header = {0};
        int linked = pg->next && !truce_text_append(&header, "<", 1) &&
                     !truce_text_append(&header, next.p, next.len) &&
                     !truce_text_append(&header, ">; rel=\"next\"", 13);
        srv_answer(r, MHD_HTTP_OK, type, body.p, body.len, "Link", linked ? header.p : NULL);
        truce_text_release(&header);
    }
    free(tail_text);
    json_decref(tail);
    truce_text_release(&url);
    truce_text_release(&self);
    truce_text_release(&next);
    truce_text_release(&body);
}

static truce_status on_item(void *ctx, int64_t position, const char *feature, size_t len,
                            const truce_feature_extent *extent)
{
    (void)extent;
    page *pg = ctx;
    if (!len)
        return TRUCE_OK;
    pg->matched++;
    if (position <= pg->after)
        return TRUCE_OK;
    if (pg->returned == pg->limit) {
        if (!pg->next)
            pg->next = pg->last;
        return TRUCE_OK;
    }
    truce_status st = pg->returned ? truce_text_append(&pg->features, ",", 1) : TRUCE_OK;
    if (!st)
        st = truce_text_append(&pg->features, feature, len);
    pg->returned++;
    pg->last = position;
    return st;
}

void srv_ogc_items(srv_req *r)
{
    static const char *const others[] = {"limit", "cursor", "f", NULL};
    static const char *const placed[] = {"bbox", "datetime", NULL};
    char path[64], *rest;
    int c = named_collection(r, &rest);
    if (c < 0)
        return;
    snprintf(path, sizeof path, "/ogc/collections/%s/items", collections[c].id);
    const char *type = features_type(r);
    const char *cursor = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "cursor");
    truce_event_filter f;
    long limit;
    page pg = {{0}, 0, 0, 0, 0, 0, 0};
    if (!type || srv_query_filter_strict(r, &f, c == C_EVENTS ? NULL : placed, others) ||
        srv_query_limit(r, OGC_LIMIT_DEFAULT, OGC_LIMIT_MAX, 1, &limit) ||
        srv_cursor_read(r, cursor, &f, &pg.after))
        return;
    pg.limit = (size_t)limit;
    truce_status st;
    if (c == C_EVENTS) {
        /* Counted only without criteria (an index's size: 40 to 70 ms for
         * a million events), on the first page (clients read it there). */
        truce_text q = {0};
        st = truce_event_filter_query(&f, &q);
        pg.matched = -1;
        if (!st && !q.len && !cursor) {
            truce_store_filter all = {.submitted_by =
                                          r->who.role == TRUCE_ROLE_REPORTER ? r->who.id : 0};
            st = truce_store_events_count(r->s->cfg->store, &all, &pg.matched);
        }
        truce_text_release(&q);
        if (!st)
            st = srv_events_page(r, &f, 0, pg.after, pg.limit, 1, &pg.features, &pg.returned,
                                 &pg.next);
    } else {
        truce_feature_query q;
        truce_feature_query_init(&q);
        q.has_box = f.has_bbox;
        q.box = (truce_box){f.min_lon, f.min_lat, f.max_lon, f.max_lat};
        if (f.has_from)
            q.from_s = f.from_s;
        if (f.has_to)
            q.to_s = f.to_s;
        st = items_each(r, c, &q, on_item, &pg);
    }
    if (st)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, truce_strerror(st));
    else
        answer_page(r, path, &f, &pg, type);
    truce_text_release(&pg.features);
}

/* ---- one item ---- */

typedef struct found {
    const char *id;
    truce_text feature;
    int hit;
} found;

static truce_status on_found(void *ctx, int64_t position, const char *feature, size_t len,
                             const truce_feature_extent *extent)
{
    (void)position, (void)extent;
    found *fd = ctx;
    json_t *doc = len && !fd->hit ? json_loadb(feature, len, 0, NULL) : NULL;
    const char *id = json_string_value(json_object_get(doc, "id"));
    truce_status st = TRUCE_OK;
    if (id && !strcmp(id, fd->id)) {
        fd->hit = 1;
        st = truce_text_append(&fd->feature, feature, len);
    }
    json_decref(doc);
    return st;
}

void srv_ogc_item(srv_req *r)
{
    char *fid;
    int c = named_collection(r, &fid);
    const char *type = c < 0 ? NULL : features_type(r);
    if (!type)
        return;
    found fd = {fid, {0}, 0};
    truce_status st = TRUCE_OK;
    if (c == C_EVENTS) {
        truce_text event = {0};
        if (srv_event_read(r, fid, &event)) {
            truce_text_release(&event);
            return;
        }
        st = truce_store_event_feature(event.p, event.len, &fd.feature);
        fd.hit = 1;
        truce_text_release(&event);
    } else {
        st = items_each(r, c, NULL, on_found, &fd);
    }
    if (st)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, truce_strerror(st));
    else if (!fd.hit)
        srv_problem(r, MHD_HTTP_NOT_FOUND, NULL, "no such feature in this collection");
    else
        srv_answer(r, MHD_HTTP_OK, type, fd.feature.p, fd.feature.len, NULL, NULL);
    truce_text_release(&fd.feature);
}
