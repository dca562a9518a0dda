/* truce serve: querying -- the filters of the event listing and of the
 * statistics (truce/event_filter.h), the listing's cursor, GET
 * /api/v1/stats, GET /api/v1/agreement and GET /api/v1/corridors/{id}.
 * Filtering, counting and writing are the library's; this maps HTTP to
 * them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_impl.h"
#include "truce/agreement_write.h"
#include "truce/corridor_geojson.h"
#include "truce/stats_write.h"

/* ---- the filter of a query ---- */

typedef struct filter_read {
    srv_req *r;
    truce_event_filter *f;
    const char *const *filters, *const *others; /* strict: NULL-terminated; else NULL */
    int strict;
    int failed;
} filter_read;

static int listed(const char *const *names, const char *name)
{
    for (; names && *names; names++)
        if (!strcmp(*names, name))
            return 1;
    return 0;
}

static enum MHD_Result on_arg(void *ctx, enum MHD_ValueKind kind, const char *key,
                              const char *value)
{
    (void)kind;
    filter_read *fr = ctx;
    char why[200];
    truce_status st = TRUCE_E_NOT_FOUND;
    if (!fr->filters || listed(fr->filters, key))
        st = truce_event_filter_set(fr->f, key, value ? value : "", srv_agreement(fr->r->s)->tz,
                                    why, sizeof why);
    if (st == TRUCE_OK || (st == TRUCE_E_NOT_FOUND && (!fr->strict || listed(fr->others, key))))
        return MHD_YES;
    srv_problem(fr->r, MHD_HTTP_BAD_REQUEST, key,
                st == TRUCE_E_NOT_FOUND ? "not a parameter of this route" : why);
    fr->failed = 1;
    return MHD_NO;
}

static int query_filter(filter_read *fr)
{
    truce_event_filter_init(fr->f);
    MHD_get_connection_values(fr->r->c, MHD_GET_ARGUMENT_KIND, on_arg, fr);
    if (fr->failed)
        return -1;
    const char *param;
    char why[200];
    if (truce_event_filter_check(fr->f, &param, why, sizeof why)) {
        srv_problem(fr->r, MHD_HTTP_BAD_REQUEST, param, why);
        return -1;
    }
    return 0;
}

int srv_query_filter(srv_req *r, truce_event_filter *f)
{
    filter_read fr = {r, f, NULL, NULL, 0, 0};
    return query_filter(&fr);
}

int srv_query_filter_strict(srv_req *r, truce_event_filter *f, const char *const *filters,
                            const char *const *others)
{
    filter_read fr = {r, f, filters, others, 1, 0};
    return query_filter(&fr);
}

int srv_query_limit(srv_req *r, long dflt, long max, int clamp, long *limit)
{
    const char *text = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "limit");
    *limit = dflt;
    if (!text)
        return 0;
    char *end;
    long n = strtol(text, &end, 10);
    if (end != text && !*end && n >= 1 && (n <= max || clamp)) {
        *limit = n <= max ? n : max;
        return 0;
    }
    char why[64];
    snprintf(why, sizeof why, "expected a number from 1 to %ld", max);
    srv_problem(r, MHD_HTTP_BAD_REQUEST, "limit", why);
    return -1;
}

/* ---- the cursor: "e", the last position given, "." and a digest of the
 * filter's canonical query, so that a cursor is refused with another
 * filter than the one it was made under ---- */

/* FNV-1a, 64 bits: a check against mistakes, not a secret. */
static unsigned long long digest(const char *s, size_t n)
{
    unsigned long long h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

int srv_cursor_read(srv_req *r, const char *cursor, const truce_event_filter *f, int64_t *after)
{
    *after = 0;
    if (!cursor)
        return 0;
    truce_text q = {0};
    if (truce_event_filter_query(f, &q)) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
        return -1;
    }
    char *end;
    long long pos = cursor[0] == 'e' && cursor[1] >= '0' && cursor[1] <= '9'
                        ? strtoll(cursor + 1, &end, 10)
                        : -1;
    char want[24];
    snprintf(want, sizeof want, ".%016llx", digest(q.p ? q.p : "", q.len));
    truce_text_release(&q);
    if (pos < 0 || strcmp(end, want)) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "cursor",
                    pos >= 0 && *end == '.'
                        ? "this cursor was given for other filters (take it from a next link)"
                        : "not a cursor this server gave (take it from a next link)");
        return -1;
    }
    *after = pos;
    return 0;
}

truce_status srv_next_link(const char *path, long limit, const truce_event_filter *f, int64_t next,
                           const char *tail, truce_text *out)
{
    truce_text q = {0};
    truce_status st = truce_event_filter_query(f, &q);
    char head[96];
    int n = snprintf(head, sizeof head, "?limit=%ld&cursor=e%lld.%016llx", limit, (long long)next,
                     digest(q.p ? q.p : "", q.len));
    if (!st)
        st = truce_text_append(out, path, strlen(path));
    if (!st)
        st = truce_text_append(out, head, (size_t)n);
    if (!st && q.len)
        st = truce_text_append(out, "&", 1);
    if (!st && q.len)
        st = truce_text_append(out, q.p, q.len);
    if (!st)
        st = truce_text_append(out, tail, strlen(tail));
    truce_text_release(&q);
    return st;
}

