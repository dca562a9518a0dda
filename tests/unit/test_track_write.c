/* Writing GPX tracks' summaries: a small track with a stop and a name that
 * needs escaping, as text and as JSON (as `truce track` wrote it before the
 * writer moved into the library), and the argument errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/diag.h"
#include "truce/track_write.h"

/* Whether text t begins with the literal lit. */
#define assert_starts(t, lit) assert_int_equal(strncmp((t), (lit), sizeof(lit) - 1), 0)

/* Four points, 10 minutes still at the second. */
static const char gpx_text[] =
    "<?xml version=\"1.0\"?>\n"
    "<gpx version=\"1.1\" creator=\"t\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"
    "<trk><name>a &quot;quoted&quot; name</name><trkseg>\n"
    "<trkpt lat=\"35.9\" lon=\"36.6\"><time>2020-03-15T07:00:00Z</time></trkpt>\n"
    "<trkpt lat=\"35.91\" lon=\"36.6\"><time>2020-03-15T07:02:00Z</time></trkpt>\n"
    "<trkpt lat=\"35.91\" lon=\"36.6\"><time>2020-03-15T07:12:00Z</time></trkpt>\n"
    "<trkpt lat=\"35.92\" lon=\"36.6\"><time>2020-03-15T07:14:00Z</time></trkpt>\n"
    "</trkseg></trk></gpx>\n";

static char *written(truce_track_format format)
{
    truce_gpx *g = NULL;
    truce_diags d;
    truce_diags_init(&d);
    assert_int_equal(truce_gpx_parse(gpx_text, sizeof gpx_text - 1, "t.gpx", NULL, &g, &d),
                     TRUCE_OK);
    truce_diags_release(&d);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    truce_track_writer *w = NULL;
    assert_int_equal(truce_track_writer_new(out, format, 1.0, 120, &w), TRUCE_OK);
    assert_int_equal(truce_track_write_file(w, "t.gpx", g), TRUCE_OK);
    assert_int_equal(truce_track_writer_finish(w), TRUCE_OK);
    assert_int_equal(fclose(out), 0);
    truce_gpx_free(g);
    return text;
}

static void text(void **state)
{
    (void)state;
    char *t = written(TRUCE_TRACK_TEXT);
    assert_starts(t, "file t.gpx: GPX 1.1, 1 track, 0 waypoints, 0 rejected points\n");
    assert_non_null(strstr(t, "\ntrack a \"quoted\" name (trk, line 3)\n"));
    assert_non_null(strstr(t, "\n  start      2020-03-15T07:00:00Z\n"));
    assert_non_null(strstr(t, "\n  duration   0:14:00\n"));
    assert_non_null(
        strstr(t, "\n  stops      1\n    2020-03-15T07:02:00Z to 2020-03-15T07:12:00Z"));
    free(t);
}

static void json(void **state)
{
    (void)state;
    char *t = written(TRUCE_TRACK_JSON);
    assert_starts(t, "{\n  \"files\": [\n    {\n      \"file\": \"t.gpx\",\n");
    assert_non_null(strstr(t, "\"track\": \"a \\\"quoted\\\" name\""));
    assert_non_null(strstr(t, "\"duration_s\": 840.0"));
    assert_non_null(strstr(t, "\"start_utc\": \"2020-03-15T07:02:00Z\""));
    assert_string_equal(t + strlen(t) - 2, "}\n");
    free(t);
}

static void errors(void **state)
{
    (void)state;
    truce_track_writer *w = (truce_track_writer *)1;
    assert_int_equal(truce_track_writer_new(NULL, TRUCE_TRACK_TEXT, 1, 120, &w), TRUCE_E_ARG);
    assert_null(w);
    assert_int_equal(truce_track_writer_new(stdout, (truce_track_format)2, 1, 120, &w),
                     TRUCE_E_ARG);
    assert_int_equal(truce_track_writer_new(stdout, TRUCE_TRACK_TEXT, 1, 120, &w), TRUCE_OK);
    assert_int_equal(truce_track_write_file(w, "t.gpx", NULL), TRUCE_E_ARG);
    assert_int_equal(truce_track_writer_finish(w), TRUCE_OK);
    assert_int_equal(truce_track_writer_finish(NULL), TRUCE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text),
        cmocka_unit_test(json),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
