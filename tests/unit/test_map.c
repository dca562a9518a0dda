/* The map renderer: every document is well-formed (parsed back with expat),
 * one marker per located mark, labels from input come back as text and
 * never as markup, aggregation past the threshold conserves counts per
 * class, and the layers and furniture are there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/map.h"

#define AGREEMENT TRUCE_SOURCE_DIR "/data/idlib-2020/agreement.geojson"
#define BORDERS TRUCE_SOURCE_DIR "/data/idlib-2020/borders.geojson"

/* What expat saw. */
typedef struct seen {
    int events; /* elements of class "event ..." */
    int events_by_class[TRUCE_MAP_NCLASSES];
    unsigned long long cluster_count; /* sum of data-count of "event-cluster ..." */
    unsigned long long cluster_by_class[TRUCE_MAP_NCLASSES];
    unsigned long long cell_count; /* sum of data-count of "event-cell" groups */
    int clusters;                  /* "event-cluster ..." elements */
    int scripts;                   /* elements named script */
    int groups[16];                /* layer groups seen, by layer_names index */
    int in_title;                  /* inside a <title> of an event marker */
    int marker_depth;
    char title[2048]; /* the last event marker's title */
    size_t title_len;
    char last_id[256];
} seen;

static const char *const layer_names[] = {"borders",     "zones",  "corridors", "routes",
                                          "places",      "events", "legend",    "scale-bar",
                                          "north-arrow", "title",  "roads",     NULL};

static int class_index(const char *name)
{
    for (int c = 0; c < TRUCE_MAP_NCLASSES; c++)
        if (!strcmp(name, truce_map_class_name((truce_map_class)c)))
            return c;
    return -1;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    seen *s = ud;
    const char *cls = NULL, *count = NULL, *id = NULL;
    for (size_t i = 0; atts[i]; i += 2) {
        if (!strcmp(atts[i], "class"))
            cls = atts[i + 1];
        else if (!strcmp(atts[i], "data-count"))
            count = atts[i + 1];
        else if (!strcmp(atts[i], "data-id"))
            id = atts[i + 1];
    }
    if (strstr(name, "script"))
        s->scripts++;
    if (s->marker_depth)
        s->marker_depth++;
    if (s->marker_depth == 2 && !strcmp(name, "title")) {
        s->in_title = 1;
        s->title_len = 0;
        s->title[0] = '\0';
    }
    if (!cls)
        return;
    if (!strcmp(name, "g"))
        for (int i = 0; layer_names[i]; i++)
            if (!strcmp(cls, layer_names[i]))
                s->groups[i]++;
    if (!strncmp(cls, "event ", 6)) {
        s->events++;
        int c = class_index(cls + 6);
        assert_true(c >= 0);
        s->events_by_class[c]++;
        s->marker_depth = 1;
        snprintf(s->last_id, sizeof s->last_id, "%s", id ? id : "");
    } else if (!strncmp(cls, "event-cluster ", 14)) {
        assert_non_null(count);
        int c = class_index(cls + 14);
        assert_true(c >= 0);
        s->clusters++;
        s->cluster_count += strtoull(count, NULL, 10);
        s->cluster_by_class[c] += strtoull(count, NULL, 10);
    } else if (!strcmp(cls, "event-cell")) {
        assert_non_null(count);
        s->cell_count += strtoull(count, NULL, 10);
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    seen *s = ud;
    (void)name;
    if (s->marker_depth == 2)
        s->in_title = 0;
    if (s->marker_depth)
        s->marker_depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *t, int len)
{
    seen *s = ud;
    if (s->in_title && s->title_len + (size_t)len < sizeof s->title) {
        memcpy(s->title + s->title_len, t, (size_t)len);
        s->title_len += (size_t)len;
        s->title[s->title_len] = '\0';
    }
}

static void parse(const char *doc, size_t len, seen *out)
{
    memset(out, 0, sizeof *out);
    XML_Parser xp = XML_ParserCreate("UTF-8");
    assert_non_null(xp);
    XML_SetUserData(xp, out);
    XML_SetElementHandler(xp, on_start, on_end);
    XML_SetCharacterDataHandler(xp, on_text);
    if (XML_Parse(xp, doc, (int)len, 1) != XML_STATUS_OK)
        fail_msg("not well-formed at line %lu: %s", XML_GetCurrentLineNumber(xp),
                 XML_ErrorString(XML_GetErrorCode(xp)));
    XML_ParserFree(xp);
}

static truce_agreement *load_agreement(void)
{
    truce_diags d;
    truce_diags_init(&d);
    truce_agreement *a = NULL;
    assert_int_equal(truce_agreement_load(AGREEMENT, &a, &d), TRUCE_OK);
    truce_diags_release(&d);
    return a;
}

/* A deterministic scatter of n marks around Idlib; every 7th has no
 * location. */
static truce_map_mark *scatter(size_t n, char (*ids)[32])
{
    truce_map_mark *m = calloc(n, sizeof *m);
    assert_non_null(m);
    uint64_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        double u = (double)(x >> 11) / 9007199254740992.0;
        x = x * 6364136223846793005u + 1442695040888963407u;
        double v = (double)(x >> 11) / 9007199254740992.0;
        m[i].has_location = i % 7 != 3;
        m[i].lon = 36.2 + 0.9 * u;
        m[i].lat = 35.4 + 0.8 * v;
        m[i].cls = (truce_map_class)(i % TRUCE_MAP_NCLASSES);
        m[i].fatalities = i % 5 == 0 ? TRUCE_COUNT_UNKNOWN : (int64_t)(i % 13);
        if (ids) {
            snprintf(ids[i], sizeof ids[i], "EV%zu", i);
            m[i].id = ids[i];
            m[i].label = ids[i];
        }
    }
    return m;
}

