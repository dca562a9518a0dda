/* truce serve: POST /api/v1/tracks and GET /api/v1/patrols.  A posted GPX
 * file is read with libtruce's GPX reader (truce_gpx_parse) and, when it
 * reads whole, kept verbatim in the store (truce_store_track_put); the
 * patrols are what `truce patrol --format json` reports for the stored
 * files: each track judged against a patrol route (truce_patrol_check),
 * the summary across tracks (truce_patrol_summarize), written by the same
 * writer (patrol_write.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "server_impl.h"
#include "truce/patrol_write.h"
#include "truce/time.h"

/* The first error of a GPX read as "line N: message" (or the status's
 * description). */
static void first_error(const truce_diags *d, truce_status st, char *out, size_t len)
{
    for (size_t i = 0; i < d->count; i++) {
        if (d->items[i].level != TRUCE_DIAG_ERROR)
            continue;
        snprintf(out, len, "line %ld: %s", d->items[i].line, d->items[i].message);
        return;
    }
    snprintf(out, len, "%s", truce_strerror(st));
}

void srv_post_track(srv_req *r)
{
    const char *name = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "name");
    if (!name)
        name = "track.gpx";
    truce_diags diags;
    truce_diags_init(&diags);
    truce_gpx *g = NULL;
    truce_status st = truce_gpx_parse(r->body ? r->body : "", r->len, name, NULL, &g, &diags);
    char why[400];
    if (st || diags.errors || !g->ntracks) {
        if (!st && !diags.errors)
            snprintf(why, sizeof why, "no <trk> or <rte> in the document");
        else
            first_error(&diags, st, why, sizeof why);
        srv_problem(r,
                    st == TRUCE_E_NOMEM || st == TRUCE_E_IO ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                            : MHD_HTTP_BAD_REQUEST,
                    "body", why);
        truce_diags_release(&diags);
        truce_gpx_free(g);
        return;
    }
    truce_diags_release(&diags);
    size_t points = 0;
    for (size_t i = 0; i < g->ntracks; i++)
        points += g->tracks[i].npoints;
    size_t ntracks = g->ntracks;
    truce_gpx_free(g);
    int64_t id = 0;
    int existed = 0;
    st = truce_store_track_put(r->s->cfg->store, name, r->body, r->len, r->who.id, &id, &existed);
    if (st == TRUCE_E_RANGE) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "name",
                    "expected 1 to 200 bytes without control characters");
        return;
    }
    if (st) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "the store cannot write the track");
        return;
    }
    json_t *answer =
        json_pack("{s:I, s:s, s:I, s:I, s:b}", "id", (json_int_t)id, "name", name, "tracks",
                  (json_int_t)ntracks, "points", (json_int_t)points, "already_stored", existed);
    char *text = answer ? json_dumps(answer, JSON_COMPACT) : NULL;
    json_decref(answer);
    if (text)
        srv_answer(r, existed ? MHD_HTTP_OK : MHD_HTTP_CREATED, "application/json", text,
                   strlen(text), NULL, NULL);
    else
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
    free(text);
}

/* What the listing of stored tracks keeps. */
typedef struct patrol_run {
    const truce_patrol_checker *checker;
    truce_patrol_writer *w;
    truce_patrol_result *results; /* every track's, for the summary */
    size_t n, cap;
} patrol_run;

/* Judge every track of one stored file and write it. */
static truce_status judge_file(void *ctx, const truce_store_track *t)
{
    patrol_run *run = ctx;
    truce_gpx *g = NULL;
    truce_diags diags; /* none: it read whole when it was stored */
    truce_diags_init(&diags);
    truce_status st = truce_gpx_parse(t->gpx, t->len, t->name, NULL, &g, &diags);
    truce_diags_release(&diags);
    for (size_t i = 0; !st && i < g->ntracks; i++) {
        if (run->n == run->cap) {
            size_t cap = run->cap ? 2 * run->cap : 16;
            truce_patrol_result *grown = realloc(run->results, cap * sizeof *grown);
            if (!grown) {
                st = TRUCE_E_NOMEM;
                break;
            }
            run->results = grown;
            run->cap = cap;
        }
        truce_patrol_result *res = &run->results[run->n];
        st = truce_patrol_check(run->checker, &g->tracks[i], res);
        if (st)
            break;
        run->n++;
        truce_stops stops;
        st = truce_track_stops(&g->tracks[i], TRUCE_STOP_SPEED_MPS_DEFAULT,
                               TRUCE_STOP_MIN_S_DEFAULT, &stops);
        if (st)
            break;
        truce_patrol_judged j = {t->name, &g->tracks[i], res, stops.count};
        truce_stops_release(&stops);
        st = truce_patrol_write_track(run->w, &j);
    }
    truce_gpx_free(g);
    return st;
}

