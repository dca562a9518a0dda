/* Judging event files in the CLI: see cli_judge.h. */
#include "cli_judge.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_judge_option(cli_judge_opts *o, int opt, const char *arg)
{
    switch (opt) {
    case 0x100:
        o->input_format = arg;
        return 1;
    case 0x101:
        o->rejects = arg;
        return 1;
    case 0x102:
        o->precision_table = arg;
        return 1;
    case 0x103: {
        long n;
        o->threads = cli_parse_long(arg, 1, 1024, &n) ? -1 : (int)n;
        return 1;
    }
    case 'q':
        o->quiet = 1;
        return 1;
    default:
        return 0;
    }
}

int cli_judge_open(cli_judge *j, const char *sub, const char *agreement_path,
                   const cli_judge_opts *o)
{
    memset(j, 0, sizeof *j);
    j->sub = sub;
    if (o->threads < 0) {
        cli_error(sub, "--threads: expected a number of threads from 1 to 1024");
        return EXIT_USAGE;
    }
    /* By default a thread per online CPU: the reading thread and judging
     * threads beside it (docs/performance.md, "Classify"); with one CPU a
     * pipeline would only add hand-over costs. */
    if (o->threads) {
        j->threads = o->threads;
    } else {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        j->threads = cpus > 1 ? (int)(cpus < 64 ? cpus : 64) : 1;
    }
    truce_diags diags;
    truce_diags_init(&diags);
    int loaded = cli_load_agreement(sub, agreement_path, &j->agreement);
    if (loaded != EXIT_OK)
        return loaded;
    truce_status st;
    truce_precision_table_default(&j->table);
    if (o->precision_table) {
        st = truce_precision_table_load(o->precision_table, &j->table, &diags);
        cli_print_diags(sub, &diags);
        truce_diags_release(&diags);
        if (st)
            return cli_exit_for(st);
    }
    st = truce_classifier_new(j->agreement, &j->classifier);
    if (st) {
        cli_error(sub, "%s: %s", agreement_path, truce_strerror(st));
        return cli_exit_for(st);
    }
    truce_reader_options_init(&j->ropt);
    j->ropt.format = o->input_format;
    j->ropt.tz = j->agreement->tz;
    j->ropt.precision = &j->table;
    if (o->rejects)
        return cli_open_output(sub, o->rejects, &j->rejects);
    return EXIT_OK;
}

char *cli_text_room(cli_text *t, size_t n)
{
    if (t->cap - t->len <= n) {
        size_t cap = (t->cap + n) * 2 + 64;
        char *p = realloc(t->p, cap);
        if (!p)
            return NULL;
        t->p = p;
        t->cap = cap;
    }
    return t->p + t->len;
}

int cli_text_put(cli_text *t, const char *s, size_t n)
{
    if (!cli_text_room(t, n))
        return -1;
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
    return 0;
}

/* ---- handing results over ---------------------------------------------- */

/* Report a failure to judge `event` (classify's status `st`, or TRUCE_OK
 * when the prepare hook ran out of memory); returns the exit status. */
static int judge_failed(const cli_judge *j, const truce_event *event, truce_status st, int status)
{
    if (st == TRUCE_OK) {
        cli_error(j->sub, "out of memory");
        return EXIT_FAILURE_;
    }
    cli_error(j->sub, "%s:%ld: %s: %s", event->file ? event->file : "<stdin>", event->line,
              event->id, truce_strerror(st));
    return status;
}

/* Count the verdict and give it to the command (one delivering thread at a time). */
static int deliver(cli_judge *j, const truce_event *event, const truce_verdict *v, const char *text)
{
    j->verdicts[v->violation]++;
    return j->fn(j->ctx, event, v, text);
}

/* One thread: judge and deliver each event as it is read. */
static int judge_now(cli_judge *j, const truce_event *event)
{
    truce_verdict v;
    truce_status st = truce_classify(j->classifier, event, &v);
    if (st)
        return judge_failed(j, event, st, cli_exit_for(st));
    j->text.len = 0;
    if (j->prepare && j->prepare(j->ctx, event, &v, &j->text) != EXIT_OK)
        return judge_failed(j, event, TRUCE_OK, EXIT_FAILURE_);
    return deliver(j, event, &v, j->prepare ? j->text.p : NULL);
}

/* ---- the pipeline ------------------------------------------------------- */

