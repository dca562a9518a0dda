/* The store interface behind include/truce/store.h (not public API): each
 * backend is a table of operations; truce_store_open picks one by the
 * location's scheme and the public calls dispatch through it.  A backend's
 * handle starts with a struct truce_store, so a pointer to one is a pointer
 * to the other.  Shared helpers for backends: tokens (token.c) and the
 * JSON of stored events and reviews (store_json.c). */
#ifndef TRUCE_STORE_IMPL_H
#define TRUCE_STORE_IMPL_H

#include <pthread.h>
#include <stddef.h>

#include "store/group_commit.h"
#include "truce/store.h"

/* One report to store (truce_store_report_put), queued for a group
 * commit: the backend sets result, answer (appended to) and status. */
typedef struct trc_report_job {
    trc_group_job group; /* first: a trc_group_job * is a trc_report_job * */
    const truce_store_report *r;
    unsigned char event_sha256[32], request_sha256[32];
    truce_store_put_result *result;
    truce_text *answer;
    truce_status status;
    size_t mark; /* the backend's: the answer's length before this job */
} trc_report_job;

/* ---- scans: each backend's few read-only connections ---- */

/* Lock one of n (> 0) locks, the first at `first` and each `stride` bytes
 * after the one before (the lock of each element of an array of
 * connections): a free one, else the next in turn (*next, advanced) once
 * it is given back.  Returns its index; the caller unlocks it. */
size_t trc_store_lock_one(pthread_mutex_t *first, size_t stride, size_t n, unsigned *next);

/* ---- agreement versions: what a backend offers store_agreement.c ---- */

/* A stored event for judging again: its position, id, normalised event
 * (JSON) and current record, valid during the call, which must not call
 * the store. */
typedef truce_status (*trc_store_record_fn)(void *ctx, int64_t seq, const char *id,
                                            const char *event_json, const char *record);

/* A new verdict for the event at position `event_seq`. */
typedef struct trc_verdict_change {
    int64_t event_seq;
    char *record; /* owned by the list's maker */
} trc_verdict_change;

/* ---- the change feed: what a backend offers store_changes.c ---- */

/* A change as a backend reads it: valid during the callback, which must not
 * call the store. */
typedef struct trc_change_row {
    int64_t seq;
    truce_change_kind kind;
    const char *event_id;
    int64_t token_id;        /* who submitted the event (0: nobody known) */
    const char *record;      /* the verdict's record current right after the change */
    const char *status;      /* the review status then */
    const char *received_at; /* the event's */
    const char *at;          /* the change's */
} trc_change_row;
typedef truce_status (*trc_change_row_fn)(void *ctx, const trc_change_row *row);

/* ---- webhooks: what a backend offers webhook.c ---- */

typedef struct trc_webhook_row {
    int64_t id;
    const char *url, *secret, *filter, *created_at;
    int64_t token_id; /* 0: none */
    int64_t queued_through;
    const char *deactivated_at; /* NULL while active */
} trc_webhook_row;
typedef truce_status (*trc_webhook_row_fn)(void *ctx, const trc_webhook_row *w);

/* A delivery; with the webhook's url and secret (deliveries_due), or with
 * one of its attempts (deliveries_read: at is NULL for one without). */
typedef struct trc_delivery_row {
    int64_t id, webhook_id, change;
    const char *kind, *event_id, *state;
    unsigned attempts;
    double queued_s, next_s;
    const char *url, *secret;
    const char *at, *error;
    int http_status;
    double duration_ms;
} trc_delivery_row;
typedef truce_status (*trc_delivery_row_fn)(void *ctx, const trc_delivery_row *d);

/* ---- copying a whole store: what a backend offers store_copy.c ---- */

/* A store copied raw, table by table (truce_store_copy): every row of the
 * history and of what serves it, with its numbers, so that the copy is the
 * same store.  trc_copy_tables (store_copy.c) lists the tables in the
 * order they are read and written (each after those its rows point to) and
 * each table's columns, by the names and types of the SQLite schema; a
 * backend maps them to its own.  The tables, with their key (the column(s)
 * rows are ordered by, ascending; text compared as bytes, C collation):
 *   tokens (id), agreements (version), events (seq), verdicts (seq),
 *   reviews (seq), changes (seq), idempotency (token_id, key), tracks (seq),
 *   webhooks (id), webhook_deliveries (id), webhook_attempts (seq). */
typedef enum trc_copy_type {
    TRC_COPY_INT,  /* int64_t in i */
    TRC_COPY_REAL, /* double in r, every bit kept */
    TRC_COPY_TEXT, /* len bytes of UTF-8 at p, with a NUL after them (p[len]) */
    TRC_COPY_BLOB  /* len bytes at p */
} trc_copy_type;

