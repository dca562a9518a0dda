/* truce serve: POST /api/v1/imports.  The body, an event file (ACLED or
 * UCDP CSV, GeoJSON, JSON Lines) spooled to a temporary file as it came
 * (server.c), is read by libtruce's readers, each event judged as a report
 * is (srv_judge) and stored in batches, a transaction each
 * (truce_store_reports_put).
 *
 * The file is read twice: once to find whether it is readable to its end
 * (a GeoJSON document that is not JSON, a CSV without its columns), so that
 * such a file is refused with its line and nothing of it is stored; then to
 * judge and store.  Rows the reader rejects do not stop an import: they are
 * counted and listed (line, field, reason) as truce events reports them. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server_impl.h"

/* Reports stored per transaction: large enough that the sync at each
 * commit is a small share of the work, small enough to hold at once. */
#define IMPORT_BATCH 512

/* Rejects listed in the answer; the counts cover them all. */
#define IMPORT_REJECTS_LISTED 1000

typedef struct import_run {
    srv_req *r;
    json_t *rejects;
    uint64_t rejected, created, existed;
    struct {
        char *id, *event, *record; /* owned */
        long line;
    } item[IMPORT_BATCH];
    truce_store_report batch[IMPORT_BATCH];
    size_t n;
} import_run;

static json_t *text_or_null(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

/* Count a reject and list it while the list has room. */
static void reject(import_run *run, long line, const char *field, const char *reason)
{
    run->rejected++;
    if (json_array_size(run->rejects) >= IMPORT_REJECTS_LISTED)
        return;
    json_array_append_new(run->rejects,
                          json_pack("{s:I, s:o, s:o}", "line", (json_int_t)line, "field",
                                    text_or_null(field), "reason", text_or_null(reason)));
}

static void batch_release(import_run *run)
{
    for (size_t i = 0; i < run->n; i++) {
        free(run->item[i].id);
        free(run->item[i].event);
        free(run->item[i].record);
    }
    run->n = 0;
}

/* Store the batch in one transaction; a conflict is a reject of its row. */
static truce_status batch_store(import_run *run)
{
    if (!run->n)
        return TRUCE_OK;
    truce_store_outcome outcome[IMPORT_BATCH];
    for (size_t i = 0; i < run->n; i++)
        run->batch[i] = (truce_store_report){.id = run->item[i].id,
                                             .event_json = run->item[i].event,
                                             .record = run->item[i].record,
                                             .token_id = run->r->who.id};
    truce_status st = truce_store_reports_put(run->r->s->cfg->store, run->batch, run->n, outcome);
    for (size_t i = 0; !st && i < run->n; i++) {
        if (outcome[i] == TRUCE_STORE_CREATED)
            run->created++;
        else if (outcome[i] == TRUCE_STORE_EXISTED)
            run->existed++;
        else
            reject(run, run->item[i].line, "id", "a different event with this id is stored");
    }
    batch_release(run);
    return st;
}

/* Judge one event and add it to the batch. */
static truce_status take_event(import_run *run, const truce_row *row, char *why, size_t why_len)
{
    const truce_event *e = row->event;
    char *record = NULL;
    truce_status st = srv_judge(run->r->s, e, &record, why, why_len);
    if (st == TRUCE_E_NOMEM || st == TRUCE_E_IO)
        return st;
    if (st) {
        reject(run, row->line, NULL, why);
        return TRUCE_OK;
    }
    char *event = srv_event_json(e);
    char *id = strdup(e->id);
    if (!event || !id) {
        free(event);
        free(id);
        free(record);
        return TRUCE_E_NOMEM;
    }
    run->item[run->n].id = id;
    run->item[run->n].event = event;
    run->item[run->n].record = record;
    run->item[run->n++].line = row->line;
    return run->n == IMPORT_BATCH ? batch_store(run) : TRUCE_OK;
}

/* The format named by the query's `format` or the Content-Type; NULL:
 * detect it.  *bad is set for a name no reader has. */
static const char *named_format(srv_req *r, int *bad)
{
    *bad = 0;
    const char *f = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "format");
    if (f) {
        size_t n;
        const truce_reader_format_ops *ops = truce_reader_formats(&n);
        for (size_t i = 0; i < n; i++)
            if (!strcmp(ops[i].name, f))
                return f;
        *bad = 1;
        return NULL;
    }
    const char *type =
        MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!type)
        return NULL;
    static const struct {
        const char *type, *format;
    } types[] = {{"application/geo+json", "geojson"},
                 {"application/x-ndjson", "jsonl"},
                 {"application/jsonl", "jsonl"},
                 {"application/json-seq", "jsonl"}};
    size_t len = strcspn(type, "; ");
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (len == strlen(types[i].type) && !strncasecmp(type, types[i].type, len))
            return types[i].format;
    return NULL; /* text/csv and the rest: the content says which */
}

