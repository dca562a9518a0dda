/* The fields of humanitarian records (truce/aid_record.h), shared by the
 * HXL and JSON Lines aid readers: setting one from its text or number, and
 * the checks across fields that every aid format makes (not public API). */
#ifndef TRUCE_AID_FIELDS_H
#define TRUCE_AID_FIELDS_H

#include <stddef.h>

#include "truce/aid_record.h"

typedef enum aid_field {
    AF_DATE,
    AF_ID,
    AF_PLACE,
    AF_LAT,
    AF_LON,
    AF_ADMIN,
    AF_ORG,
    AF_ITEM,
    AF_QUANTITY,
    AF_UNIT,
    AF_TRUCKS,
    AF_CROSSING,
    AF_CATEGORY,
    AF_DESCRIPTION,
    AF_RETURNEES,
    AF_HOUSEHOLDS,
    AF_ORIGIN,
    AF_COUNT
} aid_field;

#define AF_BIT(f) (1u << (unsigned)(f))

/* Set field `f` of `rec` from `text` (a CSV cell, a JSON string): 0, or -1
 * with a short reason in why[why_len].  Numbers are decimal text; dates
 * YYYY-MM-DD; categories a number 1-9 or a key. */
int trc_aid_set_text(truce_aid_record *rec, aid_field f, const char *text, char *why,
                     size_t why_len);

/* Set a numeric field from a JSON number (`is_int` when it had no fraction
 * or exponent): 0, or -1 with a reason (the field takes no number, or it
 * is out of range). */
int trc_aid_set_number(truce_aid_record *rec, aid_field f, double value, int is_int, char *why,
                       size_t why_len);

/* The checks across fields, given the fields present (`seen`, AF_BIT
 * bits): a date; a location (place, both coordinates or an admin code);
 * for a delivery a quantity or trucks, for an access incident a category,
 * for a return people or households.  0, or -1 with the field at fault in
 * *field and the reason in why[why_len]. */
int trc_aid_check(const truce_aid_record *rec, unsigned seen, aid_field *field, char *why,
                  size_t why_len);

#endif