/* Four batches per thread of up to BATCH_EVENTS events each, whose
 * strings share an arena of ARENA_BYTES (grown only for one event larger
 * than it).  The reader fills one while judges work on others and judged
 * ones wait to be consumed in order; memory stays constant, about 4 *
 * threads * (ARENA_BYTES + BATCH_EVENTS * 1 KB) for the bundled agreement.
 * Each event keeps a verdict for every zone and corridor (24 and 40
 * bytes), so a batch holds fewer events when those would pass
 * BATCH_VERDICT_BYTES: 2,000 corridors made 80 KB an event, 650 MB for a
 * pipeline of 8 full batches, and 10,000 amendments 3.3 GB.
 * With two per thread, the judging thread sat idle for 0.6 s of a 1M-event
 * run (waiting while the reading thread judged a batch instead of reading
 * ahead); with four, 0.04 s.  At most MAX_JUDGES judging threads (--threads above that
 * gives that many). */
enum { BATCH_EVENTS = 1024, MAX_JUDGES = 15 };
#define ARENA_BYTES ((size_t)1 << 20)
#define BATCH_VERDICT_BYTES ((size_t)1 << 20)

typedef struct judged_event {
    truce_event event;     /* its strings in the batch's arena */
    truce_verdict verdict; /* its zones and corridors in the batch's arrays */
    size_t text_at;        /* what prepare wrote, at batch->text.p + text_at */
} judged_event;

typedef struct batch {
    judged_event *items; /* batch_events */
    size_t n;            /* events copied in */
    char *arena;         /* the events' strings */
    size_t arena_cap, arena_used;
    truce_zone_verdict *zv;     /* batch_events * nzones: item i at zv + i * nzones */
    truce_corridor_verdict *cv; /* batch_events * ncorridors */
    cli_text text;              /* prepare's output for every item */
    size_t ok;                  /* items judged; items[ok] failed when ok < n */
    int status;                 /* the exit status for items[ok] */
    truce_status err;           /* classify's status for it; TRUCE_OK: prepare failed */
    int judged;                 /* under mu: judged, waiting to be consumed */
} batch;

/* Batch k is b[k % nb]: those below `consumed` are done with; those in
 * [consumed, filled) are handed over: [claimed, filled) wait for a judge,
 * the others are being judged or wait (b->judged) to be delivered; b[filled
 * % nb] is being filled when filled - consumed < nb.  Judges claim batches in
 * order but may finish out of order.  Delivering (the callback, in input
 * order) is done by one thread at a time, whichever finds the oldest batch
 * judged and nobody delivering (`writing`): mostly the judge that just
 * judged it, whose caches still hold its records.  Everything here but the
 * batch being filled is shared, under mu. */
struct cli_pipeline {
    cli_judge *j;
    size_t batch_events; /* events a batch holds: BATCH_EVENTS, fewer for many items */
    pthread_mutex_t mu;
    pthread_cond_t work; /* filled or quit changed */
    pthread_cond_t done; /* a batch was judged or delivered */
    uint64_t filled, claimed, consumed;
    int busy;    /* batches being judged */
    int writing; /* a thread is delivering */
    int quit;
    int rc; /* the first error delivering or judging: the file's rest is discarded */
    /* The judging threads, each with its own classifier; the calling
     * thread judges too (with j->classifier) when it would otherwise wait. */
    int njudges;
    pthread_t threads[MAX_JUDGES];
    truce_classifier *classifiers[MAX_JUDGES];
    size_t nb;
    batch *b; /* nb */
};

/* Classify every event of a batch and run the prepare hook; stops at the
 * first failure. */
static void judge_batch(cli_judge *j, truce_classifier *classifier, batch *b)
{
    size_t nz = j->agreement->nzones, nc = j->agreement->ncorridors;
    b->text.len = 0;
    b->ok = 0;
    b->status = EXIT_OK;
    b->err = TRUCE_OK;
    for (size_t i = 0; i < b->n; i++) {
        judged_event *it = &b->items[i];
        truce_status st = truce_classify(classifier, &it->event, &it->verdict);
        if (st) {
            b->status = cli_exit_for(st);
            b->err = st;
            return;
        }
        /* The verdict's arrays are the classifier's until its next call. */
        if (nz) {
            memcpy(b->zv + i * nz, it->verdict.zones, nz * sizeof *b->zv);
            it->verdict.zones = b->zv + i * nz;
        }
        if (nc) {
            memcpy(b->cv + i * nc, it->verdict.corridors, nc * sizeof *b->cv);
            it->verdict.corridors = b->cv + i * nc;
        }
        it->text_at = b->text.len;
        if (j->prepare && j->prepare(j->ctx, &it->event, &it->verdict, &b->text) != EXIT_OK) {
            b->status = EXIT_FAILURE_;
            return;
        }
        b->ok = i + 1;
    }
}

