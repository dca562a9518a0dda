/* truce serve: the routes and what each does, all through libtruce's
 * public API: reading a posted event (truce_event_read_json), judging it
 * (truce_judge with the verdict writer of truce classify), storing it and
 * its reviews (truce_store). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "server_impl.h"
#include "truce/verdict_write.h"

/* ---- judging ---- */

/* A judge on one thread and the verdict writer its sink writes with. */
struct srv_judge_slot {
    truce_judge *j;
    truce_verdict_writer *w; /* this request's */
    truce_status written;
    srv_judge_slot *next;
};

static truce_status sink(void *ctx, const truce_judged *judged)
{
    srv_judge_slot *slot = ctx;
    slot->written = truce_verdict_write(slot->w, judged);
    return slot->written;
}

truce_status srv_judge(srv *s, const truce_event *event, char **record, char *why, size_t why_len)
{
    *record = NULL;
    pthread_mutex_lock(&s->pool_lock);
    srv_judge_slot *slot = s->pool;
    if (slot)
        s->pool = slot->next;
    pthread_mutex_unlock(&s->pool_lock);
    truce_status st = TRUCE_OK;
    if (!slot) {
        slot = calloc(1, sizeof *slot);
        truce_judge_options opt;
        truce_judge_options_init(&opt);
        opt.threads = 1;
        st = slot ? truce_judge_new(srv_agreement(s), &opt, sink, slot, &slot->j) : TRUCE_E_NOMEM;
        if (st) {
            free(slot);
            snprintf(why, why_len, "%s", truce_strerror(st));
            return st;
        }
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    st = mem ? truce_verdict_writer_new(mem, TRUCE_VERDICT_JSONL, srv_agreement(s), &slot->w)
             : TRUCE_E_NOMEM;
    if (!st) {
        slot->written = TRUCE_OK;
        st = truce_judge_push(slot->j, event);
        truce_status flushed = truce_judge_flush(slot->j);
        if (!st)
            st = flushed;
        if (st)
            snprintf(why, why_len, "%s",
                     *truce_judge_failure(slot->j) ? truce_judge_failure(slot->j)
                                                   : truce_strerror(st));
        truce_status freed = truce_verdict_writer_free(slot->w);
        slot->w = NULL;
        if (!st)
            st = freed;
    } else {
        snprintf(why, why_len, "%s", truce_strerror(st));
    }
    if (mem && fclose(mem) && !st)
        st = TRUCE_E_NOMEM;
    pthread_mutex_lock(&s->pool_lock);
    slot->next = s->pool;
    s->pool = slot;
    pthread_mutex_unlock(&s->pool_lock);
    if (!st && (!buf || !len)) {
        st = TRUCE_E_INTERNAL;
        snprintf(why, why_len, "no verdict was written");
    }
    if (st) {
        free(buf);
        return st;
    }
    while (len && buf[len - 1] == '\n')
        buf[--len] = '\0';
    *record = buf;
    return TRUCE_OK;
}

void srv_judges_free(srv *s)
{
    while (s->pool) {
        srv_judge_slot *next = s->pool->next;
        truce_judge_free(s->pool->j);
        free(s->pool);
        s->pool = next;
    }
}

/* ---- routes ---- */

static void healthz(srv_req *r)
{
    static const char ok[] = "{\"status\":\"ok\"}";
    srv_answer(r, MHD_HTTP_OK, "application/json", ok, sizeof ok - 1, NULL, NULL);
}

char *srv_event_json(const truce_event *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return NULL;
    truce_event_writer *w;
    int ok = truce_event_writer_new(mem, TRUCE_OUTPUT_JSONL, &w) == TRUCE_OK;
    if (ok) {
        ok = truce_event_write(w, e) == TRUCE_OK;
        ok = truce_event_writer_free(w) == TRUCE_OK && ok;
    }
    ok = fclose(mem) == 0 && ok;
    if (!ok || !len) {
        free(buf);
        return NULL;
    }
    while (len && buf[len - 1] == '\n')
        buf[--len] = '\0';
    return buf;
}

/* A fresh id for a report without one: "report-" and 96 random bits. */
static int fresh_id(char out[40])
{
    unsigned char raw[12];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        return -1;
    int n = snprintf(out, 40, "report-");
    for (size_t i = 0; i < sizeof raw; i++)
        n += snprintf(out + n, (size_t)(40 - n), "%02x", raw[i]);
    return 0;
}

#define IDEMPOTENCY_KEY_MAX 200

/* A report read and judged, waiting for the commit that stores it. */
typedef struct report_wait {
    truce_event_doc *doc;
    char *record, *event;
    truce_store_put_result res;
    truce_text answer;
    truce_status st; /* the store's */
} report_wait;

static void report_wait_free(void *p)
{
    report_wait *w = p;
    free(w->event);
    free(w->record);
    truce_event_doc_free(w->doc);
    truce_text_release(&w->answer);
    free(w);
}

/* Read and judge r's report, with the agreement held: the report waiting
 * to be stored, or NULL with an answer queued. */
static report_wait *report_judged(srv_req *r)
{
    srv *s = r->s;
    char id[40], field[96], why[300];
    if (fresh_id(id)) {
        srv_problem(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "no randomness for an id");
        return NULL;
    }
    report_wait *w = calloc(1, sizeof *w);
    if (!w) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
        return NULL;
    }
    /* A sighting's observer_place names a place of the agreement served
     * (held by the caller). */
    truce_reader_options ropt = s->ropt;
    ropt.places = srv_agreement(s)->places;
    ropt.nplaces = srv_agreement(s)->nplaces;
    truce_status st = truce_event_read_json(r->body ? r->body : "", r->len, NULL, id, &ropt,
                                            &w->doc, field, sizeof field, why, sizeof why);
    if (st == TRUCE_E_PARSE || st == TRUCE_E_INVALID)
        srv_problem(r, MHD_HTTP_BAD_REQUEST, field[0] ? field : "body", why);
    else if (st)
        srv_problem(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, why);
    if (!st) {
        st = srv_judge(s, truce_event_doc_event(w->doc), &w->record, why, sizeof why);
        if (st)
            srv_problem(r,
                        st == TRUCE_E_NOMEM ? MHD_HTTP_SERVICE_UNAVAILABLE
                                            : MHD_HTTP_UNPROCESSABLE_CONTENT,
                        NULL, why);
    }
    if (!st && !(w->event = srv_event_json(truce_event_doc_event(w->doc)))) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
        st = TRUCE_E_NOMEM;
    }
    if (st) {
        report_wait_free(w);
        return NULL;
    }
    return w;
}

