/* Reviews of reported events: the roles, the request's JSON, and the state
 * machine (include/truce/review.h states the rules). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "truce/review.h"
#include "base/util.h"

static const char *const role_names[] = {"admin", "party", "reporter", "viewer"};
static const char *const action_names[] = {"confirm", "dispute", "reject", "comment"};
static const char *const status_names[] = {"submitted", "confirmed", "jointly_verified", "disputed",
                                           "rejected"};

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

static long find(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (!strcmp(names[i], name))
            return (long)i;
    return -1;
}

/* The index of `name` in names[0, n) through *out: TRUCE_OK, or
 * TRUCE_E_NOT_FOUND. */
static truce_status from_name(const char *const *names, size_t n, const char *name, int *out)
{
    long i = find(names, n, name);
    if (i < 0)
        return TRUCE_E_NOT_FOUND;
    *out = (int)i;
    return TRUCE_OK;
}

const char *truce_role_name(truce_role role)
{
    return (unsigned)role < COUNT(role_names) ? role_names[role] : "unknown";
}

truce_status truce_role_from_name(const char *name, truce_role *out)
{
    int i;
    truce_status st = from_name(role_names, COUNT(role_names), name, &i);
    if (!st)
        *out = (truce_role)i;
    return st;
}

const char *truce_review_action_name(truce_review_action action)
{
    return (unsigned)action < COUNT(action_names) ? action_names[action] : "unknown";
}

const char *truce_review_status_name(truce_review_status status)
{
    return (unsigned)status < COUNT(status_names) ? status_names[status] : "unknown";
}

truce_status truce_review_status_from_name(const char *name, truce_review_status *out)
{
    int i;
    truce_status st = from_name(status_names, COUNT(status_names), name, &i);
    if (!st)
        *out = (truce_review_status)i;
    return st;
}

/* A string member `key` of doc: NULL when absent or null; -1 (with why)
 * when of another type or too long. */
