/* The event model: format names, the location-precision table. */
#include "truce/event.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/tz.h"
#include "base/util.h"

static const char *const format_names[] = {
    [TRUCE_FORMAT_UNKNOWN] = "unknown", [TRUCE_FORMAT_ACLED] = "acled",
    [TRUCE_FORMAT_UCDP] = "ucdp",       [TRUCE_FORMAT_GEOJSON] = "geojson",
    [TRUCE_FORMAT_JSONL] = "jsonl",
};

const char *truce_event_format_name(truce_event_format f)
{
    if ((unsigned)f >= sizeof format_names / sizeof format_names[0])
        return "unknown";
    return format_names[f];
}

truce_event_format truce_event_format_from_name(const char *name)
{
    for (size_t i = 1; i < sizeof format_names / sizeof format_names[0]; i++)
        if (!strcmp(format_names[i], name))
            return (truce_event_format)i;
    return TRUCE_FORMAT_UNKNOWN;
}

void truce_event_init(truce_event *e)
{
    memset(e, 0, sizeof *e);
    e->fatalities = TRUCE_COUNT_UNKNOWN;
    e->fatalities_low = TRUCE_COUNT_UNKNOWN;
    e->fatalities_high = TRUCE_COUNT_UNKNOWN;
}

/* Every string field of an event, for the copy functions below. */
#define EVENT_STRINGS(e)                                                                           \
    {                                                                                              \
        &(e)->id, &(e)->file, &(e)->lon_text, &(e)->lat_text, &(e)->event_type,                    \
            &(e)->sub_event_type, &(e)->disorder_type, &(e)->actor1, &(e)->assoc_actor1,           \
            &(e)->actor2, &(e)->assoc_actor2, &(e)->country, &(e)->admin1, &(e)->admin2,           \
            &(e)->place, &(e)->notes, &(e)->sources, &(e)->observation                             \
    }

size_t truce_event_copy_size(const truce_event *src)
{
    if (!src)
        return 0;
    const char *const *fields[] = EVENT_STRINGS(src);
    size_t n = 0;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        n += *fields[i] ? strlen(*fields[i]) + 1 : 0;
    return n;
}

truce_status truce_event_copy(const truce_event *src, truce_event *dst, char *buf, size_t cap,
                              size_t *used)
{
    if (!src || !dst || !used || *used > cap || (!buf && cap))
        return TRUCE_E_ARG;
    truce_event e = *src;
    const char **fields[] = EVENT_STRINGS(&e);
    enum { NFIELDS = sizeof fields / sizeof fields[0] };
    size_t len[NFIELDS], need = 0; /* one strlen per string: this is per event */
    for (size_t i = 0; i < NFIELDS; i++) {
        len[i] = *fields[i] ? strlen(*fields[i]) + 1 : 0;
        need += len[i];
    }
    if (need > cap - *used)
        return TRUCE_E_RANGE;
    char *at = buf + *used;
    for (size_t i = 0; i < NFIELDS; i++) {
        if (!len[i])
            continue;
        memcpy(at, *fields[i], len[i]);
        *fields[i] = at;
        at += len[i];
    }
    *dst = e;
    *used += need;
    return TRUCE_OK;
}

/* docs/events.md, "Place", explains each value. */
void truce_precision_table_default(truce_precision_table *t)
{
    memset(t, 0, sizeof *t);
    t->acled_m[1] = 2000;   /* a named town: its extent */
    t->acled_m[2] = 25000;  /* near a town, or a small part of a region */
    t->acled_m[3] = 100000; /* a larger region: coded to its capital */
    t->ucdp_m[1] = 2000;    /* the exact location (a town or village) */
    t->ucdp_m[2] = 25000;   /* within about 25 km of a known point */
    t->ucdp_m[3] = 50000;   /* a second-order division (district) */
    t->ucdp_m[4] = 100000;  /* a first-order division (province) */
    t->ucdp_m[5] = 100000;  /* a part of a country larger than a province, a road or river */
    t->ucdp_m[6] = 500000;  /* the country only */
    t->ucdp_m[7] = 500000;  /* international waters or airspace */
}

