/* Webhooks (truce/webhook.h): the signature, the retry schedule, and what
 * every backend shares -- checking what is registered, matching the change
 * feed against each webhook's filter, the JSON handed out. */
#include <math.h>
#include <nettle/hmac.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/util.h"
#include "store/store_impl.h"
#include "truce/webhook.h"

/* ---- the signature ---- */

/* HMAC-SHA256 keyed by `key` of `head` then `msg`. */
static void mac(const void *key, size_t key_len, const void *head, size_t head_len, const void *msg,
                size_t len, unsigned char out[SHA256_DIGEST_SIZE])
{
    struct hmac_sha256_ctx ctx;
    hmac_sha256_set_key(&ctx, key_len, key);
    hmac_sha256_update(&ctx, head_len, head);
    hmac_sha256_update(&ctx, len, msg);
    hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

void trc_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t len,
                     unsigned char out[32])
{
    mac(key, key_len, "", 0, msg, len, out);
}

truce_status truce_webhook_sign(const char *secret, int64_t t, const void *body, size_t len,
                                char out[TRUCE_WEBHOOK_SIGNATURE_SIZE])
{
    if (!secret || (!body && len) || !out)
        return TRUCE_E_ARG;
    char head[32];
    int n = snprintf(head, sizeof head, "%lld.", (long long)t);
    unsigned char digest[SHA256_DIGEST_SIZE];
    mac(secret, strlen(secret), head, (size_t)n, body ? body : "", len, digest);
    int w = snprintf(out, TRUCE_WEBHOOK_SIGNATURE_SIZE, "t=%lld,v1=", (long long)t);
    for (size_t i = 0; i < sizeof digest; i++)
        w += snprintf(out + w, TRUCE_WEBHOOK_SIGNATURE_SIZE - (size_t)w, "%02x", digest[i]);
    return TRUCE_OK;
}

/* ---- the retry schedule ---- */

/* The longest wait between attempts, and how long a delivery is tried, in
 * units of the first delay: an hour and a day at 10 s. */
#define RETRY_CAP 360.0
#define RETRY_FOR 8640.0

int truce_webhook_retry_at(double base_s, unsigned failures, double queued_s, double now_s,
                           double *next_s)
{
    if (!(base_s > 0) || !failures || !next_s)
        return 0;
    /* 2^(failures - 1), capped before it can overflow. */
    double delay = failures > 20 ? RETRY_CAP * base_s : ldexp(base_s, (int)failures - 1);
    if (delay > RETRY_CAP * base_s)
        delay = RETRY_CAP * base_s;
    double at = now_s + delay;
    if (at > queued_s + RETRY_FOR * base_s)
        return 0;
    *next_s = at;
    return 1;
}

/* ---- registering ---- */

