/* Sectors (truce/sector.h).
 *
 * The area, a Gauss-Legendre integral of the reduced length over geodesic
 * polar coordinates, is checked against an independent computation: PROJ's
 * geod_polygonarea (Karney's polygon area, a sum over the edges of the area
 * between each geodesic and the equator, from S12) over a ring of the
 * sector's boundary a metre or so between vertices.  The two share only the
 * ellipsoid: neither m12 nor any quadrature enters the polygon's area, and
 * the ring's vertices come from geod_direct alone.
 *
 * Judgements are checked on sectors placed with geod_direct on both sides
 * of a corridor's edge (its depth from the road), a few metres to a few
 * hundred from it, looking away from the road and towards it, on the left
 * and on the right; and on a zone whose edge halves a sector. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <geodesic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "truce/corridor.h"
#include "truce/sector.h"
#include "truce/zone.h"

static struct geod_geodesic g;

static double polygon_area(const truce_sector *s, double step_m)
{
    size_t n = truce_sector_ring(s, step_m, NULL, 0);
    assert_true(n >= 4);
    double *ring = malloc(2 * n * sizeof *ring);
    assert_non_null(ring);
    assert_int_equal(truce_sector_ring(s, step_m, ring, n), n);
    assert_true(ring[0] == ring[2 * n - 2] && ring[1] == ring[2 * n - 1]);
    struct geod_polygon p;
    geod_polygon_init(&p, 0);
    for (size_t i = 0; i + 1 < n; i++) /* the closing vertex is implied */
        geod_polygon_addpoint(&g, &p, ring[2 * i + 1], ring[2 * i]);
    double area, perimeter;
    geod_polygon_compute(&g, &p, 0, 1, &area, &perimeter);
    free(ring);
    return area;
}

static void area_matches_polygon_area(void **state)
{
    (void)state;
    const truce_sector cases[] = {
        {36.63, 35.83, 30, 60, 3000, 5000},      /* Idlib: NE, 3-5 km (heard) */
        {36.63, 35.83, 350, 20, 0, 2000},        /* across north, from the observer */
        {36.63, 35.83, -45, 45, 100, 800},       /* negative bearing */
        {36.63, 35.83, 0, 360, 1000, 4000},      /* the whole annulus */
        {-179.99, 70.5, 80, 100, 20000, 60000},  /* high latitude, across the antimeridian */
        {12.5, -33.9, 170, 260, 100000, 500000}, /* southern, wide and long */
        {0, 89.9, 0, 90, 1000, 30000},           /* beside the pole */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double mine;
        assert_int_equal(truce_sector_area_m2(&cases[i], &mine), TRUCE_OK);
        /* Chords a metre or so long (at most 2e5 vertices) stray from the
         * arcs by far less than the 1e-6 asked here. */
        double step = fmax(1, cases[i].distance_max_m / 5000);
        double ref = polygon_area(&cases[i], step);
        double rel = fabs(mine - ref) / ref;
        print_message("sector %zu: %.6f km^2, polygon %.6f km^2, relative %.2e\n", i, mine / 1e6,
                      ref / 1e6, rel);
        assert_true(rel < 1e-6); /* the requirement is 1e-3 */
    }
}

static void checks_refuse_bad_sectors(void **state)
{
    (void)state;
    const char *field;
    char why[120];
    truce_sector ok = {36.6, 35.8, 10, 20, 0, 100};
    assert_int_equal(truce_sector_check(&ok, &field, why, sizeof why), TRUCE_OK);
    truce_sector s = ok;
    s.bearing_max_deg = 10;
    assert_int_equal(truce_sector_check(&s, &field, why, sizeof why), TRUCE_E_RANGE);
    assert_string_equal(field, "bearing_max_deg");
    s = ok;
    s.distance_max_m = 0;
    assert_int_equal(truce_sector_check(&s, &field, why, sizeof why), TRUCE_E_RANGE);
    assert_string_equal(field, "distance_max_m");
    s = ok;
    s.distance_max_m = 2e6;
    assert_int_equal(truce_sector_check(&s, &field, why, sizeof why), TRUCE_E_RANGE);
    s = ok;
    s.observer_lat = NAN;
    assert_int_equal(truce_sector_check(&s, &field, why, sizeof why), TRUCE_E_RANGE);
    assert_string_equal(field, "observer_lat");
    assert_true(truce_sector_width_deg(&(truce_sector){0, 0, 350, 20, 0, 1}) == 30);
    assert_true(truce_sector_width_deg(&(truce_sector){0, 0, 0, 360, 0, 1}) == 360);
    double area;
    assert_int_equal(truce_sector_area_m2(&s, &area), TRUCE_E_RANGE);
    assert_int_equal(truce_sector_ring(&s, 10, NULL, 0), 0);
}

