/* The judge (judge.h): every event handed to the sink once, in input order,
 * with the verdict truce_classify gives, whatever the number of threads; a
 * failing sink stops the run cleanly and the judge goes on with the next
 * input; the verdict writer (verdict_write.h) writes the same bytes with
 * the prepare hook on judging threads as on its own, and its keys go
 * through the library's JSON escaper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idlib_fixture.h"
#include "truce/classify.h"
#include "truce/judge.h"
#include "truce/reader.h"
#include "truce/verdict_write.h"

/* More than a few batches of 1024 for several threads, so the batches
 * wrap around and the pushing thread has to help. */
enum { NEVENTS = 20000 };

/* The bundled events, each copied many times over with ids of their own. */
typedef struct corpus {
    truce_event *events; /* NEVENTS */
    char *ids;           /* NEVENTS * 16 */
    truce_event base[64];
    char *arena;
    size_t nbase;
} corpus;

static void corpus_load(corpus *c)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(TRUCE_SOURCE_DIR "/data/idlib-2020/events.geojson", "rb");
    assert_non_null(f);
    truce_reader_options opt;
    truce_reader_options_init(&opt);
    truce_reader *r;
    assert_int_equal(truce_reader_open(f, "events.geojson", &opt, &r, NULL), TRUCE_OK);
    size_t cap = (size_t)1 << 20, used = 0;
    assert_non_null(c->arena = malloc(cap));
    truce_row row;
    while (truce_reader_next(r, &row) == TRUCE_OK && row.kind != TRUCE_ROW_END) {
        assert_int_equal(row.kind, TRUCE_ROW_EVENT);
        assert_true(c->nbase < 64);
        assert_int_equal(truce_event_copy(row.event, &c->base[c->nbase++], c->arena, cap, &used),
                         TRUCE_OK);
    }
    truce_reader_free(r);
    fclose(f);
    assert_true(c->nbase > 10);
    assert_non_null(c->events = malloc(NEVENTS * sizeof *c->events));
    assert_non_null(c->ids = malloc(NEVENTS * 16));
    for (size_t i = 0; i < NEVENTS; i++) {
        c->events[i] = c->base[i % c->nbase];
        snprintf(c->ids + i * 16, 16, "e%zu", i);
        c->events[i].id = c->ids + i * 16;
    }
}

static void corpus_free(corpus *c)
{
    free(c->events);
    free(c->ids);
    free(c->arena);
}

/* What the sink saw. */
typedef struct seen {
    size_t n;
    size_t *index;      /* the event's number, from its id */
    truce_violation *v; /* its verdict */
    const char **rule;
    size_t fail_at; /* the sink fails on this call (counting from 1); 0: never */
} seen;

static truce_status record(void *ctx, const truce_judged *d)
{
    seen *s = ctx;
    if (s->fail_at && s->n + 1 == s->fail_at)
        return TRUCE_E_IO;
    assert_true(s->n < NEVENTS);
    s->index[s->n] = strtoul(d->event->id + 1, NULL, 10);
    s->v[s->n] = d->verdict->violation;
    s->rule[s->n] = d->verdict->rule ? d->verdict->rule->id : NULL;
    s->n++;
    return TRUCE_OK;
}

static void seen_init(seen *s)
{
    memset(s, 0, sizeof *s);
    assert_non_null(s->index = malloc(NEVENTS * sizeof *s->index));
    assert_non_null(s->v = malloc(NEVENTS * sizeof *s->v));
    assert_non_null(s->rule = malloc(NEVENTS * sizeof *s->rule));
}

static void seen_free(seen *s)
{
    free(s->index);
    free(s->v);
    free(s->rule);
}

/* A new judge of `threads` threads whose sink records into `s` (set up
 * here, with fail_at as given). */
static truce_judge *judge_recording(const truce_agreement *a, int threads, seen *s, size_t fail_at)
{
    seen_init(s);
    s->fail_at = fail_at;
    truce_judge_options opt;
    truce_judge_options_init(&opt);
    opt.threads = threads;
    truce_judge *j;
    assert_int_equal(truce_judge_new(a, &opt, record, s, &j), TRUCE_OK);
    return j;
}

