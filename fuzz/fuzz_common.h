/* Shared by the reader fuzz targets: run one reader over the input to the
 * end and check what every reader promises (fuzz/README.md). */
#ifndef TRUCE_FUZZ_COMMON_H
#define TRUCE_FUZZ_COMMON_H

/* fmemopen is POSIX.1-2008; the libFuzzer build does not define this for us. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/event.h"
#include "truce/reader.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz: broken promise: %s (%s:%d)\n", #cond, __FILE__, __LINE__);      \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static inline void check_event(const truce_event *e)
{
    CHECK(e->id && *e->id);
    CHECK(e->start_s < e->end_s);
    if (e->has_location) {
        CHECK(e->lat >= -90 && e->lat <= 90);
        CHECK(e->lon >= -180 && e->lon <= 180);
        CHECK(e->radius_m >= 0);
    }
    CHECK(e->fatalities >= TRUCE_COUNT_UNKNOWN);
}

static inline void check_aid(const truce_aid_record *a)
{
    CHECK(a->kind > TRUCE_AID_NONE && a->kind < TRUCE_AID_NKINDS);
    CHECK(a->place || a->admin_code || a->has_location);
    if (a->has_location) {
        CHECK(a->lat >= -90 && a->lat <= 90);
        CHECK(a->lon >= -180 && a->lon <= 180);
    }
    if (a->kind == TRUCE_AID_DELIVERY)
        CHECK((a->has_quantity && a->quantity >= 0) || a->trucks >= 0);
    if (a->kind == TRUCE_AID_ACCESS)
        CHECK(a->category > TRUCE_ACCESS_NONE && a->category < TRUCE_ACCESS_NCATEGORIES);
    if (a->kind == TRUCE_AID_RETURN)
        CHECK(a->returnees >= 0 || a->households >= 0);
}

/* Read everything; `format` NULL detects among the formats of `records`
 * (reader.h).  Small rows exercise the caps. */
static inline void fuzz_reader_records(const uint8_t *data, size_t size, const char *format,
                                       unsigned records)
{
    if (size == 0)
        return;
    FILE *in = fmemopen((void *)(uintptr_t)data, size, "rb");
    FILE *out = fopen("/dev/null", "wb");
    if (!in || !out)
        abort();
    /* Named places for observer_place: one found, one name for two points. */
    static char turumbah[] = "Turumbah", twin[] = "Twin", twin2[] = "twin";
    static const truce_place places[] = {
        {turumbah, 36.76833, 35.85979, 0}, {twin, 1, 1, 1}, {twin2, 2, 2, 1}};
    truce_reader_options opt;
    truce_reader_options_init(&opt);
    opt.format = format;
    opt.records = records;
    opt.places = places;
    opt.nplaces = sizeof places / sizeof places[0];
    opt.max_row_bytes = data[0] & 1 ? 4096 : 0;
    truce_reader *r = NULL;
    truce_event_writer *w = NULL;
    if (truce_event_writer_new(out, data[0] & 2 ? TRUCE_OUTPUT_CSV : TRUCE_OUTPUT_JSONL, &w))
        abort();
    if (truce_reader_open(in, "fuzz", &opt, &r, NULL) == TRUCE_OK) {
        truce_row row;
        uint64_t events = 0, rejects = 0;
        truce_status st;
        while ((st = truce_reader_next(r, &row)) == TRUCE_OK && row.kind != TRUCE_ROW_END) {
            CHECK(row.line >= 1);
            CHECK(row.raw_len <= size);
            if (row.kind == TRUCE_ROW_EVENT) {
                check_event(row.event);
                CHECK(truce_event_write(w, row.event) == TRUCE_OK);
                events++;
            } else if (row.kind == TRUCE_ROW_AID) {
                CHECK(records & TRUCE_READ_AID);
                check_aid(row.aid);
                events++;
            } else {
                CHECK(row.reason && *row.reason);
                CHECK(strchr(row.reason, '\n') == NULL);
                volatile char sink = 0;
                for (size_t i = 0; i < row.raw_len; i++)
                    sink ^= row.raw[i];
                (void)sink;
                rejects++;
            }
        }
        CHECK(st == TRUCE_OK || st == TRUCE_E_PARSE);
        truce_reader_stats s;
        truce_reader_stats_get(r, &s);
        CHECK(s.read == s.accepted + s.rejected);
        CHECK(s.accepted == events && s.rejected == rejects);
        truce_reader_free(r);
    }
    truce_event_writer_free(w);
    fclose(out);
    fclose(in);
}

static inline void fuzz_reader(const uint8_t *data, size_t size, const char *format)
{
    fuzz_reader_records(data, size, format, TRUCE_READ_EVENTS);
}

#endif
