/* Judging a stream of events on several threads, in input order: see
 * judge.h. */
#include "truce/judge.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "truce/response.h"

#include "base/alloc.h"

typedef struct judge_pipeline judge_pipeline;

struct truce_judge {
    const truce_agreement *agreement; /* not owned */
    truce_classifier *classifier;     /* the pushing thread's (judging threads share its indexes) */
    truce_judge_options opt;
    truce_judge_sink sink;
    void *sink_ctx;
    truce_responder *responder; /* NULL without response linking */
    truce_judge_counts counts;
    truce_status err;     /* one thread: the first failure since the last flush */
    char failure[320];    /* truce_judge_failure */
    int failure_stale;    /* failure was returned by a flush: cleared at the next push */
    truce_text text;      /* the prepare hook's output with one thread */
    judge_pipeline *pipe; /* NULL with one thread */
};

void truce_judge_options_init(truce_judge_options *options)
{
    memset(options, 0, sizeof *options);
}

/* ---- handing results over ---------------------------------------------- */

/* Note a failure of the judge itself on `event` (classify's, the prepare
 * hook's or the responder's status `st`); returns st.  Called by one
 * thread at a time (the delivering one). */
static truce_status judge_failed(truce_judge *j, const truce_event *event, truce_status st)
{
    snprintf(j->failure, sizeof j->failure, "%s:%ld: %s: %s", event->file ? event->file : "<stdin>",
             event->line, event->id, truce_strerror(st));
    return st;
}

/* Link responses, count the verdict and give it to the sink (one
 * delivering thread at a time, in input order). */
static truce_status deliver(truce_judge *j, const truce_event *event, const truce_verdict *v,
                            const char *text)
{
    truce_judged d = {event, v, NULL, 0, 0, text};
    if (j->responder) {
        /* Responses follow input order: an attack links only to what came before. */
        truce_status st =
            truce_responder_link(j->responder, event, v->any_phase != TRUCE_VIOLATION_NONE,
                                 &d.response_to, &d.response_delay_s, &d.response_distance_m);
        if (st)
            return judge_failed(j, event, st);
    }
    j->counts.judged++;
    j->counts.by_violation[v->violation]++;
    return j->sink(j->sink_ctx, &d);
}

/* One thread: judge and deliver each event as it is pushed. */
static truce_status judge_now(truce_judge *j, const truce_event *event)
{
    truce_verdict v;
    truce_status st = truce_classify(j->classifier, event, &v);
    if (st)
        return judge_failed(j, event, st);
    j->text.len = 0;
    if (j->opt.prepare && (st = j->opt.prepare(j->opt.prepare_ctx, event, &v, &j->text)))
        return judge_failed(j, event, st);
    return deliver(j, event, &v, j->opt.prepare ? j->text.p : NULL);
}

/* ---- the pipeline ------------------------------------------------------- */

/* Four batches per thread of up to BATCH_EVENTS events each, whose
 * strings share an arena of ARENA_BYTES (grown only for one event larger
 * than it).  The pushing thread fills one while judges work on others and
 * judged ones wait to be delivered in order; memory stays constant, about
 * 4 * threads * (ARENA_BYTES + BATCH_EVENTS * 1 KB) for the bundled
 * agreement.  Each event keeps a verdict for every zone and corridor (24
 * and 40 bytes), so a batch holds fewer events when those would pass
 * BATCH_VERDICT_BYTES: 2,000 corridors made 80 KB an event, 650 MB for a
 * pipeline of 8 full batches, and 10,000 amendments 3.3 GB.  The rules an
 * event breaks (24 bytes and the reason's length each, usually one or two)
 * go into arrays per batch that grow as needed and are kept.  With two per
 * thread, the judging thread sat idle for 0.6 s of
 * a 1M-event run (waiting while the reading thread judged a batch instead
 * of reading ahead); with four, 0.04 s.  At most MAX_JUDGES judging
 * threads (more threads asked for give that many). */
enum { BATCH_EVENTS = 1024, MAX_JUDGES = 15 };
#define ARENA_BYTES ((size_t)1 << 20)
#define BATCH_VERDICT_BYTES ((size_t)1 << 20)

typedef struct judged_event {
    truce_event event;     /* its strings in the batch's arena */
    truce_verdict verdict; /* its zones, corridors and rules in the batch's arrays */
    size_t text_at;        /* what prepare wrote, at batch->text.p + text_at */
} judged_event;

