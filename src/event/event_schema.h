/* The normalised event schema (docs/events.md, "Normalised schema") as one
 * table: the JSON Lines keys and the CSV columns in output order, the JSON
 * readers' field lookup and setters, and the writers' field loop are all
 * derived from EVENT_SCHEMA below (not public API).  Adding a field to the
 * schema is a member in truce_event (include/truce/event.h) and one line
 * here; the writer, both JSON readers and the round-trip test
 * (tests/unit/test_event_schema.c) then cover it.
 *
 * A row is X(NAME, "key", kind, member, text member, lo, hi):
 *   NAME      the field's enumerator, EF_NAME;
 *   "key"     its JSON key and CSV column;
 *   kind      how the member is stored, written and read (event_field_kind);
 *   member    the truce_event member it lives in (ES_AT(m)), ES_NONE for a
 *             field that is only read (date: it sets start and end);
 *   text      ES_COORD only: the member with the source's text of the value
 *             (written instead when it is the same number), else ES_NONE;
 *   lo, hi    the accepted range: ES_COORD degrees or metres; ES_CODE and
 *             ES_LINE 1..hi; unused by the other kinds. */
#ifndef TRUCE_EVENT_SCHEMA_H
#define TRUCE_EVENT_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "truce/event.h"

#define ES_AT(member) offsetof(truce_event, member)
#define ES_NONE SIZE_MAX

/* clang-format off */
#define EVENT_SCHEMA(X)                                                                            \
    X(ID,              "id",              ES_ID,      ES_AT(id),              ES_NONE,  0, 0)      \
    X(FORMAT,          "format",          ES_FORMAT,  ES_AT(format),          ES_NONE,  0, 0)      \
    X(FILE,            "file",            ES_STRING,  ES_AT(file),            ES_NONE,  0, 0)      \
    X(LINE,            "line",            ES_LINE,    ES_AT(line),            ES_NONE,  1, INT32_MAX) \
    X(START,           "start",           ES_INSTANT, ES_AT(start_s),         ES_NONE,  0, 0)      \
    X(END,             "end",             ES_INSTANT, ES_AT(end_s),           ES_NONE,  0, 0)      \
    X(DATE,            "date",            ES_DATE,    ES_NONE,                ES_NONE,  0, 0)      \
    X(TIME_PRECISION,  "time_precision",  ES_CODE,    ES_AT(time_precision),  ES_NONE,  1, 9)      \
    X(LON,             "lon",             ES_COORD,   ES_AT(lon),             ES_AT(lon_text), -180, 180) \
    X(LAT,             "lat",             ES_COORD,   ES_AT(lat),             ES_AT(lat_text), -90, 90) \
    X(RADIUS,          "radius_m",        ES_COORD,   ES_AT(radius_m),        ES_NONE,  0, 2.1e7)  \
    X(GEO_PRECISION,   "geo_precision",   ES_CODE,    ES_AT(geo_precision),   ES_NONE,  1, 9)      \
    X(OBSERVER_LON,    "observer_lon",    ES_SECTOR,  ES_AT(sector.observer_lon), ES_NONE, -180, 180) \
    X(OBSERVER_LAT,    "observer_lat",    ES_SECTOR,  ES_AT(sector.observer_lat), ES_NONE, -90, 90) \
    X(OBSERVER_PLACE,  "observer_place",  ES_NAME,    ES_NONE,                ES_NONE,  0, 0)      \
    X(BEARING_MIN,     "bearing_min_deg", ES_SECTOR,  ES_AT(sector.bearing_min_deg), ES_NONE, -360, 360) \
    X(BEARING_MAX,     "bearing_max_deg", ES_SECTOR,  ES_AT(sector.bearing_max_deg), ES_NONE, -360, 360) \
    X(DISTANCE_MIN,    "distance_min_m",  ES_SECTOR,  ES_AT(sector.distance_min_m), ES_NONE, 0, TRUCE_SECTOR_MAX_DISTANCE_M) \
    X(DISTANCE_MAX,    "distance_max_m",  ES_SECTOR,  ES_AT(sector.distance_max_m), ES_NONE, 0, TRUCE_SECTOR_MAX_DISTANCE_M) \
    X(OBSERVATION,     "observation",     ES_STRING,  ES_AT(observation),     ES_NONE,  0, 0)      \
    X(EVENT_TYPE,      "event_type",      ES_STRING,  ES_AT(event_type),      ES_NONE,  0, 0)      \
    X(SUB_EVENT_TYPE,  "sub_event_type",  ES_STRING,  ES_AT(sub_event_type),  ES_NONE,  0, 0)      \
    X(DISORDER_TYPE,   "disorder_type",   ES_STRING,  ES_AT(disorder_type),   ES_NONE,  0, 0)      \
    X(VIOLENCE_TYPE,   "violence_type",   ES_CODE,    ES_AT(violence_type),   ES_NONE,  1, 3)      \
    X(ACTOR1,          "actor1",          ES_STRING,  ES_AT(actor1),          ES_NONE,  0, 0)      \
    X(ASSOC_ACTOR1,    "assoc_actor1",    ES_STRING,  ES_AT(assoc_actor1),    ES_NONE,  0, 0)      \
    X(ACTOR2,          "actor2",          ES_STRING,  ES_AT(actor2),          ES_NONE,  0, 0)      \
    X(ASSOC_ACTOR2,    "assoc_actor2",    ES_STRING,  ES_AT(assoc_actor2),    ES_NONE,  0, 0)      \
    X(FATALITIES,      "fatalities",      ES_COUNT,   ES_AT(fatalities),      ES_NONE,  0, 0)      \
    X(FATALITIES_LOW,  "fatalities_low",  ES_COUNT,   ES_AT(fatalities_low),  ES_NONE,  0, 0)      \
    X(FATALITIES_HIGH, "fatalities_high", ES_COUNT,   ES_AT(fatalities_high), ES_NONE,  0, 0)      \
    X(COUNTRY,         "country",         ES_STRING,  ES_AT(country),         ES_NONE,  0, 0)      \
    X(ADMIN1,          "admin1",          ES_STRING,  ES_AT(admin1),          ES_NONE,  0, 0)      \
    X(ADMIN2,          "admin2",          ES_STRING,  ES_AT(admin2),          ES_NONE,  0, 0)      \
    X(PLACE,           "place",           ES_STRING,  ES_AT(place),           ES_NONE,  0, 0)      \
    X(NOTES,           "notes",           ES_STRING,  ES_AT(notes),           ES_NONE,  0, 0)      \
    X(SOURCES,         "sources",         ES_STRING,  ES_AT(sources),         ES_NONE,  0, 0)
