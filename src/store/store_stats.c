/* Statistics over stored events (truce_store_stats): each event that passes
 * the filter is read back from its normalised JSON, judged again with the
 * library's judge and counted by the library's stats, as `truce stats`
 * counts the same events read from a file. */
#include <string.h>

#include "store/store_impl.h"
#include "truce/reader.h"

typedef struct stats_run {
    truce_judge *judge;
    truce_stats *stats;
    truce_reader_options options;
} stats_run;

static truce_status count_one(void *ctx, const truce_judged *judged)
{
    stats_run *run = ctx;
    return truce_stats_add(run->stats, judged->event, judged->verdict);
}

static truce_status judge_one(void *ctx, const char *json, size_t len)
{
    stats_run *run = ctx;
    truce_event_doc *doc;
    char field[64], why[256];
    truce_status st = truce_event_read_json(json, len, NULL, NULL, &run->options, &doc, field,
                                            sizeof field, why, sizeof why);
    if (st)
        return st;
    st = truce_judge_push(run->judge, truce_event_doc_event(doc));
    /* truce_judge_push copies the event. */
    truce_event_doc_free(doc);
    return st;
}

truce_status truce_store_stats(truce_store *s, const truce_store_filter *filter,
                               const truce_agreement *agreement, truce_stats *stats)
{
    if (!s || !agreement || !stats)
        return TRUCE_E_ARG;
    stats_run run = {NULL, stats, {0}};
    truce_reader_options_init(&run.options);
    run.options.tz = agreement->tz;
    truce_judge_options jo;
    truce_judge_options_init(&jo);
    jo.threads = 1;
    truce_status st = truce_judge_new(agreement, &jo, count_one, &run, &run.judge);
    if (st)
        return st;
    st = truce_store_events_scan(s, filter, judge_one, &run);
    truce_status flushed = truce_judge_flush(run.judge);
    if (!st)
        st = flushed;
    truce_judge_free(run.judge);
    return st;
}
