/* Writers of normalised events: JSON Lines and GeoJSON by hand
 * (json_escape.c for strings), CSV through libcsv's field quoting.  The
 * schema (docs/events.md) is event_schema.h's table: the JSON keys and the
 * CSV columns are its keys in its order, and both JSON readers read them.
 *
 * Why JSON by hand rather than YAJL's generator: on the 50 MB prefix of the
 * bench file, perf put the generator and the output calls it makes (a print
 * callback per token: a key, a colon, a value, a comma...) at about a third
 * of `truce events` (libyajl 17%, the per-token buffer copy 13%, callback
 * 1%), and the 10x-ogr2ogr target needs the whole run near
 * 210 MB/s (docs/performance.md).  The JSON here is flat (one object of
 * strings, integers, numbers and nulls in a fixed order), so the writer
 * emits it straight into its buffer; strings are escaped exactly as YAJL
 * did (json_escape.h), so the output is unchanged byte for byte
 * (tests/unit/test_json_escape.c; tests/cli read-back identity). */
#include <csv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "event/event_schema.h"
#include "base/json_escape.h"
#include "truce/event.h"
#include "truce/time.h"

/* Output goes through the writer's own buffer: one fwrite per piece (each
 * taking the stream's lock) was 20% of `truce events` on a 50 MB ACLED file
 * (perf; docs/performance.md). */
#define WBUF_SIZE ((size_t)1 << 16)

struct truce_event_writer {
    FILE *out; /* NULL: a memory writer (truce_event_format_head) */
    truce_event_output kind;
    int failed;
    int header_done;
    size_t n;   /* bytes in buf */
    size_t cap; /* a file writer's WBUF_SIZE; a memory writer's buffer grows */
    char *buf;  /* a file writer's own, after the struct; a memory writer's is the caller's */
};

static void flush_buf(truce_event_writer *w)
{
    if (w->n && fwrite(w->buf, 1, w->n, w->out) != w->n)
        w->failed = 1;
    w->n = 0;
}

/* Make room for `need` more bytes at buf + n: a file writer flushes (and
 * returns 0 when its buffer cannot hold them: the caller writes around it),
 * a memory writer grows its buffer (and returns 0, failed, when it cannot). */
static int room(truce_event_writer *w, size_t need)
{
    if (w->cap - w->n >= need)
        return 1;
    if (w->out) {
        flush_buf(w);
        return need <= w->cap;
    }
    size_t cap = w->cap > 4096 ? w->cap : 4096;
    while (cap - w->n < need) {
        if (cap > SIZE_MAX / 2) {
            w->failed = 1;
            return 0;
        }
        cap *= 2;
    }
    char *b = w->failed ? NULL : trc_realloc(w->buf, cap);
    if (!b) {
        w->failed = 1;
        return 0;
    }
    w->buf = b;
    w->cap = cap;
    return 1;
}

static void put(truce_event_writer *w, const char *s, size_t len)
{
    if (len <= 8 && w->cap - w->n >= 8) {
        /* YAJL prints token by token: most pieces are a byte or two. */
        for (size_t i = 0; i < len; i++)
            w->buf[w->n + i] = s[i];
        w->n += len;
        return;
    }
    if (!room(w, len)) {
        if (w->out && fwrite(s, 1, len, w->out) != len)
            w->failed = 1;
        return;
    }
    memcpy(w->buf + w->n, s, len);
    w->n += len;
}

static void put_char(truce_event_writer *w, char c)
{
    if (w->n == w->cap && !room(w, 1))
        return;
    w->buf[w->n++] = c;
}

/* Room for `need` (at most WBUF_SIZE) bytes at buf + n; NULL only when a
 * memory writer could not grow.  The check that there is room is inline:
 * a call to room() for each of a record's forty-odd members was 1.9% of
 * classify's instructions (callgrind). */
