/* The JSON of stored events and reviews, for every backend: the judged
 * record as truce_verdict_write gave it, with the store's members added
 * after its own, so a client reads one object. */
#include <yajl/yajl_parse.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/json_escape.h"
#include "base/util.h"
#include "store/store_impl.h"

truce_status trc_store_json_printf(truce_text *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = truce_vasprintf(fmt, ap);
    va_end(ap);
    truce_status st = text ? truce_text_append(out, text, strlen(text)) : TRUCE_E_NOMEM;
    trc_free(text);
    return st;
}

truce_status trc_store_json_string(truce_text *out, const char *s)
{
    return trc_json_escape_text(out, s);
}

truce_status trc_store_json_event(truce_text *out, const char *record, const char *status,
                                  const char *received_at, const char *more)
{
    size_t n = strlen(record);
    while (n && (record[n - 1] == '\n' || record[n - 1] == ' '))
        n--;
    if (!n || record[n - 1] != '}')
        return TRUCE_E_INTERNAL;
    truce_status st = truce_text_append(out, record, n - 1);
    if (!st)
        st = truce_text_append(out, ",\"status\":", 10);
    if (!st)
        st = trc_store_json_string(out, status);
    if (!st)
        st = truce_text_append(out, ",\"received_at\":", 15);
    if (!st)
        st = trc_store_json_string(out, received_at);
    if (!st && more)
        st = truce_text_append(out, more, strlen(more));
    if (!st)
        st = truce_text_append(out, "}", 1);
    return st;
}

truce_status trc_store_json_review(truce_text *out, const trc_review_row *row)
{
    truce_status st = truce_text_append(out, "{\"at\":", 6);
    if (!st)
        st = trc_store_json_string(out, row->at);
    if (!st)
        st = trc_store_json_printf(out, ",\"by\":%lld,\"role\":", (long long)row->by);
    if (!st)
        st = trc_store_json_string(out, row->role);
    const char *keys[] = {",\"party\":", ",\"action\":", ",\"from\":", ",\"to\":", ",\"note\":"};
    const char *vals[] = {row->party, row->action, row->from, row->to, row->note};
    for (size_t i = 0; !st && i < 5; i++) {
        st = truce_text_append(out, keys[i], strlen(keys[i]));
        if (!st)
            st = trc_store_json_string(out, vals[i]);
    }
    if (!st)
        st = truce_text_append(out, "}", 1);
    return st;
}

truce_status trc_store_history_row(const trc_review_row *row, int first, const char *const *parties,
                                   size_t nparties, int *positions, int *rejected,
                                   truce_text *reviews)
{
    if (row->to && !strcmp(row->to, "rejected"))
        *rejected = 1;
    for (size_t i = 0; row->party && i < nparties; i++) {
        if (strcmp(row->party, parties[i]))
            continue;
        if (!strcmp(row->action, "confirm"))
            positions[i] = TRUCE_POSITION_CONFIRMED;
        else if (!strcmp(row->action, "dispute"))
            positions[i] = TRUCE_POSITION_DISPUTED;
    }
    truce_status st = TRUCE_OK;
    if (reviews && !first)
        st = truce_text_append(reviews, ",", 1);
    if (reviews && !st)
        st = trc_store_json_review(reviews, row);
    return st;
}

void trc_store_review_row(const truce_token_info *who, const truce_review_request *request,
                          const truce_review_decision *decision, const char *const *parties,
                          const char *at, trc_review_row *row)
{
    trc_review_row r = {at,
                        who->id,
                        truce_role_name(who->role),
                        decision->party >= 0 ? parties[decision->party] : NULL,
                        truce_review_action_name(request->action),
                        truce_review_status_name(decision->from),
                        truce_review_status_name(decision->to),
                        request->note && request->note[0] ? request->note : NULL};
    *row = r;
}

