/* truce — a GPX track as a GeoJSON Feature (RFC 7946), for layers a client
 * pages through (the tracks collection of truce serve's OGC API Features,
 * docs/server.md).
 *
 * The geometry is a LineString of the track's points for one segment, a
 * MultiLineString of its segments for several (a segment of one point is a
 * line of that point twice, so that the line is valid), null for a track
 * without points.  Properties: name (the track's <name>, or null), file
 * (the file's label), kind ("trk" or "rte"), points, start and end (the
 * first and last timed point, RFC 3339 UTC with milliseconds; null without
 * a timed point).  Coordinates have 7 decimals (1 cm), as the patrol
 * writer's.  The track's place is the box of its points, its time from its
 * first to its last timed point (all of time without one).
 */
#ifndef TRUCE_TRACK_GEOJSON_H
#define TRUCE_TRACK_GEOJSON_H

#include <stdio.h>

#include "truce/feature_query.h"
#include "truce/status.h"
#include "truce/track.h"

/* When track `t` meets `q` (NULL: always), write it to `out` as one
 * Feature (no newline) with `id` and the label `file` (NULL: null), and
 * set *written to 1; else write nothing and set it to 0.  `extent` (may
 * be NULL) receives the track's place and time either way.  TRUCE_E_ARG,
 * TRUCE_E_IO when `out` has its error indicator set afterwards. */
truce_status truce_track_feature_write(FILE *out, const truce_track *t, const char *id,
                                       const char *file, const truce_feature_query *q, int *written,
                                       truce_feature_extent *extent);

#endif
