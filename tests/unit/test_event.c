/* The event model: deep copies (truce_event_copy), which the CLI's judging
 * pipeline relies on to keep events past the reader's next row, and records
 * formatted in two parts (truce_event_format_head, truce_event_write_head),
 * which must be what one truce_event_write_extra writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/event.h"

/* An event with every string set, each in `src` (so overwriting `src`
 * shows whether a copy still points into it). */
static void full_event(truce_event *e, char src[][16])
{
    truce_event_init(e);
    const char **f[] = {&e->id,           &e->file,           &e->lon_text,      &e->lat_text,
                        &e->event_type,   &e->sub_event_type, &e->disorder_type, &e->actor1,
                        &e->assoc_actor1, &e->actor2,         &e->assoc_actor2,  &e->country,
                        &e->admin1,       &e->admin2,         &e->place,         &e->notes,
                        &e->sources};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        snprintf(src[i], 16, "field-%zu", i);
        *f[i] = src[i];
    }
    e->line = 42;
    e->start_s = 1583445600;
    e->end_s = 1583532000;
    e->has_location = 1;
    e->lon = 36.6;
    e->lat = 35.9;
    e->radius_m = 2000;
    e->fatalities = 3;
}

static void copy_is_deep(void **state)
{
    (void)state;
    char src[17][16];
    truce_event e, c;
    full_event(&e, src);
    size_t need = truce_event_copy_size(&e);
    size_t expect = 0;
    for (size_t i = 0; i < 17; i++)
        expect += strlen(src[i]) + 1;
    assert_int_equal(need, expect);

    char buf[512];
    size_t used = 5; /* the copy goes after what is already there */
    assert_int_equal(truce_event_copy(&e, &c, buf, sizeof buf, &used), TRUCE_OK);
    assert_int_equal(used, 5 + need);
    memset(src, 'x', sizeof src); /* the reader's next row */
    assert_string_equal(c.id, "field-0");
    assert_string_equal(c.file, "field-1");
    assert_string_equal(c.actor1, "field-7");
    assert_string_equal(c.sources, "field-16");
    assert_true(c.id >= buf + 5 && c.sources + strlen(c.sources) < buf + used);
    assert_int_equal(c.line, 42);
    assert_int_equal(c.start_s, 1583445600);
    assert_true(c.lon == 36.6 && c.lat == 35.9 && c.radius_m == 2000);
    assert_int_equal(c.fatalities, 3);
    assert_int_equal(c.fatalities_low, TRUCE_COUNT_UNKNOWN);
}

static void copy_keeps_null_strings(void **state)
{
    (void)state;
    truce_event e, c;
    truce_event_init(&e);
    e.id = "only-id";
    assert_int_equal(truce_event_copy_size(&e), 8);
    char buf[8];
    size_t used = 0;
    assert_int_equal(truce_event_copy(&e, &c, buf, sizeof buf, &used), TRUCE_OK);
    assert_int_equal(used, 8);
    assert_ptr_equal(c.id, buf);
    assert_null(c.notes);
    assert_null(c.file);
}

/* A buffer too small leaves everything as it was, so the caller can start a
 * fresh one. */
static void copy_that_does_not_fit(void **state)
{
    (void)state;
    char src[17][16];
    truce_event e, c;
    full_event(&e, src);
    memset(&c, 0x5a, sizeof c);
    truce_event before = c;
    char buf[512];
    size_t used = sizeof buf - truce_event_copy_size(&e) + 1;
    size_t was = used;
    assert_int_equal(truce_event_copy(&e, &c, buf, sizeof buf, &used), TRUCE_E_RANGE);
    assert_int_equal(used, was);
    assert_memory_equal(&c, &before, sizeof c);
    used = sizeof buf - truce_event_copy_size(&e); /* exactly fits */
    assert_int_equal(truce_event_copy(&e, &c, buf, sizeof buf, &used), TRUCE_OK);
    assert_int_equal(used, sizeof buf);
}

