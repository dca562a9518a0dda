/* Group commit (src/store/group_commit.h): callers that queue while a
 * batch is being committed go together in the next batch, each job is
 * committed exactly once, and every caller returns only after its batch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "store/group_commit.h"

#define CALLERS 8

typedef struct job {
    trc_group_job group; /* first */
    int committed;       /* times a batch held it */
    int batch;           /* the number of the batch that did */
} job;

typedef struct bench {
    trc_group g;
    job jobs[CALLERS];
    int batches;
    int sizes[CALLERS + 1];
    int hold;          /* 1: the first batch waits for the other callers */
    int first_running; /* set once the first batch is in fn */
    pthread_mutex_t lock;
} bench;

static bench b;

/* The batch: the first one waits until all the other callers are queued
 * behind it, as they would be while a commit is on its way to disk. */
static void commit(void *ctx, trc_group_job *first)
{
    bench *t = ctx;
    pthread_mutex_lock(&t->lock);
    int n = ++t->batches;
    t->first_running = 1;
    pthread_mutex_unlock(&t->lock);
    if (n == 1 && t->hold)
        while (trc_group_queued(&t->g) < CALLERS - 1)
            sched_yield();
    int size = 0;
    for (trc_group_job *j = first; j; j = j->next) {
        job *one = (job *)j;
        one->committed++;
        one->batch = n;
        size++;
    }
    t->sizes[n] = size;
}

static void *caller(void *arg)
{
    job *j = arg;
    trc_group_run(&b.g, &j->group);
    /* Returned: the batch holding it has been committed. */
    assert_int_equal(j->committed, 1);
    return NULL;
}

static void test_batches(void **state)
{
    (void)state;
    memset(&b, 0, sizeof b);
    b.hold = 1;
    trc_group_init(&b.g, commit, &b);
    pthread_mutex_init(&b.lock, NULL);
    pthread_t t[CALLERS];
    assert_int_equal(pthread_create(&t[0], NULL, caller, &b.jobs[0]), 0);
    for (;;) {
        pthread_mutex_lock(&b.lock);
        int running = b.first_running;
        pthread_mutex_unlock(&b.lock);
        if (running)
            break;
        sched_yield();
    }
    for (int i = 1; i < CALLERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, caller, &b.jobs[i]), 0);
    for (int i = 0; i < CALLERS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    /* One batch of the first caller alone, one of all the others. */
    assert_int_equal(b.batches, 2);
    assert_int_equal(b.sizes[1], 1);
    assert_int_equal(b.sizes[2], CALLERS - 1);
    assert_int_equal(b.g.batches, 2);
    assert_int_equal(b.jobs[0].batch, 1);
    for (int i = 0; i < CALLERS; i++)
        assert_int_equal(b.jobs[i].committed, 1);
    for (int i = 1; i < CALLERS; i++)
        assert_int_equal(b.jobs[i].batch, 2);
    assert_int_equal(trc_group_queued(&b.g), 0);
    pthread_mutex_destroy(&b.lock);
    trc_group_destroy(&b.g);
}

/* One caller alone: its own batch, on the committing thread. */
static void test_alone(void **state)
{
    (void)state;
    memset(&b, 0, sizeof b);
    trc_group_init(&b.g, commit, &b);
    pthread_mutex_init(&b.lock, NULL);
    trc_group_run(&b.g, &b.jobs[0].group);
    assert_int_equal(b.jobs[0].committed, 1);
    assert_int_equal(b.batches, 1);
    assert_int_equal(b.sizes[1], 1);
    pthread_mutex_destroy(&b.lock);
    trc_group_destroy(&b.g);
}

/* Jobs submitted without waiting: each notified once, after its batch;
 * flush returns only when every job queued before it is through. */
static int notified[CALLERS];

static void notify(trc_group_job *g)
{
    job *j = (job *)g;
    assert_int_equal(j->committed, 1);
    notified[j - b.jobs]++;
}

/* A fresh group, and every caller's job submitted to it. */
static void submit_all(void)
{
    memset(&b, 0, sizeof b);
    memset(notified, 0, sizeof notified);
    trc_group_init(&b.g, commit, &b);
    pthread_mutex_init(&b.lock, NULL);
    for (int i = 0; i < CALLERS; i++) {
        b.jobs[i].group.notify = notify;
        assert_int_equal(trc_group_submit(&b.g, &b.jobs[i].group), 0);
    }
}

static void test_submitted(void **state)
{
    (void)state;
    submit_all();
    trc_group_flush(&b.g);
    assert_int_equal(trc_group_queued(&b.g), 0);
    int total = 0;
    for (int i = 0; i < CALLERS; i++) {
        assert_int_equal(notified[i], 1);
        assert_int_equal(b.jobs[i].committed, 1);
    }
    for (int n = 1; n <= b.batches; n++)
        total += b.sizes[n];
    assert_int_equal(total, CALLERS);
    /* Nothing queued: flush returns at once. */
    trc_group_flush(&b.g);
    pthread_mutex_destroy(&b.lock);
    trc_group_destroy(&b.g);
}

/* Destroying the group commits what is still queued first. */
static void test_destroy_drains(void **state)
{
    (void)state;
    submit_all();
    trc_group_destroy(&b.g);
    for (int i = 0; i < CALLERS; i++)
        assert_int_equal(notified[i], 1);
    pthread_mutex_destroy(&b.lock);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batches),
        cmocka_unit_test(test_alone),
        cmocka_unit_test(test_submitted),
        cmocka_unit_test(test_destroy_drains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
