/* libFuzzer target: the round-trip property of `truce events` (docs/events.md,
 * "Round trip").  Every input is read by each of the four readers in turn, as
 * `truce events --format NAME` reads it, and for each:
 *
 *   1. every accepted event is written with the JSON Lines writer (the text
 *      `truce events` prints), and that text must be valid UTF-8;
 *   2. the text, read with detection as `truce events` reads a file, must be
 *      taken for JSON Lines, and every line must be accepted, in order, as
 *      the same event (same_event below says what "same" means);
 *   3. writing the events of the second reading must give the same bytes
 *      again (a fixed point).
 *
 * The first byte picks the options as in the reader targets: bit 0 a 4 KiB
 * row cap, bit 3 the zone Asia/Damascus (DST gaps at midnight) for local
 * dates.  The second reading takes the defaults (UTC, no cap beyond the
 * default), as a user reading the output back would.  A broken promise prints
 * the format, the event and both lines of JSON, then aborts. */
#include "fuzz_common.h"

#include "truce/tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The events of one reading, deep-copied (the reader reuses its row). */
typedef struct events {
    truce_event *ev;
    char **strings; /* per event, the buffer its strings point into */
    size_t n, cap;
} events;

static void events_release(events *es)
{
    for (size_t i = 0; i < es->n; i++)
        free(es->strings[i]);
    free(es->ev);
    free(es->strings);
    memset(es, 0, sizeof *es);
}

static void events_add(events *es, const truce_event *e)
{
    if (es->n == es->cap) {
        es->cap = es->cap ? 2 * es->cap : 16;
        es->ev = realloc(es->ev, es->cap * sizeof *es->ev);
        es->strings = realloc(es->strings, es->cap * sizeof *es->strings);
        CHECK(es->ev && es->strings);
    }
    size_t size = truce_event_copy_size(e), used = 0;
    char *buf = malloc(size ? size : 1);
    CHECK(buf);
    CHECK(truce_event_copy(e, &es->ev[es->n], buf, size, &used) == TRUCE_OK && used == size);
    es->strings[es->n++] = buf;
}

/* What a reading saw besides its events. */
typedef struct reading {
    const char *format; /* the reader's, static */
    truce_status status;
    uint64_t rejected;
    long first_reject_line;
    char first_reject_reason[160]; /* "field: reason" */
} reading;

/* One reading: the rows of `text` through a reader with `opt`, the accepted
 * events kept in *es and written as JSON Lines into *jsonl (malloc'd,
 * *jsonl_len bytes).  Returns 0 when the reader did not open; otherwise 1,
 * with the reader's format, its final status and its rejects in *rd. */
static int read_and_write(const uint8_t *text, size_t len, const char *name,
                          const truce_reader_options *opt, events *es, char **jsonl,
                          size_t *jsonl_len, reading *rd)
{
    memset(rd, 0, sizeof *rd);
    *jsonl = NULL;
    *jsonl_len = 0;
    FILE *in = fmemopen((void *)(uintptr_t)text, len, "rb");
    CHECK(in);
    truce_reader *r = NULL;
    if (truce_reader_open(in, name, opt, &r, NULL) != TRUCE_OK) {
        fclose(in);
        return 0;
    }
    FILE *out = open_memstream(jsonl, jsonl_len);
    CHECK(out);
    truce_event_writer *w = NULL;
    CHECK(truce_event_writer_new(out, TRUCE_OUTPUT_JSONL, &w) == TRUCE_OK);
    rd->format = truce_reader_format(r);
    truce_row row;
    while ((rd->status = truce_reader_next(r, &row)) == TRUCE_OK && row.kind != TRUCE_ROW_END) {
        if (row.kind == TRUCE_ROW_EVENT) {
            check_event(row.event);
            events_add(es, row.event);
            CHECK(truce_event_write(w, row.event) == TRUCE_OK);
        } else if (rd->rejected++ == 0) {
            rd->first_reject_line = row.line;
            snprintf(rd->first_reject_reason, sizeof rd->first_reject_reason, "%s%s%s",
                     row.field ? row.field : "", row.field ? ": " : "", row.reason);
        }
    }
    truce_reader_free(r);
    CHECK(truce_event_writer_free(w) == TRUCE_OK);
    CHECK(fclose(out) == 0);
    fclose(in);
    return 1;
}

/* The offset of the first byte of s[0, n) that does not belong to a
 * well-formed UTF-8 sequence (RFC 3629: shortest form, no surrogates, at most
 * U+10FFFF), or n.  Written out here rather than taken from the library so
 * that the oracle does not share the readers' code. */
static size_t utf8_bad_at(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len = c < 0x80                 ? 1
                     : c >= 0xC2 && c <= 0xDF ? 2
                     : c >= 0xE0 && c <= 0xEF ? 3
                     : c >= 0xF0 && c <= 0xF4 ? 4
                                              : 0;
        if (!len || len > n - i)
            return i;
        unsigned lo = 0x80, hi = 0xBF; /* the second byte's range */
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
        else if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
        for (size_t k = 1; k < len; k++) {
            unsigned b = s[i + k];
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
                return i;
        }
        i += len;
    }
    return n;
}

/* Line k (0-based) of a JSON Lines text, for messages. */
static void print_line(const char *label, const char *text, size_t len, size_t k)
{
    const char *p = text, *end = text + len;
    for (; k > 0 && p < end; k--) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    int n = (int)((nl ? nl : end) - p);
    fprintf(stderr, "  %s: %.*s%s\n", label, n > 2000 ? 2000 : n, p, n > 2000 ? "..." : "");
}

