/* The reader front end: the table of formats, detection from content, the
 * input buffer, and the checks every format shares (numbers, dates, UTF-8,
 * repeated ids). */
#include "truce/reader.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/digits.h"
#include "read/reader_impl.h"
#include "truce/time.h"
#include "truce/tz.h"
#include "base/utf8.h"
#include "base/util.h"

/* A tie in detection goes to the earlier entry: the aid formats first, as
 * they only claim a file whose tags or "record" members say so. */
static const truce_reader_format_ops *const formats[] = {
    &truce_reader_hxl,  &truce_reader_aid_jsonl, &truce_reader_acled,
    &truce_reader_ucdp, &truce_reader_geojson,   &truce_reader_jsonl,
};

static truce_reader_format_ops format_table[sizeof formats / sizeof formats[0]];

const truce_reader_format_ops *truce_reader_formats(size_t *count)
{
    /* A flat copy so that callers can index it; the entries never change. */
    size_t n = sizeof formats / sizeof formats[0];
    if (!format_table[0].name)
        for (size_t i = 0; i < n; i++)
            format_table[i] = *formats[i];
    if (count)
        *count = n;
    return format_table;
}

void truce_reader_options_init(truce_reader_options *o)
{
    memset(o, 0, sizeof *o);
    o->check_ids = 1;
    o->records = TRUCE_READ_EVENTS;
}

/* ---- the input buffer ---- */

#define SRC_CHUNK ((size_t)1 << 16)

truce_status trc_src_init(truce_src *s, FILE *f, size_t max_row)
{
    memset(s, 0, sizeof *s);
    s->f = f;
    s->max_row = max_row;
    s->line = 1;
    s->cap = 4 * SRC_CHUNK;
    s->buf = trc_malloc(s->cap);
    return s->buf ? TRUCE_OK : TRUCE_E_NOMEM;
}

void trc_src_release(truce_src *s)
{
    trc_free(s->buf);
    s->buf = NULL;
}

uint64_t trc_src_offset(const truce_src *s)
{
    return s->dropped + s->pos;
}

truce_status trc_src_fill(truce_src *s)
{
    if (s->eof)
        return TRUCE_OK;
    if (s->mark > 0 && s->len - s->mark < s->cap / 2) {
        memmove(s->buf, s->buf + s->mark, s->len - s->mark);
        s->dropped += s->mark;
        s->len -= s->mark;
        s->pos -= s->mark;
        s->mark = 0;
    }
    if (s->cap - s->len < SRC_CHUNK) {
        size_t cap = s->cap * 2;
        char *b = trc_realloc(s->buf, cap);
        if (!b)
            return TRUCE_E_NOMEM;
        s->buf = b;
        s->cap = cap;
    }
    size_t got = fread(s->buf + s->len, 1, s->cap - s->len, s->f);
    s->len += got;
    if (got == 0) {
        if (ferror(s->f)) {
            s->ioerr = errno ? errno : EIO;
            return TRUCE_E_IO;
        }
        s->eof = 1;
    }
    return TRUCE_OK;
}

size_t trc_src_line_end(const char *p, size_t n, int cr, int eof)
{
    const char *nl = memchr(p, '\n', n);
    size_t scan = nl ? (size_t)(nl - p) : n;
    const char *c = cr ? memchr(p, '\r', scan) : NULL;
    if (!c)
        return nl ? scan + 1 : 0;
    size_t at = (size_t)(c - p);
    if (at + 1 < n)
        return at + 1 + (p[at + 1] == '\n');
    return eof ? at + 1 : 0; /* a CR last: an LF may follow it */
}