static int string_member(json_t *doc, const char *key, size_t max, const char **out, char *why,
                         size_t why_len)
{
    json_t *v = json_object_get(doc, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        snprintf(why, why_len, "expected a string");
        return -1;
    }
    if (json_string_length(v) > max) {
        snprintf(why, why_len, "longer than %zu bytes", max);
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

truce_status truce_review_request_read(const char *buf, size_t len, truce_review_request *out,
                                       const char **field, char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    *field = NULL;
    json_error_t err;
    /* Without JSON_ALLOW_NUL jansson refuses "\u0000", and it refuses
     * bytes that are not UTF-8: a note is always text. */
    json_t *doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
    if (!doc) {
        snprintf(why, why_len, "not JSON: %s (line %d, column %d)", err.text, err.line, err.column);
        trc_one_line(why); /* jansson quotes the token, newlines and all */
        return TRUCE_E_PARSE;
    }
    truce_status st = TRUCE_E_INVALID;
    if (!json_is_object(doc)) {
        snprintf(why, why_len, "expected a JSON object");
        goto fail;
    }
    const char *key;
    json_t *value;
    json_object_foreach(doc, key, value)
    {
        long k = find((const char *const[]){"action", "note", "party"}, 3, key);
        if (k < 0) {
            *field = NULL;
            snprintf(why, why_len, "unknown member \"%.60s\" (expected action, note, party)", key);
            trc_one_line(why);
            goto fail;
        }
    }
    const char *action;
    if (string_member(doc, "action", 20, &action, why, why_len)) {
        *field = "action";
        goto fail;
    }
    long a = find(action_names, COUNT(action_names), action);
    if (a < 0) {
        *field = "action";
        snprintf(why, why_len, "%s (expected confirm, dispute, reject or comment)",
                 action ? "unknown action" : "missing");
        goto fail;
    }
    out->action = (truce_review_action)a;
    if (string_member(doc, "note", TRUCE_REVIEW_NOTE_MAX, &out->note, why, why_len)) {
        *field = "note";
        goto fail;
    }
    if (string_member(doc, "party", 200, &out->party, why, why_len)) {
        *field = "party";
        goto fail;
    }
    out->doc_ = doc;
    return TRUCE_OK;
fail:
    json_decref(doc);
    memset(out, 0, sizeof *out);
    return st;
}

void truce_review_request_release(truce_review_request *r)
{
    if (r && r->doc_)
        json_decref(r->doc_);
    if (r)
        memset(r, 0, sizeof *r);
}

truce_review_status truce_review_status_of(int rejected, const int *positions, size_t nparties)
{
    if (rejected)
        return TRUCE_STATUS_REJECTED;
    size_t confirmed = 0;
    for (size_t i = 0; i < nparties; i++) {
        if (positions[i] == TRUCE_POSITION_DISPUTED)
            return TRUCE_STATUS_DISPUTED;
        confirmed += positions[i] == TRUCE_POSITION_CONFIRMED;
    }
    if (confirmed && confirmed == nparties)
        return TRUCE_STATUS_JOINTLY_VERIFIED;
    return confirmed ? TRUCE_STATUS_CONFIRMED : TRUCE_STATUS_SUBMITTED;
}

static void refuse(truce_review_decision *d, truce_review_outcome outcome, const char *field,
                   const char *reason)
{
    d->outcome = outcome;
    d->field = field;
    d->reason = reason;
    d->to = d->from;
}

/* Refuse and return from truce_review_decide. */
#define REFUSE(...)                                                                                \
    do {                                                                                           \
        refuse(d, __VA_ARGS__);                                                                    \
        return;                                                                                    \
    } while (0)

void truce_review_decide(truce_role role, const char *token_party,
                         const truce_review_request *request, int rejected, int *positions,
                         const char *const *parties, size_t nparties, truce_review_decision *out)
{
    truce_review_decision *d = out;
    memset(d, 0, sizeof *d);
    d->party = -1;
    d->reason = "";
    d->from = d->to = truce_review_status_of(rejected, positions, nparties);
    truce_review_action action = request->action;
    int has_note = request->note && request->note[0];
    if (role != TRUCE_ROLE_ADMIN && role != TRUCE_ROLE_PARTY)
        REFUSE(TRUCE_REVIEW_FORBIDDEN, NULL, "this role may not review events");
    if ((unsigned)action >= COUNT(action_names))
        REFUSE(TRUCE_REVIEW_INVALID, "action", "unknown action");
    /* Whose position it is: a party token speaks for its own party only. */
    const char *party = request->party;
    if (role == TRUCE_ROLE_PARTY) {
        if (party && (!token_party || strcmp(party, token_party)))
            REFUSE(TRUCE_REVIEW_FORBIDDEN, "party",
                   "a party's token reviews for its own party only");
        party = token_party;
        d->party = find(parties, nparties, party);
        if (d->party < 0)
            REFUSE(TRUCE_REVIEW_FORBIDDEN, NULL,
                   "the token's party is not a party of the agreement");
    } else if (party) {
        d->party = find(parties, nparties, party);
        if (d->party < 0)
            REFUSE(TRUCE_REVIEW_INVALID, "party", "not a party of the agreement");
    }
    if (action == TRUCE_REVIEW_REJECT && role != TRUCE_ROLE_ADMIN)
        REFUSE(TRUCE_REVIEW_FORBIDDEN, "action", "only an admin rejects an event");
    if (action != TRUCE_REVIEW_CONFIRM && !has_note)
        REFUSE(TRUCE_REVIEW_INVALID, "note", "required for a dispute, a rejection or a comment");
    if (action == TRUCE_REVIEW_COMMENT)
        return;
    if (rejected)
        REFUSE(TRUCE_REVIEW_CONFLICT, NULL, "the event was rejected: only comments may follow");
    if (action == TRUCE_REVIEW_REJECT) {
        d->to = TRUCE_STATUS_REJECTED;
        return;
    }
    if (d->party < 0)
        REFUSE(TRUCE_REVIEW_INVALID, "party",
               "required: the party whose position an admin records");
    int want = action == TRUCE_REVIEW_CONFIRM ? TRUCE_POSITION_CONFIRMED : TRUCE_POSITION_DISPUTED;
    if (action == TRUCE_REVIEW_CONFIRM && positions[d->party] == want)
        REFUSE(TRUCE_REVIEW_CONFLICT, NULL, "this party has confirmed the event already");
    positions[d->party] = want;
    d->to = truce_review_status_of(0, positions, nparties);
}
