/* ACLED CSV exports: the pre-2023 layout (data_id, iso, event_id_cnty,
 * event_id_no_cnty, ..., timestamp, iso3) and the 2023+ layout (event_id_cnty,
 * event_date, year, time_precision, disorder_type, ..., tags, timestamp),
 * both 31 columns, told apart by their header names; columns are found by
 * name, so any order reads.  Dates as 2020-03-05, 05 March 2020 or
 * 05-03-2020.  docs/events.md has the mapping and the checks. */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "read/csv_rows.h"
#include "read/reader_impl.h"
#include "base/util.h"

enum {
    C_ID,
    C_DATE,
    C_YEAR,
    C_TIME_PREC,
    C_DISORDER,
    C_EVENT_TYPE,
    C_SUB_EVENT_TYPE,
    C_ACTOR1,
    C_ASSOC1,
    C_ACTOR2,
    C_ASSOC2,
    C_COUNTRY,
    C_ADMIN1,
    C_ADMIN2,
    C_LOCATION,
    C_LAT,
    C_LON,
    C_GEO_PREC,
    C_SOURCE,
    C_NOTES,
    C_FATALITIES,
    /* layout markers */
    C_DATA_ID,
    C_ID_NO_CNTY,
    C_ISO3,
    C_CIVILIAN_TARGETING,
    C_TAGS,
    C_COUNT
};

static const char *const names[C_COUNT] = {
    [C_ID] = "event_id_cnty",
    [C_DATE] = "event_date",
    [C_YEAR] = "year",
    [C_TIME_PREC] = "time_precision",
    [C_DISORDER] = "disorder_type",
    [C_EVENT_TYPE] = "event_type",
    [C_SUB_EVENT_TYPE] = "sub_event_type",
    [C_ACTOR1] = "actor1",
    [C_ASSOC1] = "assoc_actor_1",
    [C_ACTOR2] = "actor2",
    [C_ASSOC2] = "assoc_actor_2",
    [C_COUNTRY] = "country",
    [C_ADMIN1] = "admin1",
    [C_ADMIN2] = "admin2",
    [C_LOCATION] = "location",
    [C_LAT] = "latitude",
    [C_LON] = "longitude",
    [C_GEO_PREC] = "geo_precision",
    [C_SOURCE] = "source",
    [C_NOTES] = "notes",
    [C_FATALITIES] = "fatalities",
    [C_DATA_ID] = "data_id",
    [C_ID_NO_CNTY] = "event_id_no_cnty",
    [C_ISO3] = "iso3",
    [C_CIVILIAN_TARGETING] = "civilian_targeting",
    [C_TAGS] = "tags",
};

static const int required[] = {C_ID, C_DATE, C_TIME_PREC, C_LAT, C_LON, C_GEO_PREC, C_FATALITIES};

static const csv_schema schema = {"ACLED", names, C_COUNT, required,
                                  sizeof required / sizeof required[0]};

typedef struct acled_state {
    csv_rows csv;
    csv_record rec;
    size_t ncols;
    int col[C_COUNT];
} acled_state;

static int acled_sniff(const char *head, size_t len)
{
    char f[CSV_ROWS_MAX_FIELDS][64];
    size_t n = trc_csv_head_record(head, len, f, CSV_ROWS_MAX_FIELDS);
    int id = 0, date = 0;
    for (size_t i = 0; i < n && i < CSV_ROWS_MAX_FIELDS; i++) {
        id |= !truce_strcasecmp(f[i], "event_id_cnty");
        date |= !truce_strcasecmp(f[i], "event_date");
    }
    return id && date ? 100 : 0;
}

static void acled_close(truce_reader *r)
{
    acled_state *a = r->state;
    trc_csv_rows_release(&a->csv);
    trc_free(a);
    r->state = NULL;
}

static truce_status acled_open(truce_reader *r, truce_diags *diags)
{
    acled_state *a = trc_calloc(1, sizeof *a);
    if (!a)
        return TRUCE_E_NOMEM;
    r->state = a;
    truce_status st = trc_csv_rows_init(&a->csv);
    int got = 0;
    if (!st)
        st = trc_csv_rows_next(&a->csv, &r->src, &a->rec, &got);
    if (st)
        return st;
    if (!got || a->rec.error) {
        truce_diags_add(diags, TRUCE_DIAG_ERROR, r->name, got ? a->rec.line : 1, NULL, NULL,
                        "no ACLED header row%s%s", got ? ": " : "", got ? a->rec.error : "");
        return TRUCE_E_INVALID;
    }
    st = trc_csv_header_columns(r, diags, &a->csv, &a->rec, &schema, a->col, &a->ncols);
    if (st)
        return st;
    int pre = a->col[C_DATA_ID] >= 0 || a->col[C_ID_NO_CNTY] >= 0 || a->col[C_ISO3] >= 0;
    int post = a->col[C_CIVILIAN_TARGETING] >= 0 || a->col[C_TAGS] >= 0;
    r->layout = pre && !post ? "acled-pre2023" : post && !pre ? "acled-2023" : "acled";
    if ((st = trc_reader_keep_header(r, a->rec.raw, a->rec.raw_len)) != TRUCE_OK)
        return st;
    /* HDX copies carry a row of #hashtags under the header: not a row. */
    if ((st = trc_csv_rows_next(&a->csv, &r->src, &a->rec, &got)) != TRUCE_OK)
        return st;
    if (got && !a->rec.error && trc_csv_is_hashtag_row(&a->rec)) {
        r->layout = !strcmp(r->layout, "acled-2023")      ? "acled-2023-hxl"
                    : !strcmp(r->layout, "acled-pre2023") ? "acled-pre2023-hxl"
                                                          : "acled-hxl";
        return trc_reader_keep_header(r, a->rec.raw, a->rec.raw_len);
    }
    /* Not a hashtag row: step back to its start so that next() reads it
     * again (mark is where it starts, even if the buffer moved). */
    if (got) {
        r->src.pos = r->src.mark;
        r->src.line = a->rec.line;
        r->src.skip_to_eol = 0;
    }
    return TRUCE_OK;
}

