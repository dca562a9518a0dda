/* The SQL of a store filter, shared by the SQLite and PostgreSQL backends
 * (filter_sql.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "store/filter_sql.h"
#include "store/store_impl.h"

/* The next parameter's placeholder: `?` (SQLite numbers them in order of
 * appearance) or `$n`. */
static const char *ph(trc_sql_dialect d, int first, const trc_sql_args *a, char buf[16])
{
    if (d == TRC_SQL_SQLITE)
        return "?";
    snprintf(buf, 16, "$%d", first + a->n);
    return buf;
}

static void arg_i(trc_sql_args *a, int64_t i)
{
    a->v[a->n].kind = 'i';
    a->v[a->n++].i = i;
}

static void arg_d(trc_sql_args *a, double d)
{
    a->v[a->n].kind = 'd';
    a->v[a->n++].d = d;
}

/* A number's placeholder into `at` (written into the text later, in the
 * order the values are added) and the number into the arguments. */
static void bind_d(trc_sql_dialect d, int first, trc_sql_args *a, char at[16], double v)
{
    char t[16];
    snprintf(at, 16, "%s", ph(d, first, a, t));
    arg_d(a, v);
}

static void arg_t(trc_sql_args *a, const char *t)
{
    a->v[a->n].kind = 't';
    a->v[a->n++].t = t;
}

/* Each criterion is a list of the events that meet it (an IN subquery,
 * which the database builds once, from the criterion's index).  The names
 * of statuses and verdicts are fixed strings, written into the text;
 * everything a caller gave is bound.  With a window, the lists hold only
 * the events of its positions, read by position, not from the criteria's
 * indexes (in SQLite the '+' before a column keeps it off the column's
 * index; PostgreSQL's planner weighs the range of event_seq itself). */