typedef struct trc_copy_column {
    const char *name;
    trc_copy_type type;
    int nullable; /* 1: the value may be NULL */
} trc_copy_column;

typedef struct trc_copy_table {
    const char *name;
    const trc_copy_column *columns;
    size_t ncolumns;
    size_t nkey; /* the first nkey columns are the key */
} trc_copy_table;

#define TRC_COPY_TABLES 11
extern const trc_copy_table trc_copy_tables[TRC_COPY_TABLES];

/* One column's value: `null` set for SQL NULL, else the member its
 * column's type names.  Text and blobs are given back byte for byte as
 * written (a backend keeps JSON and times as text, never reformatted). */
typedef struct trc_copy_value {
    int null;
    int64_t i;
    double r;
    const void *p;
    size_t len;
} trc_copy_value;

/* A row of table trc_copy_tables[table]: its ncolumns values in the
 * table's column order, valid during the callback, which must not call
 * the store that reads (it may write to another).  Anything but TRUCE_OK
 * stops the read and is returned. */
typedef truce_status (*trc_copy_row_fn)(void *ctx, size_t table, const trc_copy_value *values);

typedef struct trc_store_ops {
    const char *name;
    /* Once the parts every backend shares are set up: start the backend's
     * own threads (NULL: none). */
    truce_status (*start)(truce_store *s);
    void (*free)(truce_store *s);
    truce_status (*token_add)(truce_store *s, truce_role role, const char *party, const char *name,
                              const unsigned char hash[32], const char *at, int64_t *id);
    truce_status (*token_verify)(truce_store *s, const unsigned char hash[32],
                                 truce_token_info *out);
    truce_status (*token_revoke)(truce_store *s, int64_t id, const char *at);
    truce_status (*token_list)(truce_store *s, truce_token_fn fn, void *ctx);
    /* Store the reports of the jobs `first` (linked by group.next) in one
     * transaction, each as if alone: a job that fails leaves nothing
     * written and does not keep the others out; each job's status is
     * TRUCE_OK only once the commit holding it is durable. */
    void (*report_batch)(truce_store *s, trc_report_job *first);
    /* imports (store_import.c) */
    truce_status (*reports_put)(truce_store *s, const truce_store_report *reps, size_t n,
                                const unsigned char (*event_sha256)[32],
                                truce_store_outcome *outcomes);
    /* tracks (store_track.c) */
    truce_status (*track_put)(truce_store *s, const char *name, const void *gpx, size_t len,
                              const unsigned char gpx_sha256[32], const char *at, int64_t token_id,
                              int64_t *id, int *existed);
    truce_status (*tracks_list)(truce_store *s, int64_t submitted_by, truce_store_track_fn fn,
                                void *ctx);
    truce_status (*event_get)(truce_store *s, const char *id, truce_text *out);
    truce_status (*event_submitter)(truce_store *s, const char *id, int64_t *token_id);
    truce_status (*review)(truce_store *s, const char *id, const truce_token_info *who,
                           const truce_review_request *request, const char *at,
                           const char *const *parties, size_t nparties,
                           truce_review_decision *decision, truce_text *out);
    truce_status (*events_list)(truce_store *s, const truce_store_filter *filter, int64_t after,
                                size_t limit, truce_store_event_fn fn, void *ctx, int64_t *next);
    /* ---- query ---- */
    truce_status (*events_scan)(truce_store *s, const truce_store_filter *filter,
                                truce_store_event_fn fn, void *ctx);
    /* ---- agreement versions (store_agreement.c) ---- */
    truce_status (*agreement_latest)(truce_store *s, truce_text *text, int64_t *version);
    truce_status (*agreement_find)(truce_store *s, const unsigned char sha256[32],
                                   int64_t *version);
    truce_status (*events_records)(truce_store *s, int64_t after, size_t limit,
                                   trc_store_record_fn fn, void *ctx, int64_t *next);
    truce_status (*agreement_put)(truce_store *s, const char *text, size_t len,
                                  const unsigned char sha256[32], int64_t token_id, const char *at,
                                  const trc_verdict_change *changes, size_t nchanges,
                                  int64_t *version);
    /* ---- monitoring (store_metrics.c) ---- */
    truce_status (*tally)(truce_store *s, truce_store_tally_fn fn, void *ctx);
    truce_status (*size)(truce_store *s, int64_t *bytes);
    /* ---- the change feed (store_changes.c) ---- */
    /* The changes after `after`, at most `limit`, in order; *last as
     * truce_store_changes sets it.  Reads only what is committed. */
    truce_status (*changes_read)(truce_store *s, int64_t after, size_t limit, trc_change_row_fn fn,
                                 void *ctx, int64_t *last);
    truce_status (*changes_latest)(truce_store *s, int64_t *seq);
    /* ---- webhooks (webhook.c) ---- */
    /* A new webhook, having seen every change stored now. */
    truce_status (*webhook_add)(truce_store *s, const char *url, const char *secret,
                                const char *filter, int64_t token_id, const char *at, int64_t *id);
    /* Webhook `id`, or every one (id 0), by number. */
    truce_status (*webhooks_read)(truce_store *s, int64_t id, trc_webhook_row_fn fn, void *ctx);
    /* TRUCE_E_NOT_FOUND when `id` is not an active webhook. */
    truce_status (*webhook_deactivate)(truce_store *s, int64_t id, const char *at);
    /* In one transaction, unless webhook `id` has seen further than `from`
     * meanwhile (then nothing): queue `changes` (n) for it, due at
     * `queued_s`, and mark it as having seen through `through`. */
    truce_status (*webhook_enqueue)(truce_store *s, int64_t id, int64_t from, int64_t through,
                                    const int64_t *changes, size_t n, double queued_s,
                                    size_t *queued);
    /* Pending deliveries of active webhooks due at now_s, earliest first,
     * at most `limit`, with url and secret; *next_s as
     * truce_store_webhooks_due says. */
    truce_status (*deliveries_due)(truce_store *s, double now_s, size_t limit,
                                   trc_delivery_row_fn fn, void *ctx, double *next_s);
    /* Log an attempt and set the delivery's state and next time, in one
     * transaction. */
    truce_status (*delivery_attempted)(truce_store *s, int64_t id, const char *at, int http_status,
                                       const char *error, double duration_ms, const char *state,
                                       double next_s);
    /* The deliveries of webhook `id` after `after`, at most `limit`, each
     * with its attempts in order (a row per attempt). */
    truce_status (*deliveries_read)(truce_store *s, int64_t id, int64_t after, size_t limit,
                                    trc_delivery_row_fn fn, void *ctx);
    /* ---- the dashboard (store_grid.c) ---- */
    truce_status (*events_grid)(truce_store *s, const truce_store_filter *filter,
                                const truce_store_grid *grid, truce_store_cell_fn fn, void *ctx);
    /* ---- OGC API Features (store_ogc.c) ---- */
    truce_status (*events_count)(truce_store *s, const truce_store_filter *filter, int64_t *count);
    truce_status (*events_extent)(truce_store *s, int64_t submitted_by, truce_store_extent *out);
    /* ---- copying a whole store (store_copy.c; the types above) ---- */
    /* The number of rows of trc_copy_tables[table] in *rows.  TRUCE_E_IO. */
    truce_status (*copy_count)(truce_store *s, size_t table, int64_t *rows);
    /* Every row of every table, the tables in trc_copy_tables order, each
     * table's rows by its key, all from one snapshot (one read-only
     * transaction: what commits meanwhile is not seen), each value as its
     * column's type says.  TRUCE_E_IO, or what fn returned. */
    truce_status (*copy_read)(truce_store *s, trc_copy_row_fn fn, void *ctx);
    /* Insert `nrows` rows of trc_copy_tables[table] (values: nrows *
     * ncolumns, row after row) as they are, numbers included, in one
     * transaction: TRUCE_OK once it is committed, else nothing of it is
     * written (TRUCE_E_IO; a row breaking a constraint: TRUCE_E_INVALID).
     * Called on an empty store only, a table's rows in key order after the
     * rows of the tables before it.  It writes nothing else of the history:
     * the change feed gets the copied `changes` rows, not rows of its own
     * for the verdicts and reviews inserted; what a backend derives from
     * the history to serve it (the query tables, SQLite's event_facets) is
     * kept current; afterwards a number the store gives (a new event, a
     * change) comes after every copied one.  The append-only rules stay on
     * for every other writer. */
    truce_status (*copy_write)(truce_store *s, size_t table, const trc_copy_value *values,
                               size_t nrows);
} trc_store_ops;

