/* The humanitarian provisions' accumulator and its result (truce/aid.h). */
#include "truce/aid.h"

#include <geodesic.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/util.h"
#include "truce/corridor.h"
#include "truce/tz.h"
#include "truce/zone.h"

/* A record as kept: its strings owned. */
typedef struct aid_rec {
    truce_aid_kind kind;
    int64_t day;
    char *place, *admin, *crossing, *file;
    long line;
    int has_location;
    double lon, lat;
    int has_quantity;
    double quantity;
    int64_t trucks, returnees, households;
    truce_access_category category;
    int need; /* index of its place in need, or -1 (set by finish) */
} aid_rec;

typedef struct aid_violation {
    char *id;
    int64_t day;
    int has_location;
    double lon, lat;
} aid_violation;

struct truce_aid {
    const truce_agreement *agreement;
    truce_aid_options opt;
    aid_rec *recs; /* truce_aid_add_record's part */
    size_t nrecs, caprecs;
    aid_violation *viol; /* truce_aid_add_violation's part */
    size_t nviol, capviol;
    int finished;
    truce_aid_result res;
    truce_zone_index **zones; /* per need (nzones): its polygons' index, or NULL for a Point */
    size_t nzones;
    struct geod_geodesic wgs84;
};

void truce_aid_options_init(truce_aid_options *o)
{
    memset(o, 0, sizeof *o);
    o->window_days = 14;
    o->radius_m = 5000;
}

truce_status truce_aid_new(const truce_agreement *a, const truce_aid_options *o, truce_aid **out)
{
    if (!a || !out)
        return TRUCE_E_ARG;
    *out = NULL;
    truce_aid_options defaults;
    if (!o) {
        truce_aid_options_init(&defaults);
        o = &defaults;
    }
    if (o->window_days < 0 || o->window_days > 3660 || !(o->radius_m > 0 && o->radius_m <= 2e5) ||
        (o->has_from && o->has_to && o->from_day > o->to_day))
        return TRUCE_E_ARG;
    truce_aid *aid = trc_calloc(1, sizeof *aid);
    if (!aid)
        return TRUCE_E_NOMEM;
    aid->agreement = a;
    aid->opt = *o;
    geod_init(&aid->wgs84, 6378137, 1 / 298.257223563);
    *out = aid;
    return TRUCE_OK;
}

static void rec_release(aid_rec *r)
{
    trc_free(r->place);
    trc_free(r->admin);
    trc_free(r->crossing);
    trc_free(r->file);
}

static void result_release(truce_aid *aid)
{
    truce_aid_result *r = &aid->res;
    trc_free(r->places);
    trc_free(r->crossings);
    trc_free(r->access_km);
    trc_free(r->access_points);
    trc_free(r->returns);
    for (size_t i = 0; i < r->ndanger; i++)
        trc_free((void *)(uintptr_t)r->danger[i].violations);
    trc_free(r->danger);
}

void truce_aid_free(truce_aid *aid)
{
    if (!aid)
        return;
    for (size_t i = 0; i < aid->nrecs; i++)
        rec_release(&aid->recs[i]);
    trc_free(aid->recs);
    for (size_t i = 0; i < aid->nviol; i++)
        trc_free(aid->viol[i].id);
    trc_free(aid->viol);
    for (size_t i = 0; i < aid->nzones; i++)
        truce_zone_index_free(aid->zones[i]);
    trc_free(aid->zones);
    result_release(aid);
    trc_free(aid);
}

/* Make room for one more of `size` bytes in *array. */
static int room(void **array, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 64;
    void *p = trc_realloc(*array, c * size);
    if (!p)
        return -1;
    *array = p;
    *cap = c;
    return 0;
}

static int dup_or_null(const char *s, char **out)
{
    *out = s ? truce_strdup(s) : NULL;
    return s && !*out ? -1 : 0;
}

