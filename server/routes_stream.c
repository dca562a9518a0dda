/* truce serve: GET /api/v1/stream, the changes to events as Server-Sent
 * Events (docs/server.md, "Live stream").
 *
 * A stream holds no request thread while it waits.  Its answer is a
 * content reader (MHD_create_response_from_callback) that writes the
 * changes the store has after the last one sent (truce_store_changes, with
 * the request's filter); when there are none it suspends its connection
 * (MHD_suspend_connection, then 0: microhttpd.h prescribes the pair for a
 * reader that has nothing yet) and returns.  One thread, the hub, waits
 * for the store's next change (truce_store_changes_wait) and resumes the
 * streams that are behind it, and those due a keepalive comment.  A stream
 * suspends and the hub resumes under the hub's lock, so that a change that
 * lands between a stream's last read and its suspension is seen by one or
 * the other, and a connection is resumed only while it is suspended
 * (libmicrohttpd leaves resuming one that is not undefined).  At SIGTERM
 * every suspended stream is resumed and ends, since the daemon may not be
 * stopped with connections suspended. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server_impl.h"

/* Changes read from the store at once for one stream. */
#define PAGE 256
/* The longest a stream stays silent: the contract's 15 s, or half the idle
 * timeout when that is shorter, so that a quiet stream is not closed. */
#define KEEPALIVE_MS 15000u
/* How often the hub looks at the clock when nothing changes. */
#define TICK_MS 500u

typedef struct stream stream;

typedef struct srv_streams {
    pthread_mutex_t lock;
    stream *head;   /* every open stream */
    unsigned count; /* ...how many */
    int64_t latest; /* the latest change the hub knows of */
    int stopping;   /* SIGTERM: streams end, new ones are refused */
    pthread_t hub;
    int running; /* the hub thread was started */
    unsigned keepalive_ms;
    srv *s;
} srv_streams;

struct stream {
    srv_streams *hub;
    struct MHD_Connection *c;
    truce_event_filter ef;
    truce_store_filter filter;
    int64_t after;  /* the last change read */
    truce_text out; /* text to send, from `sent` on */
    size_t sent;
    int suspended; /* under hub->lock */
    struct timespec wrote;
    stream *prev, *next;
};

static unsigned ms_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms =
        (double)(now.tv_sec - t0->tv_sec) * 1000 + (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
    return ms < 0 ? 0 : ms > 4e9 ? 4000000000u : (unsigned)ms;
}

/* One message: id, event and data lines (the event's JSON is one line). */
static truce_status on_change(void *ctx, const truce_store_change *c)
{
    stream *st = ctx;
    char head[96];
    int n = snprintf(head, sizeof head, "id: %lld\nevent: %s\ndata: ", (long long)c->seq,
                     truce_change_kind_name(c->kind));
    truce_status rc = truce_text_append(&st->out, head, (size_t)n);
    if (!rc)
        rc = truce_text_append(&st->out, c->json, c->len);
    if (!rc)
        rc = truce_text_append(&st->out, "\n\n", 2);
    return rc;
}

static ssize_t read_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    stream *st = cls;
    srv_streams *hub = st->hub;
    for (;;) {
        if (st->sent < st->out.len) {
            size_t n = st->out.len - st->sent < max ? st->out.len - st->sent : max;
            memcpy(buf, st->out.p + st->sent, n);
            st->sent += n;
            clock_gettime(CLOCK_MONOTONIC, &st->wrote);
            return (ssize_t)n;
        }
        st->out.len = st->sent = 0;
        pthread_mutex_lock(&hub->lock);
        int stopping = hub->stopping;
        pthread_mutex_unlock(&hub->lock);
        if (stopping)
            return MHD_CONTENT_READER_END_OF_STREAM;
        int64_t before = st->after;
        if (truce_store_changes(hub->s->cfg->store, &st->filter, st->after, PAGE, on_change, st,
                                &st->after))
            return MHD_CONTENT_READER_END_WITH_ERROR;
        if (st->out.len || st->after != before)
            continue;
        if (ms_since(&st->wrote) >= hub->keepalive_ms) {
            static const char keepalive[] = ": keepalive\n\n";
            if (truce_text_append(&st->out, keepalive, sizeof keepalive - 1))
                return MHD_CONTENT_READER_END_WITH_ERROR;
            continue;
        }
        pthread_mutex_lock(&hub->lock);
        if (hub->latest > st->after || hub->stopping) {
            pthread_mutex_unlock(&hub->lock);
            continue;
        }
        st->suspended = 1;
        MHD_suspend_connection(st->c);
        pthread_mutex_unlock(&hub->lock);
        return 0;
    }
}

static void free_stream(void *cls)
{
    stream *st = cls;
    srv_streams *hub = st->hub;
    pthread_mutex_lock(&hub->lock);
    if (st->prev)
        st->prev->next = st->next;
    else
        hub->head = st->next;
    if (st->next)
        st->next->prev = st->prev;
    hub->count--;
    pthread_mutex_unlock(&hub->lock);
    truce_text_release(&st->out);
    free(st);
}

/* Resume the suspended streams that have something to send: a change
 * after their last, a keepalive due, or the end. */
