/* truce — the event model: one reported incident, normalised from whatever
 * format it came in (ACLED, UCDP GED, GeoJSON, truce's own JSON Lines).
 *
 * Time is a half-open UTC interval [start_s, end_s) in POSIX seconds: the
 * span in which the report places the event, widened by its stated time
 * precision (docs/events.md, "Time").  Place is a WGS84 longitude/latitude in
 * degrees with an uncertainty radius in metres taken from the report's
 * location precision through a configurable table (docs/events.md, "Place");
 * an event may have no location at all.
 *
 * A truce_event handed out by a reader (reader.h) borrows every string from
 * the reader: they stay valid until the next call to truce_reader_next or
 * truce_reader_free.  A string that the source left empty is NULL.
 */
#ifndef TRUCE_EVENT_H
#define TRUCE_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "truce/diag.h"
#include "truce/sector.h"
#include "truce/status.h"

/* The format a report was first read from. */
typedef enum truce_event_format {
    TRUCE_FORMAT_UNKNOWN = 0,
    TRUCE_FORMAT_ACLED = 1,   /* ACLED CSV export (pre-2023 or 2023+ layout) */
    TRUCE_FORMAT_UCDP = 2,    /* UCDP GED CSV (49 columns) */
    TRUCE_FORMAT_GEOJSON = 3, /* GeoJSON FeatureCollection of Point features */
    TRUCE_FORMAT_JSONL = 4    /* truce's normalised JSON Lines */
} truce_event_format;

/* "acled", "ucdp", "geojson", "jsonl"; "unknown" for anything else. */
const char *truce_event_format_name(truce_event_format format);

/* The format of a name as written by truce_event_format_name;
 * TRUCE_FORMAT_UNKNOWN when there is none. */
truce_event_format truce_event_format_from_name(const char *name);

/* A count that the report does not give (fatalities). */
#define TRUCE_COUNT_UNKNOWN (-1)

typedef struct truce_event {
    const char *id; /* never NULL in an event a reader returned */

    /* Where the report was first read: its format, file (NULL for an unnamed
     * stream) and the first physical line of its row (1-based).  Events read
     * back from truce's JSON Lines keep the provenance written there. */
    truce_event_format format;
    const char *file;
    long line;

    /* When: [start_s, end_s), POSIX seconds, start_s < end_s. */
    int64_t start_s;
    int64_t end_s;
    int time_precision; /* the source's code: ACLED time_precision 1-3, UCDP
                           date_prec 1-5; 0 when the source has none */

    /* Where: has_location is 0 for a report without coordinates, and then
     * lon, lat and radius_m are 0 and meaningless. */
    int has_location;
    double lon;           /* degrees, in [-180, 180] */
    double lat;           /* degrees, in [-90, 90] */
    double radius_m;      /* uncertainty radius, metres, >= 0 */
    const char *lon_text; /* lon and lat as the source wrote them, when it */
    const char *lat_text; /* wrote decimal text (for exact output); may be NULL */
    int geo_precision;    /* ACLED geo_precision 1-3, UCDP where_prec 1-7; 0 none */

    /* A sighting: where an observer places what was heard or seen
     * (sector.h, docs/events.md "Sightings").  has_sector is 1 when the
     * report gives an observer, a bearing range and a distance band; then
     * has_location is 1 and lon, lat and radius_m are the disk that covers
     * the sector (truce_sector_disk), so that whatever wants a place and a
     * radius has one.  sector is all zeros when has_sector is 0. */
    int has_sector;
    truce_sector sector;
    const char *observation; /* "heard", "seen" or "crater"; NULL when not given */

    /* What. */
    const char *event_type;     /* ACLED event_type; GeoJSON/JSONL as given */
    const char *sub_event_type; /* ACLED sub_event_type */
    const char *disorder_type;  /* ACLED disorder_type (2023+ layout) */
    int violence_type;          /* UCDP type_of_violence 1-3; 0 none */

    /* Who: for UCDP, actor1 is side_a and actor2 is side_b. */
    const char *actor1;
    const char *assoc_actor1;
    const char *actor2;
    const char *assoc_actor2;

    /* Fatalities: ACLED gives one figure (best; low and high unknown), UCDP
     * best, low and high.  TRUCE_COUNT_UNKNOWN where not given. */
    int64_t fatalities;
    int64_t fatalities_low;
    int64_t fatalities_high;

    /* Names of the place. */
    const char *country;
    const char *admin1;
    const char *admin2;
    const char *place; /* ACLED location, UCDP where_coordinates */

    const char *notes;   /* ACLED notes, UCDP where_description */
    const char *sources; /* ACLED source, UCDP source_article */
} truce_event;

/* Set every field to "absent" (NULL strings, unknown counts, no location). */
void truce_event_init(truce_event *event);

/* Deep copies, for keeping an event past the reader's next row (the CLI
 * hands batches of events to a judging thread this way).
 *
 * truce_event_copy_size is the number of bytes the copy's strings take (each
 * present string with its NUL).  truce_event_copy copies every field of `src`
 * into *dst and its strings into buf[*used, cap), advancing *used; dst's
 * strings then point into `buf` (the caller owns it and keeps it while dst is
 * used; nothing is allocated).  TRUCE_E_RANGE when they do not fit: *dst and
 * *used are left unchanged, so the caller can start a new buffer and try
 * again.  TRUCE_E_ARG for a NULL argument or *used > cap. */
size_t truce_event_copy_size(const truce_event *src);
truce_status truce_event_copy(const truce_event *src, truce_event *dst, char *buf, size_t cap,
                              size_t *used);

struct truce_tz;

