/* The normalised schema's fields from JSON values: see json_fields.h. */
#include "read/json_fields.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "truce/time.h"

static const char *type_name(const jvalue *v)
{
    switch (v->type) {
    case JV_NULL:
        return "null";
    case JV_STRING:
        return "a string";
    case JV_NUMBER:
        return "a number";
    case JV_BOOL:
        return "a boolean";
    default:
        return "an object or array";
    }
}

static int want(const jvalue *v, int type, const char *what, char *why, size_t why_len)
{
    if ((int)v->type == type)
        return 0;
    snprintf(why, why_len, "expected %s, found %s", what, type_name(v));
    return -1;
}

/* An integer in [min, max] (or null: *out untouched, returns 1). */
static int want_int(const jvalue *v, int64_t min, int64_t max, int64_t *out, char *why,
                    size_t why_len)
{
    if (v->type == JV_NULL)
        return 1;
    if (want(v, JV_NUMBER, "an integer", why, why_len))
        return -1;
    if (!v->is_int || v->ival < min || v->ival > max) {
        if (v->text)
            snprintf(why, why_len, "%.40s is not an integer in [%lld, %lld]", v->text,
                     (long long)min, (long long)max);
        else
            snprintf(why, why_len, "%.17g is not an integer in [%lld, %lld]", v->num,
                     (long long)min, (long long)max);
        return -1;
    }
    *out = v->ival;
    return 0;
}

static int want_double(const jvalue *v, double min, double max, double *out, char *why,
                       size_t why_len)
{
    if (want(v, JV_NUMBER, "a number", why, why_len))
        return -1;
    if (!(v->num >= min && v->num <= max)) {
        snprintf(why, why_len, "%.17g is outside [%g, %g]", v->num, min, max);
        return -1;
    }
    *out = v->num;
    return 0;
}

/* The member of e that descriptor d names, typed T. */
#define MEMBER(T, e, d) ((T *)(void *)((char *)(e) + (d)->at))

int trc_jfield_set(truce_event *e, jrow *jr, event_field f, const jvalue *v, char *why,
                   size_t why_len)
{
    const event_field_desc *d = &trc_event_schema[f];
    int64_t i = 0;
    if (v->type != JV_NULL)
        jr->given[f] = 1;
    switch (d->kind) {
    case ES_ID:
        /* GeoJSON allows a numeric feature id; the text as written is the id. */
        if (v->type == JV_NUMBER && v->text) {
            *MEMBER(const char *, e, d) = v->text;
            return 0;
        }
        if (want(v, JV_STRING, "a string", why, why_len))
            return -1;
        *MEMBER(const char *, e, d) = *v->str ? v->str : NULL;
        return 0;
    case ES_FORMAT:
        if (v->type == JV_NULL)
            return 0;
        if (want(v, JV_STRING, "a string", why, why_len))
            return -1;
        *MEMBER(truce_event_format, e, d) = truce_event_format_from_name(v->str);
        if (*MEMBER(truce_event_format, e, d) == TRUCE_FORMAT_UNKNOWN) {
            snprintf(why, why_len, "unknown format \"%.40s\"", v->str);
            return -1;
        }
        return 0;
    case ES_STRING:
        if (v->type == JV_NULL) {
            *MEMBER(const char *, e, d) = NULL;
            return 0;
        }
        if (want(v, JV_STRING, "a string", why, why_len))
            return -1;
        *MEMBER(const char *, e, d) = *v->str ? v->str : NULL;
        return 0;
    case ES_LINE:
        if (want_int(v, 1, (int64_t)d->hi, &i, why, why_len) < 0)
            return -1;
        if (v->type != JV_NULL)
            *MEMBER(long, e, d) = (long)i;
        return 0;
    case ES_INSTANT:
    case ES_DATE:
        /* Texts until the row is complete: trc_jrow_finish reads them in the
         * row's time zone, and date excludes start and end. */
        if (v->type == JV_NULL)
            return 0;
        if (want(v, JV_STRING, "a date or time string", why, why_len))
            return -1;
        *(f == EF_START ? &jr->start : f == EF_END ? &jr->end : &jr->date) = v->str;
        return 0;
    case ES_NAME:
        if (v->type == JV_NULL)
            return 0;
        if (want(v, JV_STRING, "a string", why, why_len))
            return -1;
        jr->observer_place = v->str;
        return 0;
    case ES_CODE:
        if (want_int(v, 1, (int64_t)d->hi, &i, why, why_len) < 0)
            return -1;
        *MEMBER(int, e, d) = (int)i;
        return 0;
    case ES_COORD:
    case ES_SECTOR:
        if (v->type == JV_NULL)
            return 0;
        return want_double(v, d->lo, d->hi, MEMBER(double, e, d), why, why_len);
    case ES_COUNT:
        return want_int(v, 0, INT64_MAX, MEMBER(int64_t, e, d), why, why_len) < 0 ? -1 : 0;
    }
    return 0;
}

