/* Group commit (group_commit.h). */
#include "store/group_commit.h"

void trc_group_init(trc_group *g)
{
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->changed, NULL);
    g->head = NULL;
    g->tail = &g->head;
    g->leading = 0;
    g->batches = 0;
}

void trc_group_destroy(trc_group *g)
{
    pthread_cond_destroy(&g->changed);
    pthread_mutex_destroy(&g->lock);
}

void trc_group_run(trc_group *g, trc_group_job *job, trc_group_fn fn, void *ctx)
{
    job->next = NULL;
    job->done = 0;
    pthread_mutex_lock(&g->lock);
    *g->tail = job;
    g->tail = &job->next;
    while (!job->done) {
        if (g->leading) {
            pthread_cond_wait(&g->changed, &g->lock);
            continue;
        }
        /* Lead: take everything queued (this job among it). */
        trc_group_job *batch = g->head;
        g->head = NULL;
        g->tail = &g->head;
        g->leading = 1;
        pthread_mutex_unlock(&g->lock);
        fn(ctx, batch);
        pthread_mutex_lock(&g->lock);
        /* A job's owner may return (and free it) once it sees done: read
         * next first. */
        while (batch) {
            trc_group_job *next = batch->next;
            batch->done = 1;
            batch = next;
        }
        g->batches++;
        g->leading = 0;
        pthread_cond_broadcast(&g->changed);
    }
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