/* Hand a judged batch's events to the callback, in order; returns EXIT_OK
 * or the first error. */
static int deliver_batch(cli_judge *j, const batch *b)
{
    int rc = EXIT_OK;
    for (size_t i = 0; i < b->ok && rc == EXIT_OK; i++) {
        const judged_event *it = &b->items[i];
        rc = deliver(j, &it->event, &it->verdict, j->prepare ? b->text.p + it->text_at : NULL);
    }
    if (rc == EXIT_OK && b->ok < b->n)
        rc = judge_failed(j, &b->items[b->ok].event, b->err, b->status);
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
 * go while delivering.  After an error the batches are only dropped. */
static void deliver_ready(cli_pipeline *p)
{
    while (!p->writing && p->consumed != p->filled && p->b[p->consumed % p->nb].judged) {
        batch *b = &p->b[p->consumed % p->nb];
        int rc = p->rc;
        p->writing = 1;
        pthread_mutex_unlock(&p->mu);
        if (rc == EXIT_OK)
            rc = deliver_batch(p->j, b);
        pthread_mutex_lock(&p->mu);
        batch_reset(b);
        p->consumed++;
        p->writing = 0;
        if (p->rc == EXIT_OK)
            p->rc = rc;
        pthread_cond_broadcast(&p->done);
    }
}

/* Under mu: judge the next batch waiting for a judge with `classifier`,
 * then deliver what is ready (mu is let go while working). */
static void judge_next(cli_pipeline *p, truce_classifier *classifier)
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
    cli_pipeline *p;
    truce_classifier *classifier;
} judge_arg;