/* The commit holding the report is through (the store's thread): wake
 * the connection, whose handler answers in post_report_stored. */
static void report_stored(void *ctx, truce_status st)
{
    srv_req *r = ctx;
    ((report_wait *)r->pending)->st = st;
    srv_resume(r);
}

/* POST /api/v1/reports, once stored (or not). */
static void post_report_stored(srv_req *r)
{
    report_wait *w = r->pending;
    const char *id = truce_event_doc_event(w->doc)->id;
    if (w->st) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot write the report");
    } else if (w->res.outcome == TRUCE_STORE_CONFLICT) {
        srv_problem(r, MHD_HTTP_CONFLICT, "id", "a different event with this id is stored");
    } else if (w->res.outcome == TRUCE_STORE_KEY_REUSED) {
        srv_problem(r, MHD_HTTP_UNPROCESSABLE_CONTENT, "Idempotency-Key",
                    "this key came with a different request");
    } else {
        /* Without them (out of memory, the store unreadable) the report
         * is still stored and answered. */
        int now = w->res.outcome == TRUCE_STORE_CREATED && !w->res.replayed;
        (void)srv_duplicates_add(r, now ? truce_event_doc_event(w->doc) : NULL, &w->answer);
        char *location = NULL;
        if (w->res.outcome == TRUCE_STORE_CREATED) {
            size_t n = strlen(id) * 3 + 32;
            location = malloc(n);
            if (location) {
                int k = snprintf(location, n, "/api/v1/events/");
                for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
                    int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                                (*p >= '0' && *p <= '9') || strchr("-._~", *p);
                    k += snprintf(location + k, n - (size_t)k, plain ? "%c" : "%%%02X", *p);
                }
            }
        }
        srv_answer(r, w->res.outcome == TRUCE_STORE_CREATED ? MHD_HTTP_CREATED : MHD_HTTP_OK,
                   "application/json", w->answer.p, w->answer.len, MHD_HTTP_HEADER_LOCATION,
                   location);
        free(location);
    }
    srv_unpend(r);
}