/* http:// or https://, a host, no space or control character. */
static int url_ok(const char *url)
{
    size_t n = strlen(url);
    if (n > TRUCE_WEBHOOK_URL_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
            return 0;
    const char *rest = !strncmp(url, "http://", 7)    ? url + 7
                       : !strncmp(url, "https://", 8) ? url + 8
                                                      : NULL;
    return rest && *rest && *rest != '/' && *rest != ':' && *rest != '?' && *rest != '#';
}

/* A webhook as listed (no secret). */
static truce_status webhook_json(truce_text *out, const trc_webhook_row *w)
{
    truce_status st = trc_store_json_printf(out, "{\"id\":%lld,\"url\":", (long long)w->id);
    if (!st)
        st = trc_store_json_string(out, w->url);
    if (!st)
        st = trc_store_json_printf(out, ",\"filter\":%s,\"created_at\":", w->filter);
    if (!st)
        st = trc_store_json_string(out, w->created_at);
    if (!st && w->token_id)
        st = trc_store_json_printf(out, ",\"created_by\":%lld", (long long)w->token_id);
    else if (!st)
        st = truce_text_append(out, ",\"created_by\":null", 18);
    if (!st)
        st = trc_store_json_printf(
            out, ",\"active\":%s,\"deactivated_at\":", w->deactivated_at ? "false" : "true");
    if (!st)
        st = trc_store_json_string(out, w->deactivated_at);
    if (!st)
        st = truce_text_append(out, "}", 1);
    return st;
}

typedef struct listing {
    truce_text *out;
    size_t n;
} listing;

static truce_status on_listed(void *ctx, const trc_webhook_row *w)
{
    listing *l = ctx;
    truce_status st = l->n++ ? truce_text_append(l->out, ",", 1) : TRUCE_OK;
    return st ? st : webhook_json(l->out, w);
}

/* Webhook `id` as listed, appended to out (may be NULL: nothing). */
static truce_status one_webhook(truce_store *s, int64_t id, truce_text *out)
{
    listing l = {out, 0};
    return out ? s->ops->webhooks_read(s, id, on_listed, &l) : TRUCE_OK;
}

truce_status truce_store_webhook_add(truce_store *s, const char *url, const char *secret,
                                     const truce_event_filter *filter, int64_t token_id,
                                     int64_t *id, truce_text *out)
{
    if (!s || !url || !secret)
        return TRUCE_E_ARG;
    if (!url_ok(url))
        return TRUCE_E_INVALID;
    size_t n = strlen(secret);
    if (!n || n > TRUCE_WEBHOOK_SECRET_MAX)
        return TRUCE_E_RANGE;
    truce_event_filter all;
    truce_event_filter_init(&all);
    truce_text f = {0};
    truce_status st = truce_event_filter_json(filter ? filter : &all, &f);
    char at[32];
    trc_store_now(at);
    int64_t got = 0;
    if (!st)
        st = s->ops->webhook_add(s, url, secret, f.p, token_id, at, &got);
    truce_text_release(&f);
    if (!st && id)
        *id = got;
    return st ? st : one_webhook(s, got, out);
}

truce_status truce_store_webhooks_list(truce_store *s, truce_text *out)
{
    if (!s || !out)
        return TRUCE_E_ARG;
    listing l = {out, 0};
    truce_status st = truce_text_append(out, "[", 1);
    if (!st)
        st = s->ops->webhooks_read(s, 0, on_listed, &l);
    return st ? st : truce_text_append(out, "]", 1);
}

truce_status truce_store_webhook_deactivate(truce_store *s, int64_t id, truce_text *out)
{
    if (!s)
        return TRUCE_E_ARG;
    char at[32];
    trc_store_now(at);
    truce_status st = s->ops->webhook_deactivate(s, id, at);
    return st ? st : one_webhook(s, id, out);
}

/* ---- the delivery log ---- */

/* Unix seconds as RFC 3339 UTC with microseconds. */
static void unix_text(double unix_s, char out[32])
{
    double whole = floor(unix_s);
    trc_store_time((int64_t)whole, lround((unix_s - whole) * 1e6) % 1000000, out);
}

typedef struct log_out {
    truce_text *out;
    size_t limit, given; /* deliveries asked for, and given so far */
    int64_t open;        /* the delivery whose object is open (its attempts array) */
    size_t n;            /* its attempts given */
    int more;            /* a delivery after the last given was read */
} log_out;

static truce_status on_logged(void *ctx, const trc_delivery_row *d)
{
    log_out *l = ctx;
    truce_text *out = l->out;
    truce_status st = TRUCE_OK;
    if (l->more)
        return TRUCE_OK;
    if (d->id != l->open && l->given == l->limit) {
        l->more = 1;
        return TRUCE_OK;
    }
    if (d->id != l->open) {
        char queued[32], next[32];
        unix_text(d->queued_s, queued);
        unix_text(d->next_s, next);
        int pending = !strcmp(d->state, "pending");
        st = trc_store_json_printf(
            out, "%s{\"id\":%lld,\"change\":%lld,\"kind\":\"%s\",\"event\":", l->open ? "]}," : "",
            (long long)d->id, (long long)d->change, d->kind);
        if (!st)
            st = trc_store_json_string(out, d->event_id);
        if (!st)
            st = trc_store_json_printf(out, ",\"state\":\"%s\",\"queued_at\":\"%s\"", d->state,
                                       queued);
        if (!st)
            st = trc_store_json_printf(out, ",\"next_attempt_at\":%s%s%s,\"attempts\":[",
                                       pending ? "\"" : "", pending ? next : "null",
                                       pending ? "\"" : "");
        l->open = d->id;
        l->given++;
        l->n = 0;
    }
    if (st || !d->at)
        return st;
    st = trc_store_json_printf(out, "%s{\"at\":", l->n++ ? "," : "");
    if (!st)
        st = trc_store_json_string(out, d->at);
    if (!st && d->http_status)
        st = trc_store_json_printf(out, ",\"status\":%d", d->http_status);
    else if (!st)
        st = truce_text_append(out, ",\"status\":null", 14);
    if (!st)
        st = truce_text_append(out, ",\"error\":", 9);
    if (!st)
        st = trc_store_json_string(out, d->error);
    if (!st)
        st = trc_store_json_printf(out, ",\"duration_ms\":%.3f}", d->duration_ms);
    return st;
}

static truce_status exists(void *ctx, const trc_webhook_row *w)
{
    (void)w;
    *(int *)ctx = 1;
    return TRUCE_OK;
}

truce_status truce_store_webhook_deliveries(truce_store *s, int64_t id, int64_t after, size_t limit,
                                            truce_text *out, int64_t *next)
{
    if (!s || !out || !next || !limit || after < 0)
        return TRUCE_E_ARG;
    *next = 0;
    int found = 0;
    truce_status st = s->ops->webhooks_read(s, id, exists, &found);
    if (!st && (!found || id <= 0))
        st = TRUCE_E_NOT_FOUND;
    log_out l = {out, limit, 0, 0, 0, 0};
    if (!st)
        st = truce_text_append(out, "[", 1);
    /* One more than asked: whether a next page follows. */
    if (!st)
        st = s->ops->deliveries_read(s, id, after, limit + 1, on_logged, &l);
    if (!st && l.open)
        st = truce_text_append(out, "]}", 2);
    if (!st)
        st = truce_text_append(out, "]", 1);
    if (!st && l.more)
        *next = l.open;
    return st;
}

/* ---- queueing: the change feed matched against each webhook ---- */

typedef struct hook {
    int64_t id, queued_through;
    truce_event_filter filter;
    int readable;
} hook;

typedef struct hooks {
    hook *v;
    size_t n;
} hooks;

static truce_status on_active(void *ctx, const trc_webhook_row *w)
{
    hooks *h = ctx;
    if (w->deactivated_at)
        return TRUCE_OK;
    hook *grown = trc_realloc(h->v, (h->n + 1) * sizeof *grown);
    if (!grown)
        return TRUCE_E_NOMEM;
    h->v = grown;
    hook *k = &h->v[h->n++];
    k->id = w->id;
    k->queued_through = w->queued_through;
    /* Stored by truce_store_webhook_add in canonical form: instants in UTC. */
    k->readable = truce_event_filter_read_json(&k->filter, w->filter, strlen(w->filter), NULL, NULL,
                                               0, NULL, 0) == TRUCE_OK;
    return TRUCE_OK;
}

typedef struct matched {
    int64_t *v;
    size_t n, cap;
} matched;

static truce_status on_match(void *ctx, const truce_store_change *c)
{
    matched *m = ctx;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        int64_t *grown = trc_realloc(m->v, cap * sizeof *grown);
        if (!grown)
            return TRUCE_E_NOMEM;
        m->v = grown;
        m->cap = cap;
    }
    m->v[m->n++] = c->seq;
    return TRUCE_OK;
}

