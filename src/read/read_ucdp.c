/* UCDP GED CSV: the 49-column layout, with its header row, without it (some
 * releases), or with a second row of HXL #hashtags (Humanitarian Data
 * Exchange copies).  docs/events.md has the mapping and the checks. */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "read/csv_rows.h"
#include "base/digits.h"
#include "read/reader_impl.h"
#include "base/util.h"

/* The GED columns in release order (GED codebook, versions 20.1 onwards). */
static const char *const ged_columns[] = {"id",
                                          "relid",
                                          "year",
                                          "active_year",
                                          "code_status",
                                          "type_of_violence",
                                          "conflict_dset_id",
                                          "conflict_new_id",
                                          "conflict_name",
                                          "dyad_dset_id",
                                          "dyad_new_id",
                                          "dyad_name",
                                          "side_a_dset_id",
                                          "side_a_new_id",
                                          "side_a",
                                          "side_b_dset_id",
                                          "side_b_new_id",
                                          "side_b",
                                          "number_of_sources",
                                          "source_article",
                                          "source_office",
                                          "source_date",
                                          "source_headline",
                                          "source_original",
                                          "where_prec",
                                          "where_coordinates",
                                          "where_description",
                                          "adm_1",
                                          "adm_2",
                                          "latitude",
                                          "longitude",
                                          "geom_wkt",
                                          "priogrid_gid",
                                          "country",
                                          "country_id",
                                          "region",
                                          "event_clarity",
                                          "date_prec",
                                          "date_start",
                                          "date_end",
                                          "deaths_a",
                                          "deaths_b",
                                          "deaths_civilians",
                                          "deaths_unknown",
                                          "best",
                                          "high",
                                          "low",
                                          "gwnoa",
                                          "gwnob"};
#define GED_NCOLS (sizeof ged_columns / sizeof ged_columns[0])

enum {
    U_ID,
    U_YEAR,
    U_VIOLENCE,
    U_SIDE_A,
    U_SIDE_B,
    U_SOURCE_ARTICLE,
    U_HEADLINE,
    U_WHERE_PREC,
    U_WHERE_COORD,
    U_ADM1,
    U_ADM2,
    U_LAT,
    U_LON,
    U_COUNTRY,
    U_DATE_PREC,
    U_DATE_START,
    U_DATE_END,
    U_BEST,
    U_HIGH,
    U_LOW,
    U_COUNT
};

static const char *const names[U_COUNT] = {
    [U_ID] = "id",
    [U_YEAR] = "year",
    [U_VIOLENCE] = "type_of_violence",
    [U_SIDE_A] = "side_a",
    [U_SIDE_B] = "side_b",
    [U_SOURCE_ARTICLE] = "source_article",
    [U_HEADLINE] = "source_headline",
    [U_WHERE_PREC] = "where_prec",
    [U_WHERE_COORD] = "where_coordinates",
    [U_ADM1] = "adm_1",
    [U_ADM2] = "adm_2",
    [U_LAT] = "latitude",
    [U_LON] = "longitude",
    [U_COUNTRY] = "country",
    [U_DATE_PREC] = "date_prec",
    [U_DATE_START] = "date_start",
    [U_DATE_END] = "date_end",
    [U_BEST] = "best",
    [U_HIGH] = "high",
    [U_LOW] = "low",
};

static const int required[] = {U_ID,         U_VIOLENCE, U_WHERE_PREC, U_LAT,  U_LON, U_DATE_PREC,
                               U_DATE_START, U_DATE_END, U_BEST,       U_HIGH, U_LOW};

static const csv_schema schema = {"UCDP GED", names, U_COUNT, required,
                                  sizeof required / sizeof required[0]};

typedef struct ucdp_state {
    csv_rows csv;
    csv_record rec;
    size_t ncols;
    int col[U_COUNT];
    int pending; /* rec holds a data row read while looking for the header */
} ucdp_state;

static int digits_only(const char *s)
{
    size_t n = trc_digits(s, SIZE_MAX, NULL);
    return n && !s[n];
}

/* A header-less GED row: 49 fields, a numeric id and type_of_violence 1-3. */
static int looks_like_row(size_t n, char f[][64])
{
    return n == GED_NCOLS && digits_only(f[0]) && f[5][1] == '\0' && f[5][0] >= '1' &&
           f[5][0] <= '3';
}

