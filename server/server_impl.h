/* Shared by the files of server/: one request's state, the route table and
 * the answers (problem details, JSON). */
#ifndef TRUCE_SERVER_IMPL_H
#define TRUCE_SERVER_IMPL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "server.h"
#include "truce/judge.h"
#include "truce/reader.h"
#include "truce/store.h"

typedef struct srv_judge_slot srv_judge_slot;
typedef struct srv_rate srv_rate;

/* How far past --max-body a streamed body (no Content-Length) is read and
 * dropped so that it can be answered 413, before the connection is cut. */
#define SRV_DISCARD_MAX ((size_t)1 << 20)

typedef struct srv {
    const srv_config *cfg;
    truce_reader_options ropt; /* events are read in the agreement's time zone */
    atomic_int in_flight;      /* requests begun and not yet completed */
    atomic_int connections;    /* open (counted with --max-connections) */
    pthread_mutex_t pool_lock; /* judges not in use, one per request at a time */
    srv_judge_slot *pool;
    srv_rate *rate;        /* NULL: no rate limit */
    struct timespec epoch; /* the rate limit's clock starts here */
    /* ---- agreement versions (routes_agreement.c) ---- */
    /* Held for reading while a report is judged and stored (and a review
     * decided), for writing while PUT /api/v1/agreement judges the stored
     * events again and swaps the agreement: no report falls between. */
    pthread_rwlock_t agreement_lock;
    const truce_agreement *_Atomic agreement; /* the one served; srv_agreement */
    struct srv_version *versions;             /* loaded here, freed at the end */
    _Atomic int64_t agreement_version;        /* its number in the store */
    /* ---- metrics (routes_metrics.c) ---- */
    struct srv_metrics *metrics;
    /* ---- the live stream and webhooks (routes_stream.c, webhook_delivery.c) ---- */
    struct srv_streams *streams;
    struct srv_deliverer *deliverer;
} srv;

typedef struct srv_req srv_req;

/* A route's handler: called once the request (and its body) is in, with
 * the caller admitted.  It answers through srv_answer or srv_problem. */
typedef void (*srv_handler)(srv_req *r);

/* The roles as bits, for a route's `roles`. */
#define SRV_ROLE(role) (1u << (role))
#define SRV_ANY_ROLE                                                                               \
    (SRV_ROLE(TRUCE_ROLE_ADMIN) | SRV_ROLE(TRUCE_ROLE_PARTY) | SRV_ROLE(TRUCE_ROLE_REPORTER) |     \
     SRV_ROLE(TRUCE_ROLE_VIEWER))

/* How a route takes its body: none; whole in memory (r->body, within
 * --max-body); or spooled as it arrives to an unlinked temporary file
 * (r->spool, within --max-import), for bodies too large to hold. */
enum { SRV_BODY_NONE = 0, SRV_BODY_MEMORY = 1, SRV_BODY_SPOOL = 2 };

typedef struct srv_route {
    const char *method;
    const char *pattern; /* "/api/v1/events/{}/reviews": {} is one path segment */
    unsigned roles;      /* SRV_ROLE bits that may; 0: no token needed */
    int body;            /* SRV_BODY_*: whether the request carries a body, and how it is kept */
    srv_handler handler;
} srv_route;

/* The routes (routes.c), and the one matching `path`: the route for
 * `method`, or (with *other set to 1) NULL when the path is known under
 * other methods (405); the segment matched by {} is copied to param. */
const srv_route *srv_route_find(const char *method, const char *path, int *other, char *param,
                                size_t param_len);

/* The route's pattern as the OpenAPI document writes it, each "{}" as
 * "{id}" (truncated to fit `len` bytes). */
void srv_route_name(const srv_route *route, char *out, size_t len);

/* The methods the path answers to, "GET, POST", for Allow. */
void srv_route_allow(const char *path, char *out, size_t len);

struct srv_req {
    srv *s;
    struct MHD_Connection *c;
    const srv_route *route;
    char param[512]; /* the {} segment of the path */
    truce_token_info who;
    int authed;
    char *body;  /* the request's body as received, NUL-terminated (SRV_BODY_MEMORY) */
    FILE *spool; /* the body as received, rewound before the handler (SRV_BODY_SPOOL) */
    size_t len, cap;
    int too_big;
    int spool_failed; /* a write to the spool failed */
    size_t seen;      /* body bytes received, kept or not */
    int answered;     /* a response was queued */
    unsigned status;  /* ...with this status (the access log's) */
    struct timespec start;
    char method[16];
    char *path;
    /* A handler waiting for the store (srv_suspend): its state, how to
     * free it, and what to call when the connection is resumed. */
    void *pending;
    void (*pending_free)(void *pending);
    srv_handler then;
};

/* Suspend r's connection, keeping `pending` (freed with pending_free,
 * unless srv_unpend takes it first) until srv_resume: then `then(r)` is
 * called, on a request thread, to answer.  Call from a handler, before
 * handing r to what will resume it. */
