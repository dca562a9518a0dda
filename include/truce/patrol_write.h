/* truce — writing judged patrols: what `truce patrol` prints, one judged
 * track at a time and then the summary across tracks, as a table, JSON or
 * GeoJSON (docs/cli.md, "truce patrol"), for any program that judges tracks
 * with truce_patrol_check and sums them up with truce_patrol_summarize.
 *
 * JSON and the GeoJSON properties are built with jansson; GeoJSON
 * coordinates are lon/lat with 7 decimals (about 1 cm, RFC 7946).
 *
 * Usage:
 *
 *     truce_patrol_writer *w;
 *     truce_patrol_writer_new(out, TRUCE_PATROL_JSON, a, route, tolerance_m, &w);
 *     for each track: truce_patrol_write_track(w, &judged);
 *     truce_patrol_write_summary(w, &summary, bin_m);   // when there is one
 *     truce_patrol_writer_finish(w);                      // always, frees w
 */
#ifndef TRUCE_PATROL_WRITE_H
#define TRUCE_PATROL_WRITE_H

#include <stddef.h>
#include <stdio.h>

#include "truce/agreement.h"
#include "truce/patrol.h"
#include "truce/patrol_summary.h"
#include "truce/status.h"
#include "truce/track.h"

typedef enum truce_patrol_format {
    TRUCE_PATROL_TABLE = 0,  /* a block of lines per track, then the summary */
    TRUCE_PATROL_JSON = 1,   /* one object: the route, "tracks", "summary"; indented by 2 */
    TRUCE_PATROL_GEOJSON = 2 /* covered stretches, gaps, off-route stretches as
                                LineString features; no summary */
} truce_patrol_format;

/* A judged track and where it came from. */
typedef struct truce_patrol_judged {
    const char *path;         /* the GPX file */
    const truce_track *track; /* its track */
    const truce_patrol_result *result;
    size_t nstops; /* its stops (truce_track_stops) */
} truce_patrol_judged;

typedef struct truce_patrol_writer truce_patrol_writer;

/* A new writer of `format` to `out`, for tracks judged against `route` of
 * `agreement` within `tolerance_m`; writes the table's route line or the
 * GeoJSON collection's opening at once.  TRUCE_E_ARG for a NULL argument or
 * a format out of range, TRUCE_E_NOMEM. */
truce_status truce_patrol_writer_new(FILE *out, truce_patrol_format format,
                                     const truce_agreement *agreement,
                                     const truce_patrol_route *route, double tolerance_m,
                                     truce_patrol_writer **w);

/* Write (table, GeoJSON) or keep (JSON) one judged track.  TRUCE_E_ARG,
 * TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_patrol_write_track(truce_patrol_writer *w, const truce_patrol_judged *j);

/* Write (table) or keep (JSON) the summary across tracks, with `bin_m` the
 * metres of route per bin it was made with; GeoJSON has none.  TRUCE_E_ARG,
 * TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_patrol_write_summary(truce_patrol_writer *w, const truce_patrol_summary *s,
                                        double bin_m);

/* Finish the output (the JSON document, the GeoJSON collection's end) and
 * free `w` (NULL is allowed).  TRUCE_E_NOMEM, TRUCE_E_IO when `out` has its
 * error indicator set afterwards. */
truce_status truce_patrol_writer_finish(truce_patrol_writer *w);

#endif
