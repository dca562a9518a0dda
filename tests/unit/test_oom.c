/* Out of memory: through the allocator hook (truce/alloc.h), each path below
 * is run once to count its allocations N, then N more times, the k-th run
 * failing the k-th allocation (and only it).  Every failing run must reach
 * its failing allocation and return TRUCE_E_NOMEM; under the sanitizer
 * build LeakSanitizer checks that nothing leaks and ASan that nothing
 * crashes on the way out.
 *
 * The paths: the agreement loader on the bundled Idlib agreement, each event
 * reader (ACLED, UCDP, GeoJSON, JSON Lines) on a small file with a rejected
 * row, the GPX reader, and judging a small file with the verdict writer on
 * one thread (as truce classify does); and the humanitarian provisions: the
 * two aid readers into an accumulator over an agreement with places in need,
 * finished and written as JSON (as truce aid does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "truce/agreement.h"
#include "truce/aid.h"
#include "truce/aid_write.h"
#include "truce/alloc.h"
#include "truce/judge.h"
#include "truce/reader.h"
#include "truce/track.h"
#include "truce/verdict_write.h"

#define DATA TRUCE_SOURCE_DIR "/tests/data/oom/"

/* The counting allocator: call number fail_at (from 1; 0: none) of malloc_fn
 * or realloc_fn fails. */
typedef struct counter {
    long calls;
    long fail_at;
} counter;

static void *count_malloc(void *user, size_t size)
{
    counter *c = user;
    if (++c->calls == c->fail_at)
        return NULL;
    return malloc(size);
}

static void *count_realloc(void *user, void *ptr, size_t size)
{
    counter *c = user;
    if (++c->calls == c->fail_at)
        return NULL;
    return realloc(ptr, size);
}

static void count_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static counter count;

static int install(void **state)
{
    (void)state;
    truce_allocator a = {count_malloc, count_realloc, count_free, &count};
    return truce_set_allocator(&a) == TRUCE_OK ? 0 : -1;
}

static int restore(void **state)
{
    (void)state;
    return truce_set_allocator(NULL) == TRUCE_OK ? 0 : -1;
}

/* What a path wrote, when it writes (judge_file); else NULL. */
static char *output;
static size_t output_len;

/* Run `path` clean (twice: the first may fill a cache), then with each of
 * its allocations failing in turn; print N.  A run may only succeed
 * instead when the path writes and wrote what the clean run did: the
 * corridor grid's cut of its arrays to size (shrink in corridor_index.c)
 * keeps the larger block when that realloc fails. */
static void fail_each(const char *name, truce_status (*path)(const void *), const void *arg)
{
    count = (counter){0, 0};
    assert_int_equal(path(arg), TRUCE_OK);
    free(output);
    output = NULL;
    count = (counter){0, 0};
    assert_int_equal(path(arg), TRUCE_OK);
    long n = count.calls, recovered = 0;
    assert_true(n > 0);
    char *clean = output;
    size_t clean_len = output_len;
    output = NULL;
    long wrong = 0;
    for (long k = 1; k <= n; k++) {
        count = (counter){0, k};
        truce_status st = path(arg);
        int same = st == TRUCE_OK && clean && output && output_len == clean_len &&
                   !memcmp(output, clean, clean_len);
        free(output);
        output = NULL;
        recovered += same;
        if (count.calls < k || (st != TRUCE_E_NOMEM && !same)) {
            print_error("%s: allocation %ld of %ld failed: %s after %ld allocations\n", name, k, n,
                        truce_strerror(st), count.calls);
            wrong++;
        }
    }
    free(clean);
    assert_int_equal(wrong, 0);
    print_message("%s: each of %ld allocations failed once: TRUCE_E_NOMEM %ld times, the clean "
                  "run's output %ld times\n",
                  name, n, n - recovered, recovered);
}

/* ---- the paths --------------------------------------------------------- */

