/* The filter of stored events (truce/event_filter.h): its parameters read
 * and refused, local dates in the agreement's zone, the canonical query
 * read back; the SQLite store's listing under each criterion, status after
 * reviews, and the migration step that fills the filter's tables from
 * verdicts stored before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store_impl.h"
#include "store_fixture.h"
#include "truce/dedup.h"
#include "truce/event.h"
#include "truce/event_filter.h"
#include "truce/store.h"
#include "truce/tz.h"

static truce_status set(truce_event_filter *f, const char *name, const char *value)
{
    char why[200];
    return truce_event_filter_set(f, name, value, NULL, why, sizeof why);
}

static void test_parse(void **state)
{
    (void)state;
    truce_event_filter f;
    truce_event_filter_init(&f);
    assert_int_equal(set(&f, "limit", "3"), TRUCE_E_NOT_FOUND);
    assert_int_equal(set(&f, "violation", "yes,possible"), TRUCE_OK);
    assert_int_equal(set(&f, "violation", "no"), TRUCE_OK);
    assert_int_equal(f.violations, 7u);
    assert_int_equal(set(&f, "violation", "maybe"), TRUCE_E_INVALID);
    /* The verdicts as records name them read as the same bits. */
    truce_event_filter g;
    truce_event_filter_init(&g);
    assert_int_equal(set(&g, "violation", "violation,none"), TRUCE_OK);
    assert_int_equal(g.violations, 5u);
    assert_int_equal(set(&f, "violation", "yes,"), TRUCE_E_INVALID);
    assert_int_equal(set(&f, "status", "jointly_verified"), TRUCE_OK);
    assert_int_equal(f.statuses, TRUCE_FILTER_BIT(TRUCE_STATUS_JOINTLY_VERIFIED));
    assert_int_equal(set(&f, "status", "accepted"), TRUCE_E_INVALID);
    assert_int_equal(set(&f, "rule", ""), TRUCE_E_INVALID);
    assert_int_equal(set(&f, "rule", "r1"), TRUCE_OK);
    assert_int_equal(set(&f, "rule", "r2"), TRUCE_E_INVALID); /* given twice */
    char longer[TRUCE_FILTER_TEXT_MAX + 2];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(set(&f, "zone", longer), TRUCE_E_INVALID);
    assert_int_equal(set(&f, "bbox", "1,2,3"), TRUCE_E_INVALID);
    assert_int_equal(set(&f, "bbox", "1,2,3,4,5"), TRUCE_E_INVALID);
    assert_int_equal(set(&f, "bbox", "1,2,3,x"), TRUCE_E_INVALID);
    assert_int_equal(set(&f, "bbox", "1,50,3,40"), TRUCE_E_INVALID); /* minlat > maxlat */
    assert_int_equal(set(&f, "bbox", "170,-10,-170,10"), TRUCE_OK);  /* antimeridian */
    assert_int_equal(set(&f, "km_min", "-1"), TRUCE_E_INVALID);
    assert_int_equal(set(&f, "km_max", "12.5"), TRUCE_OK);
    const char *param = NULL;
    char why[200];
    assert_int_equal(truce_event_filter_check(&f, &param, why, sizeof why), TRUCE_E_INVALID);
    assert_string_equal(param, "corridor");
    assert_int_equal(set(&f, "corridor", "m4"), TRUCE_OK);
    assert_int_equal(truce_event_filter_check(&f, &param, why, sizeof why), TRUCE_OK);
    assert_int_equal(set(&f, "km_min", "20"), TRUCE_OK);
    assert_int_equal(truce_event_filter_check(&f, &param, why, sizeof why), TRUCE_E_INVALID);
    assert_string_equal(param, "km_min");
    assert_int_equal(set(&f, "from", "yesterday"), TRUCE_E_INVALID);
    assert_int_equal(set(&f, "from", "2020-02-30"), TRUCE_E_INVALID);
}

/* Dates are local days of the zone given, `to` inclusive; instants are
 * read as written. */
