/* Group commit (group_commit.h). */
#define _GNU_SOURCE /* pthread_setname_np */
#include "store/group_commit.h"

#include <stddef.h>

static void *committer(void *arg)
{
    trc_group *g = arg;
    /* Named for top -H and perf; it would otherwise take the name of the
     * thread that started it. */
    pthread_setname_np(pthread_self(), "truce-commit");
    pthread_mutex_lock(&g->lock);
    for (;;) {
        while (!g->head && !g->stop)
            pthread_cond_wait(&g->work, &g->lock);
        if (!g->head)
            break; /* stopping, and nothing left */
        trc_group_job *batch = g->head;
        g->head = NULL;
        g->tail = &g->head;
        g->committing = 1;
        pthread_mutex_unlock(&g->lock);
        g->fn(g->ctx, batch);
        /* Tell the owners; a job may be freed once told: read next
         * first. */
        for (trc_group_job *j = batch, *next; j; j = next) {
            next = j->next;
            if (j->notify) {
                j->notify(j);
            } else {
                pthread_mutex_lock(&g->lock);
                j->done = 1;
                pthread_mutex_unlock(&g->lock);
            }
        }
        pthread_mutex_lock(&g->lock);
        g->batches++;
        g->committing = 0;
        pthread_cond_broadcast(&g->changed);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

void trc_group_init(trc_group *g, trc_group_fn fn, void *ctx)
{
    g->fn = fn;
    g->ctx = ctx;
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->work, NULL);
    pthread_cond_init(&g->changed, NULL);
    g->head = NULL;
    g->tail = &g->head;
    g->committing = 0;
    g->started = 0;
    g->stop = 0;
    g->batches = 0;
}

void trc_group_destroy(trc_group *g)
{
    pthread_mutex_lock(&g->lock);
    g->stop = 1;
    pthread_cond_signal(&g->work);
    int started = g->started;
    pthread_mutex_unlock(&g->lock);
    if (started)
        pthread_join(g->thread, NULL);
    pthread_cond_destroy(&g->changed);
    pthread_cond_destroy(&g->work);
    pthread_mutex_destroy(&g->lock);
}

/* Queue job, under g->lock. */
static int queue(trc_group *g, trc_group_job *job)
{
    if (!g->started) {
        if (pthread_create(&g->thread, NULL, committer, g))
            return -1;
        g->started = 1;
    }
    job->next = NULL;
    job->done = 0;
    *g->tail = job;
    g->tail = &job->next;
    pthread_cond_signal(&g->work);
    return 0;
}

int trc_group_submit(trc_group *g, trc_group_job *job)
{
    pthread_mutex_lock(&g->lock);
    int rc = queue(g, job);
    pthread_mutex_unlock(&g->lock);
    return rc;
}

int trc_group_run(trc_group *g, trc_group_job *job)
{
    job->notify = NULL;
    pthread_mutex_lock(&g->lock);
    int rc = queue(g, job);
    while (!rc && !job->done)
        pthread_cond_wait(&g->changed, &g->lock);
    pthread_mutex_unlock(&g->lock);
    return rc;
}

void trc_group_flush(trc_group *g)
{
    pthread_mutex_lock(&g->lock);
    /* Each batch taken was queued before it was taken; wait until none is
     * queued or in fn.  Later jobs may keep the wait going: callers flush
     * when no one else submits. */
    while (g->head || g->committing)
        pthread_cond_wait(&g->changed, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

unsigned trc_group_queued(trc_group *g)
{
    pthread_mutex_lock(&g->lock);
    unsigned n = 0;
    for (trc_group_job *j = g->head; j; j = j->next)
        n++;
    pthread_mutex_unlock(&g->lock);
    return n;
}
