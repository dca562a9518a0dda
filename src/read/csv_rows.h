/* RFC 4180 records over the reader's input buffer, parsed by libcsv (not
 * public API; shared by read_acled.c and read_ucdp.c).
 *
 * Lines are handed to libcsv one physical line at a time, so every record
 * knows the physical line it starts on (quoted fields may hold line breaks)
 * and its verbatim bytes.  A line ends at LF, CRLF or a bare CR (old Mac
 * files; trc_src_line_end), so line numbers count all three; libcsv runs in
 * strict mode with no space trimming and is given each line end as one LF
 * (the line end stays in the verbatim bytes), so LF, CRLF and CR files read
 * alike, and a line break inside a quoted field reads as LF whatever it was.
 * Blank lines between records are skipped; a UTF-8 BOM was removed by the
 * reader.
 *
 * Most lines take a hand-written fast path instead (split_line in csv_rows.c,
 * where the measured reason is): a line that holds a whole record, with every
 * quoted field closed on it, is split directly.  Every other line (a quote
 * left open, a stray quote, more than CSV_ROWS_MAX_FIELDS fields) goes to
 * libcsv from its first byte, so the records, errors and resynchronisation
 * below are libcsv's.
 *
 * A record that is not well-formed CSV comes back with `error` set:
 * - a stray quote (`ab"c`, `"ab"c`): the record ends at the end of that line;
 * - a record spanning several lines that is not well-formed (a stray quote,
 *   or not `expect` fields), or a quoted field still open at the end of the
 *   input or when the record has grown past max_row bytes: the quote that
 *   opened on the first line is taken to be the fault, only that line is
 *   rejected and reading resumes on the line after it, so one unclosed quote
 *   costs one row, not the rows after it;
 * - a line longer than max_row: rejected, its start kept.
 */
#ifndef TRUCE_CSV_ROWS_H
#define TRUCE_CSV_ROWS_H

#include <csv.h>
#include <stddef.h>

#include "read/reader_impl.h"

#define CSV_ROWS_MAX_FIELDS 256

typedef struct csv_record {
    long line;
    const char *raw;
    size_t raw_len;
    int raw_truncated;
    const char *error; /* static; NULL when the record is well-formed */
    size_t nfields;    /* as many as the record has (may exceed CSV_ROWS_MAX_FIELDS) */
    const char *fields[CSV_ROWS_MAX_FIELDS]; /* NUL-terminated; the first nfields (capped) */
    size_t lens[CSV_ROWS_MAX_FIELDS];
} csv_record;

typedef struct csv_rows {
    struct csv_parser parser;
    int parser_live;
    char *fbuf; /* field bytes of the record in progress, each NUL-terminated */
    size_t flen, fcap;
    size_t foff[CSV_ROWS_MAX_FIELDS];
    size_t nfields;
    int done;
    int nomem;
    size_t expect;   /* fields a record must have (0: any); see above */
    int libcsv_only; /* 1: no fast path (the differential tests set it) */
} csv_rows;

truce_status trc_csv_rows_init(csv_rows *c);
void trc_csv_rows_release(csv_rows *c);

/* Read the next record into *rec; *got is 0 at the end of the input. */
truce_status trc_csv_rows_next(csv_rows *c, truce_src *s, csv_record *rec, int *got);

/* The first record of a buffer (for sniffing): up to `max` fields copied,
 * each cut to 63 bytes, into names[i]; returns the record's field count, 0
 * when there is no complete first line or it is not CSV. */
size_t trc_csv_head_record(const char *head, size_t len, char names[][64], size_t max);

/* Index of `name` among fields (ASCII case-insensitive), or -1. */
int trc_csv_find_column(const csv_record *rec, const char *name);

/* A reader's schema: the columns it reads, names[0, ncol) (schema column c
 * is names[c]), and those a header must have, required[0, nrequired).  `what`
 * names the format in diagnostics ("ACLED": "the ACLED header has no column
 * ..."). */
typedef struct csv_schema {
    const char *what;
    const char *const *names;
    int ncol;
    const int *required;
    size_t nrequired;
} csv_schema;

/* Take the well-formed record `header` as the file's header under `schema`:
 * every record after it must have as many fields (*ncols and c->expect), and
 * col[c] is the header's column named names[c] (trc_csv_find_column), or -1.
 * Errors go to `diags` at the header's line of r->name: a header of more than
 * CSV_ROWS_MAX_FIELDS columns (one error; col is then not filled), else one
 * per column name that is not text a reader keeps (trc_reader_text_problem), one
 * per schema column the header names twice (case-insensitively; which one is
 * meant cannot be told) and one per required column it lacks, each keyed by
 * the schema column's name, the last in the order of `required`.  Returns
 * TRUCE_OK or TRUCE_E_INVALID.  Once per file. */
truce_status trc_csv_header_columns(truce_reader *r, truce_diags *diags, csv_rows *c,
                                    const csv_record *header, const csv_schema *schema, int *col,
                                    size_t *ncols);

/* Whether a record is a row of HXL hashtags (#event+id, ...) as the
 * Humanitarian Data Exchange adds under the header: every non-empty field
 * starts with '#', and at least one is non-empty. */
int trc_csv_is_hashtag_row(const csv_record *rec);

/* The checks every CSV reader makes of a record before reading its fields:
 * well-formed CSV, `ncols` fields, text a reader keeps faithfully: UTF-8 and
 * no NUL byte (trc_reader_text_problem, naming the first column that fails,
 * through the column map col[0, ncol) and its schema `names`).  When the
 * record fails one, fills `row` as its reject (trc_reader_reject) and returns 1;
 * else 0.  `ncols_what` ends the column-count reason: "N columns,
 * <ncols_what> M". */
int trc_csv_record_reject(truce_reader *r, truce_row *row, const csv_record *rec, size_t ncols,
                          const char *ncols_what, const int *col, int ncol,
                          const char *const *names);

/* In a reader's next(): answer `row` as a reject of the record `rec`
 * (trc_reader_reject with the record's line and verbatim bytes, and whether they
 * were cut) and return TRUCE_OK from the calling function, so that reading
 * carries on.  A macro and not a function, so that trc_reader_reject's format
 * check still sees each reason and a row's path gains no call. */
#define CSV_REJECT(r, row, rec, field, ...)                                                        \
    do {                                                                                           \
        trc_reader_reject((r), (row), (rec)->line, (rec)->raw, (rec)->raw_len, (field),            \
                          __VA_ARGS__);                                                            \
        (row)->raw_truncated = (rec)->raw_truncated;                                               \
        return TRUCE_OK;                                                                           \
    } while (0)

/* A record's field through a column map: col[c] is the record's column for
 * schema column c, or -1 when the file has none.  NULL for a missing column
 * or an empty field. */
static inline const char *csv_map_field(const csv_record *rec, const int *col, int c)
{
    int i = col[c];
    if (i < 0)
        return NULL;
    const char *v = rec->fields[i];
    return *v ? v : NULL;
}

/* The schema name of the record's column i under a map of ncol columns
 * (names[c] for the c with col[c] == i), or NULL when no schema column reads
 * it. */
static inline const char *csv_map_name(const int *col, int ncol, const char *const *names, size_t i)
{
    for (int c = 0; c < ncol; c++)
        if (col[c] == (int)i)
            return names[c];
    return NULL;
}

#endif
