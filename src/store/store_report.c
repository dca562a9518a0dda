/* Storing one report: waiting for its commit (truce_store_report_put) or
 * told of it (truce_store_report_submit); both go through the group commit
 * (group_commit.h), where reports from concurrent callers share a commit. */
#include <string.h>

#include "base/alloc.h"
#include "store/store_impl.h"

/* The backend's job for report r; `stamped` is r with received_at set
 * (to `now` when r has none). */
static truce_status report_job(const truce_store_report *r, truce_store_put_result *result,
                               truce_text *answer, trc_report_job *job, truce_store_report *stamped,
                               char now[32])
{
    if (!r || !r->id || !r->event_json || !r->record || !result || !answer ||
        (r->idempotency_key && !r->request && r->request_len))
        return TRUCE_E_ARG;
    *stamped = *r;
    if (!stamped->received_at) {
        trc_store_now(now);
        stamped->received_at = now;
    }
    *job = (trc_report_job){.r = stamped, .result = result, .answer = answer};
    trc_sha256(r->event_json, strlen(r->event_json), job->event_sha256);
    trc_sha256(r->request ? r->request : "", r->request ? r->request_len : 0, job->request_sha256);
    return TRUCE_OK;
}

truce_status truce_store_report_put(truce_store *s, const truce_store_report *r,
                                    truce_store_put_result *result, truce_text *answer)
{
    trc_report_job job;
    truce_store_report stamped;
    char now[32];
    truce_status st = s ? report_job(r, result, answer, &job, &stamped, now) : TRUCE_E_ARG;
    if (st)
        return st;
    if (trc_group_run(&s->group, &job.group))
        return TRUCE_E_IO;
    return job.status;
}

/* A submitted report: its job and the copy of the report it points to,
 * until the owner is told. */
typedef struct submitted {
    trc_report_job job; /* first: a trc_group_job * is a submitted * */
    truce_store_report stamped;
    char now[32];
    truce_store_put_done_fn done;
    void *ctx;
} submitted;

static void submitted_notify(trc_group_job *g)
{
    submitted *one = (submitted *)g;
    one->done(one->ctx, one->job.status);
    trc_free(one);
}

truce_status truce_store_report_submit(truce_store *s, const truce_store_report *r,
                                       truce_store_put_result *result, truce_text *answer,
                                       truce_store_put_done_fn done, void *ctx)
{
    if (!s || !done)
        return TRUCE_E_ARG;
    submitted *one = trc_malloc(sizeof *one);
    if (!one)
        return TRUCE_E_NOMEM;
    truce_status st = report_job(r, result, answer, &one->job, &one->stamped, one->now);
    if (!st) {
        one->done = done;
        one->ctx = ctx;
        one->job.group.notify = submitted_notify;
        if (trc_group_submit(&s->group, &one->job.group))
            st = TRUCE_E_IO;
    }
    if (st)
        trc_free(one);
    return st;
}
