/* Group commit: writes from many callers that each want them durable share
 * one commit (one sync of the log) instead of paying one each.
 *
 * Callers queue jobs; one committing thread, started at the first job,
 * takes every job queued so far as a batch, runs it through `fn` (which
 * writes them all in one transaction and commits it, setting each job's
 * outcome), then tells each job's owner.  While one batch is on its way to
 * disk the next fills up, so the more callers wait, the larger the batches.
 * A caller may wait on its own thread (trc_group_run) or be told through a
 * callback on the committing thread (trc_group_submit), so that a server
 * needs no thread of its own per waiting request.
 *
 * Nothing here knows about SQL: a backend supplies `fn`. */
#ifndef TRUCE_STORE_GROUP_COMMIT_H
#define TRUCE_STORE_GROUP_COMMIT_H

#include <pthread.h>

typedef struct trc_group_job trc_group_job;

/* A job's batch has gone through fn: called on the committing thread,
 * once per job; the job's owner may free it from here on. */
typedef void (*trc_group_notify_fn)(trc_group_job *job);

/* A queued job: embed it in the caller's own job (first member, or use
 * offsetof) and read it back in `fn`. */
struct trc_group_job {
    trc_group_job *next;
    trc_group_notify_fn notify; /* NULL: trc_group_run waits for it */
    int done;
};

/* Write and commit the jobs of the list `first` (linked by next, in the
 * order they were queued) as one batch, and set each one's outcome. */
typedef void (*trc_group_fn)(void *ctx, trc_group_job *first);

typedef struct trc_group {
    trc_group_fn fn;
    void *ctx;
    pthread_mutex_t lock;
    pthread_cond_t work;         /* jobs queued, or stop */
    pthread_cond_t changed;      /* a batch is done */
    trc_group_job *head, **tail; /* queued, not yet taken */
    int committing;              /* a batch is in fn */
    int started, stop;
    pthread_t thread;
    unsigned long batches; /* batches committed (for tests) */
} trc_group;

/* Batches go through fn(ctx, first). */
void trc_group_init(trc_group *g, trc_group_fn fn, void *ctx);

/* Commit what is queued, then stop the committing thread. */
void trc_group_destroy(trc_group *g);

/* Queue `job` with job->notify set (called once its batch is through).
 * Returns 0, or -1 when the committing thread cannot be started (job not
 * queued). */
int trc_group_submit(trc_group *g, trc_group_job *job);

/* Queue `job` and return once a batch holding it has gone through fn;
 * -1 as trc_group_submit. */
int trc_group_run(trc_group *g, trc_group_job *job);

/* Return once every job queued before the call has gone through fn. */
void trc_group_flush(trc_group *g);

/* The number of jobs queued and not yet taken (for tests). */
unsigned trc_group_queued(trc_group *g);

#endif
