/* HXL-tagged CSV of humanitarian records (docs/aid.md): the Humanitarian
 * Data Exchange's convention of a row of #hashtags under the header, or
 * instead of it.  Columns are found by their tags, not their names: a tag
 * and its +attributes are ASCII case-insensitive, the attributes in any
 * order, and a column matches a pattern when it has the pattern's tag and
 * at least its attributes (the HXL standard's hashtag patterns); columns
 * whose tags no pattern matches are ignored.  The kind of record --
 * deliveries, access incidents, returns -- is found from the tags, unless
 * the caller gave it. */
#include <ctype.h>
#include <string.h>

#include "base/alloc.h"
#include "read/aid_fields.h"
#include "read/csv_rows.h"
#include "read/reader_impl.h"

#define HXL_MAX_ATTRS 12
#define HXL_NAME_MAX 32

/* A tag as written ("#affected +returnees +ind"), in lower case. */
typedef struct hxl_tag {
    char tag[HXL_NAME_MAX];
    char attrs[HXL_MAX_ATTRS][HXL_NAME_MAX];
    int nattrs;
} hxl_tag;

/* Read the tag in `s`: 0, or -1 when it is not a hashtag (not '#' first,
 * an empty name, a character HXL does not allow, too many attributes). */
static int hxl_parse(const char *s, hxl_tag *t)
{
    memset(t, 0, sizeof *t);
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s++ != '#')
        return -1;
    char *dst = t->tag;
    size_t n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '+') {
            if (n == 0)
                return -1; /* "#", "#+x" or "++" */
            if (!*s)
                return 0;
            if (t->nattrs == HXL_MAX_ATTRS)
                return -1;
            dst = t->attrs[t->nattrs++];
            n = 0;
            s++;
            continue;
        }
        if (!(isalnum((unsigned char)*s) || *s == '_') || n + 1 >= HXL_NAME_MAX)
            return -1;
        dst[n++] = (char)tolower((unsigned char)*s++);
        dst[n] = '\0';
    }
}

static int has_attr(const hxl_tag *t, const char *a)
{
    for (int i = 0; i < t->nattrs; i++)
        if (!strcmp(t->attrs[i], a))
            return 1;
    return 0;
}

/* Which field a column holds: the first pattern it matches. */
static const struct {
    aid_field field;
    const char *tag;
    const char *with[2];
    const char *without[2];
} patterns[] = {
    {AF_DATE, "date", {NULL}, {NULL}},
    {AF_ID, "meta", {"id"}, {NULL}},
    {AF_CROSSING, "loc", {"crossing"}, {NULL}},
    {AF_ORIGIN, "loc", {"origin"}, {NULL}},
    {AF_ORIGIN, "adm2", {"origin"}, {NULL}},
    {AF_PLACE, "loc", {"name"}, {NULL}},
    {AF_LAT, "geo", {"lat"}, {NULL}},
    {AF_LON, "geo", {"lon"}, {NULL}},
    {AF_ADMIN, "adm2", {"code"}, {NULL}},
    {AF_ORG, "org", {NULL}, {NULL}},
    {AF_ITEM, "item", {"type"}, {NULL}},
    {AF_TRUCKS, "item", {"trucks"}, {NULL}},
    {AF_QUANTITY, "item", {"quantity"}, {NULL}},
    {AF_UNIT, "item", {"unit"}, {NULL}},
    {AF_CATEGORY, "access", {"category"}, {NULL}},
    {AF_DESCRIPTION, "description", {NULL}, {NULL}},
    {AF_RETURNEES, "affected", {"returnees", "ind"}, {NULL}},
    {AF_HOUSEHOLDS, "affected", {"returnees", "hh"}, {NULL}},
};

/* The fields as rejects and errors name them: each one's usual hashtag. */
static const char *const names[AF_COUNT] = {
    [AF_DATE] = "#date",
    [AF_ID] = "#meta+id",
    [AF_PLACE] = "#loc+name",
    [AF_LAT] = "#geo+lat",
    [AF_LON] = "#geo+lon",
    [AF_ADMIN] = "#adm2+code",
    [AF_ORG] = "#org",
    [AF_ITEM] = "#item+type",
    [AF_QUANTITY] = "#item+quantity",
    [AF_UNIT] = "#item+unit",
    [AF_TRUCKS] = "#item+trucks",
    [AF_CROSSING] = "#loc+crossing",
    [AF_CATEGORY] = "#access+category",
    [AF_DESCRIPTION] = "#description",
    [AF_RETURNEES] = "#affected+returnees+ind",
    [AF_HOUSEHOLDS] = "#affected+returnees+hh",
    [AF_ORIGIN] = "#loc+origin",
};