/* POST /api/v1/reports: read and judged here, then queued for the store's
 * next commit while the connection waits, suspended (no thread held), so
 * that many reports share one commit; answered in post_report_stored.  A
 * report is judged and queued under one agreement: a PUT of a new one
 * waits for it, and the store commits what is queued before judging the
 * stored events again. */
static void post_report(srv_req *r)
{
    srv *s = r->s;
    const char *key = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, "Idempotency-Key");
    if (key && (!*key || strlen(key) > IDEMPOTENCY_KEY_MAX)) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "Idempotency-Key", "expected 1 to 200 characters");
        return;
    }
    pthread_rwlock_rdlock(&s->agreement_lock);
    report_wait *w = report_judged(r);
    if (w) {
        const truce_event *e = truce_event_doc_event(w->doc);
        truce_store_report rep = {.id = e->id,
                                  .event_json = w->event,
                                  .record = w->record,
                                  .token_id = r->who.id,
                                  .idempotency_key = key,
                                  .request = r->body,
                                  .request_len = r->len};
        srv_suspend(r, w, report_wait_free, post_report_stored);
        w->st =
            truce_store_report_submit(s->cfg->store, &rep, &w->res, &w->answer, report_stored, r);
        if (w->st)
            srv_resume(r); /* not queued: answered at once */
    }
    pthread_rwlock_unlock(&s->agreement_lock);
}

int srv_event_read(srv_req *r, const char *id, truce_text *out)
{
    srv *s = r->s;
    if (r->who.role == TRUCE_ROLE_REPORTER) {
        int64_t by = 0;
        truce_status st = truce_store_event_submitter(s->cfg->store, id, &by);
        if (st == TRUCE_E_NOT_FOUND) {
            srv_problem(r, MHD_HTTP_NOT_FOUND, NULL, "no such event");
            return -1;
        }
        if (st || by != r->who.id) {
            srv_problem(r, st ? MHD_HTTP_SERVICE_UNAVAILABLE : MHD_HTTP_FORBIDDEN, NULL,
                        st ? "the store cannot be read" : "a reporter sees its own reports only");
            return -1;
        }
    }
    truce_status st = truce_store_event_get(s->cfg->store, id, out);
    if (st == TRUCE_E_NOT_FOUND)
        srv_problem(r, MHD_HTTP_NOT_FOUND, NULL, "no such event");
    else if (st)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot be read");
    return st ? -1 : 0;
}

static void get_event(srv_req *r)
{
    truce_text out = {0};
    if (!srv_event_read(r, r->param, &out))
        srv_answer(r, MHD_HTTP_OK, "application/json", out.p, out.len, NULL, NULL);
    truce_text_release(&out);
}