void srv_suspend(srv_req *r, void *pending, void (*pending_free)(void *), srv_handler then);

/* Resume a suspended r: any thread, once. */
void srv_resume(srv_req *r);

/* Free r's pending state (its `then` is done with it). */
void srv_unpend(srv_req *r);

/* Queue `body` (len bytes, copied) with `status` and `type`, and the
 * header `header: value` when both are given (Location, Link). */
void srv_answer(srv_req *r, unsigned status, const char *type, const char *body, size_t len,
                const char *header, const char *value);

/* Queue an RFC 9457 problem: {"type": "about:blank", "title": the status's
 * reason phrase, "status", "detail", and "field" when given}. */
void srv_problem(srv_req *r, unsigned status, const char *field, const char *detail);

/* A judge for one request (pooled), the record of truce classify
 * --format jsonl for `event` in *record (malloc'd, without its newline).
 * TRUCE_OK, or the failure with `why`. */
truce_status srv_judge(srv *s, const truce_event *event, char **record, char *why, size_t why_len);

/* Free the judges (at the end). */
void srv_judges_free(srv *s);

/* The event `id` as GET /api/v1/events/{id} gives it (store.h,
 * truce_store_event_get), appended to `out`, when r's token may read it: 0,
 * or -1 with the problem answered (404, 403 for a reporter's other, 503). */
int srv_event_read(srv_req *r, const char *id, truce_text *out);

/* ---- likely duplicates (routes_duplicates.c) ---- */

/* Add "likely_duplicates" to `answer`, the stored report as
 * POST /api/v1/reports answers it: the events stored before it that truce
 * dedup's pair rule links with it and that r's token may read.  `stored`
 * is the report as stored when the caller has it (stored now), NULL to
 * read it from `answer` (an answer given before, whose id may have been
 * made then).  0, or -1 with `answer` unchanged (out of memory, the store
 * unreadable). */
int srv_duplicates_add(srv_req *r, const truce_event *stored, truce_text *answer);

/* GET /api/v1/events/{id}/duplicates. */
void srv_get_duplicates(srv_req *r);

/* ---- operation: the per-token rate limit (rate.c) ---- */

/* A limit of `per_second` requests a second per token, `burst` at once
 * (at least 1); NULL when out of memory. */
srv_rate *srv_rate_new(double per_second, unsigned burst);
void srv_rate_free(srv_rate *rl);

/* Take one request from token `id`'s bucket at time `now` (seconds, any
 * monotonic clock): 0 when it may go on, else the whole seconds (>= 1)
 * until it may.  Thread-safe. */
unsigned srv_rate_take(srv_rate *rl, long long id, double now);

/* ---- imports (routes_imports.c) ---- */

/* The normalised event as truce events writes it (one JSON object, no
 * newline), malloc'd; NULL when out of memory. */
char *srv_event_json(const truce_event *e);

/* POST /api/v1/imports: an event file, spooled, read, judged and stored. */
void srv_post_import(srv_req *r);

/* ---- tracks and patrols (routes_tracks.c) ---- */

/* POST /api/v1/tracks: a GPX file, read whole, then stored verbatim. */
void srv_post_track(srv_req *r);

/* GET /api/v1/patrols: truce patrol --format json over the stored tracks. */
void srv_get_patrols(srv_req *r);

/* ---- query (routes_query.c): filters, cursors, stats, the agreement ---- */

/* Read the filter parameters of r's query (event_filter.h; other names are
 * left alone) into *f: 0, or -1 with a 400 problem naming the parameter
 * answered. */
int srv_query_filter(srv_req *r, truce_event_filter *f);

/* srv_query_filter for a route that refuses what it does not read: only
 * the filter's parameters named in `filters` (NULL: all of them) and the
 * names in `others` are taken (both lists NULL-terminated); any other is a
 * 400 naming it. */
int srv_query_filter_strict(srv_req *r, truce_event_filter *f, const char *const *filters,
                            const char *const *others);

/* `limit` of r's query in *limit: 1 to `max`, `dflt` when absent; a larger
 * number is `max` when `clamp`, else refused.  0, or -1 with a 400 naming
 * limit answered. */
int srv_query_limit(srv_req *r, long dflt, long max, int clamp, long *limit);

/* The position a listing's `cursor` (NULL: none, 0) carries, checked
 * against the filter `f` it is used with: 0, or -1 with a 400 answered. */
int srv_cursor_read(srv_req *r, const char *cursor, const truce_event_filter *f, int64_t *after);