truce_status truce_aid_add_record(truce_aid *aid, const truce_aid_record *rec)
{
    if (!aid || !rec || aid->finished || rec->kind <= TRUCE_AID_NONE ||
        rec->kind >= TRUCE_AID_NKINDS)
        return TRUCE_E_ARG;
    if (room((void **)&aid->recs, aid->nrecs, &aid->caprecs, sizeof *aid->recs))
        return TRUCE_E_NOMEM;
    aid_rec *r = &aid->recs[aid->nrecs];
    memset(r, 0, sizeof *r);
    r->kind = rec->kind;
    r->day = rec->day;
    r->line = rec->line;
    r->has_location = rec->has_location;
    r->lon = rec->lon;
    r->lat = rec->lat;
    r->has_quantity = rec->has_quantity;
    r->quantity = rec->quantity;
    r->trucks = rec->trucks;
    r->returnees = rec->returnees;
    r->households = rec->households;
    r->category = rec->category;
    if (dup_or_null(rec->place, &r->place) || dup_or_null(rec->admin_code, &r->admin) ||
        dup_or_null(rec->crossing, &r->crossing) || dup_or_null(rec->file, &r->file)) {
        rec_release(r);
        return TRUCE_E_NOMEM;
    }
    aid->nrecs++;
    return TRUCE_OK;
}

truce_status truce_aid_add_violation(truce_aid *aid, const truce_event *e)
{
    if (!aid || !e || aid->finished)
        return TRUCE_E_ARG;
    if (room((void **)&aid->viol, aid->nviol, &aid->capviol, sizeof *aid->viol))
        return TRUCE_E_NOMEM;
    aid_violation *v = &aid->viol[aid->nviol];
    if (dup_or_null(e->id ? e->id : "", &v->id))
        return TRUCE_E_NOMEM;
    int32_t offset = 0;
    truce_tz_offset_at(aid->agreement->tz, e->start_s, &offset, NULL, NULL);
    int64_t local = e->start_s + offset;
    v->day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    v->has_location = e->has_location;
    v->lon = e->lon;
    v->lat = e->lat;
    aid->nviol++;
    return TRUCE_OK;
}

const truce_aid_result *truce_aid_result_get(const truce_aid *aid)
{
    return aid && aid->finished ? &aid->res : NULL;
}

const truce_agreement *truce_aid_agreement(const truce_aid *aid)
{
    return aid->agreement;
}

int truce_aid_any(const truce_aid *aid)
{
    return aid && aid->nrecs > 0;
}

/* ---- finishing ---- */

/* Whether (lon, lat) may be within r_m of (lon0, lat0): a box in degrees
 * that holds the disk, so that most points far away skip the geodesic.  A
 * degree of latitude is at least 110.5 km on WGS84, one of longitude at
 * least that times cos(latitude) at the disk's edge nearest a pole; near a
 * pole or the antimeridian the box is not used. */
static int may_be_within(double lon0, double lat0, double lon, double lat, double r_m)
{
    double dlat = r_m / 110000.0;
    if (fabs(lat - lat0) > dlat)
        return 0;
    double edge = fabs(lat0) + dlat;
    if (edge >= 80 || fabs(lon0) + dlat * 12 >= 180)
        return 1;
    double dlon = dlat / cos(edge * (3.14159265358979323846 / 180));
    return fabs(lon - lon0) <= dlon;
}

static int in_need(truce_aid *aid, size_t k, double lon, double lat)
{
    const truce_need *n = &aid->agreement->needs[k];
    if (n->is_point) {
        if (!may_be_within(n->lon, n->lat, lon, lat, n->radius_m))
            return 0;
        double s12;
        geod_inverse(&aid->wgs84, n->lat, n->lon, lat, lon, &s12, NULL, NULL);
        return s12 <= n->radius_m;
    }
    truce_position pos = TRUCE_POS_OUTSIDE;
    return aid->zones[k] && truce_zone_locate(aid->zones[k], lon, lat, 0, &pos, NULL) == TRUCE_OK &&
           pos == TRUCE_POS_INSIDE;
}

