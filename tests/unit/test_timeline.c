/* The timeline: the series counts events per local day by class, the marks
 * come from the agreement, and the picture is well-formed SVG (expat) with
 * one bar group per day with events, the marks, and text from the caller as
 * text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/timeline.h"

#include "idlib_fixture.h"

typedef struct seen {
    int days, marks, ceasefire, scripts, fatalities, notes;
    int in_title;
    char title[512];
} seen;

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    seen *s = ud;
    if (strstr(name, "script"))
        s->scripts++;
    s->in_title = strcmp(name, "http://www.w3.org/2000/svg title") == 0 && !s->title[0];
    for (size_t i = 0; atts[i]; i += 2) {
        if (strcmp(atts[i], "class"))
            continue;
        s->days += !strcmp(atts[i + 1], "tl-day");
        s->marks += !strcmp(atts[i + 1], "tl-mark") || !strcmp(atts[i + 1], "tl-mark tl-ceasefire");
        s->ceasefire += !strcmp(atts[i + 1], "tl-mark tl-ceasefire");
        s->fatalities += !strcmp(atts[i + 1], "tl-fatalities");
        s->notes += !strcmp(atts[i + 1], "tl-note");
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    (void)name;
    ((seen *)ud)->in_title = 0;
}

static void XMLCALL on_text(void *ud, const XML_Char *t, int len)
{
    seen *s = ud;
    size_t n = strlen(s->title);
    if (s->in_title && n + (size_t)len < sizeof s->title) {
        memcpy(s->title + n, t, (size_t)len);
        s->title[n + (size_t)len] = '\0';
    }
}

static void parse(const char *doc, size_t len, seen *out)
{
    memset(out, 0, sizeof *out);
    XML_Parser xp = XML_ParserCreateNS("UTF-8", ' ');
    XML_SetUserData(xp, out);
    XML_SetElementHandler(xp, on_start, on_end);
    XML_SetCharacterDataHandler(xp, on_text);
    if (XML_Parse(xp, doc, (int)len, 1) != XML_STATUS_OK)
        fail_msg("not well-formed: %s", XML_ErrorString(XML_GetErrorCode(xp)));
    XML_ParserFree(xp);
}

static truce_agreement *load_idlib(void)
{
    truce_agreement *a = idlib_agreement();
    assert_non_null(a);
    return a;
}

static void local_days(void **state)
{
    (void)state;
    truce_agreement *a = load_idlib();
    /* The ceasefire, 2020-03-05T22:00Z, is the first instant of 6 March in
     * Damascus; one second earlier is 5 March. */
    assert_int_equal(truce_timeline_local_day(a->tz, a->ceasefire_s),
                     truce_days_from_civil(2020, 3, 6));
    assert_int_equal(truce_timeline_local_day(a->tz, a->ceasefire_s - 1),
                     truce_days_from_civil(2020, 3, 5));
    truce_agreement_free(a);
}

static void series_in_any_order(void **state)
{
    (void)state;
    truce_timeline_series s;
    truce_timeline_series_init(&s);
    int64_t days[] = {10, 12, 11, 10, 5, 12};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(truce_timeline_series_add(&s, days[i], (truce_map_class)(i % 4),
                                                   i == 4 ? TRUCE_COUNT_UNKNOWN : (int64_t)i),
                         TRUCE_OK);
    assert_int_equal(s.ndays, 4);
    assert_int_equal(s.days[0].day, 5);
    assert_int_equal(s.days[0].fatalities, 0); /* unknown is not counted */
    assert_int_equal(s.days[1].day, 10);
    assert_int_equal(s.days[1].events[TRUCE_MAP_VIOLATION], 1);
    assert_int_equal(s.days[1].events[TRUCE_MAP_BEFORE], 1);
    assert_int_equal(s.days[1].fatalities, 3);
    assert_int_equal(s.days[3].day, 12);
    assert_int_equal(s.days[3].fatalities, 1 + 5);
    assert_int_equal(truce_timeline_series_add(&s, 1, TRUCE_MAP_NCLASSES, 0), TRUCE_E_ARG);
    truce_timeline_series_release(&s);
    assert_int_equal(s.ndays, 0);
}

static void marks_of_idlib(void **state)
{
    (void)state;
    truce_agreement *a = load_idlib();
    truce_timeline_mark *m;
    size_t n;
    assert_int_equal(truce_timeline_marks_from_agreement(a, &m, &n), TRUCE_OK);
    assert_int_equal(n, 2);
    assert_true(m[0].ceasefire);
    assert_int_equal(m[0].instant_s, a->ceasefire_s);
    assert_string_equal(m[0].label, "ceasefire 2020-03-06 00:00");
    assert_false(m[1].ceasefire);
    assert_string_equal(m[1].label, "patrol route m4-patrol in force");
    free(m);
    truce_agreement_free(a);
}

