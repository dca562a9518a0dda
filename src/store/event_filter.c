/* The filter of stored events (truce/event_filter.h): reading its criteria
 * from query parameters and writing them back in one canonical form, as a
 * query or as a JSON object. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_escape.h"
#include "truce/event_filter.h"
#include "truce/review.h"
#include "truce/time.h"

/* The verdicts as the filter names them, in truce_filter_verdict order,
 * and as a verdict's record does (classify's "violation" member), which the
 * filter also takes: a webhook's filter copied from a record reads right. */
static const char *const verdict_names[] = {"yes", "possible", "no"};
static const char *const verdict_words[] = {"violation", "possible", "none"};
#define NVERDICTS 3
#define NSTATUSES 5

void truce_event_filter_init(truce_event_filter *f)
{
    memset(f, 0, sizeof *f);
    f->km_max = HUGE_VAL;
}

static truce_status refuse(char *why, size_t why_len, const char *msg)
{
    if (why && why_len)
        snprintf(why, why_len, "%s", msg);
    return TRUCE_E_INVALID;
}

/* A comma list of names into bits: verdicts (statuses == 0) or statuses. */
static truce_status names_to_bits(const char *value, int statuses, unsigned *bits, char *why,
                                  size_t why_len)
{
    const char *p = value;
    unsigned got = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char name[32];
        int found = -1;
        if (n && n < sizeof name) {
            memcpy(name, p, n);
            name[n] = '\0';
            if (statuses) {
                truce_review_status s;
                if (truce_review_status_from_name(name, &s) == TRUCE_OK)
                    found = (int)s;
            } else {
                for (int i = 0; i < NVERDICTS; i++)
                    if (!strcmp(name, verdict_names[i]) || !strcmp(name, verdict_words[i]))
                        found = i;
            }
        }
        if (found < 0)
            return refuse(why, why_len,
                          statuses ? "expected submitted, confirmed, jointly_verified, disputed"
                                     " or rejected (a comma list)"
                                   : "expected yes, possible or no (or violation, possible or"
                                     " none, as records name them; a comma list)");
        got |= 1u << (unsigned)found;
        if (!comma)
            break;
        p = comma + 1;
    }
    *bits |= got;
    return TRUCE_OK;
}

static truce_status set_text(char *dst, const char *value, char *why, size_t why_len)
{
    size_t n = strlen(value);
    if (*dst)
        return refuse(why, why_len, "given more than once");
    if (!n || n > TRUCE_FILTER_TEXT_MAX)
        return refuse(why, why_len, "expected 1 to 200 bytes");
    memcpy(dst, value, n + 1);
    return TRUCE_OK;
}

/* A decimal number, the whole of `text`. */
static int number(const char *text, double *out)
{
    char *end;
    if (!*text)
        return -1;
    *out = strtod(text, &end);
    return *end || !isfinite(*out) ? -1 : 0;
}

static truce_status set_instant(truce_event_filter *f, int to, const char *value,
                                const truce_tz *tz, char *why, size_t why_len)
{
    if (to ? f->has_to : f->has_from)
        return refuse(why, why_len, "given more than once, or with datetime");
    truce_time_value tv;
    int64_t at;
    truce_status st = truce_time_parse(value, &tv);
    if (!st) {
        /* A local time in a spring-forward gap means where the gap starts,
         * as `truce stats --now` reads it. */
        st = truce_tz_instant_of(tz, &tv, to, &at, NULL);
        if (st == TRUCE_E_TIME_GAP)
            st = TRUCE_OK;
    }
    if (st == TRUCE_E_RANGE)
        return refuse(why, why_len, "outside " TRUCE_INSTANT_RANGE_TEXT);
    if (st)
        return refuse(why, why_len, "expected a date or time (YYYY-MM-DD[THH:MM[:SS]][Z])");
    if (to) {
        /* A date's end is its next day's start already; an instant is
         * included. */
        f->to_s = tv.kind == TRUCE_TIME_DATE ? at : at + 1;
        f->has_to = 1;
    } else {
        f->from_s = at;
        f->has_from = 1;
    }
    return TRUCE_OK;
}

/* An interval of OGC API Features' `datetime`: "START/END", either end
 * ".." or empty for an open one, or one instant (both ends).  Each end is
 * read as `from` and `to` read theirs. */
