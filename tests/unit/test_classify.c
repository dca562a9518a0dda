/* Verdicts: phase at the ceasefire instant, corridor and zone positions with
 * uncertainty, and rules giving violation / possible / none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <geodesic.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "truce/classify.h"

#define IDLIB TRUCE_SOURCE_DIR "/data/idlib-2020/agreement.geojson"

/* 2020-03-05T22:00:00Z, the Idlib ceasefire. */
#define CEASEFIRE 1583445600

static truce_agreement *load(const char *path)
{
    truce_diags d;
    truce_diags_init(&d);
    truce_agreement *a = NULL;
    assert_int_equal(truce_agreement_load(path, &a, &d), TRUCE_OK);
    truce_diags_release(&d);
    return a;
}

/* The agreement in the JSON text `doc`. */
static truce_agreement *parse(const char *doc)
{
    truce_diags d;
    truce_diags_init(&d);
    truce_agreement *a = NULL;
    assert_int_equal(truce_agreement_parse(doc, strlen(doc), "inline", &a, &d), TRUCE_OK);
    truce_diags_release(&d);
    return a;
}

/* A corridor-only agreement over the bundled M4 line (the first 5 vertices). */
static truce_agreement *corridor_only(void)
{
    const char *doc =
        "{\"type\":\"FeatureCollection\",\"agreement\":{\"parties\":[\"A\",\"B\"],"
        "\"timezone\":\"Asia/Damascus\",\"ceasefire\":\"2020-03-06T00:00\",\"rules\":[{"
        "\"id\":\"no-shelling-in-corridor\",\"event_types\":[\"shelling\"],"
        "\"corridors\":[\"m4\"]}]},\"features\":[{\"type\":\"Feature\",\"id\":\"m4\","
        "\"properties\":{\"role\":\"corridor\",\"left_m\":6000,\"right_m\":6000},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[36.80591,35.86447],"
        "[36.76833,35.85979],[36.71867,35.86955],[36.60964,35.81374],[36.56668,35.79192]]}}]}";
    return parse(doc);
}

static truce_event day_event(int64_t day_start_utc)
{
    truce_event ev;
    truce_event_init(&ev);
    ev.id = "t";
    ev.start_s = day_start_utc;
    ev.end_s = day_start_utc + 86400;
    ev.event_type = "shelling";
    ev.actor1 = "Syrian government forces";
    return ev;
}

static void phases(void **state)
{
    (void)state;
    truce_agreement *a = load(IDLIB);
    truce_classifier *c = NULL;
    assert_int_equal(truce_classifier_new(a, &c), TRUCE_OK);
    truce_verdict v;
    /* A date-only report of 5 March 2020 in Damascus: [03-04T22:00Z, 03-05T22:00Z). */
    truce_event ev = day_event(CEASEFIRE - 86400);
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.phase, TRUCE_EVENT_BEFORE);
    /* Of 6 March: starts exactly at the ceasefire instant. */
    ev = day_event(CEASEFIRE);
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.phase, TRUCE_EVENT_AFTER);
    /* Week precision around 5 March: spans. */
    ev = day_event(CEASEFIRE - 3 * 86400);
    ev.end_s = ev.start_s + 7 * 86400;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.phase, TRUCE_EVENT_SPANS);
    /* An instant in July. */
    ev = day_event(1594705800); /* 2020-07-14T05:50:00Z */
    ev.end_s = ev.start_s + 60;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.phase, TRUCE_EVENT_AFTER);
    truce_classifier_free(c);
    truce_agreement_free(a);
}

/* A point `d` metres right of the middle of the road's 4th segment. */
static void place_off_road(double d, double *lon, double *lat)
{
    struct geod_geodesic g;
    geod_init(&g, 6378137, 1 / 298.257223563);
    double s12, azi1, azi2, mlat, mlon, mazi;
    geod_inverse(&g, 35.81374, 36.60964, 35.79192, 36.56668, &s12, &azi1, &azi2);
    geod_direct(&g, 35.81374, 36.60964, azi1, s12 / 2, &mlat, &mlon, &mazi);
    geod_direct(&g, mlat, mlon, mazi + 90, d, lat, lon, NULL);
}