/* Open a reader on the spool, or answer why not (400). */
static truce_reader *open_spool(srv_req *r, const truce_reader_options *opt)
{
    if (fseek(r->spool, 0, SEEK_SET)) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the spooled body cannot be read");
        return NULL;
    }
    truce_diags diags;
    truce_diags_init(&diags);
    truce_reader *reader = NULL;
    truce_status st = truce_reader_open(r->spool, "import", opt, &reader, &diags);
    if (st) {
        char why[400];
        const truce_diag *d = diags.count ? &diags.items[0] : NULL;
        if (d && d->line)
            snprintf(why, sizeof why, "line %ld: %s", d->line, d->message);
        else
            snprintf(why, sizeof why, "%s", d ? d->message : truce_strerror(st));
        srv_problem(r,
                    st == TRUCE_E_NOMEM || st == TRUCE_E_IO ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                            : MHD_HTTP_BAD_REQUEST,
                    st == TRUCE_E_UNSUPPORTED ? "format"
                    : d && d->key             ? d->key
                                              : "body",
                    why);
    }
    truce_diags_release(&diags);
    return reader;
}

/* The first pass: 1 when the file reads to its end, else answered. */
static int readable(srv_req *r, const truce_reader_options *opt)
{
    truce_reader *reader = open_spool(r, opt);
    if (!reader)
        return 0;
    truce_row row;
    truce_status st;
    while ((st = truce_reader_next(reader, &row)) == TRUCE_OK && row.kind != TRUCE_ROW_END)
        ;
    if (st) {
        char why[400];
        snprintf(why, sizeof why, "line %ld: %s", row.line,
                 row.reason ? row.reason : truce_strerror(st));
        srv_problem(r,
                    st == TRUCE_E_NOMEM || st == TRUCE_E_IO ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                            : MHD_HTTP_BAD_REQUEST,
                    "body", why);
    }
    truce_reader_free(reader);
    return !st;
}

static void post_import_held(srv_req *r)
{
    int bad;
    truce_reader_options opt = r->s->ropt;
    /* A sighting's observer_place names a place of the agreement served
     * (held), as for a report. */
    opt.places = srv_agreement(r->s)->places;
    opt.nplaces = srv_agreement(r->s)->nplaces;
    opt.format = named_format(r, &bad);
    if (bad) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "format", "expected acled, ucdp, geojson or jsonl");
        return;
    }
    if (!readable(r, &opt))
        return;
    truce_reader *reader = open_spool(r, &opt);
    if (!reader)
        return;
    import_run *run = calloc(1, sizeof *run);
    json_t *rejects = json_array();
    truce_status st = run && rejects ? TRUCE_OK : TRUCE_E_NOMEM;
    if (run) {
        run->r = r;
        run->rejects = rejects;
    }
    char why[400];
    truce_row row;
    while (!st && (st = truce_reader_next(reader, &row)) == TRUCE_OK && row.kind != TRUCE_ROW_END) {
        if (row.kind == TRUCE_ROW_EVENT)
            st = take_event(run, &row, why, sizeof why);
        else
            reject(run, row.line, row.field, row.reason);
    }
    if (!st)
        st = batch_store(run);
    if (st) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                    "the import stopped: the rows stored before it stay stored");
    } else {
        truce_reader_stats rs;
        truce_reader_stats_get(reader, &rs);
        json_t *answer = json_pack(
            "{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:O, s:b}", "format", truce_reader_format(reader),
            "layout", truce_reader_layout(reader), "read", (json_int_t)rs.read, "accepted",
            (json_int_t)(run->created + run->existed), "rejected", (json_int_t)run->rejected,
            "stored", (json_int_t)run->created, "already_stored", (json_int_t)run->existed,
            "rejects", rejects, "rejects_truncated", run->rejected > json_array_size(rejects));
        char *text = answer ? json_dumps(answer, JSON_COMPACT) : NULL;
        json_decref(answer);
        if (text)
            srv_answer(r, MHD_HTTP_OK, "application/json", text, strlen(text), NULL, NULL);
        else
            srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
        free(text);
    }
    if (run)
        batch_release(run);
    free(run);
    json_decref(rejects);
    truce_reader_free(reader);
}

/* An import is judged and stored with one agreement: a PUT of a new one
 * waits for it (as for a report). */
void srv_post_import(srv_req *r)
{
    pthread_rwlock_rdlock(&r->s->agreement_lock);
    post_import_held(r);
    pthread_rwlock_unlock(&r->s->agreement_lock);
}