/* Every event in order, with the verdict a classifier of its own gives. */
static void judge_in_order(int threads)
{
    truce_agreement *a = idlib_agreement();
    assert_non_null(a);
    corpus c;
    corpus_load(&c);
    truce_classifier *cl;
    assert_int_equal(truce_classifier_new(a, &cl), TRUCE_OK);
    truce_violation want[64];
    const char *want_rule[64];
    for (size_t i = 0; i < c.nbase; i++) {
        truce_verdict v;
        assert_int_equal(truce_classify(cl, &c.base[i], &v), TRUCE_OK);
        want[i] = v.violation;
        want_rule[i] = v.rule ? v.rule->id : NULL;
    }
    truce_classifier_free(cl);

    seen s;
    truce_judge *j = judge_recording(a, threads, &s, 0);
    assert_int_equal(truce_judge_threads(j), threads);
    for (size_t i = 0; i < NEVENTS; i++)
        assert_int_equal(truce_judge_push(j, &c.events[i]), TRUCE_OK);
    assert_int_equal(truce_judge_flush(j), TRUCE_OK);
    assert_int_equal(s.n, NEVENTS);
    uint64_t by[3] = {0};
    for (size_t i = 0; i < NEVENTS; i++) {
        assert_int_equal(s.index[i], i);
        assert_int_equal(s.v[i], want[i % c.nbase]);
        const char *r = want_rule[i % c.nbase];
        if (r)
            assert_string_equal(s.rule[i], r);
        else
            assert_null(s.rule[i]);
        by[s.v[i]]++;
    }
    truce_judge_counts counts;
    truce_judge_counts_get(j, &counts);
    assert_int_equal(counts.judged, NEVENTS);
    for (int k = 0; k < 3; k++)
        assert_int_equal(counts.by_violation[k], by[k]);
    assert_string_equal(truce_judge_failure(j), "");
    truce_judge_free(j);
    seen_free(&s);
    corpus_free(&c);
    truce_agreement_free(a);
}

static void test_order_one_thread(void **state)
{
    (void)state;
    judge_in_order(1);
}

static void test_order_three_threads(void **state)
{
    (void)state;
    judge_in_order(3);
}

/* The sink fails on its 1500th call: nothing reaches it after that, flush
 * returns the sink's status with no message of the judge's own, and the
 * next input is judged in full. */
static void sink_failure(int threads)
{
    truce_agreement *a = idlib_agreement();
    assert_non_null(a);
    corpus c;
    corpus_load(&c);
    seen s;
    truce_judge *j = judge_recording(a, threads, &s, 1500);
    size_t i = 0;
    truce_status st = TRUCE_OK;
    for (; i < NEVENTS && st == TRUCE_OK; i++)
        st = truce_judge_push(j, &c.events[i]);
    if (threads == 1)
        assert_int_equal(i, 1500);
    assert_int_equal(truce_judge_flush(j), TRUCE_E_IO);
    assert_string_equal(truce_judge_failure(j), "");
    assert_int_equal(s.n, 1499);
    for (size_t k = 0; k < s.n; k++)
        assert_int_equal(s.index[k], k);

    /* The next input: judged in full, from where it starts. */
    s.n = 0;
    s.fail_at = 0;
    for (size_t k = 0; k < 3000; k++)
        assert_int_equal(truce_judge_push(j, &c.events[NEVENTS - 3000 + k]), TRUCE_OK);
    assert_int_equal(truce_judge_flush(j), TRUCE_OK);
    assert_int_equal(s.n, 3000);
    for (size_t k = 0; k < s.n; k++)
        assert_int_equal(s.index[k], NEVENTS - 3000 + k);
    truce_judge_free(j);
    seen_free(&s);
    corpus_free(&c);
    truce_agreement_free(a);
}

static void test_sink_failure_one_thread(void **state)
{
    (void)state;
    sink_failure(1);
}

static void test_sink_failure_three_threads(void **state)
{
    (void)state;
    sink_failure(3);
}