static void copy_arguments(void **state)
{
    (void)state;
    truce_event e, c;
    truce_event_init(&e);
    e.id = "x";
    char buf[4];
    size_t used = 5;
    assert_int_equal(truce_event_copy(&e, &c, buf, sizeof buf, &used), TRUCE_E_ARG);
    used = 0;
    assert_int_equal(truce_event_copy(NULL, &c, buf, sizeof buf, &used), TRUCE_E_ARG);
    assert_int_equal(truce_event_copy(&e, NULL, buf, sizeof buf, &used), TRUCE_E_ARG);
    assert_int_equal(truce_event_copy(&e, &c, buf, sizeof buf, NULL), TRUCE_E_ARG);
    assert_int_equal(truce_event_copy_size(NULL), 0);
}

/* Write `n` events with 7 extras through a writer of `kind` into a
 * temporary file, either at once (in_two 0) or as a head with the first
 * `split` extras then the rest (1), the last two of them formatted by hand
 * as the tail (2, split <= 5); returns the file's bytes (free them). */
static char *records(truce_event_output kind, const truce_event *ev, size_t n, size_t split,
                     int in_two, size_t *len)
{
    static const char json[] = "{\"a\":[1,2]}";
    const truce_extra ex[7] = {
        {"phase", TRUCE_EXTRA_STRING, "after", 0},
        {"rule", TRUCE_EXTRA_NULL, NULL, 0},
        {"reason", TRUCE_EXTRA_STRING, "quote \" and \\ and \n", 0},
        {"km", TRUCE_EXTRA_NUMBER, NULL, 12.5},
        {"k\"ey", TRUCE_EXTRA_STRING, "x", 0},
        {"zones", TRUCE_EXTRA_JSON, json, 0},
        {"nan", TRUCE_EXTRA_NUMBER, NULL, (double)NAN},
    };
    FILE *f = tmpfile();
    assert_non_null(f);
    truce_event_writer *w = NULL;
    assert_int_equal(truce_event_writer_new(f, kind, &w), TRUCE_OK);
    char *head = NULL;
    size_t hlen = 0, hcap = 0;
    for (size_t i = 0; i < n; i++) {
        if (!in_two) {
            assert_int_equal(truce_event_write_extra(w, &ev[i], ex, 7), TRUCE_OK);
            continue;
        }
        /* Heads of several events in one buffer, as the CLI keeps them. */
        size_t at = hlen;
        assert_int_equal(truce_event_format_head(kind, &ev[i], ex, split, &head, &hlen, &hcap),
                         TRUCE_OK);
        assert_true(hlen > at && head[hlen] == '\0');
        static const char tail[] = ",\"zones\":{\"a\":[1,2]},\"nan\":null";
        size_t rest = in_two == 2 ? 5 - split : 7 - split;
        assert_int_equal(truce_event_write_head(w, head + at, hlen - at, ex + split, rest,
                                                in_two == 2 ? tail : NULL,
                                                in_two == 2 ? sizeof tail - 1 : 0),
                         TRUCE_OK);
        hlen++; /* keep the NUL between heads */
    }
    free(head);
    assert_int_equal(truce_event_writer_free(w), TRUCE_OK);
    long size = ftell(f);
    assert_true(size > 0);
    rewind(f);
    char *out = malloc((size_t)size + 1);
    assert_non_null(out);
    assert_int_equal(fread(out, 1, (size_t)size, f), (size_t)size);
    out[size] = '\0';
    fclose(f);
    *len = (size_t)size;
    return out;
}

