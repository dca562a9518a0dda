/* truce patrol's output: one judged track and the summary across tracks, as
 * a table, JSON (jansson values the command assembles) or GeoJSON features
 * (docs/cli.md, "truce patrol"). */
#ifndef TRUCE_CLI_PATROL_OUT_H
#define TRUCE_CLI_PATROL_OUT_H

#include <jansson.h>
#include <stdio.h>

#include "truce/agreement.h"
#include "truce/patrol.h"
#include "truce/patrol_summary.h"
#include "truce/track.h"

/* A judged track and where it came from. */
typedef struct patrol_judged {
    const char *path;         /* the GPX file */
    const truce_track *track; /* its track */
    const truce_patrol_result *result;
    size_t nstops; /* stops as `truce track` finds them by default */
} patrol_judged;

/* Format instants as UTC "YYYY-MM-DDTHH:MM:SSZ" and local
 * "YYYY-MM-DDTHH:MM:SS+HH:MM"; "-" for NAN or out of range. */
void patrol_format_utc(double t_s, char buf[21]);
void patrol_format_local(const truce_agreement *a, double t_s, char buf[26]);

/* Format a local date (days since 1970-01-01) as "YYYY-MM-DD". */
void patrol_format_day(int64_t day, char buf[11]);

void patrol_table_track(FILE *out, const truce_agreement *a, const patrol_judged *j);
void patrol_table_summary(FILE *out, const truce_patrol_summary *s, double bin_m);

json_t *patrol_json_track(const truce_agreement *a, const patrol_judged *j);
json_t *patrol_json_summary(const truce_patrol_summary *s, double bin_m);

/* Write the features of one track (covered stretches and gaps along
 * `route`, off-route stretches of the track) to `out`, each preceded by
 * ",\n" unless *first (which it clears).  Returns TRUCE_E_NOMEM or
 * TRUCE_E_IO on failure. */
truce_status patrol_geojson_track(FILE *out, const truce_agreement *a,
                                  const truce_patrol_route *route, const patrol_judged *j,
                                  int *first);

#endif
