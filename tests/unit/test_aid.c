/* Humanitarian records and provisions: the HXL reader's cases (the hashtag
 * row under a header or alone, tags in any case and order, unknown tags,
 * missing tags named), the aid JSON Lines reader, the categories, and the
 * accumulator's gaps and returns into danger on small hand-made inputs.
 * Whole generated files: tests/cli/test_aid.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "truce/agreement.h"
#include "truce/aid.h"
#include "truce/aid_record.h"
#include "truce/reader.h"
#include "truce/time.h"

typedef struct got {
    int n, rejected;
    truce_aid_record rec[8];
    char place[8][32];
    char field[8][48];
    char reason[8][240];
    long line[8];
    char layout[32];
    truce_status open_status;
    char diag[512];
} got;

static void read_text(const char *text, const char *format, truce_aid_kind kind, got *g)
{
    memset(g, 0, sizeof *g);
    FILE *f = fmemopen((void *)(uintptr_t)text, strlen(text), "rb");
    assert_non_null(f);
    truce_reader_options opt;
    truce_reader_options_init(&opt);
    opt.format = format;
    opt.records = TRUCE_READ_AID | TRUCE_READ_EVENTS;
    opt.aid_kind = kind;
    truce_diags diags;
    truce_diags_init(&diags);
    truce_reader *r;
    g->open_status = truce_reader_open(f, "t.csv", &opt, &r, &diags);
    if (diags.count)
        snprintf(g->diag, sizeof g->diag, "%s%s%s", diags.items[0].key ? diags.items[0].key : "",
                 diags.items[0].key ? ": " : "", diags.items[0].message);
    truce_diags_release(&diags);
    if (g->open_status) {
        fclose(f);
        return;
    }
    snprintf(g->layout, sizeof g->layout, "%s", truce_reader_layout(r));
    truce_row row;
    while (truce_reader_next(r, &row) == TRUCE_OK && row.kind != TRUCE_ROW_END && g->n < 8) {
        int i = g->n++;
        g->line[i] = row.line;
        if (row.kind == TRUCE_ROW_AID) {
            g->rec[i] = *row.aid;
            snprintf(g->place[i], sizeof g->place[i], "%s", row.aid->place ? row.aid->place : "");
        } else {
            g->rejected++;
            snprintf(g->field[i], sizeof g->field[i], "%s", row.field ? row.field : "");
            snprintf(g->reason[i], sizeof g->reason[i], "%s", row.reason);
        }
    }
    truce_reader_stats s;
    truce_reader_stats_get(r, &s);
    assert_int_equal(s.read, s.accepted + s.rejected);
    truce_reader_free(r);
    fclose(f);
}

static void hashtags_under_a_header(void **state)
{
    (void)state;
    got g;
    read_text("Date,Where,Trucks\n#date,#loc+name,#item+trucks\n2020-03-03,Ariha,12\n", NULL, 0,
              &g);
    assert_int_equal(g.open_status, TRUCE_OK);
    assert_string_equal(g.layout, "hxl-deliveries");
    assert_int_equal(g.n, 1);
    assert_int_equal(g.rec[0].kind, TRUCE_AID_DELIVERY);
    assert_string_equal(g.place[0], "Ariha");
    assert_int_equal(g.rec[0].trucks, 12);
    assert_int_equal(g.rec[0].day, truce_days_from_civil(2020, 3, 3));
    assert_int_equal(g.line[0], 3);
}

static void hashtags_alone(void **state)
{
    (void)state;
    got g;
    read_text("#date,#adm2+code,#affected+returnees+hh\n2020-03-03,SY0701,40\n", NULL, 0, &g);
    assert_int_equal(g.open_status, TRUCE_OK);
    assert_string_equal(g.layout, "hxl-returns");
    assert_int_equal(g.n, 1);
    assert_int_equal(g.rec[0].households, 40);
    assert_int_equal(g.rec[0].returnees, -1);
}

/* Tags and attributes case-insensitive, attributes in any order, spaces
 * between them, unknown tags and attributes ignored. */
static void any_order_and_case(void **state)
{
    (void)state;
    got g;
    read_text("#DATE,#Geo +LAT,#geo+Lon+x,#meta+comment,#Access +Category,#sector\n"
              "2020-03-04,35.8,36.6,hello,HOSTILITIES,health\n",
              NULL, 0, &g);
    assert_int_equal(g.open_status, TRUCE_OK);
    assert_string_equal(g.layout, "hxl-access");
    assert_int_equal(g.n, 1);
    assert_int_equal(g.rec[0].has_location, 1);
    assert_true(g.rec[0].lat == 35.8 && g.rec[0].lon == 36.6);
    assert_int_equal(g.rec[0].category, TRUCE_ACCESS_HOSTILITIES);
    read_text("#date,#loc+name,#affected+ind+returnees\n2020-03-04,X,3\n", NULL, 0, &g);
    assert_int_equal(g.rec[0].returnees, 3);
}

