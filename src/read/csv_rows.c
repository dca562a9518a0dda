/* RFC 4180 records through libcsv, one physical line at a time: see csv_rows.h. */
#include "read/csv_rows.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/util.h"

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static truce_status parser_start(csv_rows *c)
{
    if (csv_init(&c->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return TRUCE_E_NOMEM;
    csv_set_space_func(&c->parser, no_space);
    csv_set_realloc_func(&c->parser, trc_realloc);
    csv_set_free_func(&c->parser, trc_free);
    c->parser_live = 1;
    return TRUCE_OK;
}

/* libcsv keeps its error state; a fresh parser is the documented way back. */
static truce_status parser_reset(csv_rows *c)
{
    if (c->parser_live)
        csv_free(&c->parser);
    c->parser_live = 0;
    return parser_start(c);
}

truce_status trc_csv_rows_init(csv_rows *c)
{
    memset(c, 0, sizeof *c);
    return parser_start(c);
}

void trc_csv_rows_release(csv_rows *c)
{
    if (c->parser_live)
        csv_free(&c->parser);
    trc_free(c->fbuf);
    memset(c, 0, sizeof *c);
}

/* Room for `len` more bytes in fbuf; 0 (and nomem set) when it cannot grow. */
static int fbuf_room(csv_rows *c, size_t len)
{
    if (c->fcap - c->flen >= len)
        return 1;
    size_t cap = c->fcap ? c->fcap : 4096;
    while (cap - c->flen < len)
        cap *= 2;
    char *b = trc_realloc(c->fbuf, cap);
    if (!b) {
        c->nomem = 1;
        return 0;
    }
    c->fbuf = b;
    c->fcap = cap;
    return 1;
}

static void on_field(void *s, size_t len, void *data)
{
    csv_rows *c = data;
    if (c->nfields < CSV_ROWS_MAX_FIELDS) {
        if (!fbuf_room(c, len + 1))
            return;
        c->foff[c->nfields] = c->flen;
        if (len)
            memcpy(c->fbuf + c->flen, s, len);
        c->fbuf[c->flen + len] = '\0';
        c->flen += len + 1;
    }
    c->nfields++;
}

static void on_record(int term, void *data)
{
    (void)term;
    csv_rows *c = data;
    c->done = 1;
}

/* Parse one physical line (trc_src_line_end: a CR is never inside one).  Its
 * line end, LF, CRLF or a bare CR, goes to libcsv as one LF: all three read
 * alike, in a quoted field too; see csv_rows.h. */
static void feed(csv_rows *c, const char *p, size_t n)
{
    size_t body = n;
    int eol = body > 0 && p[body - 1] == '\n';
    if (eol)
        body--;
    if (body > 0 && p[body - 1] == '\r') {
        body--;
        eol = 1;
    }
    if (body)
        csv_parse(&c->parser, p, body, on_field, on_record, c);
    if (eol && csv_error(&c->parser) == CSV_SUCCESS)
        csv_parse(&c->parser, "\n", 1, on_field, on_record, c);
}

/* The first ',' or '"' in [q, end), or end.  Eight bytes at a time where
 * the byte order lets the lowest flagged byte be found with ctz: the
 * zero-byte test of Anderson's "Bit Twiddling Hacks" (haszero) flags the
 * first matching byte exactly (only bytes above it can be false hits).  Byte
 * by byte this loop was half of the splitter's time (perf annotate). */
static char *comma_or_quote(char *q, const char *end)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    while (end - q >= 8) {
        uint64_t x, c, d;
        memcpy(&x, q, 8);
        c = x ^ (ones * ',');
        d = x ^ (ones * '"');
        uint64_t t = (((c - ones) & ~c) | ((d - ones) & ~d)) & high;
        if (t)
            return q + (__builtin_ctzll(t) >> 3);
        q += 8;
    }
#endif
    while (q < end && *q != ',' && *q != '"')
        q++;
    return q;
}

/* The fast path: split one physical line p[0, n) that holds a whole record
 * into rec's fields, or return 0 and leave the line to libcsv.
 *
 * Why by hand: libcsv runs a state machine byte by byte with an indirect
 * call per field; on the 210 MB generated ACLED file (bench/bench_events.sh)
 * it alone, with no-op callbacks, takes 0.66-0.82 s of CPU (255-318 MB/s,
 * docs/performance.md), and it was 31% of `truce events` in perf.  The
 * issue's 10x-ogr2ogr target needs the whole read, check and write at about
 * 210 MB/s, so libcsv by itself would use most of the budget.  Here the line
 * is copied once and quoted fields are found with memchr.
 *
 * Only what RFC 4180 and libcsv's strict mode agree on is taken: unquoted
 * fields without a quote; quoted fields that close on this line, with doubled
 * quotes inside, followed by a comma or the end of the line.  Anything else
 * (a quote left open, which may continue on the next line; a stray quote;
 * more than CSV_ROWS_MAX_FIELDS fields; an empty line) returns 0 before rec is
 * touched in a way the caller keeps, and libcsv reads the line from its first
 * byte, so every error and resynchronisation stays libcsv's.  The fuzz
 * target fuzz_csv checks the two give the same records on any input. */
static int split_line(csv_rows *c, const char *p, size_t n, csv_record *rec)
{
    size_t body = n;
    if (body > 0 && p[body - 1] == '\n')
        body--;
    if (body > 0 && p[body - 1] == '\r')
        body--;
    if (body == 0)
        return 0;
    c->flen = 0;
    if (!fbuf_room(c, body + 1))
        return 0;
    char *b = c->fbuf;
    memcpy(b, p, body);
    b[body] = '\0';
    char *q = b, *end = b + body;
    size_t nf = 0;
    for (;;) {
        if (nf == CSV_ROWS_MAX_FIELDS)
            return 0;
        if (*q == '"') {
            /* Unescape in place: the field only shrinks. */
            char *start = q + 1, *w = start, *r = start;
            for (;;) {
                char *dq = memchr(r, '"', (size_t)(end - r));
                if (!dq)
                    return 0; /* open at the end of the line */
                size_t k = (size_t)(dq - r);
                if (w != r)
                    memmove(w, r, k);
                w += k;
                if (dq[1] == '"') { /* b[body] is NUL, so dq[1] is readable */
                    *w++ = '"';
                    r = dq + 2;
                    continue;
                }
                r = dq + 1;
                break;
            }
            if (r != end && *r != ',')
                return 0; /* stray quote after the closing one */
            *w = '\0';
            rec->fields[nf] = start;
            rec->lens[nf++] = (size_t)(w - start);
            if (r == end)
                break;
            q = r + 1;
        } else {
            char *f = q;
            q = comma_or_quote(q, end);
            if (q < end && *q == '"')
                return 0; /* stray quote */
            *q = '\0';
            rec->fields[nf] = f;
            rec->lens[nf++] = (size_t)(q - f);
            if (q == end)
                break;
            q++;
        }
    }
    rec->nfields = nf;
    return 1;
}

static int blank(const char *p, size_t n)
{
    return (n == 1 && p[0] == '\n') || (n == 2 && p[0] == '\r' && p[1] == '\n') ||
           (n == 1 && p[0] == '\r');
}

static void finish(csv_rows *c, csv_record *rec)
{
    size_t kept = c->nfields < CSV_ROWS_MAX_FIELDS ? c->nfields : CSV_ROWS_MAX_FIELDS;
    for (size_t i = 0; i < kept; i++) {
        rec->fields[i] = c->fbuf + c->foff[i];
        rec->lens[i] = (i + 1 < kept ? c->foff[i + 1] : c->flen) - c->foff[i] - 1;
    }
    rec->nfields = c->nfields;
}

truce_status trc_csv_rows_next(csv_rows *c, truce_src *s, csv_record *rec, int *got)
{
    *got = 0;
    rec->error = NULL;
    rec->raw_truncated = 0;
    rec->nfields = 0;
    c->nfields = 0;
    c->flen = 0;
    c->done = 0;
    s->cr_eol = 1; /* CSV lines end at LF, CRLF or a bare CR */
    s->mark = s->pos;
    rec->line = s->line;
    size_t first_end = 0; /* bytes of the record's first line */
    size_t lines = 0;
    truce_status st;
    for (;;) {
        const char *p;
        size_t n;
        int have, cut;
        if ((st = trc_src_line(s, &p, &n, &have, &cut)) != TRUCE_OK)
            return st;
        if (!have) {
            if (lines == 0)
                return TRUCE_OK;
            if (csv_fini(&c->parser, on_field, on_record, c) != 0)
                goto unterminated;
            break;
        }
        if (cut) {
            /* The record's bytes so far are kept from mark, this line cut. */
            rec->error = "row longer than the maximum row size";
            rec->raw = s->buf + s->mark;
            rec->raw_len = s->pos - s->mark;
            rec->raw_truncated = 1;
            *got = 1;
            return parser_reset(c);
        }
        if (lines == 0 && blank(p, n)) {
            s->mark = s->pos;
            rec->line = s->line;
            continue;
        }
        lines++;
        if (lines == 1) {
            first_end = s->pos - s->mark;
            if (!c->libcsv_only && split_line(c, p, n, rec)) {
                rec->raw = s->buf + s->mark;
                rec->raw_len = s->pos - s->mark;
                *got = 1;
                return TRUCE_OK;
            }
            if (c->nomem)
                return TRUCE_E_NOMEM;
            rec->nfields = 0;
            c->flen = 0;
        }
        feed(c, p, n);
        if (c->nomem)
            return TRUCE_E_NOMEM;
        if (csv_error(&c->parser) == CSV_EPARSE) {
            if (lines > 1)
                goto unterminated;
            rec->error = "stray quote: a field with a quote must be quoted whole, its quotes "
                         "doubled (RFC 4180)";
            if ((st = parser_reset(c)) != TRUCE_OK)
                return st;
            break;
        }
        if (csv_error(&c->parser) != CSV_SUCCESS)
            return TRUCE_E_NOMEM;
        if (c->done)
            break;
        if (s->pos - s->mark > s->max_row)
            goto unterminated;
    }
    if (!c->done && !rec->error && lines > 0)
        c->done = 1; /* csv_fini delivered the last record */
    if (lines > 1 && !rec->error && c->expect && c->nfields != c->expect)
        goto unterminated;
    rec->raw = s->buf + s->mark;
    rec->raw_len = s->pos - s->mark;
    finish(c, rec);
    *got = 1;
    return TRUCE_OK;

unterminated:
    /* Reject the first line alone and read on from the line after it. */
    rec->error = "quoted field opened on this line is not closed into a well-formed row";
    rec->raw = s->buf + s->mark;
    rec->raw_len = first_end;
    s->pos = s->mark + first_end;
    s->line = rec->line + 1;
    s->skip_to_eol = 0;
    *got = 1;
    return parser_reset(c);
}

size_t trc_csv_head_record(const char *head, size_t len, char names[][64], size_t max)
{
    if (!trc_src_line_end(head, len, 1, 1))
        return 0;
    csv_rows c;
    if (trc_csv_rows_init(&c) != TRUCE_OK)
        return 0;
    /* Whole lines until the first record ends (a header has no line breaks
     * inside quotes in practice, but a data row may). */
    const char *p = head, *end = head + len;
    while (!c.done && p < end) {
        size_t n = trc_src_line_end(p, (size_t)(end - p), 1, 1);
        if (!n)
            break;
        feed(&c, p, n);
        if (csv_error(&c.parser) != CSV_SUCCESS || c.nomem)
            break;
        p += n;
    }
    size_t n = 0;
    if (c.done && csv_error(&c.parser) == CSV_SUCCESS && !c.nomem) {
        n = c.nfields;
        size_t kept = n < CSV_ROWS_MAX_FIELDS ? n : CSV_ROWS_MAX_FIELDS;
        for (size_t i = 0; i < kept && i < max; i++)
            snprintf(names[i], 64, "%s", c.fbuf + c.foff[i]);
    }
    trc_csv_rows_release(&c);
    return n;
}

int trc_csv_find_column(const csv_record *rec, const char *name)
{
    size_t kept = rec->nfields < CSV_ROWS_MAX_FIELDS ? rec->nfields : CSV_ROWS_MAX_FIELDS;
    for (size_t i = 0; i < kept; i++)
        if (!truce_strcasecmp(rec->fields[i], name))
            return (int)i;
    return -1;
}

truce_status trc_csv_header_columns(truce_reader *r, truce_diags *diags, csv_rows *c,
                                    const csv_record *header, const csv_schema *schema, int *col,
                                    size_t *ncols)
{
    *ncols = header->nfields;
    c->expect = header->nfields;
    if (header->nfields > CSV_ROWS_MAX_FIELDS) {
        truce_diags_add(diags, TRUCE_DIAG_ERROR, r->name, header->line, NULL, NULL,
                        "the header has %zu columns; at most %d are read", header->nfields,
                        CSV_ROWS_MAX_FIELDS);
        return TRUCE_E_INVALID;
    }
    truce_status st = TRUCE_OK;
    for (size_t i = 0; i < header->nfields; i++) {
        const char *why = trc_reader_text_problem(header->fields[i], header->lens[i]);
        if (why) {
            truce_diags_add(diags, TRUCE_DIAG_ERROR, r->name, header->line, NULL, NULL,
                            "column %zu of the header %s", i + 1, why);
            st = TRUCE_E_INVALID;
        }
    }
    for (int k = 0; k < schema->ncol; k++) {
        col[k] = trc_csv_find_column(header, schema->names[k]);
        /* A column named twice: which one is meant cannot be told. */
        for (size_t j = col[k] < 0 ? header->nfields : (size_t)col[k] + 1; j < header->nfields;
             j++) {
            if (!truce_strcasecmp(header->fields[j], schema->names[k])) {
                truce_diags_add(diags, TRUCE_DIAG_ERROR, r->name, header->line, NULL,
                                schema->names[k],
                                "the %s header has column \"%s\" twice (columns %d and %zu)",
                                schema->what, schema->names[k], col[k] + 1, j + 1);
                st = TRUCE_E_INVALID;
                break;
            }
        }
    }
    for (size_t i = 0; i < schema->nrequired; i++) {
        const char *name = schema->names[schema->required[i]];
        if (col[schema->required[i]] < 0) {
            truce_diags_add(diags, TRUCE_DIAG_ERROR, r->name, header->line, NULL, name,
                            "the %s header has no column \"%s\"", schema->what, name);
            st = TRUCE_E_INVALID;
        }
    }
    return st;
}

int trc_csv_is_hashtag_row(const csv_record *rec)
{
    size_t kept = rec->nfields < CSV_ROWS_MAX_FIELDS ? rec->nfields : CSV_ROWS_MAX_FIELDS;
    int any = 0;
    for (size_t i = 0; i < kept; i++) {
        if (rec->lens[i] == 0)
            continue;
        if (rec->fields[i][0] != '#')
            return 0;
        any = 1;
    }
    return any;
}

int trc_csv_record_reject(truce_reader *r, truce_row *row, const csv_record *rec, size_t ncols,
                          const char *ncols_what, const int *col, int ncol,
                          const char *const *names)
{
    if (rec->error)
        trc_reader_reject(r, row, rec->line, rec->raw, rec->raw_len, NULL, "%s", rec->error);
    else if (rec->nfields != ncols)
        trc_reader_reject(r, row, rec->line, rec->raw, rec->raw_len, NULL, "%zu columns, %s %zu",
                          rec->nfields, ncols_what, ncols);
    else if (trc_reader_text_problem(rec->raw, rec->raw_len)) {
        /* Which field: the first whose text is not kept faithfully. */
        const char *why = NULL;
        size_t i = 0;
        while (i < rec->nfields && !(why = trc_reader_text_problem(rec->fields[i], rec->lens[i])))
            i++;
        if (why)
            trc_reader_reject(r, row, rec->line, rec->raw, rec->raw_len,
                              csv_map_name(col, ncol, names, i), "%s (column %zu)", why, i + 1);
        else
            trc_reader_reject(r, row, rec->line, rec->raw, rec->raw_len, NULL, "%s",
                              trc_reader_text_problem(rec->raw, rec->raw_len));
    } else
        return 0;
    row->raw_truncated = rec->raw_truncated;
    return 1;
}
