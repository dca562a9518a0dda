/* Zones: membership of a point by the banded crossing test against a plain
 * walk over every edge of every ring, on the bundled zone (311 vertices) and
 * on a multipolygon with a hole; an index from bare polygons. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "truce/agreement.h"
#include "truce/zone.h"

#define IDLIB TRUCE_SOURCE_DIR "/data/idlib-2020/agreement.geojson"

/* The agreement in `doc`: JSON text, or the path of a file. */
static truce_agreement *agreement(const char *doc)
{
    truce_diags d;
    truce_diags_init(&d);
    truce_agreement *a = NULL;
    truce_status st = doc[0] == '{' ? truce_agreement_parse(doc, strlen(doc), "inline", &a, &d)
                                    : truce_agreement_load(doc, &a, &d);
    truce_diags_release(&d);
    assert_int_equal(st, TRUCE_OK);
    return a;
}

/* The reference: even-odd over every edge of every ring, in ring order. */
static int walk(const truce_zone *z, double lon, double lat)
{
    int inside = 0;
    for (size_t p = 0; p < z->npolygons; p++)
        for (size_t r = 0; r < z->polygons[p].nrings; r++) {
            const truce_line *ring = &z->polygons[p].rings[r];
            const double *v = ring->lonlat;
            for (size_t i = 0, j = ring->n - 1; i < ring->n; j = i++) {
                double xi = v[2 * i], yi = v[2 * i + 1], xj = v[2 * j], yj = v[2 * j + 1];
                if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
                    inside = !inside;
            }
        }
    return inside;
}

/* Two polygons, the first with a hole; edges of every slope, shared
 * latitudes between rings. */
