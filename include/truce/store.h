/* truce — the store: the durable record of a live monitoring service
 * (truce serve): access tokens, reported events with their verdicts, and
 * the review history of each event.
 *
 * One interface, several backends behind it: truce_store_open picks one by
 * the location's scheme.  SQLite is the embedded default ("PATH",
 * "sqlite:PATH"); PostgreSQL ("postgresql://...", "postgres://..." or a
 * libpq key=value string) is the same calls on a database several
 * processes may share (docs/server.md, "PostgreSQL"): commits durable
 * (synchronous_commit on), connections re-established by themselves.  The SQLite backend keeps its
 * file in WAL mode with synchronous=FULL: when a call that writes returns TRUCE_OK, its transaction
 * is on disk (a power cut does not lose it), so a server may answer 2xx.  Its schema is versioned
 * (PRAGMA user_version) and migrated, step by step, when the file is opened (docs/server.md, "The
 * store").
 *
 * History is append-only: an event, each verdict given to it and each
 * review of it are rows that are never updated or deleted (the SQLite
 * schema refuses it with triggers).  A token's revocation is the one change
 * made in place.
 *
 * Threads: a store may be used by several threads at once; the calls are
 * serialised inside it.  Strings passed in are copied; everything handed
 * out lives in caller-owned buffers (truce_text, fixed arrays) or is valid
 * only during a callback.
 *
 *     truce_store *s;
 *     char why[256];
 *     if (truce_store_open("truce.db", &s, why, sizeof why) != TRUCE_OK)
 *         ... why says what failed ...
 *     truce_token_info who;
 *     if (truce_store_token_verify(s, bearer, &who) == TRUCE_OK) ...
 *     truce_store_free(s);
 */
#ifndef TRUCE_STORE_H
#define TRUCE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "truce/event_filter.h"
#include "truce/judge.h"
#include "truce/review.h"
#include "truce/stats.h"
#include "truce/status.h"

typedef struct truce_store truce_store;

/* Open (creating it when missing) the store at `where`: "sqlite:PATH" or a
 * plain PATH for SQLite; a libpq connection string ("postgresql://...",
 * "postgres://...", or key=value words starting with host=, hostaddr=,
 * dbname=, user=, port= or service=) for PostgreSQL, whose database must
 * exist (the password from PGPASSWORD or ~/.pgpass).  The schema is
 * migrated to the current version.  *out is new (truce_store_free).  On failure
 * (TRUCE_E_ARG, TRUCE_E_IO: cannot open, not a truce store, a migration
 * failed; TRUCE_E_RANGE: the file was written by a newer truce;
 * TRUCE_E_NOMEM) *out is NULL and `why` (may be NULL) holds one line. */
truce_status truce_store_open(const char *where, truce_store **out, char *why, size_t why_len);

/* Close the store: every committed call is on disk already (NULL is a
 * no-op).  No call may be running on another thread. */
void truce_store_free(truce_store *s);

/* The schema version a store of this truce writes. */
int truce_store_schema_version(void);

/* ---- tokens ---- */

/* A token as handed out: 64 lowercase hex digits (256 bits from
 * getrandom(2)) and a NUL. */
#define TRUCE_TOKEN_SIZE 65

/* The longest party or label a token may carry (bytes). */
#define TRUCE_TOKEN_TEXT_MAX 200

typedef struct truce_token_info {
    int64_t id;                           /* the token's number in the store */
    truce_role role;                      /* review.h */
    char party[TRUCE_TOKEN_TEXT_MAX + 1]; /* "" unless role is party */
    char name[TRUCE_TOKEN_TEXT_MAX + 1];  /* the label given; may be "" */
    char created_at[32];                  /* RFC 3339 UTC */
    char revoked_at[32];                  /* "" while the token is valid */
} truce_token_info;

/* Make a new token for `role` (`party` required for TRUCE_ROLE_PARTY and
 * refused for the others; `name` a free label, may be NULL): writes it into
 * `token` (shown once: only its SHA-256 is stored) and its number into *id
 * (may be NULL).  TRUCE_E_ARG (party missing or not allowed), TRUCE_E_RANGE
 * (party or name longer than TRUCE_TOKEN_TEXT_MAX or holding a control
 * character), TRUCE_E_IO (no randomness, the store failed). */