static void *judging_thread(void *arg)
{
    judge_arg a = *(judge_arg *)arg;
    free(arg);
    cli_pipeline *p = a.p;
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

/* Under mu, on the calling thread: wait until fewer than `most` batches are
 * in flight (or an error stopped the file), judging a waiting batch or
 * delivering the judged ones here rather than sitting idle.  Returns
 * EXIT_OK or the error. */
static int help_until(cli_pipeline *p, uint64_t most)
{
    while (p->rc == EXIT_OK && p->filled - p->consumed >= most) {
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
 * is free; returns EXIT_OK or the error that stops the file. */
static int submit(cli_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    p->filled++;
    pthread_cond_signal(&p->work);
    int rc = help_until(p, p->nb);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* An error on the calling thread: stop the file there (pipe_finish drops
 * what is in flight).  Returns rc. */
static int pipe_stop(cli_pipeline *p, int rc)
{
    pthread_mutex_lock(&p->mu);
    if (p->rc == EXIT_OK)
        p->rc = rc;
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* Several threads: copy the event into the batch being filled, handing full
 * batches over. */
static int pipe_add(cli_judge *j, const truce_event *event)
{
    cli_pipeline *p = j->pipe;
    batch *b = &p->b[p->filled % p->nb];
    truce_status st = b->n == p->batch_events
                          ? TRUCE_E_RANGE
                          : truce_event_copy(event, &b->items[b->n].event, b->arena, b->arena_cap,
                                             &b->arena_used);
    if (st == TRUCE_E_RANGE) { /* the batch is full: start the next one */
        if (b->n) {
            int rc = submit(p);
            if (rc != EXIT_OK)
                return rc;
            b = &p->b[p->filled % p->nb];
        }
        size_t need = truce_event_copy_size(event);
        if (need > b->arena_cap) { /* an empty batch: nothing points into it */
            char *a = malloc(need);
            if (!a) {
                cli_error(j->sub, "out of memory");
                return pipe_stop(p, EXIT_FAILURE_);
            }
            free(b->arena);
            b->arena = a;
            b->arena_cap = need;
        }
        st = truce_event_copy(event, &b->items[0].event, b->arena, b->arena_cap, &b->arena_used);
    }
    if (st != TRUCE_OK) { /* cannot be: there is room */
        cli_error(j->sub, "%s", truce_strerror(st));
        return pipe_stop(p, EXIT_FAILURE_);
    }
    b->n++;
    return EXIT_OK;
}

/* At the end of a file: judge and deliver the rest of it, or after an
 * error drop it (batches no judge has taken are dropped, the ones being
 * judged or delivered are let finish).  Returns EXIT_OK or the error that
 * stopped the file. */
static int pipe_finish(cli_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->rc == EXIT_OK && p->b[p->filled % p->nb].n) {
        p->filled++;
        pthread_cond_signal(&p->work);
    }
    int rc = help_until(p, 1);
    if (rc != EXIT_OK) {
        p->claimed = p->filled;
        while (p->busy || p->writing)
            pthread_cond_wait(&p->done, &p->mu);
        for (size_t i = 0; i < p->nb; i++)
            batch_reset(&p->b[i]);
        p->consumed = p->filled;
        p->rc = EXIT_OK;
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

static void free_batches(cli_pipeline *p)
{
    for (size_t i = 0; p->b && i < p->nb; i++) {
        free(p->b[i].items);
        free(p->b[i].arena);
        free(p->b[i].zv);
        free(p->b[i].cv);
        free(p->b[i].text.p);
    }
    for (int i = 0; i < MAX_JUDGES; i++)
        truce_classifier_free(p->classifiers[i]);
    free(p->b);
    free(p);
}

/* Stop the judging threads (each finishes the batch in hand) and free. */
static void pipe_free(cli_pipeline *p)
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
static cli_pipeline *pipe_new(cli_judge *j, int judges)
{
    cli_pipeline *p = calloc(1, sizeof *p);
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
    int bad = !(p->b = calloc(p->nb, sizeof *p->b));
    for (size_t i = 0; p->b && i < p->nb; i++) {
        batch *b = &p->b[i];
        b->items = malloc(p->batch_events * sizeof *b->items);
        b->arena = malloc(ARENA_BYTES);
        b->arena_cap = ARENA_BYTES;
        b->zv = nz ? malloc(p->batch_events * nz * sizeof *b->zv) : NULL;
        b->cv = nc ? malloc(p->batch_events * nc * sizeof *b->cv) : NULL;
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
        judge_arg *a = malloc(sizeof *a);
        if (!a)
            break;
        *a = (judge_arg){p, p->classifiers[i]};
        if (pthread_create(&p->threads[i], NULL, judging_thread, a)) {
            free(a);
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

/* ---- the loop ----------------------------------------------------------- */

static int judge_one(void *ctx, const truce_event *event)
{
    cli_judge *j = ctx;
    return j->pipe ? pipe_add(j, event) : judge_now(j, event);
}

int cli_judge_run(cli_judge *j, char **files, int nfiles, int quiet, cli_prepare_fn prepare,
                  cli_verdict_fn fn, void *ctx)
{
    j->prepare = prepare;
    j->fn = fn;
    j->ctx = ctx;
    if (j->threads > 1)
        j->pipe = pipe_new(j, j->threads - 1);
    cli_input in = {j->sub, &j->ropt, j->rejects.f, quiet, nfiles, 1};
    int status = EXIT_OK;
    for (int i = 0; i < nfiles; i++) {
        int s = cli_read_event_file(&in, files[i], judge_one, j, &j->totals);
        if (j->pipe)
            s = cli_worse(s, pipe_finish(j->pipe));
        status = cli_worse(status, s);
        if (s == EXIT_USAGE || s == EXIT_FAILURE_ || s == EXIT_IO)
            break;
    }
    pipe_free(j->pipe);
    j->pipe = NULL;
    return status;
}

int cli_judge_close(cli_judge *j, int status)
{
    if (j->classifier)
        fprintf(stderr,
                "truce %s: read %llu, accepted %llu, rejected %llu; violations %llu, possible "
                "%llu, none %llu\n",
                j->sub, (unsigned long long)j->totals.read, (unsigned long long)j->totals.accepted,
                (unsigned long long)j->totals.rejected,
                (unsigned long long)j->verdicts[TRUCE_VIOLATION_YES],
                (unsigned long long)j->verdicts[TRUCE_VIOLATION_POSSIBLE],
                (unsigned long long)j->verdicts[TRUCE_VIOLATION_NONE]);
    status = cli_worse(status, cli_close_output(&j->rejects, cli_output_complete(status)));
    truce_classifier_free(j->classifier);
    truce_agreement_free(j->agreement);
    free(j->text.p);
    memset(j, 0, sizeof *j);
    return status;
}
