/* Writing an agreement's summary: the bundled Idlib agreement as text and
 * as JSON (as `truce check` wrote it before the writer moved into the
 * library), and the argument errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/agreement_write.h"

#include "idlib_fixture.h"

static truce_agreement *a;
static truce_amendments am;

static int setup(void **state)
{
    (void)state;
    a = idlib_agreement();
    return a && truce_amendments_collect(a, &am) == TRUCE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    truce_amendments_release(&am);
    truce_agreement_free(a);
    return 0;
}

/* The summary in `format` (malloc'd; the caller frees it). */
static char *written(truce_agreement_format format)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(truce_agreement_summary_write(out, a, &am, format), TRUCE_OK);
    assert_int_equal(fclose(out), 0);
    return text;
}

static void text(void **state)
{
    (void)state;
    char *t = written(TRUCE_AGREEMENT_TEXT);
    assert_memory_equal(t, "agreement  idlib-2020\n", 22);
    assert_non_null(strstr(t, "\nparties    Russia, Turkey\n"));
    assert_non_null(strstr(
        t, "\nceasefire  2020-03-06T00:00 Asia/Damascus (UTC+02:00) = 2020-03-05T22:00:00Z\n"));
    assert_non_null(strstr(t, "\n\nzones (1)\n  idlib-area "));
    free(t);
}

static void json(void **state)
{
    (void)state;
    char *t = written(TRUCE_AGREEMENT_JSON);
    assert_memory_equal(t, "{\n  \"id\": \"idlib-2020\",\n", 24);
    assert_non_null(strstr(t, "\"parties\": [\n    \"Russia\",\n    \"Turkey\"\n  ],"));
    assert_non_null(strstr(t, "\"utc_offset\": \"+02:00\""));
    assert_non_null(strstr(t, "\"patrol_routes\": ["));
    assert_string_equal(t + strlen(t) - 2, "}\n");
    free(t);
}

static void errors(void **state)
{
    (void)state;
    assert_int_equal(truce_agreement_summary_write(NULL, a, &am, TRUCE_AGREEMENT_TEXT),
                     TRUCE_E_ARG);
    assert_int_equal(truce_agreement_summary_write(stdout, NULL, &am, TRUCE_AGREEMENT_TEXT),
                     TRUCE_E_ARG);
    assert_int_equal(truce_agreement_summary_write(stdout, a, NULL, TRUCE_AGREEMENT_JSON),
                     TRUCE_E_ARG);
    assert_int_equal(truce_agreement_summary_write(stdout, a, &am, (truce_agreement_format)2),
                     TRUCE_E_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text),
        cmocka_unit_test(json),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
