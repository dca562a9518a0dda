/* libFuzzer target, differential: the RFC 4180 record splitter
 * (src/read/csv_rows.c) with its hand-written fast path against libcsv alone.
 * Both must give the same records: the same lines, verbatim bytes, errors,
 * fields, and the same place in the input after each record.  The first
 * byte picks the row cap (bit 0) and the field count a multi-line record
 * must have (bits 4-7, 0: any). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/csv_rows.h"
#include "read/reader_impl.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz: fast path and libcsv differ: %s (%s:%d)\n", #cond, __FILE__,    \
                    __LINE__);                                                                     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

typedef struct side {
    FILE *f;
    truce_src src;
    csv_rows csv;
    csv_record rec;
} side;

static void side_open(side *x, const uint8_t *data, size_t size, size_t max_row, size_t expect,
                      int libcsv_only)
{
    memset(x, 0, sizeof *x);
    x->f = fmemopen((void *)(uintptr_t)data, size, "rb");
    if (!x->f || trc_src_init(&x->src, x->f, max_row) || trc_csv_rows_init(&x->csv))
        abort();
    x->csv.expect = expect;
    x->csv.libcsv_only = libcsv_only;
}

static void side_close(side *x)
{
    trc_csv_rows_release(&x->csv);
    trc_src_release(&x->src);
    fclose(x->f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t max_row = data[0] & 1 ? 256 : TRUCE_READER_MAX_ROW_BYTES;
    size_t expect = (size_t)(data[0] >> 4);
    side a, b;
    side_open(&a, data + 1, size - 1, max_row, expect, 0);
    side_open(&b, data + 1, size - 1, max_row, expect, 1);
    for (;;) {
        int ga = 0, gb = 0;
        truce_status sa = trc_csv_rows_next(&a.csv, &a.src, &a.rec, &ga);
        truce_status sb = trc_csv_rows_next(&b.csv, &b.src, &b.rec, &gb);
        CHECK(sa == sb);
        CHECK(ga == gb);
        if (sa || !ga)
            break;
        CHECK(a.rec.line == b.rec.line);
        CHECK(a.src.line == b.src.line);
        CHECK(trc_src_offset(&a.src) == trc_src_offset(&b.src));
        CHECK(a.rec.raw_len == b.rec.raw_len);
        CHECK(!memcmp(a.rec.raw, b.rec.raw, a.rec.raw_len));
        CHECK(a.rec.raw_truncated == b.rec.raw_truncated);
        CHECK((a.rec.error == NULL) == (b.rec.error == NULL));
        if (a.rec.error) {
            CHECK(!strcmp(a.rec.error, b.rec.error));
            continue;
        }
        CHECK(a.rec.nfields == b.rec.nfields);
        size_t kept = a.rec.nfields < CSV_ROWS_MAX_FIELDS ? a.rec.nfields : CSV_ROWS_MAX_FIELDS;
        for (size_t i = 0; i < kept; i++) {
            CHECK(a.rec.lens[i] == b.rec.lens[i]);
            CHECK(!memcmp(a.rec.fields[i], b.rec.fields[i], a.rec.lens[i] + 1));
        }
    }
    side_close(&a);
    side_close(&b);
    return 0;
}