/* An event's interval as local time in `tz` (tz.h), for people to read:
 * "2020-03-07" for whole local days (midnight to midnight, at most 25 h, so
 * a day with a clock change counts), "2020-03-07T14:30+02:00" for an
 * instant (at most a minute), "2020-03-07T14:30..16:00" within one day, else
 * "2020-03-07..2020-03-09".  Written into buf (`size` bytes, NUL-terminated,
 * cut when too small; 40 bytes always suffice).  The caller owns buf.
 * Reads only its arguments, so it is safe on any thread. */
void truce_event_when_local(const struct truce_tz *tz, const truce_event *event, char *buf,
                            size_t size);

/* Uncertainty radius per location-precision code, metres (docs/events.md).
 * Index by the code itself: acled_m[1..3], ucdp_m[1..7]; index 0 is unused. */
typedef struct truce_precision_table {
    double acled_m[4];
    double ucdp_m[8];
} truce_precision_table;

/* The documented defaults. */
void truce_precision_table_default(truce_precision_table *table);

/* Read a table from a JSON document such as
 *   {"acled": {"1": 2000, "2": 15000, "3": 75000},
 *    "ucdp":  {"1": 2000, "2": 25000, ...}}
 * Codes left out keep the value `table` had on entry (so start from the
 * defaults).  Problems go to `diags` naming the key; returns TRUCE_E_IO,
 * TRUCE_E_PARSE or TRUCE_E_INVALID and leaves `table` unchanged on error. */
truce_status truce_precision_table_load(const char *path, truce_precision_table *table,
                                        truce_diags *diags);

/* Writers of normalised events (docs/events.md, "Normalised schema").
 *
 * JSON Lines: one object per line, every schema key present (null when
 * absent), in schema order.  Doubles are written with the fewest digits that
 * read back to the same value, so output read back in is identical.
 * CSV (RFC 4180, LF line ends): truce_event_csv_header once, then one row per
 * event with the same columns as the JSON keys.
 *
 * A writer buffers; it writes to `out` through stdio.  Returns TRUCE_E_NOMEM
 * or TRUCE_E_IO on failure. */
typedef struct truce_event_writer truce_event_writer;

/* GEOJSON: a FeatureCollection, one Point feature per event (geometry null
 * without a location) with every schema key in its properties; the
 * collection is closed by truce_event_writer_free. */
typedef enum truce_event_output {
    TRUCE_OUTPUT_JSONL = 0,
    TRUCE_OUTPUT_CSV = 1,
    TRUCE_OUTPUT_GEOJSON = 2
} truce_event_output;

truce_status truce_event_writer_new(FILE *out, truce_event_output kind, truce_event_writer **w);
truce_status truce_event_write(truce_event_writer *w, const truce_event *event);

/* Members (JSON, GeoJSON properties) or columns (CSV) written after the
 * schema's: truce classify adds its verdict this way.  For CSV the header is
 * written with the first event, so every call must give the same keys in the
 * same order. */
typedef enum truce_extra_kind {
    TRUCE_EXTRA_NULL = 0,   /* null / an empty field */
    TRUCE_EXTRA_STRING = 1, /* `text`, escaped */
    TRUCE_EXTRA_NUMBER = 2, /* `number` (finite; written as null otherwise) */
    TRUCE_EXTRA_JSON = 3    /* `text` is a JSON value, written verbatim (CSV: as a string) */
} truce_extra_kind;

typedef struct truce_extra {
    const char *key;
    truce_extra_kind kind;
    const char *text;
    double number;
} truce_extra;

truce_status truce_event_write_extra(truce_event_writer *w, const truce_event *event,
                                     const truce_extra *extra, size_t nextra);

/* Records formatted on one thread and written on another (truce classify
 * formats on its judging threads and writes in input order on one): a
 * record of JSON Lines or GeoJSON is the "head" that truce_event_format_head
 * makes (the feature's start for GeoJSON, the schema's members, the first
 * extras) and the rest that truce_event_write_head adds when it writes it
 * (the separator before a GeoJSON feature, more extras, then `tail`, the
 * record's end).  Together they write exactly what truce_event_write_extra
 * writes with all the extras.  `tail` (tail_len bytes; NULL with 0 for
 * none) is members already formatted as JSON, each with its leading comma
 * (`,"k":1,"l":null`), written as they are: a caller that formats its last
 * members on another thread passes them so.
 *
 * truce_event_format_head appends the head to the caller's buffer *buf,
 * from the library's allocator (truce/alloc.h; *len bytes used of *cap;
 * *buf may be NULL with both 0), which it may reallocate (updating *buf
 * and *cap); *len grows by the head's length
 * and a NUL is kept after it.  TRUCE_E_ARG for CSV or NULL arguments,
 * TRUCE_E_NOMEM (then *len is unchanged).  truce_event_write_head writes a
 * record from such a head (made for the writer's kind) through the writer;
 * TRUCE_E_ARG for a CSV writer or a NULL tail with tail_len > 0, TRUCE_E_IO
 * as truce_event_write_extra. */
truce_status truce_event_format_head(truce_event_output kind, const truce_event *event,
                                     const truce_extra *extra, size_t nextra, char **buf,
                                     size_t *len, size_t *cap);
truce_status truce_event_write_head(truce_event_writer *w, const char *head, size_t len,
                                    const truce_extra *extra, size_t nextra, const char *tail,
                                    size_t tail_len);
/* Flush what is buffered to `out` (does not close it); frees the writer.
 * Returns TRUCE_E_IO if anything failed to be written. */
truce_status truce_event_writer_free(truce_event_writer *w);

#endif
