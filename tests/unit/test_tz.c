/* Time zones: TZif reading, the POSIX footer, local-time gaps and overlaps.
 *
 * Expected values come from the system tz database as shown by
 * `zdump -v ZONE` (tzdata 2025b on Debian 12) and, for Asia/Damascus, from
 * /work/shared/data/asia_damascus_transitions_2019_2023.csv (copied below). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "truce/time.h"
#include "truce/tz.h"

/* ---- helpers ---------------------------------------------------------- */

static int64_t utc(const char *iso)
{
    truce_time_value v;
    assert_int_equal(truce_time_parse(iso, &v), TRUCE_OK);
    return truce_civil_to_utc(&v.civil) - v.offset_s;
}

static truce_civil civil(const char *iso)
{
    truce_time_value v;
    assert_int_equal(truce_time_parse(iso, &v), TRUCE_OK);
    return v.civil;
}

static truce_tz *open_zone(const char *name)
{
    truce_tz *tz = NULL;
    assert_int_equal(truce_tz_open(name, &tz), TRUCE_OK);
    assert_non_null(tz);
    return tz;
}

/* Offset, DST flag and abbreviation at an instant written in ISO form. */
static void expect_offset(const truce_tz *tz, const char *iso, int32_t offset_s, int is_dst,
                          const char *abbrev)
{
    int32_t off = -1;
    int dst = -1;
    const char *ab = NULL;
    truce_tz_offset_at(tz, utc(iso), &off, &dst, &ab);
    if (off != offset_s || dst != is_dst || strcmp(ab, abbrev) != 0)
        fail_msg("%s at %s: got %d %d %s, want %d %d %s", truce_tz_name(tz), iso, (int)off, dst, ab,
                 (int)offset_s, is_dst, abbrev);
}

/* local_to_utc of `local` gives status, kind and instant `want`. */
static void expect_local(const truce_tz *tz, const char *local, truce_status status,
                         truce_local_kind kind, const char *want)
{
    truce_civil c = civil(local);
    int64_t got = 0;
    truce_local_kind k = (truce_local_kind)-1;
    truce_status st = truce_tz_local_to_utc(tz, &c, &got, &k);
    char buf[21];
    truce_time_format_utc(got, buf);
    if (st != status || k != kind || got != utc(want))
        fail_msg("%s local %s: got status %d kind %d %s, want %d %d %s", truce_tz_name(tz), local,
                 (int)st, (int)k, buf, (int)status, (int)kind, want);
}

static void write_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

typedef struct synth_type {
    int32_t utoff_s;
    uint8_t is_dst, abbr_index;
} synth_type;

/* Write a TZif file: version 0 (v1 block only) or '2'/'3' (both blocks and
 * the footer).  Returns its length. */
static size_t synth_tzif(uint8_t *buf, size_t cap, char version, const int64_t *times,
                         const uint8_t *idx, uint32_t ntimes, const synth_type *types,
                         uint32_t ntypes, const char *chars, uint32_t nchars, const char *footer)
{
    size_t n = 0;
    for (int block = 0; block < (version ? 2 : 1); block++) {
        unsigned tsize = block ? 8 : 4;
        assert_true(n + 44 + ntimes * (tsize + 1) + ntypes * 6 + nchars < cap);
        memset(buf + n, 0, 44);
        memcpy(buf + n, "TZif", 4);
        buf[n + 4] = (uint8_t)version;
        write_be32(buf + n + 32, ntimes);
        write_be32(buf + n + 36, ntypes);
        write_be32(buf + n + 40, nchars);
        n += 44;
        for (uint32_t i = 0; i < ntimes; i++) {
            if (tsize == 8) {
                write_be32(buf + n, (uint32_t)((uint64_t)times[i] >> 32));
                write_be32(buf + n + 4, (uint32_t)times[i]);
            } else {
                write_be32(buf + n, (uint32_t)times[i]);
            }
            n += tsize;
        }
        for (uint32_t i = 0; i < ntimes; i++)
            buf[n++] = idx[i];
        for (uint32_t i = 0; i < ntypes; i++) {
            write_be32(buf + n, (uint32_t)types[i].utoff_s);
            buf[n + 4] = types[i].is_dst;
            buf[n + 5] = types[i].abbr_index;
            n += 6;
        }
        memcpy(buf + n, chars, nchars);
        n += nchars;
    }
    if (version) {
        size_t flen = strlen(footer);
        assert_true(n + flen + 2 <= cap);
        buf[n++] = '\n';
        memcpy(buf + n, footer, flen);
        n += flen;
        buf[n++] = '\n';
    }
    return n;
}