static void post_review(srv_req *r)
{
    srv *s = r->s;
    truce_review_request rq;
    const char *field;
    char why[300];
    truce_status st =
        truce_review_request_read(r->body ? r->body : "", r->len, &rq, &field, why, sizeof why);
    if (st == TRUCE_E_PARSE || st == TRUCE_E_INVALID) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, field ? field : "body", why);
        return;
    }
    if (st) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, truce_strerror(st));
        return;
    }
    truce_review_decision d;
    truce_text out = {0};
    pthread_rwlock_rdlock(&s->agreement_lock);
    const truce_strings *parties = &srv_agreement(s)->parties;
    st = truce_store_review(s->cfg->store, r->param, &r->who, &rq, NULL,
                            (const char *const *)parties->items, parties->count, &d, &out);
    pthread_rwlock_unlock(&s->agreement_lock);
    static const unsigned refused[] = {[TRUCE_REVIEW_FORBIDDEN] = MHD_HTTP_FORBIDDEN,
                                       [TRUCE_REVIEW_INVALID] = MHD_HTTP_BAD_REQUEST,
                                       [TRUCE_REVIEW_CONFLICT] = MHD_HTTP_CONFLICT};
    if (st == TRUCE_E_NOT_FOUND)
        srv_problem(r, MHD_HTTP_NOT_FOUND, NULL, "no such event");
    else if (st)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot write the review");
    else if (d.outcome != TRUCE_REVIEW_OK)
        srv_problem(r, refused[d.outcome], d.field, d.reason);
    else
        srv_answer(r, MHD_HTTP_CREATED, "application/json", out.p, out.len, NULL, NULL);
    truce_text_release(&out);
    truce_review_request_release(&rq);
}

/* ---- listing ---- */

#define LIST_LIMIT_DEFAULT 100
#define LIST_LIMIT_MAX 1000

typedef struct list_out {
    truce_text *body;
    int geojson;
    size_t n;
} list_out;

static truce_status on_listed(void *ctx, const char *json, size_t len)
{
    list_out *o = ctx;
    truce_status st = TRUCE_OK;
    if (o->geojson) {
        if (o->n)
            st = truce_text_append(o->body, ",", 1);
        if (!st)
            st = truce_store_event_feature(json, len, o->body);
    } else {
        st = truce_text_append(o->body, json, len);
        if (!st)
            st = truce_text_append(o->body, "\n", 1);
    }
    o->n++;
    return st;
}

truce_status srv_events_page(srv_req *r, const truce_event_filter *f, int queue, int64_t after,
                             size_t limit, int geojson, truce_text *out, size_t *n, int64_t *next)
{
    list_out o = {out, geojson, 0};
    truce_store_filter filter = {.submitted_by = r->who.role == TRUCE_ROLE_REPORTER ? r->who.id : 0,
                                 .events = f};
    if (queue) {
        filter.open = 1;
        filter.waiting_for = r->who.party[0] ? r->who.party : NULL;
        filter.newest_first = 1;
    }
    truce_status st =
        truce_store_events_list(r->s->cfg->store, &filter, after, limit, on_listed, &o, next);
    *n = o.n;
    return st;
}

/* GET /api/v1/events: the stored events in the order they came that pass
 * the query's filters (routes_query.c), a page at a time: `limit` (1 to
 * 1000, default 100) and `cursor`, the opaque position the previous page's
 * next link carries (checked against the filters); `f=jsonl` for JSON
 * Lines, else a GeoJSON FeatureCollection.  A reporter sees its own
 * reports.  With `queue` (GET /api/v1/queue), the events still open to
 * review that wait for the token's party (any party's for a token without
 * one), newest first. */
