/* Duplicates (truce/dedup.h): each rule that links two reports, and each
 * that keeps them apart, on hand-made reports; the representative; clusters
 * that never hold two reports of one source, nor chain two places too far
 * apart for each other through a vague third. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "truce/dedup.h"

#define DAY 86400

static truce_event report(const char *id, const char *file, double lon, double lat, double radius_m,
                          const char *type, int64_t dead)
{
    truce_event e;
    truce_event_init(&e);
    e.id = id;
    e.file = file;
    e.format = TRUCE_FORMAT_JSONL;
    e.start_s = 1583452800; /* 2020-03-06 */
    e.end_s = e.start_s + DAY;
    e.has_location = 1;
    e.lon = lon;
    e.lat = lat;
    e.radius_m = radius_m;
    e.event_type = type;
    e.fatalities = dead;
    return e;
}

/* Cluster every report; *n gets the number of clusters. */
static truce_dedup *run(const truce_event *ev, size_t n)
{
    truce_dedup_options o;
    truce_dedup_options_init(&o);
    truce_dedup *d;
    assert_int_equal(truce_dedup_new(&o, &d), TRUCE_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(truce_dedup_add(d, &ev[i]), TRUCE_OK);
    assert_int_equal(truce_dedup_run(d), TRUCE_OK);
    return d;
}

static size_t clusters_of(const truce_event *ev, size_t n)
{
    truce_dedup *d = run(ev, n);
    size_t c = truce_dedup_count(d);
    truce_dedup_free(d);
    return c;
}

static void links_across_sources_and_words(void **state)
{
    (void)state;
    truce_event ev[3] = {
        report("SYR1", "acled.csv", 36.70, 35.80, 2000, "Explosions/Remote violence", 3),
        report("P-1", "party.jsonl", 36.71, 35.80, 5000, "shelling", 4),
        report("GED1", "ged.csv", 36.70, 35.81, 25000, NULL, 3),
    };
    ev[2].event_type = NULL;
    ev[2].violence_type = 1;
    truce_dedup *d = run(ev, 3);
    assert_int_equal(truce_dedup_count(d), 1);
    truce_dedup_cluster c;
    assert_int_equal(truce_dedup_get(d, 0, &c), TRUCE_OK);
    assert_int_equal(c.nmembers, 3);
    assert_int_equal(c.representative, 0); /* the smallest radius */
    assert_true(c.score >= 0.5 && c.score <= 1);
    assert_true(truce_dedup_counts(d, 0) && !truce_dedup_counts(d, 1) && !truce_dedup_counts(d, 2));
    assert_string_equal(truce_dedup_id(d, 1), "P-1");
    truce_dedup_free(d);
    assert_string_equal(truce_dedup_kind(&ev[2]), "organised");
    assert_string_equal(truce_dedup_kind(&ev[1]), "explosion");
}

static void rules_keep_apart(void **state)
{
    (void)state;
    truce_event a = report("A", "acled.csv", 36.70, 35.80, 2000, "Battles", 3);
    truce_event b = report("B", "party.jsonl", 36.70, 35.80, 2000, "armed_clash", 3);
    truce_event ev[2] = {a, b};
    assert_int_equal(clusters_of(ev, 2), 1);
    ev[1].file = "acled.csv"; /* one source: two incidents */
    assert_int_equal(clusters_of(ev, 2), 2);
    ev[1] = b;
    ev[1].lon = 36.80; /* 9 km apart, radii 2 + 2 + 1 km */
    assert_int_equal(clusters_of(ev, 2), 2);
    ev[1] = b;
    ev[1].start_s += DAY; /* the next day */
    ev[1].end_s += DAY;
    assert_int_equal(clusters_of(ev, 2), 2);
    ev[1] = b;
    ev[1].event_type = "Protests";
    assert_int_equal(clusters_of(ev, 2), 2);
    ev[1] = b;
    ev[1].fatalities = 30;
    assert_int_equal(clusters_of(ev, 2), 2);
    ev[1] = b;
    ev[1].fatalities = TRUCE_COUNT_UNKNOWN; /* unknown agrees */
    ev[1].has_location = 0;                 /* so does no place */
    assert_int_equal(clusters_of(ev, 2), 1);
}

/* A wide report near two precise ones 9 km apart links to each, but they
 * cannot be one incident, so it joins only one of them. */
/* Two precise battles 9 km apart, A from acled.csv and B from b_file, and a
 * wide report C half-way. */
static void wide_between(truce_event ev[3], const char *b_file)
{
    ev[0] = report("A", "acled.csv", 36.70, 35.80, 2000, "Battles", 3);
    ev[1] = report("B", b_file, 36.80, 35.80, 2000, "Battles", 3);
    ev[2] = report("C", "ged.csv", 36.75, 35.80, 25000, "Battles", 3);
}

static void no_chaining(void **state)
{
    (void)state;
    truce_event ev[3];
    wide_between(ev, "party.jsonl");
    truce_dedup *d = run(ev, 3);
    assert_int_equal(truce_dedup_count(d), 2);
    truce_dedup_free(d);
}

/* A report that fits two reports of one source about as well is left
 * alone (either could be its incident); one that fits one clearly better
 * joins it. */
static void ambiguous_left_alone(void **state)
{
    (void)state;
    truce_event ev[3];
    wide_between(ev, "acled.csv"); /* A and B: one source */
    assert_int_equal(clusters_of(ev, 3), 3);
    ev[2].lon = 36.70;
    ev[2].radius_m = 5000;
    truce_dedup *d = run(ev, 3);
    assert_int_equal(truce_dedup_count(d), 2);
    truce_dedup_cluster c;
    assert_int_equal(truce_dedup_get(d, 0, &c), TRUCE_OK);
    assert_int_equal(c.nmembers, 2);
    assert_int_equal(c.members[1], 2);
    truce_dedup_free(d);
}

/* The pair rule alone: a broad place agrees less than a precise one at the
 * same distance; a hard rule gives -1 and says which. */
static void pair_rule(void **state)
{
    (void)state;
    truce_event a = report("A", "acled.csv", 36.70, 35.80, 2000, "Battles", 3);
    truce_event b = report("B", "party.jsonl", 36.71, 35.80, 2000, "armed_clash", 3);
    double precise, broad;
    char why[160];
    assert_int_equal(truce_dedup_pair(NULL, &a, &b, &precise, why, sizeof why), TRUCE_OK);
    assert_true(precise >= 0.5 && precise <= 1);
    assert_non_null(strstr(why, "battle and battle"));
    b.radius_m = 25000;
    assert_int_equal(truce_dedup_pair(NULL, &a, &b, &broad, NULL, 0), TRUCE_OK);
    assert_true(broad >= 0 && broad < precise - 0.1);
    b.lon = 37.2; /* 45 km */
    b.radius_m = 2000;
    assert_int_equal(truce_dedup_pair(NULL, &a, &b, &broad, why, sizeof why), TRUCE_OK);
    assert_true(broad < 0);
    assert_string_equal(why, "places farther apart than their radii");
    b = a;
    b.id = "A2"; /* the same file and format: one source */
    assert_int_equal(truce_dedup_pair(NULL, &a, &b, &broad, NULL, 0), TRUCE_OK);
    assert_true(broad < 0);
    truce_dedup_options o;
    truce_dedup_options_init(&o);
    o.same_source = 1;
    assert_int_equal(truce_dedup_pair(&o, &a, &b, &broad, NULL, 0), TRUCE_OK);
    assert_true(broad > 0.99);
    o.ambiguity = 2;
    assert_int_equal(truce_dedup_pair(&o, &a, &b, &broad, NULL, 0), TRUCE_E_ARG);
    assert_int_equal(truce_dedup_pair(NULL, &a, NULL, &broad, NULL, 0), TRUCE_E_ARG);
}

static void bad_options(void **state)
{
    (void)state;
    truce_dedup_options o;
    truce_dedup_options_init(&o);
    truce_dedup *d;
    o.min_score = 2;
    assert_int_equal(truce_dedup_new(&o, &d), TRUCE_E_ARG);
    truce_dedup_options_init(&o);
    o.place_slack_m = -1;
    assert_int_equal(truce_dedup_new(&o, &d), TRUCE_E_ARG);
    truce_dedup_options_init(&o);
    o.ambiguity = -0.1;
    assert_int_equal(truce_dedup_new(&o, &d), TRUCE_E_ARG);
    truce_dedup_options_init(&o);
    assert_int_equal(truce_dedup_new(&o, &d), TRUCE_OK);
    truce_dedup_cluster c;
    assert_int_equal(truce_dedup_get(d, 0, &c), TRUCE_E_ARG); /* not run */
    assert_int_equal(truce_dedup_run(d), TRUCE_OK);
    assert_int_equal(truce_dedup_count(d), 0);
    truce_event e = report("A", "a", 0, 0, 0, NULL, 0);
    assert_int_equal(truce_dedup_add(d, &e), TRUCE_E_ARG); /* after run */
    truce_dedup_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(links_across_sources_and_words),
        cmocka_unit_test(rules_keep_apart),
        cmocka_unit_test(no_chaining),
        cmocka_unit_test(ambiguous_left_alone),
        cmocka_unit_test(pair_rule),
        cmocka_unit_test(bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