static int same_string(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* The first field in which b is not the same event as a, or NULL.  Strings
 * byte for byte (absent and absent alike); numbers as numbers (== on the
 * doubles, so the text a coordinate was written in does not count: lon_text
 * and lat_text are not compared, the fixed point covers how it is written);
 * the location's numbers only when there is a location, since they are
 * meaningless without one. */
static const char *same_event(const truce_event *a, const truce_event *b)
{
#define STR(f)                                                                                     \
    if (!same_string(a->f, b->f))                                                                  \
    return #f
#define NUM(f)                                                                                     \
    if (a->f != b->f)                                                                              \
    return #f
    STR(id);
    NUM(format);
    STR(file);
    NUM(line);
    NUM(start_s);
    NUM(end_s);
    NUM(time_precision);
    NUM(has_location);
    if (a->has_location) {
        NUM(lon);
        NUM(lat);
        NUM(radius_m);
    }
    NUM(geo_precision);
    STR(event_type);
    STR(sub_event_type);
    STR(disorder_type);
    NUM(violence_type);
    STR(actor1);
    STR(assoc_actor1);
    STR(actor2);
    STR(assoc_actor2);
    NUM(fatalities);
    NUM(fatalities_low);
    NUM(fatalities_high);
    STR(country);
    STR(admin1);
    STR(admin2);
    STR(place);
    STR(notes);
    STR(sources);
#undef STR
#undef NUM
    return NULL;
}

static void broken(const char *format, const char *what)
{
    fprintf(stderr, "fuzz_roundtrip: %s: broken round trip: %s\n", format, what);
}

/* The property for one reader (format) on one input. */
static void roundtrip(const uint8_t *data, size_t size, const char *format, const truce_tz *tz)
{
    truce_reader_options opt;
    truce_reader_options_init(&opt);
    opt.format = format;
    opt.tz = tz;
    opt.max_row_bytes = data[0] & 1 ? 4096 : 0;
    events first = {0}, second = {0};
    char *text1 = NULL, *text2 = NULL;
    size_t len1 = 0, len2 = 0;
    reading rd1, rd2;
    if (!read_and_write(data, size, "fuzz", &opt, &first, &text1, &len1, &rd1)) {
        free(text1);
        return;
    }
    size_t bad = utf8_bad_at((const unsigned char *)text1, len1);
    if (bad < len1) {
        size_t line = 0;
        for (size_t i = 0; i < bad; i++)
            line += text1[i] == '\n';
        char what[80];
        snprintf(what, sizeof what, "output not UTF-8 at byte %zu (event %zu)", bad, line + 1);
        broken(format, what);
        print_line("written", text1, len1, line);
        abort();
    }
    if (first.n == 0) {
        CHECK(len1 == 0);
    } else {
        /* Read back as `truce events FILE` does: detected, UTC, default cap. */
        truce_reader_options_init(&opt);
        if (!read_and_write((const uint8_t *)text1, len1, "roundtrip", &opt, &second, &text2, &len2,
                            &rd2)) {
            broken(format, "the output is in no format a reader opens");
            print_line("written", text1, len1, 0);
            abort();
        }
        if (strcmp(rd2.format, "jsonl")) {
            broken(format, "the output is not detected as JSON Lines");
            fprintf(stderr, "  detected: %s\n", rd2.format);
            print_line("written", text1, len1, 0);
            abort();
        }
        if (rd2.rejected) {
            char what[300];
            snprintf(what, sizeof what, "event %ld rejected on reading back: %s",
                     rd2.first_reject_line, rd2.first_reject_reason);
            broken(format, what);
            print_line("written", text1, len1, (size_t)rd2.first_reject_line - 1);
            abort();
        }
        if (rd2.status != TRUCE_OK || second.n != first.n) {
            char what[120];
            snprintf(what, sizeof what, "%zu events written, %zu read back (%s)", first.n, second.n,
                     truce_strerror(rd2.status));
            broken(format, what);
            abort();
        }
        for (size_t i = 0; i < first.n; i++) {
            const char *field = same_event(&first.ev[i], &second.ev[i]);
            if (field) {
                char what[120];
                snprintf(what, sizeof what, "event %zu reads back with another %s", i + 1, field);
                broken(format, what);
                print_line("written  ", text1, len1, i);
                print_line("rewritten", text2, len2, i);
                abort();
            }
        }
        if (len1 != len2 || memcmp(text1, text2, len1)) {
            size_t at = 0, line = 0;
            while (at < len1 && at < len2 && text1[at] == text2[at])
                line += text1[at++] == '\n';
            char what[120];
            snprintf(what, sizeof what, "writing it again differs at byte %zu (event %zu)", at,
                     line + 1);
            broken(format, what);
            print_line("written  ", text1, len1, line);
            print_line("rewritten", text2, len2, line);
            abort();
        }
    }
    events_release(&first);
    events_release(&second);
    free(text1);
    free(text2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Opened once and kept: a zone is read-only once made.  Where the system
     * has no zone data the local dates are read in UTC instead. */
    static truce_tz *damascus;
    static int tried;
    if (!tried) {
        tried = 1;
        if (truce_tz_open("Asia/Damascus", &damascus) != TRUCE_OK)
            damascus = NULL;
    }
    if (size == 0)
        return 0;
    size_t count;
    const truce_reader_format_ops *formats = truce_reader_formats(&count);
    for (size_t i = 0; i < count; i++)
        roundtrip(data, size, formats[i].name, data[0] & 8 ? damascus : NULL);
    return 0;
}