truce_status trc_filter_sql_where(trc_sql_dialect d, const truce_store_filter *filter,
                                  const int64_t *window, int first, truce_text *sql,
                                  trc_sql_args *args)
{
    static const char *const verdicts[] = {"violation", "possible", "none"};
    truce_status st = TRUCE_OK;
    char in_window[64] = "", b1[16], b2[16], b3[16], b4[16];
    if (window)
        snprintf(in_window, sizeof in_window, " AND event_seq > %lld AND event_seq <= %lld",
                 (long long)window[0], (long long)window[1]);
    const char *col = window && d == TRC_SQL_SQLITE ? "+" : "";
#define CLAUSE(...) (st ? st : trc_store_json_printf(sql, __VA_ARGS__))
    if (filter->submitted_by) {
        st = CLAUSE(" AND e.token_id = %s", ph(d, first, args, b1));
        arg_i(args, filter->submitted_by);
    }
    if (filter->open)
        st = CLAUSE(" AND (SELECT status FROM event_facets WHERE event_seq = e.seq)"
                    " IN ('submitted','confirmed','disputed')");
    if (filter->open && filter->waiting_for) {
        st = CLAUSE(" AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.event_seq = e.seq"
                    " AND r.party = %s AND r.action IN ('confirm','dispute'))",
                    ph(d, first, args, b1));
        arg_t(args, filter->waiting_for);
    }
    if (filter->before_id) {
        /* kept off the indexes ('+ 0'): with a reporter's token, both
         * databases read every earlier event of that token, testing each */
        st = CLAUSE(" AND e.seq + 0 < (SELECT seq FROM events WHERE id = %s)",
                    ph(d, first, args, b1));
        arg_t(args, filter->before_id);
    }
    const truce_event_filter *f = filter->events;
    const truce_store_near *near = filter->near;
    if ((!f && !near) || st)
        return st;
    static const truce_event_filter any = {0};
    if (!f)
        f = &any;
    int facets = f->has_from || f->has_to || f->violations || f->statuses || f->party[0] ||
                 f->source[0] || f->has_bbox || near;
    if (facets)
        st = CLAUSE(" AND e.seq IN (SELECT event_seq FROM event_facets WHERE TRUE%s", in_window);
    if (near) {
        /* truce_dedup_pair's refusals, on the facets (a necessary
         * condition, in arithmetic both databases have): the intervals are
         * apart by 2 * slack_s or more, or the places are farther apart
         * than the radii and slack_m.  On the sphere (radius R, a hair
         * shorter than dedup's, with a millimetre more reach, so that
         * rounding never drops a pair it would take) the distance d of
         * two places is at least R times the latitudes' difference, and,
         * by the haversine formula, sin(d / 2R)^2 >= cos(lat1) cos(lat2)
         * sin(dlon / 2)^2 >= cos(lat1) (1 - lat2^2 / 2) (dlon / pi)^2
         * (cos x >= 1 - x^2/2; sin x >= 2x/pi on [0, pi/2]; radians), so
         * d^2 >= 4 R^2 cos(lat1) (1 - lat2^2 / 2) (dlon / pi)^2. */
        const double pi = 3.14159265358979323846, k = pi / 180, r = 6371008.0;
        const char *least = d == TRC_SQL_SQLITE ? "min" : "least";
        char b5[16], b6[16], b7[16];
        st = CLAUSE(" AND %send_s > %s", col, ph(d, first, args, b1));
        arg_i(args, near->start_s - 2 * near->slack_s);
        st = CLAUSE(" AND %sstart_s < %s", col, ph(d, first, args, b1));
        arg_i(args, near->end_s + 2 * near->slack_s);
        double reach = near->radius_m + near->slack_m + 1e-3;
        st = CLAUSE(" AND abs(%slat - %s) * %.9g <= ", col, ph(d, first, args, b1), r * k);
        arg_d(args, near->lat);
        st = CLAUSE("%s + %sradius_m", ph(d, first, args, b1), col);
        arg_d(args, reach);
        /* the longitudes' difference, across the antimeridian too */
        bind_d(d, first, args, b1, near->lon);
        bind_d(d, first, args, b2, near->lon);
        bind_d(d, first, args, b3, near->lon);
        bind_d(d, first, args, b4, near->lon);
        bind_d(d, first, args, b5, 4 * r * r * cos(near->lat * k) / (pi * pi) * k * k);
        bind_d(d, first, args, b6, reach);
        bind_d(d, first, args, b7, reach);
        st = CLAUSE(" AND %s(abs(%slon - %s), 360 - abs(%slon - %s))"
                    " * %s(abs(%slon - %s), 360 - abs(%slon - %s))"
                    " * %s * (1 - %slat * %slat * %.9g)"
                    " <= (%s + %sradius_m) * (%s + %sradius_m)",
                    least, col, b1, col, b2, least, col, b3, col, b4, b5, col, col, k * k / 2, b6,
                    col, b7, col);
    }
    if (f->has_from) {
        st = CLAUSE(" AND %sstart_s >= %s", col, ph(d, first, args, b1));
        arg_i(args, f->from_s);
    }
    if (f->has_to) {
        st = CLAUSE(" AND %sstart_s < %s", col, ph(d, first, args, b1));
        arg_i(args, f->to_s);
    }
    for (int set = 0; set < 2; set++) {
        unsigned bits = set ? f->statuses : f->violations;
        if (!bits)
            continue;
        st = CLAUSE(" AND %s%s IN (", col, set ? "status" : "violation");
        int one = 1;
        for (unsigned i = 0; i < 5; i++) {
            if (!(bits & (1u << i)) || (!set && i >= 3))
                continue;
            const char *name = set ? truce_review_status_name((truce_review_status)i) : verdicts[i];
            st = CLAUSE("%s'%s'", one ? "" : ",", name);
            one = 0;
        }
        st = CLAUSE(")");
    }
    if (f->party[0]) {
        st = CLAUSE(" AND (%sactor1 = %s", col, ph(d, first, args, b1));
        arg_t(args, f->party);
        st = CLAUSE(" OR %sactor2 = %s)", col, ph(d, first, args, b1));
        arg_t(args, f->party);
    }
    if (f->source[0]) {
        st = CLAUSE(d == TRC_SQL_SQLITE ? " AND instr(sources, %s) > 0"
                                        : " AND strpos(sources, %s) > 0",
                    ph(d, first, args, b1));
        arg_t(args, f->source);
    }
    if (f->has_bbox) {
        bind_d(d, first, args, b1, f->min_lon);
        bind_d(d, first, args, b2, f->max_lon);
        bind_d(d, first, args, b3, f->min_lat);
        bind_d(d, first, args, b4, f->max_lat);
        if (f->min_lon <= f->max_lon)
            st = CLAUSE(" AND %slon BETWEEN %s AND %s AND %slat BETWEEN %s AND %s", col, b1, b2,
                        col, b3, b4);
        else
            st = CLAUSE(" AND (%slon >= %s OR %slon <= %s) AND %slat BETWEEN %s AND %s", col, b1,
                        col, b2, col, b3, b4);
    }
    if (facets)
        st = CLAUSE(")");
    /* These tables' keys are (criterion, event_seq): a window is a range
     * of their key, an index of its own. */
    if (f->rule[0]) {
        st = CLAUSE(" AND e.seq IN (SELECT event_seq FROM event_rules WHERE rule = %s%s)",
                    ph(d, first, args, b1), in_window);
        arg_t(args, f->rule);
    }
    if (f->zone[0]) {
        st = CLAUSE(" AND e.seq IN (SELECT event_seq FROM event_zones WHERE zone = %s%s)",
                    ph(d, first, args, b1), in_window);
        arg_t(args, f->zone);
    }
    if (f->corridor[0]) {
        st = CLAUSE(" AND e.seq IN (SELECT event_seq FROM event_corridors WHERE corridor = %s%s",
                    ph(d, first, args, b1), in_window);
        arg_t(args, f->corridor);
        if (f->has_km) {
            st = CLAUSE(" AND %schainage_m >= %s", col, ph(d, first, args, b1));
            arg_d(args, f->km_min * 1000);
            st = CLAUSE(" AND %schainage_m <= %s", col, ph(d, first, args, b1));
            arg_d(args, isfinite(f->km_max) ? f->km_max * 1000 : HUGE_VAL);
        }
        st = CLAUSE(")");
    }
#undef CLAUSE
    return st;
}