static void corridor_uncertainty(void **state)
{
    (void)state;
    truce_agreement *a = corridor_only();
    truce_classifier *c = NULL;
    assert_int_equal(truce_classifier_new(a, &c), TRUCE_OK);
    truce_event ev = day_event(CEASEFIRE + 86400);
    ev.has_location = 1;
    place_off_road(5900, &ev.lon, &ev.lat);
    truce_verdict v;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.ncorridors, 1);
    assert_true(fabs(v.corridors[0].distance_m - 5900) < 1e-3);
    assert_int_equal(v.corridors[0].side, TRUCE_SIDE_RIGHT);
    assert_int_equal(v.corridors[0].position, TRUCE_POS_INSIDE);
    assert_int_equal(v.violation, TRUCE_VIOLATION_YES);
    assert_string_equal(v.rule->id, "no-shelling-in-corridor");
    assert_non_null(strstr(v.reason, "inside corridor m4"));

    /* The same report with a 2 km uncertainty radius: uncertain, so possible. */
    ev.radius_m = 2000;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.corridors[0].position, TRUCE_POS_UNCERTAIN);
    assert_int_equal(v.violation, TRUCE_VIOLATION_POSSIBLE);
    assert_non_null(strstr(v.reason, "place uncertain"));

    /* 8.5 km away with the same radius: outside, no violation. */
    place_off_road(8500, &ev.lon, &ev.lat);
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.corridors[0].position, TRUCE_POS_OUTSIDE);
    assert_int_equal(v.violation, TRUCE_VIOLATION_NONE);
    assert_non_null(strstr(v.reason, "outside corridor m4"));

    /* Inside, but before the ceasefire: none. */
    place_off_road(1000, &ev.lon, &ev.lat);
    ev.start_s = CEASEFIRE - 86400;
    ev.end_s = CEASEFIRE;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.corridors[0].position, TRUCE_POS_INSIDE);
    assert_int_equal(v.violation, TRUCE_VIOLATION_NONE);
    assert_non_null(strstr(v.reason, "before the ceasefire"));

    /* Inside, spanning the ceasefire: possible. */
    ev.end_s = CEASEFIRE + 3600;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.violation, TRUCE_VIOLATION_POSSIBLE);
    assert_non_null(strstr(v.reason, "spans the ceasefire"));

    /* Another event type: none. */
    ev.start_s = CEASEFIRE + 3600;
    ev.event_type = "protest";
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.violation, TRUCE_VIOLATION_NONE);

    /* No location: possible, and the reason says why. */
    ev.event_type = "shelling";
    ev.has_location = 0;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.violation, TRUCE_VIOLATION_POSSIBLE);
    assert_non_null(strstr(v.reason, "no location"));
    assert_true(isnan(v.corridors[0].distance_m));
    truce_classifier_free(c);
    truce_agreement_free(a);
}

static void zones_and_exceptions(void **state)
{
    (void)state;
    truce_agreement *a = load(IDLIB);
    truce_classifier *c = NULL;
    assert_int_equal(truce_classifier_new(a, &c), TRUCE_OK);
    truce_event ev = day_event(CEASEFIRE + 86400);
    ev.has_location = 1;
    ev.lon = 36.63; /* Idlib city */
    ev.lat = 35.93;
    truce_verdict v;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.zones[0].position, TRUCE_POS_INSIDE);
    assert_int_equal(v.violation, TRUCE_VIOLATION_YES);
    assert_string_equal(v.rule->id, "ceasefire-idlib-area");
    /* A 75 km radius reaches past the governorate's boundary. */
    ev.radius_m = 75000;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.zones[0].position, TRUCE_POS_UNCERTAIN);
    assert_true(v.zones[0].boundary_m > 0 && v.zones[0].boundary_m < 75000);
    /* Aleppo city is outside the Idlib governorate and far from the M4 line. */
    ev.radius_m = 0;
    ev.lon = 37.16117;
    ev.lat = 36.20124;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.zones[0].position, TRUCE_POS_OUTSIDE);
    assert_int_equal(v.violation, TRUCE_VIOLATION_NONE);
    /* Operations involving UN-designated groups are left out. */
    ev.lon = 36.63;
    ev.lat = 35.93;
    ev.actor2 = "Hayat Tahrir al-Sham (HTS)";
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.violation, TRUCE_VIOLATION_NONE);
    assert_non_null(strstr(v.reason, "leaves out"));
    truce_classifier_free(c);
    truce_agreement_free(a);
}

