/* truce serve: the daemon, each request's life (admission from the
 * headers, the body within its cap, the access log) and shutdown.
 *
 * Admission happens in the first call of the access handler, before
 * libmicrohttpd reads any of the body: an unknown token (401), a role that
 * may not (403) or a declared Content-Length over the cap (413) is
 * answered there, so no byte of such a body is kept.  A body without a
 * Content-Length (chunked) is counted as it streams: past the cap nothing
 * more is kept, and it is answered 413 when it ends, or cut off when it
 * goes on SRV_DISCARD_MAX bytes further.  A route that spools its body
 * (imports) has it written to an unlinked temporary file as it arrives,
 * within its own cap (--max-import), so memory does not grow with it. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server_impl.h"

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* One JSON line on stderr (a single write, so lines of several threads do
 * not mix). */
static void log_line(json_t *line)
{
    char *text = line ? json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    if (text) {
        size_t n = strlen(text);
        text[n] = '\n';
        fwrite(text, 1, n + 1, stderr);
        text[n] = '\0';
    }
    free(text);
    json_decref(line);
}

/* libmicrohttpd's own messages, as log lines like the others. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    log_line(json_pack("{s:s, s:s}", "msg", "libmicrohttpd", "detail", msg));
}

void srv_answer(srv_req *r, unsigned status, const char *type, const char *body, size_t len,
                const char *header, const char *value)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (header && value)
        MHD_add_response_header(resp, header, value);
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"truce\"");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) {
        char allow[64];
        srv_route_allow(r->path, allow, sizeof allow);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    }
    if (MHD_queue_response(r->c, status, resp) == MHD_YES) {
        r->answered = 1;
        r->status = status;
    }
    MHD_destroy_response(resp);
}

/* srv_problem, with one more header when both are given (Retry-After). */
static void problem(srv_req *r, unsigned status, const char *field, const char *detail,
                    const char *header, const char *value)
{
    const char *title = MHD_get_reason_phrase_for(status);
    json_t *p = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title",
                          title ? title : "", "status", (int)status, "detail", detail);
    if (p && field && *field)
        json_object_set_new(p, "field", json_string(field));
    char *text = p ? json_dumps(p, JSON_COMPACT) : NULL;
    json_decref(p);
    if (!text) {
        static const char fallback[] = "{\"type\":\"about:blank\",\"detail\":\"out of memory\"}";
        srv_answer(r, status, "application/problem+json", fallback, sizeof fallback - 1, header,
                   value);
        return;
    }
    srv_answer(r, status, "application/problem+json", text, strlen(text), header, value);
    free(text);
}

void srv_problem(srv_req *r, unsigned status, const char *field, const char *detail)
{
    problem(r, status, field, detail, NULL, NULL);
}

/* The bearer token of the request, or NULL. */
static const char *bearer(struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7))
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return *h ? h : NULL;
}

/* The largest body the request's route takes. */
static size_t body_cap(const srv_req *r)
{
    return r->route && r->route->body == SRV_BODY_SPOOL ? r->s->cfg->max_import
                                                        : r->s->cfg->max_body;
}

/* An unlinked temporary file in the spool directory, or NULL. */
static FILE *spool_open(const srv *s)
{
    const char *dir = s->cfg->spool_dir;
    if (!dir)
        dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/truce-spool-XXXXXX", dir) >= sizeof path)
        return NULL;
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    unlink(path);
    FILE *f = fdopen(fd, "w+b");
    if (!f)
        close(fd);
    return f;
}

/* Route and admit a request from its headers alone.  Answers (and so
 * refuses) when it may not go on; else leaves r->route set. */