static int need_of(truce_aid *aid, const aid_rec *r)
{
    const truce_agreement *a = aid->agreement;
    for (size_t k = 0; r->place && k < a->nneeds; k++)
        if (a->needs[k].name && !truce_strcasecmp(a->needs[k].name, r->place))
            return (int)k;
    for (size_t k = 0; r->admin && k < a->nneeds; k++)
        if (a->needs[k].admin_code && !strcmp(a->needs[k].admin_code, r->admin))
            return (int)k;
    for (size_t k = 0; r->has_location && k < a->nneeds; k++)
        if (in_need(aid, k, r->lon, r->lat))
            return (int)k;
    return -1;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Deliveries per place: count, sums, and the gaps. */
static truce_status places(truce_aid *aid)
{
    truce_aid_result *res = &aid->res;
    const truce_agreement *a = aid->agreement;
    res->nplaces = a->nneeds;
    res->places = trc_calloc(a->nneeds ? a->nneeds : 1, sizeof *res->places);
    int64_t *days = trc_malloc((aid->nrecs ? aid->nrecs : 1) * sizeof *days);
    if (!res->places || !days) {
        trc_free(days);
        return TRUCE_E_NOMEM;
    }
    for (size_t k = 0; k < a->nneeds; k++) {
        truce_aid_place *p = &res->places[k];
        p->need = &a->needs[k];
        size_t nd = 0;
        for (size_t i = 0; i < aid->nrecs; i++) {
            const aid_rec *r = &aid->recs[i];
            if (r->need != (int)k || r->day < res->from_day || r->day > res->to_day)
                continue;
            if (r->kind == TRUCE_AID_ACCESS)
                p->access_incidents++;
            if (r->kind == TRUCE_AID_RETURN && r->returnees > 0)
                p->returnees += r->returnees;
            if (r->kind != TRUCE_AID_DELIVERY)
                continue;
            p->deliveries++;
            if (r->has_quantity)
                p->quantity += r->quantity;
            if (r->trucks > 0)
                p->trucks += r->trucks;
            days[nd++] = r->day;
        }
        p->target = p->need->reach_every_days && res->has_period ? 0 : -1;
        if (!nd) {
            p->days_since_last = -1;
            p->longest_gap_days = res->to_day - res->from_day + 1;
            res->unreached++;
        } else {
            qsort(days, nd, sizeof *days, cmp_i64);
            p->reached = 1;
            p->first_day = days[0];
            p->last_day = days[nd - 1];
            p->days_since_last = res->to_day - p->last_day;
            int64_t gap = days[0] - res->from_day;
            for (size_t i = 1; i < nd; i++)
                if (days[i] - days[i - 1] > gap)
                    gap = days[i] - days[i - 1];
            if (p->days_since_last > gap)
                gap = p->days_since_last;
            p->longest_gap_days = gap;
        }
        if (p->target == 0)
            p->target = p->longest_gap_days <= p->need->reach_every_days;
    }
    trc_free(days);
    return TRUCE_OK;
}

static truce_status crossings(truce_aid *aid)
{
    truce_aid_result *res = &aid->res;
    const truce_agreement *a = aid->agreement;
    res->ncrossings = a->ncrossings;
    res->crossings = trc_calloc(a->ncrossings ? a->ncrossings : 1, sizeof *res->crossings);
    if (!res->crossings)
        return TRUCE_E_NOMEM;
    for (size_t k = 0; k < a->ncrossings; k++)
        res->crossings[k].crossing = &a->crossings[k];
    for (size_t i = 0; i < aid->nrecs; i++) {
        const aid_rec *r = &aid->recs[i];
        if (r->kind != TRUCE_AID_DELIVERY || !r->crossing || r->day < res->from_day ||
            r->day > res->to_day)
            continue;
        for (size_t k = 0; k < a->ncrossings; k++) {
            const truce_crossing *x = &a->crossings[k];
            if (!truce_strcasecmp(x->id, r->crossing) ||
                (x->name && !truce_strcasecmp(x->name, r->crossing))) {
                res->crossings[k].deliveries++;
                if (r->trucks > 0)
                    res->crossings[k].trucks += r->trucks;
                break;
            }
        }
    }
    return TRUCE_OK;
}

/* Count an incident at kilometre `km` of `line`. */
static truce_status add_km(truce_aid_result *res, size_t *cap, const char *line, int is_corridor,
                           int64_t km)
{
    for (size_t i = 0; i < res->naccess_km; i++)
        if (res->access_km[i].line == line && res->access_km[i].km == km) {
            res->access_km[i].incidents++;
            return TRUCE_OK;
        }
    if (room((void **)&res->access_km, res->naccess_km, cap, sizeof *res->access_km))
        return TRUCE_E_NOMEM;
    res->access_km[res->naccess_km++] = (truce_aid_km){line, is_corridor, km, 1};
    return TRUCE_OK;
}

static int cmp_km(const void *a, const void *b)
{
    const truce_aid_km *x = a, *y = b;
    if (x->is_corridor != y->is_corridor)
        return x->is_corridor - y->is_corridor;
    int c = strcmp(x->line, y->line);
    return c ? c : (x->km > y->km) - (x->km < y->km);
}

/* Access incidents: by category, located ones as points, and along the
 * aid routes (within their buffer) and the corridors (inside them). */
static truce_status access(truce_aid *aid)
{
    truce_aid_result *res = &aid->res;
    const truce_agreement *a = aid->agreement;
    size_t nlines = a->naid_routes + a->ncorridors;
    truce_corridor **lines = trc_calloc(nlines ? nlines : 1, sizeof *lines);
    if (!lines)
        return TRUCE_E_NOMEM;
    truce_status st = TRUCE_OK;
    for (size_t k = 0; k < a->naid_routes && !st; k++) {
        const truce_aid_route *r = &a->aid_routes[k];
        truce_road_part part = {r->route.lonlat, r->route.n};
        st = truce_corridor_new(&part, 1, r->buffer_m, r->buffer_m, &lines[k]);
    }
    for (size_t k = 0; k < a->ncorridors && !st; k++)
        st = truce_corridor_from_def(&a->corridors[k], -1, -1, &lines[a->naid_routes + k]);
    size_t cap_km = 0, cap_pts = 0;
    for (size_t i = 0; i < aid->nrecs && !st; i++) {
        const aid_rec *r = &aid->recs[i];
        if (r->kind != TRUCE_AID_ACCESS || r->day < res->from_day || r->day > res->to_day)
            continue;
        res->access[r->category]++;
        if (!r->has_location)
            continue;
        if (room((void **)&res->access_points, res->naccess_points, &cap_pts,
                 sizeof *res->access_points)) {
            st = TRUCE_E_NOMEM;
            break;
        }
        res->access_points[res->naccess_points++] =
            (truce_aid_point){r->lon, r->lat, r->category, r->day};
        for (size_t k = 0; k < nlines && !st; k++) {
            truce_measure m;
            if (truce_corridor_measure(lines[k], r->lon, r->lat, &m) != TRUCE_OK)
                continue;
            double depth = m.side == TRUCE_SIDE_LEFT ? truce_corridor_left_m(lines[k])
                                                     : truce_corridor_right_m(lines[k]);
            if (m.distance_m > depth)
                continue;
            int corridor = k >= a->naid_routes;
            const char *id = corridor ? a->corridors[k - a->naid_routes].id : a->aid_routes[k].id;
            st = add_km(res, &cap_km, id, corridor, (int64_t)floor(m.chainage_m / 1000));
        }
    }
    for (size_t k = 0; k < nlines; k++)
        truce_corridor_free(lines[k]);
    trc_free(lines);
    if (res->naccess_km)
        qsort(res->access_km, res->naccess_km, sizeof *res->access_km, cmp_km);
    return st == TRUCE_E_RANGE || st == TRUCE_E_GEOMETRY ? TRUCE_E_INTERNAL : st;
}

/* The area a return is counted under. */
static const char *area_of(const truce_aid *aid, const aid_rec *r)
{
    if (r->need >= 0)
        return aid->agreement->needs[r->need].id;
    return r->admin ? r->admin : r->place ? r->place : "(unplaced)";
}

static int cmp_week(const void *a, const void *b)
{
    const truce_aid_week *x = a, *y = b;
    int c = strcmp(x->area, y->area);
    return c ? c : (x->week_day > y->week_day) - (x->week_day < y->week_day);
}

static truce_status returns(truce_aid *aid)
{
    truce_aid_result *res = &aid->res;
    size_t cap = 0;
    for (size_t i = 0; i < aid->nrecs; i++) {
        const aid_rec *r = &aid->recs[i];
        if (r->kind != TRUCE_AID_RETURN || r->day < res->from_day || r->day > res->to_day)
            continue;
        const char *area = area_of(aid, r);
        int64_t week = res->from_day + (r->day - res->from_day) / 7 * 7;
        truce_aid_week *w = NULL;
        for (size_t k = 0; k < res->nreturns && !w; k++)
            if (!strcmp(res->returns[k].area, area) && res->returns[k].week_day == week)
                w = &res->returns[k];
        if (!w) {
            if (room((void **)&res->returns, res->nreturns, &cap, sizeof *res->returns))
                return TRUCE_E_NOMEM;
            w = &res->returns[res->nreturns++];
            *w = (truce_aid_week){area, week, 0, 0};
        }
        if (r->returnees > 0)
            w->returnees += r->returnees;
        if (r->households > 0)
            w->households += r->households;
    }
    if (res->nreturns)
        qsort(res->returns, res->nreturns, sizeof *res->returns, cmp_week);
    return TRUCE_OK;
}

static int cmp_viol(const void *a, const void *b)
{
    const aid_violation *x = a, *y = b;
    if (x->day != y->day)
        return (x->day > y->day) - (x->day < y->day);
    return strcmp(x->id, y->id);
}

static truce_status danger(truce_aid *aid)
{
    truce_aid_result *res = &aid->res;
    if (aid->nviol)
        qsort(aid->viol, aid->nviol, sizeof *aid->viol, cmp_viol);
    size_t cap = 0;
    for (size_t i = 0; i < aid->nrecs; i++) {
        const aid_rec *r = &aid->recs[i];
        if (r->kind != TRUCE_AID_RETURN || r->day < res->from_day || r->day > res->to_day ||
            (r->need < 0 && !r->has_location))
            continue;
        const char **ids = NULL;
        size_t n = 0;
        for (size_t k = 0; k < aid->nviol; k++) {
            const aid_violation *v = &aid->viol[k];
            if (!v->has_location || v->day > r->day || v->day < r->day - aid->opt.window_days)
                continue;
            int near;
            if (r->need >= 0) {
                near = in_need(aid, (size_t)r->need, v->lon, v->lat);
            } else if (may_be_within(r->lon, r->lat, v->lon, v->lat, aid->opt.radius_m)) {
                double s12;
                geod_inverse(&aid->wgs84, r->lat, r->lon, v->lat, v->lon, &s12, NULL, NULL);
                near = s12 <= aid->opt.radius_m;
            } else {
                near = 0;
            }
            if (!near)
                continue;
            const char **more = trc_realloc(ids, (n + 1) * sizeof *ids);
            if (!more) {
                trc_free(ids);
                return TRUCE_E_NOMEM;
            }
            ids = more;
            ids[n++] = v->id;
        }
        if (!n)
            continue;
        if (room((void **)&res->danger, res->ndanger, &cap, sizeof *res->danger)) {
            trc_free(ids);
            return TRUCE_E_NOMEM;
        }
        res->danger[res->ndanger++] = (truce_aid_danger){
            area_of(aid, r), r->day, r->returnees, r->households, r->file, r->line,
            r->has_location, r->lon, r->lat,       ids,           n};
    }
    return TRUCE_OK;
}

truce_status truce_aid_finish(truce_aid *aid)
{
    if (!aid || aid->finished)
        return TRUCE_E_ARG;
    aid->finished = 1;
    const truce_agreement *a = aid->agreement;
    truce_aid_result *res = &aid->res;
    res->violations = aid->nviol;
    res->window_days = aid->opt.window_days;
    res->radius_m = aid->opt.radius_m;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < aid->nrecs; i++) {
        res->records[aid->recs[i].kind]++;
        if (aid->recs[i].day < lo)
            lo = aid->recs[i].day;
        if (aid->recs[i].day > hi)
            hi = aid->recs[i].day;
    }
    res->from_day = aid->opt.has_from ? aid->opt.from_day : lo;
    res->to_day = aid->opt.has_to ? aid->opt.to_day : hi;
    res->has_period = res->from_day <= res->to_day;
    if (!res->has_period) {
        res->from_day = 0;
        res->to_day = -1; /* an empty period: nothing is in it */
    }
    aid->zones = trc_calloc(a->nneeds ? a->nneeds : 1, sizeof *aid->zones);
    if (!aid->zones)
        return TRUCE_E_NOMEM;
    aid->nzones = a->nneeds;
    for (size_t k = 0; k < a->nneeds; k++)
        if (!a->needs[k].is_point) {
            truce_status st =
                truce_zone_index_new(a->needs[k].polygons, a->needs[k].npolygons, &aid->zones[k]);
            if (st)
                return st == TRUCE_E_NOMEM ? st : TRUCE_E_INTERNAL;
        }
    for (size_t i = 0; i < aid->nrecs; i++) {
        aid_rec *r = &aid->recs[i];
        r->need = need_of(aid, r);
        if (r->day < res->from_day || r->day > res->to_day)
            res->outside_period++;
        else if (r->kind == TRUCE_AID_DELIVERY && r->need < 0)
            res->unplaced_deliveries++;
    }
    truce_status st = places(aid);
    if (!st)
        st = crossings(aid);
    if (!st)
        st = access(aid);
    if (!st)
        st = returns(aid);
    if (!st)
        st = danger(aid);
    return st;
}