truce_status truce_store_token_add(truce_store *s, truce_role role, const char *party,
                                   const char *name, char token[TRUCE_TOKEN_SIZE], int64_t *id);

/* Who holds `token`: TRUCE_OK with *out filled; TRUCE_E_NOT_FOUND for an
 * unknown or revoked token (a revocation takes effect for the next call);
 * TRUCE_E_IO. */
truce_status truce_store_token_verify(truce_store *s, const char *token, truce_token_info *out);

/* Revoke token number `id`.  TRUCE_E_NOT_FOUND when there is none or it was
 * revoked already; TRUCE_E_IO. */
truce_status truce_store_token_revoke(truce_store *s, int64_t id);

/* Call `fn` for every token, revoked ones included, by number.  The info is
 * valid during the call; anything but TRUCE_OK from fn stops the listing
 * and is returned. */
typedef truce_status (*truce_token_fn)(void *ctx, const truce_token_info *token);
truce_status truce_store_token_list(truce_store *s, truce_token_fn fn, void *ctx);

/* ---- reports ---- */

/* One reported event, judged, to be stored. */
typedef struct truce_store_report {
    const char *id;          /* the event's id, never NULL */
    const char *event_json;  /* the normalised event (truce_event_write, JSON Lines), no newline */
    const char *record;      /* its judged record: one line of truce_verdict_write
                                (TRUCE_VERDICT_JSONL), a JSON object, no newline */
    const char *received_at; /* RFC 3339 UTC; NULL: now */
    int64_t token_id;        /* who submitted it */
    /* A retry guard: the caller's Idempotency-Key (NULL: none) and the
     * request it came with (`request_len` bytes, only its SHA-256 is kept;
     * may be NULL when key is NULL): the same key with the same request is
     * a retry, with another request a mistake. */
    const char *idempotency_key;
    const char *request;
    size_t request_len;
} truce_store_report;

typedef enum truce_store_outcome {
    TRUCE_STORE_CREATED = 0,   /* stored now */
    TRUCE_STORE_EXISTED = 1,   /* the same event was stored already: nothing written */
    TRUCE_STORE_CONFLICT = 2,  /* its id holds a different event: nothing written */
    TRUCE_STORE_KEY_REUSED = 3 /* the idempotency key came with a different request */
} truce_store_outcome;

typedef struct truce_store_put_result {
    truce_store_outcome outcome;
    /* 1: the idempotency key was seen with this same request: `outcome`
     * and the answer are those given then, nothing was written now. */
    int replayed;
} truce_store_put_result;

/* Store `r` whole or not at all: the event, its first verdict, and (with
 * a key) the answer, so that a retry finds it.  Calls made at once on
 * several threads share a transaction and its sync (group commit), each
 * as if alone; each returns TRUCE_OK only once that commit is durable.  *result says what happened;
 * `answer` (appended to; the caller's) receives the event as stored, a JSON
 * object: its current record with "status" and "received_at" added (when
 * replayed, the answer stored with the key; for CONFLICT and KEY_REUSED
 * nothing).  TRUCE_E_ARG, TRUCE_E_NOMEM, TRUCE_E_IO (nothing written). */
truce_status truce_store_report_put(truce_store *s, const truce_store_report *r,
                                    truce_store_put_result *result, truce_text *answer);

/* Told once a submitted report is durable (status TRUCE_OK) or could not be
 * stored (TRUCE_E_NOMEM, TRUCE_E_IO: nothing written); *result and the
 * answer are set by then.  Called on the store's committing thread: it must
 * not call the store, and should return at once (e.g. wake the thread or
 * connection that waits). */
typedef void (*truce_store_put_done_fn)(void *ctx, truce_status status);

/* truce_store_report_put without waiting: queue `r` for the next commit
 * and return; `done(ctx, status)` follows once, when the commit holding it
 * is durable.  `r` is copied, but the strings it points to, `result` and
 * `answer` must stay valid and untouched until `done`.  Many reports
 * waiting at once share one commit, without a thread each.  Returns
 * TRUCE_OK (done will follow) or TRUCE_E_ARG, TRUCE_E_NOMEM, TRUCE_E_IO
 * (done will not be called). */