static void admit(srv_req *r, const char *url)
{
    srv *s = r->s;
    int other = 0;
    r->route = srv_route_find(r->method, url, &other, r->param, sizeof r->param);
    int open = r->route && !r->route->roles;
    if (!open) {
        const char *token = bearer(r->c);
        truce_status st =
            token ? truce_store_token_verify(s->cfg->store, token, &r->who) : TRUCE_E_NOT_FOUND;
        if (st == TRUCE_E_NOT_FOUND) {
            srv_problem(r, MHD_HTTP_UNAUTHORIZED, "Authorization",
                        token ? "unknown or revoked token" : "a Bearer token is required");
            return;
        }
        if (st) {
            srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot be read");
            return;
        }
        r->authed = 1;
        unsigned wait = s->rate ? srv_rate_take(s->rate, r->who.id, seconds_since(&s->epoch)) : 0;
        if (wait) {
            char why[96], after[16];
            snprintf(why, sizeof why, "more than %g requests a second with this token",
                     s->cfg->rate);
            snprintf(after, sizeof after, "%u", wait);
            problem(r, MHD_HTTP_TOO_MANY_REQUESTS, "Authorization", why, "Retry-After", after);
            return;
        }
    }
    if (!r->route) {
        if (other)
            srv_problem(r, MHD_HTTP_METHOD_NOT_ALLOWED, NULL, "method not allowed on this path");
        else
            srv_problem(r, MHD_HTTP_NOT_FOUND, NULL, "no such resource");
        return;
    }
    if (!open && !(r->route->roles & SRV_ROLE(r->who.role))) {
        char why[128];
        snprintf(why, sizeof why, "the role %s may not %s %s", truce_role_name(r->who.role),
                 r->route->method, r->route->pattern);
        srv_problem(r, MHD_HTTP_FORBIDDEN, NULL, why);
        return;
    }
    const char *cl =
        MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        if (errno || end == cl || *end || n > body_cap(r)) {
            char why[96];
            snprintf(why, sizeof why, "the body is larger than %zu bytes", body_cap(r));
            srv_problem(r, MHD_HTTP_CONTENT_TOO_LARGE, "body", why);
            return;
        }
    }
    if (r->route->body == SRV_BODY_SPOOL && !(r->spool = spool_open(s)))
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "no room to spool the body");
}

/* Keep n more bytes of body, or mark the request too big. */
static void take(srv_req *r, const char *data, size_t n)
{
    size_t max = body_cap(r);
    if (r->too_big || n > max - r->len) {
        r->too_big = 1;
        return;
    }
    if (r->spool) {
        if (fwrite(data, 1, n, r->spool) != n)
            r->spool_failed = 1;
        r->len += n;
        return;
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + n + 1)
            cap *= 2;
        char *p = realloc(r->body, cap);
        if (!p) {
            r->too_big = 1;
            return;
        }
        r->body = p;
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = '\0';
}

static void refuse_too_big(srv_req *r)
{
    char why[96];
    snprintf(why, sizeof why, "the body is larger than %zu bytes", body_cap(r));
    srv_problem(r, MHD_HTTP_CONTENT_TOO_LARGE, "body", why);
}

void srv_suspend(srv_req *r, void *pending, void (*pending_free)(void *), srv_handler then)
{
    r->pending = pending;
    r->pending_free = pending_free;
    r->then = then;
    MHD_suspend_connection(r->c);
}

void srv_resume(srv_req *r)
{
    MHD_resume_connection(r->c);
}

void srv_unpend(srv_req *r)
{
    if (r->pending && r->pending_free)
        r->pending_free(r->pending);
    r->pending = NULL;
    r->pending_free = NULL;
}

/* Answer r: its route's handler, or the one it waits for. */
static void handle(srv_req *r, srv_handler handler)
{
    handler(r);
    if (!r->answered && !r->then)
        srv_problem(r, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "no answer");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    srv_req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        r->s = cls;
        r->c = c;
        clock_gettime(CLOCK_MONOTONIC, &r->start);
        snprintf(r->method, sizeof r->method, "%s", method);
        r->path = strdup(url);
        *con_cls = r;
        atomic_fetch_add(&r->s->in_flight, 1);
        admit(r, url);
        if (!r->answered && !r->route)
            return MHD_NO; /* a refusal could not be queued */
        if (r->answered || r->route->body)
            return MHD_YES;
    }
    if (*upload_size) {
        if (!r->answered)
            take(r, upload, *upload_size);
        r->seen += *upload_size;
        *upload_size = 0;
        /* libmicrohttpd answers only once a body is in, so the rest of one
         * that passed the cap is read and dropped; a stream that goes on
         * SRV_DISCARD_MAX past the cap is cut off instead, unanswered. */
        if (r->too_big && r->seen - body_cap(r) > SRV_DISCARD_MAX) {
            r->status = MHD_HTTP_CONTENT_TOO_LARGE;
            return MHD_NO;
        }
        /* A body that trickles in is cut off once it has taken longer
         * than the idle timeout allows a whole request. */
        if (r->s->cfg->timeout && seconds_since(&r->start) > r->s->cfg->timeout) {
            r->status = MHD_HTTP_REQUEST_TIMEOUT;
            return MHD_NO;
        }
        return MHD_YES;
    }
    if (r->then) { /* resumed */
        srv_handler then = r->then;
        r->then = NULL;
        r->c = c;
        handle(r, then);
        return MHD_YES;
    }
    if (r->answered)
        return MHD_YES;
    if (r->too_big) {
        refuse_too_big(r);
        return MHD_YES;
    }
    if (r->spool && (r->spool_failed || fflush(r->spool) || fseek(r->spool, 0, SEEK_SET))) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "no room to spool the body");
        return MHD_YES;
    }
    r->c = c;
    handle(r, r->route->handler);
    return MHD_YES;
}

