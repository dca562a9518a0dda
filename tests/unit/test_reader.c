/* Event readers: the edges of RFC 4180, GeoJSON positions, JSON Lines, the
 * field checks and the id set.  Generated whole files are tested in
 * tests/cli/test_events_generated.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/idset.h"
#include "read/reader_impl.h"
#include "base/utf8.h"
#include "truce/event.h"
#include "truce/reader.h"
#include "truce/tz.h"

#define ACLED_HEADER                                                                               \
    "event_id_cnty,event_date,year,time_precision,event_type,latitude,longitude,geo_precision,"    \
    "notes,fatalities\n"

typedef struct rows {
    int n;
    truce_row_kind kind[32];
    long line[32];
    char field[32][64];
    char reason[32][256];
    char raw[32][256];
    char id[32][32];
    int64_t start[32], end[32];
    double radius[32];
    int has_location[32];
    truce_status end_status;
} rows;

/* Read text[0, len) with `format` (NULL: detect) and collect every row. */
static truce_status read_bytes(const char *text, size_t len, const char *format, size_t max_row,
                               rows *out, const truce_tz *tz)
{
    memset(out, 0, sizeof *out);
    FILE *f = fmemopen((void *)(uintptr_t)text, len, "rb");
    assert_non_null(f);
    truce_reader_options opt;
    truce_reader_options_init(&opt);
    opt.format = format;
    opt.max_row_bytes = max_row;
    opt.tz = tz;
    truce_reader *r;
    truce_status st = truce_reader_open(f, "t", &opt, &r, NULL);
    if (st) {
        fclose(f);
        return st;
    }
    truce_row row;
    while ((st = truce_reader_next(r, &row)) == TRUCE_OK && row.kind != TRUCE_ROW_END) {
        int i = out->n++;
        assert_true(i < 32);
        out->kind[i] = row.kind;
        out->line[i] = row.line;
        snprintf(out->field[i], 64, "%s", row.field ? row.field : "");
        snprintf(out->reason[i], 256, "%s", row.reason ? row.reason : "");
        snprintf(out->raw[i], 256, "%.*s", (int)row.raw_len, row.raw ? row.raw : "");
        if (row.kind == TRUCE_ROW_EVENT) {
            snprintf(out->id[i], 32, "%s", row.event->id);
            out->start[i] = row.event->start_s;
            out->end[i] = row.event->end_s;
            out->radius[i] = row.event->radius_m;
            out->has_location[i] = row.event->has_location;
        }
    }
    out->end_status = st;
    truce_reader_stats s;
    truce_reader_stats_get(r, &s);
    assert_int_equal(s.read, s.accepted + s.rejected);
    assert_int_equal(s.read, (uint64_t)out->n);
    truce_reader_free(r);
    fclose(f);
    return TRUCE_OK;
}

static truce_status read_all(const char *text, const char *format, size_t max_row, rows *out,
                             const truce_tz *tz)
{
    return read_bytes(text, strlen(text), format, max_row, out, tz);
}

static void csv_physical_lines(void **state)
{
    (void)state;
    /* A quoted field with a comma, a doubled quote and a CRLF inside; CRLF
     * line ends; blank lines between rows and at the end; no final LF. */
    const char *text =
        "\xEF\xBB\xBF" ACLED_HEADER
        "A1,2020-03-05,2020,1,Battles,35.8,36.6,1,\"one, \"\"two\"\"\r\nthree\",2\r\n"
        "\r\n"
        "A2,05 March 2020,2020,1,Battles,35.8,36.6,2,plain,0\r\n"
        "\n\n"
        "A3,05-03-2020,2020,1,Battles,35.8,36.6,3,last,1";
    rows r;
    assert_int_equal(read_all(text, NULL, 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.line[0], 2);
    assert_int_equal(r.line[1], 5); /* line 4 is blank */
    assert_int_equal(r.line[2], 8);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(r.kind[i], TRUCE_ROW_EVENT);
        /* all three date forms are the same UTC day */
        assert_int_equal(r.start[i], 1583366400);
        assert_int_equal(r.end[i], 1583366400 + 86400);
    }
    assert_true(r.radius[0] == 2000 && r.radius[1] == 25000 && r.radius[2] == 100000);
}

/* Old Mac files end lines with a bare CR: every line used to run into one
 * (read 0, exit 0).  A line ends at LF, CRLF or CR, mixed too; line numbers
 * count each; a line break inside a quoted field reads as LF, whatever it
 * was; the format is detected from a CR-ended header. */