static void test_dates(void **state)
{
    (void)state;
    truce_tz *tz;
    assert_int_equal(truce_tz_open("Asia/Damascus", &tz), TRUCE_OK);
    truce_event_filter f;
    truce_event_filter_init(&f);
    char why[200];
    assert_int_equal(truce_event_filter_set(&f, "from", "2020-03-06", tz, why, sizeof why),
                     TRUCE_OK);
    assert_int_equal(truce_event_filter_set(&f, "to", "2020-03-06", tz, why, sizeof why), TRUCE_OK);
    assert_int_equal(f.from_s, 1583445600); /* 2020-03-05T22:00:00Z */
    assert_int_equal(f.to_s, 1583532000);   /* 2020-03-06T22:00:00Z, exclusive */
    assert_int_equal(truce_event_filter_set(&f, "to", "2020-03-06", tz, why, sizeof why),
                     TRUCE_E_INVALID);
    truce_event_filter_init(&f);
    assert_int_equal(truce_event_filter_set(&f, "to", "2020-03-06T10:00:00Z", tz, why, sizeof why),
                     TRUCE_OK);
    assert_int_equal(f.to_s, 1583488800 + 1); /* the instant itself included */
    assert_int_equal(truce_event_filter_set(&f, "from", "2020-03-06T12:30", tz, why, sizeof why),
                     TRUCE_OK);
    assert_int_equal(f.from_s, 1583490600); /* 12:30 local is 10:30Z, after `to` */
    const char *param;
    assert_int_equal(truce_event_filter_check(&f, &param, why, sizeof why), TRUCE_E_INVALID);
    assert_string_equal(param, "from");
    truce_tz_free(tz);
}

/* OGC API Features' datetime: an instant, an interval, open ends; it sets
 * from and to, and refuses them beside it. */
static void test_datetime(void **state)
{
    (void)state;
    truce_event_filter f;
    truce_event_filter_init(&f);
    assert_int_equal(set(&f, "datetime", "2020-03-06T10:00:00Z"), TRUCE_OK);
    assert_true(f.has_from && f.has_to);
    assert_int_equal(f.from_s, 1583488800);
    assert_int_equal(f.to_s, 1583488800 + 1); /* the instant itself */
    assert_int_equal(set(&f, "datetime", "2020-03-06T10:00:00Z"), TRUCE_E_INVALID);
    truce_event_filter_init(&f);
    assert_int_equal(set(&f, "datetime", "2020-03-06T00:00:00Z/2020-03-07"), TRUCE_OK);
    assert_int_equal(f.from_s, 1583452800);
    assert_int_equal(f.to_s, 1583625600); /* a date's end (UTC here) */
    truce_event_filter_init(&f);
    assert_int_equal(set(&f, "datetime", "../2020-03-06T10:00:00Z"), TRUCE_OK);
    assert_true(!f.has_from && f.has_to);
    truce_event_filter_init(&f);
    assert_int_equal(set(&f, "datetime", "2020-03-06T10:00:00Z/"), TRUCE_OK);
    assert_true(f.has_from && !f.has_to);
    truce_event_filter_init(&f);
    assert_int_equal(set(&f, "datetime", "../.."), TRUCE_OK);
    assert_true(!f.has_from && !f.has_to);
    assert_int_equal(set(&f, "datetime", "2020-03-07/2020-03-06"), TRUCE_E_INVALID);
    truce_event_filter_init(&f);
    assert_int_equal(set(&f, "datetime", "2020-03-06/2020-03-07/2020-03-08"), TRUCE_E_INVALID);
    assert_int_equal(set(&f, "datetime", "soon"), TRUCE_E_INVALID);
    assert_int_equal(set(&f, "datetime", "soon/.."), TRUCE_E_INVALID);
    truce_event_filter_init(&f);
    assert_int_equal(set(&f, "from", "2020-03-06"), TRUCE_OK);
    assert_int_equal(set(&f, "datetime", "2020-03-06/.."), TRUCE_E_INVALID);
    /* Six numbers: the heights are dropped. */
    truce_event_filter_init(&f);
    assert_int_equal(set(&f, "bbox", "36,35,-100,37,36,100"), TRUCE_OK);
    assert_true(f.min_lon == 36 && f.min_lat == 35 && f.max_lon == 37 && f.max_lat == 36);
    truce_event_filter_init(&f);
    assert_int_equal(set(&f, "bbox", "1,2,3,4,5,6,7"), TRUCE_E_INVALID);
}