static void missing_tag_named(void **state)
{
    (void)state;
    got g;
    read_text("#loc+name,#item+quantity\nA,1\n", NULL, 0, &g);
    assert_int_equal(g.open_status, TRUCE_E_INVALID);
    assert_non_null(strstr(g.diag, "#date: the HXL hashtag row has no #date column"));
    read_text("#date,#loc+name\n2020-03-03,A\n", "hxl", TRUCE_AID_ACCESS, &g);
    assert_int_equal(g.open_status, TRUCE_E_INVALID);
    assert_non_null(strstr(g.diag, "#access+category"));
    read_text("#date,#loc+name\n2020-03-03,A\n", "hxl", 0, &g);
    assert_int_equal(g.open_status, TRUCE_E_INVALID);
    assert_non_null(strstr(g.diag, "no tags of deliveries"));
    read_text("Date,Place\n2020-03-03,A\n", "hxl", TRUCE_AID_DELIVERY, &g);
    assert_int_equal(g.open_status, TRUCE_E_INVALID);
    assert_non_null(strstr(g.diag, "no HXL hashtag row"));
}

static void rows_rejected_with_field(void **state)
{
    (void)state;
    got g;
    read_text("#date,#loc+name,#item+quantity,#item+trucks\n"
              "2020-03-03,A,1.5,\n"
              "03/03/2020,A,1,\n"
              "2020-03-03,A,,x\n"
              "2020-03-03,,,1\n",
              NULL, 0, &g);
    assert_int_equal(g.n, 4);
    assert_int_equal(g.rejected, 3);
    assert_true(g.rec[0].has_quantity && g.rec[0].quantity == 1.5);
    assert_string_equal(g.field[1], "#date");
    assert_string_equal(g.field[2], "#item+trucks");
    assert_string_equal(g.field[3], "#loc+name");
}

static void aid_jsonl(void **state)
{
    (void)state;
    got g;
    read_text("{\"record\":\"delivery\",\"date\":\"2020-03-05\",\"place\":\"A\",\"trucks\":3}\n"
              "{\"date\":\"2020-03-05\",\"place\":\"A\",\"trucks\":3}\n"
              "{\"record\":\"delivery\",\"date\":\"2020-03-05\",\"place\":7,\"trucks\":3}\n",
              NULL, 0, &g);
    assert_int_equal(g.open_status, TRUCE_OK);
    assert_string_equal(g.layout, "aid-jsonl");
    assert_int_equal(g.n, 3);
    assert_int_equal(g.rec[0].trucks, 3);
    assert_string_equal(g.field[1], "record");
    assert_string_equal(g.field[2], "place");
    /* With the kind given, "record" may be left out. */
    read_text("{\"date\":\"2020-03-05\",\"place\":\"A\",\"category\":5}\n", "aid-jsonl",
              TRUCE_AID_ACCESS, &g);
    assert_int_equal(g.rejected, 0);
    assert_int_equal(g.rec[0].category, TRUCE_ACCESS_VIOLENCE);
}

static void events_only_by_default(void **state)
{
    (void)state;
    const char *text = "#date,#loc+name,#item+trucks\n2020-03-03,Ariha,12\n";
    FILE *f = fmemopen((void *)(uintptr_t)text, strlen(text), "rb");
    truce_reader_options opt;
    truce_reader_options_init(&opt);
    truce_reader *r = NULL;
    assert_int_equal(truce_reader_open(f, "t", &opt, &r, NULL), TRUCE_E_UNSUPPORTED);
    rewind(f);
    opt.format = "hxl";
    assert_int_equal(truce_reader_open(f, "t", &opt, &r, NULL), TRUCE_E_UNSUPPORTED);
    fclose(f);
}

static void categories(void **state)
{
    (void)state;
    truce_access_category c;
    assert_int_equal(truce_access_category_parse("7", &c), 0);
    assert_int_equal(c, TRUCE_ACCESS_HOSTILITIES);
    assert_int_equal(truce_access_category_parse("Explosive-Hazards", &c), 0);
    assert_int_equal(c, TRUCE_ACCESS_EXPLOSIVE_HAZARDS);
    assert_int_equal(truce_access_category_parse("0", &c), -1);
    assert_int_equal(truce_access_category_parse("10", &c), -1);
    assert_string_equal(truce_access_category_name(TRUCE_ACCESS_ENTRY), "entry");
    truce_aid_kind k;
    assert_int_equal(truce_aid_kind_parse("Delivery", &k), 0);
    assert_int_equal(k, TRUCE_AID_DELIVERY);
    assert_int_equal(truce_aid_kind_parse("events", &k), -1);
}

static const char agreement_text[] =
    "{\"type\":\"FeatureCollection\",\"agreement\":{\"parties\":[\"A\"],"
    "\"timezone\":\"UTC\",\"ceasefire\":\"2020-03-01T00:00\"},\"features\":["
    "{\"type\":\"Feature\",\"id\":\"p\",\"properties\":{\"role\":\"need\",\"name\":\"P\","
    "\"radius_m\":1000,\"reach_every_days\":5},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[36,35]}},"
    "{\"type\":\"Feature\",\"id\":\"q\",\"properties\":{\"role\":\"need\",\"name\":\"Q\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[37,35],[37.1,35],[37.1,35.1],"
    "[37,35.1],[37,35]]]}}]}";

