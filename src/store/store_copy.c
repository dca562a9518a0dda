/* Copying a whole store and taking its census (include/truce/store_copy.h),
 * over the copy_* ops of any backend (store_impl.h): the rows of one
 * store's snapshot are gathered into batches and written to the other a
 * transaction per batch, and hashed on the way (nettle's SHA-256), so that
 * the census of the source is of exactly the rows copied. */
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store_impl.h"
#include "truce/store_copy.h"

#define COLS(a) a, sizeof a / sizeof a[0]

static const trc_copy_column tokens[] = {
    {"id", TRC_COPY_INT, 0},         {"sha256", TRC_COPY_BLOB, 0}, {"role", TRC_COPY_TEXT, 0},
    {"party", TRC_COPY_TEXT, 1},     {"name", TRC_COPY_TEXT, 1},   {"created_at", TRC_COPY_TEXT, 0},
    {"revoked_at", TRC_COPY_TEXT, 1}};
static const trc_copy_column agreements[] = {{"version", TRC_COPY_INT, 0},
                                             {"body", TRC_COPY_TEXT, 0},
                                             {"sha256", TRC_COPY_BLOB, 0},
                                             {"stored_at", TRC_COPY_TEXT, 0},
                                             {"token_id", TRC_COPY_INT, 1}};
static const trc_copy_column events[] = {
    {"seq", TRC_COPY_INT, 0},          {"id", TRC_COPY_TEXT, 0},
    {"event", TRC_COPY_TEXT, 0},       {"event_sha256", TRC_COPY_BLOB, 0},
    {"received_at", TRC_COPY_TEXT, 0}, {"token_id", TRC_COPY_INT, 1}};
static const trc_copy_column verdicts[] = {{"seq", TRC_COPY_INT, 0},
                                           {"event_seq", TRC_COPY_INT, 0},
                                           {"record", TRC_COPY_TEXT, 0},
                                           {"judged_at", TRC_COPY_TEXT, 0},
                                           {"agreement_version", TRC_COPY_INT, 1}};
static const trc_copy_column reviews[] = {
    {"seq", TRC_COPY_INT, 0},        {"event_seq", TRC_COPY_INT, 0},
    {"at", TRC_COPY_TEXT, 0},        {"token_id", TRC_COPY_INT, 1},
    {"role", TRC_COPY_TEXT, 0},      {"party", TRC_COPY_TEXT, 1},
    {"action", TRC_COPY_TEXT, 0},    {"from_status", TRC_COPY_TEXT, 0},
    {"to_status", TRC_COPY_TEXT, 0}, {"note", TRC_COPY_TEXT, 1}};
static const trc_copy_column changes[] = {{"seq", TRC_COPY_INT, 0},
                                          {"event_seq", TRC_COPY_INT, 0},
                                          {"kind", TRC_COPY_TEXT, 0},
                                          {"verdict_seq", TRC_COPY_INT, 0},
                                          {"review_seq", TRC_COPY_INT, 1}};
static const trc_copy_column idempotency[] = {{"token_id", TRC_COPY_INT, 0},
                                              {"key", TRC_COPY_TEXT, 0},
                                              {"request_sha256", TRC_COPY_BLOB, 0},
                                              {"outcome", TRC_COPY_INT, 0},
                                              {"answer", TRC_COPY_TEXT, 0}};
static const trc_copy_column tracks[] = {
    {"seq", TRC_COPY_INT, 0},          {"name", TRC_COPY_TEXT, 0},
    {"gpx", TRC_COPY_BLOB, 0},         {"gpx_sha256", TRC_COPY_BLOB, 0},
    {"received_at", TRC_COPY_TEXT, 0}, {"token_id", TRC_COPY_INT, 1}};
static const trc_copy_column webhooks[] = {{"id", TRC_COPY_INT, 0},
                                           {"url", TRC_COPY_TEXT, 0},
                                           {"secret", TRC_COPY_TEXT, 0},
                                           {"filter", TRC_COPY_TEXT, 0},
                                           {"created_at", TRC_COPY_TEXT, 0},
                                           {"token_id", TRC_COPY_INT, 1},
                                           {"queued_through", TRC_COPY_INT, 0},
                                           {"deactivated_at", TRC_COPY_TEXT, 1}};
static const trc_copy_column deliveries[] = {
    {"id", TRC_COPY_INT, 0},     {"webhook_id", TRC_COPY_INT, 0}, {"change_seq", TRC_COPY_INT, 0},
    {"state", TRC_COPY_TEXT, 0}, {"attempts", TRC_COPY_INT, 0},   {"queued_s", TRC_COPY_REAL, 0},
    {"next_s", TRC_COPY_REAL, 0}};
static const trc_copy_column attempts[] = {
    {"seq", TRC_COPY_INT, 0},    {"delivery_id", TRC_COPY_INT, 0},
    {"at", TRC_COPY_TEXT, 0},    {"http_status", TRC_COPY_INT, 1},
    {"error", TRC_COPY_TEXT, 1}, {"duration_ms", TRC_COPY_REAL, 0}};