truce_status trc_src_line(truce_src *s, const char **p, size_t *n, int *got, int *cut)
{
    *got = 0;
    *cut = 0;
    for (;;) {
        const char *start = s->buf + s->pos;
        size_t avail = s->len - s->pos;
        size_t end = trc_src_line_end(start, avail, s->cr_eol, s->eof);
        if (s->skip_to_eol) {
            if (end) {
                s->pos += end; /* the line was counted when cut */
                s->skip_to_eol = 0;
                s->mark = s->pos;
                continue;
            }
            /* Drop what is read of the rest, but a final CR that an LF
             * may follow. */
            s->pos = s->len;
            if (avail && start[avail - 1] == '\r' && s->cr_eol && !s->eof)
                s->pos--;
            s->mark = s->pos;
            if (s->eof)
                return TRUCE_OK;
            truce_status st = trc_src_fill(s);
            if (st)
                return st;
            continue;
        }
        if (end && end - 1 < s->max_row) {
            *p = start;
            *n = end;
            s->pos += end;
            s->line++;
            *got = 1;
            return TRUCE_OK;
        }
        if (avail >= s->max_row) {
            /* A line longer than a row may be: hand out its start. */
            *p = start;
            *n = s->max_row;
            s->pos += s->max_row;
            s->line++;
            s->skip_to_eol = 1;
            *got = 1;
            *cut = 1;
            return TRUCE_OK;
        }
        if (s->eof) {
            if (avail == 0)
                return TRUCE_OK;
            *p = start;
            *n = avail;
            s->pos += avail;
            s->line++;
            *got = 1;
            return TRUCE_OK;
        }
        truce_status st = trc_src_fill(s);
        if (st)
            return st;
    }
}

/* ---- opening and reading ---- */

void truce_reader_stats_get(const truce_reader *r, truce_reader_stats *out)
{
    *out = r->stats;
    out->bytes = trc_src_offset(&r->src);
}

const char *truce_reader_format(const truce_reader *r)
{
    return r->ops->name;
}

const char *truce_reader_layout(const truce_reader *r)
{
    return r->layout ? r->layout : r->ops->name;
}

void truce_reader_header(const truce_reader *r, const char **raw, size_t *len)
{
    *raw = r->header;
    *len = r->header ? r->header_len : 0;
}