/* The disk covers the sector: every vertex of a fine ring lies within it. */
static void disk_covers_sector(void **state)
{
    (void)state;
    const truce_sector cases[] = {{36.63, 35.83, 30, 60, 3000, 5000},
                                  {36.63, 35.83, 350, 20, 0, 2000},
                                  {36.63, 35.83, 10, 250, 500, 900}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double lon, lat, r;
        assert_int_equal(truce_sector_disk(&cases[i], &lon, &lat, &r), TRUCE_OK);
        double ring[2 * 4000];
        size_t n = truce_sector_ring(&cases[i], 5, ring, 4000);
        assert_true(n <= 4000);
        for (size_t k = 0; k < n; k++) {
            double d;
            geod_inverse(&g, lat, lon, ring[2 * k + 1], ring[2 * k], &d, NULL, NULL);
            assert_true(d <= r + 1e-6);
        }
        assert_true(r < cases[i].distance_max_m * 1.5);
    }
}

typedef struct corridor_ctx {
    truce_corridor *c;
} corridor_ctx;

static truce_status corridor_test(void *ctx, double lon, double lat, double r, truce_position *p)
{
    truce_measure m;
    truce_corridor *c = ((corridor_ctx *)ctx)->c;
    truce_status st = truce_corridor_measure(c, lon, lat, &m);
    if (st == TRUCE_OK)
        *p = truce_corridor_disk_position(c, &m, r);
    return st;
}

/* The share of the sector within the corridor, by brute force: a fine grid
 * in distance and bearing, each point weighted by its reduced length. */
static double reference_fraction(const truce_sector *s, truce_corridor *c)
{
    double w = truce_sector_width_deg(s), in = 0, all = 0;
    const int n = 300;
    for (int i = 0; i < n; i++) {
        double a = s->bearing_min_deg + w * (i + 0.5) / n;
        for (int j = 0; j < n; j++) {
            double d = s->distance_min_m + (s->distance_max_m - s->distance_min_m) * (j + 0.5) / n;
            double lat, lon, m12;
            geod_gendirect(&g, s->observer_lat, s->observer_lon, a, 0, d, &lat, &lon, NULL, NULL,
                           &m12, NULL, NULL, NULL);
            int inside;
            assert_int_equal(truce_corridor_decide(c, lon, lat, &inside), TRUCE_OK);
            all += m12;
            in += inside ? m12 : 0;
        }
    }
    return in / all;
}