/* Actor matching: the first pattern in list order found in any actor,
 * ignoring case, for thousands of distinct names (more than the
 * classifier keeps answers for), names longer than it keeps, each seen
 * twice. */
static void actor_patterns(void **state)
{
    (void)state;
    const char *doc =
        "{\"type\":\"FeatureCollection\",\"agreement\":{\"parties\":[\"A\",\"B\"],"
        "\"timezone\":\"Asia/Damascus\",\"ceasefire\":\"2020-03-06T00:00\",\"rules\":[{"
        "\"id\":\"r\",\"phase\":\"any\",\"event_types\":[\"shelling\"],"
        "\"actors\":[\"Forces\",\"militia\"],\"except_actors\":[\"HTS\",\"nusra\"]}]},"
        "\"features\":[]}";
    truce_agreement *a = parse(doc);
    truce_classifier *c = NULL;
    assert_int_equal(truce_classifier_new(a, &c), TRUCE_OK);
    char a1[200], a2[200];
    for (int round = 0; round < 2; round++)
        for (int k = 0; k < 3000; k++) {
            truce_event ev = day_event(CEASEFIRE);
            int pad = k % 5 == 0 ? 120 : 0; /* longer than the kept names */
            /* k % 4 == 0: the second pattern in actor1, the first in actor2 */
            const char *who = k % 3 == 0 ? "FORCES" : k % 3 == 1 ? "Militia" : "nobody";
            snprintf(a1, sizeof a1, "%*sGroup %d of %s%s", pad, "", k, who,
                     k % 4 == 0 ? " (ex-Nusra)" : "");
            snprintf(a2, sizeof a2, "Side %d %s", k,
                     k % 4 == 0   ? "(hts)"
                     : k % 4 == 1 ? "NUSRA"
                                  : "plain");
            ev.actor1 = a1;
            ev.actor2 = a2;
            truce_verdict v;
            assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
            const char *want = k % 4 == 0   ? "involves HTS, which the rule leaves out"
                               : k % 4 == 1 ? "involves nusra, which the rule leaves out"
                               : k % 3 == 0 ? "by Forces"
                               : k % 3 == 1 ? "by militia"
                                            : "no actor the rule names";
            if (!strstr(v.reason, want))
                fail_msg("round %d, %s / %s: reason \"%s\", expected \"%s\"", round, a1, a2,
                         v.reason, want);
        }
    truce_classifier_free(c);
    truce_agreement_free(a);
}

/* Event types and sub-types: equal to an item of the rule's list ignoring
 * case, for thousands of distinct types (more than the classifier keeps
 * answers for), some longer than it keeps, written in one reused buffer;
 * two rules with lists of their own.  The reason quotes the event's own
 * spelling. */
