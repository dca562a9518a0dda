/* The SQL both backends of the store share (private to src/store): the
 * WHERE clauses of a truce_store_filter over the query tables (migration 4
 * of each backend), and the windowed listing of truce_store_events_list,
 * written once and parameterised by the dialect's placeholders (SQLite's
 * `?`, PostgreSQL's `$n`).  The backend prepares, binds and steps. */
#ifndef TRUCE_STORE_FILTER_SQL_H
#define TRUCE_STORE_FILTER_SQL_H

#include "truce/store.h"

typedef enum trc_sql_dialect { TRC_SQL_SQLITE, TRC_SQL_PG } trc_sql_dialect;

/* The current record and review status of event e (NULL: submitted). */
#define TRC_SQL_CURRENT_RECORD                                                                     \
    "(SELECT record FROM verdicts v WHERE v.event_seq = e.seq ORDER BY v.seq DESC LIMIT 1)"
#define TRC_SQL_CURRENT_STATUS                                                                     \
    "(SELECT to_status FROM reviews r WHERE r.event_seq = e.seq ORDER BY r.seq DESC LIMIT 1)"

/* A WHERE clause's values, to be bound in order from the clause's first
 * parameter on. */
typedef struct trc_sql_args {
    int n;
    struct {
        int kind; /* 'i', 'd', 't' */
        int64_t i;
        double d;
        const char *t; /* the caller's, not copied */
    } v[32];
} trc_sql_args;

/* Append " AND ..." to `sql` for each criterion `filter` sets, on events
 * e, its values added to *args; in PostgreSQL's dialect the first of them
 * is parameter $first.  With `window` (NULL: none), only the events of
 * positions (window[0], window[1]] are listed by each criterion
 * (trc_filter_sql_list says why).  TRUCE_E_NOMEM. */
truce_status trc_filter_sql_where(trc_sql_dialect d, const truce_store_filter *filter,
                                  const int64_t *window, int first, truce_text *sql,
                                  trc_sql_args *args);

/* Whether the filter has a criterion at all. */
int trc_filter_sql_filtered(const truce_store_filter *filter);

/* A page being listed: fn gets its events, up to `limit`; one more only
 * says that a next page exists. */
typedef struct trc_sql_page {
    size_t limit, n;
    int64_t last; /* position of the last event given */
    int full;     /* one more than the limit was found */
    truce_store_event_fn fn;
    void *ctx;
    truce_text one; /* an event's JSON, reused */
} trc_sql_page;

/* One row of a range's query (seq, current record, current status,
 * received_at): onto the page, or *stop set once it is full. */
truce_status trc_sql_page_row(trc_sql_page *p, int64_t seq, const char *record, const char *status,
                              const char *received_at, int *stop);

/* Run `sql` (selecting seq, record, status, received_at) with `args` bound
 * from parameter 1, each row through trc_sql_page_row. */
typedef truce_status (*trc_sql_range_fn)(void *ctx, const char *sql, const trc_sql_args *args,
                                         trc_sql_page *p);

/* truce_store_events_list over a backend: `end` is the highest position
 * stored (read only when trc_filter_sql_filtered; else 0), `run` runs
 * each window's query. */
truce_status trc_filter_sql_list(trc_sql_dialect d, const truce_store_filter *filter, int64_t after,
                                 size_t limit, int64_t end, trc_sql_range_fn run, void *run_ctx,
                                 truce_store_event_fn fn, void *ctx, int64_t *next);

#endif