const trc_copy_table trc_copy_tables[TRC_COPY_TABLES] = {
    {"tokens", COLS(tokens), 1},
    {"agreements", COLS(agreements), 1},
    {"events", COLS(events), 1},
    {"verdicts", COLS(verdicts), 1},
    {"reviews", COLS(reviews), 1},
    {"changes", COLS(changes), 1},
    {"idempotency", COLS(idempotency), 2},
    {"tracks", COLS(tracks), 1},
    {"webhooks", COLS(webhooks), 1},
    {"webhook_deliveries", COLS(deliveries), 1},
    {"webhook_attempts", COLS(attempts), 1},
};

_Static_assert(TRUCE_STORE_TABLES == TRC_COPY_TABLES, "the public and private table counts");

/* The tables the history checksum covers. */
static int in_history(size_t table)
{
    const char *n = trc_copy_tables[table].name;
    return !strcmp(n, "events") || !strcmp(n, "verdicts") || !strcmp(n, "reviews");
}

const char *truce_store_table_name(size_t table)
{
    return table < TRC_COPY_TABLES ? trc_copy_tables[table].name : NULL;
}

/* ---- the census ---- */

typedef struct census {
    truce_store_census *out;
    struct sha256_ctx all, history;
} census;

static void census_init(census *c, truce_store_census *out)
{
    memset(out, 0, sizeof *out);
    c->out = out;
    sha256_init(&c->all);
    sha256_init(&c->history);
}

static void census_end(census *c)
{
    sha256_digest(&c->all, sizeof c->out->sha256, c->out->sha256);
    sha256_digest(&c->history, sizeof c->out->history_sha256, c->out->history_sha256);
}

static void put_u64(unsigned char *b, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        b[i] = (unsigned char)v;
}

/* Hash one row as store_copy.h describes. */
static void census_row(census *c, size_t table, const trc_copy_value *v)
{
    const trc_copy_table *t = &trc_copy_tables[table];
    struct sha256_ctx *h[2] = {&c->all, in_history(table) ? &c->history : NULL};
    unsigned char head[9] = {(unsigned char)table};
    for (int k = 0; k < 2 && h[k]; k++)
        sha256_update(h[k], 1, head);
    for (size_t i = 0; i < t->ncolumns; i++) {
        size_t n = 9;
        const void *p = NULL;
        size_t len = 0;
        if (v[i].null) {
            head[0] = 0;
            n = 1;
        } else if (t->columns[i].type == TRC_COPY_INT) {
            head[0] = 1;
            put_u64(head + 1, (uint64_t)v[i].i);
        } else if (t->columns[i].type == TRC_COPY_REAL) {
            uint64_t bits;
            memcpy(&bits, &v[i].r, sizeof bits);
            head[0] = 2;
            put_u64(head + 1, bits);
        } else {
            head[0] = t->columns[i].type == TRC_COPY_TEXT ? 3 : 4;
            put_u64(head + 1, (uint64_t)v[i].len);
            p = v[i].p;
            len = v[i].len;
        }
        for (int k = 0; k < 2 && h[k]; k++) {
            sha256_update(h[k], n, head);
            if (len)
                sha256_update(h[k], len, p);
        }
    }
    c->out->rows[table]++;
}

static truce_status census_fn(void *ctx, size_t table, const trc_copy_value *values)
{
    census_row(ctx, table, values);
    return TRUCE_OK;
}

static truce_status can_copy(truce_store *s)
{
    return s->ops->copy_count && s->ops->copy_read && s->ops->copy_write ? TRUCE_OK
                                                                         : TRUCE_E_UNSUPPORTED;
}

truce_status truce_store_census_take(truce_store *s, truce_store_census *out)
{
    if (!s || !out)
        return TRUCE_E_ARG;
    if (can_copy(s))
        return TRUCE_E_UNSUPPORTED;
    census c;
    census_init(&c, out);
    truce_status st = s->ops->copy_read(s, census_fn, &c);
    census_end(&c);
    return st;
}

int truce_store_census_equal(const truce_store_census *a, const truce_store_census *b)
{
    return !memcmp(a->rows, b->rows, sizeof a->rows) &&
           !memcmp(a->history_sha256, b->history_sha256, sizeof a->history_sha256) &&
           !memcmp(a->sha256, b->sha256, sizeof a->sha256);
}

/* ---- the copy ---- */

/* A batch of rows of one table: their values, whose text and blobs are in
 * `bytes` (each value's offset kept in its `i` until the batch is
 * written, since `bytes` may move as it grows). */
typedef struct copier {
    truce_store *to;
    census census;
    truce_store_copy_progress_fn progress;
    void *ctx;
    int64_t totals[TRC_COPY_TABLES], copied[TRC_COPY_TABLES];
    size_t table, nrows;
    trc_copy_value *values; /* TRUCE_STORE_COPY_BATCH_ROWS rows of the widest table */
    char *bytes;
    size_t used, cap;
} copier;