/* Freeing a judge with events in flight drops them, without a leak. */
static void test_free_in_flight(void **state)
{
    (void)state;
    truce_agreement *a = idlib_agreement();
    assert_non_null(a);
    corpus c;
    corpus_load(&c);
    seen s;
    truce_judge *j = judge_recording(a, 3, &s, 0);
    for (size_t i = 0; i < 5000; i++)
        assert_int_equal(truce_judge_push(j, &c.events[i]), TRUCE_OK);
    truce_judge_free(j);
    assert_true(s.n <= 5000);
    seen_free(&s);
    corpus_free(&c);
    truce_agreement_free(a);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    truce_agreement *a = idlib_agreement();
    assert_non_null(a);
    truce_judge_options opt;
    truce_judge_options_init(&opt);
    truce_judge *j = (truce_judge *)&opt;
    assert_int_equal(truce_judge_new(NULL, &opt, record, NULL, &j), TRUCE_E_ARG);
    assert_null(j);
    assert_int_equal(truce_judge_new(a, &opt, NULL, NULL, &j), TRUCE_E_ARG);
    opt.threads = -1;
    assert_int_equal(truce_judge_new(a, &opt, record, NULL, &j), TRUCE_E_ARG);
    opt.threads = 1;
    opt.response_window_s = -1;
    assert_int_equal(truce_judge_new(a, &opt, record, NULL, &j), TRUCE_E_ARG);
    truce_judge_free(NULL);
    truce_agreement_free(a);
}

/* ---- a whole input from a reader ---------------------------------------- */

typedef struct rejects {
    size_t n;
    long line[4];
} rejects;

static truce_status count_reject(void *ctx, const truce_reader *reader, const truce_row *row)
{
    (void)reader;
    rejects *r = ctx;
    assert_int_equal(row->kind, TRUCE_ROW_REJECT);
    assert_true(r->n < 4);
    r->line[r->n++] = row->line;
    return TRUCE_OK;
}

/* The bundled GeoJSON with the second feature's date spoiled: every other
 * event judged in file order, the bad one handed to on_reject. */
static void test_read_whole_input(void **state)
{
    (void)state;
    truce_agreement *a = idlib_agreement();
    assert_non_null(a);
    corpus c;
    corpus_load(&c);
    FILE *f = fopen(TRUCE_SOURCE_DIR "/data/idlib-2020/events.geojson", "rb");
    assert_non_null(f);
    static char doc[1 << 17];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    char *second = strstr(strstr(doc, "\"date\": \"") + 1, "\"date\": \"");
    assert_non_null(second);
    memcpy(second + 9, "2020-13", 7);
    FILE *in = fmemopen(doc, n, "rb");
    assert_non_null(in);
    for (int threads = 1; threads <= 3; threads += 2) {
        rewind(in);
        truce_reader_options ro;
        truce_reader_options_init(&ro);
        truce_reader *r;
        assert_int_equal(truce_reader_open(in, "spoiled.geojson", &ro, &r, NULL), TRUCE_OK);
        seen s;
        rejects rj = {0};
        truce_judge *j = judge_recording(a, threads, &s, 0);
        assert_int_equal(truce_judge_read(j, r, count_reject, &rj), TRUCE_OK);
        assert_int_equal(rj.n, 1);
        assert_int_equal(s.n, c.nbase - 1);
        truce_judge_counts counts;
        truce_judge_counts_get(j, &counts);
        assert_int_equal(counts.judged, c.nbase - 1);
        truce_reader_stats rs;
        truce_reader_stats_get(r, &rs);
        assert_int_equal(rs.rejected, 1);
        assert_int_equal(rs.accepted, c.nbase - 1);
        truce_judge_free(j);
        truce_reader_free(r);
        seen_free(&s);
    }
    fclose(in);
    corpus_free(&c);
    truce_agreement_free(a);
}

/* ---- the verdict writer ------------------------------------------------ */

typedef struct write_ctx {
    truce_verdict_writer *w;
    size_t responses;
} write_ctx;

static truce_status write_one(void *ctx, const truce_judged *d)
{
    write_ctx *c = ctx;
    c->responses += d->response_to != NULL;
    return truce_verdict_write(c->w, d);
}

/* The whole output of `format` for the first n events: with the prepare
 * hook on `threads` threads, or (prepare 0) formatted by the writer alone.
 * Returns a malloc'd string; *responses gets the events linked. */
static char *write_all(const truce_agreement *a, const corpus *c, size_t n,
                       truce_verdict_format format, int threads, int prepare, size_t *responses)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    write_ctx w = {0};
    assert_int_equal(truce_verdict_writer_new(f, format, a, &w.w), TRUCE_OK);
    truce_judge_options opt;
    truce_judge_options_init(&opt);
    opt.threads = threads;
    opt.response_window_s = 24 * 3600;
    opt.response_distance_m = 25000;
    if (prepare) {
        opt.prepare = truce_verdict_prepare;
        opt.prepare_ctx = w.w;
    }
    truce_judge *j;
    assert_int_equal(truce_judge_new(a, &opt, write_one, &w, &j), TRUCE_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(truce_judge_push(j, &c->events[i]), TRUCE_OK);
    assert_int_equal(truce_judge_flush(j), TRUCE_OK);
    truce_judge_free(j);
    assert_int_equal(truce_verdict_writer_free(w.w), TRUCE_OK);
    fclose(f);
    *responses = w.responses;
    return buf;
}

