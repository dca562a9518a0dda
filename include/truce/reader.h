/* truce — readers of event files: ACLED CSV, UCDP GED CSV, GeoJSON and JSON
 * Lines behind one table (name, sniff, open, next, close); and, behind the
 * same table, of humanitarian records (aid_record.h, docs/aid.md): HXL-tagged
 * CSV and JSON Lines of deliveries, access incidents and returns, read
 * when options.records asks for them.
 *
 * A reader streams: it holds one row at a time (at most max_row_bytes of
 * input), so memory does not grow with the number of rows.  The one thing
 * that grows is the set of ids seen so far (repeated ids are rejected); it
 * holds at most 43 bytes per distinct id, 64 for a moment while it doubles
 * (docs/events.md, "Repeated ids").
 *
 * Every row ends up either as an event or as a reject with its first
 * physical line, the field at fault, a reason and its bytes verbatim:
 * read = accepted + rejected, always.  A blank line is not a row; neither is
 * a header row nor the `#hashtag` row of HDX copies.
 *
 *     truce_reader *r;
 *     truce_reader_options opt;
 *     truce_reader_options_init(&opt);
 *     if (truce_reader_open(f, "events.csv", &opt, &r, &diags) == TRUCE_OK) {
 *         truce_row row;
 *         while ((st = truce_reader_next(r, &row)) == TRUCE_OK && row.kind != TRUCE_ROW_END)
 *             ...
 *         truce_reader_free(r);
 *     }
 */
#ifndef TRUCE_READER_H
#define TRUCE_READER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "truce/agreement.h"
#include "truce/aid_record.h"
#include "truce/diag.h"
#include "truce/event.h"
#include "truce/status.h"
#include "truce/tz.h"

typedef struct truce_reader truce_reader;

/* The largest row (CSV record, GeoJSON feature) kept, by default. */
#define TRUCE_READER_MAX_ROW_BYTES ((size_t)1 << 20)

/* The same for a line of JSON Lines: truce writes an event read from a row
 * within the default cap as at most 6 times the row's bytes (a control
 * character in a CSV field becomes \u00XX) plus the keys and the file name,
 * so this much lets whatever truce wrote read back. */
#define TRUCE_READER_MAX_JSONL_ROW_BYTES ((size_t)8 << 20)

/* What a reader may hand out: bits of truce_reader_options.records. */
#define TRUCE_READ_EVENTS 1u /* events (the default) */
#define TRUCE_READ_AID 2u    /* humanitarian records */

typedef struct truce_reader_options {
    /* "acled", "ucdp", "geojson", "jsonl", "hxl" or "aid-jsonl"; NULL:
     * detect from the content among the formats `records` allows. */
    const char *format;
    /* TRUCE_READ_EVENTS, TRUCE_READ_AID or both (default TRUCE_READ_EVENTS):
     * a format of records not asked for is neither detected nor opened. */
    unsigned records;
    /* For the aid formats: the kind of every record of the file; 0: found
     * from its tags (HXL) or each line's "record" (JSON Lines). */
    truce_aid_kind aid_kind;
    /* The zone in which reported dates are local days; NULL: UTC.  Not owned. */
    const truce_tz *tz;
    /* The named places a sighting's observer_place may name (JSON Lines and
     * GeoJSON; docs/events.md, "Sightings"): an agreement's places
     * (truce_agreement.places), matched by name ASCII case-insensitively;
     * NULL (nplaces 0): none.  Not owned; kept until the reader is freed. */
    const truce_place *places;
    size_t nplaces;
    /* Location precision -> radius; NULL: truce_precision_table_default. */
    const truce_precision_table *precision;
    /* GeoJSON only: overrides of the property read for a schema field, as
     * "FIELD=PROPERTY" strings ("id=event_id"); NULL-terminated; may be NULL. */
    const char *const *geojson_properties;
    /* Rows longer than this are rejected (and kept only up to it); 0: the
     * default, TRUCE_READER_MAX_JSONL_ROW_BYTES for JSON Lines and
     * TRUCE_READER_MAX_ROW_BYTES for the other formats. */
    size_t max_row_bytes;
    /* Reject a row whose id was already seen in this source (default 1). */
    int check_ids;
} truce_reader_options;

/* Defaults: detect the format, UTC, default precision table, ids checked. */
void truce_reader_options_init(truce_reader_options *options);

typedef enum truce_row_kind {
    TRUCE_ROW_END = 0,    /* no more rows */
    TRUCE_ROW_EVENT = 1,  /* `event` is a valid, normalised event */
    TRUCE_ROW_REJECT = 2, /* the row could not be read: see field and reason */
    TRUCE_ROW_AID = 3     /* `aid` is a valid humanitarian record (TRUCE_READ_AID only) */
} truce_row_kind;

/* One row.  Everything it points to is owned by the reader and valid until
 * the next truce_reader_next or truce_reader_free. */