static truce_status set_datetime(truce_event_filter *f, const char *value, const truce_tz *tz,
                                 char *why, size_t why_len)
{
    if (f->has_from || f->has_to)
        return refuse(why, why_len, "given more than once, or with from or to");
    const char *slash = strchr(value, '/');
    if (!slash) {
        truce_status st = set_instant(f, 0, value, tz, why, why_len);
        return st ? st : set_instant(f, 1, value, tz, why, why_len);
    }
    char start[64];
    size_t n = (size_t)(slash - value);
    const char *end = slash + 1;
    if (n >= sizeof start || strchr(end, '/'))
        return refuse(why, why_len, "expected an instant or START/END (an end may be ..)");
    memcpy(start, value, n);
    start[n] = '\0';
    truce_status st = TRUCE_OK;
    if (*start && strcmp(start, ".."))
        st = set_instant(f, 0, start, tz, why, why_len);
    if (!st && *end && strcmp(end, ".."))
        st = set_instant(f, 1, end, tz, why, why_len);
    if (!st && f->has_from && f->has_to && f->from_s >= f->to_s)
        st = refuse(why, why_len, "the interval ends before it starts");
    return st;
}

static truce_status set_bbox(truce_event_filter *f, const char *value, char *why, size_t why_len)
{
    static const char expected[] =
        "expected minlon,minlat,maxlon,maxlat in degrees (or six numbers, with heights)";
    if (f->has_bbox)
        return refuse(why, why_len, "given more than once");
    double v[6];
    int count = 0;
    const char *p = value;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char part[64];
        if (count == 6 || n >= sizeof part)
            return refuse(why, why_len, expected);
        memcpy(part, p, n);
        part[n] = '\0';
        if (number(part, &v[count++]))
            return refuse(why, why_len, expected);
        if (!comma)
            break;
        p = comma + 1;
    }
    if (count == 6) {
        /* minlon,minlat,minheight,maxlon,maxlat,maxheight: heights are not kept */
        v[2] = v[3];
        v[3] = v[4];
    } else if (count != 4) {
        return refuse(why, why_len, expected);
    }
    if (fabs(v[0]) > 180 || fabs(v[2]) > 180 || fabs(v[1]) > 90 || fabs(v[3]) > 90 || v[1] > v[3])
        return refuse(
            why, why_len,
            "longitudes must lie in [-180, 180], latitudes in [-90, 90], minlat <= maxlat");
    f->min_lon = v[0];
    f->min_lat = v[1];
    f->max_lon = v[2];
    f->max_lat = v[3];
    f->has_bbox = 1;
    return TRUCE_OK;
}

static truce_status set_km(truce_event_filter *f, int max, const char *value, char *why,
                           size_t why_len)
{
    double km;
    if (number(value, &km) || km < 0)
        return refuse(why, why_len, "expected kilometres (a number >= 0)");
    if (!f->has_km) {
        f->km_min = 0;
        f->km_max = HUGE_VAL;
    }
    f->has_km = 1;
    if (max)
        f->km_max = km;
    else
        f->km_min = km;
    return TRUCE_OK;
}

truce_status truce_event_filter_set(truce_event_filter *f, const char *name, const char *value,
                                    const truce_tz *tz, char *why, size_t why_len)
{
    if (!f || !name || !value)
        return TRUCE_E_ARG;
    if (!strcmp(name, "from") || !strcmp(name, "to"))
        return set_instant(f, name[0] == 't', value, tz, why, why_len);
    if (!strcmp(name, "violation"))
        return names_to_bits(value, 0, &f->violations, why, why_len);
    if (!strcmp(name, "status"))
        return names_to_bits(value, 1, &f->statuses, why, why_len);
    if (!strcmp(name, "km_min") || !strcmp(name, "km_max"))
        return set_km(f, name[4] == 'a', value, why, why_len);
    if (!strcmp(name, "bbox"))
        return set_bbox(f, value, why, why_len);
    if (!strcmp(name, "datetime"))
        return set_datetime(f, value, tz, why, why_len);
    struct {
        const char *name;
        char *dst;
    } texts[] = {{"rule", f->rule},
                 {"zone", f->zone},
                 {"corridor", f->corridor},
                 {"party", f->party},
                 {"source", f->source}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (!strcmp(name, texts[i].name))
            return set_text(texts[i].dst, value, why, why_len);
    return TRUCE_E_NOT_FOUND;
}

truce_status truce_event_filter_check(truce_event_filter *f, const char **param, char *why,
                                      size_t why_len)
{
    if (f->has_km && !f->corridor[0]) {
        *param = "corridor";
        return refuse(why, why_len, "km_min and km_max need a corridor");
    }
    if (f->has_km && f->km_min > f->km_max) {
        *param = "km_min";
        return refuse(why, why_len, "km_min is greater than km_max");
    }
    if (f->has_from && f->has_to && f->from_s >= f->to_s) {
        *param = "from";
        return refuse(why, why_len, "from is not before to");
    }
    return TRUCE_OK;
}

/* ---- the canonical form: a query, or a JSON object ---- */

/* Where the canonical parameters go: a query ("a=b&c=d", percent-encoded)
 * or the members of a JSON object ("a":"b","c":"d"), without its braces. */
typedef struct emit {
    truce_text *out;
    int json;
} emit;

static truce_status param(emit *e, const char *name, const char *value)
{
    truce_text *out = e->out;
    if (e->json) {
        truce_status st = out->len ? truce_text_append(out, ",", 1) : TRUCE_OK;
        if (!st)
            st = trc_json_escape_text(out, name);
        if (!st)
            st = truce_text_append(out, ":", 1);
        return st ? st : trc_json_escape_text(out, value);
    }
    char *p = truce_text_room(out, strlen(name) + 2 + 3 * strlen(value));
    if (!p)
        return TRUCE_E_NOMEM;
    size_t n = 0;
    if (out->len)
        p[n++] = '&';
    n += (size_t)sprintf(p + n, "%s=", name);
    for (const unsigned char *v = (const unsigned char *)value; *v; v++) {
        int plain = (*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') ||
                    (*v >= '0' && *v <= '9') || strchr("-._~,:", *v);
        n += (size_t)(plain ? sprintf(p + n, "%c", *v) : sprintf(p + n, "%%%02X", *v));
    }
    out->len += n;
    out->p[out->len] = '\0';
    return TRUCE_OK;
}

static truce_status param_instant(emit *out, const char *name, int64_t at)
{
    int y, m, d;
    int64_t days = at >= 0 ? at / 86400 : -((-at + 86399) / 86400);
    int64_t secs = at - days * 86400;
    truce_civil_from_days(days, &y, &m, &d);
    char text[32];
    snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60));
    return param(out, name, text);
}

