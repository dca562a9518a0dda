/* Statistics over verdicts: see truce/stats.h and docs/stats.md. */
#include "truce/stats.h"

#include "truce/aid.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/strmap.h"
#include "truce/tz.h"

/* ---- the exact conditional interval ------------------------------------ */

/* log of the Binomial(n, p) probability of j. */
static double log_term(uint64_t j, uint64_t n, double lp, double lq, double lgn)
{
    return lgn - lgamma((double)j + 1) - lgamma((double)(n - j) + 1) + (double)j * lp +
           (double)(n - j) * lq;
}

/* P(X >= k) for X ~ Binomial(n, p), summing the terms in log space (lgamma).
 * The terms are unimodal in j with the mode at floor((n + 1) p), so the sum
 * walks away from the mode (or from k, past it) and stops once a term falls
 * below 1e-300 of the largest: exact to rounding, and O(sqrt(n)) terms. */
static double binom_upper_tail(uint64_t k, uint64_t n, double p)
{
    if (k == 0)
        return 1.0;
    if (k > n || p <= 0)
        return 0.0;
    if (p >= 1)
        return 1.0;
    double lp = log(p), lq = log1p(-p), lgn = lgamma((double)n + 1);
    double modef = floor(((double)n + 1) * p);
    uint64_t mode = modef > (double)n ? n : (uint64_t)modef;
    uint64_t start = mode > k ? mode : k;
    double peak = log_term(start, n, lp, lq, lgn), sum = 0;
    for (uint64_t j = start; j <= n; j++) {
        double t = log_term(j, n, lp, lq, lgn) - peak;
        if (t < -690)
            break;
        sum += exp(t);
    }
    for (uint64_t j = start; j-- > k;) {
        double t = log_term(j, n, lp, lq, lgn) - peak;
        if (t < -690)
            break;
        sum += exp(t);
    }
    double tail = exp(peak) * sum;
    return tail > 1 ? 1 : tail;
}

/* The p at which `f(p)` (increasing in p) equals `target`, by bisection to
 * the resolution of a double. */