/* The instant ISO 8601 text (time.h) names in tz (truce_tz_instant_of): a
 * date is the start of its local day, or with `end_of_day` the start of the
 * next; *is_day says it was a date. */
static int time_of(const char *text, const truce_tz *tz, int end_of_day, int *is_day, int64_t *out,
                   char *why, size_t why_len)
{
    truce_time_value tv;
    truce_status st = truce_time_parse(text, &tv);
    if (st) {
        snprintf(why, why_len, "\"%.40s\" is not an ISO 8601 date or time (%s)", text,
                 truce_strerror(st));
        return -1;
    }
    *is_day = tv.kind == TRUCE_TIME_DATE;
    st = truce_tz_instant_of(tz, &tv, end_of_day, out, NULL);
    if (st == TRUCE_E_RANGE)
        snprintf(why, why_len,
                 "\"%.40s\" is outside the instants truce handles, " TRUCE_INSTANT_RANGE_TEXT
                 " (docs/events.md, \"Time\")",
                 text);
    else if (st)
        snprintf(why, why_len, "\"%.40s\": %s", text, truce_strerror(st));
    return st ? -1 : 0;
}

/* The sighting fields of a row, all or none (observation alone is
 * allowed); with them, the event's place is the disk over the sector. */
static int jrow_sighting(truce_event *e, const jrow *jr, const char **field, char *why,
                         size_t why_len)
{
    static const event_field parts[] = {EF_OBSERVER_LON, EF_OBSERVER_LAT, EF_BEARING_MIN,
                                        EF_BEARING_MAX,  EF_DISTANCE_MIN, EF_DISTANCE_MAX};
    size_t given = 0, n = sizeof parts / sizeof parts[0];
    for (size_t i = 0; i < n; i++)
        given += jr->given[parts[i]];
    if (e->observation && strcmp(e->observation, "heard") && strcmp(e->observation, "seen") &&
        strcmp(e->observation, "crater")) {
        *field = "observation";
        snprintf(why, why_len, "\"%.40s\" is not heard, seen or crater", e->observation);
        return -1;
    }
    if (!given) {
        memset(&e->sector, 0, sizeof e->sector);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!jr->given[parts[i]]) {
            *field = trc_event_schema[parts[i]].key;
            snprintf(why, why_len,
                     "missing: a sighting gives observer_lon, observer_lat, "
                     "bearing_min_deg, bearing_max_deg, distance_min_m and "
                     "distance_max_m");
            return -1;
        }
    if (truce_sector_check(&e->sector, field, why, why_len) != TRUCE_OK)
        return -1;
    /* lon, lat and radius_m follow from the sector, whatever the row says
     * (truce writes them so that other tools see a place). */
    e->has_sector = 1;
    e->has_location = 1;
    e->lon_text = e->lat_text = NULL;
    truce_sector_disk(&e->sector, &e->lon, &e->lat, &e->radius_m);
    return 0;
}

/* The observer of a sighting named by observer_place: the one place of
 * `places` with that name (ASCII case-insensitive) sets observer_lon and
 * observer_lat, as if the row gave them. */