/* Read a query ("a=b&c=d", percent-encoded) into a filter. */
static void read_query(const char *q, truce_event_filter *f)
{
    truce_event_filter_init(f);
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", q);
    for (char *save = NULL, *p = strtok_r(buf, "&", &save); p; p = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(p, '=');
        assert_non_null(eq);
        *eq = '\0';
        char value[512];
        size_t n = 0;
        for (const char *v = eq + 1; *v; v++) {
            unsigned hex;
            if (*v == '%' && sscanf(v + 1, "%2x", &hex) == 1) {
                value[n++] = (char)hex;
                v += 2;
            } else {
                value[n++] = *v;
            }
        }
        value[n] = '\0';
        assert_int_equal(set(f, p, value), TRUCE_OK);
    }
}

static void test_query(void **state)
{
    (void)state;
    truce_event_filter f, g;
    truce_event_filter_init(&f);
    truce_text q = {0}, r = {0};
    assert_int_equal(truce_event_filter_query(&f, &q), TRUCE_OK);
    assert_int_equal(q.len, 0);
    assert_int_equal(set(&f, "violation", "no,yes"), TRUCE_OK);
    assert_int_equal(set(&f, "from", "2020-03-06"), TRUCE_OK);
    assert_int_equal(set(&f, "to", "2020-03-10T12:00:00+02:00"), TRUCE_OK);
    assert_int_equal(set(&f, "party", "Syrian government forces & allies=x"), TRUCE_OK);
    assert_int_equal(set(&f, "source", "100% sure"), TRUCE_OK);
    assert_int_equal(set(&f, "corridor", "m4"), TRUCE_OK);
    assert_int_equal(set(&f, "km_min", "3.25"), TRUCE_OK);
    assert_int_equal(set(&f, "bbox", "36.1,35.5,36.9,36"), TRUCE_OK);
    assert_int_equal(truce_event_filter_query(&f, &q), TRUCE_OK);
    assert_string_equal(q.p, "from=2020-03-06T00:00:00Z&to=2020-03-10T10:00:00Z&violation=yes,no"
                             "&corridor=m4&party=Syrian%20government%20forces%20%26%20allies%3Dx"
                             "&source=100%25%20sure&km_min=3.25&bbox=36.1,35.5,36.9,36");
    read_query(q.p, &g);
    assert_int_equal(truce_event_filter_query(&g, &r), TRUCE_OK);
    assert_string_equal(q.p, r.p);
    assert_int_equal(g.from_s, f.from_s);
    assert_int_equal(g.to_s, f.to_s);
    assert_true(g.min_lon == f.min_lon && g.max_lon == f.max_lon);
    assert_string_equal(g.party, f.party);
    truce_text_release(&q);
    truce_text_release(&r);
}

/* ---- the store ---- */

/* Records as classify writes them, with only what the filter reads. */
static const char *const RECORDS[] = {
    "{\"id\":\"a\",\"start\":\"2020-03-01T10:00:00Z\",\"end\":\"2020-03-02T10:00:00Z\","
    "\"radius_m\":0,\"violation\":\"none\",\"actor1\":"
    "\"Army\",\"actor2\":null,\"sources\":\"wire A\",\"lon\":36.5,\"lat\":35.8,\"rules\":[],"
    "\"zones\":{\"z\":\"inside\"},\"corridors\":{\"m4\":{\"chainage_m\":5000,\"position\":"
    "\"outside\"}}}",
    "{\"id\":\"b\",\"start\":\"2020-03-06T10:00:00Z\",\"end\":\"2020-03-07T10:00:00Z\","
    "\"radius_m\":5000,\"violation\":\"violation\",\"actor1\":"
    "\"Rebels\",\"actor2\":\"Army\",\"sources\":\"wire B\",\"lon\":36.6,\"lat\":35.9,\"rules\":"
    "[{\"rule\":\"r1\",\"verdict\":\"violation\"},{\"rule\":\"r2\",\"verdict\":\"possible\"}],"
    "\"zones\":{\"z\":\"inside\"},\"corridors\":{\"m4\":{\"chainage_m\":12000,\"position\":"
    "\"inside\"}}}",
    "{\"id\":\"c\",\"start\":\"2020-03-07T10:00:00Z\",\"violation\":\"possible\",\"actor1\":"
    "\"Rebels\",\"actor2\":null,\"sources\":null,\"lon\":null,\"lat\":null,\"rules\":"
    "[{\"rule\":\"r2\",\"verdict\":\"possible\"}],\"zones\":{\"z\":\"uncertain\"},"
    "\"corridors\":{\"m4\":{\"chainage_m\":null,\"position\":\"uncertain\"}}}",
    "{\"id\":\"d\",\"start\":\"2020-03-08T10:00:00Z\",\"violation\":\"violation\",\"actor1\":"
    "\"Army\",\"actor2\":null,\"sources\":\"wire A; wire B\",\"lon\":179.5,\"lat\":1,\"rules\":"
    "[{\"rule\":\"r1\",\"verdict\":\"violation\"}],\"zones\":{\"z\":\"outside\"},"
    "\"corridors\":{\"m4\":{\"chainage_m\":30000,\"position\":\"inside\"}}}",
};
#define NRECORDS 4