/* One page of the stored events that pass `f` (a reporter's own: r's
 * token; with `queue`, only those open to review that wait for the token's
 * party, newest first) after position `after`, at most `limit`: appended
 * to `out` as GeoJSON Features separated by commas (`geojson`) or as JSON
 * Lines; *n says how many, *next the position after them (0: the last
 * page).  TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status srv_events_page(srv_req *r, const truce_event_filter *f, int queue, int64_t after,
                             size_t limit, int geojson, truce_text *out, size_t *n, int64_t *next);

/* Append the link to the next page of `path` after position `next`:
 * limit, cursor, the filter's canonical parameters, then `tail` ("" or
 * "&f=jsonl").  TRUCE_E_NOMEM. */
truce_status srv_next_link(const char *path, long limit, const truce_event_filter *f, int64_t next,
                           const char *tail, truce_text *out);

void srv_get_stats(srv_req *r);     /* GET /api/v1/stats */
void srv_get_agreement(srv_req *r); /* GET /api/v1/agreement */
void srv_get_corridor(srv_req *r);  /* GET /api/v1/corridors/{id} */

/* ---- agreement versions (routes_agreement.c) ---- */

/* The agreement served now (PUT /api/v1/agreement replaces it; the old one
 * stays valid until the server stops).  Hold s->agreement_lock for reading
 * to keep it from changing under a request. */
const truce_agreement *srv_agreement(srv *s);

/* At the start: serve the latest version stored, storing cfg->agreement's
 * file as a new version first when its text is not stored yet (docs/server.md,
 * "Agreement versions"); `note` says which (one line, for the log).  0, or
 * -1 after a message on stderr. */
int srv_agreement_start(srv *s, char *note, size_t note_len);

/* Free what srv_agreement_start and the PUTs loaded. */
void srv_agreement_stop(srv *s);

void srv_put_agreement(srv_req *r);

/* ---- metrics (routes_metrics.c) ---- */

/* The route table's entries, in order (routes.c). */
size_t srv_route_count(void);
const srv_route *srv_route_at(size_t i);

/* Set up the counters (0), or -1 when out of memory; free them. */
int srv_metrics_start(srv *s);
void srv_metrics_stop(srv *s);

/* Count a finished request: its route (NULL when none matched), status and
 * duration.  Lock-free; any thread. */
void srv_metrics_observe(srv *s, const srv_route *route, unsigned status, double seconds);

void srv_get_metrics(srv_req *r);

/* ---- the live stream (routes_stream.c) ---- */

/* Start the streams' hub (a thread that resumes the streams waiting for a
 * change or a keepalive): 0, or -1 after a message on stderr. */
int srv_streams_start(srv *s);

/* End every stream (at SIGTERM, before the requests in flight are drained):
 * each sends what it has and ends; new ones are refused (503).  Stops the
 * hub.  Safe when srv_streams_start did not run or failed. */
void srv_streams_stop(srv *s);

/* Free the hub, once the daemon is stopped. */
void srv_streams_free(srv *s);

void srv_get_stream(srv_req *r); /* GET /api/v1/stream */

/* ---- webhooks (routes_webhooks.c; their delivery: webhook_delivery.c) ---- */

/* Start the delivery thread: 0, or -1 after a message on stderr. */
int srv_deliverer_start(srv *s);

/* Stop it (an attempt under way is cut short and retried at the next
 * start); safe when it did not start. */
void srv_deliverer_stop(srv *s);

void srv_post_webhook(srv_req *r);            /* POST /api/v1/webhooks */
void srv_list_webhooks(srv_req *r);           /* GET /api/v1/webhooks */
void srv_delete_webhook(srv_req *r);          /* DELETE /api/v1/webhooks/{id} */
void srv_list_webhook_deliveries(srv_req *r); /* GET /api/v1/webhooks/{id}/deliveries */
/* ---- OGC API - Features (routes_ogc.c) ---- */

void srv_ogc_landing(srv_req *r);     /* GET /ogc */
void srv_ogc_conformance(srv_req *r); /* GET /ogc/conformance */
void srv_ogc_collections(srv_req *r); /* GET /ogc/collections */
void srv_ogc_collection(srv_req *r);  /* GET /ogc/collections/{id} */
void srv_ogc_items(srv_req *r);       /* GET /ogc/collections/{id}/items */
void srv_ogc_item(srv_req *r);        /* GET /ogc/collections/{id}/items/{fid} */

/* ---- the OpenAPI document (routes_openapi.c) ---- */

void srv_get_openapi(srv_req *r);

/* ---- the dashboard (routes_dashboard.c) ---- */

/* The listing of GET /api/v1/events (routes.c) under `path`; with
 * `queue`, the review queue's events (GET /api/v1/queue). */
void srv_list_events(srv_req *r, const char *path, int queue);

void srv_get_asset(srv_req *r);         /* GET /, GET /assets/{name}: no token */
void srv_get_me(srv_req *r);            /* GET /api/v1/me */
void srv_get_queue(srv_req *r);         /* GET /api/v1/queue */
void srv_get_grid(srv_req *r);          /* GET /api/v1/grid */
void srv_agreement_geojson(srv_req *r); /* GET /api/v1/agreement?f=geojson */

#endif
