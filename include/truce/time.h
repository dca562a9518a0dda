/* truce — instants and civil (calendar) times.
 *
 * An instant is a count of seconds since 1970-01-01T00:00:00Z on the UTC
 * time scale without leap seconds (POSIX time), as int64_t.  A civil time is
 * a wall-clock reading with no zone attached; tz.h turns one into the other.
 *
 * The range of instants: every instant truce reads, keeps or writes lies in
 * years 0001 to 9999 of UTC, from TRUCE_INSTANT_FIRST_S to
 * TRUCE_INSTANT_LAST_S inclusive -- an event's exclusive end and an
 * agreement's "until" too, so that every one is written as "YYYY-...Z" and
 * reads back (docs/events.md, "Time").  Readers refuse anything outside; the
 * formatters below write any other value as TRUCE_INSTANT_UNKNOWN_TEXT rather
 * than a wrong date.
 */
#ifndef TRUCE_TIME_H
#define TRUCE_TIME_H

#include <stdint.h>

#include "truce/status.h"

/* Open ends of intervals (outside the range of instants, never formatted). */
#define TRUCE_TIME_MIN INT64_MIN
#define TRUCE_TIME_MAX INT64_MAX

/* The range of instants: 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define TRUCE_INSTANT_FIRST_S INT64_C(-62135596800)
#define TRUCE_INSTANT_LAST_S INT64_C(253402300799)
/* The range for messages, and what the formatters write for an instant outside it. */
#define TRUCE_INSTANT_RANGE_TEXT "0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"
#define TRUCE_INSTANT_UNKNOWN_TEXT "XXXX-XX-XXTXX:XX:XXZ"

/* 1 when TRUCE_INSTANT_FIRST_S <= instant_s <= TRUCE_INSTANT_LAST_S, else 0. */
int truce_instant_in_range(int64_t instant_s);

/* The same for a time with a fraction of a second: 1 when its whole second
 * is in the range (TRUCE_INSTANT_FIRST_S <= instant_s <
 * TRUCE_INSTANT_LAST_S + 1), 0 otherwise and for NaN. */
int truce_instant_s_in_range(double instant_s);

typedef struct truce_civil {
    int year;   /* proleptic Gregorian, in [1, 9999] */
    int month;  /* [1, 12] */
    int day;    /* [1, days in month] */
    int hour;   /* [0, 23] */
    int minute; /* [0, 59] */
    int second; /* [0, 59] */
} truce_civil;

/* What truce_time_parse found. */
typedef enum truce_time_kind {
    TRUCE_TIME_DATE = 1,  /* "YYYY-MM-DD": a whole local day */
    TRUCE_TIME_LOCAL = 2, /* "YYYY-MM-DDTHH:MM[:SS]": a local wall time */
    TRUCE_TIME_UTC = 3    /* with "Z" or "+HH:MM"/"-HH:MM": an absolute instant */
} truce_time_kind;

typedef struct truce_time_value {
    truce_time_kind kind;
    truce_civil civil; /* as written (for TRUCE_TIME_UTC: the wall time before the offset) */
    int32_t offset_s;  /* TRUCE_TIME_UTC only: the written offset east of UTC, seconds */
} truce_time_value;

/* Parse an ISO 8601 date or date-time as used in agreements and events:
 *   2020-03-06   2020-03-06T00:00   2020-03-06T00:00:00   2020-03-05T22:00:00Z
 *   2020-03-06T00:00+02:00   (a space may stand for the "T")
 * Returns TRUCE_E_PARSE for anything else, TRUCE_E_RANGE for a month, day,
 * hour, minute or second out of range (2020-02-30, 24:00). */
truce_status truce_time_parse(const char *text, truce_time_value *out);

/* The instant of a TRUCE_TIME_UTC value: its civil time less its offset.
 * TRUCE_E_RANGE when that falls outside the range of instants (an offset
 * can carry a time of year 0001 or 9999 across it:
 * "0001-01-01T00:30+01:00"), TRUCE_E_ARG for NULL or another kind. */
truce_status truce_time_value_instant(const truce_time_value *v, int64_t *instant_s);

/* Days since 1970-01-01 of a proleptic Gregorian date (may be negative). */
int64_t truce_days_from_civil(int year, int month, int day);

/* The civil date of a day count (inverse of truce_days_from_civil). */
void truce_civil_from_days(int64_t days, int *year, int *month, int *day);

/* Number of days in a month (28-31); 0 for a month outside [1, 12]. */
int truce_days_in_month(int year, int month);

/* Seconds since the epoch of a civil time read as UTC. */
int64_t truce_civil_to_utc(const truce_civil *civil);

/* The UTC civil time of an instant. */
void truce_civil_from_utc(int64_t instant_s, truce_civil *out);

/* Format an instant as "YYYY-MM-DDTHH:MM:SSZ" into `buf` (at least 21 bytes);
 * an instant outside the range as TRUCE_INSTANT_UNKNOWN_TEXT. */
void truce_time_format_utc(int64_t instant_s, char buf[21]);

/* Format an instant with a fraction of a second as
 * "YYYY-MM-DDTHH:MM:SS.mmmZ", rounded to the nearest millisecond (999.5 ms
 * and up carry into the next second, except past the last instant of the
 * range); when `ms_always` is zero and the milliseconds round to zero, as
 * "YYYY-MM-DDTHH:MM:SSZ".  A value that is not finite or whose second is
 * outside the range is written as TRUCE_INSTANT_UNKNOWN_TEXT.  `buf` holds at
 * least 25 bytes. */
void truce_time_format_utc_ms(double instant_s, int ms_always, char buf[25]);

/* Format a civil time as "YYYY-MM-DDTHH:MM" (or with ":SS" when seconds are
 * non-zero) into `buf` (at least 20 bytes); one with a field outside its
 * range in truce_civil as "XXXX-XX-XXTXX:XX". */
void truce_civil_format(const truce_civil *civil, char buf[20]);

#endif