/* col[f] = the first column holding field f, or -1. */
static void map_columns(const char *const *cells, size_t n, int col[AF_COUNT])
{
    for (int f = 0; f < AF_COUNT; f++)
        col[f] = -1;
    for (size_t i = 0; i < n; i++) {
        hxl_tag t;
        if (hxl_parse(cells[i], &t))
            continue;
        for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
            int ok = !strcmp(t.tag, patterns[p].tag);
            for (int a = 0; ok && a < 2 && patterns[p].with[a]; a++)
                ok = has_attr(&t, patterns[p].with[a]);
            if (!ok)
                continue;
            if (col[patterns[p].field] < 0)
                col[patterns[p].field] = (int)i;
            break;
        }
    }
}

/* The kind the tags say, 0 for none, -1 for more than one. */
static int kind_of(const int col[AF_COUNT])
{
    int returns = col[AF_RETURNEES] >= 0 || col[AF_HOUSEHOLDS] >= 0;
    int access = col[AF_CATEGORY] >= 0;
    int deliveries =
        col[AF_QUANTITY] >= 0 || col[AF_TRUCKS] >= 0 || col[AF_ITEM] >= 0 || col[AF_CROSSING] >= 0;
    if (returns + access + deliveries > 1)
        return -1;
    return returns      ? TRUCE_AID_RETURN
           : access     ? TRUCE_AID_ACCESS
           : deliveries ? TRUCE_AID_DELIVERY
                        : 0;
}

static int is_hashtag_cells(const char *const *cells, size_t n)
{
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!cells[i][0])
            continue;
        if (cells[i][0] != '#')
            return 0;
        any = 1;
    }
    return any;
}

static int hxl_sniff(const char *head, size_t len)
{
    char f[CSV_ROWS_MAX_FIELDS][64];
    const char *cells[CSV_ROWS_MAX_FIELDS];
    for (int row = 0; row < 2; row++) {
        size_t n = trc_csv_head_record(head, len, f, CSV_ROWS_MAX_FIELDS);
        if (n > CSV_ROWS_MAX_FIELDS)
            n = CSV_ROWS_MAX_FIELDS;
        for (size_t i = 0; i < n; i++)
            cells[i] = f[i];
        if (n && is_hashtag_cells(cells, n)) {
            int col[AF_COUNT];
            map_columns(cells, n, col);
            /* The tags of a kind are enough: open says what else is missing. */
            return kind_of(col) != 0 ? 100 : col[AF_DATE] >= 0 ? 50 : 0;
        }
        size_t end = trc_src_line_end(head, len, 1, 1);
        if (!end)
            return 0;
        head += end;
        len -= end;
    }
    return 0;
}

typedef struct hxl_state {
    csv_rows csv;
    csv_record rec;
    size_t ncols;
    int col[AF_COUNT];
} hxl_state;

static void hxl_close(truce_reader *r)
{
    hxl_state *h = r->state;
    trc_csv_rows_release(&h->csv);
    trc_free(h);
    r->state = NULL;
}

static truce_status open_error(truce_reader *r, truce_diags *diags, long line, const char *key,
                               const char *msg, const char *kind)
{
    truce_diags_add(diags, TRUCE_DIAG_ERROR, r->name, line, NULL, key,
                    "the HXL hashtag row %s%s%s (docs/aid.md)", msg, kind ? " " : "",
                    kind ? kind : "");
    return TRUCE_E_INVALID;
}

/* The tags a kind needs, each missing one an error. */
static truce_status check_tags(truce_reader *r, truce_diags *diags, long line, const int *col)
{
    truce_status st = TRUCE_OK;
    const char *kind = r->aid_kind == TRUCE_AID_DELIVERY ? "for deliveries"
                       : r->aid_kind == TRUCE_AID_ACCESS ? "for access incidents"
                                                         : "for returns";
    if (col[AF_DATE] < 0)
        st = open_error(r, diags, line, names[AF_DATE], "has no #date column, required", kind);
    if ((col[AF_LAT] < 0) != (col[AF_LON] < 0))
        st = open_error(r, diags, line, names[col[AF_LAT] < 0 ? AF_LAT : AF_LON],
                        col[AF_LAT] < 0 ? "has #geo+lon but no #geo+lat"
                                        : "has #geo+lat but no #geo+lon",
                        NULL);
    if (col[AF_PLACE] < 0 && col[AF_ADMIN] < 0 && (col[AF_LAT] < 0 || col[AF_LON] < 0))
        st = open_error(r, diags, line, names[AF_PLACE],
                        "has no location column (#loc+name, #geo+lat and #geo+lon, or "
                        "#adm2+code), required",
                        kind);
    if (r->aid_kind == TRUCE_AID_DELIVERY && col[AF_QUANTITY] < 0 && col[AF_TRUCKS] < 0)
        st = open_error(r, diags, line, names[AF_QUANTITY],
                        "has no #item+quantity or #item+trucks column, required", kind);
    if (r->aid_kind == TRUCE_AID_ACCESS && col[AF_CATEGORY] < 0)
        st = open_error(r, diags, line, names[AF_CATEGORY],
                        "has no #access+category column, required", kind);
    if (r->aid_kind == TRUCE_AID_RETURN && col[AF_RETURNEES] < 0 && col[AF_HOUSEHOLDS] < 0)
        st = open_error(r, diags, line, names[AF_RETURNEES],
                        "has no #affected+returnees+ind or #affected+returnees+hh column, "
                        "required",
                        kind);
    return st;
}

