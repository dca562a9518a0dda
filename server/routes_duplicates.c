/* truce serve: a report's likely duplicates (docs/server.md, "Likely
 * duplicates"): the stored events that truce dedup's pair rule
 * (truce_dedup_pair, truce/dedup.h) would link with it, found in the store
 * by a bounded query on its indexes (start within a window, lon and lat
 * within a box) and scored by the library; the rule is not repeated here. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "server_impl.h"
#include "truce/dedup.h"
#include "truce/event_filter.h"

/* The bounds of the query.  A stored event is a candidate when it starts
 * at most DUP_BEFORE_S before the report (so a stored event up to eight
 * days long, an ACLED week-precision report, still overlaps) and the pair
 * rule's refusals (truce_store_near: the times apart, the places farther
 * apart than the radii) do not already rule it out, both asked of the
 * store's index.  At most DUP_SCAN_MAX candidates are read (the store
 * holds years of reports, but few in one place within a week), and the
 * DUP_KEEP best are answered. */
#define DUP_BEFORE_S ((int64_t)8 * 86400)
#define DUP_SCAN_MAX 500
#define DUP_KEEP 10

typedef struct dup_found {
    char *id;
    double score;
    char reason[160];
} dup_found;

typedef struct dup_search {
    srv *s;
    const truce_event *report;
    truce_dedup_options o;
    dup_found best[DUP_KEEP];
    size_t n;
    size_t scanned;
    truce_status st;
} dup_search;

/* Each stored event: read as the reports are, and scored against the
 * report; the DUP_KEEP best kept, best first. */
static truce_status candidate(void *ctx, const char *json, size_t len)
{
    dup_search *d = ctx;
    if (++d->scanned > DUP_SCAN_MAX)
        return TRUCE_E_RANGE; /* bound reached: what was read stands */
    truce_event_doc *doc = NULL;
    char field[96], why[300];
    if (truce_event_read_json(json, len, NULL, NULL, &d->s->ropt, &doc, field, sizeof field, why,
                              sizeof why) != TRUCE_OK)
        return TRUCE_OK; /* a stored event the reader no longer takes is no candidate */
    const truce_event *e = truce_event_doc_event(doc);
    double score;
    dup_found f = {NULL, 0, ""};
    if (strcmp(e->id, d->report->id) &&
        truce_dedup_pair(&d->o, d->report, e, &score, f.reason, sizeof f.reason) == TRUCE_OK &&
        score >= d->o.min_score) {
        size_t at = d->n < DUP_KEEP ? d->n : DUP_KEEP - 1;
        if (d->n < DUP_KEEP || score > d->best[at].score) {
            f.id = strdup(e->id);
            f.score = score;
            if (!f.id) {
                truce_event_doc_free(doc);
                return TRUCE_E_NOMEM;
            }
            if (d->n == DUP_KEEP)
                free(d->best[at].id);
            else
                d->n++;
            while (at > 0 && d->best[at - 1].score < score) {
                d->best[at] = d->best[at - 1];
                at--;
            }
            d->best[at] = f;
        }
    }
    truce_event_doc_free(doc);
    return TRUCE_OK;
}

/* The likely duplicates of `report` among the events r's token may read
 * (with `before_only`, those stored before it), as a JSON array [{"id",
 * "score", "reason"}], best first; NULL when out of memory or the store
 * cannot be read. */