truce_status truce_store_report_submit(truce_store *s, const truce_store_report *r,
                                       truce_store_put_result *result, truce_text *answer,
                                       truce_store_put_done_fn done, void *ctx);

/* ---- imports ---- */

/* Store `n` reports (n >= 1) in one transaction, as truce_store_report_put
 * does one without an idempotency key (their keys are ignored): outcomes[i]
 * (the caller's, n of them) says what happened to reps[i]: CREATED,
 * EXISTED (the same event was stored already) or CONFLICT (its id holds a
 * different event); a report after another with the same id sees it
 * stored.  TRUCE_OK once the transaction is on disk; TRUCE_E_ARG,
 * TRUCE_E_NOMEM, TRUCE_E_IO (nothing of the batch written). */
truce_status truce_store_reports_put(truce_store *s, const truce_store_report *reps, size_t n,
                                     truce_store_outcome *outcomes);

/* ---- tracks ---- */

/* The longest name a stored track may carry (bytes). */
#define TRUCE_TRACK_NAME_MAX 200

/* Store a GPX document (`len` bytes as received; the caller has read it
 * with truce_gpx_parse, the store keeps it verbatim) under `name` (a label,
 * the file's name: 1 to TRUCE_TRACK_NAME_MAX bytes, no control character)
 * for token `token_id`, in one transaction.  The same bytes stored already
 * are not stored again: *existed is 1 and *id the stored one's number;
 * else *existed is 0 and *id the new number.  TRUCE_E_ARG, TRUCE_E_RANGE
 * (the name), TRUCE_E_IO (nothing written). */
truce_status truce_store_track_put(truce_store *s, const char *name, const void *gpx, size_t len,
                                   int64_t token_id, int64_t *id, int *existed);

/* A stored track as truce_store_tracks_list hands it out: valid during the
 * callback, which must not call the store. */
typedef struct truce_store_track {
    int64_t id;       /* its number, in the order stored */
    const char *name; /* the label it was stored under */
    const void *gpx;  /* the GPX document, `len` bytes (not NUL-terminated) */
    size_t len;
    const char *received_at; /* RFC 3339 UTC */
    int64_t token_id;        /* who stored it */
} truce_store_track;
typedef truce_status (*truce_store_track_fn)(void *ctx, const truce_store_track *track);

/* Call `fn` for every stored track (only those of token `submitted_by`
 * when it is not 0), in the order stored; anything but TRUCE_OK from fn
 * stops the listing and is returned.  TRUCE_E_ARG, TRUCE_E_IO. */
truce_status truce_store_tracks_list(truce_store *s, int64_t submitted_by, truce_store_track_fn fn,
                                     void *ctx);

/* The event `id` with its current verdict, status, who confirmed it and its
 * whole review history, appended to `out` as one JSON object: the record
 * with "status", "received_at", "confirmed_by" (parties) and "reviews" (in
 * order: "at", "by" (token number), "role", "party", "action", "from",
 * "to", "note") added.  TRUCE_E_NOT_FOUND, TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_store_event_get(truce_store *s, const char *id, truce_text *out);

/* Who submitted event `id` (its token's number): TRUCE_E_NOT_FOUND. */
truce_status truce_store_event_submitter(truce_store *s, const char *id, int64_t *token_id);

/* ---- reviews ---- */

/* Review event `id` as `who` (role, party, number) with `request`
 * (review.h) at `at` (RFC 3339 UTC; NULL: now), judged by
 * truce_review_decide against the event's history and the agreement's
 * `parties` (`nparties` names), all in one transaction: when allowed, the
 * review is appended and `out` (appended to) receives a JSON object:
 * "event" (the id), "status" (the new one), "confirmed_by" and "review"
 * (the row as stored, with the members GET gives in "reviews").  *decision says what was
 * decided (review.h); nothing is written unless it is TRUCE_REVIEW_OK.
 * TRUCE_E_NOT_FOUND (no such event), TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_store_review(truce_store *s, const char *id, const truce_token_info *who,
                                const truce_review_request *request, const char *at,
                                const char *const *parties, size_t nparties,
                                truce_review_decision *decision, truce_text *out);

/* ---- listing ---- */