static void put(truce_store *s, const char *record)
{
    char id[2] = {record[7], '\0'};
    char event[32];
    snprintf(event, sizeof event, "{\"id\":\"%s\"}", id);
    truce_store_report r = {.id = id, .event_json = event, .record = record, .token_id = 1};
    truce_store_put_result res;
    truce_text a = {0};
    assert_int_equal(truce_store_report_put(s, &r, &res, &a), TRUCE_OK);
    assert_int_equal(res.outcome, TRUCE_STORE_CREATED);
    truce_text_release(&a);
}

typedef struct ids {
    char text[64];
} ids;

static truce_status on_event(void *ctx, const char *json, size_t len)
{
    (void)len;
    ids *got = ctx;
    const char *id = strstr(json, "\"id\":\"");
    size_t n = strlen(got->text);
    got->text[n] = id[6];
    got->text[n + 1] = '\0';
    return TRUCE_OK;
}

/* The ids (one letter each) listed under the filter `query`, in pages of
 * 1, and scanned. */
static void expect(truce_store *s, const char *query, const char *want)
{
    truce_event_filter ef;
    read_query(query, &ef);
    truce_store_filter sf = {.events = &ef};
    ids got = {""};
    int64_t after = 0, next;
    int pages = 0;
    do {
        assert_int_equal(truce_store_events_list(s, &sf, after, 1, on_event, &got, &next),
                         TRUCE_OK);
        after = next;
        assert_true(++pages <= NRECORDS + 1);
    } while (next);
    if (strcmp(got.text, want))
        fail_msg("%s: listed \"%s\", expected \"%s\"", query, got.text, want);
    ids scanned = {""};
    assert_int_equal(truce_store_events_scan(s, &sf, on_event, &scanned), TRUCE_OK);
    assert_string_equal(scanned.text, want);
}

static void expect_all(truce_store *s)
{
    expect(s, "", "abcd");
    expect(s, "violation=yes", "bd");
    expect(s, "violation=possible,no", "ac");
    expect(s, "rule=r2", "bc"); /* any of the rules, not the first only */
    expect(s, "rule=r9", "");
    expect(s, "zone=z", "ab"); /* inside only */
    expect(s, "corridor=m4", "bd");
    expect(s, "corridor=m4&km_min=10&km_max=12", "b");
    expect(s, "corridor=m4&km_min=12.001", "d");
    expect(s, "party=Army", "abd"); /* actor1 or actor2 */
    expect(s, "party=Arm", "");
    expect(s, "source=wire%20B", "bd");
    expect(s, "bbox=36,35,37,36", "ab");
    expect(s, "bbox=179,0,-179,2", "d"); /* across the antimeridian */
    expect(s, "from=2020-03-06T10:00:00Z", "bcd");
    expect(s, "to=2020-03-06T10:00:00Z", "ab"); /* inclusive */
    expect(s, "to=2020-03-06", "ab");           /* a UTC day here: through its end */
    expect(s, "from=2020-03-06&to=2020-03-07&violation=yes&rule=r1&zone=z&party=Rebels", "b");
}

/* A new store `name` with `tokens` admin tokens (numbers 1, 2...). */
static truce_store *store_with_tokens(const char *name, int tokens)
{
    char path[FIXTURE_WHERE];
    fixture_store(path, name);
    truce_store *s;
    assert_int_equal(truce_store_open(path, &s, NULL, 0), TRUCE_OK);
    char t[TRUCE_TOKEN_SIZE];
    for (int k = 0; k < tokens; k++)
        assert_int_equal(truce_store_token_add(s, TRUCE_ROLE_ADMIN, NULL, NULL, t, NULL), TRUCE_OK);
    return s;
}