static truce_agreement *test_agreement(void)
{
    truce_diags diags;
    truce_diags_init(&diags);
    truce_agreement *a = NULL;
    assert_int_equal(
        truce_agreement_parse(agreement_text, sizeof agreement_text - 1, "a", &a, &diags),
        TRUCE_OK);
    truce_diags_release(&diags);
    return a;
}

static void add(truce_aid *aid, truce_aid_kind kind, int64_t day, const char *place, double lon,
                double lat, int64_t n)
{
    truce_aid_record r;
    truce_aid_record_init(&r);
    r.kind = kind;
    r.day = day;
    r.place = place;
    r.has_location = !place;
    r.lon = lon;
    r.lat = lat;
    if (kind == TRUCE_AID_DELIVERY)
        r.trucks = n;
    else
        r.returnees = n;
    assert_int_equal(truce_aid_add_record(aid, &r), TRUCE_OK);
}

/* Gaps count from the period's first day and to its last; a target is met
 * when the longest is at most it; a Polygon holds what falls in it. */
static void gaps_and_targets(void **state)
{
    (void)state;
    truce_agreement *a = test_agreement();
    assert_int_equal(a->nneeds, 2);
    truce_aid_options o;
    truce_aid_options_init(&o);
    o.has_from = o.has_to = 1;
    o.from_day = 100;
    o.to_day = 119; /* 20 days */
    truce_aid *aid;
    assert_int_equal(truce_aid_new(a, &o, &aid), TRUCE_OK);
    add(aid, TRUCE_AID_DELIVERY, 105, "p", 0, 0, 1);            /* by name, any case */
    add(aid, TRUCE_AID_DELIVERY, 110, NULL, 36.001, 35.001, 2); /* in the disk */
    add(aid, TRUCE_AID_DELIVERY, 115, NULL, 36.02, 35.0, 4);    /* 1.8 km off: no place */
    add(aid, TRUCE_AID_DELIVERY, 118, NULL, 37.05, 35.05, 1);   /* in Q's polygon */
    add(aid, TRUCE_AID_DELIVERY, 120, "P", 0, 0, 1);            /* after the period */
    assert_int_equal(truce_aid_finish(aid), TRUCE_OK);
    const truce_aid_result *r = truce_aid_result_get(aid);
    assert_int_equal(r->places[0].deliveries, 2);
    assert_int_equal(r->places[0].trucks, 3);
    assert_int_equal(r->places[0].longest_gap_days, 9); /* 110 -> 119 */
    assert_int_equal(r->places[0].days_since_last, 9);
    assert_int_equal(r->places[0].target, 0);
    assert_int_equal(r->places[1].deliveries, 1);
    assert_int_equal(r->places[1].longest_gap_days, 18); /* 100 -> 118 */
    assert_int_equal(r->places[1].target, -1);
    assert_int_equal(r->unplaced_deliveries, 1);
    assert_int_equal(r->outside_period, 1);
    assert_int_equal(r->unreached, 0);
    truce_aid_free(aid);
    truce_agreement_free(a);
}

/* The disk of a Point need is geodesic: points just inside its edge
 * (north, east) belong to it, points just outside do not, whatever shortcut
 * the accumulator takes for points far away. */
static void disk_edges(void **state)
{
    (void)state;
    truce_agreement *a = test_agreement();
    truce_aid *aid;
    assert_int_equal(truce_aid_new(a, NULL, &aid), TRUCE_OK);
    /* Around 1000 m north and east of (36, 35). */
    add(aid, TRUCE_AID_DELIVERY, 100, NULL, 36.0, 35.0 + 0.00900, 1); /* 998.5 m (geod_inverse) */
    add(aid, TRUCE_AID_DELIVERY, 100, NULL, 36.0, 35.0 + 0.00903, 1); /* 1001.8 m */
    add(aid, TRUCE_AID_DELIVERY, 100, NULL, 36.0 + 0.01095, 35.0, 1); /* 999.6 m */
    add(aid, TRUCE_AID_DELIVERY, 100, NULL, 36.0 - 0.01098, 35.0, 1); /* 1002.3 m */
    assert_int_equal(truce_aid_finish(aid), TRUCE_OK);
    const truce_aid_result *r = truce_aid_result_get(aid);
    assert_int_equal(r->places[0].deliveries, 2);
    assert_int_equal(r->unplaced_deliveries, 2);
    truce_aid_free(aid);
    truce_agreement_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hashtags_under_a_header),  cmocka_unit_test(hashtags_alone),
        cmocka_unit_test(any_order_and_case),       cmocka_unit_test(missing_tag_named),
        cmocka_unit_test(rows_rejected_with_field), cmocka_unit_test(aid_jsonl),
        cmocka_unit_test(events_only_by_default),   cmocka_unit_test(categories),
        cmocka_unit_test(gaps_and_targets),         cmocka_unit_test(disk_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
