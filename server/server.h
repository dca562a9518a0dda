/* truce serve: the HTTP server, a client of libtruce's public API like the
 * command line (it includes only <truce/...> headers).  docs/server.md is
 * its manual. */
#ifndef TRUCE_SERVER_H
#define TRUCE_SERVER_H

#include <stddef.h>
#include <stdio.h>

#include "truce/agreement.h"
#include "truce/store.h"

typedef struct srv_config {
    const truce_agreement *agreement; /* not owned */
    truce_store *store;               /* not owned */
    const char *listen;               /* "HOST:PORT" ("[::1]:8080" for IPv6); port 0: any free */
    size_t max_body;                  /* bytes; a larger request body gets 413 */
    size_t max_import;                /* bytes; the same for an import's body */
    const char *spool_dir;            /* where imports are spooled; NULL: $TMPDIR or /tmp */
    unsigned threads;                 /* request threads */
    /* Operation (docs/server.md, "Operating it"). */
    const char *tls_cert, *tls_key; /* PEM text, both or neither: HTTPS */
    unsigned timeout;               /* seconds a connection may be idle, and a body take */
    unsigned max_connections;       /* connections at once; more are closed at once */
    double rate;                    /* requests a second per token; 0: no limit */
    unsigned burst;                 /* ...of which this many at once */
    /* The live stream and webhooks (docs/server.md). */
    unsigned max_streams;   /* GET /api/v1/stream at once; more get 503 */
    double webhook_retry_s; /* the first retry's delay; the schedule scales with it */
} srv_config;

/* Serve until SIGTERM or SIGINT; then stop accepting, let the requests in
 * flight finish (at most `SRV_DRAIN_SECONDS`) and return 0.  Writes one
 * JSON line to stderr when listening ({"msg":"listening","listen":...})
 * and one per request.  Returns 4 when it cannot listen (after a message
 * "truce serve: ..."), 1 on other failures. */
int srv_run(const srv_config *cfg);

#define SRV_DRAIN_SECONDS 30

/* The routes the server answers, one "METHOD PATH" line each ({id} for the
 * path segment that names an item), as GET /api/v1/openapi.json describes
 * them. */
void srv_routes_write(FILE *out);

#endif