truce_status trc_store_json_confirmed_by(truce_text *out, const char *const *parties,
                                         size_t nparties, const int *positions)
{
    truce_status st = truce_text_append(out, ",\"confirmed_by\":[", 17);
    int first = 1;
    for (size_t i = 0; !st && i < nparties; i++) {
        if (positions[i] != TRUCE_POSITION_CONFIRMED)
            continue;
        if (!first)
            st = truce_text_append(out, ",", 1);
        if (!st)
            st = trc_store_json_string(out, parties[i]);
        first = 0;
    }
    if (!st)
        st = truce_text_append(out, "]", 1);
    return st;
}

truce_status trc_store_json_reviewed(truce_text *out, const char *id, const trc_review_row *row,
                                     const char *const *parties, size_t nparties,
                                     const int *positions)
{
    size_t len = out->len;
    truce_status st = truce_text_append(out, "{\"event\":", 9);
    if (!st)
        st = trc_store_json_string(out, id);
    if (!st)
        st = trc_store_json_printf(out, ",\"status\":\"%s\"", row->to);
    if (!st)
        st = trc_store_json_confirmed_by(out, parties, nparties, positions);
    if (!st)
        st = truce_text_append(out, ",\"review\":", 10);
    if (!st)
        st = trc_store_json_review(out, row);
    if (!st)
        st = truce_text_append(out, "}", 1);
    if (st)
        out->len = len;
    return st;
}

truce_status trc_store_json_verdict(truce_text *out, int first, const char *judged_at,
                                    const char *agreement_version, const char *record)
{
    truce_status st = trc_store_json_printf(out, "%s{\"judged_at\":", first ? "" : ",");
    if (!st)
        st = trc_store_json_string(out, judged_at);
    if (!st)
        st = trc_store_json_printf(out, ",\"agreement_version\":%s,\"record\":%s}",
                                   agreement_version ? agreement_version : "null", record);
    return st;
}

/* A stored event's "id", "lon" and "lat", read with YAJL's callbacks up to
 * the last of them (the verdict writer puts them first), instead of the
 * whole record into a jansson tree: that tree was 80% of the CPU of a page
 * of 1000 Features (docs/performance.md, "Queries over a million events"). */
typedef struct peek {
    int depth;
    int key;            /* the member being read at depth 1: PEEK_ID, PEEK_LON, PEEK_LAT or 0 */
    unsigned seen;      /* which of them were read (a bit each) */
    int lon_ok, lat_ok; /* each a number */
    double lon, lat;
    char *id;  /* trc_malloc'd */
    int bad;   /* not an object, an id that is not a string, out of memory */
    int nomem; /* ...out of memory */
} peek;

enum { PEEK_ID = 1, PEEK_LON = 2, PEEK_LAT = 3, PEEK_ALL = 7 };

/* After a member's value at depth 1: go on (1) until all three are read. */
static int peek_value(peek *p)
{
    if (p->depth == 0)
        p->bad = 1; /* a scalar, not an object */
    if (p->depth == 1 && p->key)
        p->seen |= 1u << (p->key - 1);
    p->key = 0;
    return !p->bad && p->seen != PEEK_ALL;
}

static int peek_null(void *ctx)
{
    peek *p = ctx;
    if (p->depth == 1 && p->key == PEEK_ID)
        p->bad = 1;
    return peek_value(p);
}

static int peek_bool(void *ctx, int b)
{
    (void)b;
    return peek_null(ctx);
}

static int peek_number(void *ctx, const char *text, size_t len)
{
    peek *p = ctx;
    if (p->depth == 1 && (p->key == PEEK_LON || p->key == PEEK_LAT)) {
        char small[64], *buf = len < sizeof small ? small : trc_malloc(len + 1);
        if (!buf) {
            p->bad = p->nomem = 1;
            return 0;
        }
        memcpy(buf, text, len);
        buf[len] = '\0';
        double v = strtod(buf, NULL);
        if (buf != small)
            trc_free(buf);
        *(p->key == PEEK_LON ? &p->lon : &p->lat) = v;
        /* A number too large for a double is no coordinate (jansson
         * refuses it too). */
        *(p->key == PEEK_LON ? &p->lon_ok : &p->lat_ok) = isfinite(v);
    }
    return peek_null(ctx);
}

