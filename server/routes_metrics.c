/* truce serve: GET /metrics, in the Prometheus text exposition format
 * (version 0.0.4, https://prometheus.io/docs/instrumenting/exposition_formats/):
 * requests by route and status, a latency histogram by route (counted
 * here, lock-free, as each request ends), the stored events by verdict and
 * review status and the store's size (asked of the store, truce_store_tally
 * and truce_store_size, at each scrape). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_impl.h"

/* Statuses 100 to 599 are counted one by one. */
#define STATUS_MIN 100
#define STATUSES 500

/* Histogram bounds (seconds): a report is judged and synced to disk in a
 * few milliseconds, a PUT of the agreement over many events in seconds. */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                0.1,    0.25,  0.5,    1,     2.5,  5,     10};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])

typedef struct route_counts {
    atomic_ulong status[STATUSES];
    atomic_ulong le[NBOUNDS]; /* answers within bounds[i] (not cumulative) */
    atomic_ulong count;
    atomic_ulong sum_us; /* microseconds, summed */
} route_counts;

struct srv_metrics {
    size_t nroutes;        /* the table's; one more slot for requests that matched none */
    route_counts routes[]; /* nroutes + 1 */
};

int srv_metrics_start(srv *s)
{
    size_t n = srv_route_count();
    s->metrics = calloc(1, sizeof *s->metrics + (n + 1) * sizeof(route_counts));
    if (!s->metrics)
        return -1;
    s->metrics->nroutes = n;
    return 0;
}

void srv_metrics_stop(srv *s)
{
    free(s->metrics);
    s->metrics = NULL;
}

void srv_metrics_observe(srv *s, const srv_route *route, unsigned status, double seconds)
{
    struct srv_metrics *m = s->metrics;
    size_t i = m->nroutes;
    for (size_t k = 0; route && k < m->nroutes; k++)
        if (srv_route_at(k) == route)
            i = k;
    route_counts *c = &m->routes[i];
    if (status >= STATUS_MIN && status < STATUS_MIN + STATUSES)
        atomic_fetch_add(&c->status[status - STATUS_MIN], 1);
    size_t b = 0;
    while (b < NBOUNDS && seconds > bounds[b])
        b++;
    if (b < NBOUNDS)
        atomic_fetch_add(&c->le[b], 1);
    atomic_fetch_add(&c->count, 1);
    atomic_fetch_add(&c->sum_us, (unsigned long)(seconds * 1e6 + 0.5));
}

typedef struct page {
    truce_text t;
    truce_status st;
} page;

static void say(page *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void say(page *p, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (!p->st && n > 0)
        p->st =
            truce_text_append(&p->t, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* The labels of route i: method and pattern, "{}" written "{id}" as in the
 * OpenAPI document; "unmatched" for requests no route took. */
static void labels(size_t i, char *out, size_t len)
{
    const srv_route *r = srv_route_at(i);
    if (!r) {
        snprintf(out, len, "method=\"\",route=\"unmatched\"");
        return;
    }
    char name[128];
    srv_route_name(r, name, sizeof name);
    snprintf(out, len, "method=\"%s\",route=\"%s\"", r->method, name);
}

static truce_status on_tally(void *ctx, const char *verdict, const char *status, int64_t events)
{
    page *p = ctx;
    say(p, "truce_events{verdict=\"%s\",status=\"%s\"} %lld\n", verdict, status, (long long)events);
    return p->st;
}

void srv_get_metrics(srv_req *r)
{
    srv *s = r->s;
    struct srv_metrics *m = s->metrics;
    page p = {{0}, TRUCE_OK};
    char l[300];
    say(&p, "# HELP truce_http_requests_total HTTP requests answered, by route and status.\n"
            "# TYPE truce_http_requests_total counter\n");
    for (size_t i = 0; i <= m->nroutes; i++) {
        labels(i, l, sizeof l);
        for (unsigned k = 0; k < STATUSES; k++) {
            unsigned long n = atomic_load(&m->routes[i].status[k]);
            if (n)
                say(&p, "truce_http_requests_total{%s,status=\"%u\"} %lu\n", l, k + STATUS_MIN, n);
        }
    }
    say(&p, "# HELP truce_http_request_duration_seconds Time from a request's first byte to"
            " its answer, by route.\n"
            "# TYPE truce_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i <= m->nroutes; i++) {
        route_counts *c = &m->routes[i];
        unsigned long count = atomic_load(&c->count);
        if (!count)
            continue;
        labels(i, l, sizeof l);
        unsigned long below = 0;
        for (size_t b = 0; b < NBOUNDS; b++) {
            below += atomic_load(&c->le[b]);
            say(&p, "truce_http_request_duration_seconds_bucket{%s,le=\"%g\"} %lu\n", l, bounds[b],
                below);
        }
        say(&p, "truce_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %lu\n", l, count);
        say(&p, "truce_http_request_duration_seconds_sum{%s} %.6f\n", l,
            (double)atomic_load(&c->sum_us) / 1e6);
        say(&p, "truce_http_request_duration_seconds_count{%s} %lu\n", l, count);
    }
    say(&p, "# HELP truce_events Stored events by current verdict and review status.\n"
            "# TYPE truce_events gauge\n");
    truce_status st = p.st ? p.st : truce_store_tally(s->cfg->store, on_tally, &p);
    int64_t bytes = 0;
    if (!st)
        st = truce_store_size(s->cfg->store, &bytes);
    say(&p,
        "# HELP truce_store_bytes The store's size on disk.\n"
        "# TYPE truce_store_bytes gauge\n"
        "truce_store_bytes %lld\n",
        (long long)bytes);
    say(&p,
        "# HELP truce_agreement_version The stored agreement version being served.\n"
        "# TYPE truce_agreement_version gauge\n"
        "truce_agreement_version %lld\n",
        (long long)atomic_load(&s->agreement_version));
    if (!st)
        st = p.st;
    if (st)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                    st == TRUCE_E_NOMEM ? "out of memory" : "the store cannot be read");
    else
        srv_answer(r, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", p.t.p, p.t.len, NULL,
                   NULL);
    truce_text_release(&p.t);
}
