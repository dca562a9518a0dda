/* Patrols across tracks: coverage per bin of chainage and the days without
 * a patrol (truce/patrol_summary.h, where the rules are stated). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "truce/agreement.h"
#include "truce/patrol_summary.h"
#include "truce/time.h"

#include "base/alloc.h"

void truce_patrol_summary_options_init(truce_patrol_summary_options *opt)
{
    opt->bin_m = 1000;
    opt->from_day = TRUCE_NO_DAY;
    opt->to_day = TRUCE_NO_DAY;
}

int64_t truce_local_day(const truce_tz *tz, double t_s)
{
    if (!truce_instant_s_in_range(t_s))
        return TRUCE_NO_DAY;
    truce_civil c;
    int64_t t = (int64_t)floor(t_s);
    if (tz)
        truce_tz_utc_to_local(tz, t, &c);
    else
        truce_civil_from_utc(t, &c);
    return truce_days_from_civil(c.year, c.month, c.day);
}

void truce_patrol_summary_release(truce_patrol_summary *s)
{
    if (!s)
        return;
    trc_free(s->bins);
    trc_free(s->days_without);
    memset(s, 0, sizeof *s);
}

/* A track of the period: its result and date. */
typedef struct dated {
    const truce_patrol_result *r;
    int64_t day;
} dated;

static int by_day(const void *pa, const void *pb)
{
    const dated *a = pa, *b = pb;
    return (a->day > b->day) - (a->day < b->day);
}

static int by_from(const void *pa, const void *pb)
{
    const truce_chainage_interval *a = pa, *b = pb;
    return (a->from_m > b->from_m) - (a->from_m < b->from_m);
}

/* Add the part of [from_m, to_m] in each bin to acc[]; the bins touched for
 * the first time (acc was 0) are appended to touched[*ntouched]. */
static void spread(const truce_patrol_summary *s, double bin_m, double from_m, double to_m,
                   double *acc, size_t *touched, size_t *ntouched)
{
    if (from_m < 0)
        from_m = 0;
    if (to_m > s->route_length_m)
        to_m = s->route_length_m;
    if (!(to_m > from_m))
        return;
    size_t k = (size_t)(from_m / bin_m);
    for (; k < s->nbins && s->bins[k].from_m < to_m; k++) {
        double a = fmax(from_m, s->bins[k].from_m), b = fmin(to_m, s->bins[k].to_m);
        if (b <= a)
            continue;
        if (acc[k] == 0 && touched)
            touched[(*ntouched)++] = k;
        acc[k] += b - a;
    }
}

/* Set the period from the options, the route and the dated tracks. */
static truce_status period(const truce_patrol_route *route, const truce_tz *tz,
                           const truce_patrol_summary_options *o, const dated *d, size_t nd,
                           truce_patrol_summary *s)
{
    int64_t first = TRUCE_NO_DAY, last = TRUCE_NO_DAY;
    for (size_t i = 0; i < nd; i++) {
        if (first == TRUCE_NO_DAY || d[i].day < first)
            first = d[i].day;
        if (last == TRUCE_NO_DAY || d[i].day > last)
            last = d[i].day;
    }
    s->from_day = o->from_day;
    if (s->from_day == TRUCE_NO_DAY)
        s->from_day = route->valid.from_s != TRUCE_TIME_MIN
                          ? truce_local_day(tz, (double)route->valid.from_s)
                          : first;
    s->to_day = o->to_day != TRUCE_NO_DAY ? o->to_day : last;
    if (s->from_day == TRUCE_NO_DAY || s->to_day == TRUCE_NO_DAY) {
        s->from_day = s->to_day = TRUCE_NO_DAY;
        return TRUCE_OK;
    }
    if (s->to_day >= s->from_day) {
        if (s->to_day - s->from_day >= TRUCE_SUMMARY_MAX_DAYS)
            return TRUCE_E_RANGE;
        s->ndays = (size_t)(s->to_day - s->from_day + 1);
    }
    return TRUCE_OK;
}

static truce_status make_bins(truce_patrol_summary *s, double bin_m)
{
    double nb = ceil(s->route_length_m / bin_m);
    if (nb > TRUCE_SUMMARY_MAX_BINS)
        return TRUCE_E_RANGE;
    size_t n = (size_t)nb;
    if (n > 0 && (double)(n - 1) * bin_m >= s->route_length_m)
        n--; /* a length that is a multiple of the bin, give or take rounding */
    s->bins = trc_calloc(n ? n : 1, sizeof *s->bins);
    if (!s->bins)
        return TRUCE_E_NOMEM;
    s->nbins = n;
    for (size_t k = 0; k < n; k++) {
        s->bins[k].from_m = (double)k * bin_m;
        s->bins[k].to_m = k + 1 < n ? (double)(k + 1) * bin_m : s->route_length_m;
    }
    return TRUCE_OK;
}

/* Tracks and dates per bin; `d` sorted by date. */
static truce_status count_bins(truce_patrol_summary *s, double bin_m, const dated *d, size_t nd)
{
    double *acc = trc_calloc(s->nbins ? s->nbins : 1, sizeof *acc);
    size_t *touched = trc_malloc((s->nbins ? s->nbins : 1) * sizeof *touched);
    int64_t *last_day = trc_malloc((s->nbins ? s->nbins : 1) * sizeof *last_day);
    if (!acc || !touched || !last_day) {
        trc_free(acc), trc_free(touched), trc_free(last_day);
        return TRUCE_E_NOMEM;
    }
    for (size_t k = 0; k < s->nbins; k++)
        last_day[k] = TRUCE_NO_DAY;
    for (size_t i = 0; i < nd; i++) {
        size_t nt = 0;
        for (size_t j = 0; j < d[i].r->ncovered; j++)
            spread(s, bin_m, d[i].r->covered[j].from_m, d[i].r->covered[j].to_m, acc, touched, &nt);
        for (size_t t = 0; t < nt; t++) {
            truce_patrol_bin *b = &s->bins[touched[t]];
            if (acc[touched[t]] >= 0.5 * (b->to_m - b->from_m)) {
                b->tracks++;
                if (last_day[touched[t]] != d[i].day)
                    b->days++;
                last_day[touched[t]] = d[i].day;
            }
            acc[touched[t]] = 0;
        }
    }
    trc_free(acc), trc_free(touched), trc_free(last_day);
    return TRUCE_OK;
}