int trc_filter_sql_filtered(const truce_store_filter *filter)
{
    truce_text q = {0};
    int any = filter->submitted_by || filter->near || filter->before_id ||
              (filter->events && (truce_event_filter_query(filter->events, &q) || q.len));
    truce_text_release(&q);
    return any;
}

truce_status trc_sql_page_row(trc_sql_page *p, int64_t seq, const char *record, const char *status,
                              const char *received_at, int *stop)
{
    *stop = 0;
    if (p->n == p->limit) {
        p->full = 1;
        *stop = 1;
        return TRUCE_OK;
    }
    p->last = seq;
    p->one.len = 0;
    truce_status st = record ? trc_store_json_event(&p->one, record, status ? status : "submitted",
                                                    received_at, NULL)
                             : TRUCE_E_IO;
    if (!st)
        st = p->fn(p->ctx, p->one.p, p->one.len);
    p->n++;
    return st;
}

/* Windows of positions read by the listing before it lets the criteria's
 * indexes find the events: the first holds this many positions for each
 * event of the page, each next one twice the last, up to WINDOW_BUDGET
 * times the page in all. */
#define WINDOW_FIRST 4
#define WINDOW_BUDGET 64

/* The events of positions (lo, hi] (hi 0: all after lo) that pass the
 * filter, onto the page until it is full. */
static truce_status list_range(trc_sql_dialect d, const truce_store_filter *filter, int64_t lo,
                               int64_t hi, trc_sql_page *p, trc_sql_range_fn run, void *run_ctx)
{
    int64_t window[2] = {lo, hi};
    truce_text sql = {0};
    trc_sql_args args = {0};
    /* The limit and the window's ends are numbers: written into the text,
     * so that the filter's values are bound from 1 on. */
    truce_status st;
    if (filter->newest_first) /* before position lo (0: from the newest) */
        st = trc_store_json_printf(&sql,
                                   "SELECT seq, " TRC_SQL_CURRENT_RECORD ", " TRC_SQL_CURRENT_STATUS
                                   ", received_at FROM events e WHERE (%lld = 0 OR seq < %lld)",
                                   (long long)lo, (long long)lo);
    else
        st = trc_store_json_printf(&sql,
                                   "SELECT seq, " TRC_SQL_CURRENT_RECORD ", " TRC_SQL_CURRENT_STATUS
                                   ", received_at FROM events e WHERE seq > %lld",
                                   (long long)lo);
    if (!st && hi)
        st = trc_store_json_printf(&sql, " AND seq <= %lld", (long long)hi);
    if (!st)
        st = trc_filter_sql_where(d, filter, hi ? window : NULL, 1, &sql, &args);
    if (!st)
        st = trc_store_json_printf(&sql, " ORDER BY seq%s LIMIT %zu",
                                   filter->newest_first ? " DESC" : "", p->limit + 1 - p->n);
    if (!st)
        st = run(run_ctx, sql.p, &args, p);
    truce_text_release(&sql);
    return st;
}

/* A page is the first limit + 1 events after `after` that pass the filter
 * (the last says whether another page follows).  Asking the database for
 * them in one query makes it build each criterion's list whole: a box
 * around the corridor holding a third of a million events costs 300 ms for
 * a page of 1000 in SQLite (docs/performance.md, "Queries over a million
 * events").  So the positions after `after` are read a window at a time
 * first, the window doubling, each criterion's list built only over the
 * window: a criterion that one event in k meets fills the page after about
 * k pages' worth of positions.  Past WINDOW_BUDGET pages' worth the
 * criteria are selective, their lists short, and one query over all the
 * rest finds the remaining events from the indexes. */
truce_status trc_filter_sql_list(trc_sql_dialect d, const truce_store_filter *filter, int64_t after,
                                 size_t limit, int64_t end, trc_sql_range_fn run, void *run_ctx,
                                 truce_store_event_fn fn, void *ctx, int64_t *next)
{
    *next = 0;
    trc_sql_page p = {limit, 0, 0, 0, fn, ctx, {0}};
    truce_status st = TRUCE_OK;
    int64_t lo = after;
    uint64_t width = (uint64_t)(limit + 1) * WINDOW_FIRST;
    uint64_t budget = (uint64_t)(limit + 1) * WINDOW_BUDGET;
    /* Windows for pages of a sensible size only (a server's hold 1000),
     * so that none of this arithmetic can overflow. */
    int windows = limit < ((size_t)1 << 24) && !filter->newest_first;
    while (!st && windows && !p.full && lo < end && budget >= width) {
        int64_t hi = (uint64_t)(end - lo) <= width ? end : lo + (int64_t)width;
        st = list_range(d, filter, lo, hi, &p, run, run_ctx);
        budget -= width;
        width *= 2;
        lo = hi;
    }
    if (!st && !p.full && (filter->newest_first || end == 0 || lo < end))
        st = list_range(d, filter, lo, 0, &p, run, run_ctx);
    truce_text_release(&p.one);
    if (!st && p.full)
        *next = p.last;
    return st;
}