static json_t *likely_duplicates(srv_req *r, const truce_event *report, int before_only)
{
    dup_search d;
    memset(&d, 0, sizeof d);
    d.s = r->s;
    d.report = report;
    truce_dedup_options_init(&d.o);
    /* Reports reach the server through one door: two stored reports are
     * two reports, whoever sent them (a source is a file only for truce
     * dedup's files). */
    d.o.same_source = 1;
    truce_event_filter f;
    truce_event_filter_init(&f);
    f.has_from = f.has_to = 1;
    f.from_s = report->start_s - DUP_BEFORE_S - 2 * d.o.time_slack_s;
    f.to_s = report->end_s + 2 * d.o.time_slack_s;
    truce_store_filter sf;
    memset(&sf, 0, sizeof sf);
    sf.events = &f;
    /* The rule's refusals asked of the store's index, so that of the
     * events in the window only those are read that could pass (reading
     * each one in the window and a box cut POST /reports twentyfold at a
     * few thousand reports a day: docs/performance.md). */
    truce_store_near near = {report->start_s, report->end_s,    d.o.time_slack_s, report->lon,
                             report->lat,     report->radius_m, d.o.place_slack_m};
    if (report->has_location)
        sf.near = &near;
    if (before_only)
        sf.before_id = report->id; /* read in the order stored, up to the report itself */
    if (r->who.role == TRUCE_ROLE_REPORTER)
        sf.submitted_by = r->who.id; /* a reporter sees its own reports only */
    truce_status st = truce_store_events_scan(r->s->cfg->store, &sf, candidate, &d);
    json_t *out = st == TRUCE_OK || st == TRUCE_E_RANGE ? json_array() : NULL;
    for (size_t i = 0; i < d.n; i++) {
        if (out && json_array_append_new(out, json_pack("{s:s, s:f, s:s}", "id", d.best[i].id,
                                                        "score", round(d.best[i].score * 1e4) / 1e4,
                                                        "reason", d.best[i].reason))) {
            json_decref(out);
            out = NULL;
        }
        free(d.best[i].id);
    }
    return out;
}

int srv_duplicates_add(srv_req *r, const truce_event *stored, truce_text *answer)
{
    /* The report as stored, which a retry's answer names (a report sent
     * without an id was given one the first time). */
    truce_event_doc *doc = NULL;
    char field[96], why[300];
    if (!stored && truce_event_read_json(answer->p, answer->len, NULL, NULL, &r->s->ropt, &doc,
                                         field, sizeof field, why, sizeof why) != TRUCE_OK)
        return -1;
    /* Those stored before it: what it found on arrival, so that a retry
     * answers the same. */
    json_t *dups = likely_duplicates(r, stored ? stored : truce_event_doc_event(doc), 1);
    truce_event_doc_free(doc);
    char *text = dups ? json_dumps(dups, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(dups);
    if (!text)
        return -1;
    /* The answer is one JSON object: its closing brace gives way to the
     * new member (the answer is left as it was when that fails). */
    size_t n = answer->len, old = answer->len;
    while (n && answer->p[n - 1] != '}')
        n--;
    size_t tn = strlen(text);
    char *member = n > 1 ? malloc(tn + 32) : NULL;
    int ok = member != NULL;
    if (ok) {
        int k = snprintf(member, tn + 32, ",\"likely_duplicates\":%s}", text);
        answer->len = n - 1;
        ok = truce_text_append(answer, member, (size_t)k) == TRUCE_OK;
        if (!ok)
            answer->len = old;
    }
    free(member);
    free(text);
    return ok ? 0 : -1;
}

void srv_get_duplicates(srv_req *r)
{
    truce_text stored = {0};
    if (srv_event_read(r, r->param, &stored))
        return;
    truce_event_doc *doc = NULL;
    char field[96], why[300];
    truce_status st = truce_event_read_json(stored.p, stored.len, NULL, NULL, &r->s->ropt, &doc,
                                            field, sizeof field, why, sizeof why);
    truce_text_release(&stored);
    if (st) { /* stored by an older truce whose events this one no longer reads */
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, why);
        return;
    }
    json_t *dups = likely_duplicates(r, truce_event_doc_event(doc), 0);
    json_t *body = dups ? json_pack("{s:s, s:o}", "id", truce_event_doc_event(doc)->id,
                                    "likely_duplicates", dups)
                        : NULL;
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(body);
    truce_event_doc_free(doc);
    if (text)
        srv_answer(r, MHD_HTTP_OK, "application/json", text, strlen(text), NULL, NULL);
    else
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot be read");
    free(text);
}