static int ucdp_sniff(const char *head, size_t len)
{
    char f[CSV_ROWS_MAX_FIELDS][64];
    size_t n = trc_csv_head_record(head, len, f, CSV_ROWS_MAX_FIELDS);
    int prec = 0, violence = 0, relid = 0;
    for (size_t i = 0; i < n && i < CSV_ROWS_MAX_FIELDS; i++) {
        prec |= !truce_strcasecmp(f[i], "where_prec");
        violence |= !truce_strcasecmp(f[i], "type_of_violence");
        relid |= !truce_strcasecmp(f[i], "relid");
    }
    if (prec && violence && relid)
        return 100;
    return looks_like_row(n, f) ? 60 : 0;
}

static void ucdp_close(truce_reader *r)
{
    ucdp_state *u = r->state;
    trc_csv_rows_release(&u->csv);
    trc_free(u);
    r->state = NULL;
}

static void canonical_columns(ucdp_state *u)
{
    for (int c = 0; c < U_COUNT; c++)
        for (size_t i = 0; i < GED_NCOLS; i++)
            if (!strcmp(names[c], ged_columns[i]))
                u->col[c] = (int)i;
    u->ncols = GED_NCOLS;
    u->csv.expect = GED_NCOLS;
}

static truce_status ucdp_open(truce_reader *r, truce_diags *diags)
{
    ucdp_state *u = trc_calloc(1, sizeof *u);
    if (!u)
        return TRUCE_E_NOMEM;
    r->state = u;
    truce_status st = trc_csv_rows_init(&u->csv);
    int got = 0;
    if (!st)
        st = trc_csv_rows_next(&u->csv, &r->src, &u->rec, &got);
    if (st)
        return st;
    if (!got) {
        r->layout = "ucdp";
        canonical_columns(u);
        return TRUCE_OK; /* an empty file: no rows */
    }
    int is_header = !u->rec.error && trc_csv_find_column(&u->rec, "where_prec") >= 0 &&
                    trc_csv_find_column(&u->rec, "type_of_violence") >= 0;
    if (!is_header) {
        /* No header: the GED columns in release order; this row is data. */
        r->layout = "ucdp-noheader";
        canonical_columns(u);
        u->pending = 1;
        return TRUCE_OK;
    }
    r->layout = "ucdp";
    st = trc_csv_header_columns(r, diags, &u->csv, &u->rec, &schema, u->col, &u->ncols);
    if (st || (st = trc_reader_keep_header(r, u->rec.raw, u->rec.raw_len)) != TRUCE_OK)
        return st;
    if ((st = trc_csv_rows_next(&u->csv, &r->src, &u->rec, &got)) != TRUCE_OK)
        return st;
    if (got && !u->rec.error && trc_csv_is_hashtag_row(&u->rec)) {
        r->layout = "ucdp-hxl";
        return trc_reader_keep_header(r, u->rec.raw, u->rec.raw_len);
    }
    u->pending = got;
    return TRUCE_OK;
}

static const char *field(const ucdp_state *u, int c)
{
    return csv_map_field(&u->rec, u->col, c);
}