static void head_then_rest(void **state)
{
    (void)state;
    char src[17][16];
    truce_event ev[3];
    full_event(&ev[0], src);
    truce_event_init(&ev[1]); /* no location, nulls everywhere */
    ev[1].id = "bare";
    ev[1].start_s = 0;
    ev[1].end_s = 86400;
    full_event(&ev[2], src);
    /* Notes longer than the writer's 64 KiB buffer, needing escapes. */
    size_t big = 200000;
    char *notes = malloc(big + 1);
    assert_non_null(notes);
    for (size_t i = 0; i < big; i++)
        notes[i] = i % 97 == 0 ? '"' : i % 89 == 0 ? '\n' : (char)('a' + i % 26);
    notes[big] = '\0';
    ev[2].notes = notes;
    const truce_event_output kinds[2] = {TRUCE_OUTPUT_JSONL, TRUCE_OUTPUT_GEOJSON};
    for (int k = 0; k < 2; k++)
        for (size_t split = 0; split <= 7; split++) {
            size_t la, lb;
            char *a = records(kinds[k], ev, 3, split, 0, &la);
            char *b = records(kinds[k], ev, 3, split, 1, &lb);
            assert_int_equal(la, lb);
            assert_memory_equal(a, b, la);
            free(b);
            if (split <= 5) {
                b = records(kinds[k], ev, 3, split, 2, &lb);
                assert_int_equal(la, lb);
                assert_memory_equal(a, b, la);
                free(b);
            }
            free(a);
        }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    assert_int_equal(truce_event_format_head(TRUCE_OUTPUT_CSV, &ev[0], NULL, 0, &buf, &len, &cap),
                     TRUCE_E_ARG);
    assert_int_equal(truce_event_format_head(TRUCE_OUTPUT_JSONL, NULL, NULL, 0, &buf, &len, &cap),
                     TRUCE_E_ARG);
    free(notes);
}

/* The coordinate of a record written by truce_event_format_head: the text
 * between `"key":` and the next comma. */
static void written_coord(const truce_event *e, const char *key, char *out, size_t size)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    assert_int_equal(truce_event_format_head(TRUCE_OUTPUT_JSONL, e, NULL, 0, &buf, &len, &cap),
                     TRUCE_OK);
    char pat[16];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *at = strstr(buf, pat);
    assert_non_null(at);
    at += strlen(pat);
    size_t n = strcspn(at, ",");
    assert_true(n < size);
    memcpy(out, at, n);
    out[n] = '\0';
    free(buf);
}

/* Coordinates are written from the source's text when it is plain decimal;
 * whatever form the CSV readers accept (".5", "-.25", "+1", "1.", "01.5",
 * exponents, long digit strings) must come out as a JSON number of the same
 * value.  ".5" used to be copied as it was: `"lat":.5`, not JSON. */
static void coordinates_are_json_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double value;
        const char *json;
    } cases[] = {
        {".5", 0.5, "0.5"},
        {"-.25", -0.25, "-0.25"},
        {"+1", 1, "1"},
        {"1.", 1, "1"},
        {"-1.", -1, "-1"},
        {"01.5", 1.5, "1.5"},
        {"-00.50", -0.5, "-0.5"},
        {"+.125", 0.125, "0.125"},
        {"1e2", 100, "100"},
        {"-2.5E-1", -0.25, "-0.25"},
        {"35.80000000000000000000000000000000000000001", 35.8, "35.8"},
        {"0000000000000000000000000000000000036.5", 36.5, "36.5"},
        {"36.49889", 36.49889, "36.49889"},
        {"-0", -0.0, "0"}, /* jansson reads "-0" as the integer 0 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        truce_event e;
        truce_event_init(&e);
        e.id = "c";
        e.start_s = 0;
        e.end_s = 86400;
        e.has_location = 1;
        e.lat = cases[i].value;
        e.lat_text = cases[i].text;
        e.lon = cases[i].value;
        e.lon_text = cases[i].text;
        char got[64];
        written_coord(&e, "lat", got, sizeof got);
        if (strcmp(got, cases[i].json))
            fail_msg("\"%s\" written as %s, expected %s", cases[i].text, got, cases[i].json);
        written_coord(&e, "lon", got, sizeof got);
        assert_string_equal(got, cases[i].json);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(copy_is_deep),           cmocka_unit_test(copy_keeps_null_strings),
        cmocka_unit_test(copy_that_does_not_fit), cmocka_unit_test(copy_arguments),
        cmocka_unit_test(head_then_rest),         cmocka_unit_test(coordinates_are_json_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