static int load_scheme(json_t *obj, const char *scheme, double *table, int max, const char *path,
                       truce_diags *diags)
{
    json_t *section = json_object_get(obj, scheme);
    if (!section)
        return 0;
    int errors = 0;
    if (!json_is_object(section)) {
        truce_diags_add(diags, TRUCE_DIAG_ERROR, path, 0, NULL, scheme,
                        "expected an object of code: metres");
        return 1;
    }
    const char *key;
    json_t *value;
    json_object_foreach(section, key, value)
    {
        char k[64];
        snprintf(k, sizeof k, "%s.%s", scheme, key);
        int code = (key[0] >= '1' && key[0] <= '9' && key[1] == '\0') ? key[0] - '0' : 0;
        if (code < 1 || code > max) {
            truce_diags_add(diags, TRUCE_DIAG_ERROR, path, 0, NULL, k,
                            "no such precision code (%s has 1 to %d)", scheme, max);
            errors++;
        } else if (!json_is_number(value) || !(json_number_value(value) >= 0) ||
                   !isfinite(json_number_value(value))) {
            truce_diags_add(diags, TRUCE_DIAG_ERROR, path, 0, NULL, k,
                            "expected a radius in metres, a number >= 0");
            errors++;
        } else {
            table[code] = json_number_value(value);
        }
    }
    return errors;
}

truce_status truce_precision_table_load(const char *path, truce_precision_table *table,
                                        truce_diags *diags)
{
    json_error_t err;
    FILE *f = fopen(path, "rb");
    if (!f) {
        truce_diags_add(diags, TRUCE_DIAG_ERROR, path, 0, NULL, NULL, "cannot open");
        return TRUCE_E_IO;
    }
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &err);
    fclose(f);
    if (!root) {
        truce_diags_add(diags, TRUCE_DIAG_ERROR, path, err.line, NULL, NULL, "%s", err.text);
        return TRUCE_E_PARSE;
    }
    truce_precision_table t = *table;
    int errors = 0;
    if (!json_is_object(root)) {
        truce_diags_add(diags, TRUCE_DIAG_ERROR, path, 0, NULL, NULL,
                        "expected an object with \"acled\" and/or \"ucdp\"");
        errors++;
    } else {
        const char *key;
        json_t *value;
        json_object_foreach(root, key, value)
        {
            if (strcmp(key, "acled") && strcmp(key, "ucdp")) {
                truce_diags_add(diags, TRUCE_DIAG_ERROR, path, 0, NULL, key,
                                "unknown scheme (acled, ucdp)");
                errors++;
            }
        }
        errors += load_scheme(root, "acled", t.acled_m, 3, path, diags);
        errors += load_scheme(root, "ucdp", t.ucdp_m, 7, path, diags);
    }
    json_decref(root);
    if (errors)
        return TRUCE_E_INVALID;
    *table = t;
    return TRUCE_OK;
}

void truce_event_when_local(const truce_tz *tz, const truce_event *ev, char *buf, size_t n)
{
    char s[26], e[26];
    truce_tz_format_local(tz, ev->start_s, s);
    truce_tz_format_local(tz, ev->end_s, e);
    int midnights = !strncmp(s + 10, "T00:00:00", 9) && !strncmp(e + 10, "T00:00:00", 9);
    if (midnights && ev->end_s - ev->start_s <= 25 * 3600)
        snprintf(buf, n, "%.10s", s);
    else if (ev->end_s - ev->start_s <= 60)
        snprintf(buf, n, "%.16s%s", s, s + 19);
    else if (!strncmp(s, e, 10))
        snprintf(buf, n, "%.16s..%.5s", s, e + 11);
    else
        snprintf(buf, n, "%.10s..%.10s", s, e);
}