/* The events that could be one incident with a report (truce_dedup_pair's
 * two refusals, truce/dedup.h, asked of the store's indexes before any
 * event is read): their time interval and [start_s, end_s) overlap once
 * each is widened by slack_s at both ends, and they have a place whose latitude
 * differs from `lat` by no more than `radius_m` + their own radius +
 * `slack_m` allow on the sphere of the Earth's mean radius, and whose
 * longitude differs from `lon` by no more than the same reach allows at
 * those latitudes (necessary conditions for the distance rule, bounds
 * rather than the distance itself: dedup decides).  Events without a place
 * are not among them. */
typedef struct truce_store_near {
    int64_t start_s, end_s; /* the report's interval, UTC seconds */
    int64_t slack_s;        /* seconds each interval is widened by (>= 0) */
    double lon, lat;        /* the report's place, degrees */
    double radius_m;        /* the report's radius, metres (>= 0) */
    double slack_m;         /* metres added to the two radii (>= 0) */
} truce_store_near;

/* Which events a listing gives (more criteria will join). */
typedef struct truce_store_filter {
    int64_t submitted_by; /* a token's number: only its reports; 0: anyone's */
    /* ---- query: what the events' verdicts and statuses must meet ---- */
    const truce_event_filter *events; /* NULL: any (event_filter.h) */
    /* ---- the dashboard: the review queue ---- */
    /* 1: only events still open to review: status submitted, confirmed or
     * disputed (not jointly_verified, not rejected). */
    int open;
    /* With open: only those on which this party has taken no position yet
     * (no confirm and no dispute of its own); NULL: any. */
    const char *waiting_for;
    /* 1: truce_store_events_list goes from the newest back: `after` is
     * then the position the page starts before (0: the newest), and *next
     * the one to pass for the older page. */
    int newest_first;
    /* ---- likely duplicates ---- */
    const truce_store_near *near; /* NULL: any */
    /* Only events stored before the event of this id (none when no event
     * has it); NULL: any. */
    const char *before_id;
} truce_store_filter;

/* Events in the order they were stored that pass `filter` (NULL: all),
 * after the position `after` (0: from the start), at most `limit` (> 0):
 * `fn` gets each one as truce_store_report_put answers (its current record
 * with "status" and "received_at"), valid during the call (which must not
 * call the store).  *next is the position to pass as `after` for the
 * following page, or 0 when this page is the last.  A position is stable:
 * events stored meanwhile come after it (keyset pagination). */
typedef truce_status (*truce_store_event_fn)(void *ctx, const char *json, size_t len);
truce_status truce_store_events_list(truce_store *s, const truce_store_filter *filter,
                                     int64_t after, size_t limit, truce_store_event_fn fn,
                                     void *ctx, int64_t *next);

/* ---- query: scanning and counting stored events ---- */

/* Call `fn` with the normalised event (as stored from
 * truce_store_report.event_json, no newline) of every event that passes
 * `filter` (NULL: all), in the order they were stored.  Valid during the
 * call, which must not call the store; anything but TRUCE_OK from fn stops
 * the scan and is returned.  TRUCE_E_IO. */
truce_status truce_store_events_scan(truce_store *s, const truce_store_filter *filter,
                                     truce_store_event_fn fn, void *ctx);

/* The statistics of `truce stats` over the stored events that pass
 * `filter`: each is judged again against `agreement` (as truce stats would
 * judge the same events) and added to `stats` (made for that agreement).
 * TRUCE_E_PARSE or TRUCE_E_INVALID for a stored event that no longer
 * reads, TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_store_stats(truce_store *s, const truce_store_filter *filter,
                               const truce_agreement *agreement, truce_stats *stats);

/* A stored event's JSON (as the calls above give it) as a GeoJSON Feature
 * (RFC 7946), appended to `out`: the event's id as the Feature's, a Point
 * of its "lon" and "lat" as written there (null geometry without them), the
 * object itself as the properties.  The JSON is read only as far as its
 * last of "id", "lon" and "lat" (the store's own JSON, not checked whole).
 * TRUCE_E_ARG when `json` is not such an object, TRUCE_E_NOMEM. */
truce_status truce_store_event_feature(const char *json, size_t len, truce_text *out);

/* ---- the dashboard: events counted on a grid ---- */