static int peek_string(void *ctx, const unsigned char *text, size_t len)
{
    peek *p = ctx;
    if (p->depth == 1 && p->key == PEEK_ID && !p->id) {
        p->id = trc_malloc(len + 1);
        if (!p->id) {
            p->bad = p->nomem = 1;
        } else {
            memcpy(p->id, text, len);
            p->id[len] = '\0';
        }
    } else if (p->depth == 0) {
        p->bad = 1;
    }
    return peek_value(p);
}

static int peek_key(void *ctx, const unsigned char *key, size_t len)
{
    peek *p = ctx;
    p->key = 0;
    if (p->depth == 1 && len == 2 && !memcmp(key, "id", 2))
        p->key = PEEK_ID;
    else if (p->depth == 1 && len == 3 && !memcmp(key, "lon", 3))
        p->key = PEEK_LON;
    else if (p->depth == 1 && len == 3 && !memcmp(key, "lat", 3))
        p->key = PEEK_LAT;
    return 1;
}

static int peek_open(void *ctx, int map)
{
    peek *p = ctx;
    if (p->depth == 0 && !map)
        p->bad = 1;
    if (p->depth == 1 && p->key == PEEK_ID)
        p->bad = 1;
    if (p->depth == 1 && p->key)
        p->seen |= 1u << (p->key - 1); /* lon or lat that is not a number */
    p->key = 0;
    p->depth++;
    return !p->bad;
}

static int peek_start_map(void *ctx)
{
    return peek_open(ctx, 1);
}

static int peek_start_array(void *ctx)
{
    return peek_open(ctx, 0);
}

static int peek_end(void *ctx)
{
    peek *p = ctx;
    p->depth--;
    return 1;
}

static const yajl_callbacks peek_callbacks = {
    peek_null, peek_bool,        NULL,     NULL, peek_number, peek_string, peek_start_map, peek_key,
    peek_end,  peek_start_array, peek_end,
};

truce_status truce_store_event_feature(const char *json, size_t len, truce_text *out)
{
    if (!json || !out)
        return TRUCE_E_ARG;
    peek p = {0};
    yajl_handle h = yajl_alloc(&peek_callbacks, NULL, &p);
    if (!h)
        return TRUCE_E_NOMEM;
    yajl_status ys = yajl_parse(h, (const unsigned char *)json, len);
    if (ys == yajl_status_ok)
        ys = yajl_complete_parse(h);
    yajl_free(h);
    int read = ys == yajl_status_ok || ys == yajl_status_client_canceled;
    if (!read || p.bad || !p.id) {
        trc_free(p.id);
        return p.nomem ? TRUCE_E_NOMEM : TRUCE_E_ARG;
    }
    truce_status st = truce_text_append(out, "{\"type\":\"Feature\",\"id\":", 23);
    if (!st)
        st = trc_store_json_string(out, p.id);
    if (!st && p.lon_ok && p.lat_ok) {
        /* The coordinates' text is the record's: the writer's and this
         * formatting of the same double agree. */
        char x[32], y[32];
        trc_json_double(p.lon, x);
        trc_json_double(p.lat, y);
        st = trc_store_json_printf(
            out, ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%s,%s]}", x, y);
    } else if (!st) {
        st = truce_text_append(out, ",\"geometry\":null", 16);
    }
    if (!st)
        st = truce_text_append(out, ",\"properties\":", 14);
    if (!st)
        st = truce_text_append(out, json, len);
    if (!st)
        st = truce_text_append(out, "}", 1);
    trc_free(p.id);
    return st;
}
