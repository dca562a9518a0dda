/* truce serve's per-token rate limit (server/rate.c), with the time given:
 * a burst passes, the next waits whole seconds, the bucket refills at the
 * rate and never past the burst, tokens do not share a bucket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* The server is not in the library: its one file under test is built
 * into this program. */
#include "../../server/rate.c"

static void burst_then_wait(void **state)
{
    (void)state;
    srv_rate *rl = srv_rate_new(1, 3);
    assert_non_null(rl);
    for (int i = 0; i < 3; i++)
        assert_int_equal(srv_rate_take(rl, 7, 100.0), 0);
    assert_int_equal(srv_rate_take(rl, 7, 100.0), 1);
    assert_int_equal(srv_rate_take(rl, 7, 100.4), 1); /* 0.4 of one there: 0.6 s, 1 */
    assert_int_equal(srv_rate_take(rl, 7, 101.0), 0);
    assert_int_equal(srv_rate_take(rl, 7, 101.0), 1);
    srv_rate_free(rl);
}

static void slow_rate_waits_longer(void **state)
{
    (void)state;
    srv_rate *rl = srv_rate_new(1.0 / 60, 1); /* 1/min */
    assert_int_equal(srv_rate_take(rl, 1, 0.0), 0);
    assert_int_equal(srv_rate_take(rl, 1, 0.0), 60);
    assert_int_equal(srv_rate_take(rl, 1, 30.5), 30); /* 29.5 s left, rounded up */
    assert_int_equal(srv_rate_take(rl, 1, 60.0), 0);
    srv_rate_free(rl);
}

static void refills_no_further_than_the_burst(void **state)
{
    (void)state;
    srv_rate *rl = srv_rate_new(10, 2);
    assert_int_equal(srv_rate_take(rl, 3, 0.0), 0);
    assert_int_equal(srv_rate_take(rl, 3, 0.0), 0);
    assert_int_equal(srv_rate_take(rl, 3, 0.0), 1);
    /* an hour idle is still a burst of 2 */
    assert_int_equal(srv_rate_take(rl, 3, 3600.0), 0);
    assert_int_equal(srv_rate_take(rl, 3, 3600.0), 0);
    assert_int_equal(srv_rate_take(rl, 3, 3600.0), 1);
    /* a clock that goes back takes nothing away and adds nothing */
    assert_int_equal(srv_rate_take(rl, 3, 3599.0), 1);
    srv_rate_free(rl);
}

static void tokens_have_their_own_buckets(void **state)
{
    (void)state;
    srv_rate *rl = srv_rate_new(1, 1);
    /* 1 and 257 share a hash slot */
    assert_int_equal(srv_rate_take(rl, 1, 0.0), 0);
    assert_int_equal(srv_rate_take(rl, 1, 0.0), 1);
    assert_int_equal(srv_rate_take(rl, 257, 0.0), 0);
    assert_int_equal(srv_rate_take(rl, 2, 0.0), 0);
    assert_int_equal(srv_rate_take(rl, 257, 0.0), 1);
    srv_rate_free(rl);
}

/* Eight threads take from one bucket and from buckets of their own at one
 * instant: exactly the burst passes, however they interleave. */
static int passed;
static pthread_mutex_t passed_lock = PTHREAD_MUTEX_INITIALIZER;

static void *taker(void *arg)
{
    srv_rate *rl = arg;
    int mine = 0;
    for (int i = 0; i < 1000; i++) {
        mine += srv_rate_take(rl, 42, 5.0) == 0;
        srv_rate_take(rl, 1000 + i, 5.0);
    }
    pthread_mutex_lock(&passed_lock);
    passed += mine;
    pthread_mutex_unlock(&passed_lock);
    return NULL;
}

static void threads_share_a_bucket_exactly(void **state)
{
    (void)state;
    srv_rate *rl = srv_rate_new(1, 500);
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&t[i], NULL, taker, rl), 0);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(passed, 500);
    srv_rate_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(burst_then_wait),
        cmocka_unit_test(slow_rate_waits_longer),
        cmocka_unit_test(refills_no_further_than_the_burst),
        cmocka_unit_test(tokens_have_their_own_buckets),
        cmocka_unit_test(threads_share_a_bucket_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
