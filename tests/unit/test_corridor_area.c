/* The corridor area: vertices on the true boundary, edges within the
 * tolerance, valid per GEOS, the antimeridian, hairpins, asymmetric depths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <geodesic.h>
#include <geos_c.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_rng.h"
#include "truce/corridor.h"

#define TOL_M 0.1

static struct geod_geodesic geod;

static double *wiggly_road(size_t n, double lon, double lat, double heading, double step_m,
                           double turn)
{
    double *v = malloc(2 * n * sizeof *v);
    assert_non_null(v);
    double h = heading;
    for (size_t i = 0; i < n; i++) {
        v[2 * i] = lon;
        v[2 * i + 1] = lat;
        h += (rnd() - 0.5) * turn;
        h = heading + 0.8 * (h - heading);
        double azi2;
        geod_direct(&geod, lat, lon, h, step_m, &lat, &lon, &azi2);
    }
    return v;
}

static void geos_quiet(const char *fmt, ...)
{
    (void)fmt;
}

/* The area as a GEOS geometry: is it valid? */
static int area_valid(const truce_area *a)
{
    GEOSContextHandle_t h = GEOS_init_r();
    GEOSContext_setNoticeHandler_r(h, geos_quiet);
    GEOSGeometry **polys = calloc(a->npolygons, sizeof *polys);
    assert_non_null(polys);
    for (size_t i = 0; i < a->npolygons; i++) {
        const truce_polygon *p = &a->polygons[i];
        GEOSGeometry *rings[64];
        assert_true(p->nrings <= 64);
        for (size_t j = 0; j < p->nrings; j++) {
            GEOSCoordSequence *s = GEOSCoordSeq_create_r(h, (unsigned)p->rings[j].n, 2);
            for (size_t k = 0; k < p->rings[j].n; k++)
                GEOSCoordSeq_setXY_r(h, s, (unsigned)k, p->rings[j].lonlat[2 * k],
                                     p->rings[j].lonlat[2 * k + 1]);
            rings[j] = GEOSGeom_createLinearRing_r(h, s);
            assert_non_null(rings[j]);
        }
        polys[i] = GEOSGeom_createPolygon_r(h, rings[0], rings + 1, (unsigned)p->nrings - 1);
    }
    GEOSGeometry *mp =
        GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, (unsigned)a->npolygons);
    int valid = GEOSisValid_r(h, mp) == 1;
    if (!valid) {
        char *why = GEOSisValidReason_r(h, mp);
        print_error("GEOS: %s\n", why);
        GEOSFree_r(h, why);
    }
    GEOSGeom_destroy_r(h, mp);
    free(polys);
    GEOS_finish_r(h);
    return valid;
}

/* Every vertex within TOL_M of the depth of its side, and edge points
 * (quarter, half, three-quarters) too, except edges along the antimeridian
 * cut, which are inside the corridor by construction.  With `asym`, a
 * vertex may sit on either depth (where the sides meet beyond the ends) or
 * on the road (a side of depth 0). */
static void check_boundary(const truce_corridor *c, const truce_area *a, int asym)
{
    double l = truce_corridor_left_m(c), r = truce_corridor_right_m(c);
    size_t checked = 0;
    for (size_t i = 0; i < a->npolygons; i++)
        for (size_t j = 0; j < a->polygons[i].nrings; j++) {
            const truce_line *ring = &a->polygons[i].rings[j];
            assert_true(ring->n >= 4);
            assert_true(ring->lonlat[0] == ring->lonlat[2 * ring->n - 2]);
            for (size_t k = 0; k + 1 < ring->n; k++) {
                const double *p = &ring->lonlat[2 * k];
                assert_true(p[0] >= -180 && p[0] <= 180);
                int cut = fabs(p[0]) == 180 && fabs(p[2]) == 180, radial = 0;
                if (asym) {
                    /* Beyond the ends the boundary steps from one depth to
                     * the other along the end segment's line: a radial edge
                     * whose inside is not on any offset. */
                    truce_measure m0, m1;
                    truce_corridor_measure(c, p[0], p[1], &m0);
                    truce_corridor_measure(c, p[2], p[3], &m1);
                    radial = fabs(m0.distance_m - m1.distance_m) > 2 * TOL_M;
                }
                for (int q = 0; q < 4; q++) {
                    if (q && (cut || radial))
                        continue;
                    double f = q / 4.0;
                    double lon = p[0] + f * (p[2] - p[0]), lat = p[1] + f * (p[3] - p[1]);
                    truce_measure m;
                    truce_corridor_measure(c, lon, lat, &m);
                    double want = m.side == TRUCE_SIDE_LEFT ? l : r;
                    double err = fabs(m.distance_m - want);
                    if (asym)
                        err = fmin(err, fmin(fabs(m.distance_m - l), fabs(m.distance_m - r)));
                    if (asym && (l == 0 || r == 0))
                        err = fmin(err, m.distance_m);
                    if (cut && q == 0)
                        err = fmin(err, 0); /* a cut vertex may be anywhere inside */
                    if (err > TOL_M)
                        fail_msg("ring %zu.%zu point %zu+%d/4 (%.9f, %.9f): distance %.4f, "
                                 "depth %.1f",
                                 i, j, k, q, lon, lat, m.distance_m, want);
                    checked++;
                }
            }
        }
    assert_true(checked > 100);
}