typedef struct batch {
    judged_event *items; /* batch_events */
    size_t n;            /* events copied in */
    char *arena;         /* the events' strings */
    size_t arena_cap, arena_used;
    truce_zone_verdict *zv;     /* batch_events * nzones: item i at zv + i * nzones */
    truce_corridor_verdict *cv; /* batch_events * ncorridors */
    /* The rules each item breaks or may break, in item order (grown as
     * needed, kept for the next fill), and their reasons, each with its
     * NUL, in the same order. */
    truce_rule_verdict *rv;
    size_t rv_len, rv_cap;
    truce_text reasons;
    truce_text text;  /* prepare's output for every item */
    size_t ok;        /* items judged; items[ok] failed when ok < n */
    truce_status err; /* the status for items[ok] */
    int judged;       /* under mu: judged, waiting to be delivered */
} batch;

/* Batch k is b[k % nb]: those below `consumed` are done with; those in
 * [consumed, filled) are handed over: [claimed, filled) wait for a judge,
 * the others are being judged or wait (b->judged) to be delivered; b[filled
 * % nb] is being filled when filled - consumed < nb.  Judges claim batches in
 * order but may finish out of order.  Delivering (the sink, in input order)
 * is done by one thread at a time, whichever finds the oldest batch judged
 * and nobody delivering (`writing`): mostly the judge that just judged it,
 * whose caches still hold its records.  Everything here but the batch being
 * filled is shared, under mu. */
struct judge_pipeline {
    truce_judge *j;
    size_t batch_events; /* events a batch holds: BATCH_EVENTS, fewer for many items */
    pthread_mutex_t mu;
    pthread_cond_t work; /* filled or quit changed */
    pthread_cond_t done; /* a batch was judged or delivered */
    uint64_t filled, claimed, consumed;
    int busy;    /* batches being judged */
    int writing; /* a thread is delivering */
    int quit;
    truce_status rc; /* the first failure judging or delivering: the rest is dropped */
    /* The judging threads, each with its own classifier; the pushing
     * thread judges too (with j->classifier) when it would otherwise wait. */
    int njudges;
    pthread_t threads[MAX_JUDGES];
    truce_classifier *classifiers[MAX_JUDGES];
    size_t nb;
    batch *b; /* nb */
};

/* Copy verdict v's rules (the classifier's until its next call) to the end
 * of the batch's and point v at them; the pointers hold until the batch's
 * arrays grow again (relink_rules).  TRUCE_E_NOMEM. */
static truce_status keep_rules(batch *b, truce_verdict *v)
{
    if (b->rv_len + v->nrules > b->rv_cap) {
        size_t cap = b->rv_cap ? b->rv_cap : 64;
        while (cap < b->rv_len + v->nrules)
            cap *= 2;
        truce_rule_verdict *rv = trc_realloc(b->rv, cap * sizeof *rv);
        if (!rv)
            return TRUCE_E_NOMEM;
        b->rv = rv;
        b->rv_cap = cap;
    }
    truce_rule_verdict *kept = b->rv + b->rv_len;
    size_t at = b->reasons.len;
    for (size_t k = 0; k < v->nrules; k++)
        if (truce_text_append(&b->reasons, v->rules[k].reason, strlen(v->rules[k].reason) + 1))
            return TRUCE_E_NOMEM;
    for (size_t k = 0; k < v->nrules; k++) { /* now that the reasons have stopped moving */
        kept[k] = v->rules[k];
        kept[k].reason = b->reasons.p + at;
        at += strlen(kept[k].reason) + 1;
    }
    b->rv_len += v->nrules;
    v->rules = v->nrules ? kept : NULL;
    return TRUCE_OK;
}

/* Point the first n items' rules and reasons into the batch's arrays
 * where they now are. */
static void relink_rules(batch *b, size_t n)
{
    const char *reason = b->reasons.p;
    truce_rule_verdict *rv = b->rv;
    for (size_t i = 0; i < n; i++) {
        truce_verdict *v = &b->items[i].verdict;
        v->rules = v->nrules ? rv : NULL;
        for (size_t k = 0; k < v->nrules; k++) {
            rv[k].reason = reason;
            reason += strlen(reason) + 1;
        }
        rv += v->nrules;
    }
}

/* Classify every event of a batch and run the prepare hook; stops at the
 * first failure. */