/* A version 2 zone with no transitions: the footer governs every instant. */
static truce_status footer_zone(const char *footer, truce_tz **out)
{
    uint8_t buf[512];
    const synth_type t = {0, 0, 0};
    size_t n = synth_tzif(buf, sizeof buf, '2', NULL, NULL, 0, &t, 1, "XXX", 4, footer);
    return truce_tz_from_tzif(footer, buf, n, out);
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

/* ---- Asia/Damascus ---------------------------------------------------- */

static void damascus_known_instants(void **state)
{
    (void)state;
    truce_tz *tz = open_zone("Asia/Damascus");
    assert_string_equal(truce_tz_name(tz), "Asia/Damascus");
    expect_local(tz, "2020-03-06T00:00", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2020-03-05T22:00:00Z");
    expect_offset(tz, "2020-03-05T22:00:00Z", 7200, 0, "EET");
    expect_local(tz, "2020-07-14T00:00", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2020-07-13T21:00:00Z");
    expect_offset(tz, "2020-07-13T21:00:00Z", 10800, 1, "EEST");
    /* `kind` and the out-pointers of offset_at may be NULL. */
    truce_civil c = civil("2020-03-06T00:00");
    int64_t t;
    assert_int_equal(truce_tz_local_to_utc(tz, &c, &t, NULL), TRUCE_OK);
    assert_int_equal(t, 1583445600);
    truce_tz_offset_at(tz, t, NULL, NULL, NULL);
    truce_tz_free(tz);
}

/* Every change in the shared CSV: the offset after it, and one second before
 * it the offset before it. */
static void damascus_csv_transitions(void **state)
{
    (void)state;
    static const struct {
        const char *at, *local_after, *abbrev;
        int32_t offset_s;
        int is_dst;
    } rows[] = {
        {"2019-03-28T22:00:00Z", "2019-03-29T01:00:00", "EEST", 10800, 1},
        {"2019-10-24T21:00:00Z", "2019-10-24T23:00:00", "EET", 7200, 0},
        {"2020-03-26T22:00:00Z", "2020-03-27T01:00:00", "EEST", 10800, 1},
        {"2020-10-29T21:00:00Z", "2020-10-29T23:00:00", "EET", 7200, 0},
        {"2021-03-25T22:00:00Z", "2021-03-26T01:00:00", "EEST", 10800, 1},
        {"2021-10-28T21:00:00Z", "2021-10-28T23:00:00", "EET", 7200, 0},
        {"2022-03-24T22:00:00Z", "2022-03-25T01:00:00", "EEST", 10800, 1},
        {"2022-10-27T21:00:00Z", "2022-10-28T00:00:00", "+03", 10800, 0},
    };
    truce_tz *tz = open_zone("Asia/Damascus");
    int32_t prev = 7200; /* EET before 2019-03-28 */
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        expect_offset(tz, rows[i].at, rows[i].offset_s, rows[i].is_dst, rows[i].abbrev);
        int32_t before;
        truce_tz_offset_at(tz, utc(rows[i].at) - 1, &before, NULL, NULL);
        assert_int_equal(before, prev);
        truce_civil got, want = civil(rows[i].local_after);
        truce_tz_utc_to_local(tz, utc(rows[i].at), &got);
        assert_memory_equal(&got, &want, sizeof got);
        prev = rows[i].offset_s;
    }
    truce_tz_free(tz);
}

/* 2020-03-27: clocks went from 00:00 straight to 01:00 local. */
static void damascus_spring_gap(void **state)
{
    (void)state;
    truce_tz *tz = open_zone("Asia/Damascus");
    const char *gap = "2020-03-26T22:00:00Z";
    expect_local(tz, "2020-03-26T23:59:59", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2020-03-26T21:59:59Z");
    expect_local(tz, "2020-03-27T00:00", TRUCE_E_TIME_GAP, TRUCE_LOCAL_GAP, gap);
    expect_local(tz, "2020-03-27T00:30", TRUCE_E_TIME_GAP, TRUCE_LOCAL_GAP, gap);
    expect_local(tz, "2020-03-27T00:59:59", TRUCE_E_TIME_GAP, TRUCE_LOCAL_GAP, gap);
    expect_local(tz, "2020-03-27T01:00", TRUCE_OK, TRUCE_LOCAL_UNIQUE, gap);
    truce_tz_free(tz);
}

/* 2020-10-29: clocks went back from 24:00 EEST to 23:00 EET, so 23:00-23:59:59
 * happened twice; the earlier (EEST) reading is the answer. */
static void damascus_fall_back(void **state)
{
    (void)state;
    truce_tz *tz = open_zone("Asia/Damascus");
    expect_local(tz, "2020-10-29T22:59:59", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2020-10-29T19:59:59Z");
    expect_local(tz, "2020-10-29T23:00", TRUCE_OK, TRUCE_LOCAL_AMBIGUOUS, "2020-10-29T20:00:00Z");
    expect_local(tz, "2020-10-29T23:30", TRUCE_OK, TRUCE_LOCAL_AMBIGUOUS, "2020-10-29T20:30:00Z");
    expect_local(tz, "2020-10-29T23:59:59", TRUCE_OK, TRUCE_LOCAL_AMBIGUOUS,
                 "2020-10-29T20:59:59Z");
    expect_local(tz, "2020-10-30T00:00", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2020-10-29T22:00:00Z");
    truce_tz_free(tz);
}

/* On 2022-10-28 Syria stayed on UTC+3 for good: the change from EEST to +03
 * keeps the offset, so no wall time is skipped or repeated. */
static void damascus_after_2022(void **state)
{
    (void)state;
    truce_tz *tz = open_zone("Asia/Damascus");
    expect_local(tz, "2022-10-28T00:00", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2022-10-27T21:00:00Z");
    expect_local(tz, "2022-10-27T23:30", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2022-10-27T20:30:00Z");
    const char *when[] = {"2022-10-27T21:00:00Z", "2023-01-15T12:00:00Z", "2023-03-31T00:00:00Z",
                          "2023-07-15T12:00:00Z", "2023-10-27T21:00:00Z", "2030-01-01T00:00:00Z",
                          "2045-07-01T00:00:00Z", "2200-03-30T00:00:00Z"};
    for (size_t i = 0; i < sizeof when / sizeof *when; i++)
        expect_offset(tz, when[i], 10800, 0, "+03");
    truce_tz_free(tz);
}

/* utc_to_local then local_to_utc for every hour of 2019-2021: the instant
 * comes back, except in the three repeated hours where the earlier reading
 * (one hour before) is returned; never a gap. */
static void damascus_round_trip_hourly(void **state)
{
    (void)state;
    truce_tz *tz = open_zone("Asia/Damascus");
    int ambiguous = 0;
    for (int64_t t = utc("2019-01-01T00:00:00Z"); t < utc("2022-01-01T00:00:00Z"); t += 3600) {
        truce_civil c;
        truce_tz_utc_to_local(tz, t, &c);
        int64_t back = 0;
        truce_local_kind kind;
        assert_int_equal(truce_tz_local_to_utc(tz, &c, &back, &kind), TRUCE_OK);
        if (kind == TRUCE_LOCAL_UNIQUE) {
            assert_int_equal(back, t);
        } else {
            assert_int_equal(kind, TRUCE_LOCAL_AMBIGUOUS);
            assert_true(back == t || back == t - 3600);
            assert_int_equal(c.hour, 23);
            ambiguous++;
        }
    }
    /* Each of the three fall-back hours is reached from two instants. */
    assert_int_equal(ambiguous, 6);
    truce_tz_free(tz);
}

/* ---- other zones ------------------------------------------------------ */

/* 2045 is past every transition in the file: the footer
 * "CET-1CEST,M3.5.0,M10.5.0/3" decides. */
static void berlin_2045_footer(void **state)
{
    (void)state;
    truce_tz *tz = open_zone("Europe/Berlin");
    expect_offset(tz, "2045-01-15T12:00:00Z", 3600, 0, "CET");
    expect_offset(tz, "2045-03-26T00:59:59Z", 3600, 0, "CET");
    expect_offset(tz, "2045-03-26T01:00:00Z", 7200, 1, "CEST");
    expect_offset(tz, "2045-07-15T12:00:00Z", 7200, 1, "CEST");
    expect_offset(tz, "2045-10-29T00:59:59Z", 7200, 1, "CEST");
    expect_offset(tz, "2045-10-29T01:00:00Z", 3600, 0, "CET");
    expect_local(tz, "2045-03-26T02:30", TRUCE_E_TIME_GAP, TRUCE_LOCAL_GAP, "2045-03-26T01:00:00Z");
    expect_local(tz, "2045-10-29T02:30", TRUCE_OK, TRUCE_LOCAL_AMBIGUOUS, "2045-10-29T00:30:00Z");
    expect_local(tz, "2045-07-15T14:00", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2045-07-15T12:00:00Z");
    /* Far future: the 400-year cycle (2445-03-26 is also the last Sunday). */
    expect_offset(tz, "2445-03-26T01:00:00Z", 7200, 1, "CEST");
    expect_offset(tz, "9999-12-31T23:59:59Z", 3600, 0, "CET");
    int32_t off;
    truce_tz_offset_at(tz, INT64_MAX, &off, NULL, NULL);
    truce_tz_offset_at(tz, INT64_MIN, &off, NULL, NULL);
    /* Regression: the fuzzer's first run found utc_to_local(INT64_MIN)
     * overflowing inside truce_civil_from_utc (UBSan); now clamped. */
    truce_civil c;
    truce_tz_utc_to_local(tz, INT64_MAX, &c);
    assert_true(c.year > 9999);
    truce_tz_utc_to_local(tz, INT64_MIN, &c);
    assert_true(c.year < 1);
    truce_tz_utc_to_local(tz, INT64_MIN + 3600, &c);
    truce_tz_free(tz);
}

/* Brazil: DST began at midnight (so 00:00 did not exist) until 2019. */
static void sao_paulo(void **state)
{
    (void)state;
    truce_tz *tz = open_zone("America/Sao_Paulo");
    expect_offset(tz, "2018-11-04T02:59:59Z", -10800, 0, "-03");
    expect_offset(tz, "2018-11-04T03:00:00Z", -7200, 1, "-02");
    expect_local(tz, "2018-11-04T00:00", TRUCE_E_TIME_GAP, TRUCE_LOCAL_GAP, "2018-11-04T03:00:00Z");
    expect_local(tz, "2019-02-16T23:30", TRUCE_OK, TRUCE_LOCAL_AMBIGUOUS, "2019-02-17T01:30:00Z");
    expect_offset(tz, "2025-01-15T12:00:00Z", -10800, 0, "-03");
    expect_offset(tz, "2050-01-15T12:00:00Z", -10800, 0, "-03");
    truce_tz_free(tz);
}

/* Lord Howe moves its clocks by 30 minutes. */
static void lord_howe(void **state)
{
    (void)state;
    truce_tz *tz = open_zone("Australia/Lord_Howe");
    expect_offset(tz, "2021-10-02T15:29:59Z", 37800, 0, "+1030");
    expect_offset(tz, "2021-10-02T15:30:00Z", 39600, 1, "+11");
    expect_local(tz, "2021-10-03T02:00", TRUCE_E_TIME_GAP, TRUCE_LOCAL_GAP, "2021-10-02T15:30:00Z");
    expect_local(tz, "2021-10-03T02:29:59", TRUCE_E_TIME_GAP, TRUCE_LOCAL_GAP,
                 "2021-10-02T15:30:00Z");
    expect_local(tz, "2021-10-03T02:30", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2021-10-02T15:30:00Z");
    expect_local(tz, "2022-04-03T01:30", TRUCE_OK, TRUCE_LOCAL_AMBIGUOUS, "2022-04-02T14:30:00Z");
    expect_local(tz, "2022-04-03T01:59:59", TRUCE_OK, TRUCE_LOCAL_AMBIGUOUS,
                 "2022-04-02T14:59:59Z");
    expect_local(tz, "2022-04-03T02:00", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2022-04-02T15:30:00Z");
    expect_offset(tz, "2045-10-01T00:00:00Z", 39600, 1, "+11"); /* footer */
    truce_tz_free(tz);
}

/* Chatham: UTC+12:45 / +13:45, changing at 02:45 local standard time. */
static void chatham(void **state)
{
    (void)state;
    truce_tz *tz = open_zone("Pacific/Chatham");
    expect_offset(tz, "2045-04-01T13:59:59Z", 49500, 1, "+1345");
    expect_offset(tz, "2045-04-01T14:00:00Z", 45900, 0, "+1245");
    expect_offset(tz, "2045-09-23T14:00:00Z", 49500, 1, "+1345");
    expect_local(tz, "2045-09-24T02:45", TRUCE_E_TIME_GAP, TRUCE_LOCAL_GAP, "2045-09-23T14:00:00Z");
    expect_local(tz, "2045-04-02T03:00", TRUCE_OK, TRUCE_LOCAL_AMBIGUOUS, "2045-04-01T13:15:00Z");
    expect_local(tz, "2020-06-01T12:00", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2020-05-31T23:15:00Z");
    truce_tz_free(tz);
}

static void utc_and_etc(void **state)
{
    (void)state;
    truce_tz *tz = open_zone("UTC");
    expect_offset(tz, "2020-03-06T00:00:00Z", 0, 0, "UTC");
    expect_local(tz, "2020-03-06T00:00", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2020-03-06T00:00:00Z");
    truce_tz_free(tz);
    tz = open_zone("Etc/GMT+5"); /* POSIX sign: five hours WEST */
    expect_offset(tz, "2020-03-06T00:00:00Z", -18000, 0, "-05");
    expect_offset(tz, "1900-01-01T00:00:00Z", -18000, 0, "-05");
    expect_local(tz, "2020-03-06T00:00", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2020-03-06T05:00:00Z");
    truce_tz_free(tz);
}

static void unknown_names(void **state)
{
    (void)state;
    const char *bad[] = {"Mars/Olympus",
                         "../etc/passwd",
                         "/etc/localtime",
                         "",
                         "Asia",
                         "Asia/",
                         "Asia//Damascus",
                         "Asia/Damascus/",
                         "Asia/../Asia/Damascus",
                         "./UTC",
                         "zone.tab",
                         "leapseconds",
                         "Asia/Damascus\n",
                         "Asia/Dam ascus",
                         "Europe/Berlin.",
                         "UTC\\"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        truce_tz *tz = (truce_tz *)&tz; /* must be overwritten with NULL */
        if (truce_tz_open(bad[i], &tz) != TRUCE_E_TZ_UNKNOWN)
            fail_msg("\"%s\" should be an unknown zone", bad[i]);
        assert_null(tz);
    }
    char longname[400];
    memset(longname, 'A', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    truce_tz *tz = NULL;
    assert_int_equal(truce_tz_open(longname, &tz), TRUCE_E_TZ_UNKNOWN);
    assert_int_equal(truce_tz_open(NULL, &tz), TRUCE_E_ARG);
    assert_int_equal(truce_tz_open("UTC", NULL), TRUCE_E_ARG);
    truce_tz_free(NULL);
}

static void right_zones_unsupported(void **state)
{
    (void)state;
    truce_tz *tz = NULL;
    truce_status st = truce_tz_open("right/UTC", &tz);
    if (st == TRUCE_E_TZ_UNKNOWN)
        skip(); /* the system has no leap-second zones */
    assert_int_equal(st, TRUCE_E_UNSUPPORTED);
    assert_null(tz);
}

/* $TZDIR is honoured; inside it a file without the TZif magic is no zone,
 * and a damaged TZif file is a parse error. */
static void tzdir_and_damaged_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/truce_tz_XXXXXX";
    assert_non_null(mkdtemp(dir));
    size_t len;
    uint8_t *damascus = slurp("/usr/share/zoneinfo/Asia/Damascus", &len);
    char path[128];
    const struct {
        const char *name;
        size_t len;
        const char *text;
        truce_status want;
    } files[] = {
        {"Good", len, NULL, TRUCE_OK},
        {"Half", len / 2, NULL, TRUCE_E_PARSE},
        {"NoFooterEnd", len - 1, NULL, TRUCE_E_PARSE},
        {"Text", 0, "not a zone\n", TRUCE_E_TZ_UNKNOWN},
        {"Empty", 0, "", TRUCE_E_TZ_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        if (files[i].text)
            fputs(files[i].text, f);
        else
            fwrite(damascus, 1, files[i].len, f);
        fclose(f);
    }
    const char *saved = getenv("TZDIR");
    char *saved_copy = saved ? strdup(saved) : NULL;
    assert_int_equal(setenv("TZDIR", dir, 1), 0);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        truce_tz *tz = NULL;
        truce_status st = truce_tz_open(files[i].name, &tz);
        if (st != files[i].want)
            fail_msg("TZDIR file %s: got %d want %d", files[i].name, (int)st, (int)files[i].want);
        if (st == TRUCE_OK)
            expect_offset(tz, "2020-03-05T22:00:00Z", 7200, 0, "EET");
        truce_tz_free(tz);
    }
    truce_tz *tz = NULL;
    assert_int_equal(truce_tz_open("Asia/Damascus", &tz), TRUCE_E_TZ_UNKNOWN);
    if (saved_copy)
        setenv("TZDIR", saved_copy, 1);
    else
        unsetenv("TZDIR");
    free(saved_copy);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        unlink(path);
    }
    rmdir(dir);
    free(damascus);
}

/* Every proper prefix of a real file is rejected, and single corrupted
 * bytes never crash (ASan checks the reads). */
static void truncated_and_corrupted(void **state)
{
    (void)state;
    size_t len;
    uint8_t *data = slurp("/usr/share/zoneinfo/Europe/Berlin", &len);
    for (size_t n = 0; n < len; n++) {
        uint8_t *copy = malloc(n ? n : 1); /* exact size: ASan sees overreads */
        assert_non_null(copy);
        memcpy(copy, data, n);
        truce_tz *tz = NULL;
        if (truce_tz_from_tzif("x", copy, n, &tz) != TRUCE_E_PARSE)
            fail_msg("prefix of %zu bytes was not rejected", n);
        free(copy);
    }
    for (size_t i = 0; i < len; i++) {
        uint8_t saved = data[i];
        data[i] ^= 0xA5;
        truce_tz *tz = NULL;
        if (truce_tz_from_tzif("x", data, len, &tz) == TRUCE_OK) {
            int32_t off;
            truce_tz_offset_at(tz, utc("2045-07-01T00:00:00Z"), &off, NULL, NULL);
            truce_civil c = civil("2020-03-29T02:30");
            int64_t t;
            truce_tz_local_to_utc(tz, &c, &t, NULL);
            truce_tz_free(tz);
        }
        data[i] = saved;
    }
    free(data);
}

/* ---- synthetic files: the footer forms and RFC 8536 corner cases -------- */

static void footer_forms(void **state)
{
    (void)state;
    truce_tz *tz;
    /* Quoted names, no DST. */
    assert_int_equal(footer_zone("<+03>-3", &tz), TRUCE_OK);
    expect_offset(tz, "2030-06-01T00:00:00Z", 10800, 0, "+03");
    truce_tz_free(tz);
    /* US rules, no table at all. */
    assert_int_equal(footer_zone("EST5EDT,M3.2.0,M11.1.0", &tz), TRUCE_OK);
    expect_offset(tz, "2030-03-10T06:59:59Z", -18000, 0, "EST");
    expect_offset(tz, "2030-03-10T07:00:00Z", -14400, 1, "EDT");
    expect_offset(tz, "2030-11-03T05:59:59Z", -14400, 1, "EDT");
    expect_offset(tz, "2030-11-03T06:00:00Z", -18000, 0, "EST");
    expect_offset(tz, "1950-07-01T00:00:00Z", -14400, 1, "EDT");
    expect_local(tz, "2030-03-10T02:30", TRUCE_E_TIME_GAP, TRUCE_LOCAL_GAP, "2030-03-10T07:00:00Z");
    truce_tz_free(tz);
    /* Jn never counts Feb 29: J60 is 1 March in every year. */
    assert_int_equal(footer_zone("AAA0BBB-1,J60/0,J300/0", &tz), TRUCE_OK);
    expect_offset(tz, "2024-02-29T23:59:59Z", 0, 0, "AAA");
    expect_offset(tz, "2024-03-01T00:00:00Z", 3600, 1, "BBB");
    expect_offset(tz, "2023-02-28T23:59:59Z", 0, 0, "AAA");
    expect_offset(tz, "2023-03-01T00:00:00Z", 3600, 1, "BBB");
    truce_tz_free(tz);
    /* n is zero-based and counts Feb 29: day 59 is 29 Feb in a leap year. */
    assert_int_equal(footer_zone("AAA0BBB-1,59/0,300/0", &tz), TRUCE_OK);
    expect_offset(tz, "2024-02-28T23:59:59Z", 0, 0, "AAA");
    expect_offset(tz, "2024-02-29T00:00:00Z", 3600, 1, "BBB");
    expect_offset(tz, "2023-02-28T23:59:59Z", 0, 0, "AAA");
    expect_offset(tz, "2023-03-01T00:00:00Z", 3600, 1, "BBB");
    truce_tz_free(tz);
    /* Negative rule time (America/Nuuk's footer; zdump -v -c 2030,2031). */
    assert_int_equal(footer_zone("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", &tz), TRUCE_OK);
    expect_offset(tz, "2030-03-31T00:59:59Z", -7200, 0, "-02");
    expect_offset(tz, "2030-03-31T01:00:00Z", -3600, 1, "-01");
    expect_offset(tz, "2030-10-27T00:59:59Z", -3600, 1, "-01");
    expect_offset(tz, "2030-10-27T01:00:00Z", -7200, 0, "-02");
    truce_tz_free(tz);
    /* 167 hours after the first Sunday of March 2030 (the 3rd) is the 9th at
     * 23:00; an hour before the first Sunday of October (the 6th) is the 5th. */
    assert_int_equal(footer_zone("AAA0BBB-1,M3.1.0/167,M10.1.0/-1", &tz), TRUCE_OK);
    expect_offset(tz, "2030-03-09T22:59:59Z", 0, 0, "AAA");
    expect_offset(tz, "2030-03-09T23:00:00Z", 3600, 1, "BBB");
    expect_offset(tz, "2030-10-05T21:59:59Z", 3600, 1, "BBB");
    expect_offset(tz, "2030-10-05T22:00:00Z", 0, 0, "AAA");
    truce_tz_free(tz);
    /* Negative DST, Europe/Dublin style: winter is the "daylight" time. */
    assert_int_equal(footer_zone("IST-1GMT0,M10.5.0,M3.5.0/1", &tz), TRUCE_OK);
    expect_offset(tz, "2030-01-15T00:00:00Z", 0, 1, "GMT");
    expect_offset(tz, "2030-07-15T00:00:00Z", 3600, 0, "IST");
    truce_tz_free(tz);
    /* DST all year (RFC 8536 section 3.3.1's example). */
    assert_int_equal(footer_zone("EST5EDT,0/0,J365/25", &tz), TRUCE_OK);
    const char *always[] = {"2029-12-31T23:59:59Z", "2030-01-01T04:59:59Z", "2030-01-01T05:00:00Z",
                            "2030-07-01T00:00:00Z", "2031-01-01T04:59:59Z", "2031-01-01T05:00:00Z"};
    for (size_t i = 0; i < sizeof always / sizeof *always; i++)
        expect_offset(tz, always[i], -14400, 1, "EDT");
    expect_local(tz, "2030-01-01T00:00", TRUCE_OK, TRUCE_LOCAL_UNIQUE, "2030-01-01T04:00:00Z");
    truce_tz_free(tz);
    /* An explicit DST offset with minutes, and times with seconds. */
    assert_int_equal(footer_zone("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", &tz), TRUCE_OK);
    expect_offset(tz, "2045-07-01T00:00:00Z", 37800, 0, "+1030");
    truce_tz_free(tz);
    assert_int_equal(footer_zone("AAA0BBB,M3.2.0/1:02:03,M11.1.0/23:59:59", &tz), TRUCE_OK);
    truce_tz_free(tz);
}

static void footer_rejects(void **state)
{
    (void)state;
    const char *bad[] = {"CET",
                         "CET-1CEST",
                         "CET-25",
                         "CE-1",
                         "<AB>1",
                         "<+03-3",
                         "CET-1CEST,M3.5.0",
                         "CET-1CEST,M13.1.0,M10.5.0",
                         "CET-1CEST,M3.6.0,M10.5.0",
                         "CET-1CEST,M3.5.7,M10.5.0",
                         "CET-1CEST,M3.5.0,M10.5.0/168",
                         "CET-1CEST,M3.5.0/-168,M10.5.0",
                         "CET-1CEST,J0,J365",
                         "CET-1CEST,J366,J1",
                         "CET-1CEST,366,0",
                         "CET-1CEST,M3.5.0,M10.5.0/3:60",
                         "CET-1CEST,M3.5.0,M10.5.0 ",
                         "CET-1:",
                         "1CET",
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        truce_tz *tz = NULL;
        if (footer_zone(bad[i], &tz) != TRUCE_E_PARSE)
            fail_msg("footer \"%s\" should be rejected", bad[i]);
        assert_null(tz);
    }
    /* An empty footer is allowed: the last type stays in force. */
    truce_tz *tz = NULL;
    assert_int_equal(footer_zone("", &tz), TRUCE_OK);
    expect_offset(tz, "2030-01-01T00:00:00Z", 0, 0, "XXX");
    truce_tz_free(tz);
}

/* RFC 8536 section 3.2: before the first transition, time type 0 applies
 * (even when, as here, it is a DST type; zic always makes it standard time).
 * Also a version 1 file, which has 32-bit times and no footer. */
static void table_corner_cases(void **state)
{
    (void)state;
    uint8_t buf[512];
    const synth_type types[] = {{3600, 1, 0}, {0, 0, 4}, {7200, 0, 8}};
    const char chars[] = "AAA\0BBB\0CCC";
    const int64_t times[] = {0, 1000000000};
    const uint8_t idx[] = {1, 2};
    for (int v = 0; v < 2; v++) {
        size_t n = synth_tzif(buf, sizeof buf, v ? '3' : 0, times, idx, 2, types, 3, chars,
                              sizeof chars, "");
        truce_tz *tz = NULL;
        assert_int_equal(truce_tz_from_tzif("synthetic", buf, n, &tz), TRUCE_OK);
        int32_t off;
        int dst;
        const char *ab;
        truce_tz_offset_at(tz, -1, &off, &dst, &ab);
        assert_int_equal(off, 3600);
        assert_int_equal(dst, 1);
        assert_string_equal(ab, "AAA");
        truce_tz_offset_at(tz, 0, &off, &dst, &ab);
        assert_int_equal(off, 0);
        assert_string_equal(ab, "BBB");
        truce_tz_offset_at(tz, INT64_MAX, &off, &dst, &ab);
        assert_int_equal(off, 7200);
        assert_string_equal(ab, "CCC");
        truce_tz_free(tz);
    }
    /* Not strictly ascending, a type index out of range, a bad version. */
    const int64_t unsorted[] = {5, 5};
    size_t n =
        synth_tzif(buf, sizeof buf, '2', unsorted, idx, 2, types, 3, chars, sizeof chars, "");
    truce_tz *tz = NULL;
    assert_int_equal(truce_tz_from_tzif("x", buf, n, &tz), TRUCE_E_PARSE);
    const uint8_t bad_idx[] = {1, 3};
    n = synth_tzif(buf, sizeof buf, '2', times, bad_idx, 2, types, 3, chars, sizeof chars, "");
    assert_int_equal(truce_tz_from_tzif("x", buf, n, &tz), TRUCE_E_PARSE);
    n = synth_tzif(buf, sizeof buf, '1', times, idx, 2, types, 3, chars, sizeof chars, "");
    assert_int_equal(truce_tz_from_tzif("x", buf, n, &tz), TRUCE_E_PARSE);
    const synth_type huge[] = {{100000, 0, 0}};
    n = synth_tzif(buf, sizeof buf, '2', NULL, NULL, 0, huge, 1, chars, 4, "");
    assert_int_equal(truce_tz_from_tzif("x", buf, n, &tz), TRUCE_E_PARSE);
    assert_null(tz);
}

static void local_out_of_range(void **state)
{
    (void)state;
    truce_tz *tz = open_zone("UTC");
    truce_civil c = civil("2020-03-06T00:00");
    int64_t t;
    c.month = 13;
    assert_int_equal(truce_tz_local_to_utc(tz, &c, &t, NULL), TRUCE_E_RANGE);
    c = civil("2020-03-06T00:00");
    c.hour = 24;
    assert_int_equal(truce_tz_local_to_utc(tz, &c, &t, NULL), TRUCE_E_RANGE);
    c = civil("2020-03-06T00:00");
    c.year = 0;
    assert_int_equal(truce_tz_local_to_utc(tz, &c, &t, NULL), TRUCE_E_RANGE);
    assert_int_equal(truce_tz_local_to_utc(tz, NULL, &t, NULL), TRUCE_E_ARG);
    truce_tz_free(tz);
}

/* ---- cross-check against the system's zdump ------------------------------ */

static int month_number(const char *mon)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const char *p = strstr(names, mon);
    return p && strlen(mon) == 3 ? (int)(p - names) / 3 + 1 : 0;
}

/* One zdump -v line, e.g.
 *   Asia/Damascus  Thu Mar 26 22:00:00 2020 UT = Fri Mar 27 01:00:00 2020 EEST isdst=1 gmtoff=10800
 * Returns 0 for lines without a time (the "= NULL" ones). */
static int parse_zdump(const char *line, size_t name_len, int64_t *ut, truce_civil *local,
                       char abbrev[32], int *is_dst, long *gmtoff)
{
    char wd1[4], mon1[4], wd2[4], mon2[4];
    truce_civil u;
    if (sscanf(line + name_len,
               " %3s %3s %d %d:%d:%d %d UT = %3s %3s %d %d:%d:%d %d %31s isdst=%d gmtoff=%ld", wd1,
               mon1, &u.day, &u.hour, &u.minute, &u.second, &u.year, wd2, mon2, &local->day,
               &local->hour, &local->minute, &local->second, &local->year, abbrev, is_dst,
               gmtoff) != 17)
        return 0;
    u.month = month_number(mon1);
    local->month = month_number(mon2);
    if (!u.month || !local->month)
        return 0;
    *ut = truce_civil_to_utc(&u);
    return 1;
}

/* Every line of `zdump -v -c 1970,2040 ZONE`: offset, DST flag, abbreviation
 * and wall time agree; and at each change, the wall times around it map back
 * as unique, gap or repeated as the size of the change says. */
static void zdump_cross_check(void **state)
{
    (void)state;
    static const char *zones[] = {"Asia/Damascus",       "Europe/Berlin",     "America/Sao_Paulo",
                                  "Australia/Lord_Howe", "Pacific/Chatham",   "America/New_York",
                                  "Europe/Dublin",       "Africa/Casablanca", "America/Nuuk",
                                  "Antarctica/Troll",    "America/Santiago",  "Pacific/Apia",
                                  "Asia/Tehran",         "America/St_Johns"};
    if (system("zdump --version >/dev/null 2>&1") != 0) {
        print_message("zdump not found (Debian: libc-bin); skipping the cross-check\n");
        skip();
    }
    size_t checked = 0;
    for (size_t z = 0; z < sizeof zones / sizeof *zones; z++) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "zdump -v -c 1970,2040 %s", zones[z]);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        truce_tz *tz = open_zone(zones[z]);
        size_t name_len = strlen(zones[z]);
        char line[256];
        int have_prev = 0;
        int64_t prev_ut = 0;
        long prev_off = 0;
        size_t lines = 0;
        while (fgets(line, sizeof line, p)) {
            int64_t ut;
            truce_civil want, got;
            char abbrev[32];
            int is_dst;
            long gmtoff;
            if (strncmp(line, zones[z], name_len) != 0 ||
                !parse_zdump(line, name_len, &ut, &want, abbrev, &is_dst, &gmtoff))
                continue;
            int32_t off;
            int dst;
            const char *ab;
            truce_tz_offset_at(tz, ut, &off, &dst, &ab);
            truce_tz_utc_to_local(tz, ut, &got);
            if (off != gmtoff || dst != is_dst || strcmp(ab, abbrev) != 0 ||
                memcmp(&got, &want, sizeof got) != 0)
                fail_msg("%s: zdump says %s       truce: %d isdst=%d %s", zones[z], line, (int)off,
                         dst, ab);
            /* zdump prints a change as the second before it and its first second. */
            if (have_prev && ut == prev_ut + 1 && gmtoff != prev_off) {
                int64_t wall = ut + (gmtoff < prev_off ? gmtoff : prev_off);
                truce_civil c;
                truce_civil_from_utc(wall, &c);
                int64_t t;
                truce_local_kind kind;
                truce_status st = truce_tz_local_to_utc(tz, &c, &t, &kind);
                if (gmtoff > prev_off) { /* clocks forward: wall is the first skipped second */
                    if (st != TRUCE_E_TIME_GAP || kind != TRUCE_LOCAL_GAP || t != ut)
                        fail_msg("%s: no gap at %s", zones[z], line);
                } else { /* back: wall is the first repeated second; earlier reading */
                    if (st != TRUCE_OK || kind != TRUCE_LOCAL_AMBIGUOUS ||
                        t != ut - (prev_off - gmtoff))
                        fail_msg("%s: no repeat at %s", zones[z], line);
                }
            }
            have_prev = 1;
            prev_ut = ut;
            prev_off = gmtoff;
            lines++;
        }
        int status = pclose(p);
        truce_tz_free(tz);
        if (status != 0 || lines == 0)
            fail_msg("zdump %s: exit status %d, %zu lines", zones[z], status, lines);
        checked += lines;
    }
    print_message("zdump cross-check: %zu lines in %zu zones\n", checked,
                  sizeof zones / sizeof *zones);
}

/* The start of a local day: at both ends of the range of instants, in UTC,
 * east (Tokyo, LMT +09:18:59) and west (New York, LMT -04:56:02), and on
 * the day whose midnight Damascus skipped (2020-03-27: the day starts at
 * the end of the gap, as the event readers and the agreement both take it). */
static void day_starts(void **state)
{
    (void)state;
    truce_tz *tokyo = open_zone("Asia/Tokyo"), *ny = open_zone("America/New_York");
    truce_tz *dam = open_zone("Asia/Damascus");
    const int64_t first = truce_days_from_civil(1, 1, 1),
                  after_last = truce_days_from_civil(10000, 1, 1);
    int64_t t = 0;
    assert_int_equal(truce_tz_day_start(NULL, first, &t), TRUCE_OK);
    assert_int_equal(t, TRUCE_INSTANT_FIRST_S);
    assert_int_equal(truce_tz_day_start(NULL, after_last - 1, &t), TRUCE_OK);
    assert_int_equal(t, TRUCE_INSTANT_LAST_S + 1 - 86400);
    assert_int_equal(truce_tz_day_start(NULL, after_last, &t), TRUCE_E_RANGE);
    assert_int_equal(truce_tz_day_start(NULL, first - 1, &t), TRUCE_E_RANGE);

    /* East: 0001-01-01 began in year 0 of UTC; the end of 9999-12-31 is in range. */
    assert_int_equal(truce_tz_day_start(tokyo, first, &t), TRUCE_E_RANGE);
    assert_int_equal(t, utc("0001-01-01T00:00:00Z") - 33539);
    assert_int_equal(truce_tz_day_start(tokyo, first + 1, &t), TRUCE_OK);
    assert_int_equal(truce_tz_day_start(tokyo, after_last, &t), TRUCE_OK);
    assert_int_equal(t, utc("9999-12-31T15:00:00Z"));
    /* West: the other way round. */
    assert_int_equal(truce_tz_day_start(ny, first, &t), TRUCE_OK);
    assert_int_equal(t, utc("0001-01-01T04:56:02Z"));
    assert_int_equal(truce_tz_day_start(ny, after_last, &t), TRUCE_E_RANGE);
    assert_int_equal(truce_tz_day_start(ny, after_last - 1, &t), TRUCE_OK);
    assert_int_equal(t, utc("9999-12-31T05:00:00Z"));

    /* The DST gap day. */
    assert_int_equal(truce_tz_day_start(dam, truce_days_from_civil(2020, 3, 27), &t), TRUCE_OK);
    assert_int_equal(t, utc("2020-03-26T22:00:00Z"));
    assert_int_equal(truce_tz_day_start(dam, INT64_MAX, &t), TRUCE_E_RANGE);
    assert_int_equal(truce_tz_day_start(dam, INT64_MIN, &t), TRUCE_E_RANGE);
    assert_int_equal(truce_tz_day_start(dam, 0, NULL), TRUCE_E_ARG);

    /* truce_tz_instant_of: a date's start and end, a local time in the gap,
     * and the range. */
    truce_time_value v;
    assert_int_equal(truce_time_parse("2020-03-27", &v), TRUCE_OK);
    assert_int_equal(truce_tz_instant_of(dam, &v, 0, &t, NULL), TRUCE_OK);
    assert_int_equal(t, utc("2020-03-26T22:00:00Z"));
    assert_int_equal(truce_time_parse("2020-03-26", &v), TRUCE_OK);
    assert_int_equal(truce_tz_instant_of(dam, &v, 1, &t, NULL), TRUCE_OK);
    assert_int_equal(t, utc("2020-03-26T22:00:00Z"));
    assert_int_equal(truce_time_parse("2020-03-27T00:30", &v), TRUCE_OK);
    assert_int_equal(truce_tz_instant_of(dam, &v, 0, &t, NULL), TRUCE_E_TIME_GAP);
    assert_int_equal(truce_time_parse("9999-12-31", &v), TRUCE_OK);
    assert_int_equal(truce_tz_instant_of(NULL, &v, 0, &t, NULL), TRUCE_OK);
    assert_int_equal(truce_tz_instant_of(NULL, &v, 1, &t, NULL), TRUCE_E_RANGE);
    assert_int_equal(truce_tz_instant_of(tokyo, &v, 1, &t, NULL), TRUCE_OK);
    assert_int_equal(truce_time_parse("0001-01-01T05:00", &v), TRUCE_OK);
    assert_int_equal(truce_tz_instant_of(tokyo, &v, 0, &t, NULL), TRUCE_E_RANGE);
    assert_int_equal(truce_tz_instant_of(NULL, &v, 0, &t, NULL), TRUCE_OK);
    assert_int_equal(t, utc("0001-01-01T05:00:00Z"));

    /* Local text near the ends: a local year 0 or 10000 is written in UTC. */
    char buf[26];
    truce_tz_format_local(tokyo, TRUCE_INSTANT_LAST_S, buf);
    assert_string_equal(buf, "9999-12-31T23:59:59+00:00");
    truce_tz_format_local(tokyo, utc("9999-12-31T14:59:59Z"), buf);
    assert_string_equal(buf, "9999-12-31T23:59:59+09:00");
    truce_tz_format_local(ny, TRUCE_INSTANT_FIRST_S, buf);
    assert_string_equal(buf, "0001-01-01T00:00:00+00:00");
    truce_tz_format_local(ny, TRUCE_INSTANT_LAST_S, buf);
    assert_string_equal(buf, "9999-12-31T18:59:59-05:00");
    truce_tz_format_local(ny, TRUCE_INSTANT_LAST_S + 1, buf);
    assert_string_equal(buf, "XXXX-XX-XXTXX:XX:XX+XX:XX");
    truce_tz_free(tokyo);
    truce_tz_free(ny);
    truce_tz_free(dam);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(damascus_known_instants),
        cmocka_unit_test(damascus_csv_transitions),
        cmocka_unit_test(damascus_spring_gap),
        cmocka_unit_test(damascus_fall_back),
        cmocka_unit_test(damascus_after_2022),
        cmocka_unit_test(damascus_round_trip_hourly),
        cmocka_unit_test(berlin_2045_footer),
        cmocka_unit_test(sao_paulo),
        cmocka_unit_test(lord_howe),
        cmocka_unit_test(chatham),
        cmocka_unit_test(utc_and_etc),
        cmocka_unit_test(unknown_names),
        cmocka_unit_test(right_zones_unsupported),
        cmocka_unit_test(tzdir_and_damaged_files),
        cmocka_unit_test(truncated_and_corrupted),
        cmocka_unit_test(footer_forms),
        cmocka_unit_test(footer_rejects),
        cmocka_unit_test(table_corner_cases),
        cmocka_unit_test(local_out_of_range),
        cmocka_unit_test(day_starts),
        cmocka_unit_test(zdump_cross_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
