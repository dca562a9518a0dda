/* The growable text buffer (truce/text.h): appends keep a NUL after the
 * bytes, room never moves what is written, release leaves it empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "truce/text.h"

static void appends_and_release(void **state)
{
    (void)state;
    truce_text t = {0};
    assert_int_equal(truce_text_append(&t, "", 0), TRUCE_OK);
    assert_string_equal(t.p, "");
    /* Past the first allocation, so that the buffer grows and moves. */
    for (int i = 0; i < 1000; i++)
        assert_int_equal(truce_text_append(&t, "abc", 3), TRUCE_OK);
    assert_int_equal(t.len, 3000);
    assert_true(t.cap > t.len);
    assert_int_equal(t.p[t.len], '\0');
    assert_memory_equal(t.p + 2997, "abc", 3);
    char *o = truce_text_room(&t, 5);
    assert_non_null(o);
    assert_ptr_equal(o, t.p + t.len);
    memcpy(o, "xyz", 4);
    t.len += 3;
    assert_string_equal(t.p + 2997, "abcxyz");
    truce_text_release(&t);
    assert_null(t.p);
    assert_int_equal(t.len, 0);
    assert_int_equal(t.cap, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(appends_and_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