static void type_lists(void **state)
{
    (void)state;
    char long_type[140];
    snprintf(long_type, sizeof long_type, "%0120d Long Type", 7);
    char doc[1024];
    snprintf(doc, sizeof doc,
             "{\"type\":\"FeatureCollection\",\"agreement\":{\"parties\":[\"A\",\"B\"],"
             "\"timezone\":\"Asia/Damascus\",\"ceasefire\":\"2020-03-06T00:00\",\"rules\":["
             "{\"id\":\"fight\",\"phase\":\"any\",\"event_types\":[\"Battles\",\"shelling\","
             "\"%s\"],\"sub_types\":[\"Armed clash\"]},"
             "{\"id\":\"crowd\",\"phase\":\"any\",\"event_types\":[\"PROTESTS\"]}]},"
             "\"features\":[]}",
             long_type);
    truce_agreement *a = parse(doc);
    truce_classifier *c = NULL;
    assert_int_equal(truce_classifier_new(a, &c), TRUCE_OK);
    char type[200], sub[200];
    for (int round = 0; round < 2; round++)
        for (int k = 0; k < 3000; k++) {
            truce_event ev = day_event(CEASEFIRE);
            int t = k % 5;
            if (t == 0)
                snprintf(type, sizeof type, "BATTLES");
            else if (t == 1)
                snprintf(type, sizeof type, "Shelling");
            else if (t == 2)
                snprintf(type, sizeof type, "protests");
            else if (t == 3)
                snprintf(type, sizeof type, "Type %d", k);
            else
                snprintf(type, sizeof type, "%0120d long type", 7);
            if (k % 3)
                snprintf(sub, sizeof sub, "armed CLASH");
            else
                snprintf(sub, sizeof sub, "Sub-type %d", k);
            ev.event_type = type;
            ev.sub_event_type = sub;
            truce_verdict v;
            assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
            int fight = (t == 0 || t == 1 || t == 4) && k % 3, crowd = t == 2;
            const char *rule = fight ? "fight" : crowd ? "crowd" : NULL;
            if (rule) {
                assert_int_equal(v.violation, TRUCE_VIOLATION_YES);
                assert_string_equal(v.rule->id, rule);
                assert_non_null(strstr(v.reason, type));
            } else {
                assert_int_equal(v.violation, TRUCE_VIOLATION_NONE);
                const char *want = t == 3 ? "is not one the rule covers" : "sub-type Sub-type";
                if (!strstr(v.reason, want))
                    fail_msg("round %d, %s / %s: reason \"%s\", expected \"%s\"", round, type, sub,
                             v.reason, want);
            }
        }
    truce_classifier_free(c);
    truce_agreement_free(a);
}

/* Two verdicts on one event (of an agreement with one zone and one
 * corridor) are the same, field by field (NaN distances bit for bit). */
static void assert_same_verdict(const truce_verdict *got, const truce_verdict *want)
{
    assert_int_equal(got->phase, want->phase);
    assert_int_equal(got->violation, want->violation);
    assert_int_equal(got->any_phase, want->any_phase);
    assert_ptr_equal(got->rule, want->rule);
    assert_string_equal(got->reason, want->reason);
    assert_int_equal(got->zones[0].in_force, want->zones[0].in_force);
    assert_int_equal(got->zones[0].position, want->zones[0].position);
    assert_true(got->zones[0].boundary_m == want->zones[0].boundary_m);
    const truce_corridor_verdict *g = &got->corridors[0], *w = &want->corridors[0];
    assert_int_equal(g->in_force, w->in_force);
    assert_int_equal(g->position, w->position);
    assert_int_equal(g->side, w->side);
    assert_memory_equal(&g->distance_m, &w->distance_m, sizeof g->distance_m);
    assert_memory_equal(&g->chainage_m, &w->chainage_m, sizeof g->chainage_m);
}

/* A classifier sharing another's indexes judges exactly as that one does,
 * and as one of its own, whatever order they are used in. */