void srv_list_events(srv_req *r, const char *path, int queue)
{
    const char *cursor = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "cursor");
    const char *f = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "f");
    long limit;
    if (srv_query_limit(r, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, 0, &limit))
        return;
    if (f && strcmp(f, "jsonl") && strcmp(f, "geojson")) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "f", "expected geojson or jsonl");
        return;
    }
    truce_event_filter ef;
    int64_t after;
    if (srv_query_filter(r, &ef) || srv_cursor_read(r, cursor, &ef, &after))
        return;
    truce_text body = {0};
    int geojson = !f || !strcmp(f, "geojson");
    size_t n;
    int64_t next = 0;
    static const char head[] = "{\"type\":\"FeatureCollection\",\"features\":[";
    static const char tail[] = "],\"links\":[";
    static const char next_member[] =
        "{\"rel\":\"next\",\"type\":\"application/geo+json\",\"href\":\"";
    truce_status st = geojson ? truce_text_append(&body, head, sizeof head - 1) : TRUCE_OK;
    if (!st)
        st = srv_events_page(r, &ef, queue, after, (size_t)limit, geojson, &body, &n, &next);
    truce_text link = {0};
    if (!st && next)
        st = srv_next_link(path, limit, &ef, next, geojson ? "" : "&f=jsonl", &link);
    if (!st && geojson) {
        /* The link's characters are all URL-safe: none needs escaping in JSON. */
        st = truce_text_append(&body, tail, sizeof tail - 1);
        if (!st && next)
            st = truce_text_append(&body, next_member, sizeof next_member - 1);
        if (!st && next)
            st = truce_text_append(&body, link.p, link.len);
        if (!st && next)
            st = truce_text_append(&body, "\"}", 2);
        if (!st)
            st = truce_text_append(&body, "]}", 2);
    }
    truce_text header = {0};
    if (!st && next)
        st = truce_text_append(&header, "<", 1);
    if (!st && next)
        st = truce_text_append(&header, link.p, link.len);
    if (!st && next)
        st = truce_text_append(&header, ">; rel=\"next\"", 13);
    if (st) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot be read");
    } else {
        srv_answer(r, MHD_HTTP_OK, geojson ? "application/geo+json" : "application/x-ndjson",
                   body.p ? body.p : "", body.len, "Link", next ? header.p : NULL);
    }
    truce_text_release(&header);
    truce_text_release(&link);
    truce_text_release(&body);
}

static void list_events(srv_req *r)
{
    srv_list_events(r, "/api/v1/events", 0);
}

#define WRITERS                                                                                    \
    (SRV_ROLE(TRUCE_ROLE_ADMIN) | SRV_ROLE(TRUCE_ROLE_PARTY) | SRV_ROLE(TRUCE_ROLE_REPORTER))
#define REVIEWERS (SRV_ROLE(TRUCE_ROLE_ADMIN) | SRV_ROLE(TRUCE_ROLE_PARTY))

static const srv_route routes[] = {
    {"GET", "/healthz", 0, 0, healthz},
    {"POST", "/api/v1/reports", WRITERS, 1, post_report},
    {"GET", "/api/v1/events", SRV_ANY_ROLE, 0, list_events},
    {"GET", "/api/v1/events/{}", SRV_ANY_ROLE, 0, get_event},
    {"GET", "/api/v1/events/{}/duplicates", SRV_ANY_ROLE, SRV_BODY_NONE, srv_get_duplicates},
    {"POST", "/api/v1/events/{}/reviews", REVIEWERS, 1, post_review},
    {"POST", "/api/v1/imports", WRITERS, SRV_BODY_SPOOL, srv_post_import},
    {"POST", "/api/v1/tracks", WRITERS, SRV_BODY_MEMORY, srv_post_track},
    {"GET", "/api/v1/patrols", SRV_ANY_ROLE, SRV_BODY_NONE, srv_get_patrols},
    {"GET", "/api/v1/stats", SRV_ANY_ROLE, SRV_BODY_NONE, srv_get_stats},
    {"GET", "/api/v1/agreement", SRV_ANY_ROLE, SRV_BODY_NONE, srv_get_agreement},
    {"GET", "/api/v1/corridors/{}", SRV_ANY_ROLE, SRV_BODY_NONE, srv_get_corridor},
    {"PUT", "/api/v1/agreement", SRV_ROLE(TRUCE_ROLE_ADMIN), SRV_BODY_MEMORY, srv_put_agreement},
    {"GET", "/metrics", SRV_ANY_ROLE, SRV_BODY_NONE, srv_get_metrics},
    {"GET", "/api/v1/openapi.json", SRV_ANY_ROLE, SRV_BODY_NONE, srv_get_openapi},
    /* ---- the live stream and webhooks ---- */
    {"GET", "/api/v1/stream", SRV_ANY_ROLE, SRV_BODY_NONE, srv_get_stream},
    {"POST", "/api/v1/webhooks", SRV_ROLE(TRUCE_ROLE_ADMIN), SRV_BODY_MEMORY, srv_post_webhook},
    {"GET", "/api/v1/webhooks", SRV_ROLE(TRUCE_ROLE_ADMIN), SRV_BODY_NONE, srv_list_webhooks},
    {"DELETE", "/api/v1/webhooks/{}", SRV_ROLE(TRUCE_ROLE_ADMIN), SRV_BODY_NONE,
     srv_delete_webhook},
    {"GET", "/api/v1/webhooks/{}/deliveries", SRV_ROLE(TRUCE_ROLE_ADMIN), SRV_BODY_NONE,
     srv_list_webhook_deliveries},
    /* ---- the dashboard ---- */
    {"GET", "/", 0, SRV_BODY_NONE, srv_get_asset},
    {"GET", "/assets/{}", 0, SRV_BODY_NONE, srv_get_asset},
    {"GET", "/api/v1/me", SRV_ANY_ROLE, SRV_BODY_NONE, srv_get_me},
    {"GET", "/api/v1/queue", SRV_ANY_ROLE, SRV_BODY_NONE, srv_get_queue},
    {"GET", "/api/v1/grid", SRV_ANY_ROLE, SRV_BODY_NONE, srv_get_grid},
    /* ---- OGC API - Features ---- */
    {"GET", "/ogc", SRV_ANY_ROLE, SRV_BODY_NONE, srv_ogc_landing},
    {"GET", "/ogc/conformance", SRV_ANY_ROLE, SRV_BODY_NONE, srv_ogc_conformance},
    {"GET", "/ogc/collections", SRV_ANY_ROLE, SRV_BODY_NONE, srv_ogc_collections},
    {"GET", "/ogc/collections/{}", SRV_ANY_ROLE, SRV_BODY_NONE, srv_ogc_collection},
    {"GET", "/ogc/collections/{}/items", SRV_ANY_ROLE, SRV_BODY_NONE, srv_ogc_items},
    {"GET", "/ogc/collections/{}/items/{}", SRV_ANY_ROLE, SRV_BODY_NONE, srv_ogc_item},
};