static void render(const truce_map_data *d, const truce_map_options *o, seen *s,
                   truce_map_stats *st)
{
    char *svg = NULL;
    size_t len = 0;
    assert_int_equal(truce_map_render(d, o, &svg, &len, st), TRUCE_OK);
    assert_non_null(svg);
    assert_int_equal(strlen(svg), len);
    parse(svg, len, s);
    free(svg);
}

static void test_one_marker_per_located_mark(void **state)
{
    (void)state;
    truce_agreement *a = load_agreement();
    char(*ids)[32] = calloc(100, sizeof *ids);
    truce_map_mark *m = scatter(100, ids);
    truce_map_data d = {.agreement = a, .marks = m, .nmarks = 100};
    truce_map_options o;
    truce_map_options_init(&o);
    seen s;
    truce_map_stats st;
    render(&d, &o, &s, &st);
    size_t located = 0;
    int by_class[TRUCE_MAP_NCLASSES] = {0};
    for (size_t i = 0; i < 100; i++)
        if (m[i].has_location) {
            located++;
            by_class[m[i].cls]++;
        }
    assert_int_equal(st.located, located);
    assert_int_equal(st.unlocated, 100 - located);
    assert_int_equal(st.markers, located);
    assert_int_equal(st.clustered, 0);
    assert_int_equal(s.events, (int)located);
    for (int c = 0; c < TRUCE_MAP_NCLASSES; c++)
        assert_int_equal(s.events_by_class[c], by_class[c]);
    assert_int_equal(s.clusters, 0);
    assert_true(st.scale_px_per_m > 0);
    /* Every layer but borders (none given) is a group of its own. */
    for (int i = 0; layer_names[i]; i++)
        assert_int_equal(s.groups[i], strcmp(layer_names[i], "borders") ? 1 : 0);
    free(m);
    free(ids);
    truce_agreement_free(a);
}

