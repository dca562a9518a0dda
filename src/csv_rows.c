/* RFC 4180 records through libcsv, one physical line at a time: see csv_rows.h. */
#include "csv_rows.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static int lf_only(unsigned char c)
{
    return c == '\n';
}

static truce_status parser_start(csv_rows *c)
{
    if (csv_init(&c->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return TRUCE_E_NOMEM;
    csv_set_space_func(&c->parser, no_space);
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

truce_status csv_rows_init(csv_rows *c)
{
    memset(c, 0, sizeof *c);
    return parser_start(c);
}

void csv_rows_release(csv_rows *c)
{
    if (c->parser_live)
        csv_free(&c->parser);
    free(c->fbuf);
    memset(c, 0, sizeof *c);
}

static void on_field(void *s, size_t len, void *data)
{
    csv_rows *c = data;
    if (c->nfields < CSV_ROWS_MAX_FIELDS) {
        if (c->fcap - c->flen < len + 1) {
            size_t cap = c->fcap ? c->fcap : 4096;
            while (cap - c->flen < len + 1)
                cap *= 2;
            char *b = realloc(c->fbuf, cap);
            if (!b) {
                c->nomem = 1;
                return;
            }
            c->fbuf = b;
            c->fcap = cap;
        }
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

static void feed(csv_rows *c, const char *p, size_t n)
{
    /* CRLF and a final CR read as LF; see csv_rows.h. */
    size_t body = n;
    int lf = body > 0 && p[body - 1] == '\n';
    if (lf)
        body--;
    if (body > 0 && p[body - 1] == '\r')
        body--;
    /* libcsv ends a record at a CR too; a bare CR inside an unquoted field
     * must stay data, so only then pay for the terminator callback (an
     * indirect call per byte, 3% of the run when always set). */
    int bare_cr = body && memchr(p, '\r', body) != NULL;
    if (bare_cr)
        csv_set_term_func(&c->parser, lf_only);
    if (body)
        csv_parse(&c->parser, p, body, on_field, on_record, c);
    if (bare_cr)
        csv_set_term_func(&c->parser, NULL);
    if (lf && csv_error(&c->parser) == CSV_SUCCESS)
        csv_parse(&c->parser, "\n", 1, on_field, on_record, c);
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

truce_status csv_rows_next(csv_rows *c, truce_src *s, csv_record *rec, int *got)
{
    *got = 0;
    rec->error = NULL;
    rec->raw_truncated = 0;
    rec->nfields = 0;
    c->nfields = 0;
    c->flen = 0;
    c->done = 0;
    s->mark = s->pos;
    rec->line = s->line;
    size_t first_end = 0; /* bytes of the record's first line */
    size_t lines = 0;
    truce_status st;
    for (;;) {
        const char *p;
        size_t n;
        int have, cut;
        if ((st = src_line(s, &p, &n, &have, &cut)) != TRUCE_OK)
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
        if (lines == 1)
            first_end = s->pos - s->mark;
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

size_t csv_head_record(const char *head, size_t len, char names[][64], size_t max)
{
    const char *nl = memchr(head, '\n', len);
    if (!nl)
        return 0;
    csv_rows c;
    if (csv_rows_init(&c) != TRUCE_OK)
        return 0;
    /* Whole lines until the first record ends (a header has no line breaks
     * inside quotes in practice, but a data row may). */
    const char *p = head, *end = head + len;
    while (!c.done && p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            break;
        feed(&c, p, (size_t)(e - p) + 1);
        if (csv_error(&c.parser) != CSV_SUCCESS || c.nomem)
            break;
        p = e + 1;
    }
    size_t n = 0;
    if (c.done && csv_error(&c.parser) == CSV_SUCCESS && !c.nomem) {
        n = c.nfields;
        size_t kept = n < CSV_ROWS_MAX_FIELDS ? n : CSV_ROWS_MAX_FIELDS;
        for (size_t i = 0; i < kept && i < max; i++)
            snprintf(names[i], 64, "%s", c.fbuf + c.foff[i]);
    }
    csv_rows_release(&c);
    return n;
}

int csv_find_column(const csv_record *rec, const char *name)
{
    size_t kept = rec->nfields < CSV_ROWS_MAX_FIELDS ? rec->nfields : CSV_ROWS_MAX_FIELDS;
    for (size_t i = 0; i < kept; i++)
        if (!truce_strcasecmp(rec->fields[i], name))
            return (int)i;
    return -1;
}

int csv_is_hashtag_row(const csv_record *rec)
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
