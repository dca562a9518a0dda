/* truce — writing GPX tracks' summaries: what `truce track` prints, per file
 * and per track (points, flagged points by kind, length, times, speed,
 * stops), as text or JSON (docs/cli.md), for any program that reads GPX.
 * JSON is built with jansson.
 *
 * Usage:
 *
 *     truce_track_writer *w;
 *     truce_track_writer_new(out, TRUCE_TRACK_JSON, stop_speed_mps, stop_min_s, &w);
 *     for each file: truce_track_write_file(w, path, gpx);
 *     truce_track_writer_finish(w);                    // always, frees w
 */
#ifndef TRUCE_TRACK_WRITE_H
#define TRUCE_TRACK_WRITE_H

#include <stdio.h>

#include "truce/status.h"
#include "truce/track.h"

typedef enum truce_track_format {
    TRUCE_TRACK_TEXT = 0, /* a line per file, a block per track */
    TRUCE_TRACK_JSON = 1  /* one object {"files": [...]}, indented by 2 */
} truce_track_format;

typedef struct truce_track_writer truce_track_writer;

/* A new writer of `format` to `out`; stops are found with truce_track_stops
 * and `stop_speed_mps`, `stop_min_s`.  TRUCE_E_ARG for a NULL argument or a
 * format out of range, TRUCE_E_NOMEM. */
truce_status truce_track_writer_new(FILE *out, truce_track_format format, double stop_speed_mps,
                                    double stop_min_s, truce_track_writer **w);

/* Write (text) or keep (JSON) the summary of the file `path` and of each of
 * the tracks of `gpx`, read from it.  TRUCE_E_ARG, TRUCE_E_NOMEM (the
 * tracks before are kept), TRUCE_E_IO. */
truce_status truce_track_write_file(truce_track_writer *w, const char *path, const truce_gpx *gpx);

/* Finish the output (the JSON document) and free `w` (NULL is allowed).
 * TRUCE_E_NOMEM, TRUCE_E_IO when `out` has its error indicator set. */
truce_status truce_track_writer_finish(truce_track_writer *w);

#endif
