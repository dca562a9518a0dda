/* POSIX TZ strings as they appear in a TZif footer (RFC 8536 section 3.3).
 *
 * Internal to tz.c: a TZif file's table of transitions ends somewhere (often
 * 2037); the footer's rule, e.g. "CET-1CEST,M3.5.0,M10.5.0/3", governs every
 * instant after the last transition in the table. */
#ifndef TRUCE_TZ_POSIX_H
#define TRUCE_TZ_POSIX_H

#include <stddef.h>
#include <stdint.h>

#include "truce/status.h"

/* Longest abbreviation kept (zic writes at most 6 characters; POSIX asks for
 * at least 3). */
#define TRUCE_TZ_ABBR_MAX 31

/* One end of the daylight-saving period: a day rule and a local time. */
typedef struct truce_tz_posix_date {
    char kind;      /* 'J': Julian day 1-365, Feb 29 never counted;
                       'N': zero-based day 0-365, Feb 29 counted;
                       'M': month.week.weekday */
    int day;        /* 'J' [1, 365], 'N' [0, 365], 'M' weekday [0 = Sunday, 6] */
    int month;      /* 'M' only: [1, 12] */
    int week;       /* 'M' only: [1, 5], 5 = the last such weekday of the month */
    int32_t time_s; /* local time of day, seconds, in [-167 h, 167 h] (RFC 8536 3.3.1) */
} truce_tz_posix_date;

typedef struct truce_tz_posix {
    char std_abbr[TRUCE_TZ_ABBR_MAX + 1]; /* without the <> quoting */
    int32_t std_offset_s;                 /* seconds east of UTC (POSIX writes west) */
    int has_dst;
    char dst_abbr[TRUCE_TZ_ABBR_MAX + 1];
    int32_t dst_offset_s;           /* default: std_offset_s + 3600 */
    truce_tz_posix_date start, end; /* start: read as standard time; end: as DST */
} truce_tz_posix;

/* Parse the `len` bytes at `s` (no NUL needed) as a whole TZ string.
 * Returns TRUCE_OK or TRUCE_E_PARSE; *out is only meaningful on success.
 * A DST name without a rule is rejected: POSIX leaves the default rule to the
 * implementation and zic never writes one. */
truce_status truce_tz_posix_parse(const char *s, size_t len, truce_tz_posix *out);

/* The offset, DST flag and abbreviation (storage owned by `p`) at an instant. */
void truce_tz_posix_at(const truce_tz_posix *p, int64_t instant_s, int32_t *offset_s, int *is_dst,
                       const char **abbrev);

/* The first instant strictly after `instant_s` at which the rule switches
 * between standard and daylight-saving time (possibly to the same offset);
 * INT64_MAX when there is none (no DST, or past the end of int64_t). */
int64_t truce_tz_posix_next(const truce_tz_posix *p, int64_t instant_s);

#endif