static void resume_due(srv_streams *hub)
{
    for (stream *st = hub->head; st; st = st->next) {
        if (!st->suspended)
            continue;
        if (hub->stopping || hub->latest > st->after || ms_since(&st->wrote) >= hub->keepalive_ms) {
            st->suspended = 0;
            MHD_resume_connection(st->c);
        }
    }
}

static void *run_hub(void *arg)
{
    srv_streams *hub = arg;
    truce_store *store = hub->s->cfg->store;
    int64_t latest = 0;
    pthread_mutex_lock(&hub->lock);
    int64_t known = hub->latest;
    pthread_mutex_unlock(&hub->lock);
    for (;;) {
        if (truce_store_changes_wait(store, known, TICK_MS, &latest))
            latest = known; /* the store failed: try again at the next tick */
        pthread_mutex_lock(&hub->lock);
        if (latest > hub->latest)
            hub->latest = latest;
        known = hub->latest;
        resume_due(hub);
        int stopping = hub->stopping;
        pthread_mutex_unlock(&hub->lock);
        if (stopping)
            return NULL;
    }
}

int srv_streams_start(srv *s)
{
    srv_streams *hub = calloc(1, sizeof *hub);
    if (!hub) {
        fprintf(stderr, "truce serve: out of memory\n");
        return -1;
    }
    pthread_mutex_init(&hub->lock, NULL);
    hub->s = s;
    unsigned half = s->cfg->timeout ? s->cfg->timeout * 500u : KEEPALIVE_MS;
    hub->keepalive_ms = half < KEEPALIVE_MS ? half : KEEPALIVE_MS;
    s->streams = hub;
    if (truce_store_changes_latest(s->cfg->store, &hub->latest)) {
        fprintf(stderr, "truce serve: the store's changes cannot be read\n");
        return -1;
    }
    if (pthread_create(&hub->hub, NULL, run_hub, hub)) {
        fprintf(stderr, "truce serve: cannot start the streams' thread\n");
        return -1;
    }
    hub->running = 1;
    return 0;
}

void srv_streams_stop(srv *s)
{
    srv_streams *hub = s->streams;
    if (!hub)
        return;
    pthread_mutex_lock(&hub->lock);
    hub->stopping = 1;
    resume_due(hub);
    pthread_mutex_unlock(&hub->lock);
    if (hub->running) {
        truce_store_changes_wake(s->cfg->store);
        pthread_join(hub->hub, NULL);
        hub->running = 0;
    }
}

void srv_streams_free(srv *s)
{
    if (!s->streams)
        return;
    pthread_mutex_destroy(&s->streams->lock);
    free(s->streams);
    s->streams = NULL;
}

/* Where the stream starts: after Last-Event-ID (the header, or the query's
 * last_event_id for clients that cannot set it), else after the latest
 * change.  0, or -1 with a 400 answered. */
static int start_after(srv_req *r, int64_t *after)
{
    const char *field = "Last-Event-ID";
    const char *v = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, field);
    if (!v) {
        field = "last_event_id";
        v = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, field);
    }
    if (!v) {
        pthread_mutex_lock(&r->s->streams->lock);
        *after = r->s->streams->latest;
        pthread_mutex_unlock(&r->s->streams->lock);
        /* The hub may not know the very latest yet. */
        return truce_store_changes_latest(r->s->cfg->store, after) ? -1 : 0;
    }
    char *end;
    long long n = v[0] >= '0' && v[0] <= '9' ? strtoll(v, &end, 10) : -1;
    if (n < 0 || *end) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, field, "expected a change number (an integer >= 0)");
        return -1;
    }
    *after = n;
    return 0;
}

void srv_get_stream(srv_req *r)
{
    srv_streams *hub = r->s->streams;
    stream *st = calloc(1, sizeof *st);
    if (!st) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
        return;
    }
    if (srv_query_filter(r, &st->ef) || start_after(r, &st->after)) {
        if (!r->answered)
            srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot be read");
        free(st);
        return;
    }
    st->hub = hub;
    st->c = r->c;
    st->filter.submitted_by = r->who.role == TRUCE_ROLE_REPORTER ? r->who.id : 0;
    st->filter.events = &st->ef;
    clock_gettime(CLOCK_MONOTONIC, &st->wrote);
    /* A first comment, so that the client has the headers at once. */
    static const char hello[] = ": stream\n\n";
    if (truce_text_append(&st->out, hello, sizeof hello - 1)) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
        free(st);
        return;
    }
    pthread_mutex_lock(&hub->lock);
    int refused = hub->stopping || hub->count >= r->s->cfg->max_streams;
    if (!refused) {
        st->next = hub->head;
        if (hub->head)
            hub->head->prev = st;
        hub->head = st;
        hub->count++;
    }
    pthread_mutex_unlock(&hub->lock);
    if (refused) {
        char why[96];
        snprintf(why, sizeof why, "%u streams are open, the most --max-streams allows",
                 r->s->cfg->max_streams);
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                    hub->stopping ? "the server is stopping" : why);
        truce_text_release(&st->out);
        free(st);
        return;
    }
    /* From here the response owns the stream: free_stream unlinks it. */
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, read_stream, st, free_stream);
    if (!resp) {
        free_stream(st);
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
        return;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (MHD_queue_response(r->c, MHD_HTTP_OK, resp) == MHD_YES) {
        r->answered = 1;
        r->status = MHD_HTTP_OK;
    }
    MHD_destroy_response(resp);
}