static double unix_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

truce_status truce_store_webhooks_queue(truce_store *s, size_t limit, size_t *queued)
{
    if (!s || !limit)
        return TRUCE_E_ARG;
    if (queued)
        *queued = 0;
    hooks h = {0};
    matched m = {0};
    truce_status st = s->ops->webhooks_read(s, 0, on_active, &h);
    for (size_t i = 0; !st && i < h.n; i++) {
        if (!h.v[i].readable)
            continue;
        truce_store_filter f = {.events = &h.v[i].filter};
        int64_t last = h.v[i].queued_through;
        size_t n = 0;
        m.n = 0;
        st = truce_store_changes(s, &f, h.v[i].queued_through, limit, on_match, &m, &last);
        if (!st && last > h.v[i].queued_through)
            st = s->ops->webhook_enqueue(s, h.v[i].id, h.v[i].queued_through, last, m.v, m.n,
                                         unix_now(), &n);
        if (!st && queued)
            *queued += n;
    }
    trc_free(m.v);
    trc_free(h.v);
    return st;
}

/* ---- delivering ---- */

typedef struct due {
    trc_delivery_row row; /* its texts not kept: url and secret are copied */
    char *url, *secret;
} due;

typedef struct dues {
    due *v;
    size_t n;
} dues;

static truce_status on_due(void *ctx, const trc_delivery_row *d)
{
    dues *l = ctx;
    due *grown = trc_realloc(l->v, (l->n + 1) * sizeof *grown);
    if (!grown)
        return TRUCE_E_NOMEM;
    l->v = grown;
    due *x = &l->v[l->n];
    x->row = *d;
    x->url = truce_strdup(d->url);
    x->secret = truce_strdup(d->secret);
    x->row.kind = x->row.event_id = x->row.state = x->row.url = x->row.secret = NULL;
    l->n++;
    return x->url && x->secret ? TRUCE_OK : TRUCE_E_NOMEM;
}

