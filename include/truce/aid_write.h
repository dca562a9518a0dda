/* truce — writing the humanitarian provisions' result (aid.h): what
 * `truce aid` prints (docs/aid.md has every format's members). */
#ifndef TRUCE_AID_WRITE_H
#define TRUCE_AID_WRITE_H

#include <stdio.h>

#include "truce/aid.h"
#include "truce/status.h"

typedef enum truce_aid_format {
    TRUCE_AID_TABLE = 0,  /* text for people */
    TRUCE_AID_CSV = 1,    /* one row per place in need */
    TRUCE_AID_JSON = 2,   /* one object, indented by one space a level */
    TRUCE_AID_GEOJSON = 3 /* places in need, access incidents, returns into danger */
} truce_aid_format;

/* Write the result of a finished accumulator.  TRUCE_E_ARG (not finished,
 * a format out of range), TRUCE_E_NOMEM, TRUCE_E_IO when `out` has its
 * error indicator set afterwards. */
truce_status truce_aid_write(FILE *out, const truce_aid *aid, truce_aid_format format);

/* "YYYY-MM-DD" of a day (days since 1970-01-01) into buf. */
void truce_aid_format_day(int64_t day, char buf[16]);

#endif