static int jrow_observer_place(truce_event *e, jrow *jr, const truce_place *places, size_t nplaces,
                               const char **field, char *why, size_t why_len)
{
    if (!jr->observer_place)
        return 0;
    *field = "observer_place";
    if (jr->given[EF_OBSERVER_LON] || jr->given[EF_OBSERVER_LAT]) {
        snprintf(why, why_len, "give observer_lon and observer_lat, or observer_place, not both");
        return -1;
    }
    const truce_place *found = NULL;
    size_t n = 0;
    for (size_t i = 0; i < nplaces; i++)
        if (places[i].name && !truce_strcasecmp(places[i].name, jr->observer_place)) {
            /* A MultiPoint names several points alike: one place only if
             * they are one point. */
            if (!found || places[i].lon != found->lon || places[i].lat != found->lat)
                n++;
            if (!found)
                found = &places[i];
        }
    if (!nplaces) {
        snprintf(why, why_len,
                 "\"%.60s\": no named places to look it up in (they are the agreement's; "
                 "read with one, or give observer_lon and observer_lat)",
                 jr->observer_place);
        return -1;
    }
    if (!found) {
        snprintf(why, why_len, "\"%.60s\" is not a place the agreement names", jr->observer_place);
        return -1;
    }
    if (n > 1) {
        snprintf(why, why_len, "\"%.60s\" names %zu places; give observer_lon and observer_lat",
                 jr->observer_place, n);
        return -1;
    }
    e->sector.observer_lon = found->lon;
    e->sector.observer_lat = found->lat;
    jr->given[EF_OBSERVER_LON] = jr->given[EF_OBSERVER_LAT] = 1;
    return 0;
}

int trc_jrow_finish(truce_event *e, jrow *jr, const truce_tz *tz, const truce_place *places,
                    size_t nplaces, const char **field, char *why, size_t why_len)
{
    *field = NULL;
    if (!e->id) {
        *field = "id";
        snprintf(why, why_len, "missing");
        return -1;
    }
    /* Time: "date" is one local day; "start" an instant or the first local
     * day; "end" an instant (exclusive) or the last local day (inclusive);
     * no end: the start's day, or the one second from an instant. */
    int64_t start, end;
    int day;
    if (jr->date) {
        *field = "date";
        if (jr->start || jr->end) {
            snprintf(why, why_len, "give either date or start/end, not both");
            return -1;
        }
        if (time_of(jr->date, tz, 0, &day, &start, why, why_len))
            return -1;
        if (!day) {
            snprintf(why, why_len, "\"%.40s\" is not a date (YYYY-MM-DD)", jr->date);
            return -1;
        }
        if (time_of(jr->date, tz, 1, &day, &end, why, why_len))
            return -1;
    } else if (jr->start) {
        *field = "start";
        if (time_of(jr->start, tz, 0, &day, &start, why, why_len))
            return -1;
        if (!day)
            end = start + 1;
        else if (time_of(jr->start, tz, 1, &day, &end, why, why_len))
            return -1;
        if (jr->end) {
            *field = "end";
            if (time_of(jr->end, tz, 1, &day, &end, why, why_len))
                return -1;
        }
        if (end <= start) {
            snprintf(why, why_len, "end %.40s is not after start %.40s", jr->end ? jr->end : "",
                     jr->start);
            return -1;
        }
    } else {
        *field = "start";
        snprintf(why, why_len, "missing (give date, or start and optionally end)");
        return -1;
    }
    if (trc_interval_in_range(start, end, why, why_len))
        return -1;
    e->start_s = start;
    e->end_s = end;
    if (jr->given[EF_LON] != jr->given[EF_LAT]) {
        *field = jr->given[EF_LON] ? "lat" : "lon";
        snprintf(why, why_len, "missing while %s is given", jr->given[EF_LON] ? "lon" : "lat");
        return -1;
    }
    e->has_location = jr->given[EF_LON];
    if (jrow_observer_place(e, jr, places, nplaces, field, why, why_len) ||
        jrow_sighting(e, jr, field, why, why_len))
        return -1;
    if (!e->has_location) {
        e->lon = e->lat = e->radius_m = 0;
        if (jr->given[EF_RADIUS]) {
            *field = "radius_m";
            snprintf(why, why_len, "given without lon and lat");
            return -1;
        }
    }
    if (e->fatalities_low >= 0 && e->fatalities >= 0 && e->fatalities_low > e->fatalities) {
        *field = "fatalities_low";
        snprintf(why, why_len, "%lld is above fatalities %lld", (long long)e->fatalities_low,
                 (long long)e->fatalities);
        return -1;
    }
    if (e->fatalities_high >= 0 && e->fatalities >= 0 && e->fatalities_high < e->fatalities) {
        *field = "fatalities_high";
        snprintf(why, why_len, "%lld is below fatalities %lld", (long long)e->fatalities_high,
                 (long long)e->fatalities);
        return -1;
    }
    *field = NULL;
    return 0;
}
