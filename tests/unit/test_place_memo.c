/* The place memo (src/judge/place_memo.h): a place finds its own slot again with
 * what was stored in it; a new place in a full set takes the slot used
 * least recently and finds it empty; a different radius, or the next
 * double of a coordinate, is a different place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "judge/place_memo.h"

static void same_place_same_answers(void **state)
{
    (void)state;
    place_memo *m = trc_place_memo_new(2, 1);
    assert_non_null(m);
    place_slot s = trc_place_memo_find(m, 36.63, 35.93, 2000);
    assert_int_equal(s.zones[0].known, 0);
    assert_int_equal(s.zones[1].known, 0);
    assert_int_equal(s.corridors[0].known, 0);
    s.zones[1] = (place_zone){1, TRUCE_POS_UNCERTAIN, 1234.5};
    s.corridors[0] = (place_corridor){1, {5900.25, 41000.5, TRUCE_SIDE_LEFT, 7, 0}};
    place_slot again = trc_place_memo_find(m, 36.63, 35.93, 2000);
    assert_ptr_equal(again.zones, s.zones);
    assert_int_equal(again.zones[0].known, 0); /* never filled */
    assert_int_equal(again.zones[1].known, 1);
    assert_int_equal(again.zones[1].position, TRUCE_POS_UNCERTAIN);
    assert_true(again.zones[1].boundary_m == 1234.5);
    assert_int_equal(again.corridors[0].known, 1);
    assert_true(again.corridors[0].m.distance_m == 5900.25);
    assert_int_equal(again.corridors[0].m.segment, 7);
    trc_place_memo_free(m);
}

/* `n` places of the same set as (36.0, 35.5) with radius 0: their
 * longitudes in lon[0..n). */
static void same_set(const place_memo *m, double *lon, int n)
{
    size_t set = trc_place_memo_set(m, 36.0, 35.5, 0);
    int got = 0;
    for (int k = 0; k < 10000000 && got < n; k++)
        if (trc_place_memo_set(m, 36.0 + 1e-5 * k, 35.5, 0) == set)
            lon[got++] = 36.0 + 1e-5 * k;
    assert_int_equal(got, n);
}

static int known(place_memo *m, double lon, double radius_m)
{
    return trc_place_memo_find(m, lon, 35.5, radius_m).corridors[0].known;
}

/* Five places of one set: the fifth takes the slot of the one used least
 * recently, and the others keep theirs. */
static void least_recently_used_goes(void **state)
{
    (void)state;
    place_memo *m = trc_place_memo_new(1, 1);
    assert_non_null(m);
    double lon[5];
    same_set(m, lon, 5);
    assert_true(lon[0] == 36.0);
    for (int i = 0; i < 4; i++) {
        place_slot s = trc_place_memo_find(m, lon[i], 35.5, 0);
        assert_int_equal(s.corridors[0].known, 0);
        s.corridors[0].known = 1;
    }
    assert_int_equal(known(m, lon[0], 0), 1); /* used again: lon[1] is now the oldest */
    place_slot fifth = trc_place_memo_find(m, lon[4], 35.5, 0);
    assert_int_equal(fifth.corridors[0].known, 0);
    fifth.corridors[0].known = 1;
    assert_ptr_equal(fifth.corridors, trc_place_memo_find(m, lon[4], 35.5, 0).corridors);
    assert_int_equal(known(m, lon[0], 0), 1);
    assert_int_equal(known(m, lon[2], 0), 1);
    assert_int_equal(known(m, lon[3], 0), 1);
    assert_int_equal(known(m, lon[4], 0), 1);
    assert_int_equal(known(m, lon[1], 0), 0); /* forgotten */
    trc_place_memo_free(m);
}

/* A place differing only in its radius, or in the last bit of a
 * coordinate, is another place. */