/* The request is over: one access-log line (never the token or the body). */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    srv *s = cls;
    srv_req *r = *con_cls;
    if (!r)
        return;
    char at[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *line =
        json_pack("{s:s, s:s, s:s?, s:i, s:f, s:o}", "time", at, "method", r->method, "path",
                  r->path, "status", (int)r->status, "duration_ms", seconds_since(&r->start) * 1000,
                  "role", r->authed ? json_string(truce_role_name(r->who.role)) : json_null());
    if (line && r->authed)
        json_object_set_new(line, "token_id", json_integer(r->who.id));
    if (line && toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        json_object_set_new(line, "aborted", json_true());
    log_line(line);
    srv_metrics_observe(s, r->route, r->status, seconds_since(&r->start));
    srv_unpend(r);
    free(r->body);
    if (r->spool)
        fclose(r->spool);
    free(r->path);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

/* The connection limit: connections are counted as libmicrohttpd opens
 * and closes them, and one that arrives when --max-connections are open is
 * closed at once, unanswered.  (libmicrohttpd's own limit would instead
 * leave it waiting in the listen queue until another closes.) */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)c;
    (void)socket_context;
    srv *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&s->connections, 1);
    else
        atomic_fetch_sub(&s->connections, 1);
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)addr;
    (void)addrlen;
    srv *s = cls;
    if ((unsigned)atomic_load(&s->connections) < s->cfg->max_connections)
        return MHD_YES;
    log_line(
        json_pack("{s:s, s:i}", "msg", "refused", "max_connections", (int)s->cfg->max_connections));
    return MHD_NO;
}

/* HOST:PORT (or [HOST]:PORT) as an address to bind; -1 with a message. */
static int resolve(const char *listen, struct sockaddr_storage *addr, socklen_t *len)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host || !colon[1]) {
        fprintf(stderr, "truce serve: --listen: expected HOST:PORT, found '%s'\n", listen);
        return -1;
    }
    size_t n = (size_t)(colon - listen);
    memcpy(host, listen, n);
    host[n] = '\0';
    if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
        memmove(host, host + 1, n - 2);
        host[n - 2] = '\0';
    }
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int rc = getaddrinfo(host, colon + 1, &hints, &res);
    if (rc) {
        fprintf(stderr, "truce serve: --listen: %s: %s\n", listen, gai_strerror(rc));
        return -1;
    }
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

/* Free what srv_run set up, in any state it got to (each part may be
 * empty). */
static void srv_teardown(srv *s)
{
    srv_judges_free(s);
    srv_rate_free(s->rate);
    srv_agreement_stop(s);
    srv_metrics_stop(s);
    srv_streams_free(s);
    pthread_rwlock_destroy(&s->agreement_lock);
    pthread_mutex_destroy(&s->pool_lock);
}

