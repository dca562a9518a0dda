/* The change feed (truce/store.h): the changes a backend reads, filtered
 * here on each event as it was right after the change, and the waiting for
 * new ones.
 *
 * Waiting is a condition variable in the store object, broadcast after each
 * writing call's commit (store.c, store_import.c, store_agreement.c): a
 * waiter wakes at once in this process.  A generation counter closes the
 * gap between reading the latest change number and starting to wait.  A
 * store shared by several processes (PostgreSQL, later) would broadcast on
 * its own notifications too, behind the same call. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "store/store_impl.h"

const char *truce_change_kind_name(truce_change_kind kind)
{
    switch (kind) {
    case TRUCE_CHANGE_CREATED:
        return "created";
    case TRUCE_CHANGE_VERDICT:
        return "verdict";
    case TRUCE_CHANGE_REVIEW:
        return "review";
    }
    return "?";
}

void trc_change_signal_init(trc_change_signal *c)
{
    pthread_mutex_init(&c->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&c->cond, &attr);
    pthread_condattr_destroy(&attr);
    c->generation = 0;
}

void trc_change_signal_destroy(trc_change_signal *c)
{
    pthread_cond_destroy(&c->cond);
    pthread_mutex_destroy(&c->lock);
}

void trc_changes_committed(truce_store *s)
{
    pthread_mutex_lock(&s->changed.lock);
    s->changed.generation++;
    pthread_cond_broadcast(&s->changed.cond);
    pthread_mutex_unlock(&s->changed.lock);
}

void truce_store_changes_wake(truce_store *s)
{
    if (s)
        trc_changes_committed(s);
}

typedef struct filtering {
    const truce_store_filter *filter;
    truce_store_change_fn fn;
    void *ctx;
    truce_text json;
} filtering;

static truce_status on_row(void *ctx, const trc_change_row *row)
{
    filtering *fl = ctx;
    const truce_store_filter *f = fl->filter;
    if (f && f->submitted_by && row->token_id != f->submitted_by)
        return TRUCE_OK;
    int passes = 1;
    truce_status st = TRUCE_OK;
    if (f && f->events)
        st = truce_event_filter_match(f->events, row->record, strlen(row->record), row->status,
                                      &passes);
    if (st || !passes)
        return st;
    fl->json.len = 0;
    st = trc_store_json_event(&fl->json, row->record, row->status, row->received_at, NULL);
    if (st)
        return st;
    truce_store_change c = {row->seq, row->kind, row->event_id, row->at, fl->json.p, fl->json.len};
    return fl->fn(fl->ctx, &c);
}

truce_status truce_store_changes(truce_store *s, const truce_store_filter *filter, int64_t after,
                                 size_t limit, truce_store_change_fn fn, void *ctx, int64_t *last)
{
    if (!s || !fn || !last || !limit || after < 0)
        return TRUCE_E_ARG;
    filtering fl = {filter, fn, ctx, {0}};
    *last = after;
    truce_status st = s->ops->changes_read(s, after, limit, on_row, &fl, last);
    truce_text_release(&fl.json);
    return st;
}

truce_status truce_store_changes_latest(truce_store *s, int64_t *seq)
{
    if (!s || !seq)
        return TRUCE_E_ARG;
    return s->ops->changes_latest(s, seq);
}

truce_status truce_store_changes_wait(truce_store *s, int64_t after, unsigned timeout_ms,
                                      int64_t *latest)
{
    if (!s || !latest)
        return TRUCE_E_ARG;
    pthread_mutex_lock(&s->changed.lock);
    unsigned long seen = s->changed.generation;
    pthread_mutex_unlock(&s->changed.lock);
    truce_status st = s->ops->changes_latest(s, latest);
    if (st || *latest > after)
        return st;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->changed.lock);
    int rc = 0;
    while (s->changed.generation == seen && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&s->changed.cond, &s->changed.lock, &until);
    pthread_mutex_unlock(&s->changed.lock);
    return s->ops->changes_latest(s, latest);
}
