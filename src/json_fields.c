/* The normalised schema's fields from JSON values: see json_fields.h. */
#include "json_fields.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "truce/time.h"

const char *const jfield_names[JF_COUNT] = {
    [JF_ID] = "id",
    [JF_FORMAT] = "format",
    [JF_FILE] = "file",
    [JF_LINE] = "line",
    [JF_START] = "start",
    [JF_END] = "end",
    [JF_DATE] = "date",
    [JF_TIME_PRECISION] = "time_precision",
    [JF_LON] = "lon",
    [JF_LAT] = "lat",
    [JF_RADIUS] = "radius_m",
    [JF_GEO_PRECISION] = "geo_precision",
    [JF_EVENT_TYPE] = "event_type",
    [JF_SUB_EVENT_TYPE] = "sub_event_type",
    [JF_DISORDER_TYPE] = "disorder_type",
    [JF_VIOLENCE_TYPE] = "violence_type",
    [JF_ACTOR1] = "actor1",
    [JF_ASSOC_ACTOR1] = "assoc_actor1",
    [JF_ACTOR2] = "actor2",
    [JF_ASSOC_ACTOR2] = "assoc_actor2",
    [JF_FATALITIES] = "fatalities",
    [JF_FATALITIES_LOW] = "fatalities_low",
    [JF_FATALITIES_HIGH] = "fatalities_high",
    [JF_COUNTRY] = "country",
    [JF_ADMIN1] = "admin1",
    [JF_ADMIN2] = "admin2",
    [JF_PLACE] = "place",
    [JF_NOTES] = "notes",
    [JF_SOURCES] = "sources",
};

int jfield_find(const char *name, size_t len)
{
    for (int f = 0; f < JF_COUNT; f++)
        if (strlen(jfield_names[f]) == len && !memcmp(jfield_names[f], name, len))
            return f;
    return -1;
}

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

int jfield_set(truce_event *e, jrow *jr, jfield f, const jvalue *v, char *why, size_t why_len)
{
    int64_t i = 0;
    const char **str = NULL;
    switch (f) {
    case JF_ID:
        /* GeoJSON allows a numeric feature id; the text as written is the id. */
        if (v->type == JV_NUMBER && v->text) {
            e->id = v->text;
            return 0;
        }
        if (want(v, JV_STRING, "a string", why, why_len))
            return -1;
        e->id = *v->str ? v->str : NULL;
        return 0;
    case JF_FORMAT:
        if (v->type == JV_NULL)
            return 0;
        if (want(v, JV_STRING, "a string", why, why_len))
            return -1;
        e->format = truce_event_format_from_name(v->str);
        if (e->format == TRUCE_FORMAT_UNKNOWN) {
            snprintf(why, why_len, "unknown format \"%.40s\"", v->str);
            return -1;
        }
        jr->has_format = 1;
        return 0;
    case JF_LINE:
        if (want_int(v, 1, INT32_MAX, &i, why, why_len) < 0)
            return -1;
        if (v->type != JV_NULL)
            e->line = (long)i;
        return 0;
    case JF_START:
    case JF_END:
    case JF_DATE:
        if (v->type == JV_NULL)
            return 0;
        if (want(v, JV_STRING, "a date or time string", why, why_len))
            return -1;
        *(f == JF_START ? &jr->start : f == JF_END ? &jr->end : &jr->date) = v->str;
        return 0;
    case JF_TIME_PRECISION:
    case JF_GEO_PRECISION:
        if (want_int(v, 1, 9, &i, why, why_len) < 0)
            return -1;
        *(f == JF_TIME_PRECISION ? &e->time_precision : &e->geo_precision) = (int)i;
        return 0;
    case JF_VIOLENCE_TYPE:
        if (want_int(v, 1, 3, &i, why, why_len) < 0)
            return -1;
        e->violence_type = (int)i;
        return 0;
    case JF_LON:
        if (v->type == JV_NULL)
            return 0;
        jr->has_lon = 1;
        return want_double(v, -180, 180, &e->lon, why, why_len);
    case JF_LAT:
        if (v->type == JV_NULL)
            return 0;
        jr->has_lat = 1;
        return want_double(v, -90, 90, &e->lat, why, why_len);
    case JF_RADIUS:
        if (v->type == JV_NULL)
            return 0;
        jr->has_radius = 1;
        return want_double(v, 0, 2.1e7, &e->radius_m, why, why_len);
    case JF_FATALITIES:
        return want_int(v, 0, INT64_MAX, &e->fatalities, why, why_len) < 0 ? -1 : 0;
    case JF_FATALITIES_LOW:
        return want_int(v, 0, INT64_MAX, &e->fatalities_low, why, why_len) < 0 ? -1 : 0;
    case JF_FATALITIES_HIGH:
        return want_int(v, 0, INT64_MAX, &e->fatalities_high, why, why_len) < 0 ? -1 : 0;
    case JF_FILE:
        str = &e->file;
        break;
    case JF_EVENT_TYPE:
        str = &e->event_type;
        break;
    case JF_SUB_EVENT_TYPE:
        str = &e->sub_event_type;
        break;
    case JF_DISORDER_TYPE:
        str = &e->disorder_type;
        break;
    case JF_ACTOR1:
        str = &e->actor1;
        break;
    case JF_ASSOC_ACTOR1:
        str = &e->assoc_actor1;
        break;
    case JF_ACTOR2:
        str = &e->actor2;
        break;
    case JF_ASSOC_ACTOR2:
        str = &e->assoc_actor2;
        break;
    case JF_COUNTRY:
        str = &e->country;
        break;
    case JF_ADMIN1:
        str = &e->admin1;
        break;
    case JF_ADMIN2:
        str = &e->admin2;
        break;
    case JF_PLACE:
        str = &e->place;
        break;
    case JF_NOTES:
        str = &e->notes;
        break;
    case JF_SOURCES:
        str = &e->sources;
        break;
    default:
        return 0;
    }
    if (v->type == JV_NULL) {
        *str = NULL;
        return 0;
    }
    if (want(v, JV_STRING, "a string", why, why_len))
        return -1;
    *str = *v->str ? v->str : NULL;
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

int jrow_finish(truce_event *e, const jrow *jr, const truce_tz *tz, const char **field, char *why,
                size_t why_len)
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
    if (interval_in_range(start, end, why, why_len))
        return -1;
    e->start_s = start;
    e->end_s = end;
    if (jr->has_lon != jr->has_lat) {
        *field = jr->has_lon ? "lat" : "lon";
        snprintf(why, why_len, "missing while %s is given", jr->has_lon ? "lon" : "lat");
        return -1;
    }
    e->has_location = jr->has_lon;
    if (!e->has_location) {
        e->lon = e->lat = e->radius_m = 0;
        if (jr->has_radius) {
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
