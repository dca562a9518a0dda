/* truce — status codes.
 *
 * Every public function that can fail returns a truce_status and writes its
 * results through out-pointers.  TRUCE_OK is zero, so `if (st)` means failure.
 */
#ifndef TRUCE_STATUS_H
#define TRUCE_STATUS_H

typedef enum truce_status {
    TRUCE_OK = 0,
    TRUCE_E_NOMEM,       /* an allocation failed */
    TRUCE_E_ARG,         /* the caller passed an invalid argument */
    TRUCE_E_IO,          /* a file could not be opened, read or written */
    TRUCE_E_PARSE,       /* input is not well-formed (JSON, CSV, XML, a number) */
    TRUCE_E_INVALID,     /* input is well-formed but breaks a rule (see diagnostics) */
    TRUCE_E_RANGE,       /* a value is out of its range */
    TRUCE_E_TZ_UNKNOWN,  /* no such IANA time zone in the system's tz database */
    TRUCE_E_TIME_GAP,    /* a local time that does not exist (spring-forward gap) */
    TRUCE_E_GEOMETRY,    /* a geometry is degenerate or invalid */
    TRUCE_E_NOT_FOUND,   /* a named item (corridor, zone, route) does not exist */
    TRUCE_E_UNSUPPORTED, /* a feature of the input that truce does not handle */
    TRUCE_E_INTERNAL,    /* a bug in truce or a dependency; please report */
    TRUCE_STATUS_COUNT
} truce_status;

/* A short English description of `status`; never NULL, static storage. */
const char *truce_strerror(truce_status status);

#endif