/* A grid over longitude and latitude: `cols` x `rows` square cells of
 * `cell_deg` degrees, cell (0, 0) with its south-west corner at
 * (`min_lon`, `min_lat`); a cell holds the points with min + i * cell_deg
 * <= coordinate < min + (i + 1) * cell_deg (the last column and row also
 * their east and north edges). */
typedef struct truce_store_grid {
    double min_lon, min_lat; /* degrees */
    double cell_deg;         /* > 0 */
    unsigned cols, rows;     /* >= 1; cols * rows <= TRUCE_STORE_GRID_CELLS_MAX */
} truce_store_grid;

#define TRUCE_STORE_GRID_CELLS_MAX 65536

/* One cell of the grid that holds at least one event: how many, by
 * verdict, and where their mean position is (degrees). */
typedef struct truce_store_cell {
    unsigned col, row;
    int64_t count;
    int64_t violation, possible; /* of count; the rest have verdict none */
    double lon, lat;
} truce_store_cell;
typedef truce_status (*truce_store_cell_fn)(void *ctx, const truce_store_cell *cell);

/* Count the located events that pass `filter` (NULL: all) in each cell of
 * `grid`, and call `fn` once for each cell holding any (in no particular
 * order; the call must not call the store).  Events outside the grid are
 * not counted.  A cost linear in the events that pass.  TRUCE_E_ARG for a
 * grid out of its bounds, TRUCE_E_IO; anything but TRUCE_OK from fn stops
 * and is returned. */
truce_status truce_store_events_grid(truce_store *s, const truce_store_filter *filter,
                                     const truce_store_grid *grid, truce_store_cell_fn fn,
                                     void *ctx);

/* ---- agreement versions ---- */

/* The agreement a service judges with is versioned in the store: each
 * version is the agreement file's text as given (append-only, numbered from
 * 1), so that a restart serves the latest one.  What was in force at an
 * event's time is the agreement's own business (amendments, amendment.h). */

/* The latest stored version: its text appended to `text` (may be NULL) and
 * its number in *version, 0 when none is stored (text untouched).
 * TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_store_agreement_latest(truce_store *s, truce_text *text, int64_t *version);

/* The number of the stored version whose text is exactly these `len` bytes,
 * or 0 when none is.  TRUCE_E_IO. */
truce_status truce_store_agreement_find(truce_store *s, const char *text, size_t len,
                                        int64_t *version);

typedef struct truce_store_revision {
    int64_t version; /* the number the new version was stored under */
    size_t events;   /* stored events judged again */
    size_t changed;  /* of which the verdict changed (a new verdict row each) */
    size_t failed;   /* of which could not be read back or judged (kept as they were) */
} truce_store_revision;

/* Store `text` (`len` bytes: an agreement file the caller loaded, without
 * errors, as `agreement`) as a new version by token `token_id` (0: the
 * service itself), and judge every stored event again against `agreement`
 * with `threads` judging threads (0: one): an event whose record (a line
 * of truce classify --format jsonl) differs from its current one gets a new
 * verdict row; the old ones stay, as its history.  The judging reads the
 * store a page at a time; the version and every new verdict are then
 * written in one transaction, so a crash leaves either all of it or none.
 * Reports submitted before the call (truce_store_report_submit) are
 * committed first and judged again with the rest; reports stored meanwhile
 * are not: the caller keeps them out until this returns (truce serve holds
 * back the reports in flight).
 * *out (may be NULL) says what was done.  TRUCE_E_ARG, TRUCE_E_NOMEM,
 * TRUCE_E_IO (nothing written). */
truce_status truce_store_agreement_put(truce_store *s, const char *text, size_t len,
                                       const truce_agreement *agreement, int64_t token_id,
                                       unsigned threads, truce_store_revision *out);

/* ---- what the store holds, for monitoring (GET /metrics) ---- */

/* Call `fn` once for each pair of a current verdict ("violation",
 * "possible", "none") and review status (review.h) that some stored events
 * have, with their number; in no particular order.  Anything but TRUCE_OK
 * from fn stops and is returned; TRUCE_E_IO. */
typedef truce_status (*truce_store_tally_fn)(void *ctx, const char *verdict, const char *status,
                                             int64_t events);
