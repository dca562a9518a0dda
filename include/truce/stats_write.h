/* truce — writing statistics: what `truce stats` prints, as a table, CSV or
 * JSON (docs/stats.md), for any program that keeps a truce_stats.
 *
 * Strings in JSON go through the library's one escaper (the event writer's);
 * CSV fields that carry free text (a breakdown's key) through libcsv's
 * quoting, as the event writer's do: quoted always, quotes doubled (RFC 4180).
 */
#ifndef TRUCE_STATS_WRITE_H
#define TRUCE_STATS_WRITE_H

#include <stdio.h>

#include "truce/agreement.h"
#include "truce/stats.h"

/* The number of truce_stats_by values. */
#define TRUCE_STATS_NBY 6

/* The breakdown as `truce stats --by` names it: "party", "type", "zone",
 * "corridor-km", "day", "rule"; NULL for a value out of range. */
const char *truce_stats_by_name(truce_stats_by by);

/* The breakdown named `name` (as truce_stats_by_name gives it) into *out;
 * TRUCE_E_NOT_FOUND for another name, TRUCE_E_ARG for NULL arguments. */
truce_status truce_stats_by_parse(const char *name, truce_stats_by *out);

typedef enum truce_stats_format {
    TRUCE_STATS_TABLE = 0, /* the summary lines, the days, hotspots, breakdowns */
    TRUCE_STATS_CSV = 1,   /* section,key,value,events,hostile,violations,possible,fatalities */
    TRUCE_STATS_JSON = 2   /* one object, indented by one space a level */
} truce_stats_format;

/* The bit of truce_stats_write's `by_mask` for a breakdown. */
#define TRUCE_STATS_BY_BIT(by) (1u << (unsigned)(by))

/* Write the statistics `stats` of `agreement` (the one it was made for) to
 * `out` in `format`: the summary, the window's days, the corridor-km
 * hotspots and the rules (always) and each other breakdown whose
 * TRUCE_STATS_BY_BIT is set in `by_mask`, in truce_stats_by order; after a failure the output stops
 * short. TRUCE_E_ARG for a NULL argument or a format out of range, TRUCE_E_NOMEM, TRUCE_E_IO when
 * `out` has its error indicator set afterwards (the caller still closes `out`, and may report the
 * failure from there). */
truce_status truce_stats_write(FILE *out, truce_stats *stats, const truce_agreement *agreement,
                               truce_stats_format format, unsigned by_mask);

#endif
