/* truce — IANA time zones from the system's tz database.
 *
 * A truce_tz is one zone's rules, read from its TZif file (RFC 8536) under
 * $TZDIR or /usr/share/zoneinfo, including the POSIX TZ footer that governs
 * instants after the file's last transition.  Handles are independent and
 * immutable once opened, so any number may be used from any thread.
 *
 * Why not localtime_r/mktime: libc selects the zone through the process-wide
 * TZ variable, so a library (and later a server judging reports in several
 * agreements' zones at once) could not switch zones without racing every
 * other thread.  Reading the TZif file directly keeps the system tz database
 * as the only source of rules.
 */
#ifndef TRUCE_TZ_H
#define TRUCE_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "truce/status.h"
#include "truce/time.h"

typedef struct truce_tz truce_tz;

/* Open the zone `name` (e.g. "Asia/Damascus", "UTC").  The name must be a
 * relative path of letters, digits and "/_-+" with no "..": anything else,
 * or a name with no TZif file, gives TRUCE_E_TZ_UNKNOWN.  A corrupt file gives
 * TRUCE_E_PARSE.  On success *out is a new handle the caller frees with
 * truce_tz_free.  Also: TRUCE_E_UNSUPPORTED for a file with leap-second
 * records (the "right/" zones, whose instants are not POSIX time),
 * TRUCE_E_IO when the file exists but cannot be read, TRUCE_E_ARG for NULL. */
truce_status truce_tz_open(const char *name, truce_tz **out);

/* Build a zone from the `len` bytes of a TZif file already in memory (at most
 * 1 MiB); `name` is only a label for truce_tz_name.  Returns TRUCE_E_PARSE for
 * anything that is not a well-formed TZif file, otherwise as truce_tz_open.
 * `data` is not kept. */
truce_status truce_tz_from_tzif(const char *name, const void *data, size_t len, truce_tz **out);

/* Free a handle (NULL is a no-op). */
void truce_tz_free(truce_tz *tz);

/* The name the zone was opened with. */
const char *truce_tz_name(const truce_tz *tz);

/* The offset in force at an instant: seconds east of UTC (Damascus in March
 * 2020: 7200), whether it is daylight-saving time, and its abbreviation
 * ("EET", "+03"; static storage owned by tz, may be NULL if not wanted). */
void truce_tz_offset_at(const truce_tz *tz, int64_t instant_s, int32_t *offset_s, int *is_dst,
                        const char **abbrev);

/* How a local (wall) time maps to instants. */
typedef enum truce_local_kind {
    TRUCE_LOCAL_UNIQUE = 0,    /* exactly one instant */
    TRUCE_LOCAL_AMBIGUOUS = 1, /* occurs twice (fall-back hour): the earlier is returned */
    TRUCE_LOCAL_GAP = 2        /* does not occur (spring-forward gap) */
} truce_local_kind;

/* Convert a local wall time in `tz` to an instant.
 * - unique: *instant_s is that instant;
 * - ambiguous (the repeated hour when clocks go back): *instant_s is the
 *   EARLIER of the two instants, i.e. the reading under the offset in force
 *   before the change (documented in docs/agreement.md); *kind says so;
 * - gap (the skipped hour when clocks go forward): returns TRUCE_E_TIME_GAP,
 *   *kind is TRUCE_LOCAL_GAP and *instant_s is the instant at which the gap
 *   starts (the first valid instant after it is the same instant).
 * `kind` may be NULL.  A field of `local` outside its range in truce_civil
 * gives TRUCE_E_RANGE. */
truce_status truce_tz_local_to_utc(const truce_tz *tz, const truce_civil *local, int64_t *instant_s,
                                   truce_local_kind *kind);

/* The instant local day `day` (days since 1970-01-01 of the local date, as
 * truce_days_from_civil gives) begins in `tz` (NULL: UTC): its midnight.
 * When midnight falls in a spring-forward gap (Damascus, 2020-03-27) the day
 * begins at the end of the gap, the first instant of the day that exists;
 * when midnight occurs twice, at the earlier.  Every reader of events and
 * of agreements places a date-only day this way.  TRUCE_E_RANGE when the
 * instant falls outside the range of instants (time.h; *instant_s is then
 * set unless the day is far outside it), TRUCE_E_ARG for a NULL instant_s. */
truce_status truce_tz_day_start(const truce_tz *tz, int64_t day, int64_t *instant_s);

/* The instant a parsed time (time.h) names in `tz` (NULL: UTC):
 * - TRUCE_TIME_UTC: its instant (truce_time_value_instant);
 * - TRUCE_TIME_LOCAL: as truce_tz_local_to_utc, ambiguity in *kind (may be
 *   NULL); a time in a gap gives TRUCE_E_TIME_GAP with *instant_s where
 *   the gap starts (a wall time that does not exist is an error);
 * - TRUCE_TIME_DATE: the start of that local day (truce_tz_day_start), or
 *   with `end_of_day` the start of the next, which ends it.
 * TRUCE_E_RANGE when the instant falls outside the range of instants. */
truce_status truce_tz_instant_of(const truce_tz *tz, const truce_time_value *v, int end_of_day,
                                 int64_t *instant_s, truce_local_kind *kind);

/* The local wall time of an instant in `tz`.  Instants more than 2^55 s
 * (about 10^9 years) from 1970 read as the wall time at that bound. */
void truce_tz_utc_to_local(const truce_tz *tz, int64_t instant_s, truce_civil *out);

/* Format an instant as local time with its offset,
 * "YYYY-MM-DDTHH:MM:SS+HH:MM", into `buf` (at least 26 bytes).  An instant of
 * the range (time.h) whose local date falls in year 0 or 10000 (a few hours
 * at either end) is written in UTC, "...+00:00", which names the same
 * instant; one outside the range as "XXXX-XX-XXTXX:XX:XX+XX:XX". */
void truce_tz_format_local(const truce_tz *tz, int64_t instant_s, char buf[26]);

#endif
