/* Writing measured points: the header, rows against a road along the
 * equator (the lon and lat as written, the side, inside), lines that do not
 * parse, and the argument errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/measure_write.h"

static truce_corridor *road;

/* 0.1 degrees east along the equator, 200 m either side. */
static int setup(void **state)
{
    (void)state;
    static const double lonlat[] = {0, 0, 0.1, 0};
    truce_road_part part = {lonlat, 2};
    return truce_corridor_new(&part, 1, 200, 200, &road) == TRUCE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    truce_corridor_free(road);
    return 0;
}

static void rows(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    truce_measure_write_header(out, 1);
    int inside = -1;
    assert_int_equal(truce_measure_write_row(out, road, " 0.05 ,\t0.001\r\n", 1, &inside),
                     TRUCE_OK);
    assert_int_equal(inside, 1);
    assert_int_equal(truce_measure_write_row(out, road, "0.05,-0.01", 1, &inside), TRUCE_OK);
    assert_int_equal(inside, 0);
    assert_int_equal(truce_measure_write_row(out, road, "0.05,-0.01", 0, NULL), TRUCE_OK);
    assert_int_equal(truce_measure_write_row(out, road, "foo,bar\n", 1, &inside), TRUCE_E_PARSE);
    assert_int_equal(truce_measure_write_row(out, road, "0,91\n", 1, &inside), TRUCE_E_RANGE);
    assert_int_equal(fclose(out), 0);
    /* 0.001 degrees north of the road: 110.6 m on its left, at km 5.566. */
    static const char header[] = "lon,lat,distance_m,chainage_m,side,inside\n";
    assert_memory_equal(text, header, sizeof header - 1);
    const char *row = text + sizeof header - 1;
    assert_memory_equal(row, "0.05,0.001,110.5", 16);
    assert_non_null(strstr(row, ",L,1\n0.05,-0.01,"));
    assert_non_null(strstr(row, ",R,0\n0.05,-0.01,"));
    assert_string_equal(text + strlen(text) - 3, ",R\n");
    assert_int_equal(strlen(strrchr(text, '\n')), 1); /* nothing after the last row */
    free(text);
}

static void errors(void **state)
{
    (void)state;
    assert_int_equal(truce_measure_write_row(NULL, road, "0,0", 0, NULL), TRUCE_E_ARG);
    assert_int_equal(truce_measure_write_row(stdout, NULL, "0,0", 0, NULL), TRUCE_E_ARG);
    assert_int_equal(truce_measure_write_row(stdout, road, NULL, 0, NULL), TRUCE_E_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