/* Waiters for new changes (store_changes.c): `generation` goes up, and
 * `cond` is broadcast, after each commit that may have stored a change. */
typedef struct trc_change_signal {
    pthread_mutex_t lock;
    pthread_cond_t cond; /* on CLOCK_MONOTONIC */
    unsigned long generation;
} trc_change_signal;

struct truce_store {
    const trc_store_ops *ops;
    trc_group group; /* reports put by concurrent callers share a commit */
    trc_change_signal changed;
};

/* ---- the change feed (store_changes.c) ---- */

void trc_change_signal_init(trc_change_signal *c);
void trc_change_signal_destroy(trc_change_signal *c);

/* A write of s was committed (or failed: waking for nothing is harmless):
 * wake the waiters of truce_store_changes_wait. */
void trc_changes_committed(truce_store *s);

/* The SQLite backend: open `path`, migrating its schema. */
truce_status trc_store_sqlite_open(const char *path, truce_store **out, char *why, size_t why_len);

/* The PostgreSQL backend (store_pg.c): whether `where` is a libpq
 * connection URI or key=value string; open it, migrating its schema. */
int trc_store_pg_location(const char *where);
truce_status trc_store_pg_open(const char *conninfo, truce_store **out, char *why, size_t why_len);

/* For tests: whether a PostgreSQL store has the PostGIS column. */
int trc_store_pg_postgis(truce_store *s);

