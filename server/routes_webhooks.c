/* truce serve: the webhooks' routes (docs/server.md, "Webhooks"), admins
 * only: register one, list them, deactivate one, read one's delivery log.
 * The store keeps them and checks them (truce/webhook.h); the deliverer
 * (webhook_delivery.c) sends. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "server_impl.h"
#include "truce/webhook.h"

#define LOG_LIMIT_DEFAULT 100
#define LOG_LIMIT_MAX 1000

/* The number in the path: > 0, or 0 after a 404. */
static int64_t path_id(srv_req *r)
{
    char *end;
    long long id = r->param[0] >= '1' && r->param[0] <= '9' ? strtoll(r->param, &end, 10) : 0;
    if (id <= 0 || *end) {
        srv_problem(r, MHD_HTTP_NOT_FOUND, NULL, "no such webhook");
        return 0;
    }
    return id;
}

static void answer_text(srv_req *r, unsigned status, truce_text *out)
{
    srv_answer(r, status, "application/json", out->p ? out->p : "", out->len, NULL, NULL);
}

/* {"url", "secret", "filter"}: what POST /api/v1/webhooks takes.  0, or -1
 * with a 400 answered. */
static int read_request(srv_req *r, json_t *doc, const char **url, const char **secret,
                        truce_event_filter *f)
{
    if (!json_is_object(doc)) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "body",
                    "expected a JSON object {url, secret, filter}");
        return -1;
    }
    const char *name;
    json_t *v;
    json_object_foreach(doc, name, v)
    {
        if (strcmp(name, "url") && strcmp(name, "secret") && strcmp(name, "filter")) {
            srv_problem(r, MHD_HTTP_BAD_REQUEST, name, "not a member of a webhook");
            return -1;
        }
    }
    *url = json_string_value(json_object_get(doc, "url"));
    *secret = json_string_value(json_object_get(doc, "secret"));
    if (!*url || !*secret) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, *url ? "secret" : "url", "expected a string");
        return -1;
    }
    json_t *filter = json_object_get(doc, "filter");
    char *text = filter ? json_dumps(filter, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    char param[64], why[200], field[80];
    truce_status st =
        truce_event_filter_read_json(f, text ? text : "{}", text ? strlen(text) : 2,
                                     srv_agreement(r->s)->tz, param, sizeof param, why, sizeof why);
    free(text);
    if (st) {
        snprintf(field, sizeof field, "filter%s%s", strcmp(param, "filter") ? "." : "",
                 strcmp(param, "filter") ? param : "");
        srv_problem(r, MHD_HTTP_BAD_REQUEST, field, why);
        return -1;
    }
    return 0;
}

void srv_post_webhook(srv_req *r)
{
    json_error_t err;
    json_t *doc = json_loadb(r->body ? r->body : "", r->len, JSON_REJECT_DUPLICATES, &err);
    if (!doc) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "body", err.text);
        return;
    }
    const char *url, *secret;
    truce_event_filter f;
    if (read_request(r, doc, &url, &secret, &f)) {
        json_decref(doc);
        return;
    }
    truce_text out = {0};
    truce_status st =
        truce_store_webhook_add(r->s->cfg->store, url, secret, &f, r->who.id, NULL, &out);
    if (st == TRUCE_E_INVALID)
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "url",
                    "expected an http:// or https:// URL with a host (at most 2048 bytes, no"
                    " spaces)");
    else if (st == TRUCE_E_RANGE)
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "secret", "expected 1 to 256 bytes");
    else if (st)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot write the webhook");
    else
        answer_text(r, MHD_HTTP_CREATED, &out);
    truce_text_release(&out);
    json_decref(doc);
}

void srv_list_webhooks(srv_req *r)
{
    truce_text out = {0};
    truce_status st = truce_text_append(&out, "{\"webhooks\":", 12);
    if (!st)
        st = truce_store_webhooks_list(r->s->cfg->store, &out);
    if (!st)
        st = truce_text_append(&out, "}", 1);
    if (st)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot be read");
    else
        answer_text(r, MHD_HTTP_OK, &out);
    truce_text_release(&out);
}

void srv_delete_webhook(srv_req *r)
{
    int64_t id = path_id(r);
    if (!id)
        return;
    truce_text out = {0};
    truce_status st = truce_store_webhook_deactivate(r->s->cfg->store, id, &out);
    if (st == TRUCE_E_NOT_FOUND)
        srv_problem(r, MHD_HTTP_NOT_FOUND, NULL, "no active webhook with this id");
    else if (st)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot write");
    else
        answer_text(r, MHD_HTTP_OK, &out);
    truce_text_release(&out);
}

/* A number parameter within [lo, hi], or `fallback` when absent: 0, or -1
 * with a 400 answered. */
static int number_arg(srv_req *r, const char *name, long long lo, long long hi, long long fallback,
                      long long *out)
{
    const char *v = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, name);
    *out = fallback;
    if (!v)
        return 0;
    char *end;
    *out = v[0] >= '0' && v[0] <= '9' ? strtoll(v, &end, 10) : -1;
    if (*out < lo || *out > hi || *end) {
        char why[96];
        snprintf(why, sizeof why, "expected a number from %lld to %lld", lo, hi);
        srv_problem(r, MHD_HTTP_BAD_REQUEST, name, why);
        return -1;
    }
    return 0;
}

void srv_list_webhook_deliveries(srv_req *r)
{
    int64_t id = path_id(r);
    long long limit, after;
    if (!id || number_arg(r, "limit", 1, LOG_LIMIT_MAX, LOG_LIMIT_DEFAULT, &limit) ||
        number_arg(r, "after", 0, INT64_MAX, 0, &after))
        return;
    truce_text out = {0};
    int64_t next = 0;
    truce_status st = truce_text_append(&out, "{\"deliveries\":", 14);
    if (!st)
        st =
            truce_store_webhook_deliveries(r->s->cfg->store, id, after, (size_t)limit, &out, &next);
    char link[128] = "";
    if (next)
        snprintf(link, sizeof link, "/api/v1/webhooks/%lld/deliveries?limit=%lld&after=%lld",
                 (long long)id, limit, (long long)next);
    /* The link's characters are all URL-safe: none needs escaping in JSON. */
    if (!st && next)
        st = truce_text_append(&out, ",\"next\":\"", 9);
    if (!st && next)
        st = truce_text_append(&out, link, strlen(link));
    if (!st)
        st = next ? truce_text_append(&out, "\"}", 2)
                  : truce_text_append(&out, ",\"next\":null}", 13);
    if (st == TRUCE_E_NOT_FOUND) {
        srv_problem(r, MHD_HTTP_NOT_FOUND, NULL, "no such webhook");
    } else if (st) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot be read");
    } else {
        char header[160];
        snprintf(header, sizeof header, "<%s>; rel=\"next\"", link);
        srv_answer(r, MHD_HTTP_OK, "application/json", out.p, out.len, "Link",
                   next ? header : NULL);
    }
    truce_text_release(&out);
}