static void test_store_filter(void **state)
{
    (void)state;
    truce_store *s = store_with_tokens("filter", 1);
    for (int i = 0; i < NRECORDS; i++)
        put(s, RECORDS[i]);
    expect_all(s);
    expect(s, "status=submitted", "abcd");
    expect(s, "status=rejected", "");
    /* A review changes the status the filter sees. */
    truce_token_info admin = {.id = 1, .role = TRUCE_ROLE_ADMIN};
    truce_review_request rq = {TRUCE_REVIEW_REJECT, NULL, "duplicate", NULL};
    truce_review_decision d;
    truce_text a = {0};
    const char *const parties[] = {"Russia", "Turkey"};
    assert_int_equal(truce_store_review(s, "c", &admin, &rq, NULL, parties, 2, &d, &a), TRUCE_OK);
    assert_int_equal(d.outcome, TRUCE_REVIEW_OK);
    truce_text_release(&a);
    expect(s, "status=rejected", "c");
    expect(s, "status=submitted,confirmed", "abd");
    truce_store_free(s);
}

/* Events stored before the filter's step are found once it has run: its
 * tables are filled from their current verdicts and statuses. */
static void test_migration(void **state)
{
    (void)state;
    char path[FIXTURE_WHERE], why[256];
    fixture_store(path, "migration");
    if (fixture_is_pg(path, "migrating a SQLite store to the filter's tables"))
        return;
    /* The version before the step that adds the filter's tables (found,
     * not assumed: steps of other features may come before or after it). */
    int before = 0;
    for (int v = 1; v <= truce_store_schema_version() && !before; v++) {
        char probe[128];
        snprintf(probe, sizeof probe, "%s/probe-%d.db", fixture_scratch, v);
        assert_int_equal(trc_store_sqlite_create(probe, v, why, sizeof why), TRUCE_OK);
        sqlite3 *db;
        sqlite3_stmt *q;
        assert_int_equal(sqlite3_open(probe, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT count(*) FROM sqlite_schema"
                                            " WHERE name = 'event_facets'",
                                            -1, &q, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        if (sqlite3_column_int(q, 0))
            before = v - 1;
        sqlite3_finalize(q);
        sqlite3_close(db);
    }
    assert_true(before >= 2); /* after the events' step */
    assert_int_equal(trc_store_sqlite_create(path, before, why, sizeof why), TRUCE_OK);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO tokens (sha256, role, created_at) VALUES"
                                  " (x'00', 'admin', '2026-01-01T00:00:00Z')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    for (int i = 0; i < NRECORDS; i++) {
        sqlite3_stmt *q;
        assert_int_equal(
            sqlite3_prepare_v2(db,
                               "INSERT INTO events (id, event, event_sha256,"
                               " received_at, token_id) VALUES (?1, json_object('id', ?1), x'00',"
                               " '2026-01-01T00:00:00Z', 1)",
                               -1, &q, NULL),
            SQLITE_OK);
        char id[2] = {RECORDS[i][7], '\0'};
        sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(q), SQLITE_DONE);
        sqlite3_finalize(q);
        /* An older verdict first: the current one is what counts. */
        for (int k = 0; k < 2; k++) {
            assert_int_equal(sqlite3_prepare_v2(db,
                                                "INSERT INTO verdicts (event_seq, record,"
                                                " judged_at) VALUES (?, ?, '2026-01-01')",
                                                -1, &q, NULL),
                             SQLITE_OK);
            sqlite3_bind_int(q, 1, i + 1);
            sqlite3_bind_text(q, 2, k ? RECORDS[i] : RECORDS[(i + 1) % NRECORDS], -1,
                              SQLITE_TRANSIENT);
            assert_int_equal(sqlite3_step(q), SQLITE_DONE);
            sqlite3_finalize(q);
        }
    }
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO reviews (event_seq, at, token_id, role, action,"
                                  " from_status, to_status) VALUES (2, '2026-01-02', 1, 'admin',"
                                  " 'reject', 'submitted', 'rejected')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    truce_store *s;
    assert_int_equal(truce_store_open(path, &s, why, sizeof why), TRUCE_OK);
    expect_all(s);
    expect(s, "status=rejected", "b");
    /* step 10: the end and radius of each event's current verdict; a
     * report 4 km from b (radius 5 km), on its day, finds it alone */
    truce_store_near near = {1583503200, 1583506800, 0, 36.6, 35.9 + 4000 / 111195.0, 0, 0};
    truce_store_filter nf = {.near = &near};
    ids got = {""};
    assert_int_equal(truce_store_events_scan(s, &nf, on_event, &got), TRUCE_OK);
    assert_string_equal(got.text, "b");
    near.lat = 35.9 + 6100 / 111195.0; /* farther than 5 km and the 1 km slack */
    near.slack_m = 1000;
    got.text[0] = '\0';
    assert_int_equal(truce_store_events_scan(s, &nf, on_event, &got), TRUCE_OK);
    assert_string_equal(got.text, "");
    truce_store_free(s);
}

/* Listing in windows of positions (store_sqlite.c, sq_events_list) gives
 * what one query over all would: many events, criteria met rarely or
 * often, pages of every size up to past the windows' budget; the count and
 * the extent agree with the listing. */
#define NMANY 700

static void put_many(truce_store *s)
{
    for (int i = 0; i < NMANY; i++) {
        char id[16], event[48], record[512];
        snprintf(id, sizeof id, "e%03d", i);
        snprintf(event, sizeof event, "{\"id\":\"%s\"}", id);
        snprintf(record, sizeof record,
                 "{\"id\":\"%s\",\"start\":\"2020-03-%02dT10:00:00Z\",\"violation\":\"%s\","
                 "\"actor1\":\"Army\",\"actor2\":null,\"sources\":null,\"lon\":%.2f,"
                 "\"lat\":35.5,\"rules\":[],\"zones\":{\"z\":\"%s\"},\"corridors\":{}}",
                 id, 1 + i % 28, i % 97 == 3 ? "violation" : "none", 36 + (i % 100) / 100.0,
                 i % 3 ? "inside" : "outside");
        truce_store_report r = {
            .id = id, .event_json = event, .record = record, .token_id = i % 50 == 7 ? 2 : 1};
        truce_store_put_result res;
        truce_text a = {0};
        assert_int_equal(truce_store_report_put(s, &r, &res, &a), TRUCE_OK);
        truce_text_release(&a);
    }
}

typedef struct many {
    int seen[NMANY];
    int n, last;
} many;

static truce_status on_many(void *ctx, const char *json, size_t len)
{
    (void)len;
    many *m = ctx;
    int i = atoi(strstr(json, "\"id\":\"e") + 7);
    assert_true(i > m->last); /* in order, never twice */
    m->last = i;
    m->seen[i]++;
    m->n++;
    return TRUCE_OK;
}

/* List under `query` (and token 2's own with mine) in pages of `limit`;
 * the events must be those `want` says, each once. */
static void expect_many(truce_store *s, const char *query, int mine, size_t limit, int (*want)(int))
{
    truce_event_filter ef;
    read_query(query, &ef);
    truce_store_filter sf = {.submitted_by = mine ? 2 : 0, .events = &ef};
    many m;
    memset(&m, 0, sizeof m);
    m.last = -1;
    int64_t after = 0, next;
    do {
        int before = m.n;
        assert_int_equal(truce_store_events_list(s, &sf, after, limit, on_many, &m, &next),
                         TRUCE_OK);
        assert_true(m.n - before == (int)limit || !next);
        after = next;
    } while (next);
    int count = 0;
    for (int i = 0; i < NMANY; i++) {
        int w = want(i) && (!mine || i % 50 == 7);
        if (m.seen[i] != w)
            fail_msg("%s, pages of %zu: e%03d listed %d times, expected %d", query, limit, i,
                     m.seen[i], w);
        count += w;
    }
    int64_t counted;
    assert_int_equal(truce_store_events_count(s, &sf, &counted), TRUCE_OK);
    assert_int_equal(counted, count);
}

static int rare(int i)
{
    return i % 97 == 3;
}

static int often(int i)
{
    return i % 3 != 0;
}

static int west(int i)
{
    return i % 100 <= 50 && i % 3 != 0;
}

static int every(int i)
{
    (void)i;
    return 1;
}

static void test_windows(void **state)
{
    (void)state;
    truce_store *s = store_with_tokens("windows", 2);
    put_many(s);
    static const size_t limits[] = {1, 2, 5, 1000};
    for (size_t k = 0; k < sizeof limits / sizeof limits[0]; k++) {
        expect_many(s, "violation=yes", 0, limits[k], rare);
        expect_many(s, "zone=z", 0, limits[k], often);
        expect_many(s, "zone=z&bbox=35.9,35,36.5,36", 0, limits[k], west);
        expect_many(s, "", 0, limits[k], every);
        expect_many(s, "", 1, limits[k], every);
        expect_many(s, "zone=z", 1, limits[k], often);
    }
    truce_store_extent x;
    assert_int_equal(truce_store_events_extent(s, 0, &x), TRUCE_OK);
    assert_true(x.located && x.timed);
    assert_true(x.min_lon == 36 && x.max_lon == 36.99 && x.min_lat == 35.5 && x.max_lat == 35.5);
    assert_int_equal(x.first_start_s, 1583056800); /* 2020-03-01T10:00:00Z */
    assert_int_equal(x.last_start_s, 1583056800 + 27 * 86400);
    assert_int_equal(truce_store_events_extent(s, 2, &x), TRUCE_OK);
    assert_true(x.located && x.min_lon == 36.07 && x.max_lon == 36.57);
    assert_int_equal(truce_store_events_extent(s, 3, &x), TRUCE_OK);
    assert_true(!x.located && !x.timed);
    truce_store_free(s);
}

/* The likely duplicates' filter (truce_store_near) drops no event the
 * pair rule would take, at any latitude, across the antimeridian, with
 * radii from none to continental, and keeps few it refuses: random
 * events in clusters (every one placed and timed at random around its
 * cluster's centre), each a report against all the others, judged by
 * truce_dedup_pair (the oracle) and by the store's query. */
#define NNEAR 400

typedef struct near_event {
    truce_event e;
    char id[16];
} near_event;

static double uniform(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (double)((*seed >> 8) & 0xffffff) / 16777216.0;
}

static truce_status on_near(void *ctx, const char *json, size_t len)
{
    (void)len;
    int *seen = ctx;
    seen[atoi(strstr(json, "\"id\":\"n") + 7)]++;
    return TRUCE_OK;
}

static void test_near(void **state)
{
    (void)state;
    static const double centres[][2] = {{36.5, 35.8}, {179.9, -16}, {-179.95, 64},
                                        {10, 84.5},   {-60, -89.5}, {0, 0}};
    static near_event ev[NNEAR];
    truce_store *s = store_with_tokens("near", 1);
    unsigned seed = 20200305;
    for (int i = 0; i < NNEAR; i++) {
        truce_event *e = &ev[i].e;
        truce_event_init(e);
        snprintf(ev[i].id, sizeof ev[i].id, "n%03d", i);
        e->id = ev[i].id;
        e->event_type = "Battles";
        const double *c = centres[i % 6];
        e->lon = c[0] + (uniform(&seed) - 0.5) * 1.2;
        e->lon -= e->lon > 180 ? 360 : e->lon < -180 ? -360 : 0;
        e->lat = fmax(-90, fmin(90, c[1] + (uniform(&seed) - 0.5) * 0.6));
        double r = uniform(&seed);
        e->radius_m = r < 0.3 ? 0 : r < 0.8 ? uniform(&seed) * 25e3 : r < 0.97 ? 50e3 : 2e6;
        e->has_location = 1;
        e->start_s = 1583452800 + (int64_t)(uniform(&seed) * 6) * 86400;
        e->end_s = e->start_s + (uniform(&seed) < 0.8 ? 86400 : 7 * 86400);
        char start[32], end[32], event[48], record[400];
        time_t a = (time_t)e->start_s, b = (time_t)e->end_s;
        struct tm tm;
        strftime(start, sizeof start, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&a, &tm));
        strftime(end, sizeof end, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&b, &tm));
        snprintf(event, sizeof event, "{\"id\":\"%s\"}", e->id);
        snprintf(record, sizeof record,
                 "{\"id\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"lon\":%.17g,\"lat\":%.17g,"
                 "\"radius_m\":%.17g,\"violation\":\"none\",\"rules\":[],\"zones\":{},"
                 "\"corridors\":{}}",
                 e->id, start, end, e->lon, e->lat, e->radius_m);
        truce_store_report rp = {.id = e->id, .event_json = event, .record = record, .token_id = 1};
        truce_store_put_result res;
        truce_text ans = {0};
        assert_int_equal(truce_store_report_put(s, &rp, &res, &ans), TRUCE_OK);
        truce_text_release(&ans);
    }
    truce_dedup_options o;
    truce_dedup_options_init(&o);
    o.same_source = 1; /* as the server asks: one door, many reports */
    int taken = 0, listed = 0;
    for (int i = 0; i < NNEAR; i++) {
        const truce_event *rep = &ev[i].e;
        truce_store_near near = {rep->start_s, rep->end_s,    o.time_slack_s, rep->lon,
                                 rep->lat,     rep->radius_m, o.place_slack_m};
        truce_store_filter sf = {.near = &near};
        int seen[NNEAR] = {0};
        assert_int_equal(truce_store_events_scan(s, &sf, on_near, seen), TRUCE_OK);
        for (int j = 0; j < NNEAR; j++) {
            double score;
            char why[160];
            assert_int_equal(truce_dedup_pair(&o, rep, &ev[j].e, &score, why, sizeof why),
                             TRUCE_OK);
            if (score >= 0 && !seen[j])
                fail_msg("n%03d (%.5f, %.5f, %.0f m): n%03d (%.5f, %.5f, %.0f m) dropped,"
                         " which the rule takes (%s)",
                         i, rep->lon, rep->lat, rep->radius_m, j, ev[j].e.lon, ev[j].e.lat,
                         ev[j].e.radius_m, why);
            taken += score >= 0;
            listed += seen[j];
        }
    }
    /* what it lets through beside: the bounds' slack, not the whole box */
    print_message("near: %d pairs taken by the rule, %d listed\n", taken, listed);
    assert_true(taken > NNEAR && listed < 2 * taken);
    truce_store_free(s);
}

