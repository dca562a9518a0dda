/* truce serve: what the dashboard (web/) needs besides the listing.  Its
 * files are compiled in (cmake/dashboard.cmake) and answered without a
 * token, with a Content-Security-Policy that lets the page run only its
 * own scripts and styles and talk only to this server; every piece of
 * data behind it needs a token: who the token is (GET /api/v1/me), the
 * review queue (GET /api/v1/queue), events counted on a grid for the map
 * at low zoom (GET /api/v1/grid) and the agreement's features
 * (GET /api/v1/agreement?f=geojson). */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "server_impl.h"

/* Only this server's own files and requests; no inline script or style,
 * no plugins, not framed, no <base> and no form posted elsewhere. */
#define CSP                                                                                        \
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"                \
    " form-action 'none'; frame-ancestors 'none'"

void srv_get_asset(srv_req *r)
{
    const char *name = r->param[0] ? r->param : "index.html";
    for (size_t i = 0; i < srv_assets_count; i++) {
        if (!strcmp(srv_assets[i].name, name)) {
            srv_answer(r, MHD_HTTP_OK, srv_assets[i].type, (const char *)srv_assets[i].data,
                       *srv_assets[i].len, "Content-Security-Policy", CSP);
            return;
        }
    }
    srv_problem(r, MHD_HTTP_NOT_FOUND, NULL, "no such file");
}

/* Answer `doc` (stolen) as compact JSON of `type`. */
static void answer_json(srv_req *r, const char *type, json_t *doc)
{
    char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(doc);
    if (text)
        srv_answer(r, MHD_HTTP_OK, type, text, strlen(text), NULL, NULL);
    else
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
    free(text);
}

/* {"id", "role", "party" (null unless a party token), "name", "parties":
 * the agreement's}: what the page shows and which review buttons it
 * offers. */
void srv_get_me(srv_req *r)
{
    json_t *parties = json_array();
    pthread_rwlock_rdlock(&r->s->agreement_lock);
    const truce_strings *p = &srv_agreement(r->s)->parties;
    for (size_t i = 0; parties && i < p->count; i++)
        json_array_append_new(parties, json_string(p->items[i]));
    pthread_rwlock_unlock(&r->s->agreement_lock);
    json_t *party = r->who.party[0] ? json_string(r->who.party) : json_null();
    answer_json(r, "application/json",
                json_pack("{s:I, s:s, s:o, s:s, s:o}", "id", (json_int_t)r->who.id, "role",
                          truce_role_name(r->who.role), "party", party, "name", r->who.name,
                          "parties", parties));
}

void srv_get_queue(srv_req *r)
{
    srv_list_events(r, "/api/v1/queue", 1);
}

void srv_agreement_geojson(srv_req *r)
{
    truce_text text = {0};
    int64_t version = 0;
    truce_status st = truce_store_agreement_latest(r->s->cfg->store, &text, &version);
    if (st || !version)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot be read");
    else
        srv_answer(r, MHD_HTTP_OK, "application/geo+json", text.p, text.len, NULL, NULL);
    truce_text_release(&text);
}

/* ---- GET /api/v1/grid ---- */

typedef struct grid_out {
    const truce_store_grid *g;
    json_t *features;
    int64_t total, violation, possible;
} grid_out;

static truce_status on_cell(void *ctx, const truce_store_cell *c)
{
    grid_out *o = ctx;
    double w = o->g->min_lon + c->col * o->g->cell_deg, s = o->g->min_lat + c->row * o->g->cell_deg;
    json_t *f =
        json_pack("{s:s, s:{s:s, s:[f, f]}, s:{s:I, s:I, s:I, s:I, s:I, s:[f, f, f, f]}}", "type",
                  "Feature", "geometry", "type", "Point", "coordinates", c->lon, c->lat,
                  "properties", "col", (json_int_t)c->col, "row", (json_int_t)c->row, "count",
                  (json_int_t)c->count, "violation", (json_int_t)c->violation, "possible",
                  (json_int_t)c->possible, "cell", w, s, w + o->g->cell_deg, s + o->g->cell_deg);
    if (!f || json_array_append_new(o->features, f))
        return TRUCE_E_NOMEM;
    o->total += c->count;
    o->violation += c->violation;
    o->possible += c->possible;
    return TRUCE_OK;
}

/* The events that pass the listing's filters counted on a grid of square
 * cells of `cell` degrees over `bbox` (required, not across the
 * antimeridian): a GeoJSON FeatureCollection of a Point per cell holding
 * any, at the mean position of its events. */
void srv_get_grid(srv_req *r)
{
    truce_event_filter ef;
    if (srv_query_filter(r, &ef))
        return;
    if (!ef.has_bbox || ef.min_lon > ef.max_lon) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "bbox",
                    "expected minlon,minlat,maxlon,maxlat with minlon <= maxlon");
        return;
    }
    const char *text = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "cell");
    char *end = NULL;
    double cell = text ? strtod(text, &end) : 0;
    double cols = ceil((ef.max_lon - ef.min_lon) / cell),
           rows = ceil((ef.max_lat - ef.min_lat) / cell);
    if (!text || *end || !(cell > 0) || !isfinite(cell) ||
        fmax(cols, 1) * fmax(rows, 1) > TRUCE_STORE_GRID_CELLS_MAX) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "cell",
                    "expected degrees > 0 making at most 65536 cells of the bbox");
        return;
    }
    truce_store_grid g = {ef.min_lon, ef.min_lat, cell, (unsigned)fmax(cols, 1),
                          (unsigned)fmax(rows, 1)};
    /* The grid covers the bbox: the filter need not test it again. */
    ef.has_bbox = 0;
    truce_store_filter sf = {.submitted_by = r->who.role == TRUCE_ROLE_REPORTER ? r->who.id : 0,
                             .events = &ef};
    grid_out o = {&g, json_array(), 0, 0, 0};
    truce_status st = o.features ? truce_store_events_grid(r->s->cfg->store, &sf, &g, on_cell, &o)
                                 : TRUCE_E_NOMEM;
    if (st) {
        json_decref(o.features);
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, truce_strerror(st));
        return;
    }
    answer_json(r, "application/geo+json",
                json_pack("{s:s, s:{s:f, s:I, s:I, s:[f, f, f, f]}, s:I, s:I, s:I, s:o}", "type",
                          "FeatureCollection", "grid", "cell", cell, "cols", (json_int_t)g.cols,
                          "rows", (json_int_t)g.rows, "bbox", ef.min_lon, ef.min_lat, ef.max_lon,
                          ef.max_lat, "total", (json_int_t)o.total, "violation",
                          (json_int_t)o.violation, "possible", (json_int_t)o.possible, "features",
                          o.features));
}
