/* The store's public calls: pick a backend by the location's scheme, do
 * what every backend shares (tokens made and hashed here, so no backend
 * ever sees a token itself), and dispatch. */
#include <stdio.h>
#include <string.h>

#include "store/store_impl.h"

static void say(char *why, size_t why_len, const char *msg)
{
    if (why && why_len)
        snprintf(why, why_len, "%s", msg);
}

/* A batch of reports committed (group_commit.h): the live stream's readers
 * are woken before the reports' owners are told. */
static void report_batch(void *ctx, trc_group_job *first)
{
    truce_store *s = ctx;
    s->ops->report_batch(s, (trc_report_job *)first);
    trc_changes_committed(s);
}

static truce_status opened(truce_status st, truce_store **out)
{
    if (!st) {
        trc_group_init(&(*out)->group, report_batch, *out);
        trc_change_signal_init(&(*out)->changed);
    }
    if (!st && (*out)->ops->start && (st = (*out)->ops->start(*out))) {
        truce_store_free(*out);
        *out = NULL;
    }
    return st;
}

truce_status truce_store_open(const char *where, truce_store **out, char *why, size_t why_len)
{
    if (out)
        *out = NULL;
    if (!where || !*where || !out) {
        say(why, why_len, "no store given");
        return TRUCE_E_ARG;
    }
    if (!strncmp(where, "sqlite:", 7))
        return opened(trc_store_sqlite_open(where + 7, out, why, why_len), out);
    if (trc_store_pg_location(where))
        return opened(trc_store_pg_open(where, out, why, why_len), out);
    return opened(trc_store_sqlite_open(where, out, why, why_len), out);
}

void truce_store_free(truce_store *s)
{
    if (!s)
        return;
    trc_group_destroy(&s->group);
    trc_change_signal_destroy(&s->changed);
    s->ops->free(s);
}

/* A label or party: at most TRUCE_TOKEN_TEXT_MAX bytes, no control
 * characters (they would garble `truce token list`). */
static int text_ok(const char *s)
{
    if (!s)
        return 1;
    size_t n = strlen(s);
    if (n > TRUCE_TOKEN_TEXT_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

truce_status truce_store_token_add(truce_store *s, truce_role role, const char *party,
                                   const char *name, char token[TRUCE_TOKEN_SIZE], int64_t *id)
{
    if (!s || !token || (unsigned)role > TRUCE_ROLE_VIEWER)
        return TRUCE_E_ARG;
    if (party && !*party)
        party = NULL;
    if ((role == TRUCE_ROLE_PARTY) != (party != NULL))
        return TRUCE_E_ARG;
    if (!text_ok(party) || !text_ok(name))
        return TRUCE_E_RANGE;
    char fresh[TRUCE_TOKEN_SIZE];
    truce_status st = trc_token_new(fresh);
    if (st)
        return st;
    unsigned char hash[32];
    trc_sha256(fresh, strlen(fresh), hash);
    char at[32];
    trc_store_now(at);
    int64_t got = 0;
    st = s->ops->token_add(s, role, party, name, hash, at, &got);
    if (!st) {
        memcpy(token, fresh, sizeof fresh);
        if (id)
            *id = got;
    }
    memset(fresh, 0, sizeof fresh);
    return st;
}

truce_status truce_store_token_verify(truce_store *s, const char *token, truce_token_info *out)
{
    if (!s || !token || !out)
        return TRUCE_E_ARG;
    unsigned char hash[32];
    trc_sha256(token, strlen(token), hash);
    return s->ops->token_verify(s, hash, out);
}

truce_status truce_store_token_revoke(truce_store *s, int64_t id)
{
    if (!s)
        return TRUCE_E_ARG;
    char at[32];
    trc_store_now(at);
    return s->ops->token_revoke(s, id, at);
}

truce_status truce_store_token_list(truce_store *s, truce_token_fn fn, void *ctx)
{
    if (!s || !fn)
        return TRUCE_E_ARG;
    return s->ops->token_list(s, fn, ctx);
}

truce_status truce_store_event_get(truce_store *s, const char *id, truce_text *out)
{
    if (!s || !id || !out)
        return TRUCE_E_ARG;
    return s->ops->event_get(s, id, out);
}

truce_status truce_store_event_submitter(truce_store *s, const char *id, int64_t *token_id)
{
    if (!s || !id || !token_id)
        return TRUCE_E_ARG;
    return s->ops->event_submitter(s, id, token_id);
}

truce_status truce_store_review(truce_store *s, const char *id, const truce_token_info *who,
                                const truce_review_request *request, const char *at,
                                const char *const *parties, size_t nparties,
                                truce_review_decision *decision, truce_text *out)
{
    if (!s || !id || !who || !request || !decision || !out || (nparties && !parties))
        return TRUCE_E_ARG;
    char now[32];
    if (!at) {
        trc_store_now(now);
        at = now;
    }
    truce_status st = s->ops->review(s, id, who, request, at, parties, nparties, decision, out);
    trc_changes_committed(s);
    return st;
}

truce_status truce_store_events_list(truce_store *s, const truce_store_filter *filter,
                                     int64_t after, size_t limit, truce_store_event_fn fn,
                                     void *ctx, int64_t *next)
{
    if (!s || !fn || !next || !limit || after < 0)
        return TRUCE_E_ARG;
    truce_store_filter all = {0};
    return s->ops->events_list(s, filter ? filter : &all, after, limit, fn, ctx, next);
}

truce_status truce_store_events_scan(truce_store *s, const truce_store_filter *filter,
                                     truce_store_event_fn fn, void *ctx)
{
    if (!s || !fn)
        return TRUCE_E_ARG;
    truce_store_filter all = {0};
    return s->ops->events_scan(s, filter ? filter : &all, fn, ctx);
}