static void idlib_like(void **state)
{
    (void)state;
    double *v = wiggly_road(200, 36.2, 35.8, 90, 158.2, 30);
    truce_road_part part = {v, 200};
    truce_corridor *c = NULL;
    assert_int_equal(truce_corridor_new(&part, 1, 6000, 6000, &c), TRUCE_OK);
    truce_area a;
    assert_int_equal(truce_corridor_area(c, TOL_M, &a), TRUCE_OK);
    assert_int_equal(a.npolygons, 1);
    assert_true(area_valid(&a));
    check_boundary(c, &a, 0);
    /* The GeoJSON is a Polygon jansson can read back. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(truce_area_write_geojson(&a, 9, f), TRUCE_OK);
    fclose(f);
    json_error_t err;
    json_t *j = json_loads(buf, 0, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "type")), "Polygon");
    json_decref(j);
    free(buf);
    truce_area_release(&a);
    truce_area_release(&a); /* released twice is fine */
    truce_corridor_free(c);
    free(v);
}

static void hairpin_and_asymmetric(void **state)
{
    (void)state;
    /* east 10 km, north 2 km, west 10 km: the strips overlap between arms */
    double v[8], azi2;
    v[0] = 36.0;
    v[1] = 35.8;
    geod_direct(&geod, v[1], v[0], 90, 10000, &v[3], &v[2], &azi2);
    geod_direct(&geod, v[3], v[2], 0, 2000, &v[5], &v[4], &azi2);
    geod_direct(&geod, v[5], v[4], 270, 10000, &v[7], &v[6], &azi2);
    truce_road_part part = {v, 4};
    truce_corridor *c = NULL;
    assert_int_equal(truce_corridor_new(&part, 1, 6000, 6000, &c), TRUCE_OK);
    truce_area a;
    assert_int_equal(truce_corridor_area(c, TOL_M, &a), TRUCE_OK);
    assert_int_equal(a.npolygons, 1);
    assert_int_equal(a.polygons[0].nrings, 1); /* no hole between the arms */
    assert_true(area_valid(&a));
    check_boundary(c, &a, 0);
    truce_area_release(&a);
    truce_corridor_free(c);

    double *w = wiggly_road(40, 36.2, 35.8, 60, 500, 30);
    part = (truce_road_part){w, 40};
    double depths[3][2] = {{6000, 2000}, {0, 3000}, {1500, 0}};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(truce_corridor_new(&part, 1, depths[k][0], depths[k][1], &c), TRUCE_OK);
        assert_int_equal(truce_corridor_area(c, TOL_M, &a), TRUCE_OK);
        assert_int_equal(a.npolygons, 1);
        assert_true(area_valid(&a));
        check_boundary(c, &a, 1);
        truce_area_release(&a);
        truce_corridor_free(c);
    }
    free(w);
}

static void antimeridian_and_pole(void **state)
{
    (void)state;
    double *v = wiggly_road(60, 179.7, -16, 90, 500, 20);
    truce_road_part part = {v, 60};
    truce_corridor *c = NULL;
    assert_int_equal(truce_corridor_new(&part, 1, 6000, 6000, &c), TRUCE_OK);
    truce_area a;
    assert_int_equal(truce_corridor_area(c, TOL_M, &a), TRUCE_OK);
    assert_int_equal(a.npolygons, 2); /* cut at 180 */
    assert_true(area_valid(&a));
    check_boundary(c, &a, 0);
    truce_area_release(&a);
    truce_corridor_free(c);
    free(v);

    /* near a pole, but not around it */
    v = wiggly_road(30, 10, 88.5, 90, 1000, 20);
    part = (truce_road_part){v, 30};
    assert_int_equal(truce_corridor_new(&part, 1, 6000, 6000, &c), TRUCE_OK);
    assert_int_equal(truce_corridor_area(c, TOL_M, &a), TRUCE_OK);
    assert_true(area_valid(&a));
    check_boundary(c, &a, 0);
    truce_area_release(&a);
    truce_corridor_free(c);
    free(v);

    /* around the pole: no RFC 7946 polygon */
    double over[4] = {0, 89.98, 180, 89.98};
    part = (truce_road_part){over, 2};
    assert_int_equal(truce_corridor_new(&part, 1, 6000, 6000, &c), TRUCE_OK);
    assert_int_equal(truce_corridor_area(c, TOL_M, &a), TRUCE_E_UNSUPPORTED);
    assert_int_equal(a.npolygons, 0);
    assert_int_equal(truce_corridor_area(c, 0, &a), TRUCE_E_ARG);
    truce_corridor_free(c);
}

int main(void)
{
    geod_init(&geod, 6378137, 1 / 298.257223563);
    rng_state = 0x2545f4914f6cdd1du;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(idlib_like),
        cmocka_unit_test(hairpin_and_asymmetric),
        cmocka_unit_test(antimeridian_and_pole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