typedef struct body {
    const due *d;
    truce_text *out;
    int found;
} body;

/* The POST's body for the change read back. */
static truce_status on_body(void *ctx, const trc_change_row *c)
{
    body *b = ctx;
    if (c->seq != b->d->row.change)
        return TRUCE_OK;
    b->found = 1;
    truce_status st = trc_store_json_printf(
        b->out,
        "{\"delivery\":%lld,\"webhook\":%lld,\"change\":{\"id\":%lld,\"kind\":\"%s\",\"at\":",
        (long long)b->d->row.id, (long long)b->d->row.webhook_id, (long long)c->seq,
        truce_change_kind_name(c->kind));
    if (!st)
        st = trc_store_json_string(b->out, c->at);
    if (!st)
        st = truce_text_append(b->out, "},\"event\":", 10);
    if (!st)
        st = trc_store_json_event(b->out, c->record, c->status, c->received_at, NULL);
    if (!st)
        st = truce_text_append(b->out, "}", 1);
    return st;
}

truce_status truce_store_webhooks_due(truce_store *s, double now_s, size_t limit,
                                      truce_webhook_delivery_fn fn, void *ctx, double *next_s)
{
    if (!s || !fn || !limit)
        return TRUCE_E_ARG;
    dues l = {0};
    double next = 0;
    truce_status st = s->ops->deliveries_due(s, now_s, limit, on_due, &l, &next);
    if (next_s)
        *next_s = next;
    truce_text text = {0};
    for (size_t i = 0; !st && i < l.n; i++) {
        text.len = 0;
        body b = {&l.v[i], &text, 0};
        int64_t last;
        st = s->ops->changes_read(s, l.v[i].row.change - 1, 1, on_body, &b, &last);
        if (!st && !b.found)
            st = TRUCE_E_IO;
        truce_webhook_delivery d = {l.v[i].row.id, l.v[i].row.webhook_id, l.v[i].row.change,
                                    l.v[i].url,    l.v[i].secret,         text.p,
                                    text.len,      l.v[i].row.attempts,   l.v[i].row.queued_s};
        if (!st)
            st = fn(ctx, &d);
    }
    for (size_t i = 0; i < l.n; i++) {
        trc_free(l.v[i].url);
        trc_free(l.v[i].secret);
    }
    trc_free(l.v);
    truce_text_release(&text);
    return st;
}

truce_status truce_store_webhook_attempted(truce_store *s, const truce_webhook_delivery *d,
                                           const truce_webhook_attempt *a, double retry_base_s)
{
    if (!s || !d || !a)
        return TRUCE_E_ARG;
    const char *state = "delivered";
    double next = 0;
    if (a->http_status < 200 || a->http_status > 299)
        state = truce_webhook_retry_at(retry_base_s, d->attempts + 1, d->queued_s, a->at_s, &next)
                    ? "pending"
                    : "failed";
    char at[32];
    unix_text(a->at_s, at);
    return s->ops->delivery_attempted(s, d->id, at, a->http_status, a->error, a->duration_ms, state,
                                      next);
}