/* Load the agreement file `path` into *a (NULL on failure). */
static truce_status load_into(const char *path, truce_agreement **a)
{
    truce_diags d;
    truce_diags_init(&d);
    truce_status st = truce_agreement_load(path, a, &d);
    assert_true(st == TRUCE_OK ? *a != NULL : *a == NULL);
    truce_diags_release(&d);
    return st;
}

/* Load the agreement file `arg` and free it. */
static truce_status load_agreement(const void *arg)
{
    truce_agreement *a = NULL;
    truce_status st = load_into(arg, &a);
    truce_agreement_free(a);
    return st;
}

/* Read every row of the file `arg`; the reader's status, or the first
 * failure. */
static truce_status read_events(const void *arg)
{
    FILE *in = fopen(arg, "rb");
    assert_non_null(in);
    truce_diags d;
    truce_diags_init(&d);
    truce_reader *r = NULL;
    truce_status st = truce_reader_open(in, arg, NULL, &r, &d);
    truce_row row = {0};
    while (!st && (st = truce_reader_next(r, &row)) == TRUCE_OK && row.kind != TRUCE_ROW_END)
        ;
    truce_reader_free(r);
    truce_diags_release(&d);
    fclose(in);
    return st;
}

static truce_status load_gpx(const void *arg)
{
    (void)arg;
    truce_diags d;
    truce_diags_init(&d);
    truce_gpx *g = NULL;
    truce_status st =
        truce_gpx_load(TRUCE_SOURCE_DIR "/tests/data/gpx/v11_tracks.gpx", NULL, &g, &d);
    assert_true(st == TRUCE_OK ? g != NULL : g == NULL);
    truce_gpx_free(g);
    truce_diags_release(&d);
    return st;
}

static truce_status write_verdict(void *ctx, const truce_judged *judged)
{
    return truce_verdict_write(ctx, judged);
}

/* Judge events.geojson against the agreement `arg` (loaded beforehand: its
 * own allocations are the first path's) as JSON Lines, on one thread, with
 * response linking.  The agreement is a small one with a zone, a corridor,
 * a route and a rule: each run builds the corridors' index again, which for
 * the Idlib agreement's takes over a minute in all under the sanitizers. */
static truce_status judge_file(const void *arg)
{
    const truce_agreement *a = arg;
    FILE *in = fopen(DATA "events.geojson", "rb");
    FILE *out = open_memstream(&output, &output_len);
    assert_non_null(in);
    assert_non_null(out);
    truce_reader *r = NULL;
    truce_verdict_writer *w = NULL;
    truce_judge *j = NULL;
    truce_judge_options opt;
    truce_judge_options_init(&opt);
    opt.threads = 1;
    opt.response_window_s = 24 * 3600;
    opt.response_distance_m = 25000;
    truce_status st = truce_reader_open(in, "events.geojson", NULL, &r, NULL);
    if (!st)
        st = truce_verdict_writer_new(out, TRUCE_VERDICT_JSONL, a, &w);
    if (!st) {
        opt.prepare = truce_verdict_prepare;
        opt.prepare_ctx = w;
        st = truce_judge_new(a, &opt, write_verdict, w, &j);
    }
    if (!st)
        st = truce_judge_read(j, r, NULL, NULL);
    truce_judge_free(j);
    truce_status wst = truce_verdict_writer_free(w);
    truce_reader_free(r);
    fclose(in);
    fclose(out);
    return st ? st : wst;
}

/* Read the aid file `path` into `aid`. */
static truce_status read_aid(truce_aid *aid, const char *path)
{
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    truce_reader_options o;
    truce_reader_options_init(&o);
    o.records = TRUCE_READ_AID;
    truce_reader *r = NULL;
    truce_status st = truce_reader_open(in, path, &o, &r, NULL);
    truce_row row = {0};
    while (!st && (st = truce_reader_next(r, &row)) == TRUCE_OK && row.kind != TRUCE_ROW_END)
        if (row.kind == TRUCE_ROW_AID)
            st = truce_aid_add_record(aid, row.aid);
    truce_reader_free(r);
    fclose(in);
    return st;
}