static void shared_indexes(void **state)
{
    (void)state;
    truce_agreement *a = load(IDLIB);
    truce_classifier *own = NULL, *model = NULL, *shared = NULL, *shared2 = NULL;
    assert_int_equal(truce_classifier_new(a, &own), TRUCE_OK);
    assert_int_equal(truce_classifier_new(a, &model), TRUCE_OK);
    assert_int_equal(truce_classifier_new_shared(model, &shared), TRUCE_OK);
    assert_int_equal(truce_classifier_new_shared(shared, &shared2), TRUCE_OK);
    assert_int_equal(truce_classifier_new_shared(NULL, &shared), TRUCE_E_ARG);
    truce_classifier *cs[3] = {model, shared, shared2};
    const char *actors[3] = {"Military Forces of Turkey", "HTS", NULL};
    for (int k = 0; k < 600; k++) {
        truce_event ev = day_event(CEASEFIRE + (k % 3 - 1) * 86400);
        ev.has_location = k % 7 != 0;
        ev.lon = 36.0 + 0.002 * k;
        ev.lat = 35.6 + 0.0011 * k;
        ev.radius_m = k % 2 ? 2000 : 25000;
        ev.actor2 = actors[k % 3];
        truce_verdict want, got;
        assert_int_equal(truce_classify(own, &ev, &want), TRUCE_OK);
        assert_int_equal(truce_classify(cs[k % 3], &ev, &got), TRUCE_OK);
        assert_same_verdict(&got, &want);
    }
    truce_classifier_free(shared);
    truce_classifier_free(shared2);
    truce_classifier_free(model);
    truce_classifier_free(own);
    truce_agreement_free(a);
}

/* The place memo (src/judge/place_memo.h) changes nothing: a classifier judging
 * 40,000 events at 20,000 places (more than the memo's 16,384 slots, so
 * slots are taken over), most of them at places it has seen, judges every
 * fourth event exactly as a new classifier with an empty memo does.  The corridor comes into
 * force and the zone ends during the events' days, so a place is located
 * for one item before the other; radii differ at a place now and then;
 * reasons that quote the zone boundary's distance are among them. */
static void place_memo_changes_nothing(void **state)
{
    (void)state;
    truce_agreement *a = load(IDLIB);
    a->corridors[0].valid.from_s = CEASEFIRE + 9 * 86400;
    a->zones[0].valid.until_s = CEASEFIRE + 30 * 86400;
    truce_classifier *warm = NULL;
    assert_int_equal(truce_classifier_new(a, &warm), TRUCE_OK);
    static const double radii[4] = {0, 2000, 25000, 100000};
    uint64_t x = 0x9e3779b97f4a7c15u;
    int quoted = 0, corridor_off = 0, repeats = 0;
    enum { PLACES = 20000, EVENTS = 40000 };
    static unsigned char seen[PLACES];
    memset(seen, 0, sizeof seen);
    for (int k = 0; k < EVENTS; k++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        int place = (int)(x % PLACES);
        truce_event ev = day_event(CEASEFIRE + ((int64_t)(x >> 20 & 63) - 20) * 86400);
        ev.has_location = (x >> 30) % 50 != 0;
        ev.lon = 35.9 + (place % 160) * 0.009;
        ev.lat = 35.3 + (place / 160) * 0.008;
        ev.radius_m = radii[(place + ((x >> 40) % 8 == 0)) % 4];
        int again = seen[place]++ > 0;
        truce_verdict got, want;
        assert_int_equal(truce_classify(warm, &ev, &got), TRUCE_OK);
        if (k % 4) /* the warm one judges every event, a new one every fourth */
            continue;
        repeats += again;
        truce_classifier *fresh = NULL;
        assert_int_equal(truce_classifier_new_shared(warm, &fresh), TRUCE_OK);
        assert_int_equal(truce_classify(fresh, &ev, &want), TRUCE_OK);
        assert_same_verdict(&got, &want);
        quoted += strstr(got.reason, "boundary (") != NULL;
        corridor_off += !got.corridors[0].in_force;
        truce_classifier_free(fresh);
    }
    /* The cases above were all met. */
    assert_true(repeats > EVENTS / 4 / 3);
    assert_true(quoted > 1000);
    assert_true(corridor_off > 1000 && corridor_off < EVENTS / 4 - 1000);
    truce_classifier_free(warm);
    truce_agreement_free(a);
}

/* Versions of one corridor (amendments): the same road in force on
 * different days shares an index, a different depth or road has its own;
 * each answers as a corridor of its own would.  A rule naming a corridor
 * twice judges it once. */
static void amendments(void **state)
{
    (void)state;
#define ROAD                                                                                       \
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[36.80591,35.86447],"                  \
    "[36.76833,35.85979],[36.71867,35.86955]]}}"
