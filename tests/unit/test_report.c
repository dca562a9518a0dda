/* The HTML report: the page is well-formed XML (expat, inline SVG
 * included), text from events is text, the tables hold what was added and
 * say what they leave out, patrols are judged, arguments are checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/report.h"

#include "idlib_fixture.h"

typedef struct seen {
    int scripts, rows, markers, details;
} seen;

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    seen *s = ud;
    s->scripts += !strcmp(name, "script");
    s->rows += !strcmp(name, "tr");
    s->details += !strcmp(name, "details");
    for (size_t i = 0; atts[i]; i += 2)
        if (!strcmp(atts[i], "class") && !strncmp(atts[i + 1], "event ", 6))
            s->markers++;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    (void)ud;
    (void)name;
}

/* Write the page into memory and parse it; *page is the text (free()). */
static void write_page(truce_report *r, char **page, seen *s)
{
    size_t len;
    FILE *f = open_memstream(page, &len);
    assert_non_null(f);
    assert_int_equal(truce_report_write(r, f), TRUCE_OK);
    fclose(f);
    memset(s, 0, sizeof *s);
    XML_Parser xp = XML_ParserCreate("UTF-8");
    XML_SetUserData(xp, s);
    XML_SetElementHandler(xp, on_start, on_end);
    if (XML_Parse(xp, *page, (int)len, 1) != XML_STATUS_OK)
        fail_msg("not well-formed at line %lu: %s", XML_GetCurrentLineNumber(xp),
                 XML_ErrorString(XML_GetErrorCode(xp)));
    XML_ParserFree(xp);
}

static truce_agreement *load_idlib(void)
{
    truce_agreement *a = idlib_agreement();
    assert_non_null(a);
    return a;
}

/* Judge and add an event at lon/lat on 7 March 2020 (after the ceasefire). */
static void add(truce_report *r, truce_classifier *c, const char *id, const char *notes, double lon,
                double lat, int located)
{
    truce_event ev;
    truce_event_init(&ev);
    ev.id = id;
    ev.start_s = 1583532000; /* 2020-03-06T22:00Z: 7 March, local midnight */
    ev.end_s = ev.start_s + 86400;
    ev.event_type = "shelling";
    ev.actor1 = "Forces & <b>co</b>";
    ev.notes = notes;
    ev.place = "\"Place\"";
    ev.fatalities = 3;
    ev.has_location = located;
    ev.lon = lon;
    ev.lat = lat;
    truce_verdict v;
    assert_int_equal(truce_classify(c, &ev, &v), TRUCE_OK);
    assert_int_equal(truce_report_add_event(r, &ev, &v), TRUCE_OK);
}

static void page(void **state)
{
    (void)state;
    truce_agreement *a = load_idlib();
    truce_classifier *c;
    assert_int_equal(truce_classifier_new(a, &c), TRUCE_OK);
    truce_report_options opt;
    truce_report_options_init(&opt);
    opt.max_event_rows = 2;
    opt.title = "<script>alert('t')</script>";
    truce_report *r;
    assert_int_equal(truce_report_new(a, &opt, &r), TRUCE_OK);
    add(r, c, "<script>alert(1)</script>", "</td></tr><script>x</script>", 36.63393, 35.93062, 1);
    add(r, c, "e2", "plain", 36.60964, 35.81374, 1);
    add(r, c, "e3", NULL, 0, 0, 0);
    truce_report_input in = {"events.geojson", "geojson", 1234, 3, 3, 0};
    assert_int_equal(truce_report_add_input(r, &in), TRUCE_OK);
    char *html;
    seen s;
    write_page(r, &html, &s);
    assert_int_equal(s.scripts, 1);
    assert_int_equal(s.markers, 2); /* e3 has no location */
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(html, "&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;x&lt;/script&gt;"));
    assert_non_null(strstr(html, "Forces &amp; &lt;b&gt;co&lt;/b&gt;"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"));
    assert_non_null(strstr(html, "Violations and possible violations (3)"));
    assert_non_null(strstr(html, "the first 2 events in input order; the other one is left out"));
    assert_non_null(strstr(html, "default-src 'none'"));
    assert_non_null(strstr(html, "<code>events.geojson</code>"));
    assert_null(strstr(html, "id=\"patrols\""));
    free(html);
    truce_report_free(r);
    truce_classifier_free(c);
    truce_agreement_free(a);
}

static void patrols(void **state)
{
    (void)state;
    truce_agreement *a = load_idlib();
    truce_report *r;
    assert_int_equal(truce_report_new(a, NULL, &r), TRUCE_OK);
    truce_gen_options go;
    truce_gen_options_init(&go);
    go.spacing_m = 200;
    go.start_s = 1584259200; /* 2020-03-15T08:00Z */
    truce_gpx gpx = {0};
    truce_track t;
    truce_track_init(&t);
    assert_int_equal(
        truce_track_generate(a->routes[0].route.lonlat, a->routes[0].route.n, &go, &t, NULL),
        TRUCE_OK);
    gpx.tracks = &t;
    gpx.ntracks = 1;
    assert_int_equal(truce_report_add_gpx(r, &gpx, -1), TRUCE_OK);
    char *html;
    seen s;
    write_page(r, &html, &s);
    assert_non_null(strstr(html, "id=\"patrols\""));
    assert_non_null(strstr(html, "100.0%"));
    free(html);
    truce_report_free(r);

    /* No such route. */
    truce_report_options opt;
    truce_report_options_init(&opt);
    opt.route_id = "nope";
    assert_int_equal(truce_report_new(a, &opt, &r), TRUCE_OK);
    assert_int_equal(truce_report_add_gpx(r, &gpx, -1), TRUCE_OK);
    FILE *f = tmpfile();
    assert_int_equal(truce_report_write(r, f), TRUCE_E_NOT_FOUND);
    fclose(f);
    truce_report_free(r);
    truce_track_release(&t);
    truce_agreement_free(a);
}

static void args(void **state)
{
    (void)state;
    truce_agreement *a = load_idlib();
    truce_report *r = (truce_report *)1;
    assert_int_equal(truce_report_new(NULL, NULL, &r), TRUCE_E_ARG);
    assert_null(r);
    truce_report_options opt;
    truce_report_options_init(&opt);
    opt.window_days = 0;
    assert_int_equal(truce_report_new(a, &opt, &r), TRUCE_E_ARG);
    assert_int_equal(truce_report_new(a, NULL, &r), TRUCE_OK);
    truce_event ev;
    truce_event_init(&ev);
    truce_verdict v;
    memset(&v, 0, sizeof v);
    assert_int_equal(truce_report_add_event(r, &ev, &v), TRUCE_E_ARG); /* no id */
    assert_int_equal(truce_report_add_gpx(r, NULL, 0), TRUCE_E_ARG);
    truce_report_input in = {0};
    assert_int_equal(truce_report_add_input(r, &in), TRUCE_E_ARG);
    assert_int_equal(truce_report_write(r, NULL), TRUCE_E_ARG);
    truce_report_free(r);
    truce_report_free(NULL);
    truce_agreement_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page),
        cmocka_unit_test(patrols),
        cmocka_unit_test(args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