static void test_writer_same_bytes(void **state)
{
    (void)state;
    truce_agreement *a = idlib_agreement();
    assert_non_null(a);
    corpus c;
    corpus_load(&c);
    /* Responses: every odd event is the even one's target striking back an
     * hour later at the same place (linked when the even one is an attack). */
    for (size_t i = 0; i + 1 < NEVENTS; i += 2) {
        truce_event *e = &c.events[i], *r = &c.events[i + 1];
        e->actor1 = "Government forces";
        e->actor2 = "Rebels";
        *r = *e;
        r->id = c.ids + (i + 1) * 16;
        r->actor1 = "REBELS";
        r->actor2 = "Government forces";
        r->start_s += 3600;
        r->end_s += 3600;
    }
    for (int format = TRUCE_VERDICT_TABLE; format <= TRUCE_VERDICT_GEOJSON; format++) {
        size_t r1, r3;
        char *one = write_all(a, &c, 3000, (truce_verdict_format)format, 1, 0, &r1);
        char *three = write_all(a, &c, 3000, (truce_verdict_format)format, 3, 1, &r3);
        assert_true(strlen(one) > 3000);
        assert_string_equal(one, three);
        assert_int_equal(r1, r3);
        assert_true(r1 > 0); /* the bundled events hold responses */
        free(one);
        free(three);
    }
    corpus_free(&c);
    truce_agreement_free(a);
}

/* A zone id with a line break and a tab: the JSON key is escaped as the
 * event writer escapes strings (\n, \t), not as \u000a. */
static void test_writer_escapes_ids(void **state)
{
    (void)state;
    const char *doc =
        "{\"type\":\"FeatureCollection\",\"agreement\":{\"parties\":[\"A\",\"B\"],"
        "\"timezone\":\"Asia/Damascus\",\"ceasefire\":\"2020-03-06T00:00\",\"rules\":[]},"
        "\"features\":[{\"type\":\"Feature\",\"id\":\"z\\n1\\t\\\"q\\\"\","
        "\"properties\":{\"role\":\"zone\"},"
        "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[36.5,35.7],[36.9,35.7],"
        "[36.9,36.0],[36.5,36.0],[36.5,35.7]]]}}]}";
    truce_diags d;
    truce_diags_init(&d);
    truce_agreement *a = NULL;
    assert_int_equal(truce_agreement_parse(doc, strlen(doc), "inline", &a, &d), TRUCE_OK);
    truce_diags_release(&d);
    truce_event ev;
    truce_event_init(&ev);
    ev.id = "e1";
    ev.start_s = ev.end_s = 1583539200; /* 2020-03-07 */
    ev.has_location = 1;
    ev.lon = 36.7;
    ev.lat = 35.85;
    truce_classifier *cl;
    assert_int_equal(truce_classifier_new(a, &cl), TRUCE_OK);
    truce_verdict v;
    assert_int_equal(truce_classify(cl, &ev, &v), TRUCE_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    truce_verdict_writer *w;
    assert_int_equal(truce_verdict_writer_new(f, TRUCE_VERDICT_JSONL, a, &w), TRUCE_OK);
    truce_judged j = {&ev, &v, NULL, 0, 0, NULL};
    assert_int_equal(truce_verdict_write(w, &j), TRUCE_OK);
    assert_int_equal(truce_verdict_writer_free(w), TRUCE_OK);
    fclose(f);
    assert_non_null(strstr(buf, "\"zones\":{\"z\\n1\\t\\\"q\\\"\":\"inside\"}"));
    assert_null(strstr(buf, "\\u000a"));
    free(buf);
    truce_classifier_free(cl);
    truce_agreement_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_one_thread),
        cmocka_unit_test(test_order_three_threads),
        cmocka_unit_test(test_sink_failure_one_thread),
        cmocka_unit_test(test_sink_failure_three_threads),
        cmocka_unit_test(test_free_in_flight),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_read_whole_input),
        cmocka_unit_test(test_writer_same_bytes),
        cmocka_unit_test(test_writer_escapes_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
