/* One event tested against a filter (truce/event_filter.h), on its judged
 * record as the store's listing tests its current verdict.
 *
 * The listing filters in SQL over tables derived from each event's record
 * (store_sqlite.c, migration 4); the change feed and webhooks test each
 * change's record as it was then, one at a time, here.  Both read the same
 * members of the record with the same rules: start as a UTC instant in
 * whole seconds, verdict and status by name, party equal to actor1 or
 * actor2, source a substring of sources, the location within the box
 * (bounds included), any of `rules`, a zone or corridor whose position is
 * "inside", chainage in metres within the kilometres given (bounds
 * included).  A member missing or null fails the criterion that reads it.
 * tests/unit/test_store_changes.c checks that the two agree. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "truce/event_filter.h"
#include "truce/review.h"
#include "truce/time.h"
#include "truce/tz.h"

/* The verdicts in truce_filter_verdict order, as records name them. */
static const char *const verdicts[] = {"violation", "possible", "none"};

static int text_is(json_t *v, const char *want)
{
    const char *t = json_string_value(v);
    return t && !strcmp(t, want);
}

/* Whether `bits` (a TRUCE_FILTER_BIT set of `n` names) holds `name`. */
static int in_set(unsigned bits, const char *const *names, unsigned n, const char *name)
{
    for (unsigned i = 0; name && i < n; i++)
        if ((bits & (1u << i)) && !strcmp(name, names[i]))
            return 1;
    return 0;
}

static int start_passes(const truce_event_filter *f, json_t *record)
{
    if (!f->has_from && !f->has_to)
        return 1;
    const char *text = json_string_value(json_object_get(record, "start"));
    truce_time_value tv;
    int64_t at;
    if (!text || truce_time_parse(text, &tv) || truce_tz_instant_of(NULL, &tv, 0, &at, NULL))
        return 0;
    return (!f->has_from || at >= f->from_s) && (!f->has_to || at < f->to_s);
}

static int place_passes(const truce_event_filter *f, json_t *record)
{
    if (f->has_bbox) {
        json_t *lon = json_object_get(record, "lon"), *lat = json_object_get(record, "lat");
        if (!json_is_number(lon) || !json_is_number(lat))
            return 0;
        double x = json_number_value(lon), y = json_number_value(lat);
        int in_lon = f->min_lon <= f->max_lon ? x >= f->min_lon && x <= f->max_lon
                                              : x >= f->min_lon || x <= f->max_lon;
        if (!in_lon || y < f->min_lat || y > f->max_lat)
            return 0;
    }
    if (f->rule[0]) {
        size_t i;
        json_t *r;
        int found = 0;
        json_array_foreach(json_object_get(record, "rules"), i, r) found |=
            text_is(json_object_get(r, "rule"), f->rule);
        if (!found)
            return 0;
    }
    if (f->zone[0] &&
        !text_is(json_object_get(json_object_get(record, "zones"), f->zone), "inside"))
        return 0;
    if (f->corridor[0]) {
        json_t *c = json_object_get(json_object_get(record, "corridors"), f->corridor);
        if (!text_is(json_object_get(c, "position"), "inside"))
            return 0;
        if (f->has_km) {
            json_t *m = json_object_get(c, "chainage_m");
            double max_m = isfinite(f->km_max) ? f->km_max * 1000 : HUGE_VAL;
            if (!json_is_number(m) || json_number_value(m) < f->km_min * 1000 ||
                json_number_value(m) > max_m)
                return 0;
        }
    }
    return 1;
}

static int text_passes(const truce_event_filter *f, json_t *record)
{
    if (f->party[0] && !text_is(json_object_get(record, "actor1"), f->party) &&
        !text_is(json_object_get(record, "actor2"), f->party))
        return 0;
    if (f->source[0]) {
        const char *sources = json_string_value(json_object_get(record, "sources"));
        if (!sources || !strstr(sources, f->source))
            return 0;
    }
    return 1;
}

truce_status truce_event_filter_match(const truce_event_filter *f, const char *record, size_t len,
                                      const char *status, int *passes)
{
    if (!f || !record || !passes)
        return TRUCE_E_ARG;
    *passes = 0;
    json_t *doc = json_loadb(record, len, 0, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return TRUCE_E_PARSE;
    }
    const char *statuses[5];
    for (unsigned i = 0; i < 5; i++)
        statuses[i] = truce_review_status_name((truce_review_status)i);
    *passes = start_passes(f, doc) &&
              (!f->violations || in_set(f->violations, verdicts, 3,
                                        json_string_value(json_object_get(doc, "violation")))) &&
              (!f->statuses || in_set(f->statuses, statuses, 5, status)) && text_passes(f, doc) &&
              place_passes(f, doc);
    json_decref(doc);
    return TRUCE_OK;
}