static inline char *reserve(truce_event_writer *w, size_t need)
{
    if (w->cap - w->n >= need)
        return w->buf + w->n;
    return room(w, need) ? w->buf + w->n : NULL;
}

/* A JSON string: quoted and escaped, in pieces when it is long. */
static void put_json_string(truce_event_writer *w, const char *s, size_t len)
{
    enum { PIECE = (WBUF_SIZE - 2) / 6 };
    put_char(w, '"');
    while (len) {
        size_t k = trc_json_escape_cut(s, len, PIECE);
        char *o = reserve(w, JSON_ESCAPE_MAX(k));
        if (!o)
            return;
        w->n += trc_json_escape(o, s, k);
        s += k;
        len -= k;
    }
    put_char(w, '"');
}

truce_status truce_event_writer_new(FILE *out, truce_event_output kind, truce_event_writer **wp)
{
    *wp = NULL;
    if (!out)
        return TRUCE_E_ARG;
    truce_event_writer *w = trc_calloc(1, sizeof *w + WBUF_SIZE);
    if (!w)
        return TRUCE_E_NOMEM;
    w->out = out;
    w->kind = kind;
    w->cap = WBUF_SIZE;
    w->buf = (char *)(w + 1);
    *wp = w;
    return TRUCE_OK;
}

static const char geojson_open[] = "{\"type\":\"FeatureCollection\",\"features\":[\n";

truce_status truce_event_writer_free(truce_event_writer *w)
{
    if (!w)
        return TRUCE_OK;
    if (w->kind == TRUCE_OUTPUT_GEOJSON) {
        if (!w->header_done)
            put(w, geojson_open, sizeof geojson_open - 1);
        put(w, "\n]}\n", 4);
    }
    flush_buf(w);
    int failed = w->failed || fflush(w->out) != 0 || ferror(w->out);
    trc_free(w);
    return failed ? TRUCE_E_IO : TRUCE_OK;
}

/* "YYYY-MM-DDTHH:MM:SSZ", as truce_time_format_utc writes it, without
 * snprintf (two per event were 3% of the run). */
static void format_instant(int64_t t, char buf[21])
{
    truce_civil c;
    truce_civil_from_utc(t, &c);
    if (c.year < 1 || c.year > 9999) { /* outside the range: its placeholder */
        truce_time_format_utc(t, buf);
        return;
    }
    int f[6] = {c.year, c.month, c.day, c.hour, c.minute, c.second};
    static const char sep[6] = {'-', '-', 'T', ':', ':', 'Z'};
    char *p = buf;
    for (int i = 0; i < 6; i++) {
        if (i == 0) {
            *p++ = (char)('0' + f[0] / 1000);
            *p++ = (char)('0' + f[0] / 100 % 10);
        }
        *p++ = (char)('0' + f[i] / 10 % 10);
        *p++ = (char)('0' + f[i] % 10);
        *p++ = sep[i];
    }
    *p = '\0';
}

/* Decimal digits of v into buf (at least 21 bytes); returns the length. */
static size_t format_int(int64_t v, char *buf)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t len = 0;
    if (v < 0)
        buf[len++] = '-';
    while (n)
        buf[len++] = tmp[--n];
    buf[len] = '\0';
    return len;
}

/* Shortest of %.15g, %.16g, %.17g that reads back to the same double; an
 * integral value below 2^53 as an integer (radii mostly are), -0 as 0: a
 * reader of JSON (jansson among them) takes "-0" for the integer 0, so
 * writing it would not read back the same. */
size_t trc_json_double(double v, char buf[32])
{
    if (v > -9007199254740992.0 && v < 9007199254740992.0 && v == (double)(int64_t)v)
        return format_int((int64_t)v, buf);
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return n > 0 ? (size_t)n : 0;
}