truce_status truce_store_tally(truce_store *s, truce_store_tally_fn fn, void *ctx);

/* The store's size in bytes: for SQLite, the database's pages and the
 * write-ahead log not yet checkpointed into them.  TRUCE_E_IO. */
truce_status truce_store_size(truce_store *s, int64_t *bytes);

/* ---- the change feed: every stored change to an event, numbered ---- */

/* Each change to an event gets a change number, strictly increasing across
 * the store in the order the changes were committed, so that a reader that
 * has seen the changes up to N misses nothing and sees nothing twice by
 * asking for those after N.  Stored with the change, in its transaction;
 * history like the rest (never updated or deleted). */
typedef enum truce_change_kind {
    TRUCE_CHANGE_CREATED = 0, /* a report or an imported row was stored */
    TRUCE_CHANGE_VERDICT = 1, /* a new verdict (the agreement changed) */
    TRUCE_CHANGE_REVIEW = 2   /* a review was appended (a status change or a comment) */
} truce_change_kind;

/* "created", "verdict", "review". */
const char *truce_change_kind_name(truce_change_kind kind);

/* A change as truce_store_changes hands it out, valid during the callback
 * (which must not call the store). */
typedef struct truce_store_change {
    int64_t seq; /* the change number, >= 1 */
    truce_change_kind kind;
    const char *event_id;
    const char *at; /* when it was stored: RFC 3339 UTC */
    /* The event as it was right after the change, as truce_store_events_list
     * gives an event (the record of its verdict then, with its status then
     * and received_at): `len` bytes of one JSON object. */
    const char *json;
    size_t len;
} truce_store_change;
typedef truce_status (*truce_store_change_fn)(void *ctx, const truce_store_change *change);

/* Read at most `limit` (> 0) changes after change number `after` (0: from
 * the first), in order, and call `fn` for each whose event passes `filter`
 * (NULL: all) as it was right after the change (truce_event_filter_match on
 * its record and status then; submitted_by on who submitted it).  *last is
 * the number of the last change read, passing or not (`after` when there
 * was none): the `after` of the next call.  Fewer than `limit` read means
 * none is left for now.  Anything but TRUCE_OK from fn stops and is
 * returned; TRUCE_E_ARG, TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_store_changes(truce_store *s, const truce_store_filter *filter, int64_t after,
                                 size_t limit, truce_store_change_fn fn, void *ctx, int64_t *last);

/* The number of the latest change stored (0: none yet).  TRUCE_E_IO. */
truce_status truce_store_changes_latest(truce_store *s, int64_t *seq);

/* Wait until a change after `after` is stored, at most `timeout_ms`
 * milliseconds, or until truce_store_changes_wake: *latest is then the
 * latest change number (which may still be `after`).  A commit through this
 * store object wakes its waiters at once; changes written by another
 * process are seen when the wait times out.  TRUCE_E_IO. */
truce_status truce_store_changes_wait(truce_store *s, int64_t after, unsigned timeout_ms,
                                      int64_t *latest);

/* Wake every thread waiting in truce_store_changes_wait (to stop, say). */
void truce_store_changes_wake(truce_store *s);
/* ---- OGC API Features: counting stored events, and their extent ---- */

/* How many stored events pass `filter` (NULL: all), in *count.  Cheap
 * without criteria (an index's size); with them it reads every event that
 * passes.  TRUCE_E_ARG, TRUCE_E_IO. */
truce_status truce_store_events_count(truce_store *s, const truce_store_filter *filter,
                                      int64_t *count);

/* Where and when the stored events lie. */
typedef struct truce_store_extent {
    int located; /* 1 when some event has a location: the box is set */
    double min_lon, min_lat, max_lon, max_lat; /* degrees; no antimeridian crossing */
    int timed;                                 /* 1 when some event is stored: the times are set */
    int64_t first_start_s, last_start_s;       /* the earliest and latest start (POSIX s) */
} truce_store_extent;

/* The extent of the stored events of token `submitted_by` (0: everyone's)
 * in *out.  From the indexes when submitted_by is 0; else it reads that
 * token's events.  TRUCE_E_ARG, TRUCE_E_IO. */
truce_status truce_store_events_extent(truce_store *s, int64_t submitted_by,
                                       truce_store_extent *out);

#endif
