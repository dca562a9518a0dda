/* Group commit: callers on several threads that each want their writes
 * durable share one commit (one fsync) instead of paying one each.
 *
 * A caller queues its job and waits.  When no batch is being committed,
 * one waiting caller becomes the leader: it takes every job queued so far,
 * runs them through `fn` (which writes them all in one transaction and
 * commits it, setting each job's outcome), marks them done and wakes the
 * others; whoever still has a job queued then leads the next batch.  So a
 * job is answered only after the commit that holds it, and while one
 * commit is on its way to disk the next batch fills up.
 *
 * Nothing here knows about SQL: a backend supplies `fn`. */
#ifndef TRUCE_STORE_GROUP_COMMIT_H
#define TRUCE_STORE_GROUP_COMMIT_H

#include <pthread.h>

/* A queued job: embed it in the caller's own job (first member, or use
 * offsetof) and read it back in `fn`. */
typedef struct trc_group_job {
    struct trc_group_job *next;
    int done;
} trc_group_job;

/* Write and commit the jobs of the list `first` (linked by next, in the
 * order they were queued) as one batch, and set each one's outcome. */
typedef void (*trc_group_fn)(void *ctx, trc_group_job *first);

typedef struct trc_group {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    trc_group_job *head, **tail; /* queued, not yet taken */
    int leading;                 /* a batch is being committed */
    unsigned long batches;       /* batches committed (for tests) */
} trc_group;

void trc_group_init(trc_group *g);
void trc_group_destroy(trc_group *g);

/* Queue `job`, and return once a batch holding it has gone through `fn`
 * (run on this thread or another, with `ctx`). */
void trc_group_run(trc_group *g, trc_group_job *job, trc_group_fn fn, void *ctx);

/* The number of jobs queued and not yet taken by a leader (for tests). */
unsigned trc_group_queued(trc_group *g);

#endif
