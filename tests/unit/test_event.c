/* The event model: deep copies (truce_event_copy), which the CLI's judging
 * pipeline relies on to keep events past the reader's next row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(copy_is_deep),
        cmocka_unit_test(copy_keeps_null_strings),
        cmocka_unit_test(copy_that_does_not_fit),
        cmocka_unit_test(copy_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
