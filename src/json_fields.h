/* The normalised schema's fields as JSON values, shared by the JSON Lines
 * reader (jansson) and the GeoJSON reader (YAJL) (not public API).
 * docs/events.md, "Normalised schema", is the contract. */
#ifndef TRUCE_JSON_FIELDS_H
#define TRUCE_JSON_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "reader_impl.h"

typedef enum jfield {
    JF_ID,
    JF_FORMAT,
    JF_FILE,
    JF_LINE,
    JF_START,
    JF_END,
    JF_DATE,
    JF_TIME_PRECISION,
    JF_LON,
    JF_LAT,
    JF_RADIUS,
    JF_GEO_PRECISION,
    JF_EVENT_TYPE,
    JF_SUB_EVENT_TYPE,
    JF_DISORDER_TYPE,
    JF_VIOLENCE_TYPE,
    JF_ACTOR1,
    JF_ASSOC_ACTOR1,
    JF_ACTOR2,
    JF_ASSOC_ACTOR2,
    JF_FATALITIES,
    JF_FATALITIES_LOW,
    JF_FATALITIES_HIGH,
    JF_COUNTRY,
    JF_ADMIN1,
    JF_ADMIN2,
    JF_PLACE,
    JF_NOTES,
    JF_SOURCES,
    JF_COUNT
} jfield;

/* The schema name of a field ("id", "start", ...). */
extern const char *const jfield_names[JF_COUNT];

/* The field named `name`, or -1. */
int jfield_find(const char *name, size_t len);

/* A JSON scalar as either reader sees it. */
typedef struct jvalue {
    enum { JV_NULL, JV_STRING, JV_NUMBER, JV_BOOL, JV_OTHER } type;
    const char *str;  /* JV_STRING: NUL-terminated, kept by the caller until the row is done */
    const char *text; /* JV_NUMBER: as written, when known (for messages); may be NULL */
    double num;       /* JV_NUMBER */
    int is_int;       /* JV_NUMBER written without fraction or exponent */
    int64_t ival;     /* JV_NUMBER when is_int and in range */
} jvalue;

/* What a JSON row has given so far. */
typedef struct jrow {
    const char *start, *end, *date; /* time texts, NULL when absent */
    int has_lon, has_lat, has_radius;
    int has_format;
} jrow;

/* Set field f of e from v; on failure writes why and returns -1. */
int jfield_set(truce_event *e, jrow *jr, jfield f, const jvalue *v, char *why, size_t why_len);

/* Complete e after its fields are set: its interval from start/end/date in
 * tz, the location checks, the fatalities order.  On failure writes the
 * field at fault (static) and why and returns -1. */
int jrow_finish(truce_event *e, const jrow *jr, const truce_tz *tz, const char **field, char *why,
                size_t why_len);

#endif