/* Deliveries (HXL) and returns and incidents (JSON Lines), one violation at
 * Alpha, against the agreement `arg`; the result written as JSON. */
static truce_status aid_files(const void *arg)
{
    const truce_agreement *a = arg;
    truce_aid *aid = NULL;
    truce_status st = truce_aid_new(a, NULL, &aid);
    if (!st)
        st = read_aid(aid, DATA "aid_deliveries.csv");
    if (!st)
        st = read_aid(aid, DATA "aid_returns.jsonl");
    truce_event v;
    truce_event_init(&v);
    v.id = "V1";
    v.start_s = 1584352800; /* 2020-03-16T10:00:00Z */
    v.end_s = v.start_s + 3600;
    v.has_location = 1;
    v.lon = 36.6;
    v.lat = 35.9;
    if (!st)
        st = truce_aid_add_violation(aid, &v);
    if (!st)
        st = truce_aid_finish(aid);
    if (!st) {
        FILE *out = open_memstream(&output, &output_len);
        assert_non_null(out);
        st = truce_aid_write(out, aid, TRUCE_AID_JSON);
        fclose(out);
    }
    truce_aid_free(aid);
    return st;
}

/* ---- the tests --------------------------------------------------------- */

static void test_agreement(void **state)
{
    (void)state;
    fail_each("agreement", load_agreement, TRUCE_SOURCE_DIR "/data/idlib-2020/agreement.geojson");
}

static void test_acled(void **state)
{
    (void)state;
    fail_each("acled", read_events, DATA "acled.csv");
}

static void test_ucdp(void **state)
{
    (void)state;
    fail_each("ucdp", read_events, DATA "ucdp.csv");
}

static void test_geojson(void **state)
{
    (void)state;
    fail_each("geojson", read_events, DATA "events.geojson");
}

static void test_jsonl(void **state)
{
    (void)state;
    fail_each("jsonl", read_events, DATA "events.jsonl");
}

static void test_gpx(void **state)
{
    (void)state;
    fail_each("gpx", load_gpx, NULL);
}

static void test_judge(void **state)
{
    (void)state;
    count = (counter){0, 0};
    truce_agreement *a = NULL;
    assert_int_equal(load_into(TRUCE_SOURCE_DIR "/tests/data/agreements/good_minimal.json", &a),
                     TRUCE_OK);
    fail_each("judge", judge_file, a);
    truce_agreement_free(a);
}

static void test_aid(void **state)
{
    (void)state;
    count = (counter){0, 0};
    truce_agreement *a = NULL;
    assert_int_equal(load_into(DATA "aid_agreement.geojson", &a), TRUCE_OK);
    fail_each("aid", aid_files, a);
    truce_agreement_free(a);
}

/* The hook itself: NULL restores the C library's, a missing function is
 * refused, truce_free takes what the library hands out. */
static void test_hook(void **state)
{
    (void)state;
    truce_allocator bad = {count_malloc, NULL, count_free, &count};
    assert_int_equal(truce_set_allocator(&bad), TRUCE_E_ARG);
    count = (counter){0, 0};
    truce_diags d;
    truce_diags_init(&d);
    assert_int_equal(truce_diags_add(&d, TRUCE_DIAG_ERROR, "f", 1, NULL, NULL, "m"), TRUCE_OK);
    assert_true(count.calls > 0);
    truce_diags_release(&d);
    truce_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hook), cmocka_unit_test(test_agreement), cmocka_unit_test(test_acled),
        cmocka_unit_test(test_ucdp), cmocka_unit_test(test_geojson),   cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_gpx),  cmocka_unit_test(test_judge),     cmocka_unit_test(test_aid),
    };
    return cmocka_run_group_tests(tests, install, restore);
}