/* A coordinate as the source wrote it, made canonical, when that is exactly
 * what trc_json_double prints for its value: plain decimal text of at most 15
 * significant digits (DBL_DIG: then it is the %.15g of the double it reads
 * as) with a magnitude where %g keeps fixed notation, sign and leading and
 * trailing zeros trimmed.  Saves a snprintf and a strtod per coordinate
 * (about a tenth of the run, perf).  Returns 0 when it does not apply.
 *
 * The text is whatever the reader's decimal check took (trc_parse_coord: "+1",
 * "1.", ".5", "-.25", "01.5"), so what comes out must be put in JSON's
 * grammar here: no '+', a digit before the point, none of a lone point, no
 * redundant leading zero.  Exponents and long digit strings go to
 * trc_json_double. */
static size_t canonical_decimal(const char *text, double v, char buf[32])
{
    if (!text || v == 0 || !((v >= 1e-4 && v < 1e15) || (v <= -1e-4 && v > -1e15)))
        return 0;
    const char *p = text;
    size_t n = 0;
    int sig = 0, nonzero = 0;
    if (*p == '-')
        buf[n++] = *p++;
    else if (*p == '+')
        p++;
    size_t int_start = n;
    while (*p == '0' && p[1] >= '0' && p[1] <= '9')
        p++;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (n > 24)
            return 0;
        nonzero |= *p != '0';
        sig += nonzero;
        buf[n++] = *p;
    }
    if (n == int_start)
        buf[n++] = '0'; /* ".5": JSON wants "0.5" */
    size_t int_end = n;
    if (*p == '.') {
        buf[n++] = *p++;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (n > 30)
                return 0;
            nonzero |= *p != '0';
            sig += nonzero;
            buf[n++] = *p;
        }
        while (n > int_end + 1 && buf[n - 1] == '0')
            n--;
        if (buf[n - 1] == '.')
            n--;
    }
    if (*p != '\0' || sig > 15)
        return 0;
    buf[n] = '\0';
    return n;
}

typedef struct value {
    enum { V_NULL, V_STR, V_INT, V_DOUBLE } type;
    const char *s; /* V_STR; V_DOUBLE: the source's text or NULL */
    int64_t i;
    double d;
} value;

/* The member of e that descriptor d names, typed T. */
#define MEMBER(T, e, d) (*(T const *)(const void *)((const char *)(e) + (d)->at))

/* The value of field d (event_schema.h) for event e; tbuf holds an instant's text. */
static value column(const truce_event *e, const event_field_desc *d, char *tbuf)
{
    value v = {V_NULL, NULL, 0, 0};
    switch (d->kind) {
    case ES_ID:
    case ES_STRING:
        v.s = MEMBER(const char *, e, d);
        v.type = v.s ? V_STR : V_NULL;
        break;
    case ES_FORMAT:
        v.type = V_STR;
        v.s = truce_event_format_name(MEMBER(truce_event_format, e, d));
        break;
    case ES_LINE:
        if (MEMBER(long, e, d) > 0)
            v.type = V_INT, v.i = MEMBER(long, e, d);
        break;
    case ES_INSTANT:
        format_instant(MEMBER(int64_t, e, d), tbuf);
        v.type = V_STR;
        v.s = tbuf;
        break;
    case ES_DATE: /* read only */
    case ES_NAME:
        break;
    case ES_CODE:
        if (MEMBER(int, e, d) > 0)
            v.type = V_INT, v.i = MEMBER(int, e, d);
        break;
    case ES_COORD:
        if (e->has_location) {
            v.type = V_DOUBLE;
            v.d = MEMBER(double, e, d);
            if (d->text_at != ES_NONE)
                v.s = *(const char *const *)(const void *)((const char *)e + d->text_at);
        }
        break;
    case ES_SECTOR:
        if (e->has_sector) {
            v.type = V_DOUBLE;
            v.d = MEMBER(double, e, d);
        }
        break;
    case ES_COUNT:
        if (MEMBER(int64_t, e, d) >= 0)
            v.type = V_INT, v.i = MEMBER(int64_t, e, d);
        break;
    }
    return v;
}

