/* Responses: an event by the attacked party within the window and distance
 * links to the attack; others do not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "truce/response.h"

static truce_event ev_at(const char *id, const char *by, const char *target, int64_t t, double lon,
                         double lat)
{
    truce_event e;
    truce_event_init(&e);
    e.id = id;
    e.actor1 = by;
    e.actor2 = target;
    e.start_s = t;
    e.end_s = t + 60;
    e.has_location = 1;
    e.lon = lon;
    e.lat = lat;
    return e;
}

static void links(void **state)
{
    (void)state;
    truce_responder *r = NULL;
    assert_int_equal(truce_responder_new(24 * 3600, 25000, &r), TRUCE_OK);
    const char *to;
    double delay, dist;
    const int64_t t0 = 1583445600;
    /* Government forces shell a Turkish post. */
    truce_event a = ev_at("A", "Syrian government forces", "Turkish Armed Forces", t0, 36.6, 35.8);
    assert_int_equal(truce_responder_link(r, &a, 1, &to, NULL, NULL), TRUCE_OK);
    assert_null(to);
    /* Turkey answers 6 hours later, 10 km away: a response. */
    truce_event b =
        ev_at("B", "turkish armed forces", "Syrian government forces", t0 + 6 * 3600, 36.7, 35.8);
    assert_int_equal(truce_responder_link(r, &b, 1, &to, &delay, &dist), TRUCE_OK);
    assert_non_null(to);
    assert_string_equal(to, "A");
    assert_true(delay == 6 * 3600);
    assert_true(dist > 9000 && dist < 10000);
    /* A third party acting nearby is no response. */
    truce_event c = ev_at("C", "Russia", "Syrian government forces", t0 + 7 * 3600, 36.6, 35.8);
    assert_int_equal(truce_responder_link(r, &c, 1, &to, NULL, NULL), TRUCE_OK);
    assert_null(to);
    /* Government forces answer B; the latest attack on them is C (by Russia)
     * at 7 h, then B (by Turkey) at 6 h: C is later, so C. */
    truce_event d =
        ev_at("D", "Syrian government forces", "Turkish Armed Forces", t0 + 8 * 3600, 36.65, 35.8);
    assert_int_equal(truce_responder_link(r, &d, 1, &to, NULL, NULL), TRUCE_OK);
    assert_string_equal(to, "C");
    /* Too far: 60 km away. */
    truce_event e =
        ev_at("E", "Turkish Armed Forces", "Syrian government forces", t0 + 9 * 3600, 37.3, 35.8);
    assert_int_equal(truce_responder_link(r, &e, 0, &to, NULL, NULL), TRUCE_OK);
    assert_null(to);
    /* Too late: two days after D. */
    truce_event f =
        ev_at("F", "Turkish Armed Forces", "Syrian government forces", t0 + 56 * 3600, 36.65, 35.8);
    assert_int_equal(truce_responder_link(r, &f, 0, &to, NULL, NULL), TRUCE_OK);
    assert_null(to);
    /* Without a location nothing links. */
    truce_event g = ev_at("G", "Turkish Armed Forces", NULL, t0 + 56 * 3600, 0, 0);
    g.has_location = 0;
    assert_int_equal(truce_responder_link(r, &g, 1, &to, NULL, NULL), TRUCE_OK);
    assert_null(to);
    truce_responder_free(r);
    assert_int_equal(truce_responder_new(0, 1, &r), TRUCE_E_ARG);
}

/* Many actors (more than the responder's cache of names has slots, so
 * names share slots), some longer than it keeps, written in one reused
 * buffer in another case than before: each response finds its own attack. */
static void many_names(void **state)
{
    (void)state;
    truce_responder *r = NULL;
    assert_int_equal(truce_responder_new(24 * 3600, 25000, &r), TRUCE_OK);
    const int64_t t0 = 1583445600;
    enum { N = 600 };
    char by[200], target[200], id[32];
    const char *to;
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < N; i++) {
            /* Every third name is 150 bytes long. */
            int pad = i % 3 == 0 ? 140 : 0;
            snprintf(by, sizeof by, round ? "TARGET %*d" : "party %*d", pad, i);
            snprintf(target, sizeof target, round ? "Party %*d" : "target %*d", pad, i);
            snprintf(id, sizeof id, "%c%d", round ? 'R' : 'A', i);
            truce_event e = ev_at(id, by, target, t0 + 10 * i + round * 3600, 36.6, 35.8);
            assert_int_equal(truce_responder_link(r, &e, 1, &to, NULL, NULL), TRUCE_OK);
            if (!round) {
                assert_null(to);
            } else {
                char want[32];
                snprintf(want, sizeof want, "A%d", i);
                assert_non_null(to);
                assert_string_equal(to, want);
            }
        }
    /* An actor against itself (ignoring case) is remembered as no attack:
     * a later event by the same name finds nothing of it. */
    truce_event self = ev_at("S", "Lone Actor", "LONE ACTOR", t0 + 20 * 3600, 36.6, 35.8);
    assert_int_equal(truce_responder_link(r, &self, 1, &to, NULL, NULL), TRUCE_OK);
    truce_event back = ev_at("T", "lone actor", "someone", t0 + 21 * 3600, 36.6, 35.8);
    assert_int_equal(truce_responder_link(r, &back, 1, &to, NULL, NULL), TRUCE_OK);
    assert_null(to);
    truce_responder_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(links), cmocka_unit_test(many_names)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