static void add_diag(truce_diags *diags, const char *name, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void add_diag(truce_diags *diags, const char *name, long line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    truce_diags_add(diags, TRUCE_DIAG_ERROR, name, line, NULL, NULL, "%s", msg);
}

static truce_status reader_open(FILE *in, const char *name, const truce_reader_options *options,
                                truce_reader **out, truce_diags *diags);

static unsigned records_of(const truce_reader_format_ops *ops)
{
    return ops->records ? ops->records : TRUCE_READ_EVENTS;
}

truce_status truce_reader_open(FILE *in, const char *name, const truce_reader_options *options,
                               truce_reader **out, truce_diags *diags)
{
    if (diags)
        return reader_open(in, name, options, out, diags);
    truce_diags scratch; /* the formats always report; a caller may not listen */
    truce_diags_init(&scratch);
    truce_status st = reader_open(in, name, options, out, &scratch);
    truce_diags_release(&scratch);
    return st;
}

static truce_status reader_open(FILE *in, const char *name, const truce_reader_options *options,
                                truce_reader **out, truce_diags *diags)
{
    *out = NULL;
    truce_reader_options defaults;
    if (!options) {
        truce_reader_options_init(&defaults);
        options = &defaults;
    }
    if (!in)
        return TRUCE_E_ARG;
    truce_reader *r = trc_calloc(1, sizeof *r);
    if (!r)
        return TRUCE_E_NOMEM;
    r->name = name ? truce_strdup(name) : NULL;
    r->tz = options->tz;
    r->places = options->places;
    r->nplaces = options->nplaces;
    if (options->precision)
        r->precision = *options->precision;
    else
        truce_precision_table_default(&r->precision);
    r->geojson_properties = options->geojson_properties;
    r->check_ids = options->check_ids;
    r->aid_kind = options->aid_kind;
    unsigned records = options->records ? options->records : TRUCE_READ_EVENTS;
    trc_idset_init(&r->ids);
    size_t max_row = options->max_row_bytes ? options->max_row_bytes : TRUCE_READER_MAX_ROW_BYTES;
    truce_status st = (name && !r->name) ? TRUCE_E_NOMEM : trc_src_init(&r->src, in, max_row);
    if (!st)
        st = trc_src_fill(&r->src);
    if (st) {
        if (st == TRUCE_E_IO)
            add_diag(diags, name, 0, "cannot read: %s", strerror(r->src.ioerr));
        truce_reader_free(r);
        return st;
    }
    /* Fill the head up to one chunk for sniffing (fread may return short on a pipe). */
    while (!r->src.eof && r->src.len < SRC_CHUNK) {
        if ((st = trc_src_fill(&r->src)) != TRUCE_OK) {
            if (st == TRUCE_E_IO)
                add_diag(diags, name, 0, "cannot read: %s", strerror(r->src.ioerr));
            truce_reader_free(r);
            return st;
        }
    }
    /* A UTF-8 byte order mark is not part of the first row. */
    if (r->src.len >= 3 && !memcmp(r->src.buf, "\xEF\xBB\xBF", 3)) {
        r->src.pos = 3;
        r->src.mark = 3;
    }
    size_t count = sizeof formats / sizeof formats[0];
    if (options->format) {
        for (size_t i = 0; i < count && !r->ops; i++)
            if (!truce_strcasecmp(formats[i]->name, options->format))
                r->ops = formats[i];
        if (!r->ops) {
            add_diag(diags, name, 0,
                     "unknown format \"%s\" (acled, ucdp, geojson, jsonl; hxl, aid-jsonl)",
                     options->format);
            truce_reader_free(r);
            return TRUCE_E_NOT_FOUND;
        }
        if (!(records_of(r->ops) & records)) {
            add_diag(diags, name, 0, "format \"%s\" holds %s, not %s", r->ops->name,
                     records_of(r->ops) == TRUCE_READ_AID ? "humanitarian records" : "events",
                     records == TRUCE_READ_AID ? "humanitarian records" : "events");
            truce_reader_free(r);
            return TRUCE_E_UNSUPPORTED;
        }
    } else {
        int best = 0;
        const char *head = r->src.buf + r->src.pos;
        size_t head_len = r->src.len - r->src.pos;
        /* A sniff has no way to say that it ran out of memory, only a score
         * that may then be wrong. */
        unsigned long failures = trc_alloc_failures();
        for (size_t i = 0; i < count; i++) {
            if (!(records_of(formats[i]) & records))
                continue;
            int score = formats[i]->sniff(head, head_len);
            if (score > best) {
                best = score;
                r->ops = formats[i];
            }
        }
        if (trc_alloc_failures() != failures) {
            truce_reader_free(r);
            return TRUCE_E_NOMEM;
        }
        if (!r->ops) {
            add_diag(diags, name, 0, "%s",
                     records & TRUCE_READ_AID
                         ? "cannot tell the format from the content (not ACLED or UCDP GED "
                           "CSV with their columns, a GeoJSON FeatureCollection, JSON Lines, "
                           "HXL-tagged CSV of aid records, or JSON Lines of aid records); use "
                           "--format"
                         : "cannot tell the format from the content (not ACLED or UCDP GED CSV "
                           "with their columns, a GeoJSON FeatureCollection, or JSON Lines); "
                           "use --format");
            truce_reader_free(r);
            return TRUCE_E_UNSUPPORTED;
        }
    }
    if (!options->max_row_bytes &&
        (r->ops == &truce_reader_jsonl || r->ops == &truce_reader_aid_jsonl))
        r->src.max_row = TRUCE_READER_MAX_JSONL_ROW_BYTES;
    st = r->ops->open(r, diags);
    if (st) {
        truce_reader_free(r);
        return st;
    }
    *out = r;
    return TRUCE_OK;
}

truce_status truce_reader_next(truce_reader *r, truce_row *row)
{
    memset(row, 0, sizeof *row);
    r->id_hash_set = 0;
    truce_status st = r->ops->next(r, row);
    if (st == TRUCE_OK && (row->kind == TRUCE_ROW_EVENT || row->kind == TRUCE_ROW_AID)) {
        r->stats.read++;
        r->stats.accepted++;
    } else if (row->kind == TRUCE_ROW_REJECT) {
        r->stats.read++;
        r->stats.rejected++;
    }
    return st;
}

void truce_reader_free(truce_reader *r)
{
    if (!r)
        return;
    if (r->ops && r->state)
        r->ops->close(r);
    trc_src_release(&r->src);
    trc_idset_release(&r->ids);
    trc_free(r->header);
    trc_free(r->name);
    trc_free(r);
}

/* ---- rows ---- */

void trc_reader_reject(truce_reader *r, truce_row *row, long line, const char *raw, size_t n,
                       const char *field, const char *fmt, ...)
{
    row->kind = TRUCE_ROW_REJECT;
    row->line = line;
    row->raw = raw;
    row->raw_len = n;
    if (field) {
        snprintf(r->field, sizeof r->field, "%s", field);
        row->field = r->field;
    } else {
        row->field = NULL;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
    trc_one_line(r->reason);
    row->reason = r->reason;
}

/* The hash of r->event's id key: ids are unique within a source, the file
 * the event was first read from, which JSON Lines written by truce carries
 * along. */
static truce_status id_key_hash(const truce_reader *r, uint64_t *h)
{
    const truce_event *e = &r->event;
    const char *fmt = truce_event_format_name(e->format), *file = e->file ? e->file : "";
    size_t nf = strlen(fmt), nfile = strlen(file), nid = strlen(e->id);
    char small[512];
    size_t klen = nf + nfile + nid + 2;
    char *key = klen <= sizeof small ? small : trc_malloc(klen);
    if (!key)
        return TRUCE_E_NOMEM;
    memcpy(key, fmt, nf);
    key[nf] = '\x1f';
    memcpy(key + nf + 1, file, nfile);
    key[nf + 1 + nfile] = '\x1f';
    memcpy(key + nf + nfile + 2, e->id, nid);
    *h = trc_idset_hash(key, klen);
    if (key != small)
        trc_free(key);
    return TRUCE_OK;
}

truce_status trc_reader_prefetch_id(truce_reader *r)
{
    if (!r->check_ids)
        return TRUCE_OK;
    truce_status st = id_key_hash(r, &r->id_hash);
    if (st)
        return st;
    r->id_hash_set = 1;
    trc_idset_prefetch(&r->ids, r->id_hash);
    return TRUCE_OK;
}

truce_status trc_reader_accept(truce_reader *r, truce_row *row, long line, const char *raw,
                               size_t n, const char *id_field)
{
    if (r->check_ids) {
        uint64_t h = r->id_hash;
        truce_status st = r->id_hash_set ? TRUCE_OK : id_key_hash(r, &h);
        r->id_hash_set = 0;
        if (st)
            return st;
        long first = 0;
        st = trc_idset_add_hash(&r->ids, h, line, &first);
        if (st)
            return st;
        if (first) {
            trc_reader_reject(r, row, line, raw, n, id_field,
                              "repeated id \"%.60s\" (first seen at line %ld)", r->event.id, first);
            return TRUCE_OK;
        }
    }
    row->kind = TRUCE_ROW_EVENT;
    row->event = &r->event;
    row->line = line;
    row->raw = raw;
    row->raw_len = n;
    return TRUCE_OK;
}

void trc_reader_accept_aid(truce_reader *r, truce_row *row, long line, const char *raw, size_t n)
{
    row->kind = TRUCE_ROW_AID;
    row->aid = &r->aid;
    row->line = line;
    row->raw = raw;
    row->raw_len = n;
}

/* ---- field checks ---- */

/* Copy at most 40 bytes of `s` for a message. */
static void shown(char *dst, size_t len, const char *s)
{
    size_t n = strlen(s);
    if (n > 40)
        snprintf(dst, len, "%.40s...", s);
    else
        snprintf(dst, len, "%s", s);
}

int trc_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out, char *why,
                    size_t why_len)
{
    char v[64];
    if (!s || !*s) {
        snprintf(why, why_len, "missing");
        return -1;
    }
    const char *p = s;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    uint64_t acc;
    size_t n = trc_digits(p, SIZE_MAX, &acc);
    if (!n || p[n])
        goto bad;
    if (acc > (uint64_t)INT64_MAX)
        goto range;
    int64_t value = neg ? -(int64_t)acc : (int64_t)acc;
    if (value < min || value > max)
        goto range;
    *out = value;
    return 0;
bad:
    shown(v, sizeof v, s);
    snprintf(why, why_len, "\"%s\" is not an integer", v);
    return -1;
range:
    shown(v, sizeof v, s);
    snprintf(why, why_len, "%s is outside [%lld, %lld]", v, (long long)min, (long long)max);
    return -1;
}

int trc_parse_coord(const char *s, double min, double max, double *out, char *why, size_t why_len)
{
    char v[64];
    if (!s || !*s) {
        snprintf(why, why_len, "missing");
        return -1;
    }
    /* Decimal notation only: strtod alone would take "inf", "nan", hex and
     * leading spaces. */
    const char *p = s;
    int neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    uint64_t whole, part = 0;
    size_t digits = trc_digits(p, SIZE_MAX, &whole), frac = 0;
    p += digits;
    if (*p == '.') {
        p++;
        frac = trc_digits(p, SIZE_MAX, &part);
        p += frac;
        digits += frac;
    }
#if FLT_EVAL_METHOD == 0
    /* Clinger's fast path ("How to read floating point numbers accurately",
     * PLDI 1990): at most 15 digits and no exponent, so the digits and the
     * power of ten are exact doubles and one correctly rounded division is
     * the correctly rounded value, what strtod returns.  strtod was 6% of
     * `truce events` on ACLED rows (perf), two coordinates a row. */
    static const double pow10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    if (digits && digits <= 15 && *p == '\0') {
        /* whole * 10^frac + part < 10^15: exact in uint64_t and in a double */
        double d = (double)(whole * (uint64_t)pow10[frac] + part) / pow10[frac];
        if (neg)
            d = -d;
        if (!(d >= min && d <= max)) {
            shown(v, sizeof v, s);
            snprintf(why, why_len, "%s is outside [%g, %g]", v, min, max);
            return -1;
        }
        *out = d;
        return 0;
    }
#endif
    if (digits && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        size_t exp = trc_digits(p, SIZE_MAX, NULL);
        if (!exp)
            digits = 0;
        p += exp;
    }
    if (!digits || *p) {
        shown(v, sizeof v, s);
        snprintf(why, why_len, "\"%s\" is not a number", v);
        return -1;
    }
    double d = strtod(s, NULL);
    if (!(d >= min && d <= max)) {
        shown(v, sizeof v, s);
        snprintf(why, why_len, "%s is outside [%g, %g]", v, min, max);
        return -1;
    }
    *out = d;
    return 0;
}

int trc_parse_date(const char *s, int acled, int allow_midnight, int64_t *days, int *year,
                   char *why, size_t why_len)
{
    static const char *const months[12] = {"January",   "February", "March",    "April",
                                           "May",       "June",     "July",     "August",
                                           "September", "October",  "November", "December"};
    char v[64];
    int y = -1, m = -1, d = -1;
    size_t n = s ? strlen(s) : 0;
    if (n == 0) {
        snprintf(why, why_len, "missing");
        return -1;
    }
    if (n >= 10 && s[4] == '-' && s[7] == '-') {
        y = trc_digits_fixed(s, 4);
        m = trc_digits_fixed(s + 5, 2);
        d = trc_digits_fixed(s + 8, 2);
        const char *rest = s + 10;
        if (*rest &&
            !(allow_midnight && (!strcmp(rest, " 00:00:00") || !strcmp(rest, " 00:00:00.000"))))
            y = -1;
    } else if (acled && n == 10 && s[2] == '-' && s[5] == '-') {
        d = trc_digits_fixed(s, 2);
        m = trc_digits_fixed(s + 3, 2);
        y = trc_digits_fixed(s + 6, 4);
    } else if (acled && n >= 10) {
        /* "5 March 2020" or "05 March 2020" */
        const char *p = s;
        if (trc_is_digit(p[0]) && p[1] == ' ') {
            d = p[0] - '0';
            p += 2;
        } else if ((d = trc_digits_fixed(p, 2)) >= 0 && p[2] == ' ') {
            p += 3;
        } else {
            d = -1;
        }
        const char *sp = d >= 0 ? strchr(p, ' ') : NULL;
        if (sp) {
            for (int i = 0; i < 12; i++)
                if ((size_t)(sp - p) == strlen(months[i]) &&
                    !strncmp(p, months[i], (size_t)(sp - p)))
                    m = i + 1;
            if (strlen(sp + 1) == 4)
                y = trc_digits_fixed(sp + 1, 4);
        }
    }
    if (y < 0 || m < 0 || d < 0) {
        shown(v, sizeof v, s);
        snprintf(why, why_len,
                 acled ? "\"%s\" is not a date (YYYY-MM-DD, DD Month YYYY or DD-MM-YYYY)"
                       : "\"%s\" is not a date (YYYY-MM-DD)",
                 v);
        return -1;
    }
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > truce_days_in_month(y, m)) {
        shown(v, sizeof v, s);
        snprintf(why, why_len, "no such date: %s", v);
        return -1;
    }
    *days = truce_days_from_civil(y, m, d);
    *year = y;
    return 0;
}