/* What goes before a GeoJSON feature: the collection's start, or a comma. */
static void geojson_separator(truce_event_writer *w)
{
    if (!w->header_done) {
        put(w, geojson_open, sizeof geojson_open - 1);
        w->header_done = 1;
    } else {
        put(w, ",\n", 2);
    }
}

/* A sighting's geometry: its sector as a Polygon, its ring's vertices
 * (truce_sector_ring) a sixteenth of the distance band apart along the
 * edges and half a degree along the arcs (an arc then strays from the
 * chord by 1e-5 of its radius: 5 cm at 5 km). */
static void put_sector(truce_event_writer *w, const truce_sector *s)
{
    double step = (s->distance_max_m - s->distance_min_m) / 16;
    size_t n = truce_sector_ring(s, step, NULL, 0);
    double *ring = n ? trc_malloc(2 * n * sizeof *ring) : NULL;
    if (!ring) {
        w->failed = 1;
        return;
    }
    truce_sector_ring(s, step, ring, n);
    static const char head[] = ",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[";
    put(w, head, sizeof head - 1);
    char num[32];
    for (size_t i = 0; i < n; i++) {
        put(w, i ? ",[" : "[", i ? 2 : 1);
        put(w, num, trc_json_double(ring[2 * i], num));
        put_char(w, ',');
        put(w, num, trc_json_double(ring[2 * i + 1], num));
        put_char(w, ']');
    }
    put(w, "]]}", 3);
    trc_free(ring);
}

/* A GeoJSON feature's start, up to its properties:
 * {"type":"Feature","id":..,"geometry":..,"properties": */