#define ROAD2                                                                                      \
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[36.80591,35.86447],"                  \
    "[36.76833,35.85979],[36.71867,35.87955]]}}"
    const char *doc =
        "{\"type\":\"FeatureCollection\",\"agreement\":{\"parties\":[\"A\",\"B\"],"
        "\"timezone\":\"Asia/Damascus\",\"ceasefire\":\"2020-03-06T00:00\",\"rules\":[{"
        "\"id\":\"r\",\"event_types\":[\"shelling\"],"
        "\"corridors\":[\"v3\",\"v1\",\"v3\"]}]},\"features\":["
        "{\"type\":\"Feature\",\"id\":\"v1\",\"properties\":{\"role\":\"corridor\","
        "\"half_width_m\":6000,\"until\":\"2020-03-10\"}," ROAD ","
        "{\"type\":\"Feature\",\"id\":\"v2\",\"properties\":{\"role\":\"corridor\","
        "\"half_width_m\":6000,\"from\":\"2020-03-11\"}," ROAD ","
        "{\"type\":\"Feature\",\"id\":\"v3\",\"properties\":{\"role\":\"corridor\","
        "\"half_width_m\":4000}," ROAD ","
        "{\"type\":\"Feature\",\"id\":\"v4\",\"properties\":{\"role\":\"corridor\","
        "\"half_width_m\":6000}," ROAD2 "]}";
#undef ROAD
#undef ROAD2
    truce_agreement *a = parse(doc);
    truce_classifier *c = NULL;
    assert_int_equal(truce_classifier_new(a, &c), TRUCE_OK);
    /* An event 5 km off the road on 8 March: v1 and v3 in force, v2 not. */
    truce_event ev = day_event(CEASEFIRE + 2 * 86400);
    ev.event_type = "shelling";
    ev.has_location = 1;
    ev.lon = 36.76833;
    ev.lat = 35.85979 + 5000 / 111000.0;
    ev.radius_m = 0;
    truce_verdict v;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.ncorridors, 4);
    for (size_t i = 0; i < 4; i++) {
        const truce_corridor_def *def = &a->corridors[i];
        truce_corridor *own = NULL;
        assert_int_equal(truce_corridor_from_def(def, -1, -1, &own), TRUCE_OK);
        truce_measure m;
        assert_int_equal(truce_corridor_measure(own, ev.lon, ev.lat, &m), TRUCE_OK);
        truce_corridor_free(own);
        if (i == 1) {
            assert_int_equal(v.corridors[i].in_force, 0);
            continue;
        }
        assert_true(v.corridors[i].distance_m == m.distance_m);
        assert_true(v.corridors[i].chainage_m == m.chainage_m);
    }
    assert_int_equal(v.corridors[0].position, TRUCE_POS_INSIDE);  /* 6 km */
    assert_int_equal(v.corridors[2].position, TRUCE_POS_OUTSIDE); /* 4 km */
    assert_int_equal(v.violation, TRUCE_VIOLATION_YES);
    assert_non_null(strstr(v.reason, "inside corridor v1"));
    truce_classifier_free(c);
    truce_agreement_free(a);
}

/* Ariha on the M4 (Who's On First / GeoNames), where the road line passes. */
#define ARIHA_LON 36.60964
#define ARIHA_LAT 35.81374
/* 14 July 2020 in Damascus (UTC+3): [2020-07-13T21:00Z, 2020-07-14T21:00Z). */
#define JULY_14 1594674000

/* A date-only report at Ariha (2 km radius) of the local day from start_s. */
static truce_event ariha_event(int64_t start_s)
{
    truce_event ev = day_event(start_s);
    ev.has_location = 1;
    ev.lon = ARIHA_LON;
    ev.lat = ARIHA_LAT;
    ev.radius_m = 2000;
    return ev;
}