static truce_status ucdp_next(truce_reader *r, truce_row *row)
{
    ucdp_state *u = r->state;
    csv_record *rec = &u->rec;
    if (u->pending) {
        u->pending = 0;
    } else {
        int got;
        truce_status st = trc_csv_rows_next(&u->csv, &r->src, rec, &got);
        if (st)
            return st;
        if (!got) {
            row->kind = TRUCE_ROW_END;
            return TRUCE_OK;
        }
    }
    char why[160];
#define REJECT(fieldname, ...) CSV_REJECT(r, row, rec, fieldname, __VA_ARGS__)
    if (trc_csv_record_reject(r, row, rec, u->ncols, r->header ? "the header has" : "UCDP GED has",
                              u->col, U_COUNT, names))
        return TRUCE_OK;
    truce_event *e = &r->event;
    truce_event_init(e);
    e->format = TRUCE_FORMAT_UCDP;
    e->line = rec->line;
    e->file = r->name;
    e->id = field(u, U_ID);
    if (!e->id)
        REJECT(names[U_ID], "missing");
    (void)trc_reader_prefetch_id(r); /* a hint; trc_reader_accept hashes again if it failed */
    int64_t v, start_day, end_day;
    int start_year, end_year;
    if (field(u, U_YEAR) && trc_parse_int64(field(u, U_YEAR), 1, 9999, &v, why, sizeof why))
        REJECT(names[U_YEAR], "%s", why);
    if (trc_parse_int64(field(u, U_VIOLENCE), 1, 3, &v, why, sizeof why))
        REJECT(names[U_VIOLENCE], "%s", why);
    e->violence_type = (int)v;
    if (trc_parse_int64(field(u, U_DATE_PREC), 1, 5, &v, why, sizeof why))
        REJECT(names[U_DATE_PREC], "%s", why);
    e->time_precision = (int)v;
    if (trc_parse_date(field(u, U_DATE_START), 0, 1, &start_day, &start_year, why, sizeof why))
        REJECT(names[U_DATE_START], "%s", why);
    if (trc_parse_date(field(u, U_DATE_END), 0, 1, &end_day, &end_year, why, sizeof why))
        REJECT(names[U_DATE_END], "%s", why);
    if (end_day < start_day)
        REJECT(names[U_DATE_END], "%s is before date_start %s", field(u, U_DATE_END),
               field(u, U_DATE_START));
    /* date_start and date_end are the first and last possible days. */
    if (trc_local_days_interval(r->tz, start_day, end_day + 1, &e->start_s, &e->end_s, why,
                                sizeof why))
        REJECT(names[e->start_s < TRUCE_INSTANT_FIRST_S ? U_DATE_START : U_DATE_END], "%s", why);
    if (trc_parse_coord(field(u, U_LAT), -90, 90, &e->lat, why, sizeof why))
        REJECT(names[U_LAT], "%s", why);
    if (trc_parse_coord(field(u, U_LON), -180, 180, &e->lon, why, sizeof why))
        REJECT(names[U_LON], "%s", why);
    if (trc_parse_int64(field(u, U_WHERE_PREC), 1, 7, &v, why, sizeof why))
        REJECT(names[U_WHERE_PREC], "%s", why);
    e->has_location = 1;
    e->lat_text = field(u, U_LAT);
    e->lon_text = field(u, U_LON);
    e->geo_precision = (int)v;
    e->radius_m = r->precision.ucdp_m[v];
    if (trc_parse_int64(field(u, U_BEST), 0, INT64_MAX, &e->fatalities, why, sizeof why))
        REJECT(names[U_BEST], "%s", why);
    if (trc_parse_int64(field(u, U_LOW), 0, INT64_MAX, &e->fatalities_low, why, sizeof why))
        REJECT(names[U_LOW], "%s", why);
    if (trc_parse_int64(field(u, U_HIGH), 0, INT64_MAX, &e->fatalities_high, why, sizeof why))
        REJECT(names[U_HIGH], "%s", why);
    if (e->fatalities_low > e->fatalities || e->fatalities > e->fatalities_high)
        REJECT(names[U_BEST], "best %lld is not within low %lld and high %lld",
               (long long)e->fatalities, (long long)e->fatalities_low,
               (long long)e->fatalities_high);
#undef REJECT
    e->actor1 = field(u, U_SIDE_A);
    e->actor2 = field(u, U_SIDE_B);
    e->country = field(u, U_COUNTRY);
    e->admin1 = field(u, U_ADM1);
    e->admin2 = field(u, U_ADM2);
    e->place = field(u, U_WHERE_COORD);
    e->notes = field(u, U_HEADLINE);
    e->sources = field(u, U_SOURCE_ARTICLE);
    return trc_reader_accept(r, row, rec->line, rec->raw, rec->raw_len, names[U_ID]);
}

const truce_reader_format_ops truce_reader_ucdp = {
    .name = "ucdp",
    .summary = "UCDP GED CSV (49 columns; with or without header, HDX #hashtag row)",
    .sniff = ucdp_sniff,
    .open = ucdp_open,
    .next = ucdp_next,
    .close = ucdp_close,
};