/* A local date parameter (YYYY-MM-DD) into *day; -1 when malformed. */
static int day_param(srv_req *r, const char *key, int64_t *day)
{
    const char *v = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, key);
    if (!v)
        return 0;
    truce_time_value tv;
    if (truce_time_parse(v, &tv) != TRUCE_OK || tv.kind != TRUCE_TIME_DATE)
        return -1;
    *day = truce_days_from_civil(tv.civil.year, tv.civil.month, tv.civil.day);
    return 0;
}

/* GET /api/v1/patrols: `route` (default the agreement's first), `from`
 * and `to` (local dates of the summary's period), `bin` (metres). */
void srv_get_patrols(srv_req *r)
{
    const truce_agreement *a = srv_agreement(r->s);
    const char *route_id = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "route");
    const char *bin = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "bin");
    const truce_patrol_route *route = route_id     ? truce_agreement_route(a, route_id)
                                      : a->nroutes ? &a->routes[0]
                                                   : NULL;
    if (!route) {
        srv_problem(r, route_id ? MHD_HTTP_NOT_FOUND : MHD_HTTP_CONFLICT, "route",
                    route_id ? "the agreement has no such patrol route"
                             : "the agreement has no patrol route");
        return;
    }
    truce_patrol_summary_options so;
    truce_patrol_summary_options_init(&so);
    if (day_param(r, "from", &so.from_day) || day_param(r, "to", &so.to_day) ||
        (so.from_day != TRUCE_NO_DAY && so.to_day != TRUCE_NO_DAY && so.from_day > so.to_day)) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "from",
                    "expected local dates YYYY-MM-DD, from not after to");
        return;
    }
    if (bin) {
        char *end;
        so.bin_m = strtod(bin, &end);
        if (end == bin || *end || !(so.bin_m > 0 && so.bin_m <= 1e6)) {
            srv_problem(r, MHD_HTTP_BAD_REQUEST, "bin", "expected metres in (0, 1000000]");
            return;
        }
    }
    truce_patrol_options popt;
    truce_patrol_options_init(&popt);
    truce_patrol_checker *c = NULL;
    truce_status st = truce_patrol_checker_new(a, route, &popt, &c);
    if (st) {
        srv_problem(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "route", truce_strerror(st));
        return;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    patrol_run run = {c, NULL, NULL, 0, 0};
    st = mem ? truce_patrol_writer_new(mem, TRUCE_PATROL_JSON, a, route, popt.tolerance_m, &run.w)
             : TRUCE_E_NOMEM;
    if (!st)
        st = truce_store_tracks_list(
            r->s->cfg->store, r->who.role == TRUCE_ROLE_REPORTER ? r->who.id : 0, judge_file, &run);
    truce_patrol_summary s;
    truce_status summed = TRUCE_E_INTERNAL;
    if (!st)
        st = summed = truce_patrol_summarize(route, a->tz, run.results, run.n, &so, &s);
    if (!st)
        st = truce_patrol_write_summary(run.w, &s, so.bin_m);
    if (!summed)
        truce_patrol_summary_release(&s);
    truce_status finished = truce_patrol_writer_finish(run.w);
    if (!st)
        st = finished;
    if (mem && fclose(mem) && !st)
        st = TRUCE_E_NOMEM;
    if (st == TRUCE_E_RANGE)
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "from",
                    "the period or its bins are too many: give from and to, or a larger bin");
    else if (st)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, truce_strerror(st));
    else
        srv_answer(r, MHD_HTTP_OK, "application/json", buf, len, NULL, NULL);
    free(buf);
    for (size_t i = 0; i < run.n; i++)
        truce_patrol_result_release(&run.results[i]);
    free(run.results);
    truce_patrol_checker_free(c);
}