typedef struct truce_row {
    truce_row_kind kind;
    const truce_event *event; /* TRUCE_ROW_EVENT */
    long line;                /* first physical line of the row (1-based) */
    const char *field;        /* TRUCE_ROW_REJECT: column or property at fault; may be NULL */
    const char *reason;       /* TRUCE_ROW_REJECT: what is wrong, one line */
    const char *raw;          /* the row's bytes as read, line ends included */
    size_t raw_len;
    int raw_truncated;           /* the row was longer than max_row_bytes: raw holds its start */
    const truce_aid_record *aid; /* TRUCE_ROW_AID */
} truce_row;

/* Open a reader on `in` (not closed by the reader), labelled `name` in
 * diagnostics (may be NULL).  Reads the start of the input to pick the format
 * (unless options->format names one) and, for CSV, its header.  On success
 * *out is a new reader (free with truce_reader_free).  Failures:
 * TRUCE_E_UNSUPPORTED when no format matches, TRUCE_E_NOT_FOUND for an
 * unknown options->format, TRUCE_E_INVALID for a header that lacks a required
 * column, TRUCE_E_IO, TRUCE_E_NOMEM; each with an entry in `diags` (may be
 * NULL). */
truce_status truce_reader_open(FILE *in, const char *name, const truce_reader_options *options,
                               truce_reader **out, truce_diags *diags);

/* Read the next row into *row.  Returns TRUCE_OK for an event, a reject or
 * the end.  A failure that stops the stream returns TRUCE_E_IO, TRUCE_E_NOMEM
 * or TRUCE_E_PARSE (a GeoJSON document that is not well-formed JSON) with
 * row->kind TRUCE_ROW_END and row->line/row->reason saying where and why;
 * the rows before it were returned as usual. */
truce_status truce_reader_next(truce_reader *reader, truce_row *row);

/* Counts so far: rows read, accepted (events or aid records) and rejected
 * (read == accepted + rejected). */
typedef struct truce_reader_stats {
    uint64_t read;
    uint64_t accepted;
    uint64_t rejected;
    uint64_t bytes; /* input bytes consumed */
} truce_reader_stats;
void truce_reader_stats_get(const truce_reader *reader, truce_reader_stats *out);

/* The format read ("acled", ...) and its layout ("acled-2023",
 * "acled-pre2023", "ucdp", "ucdp-noheader", "ucdp-hdx", "geojson", "jsonl";
 * for HXL "hxl-deliveries", "hxl-access", "hxl-returns"). */
const char *truce_reader_format(const truce_reader *reader);
const char *truce_reader_layout(const truce_reader *reader);

/* The bytes before the first row that a CSV file needs to be read again (its
 * header, and its #hashtag row), verbatim; length 0 when there are none.
 * Valid until truce_reader_free. */
void truce_reader_header(const truce_reader *reader, const char **raw, size_t *len);

/* Free a reader (NULL is a no-op). */
void truce_reader_free(truce_reader *reader);

/* One event in memory, as a client sends it (truce serve's reports): a
 * JSON object in truce's normalised schema (what a line of JSON Lines
 * holds; here it may span lines) or a GeoJSON Feature, read by the same
 * readers as files (options->format is ignored; the rest applies).
 *
 * When the event has no id (no "id", or null; for a Feature, neither its
 * "id" nor properties.id), it gets `default_id` (may be NULL: then it is
 * rejected as a row without id is).  `name` labels it as a file name does
 * (may be NULL).
 *
 * TRUCE_OK with *out a new handle (truce_event_doc_free) whose event
 * (truce_event_doc_event) owns its strings.  Else *out is NULL, `why` says
 * what is wrong in one line, and the member at fault (as the reader names
 * it: "fatalities", "properties.event_date") is copied into `field_buf`
 * (`field_len` bytes; "" for the document as a whole): TRUCE_E_PARSE (not
 * JSON, with its line and column), TRUCE_E_INVALID (not an object, a
 * FeatureCollection, or a field the reader rejects), TRUCE_E_NOMEM,
 * TRUCE_E_IO. */
typedef struct truce_event_doc truce_event_doc;
truce_status truce_event_read_json(const char *buf, size_t len, const char *name,
                                   const char *default_id, const truce_reader_options *options,
                                   truce_event_doc **out, char *field_buf, size_t field_len,
                                   char *why, size_t why_len);

/* The event read; valid until truce_event_doc_free. */
const truce_event *truce_event_doc_event(const truce_event_doc *doc);

/* Free it (NULL is a no-op). */
void truce_event_doc_free(truce_event_doc *doc);

/* The table of formats: adding a format is adding one entry (one file).
 * sniff scores the start of an input (0: not this format, 100: certain);
 * the others operate on a reader whose format is this one. */
typedef struct truce_reader_format_ops {
    const char *name;
    const char *summary;
    int (*sniff)(const char *head, size_t len);
    truce_status (*open)(truce_reader *reader, truce_diags *diags);
    truce_status (*next)(truce_reader *reader, truce_row *row);
    void (*close)(truce_reader *reader);
    unsigned records; /* what its rows are: TRUCE_READ_AID, or 0 for events */
} truce_reader_format_ops;

/* The table, and its length through *count. */
const truce_reader_format_ops *truce_reader_formats(size_t *count);

#endif
