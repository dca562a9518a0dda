/* Amendments: every given from/until of an agreement's items, in date order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "truce/amendment.h"

static void test_good_multi(void **state)
{
    (void)state;
    truce_diags d;
    truce_diags_init(&d);
    truce_agreement *a = NULL;
    assert_int_equal(
        truce_agreement_load(TRUCE_SOURCE_DIR "/tests/data/agreements/good_multi.json", &a, &d),
        TRUCE_OK);
    truce_amendments am;
    assert_int_equal(truce_amendments_collect(a, &am), TRUCE_OK);
    assert_int_equal(am.count, 3);
    /* 2020-03-10 (local, UTC+2), 2020-03-15, 2020-04-01T12:00 (UTC+3) */
    assert_int_equal(am.items[0].at_s, 1583791200);
    assert_string_equal(am.items[0].kind, "corridor");
    assert_string_equal(am.items[0].id, "c1");
    assert_int_equal(am.items[0].starts, 1);
    assert_string_equal(am.items[1].kind, "patrol route");
    assert_string_equal(am.items[2].text, "2020-04-01T12:00");
    assert_int_equal(am.items[2].starts, 0);
    assert_true(am.items[0].at_s < am.items[1].at_s && am.items[1].at_s < am.items[2].at_s);
    truce_amendments_release(&am);
    assert_null(am.items);
    assert_int_equal(am.count, 0);
    truce_agreement_free(a);
    truce_diags_release(&d);
}

static void test_args(void **state)
{
    (void)state;
    truce_amendments am;
    assert_int_equal(truce_amendments_collect(NULL, &am), TRUCE_E_ARG);
    assert_int_equal(am.count, 0);
    assert_int_equal(truce_amendments_collect(NULL, NULL), TRUCE_E_ARG);
    truce_amendments_release(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_multi),
        cmocka_unit_test(test_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
