/* The humanitarian provisions' result as one JSON object (aid_json.h). */
#include "aid/aid_json.h"

#include "truce/aid_write.h"

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *day_or_null(int has, int64_t day)
{
    if (!has)
        return json_null();
    char buf[16];
    truce_aid_format_day(day, buf);
    return json_string(buf);
}

static json_t *count_or_null(int64_t n)
{
    return n >= 0 ? json_integer(n) : json_null();
}

/* Each set_new below takes its value even when adding fails; a NULL value
 * (out of memory) makes it fail, which `bad` collects. */
#define SET(o, k, v) (bad |= json_object_set_new((o), (k), (v)))
#define PUSH(a, v) (bad |= json_array_append_new((a), (v)))

json_t *trc_aid_json(const truce_aid *aid)
{
    const truce_aid_result *r = truce_aid_result_get(aid);
    if (!r)
        return NULL;
    const truce_agreement *a = truce_aid_agreement(aid);
    int bad = 0;
    json_t *o = json_object();
    if (!o)
        return NULL;
    SET(o, "agreement", str_or_null(a->id));
    SET(o, "from", day_or_null(r->has_period, r->from_day));
    SET(o, "to", day_or_null(r->has_period, r->to_day));
    json_t *rec = json_object();
    SET(o, "records", rec);
    if (rec) {
        for (int k = 1; k < TRUCE_AID_NKINDS; k++)
            SET(rec, truce_aid_kind_name((truce_aid_kind)k),
                json_integer((json_int_t)r->records[k]));
        SET(rec, "outside_period", json_integer((json_int_t)r->outside_period));
    }
    SET(o, "violations", json_integer((json_int_t)r->violations));
    json_t *places = json_array(), *unreached = json_array(), *by_place = json_array();
    SET(o, "places", places);
    SET(o, "unreached", unreached);
    for (size_t i = 0; places && unreached && i < r->nplaces; i++) {
        const truce_aid_place *p = &r->places[i];
        json_t *e = json_object();
        PUSH(places, e);
        if (!e)
            break;
        SET(e, "id", json_string(p->need->id));
        SET(e, "name", str_or_null(p->need->name));
        SET(e, "people_in_need", count_or_null(p->need->people_in_need));
        SET(e, "deliveries", json_integer((json_int_t)p->deliveries));
        SET(e, "quantity", json_real(p->quantity));
        SET(e, "trucks", json_integer(p->trucks));
        SET(e, "first_delivery", day_or_null(p->reached, p->first_day));
        SET(e, "last_delivery", day_or_null(p->reached, p->last_day));
        SET(e, "days_since_last", count_or_null(p->days_since_last));
        SET(e, "longest_gap_days", json_integer(p->longest_gap_days));
        SET(e, "reach_every_days",
            p->need->reach_every_days ? json_integer(p->need->reach_every_days) : json_null());
        SET(e, "target_met", p->target < 0 ? json_null() : json_boolean(p->target));
        SET(e, "access_incidents", json_integer((json_int_t)p->access_incidents));
        SET(e, "returnees", json_integer(p->returnees));
        if (!p->reached)
            PUSH(unreached, json_string(p->need->id));
        if (p->access_incidents && by_place) {
            json_t *b = json_object();
            PUSH(by_place, b);
            if (b) {
                SET(b, "place", json_string(p->need->id));
                SET(b, "incidents", json_integer((json_int_t)p->access_incidents));
            }
        }
    }
    SET(o, "unplaced_deliveries", json_integer((json_int_t)r->unplaced_deliveries));
    json_t *xs = json_array();
    SET(o, "crossings", xs);
    for (size_t i = 0; xs && i < r->ncrossings; i++) {
        json_t *e = json_object();
        PUSH(xs, e);
        if (!e)
            break;
        SET(e, "id", json_string(r->crossings[i].crossing->id));
        SET(e, "name", str_or_null(r->crossings[i].crossing->name));
        SET(e, "deliveries", json_integer((json_int_t)r->crossings[i].deliveries));
        SET(e, "trucks", json_integer(r->crossings[i].trucks));
    }
    json_t *acc = json_array();
    SET(o, "access", acc);
    for (int c = 1; acc && c < TRUCE_ACCESS_NCATEGORIES; c++) {
        if (!r->access[c])
            continue;
        json_t *e = json_object();
        PUSH(acc, e);
        if (!e)
            break;
        SET(e, "category", json_string(truce_access_category_name((truce_access_category)c)));
        SET(e, "label", json_string(truce_access_category_label((truce_access_category)c)));
        SET(e, "incidents", json_integer((json_int_t)r->access[c]));
    }
    SET(o, "access_by_place", by_place);
    json_t *km = json_array();
    SET(o, "access_by_km", km);
    for (size_t i = 0; km && i < r->naccess_km; i++) {
        json_t *e = json_object();
        PUSH(km, e);
        if (!e)
            break;
        SET(e, "line", json_string(r->access_km[i].line));
        SET(e, "kind", json_string(r->access_km[i].is_corridor ? "corridor" : "aid_route"));
        SET(e, "km", json_integer(r->access_km[i].km));
        SET(e, "incidents", json_integer((json_int_t)r->access_km[i].incidents));
    }
    json_t *ret = json_array();
    SET(o, "returns", ret);
    for (size_t i = 0; ret && i < r->nreturns; i++) {
        json_t *e = json_object();
        PUSH(ret, e);
        if (!e)
            break;
        SET(e, "area", json_string(r->returns[i].area));
        SET(e, "week", day_or_null(1, r->returns[i].week_day));
        SET(e, "returnees", json_integer(r->returns[i].returnees));
        SET(e, "households", json_integer(r->returns[i].households));
    }
    json_t *dz = json_array();
    SET(o, "returns_into_danger", dz);
    for (size_t i = 0; dz && i < r->ndanger; i++) {
        const truce_aid_danger *d = &r->danger[i];
        json_t *e = json_object(), *ids = json_array();
        PUSH(dz, e);
        if (!e) {
            json_decref(ids);
            break;
        }
        SET(e, "area", json_string(d->area));
        SET(e, "date", day_or_null(1, d->day));
        SET(e, "returnees", count_or_null(d->returnees));
        SET(e, "households", count_or_null(d->households));
        SET(e, "file", str_or_null(d->file));
        SET(e, "line", json_integer(d->line));
        SET(e, "violations", ids);
        for (size_t k = 0; ids && k < d->nviolations; k++)
            PUSH(ids, json_string(d->violations[k]));
    }
    SET(o, "window_days", json_integer(r->window_days));
    SET(o, "radius_m", json_real(r->radius_m));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}