static void judge_batch(const truce_judge *j, truce_classifier *classifier, batch *b)
{
    size_t nz = j->agreement->nzones, nc = j->agreement->ncorridors;
    b->text.len = 0;
    b->rv_len = 0;
    b->reasons.len = 0;
    b->ok = 0;
    b->err = TRUCE_OK;
    for (size_t i = 0; i < b->n; i++) {
        judged_event *it = &b->items[i];
        truce_status st = truce_classify(classifier, &it->event, &it->verdict);
        /* The verdict's arrays are the classifier's until its next call. */
        if (!st)
            st = keep_rules(b, &it->verdict);
        if (st) {
            b->err = st;
            break;
        }
        if (nz) {
            memcpy(b->zv + i * nz, it->verdict.zones, nz * sizeof *b->zv);
            it->verdict.zones = b->zv + i * nz;
        }
        if (nc) {
            memcpy(b->cv + i * nc, it->verdict.corridors, nc * sizeof *b->cv);
            it->verdict.corridors = b->cv + i * nc;
        }
        it->text_at = b->text.len;
        if (j->opt.prepare &&
            (st = j->opt.prepare(j->opt.prepare_ctx, &it->event, &it->verdict, &b->text))) {
            b->err = st;
            break;
        }
        b->ok = i + 1;
    }
    relink_rules(b, b->ok);
}

/* Hand a judged batch's events to the sink, in order; returns TRUCE_OK or
 * the first failure. */
static truce_status deliver_batch(truce_judge *j, const batch *b)
{
    truce_status rc = TRUCE_OK;
    for (size_t i = 0; i < b->ok && rc == TRUCE_OK; i++) {
        const judged_event *it = &b->items[i];
        rc = deliver(j, &it->event, &it->verdict, j->opt.prepare ? b->text.p + it->text_at : NULL);
    }
    if (rc == TRUCE_OK && b->ok < b->n)
        rc = judge_failed(j, &b->items[b->ok].event, b->err);
    return rc;
}

static void batch_reset(batch *b)
{
    b->n = 0;
    b->arena_used = 0;
    b->text.len = 0;
    b->judged = 0;
}

/* Under mu: deliver the judged batches at the head of the queue, in order,
 * unless another thread is delivering (it will go on with them); mu is let
 * go while delivering.  After a failure the batches are only dropped. */
static void deliver_ready(judge_pipeline *p)
{
    while (!p->writing && p->consumed != p->filled && p->b[p->consumed % p->nb].judged) {
        batch *b = &p->b[p->consumed % p->nb];
        truce_status rc = p->rc;
        p->writing = 1;
        pthread_mutex_unlock(&p->mu);
        if (rc == TRUCE_OK)
            rc = deliver_batch(p->j, b);
        pthread_mutex_lock(&p->mu);
        batch_reset(b);
        p->consumed++;
        p->writing = 0;
        if (p->rc == TRUCE_OK)
            p->rc = rc;
        pthread_cond_broadcast(&p->done);
    }
}

/* Under mu: judge the next batch waiting for a judge with `classifier`,
 * then deliver what is ready (mu is let go while working). */
static void judge_next(judge_pipeline *p, truce_classifier *classifier)
{
    batch *b = &p->b[p->claimed++ % p->nb];
    p->busy++;
    pthread_mutex_unlock(&p->mu);
    judge_batch(p->j, classifier, b);
    pthread_mutex_lock(&p->mu);
    b->judged = 1;
    p->busy--;
    pthread_cond_broadcast(&p->done);
    deliver_ready(p);
}

typedef struct judge_arg {
    judge_pipeline *p;
    truce_classifier *classifier;
} judge_arg;

static void *judging_thread(void *arg)
{
    judge_arg a = *(judge_arg *)arg;
    trc_free(arg);
    judge_pipeline *p = a.p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->claimed == p->filled)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->quit)
            break;
        judge_next(p, a.classifier);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Under mu, on the pushing thread: wait until fewer than `most` batches
 * are in flight (or a failure stopped the run), judging a waiting batch or
 * delivering the judged ones here rather than sitting idle.  Returns
 * TRUCE_OK or the failure. */
static truce_status help_until(judge_pipeline *p, uint64_t most)
{
    while (p->rc == TRUCE_OK && p->filled - p->consumed >= most) {
        if (p->claimed != p->filled)
            judge_next(p, p->j->classifier);
        else if (!p->writing && p->b[p->consumed % p->nb].judged)
            deliver_ready(p);
        else
            pthread_cond_wait(&p->done, &p->mu);
    }
    return p->rc;
}