/* The union of the covered stretches of all tracks, per bin and in all. */
static truce_status union_cover(truce_patrol_summary *s, double bin_m, const dated *d, size_t nd)
{
    size_t total = 0;
    for (size_t i = 0; i < nd; i++)
        total += d[i].r->ncovered;
    truce_chainage_interval *iv = trc_malloc((total ? total : 1) * sizeof *iv);
    double *acc = trc_calloc(s->nbins ? s->nbins : 1, sizeof *acc);
    if (!iv || !acc) {
        trc_free(iv), trc_free(acc);
        return TRUCE_E_NOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < nd; i++)
        for (size_t j = 0; j < d[i].r->ncovered; j++)
            iv[m++] = d[i].r->covered[j];
    qsort(iv, m, sizeof *iv, by_from);
    size_t k = 0;
    for (size_t i = 1; i < m; i++) {
        if (iv[i].from_m <= iv[k].to_m)
            iv[k].to_m = fmax(iv[k].to_m, iv[i].to_m);
        else
            iv[++k] = iv[i];
    }
    m = m ? k + 1 : 0;
    for (size_t i = 0; i < m; i++)
        spread(s, bin_m, iv[i].from_m, iv[i].to_m, acc, NULL, NULL);
    for (size_t b = 0; b < s->nbins; b++) {
        truce_patrol_bin *bin = &s->bins[b];
        double len = bin->to_m - bin->from_m;
        bin->covered_m = fmin(acc[b], len);
        bin->covered_fraction = len > 0 ? bin->covered_m / len : 0;
        s->covered_m += bin->covered_m;
    }
    s->covered_fraction = s->route_length_m > 0 ? fmin(s->covered_m / s->route_length_m, 1) : 0;
    trc_free(iv), trc_free(acc);
    return TRUCE_OK;
}

/* The dates of the period on which no track covered any part of the route. */
static truce_status days_without(truce_patrol_summary *s, const dated *d, size_t nd)
{
    unsigned char *seen = trc_calloc(s->ndays ? s->ndays : 1, 1);
    s->days_without = trc_malloc((s->ndays ? s->ndays : 1) * sizeof *s->days_without);
    if (!seen || !s->days_without) {
        trc_free(seen);
        return TRUCE_E_NOMEM;
    }
    for (size_t i = 0; i < nd; i++)
        if (d[i].r->covered_m > 0)
            seen[d[i].day - s->from_day] = 1;
    for (size_t i = 0; i < s->ndays; i++) {
        if (seen[i])
            s->npatrol_days++;
        else
            s->days_without[s->ndays_without++] = s->from_day + (int64_t)i;
    }
    trc_free(seen);
    return TRUCE_OK;
}

truce_status truce_patrol_summarize(const truce_patrol_route *route, const truce_tz *tz,
                                    const truce_patrol_result *results, size_t n,
                                    const truce_patrol_summary_options *opt,
                                    truce_patrol_summary *out)
{
    if (!route || !out || (n && !results))
        return TRUCE_E_ARG;
    memset(out, 0, sizeof *out);
    truce_patrol_summary_options o;
    if (opt)
        o = *opt;
    else
        truce_patrol_summary_options_init(&o);
    if (!(o.bin_m > 0) || !isfinite(o.bin_m) ||
        (o.from_day != TRUCE_NO_DAY && o.to_day != TRUCE_NO_DAY && o.from_day > o.to_day))
        return TRUCE_E_ARG;
    out->route_length_m = route->length_m;
    dated *d = trc_malloc((n ? n : 1) * sizeof *d);
    if (!d)
        return TRUCE_E_NOMEM;
    size_t nd = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t day = truce_local_day(tz, results[i].start_s);
        if (day != TRUCE_NO_DAY)
            d[nd++] = (dated){&results[i], day};
    }
    truce_status st = period(route, tz, &o, d, nd, out);
    /* keep the tracks of the period */
    size_t kept = 0;
    for (size_t i = 0; i < nd && st == TRUCE_OK; i++)
        if (out->ndays && d[i].day >= out->from_day && d[i].day <= out->to_day)
            d[kept++] = d[i];
    out->ntracks = kept;
    out->nleft_out = n - kept;
    qsort(d, kept, sizeof *d, by_day);
    if (st == TRUCE_OK)
        st = make_bins(out, o.bin_m);
    if (st == TRUCE_OK)
        st = count_bins(out, o.bin_m, d, kept);
    if (st == TRUCE_OK)
        st = union_cover(out, o.bin_m, d, kept);
    if (st == TRUCE_OK)
        st = days_without(out, d, kept);
    trc_free(d);
    if (st != TRUCE_OK)
        truce_patrol_summary_release(out);
    return st;
}

size_t truce_patrol_summary_run_end(const truce_patrol_summary *s, size_t first)
{
    if (first >= s->nbins)
        return first;
    const truce_patrol_bin *a = &s->bins[first];
    size_t e = first + 1;
    while (e < s->nbins && a->tracks == s->bins[e].tracks && a->days == s->bins[e].days &&
           fabs(a->covered_fraction - s->bins[e].covered_fraction) < 0.0005)
        e++;
    return e;
}
