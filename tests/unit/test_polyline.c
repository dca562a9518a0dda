/* A polyline's part between two chainages, on the equator, where a degree
 * of longitude is exactly a * pi / 180 = 111319.490793 m of geodesic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "truce/polyline.h"

#define DEG_M (6378137.0 * 3.14159265358979323846 / 180)

static void equator(void **state)
{
    (void)state;
    const double line[] = {0, 0, 1, 0, 2, 0, 3, 0};
    double out[2 * (4 + 2)];
    size_t k = 0;
    assert_int_equal(truce_polyline_slice(line, 4, 0.5 * DEG_M, 1.25 * DEG_M, out, &k), TRUCE_OK);
    assert_int_equal(k, 3);
    assert_true(fabs(out[0] - 0.5) < 1e-12 && fabs(out[1]) < 1e-12);
    assert_true(out[2] == 1 && out[3] == 0);
    assert_true(fabs(out[4] - 1.25) < 1e-12);
    /* the whole line, and beyond both ends: its vertices */
    assert_int_equal(truce_polyline_slice(line, 4, -5, 1e9, out, &k), TRUCE_OK);
    assert_int_equal(k, 4);
    for (size_t i = 0; i < 4; i++)
        assert_true(fabs(out[2 * i] - (double)i) < 1e-12);
    /* from a vertex: no repeated point */
    assert_int_equal(truce_polyline_slice(line, 4, DEG_M, 2.5 * DEG_M, out, &k), TRUCE_OK);
    assert_int_equal(k, 3);
    assert_true(fabs(out[0] - 1) < 1e-12 && out[2] == 2 && fabs(out[4] - 2.5) < 1e-12);
    /* a point */
    assert_int_equal(truce_polyline_slice(line, 4, 2.5 * DEG_M, 2.5 * DEG_M, out, &k), TRUCE_OK);
    assert_int_equal(k, 2);
    assert_true(out[0] == out[2] && out[1] == out[3]);
    assert_int_equal(truce_polyline_slice(line, 4, 2, 1, out, &k), TRUCE_E_ARG);
    assert_int_equal(truce_polyline_slice(line, 1, 0, 1, out, &k), TRUCE_E_ARG);
    assert_int_equal(truce_polyline_slice(line, 4, (double)NAN, 1, out, &k), TRUCE_E_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(equator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
