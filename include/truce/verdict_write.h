/* truce — writing events with their verdicts: what truce classify prints.
 *
 * Beside the event writer (event.h), which it uses for the event's own
 * members: JSON Lines and GeoJSON records are the event's (so truce events
 * reads them back) with the verdict's members added (phase, violation,
 * rule, reason, local_start, response_to, zones, corridors); CSV adds the
 * same as columns, one per zone ("zone.ID") and four per corridor
 * ("corridor.ID.distance_m", ".chainage_m", ".side", ".position"); the
 * table is one line per event for a terminal (docs/classify.md).
 *
 * With a judge (judge.h), the formatting that needs only the event and its
 * verdict can run on the judging threads: pass truce_verdict_prepare as the
 * judge's prepare hook with the writer as its context, and call
 * truce_verdict_write from the sink.  Without it truce_verdict_write
 * formats everything itself; the output is the same.
 *
 *     truce_verdict_writer *w;
 *     truce_verdict_writer_new(stdout, TRUCE_VERDICT_JSONL, agreement, &w);
 *     opt.prepare = truce_verdict_prepare;
 *     opt.prepare_ctx = w;
 *     ... truce_judge_new(agreement, &opt, sink, w, &j); sink calls
 *     truce_verdict_write(w, judged) ...
 *     truce_verdict_writer_free(w);
 *
 * Threads: truce_verdict_prepare only reads the writer and may run on
 * several threads at once; truce_verdict_write and truce_verdict_writer_free
 * are called by one thread at a time.
 */
#ifndef TRUCE_VERDICT_WRITE_H
#define TRUCE_VERDICT_WRITE_H

#include <stdio.h>

#include "truce/agreement.h"
#include "truce/judge.h"
#include "truce/status.h"

typedef enum truce_verdict_format {
    TRUCE_VERDICT_TABLE = 0,  /* fixed-width columns for a terminal */
    TRUCE_VERDICT_JSONL = 1,  /* one JSON record per line */
    TRUCE_VERDICT_CSV = 2,    /* RFC 4180, a header row */
    TRUCE_VERDICT_GEOJSON = 3 /* a FeatureCollection of Point features */
} truce_verdict_format;

typedef struct truce_verdict_writer truce_verdict_writer;

/* A writer of `format` to `out` (not closed by the writer) for verdicts on
 * `agreement` (not owned: it must outlive the writer; its time zone gives
 * local times, its zones and corridors the keys).  *w is new
 * (truce_verdict_writer_free).  TRUCE_E_ARG, TRUCE_E_NOMEM. */
truce_status truce_verdict_writer_new(FILE *out, truce_verdict_format format,
                                      const truce_agreement *agreement, truce_verdict_writer **w);

/* A judge's prepare hook (judge.h): `writer` is a truce_verdict_writer;
 * appends the part of the record that needs only the event and its verdict
 * to `out`.  Reads the writer only.  TRUCE_E_NOMEM. */
truce_status truce_verdict_prepare(const void *writer, const truce_event *event,
                                   const truce_verdict *verdict, truce_text *out);

/* Write one event with its verdict and response.  judged->text is what
 * truce_verdict_prepare made with this writer, or NULL (then it is made
 * here).  TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_verdict_write(truce_verdict_writer *w, const truce_judged *judged);

/* Finish the output (GeoJSON: close the collection), flush it to `out` (not
 * closed) and free the writer (NULL is a no-op).  TRUCE_E_IO if anything
 * failed to be written. */
truce_status truce_verdict_writer_free(truce_verdict_writer *w);

#endif