static truce_status flush(copier *k)
{
    if (!k->nrows)
        return TRUCE_OK;
    const trc_copy_table *t = &trc_copy_tables[k->table];
    size_t n = k->nrows * t->ncolumns;
    for (size_t i = 0; i < n; i++) {
        trc_copy_type type = t->columns[i % t->ncolumns].type;
        if (!k->values[i].null && (type == TRC_COPY_TEXT || type == TRC_COPY_BLOB))
            k->values[i].p = k->bytes + k->values[i].i;
    }
    truce_status st = k->to->ops->copy_write(k->to, k->table, k->values, k->nrows);
    if (st)
        return st;
    k->copied[k->table] += (int64_t)k->nrows;
    if (k->progress)
        k->progress(k->ctx, k->table, k->copied[k->table], k->totals[k->table]);
    k->nrows = 0;
    k->used = 0;
    return TRUCE_OK;
}

/* Keep len bytes (and a NUL after them) in the batch: their offset. */
static truce_status keep(copier *k, const void *p, size_t len, size_t *off)
{
    if (len + 1 > k->cap - k->used) {
        size_t cap = k->cap ? k->cap : 1u << 16;
        while (len + 1 > cap - k->used)
            cap *= 2;
        char *b = trc_realloc(k->bytes, cap);
        if (!b)
            return TRUCE_E_NOMEM;
        k->bytes = b;
        k->cap = cap;
    }
    if (len)
        memcpy(k->bytes + k->used, p, len);
    k->bytes[k->used + len] = '\0';
    *off = k->used;
    k->used += len + 1;
    return TRUCE_OK;
}

static truce_status copy_row(void *ctx, size_t table, const trc_copy_value *v)
{
    copier *k = ctx;
    truce_status st = TRUCE_OK;
    if (table >= TRC_COPY_TABLES)
        return TRUCE_E_INTERNAL;
    if (table != k->table || k->nrows == TRUCE_STORE_COPY_BATCH_ROWS ||
        k->used >= TRUCE_STORE_COPY_BATCH_BYTES)
        st = flush(k);
    if (st)
        return st;
    k->table = table;
    census_row(&k->census, table, v);
    const trc_copy_table *t = &trc_copy_tables[table];
    trc_copy_value *row = k->values + k->nrows * t->ncolumns;
    for (size_t i = 0; !st && i < t->ncolumns; i++) {
        row[i] = v[i];
        trc_copy_type type = t->columns[i].type;
        if (!v[i].null && (type == TRC_COPY_TEXT || type == TRC_COPY_BLOB)) {
            size_t off = 0;
            st = keep(k, v[i].p, v[i].len, &off);
            row[i].p = NULL;
            row[i].i = (int64_t)off;
        }
    }
    if (!st)
        k->nrows++;
    return st;
}

static void say(char *why, size_t why_len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void say(char *why, size_t why_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (why && why_len)
        vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
}

truce_status truce_store_copy(truce_store *from, truce_store *to,
                              truce_store_copy_progress_fn progress, void *ctx,
                              truce_store_copy_report *report, char *why, size_t why_len)
{
    if (!from || !to || from == to) {
        say(why, why_len, "%s", "copy from one store into another");
        return TRUCE_E_ARG;
    }
    if (can_copy(from) || can_copy(to)) {
        say(why, why_len, "the %s backend cannot copy stores yet",
            (can_copy(from) ? from : to)->ops->name);
        return TRUCE_E_UNSUPPORTED;
    }
    copier k = {.to = to, .progress = progress, .ctx = ctx};
    truce_status st = TRUCE_OK;
    for (size_t t = 0; !st && t < TRC_COPY_TABLES; t++) {
        int64_t rows = 0;
        st = to->ops->copy_count(to, t, &rows);
        if (!st && rows) {
            say(why, why_len,
                "the target store is not empty (table %s holds %lld rows): copy into a new store",
                trc_copy_tables[t].name, (long long)rows);
            return TRUCE_E_ARG;
        }
        if (!st)
            st = from->ops->copy_count(from, t, &k.totals[t]);
    }
    size_t widest = 0;
    for (size_t t = 0; t < TRC_COPY_TABLES; t++)
        if (trc_copy_tables[t].ncolumns > widest)
            widest = trc_copy_tables[t].ncolumns;
    truce_store_census from_census, to_census;
    census_init(&k.census, &from_census);
    if (!st) {
        k.values = trc_malloc(TRUCE_STORE_COPY_BATCH_ROWS * widest * sizeof *k.values);
        if (!k.values)
            st = TRUCE_E_NOMEM;
    }
    if (!st)
        st = from->ops->copy_read(from, copy_row, &k);
    if (!st)
        st = flush(&k);
    census_end(&k.census);
    trc_free(k.values);
    trc_free(k.bytes);
    if (st) {
        say(why, why_len, "%s (the target holds what was copied before: remove it and copy again)",
            truce_strerror(st));
        return st;
    }
    st = truce_store_census_take(to, &to_census);
    if (st) {
        say(why, why_len, "reading the copy back: %s", truce_strerror(st));
        return st;
    }
    if (report) {
        report->from = from_census;
        report->to = to_census;
    }
    if (!truce_store_census_equal(&from_census, &to_census)) {
        say(why, why_len, "%s", "the copy differs from the store copied (counts or checksums)");
        return TRUCE_E_INVALID;
    }
    return TRUCE_OK;
}
