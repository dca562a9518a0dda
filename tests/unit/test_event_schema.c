/* The event schema table (src/event/event_schema.h): every field it lists, set in
 * one event, survives events -> JSON Lines -> events -> JSON Lines (the same
 * bytes and equal fields), and the CSV header is its keys in its order.  The
 * event is built by walking the table, so a field added there is covered
 * without touching this test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/event_schema.h"
#include "truce/event.h"
#include "truce/reader.h"

#define AT(T, e, d) ((T *)(void *)((char *)(e) + (d)->at))
#define CAT(T, e, d) (*(T const *)(const void *)((const char *)(e) + (d)->at))

/* Text for each string field: its key, with what JSON must escape. */
static char strings[EF_COUNT][64];

/* An event with every written field of the schema set to a value of its
 * own; the counts keep low <= best <= high, which the readers check. */
static void every_field(truce_event *e)
{
    truce_event_init(e);
    for (int f = 0; f < EF_COUNT; f++) {
        const event_field_desc *d = &trc_event_schema[f];
        switch (d->kind) {
        case ES_ID:
        case ES_STRING:
            snprintf(strings[f], sizeof strings[f], "%s \"q\\\" \xc3\xa9\t\n%d", d->key, f);
            *AT(const char *, e, d) = strings[f];
            if (f == EF_OBSERVATION) /* one of the words the readers take */
                *AT(const char *, e, d) = "crater";
            break;
        case ES_FORMAT:
            *AT(truce_event_format, e, d) = TRUCE_FORMAT_UCDP;
            break;
        case ES_LINE:
            *AT(long, e, d) = 1000 + f;
            break;
        case ES_INSTANT: /* later fields later: end after start */
            *AT(int64_t, e, d) = 1583020837 + (int64_t)f * 3601;
            break;
        case ES_DATE: /* read only */
        case ES_NAME:
            break;
        case ES_CODE:
            *AT(int, e, d) = (int)d->hi;
            break;
        case ES_COORD:
            e->has_location = 1;
            *AT(double, e, d) = d->lo + (d->hi - d->lo) * 0.3712345678901234;
            break;
        case ES_SECTOR: /* later fields larger: distance_max_m above distance_min_m */
            e->has_sector = 1;
            *AT(double, e, d) = d->lo + (d->hi - d->lo) * (0.3712345678901234 + 0.01 * f);
            break;
        case ES_COUNT:
            *AT(int64_t, e, d) = f == EF_FATALITIES_LOW ? 5 : f == EF_FATALITIES_HIGH ? 900 : 77;
            break;
        default:
            fail_msg("field %s: a kind this test does not know", d->key);
        }
    }
    /* A sighting's place is the disk over its sector, as readers make it. */
    assert_int_equal(truce_sector_disk(&e->sector, &e->lon, &e->lat, &e->radius_m), TRUCE_OK);
}

static char *write_events(truce_event_output kind, const truce_event *e, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    truce_event_writer *w;
    assert_int_equal(truce_event_writer_new(f, kind, &w), TRUCE_OK);
    assert_int_equal(truce_event_write(w, e), TRUCE_OK);
    assert_int_equal(truce_event_writer_free(w), TRUCE_OK);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void assert_same_fields(const truce_event *a, const truce_event *b)
{
    assert_int_equal(a->has_location, b->has_location);
    for (int f = 0; f < EF_COUNT; f++) {
        const event_field_desc *d = &trc_event_schema[f];
        switch (d->kind) {
        case ES_ID:
        case ES_STRING:
            assert_non_null(CAT(const char *, b, d));
            assert_string_equal(CAT(const char *, a, d), CAT(const char *, b, d));
            break;
        case ES_FORMAT:
            assert_int_equal(CAT(truce_event_format, a, d), CAT(truce_event_format, b, d));
            break;
        case ES_LINE:
            assert_int_equal(CAT(long, a, d), CAT(long, b, d));
            break;
        case ES_INSTANT:
        case ES_COUNT:
            assert_int_equal(CAT(int64_t, a, d), CAT(int64_t, b, d));
            break;
        case ES_DATE:
        case ES_NAME:
            break;
        case ES_CODE:
            assert_int_equal(CAT(int, a, d), CAT(int, b, d));
            break;
        case ES_COORD:
        case ES_SECTOR:
            assert_true(CAT(double, a, d) == CAT(double, b, d));
            break;
        }
    }
}

static void every_field_round_trips(void **state)
{
    (void)state;
    truce_event e;
    every_field(&e);
    size_t len1, len2;
    char *json1 = write_events(TRUCE_OUTPUT_JSONL, &e, &len1);

    /* Every written field has a value: none came out null. */
    for (int f = 0; f < EF_COUNT; f++) {
        if (!event_field_written(&trc_event_schema[f]))
            continue;
        char key[80];
        snprintf(key, sizeof key, "\"%s\":", trc_event_schema[f].key);
        const char *at = strstr(json1, key);
        assert_non_null(at);
        assert_false(strncmp(at + strlen(key), "null", 4) == 0);
    }

    FILE *in = fmemopen(json1, len1, "rb");
    assert_non_null(in);
    truce_reader_options opt;
    truce_reader_options_init(&opt);
    opt.format = "jsonl";
    truce_reader *r;
    assert_int_equal(truce_reader_open(in, "t.jsonl", &opt, &r, NULL), TRUCE_OK);
    truce_row row;
    assert_int_equal(truce_reader_next(r, &row), TRUCE_OK);
    if (row.kind != TRUCE_ROW_EVENT)
        fail_msg("rejected: %s: %s", row.field ? row.field : "", row.reason);
    assert_same_fields(&e, row.event);
    char *json2 = write_events(TRUCE_OUTPUT_JSONL, row.event, &len2);
    assert_int_equal(truce_reader_next(r, &row), TRUCE_OK);
    assert_int_equal(row.kind, TRUCE_ROW_END);
    truce_reader_free(r);
    fclose(in);

    assert_int_equal(len1, len2);
    assert_memory_equal(json1, json2, len1);
    free(json1);
    free(json2);
}

/* The CSV header: the written keys, in the table's order. */
static void csv_header_is_the_schema(void **state)
{
    (void)state;
    truce_event e;
    every_field(&e);
    size_t len;
    char *csv = write_events(TRUCE_OUTPUT_CSV, &e, &len);
    char want[1024] = "";
    for (int f = 0; f < EF_COUNT; f++) {
        if (!event_field_written(&trc_event_schema[f]))
            continue;
        if (*want)
            strcat(want, ",");
        strcat(want, trc_event_schema[f].key);
    }
    strcat(want, "\n");
    assert_true(len > strlen(want));
    assert_memory_equal(csv, want, strlen(want));
    free(csv);
}

/* Lookup by key; keys and members are unique. */
static void keys_find_their_field(void **state)
{
    (void)state;
    for (int f = 0; f < EF_COUNT; f++) {
        const char *k = trc_event_schema[f].key;
        assert_int_equal(trc_event_field_find(k, strlen(k)), f);
    }
    /* No two fields share a member. */
    for (int f = 0; f < EF_COUNT; f++)
        for (int g = f + 1; g < EF_COUNT; g++)
            if (trc_event_schema[f].at != ES_NONE)
                assert_true(trc_event_schema[f].at != trc_event_schema[g].at);
    assert_int_equal(trc_event_field_find("idx", 3), -1);
    assert_int_equal(trc_event_field_find("i", 1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_field_round_trips),
        cmocka_unit_test(csv_header_is_the_schema),
        cmocka_unit_test(keys_find_their_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