/* Rule k of the verdict's rules is `id` with `verdict`; returns its reason. */
static const char *rule_is(const truce_verdict *v, size_t k, const char *id,
                           truce_violation verdict)
{
    assert_true(k < v->nrules);
    assert_string_equal(v->rules[k].rule->id, id);
    assert_int_equal(v->rules[k].violation, verdict);
    return v->rules[k].reason;
}

/* The IED on the joint patrol at the Ariha entrance of the M4, 14 July
 * 2020, lies inside the Idlib area and the corridor: it breaks both rules
 * of the bundled agreement, not only the zone-wide one listed first. */
static void every_rule_kept(void **state)
{
    (void)state;
    truce_agreement *a = load(IDLIB);
    truce_classifier *c = NULL;
    assert_int_equal(truce_classifier_new(a, &c), TRUCE_OK);
    truce_event ev = ariha_event(JULY_14);
    ev.event_type = "attack_on_forces";
    ev.actor1 = "unidentified armed group";
    ev.actor2 = "Russian-Turkish joint patrol";
    truce_verdict v;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.violation, TRUCE_VIOLATION_YES);
    assert_int_equal(v.nrules, 2);
    assert_non_null(strstr(rule_is(&v, 0, "ceasefire-idlib-area", TRUCE_VIOLATION_YES),
                           "inside zone idlib-area"));
    assert_non_null(strstr(rule_is(&v, 1, "ceasefire-m4-corridor", TRUCE_VIOLATION_YES),
                           "inside corridor m4: 0 m right of the road at km 19.7"));
    /* rule and reason stay the first rule's. */
    assert_ptr_equal(v.rule, v.rules[0].rule);
    assert_string_equal(v.reason, v.rules[0].reason);
    /* Before the ceasefire no rule gives a verdict: none listed. */
    ev = ariha_event(CEASEFIRE - 86400);
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.violation, TRUCE_VIOLATION_NONE);
    assert_int_equal(v.nrules, 0);
    assert_null(v.rules);
    assert_null(v.rule);
    truce_classifier_free(c);
    truce_agreement_free(a);
}

/* A corridor rule in force from the patrols' start (15 March 2020), listed
 * before a rule that covers the whole area, over the first 5 vertices of
 * the bundled M4. */
static truce_agreement *patrol_and_area(void)
{
    const char *doc =
        "{\"type\":\"FeatureCollection\",\"agreement\":{\"parties\":[\"A\",\"B\"],"
        "\"timezone\":\"Asia/Damascus\",\"ceasefire\":\"2020-03-06T00:00\",\"rules\":["
        "{\"id\":\"patrol-corridor\",\"phase\":\"after\",\"from\":\"2020-03-15\","
        "\"corridors\":[\"m4\"]},"
        "{\"id\":\"ceasefire\",\"phase\":\"after\"}]},"
        "\"features\":[{\"type\":\"Feature\",\"id\":\"m4\","
        "\"properties\":{\"role\":\"corridor\",\"left_m\":6000,\"right_m\":6000},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[36.80591,35.86447],"
        "[36.76833,35.85979],[36.71867,35.86955],[36.60964,35.81374],[36.56668,35.79192]]}}]}";
    return parse(doc);
}

/* Rules are kept in the agreement's order, each with its own verdict; rule
 * names the first that gives the overall verdict. */