static double solve_increasing(uint64_t k, uint64_t n, double target)
{
    double lo = 0, hi = 1;
    for (int i = 0; i < 64 && hi - lo > 1e-15; i++) {
        double mid = (lo + hi) / 2;
        if (binom_upper_tail(k, n, mid) < target)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

truce_status truce_rate_ratio_exact(uint64_t k1, double t1, uint64_t k0, double t0, double level,
                                    double *ratio, double *lo, double *hi)
{
    uint64_t n = k0 + k1;
    if (n == 0 || !(t1 > 0) || !(t0 > 0) || !(level > 0 && level < 1) || !ratio || !lo || !hi)
        return TRUCE_E_ARG;
    double alpha = 1 - level;
    /* Clopper-Pearson: p_lo solves P(X >= k1 | p) = alpha/2, p_hi solves
     * P(X <= k1 | p) = alpha/2, i.e. P(X >= k1 + 1 | p) = 1 - alpha/2. */
    double p_lo = k1 == 0 ? 0 : solve_increasing(k1, n, alpha / 2);
    double p_hi = k1 == n ? 1 : solve_increasing(k1 + 1, n, 1 - alpha / 2);
    double scale = t0 / t1;
    *ratio = k0 ? ((double)k1 / t1) / ((double)k0 / t0) : HUGE_VAL;
    *lo = p_lo / (1 - p_lo) * scale;
    *hi = p_hi >= 1 ? HUGE_VAL : p_hi / (1 - p_hi) * scale;
    return TRUCE_OK;
}

/* ---- the accumulator ---------------------------------------------------- */

typedef struct breakdown {
    strmap keys;
    truce_stats_row *rows; /* by key index */
    size_t cap;
    truce_stats_row *sorted; /* a sorted copy handed out */
} breakdown;

#define NBY 6

struct truce_stats {
    const truce_agreement *a;
    int window_days;
    int64_t now_s;
    int has_now;
    int64_t latest_s;
    truce_stats_day *days; /* 2 * window_days */
    truce_stats_summary sum;
    breakdown by[NBY];
    const truce_aid *aid; /* borrowed; may be NULL */
};

void truce_stats_options_init(truce_stats_options *o)
{
    memset(o, 0, sizeof *o);
    o->window_days = 30;
}

void truce_stats_free(truce_stats *s)
{
    if (!s)
        return;
    for (int b = 0; b < NBY; b++) {
        trc_strmap_release(&s->by[b].keys);
        trc_free(s->by[b].rows);
        trc_free(s->by[b].sorted);
    }
    trc_free(s->days);
    trc_free(s);
}

/* Local midnight of the day `offset` days after the local date of `t`. */
static int64_t local_day_start(const truce_tz *tz, int64_t t, int offset, truce_civil *day)
{
    truce_civil c;
    truce_tz_utc_to_local(tz, t, &c);
    int64_t d = truce_days_from_civil(c.year, c.month, c.day) + offset;
    truce_civil m = {0};
    truce_civil_from_days(d, &m.year, &m.month, &m.day);
    int64_t start = 0;
    /* Where clocks go forward at midnight, 00:00 does not exist; the status
     * says so and `start` is the instant of the gap, the day's first. */
    (void)truce_tz_local_to_utc(tz, &m, &start, NULL);
    if (day)
        *day = m;
    return start;
}

/* Count the event in breakdown `by` under `key`, as a violation or
 * possible one by `verdict`. */
static truce_status count(truce_stats *s, int by, const char *key, const truce_event *ev,
                          truce_violation verdict)
{
    breakdown *b = &s->by[by];
    size_t i;
    int added;
    if (trc_strmap_put(&b->keys, key, &i, &added) != TRUCE_OK)
        return TRUCE_E_NOMEM;
    if (i >= b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        truce_stats_row *rows = trc_realloc(b->rows, cap * sizeof *rows);
        if (!rows)
            return TRUCE_E_NOMEM;
        b->rows = rows;
        b->cap = cap;
    }
    truce_stats_row *r = &b->rows[i];
    if (added)
        *r = (truce_stats_row){.key = b->keys.keys[i]};
    if (!ev)
        return TRUCE_OK; /* the row alone */
    r->events++;
    r->violations += verdict == TRUCE_VIOLATION_YES;
    r->possible += verdict == TRUCE_VIOLATION_POSSIBLE;
    if (ev->fatalities > 0)
        r->fatalities += ev->fatalities;
    return TRUCE_OK;
}

truce_status truce_stats_new(const truce_agreement *a, const truce_stats_options *opt,
                             truce_stats **out)
{
    if (!a || !out)
        return TRUCE_E_ARG;
    *out = NULL;
    truce_stats_options defaults;
    truce_stats_options_init(&defaults);
    if (!opt)
        opt = &defaults;
    if (opt->window_days < 1 || opt->window_days > 36600)
        return TRUCE_E_ARG;
    truce_stats *s = trc_calloc(1, sizeof *s);
    if (!s)
        return TRUCE_E_NOMEM;
    s->a = a;
    s->window_days = opt->window_days;
    s->now_s = opt->now_s;
    s->has_now = opt->has_now;
    s->latest_s = INT64_MIN;
    size_t ndays = 2 * (size_t)opt->window_days;
    s->days = trc_calloc(ndays, sizeof *s->days);
    if (!s->days) {
        trc_free(s);
        return TRUCE_E_NOMEM;
    }
    for (size_t i = 0; i < ndays; i++) {
        truce_stats_day *d = &s->days[i];
        truce_civil c;
        d->offset = (int)i - opt->window_days;
        d->start_s = local_day_start(a->tz, a->ceasefire_s, d->offset, &c);
        char tmp[48];
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", c.year, c.month, c.day);
        memcpy(d->date, tmp, sizeof d->date - 1);
        d->date[sizeof d->date - 1] = '\0';
    }
    for (int b = 0; b < NBY; b++)
        trc_strmap_init(&s->by[b].keys);
    /* Every rule has a row, so that a provision nobody broke shows 0. */
    for (size_t r = 0; r < a->nrules; r++)
        if (count(s, TRUCE_BY_RULE, a->rules[r].id, NULL, TRUCE_VIOLATION_NONE) != TRUCE_OK) {
            truce_stats_free(s);
            return TRUCE_E_NOMEM;
        }
    s->sum.window_days = opt->window_days;
    *out = s;
    return TRUCE_OK;
}

truce_status truce_stats_add(truce_stats *s, const truce_event *ev, const truce_verdict *v)
{
    if (!s || !ev || !v)
        return TRUCE_E_ARG;
    truce_stats_summary *sum = &s->sum;
    int64_t c = s->a->ceasefire_s, w = (int64_t)s->window_days * 86400;
    int64_t fat = ev->fatalities > 0 ? ev->fatalities : 0;
    sum->events++;
    if (ev->end_s > s->latest_s)
        s->latest_s = ev->end_s;
    sum->violations += v->violation == TRUCE_VIOLATION_YES;
    sum->possible += v->violation == TRUCE_VIOLATION_POSSIBLE;
    if (v->violation == TRUCE_VIOLATION_YES &&
        (!sum->has_last_violation || ev->start_s > sum->last_violation_s)) {
        sum->has_last_violation = 1;
        sum->last_violation_s = ev->start_s;
    }
    uint64_t hostile = v->any_phase == TRUCE_VIOLATION_YES;
    if (v->phase == TRUCE_EVENT_SPANS) {
        sum->spanning++;
    } else if (v->phase == TRUCE_EVENT_BEFORE && ev->start_s >= c - w) {
        sum->hostile_before += hostile;
        sum->fatalities_before += fat;
    } else if (v->phase == TRUCE_EVENT_AFTER && ev->start_s < c + w) {
        sum->hostile_after += hostile;
        sum->fatalities_after += fat;
    }
    size_t ndays = 2 * (size_t)s->window_days;
    if (ev->start_s >= s->days[0].start_s) {
        /* The last day whose start is at or before the event's start. */
        size_t lo = 0, hi = ndays;
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (s->days[mid].start_s <= ev->start_s)
                lo = mid;
            else
                hi = mid;
        }
        truce_stats_day *d = &s->days[lo];
        int64_t day_end = lo + 1 < ndays ? s->days[lo + 1].start_s : d->start_s + 86400;
        if (ev->start_s < day_end) {
            sum->in_window++;
            d->events++;
            d->hostile += hostile;
            d->violations += v->violation == TRUCE_VIOLATION_YES;
            d->possible += v->violation == TRUCE_VIOLATION_POSSIBLE;
            d->fatalities += fat;
        }
    }
    truce_status st = TRUCE_OK;
    if (ev->actor1)
        st = count(s, TRUCE_BY_PARTY, ev->actor1, ev, v->violation);
    if (st == TRUCE_OK && ev->actor2 && (!ev->actor1 || strcmp(ev->actor1, ev->actor2)))
        st = count(s, TRUCE_BY_PARTY, ev->actor2, ev, v->violation);
    if (st == TRUCE_OK)
        st = count(s, TRUCE_BY_TYPE, ev->event_type ? ev->event_type : "(none)", ev, v->violation);
    for (size_t i = 0; st == TRUCE_OK && i < v->nzones; i++)
        if (v->zones[i].in_force && v->zones[i].position == TRUCE_POS_INSIDE)
            st = count(s, TRUCE_BY_ZONE, v->zones[i].zone->id, ev, v->violation);
    for (size_t i = 0; st == TRUCE_OK && i < v->ncorridors; i++) {
        const truce_corridor_verdict *cv = &v->corridors[i];
        if (!cv->in_force || cv->position != TRUCE_POS_INSIDE)
            continue;
        char key[160];
        int km = (int)floor(cv->chainage_m / 1000);
        snprintf(key, sizeof key, "%.100s km %d-%d", cv->corridor->id, km, km + 1);
        st = count(s, TRUCE_BY_CORRIDOR_KM, key, ev, v->violation);
    }
    if (st == TRUCE_OK) {
        truce_civil lc;
        char key[16];
        truce_tz_utc_to_local(s->a->tz, ev->start_s, &lc);
        snprintf(key, sizeof key, "%04d-%02d-%02d", lc.year % 100000, lc.month % 100, lc.day % 100);
        st = count(s, TRUCE_BY_DAY, key, ev, v->violation);
    }
    for (size_t k = 0; st == TRUCE_OK && k < v->nrules; k++)
        st = count(s, TRUCE_BY_RULE, v->rules[k].rule->id, ev, v->rules[k].violation);
    return st;
}

truce_status truce_stats_summarise(const truce_stats *s, truce_stats_summary *out)
{
    if (!s || !out)
        return TRUCE_E_ARG;
    *out = s->sum;
    double t = (double)s->window_days;
    out->has_ratio = out->hostile_before + out->hostile_after > 0;
    if (out->has_ratio)
        truce_rate_ratio_exact(out->hostile_after, t, out->hostile_before, t, 0.95,
                               &out->rate_ratio, &out->ratio_lo, &out->ratio_hi);
    out->reference_s = s->has_now ? s->now_s : s->latest_s;
    if (out->has_last_violation)
        out->days_since_last_violation =
            (double)(out->reference_s - out->last_violation_s) / 86400.0;
    return TRUCE_OK;
}

const truce_stats_day *truce_stats_days(const truce_stats *s, size_t *count_out)
{
    *count_out = 2 * (size_t)s->window_days;
    return s->days;
}

static int by_count(const void *pa, const void *pb)
{
    const truce_stats_row *a = pa, *b = pb;
    if (a->violations != b->violations)
        return a->violations > b->violations ? -1 : 1;
    if (a->events != b->events)
        return a->events > b->events ? -1 : 1;
    return strcmp(a->key, b->key);
}

static int by_key(const void *pa, const void *pb)
{
    return strcmp(((const truce_stats_row *)pa)->key, ((const truce_stats_row *)pb)->key);
}

truce_status truce_stats_breakdown(truce_stats *s, truce_stats_by by, const truce_stats_row **rows,
                                   size_t *count_out)
{
    if (!s || (unsigned)by >= NBY || !rows || !count_out)
        return TRUCE_E_ARG;
    breakdown *b = &s->by[by];
    size_t n = b->keys.count;
    truce_stats_row *sorted = trc_realloc(b->sorted, (n ? n : 1) * sizeof *sorted);
    if (!sorted)
        return TRUCE_E_NOMEM;
    b->sorted = sorted;
    if (n)
        memcpy(sorted, b->rows, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, by == TRUCE_BY_DAY ? by_key : by_count);
    *rows = sorted;
    *count_out = n;
    return TRUCE_OK;
}

truce_status truce_stats_set_aid(truce_stats *s, const truce_aid *aid)
{
    if (!s || !aid || !truce_aid_result_get(aid) || truce_aid_agreement(aid) != s->a)
        return TRUCE_E_ARG;
    s->aid = aid;
    return TRUCE_OK;
}

const truce_aid *truce_stats_aid(const truce_stats *s)
{
    return s->aid;
}