int srv_run(const srv_config *cfg)
{
    srv s;
    memset(&s, 0, sizeof s);
    s.cfg = cfg;
    atomic_init(&s.in_flight, 0);
    atomic_init(&s.connections, 0);
    pthread_mutex_init(&s.pool_lock, NULL);
    truce_reader_options_init(&s.ropt);
    s.ropt.tz = cfg->agreement->tz;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    if (resolve(cfg->listen, &addr, &addr_len))
        return 2;
    pthread_rwlock_init(&s.agreement_lock, NULL);
    char note[300] = "";
    if (srv_metrics_start(&s) || srv_agreement_start(&s, note, sizeof note)) {
        srv_teardown(&s);
        return 1;
    }
    log_line(json_pack("{s:s, s:I, s:s}", "msg", "agreement", "version",
                       (json_int_t)atomic_load(&s.agreement_version), "detail", note));
    /* SIGTERM and SIGINT are taken by sigwait below: blocked before any
     * thread starts, so that every thread inherits the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* Suspend and resume: reports wait for their commit (routes.c) and the
     * live stream's connections for a change (routes_stream.c) without
     * holding a thread. */
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (cfg->tls_cert)
        flags |= MHD_USE_TLS;
    clock_gettime(CLOCK_MONOTONIC, &s.epoch);
    if (cfg->rate > 0 && !(s.rate = srv_rate_new(cfg->rate, cfg->burst))) {
        fprintf(stderr, "truce serve: out of memory\n");
        srv_teardown(&s);
        return 1;
    }
    if (srv_streams_start(&s) || srv_deliverer_start(&s)) {
        srv_deliverer_stop(&s);
        srv_streams_stop(&s);
        srv_teardown(&s);
        return 1;
    }
    /* The limits, and TLS when given. */
    struct MHD_OptionItem ops[6];
    size_t nops = 0;
    ops[nops++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout, NULL};
    if (cfg->max_connections) {
        /* libmicrohttpd shares its limit out among the threads; with room
         * for all on each, on_accept is what refuses. */
        unsigned threads = cfg->threads ? cfg->threads : 4u;
        ops[nops++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT,
                                              (intptr_t)(cfg->max_connections + 1) * threads, NULL};
        ops[nops++] =
            (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, &s};
    }
    if (cfg->tls_cert) {
        ops[nops++] =
            (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)(uintptr_t)cfg->tls_cert};
        ops[nops++] =
            (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)(uintptr_t)cfg->tls_key};
    }
    ops[nops] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, cfg->max_connections ? on_accept : NULL, &s, on_request, &s,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, cfg->threads ? cfg->threads : 4u, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, &s, MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
    if (!d) {
        if (cfg->tls_cert && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
            fprintf(stderr, "truce serve: --tls-cert: this libmicrohttpd has no TLS\n");
        else if (cfg->tls_cert && errno != EADDRINUSE && errno != EACCES)
            fprintf(stderr, "truce serve: --tls-cert, --tls-key: TLS cannot start with them (a PEM "
                            "certificate and its private key?)\n");
        else
            fprintf(stderr, "truce serve: cannot listen on %s: %s\n", cfg->listen,
                    errno ? strerror(errno) : "libmicrohttpd failed to start");
        srv_deliverer_stop(&s);
        srv_streams_stop(&s);
        srv_teardown(&s);
        return 4;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char where[300];
    const char *colon = strrchr(cfg->listen, ':');
    snprintf(where, sizeof where, "%.*s:%u", (int)(colon - cfg->listen), cfg->listen,
             info ? info->port : 0u);
    log_line(
        json_pack("{s:s, s:s, s:i}", "msg", "listening", "listen", where, "pid", (int)getpid()));
    int sig = 0;
    while (sigwait(&stop, &sig))
        ;
    /* Stop accepting; let the requests in flight finish, then stop. */
    MHD_socket listen_fd = MHD_quiesce_daemon(d);
    /* Streams would otherwise wait for changes to the end of the drain. */
    srv_streams_stop(&s);
    srv_deliverer_stop(&s);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (atomic_load(&s.in_flight) > 0 && seconds_since(&t0) < SRV_DRAIN_SECONDS) {
        struct timespec tick = {0, 10 * 1000 * 1000};
        nanosleep(&tick, NULL);
    }
    int left = atomic_load(&s.in_flight);
    MHD_stop_daemon(d);
    if (listen_fd != MHD_INVALID_SOCKET)
        close(listen_fd);
    srv_teardown(&s);
    log_line(json_pack("{s:s, s:s, s:i}", "msg", "stopped", "signal",
                       sig == SIGTERM ? "SIGTERM" : "SIGINT", "unfinished", left));
    return 0;
}