/* For tests of the migrations: create `path` (or migrate it) with the
 * schema of `version` (1 .. truce_store_schema_version()) and close it. */
truce_status trc_store_sqlite_create(const char *path, int version, char *why, size_t why_len);

/* For tests of the durability settings: the integer value of `PRAGMA name`
 * on a SQLite store's own connection (synchronous: 2 is FULL). */
truce_status trc_store_sqlite_pragma(truce_store *s, const char *name, long long *out);

/* ---- tokens (token.c) ---- */

/* A new token: 32 bytes from getrandom(2) as 64 hex digits.  TRUCE_E_IO. */
truce_status trc_token_new(char token[TRUCE_TOKEN_SIZE]);

/* SHA-256 of n bytes (nettle). */
void trc_sha256(const void *p, size_t n, unsigned char out[32]);

/* Now as RFC 3339 UTC with microseconds ("2026-12-05T22:10:03.123456Z"). */
void trc_store_now(char out[32]);

/* Unix time `unix_s` and `usec` microseconds as trc_store_now writes now. */
void trc_store_time(int64_t unix_s, long usec, char out[32]);

/* HMAC-SHA256 (RFC 2104) of `len` bytes keyed by `key_len` bytes (nettle);
 * webhook.c. */
void trc_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t len,
                     unsigned char out[32]);

/* ---- JSON of stored things (store_json.c) ---- */

/* Append `record` (a JSON object's text) to `out` with its closing brace
 * replaced by the members "status" and "received_at" and what `more` (may
 * be NULL: a JSON fragment of members, each preceded by a comma) holds,
 * then the brace.  TRUCE_E_NOMEM; TRUCE_E_INTERNAL when record does not
 * end with '}'. */
truce_status trc_store_json_event(truce_text *out, const char *record, const char *status,
                                  const char *received_at, const char *more);

/* Append `s` as a JSON string literal (NULL: null).  TRUCE_E_NOMEM. */
truce_status trc_store_json_string(truce_text *out, const char *s);

/* Append printf-formatted text.  TRUCE_E_NOMEM. */
truce_status trc_store_json_printf(truce_text *out, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* One review as a JSON object (store.h lists the members), without
 * "event" and "confirmed_by". */
typedef struct trc_review_row {
    const char *at;
    int64_t by;
    const char *role, *party, *action, *from, *to, *note;
} trc_review_row;
truce_status trc_store_json_review(truce_text *out, const trc_review_row *row);

/* One review of an event's history, oldest first (`first`: the first):
 * sets *rejected when it rejected the event and, for each of `parties`
 * that it names, that party's position (TRUCE_POSITION_*, as
 * truce_review_decide reads them); appends its JSON, after a comma unless
 * first, to `reviews` (may be NULL). */
truce_status trc_store_history_row(const trc_review_row *row, int first, const char *const *parties,
                                   size_t nparties, int *positions, int *rejected,
                                   truce_text *reviews);

/* The review a decision to accept `request` from `who` stores, at `at`
 * (valid while its arguments are). */
void trc_store_review_row(const truce_token_info *who, const truce_review_request *request,
                          const truce_review_decision *decision, const char *const *parties,
                          const char *at, trc_review_row *row);

/* ,"confirmed_by":[...]: the parties whose position is confirmed. */
truce_status trc_store_json_confirmed_by(truce_text *out, const char *const *parties,
                                         size_t nparties, const int *positions);

/* The answer to a stored review: {"event","status","confirmed_by","review"};
 * nothing appended on failure. */
truce_status trc_store_json_reviewed(truce_text *out, const char *id, const trc_review_row *row,
                                     const char *const *parties, size_t nparties,
                                     const int *positions);

/* One verdict of an event's history ({"judged_at","agreement_version",
 * "record"}, after a comma unless first); agreement_version is the
 * number's text or NULL (null: the agreement served when the report
 * came). */
truce_status trc_store_json_verdict(truce_text *out, int first, const char *judged_at,
                                    const char *agreement_version, const char *record);

#endif