static void exact_keys(void **state)
{
    (void)state;
    place_memo *m = trc_place_memo_new(1, 1);
    assert_non_null(m);
    trc_place_memo_find(m, 36.0, 35.5, 0).corridors[0].known = 1;
    assert_int_equal(known(m, 36.0, 2000), 0);
    assert_int_equal(known(m, 36.0, 0), 1);
    double next;
    uint64_t bits;
    double lon = 36.0;
    memcpy(&bits, &lon, sizeof bits);
    bits++;
    memcpy(&next, &bits, sizeof next);
    assert_int_equal(known(m, next, 0), 0);
    assert_int_equal(known(m, 36.0, 0), 1);
    trc_place_memo_free(m);
}

/* Whether the memo keeps a place just found and marked known. */
static int kept(place_memo *m, double lon)
{
    trc_place_memo_find(m, lon, 35.5, 0).corridors[0].known = 1;
    return known(m, lon, 0);
}

/* A window of 1024 lookups that hits keeps the memo looking; one of places
 * that never come back (scattered coordinates) makes it stop remembering
 * for 15 windows, handing out an empty slot, and then remember again. */
static void skips_while_nothing_comes_back(void **state)
{
    (void)state;
    place_memo *m = trc_place_memo_new(1, 1);
    assert_non_null(m);
    for (int n = 0; n < 1024; n++) /* a window of 8 places */
        trc_place_memo_find(m, 36.0 + n % 8, 35.5, 0);
    assert_true(kept(m, 40.5));             /* 2 lookups of the next window, 1 hit */
    assert_int_equal(known(m, 36.0, 0), 0); /* 3, 2: found, never marked */
    for (int n = 3; n < 1024; n++)          /* the rest of it misses */
        trc_place_memo_find(m, 36.0 + 1e-6 * n, 35.5, 0);
    assert_false(kept(m, 40.0)); /* skipping: not even the place just marked */
    for (int n = 2; n < 15 * 1024; n++)
        trc_place_memo_find(m, 36.0 + 1e-6 * n, 35.5, 0);
    assert_true(kept(m, 40.0)); /* looking again */
    trc_place_memo_free(m);
}

/* No zones, no corridors: a memo that holds nothing still works. */
static void empty_agreement(void **state)
{
    (void)state;
    place_memo *m = trc_place_memo_new(0, 0);
    assert_non_null(m);
    place_slot s = trc_place_memo_find(m, 1, 2, 3);
    assert_null(s.zones);
    assert_null(s.corridors);
    trc_place_memo_free(m);
    trc_place_memo_free(NULL);
}

/* An agreement of 10,000 corridors: one set of four slots (2 MB), every
 * place in it, and still the least recently used goes. */
static void many_items_one_set(void **state)
{
    (void)state;
    place_memo *m = trc_place_memo_new(0, 10000);
    assert_non_null(m);
    assert_int_equal(trc_place_memo_set(m, 36.0, 35.5, 0), 0);
    assert_int_equal(trc_place_memo_set(m, 37.1, 36.2, 5000), 0);
    for (int k = 0; k < 5; k++) {
        place_slot s = trc_place_memo_find(m, 36.0 + k, 35.5, 0);
        assert_int_equal(s.corridors[9999].known, 0);
        s.corridors[9999].known = 1;
        s.corridors[9999].m.distance_m = k;
    }
    /* The first place went; the other four are kept with their answers. */
    assert_int_equal(known(m, 36.0, 0), 0);
    for (int k = 2; k < 5; k++) {
        place_slot s = trc_place_memo_find(m, 36.0 + k, 35.5, 0);
        assert_int_equal(s.corridors[9999].known, 1);
        assert_true(s.corridors[9999].m.distance_m == k);
    }
    trc_place_memo_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_place_same_answers),
        cmocka_unit_test(least_recently_used_goes),
        cmocka_unit_test(exact_keys),
        cmocka_unit_test(skips_while_nothing_comes_back),
        cmocka_unit_test(empty_agreement),
        cmocka_unit_test(many_items_one_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
