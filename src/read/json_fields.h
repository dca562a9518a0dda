/* The normalised schema's fields as JSON values, shared by the JSON Lines
 * reader (jansson) and the GeoJSON reader (YAJL) (not public API).  The
 * fields and their kinds are event_schema.h's; docs/events.md, "Normalised
 * schema", is the contract. */
#ifndef TRUCE_JSON_FIELDS_H
#define TRUCE_JSON_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "event/event_schema.h"
#include "read/reader_impl.h"

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
    const char *observer_place;     /* the observer's named place, NULL when absent */
    unsigned char given[EF_COUNT];  /* the field had a value other than null */
} jrow;

/* Set field f of e from v as its kind in the schema (event_schema.h) says;
 * on failure writes why and returns -1. */
int trc_jfield_set(truce_event *e, jrow *jr, event_field f, const jvalue *v, char *why,
                   size_t why_len);

/* Complete e after its fields are set: its interval from start/end/date in
 * tz, the observer of a sighting from observer_place among `places`
 * (nplaces), the location checks, the fatalities order.  On failure writes
 * the field at fault (static) and why and returns -1. */
int trc_jrow_finish(truce_event *e, jrow *jr, const truce_tz *tz, const truce_place *places,
                    size_t nplaces, const char **field, char *why, size_t why_len);

#endif