static void test_hostile_label_is_text(void **state)
{
    (void)state;
    truce_agreement *a = load_agreement();
    const char *hostile = "<script>alert('x')</script> & \"quoted\" </title><g>";
    truce_map_mark m = {.has_location = 1,
                        .lon = 36.6,
                        .lat = 35.9,
                        .cls = TRUCE_MAP_VIOLATION,
                        .fatalities = 3,
                        .id = "\"><script>id</script>",
                        .label = hostile};
    truce_map_data d = {.agreement = a, .marks = &m, .nmarks = 1};
    truce_map_options o;
    truce_map_options_init(&o);
    o.title = "<script>title</script>";
    o.note = "notes & <b>bold</b>";
    seen s;
    render(&d, &o, &s, NULL);
    assert_int_equal(s.scripts, 0);
    assert_int_equal(s.events, 1);
    assert_string_equal(s.title, hostile);
    assert_string_equal(s.last_id, "\"><script>id</script>");
    truce_agreement_free(a);
}

static void test_clusters_conserve_counts(void **state)
{
    (void)state;
    truce_agreement *a = load_agreement();
    const size_t n = 7000;
    truce_map_mark *m = scatter(n, NULL);
    truce_map_data d = {.agreement = a, .marks = m, .nmarks = n};
    truce_map_options o;
    truce_map_options_init(&o);
    unsigned long long located = 0, by_class[TRUCE_MAP_NCLASSES] = {0};
    for (size_t i = 0; i < n; i++)
        if (m[i].has_location) {
            located++;
            by_class[m[i].cls]++;
        }
    assert_true(located > o.cluster_above);
    seen s;
    truce_map_stats st;
    render(&d, &o, &s, &st);
    assert_int_equal(st.clustered, 1);
    assert_int_equal(st.markers, 0);
    assert_int_equal(s.events, 0);
    assert_int_equal(st.clusters, (size_t)s.clusters);
    assert_true(s.clusters > 0 && (unsigned long long)s.clusters < located / 4);
    assert_int_equal(s.cluster_count, located);
    assert_int_equal(s.cell_count, located);
    for (int c = 0; c < TRUCE_MAP_NCLASSES; c++)
        assert_int_equal(s.cluster_by_class[c], by_class[c]);

    /* A smaller cell makes more, smaller clusters, with the same total. */
    seen fine;
    o.cluster_cell_px = 8;
    render(&d, &o, &fine, &st);
    assert_true(fine.clusters > s.clusters);
    assert_int_equal(fine.cluster_count, located);

    /* Exactly at the threshold: one marker per event still. */
    o.cluster_above = (size_t)located;
    render(&d, &o, &s, &st);
    assert_int_equal(st.clustered, 0);
    assert_int_equal(s.events, (int)located);
    free(m);
    truce_agreement_free(a);
}

static void test_borders_and_tracks(void **state)
{
    (void)state;
    truce_agreement *a = load_agreement();
    truce_diags diags;
    truce_diags_init(&diags);
    truce_borders *b = NULL;
    assert_int_equal(truce_borders_load(BORDERS, &b, &diags), TRUCE_OK);
    truce_gpx *gpx = calloc(1, sizeof *gpx);
    assert_non_null(gpx);
    gpx->tracks = calloc(1, sizeof *gpx->tracks);
    assert_non_null(gpx->tracks);
    gpx->ntracks = 1;
    truce_track_init(&gpx->tracks[0]);
    truce_gen_options go;
    truce_gen_options_init(&go);
    go.spacing_m = 200;
    const truce_patrol_route *r = &a->routes[0];
    assert_int_equal(truce_track_generate(r->route.lonlat, r->route.n, &go, &gpx->tracks[0], NULL),
                     TRUCE_OK);
    const truce_gpx *tracks[1] = {gpx};
    truce_map_data d = {.agreement = a, .tracks = tracks, .ntracks = 1, .borders = b};
    truce_map_options o;
    truce_map_options_init(&o);
    o.xml_declaration = 0;
    char *svg = NULL;
    size_t len = 0;
    assert_int_equal(truce_map_render(&d, &o, &svg, &len, NULL), TRUCE_OK);
    seen s;
    parse(svg, len, &s);
    assert_int_equal(s.groups[0], 1); /* borders */
    assert_non_null(strstr(svg, "class=\"track\""));
    assert_non_null(strstr(svg, "class=\"country\""));
    assert_non_null(strstr(svg, ">country: Syria</title>"));
    assert_null(strstr(svg, "<?xml")); /* inline */
    /* The places the agreement names are labelled. */
    assert_non_null(strstr(svg, "class=\"place-label\""));
    free(svg);
    truce_gpx_free(gpx);
    truce_borders_free(b);
    truce_diags_release(&diags);
    truce_agreement_free(a);
}