static void corridor_edge_cases(void **state)
{
    (void)state;
    /* A road of two geodesic segments near Saraqib, 6 km deep each side
     * (the M4 corridor's depth). */
    const double road[] = {36.60, 35.80, 36.80, 35.86, 37.00, 35.85};
    truce_road_part part = {road, 3};
    corridor_ctx ctx;
    assert_int_equal(truce_corridor_new(&part, 1, 6000, 6000, &ctx.c), TRUCE_OK);
    /* Foot points on the road, and the azimuth of the road there. */
    const double at[][2] = {{36.70, 35.83}, {36.90, 35.855}};
    int checked = 0;
    for (size_t k = 0; k < 2; k++) {
        /* The point of the road nearest the chosen place, and its direction. */
        double lat0 = road[2 * k + 1], lon0 = road[2 * k], az, s12;
        geod_inverse(&g, lat0, lon0, road[2 * k + 3], road[2 * k + 2], &s12, &az, NULL);
        double flat, flon, faz;
        geod_direct(&g, lat0, lon0, az, s12 / 2, &flat, &flon, &faz);
        (void)at;
        for (int side = -1; side <= 1; side += 2) {
            double out = faz + 90 * side; /* away from the road at the foot */
            for (int d = 0; d < 6; d++) {
                const double delta[] = {-300, -40, -10, 10, 40, 300};
                double dm = delta[d], len = 800;
                /* (a) looking away from the road, from 6000 + dm: every point
                 * is at least that far from the road. */
                truce_sector s = {0, 0, 0, 0, 0, len};
                double olat, olon, oaz;
                geod_direct(&g, flat, flon, out, 6000 + dm, &olat, &olon, &oaz);
                s.observer_lon = olon;
                s.observer_lat = olat;
                s.bearing_min_deg = oaz - 30;
                s.bearing_max_deg = oaz + 30;
                truce_position p;
                double frac;
                assert_int_equal(truce_sector_locate(&s, 0, corridor_test, &ctx, &p, &frac),
                                 TRUCE_OK);
                assert_int_equal(p, dm > 0 ? TRUCE_POS_OUTSIDE : TRUCE_POS_UNCERTAIN);
                if (p == TRUCE_POS_UNCERTAIN)
                    assert_true(fabs(frac - reference_fraction(&s, ctx.c)) < 0.01);
                checked++;
                /* (b) from 6000 - dm - len, looking away: at most 6000 - dm. */
                geod_direct(&g, flat, flon, out, 6000 - dm - len, &olat, &olon, &oaz);
                s.observer_lon = olon;
                s.observer_lat = olat;
                s.bearing_min_deg = oaz - 30;
                s.bearing_max_deg = oaz + 30;
                assert_int_equal(truce_sector_locate(&s, 0, corridor_test, &ctx, &p, &frac),
                                 TRUCE_OK);
                assert_int_equal(p, dm > 0 ? TRUCE_POS_INSIDE : TRUCE_POS_UNCERTAIN);
                assert_true(dm > 0 ? frac == 1 : frac > 0 && frac < 1);
                checked++;
                /* (c) from outside at 6000 + dm + len, looking at the road
                 * through a 20 degree wedge, 100 m to len. */
                geod_direct(&g, flat, flon, out, 6000 + dm + len, &olat, &olon, &oaz);
                s.observer_lon = olon;
                s.observer_lat = olat;
                s.bearing_min_deg = oaz + 180 - 10;
                s.bearing_max_deg = oaz + 180 + 10;
                s.distance_min_m = 100;
                assert_int_equal(truce_sector_locate(&s, 0, corridor_test, &ctx, &p, &frac),
                                 TRUCE_OK);
                assert_int_equal(p, dm > 0 ? TRUCE_POS_OUTSIDE : TRUCE_POS_UNCERTAIN);
                assert_true(dm > 0 ? frac == 0 : frac > 0 && frac < 1);
                s.distance_min_m = 0;
                checked++;
            }
        }
    }
    assert_int_equal(checked, 72);
    /* A margin (an uncertain observer) turns a near miss uncertain. */
    truce_sector s = {36.70, 35.83 + 0.2, 170, 190, 0, 500};
    truce_position p;
    double frac;
    assert_int_equal(truce_sector_locate(&s, 0, corridor_test, &ctx, &p, &frac), TRUCE_OK);
    assert_int_equal(p, TRUCE_POS_OUTSIDE);
    assert_int_equal(truce_sector_locate(&s, 20000, corridor_test, &ctx, &p, &frac), TRUCE_OK);
    assert_int_equal(p, TRUCE_POS_UNCERTAIN);
    truce_corridor_free(ctx.c);
}

static truce_status zone_test(void *ctx, double lon, double lat, double r, truce_position *p)
{
    return truce_zone_locate(ctx, lon, lat, r, p, NULL);
}

/* A meridian edge halves a sector centred on north: half inside. */
static void zone_edge_halves_sector(void **state)
{
    (void)state;
    double v[] = {36.5, 35.5, 37.0, 35.5, 37.0, 36.2, 36.5, 36.2, 36.5, 35.5};
    truce_line ring = {v, 5};
    truce_polygon poly = {&ring, 1};
    truce_zone_index *z;
    assert_int_equal(truce_zone_index_new(&poly, 1, &z), TRUCE_OK);
    truce_sector s = {36.5, 35.8, -60, 60, 0, 3000};
    truce_position p;
    double frac;
    assert_int_equal(truce_sector_locate(&s, 0, zone_test, z, &p, &frac), TRUCE_OK);
    assert_int_equal(p, TRUCE_POS_UNCERTAIN);
    assert_true(fabs(frac - 0.5) < 0.01);
    s.bearing_min_deg = 10; /* the east side only: inside (touching at the observer) */
    s.bearing_max_deg = 170;
    s.distance_min_m = 50;
    assert_int_equal(truce_sector_locate(&s, 0, zone_test, z, &p, &frac), TRUCE_OK);
    assert_int_equal(p, TRUCE_POS_INSIDE);
    assert_true(frac == 1);
    s.bearing_min_deg = 190; /* the west side: outside */
    s.bearing_max_deg = 350;
    assert_int_equal(truce_sector_locate(&s, 0, zone_test, z, &p, &frac), TRUCE_OK);
    assert_int_equal(p, TRUCE_POS_OUTSIDE);
    assert_true(frac == 0);
    truce_zone_index_free(z);
}

int main(void)
{
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(area_matches_polygon_area), cmocka_unit_test(checks_refuse_bad_sectors),
        cmocka_unit_test(disk_covers_sector),        cmocka_unit_test(corridor_edge_cases),
        cmocka_unit_test(zone_edge_halves_sector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