static void picture(void **state)
{
    (void)state;
    truce_agreement *a = load_idlib();
    truce_timeline_mark *m;
    size_t n;
    assert_int_equal(truce_timeline_marks_from_agreement(a, &m, &n), TRUCE_OK);
    truce_timeline_day days[3] = {
        {.day = truce_days_from_civil(2020, 3, 1), .events = {0, 0, 0, 2}},
        {.day = truce_days_from_civil(2020, 3, 6), .events = {3, 1, 1, 0}, .fatalities = 12},
        {.day = truce_days_from_civil(2020, 3, 9)}};
    truce_timeline_input in;
    truce_timeline_input_init(&in);
    in.title = "<script>alert(\"x\")</script> & 'co'";
    in.tz = a->tz;
    in.tz_name = a->timezone_name;
    in.days = days;
    in.ndays = 3;
    in.marks = m;
    in.nmarks = n;
    char *svg;
    size_t len;
    assert_int_equal(truce_timeline_svg(&in, 1, &svg, &len), TRUCE_OK);
    assert_int_equal(strlen(svg), len);
    assert_null(strstr(svg, "<script"));
    seen s;
    parse(svg, len, &s);
    assert_int_equal(s.days, 2); /* the empty day draws no bar */
    assert_int_equal(s.marks, 2);
    assert_int_equal(s.ceasefire, 1);
    assert_int_equal(s.fatalities, 1);
    assert_int_equal(s.scripts, 0);
    assert_string_equal(s.title, in.title);
    free(svg);

    /* Inline (no XML declaration). */
    assert_int_equal(truce_timeline_svg(&in, 0, &svg, &len), TRUCE_OK);
    assert_memory_equal(svg, "<svg", 4);
    free(svg);

    /* Days out of order, no zone, a bad size, nothing to draw. */
    days[2].day = days[0].day;
    assert_int_equal(truce_timeline_svg(&in, 1, &svg, &len), TRUCE_E_ARG);
    assert_null(svg);
    days[2].day = days[1].day + 1;
    in.width_px = 100;
    assert_int_equal(truce_timeline_svg(&in, 1, &svg, &len), TRUCE_E_ARG);
    in.width_px = 960;
    in.tz = NULL;
    assert_int_equal(truce_timeline_svg(&in, 1, &svg, &len), TRUCE_E_ARG);
    in.tz = a->tz;
    in.ndays = 0;
    in.nmarks = 0;
    assert_int_equal(truce_timeline_svg(&in, 1, &svg, &len), TRUCE_E_ARG);
    /* A span past a century. */
    days[2].day = days[0].day + 40000;
    in.ndays = 3;
    assert_int_equal(truce_timeline_svg(&in, 1, &svg, &len), TRUCE_E_RANGE);
    free(m);
    truce_agreement_free(a);
}

/* A year of days, with only marks, and a single day: still well-formed,
 * with date labels thinned (checked by eye in docs; here: it parses). */
static void spans(void **state)
{
    (void)state;
    truce_agreement *a = load_idlib();
    truce_timeline_mark *m;
    size_t n;
    assert_int_equal(truce_timeline_marks_from_agreement(a, &m, &n), TRUCE_OK);
    truce_timeline_series s;
    truce_timeline_series_init(&s);
    for (int64_t d = 18000; d < 18000 + 3000; d += 3)
        assert_int_equal(truce_timeline_series_add(&s, d, TRUCE_MAP_NONE, d % 7), TRUCE_OK);
    int64_t counts[] = {(int64_t)s.ndays, 1, 0};
    for (size_t k = 0; k < 3; k++) {
        truce_timeline_input in;
        truce_timeline_input_init(&in);
        in.tz = a->tz;
        in.days = s.days;
        in.ndays = (size_t)counts[k];
        in.marks = m;
        in.nmarks = n;
        char *svg;
        size_t len;
        assert_int_equal(truce_timeline_svg(&in, 1, &svg, &len), TRUCE_OK);
        seen st;
        parse(svg, len, &st);
        assert_int_equal(st.days, counts[k]);
        free(svg);
    }
    truce_timeline_series_release(&s);
    free(m);
    truce_agreement_free(a);
}

/* One event dated 0202 among 2020 events used to make the span longer than
 * a century, and truce timeline and truce report refused to draw anything
 * ("value out of range").  A bounded series leaves it out, names it, and
 * the picture says so; a mark outside the bounds is left out and counted. */
