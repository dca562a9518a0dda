/* truce — reviewing reported events: who may do what, and the states an
 * event goes through (docs/server.md, "Reviews").
 *
 * Roles: an admin does everything; a party (one of the agreement's parties)
 * submits reports and reviews for its own party only; a reporter submits
 * reports and sees its own; a viewer reads.
 *
 * Each party's position on an event is its latest confirm or dispute.  The
 * status follows from the positions: `rejected` once an admin rejected it
 * (final: only comments follow); else `disputed` while any party's position
 * is a dispute; else `jointly_verified` when every party of the agreement
 * has confirmed; else `confirmed` when one has; else `submitted`.  A
 * comment changes nothing.  A dispute, a rejection and a comment need a
 * note; confirming again what the party confirmed already is a conflict.
 */
#ifndef TRUCE_REVIEW_H
#define TRUCE_REVIEW_H

#include <stddef.h>

#include "truce/status.h"

typedef enum truce_role {
    TRUCE_ROLE_ADMIN = 0,
    TRUCE_ROLE_PARTY = 1,
    TRUCE_ROLE_REPORTER = 2,
    TRUCE_ROLE_VIEWER = 3
} truce_role;

/* "admin", "party", "reporter", "viewer"; "unknown" out of range. */
const char *truce_role_name(truce_role role);

/* The role named `name`: TRUCE_OK, or TRUCE_E_NOT_FOUND. */
truce_status truce_role_from_name(const char *name, truce_role *out);

typedef enum truce_review_action {
    TRUCE_REVIEW_CONFIRM = 0,
    TRUCE_REVIEW_DISPUTE = 1,
    TRUCE_REVIEW_REJECT = 2,
    TRUCE_REVIEW_COMMENT = 3
} truce_review_action;

typedef enum truce_review_status {
    TRUCE_STATUS_SUBMITTED = 0,
    TRUCE_STATUS_CONFIRMED = 1,
    TRUCE_STATUS_JOINTLY_VERIFIED = 2,
    TRUCE_STATUS_DISPUTED = 3,
    TRUCE_STATUS_REJECTED = 4
} truce_review_status;

/* "confirm", ...; "submitted", "confirmed", "jointly_verified", "disputed",
 * "rejected"; "unknown" out of range. */
const char *truce_review_action_name(truce_review_action action);
const char *truce_review_status_name(truce_review_status status);

/* The status named `name`: TRUCE_OK, or TRUCE_E_NOT_FOUND. */
truce_status truce_review_status_from_name(const char *name, truce_review_status *out);

/* The longest note kept (bytes). */
#define TRUCE_REVIEW_NOTE_MAX 10000

/* A review as asked for.  `party` is whose position it states (NULL: the
 * token's party; an admin must name one to confirm or dispute); `note` may
 * be NULL. */
typedef struct truce_review_request {
    truce_review_action action;
    const char *party;
    const char *note;
    void *doc_; /* what truce_review_request_read allocated; NULL otherwise */
} truce_review_request;

/* Read a review request, the JSON object {"action": "confirm" | "dispute" |
 * "reject" | "comment", "note": "...", "party": "..."} (members other than
 * these are refused), from buf[0, len).  TRUCE_OK with *out set (release
 * with truce_review_request_release); else TRUCE_E_PARSE (not JSON, not
 * UTF-8, a NUL in a string) or TRUCE_E_INVALID (a member missing, of the
 * wrong type or value, too long), with *field the member at fault (static;
 * NULL for the document) and `why` one line.  TRUCE_E_NOMEM. */
truce_status truce_review_request_read(const char *buf, size_t len, truce_review_request *out,
                                       const char **field, char *why, size_t why_len);

/* Free what truce_review_request_read allocated (the strings of *r). */
void truce_review_request_release(truce_review_request *r);

/* What truce_review_decide decided. */
typedef enum truce_review_outcome {
    TRUCE_REVIEW_OK = 0,        /* allowed: `to` is the new status */
    TRUCE_REVIEW_FORBIDDEN = 1, /* the role or party may not (HTTP 403) */
    TRUCE_REVIEW_INVALID = 2,   /* the request lacks something (HTTP 400): see field */
    TRUCE_REVIEW_CONFLICT = 3   /* not in the event's present state (HTTP 409) */
} truce_review_outcome;

/* A party's position on an event. */
enum { TRUCE_POSITION_NONE = 0, TRUCE_POSITION_CONFIRMED = 1, TRUCE_POSITION_DISPUTED = 2 };

typedef struct truce_review_decision {
    truce_review_outcome outcome;
    const char *field;  /* the request's member at fault, or NULL (static) */
    const char *reason; /* one line (static); "" when allowed */
    long party;         /* index in `parties` of the party acted for, or -1 */
    truce_review_status from, to;
} truce_review_decision;

/* Decide `request` by a token of `role` (with `token_party` for a party
 * token, else NULL) on an event whose `rejected` flag and parties'
 * `positions` (one TRUCE_POSITION_* per party of `parties`, `nparties`
 * names) are given.  On TRUCE_REVIEW_OK, positions[party] is updated for a
 * confirm or dispute.  Reads nothing else; safe on any thread. */
void truce_review_decide(truce_role role, const char *token_party,
                         const truce_review_request *request, int rejected, int *positions,
                         const char *const *parties, size_t nparties, truce_review_decision *out);

/* The status that positions give (see above). */
truce_review_status truce_review_status_of(int rejected, const int *positions, size_t nparties);

#endif