/* Hand the batch being filled to the judges, then make sure the next one
 * is free; returns TRUCE_OK or the failure that stops the run. */
static truce_status submit(judge_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->rc == TRUCE_OK) { /* after a failure the batch stays, to be dropped */
        p->filled++;
        pthread_cond_signal(&p->work);
    }
    truce_status rc = help_until(p, p->nb);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* A failure on the pushing thread: stop the run there (truce_judge_flush
 * drops what is in flight).  Returns rc. */
static truce_status pipe_stop(judge_pipeline *p, truce_status rc)
{
    pthread_mutex_lock(&p->mu);
    if (p->rc == TRUCE_OK)
        p->rc = rc;
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* Several threads: copy the event into the batch being filled, handing full
 * batches over. */
static truce_status pipe_add(truce_judge *j, const truce_event *event)
{
    judge_pipeline *p = j->pipe;
    batch *b = &p->b[p->filled % p->nb];
    truce_status st = b->n == p->batch_events
                          ? TRUCE_E_RANGE
                          : truce_event_copy(event, &b->items[b->n].event, b->arena, b->arena_cap,
                                             &b->arena_used);
    if (st == TRUCE_E_RANGE) { /* the batch is full: start the next one */
        if (b->n) {
            truce_status rc = submit(p);
            if (rc != TRUCE_OK)
                return rc;
            b = &p->b[p->filled % p->nb];
        }
        size_t need = truce_event_copy_size(event);
        if (need > b->arena_cap) { /* an empty batch: nothing points into it */
            char *a = trc_malloc(need);
            if (!a) /* no event to name: truce_judge_failure stays "" */
                return pipe_stop(p, TRUCE_E_NOMEM);
            trc_free(b->arena);
            b->arena = a;
            b->arena_cap = need;
        }
        st = truce_event_copy(event, &b->items[0].event, b->arena, b->arena_cap, &b->arena_used);
    }
    if (st != TRUCE_OK) /* cannot be: there is room */
        return pipe_stop(p, st);
    b->n++;
    return TRUCE_OK;
}

/* Judge and deliver the rest, or after a failure drop it (batches no judge
 * has taken are dropped, the ones being judged or delivered are let
 * finish).  Returns TRUCE_OK or the failure that stopped the run. */
static truce_status pipe_flush(judge_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->rc == TRUCE_OK && p->b[p->filled % p->nb].n) {
        p->filled++;
        pthread_cond_signal(&p->work);
    }
    truce_status rc = help_until(p, 1);
    if (rc != TRUCE_OK) {
        p->claimed = p->filled;
        while (p->busy || p->writing)
            pthread_cond_wait(&p->done, &p->mu);
        for (size_t i = 0; i < p->nb; i++)
            batch_reset(&p->b[i]);
        p->consumed = p->filled;
        p->rc = TRUCE_OK;
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

static void free_batches(judge_pipeline *p)
{
    for (size_t i = 0; p->b && i < p->nb; i++) {
        trc_free(p->b[i].items);
        trc_free(p->b[i].arena);
        trc_free(p->b[i].zv);
        trc_free(p->b[i].cv);
        trc_free(p->b[i].rv);
        trc_free(p->b[i].reasons.p);
        trc_free(p->b[i].text.p);
    }
    for (int i = 0; i < MAX_JUDGES; i++)
        truce_classifier_free(p->classifiers[i]);
    trc_free(p->b);
    trc_free(p);
}

/* Stop the judging threads (each finishes the batch in hand) and free. */
static void pipe_free(judge_pipeline *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->njudges; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    free_batches(p);
}

/* A pipeline with `judges` judging threads running (at least one); NULL
 * when not even one can be started (then one thread does everything, with
 * the same output). */
static judge_pipeline *pipe_new(truce_judge *j, int judges)
{
    judge_pipeline *p = trc_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->j = j;
    if (judges > MAX_JUDGES)
        judges = MAX_JUDGES;
    p->nb = 4 * (size_t)judges + 4;
    size_t nz = j->agreement->nzones, nc = j->agreement->ncorridors;
    size_t per_event = nz * sizeof(truce_zone_verdict) + nc * sizeof(truce_corridor_verdict);
    p->batch_events = per_event ? BATCH_VERDICT_BYTES / per_event : BATCH_EVENTS;
    if (p->batch_events > BATCH_EVENTS)
        p->batch_events = BATCH_EVENTS;
    if (p->batch_events < 1)
        p->batch_events = 1;
    int bad = !(p->b = trc_calloc(p->nb, sizeof *p->b));
    for (size_t i = 0; p->b && i < p->nb; i++) {
        batch *b = &p->b[i];
        b->items = trc_malloc(p->batch_events * sizeof *b->items);
        b->arena = trc_malloc(ARENA_BYTES);
        b->arena_cap = ARENA_BYTES;
        b->zv = nz ? trc_malloc(p->batch_events * nz * sizeof *b->zv) : NULL;
        b->cv = nc ? trc_malloc(p->batch_events * nc * sizeof *b->cv) : NULL;
        bad |= !b->items || !b->arena || (nz && !b->zv) || (nc && !b->cv);
    }
    for (int i = 0; i < judges && !bad; i++)
        bad |= truce_classifier_new_shared(j->classifier, &p->classifiers[i]) != TRUCE_OK;
    if (bad) {
        free_batches(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    for (int i = 0; i < judges; i++) {
        judge_arg *a = trc_malloc(sizeof *a);
        if (!a)
            break;
        *a = (judge_arg){p, p->classifiers[i]};
        if (pthread_create(&p->threads[i], NULL, judging_thread, a)) {
            trc_free(a);
            break;
        }
        p->njudges++;
    }
    if (!p->njudges) {
        pthread_cond_destroy(&p->work);
        pthread_cond_destroy(&p->done);
        pthread_mutex_destroy(&p->mu);
        free_batches(p);
        return NULL;
    }
    return p;
}

/* ---- the judge ---------------------------------------------------------- */

truce_status truce_judge_new(const truce_agreement *agreement, const truce_judge_options *options,
                             truce_judge_sink sink, void *sink_ctx, truce_judge **out)
{
    if (!out)
        return TRUCE_E_ARG;
    *out = NULL;
    if (!agreement || !options || !sink || options->threads < 0 ||
        !(options->response_window_s >= 0) || !(options->response_distance_m >= 0))
        return TRUCE_E_ARG;
    truce_judge *j = trc_calloc(1, sizeof *j);
    if (!j)
        return TRUCE_E_NOMEM;
    j->agreement = agreement;
    j->opt = *options;
    j->sink = sink;
    j->sink_ctx = sink_ctx;
    truce_status st = truce_classifier_new(agreement, &j->classifier);
    if (!st && options->response_window_s > 0)
        st = truce_responder_new(options->response_window_s, options->response_distance_m,
                                 &j->responder);
    if (st) {
        truce_judge_free(j);
        return st;
    }
    /* By default a thread per online CPU: the pushing thread and judging
     * threads beside it (docs/performance.md, "Classify"); with one CPU a
     * pipeline would only add hand-over costs. */
    int threads = options->threads;
    if (!threads) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cpus > 1 ? (int)(cpus < 64 ? cpus : 64) : 1;
    }
    if (threads > 1)
        j->pipe = pipe_new(j, threads - 1);
    *out = j;
    return TRUCE_OK;
}

truce_status truce_judge_push(truce_judge *j, const truce_event *event)
{
    if (j->failure_stale) { /* nothing is in flight: no thread writes it */
        j->failure[0] = '\0';
        j->failure_stale = 0;
    }
    if (j->pipe)
        return pipe_add(j, event);
    if (j->err == TRUCE_OK)
        j->err = judge_now(j, event);
    return j->err;
}

truce_status truce_judge_flush(truce_judge *j)
{
    truce_status st;
    if (j->pipe) {
        st = pipe_flush(j->pipe);
    } else {
        st = j->err;
        j->err = TRUCE_OK;
    }
    if (st == TRUCE_OK)
        j->failure[0] = '\0';
    j->failure_stale = 1;
    return st;
}

const char *truce_judge_failure(const truce_judge *j)
{
    return j->failure;
}

void truce_judge_counts_get(const truce_judge *j, truce_judge_counts *out)
{
    *out = j->counts;
}

int truce_judge_threads(const truce_judge *j)
{
    return j->pipe ? j->pipe->njudges + 1 : 1;
}

void truce_judge_free(truce_judge *j)
{
    if (!j)
        return;
    pipe_free(j->pipe);
    truce_classifier_free(j->classifier);
    truce_responder_free(j->responder);
    trc_free(j->text.p);
    trc_free(j);
}