/* clang-format on */

typedef enum event_field {
#define ES_ENUM(name, key, kind, at, text_at, lo, hi) EF_##name,
    EVENT_SCHEMA(ES_ENUM)
#undef ES_ENUM
        EF_COUNT
} event_field;

/* How a field is stored in truce_event, written and read. */
typedef enum event_field_kind {
    ES_ID,      /* const char *, never NULL; JSON may give a number (GeoJSON feature id) */
    ES_FORMAT,  /* truce_event_format, written by name */
    ES_STRING,  /* const char *, NULL (null) when absent or empty */
    ES_LINE,    /* long in [1, hi], 0 (null) when unknown */
    ES_INSTANT, /* int64_t POSIX seconds, written as UTC ISO 8601; read as text (jrow) */
    ES_DATE,    /* read only: a local day, sets start and end (jrow) */
    ES_NAME,    /* read only: a named place, sets observer_lon and observer_lat (jrow) */
    ES_CODE,    /* int in [1, hi], 0 (null) when the source has none */
    ES_COORD,   /* double in [lo, hi], null when the event has no location */
    ES_SECTOR,  /* double in [lo, hi], null when the event is not a sighting */
    ES_COUNT    /* int64_t >= 0, TRUCE_COUNT_UNKNOWN (null) when not given */
} event_field_kind;

typedef struct event_field_desc {
    const char *key;      /* "id" */
    const char *json_key; /* ",\"id\":": what goes before the value in an object */
    size_t json_key_len;  /* strlen(json_key) */
    event_field_kind kind;
    size_t at;      /* offset of the member in truce_event; ES_NONE for ES_DATE and ES_NAME */
    size_t text_at; /* ES_COORD: offset of the source's text, or ES_NONE */
    double lo, hi;
} event_field_desc;

/* The schema, indexed by event_field, in output order. */
extern const event_field_desc trc_event_schema[EF_COUNT];

/* The field with key `name` (`len` bytes), or -1. */
int trc_event_field_find(const char *name, size_t len);

/* Whether the writers write the field (all but the read-only ES_DATE and
 * ES_NAME: they write what those set). */
static inline int event_field_written(const event_field_desc *d)
{
    return d->kind != ES_DATE && d->kind != ES_NAME;
}

#endif