static void far_off_dates(void **state)
{
    (void)state;
    truce_agreement *a = load_idlib();
    int64_t first, last, cf = truce_timeline_local_day(a->tz, a->ceasefire_s);
    truce_timeline_span(a, &first, &last);
    assert_int_equal(last - first + 1, TRUCE_TIMELINE_MAX_DAYS);
    assert_true(first < cf && cf < last);
    truce_timeline_series s;
    truce_timeline_series_init(&s);
    truce_timeline_series_bound(&s, first, last);
    truce_event ev;
    truce_event_init(&ev);
    ev.id = "SYR1";
    ev.file = "f.csv";
    ev.line = 2;
    ev.start_s = a->ceasefire_s + 3600;
    ev.fatalities = 2;
    int out = -1;
    assert_int_equal(truce_timeline_series_add_event(&s, a->tz, &ev, TRUCE_MAP_VIOLATION, &out),
                     TRUCE_OK);
    assert_int_equal(out, 0);
    ev.id = "SYR99";
    ev.line = 22;
    ev.start_s = truce_days_from_civil(202, 3, 5) * 86400;
    assert_int_equal(truce_timeline_series_add_event(&s, a->tz, &ev, TRUCE_MAP_VIOLATION, &out),
                     TRUCE_OK);
    assert_int_equal(out, 1);
    /* Either edge of the span: kept, and one day past it: left out. */
    assert_int_equal(truce_timeline_series_add(&s, first, TRUCE_MAP_NONE, 0), TRUCE_OK);
    assert_int_equal(truce_timeline_series_add(&s, last, TRUCE_MAP_NONE, 0), TRUCE_OK);
    assert_int_equal(truce_timeline_series_add(&s, last + 1, TRUCE_MAP_NONE, 0), TRUCE_OK);
    assert_int_equal(s.ndays, 3);
    assert_int_equal(s.left_out, 2);
    assert_int_equal(s.nnamed, 1);
    assert_string_equal(s.named[0], "f.csv:22 (SYR99)");
    char note[512];
    truce_timeline_series_note(&s, note, sizeof note);
    assert_non_null(strstr(note, "2 events starting outside the days shown ("));
    assert_non_null(strstr(note, "f.csv:22 (SYR99), ..."));
    char tiny[8];
    truce_timeline_series_note(&s, tiny, sizeof tiny);
    assert_int_equal(strlen(tiny), 7);

    /* Draw the 2020 day only, with the agreement's marks and one more in 9999. */
    truce_timeline_mark *m;
    size_t n;
    assert_int_equal(truce_timeline_marks_from_agreement(a, &m, &n), TRUCE_OK);
    truce_timeline_mark *all = calloc(n + 1, sizeof *all);
    assert_non_null(all);
    memcpy(all, m, n * sizeof *m);
    all[n].instant_s = TRUCE_INSTANT_LAST_S;
    snprintf(all[n].label, sizeof all[n].label, "zone z ends");
    truce_timeline_input in;
    truce_timeline_input_init(&in);
    in.tz = a->tz;
    in.days = s.days + 1; /* not the edge days: a span of days, not a century */
    in.ndays = 1;
    in.marks = all;
    in.nmarks = n + 1;
    char *svg;
    size_t len;
    /* Without bounds: more than a century, refused as documented. */
    assert_int_equal(truce_timeline_svg(&in, 1, &svg, &len), TRUCE_E_RANGE);
    in.first_day = first;
    in.last_day = last;
    in.note = note;
    assert_int_equal(truce_timeline_svg(&in, 1, &svg, &len), TRUCE_OK);
    seen st;
    parse(svg, len, &st);
    assert_int_equal(st.days, 1);
    assert_int_equal(st.marks, (int)n);
    assert_int_equal(st.notes, 1);
    assert_non_null(strstr(svg, "f.csv:22 (SYR99)"));
    assert_non_null(strstr(svg, "1 mark of the agreement outside the days shown not drawn."));
    free(svg);
    /* Bounds that leave out days the series kept: their events are counted. */
    in.days = s.days;
    in.ndays = s.ndays;
    in.first_day = cf - 10;
    in.last_day = cf + 10;
    in.note = NULL;
    assert_int_equal(truce_timeline_svg(&in, 1, &svg, &len), TRUCE_OK);
    assert_non_null(strstr(svg, "2 events outside the days shown not drawn."));
    free(svg);
    in.first_day = 1;
    in.last_day = 0;
    assert_int_equal(truce_timeline_svg(&in, 1, &svg, &len), TRUCE_E_ARG);
    free(all);
    free(m);
    truce_timeline_series_release(&s);
    truce_agreement_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {

        cmocka_unit_test(local_days),     cmocka_unit_test(series_in_any_order),
        cmocka_unit_test(marks_of_idlib), cmocka_unit_test(picture),
        cmocka_unit_test(spans),          cmocka_unit_test(far_off_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
