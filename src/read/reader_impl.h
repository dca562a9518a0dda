/* Internals shared by the event readers (not public API).
 *
 * The input goes through one buffer (truce_src) that hands out physical
 * lines and keeps every byte of the row in progress, so a rejected row can be
 * given back verbatim without a copy, and a reader can step back to the line
 * after a bad row's first line to resynchronise.
 */
#ifndef TRUCE_READER_IMPL_H
#define TRUCE_READER_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/idset.h"
#include "truce/event.h"
#include "truce/reader.h"

/* The input buffer.  Bytes [mark, len) stay in buf across refills; bytes
 * before mark may be dropped.  Pointers into buf are valid until the next
 * call that reads (trc_src_line, trc_src_fill). */
typedef struct truce_src {
    FILE *f;
    char *buf;
    size_t cap;       /* allocated */
    size_t len;       /* valid bytes */
    size_t pos;       /* next byte to hand out */
    size_t mark;      /* start of the row in progress */
    long line;        /* physical line number of the line that starts at pos */
    int eof;          /* no more input after len */
    int ioerr;        /* errno of a failed read, 0 if none */
    uint64_t dropped; /* bytes dropped before buf[0] */
    size_t max_row;
    int skip_to_eol; /* trc_src_line: discard up to the next line end before the next line */
    int cr_eol;      /* a bare CR ends a line too (CSV; set by trc_csv_rows_next) */
} truce_src;

truce_status trc_src_init(truce_src *s, FILE *f, size_t max_row);
void trc_src_release(truce_src *s);
/* Read more input after len, compacting from mark and growing as needed.
 * Returns TRUCE_OK (possibly with nothing new, then s->eof), TRUCE_E_IO, TRUCE_E_NOMEM. */
truce_status trc_src_fill(truce_src *s);
/* The length of the first line of p[0, n), its line end included: LF, and
 * when `cr` is set CRLF or a bare CR (old Mac files); 0 when p holds no
 * whole line (with `eof` unset, a CR last is not taken for a line end yet:
 * an LF may follow it). */
size_t trc_src_line_end(const char *p, size_t n, int cr, int eof);
/* The next physical line from pos, its line end (trc_src_line_end, with
 * s->cr_eol) included when there is one.
 * *got is 0 at the end of the input.  A line longer than max_row is cut:
 * *cut is set, the line handed out is its first max_row bytes and the rest
 * of it is skipped by the next call. */
truce_status trc_src_line(truce_src *s, const char **p, size_t *n, int *got, int *cut);
/* Input offset of buf[pos]. */
uint64_t trc_src_offset(const truce_src *s);

/* The reader.  `state` is the format's own. */
struct truce_reader {
    const truce_reader_format_ops *ops;
    char *name; /* owned; NULL for an unnamed stream */
    const truce_tz *tz;
    const truce_place *places; /* options.places, nplaces: observer_place's names */
    size_t nplaces;
    truce_precision_table precision;
    const char *const *geojson_properties;
    int check_ids;
    truce_src src;
    truce_idset ids;
    truce_reader_stats stats;
    const char *layout; /* static */
    char *header;       /* owned; the bytes before the first row (CSV) */
    size_t header_len;
    void *state;
    truce_event event;
    truce_aid_record aid;    /* the aid formats' row */
    truce_aid_kind aid_kind; /* options.aid_kind */
    uint64_t id_hash;        /* trc_reader_prefetch_id's hash of event's id key... */
    int id_hash_set;         /* ...valid for this row only (truce_reader_next clears it) */
    char field[96];          /* the reject's field */
    char reason[320];        /* the reject's reason */
};

/* Fill `row` as a reject of the row at line `line` with bytes raw[0, n). */
void trc_reader_reject(truce_reader *r, truce_row *row, long line, const char *raw, size_t n,
                       const char *field, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* Fill `row` as the event r->event, after checking its id is new.  Returns
 * TRUCE_OK, or TRUCE_E_NOMEM when the id set cannot grow.  A repeated id
 * turns the row into a reject. */
truce_status trc_reader_accept(truce_reader *r, truce_row *row, long line, const char *raw,
                               size_t n, const char *id_field);

/* Fill `row` as the aid record r->aid.  Aid records' ids are not checked
 * for repeats (many sources have none). */
void trc_reader_accept_aid(truce_reader *r, truce_row *row, long line, const char *raw, size_t n);

/* Once r->event's format, file and id are set: hash its id key for
 * trc_reader_accept and start loading its slot in the id set (trc_idset_prefetch),
 * so that the load overlaps the row's other checks.  Optional; a format
 * that does not call it loses nothing but the overlap.  TRUCE_E_NOMEM when
 * a very long key cannot be built (the caller may ignore it: trc_reader_accept
 * then tries again). */
truce_status trc_reader_prefetch_id(truce_reader *r);

/* Append n bytes to the header a CSV reader keeps for --rejects
 * (truce_reader_header). */
truce_status trc_reader_keep_header(truce_reader *r, const char *raw, size_t n);

/* Field parsing.  Each returns 0 on success and, on failure, writes a short
 * reason into why[why_len]. */
int trc_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out, char *why,
                    size_t why_len);
int trc_parse_coord(const char *s, double min, double max, double *out, char *why, size_t why_len);
/* Dates: ISO "2020-03-05" (with an optional " 00:00:00" or " 00:00:00.000"
 * for UCDP when allow_midnight is set), ACLED's "05 March 2020" and
 * "05-03-2020" when acled is set.  *days is days since 1970-01-01. */
int trc_parse_date(const char *s, int acled, int allow_midnight, int64_t *days, int *year,
                   char *why, size_t why_len);

/* The rule for every text a reader takes from its input (CSV fields,
 * GeoJSON and JSON Lines strings): NULL when s[0, n) can be kept faithfully,
 * else why not, "holds a NUL byte" (C strings would cut the text there:
 * "35.8<NUL>junk" read as 35.8) or "not UTF-8" (utf8.h); the row is then
 * rejected naming the field. */
const char *trc_reader_text_problem(const char *s, size_t n);

/* The range of instants (time.h) for an event's interval [start_s, end_s):
 * 0, or -1 with a reason ("starts before ...", "ends after ...") in why. */
int trc_interval_in_range(int64_t start_s, int64_t end_s, char *why, size_t why_len);

/* The UTC interval covering local days [first_day, after_day) (days since
 * 1970-01-01) in tz (NULL: UTC), each day starting as truce_tz_day_start
 * says (a midnight in a daylight-saving gap: the end of the gap).  0, or -1
 * with trc_interval_in_range's reason when it leaves the range of instants;
 * *start_s and *end_s are set either way, so the caller can tell which end
 * is out (TRUCE_TIME_MIN or TRUCE_TIME_MAX when not known). */
int trc_local_days_interval(const truce_tz *tz, int64_t first_day, int64_t after_day,
                            int64_t *start_s, int64_t *end_s, char *why, size_t why_len);

/* The formats' tables (one file each). */
extern const truce_reader_format_ops truce_reader_acled;
extern const truce_reader_format_ops truce_reader_ucdp;
extern const truce_reader_format_ops truce_reader_geojson;
extern const truce_reader_format_ops truce_reader_jsonl;
extern const truce_reader_format_ops truce_reader_hxl;
extern const truce_reader_format_ops truce_reader_aid_jsonl;

#endif
