/* truce — webhooks: URLs that are sent each stored change to an event that
 * passes their filter, as a signed JSON POST (docs/server.md, "Webhooks").
 *
 * The store keeps the webhooks, the queue of deliveries and a log of every
 * attempt, so that a delivery survives a restart: truce_store_webhooks_queue
 * puts the changes each webhook has not seen yet (the change feed,
 * store.h) that pass its filter in its queue; truce_store_webhooks_due hands
 * out the deliveries whose time has come, and truce_store_webhook_attempted
 * records how one went and when to try it again.  The HTTP itself is the
 * caller's (truce serve sends it with libcurl).
 *
 * Threads: as the store (store.h).  Secrets are kept as given (the
 * signature needs them) and never handed out but to the deliverer.
 */
#ifndef TRUCE_WEBHOOK_H
#define TRUCE_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "truce/event_filter.h"
#include "truce/status.h"
#include "truce/store.h"
#include "truce/text.h"

/* ---- the signature: as Stripe signs ---- */

/* Room for a signature: "t=" 20 digits ",v1=" 64 hex digits and a NUL. */
#define TRUCE_WEBHOOK_SIGNATURE_SIZE 96

/* The value of the Truce-Signature header for `body` (`len` bytes) sent at
 * `t` (Unix seconds): "t=T,v1=HEX", HEX the HMAC-SHA256 (RFC 2104 over
 * FIPS 180-4 SHA-256) keyed by the bytes of `secret`, of the decimal T, "."
 * and the body, in lowercase hex.  A receiver recomputes HEX with its copy
 * of the secret and compares, and refuses a T too far from its clock.
 * TRUCE_E_ARG. */
truce_status truce_webhook_sign(const char *secret, int64_t t, const void *body, size_t len,
                                char out[TRUCE_WEBHOOK_SIGNATURE_SIZE]);

/* ---- the retry schedule ---- */

/* The first retry's delay, seconds, unless the caller gives another. */
#define TRUCE_WEBHOOK_RETRY_S 10.0

/* When to try a delivery again after its `failures`-th failed attempt
 * (>= 1), the schedule scaled by `base_s` (> 0; TRUCE_WEBHOOK_RETRY_S
 * gives the real one): base_s * 2^(failures - 1) seconds after `now_s`, at
 * most 360 * base_s (an hour); 1 with *next_s (Unix seconds).  0, give up,
 * when that is later than 8640 * base_s (24 hours) after `queued_s`, when
 * the delivery was queued.  With 10 s: 10 s, 20 s, ... 2560 s, then hourly,
 * about 30 attempts in all. */
int truce_webhook_retry_at(double base_s, unsigned failures, double queued_s, double now_s,
                           double *next_s);

/* ---- registering ---- */

#define TRUCE_WEBHOOK_URL_MAX 2048
#define TRUCE_WEBHOOK_SECRET_MAX 256

/* Register `url` (http:// or https:// and a host, at most
 * TRUCE_WEBHOOK_URL_MAX bytes, no space or control character) with
 * `secret` (1 to TRUCE_WEBHOOK_SECRET_MAX bytes) for the changes after
 * the latest one stored now whose event passes `filter` (NULL: all), by
 * token `token_id`.  *id (may be NULL) is its number; `out` (may be NULL)
 * receives it as truce_store_webhooks_list gives one.  TRUCE_E_INVALID
 * (the URL), TRUCE_E_RANGE (the secret), TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_store_webhook_add(truce_store *s, const char *url, const char *secret,
                                     const truce_event_filter *filter, int64_t token_id,
                                     int64_t *id, truce_text *out);

/* Append every webhook, deactivated ones too, by number, as a JSON array of
 * objects: "id", "url", "filter" (the canonical JSON object,
 * truce_event_filter_json), "created_at", "created_by" (token number or
 * null), "active", "deactivated_at" (null while active); never the secret.
 * TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_store_webhooks_list(truce_store *s, truce_text *out);

/* Deactivate webhook `id`: nothing more is queued or sent for it; its
 * deliveries and their log stay.  `out` (may be NULL) receives it as
 * listed.  TRUCE_E_NOT_FOUND when there is no active webhook of that
 * number; TRUCE_E_IO. */
truce_status truce_store_webhook_deactivate(truce_store *s, int64_t id, truce_text *out);

/* Append the deliveries of webhook `id` after delivery number `after`, at
 * most `limit`, oldest first, as a JSON array of objects: "id", "change"
 * (its number), "kind", "event" (the event's id), "state" ("pending",
 * "delivered", "failed": given up), "queued_at", "next_attempt_at" (null
 * unless pending) and "attempts", each {"at", "status" (the HTTP status, or
 * null when none came), "error" (null, or why it failed), "duration_ms"}.
 * *next is the `after` of the next page, or 0 when this is the last.
 * TRUCE_E_NOT_FOUND when there is no webhook of that number; TRUCE_E_NOMEM,
 * TRUCE_E_IO. */
truce_status truce_store_webhook_deliveries(truce_store *s, int64_t id, int64_t after, size_t limit,
                                            truce_text *out, int64_t *next);

/* ---- delivering ---- */

/* Queue, for each active webhook, the changes it has not seen yet (at most
 * `limit` read for each) whose event passes its filter, as it was right
 * after the change; each webhook's queue and how far it has seen are
 * written in one transaction, so that a change is queued once.  *queued
 * (may be NULL) counts the deliveries queued.  TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_store_webhooks_queue(truce_store *s, size_t limit, size_t *queued);

/* A delivery due, as truce_store_webhooks_due hands it out (valid during
 * the callback). */
typedef struct truce_webhook_delivery {
    int64_t id, webhook_id, change;
    const char *url, *secret;
    /* What to POST: {"delivery", "webhook", "change": {"id", "kind", "at"},
     * "event": the event as it was right after the change (as
     * truce_store_changes gives it)}, `len` bytes, the same at each
     * attempt. */
    const char *body;
    size_t len;
    unsigned attempts; /* made before this one */
    double queued_s;   /* when it was queued (Unix seconds) */
} truce_webhook_delivery;
typedef truce_status (*truce_webhook_delivery_fn)(void *ctx, const truce_webhook_delivery *d);

/* Call `fn` for each pending delivery of an active webhook whose next
 * attempt is due at `now_s` (Unix seconds), at most `limit`, the earliest
 * first; fn may call the store (truce_store_webhook_attempted).  *next_s
 * (may be NULL) is when the earliest pending delivery not handed out is
 * due (0: none is pending).  Anything but TRUCE_OK from fn stops and is
 * returned; TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_store_webhooks_due(truce_store *s, double now_s, size_t limit,
                                      truce_webhook_delivery_fn fn, void *ctx, double *next_s);

typedef struct truce_webhook_attempt {
    double at_s;        /* when it was made (Unix seconds) */
    int http_status;    /* the answer's status; 0 when none came */
    const char *error;  /* NULL, or why it failed (the connection, the status) */
    double duration_ms; /* how long it took */
} truce_webhook_attempt;

/* Record attempt `a` of delivery `d`: a 2xx status delivers it; else it is
 * tried again as truce_webhook_retry_at says with `retry_base_s`, or given
 * up.  TRUCE_E_IO. */
truce_status truce_store_webhook_attempted(truce_store *s, const truce_webhook_delivery *d,
                                           const truce_webhook_attempt *a, double retry_base_s);

#endif
