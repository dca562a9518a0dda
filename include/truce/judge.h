/* truce — judging a stream of events against an agreement, on several
 * threads, with every verdict handed back in input order.
 *
 * The caller pushes events (from a truce_reader, a server's requests, ...);
 * the judge classifies each (truce_classify), links responses to attacks
 * when asked (truce_responder, response.h), and calls the sink once per
 * event, in the order the events were pushed.  With more than one thread
 * judging runs as a pipeline: truce_judge_push copies the event into a
 * batch and returns; judging threads, each with its own classifier sharing
 * the indexes (truce_classifier_new_shared), classify batches and run the
 * prepare hook; the sink gets the results in input order, one call at a
 * time.  The calling thread judges or delivers a waiting batch itself
 * whenever it would otherwise wait.  The sink sees exactly what it sees
 * with one thread, so output is byte-identical whatever the number of
 * threads (docs/performance.md, "Classify").
 *
 *     truce_judge_options opt;
 *     truce_judge_options_init(&opt);
 *     truce_judge *j;
 *     if (truce_judge_new(agreement, &opt, sink, ctx, &j) == TRUCE_OK) {
 *         while (... an event ev ...)
 *             if (truce_judge_push(j, ev))
 *                 break;
 *         st = truce_judge_flush(j); // every event pushed is judged, or the first failure
 *         truce_judge_free(j);
 *     }
 *
 * Threads: the sink is called on the thread that calls truce_judge_push or
 * truce_judge_flush, or on a judging thread, never two calls at once, in
 * input order; every call returns before truce_judge_flush does.  It may use
 * its context freely but nothing that the pushing thread uses meanwhile.
 * The prepare hook runs on any of these threads, several at once: it may
 * only read its context.  A judge is used by one thread at a time (the one
 * pushing); two judges are independent.
 *
 * The location precision table is the reader's (truce_reader_options):
 * events arrive with their uncertainty radius already set.
 */
#ifndef TRUCE_JUDGE_H
#define TRUCE_JUDGE_H

#include <stddef.h>
#include <stdint.h>

#include "truce/agreement.h"
#include "truce/classify.h"
#include "truce/event.h"
#include "truce/reader.h"
#include "truce/status.h"
#include "truce/text.h"

/* Text made from a verdict on a judging thread (formatting work that may
 * run in parallel), appended to `out` and handed to the sink with the event
 * as truce_judged.text.  It must only read `ctx`.  TRUCE_OK, or a failure
 * that stops the run as a sink's does. */
typedef truce_status (*truce_judge_prepare_fn)(const void *ctx, const truce_event *event,
                                               const truce_verdict *verdict, truce_text *out);

/* One event with its verdict, as the sink gets it.  Everything it points to
 * is valid until the sink returns. */
typedef struct truce_judged {
    const truce_event *event;
    const truce_verdict *verdict;
    /* With response linking: the id of the attack this event responds to,
     * or NULL; the time since that attack's start (seconds) and the distance
     * to it (metres).  NULL and 0 without linking. */
    const char *response_to;
    double response_delay_s;
    double response_distance_m;
    /* What the prepare hook appended, NUL-terminated; NULL without a hook. */
    const char *text;
} truce_judged;

/* Called once per event, in input order (see "Threads" above).  TRUCE_OK to
 * go on; anything else stops the run: truce_judge_push and truce_judge_flush
 * return it. */
typedef truce_status (*truce_judge_sink)(void *ctx, const truce_judged *judged);

typedef struct truce_judge_options {
    /* In all, the pushing thread included: 1 judges on the pushing thread
     * alone; N reads on it and judges on N - 1 more (at most 15 are
     * started); 0 (the default): one per online CPU. */
    int threads;
    /* Link responses (response.h) within this window (seconds, > 0) and
     * distance (metres, >= 0); window 0 (the default): no linking. */
    double response_window_s;
    double response_distance_m;
    /* Optional; see truce_judge_prepare_fn. */
    truce_judge_prepare_fn prepare;
    const void *prepare_ctx;
} truce_judge_options;

/* Defaults: a thread per online CPU, no response linking, no prepare hook. */
void truce_judge_options_init(truce_judge_options *options);

typedef struct truce_judge truce_judge;

/* A judge of events against `agreement` (not owned: it must outlive the
 * judge), handing each to `sink` with `sink_ctx`.  Starts the judging
 * threads (if one cannot be started, fewer judge; with none, the pushing
 * thread judges alone, with the same results).  *out is new
 * (truce_judge_free).  TRUCE_E_ARG (NULL arguments, threads < 0, a negative
 * window or distance), TRUCE_E_NOMEM. */
truce_status truce_judge_new(const truce_agreement *agreement, const truce_judge_options *options,
                             truce_judge_sink sink, void *sink_ctx, truce_judge **out);

/* Judge `event` (copied; the caller keeps its own): with one thread at
 * once, sink included; with more, later, or now when the batches are full.
 * Returns TRUCE_OK, or the first failure of the run (classify's, the
 * prepare hook's, the sink's, TRUCE_E_NOMEM) once the pushing thread has
 * seen it (with several threads, a few pushes after it happened may still
 * return TRUCE_OK).  After a failure nothing more reaches the sink until
 * truce_judge_flush, which returns it. */
truce_status truce_judge_push(truce_judge *j, const truce_event *event);

/* Judge and hand to the sink every event pushed so far; returns TRUCE_OK.
 * After a failure, drop the events not yet handed over instead (the ones
 * being judged finish, their sink calls are not made) and return that
 * failure.  Either way the judge is ready for more events: call it at the
 * end of each input. */
truce_status truce_judge_flush(truce_judge *j);

/* Called by truce_judge_read for each row the reader rejects, in input
 * order, on the calling thread (row: reader.h, valid until it returns).
 * TRUCE_OK to go on; anything else stops the reading. */
typedef truce_status (*truce_judge_reject_fn)(void *ctx, const truce_reader *reader,
                                              const truce_row *row);

/* Judge a whole input: push every event `reader` returns, hand each
 * rejected row to `on_reject` (may be NULL: the reader counts them anyway,
 * truce_reader_stats_get), then truce_judge_flush.  Returns TRUCE_OK; or
 * the reader's failure (as truce_reader_next: TRUCE_E_IO, TRUCE_E_NOMEM,
 * TRUCE_E_PARSE, the row's line and reason with the reader), on_reject's,
 * or the judge's (as truce_judge_flush), the first of them: the events
 * read before a failure of the reader or of on_reject are still judged. */
truce_status truce_judge_read(truce_judge *j, truce_reader *reader, truce_judge_reject_fn on_reject,
                              void *ctx);

/* What the last failure returned by truce_judge_flush was, when the judge
 * failed on an event (classify, the prepare hook, response linking):
 * "FILE:LINE: ID: reason".  "" when the sink failed (it says why itself),
 * when no event is to blame (out of memory copying one in: the status says
 * it all) or when nothing failed.  Valid until the next call on the judge. */
const char *truce_judge_failure(const truce_judge *j);

/* Events handed to the sink so far, by verdict (indexed by truce_violation). */
typedef struct truce_judge_counts {
    uint64_t judged;
    uint64_t by_violation[3];
} truce_judge_counts;
void truce_judge_counts_get(const truce_judge *j, truce_judge_counts *out);

/* Threads in use, the pushing thread included (1 when none could be started). */
int truce_judge_threads(const truce_judge *j);

/* Stop the judging threads and free the judge (NULL is a no-op).  Events
 * pushed since the last truce_judge_flush are dropped. */
void truce_judge_free(truce_judge *j);

#endif
