/* The place memo (src/place_memo.h): a place finds its own slot again with
 * what was stored in it; another place hashing to the same slot takes it
 * over and finds it empty; a different radius is a different place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "place_memo.h"

static void same_place_same_answers(void **state)
{
    (void)state;
    place_memo *m = place_memo_new(2, 1);
    assert_non_null(m);
    place_slot s = place_memo_find(m, 36.63, 35.93, 2000);
    assert_int_equal(s.zones[0].known, 0);
    assert_int_equal(s.zones[1].known, 0);
    assert_int_equal(s.corridors[0].known, 0);
    s.zones[1] = (place_zone){1, TRUCE_POS_UNCERTAIN, 1234.5};
    s.corridors[0] = (place_corridor){1, {5900.25, 41000.5, TRUCE_SIDE_LEFT, 7, 0}};
    place_slot again = place_memo_find(m, 36.63, 35.93, 2000);
    assert_ptr_equal(again.zones, s.zones);
    assert_int_equal(again.zones[0].known, 0); /* never filled */
    assert_int_equal(again.zones[1].known, 1);
    assert_int_equal(again.zones[1].position, TRUCE_POS_UNCERTAIN);
    assert_true(again.zones[1].boundary_m == 1234.5);
    assert_int_equal(again.corridors[0].known, 1);
    assert_true(again.corridors[0].m.distance_m == 5900.25);
    assert_int_equal(again.corridors[0].m.segment, 7);
    place_memo_free(m);
}

/* Places that land in one slot: each takes it over from the other, and a
 * place differing only in its radius (or in the last bit of a coordinate)
 * is another place. */
static void other_place_takes_over(void **state)
{
    (void)state;
    place_memo *m = place_memo_new(1, 1);
    assert_non_null(m);
    place_slot first = place_memo_find(m, 36.0, 35.5, 0);
    first.corridors[0].known = 1;
    /* Find another place hashing to the same slot (slots are few). */
    double lon = 0;
    for (int k = 1; k < 1000000 && !lon; k++) {
        place_slot s = place_memo_find(m, 36.0 + 1e-5 * k, 35.5, 0);
        if (s.corridors == first.corridors)
            lon = 36.0 + 1e-5 * k;
        else
            s.corridors[0].known = 1; /* keep the probe honest: other slots fill */
    }
    assert_true(lon != 0);
    /* The search itself took the slot over: the first place finds it empty. */
    first = place_memo_find(m, 36.0, 35.5, 0);
    assert_int_equal(first.corridors[0].known, 0);
    first.corridors[0].known = 1;
    place_slot other = place_memo_find(m, lon, 35.5, 0);
    assert_ptr_equal(other.corridors, first.corridors);
    assert_int_equal(other.corridors[0].known, 0);
    other.corridors[0].known = 1;
    assert_int_equal(place_memo_find(m, lon, 35.5, 0).corridors[0].known, 1);
    /* Not the same place: another radius, the next double of a coordinate. */
    place_memo_find(m, lon, 35.5, 0).zones[0].known = 1;
    assert_int_equal(place_memo_find(m, lon, 35.5, 2000).zones[0].known, 0);
    place_memo_find(m, lon, 35.5, 0).zones[0].known = 1;
    double next;
    uint64_t bits;
    memcpy(&bits, &lon, sizeof bits);
    bits++;
    memcpy(&next, &bits, sizeof next);
    assert_int_equal(place_memo_find(m, next, 35.5, 0).zones[0].known, 0);
    place_memo_free(m);
}

/* No zones, no corridors: a memo that holds nothing still works. */
static void empty_agreement(void **state)
{
    (void)state;
    place_memo *m = place_memo_new(0, 0);
    assert_non_null(m);
    place_slot s = place_memo_find(m, 1, 2, 3);
    assert_null(s.zones);
    assert_null(s.corridors);
    place_memo_free(m);
    place_memo_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_place_same_answers),
        cmocka_unit_test(other_place_takes_over),
        cmocka_unit_test(empty_agreement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
