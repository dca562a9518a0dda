/* truce serve: the webhooks' deliverer, one thread.  It queues the new
 * changes that pass each webhook's filter (truce_store_webhooks_queue),
 * POSTs each delivery that is due with libcurl, signed
 * (truce_webhook_sign), and records the attempt, which schedules the next
 * one or gives up (truce_store_webhook_attempted).  Everything it knows is
 * in the store, so a restart goes on where it stopped.  With nothing due it
 * waits for the store's next change, or for the next retry's time.
 *
 * One attempt at a time: a receiver that takes long (up to the 10 s
 * timeout) delays the others. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server_impl.h"
#include "truce/version.h"
#include "truce/webhook.h"

/* Deliveries handed out at once, and changes read for each webhook. */
#define BATCH 16
#define QUEUE_PAGE 512
/* The longest wait between two looks at the queue (ms), and an attempt's
 * time limits. */
#define IDLE_MS 1000
#define CONNECT_TIMEOUT_MS 5000L
#define TIMEOUT_MS 10000L

typedef struct srv_deliverer {
    srv *s;
    pthread_t thread;
    int running;
    atomic_int stop;
    CURL *curl;
    size_t handed; /* deliveries handed out in this round */
} srv_deliverer;

static double unix_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The receiver's answer is not kept. */
static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

/* Cut an attempt short when the server stops. */
static int progress(void *ctx, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a;
    (void)b;
    (void)c;
    (void)d;
    return atomic_load(&((srv_deliverer *)ctx)->stop) ? 1 : 0;
}

static truce_status deliver(void *ctx, const truce_webhook_delivery *d)
{
    srv_deliverer *dl = ctx;
    if (atomic_load(&dl->stop))
        return TRUCE_E_INTERNAL; /* not attempted: it stays due */
    dl->handed++;
    double start = unix_now();
    char signature[TRUCE_WEBHOOK_SIGNATURE_SIZE], header[32 + TRUCE_WEBHOOK_SIGNATURE_SIZE];
    truce_webhook_sign(d->secret, (int64_t)start, d->body, d->len, signature);
    snprintf(header, sizeof header, "Truce-Signature: %s", signature);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = headers ? curl_slist_append(headers, header) : NULL;
    /* No "Expect: 100-continue": the body goes at once. */
    headers = headers ? curl_slist_append(headers, "Expect:") : NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    CURL *h = dl->curl;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, d->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "truce/" TRUCE_VERSION_STRING);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, d->body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)d->len);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, dl);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = headers ? curl_easy_perform(h) : CURLE_OUT_OF_MEMORY;
    curl_slist_free_all(headers);
    if (rc == CURLE_ABORTED_BY_CALLBACK)
        return TRUCE_E_INTERNAL; /* stopping: not recorded, tried again at the next start */
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    char why[CURL_ERROR_SIZE + 32];
    if (rc != CURLE_OK)
        snprintf(why, sizeof why, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    else
        snprintf(why, sizeof why, "the receiver answered %ld", status);
    truce_webhook_attempt a = {start, (int)status, status >= 200 && status <= 299 ? NULL : why,
                               (unix_now() - start) * 1000};
    /* A store that cannot record it leaves it due: it is tried again. */
    truce_store_webhook_attempted(dl->s->cfg->store, d, &a, dl->s->cfg->webhook_retry_s);
    return TRUCE_OK;
}

static void *run(void *arg)
{
    srv_deliverer *dl = arg;
    truce_store *store = dl->s->cfg->store;
    while (!atomic_load(&dl->stop)) {
        int64_t seen = 0;
        size_t queued = 0;
        double next = 0;
        dl->handed = 0;
        truce_store_changes_latest(store, &seen);
        truce_store_webhooks_queue(store, QUEUE_PAGE, &queued);
        truce_store_webhooks_due(store, unix_now(), BATCH, deliver, dl, &next);
        if (dl->handed || queued)
            continue;
        double wait_ms = next > 0 ? (next - unix_now()) * 1000 : IDLE_MS;
        if (wait_ms > IDLE_MS)
            wait_ms = IDLE_MS;
        int64_t latest;
        if (wait_ms >= 1)
            truce_store_changes_wait(store, seen, (unsigned)wait_ms, &latest);
    }
    return NULL;
}

int srv_deliverer_start(srv *s)
{
    srv_deliverer *dl = calloc(1, sizeof *dl);
    if (!dl || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        free(dl);
        fprintf(stderr, "truce serve: cannot set up libcurl for webhooks\n");
        return -1;
    }
    dl->s = s;
    atomic_init(&dl->stop, 0);
    s->deliverer = dl;
    dl->curl = curl_easy_init();
    if (!dl->curl || pthread_create(&dl->thread, NULL, run, dl)) {
        fprintf(stderr, "truce serve: cannot start the webhooks' thread\n");
        return -1;
    }
    dl->running = 1;
    return 0;
}

void srv_deliverer_stop(srv *s)
{
    srv_deliverer *dl = s->deliverer;
    if (!dl)
        return;
    atomic_store(&dl->stop, 1);
    if (dl->running) {
        truce_store_changes_wake(s->cfg->store);
        pthread_join(dl->thread, NULL);
    }
    curl_easy_cleanup(dl->curl);
    curl_global_cleanup();
    free(dl);
    s->deliverer = NULL;
}