const char *trc_reader_text_problem(const char *s, size_t n)
{
    if (memchr(s, '\0', n))
        return "holds a NUL byte";
    if (!truce_utf8_valid(s, n))
        return "not UTF-8";
    return NULL;
}

int trc_interval_in_range(int64_t start_s, int64_t end_s, char *why, size_t why_len)
{
    if (start_s < TRUCE_INSTANT_FIRST_S) {
        snprintf(why, why_len,
                 "starts before 0001-01-01T00:00:00Z, the first instant truce handles "
                 "(docs/events.md, \"Time\")");
        return -1;
    }
    if (end_s > TRUCE_INSTANT_LAST_S) {
        snprintf(why, why_len,
                 "ends after 9999-12-31T23:59:59Z, the last instant truce handles (the end is "
                 "the midnight after the last day; docs/events.md, \"Time\")");
        return -1;
    }
    return 0;
}

int trc_local_days_interval(const truce_tz *tz, int64_t first_day, int64_t after_day,
                            int64_t *start_s, int64_t *end_s, char *why, size_t why_len)
{
    int64_t start = TRUCE_TIME_MIN, end = TRUCE_TIME_MAX;
    if (truce_tz_day_start(tz, first_day, &start) == TRUCE_OK)
        (void)truce_tz_day_start(tz, after_day, &end);
    *start_s = start;
    *end_s = end;
    return trc_interval_in_range(start, end, why, why_len);
}

truce_status trc_reader_keep_header(truce_reader *r, const char *raw, size_t n)
{
    char *h = trc_realloc(r->header, r->header_len + n);
    if (!h)
        return TRUCE_E_NOMEM;
    memcpy(h + r->header_len, raw, n);
    r->header = h;
    r->header_len += n;
    return TRUCE_OK;
}