static void test_bad_input(void **state)
{
    (void)state;
    truce_agreement *a = load_agreement();
    truce_map_mark m = {.has_location = 1, .lon = 36.6, .lat = 91, .cls = TRUCE_MAP_NONE};
    truce_map_data d = {.agreement = a, .marks = &m, .nmarks = 1};
    truce_map_options o;
    truce_map_options_init(&o);
    char *svg = (char *)1;
    size_t len;
    assert_int_equal(truce_map_render(&d, &o, &svg, &len, NULL), TRUCE_E_RANGE);
    assert_null(svg);
    m.lat = 35;
    m.cls = (truce_map_class)7;
    assert_int_equal(truce_map_render(&d, &o, &svg, &len, NULL), TRUCE_E_RANGE);
    m.cls = TRUCE_MAP_NONE;
    m.has_location = 0; /* unlocated: its coordinates do not matter */
    m.lat = (double)NAN;
    assert_int_equal(truce_map_render(&d, &o, &svg, &len, NULL), TRUCE_OK);
    free(svg);
    o.width_px = 10;
    assert_int_equal(truce_map_render(&d, &o, &svg, &len, NULL), TRUCE_E_ARG);
    truce_map_options_init(&o);
    o.cluster_cell_px = 0;
    assert_int_equal(truce_map_render(&d, &o, &svg, &len, NULL), TRUCE_E_ARG);
    truce_map_options_init(&o);
    d.agreement = NULL;
    assert_int_equal(truce_map_render(&d, &o, &svg, &len, NULL), TRUCE_E_ARG);
    assert_int_equal(truce_map_render(NULL, &o, &svg, &len, NULL), TRUCE_E_ARG);
    truce_agreement_free(a);
}

static void test_class_of_verdict(void **state)
{
    (void)state;
    truce_verdict v;
    memset(&v, 0, sizeof v);
    v.phase = TRUCE_EVENT_AFTER;
    v.violation = TRUCE_VIOLATION_YES;
    assert_int_equal(truce_map_class_of(&v), TRUCE_MAP_VIOLATION);
    v.violation = TRUCE_VIOLATION_POSSIBLE;
    assert_int_equal(truce_map_class_of(&v), TRUCE_MAP_POSSIBLE);
    v.violation = TRUCE_VIOLATION_NONE;
    assert_int_equal(truce_map_class_of(&v), TRUCE_MAP_NONE);
    v.phase = TRUCE_EVENT_SPANS;
    assert_int_equal(truce_map_class_of(&v), TRUCE_MAP_NONE);
    v.phase = TRUCE_EVENT_BEFORE;
    assert_int_equal(truce_map_class_of(&v), TRUCE_MAP_BEFORE);
    /* A rule of the before phase broken before the ceasefire is still a
     * violation. */
    v.violation = TRUCE_VIOLATION_YES;
    assert_int_equal(truce_map_class_of(&v), TRUCE_MAP_VIOLATION);
    assert_string_equal(truce_map_class_name(TRUCE_MAP_BEFORE), "before");
    assert_string_equal(truce_map_class_name((truce_map_class)42), "none");
    assert_string_equal(truce_map_class_colour(TRUCE_MAP_VIOLATION), "#d7191c");
    assert_string_equal(truce_map_class_colour((truce_map_class)42), "#2c7bb6");
    assert_string_equal(truce_map_class_label(TRUCE_MAP_BEFORE), "before the ceasefire");
    assert_string_equal(truce_map_class_label((truce_map_class)42), "no violation");
}

/* The tooltip truce map and the report share: its lines, the absent fields
 * left out, the notes cut after 300 bytes, and a label that does not fit its
 * buffer cut at a character boundary. */