/* ---- answers written by the library to a stream ---- */

typedef truce_status (*write_fn)(FILE *out, const void *ctx);

/* Answer 200 with what `fn` writes, of `type`. */
static void answer_written(srv_req *r, const char *type, write_fn fn, const void *ctx)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    truce_status st = mem ? fn(mem, ctx) : TRUCE_E_NOMEM;
    if (mem && fclose(mem) && !st)
        st = TRUCE_E_NOMEM;
    if (st)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, truce_strerror(st));
    else
        srv_answer(r, MHD_HTTP_OK, type, buf ? buf : "", len, NULL, NULL);
    free(buf);
}

/* ---- GET /api/v1/stats ---- */

typedef struct stats_answer {
    truce_stats *stats;
    const truce_agreement *agreement;
    unsigned by_mask;
} stats_answer;

static truce_status write_stats(FILE *out, const void *ctx)
{
    const stats_answer *a = ctx;
    return truce_stats_write(out, a->stats, a->agreement, TRUCE_STATS_JSON, a->by_mask);
}

/* `by`: breakdowns beside the ones always given, as truce stats --by (a
 * comma list, or repeated). */
static enum MHD_Result on_by(void *ctx, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    unsigned *mask = ctx;
    if (strcmp(key, "by"))
        return MHD_YES;
    const char *p = value ? value : "";
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char name[32];
        truce_stats_by by;
        if (!n || n >= sizeof name)
            goto bad;
        memcpy(name, p, n);
        name[n] = '\0';
        if (truce_stats_by_parse(name, &by))
            goto bad;
        *mask |= TRUCE_STATS_BY_BIT(by);
        if (!comma)
            return MHD_YES;
        p = comma + 1;
    }
bad:
    *mask = ~0u;
    return MHD_NO;
}

void srv_get_stats(srv_req *r)
{
    srv *s = r->s;
    truce_event_filter f;
    if (srv_query_filter(r, &f))
        return;
    stats_answer a = {NULL, srv_agreement(s), 0};
    MHD_get_connection_values(r->c, MHD_GET_ARGUMENT_KIND, on_by, &a.by_mask);
    if (a.by_mask == ~0u) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "by",
                    "expected party, type, zone, corridor-km, day or rule (a comma list)");
        return;
    }
    truce_stats_options so;
    truce_stats_options_init(&so);
    truce_store_filter sf = {.submitted_by = r->who.role == TRUCE_ROLE_REPORTER ? r->who.id : 0,
                             .events = &f};
    truce_status st = truce_stats_new(a.agreement, &so, &a.stats);
    if (!st)
        st = truce_store_stats(s->cfg->store, &sf, a.agreement, a.stats);
    if (st)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, truce_strerror(st));
    else
        answer_written(r, "application/json", write_stats, &a);
    truce_stats_free(a.stats);
}

/* ---- GET /api/v1/agreement ---- */

static truce_status write_agreement(FILE *out, const void *ctx)
{
    const truce_agreement *agreement = ctx;
    truce_amendments am;
    truce_status st = truce_amendments_collect(agreement, &am);
    if (st)
        return st;
    st = truce_agreement_summary_write(out, agreement, &am, TRUCE_AGREEMENT_JSON);
    truce_amendments_release(&am);
    return st;
}

void srv_get_agreement(srv_req *r)
{
    const char *f = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "f");
    if (f && !strcmp(f, "geojson")) {
        srv_agreement_geojson(r);
        return;
    }
    if (f && strcmp(f, "json")) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "f", "expected json or geojson");
        return;
    }
    answer_written(r, "application/json", write_agreement, srv_agreement(r->s));
}

/* ---- GET /api/v1/corridors/{id} ---- */

/* The area's tolerance, as truce corridor's default. */
#define CORRIDOR_TOLERANCE_M 0.1

void srv_get_corridor(srv_req *r)
{
    const truce_agreement *a = srv_agreement(r->s);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    truce_status st =
        mem ? truce_corridors_write_geojson(mem, a, CORRIDOR_TOLERANCE_M, NULL) : TRUCE_E_NOMEM;
    if (mem && fclose(mem) && !st)
        st = TRUCE_E_NOMEM;
    json_t *all = st ? NULL : json_loadb(buf, len, 0, NULL);
    json_t *found = NULL;
    size_t i;
    json_t *feature;
    json_array_foreach(json_object_get(all, "features"), i, feature)
    {
        if (json_is_string(json_object_get(feature, "id")) &&
            !strcmp(json_string_value(json_object_get(feature, "id")), r->param))
            found = feature;
    }
    char *text = found ? json_dumps(found, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    if (st || !all)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                    st ? truce_strerror(st) : "the corridors cannot be written");
    else if (!found)
        srv_problem(r, MHD_HTTP_NOT_FOUND, NULL, "no such corridor in the agreement");
    else if (!text)
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
    else
        srv_answer(r, MHD_HTTP_OK, "application/geo+json", text, strlen(text), NULL, NULL);
    free(text);
    json_decref(all);
    free(buf);
}