static const char holed[] =
    "{\"type\":\"FeatureCollection\",\"agreement\":{\"parties\":[\"A\",\"B\"],"
    "\"timezone\":\"Asia/Damascus\",\"ceasefire\":\"2020-03-06T00:00\",\"rules\":[]},"
    "\"features\":[{\"type\":\"Feature\",\"id\":\"z\",\"properties\":{\"role\":\"zone\"},"
    "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":["
    "[[[36.0,35.5],[37.0,35.5],[37.2,35.8],[37.0,36.0],[36.5,35.8],[36.0,36.0],[36.0,35.5]],"
    "[[36.2,35.6],[36.2,35.8],[36.8,35.8],[36.6,35.6],[36.2,35.6]]],"
    "[[[38,35.5],[38.5,35.5],[38.5,36],[38,35.5]]]]}}]}";

static double zone_bounds(const truce_zone *z, int lat, int max)
{
    double b = max ? -1e9 : 1e9;
    for (size_t p = 0; p < z->npolygons; p++)
        for (size_t r = 0; r < z->polygons[p].nrings; r++)
            for (size_t i = 0; i < z->polygons[p].rings[r].n; i++) {
                double x = z->polygons[p].rings[r].lonlat[2 * i + (lat ? 1 : 0)];
                b = max ? (x > b ? x : b) : (x < b ? x : b);
            }
    return b;
}

static void check_zone(const truce_zone *zone)
{
    truce_zone_index *zi = NULL;
    assert_int_equal(truce_zone_index_new(zone->polygons, zone->npolygons, &zi), TRUCE_OK);
    double lon0 = zone_bounds(zone, 0, 0) - 0.05, lon1 = zone_bounds(zone, 0, 1) + 0.05;
    double lat0 = zone_bounds(zone, 1, 0) - 0.05, lat1 = zone_bounds(zone, 1, 1) + 0.05;
    srand(20200305);
    size_t disagree = 0, inside = 0, n = 0;
    /* Random points over the bounding box grown by 0.05 degrees, then every
     * vertex's own latitude (where bands meet edges' ends) at random
     * longitudes, and the vertices themselves. */
    for (int k = 0; k < 200000; k++, n++) {
        double lon = lon0 + (lon1 - lon0) * rand() / (double)RAND_MAX;
        double lat = lat0 + (lat1 - lat0) * rand() / (double)RAND_MAX;
        truce_position pos;
        assert_int_equal(truce_zone_locate(zi, lon, lat, 0, &pos, NULL), TRUCE_OK);
        disagree += (pos == TRUCE_POS_INSIDE) != walk(zone, lon, lat);
        inside += pos == TRUCE_POS_INSIDE;
    }
    for (size_t p = 0; p < zone->npolygons; p++)
        for (size_t r = 0; r < zone->polygons[p].nrings; r++)
            for (size_t i = 0; i < zone->polygons[p].rings[r].n; i++) {
                const double *v = &zone->polygons[p].rings[r].lonlat[2 * i];
                for (int k = 0; k < 20; k++, n++) {
                    double lon = k ? lon0 + (lon1 - lon0) * rand() / (double)RAND_MAX : v[0];
                    truce_position pos;
                    assert_int_equal(truce_zone_locate(zi, lon, v[1], 0, &pos, NULL), TRUCE_OK);
                    disagree += (pos == TRUCE_POS_INSIDE) != walk(zone, lon, v[1]);
                }
            }
    assert_int_equal(disagree, 0);
    assert_true(inside > 1000 && inside < 199000);
    truce_zone_index_free(zi);
}

static void banded_test_is_the_walk(void **state)
{
    (void)state;
    truce_agreement *a = agreement(IDLIB);
    check_zone(&a->zones[0]);
    truce_agreement_free(a);
    a = agreement(holed);
    assert_int_equal(a->zones[0].npolygons, 2);
    assert_int_equal(a->zones[0].polygons[0].nrings, 2);
    check_zone(&a->zones[0]);
    truce_agreement_free(a);
}

/* A comb: 500 teeth whose edges span nearly the zone's whole height, each
 * met by most latitude bands (the bands are thinned to bound the copies);
 * the answers stay the walk's. */
static void comb_is_the_walk(void **state)
{
    (void)state;
    enum { TEETH = 500 };
    size_t n = 4 * TEETH + 4; /* the teeth, three corners, the closing vertex */
    double *v = malloc(2 * n * sizeof *v);
    assert_non_null(v);
    size_t k = 0;
    for (int t = 0; t < TEETH; t++) {
        double x = 36.0 + t * (1.0 / TEETH), w = 0.5 / TEETH;
        double pts[4][2] = {{x, 35.1}, {x, 36.0}, {x + w, 36.0}, {x + w, 35.1}};
        for (int i = 0; i < 4; i++, k++) {
            v[2 * k] = pts[i][0];
            v[2 * k + 1] = pts[i][1];
        }
    }
    double tail[3][2] = {{37.0, 35.1}, {37.0, 35.0}, {36.0, 35.0}};
    for (int i = 0; i < 3; i++, k++) {
        v[2 * k] = tail[i][0];
        v[2 * k + 1] = tail[i][1];
    }
    v[2 * k] = v[0]; /* closed */
    v[2 * k + 1] = v[1];
    truce_line ring = {v, k + 1};
    truce_polygon poly = {&ring, 1};
    truce_zone zone = {.id = (char *)(uintptr_t) "comb", .polygons = &poly, .npolygons = 1};
    check_zone(&zone);
    free(v);
}

/* A zone is geometry: an index is built from polygons alone, with no
 * agreement around them. */
static void index_from_polygons(void **state)
{
    (void)state;
    double v[] = {36.0, 35.0, 37.0, 35.0, 37.0, 36.0, 36.0, 36.0, 36.0, 35.0};
    truce_line ring = {v, 5};
    truce_polygon poly = {&ring, 1};
    truce_zone_index *zi = NULL;
    assert_int_equal(truce_zone_index_new(&poly, 1, NULL), TRUCE_E_ARG);
    assert_int_equal(truce_zone_index_new(NULL, 1, &zi), TRUCE_E_ARG);
    assert_int_equal(truce_zone_index_new(NULL, 0, &zi), TRUCE_E_GEOMETRY);
    assert_null(zi);
    assert_int_equal(truce_zone_index_new(&poly, 1, &zi), TRUCE_OK);
    truce_position pos = TRUCE_POS_OUTSIDE;
    assert_int_equal(truce_zone_locate(zi, 36.5, 35.5, 0, &pos, NULL), TRUCE_OK);
    assert_int_equal(pos, TRUCE_POS_INSIDE);
    assert_int_equal(truce_zone_locate(zi, 37.5, 35.5, 0, &pos, NULL), TRUCE_OK);
    assert_int_equal(pos, TRUCE_POS_OUTSIDE);
    truce_zone_index_free(zi);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(banded_test_is_the_walk),
        cmocka_unit_test(comb_is_the_walk),
        cmocka_unit_test(index_from_polygons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