static void geojson_feature_start(truce_event_writer *w, const truce_event *e)
{
    static const char head[] = "{\"type\":\"Feature\",\"id\":";
    put(w, head, sizeof head - 1);
    put_json_string(w, e->id, strlen(e->id));
    if (e->has_sector) {
        put_sector(w, &e->sector);
    } else if (e->has_location) {
        static const char point[] = ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[";
        char num[32];
        put(w, point, sizeof point - 1);
        put(w, num, trc_json_double(e->lon, num));
        put_char(w, ',');
        put(w, num, trc_json_double(e->lat, num));
        put(w, "]}", 2);
    } else {
        put(w, ",\"geometry\":null", 16);
    }
    put(w, ",\"properties\":", 14);
}

/* Extra members after the schema's (truce_event_write_extra).  Like the
 * schema's columns, a member that fits goes straight into room reserved
 * once (classify writes eight per event: a quarter of what formatting its
 * record cost, callgrind, when each piece was put on its own). */
static void json_extras(truce_event_writer *w, const truce_extra *x, size_t nx)
{
    char num[32];
    for (size_t i = 0; i < nx; i++) {
        size_t klen = strlen(x[i].key);
        int str = x[i].kind == TRUCE_EXTRA_STRING && x[i].text;
        int raw = x[i].kind == TRUCE_EXTRA_JSON && x[i].text;
        size_t vlen = str || raw ? strlen(x[i].text) : 0;
        size_t need = JSON_ESCAPE_MAX(klen) + 4 +
                      (str   ? JSON_ESCAPE_MAX(vlen) + 2
                       : raw ? vlen
                             : 32);
        if (need <= WBUF_SIZE / 2 && (x[i].kind != TRUCE_EXTRA_NUMBER || !isfinite(x[i].number))) {
            char *o = reserve(w, need);
            if (!o)
                return;
            *o++ = ',';
            *o++ = '"';
            o += trc_json_escape(o, x[i].key, klen);
            *o++ = '"';
            *o++ = ':';
            if (str) {
                *o++ = '"';
                o += trc_json_escape(o, x[i].text, vlen);
                *o++ = '"';
            } else if (raw) {
                memcpy(o, x[i].text, vlen);
                o += vlen;
            } else {
                memcpy(o, "null", 4);
                o += 4;
            }
            w->n = (size_t)(o - w->buf);
            continue;
        }
        put_char(w, ',');
        put_json_string(w, x[i].key, strlen(x[i].key));
        put_char(w, ':');
        if (x[i].kind == TRUCE_EXTRA_STRING && x[i].text)
            put_json_string(w, x[i].text, strlen(x[i].text));
        else if (x[i].kind == TRUCE_EXTRA_JSON && x[i].text)
            put(w, x[i].text, strlen(x[i].text));
        else if (x[i].kind == TRUCE_EXTRA_NUMBER && isfinite(x[i].number))
            put(w, num, trc_json_double(x[i].number, num));
        else
            put(w, "null", 4);
    }
}

/* A record without its end (or, for GeoJSON, the separator before it): the
 * feature's start, the schema's members, the extras. */
static void json_head(truce_event_writer *w, const truce_event *e, const truce_extra *x, size_t nx)
{
    char tbuf[21];
    if (w->kind == TRUCE_OUTPUT_GEOJSON)
        geojson_feature_start(w, e);
    int first = 1;
    for (const event_field_desc *d = trc_event_schema; d < trc_event_schema + EF_COUNT; d++) {
        if (!event_field_written(d))
            continue;
        value v = column(e, d, tbuf);
        /* The key with what goes before it: `{"id":` for the first, `,"format":` ... */
        const char *key = d->json_key;
        size_t klen = d->json_key_len, slen = v.type == V_STR ? strlen(v.s) : 0;
        /* The most this column can take: key, then a quoted escaped string
         * or a number (32 bytes, trc_json_double's buffer) or null. */
        size_t need = klen + (v.type == V_STR ? JSON_ESCAPE_MAX(slen) + 2 : 32);
        if (need > WBUF_SIZE / 2) {
            put_char(w, first ? '{' : ',');
            put(w, key + 1, klen - 1);
            put_json_string(w, v.s, slen);
            first = 0;
            continue;
        }
        /* One check for room per column, then straight into the buffer. */
        char *o = reserve(w, need);
        if (!o)
            return;
        memcpy(o, key, klen);
        if (first)
            *o = '{';
        first = 0;
        o += klen;
        size_t n;
        switch (v.type) {
        case V_NULL:
            memcpy(o, "null", 4);
            o += 4;
            break;
        case V_STR:
            *o++ = '"';
            o += trc_json_escape(o, v.s, slen);
            *o++ = '"';
            break;
        case V_INT:
            o += format_int(v.i, o);
            break;
        case V_DOUBLE:
            if (!(n = canonical_decimal(v.s, v.d, o)))
                n = trc_json_double(v.d, o);
            o += n;
            break;
        }
        w->n = (size_t)(o - w->buf);
    }
    json_extras(w, x, nx);
}

/* The record's end. */
static truce_status json_end(truce_event_writer *w)
{
    if (w->kind == TRUCE_OUTPUT_GEOJSON)
        put(w, "}}", 2);
    else
        put(w, "}\n", 2);
    return w->failed ? TRUCE_E_IO : TRUCE_OK;
}

static truce_status write_json(truce_event_writer *w, const truce_event *e, const truce_extra *x,
                               size_t nx)
{
    if (w->kind == TRUCE_OUTPUT_GEOJSON)
        geojson_separator(w);
    json_head(w, e, x, nx);
    return json_end(w);
}

truce_status truce_event_format_head(truce_event_output kind, const truce_event *e,
                                     const truce_extra *extra, size_t nextra, char **buf,
                                     size_t *len, size_t *cap)
{
    if (!e || (nextra && !extra) || !buf || !len || !cap || *len > *cap ||
        (kind != TRUCE_OUTPUT_JSONL && kind != TRUCE_OUTPUT_GEOJSON))
        return TRUCE_E_ARG;
    truce_event_writer w = {.out = NULL, .kind = kind, .n = *len, .cap = *cap, .buf = *buf};
    json_head(&w, e, extra, nextra);
    put_char(&w, '\0');
    *buf = w.buf;
    *cap = w.cap;
    if (w.failed)
        return TRUCE_E_NOMEM;
    *len = w.n - 1;
    return TRUCE_OK;
}

truce_status truce_event_write_head(truce_event_writer *w, const char *head, size_t len,
                                    const truce_extra *extra, size_t nextra, const char *tail,
                                    size_t tail_len)
{
    if (!w || (len && !head) || (nextra && !extra) || (tail_len && !tail) ||
        w->kind == TRUCE_OUTPUT_CSV)
        return TRUCE_E_ARG;
    if (w->kind == TRUCE_OUTPUT_GEOJSON)
        geojson_separator(w);
    put(w, head, len);
    json_extras(w, extra, nextra);
    put(w, tail, tail_len);
    return json_end(w);
}

/* One RFC 4180 field (libcsv quotes every field: still RFC 4180). */
static void csv_string(truce_event_writer *w, const char *s)
{
    size_t n = strlen(s);
    if (n <= WBUF_SIZE / 4) {
        if (w->cap - w->n < 2 * n + 2)
            flush_buf(w);
        w->n += csv_write(w->buf + w->n, w->cap - w->n, s, n);
    } else {
        flush_buf(w);
        if (csv_fwrite(w->out, s, n) != 0)
            w->failed = 1;
    }
}

static truce_status write_csv(truce_event_writer *w, const truce_event *e, const truce_extra *x,
                              size_t nx)
{
    /* A separator before every field but the row's first, then a line end. */
    if (!w->header_done) {
        int first = 1;
        for (const event_field_desc *d = trc_event_schema; d < trc_event_schema + EF_COUNT; d++) {
            if (!event_field_written(d))
                continue;
            if (!first)
                put_char(w, ',');
            first = 0;
            put(w, d->key, strlen(d->key));
        }
        for (size_t i = 0; i < nx; i++) {
            put_char(w, ',');
            csv_string(w, x[i].key);
        }
        put_char(w, '\n');
        w->header_done = 1;
    }
    char tbuf[21], num[32];
    int first = 1;
    for (const event_field_desc *d = trc_event_schema; d < trc_event_schema + EF_COUNT; d++) {
        if (!event_field_written(d))
            continue;
        if (!first)
            put_char(w, ',');
        first = 0;
        value v = column(e, d, tbuf);
        size_t n;
        switch (v.type) {
        case V_NULL:
            break;
        case V_STR:
            csv_string(w, v.s);
            break;
        case V_INT:
            n = format_int(v.i, num);
            put(w, num, n);
            break;
        case V_DOUBLE:
            if (!(n = canonical_decimal(v.s, v.d, num)))
                n = trc_json_double(v.d, num);
            put(w, num, n);
            break;
        }
    }
    for (size_t i = 0; i < nx; i++) {
        put_char(w, ',');
        if ((x[i].kind == TRUCE_EXTRA_STRING || x[i].kind == TRUCE_EXTRA_JSON) && x[i].text)
            csv_string(w, x[i].text);
        else if (x[i].kind == TRUCE_EXTRA_NUMBER && isfinite(x[i].number))
            put(w, num, trc_json_double(x[i].number, num));
    }
    put_char(w, '\n');
    return w->failed ? TRUCE_E_IO : TRUCE_OK;
}

truce_status truce_event_write_extra(truce_event_writer *w, const truce_event *e,
                                     const truce_extra *extra, size_t nextra)
{
    if (!w || !e || (nextra && !extra))
        return TRUCE_E_ARG;
    return w->kind == TRUCE_OUTPUT_CSV ? write_csv(w, e, extra, nextra)
                                       : write_json(w, e, extra, nextra);
}

truce_status truce_event_write(truce_event_writer *w, const truce_event *e)
{
    return truce_event_write_extra(w, e, NULL, 0);
}