static void csv_cr_line_ends(void **state)
{
    (void)state;
    const char *text = "event_id_cnty,event_date,year,time_precision,event_type,latitude,"
                       "longitude,geo_precision,notes,fatalities\r"
                       "A1,2020-03-05,2020,1,B,35,36,1,\"two\rlines\",0\r"
                       "\r"
                       "A2,2020-03-05,2020,1,B,95,36,1,n,0\r\n"
                       "A3,2020-03-05,2020,1,B,35,36,1,n,0\n"
                       "A4,2020-03-05,2020,1,B,35,36,1,n,0\r";
    rows r;
    assert_int_equal(read_all(text, NULL, 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 4);
    static const long lines[] = {2, 5, 6, 7};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(r.line[i], lines[i]);
        assert_int_equal(r.kind[i], i == 1 ? TRUCE_ROW_REJECT : TRUCE_ROW_EVENT);
    }
    assert_string_equal(r.field[1], "latitude");
    assert_string_equal(r.raw[0], "A1,2020-03-05,2020,1,B,35,36,1,\"two\rlines\",0\r");

    /* A line cut at the row cap is skipped up to its CR, not to the next LF. */
    char big[2048];
    char notes[600];
    memset(notes, 'x', sizeof notes - 1);
    notes[sizeof notes - 1] = '\0';
    snprintf(big, sizeof big,
             "event_id_cnty,event_date,year,time_precision,event_type,latitude,longitude,"
             "geo_precision,notes,fatalities\rA1,2020-03-05,2020,1,B,35,36,1,%s,0\r"
             "A2,2020-03-05,2020,1,B,35,36,1,n,0\r",
             notes);
    assert_int_equal(read_all(big, "acled", 256, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.kind[0], TRUCE_ROW_REJECT);
    assert_int_equal(r.kind[1], TRUCE_ROW_EVENT);
    assert_int_equal(r.line[1], 3);
}

/* A NUL byte inside a field used to end it: "35.8<NUL>garbage" read as
 * 35.8, "2020-03-05<NUL>junk" as the date.  Every reader's text rule
 * (trc_reader_text_problem) rejects it, naming the field. */
static void nul_bytes_are_rejected(void **state)
{
    (void)state;
    static const char csv[] = ACLED_HEADER "A1,2020-03-05,2020,1,B,35.8\0garbage,36,1,n,0\n"
                                           "A2,2020-03-05\0junk,2020,1,B,35,36,1,n,0\n"
                                           "A3,2020-03-05,2020,1,B,35,36,1,n,0\n";
    rows r;
    assert_int_equal(read_bytes(csv, sizeof csv - 1, "acled", 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.kind[0], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[0], "latitude");
    assert_int_equal(r.kind[1], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[1], "event_date");
    assert_int_equal(r.kind[2], TRUCE_ROW_EVENT);

    static const char gj[] = "{\"type\":\"FeatureCollection\",\"features\":[\n"
                             "{\"type\":\"Feature\",\"id\":\"G1\",\"properties\":{\"date\":"
                             "\"2020-03-05\\u0000junk\"},\"geometry\":null}]}\n";
    assert_int_equal(read_all(gj, "geojson", 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.kind[0], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[0], "properties.date");

    assert_int_equal(
        read_all("{\"id\":\"J1\",\"date\":\"2020-03-05\\u0000junk\"}\n", "jsonl", 0, &r, NULL),
        TRUCE_OK);
    assert_int_equal(r.kind[0], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[0], "date");

    assert_null(trc_reader_text_problem("caf\xC3\xA9", 5));
    assert_string_equal(trc_reader_text_problem("a\0b", 3), "holds a NUL byte");
    assert_string_equal(trc_reader_text_problem("\xC0\x80", 2), "not UTF-8");
    assert_string_equal(trc_reader_text_problem("\xED\xB0\x80", 3), "not UTF-8"); /* \udc00 */
}

/* GeoJSON kept the last of a repeated key where JSON Lines (jansson)
 * refuses the row: both now reject it, in any object of the row. */
static void repeated_keys_rejected(void **state)
{
    (void)state;
    const char *text =
        "{\"type\":\"FeatureCollection\",\"features\":[\n"
        "{\"type\":\"Feature\",\"id\":\"K1\",\"properties\":{\"date\":\"2020-03-10\","
        "\"notes\":\"a\",\"notes\":\"b\"},\"geometry\":null},\n"
        "{\"type\":\"Feature\",\"id\":\"K2\",\"id\":\"K3\",\"properties\":{\"date\":"
        "\"2020-03-10\"},\"geometry\":null},\n"
        "{\"type\":\"Feature\",\"id\":\"K4\",\"properties\":{\"date\":\"2020-03-10\","
        "\"x\":{\"y\":1,\"y\":2}},\"geometry\":null},\n"
        "{\"type\":\"Feature\",\"id\":\"K5\",\"properties\":{\"date\":\"2020-03-10\","
        "\"x\":{\"y\":1},\"z\":[{\"y\":1},{\"y\":2}],\"notes\":\"n\"},\"geometry\":null}\n"
        "]}\n";
    rows r;
    assert_int_equal(read_all(text, "geojson", 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 4);
    const char *fields[] = {"properties.notes", "id", ""};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(r.kind[i], TRUCE_ROW_REJECT);
        assert_string_equal(r.field[i], fields[i]);
    }
    assert_int_equal(r.kind[3], TRUCE_ROW_EVENT); /* the same key in different objects */
    assert_int_equal(
        read_all("{\"id\":\"J1\",\"date\":\"2020-03-10\",\"x\":1,\"x\":2}\n", "jsonl", 0, &r, NULL),
        TRUCE_OK);
    assert_int_equal(r.kind[0], TRUCE_ROW_REJECT);
}

static void csv_time_precision(void **state)
{
    (void)state;
    const char *text = ACLED_HEADER "W,2020-03-05,2020,2,B,35,36,1,n,0\n"
                                    "M,2020-02-10,2020,3,B,35,36,1,n,0\n";
    rows r;
    assert_int_equal(read_all(text, "acled", 0, &r, NULL), TRUCE_OK);
    /* 2: the week centred on 5 March: 2 March 00:00 to 9 March 00:00 */
    assert_int_equal(r.start[0], 1583366400 - 3 * 86400);
    assert_int_equal(r.end[0], 1583366400 + 4 * 86400);
    /* 3: February 2020 (leap year) */
    assert_int_equal(r.start[1], 1580515200);
    assert_int_equal(r.end[1], 1580515200 + 29 * 86400);
}

static void csv_bad_quotes_cost_one_row(void **state)
{
    (void)state;
    const char *text = ACLED_HEADER "A1,2020-03-05,2020,1,B,35,36,1,say \"hi\" now,0\n"
                                    "A2,2020-03-05,2020,1,B,35,36,1,\"unclosed,0\n"
                                    "A3,2020-03-05,2020,1,B,35,36,1,\"quoted, fine\",0\n"
                                    "A4,2020-03-05,2020,1,B,35,36,1,\"open at the end,0\n";
    rows r;
    assert_int_equal(read_all(text, "acled", 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.kind[0], TRUCE_ROW_REJECT);
    assert_int_equal(r.line[0], 2);
    assert_int_equal(r.kind[1], TRUCE_ROW_REJECT);
    assert_int_equal(r.line[1], 3);
    assert_string_equal(r.raw[1], "A2,2020-03-05,2020,1,B,35,36,1,\"unclosed,0\n");
    assert_int_equal(r.kind[2], TRUCE_ROW_EVENT);
    assert_string_equal(r.id[2], "A3");
    assert_int_equal(r.line[2], 4);
    assert_int_equal(r.kind[3], TRUCE_ROW_REJECT);
    assert_int_equal(r.line[3], 5);
}

/* The id's hash is taken early to prefetch its slot (trc_reader_prefetch_id): a
 * row rejected after that must not lend its hash to the next row. */
static void csv_ids_after_a_late_reject(void **state)
{
    (void)state;
    const char *text = ACLED_HEADER "A1,2020-03-05,2020,1,B,95,36,1,n,0\n"
                                    "A2,2020-03-05,2020,1,B,35,36,1,n,0\n"
                                    "A1,2020-03-05,2020,1,B,35,36,1,n,0\n"
                                    "A2,2020-03-05,2020,1,B,35,36,1,n,0\n";
    rows r;
    assert_int_equal(read_all(text, "acled", 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.kind[0], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[0], "latitude");
    assert_int_equal(r.kind[1], TRUCE_ROW_EVENT);
    assert_int_equal(r.kind[2], TRUCE_ROW_EVENT);
    assert_string_equal(r.id[2], "A1");
    assert_int_equal(r.kind[3], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[3], "event_id_cnty");
}

/* trc_parse_coord's fast path for short decimals gives strtod's double, bit for
 * bit, and so do the long forms that still go to strtod. */
static void coord_matches_strtod(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252u;
    char s[64], why[128];
    for (int t = 0; t < 200000; t++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int n = (int)(x % 19) + 1, dot = (int)((x >> 8) % (unsigned)(n + 1)), k = 0;
        if (x >> 63)
            s[k++] = '-';
        uint64_t y = x;
        for (int i = 0; i < n; i++) {
            if (i == dot && i > 0)
                s[k++] = '.';
            y = y * 6364136223846793005u + 1442695040888963407u;
            s[k++] = (char)('0' + (y >> 33) % 10);
        }
        s[k] = '\0';
        double d;
        assert_int_equal(trc_parse_coord(s, -1e300, 1e300, &d, why, sizeof why), 0);
        double ref = strtod(s, NULL);
        assert_memory_equal(&d, &ref, sizeof d);
    }
    double d;
    assert_int_equal(trc_parse_coord("-0", -1, 1, &d, why, sizeof why), 0);
    assert_true(d == 0 && signbit(d));
    assert_int_equal(trc_parse_coord("+36.5", -180, 180, &d, why, sizeof why), 0);
    assert_true(d == 36.5);
    assert_int_equal(trc_parse_coord("180.0000001", -180, 180, &d, why, sizeof why), -1);
    assert_int_equal(trc_parse_coord(".5", -1, 1, &d, why, sizeof why), 0);
    assert_int_equal(trc_parse_coord("5.", -10, 10, &d, why, sizeof why), 0);
    assert_int_equal(trc_parse_coord(".", -1, 1, &d, why, sizeof why), -1);
}

static void csv_row_longer_than_cap(void **state)
{
    (void)state;
    char text[2048];
    char notes[600];
    memset(notes, 'x', sizeof notes - 1);
    notes[sizeof notes - 1] = '\0';
    snprintf(text, sizeof text,
             ACLED_HEADER
             "A1,2020-03-05,2020,1,B,35,36,1,%s,0\nA2,2020-03-05,2020,1,B,35,36,1,n,0\n",
             notes);
    rows r;
    assert_int_equal(read_all(text, "acled", 256, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.kind[0], TRUCE_ROW_REJECT);
    assert_int_equal(r.kind[1], TRUCE_ROW_EVENT);
    assert_int_equal(r.line[1], 3);
}

static void csv_field_checks(void **state)
{
    (void)state;
    const char *text = ACLED_HEADER "A1,2020-03-05,2019,1,B,35,36,1,n,0\n" /* year */
                                    "A2,2020-03-05,2020,1,B,35,,1,n,0\n"   /* one coordinate */
                                    "A3,2020-03-05,2020,1,B,,,,n,0\n"      /* no location */
                                    "A4,2020-03-05,2020,1,B,35,36,0,n,0\n" /* geo_precision */
                                    "A5,2020-03-05,2020,1,B,35,36,1,n,-1\n"
                                    "A6,2020-03-05,2020,1,B,35,36,1,n\n"
                                    "A7,2020-13-05,2020,1,B,35,36,1,n,0\n"
                                    "A8,2020-03-05,2020,1,B,0x1p4,36,1,n,0\n"
                                    "A9,2020-03-05,2020,1,B,35,36,1,caf\xC3\xA9 \xC0\xAF,0\n";
    rows r;
    assert_int_equal(read_all(text, "acled", 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 9);
    const char *fields[] = {"year", "longitude",  "",         "geo_precision", "fatalities",
                            "",     "event_date", "latitude", "notes"};
    for (int i = 0; i < 9; i++) {
        if (i == 2) {
            assert_int_equal(r.kind[i], TRUCE_ROW_EVENT);
            assert_int_equal(r.has_location[i], 0);
            continue;
        }
        assert_int_equal(r.kind[i], TRUCE_ROW_REJECT);
        assert_string_equal(r.field[i], fields[i]);
        assert_int_equal(r.line[i], i + 2);
    }
}

static void ucdp_variants(void **state)
{
    (void)state;
    static const char row[] =
        "244657,SYR-2020-1-1,2020,1,Clear,1,299,299,Syria: Government,1,1,d,1,1,Government of "
        "Syria,1,1,Syrian insurgents,2,art,,,head,,2,Ariha town,near Ariha,Idlib,Ariha,35.81374,"
        "36.60964,POINT (36.6 35.8),180474,Syria,652,Middle East,1,2,2020-03-05 00:00:00.000,"
        "2020-03-07,0,0,0,3,3,5,2,652,\n";
    rows r;
    assert_int_equal(read_all(row, NULL, 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.kind[0], TRUCE_ROW_EVENT);
    assert_string_equal(r.id[0], "244657");
    assert_int_equal(r.start[0], 1583366400); /* date_start .. date_end inclusive */
    assert_int_equal(r.end[0], 1583366400 + 3 * 86400);
    assert_true(r.radius[0] == 25000); /* where_prec 2 */
}

static void geojson_positions(void **state)
{
    (void)state;
    /* One line: every feature on line 1, each returned verbatim. */
    const char *text =
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"id\":1,\"geometry\":null,\"properties\":{\"date\":\"2020-03-05\"}}"
        ","
        "{\"type\":\"Feature\",\"id\":\"b\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
        "[[1,2],[3,4]]},\"properties\":{\"date\":\"2020-03-05\"}},"
        "{\"type\":\"Feature\",\"id\":\"c\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[36.6,"
        "35.8]},\"properties\":{\"start\":\"2020-03-05T22:00:00Z\",\"radius_m\":500,\"x\":{\"y\":[{"
        "}"
        "]}}}]}";
    rows r;
    assert_int_equal(read_all(text, NULL, 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.end_status, TRUCE_OK);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.kind[0], TRUCE_ROW_EVENT);
    assert_string_equal(r.id[0], "1");
    assert_int_equal(r.has_location[0], 0);
    assert_string_equal(r.raw[0], "{\"type\":\"Feature\",\"id\":1,\"geometry\":null,\"properties\":"
                                  "{\"date\":\"2020-03-05\"}}");
    assert_int_equal(r.kind[1], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[1], "geometry.type");
    assert_int_equal(r.kind[2], TRUCE_ROW_EVENT);
    assert_int_equal(r.start[2], 1583445600);
    assert_int_equal(r.end[2], 1583445601);
    assert_true(r.radius[2] == 500);
    for (int i = 0; i < 3; i++)
        assert_int_equal(r.line[i], 1);
}

static void geojson_broken_json(void **state)
{
    (void)state;
    const char *text = "{\"type\": \"FeatureCollection\", \"features\": [\n"
                       "{\"type\": \"Feature\", \"id\": \"a\", \"geometry\": null,\n"
                       "  \"properties\": {\"date\": \"2020-03-05\"}},\n"
                       "{\"type\": \"Feature\", \"id\": \"b\", \"geometry\": nul\n";
    rows r;
    assert_int_equal(read_all(text, "geojson", 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.kind[0], TRUCE_ROW_EVENT);
    assert_int_equal(r.line[0], 2);
    assert_int_equal(r.kind[1], TRUCE_ROW_REJECT); /* the feature cut short */
    assert_int_equal(r.line[1], 4);
    assert_int_equal(r.end_status, TRUCE_E_PARSE);
}

static void jsonl_rows(void **state)
{
    (void)state;
    const char *text = "{\"id\":\"a\",\"date\":\"2020-03-05\"}\n"
                       "\n"
                       "[1,2]\n"
                       "{\"id\":\"b\",\"start\":\"2020-03-05\",\"end\":\"2020-03-04\"}\n"
                       "{\"id\":\"c\",\"date\":\"2020-03-05\",\"lon\":36.6}\n"
                       "{\"id\":\"a\",\"date\":\"2020-03-05\"}\n"
                       "{\"id\":\"d\",\"start\":\"2020-03-05T00:00+02:00\",\"end\":\"2020-03-06\","
                       "\"lon\":36.6,\"lat\":35.8,\"fatalities\":3,\"fatalities_low\":4}\n";
    rows r;
    assert_int_equal(read_all(text, "jsonl", 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 6);
    assert_int_equal(r.kind[0], TRUCE_ROW_EVENT);
    assert_int_equal(r.kind[1], TRUCE_ROW_REJECT);
    assert_int_equal(r.line[1], 3);
    assert_string_equal(r.field[2], "end");
    assert_string_equal(r.field[3], "lat");
    assert_string_equal(r.field[4], "id"); /* repeated */
    assert_string_equal(r.field[5], "fatalities_low");
}

static void damascus_days(void **state)
{
    (void)state;
    truce_tz *tz;
    assert_int_equal(truce_tz_open("Asia/Damascus", &tz), TRUCE_OK);
    const char *text = ACLED_HEADER "A,2020-03-06,2020,1,B,35,36,1,n,0\n"
                                    "B,2020-03-27,2020,1,B,35,36,1,n,0\n";
    rows r;
    assert_int_equal(read_all(text, "acled", 0, &r, tz), TRUCE_OK);
    /* 6 March 2020 local (EET, UTC+2) is [5 March 22:00Z, 6 March 22:00Z) */
    assert_int_equal(r.start[0], 1583445600);
    assert_int_equal(r.end[0], 1583445600 + 86400);
    /* 27 March: summer time began at local midnight (2020-03-26T22:00Z), so
     * the day starts at the end of the gap and lasts 23 hours. */
    assert_int_equal(r.start[1], 1585260000);
    assert_int_equal(r.end[1], 1585260000 + 23 * 3600);
    truce_tz_free(tz);
}

/* The range of instants at every reader: an event's whole interval, its
 * exclusive end included, lies in 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z
 * (time.h).  Date-only days at both ends, in UTC, east (Tokyo) and west (New
 * York): 9999-12-31 used to end in year 0000, and 0001-01-01 in Tokyo to
 * start in year 0000. */
static void range_of_instants(void **state)
{
    (void)state;
    truce_tz *tokyo, *ny;
    assert_int_equal(truce_tz_open("Asia/Tokyo", &tokyo), TRUCE_OK);
    assert_int_equal(truce_tz_open("America/New_York", &ny), TRUCE_OK);
    const char *acled = ACLED_HEADER "A,0001-01-01,,1,B,35,36,1,n,0\n"
                                     "B,9999-12-30,,1,B,35,36,1,n,0\n"
                                     "C,9999-12-31,,1,B,35,36,1,n,0\n"
                                     "D,02-01-0001,,2,B,35,36,1,n,0\n";
    rows r;
    /* UTC */
    assert_int_equal(read_all(acled, "acled", 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.kind[0], TRUCE_ROW_EVENT);
    assert_int_equal(r.start[0], TRUCE_INSTANT_FIRST_S);
    assert_int_equal(r.kind[1], TRUCE_ROW_EVENT);
    assert_int_equal(r.end[1], TRUCE_INSTANT_LAST_S + 1 - 86400);
    assert_int_equal(r.kind[2], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[2], "event_date");
    assert_non_null(strstr(r.reason[2], "ends after 9999-12-31T23:59:59Z"));
    assert_int_equal(r.kind[3], TRUCE_ROW_REJECT); /* the week around 2 January 0001 */
    assert_non_null(strstr(r.reason[3], "starts before 0001-01-01T00:00:00Z"));
    /* East: the first day starts in year 0 of UTC, the last ends in range. */
    assert_int_equal(read_all(acled, "acled", 0, &r, tokyo), TRUCE_OK);
    assert_int_equal(r.kind[0], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[0], "event_date");
    assert_non_null(strstr(r.reason[0], "starts before"));
    assert_int_equal(r.kind[2], TRUCE_ROW_EVENT);
    assert_int_equal(r.end[2], TRUCE_INSTANT_LAST_S + 1 - 9 * 3600);
    /* West: the other way round. */
    assert_int_equal(read_all(acled, "acled", 0, &r, ny), TRUCE_OK);
    assert_int_equal(r.kind[0], TRUCE_ROW_EVENT);
    assert_int_equal(r.start[0], TRUCE_INSTANT_FIRST_S + 17762); /* LMT -04:56:02 */
    assert_int_equal(r.kind[2], TRUCE_ROW_REJECT);

    /* UCDP: the field at fault is the end that leaves the range. */
    static const char ucdp[] =
        "1,SYR-2020-1-1,2020,1,Clear,1,299,299,Syria: Government,1,1,d,1,1,Government of "
        "Syria,1,1,Syrian insurgents,2,art,,,head,,2,Ariha town,near Ariha,Idlib,Ariha,35.81374,"
        "36.60964,POINT (36.6 35.8),180474,Syria,652,Middle East,1,2,0001-01-01,"
        "0001-01-01,0,0,0,3,3,5,2,652,\n"
        "2,SYR-2020-1-1,2020,1,Clear,1,299,299,Syria: Government,1,1,d,1,1,Government of "
        "Syria,1,1,Syrian insurgents,2,art,,,head,,2,Ariha town,near Ariha,Idlib,Ariha,35.81374,"
        "36.60964,POINT (36.6 35.8),180474,Syria,652,Middle East,1,2,9999-12-30,"
        "9999-12-31,0,0,0,3,3,5,2,652,\n";
    assert_int_equal(read_all(ucdp, "ucdp", 0, &r, tokyo), TRUCE_OK);
    assert_int_equal(r.kind[0], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[0], "date_start");
    assert_int_equal(r.kind[1], TRUCE_ROW_EVENT);
    assert_int_equal(read_all(ucdp, "ucdp", 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.kind[0], TRUCE_ROW_EVENT);
    assert_int_equal(r.kind[1], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[1], "date_end");

    /* JSON Lines (GeoJSON shares the same fields): instants one second
     * either side of each end. */
    const char *jsonl = "{\"id\":\"a\",\"start\":\"9999-12-31T23:59:58Z\"}\n"
                        "{\"id\":\"b\",\"start\":\"9999-12-31T23:59:59Z\"}\n"
                        "{\"id\":\"c\",\"start\":\"0001-01-01T00:00:00Z\","
                        "\"end\":\"9999-12-31T23:59:59Z\"}\n"
                        "{\"id\":\"d\",\"date\":\"9999-12-31\"}\n"
                        "{\"id\":\"e\",\"start\":\"0001-01-01T00:30+01:00\"}\n"
                        "{\"id\":\"f\",\"start\":\"2020-01-01\",\"end\":\"9999-12-31\"}\n"
                        "{\"id\":\"g\",\"start\":\"0001-01-01T00:00\"}\n";
    assert_int_equal(read_all(jsonl, "jsonl", 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 7);
    assert_int_equal(r.kind[0], TRUCE_ROW_EVENT);
    assert_int_equal(r.end[0], TRUCE_INSTANT_LAST_S);
    assert_int_equal(r.kind[1], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[1], "start");
    assert_int_equal(r.kind[2], TRUCE_ROW_EVENT);
    assert_int_equal(r.start[2], TRUCE_INSTANT_FIRST_S);
    assert_int_equal(r.kind[3], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[3], "date");
    assert_int_equal(r.kind[4], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[4], "start");
    assert_non_null(strstr(r.reason[4], "outside the instants truce handles"));
    assert_int_equal(r.kind[5], TRUCE_ROW_REJECT);
    assert_string_equal(r.field[5], "end");
    assert_int_equal(r.kind[6], TRUCE_ROW_EVENT);
    assert_int_equal(read_all(jsonl, "jsonl", 0, &r, tokyo), TRUCE_OK);
    assert_int_equal(r.kind[6], TRUCE_ROW_REJECT); /* 00:00 in Tokyo is in year 0 of UTC */
    assert_int_equal(r.kind[3], TRUCE_ROW_EVENT);  /* and 9999-12-31 ends in range */
    truce_tz_free(tokyo);
    truce_tz_free(ny);
}

static void detection_and_errors(void **state)
{
    (void)state;
    rows r;
    assert_int_equal(read_all("hello\nworld\n", NULL, 0, &r, NULL), TRUCE_E_UNSUPPORTED);
    assert_int_equal(read_all(ACLED_HEADER, "nope", 0, &r, NULL), TRUCE_E_NOT_FOUND);
    assert_int_equal(read_all("event_id_cnty,event_date\n", "acled", 0, &r, NULL), TRUCE_E_INVALID);
    assert_int_equal(read_all(ACLED_HEADER, NULL, 0, &r, NULL), TRUCE_OK);
    assert_int_equal(r.n, 0);
}

static void field_parsers(void **state)
{
    (void)state;
    char why[128];
    int64_t d, v;
    int y;
    double x;
    assert_int_equal(trc_parse_date("2020-02-29", 0, 0, &d, &y, why, sizeof why), 0);
    assert_int_equal(trc_parse_date("2019-02-29", 0, 0, &d, &y, why, sizeof why), -1);
    assert_int_equal(trc_parse_date("5 March 2020", 1, 0, &d, &y, why, sizeof why), 0);
    assert_int_equal(d, 18326);
    assert_int_equal(trc_parse_date("5 March 2020", 0, 0, &d, &y, why, sizeof why), -1);
    assert_int_equal(trc_parse_date("05 Mar 2020", 1, 0, &d, &y, why, sizeof why), -1);
    assert_int_equal(trc_parse_date("2020-03-05 00:00:00.000", 0, 1, &d, &y, why, sizeof why), 0);
    assert_int_equal(trc_parse_date("2020-03-05 12:00:00", 0, 1, &d, &y, why, sizeof why), -1);
    assert_int_equal(trc_parse_int64("12", 0, 100, &v, why, sizeof why), 0);
    assert_int_equal(trc_parse_int64(" 12", 0, 100, &v, why, sizeof why), -1);
    assert_int_equal(trc_parse_int64("99999999999999999999", 0, INT64_MAX, &v, why, sizeof why),
                     -1);
    assert_int_equal(trc_parse_coord("-35.5", -90, 90, &x, why, sizeof why), 0);
    const char *bad[] = {"nan", "inf", " 35", "35 ", "", "1e", ".", "0x10", "+"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(trc_parse_coord(bad[i], -90, 90, &x, why, sizeof why), -1);
    assert_true(truce_utf8_valid("caf\xC3\xA9", 5));
    assert_false(truce_utf8_valid("\xC0\xAF", 2));         /* overlong */
    assert_false(truce_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(truce_utf8_valid("\xF4\x90\x80\x80", 4)); /* past U+10FFFF */
    assert_false(truce_utf8_valid("\xE2\x82", 2));         /* cut short */
    /* The eight-bytes-at-a-time ASCII path: a bad or good sequence at every
     * offset around the word boundaries, and cut by the length. */
    for (size_t at = 0; at < 24; at++) {
        char buf[40];
        memset(buf, 'a', sizeof buf);
        memcpy(buf + at, "\xC3\xA9", 2);
        assert_true(truce_utf8_valid(buf, sizeof buf));
        assert_false(truce_utf8_valid(buf, at + 1));
        buf[at] = '\x80';
        assert_false(truce_utf8_valid(buf, sizeof buf));
        assert_true(truce_utf8_valid(buf, at));
    }
}

static void id_set(void **state)
{
    (void)state;
    truce_idset s;
    trc_idset_init(&s);
    char id[32];
    long first;
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(id, sizeof id, "SYR%d", i);
        assert_int_equal(trc_idset_add(&s, id, (size_t)n, i + 2, &first), TRUCE_OK);
        assert_int_equal(first, 0);
    }
    assert_int_equal(trc_idset_add(&s, "SYR4242", 7, 999999, &first), TRUCE_OK);
    assert_int_equal(first, 4244);
    assert_int_equal(s.count, 100000);
    trc_idset_release(&s);
}

static void precision_table(void **state)
{
    (void)state;
    char path[] = "/tmp/truce-prec-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\"ucdp\": {\"7\": 1e6}}", f);
    fclose(f);
    truce_precision_table t;
    truce_precision_table_default(&t);
    truce_diags d;
    truce_diags_init(&d);
    assert_int_equal(truce_precision_table_load(path, &t, &d), TRUCE_OK);
    assert_true(t.ucdp_m[7] == 1e6 && t.acled_m[1] == 2000);
    f = fopen(path, "w");
    fputs("{\"ucdp\": {\"8\": 1}, \"other\": {}}", f);
    fclose(f);
    assert_int_equal(truce_precision_table_load(path, &t, &d), TRUCE_E_INVALID);
    assert_int_equal(d.errors, 2);
    truce_diags_release(&d);
    remove(path);
}

/* Open `text` with `format` and keep the diagnostics. */
static truce_status open_diags(const char *text, const char *format, truce_diags *d)
{
    FILE *f = fmemopen((void *)(uintptr_t)text, strlen(text), "rb");
    assert_non_null(f);
    truce_reader_options opt;
    truce_reader_options_init(&opt);
    opt.format = format;
    truce_reader *r = NULL;
    truce_status st = truce_reader_open(f, "h.csv", &opt, &r, d);
    if (st == TRUCE_OK)
        truce_reader_free(r);
    fclose(f);
    return st;
}

static void expect_diag(const truce_diags *d, size_t i, long line, const char *key,
                        const char *message)
{
    assert_true(i < d->count);
    const truce_diag *g = &d->items[i];
    assert_int_equal(g->level, TRUCE_DIAG_ERROR);
    assert_string_equal(g->file, "h.csv");
    assert_int_equal(g->line, line);
    assert_null(g->item);
    if (key)
        assert_string_equal(g->key, key);
    else
        assert_null(g->key);
    assert_string_equal(g->message, message);
}

/* What a CSV header that cannot be read is told: every required column it
 * lacks, in the reader's order, at the header's line (blank lines before it
 * counted); a header too wide to read; each with TRUCE_E_INVALID. */
static void csv_header_diagnostics(void **state)
{
    (void)state;
    truce_diags d;
    truce_diags_init(&d);
    assert_int_equal(open_diags("\n\nevent_id_cnty,EVENT_DATE,notes\n", "acled", &d),
                     TRUCE_E_INVALID);
    assert_int_equal(d.count, 5);
    const char *acled_missing[] = {"time_precision", "latitude", "longitude", "geo_precision",
                                   "fatalities"};
    char msg[128];
    for (size_t i = 0; i < 5; i++) {
        snprintf(msg, sizeof msg, "the ACLED header has no column \"%s\"", acled_missing[i]);
        expect_diag(&d, i, 3, acled_missing[i], msg);
    }
    truce_diags_release(&d);

    truce_diags_init(&d);
    assert_int_equal(open_diags("id,type_of_violence,where_prec,latitude,longitude,date_prec,"
                                "best,high,low\n1,1,1,1,1,1,1,1,1\n",
                                "ucdp", &d),
                     TRUCE_E_INVALID);
    assert_int_equal(d.count, 2);
    expect_diag(&d, 0, 1, "date_start", "the UCDP GED header has no column \"date_start\"");
    expect_diag(&d, 1, 1, "date_end", "the UCDP GED header has no column \"date_end\"");
    truce_diags_release(&d);

    /* A column named twice used to read the first silently. */
    truce_diags_init(&d);
    assert_int_equal(open_diags("event_id_cnty,event_date,time_precision,latitude,longitude,"
                                "geo_precision,fatalities,Latitude\n",
                                "acled", &d),
                     TRUCE_E_INVALID);
    assert_int_equal(d.count, 1);
    expect_diag(&d, 0, 1, "latitude",
                "the ACLED header has column \"latitude\" twice (columns 4 and 8)");
    truce_diags_release(&d);
    /* A column name holding a NUL ("event_date<NUL>x" matched event_date). */
    static const char nul_header[] = "event_id_cnty,event_date\0x,time_precision,latitude,"
                                     "longitude,geo_precision,fatalities\n";
    FILE *f = fmemopen((void *)(uintptr_t)nul_header, sizeof nul_header - 1, "rb");
    assert_non_null(f);
    truce_reader_options opt;
    truce_reader_options_init(&opt);
    opt.format = "acled";
    truce_reader *rd = NULL;
    truce_diags_init(&d);
    assert_int_equal(truce_reader_open(f, "h.csv", &opt, &rd, &d), TRUCE_E_INVALID);
    expect_diag(&d, 0, 1, NULL, "column 2 of the header holds a NUL byte");
    truce_diags_release(&d);
    fclose(f);

    /* 257 columns, the required ones among them: the width alone fails. */
    char wide[4096];
    size_t n = (size_t)snprintf(wide, sizeof wide, "%s", ACLED_HEADER);
    wide[n - 1] = '\0';
    n--;
    for (int i = 10; i < 257; i++)
        n += (size_t)snprintf(wide + n, sizeof wide - n, ",x%d", i);
    snprintf(wide + n, sizeof wide - n, "\n");
    truce_diags_init(&d);
    assert_int_equal(open_diags(wide, "acled", &d), TRUCE_E_INVALID);
    assert_int_equal(d.count, 1);
    expect_diag(&d, 0, 1, NULL, "the header has 257 columns; at most 256 are read");
    truce_diags_release(&d);
    char ucdp_wide[4096];
    snprintf(ucdp_wide, sizeof ucdp_wide, "where_prec,type_of_violence%s", strchr(wide, ','));
    truce_diags_init(&d);
    assert_int_equal(open_diags(ucdp_wide, "ucdp", &d), TRUCE_E_INVALID);
    assert_int_equal(d.count, 1);
    expect_diag(&d, 0, 1, NULL, "the header has 258 columns; at most 256 are read");
    truce_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_physical_lines),
        cmocka_unit_test(csv_cr_line_ends),
        cmocka_unit_test(nul_bytes_are_rejected),
        cmocka_unit_test(repeated_keys_rejected),
        cmocka_unit_test(csv_time_precision),
        cmocka_unit_test(csv_bad_quotes_cost_one_row),
        cmocka_unit_test(csv_ids_after_a_late_reject),
        cmocka_unit_test(coord_matches_strtod),
        cmocka_unit_test(csv_row_longer_than_cap),
        cmocka_unit_test(csv_field_checks),
        cmocka_unit_test(ucdp_variants),
        cmocka_unit_test(geojson_positions),
        cmocka_unit_test(geojson_broken_json),
        cmocka_unit_test(jsonl_rows),
        cmocka_unit_test(damascus_days),
        cmocka_unit_test(range_of_instants),
        cmocka_unit_test(detection_and_errors),
        cmocka_unit_test(csv_header_diagnostics),
        cmocka_unit_test(field_parsers),
        cmocka_unit_test(id_set),
        cmocka_unit_test(precision_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