static const char *field(const acled_state *a, int c)
{
    return csv_map_field(&a->rec, a->col, c);
}

static truce_status acled_next(truce_reader *r, truce_row *row)
{
    acled_state *a = r->state;
    csv_record *rec = &a->rec;
    int got;
    truce_status st = trc_csv_rows_next(&a->csv, &r->src, rec, &got);
    if (st)
        return st;
    if (!got) {
        row->kind = TRUCE_ROW_END;
        return TRUCE_OK;
    }
    char why[160];
#define REJECT(fieldname, ...) CSV_REJECT(r, row, rec, fieldname, __VA_ARGS__)
    if (trc_csv_record_reject(r, row, rec, a->ncols, "the header has", a->col, C_COUNT, names))
        return TRUCE_OK;
    truce_event *e = &r->event;
    truce_event_init(e);
    e->format = TRUCE_FORMAT_ACLED;
    e->line = rec->line;
    e->file = r->name;
    e->id = field(a, C_ID);
    if (!e->id)
        REJECT(names[C_ID], "missing");
    (void)trc_reader_prefetch_id(r); /* a hint; trc_reader_accept hashes again if it failed */
    int64_t day, v;
    int year;
    if (trc_parse_date(field(a, C_DATE), 1, 0, &day, &year, why, sizeof why))
        REJECT(names[C_DATE], "%s", why);
    if (field(a, C_YEAR)) {
        if (trc_parse_int64(field(a, C_YEAR), 1, 9999, &v, why, sizeof why))
            REJECT(names[C_YEAR], "%s", why);
        if (v != year)
            REJECT(names[C_YEAR], "%lld, but event_date is in %d", (long long)v, year);
    }
    if (trc_parse_int64(field(a, C_TIME_PREC), 1, 3, &v, why, sizeof why))
        REJECT(names[C_TIME_PREC], "%s", why);
    e->time_precision = (int)v;
    /* docs/events.md "Time": 1 the day, 2 the week centred on the date,
     * 3 the calendar month holding it. */
    int64_t first = day, after = day + 1;
    if (v == 2) {
        first = day - 3;
        after = day + 4;
    } else if (v == 3) {
        int y, m, d;
        truce_civil_from_days(day, &y, &m, &d);
        first = day - (d - 1);
        after = first + truce_days_in_month(y, m);
    }
    if (trc_local_days_interval(r->tz, first, after, &e->start_s, &e->end_s, why, sizeof why))
        REJECT(names[C_DATE], "%s", why);
    const char *lat = field(a, C_LAT), *lon = field(a, C_LON);
    if (lat || lon) {
        if (trc_parse_coord(lat, -90, 90, &e->lat, why, sizeof why))
            REJECT(names[C_LAT], "%s", why);
        if (trc_parse_coord(lon, -180, 180, &e->lon, why, sizeof why))
            REJECT(names[C_LON], "%s", why);
        if (trc_parse_int64(field(a, C_GEO_PREC), 1, 3, &v, why, sizeof why))
            REJECT(names[C_GEO_PREC], "%s", why);
        e->has_location = 1;
        e->lat_text = lat;
        e->lon_text = lon;
        e->geo_precision = (int)v;
        e->radius_m = r->precision.acled_m[v];
    }
    if (trc_parse_int64(field(a, C_FATALITIES), 0, INT64_MAX, &e->fatalities, why, sizeof why))
        REJECT(names[C_FATALITIES], "%s", why);
#undef REJECT
    e->event_type = field(a, C_EVENT_TYPE);
    e->sub_event_type = field(a, C_SUB_EVENT_TYPE);
    e->disorder_type = field(a, C_DISORDER);
    e->actor1 = field(a, C_ACTOR1);
    e->assoc_actor1 = field(a, C_ASSOC1);
    e->actor2 = field(a, C_ACTOR2);
    e->assoc_actor2 = field(a, C_ASSOC2);
    e->country = field(a, C_COUNTRY);
    e->admin1 = field(a, C_ADMIN1);
    e->admin2 = field(a, C_ADMIN2);
    e->place = field(a, C_LOCATION);
    e->notes = field(a, C_NOTES);
    e->sources = field(a, C_SOURCE);
    return trc_reader_accept(r, row, rec->line, rec->raw, rec->raw_len, names[C_ID]);
}

const truce_reader_format_ops truce_reader_acled = {
    .name = "acled",
    .summary = "ACLED CSV export (pre-2023 and 2023+ layouts)",
    .sniff = acled_sniff,
    .open = acled_open,
    .next = acled_next,
    .close = acled_close,
};
