/* The store's agreement versions (store.h): a new version is stored with
 * every stored event judged again against it, whatever the backend.
 *
 * The judging needs no lock on the store: events are read a page at a time
 * (the store is free for others between pages), each is read back with the
 * event readers (truce_event_read_json: the stored event is the normalised
 * JSON they read) and judged with truce_judge and classify's JSON Lines
 * writer, exactly as a report is judged on arrival.  Only the records that
 * differ are kept; the backend writes them with the version in one
 * transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/util.h"
#include "store/store_impl.h"
#include "truce/reader.h"
#include "truce/verdict_write.h"

/* Events read from the store per page. */
#define PAGE 512

truce_status truce_store_agreement_latest(truce_store *s, truce_text *text, int64_t *version)
{
    if (!s || !version)
        return TRUCE_E_ARG;
    return s->ops->agreement_latest(s, text, version);
}

truce_status truce_store_agreement_find(truce_store *s, const char *text, size_t len,
                                        int64_t *version)
{
    if (!s || (!text && len) || !version)
        return TRUCE_E_ARG;
    unsigned char sha[32];
    trc_sha256(text ? text : "", len, sha);
    return s->ops->agreement_find(s, sha, version);
}

/* One stored event of the page being judged again. */
typedef struct stored {
    int64_t seq;
    char *id, *event, *record;
    int judged;
} stored;

typedef struct rejudge {
    const truce_agreement *agreement;
    truce_reader_options ropt;
    truce_judge *judge;
    truce_verdict_writer *writer;
    FILE *mem; /* the page's records, one line each */
    char *buf;
    size_t len;
    stored page[PAGE];
    size_t n; /* events in the page */
    trc_verdict_change *changes;
    size_t nchanges, cap;
    truce_store_revision rev;
} rejudge;

static void page_release(rejudge *r)
{
    for (size_t i = 0; i < r->n; i++) {
        trc_free(r->page[i].id);
        trc_free(r->page[i].event);
        trc_free(r->page[i].record);
    }
    r->n = 0;
}

static truce_status on_record(void *ctx, int64_t seq, const char *id, const char *event,
                              const char *record)
{
    rejudge *r = ctx;
    stored *e = &r->page[r->n];
    memset(e, 0, sizeof *e);
    e->seq = seq;
    e->id = truce_strdup(id ? id : "");
    e->event = truce_strdup(event ? event : "");
    e->record = truce_strdup(record ? record : "");
    r->n++;
    return e->id && e->event && e->record ? TRUCE_OK : TRUCE_E_NOMEM;
}

/* The sink: the verdict writer's records are one line each, in the order
 * the events were pushed; judge_page splits them once the writer is done
 * (it buffers). */
static truce_status on_judged(void *ctx, const truce_judged *judged)
{
    rejudge *r = ctx;
    return truce_verdict_write(r->writer, judged);
}

static truce_status keep_change(rejudge *r, int64_t seq, const char *record, size_t len)
{
    if (r->nchanges == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        trc_verdict_change *grown = trc_realloc(r->changes, cap * sizeof *grown);
        if (!grown)
            return TRUCE_E_NOMEM;
        r->changes = grown;
        r->cap = cap;
    }
    char *copy = trc_malloc(len + 1);
    if (!copy)
        return TRUCE_E_NOMEM;
    memcpy(copy, record, len);
    copy[len] = '\0';
    r->changes[r->nchanges].event_seq = seq;
    r->changes[r->nchanges++].record = copy;
    return TRUCE_OK;
}

/* Judge the page's events and keep the records that changed. */
static truce_status judge_page(rejudge *r)
{
    rewind(r->mem);
    truce_status st =
        truce_verdict_writer_new(r->mem, TRUCE_VERDICT_JSONL, r->agreement, &r->writer);
    for (size_t i = 0; !st && i < r->n; i++) {
        stored *e = &r->page[i];
        truce_event_doc *doc;
        char field[64], why[200];
        if (truce_event_read_json(e->event, strlen(e->event), NULL, e->id, &r->ropt, &doc, field,
                                  sizeof field, why, sizeof why)) {
            r->rev.failed++;
            continue;
        }
        e->judged = 1;
        st = truce_judge_push(r->judge, truce_event_doc_event(doc));
        truce_event_doc_free(doc);
    }
    truce_status done = truce_judge_flush(r->judge);
    if (!st)
        st = done;
    done = truce_verdict_writer_free(r->writer);
    r->writer = NULL;
    if (!st)
        st = done;
    if (!st && fflush(r->mem))
        st = TRUCE_E_NOMEM;
    const char *line = r->buf, *end = r->buf + r->len;
    for (size_t i = 0; !st && i < r->n; i++) {
        stored *e = &r->page[i];
        if (!e->judged)
            continue;
        const char *nl = line < end ? memchr(line, '\n', (size_t)(end - line)) : NULL;
        if (!nl)
            return TRUCE_E_INTERNAL; /* a record per event, each a line */
        size_t n = (size_t)(nl - line);
        r->rev.events++;
        if (n != strlen(e->record) || memcmp(line, e->record, n))
            st = keep_change(r, e->seq, line, n);
        line = nl + 1;
    }
    return st;
}

truce_status truce_store_agreement_put(truce_store *s, const char *text, size_t len,
                                       const truce_agreement *agreement, int64_t token_id,
                                       unsigned threads, truce_store_revision *out)
{
    if (!s || !text || !agreement)
        return TRUCE_E_ARG;
    /* Reports judged against the version in force and queued for the next
     * commit are stored before they are read back to be judged again. */
    trc_group_flush(&s->group);
    rejudge *r = trc_calloc(1, sizeof *r);
    if (!r)
        return TRUCE_E_NOMEM;
    r->agreement = agreement;
    truce_reader_options_init(&r->ropt);
    r->ropt.tz = agreement->tz;
    truce_judge_options opt;
    truce_judge_options_init(&opt);
    opt.threads = threads ? (int)threads : 1;
    truce_status st = TRUCE_OK;
    r->mem = open_memstream(&r->buf, &r->len);
    if (!r->mem)
        st = TRUCE_E_NOMEM;
    if (!st)
        st = truce_judge_new(agreement, &opt, on_judged, r, &r->judge);
    int64_t after = 0;
    do {
        int64_t next = 0;
        if (!st)
            st = s->ops->events_records(s, after, PAGE, on_record, r, &next);
        if (!st)
            st = judge_page(r);
        page_release(r);
        after = next;
    } while (!st && after);
    truce_judge_free(r->judge);
    if (r->mem && fclose(r->mem) && !st)
        st = TRUCE_E_NOMEM;
    free(r->buf); /* open_memstream's, from malloc */
    if (!st) {
        unsigned char sha[32];
        trc_sha256(text, len, sha);
        char at[32];
        trc_store_now(at);
        st = s->ops->agreement_put(s, text, len, sha, token_id, at, r->changes, r->nchanges,
                                   &r->rev.version);
        trc_changes_committed(s);
    }
    r->rev.changed = r->nchanges;
    if (!st && out)
        *out = r->rev;
    for (size_t i = 0; i < r->nchanges; i++)
        trc_free(r->changes[i].record);
    trc_free(r->changes);
    trc_free(r);
    return st;
}