static truce_status param_bits(emit *out, const char *name, unsigned bits, int statuses)
{
    char list[128] = "";
    size_t n = 0;
    for (int i = 0; i < (statuses ? NSTATUSES : NVERDICTS); i++)
        if (bits & (1u << (unsigned)i))
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? "," : "",
                                  statuses ? truce_review_status_name((truce_review_status)i)
                                           : verdict_names[i]);
    return param(out, name, list);
}

/* The shortest of %.15g and %.17g that reads back as v. */
static void number_text(char text[32], double v)
{
    snprintf(text, 32, "%.15g", v);
    if (strtod(text, NULL) != v)
        snprintf(text, 32, "%.17g", v);
}

static truce_status param_number(emit *out, const char *name, double v)
{
    char text[32];
    number_text(text, v);
    return param(out, name, text);
}

/* The criteria set, in canonical form, appended to `out` as `json` says. */
static truce_status canonical(const truce_event_filter *f, truce_text *out, int json)
{
    /* Appended to a text of its own: count from where it starts. */
    truce_text q = {0};
    emit e = {&q, json};
    truce_status st = TRUCE_OK;
    if (f->has_from)
        st = param_instant(&e, "from", f->from_s);
    if (!st && f->has_to)
        st = param_instant(&e, "to", f->to_s - 1);
    if (!st && f->violations)
        st = param_bits(&e, "violation", f->violations, 0);
    if (!st && f->statuses)
        st = param_bits(&e, "status", f->statuses, 1);
    const char *const names[] = {"rule", "zone", "corridor", "party", "source"};
    const char *const texts[] = {f->rule, f->zone, f->corridor, f->party, f->source};
    for (size_t i = 0; !st && i < 5; i++)
        if (texts[i][0])
            st = param(&e, names[i], texts[i]);
    if (!st && f->has_km && f->km_min > 0)
        st = param_number(&e, "km_min", f->km_min);
    if (!st && f->has_km && isfinite(f->km_max))
        st = param_number(&e, "km_max", f->km_max);
    if (!st && f->has_bbox) {
        char box[4][32], all[132];
        number_text(box[0], f->min_lon);
        number_text(box[1], f->min_lat);
        number_text(box[2], f->max_lon);
        number_text(box[3], f->max_lat);
        snprintf(all, sizeof all, "%s,%s,%s,%s", box[0], box[1], box[2], box[3]);
        st = param(&e, "bbox", all);
    }
    if (!st && json)
        st = truce_text_append(out, "{", 1);
    if (!st && q.len)
        st = truce_text_append(out, q.p, q.len);
    if (!st && json)
        st = truce_text_append(out, "}", 1);
    truce_text_release(&q);
    return st;
}

truce_status truce_event_filter_query(const truce_event_filter *f, truce_text *out)
{
    if (!f || !out)
        return TRUCE_E_ARG;
    return canonical(f, out, 0);
}

truce_status truce_event_filter_json(const truce_event_filter *f, truce_text *out)
{
    if (!f || !out)
        return TRUCE_E_ARG;
    return canonical(f, out, 1);
}