static void rules_in_order(void **state)
{
    (void)state;
    truce_agreement *a = patrol_and_area();
    truce_classifier *c = NULL;
    assert_int_equal(truce_classifier_new(a, &c), TRUCE_OK);
    truce_verdict v;
    /* Inside the corridor after the patrol provision took effect: both, the
     * corridor's first as the agreement lists it. */
    truce_event ev = ariha_event(JULY_14);
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.nrules, 2);
    assert_non_null(
        strstr(rule_is(&v, 0, "patrol-corridor", TRUCE_VIOLATION_YES), "inside corridor m4"));
    rule_is(&v, 1, "ceasefire", TRUCE_VIOLATION_YES);
    assert_string_equal(v.rule->id, "patrol-corridor");
    assert_string_equal(v.reason, v.rules[0].reason);
    /* On 10 March the corridor rule is not in force yet: the area's alone. */
    ev.start_s = 1583791200;
    ev.end_s = ev.start_s + 86400;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.nrules, 1);
    rule_is(&v, 0, "ceasefire", TRUCE_VIOLATION_YES);
    assert_string_equal(v.rule->id, "ceasefire");
    /* A report of the week from 12 March straddles the provision's start:
     * possible by the corridor's rule, a violation by the area's, which is
     * the one named, though listed second. */
    ev.start_s = 1583964000;
    ev.end_s = ev.start_s + 7 * 86400;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.violation, TRUCE_VIOLATION_YES);
    assert_int_equal(v.nrules, 2);
    assert_non_null(strstr(rule_is(&v, 0, "patrol-corridor", TRUCE_VIOLATION_POSSIBLE),
                           "rule in force for part of the event's time"));
    rule_is(&v, 1, "ceasefire", TRUCE_VIOLATION_YES);
    assert_ptr_equal(v.rule, v.rules[1].rule);
    assert_string_equal(v.reason, v.rules[1].reason);
    /* 20 km off the road in July: the area's rule only. */
    ev = ariha_event(JULY_14);
    ev.lat += 20000 / 111000.0;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(v.nrules, 1);
    rule_is(&v, 0, "ceasefire", TRUCE_VIOLATION_YES);
    truce_classifier_free(c);
    truce_agreement_free(a);
}

/* More rules broken than a classifier first makes room for: all kept, each
 * with its own reason, on a shared classifier too. */
static void many_rules(void **state)
{
    (void)state;
    char doc[4096];
    size_t n = (size_t)snprintf(doc, sizeof doc,
                                "{\"type\":\"FeatureCollection\",\"agreement\":{\"parties\":[\"A\","
                                "\"B\"],\"timezone\":\"Asia/Damascus\",\"ceasefire\":\"2020-03-"
                                "06T00:00\",\"rules\":[");
    for (int r = 0; r < 9; r++)
        n += (size_t)snprintf(doc + n, sizeof doc - n,
                              "%s{\"id\":\"r%d\",\"phase\":\"after\",\"min_fatalities\":%d}",
                              r ? "," : "", r, r + 1);
    snprintf(doc + n, sizeof doc - n, "]},\"features\":[]}");
    truce_agreement *a = parse(doc);
    truce_classifier *model = NULL, *c = NULL;
    assert_int_equal(truce_classifier_new(a, &model), TRUCE_OK);
    assert_int_equal(truce_classifier_new_shared(model, &c), TRUCE_OK);
    truce_classifier *both[2] = {model, c};
    for (int k = 0; k < 2; k++) {
        truce_event ev = day_event(JULY_14);
        truce_verdict v;
        /* 7 fatalities reach the first 7 rules' thresholds. */
        ev.fatalities = 7;
        assert_int_equal(truce_classify(both[k], &ev, &v), TRUCE_OK);
        assert_int_equal(v.nrules, 7);
        for (size_t r = 0; r < v.nrules; r++) {
            char id[24];
            snprintf(id, sizeof id, "r%zu", r);
            assert_string_equal(rule_is(&v, r, id, TRUCE_VIOLATION_YES), "after the ceasefire");
        }
        ev.fatalities = 1;
        assert_int_equal(truce_classify(both[k], &ev, &v), TRUCE_OK);
        assert_int_equal(v.nrules, 1);
        assert_string_equal(v.rule->id, "r0");
    }
    truce_classifier_free(c);
    truce_classifier_free(model);
    truce_agreement_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(phases),
        cmocka_unit_test(corridor_uncertainty),
        cmocka_unit_test(zones_and_exceptions),
        cmocka_unit_test(shared_indexes),
        cmocka_unit_test(actor_patterns),
        cmocka_unit_test(type_lists),
        cmocka_unit_test(place_memo_changes_nothing),
        cmocka_unit_test(amendments),
        cmocka_unit_test(every_rule_kept),
        cmocka_unit_test(rules_in_order),
        cmocka_unit_test(many_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