static void test_mark_label(void **state)
{
    (void)state;
    truce_agreement *a = load_agreement();
    truce_event ev;
    truce_event_init(&ev);
    ev.id = "E1";
    ev.start_s = 1583532000; /* 2020-03-07 00:00 in Damascus (UTC+2) */
    ev.end_s = ev.start_s + 86400;
    ev.event_type = "shelling";
    ev.actor1 = "A";
    ev.actor2 = "B";
    ev.fatalities = 3;
    ev.place = "Saraqib";
    truce_verdict v;
    memset(&v, 0, sizeof v);
    snprintf(v.reason, sizeof v.reason, "violation of r1");
    char buf[TRUCE_MAP_LABEL_MAX];
    const char *want = "E1, 2020-03-07: violation of r1\nshelling; A vs B; 3 fatalities\nSaraqib";
    assert_int_equal(truce_map_mark_label(a, &ev, &v, buf, sizeof buf), strlen(want));
    assert_string_equal(buf, want);

    ev.actor1 = ev.actor2 = ev.place = NULL;
    ev.fatalities = TRUCE_COUNT_UNKNOWN;
    char notes[400];
    memset(notes, 'x', sizeof notes);
    memcpy(notes + 298, "\xc3\xa9", 2); /* an e-acute across byte 300 */
    notes[sizeof notes - 1] = '\0';
    ev.notes = notes;
    truce_map_mark_label(a, &ev, &v, buf, sizeof buf);
    const char *nl = strrchr(buf, '\n');
    assert_non_null(nl);
    assert_memory_equal(buf, "E1, 2020-03-07: violation of r1\nshelling; fatalities unknown\n", 61);
    assert_int_equal(strlen(nl + 1), 298 + 2 + 3);
    assert_string_equal(nl + 1 + 300, "\xe2\x80\xa6");

    /* 61 bytes of the first two lines, 298 x's, the e-acute at bytes 359
     * and 360: 360 bytes of room end before it. */
    size_t n = truce_map_mark_label(a, &ev, &v, buf, 361);
    assert_int_equal(n, 359);
    assert_int_equal(strlen(buf), 359);
    assert_int_equal(truce_map_mark_label(NULL, &ev, &v, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    truce_agreement_free(a);
}

/* A small map keeps its legend legible: rows that do not fit are left
 * out and counted, and the projection note stays inside the document. */
static void test_small_legend(void **state)
{
    (void)state;
    truce_agreement *a = load_agreement();
    char ids[300][32];
    truce_map_mark *m = scatter(300, ids);
    truce_diags diags;
    truce_diags_init(&diags);
    truce_borders *b = NULL;
    assert_int_equal(truce_borders_load(BORDERS, &b, &diags), TRUCE_OK);
    truce_diags_release(&diags);
    truce_map_data d = {a, m, 300, NULL, 0, b, NULL};
    truce_map_options o;
    truce_map_options_init(&o);
    o.width_px = 600;
    o.height_px = 400;
    o.cluster_above = 5;
    char *svg = NULL;
    size_t len = 0;
    assert_int_equal(truce_map_render(&d, &o, &svg, &len, NULL), TRUCE_OK);
    assert_non_null(strstr(svg, "class=\"projection\""));
    assert_non_null(strstr(svg, "class=\"legend-more\""));
    for (const char *p = strstr(svg, "<tspan "); p; p = strstr(p + 1, "<tspan ")) {
        const char *y = strstr(p, " y=\"");
        assert_non_null(y);
        assert_true(strtod(y + 4, NULL) <= 400);
    }
    seen s;
    parse(svg, len, &s);
    free(svg);
    o.width_px = 1000;
    o.height_px = 760;
    assert_int_equal(truce_map_render(&d, &o, &svg, &len, NULL), TRUCE_OK);
    assert_null(strstr(svg, "class=\"legend-more\""));
    free(svg);
    truce_borders_free(b);
    free(m);
    truce_agreement_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_marker_per_located_mark),
        cmocka_unit_test(test_hostile_label_is_text),
        cmocka_unit_test(test_clusters_conserve_counts),
        cmocka_unit_test(test_borders_and_tracks),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_class_of_verdict),
        cmocka_unit_test(test_mark_label),
        cmocka_unit_test(test_small_legend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