static truce_status hxl_open(truce_reader *r, truce_diags *diags)
{
    hxl_state *h = trc_calloc(1, sizeof *h);
    if (!h)
        return TRUCE_E_NOMEM;
    r->state = h;
    truce_status st = trc_csv_rows_init(&h->csv);
    csv_record *rec = &h->rec;
    int got = 0;
    for (int row = 0; row < 2 && !st; row++) {
        if ((st = trc_csv_rows_next(&h->csv, &r->src, rec, &got)) != TRUCE_OK)
            return st;
        if (!got || rec->error)
            break;
        if ((st = trc_reader_keep_header(r, rec->raw, rec->raw_len)) != TRUCE_OK)
            return st;
        if (trc_csv_is_hashtag_row(rec)) {
            if (rec->nfields > CSV_ROWS_MAX_FIELDS) {
                truce_diags_add(diags, TRUCE_DIAG_ERROR, r->name, rec->line, NULL, NULL,
                                "the HXL hashtag row has %zu columns, more than the %d read",
                                rec->nfields, CSV_ROWS_MAX_FIELDS);
                return TRUCE_E_INVALID;
            }
            map_columns(rec->fields, rec->nfields, h->col);
            if (!r->aid_kind) {
                int k = kind_of(h->col);
                if (k <= 0)
                    return open_error(r, diags, rec->line, NULL,
                                      k < 0 ? "has the tags of more than one kind of record; "
                                              "give the kind (--kind)"
                                            : "has no tags of deliveries (#item+quantity, "
                                              "#item+trucks), access incidents "
                                              "(#access+category) or returns "
                                              "(#affected+returnees)",
                                      NULL);
                r->aid_kind = (truce_aid_kind)k;
            }
            r->layout = r->aid_kind == TRUCE_AID_DELIVERY ? "hxl-deliveries"
                        : r->aid_kind == TRUCE_AID_ACCESS ? "hxl-access"
                                                          : "hxl-returns";
            h->ncols = rec->nfields;
            h->csv.expect = rec->nfields;
            return check_tags(r, diags, rec->line, h->col);
        }
    }
    truce_diags_add(diags, TRUCE_DIAG_ERROR, r->name, got ? rec->line : 1, NULL, NULL,
                    "no HXL hashtag row (#date, #loc+name, ...) as the first row or under the "
                    "header (docs/aid.md)");
    return TRUCE_E_INVALID;
}

static truce_status hxl_next(truce_reader *r, truce_row *row)
{
    hxl_state *h = r->state;
    csv_record *rec = &h->rec;
    int got;
    truce_status st = trc_csv_rows_next(&h->csv, &r->src, rec, &got);
    if (st)
        return st;
    if (!got) {
        row->kind = TRUCE_ROW_END;
        return TRUCE_OK;
    }
    if (trc_csv_record_reject(r, row, rec, h->ncols, "the hashtag row has", h->col, AF_COUNT,
                              names))
        return TRUCE_OK;
    truce_aid_record *a = &r->aid;
    truce_aid_record_init(a);
    a->kind = r->aid_kind;
    a->file = r->name;
    a->line = rec->line;
    unsigned seen = 0;
    char why[240];
    for (int f = 0; f < AF_COUNT; f++) {
        const char *v = csv_map_field(rec, h->col, f);
        if (!v)
            continue;
        if (trc_aid_set_text(a, (aid_field)f, v, why, sizeof why))
            CSV_REJECT(r, row, rec, names[f], "%s", why);
        seen |= AF_BIT(f);
    }
    a->has_location = (seen & AF_BIT(AF_LAT)) && (seen & AF_BIT(AF_LON));
    aid_field bad;
    if (trc_aid_check(a, seen, &bad, why, sizeof why))
        CSV_REJECT(r, row, rec, bad < AF_COUNT ? names[bad] : NULL, "%s", why);
    trc_reader_accept_aid(r, row, rec->line, rec->raw, rec->raw_len);
    return TRUCE_OK;
}

const truce_reader_format_ops truce_reader_hxl = {
    .name = "hxl",
    .summary = "HXL-tagged CSV of aid deliveries, access incidents or returns",
    .sniff = hxl_sniff,
    .open = hxl_open,
    .next = hxl_next,
    .close = hxl_close,
    .records = TRUCE_READ_AID,
};