size_t srv_route_count(void)
{
    return sizeof routes / sizeof routes[0];
}

const srv_route *srv_route_at(size_t i)
{
    return i < srv_route_count() ? &routes[i] : NULL;
}

void srv_route_name(const srv_route *route, char *out, size_t len)
{
    size_t w = 0;
    for (const char *p = route->pattern; *p && w + 5 < len; p++) {
        if (p[0] == '{' && p[1] == '}') {
            memcpy(out + w, "{id}", 4);
            w += 4;
            p++;
        } else {
            out[w++] = *p;
        }
    }
    out[w] = '\0';
}

/* Whether path matches pattern; the segments matched by {} go to param,
 * joined by '/' when there are several. */
static int match(const char *pattern, const char *path, char *param, size_t param_len)
{
    size_t w = 0;
    param[0] = '\0';
    for (;;) {
        const char *brace = strstr(pattern, "{}");
        if (!brace)
            return !strcmp(pattern, path);
        size_t head = (size_t)(brace - pattern);
        if (strncmp(pattern, path, head))
            return 0;
        const char *seg = path + head;
        size_t n = strcspn(seg, "/");
        if (!n || w + n + 1 >= param_len)
            return 0;
        if (w)
            param[w++] = '/';
        memcpy(param + w, seg, n);
        param[w += n] = '\0';
        pattern = brace + 2;
        path = seg + n;
    }
}

const srv_route *srv_route_find(const char *method, const char *path, int *other, char *param,
                                size_t param_len)
{
    *other = 0;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!match(routes[i].pattern, path, param, param_len))
            continue;
        if (!strcmp(routes[i].method, method))
            return &routes[i];
        *other = 1;
    }
    return NULL;
}

void srv_route_allow(const char *path, char *out, size_t len)
{
    char param[512];
    size_t w = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (path && match(routes[i].pattern, path, param, sizeof param) && w < len)
            w += (size_t)snprintf(out + w, len - w, "%s%s", w ? ", " : "", routes[i].method);
}