/* A scan leaves the store to the others: while one reads the events (its
 * callback still running), another thread stores a report and checks a
 * token (a scan held the writer's connection, and every report waited on
 * the likely duplicates of the others). */
typedef struct apart {
    truce_store *s;
    char token[TRUCE_TOKEN_SIZE];
    int started, done; /* done: written by the thread, read with atomics */
    pthread_t thread;
} apart;

static void *store_meanwhile(void *p)
{
    apart *a = p;
    truce_store_report r = {.id = "z",
                            .event_json = "{\"id\":\"z\"}",
                            .record = "{\"id\":\"z\",\"start\":\"2020-03-09T10:00:00Z\"}",
                            .token_id = 1};
    truce_store_put_result res;
    truce_text answer = {0};
    truce_token_info who;
    if (truce_store_report_put(a->s, &r, &res, &answer) == TRUCE_OK &&
        truce_store_token_verify(a->s, a->token, &who) == TRUCE_OK)
        __atomic_store_n(&a->done, 1, __ATOMIC_SEQ_CST);
    truce_text_release(&answer);
    return NULL;
}

static truce_status scan_while_storing(void *ctx, const char *json, size_t len)
{
    (void)json;
    (void)len;
    apart *a = ctx;
    if (a->started++)
        return TRUCE_OK;
    assert_int_equal(pthread_create(&a->thread, NULL, store_meanwhile, a), 0);
    for (int i = 0; i < 1000 && !__atomic_load_n(&a->done, __ATOMIC_SEQ_CST); i++) {
        struct timespec t = {0, 10 * 1000 * 1000};
        nanosleep(&t, NULL);
    }
    return TRUCE_OK;
}

static void test_scan_apart(void **state)
{
    (void)state;
    truce_store *s = store_with_tokens("apart", 0);
    apart a = {.s = s};
    assert_int_equal(truce_store_token_add(s, TRUCE_ROLE_ADMIN, NULL, NULL, a.token, NULL),
                     TRUCE_OK);
    for (int i = 0; i < NRECORDS; i++)
        put(s, RECORDS[i]);
    truce_store_filter all = {0};
    assert_int_equal(truce_store_events_scan(s, &all, scan_while_storing, &a), TRUCE_OK);
    int during = __atomic_load_n(&a.done, __ATOMIC_SEQ_CST);
    assert_int_equal(pthread_join(a.thread, NULL), 0);
    assert_int_equal(a.started, NRECORDS); /* the scan's snapshot: not z */
    assert_true(during);
    truce_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),      cmocka_unit_test(test_dates),
        cmocka_unit_test(test_query),      cmocka_unit_test(test_store_filter),
        cmocka_unit_test(test_migration),  cmocka_unit_test(test_datetime),
        cmocka_unit_test(test_windows),    cmocka_unit_test(test_near),
        cmocka_unit_test(test_scan_apart),
    };
    return cmocka_run_group_tests(tests, fixture_begin, fixture_end);
}
