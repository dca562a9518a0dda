/* JSON Lines of humanitarian records (docs/aid.md): one JSON object per
 * line, parsed with jansson, with "record" naming its kind ("delivery",
 * "access", "return") unless the caller gave the kind, and the fields of
 * aid_fields.h under their keys.  Keys outside the schema are ignored. */
#include <jansson.h>
#include <string.h>

#include "base/alloc.h"
#include "read/aid_fields.h"
#include "read/jsonl_lines.h"
#include "read/reader_impl.h"

/* The keys, one per field. */
static const char *const keys[AF_COUNT] = {
    [AF_DATE] = "date",
    [AF_ID] = "id",
    [AF_PLACE] = "place",
    [AF_LAT] = "lat",
    [AF_LON] = "lon",
    [AF_ADMIN] = "admin_code",
    [AF_ORG] = "org",
    [AF_ITEM] = "item",
    [AF_QUANTITY] = "quantity",
    [AF_UNIT] = "unit",
    [AF_TRUCKS] = "trucks",
    [AF_CROSSING] = "crossing",
    [AF_CATEGORY] = "category",
    [AF_DESCRIPTION] = "description",
    [AF_RETURNEES] = "returnees",
    [AF_HOUSEHOLDS] = "households",
    [AF_ORIGIN] = "origin",
};

static size_t skip_space(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i;
}

/* Certain when the first line is an object whose "record" names a kind. */
static int aid_jsonl_sniff(const char *head, size_t len)
{
    size_t at = skip_space(head, len);
    if (at == len || head[at] != '{')
        return 0;
    const char *nl = memchr(head + at, '\n', len - at);
    size_t n = nl ? (size_t)(nl - (head + at)) : len - at;
    json_t *doc = json_loadb(head + at, n, 0, NULL);
    truce_aid_kind kind;
    int score =
        doc && truce_aid_kind_parse(json_string_value(json_object_get(doc, "record")), &kind) == 0
            ? 100
            : 0;
    json_decref(doc);
    return score;
}

static truce_status aid_jsonl_open(truce_reader *r, truce_diags *diags)
{
    (void)diags;
    return trc_jsonl_open(r, "aid-jsonl");
}

/* One member into the record: 0, or -1 with a reason. */
static int set_member(truce_aid_record *a, aid_field f, json_t *v, char *why, size_t why_len)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        const char *bad = trc_reader_text_problem(s, json_string_length(v));
        if (bad) {
            snprintf(why, why_len, "%s", bad);
            return -1;
        }
        return trc_aid_set_text(a, f, s, why, why_len);
    }
    if (json_is_number(v))
        return trc_aid_set_number(a, f, json_number_value(v), json_is_integer(v), why, why_len);
    char found[40];
    snprintf(found, sizeof found, "%s",
             json_is_object(v)  ? "an object"
             : json_is_array(v) ? "an array"
                                : "a boolean");
    snprintf(why, why_len, "found %s, expected a string or a number", found);
    return -1;
}

static truce_status aid_jsonl_next(truce_reader *r, truce_row *row)
{
    json_t *root;
    const char *p;
    size_t n;
    long line;
    truce_status st = trc_jsonl_next_object(r, row, &root, &line, &p, &n);
    if (st || !root)
        return st;
    truce_aid_record *a = &r->aid;
    truce_aid_record_init(a);
    a->file = r->name;
    a->line = line;
    a->kind = r->aid_kind;
    json_t *kind = json_object_get(root, "record");
    if (!a->kind && truce_aid_kind_parse(json_string_value(kind), &a->kind)) {
        trc_reader_reject(r, row, line, p, n, "record",
                          "%s; expected \"delivery\", \"access\" or \"return\"",
                          kind ? "not a kind of record" : "missing");
        return TRUCE_OK;
    }
    unsigned seen = 0;
    char why[240];
    for (int f = 0; f < AF_COUNT; f++) {
        json_t *v = json_object_get(root, keys[f]);
        if (!v || json_is_null(v))
            continue;
        if (set_member(a, (aid_field)f, v, why, sizeof why)) {
            trc_reader_reject(r, row, line, p, n, keys[f], "%s", why);
            return TRUCE_OK;
        }
        seen |= AF_BIT(f);
    }
    a->has_location = (seen & AF_BIT(AF_LAT)) && (seen & AF_BIT(AF_LON));
    aid_field bad;
    if (trc_aid_check(a, seen, &bad, why, sizeof why)) {
        trc_reader_reject(r, row, line, p, n, bad < AF_COUNT ? keys[bad] : NULL, "%s", why);
        return TRUCE_OK;
    }
    trc_reader_accept_aid(r, row, line, p, n);
    return TRUCE_OK;
}

const truce_reader_format_ops truce_reader_aid_jsonl = {
    .name = "aid-jsonl",
    .summary = "JSON Lines of aid deliveries, access incidents or returns",
    .sniff = aid_jsonl_sniff,
    .open = aid_jsonl_open,
    .next = aid_jsonl_next,
    .close = trc_jsonl_close,
    .records = TRUCE_READ_AID,
};
