/* Selecting features by box and interval: see truce/feature_query.h. */
#include "truce/feature_query.h"

#include <math.h>

#include "truce/time.h"

void truce_box_init(truce_box *b)
{
    b->min_lon = b->min_lat = HUGE_VAL;
    b->max_lon = b->max_lat = -HUGE_VAL;
}

int truce_box_empty(const truce_box *b)
{
    return !(b->min_lon <= b->max_lon && b->min_lat <= b->max_lat);
}

void truce_box_add(truce_box *b, const double *lonlat, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        b->min_lon = fmin(b->min_lon, lonlat[2 * i]);
        b->max_lon = fmax(b->max_lon, lonlat[2 * i]);
        b->min_lat = fmin(b->min_lat, lonlat[2 * i + 1]);
        b->max_lat = fmax(b->max_lat, lonlat[2 * i + 1]);
    }
}

void truce_feature_extent_init(truce_feature_extent *e)
{
    truce_box_init(&e->box);
    e->from_s = TRUCE_TIME_MAX;
    e->until_s = TRUCE_TIME_MIN;
}

void truce_feature_extent_join(truce_feature_extent *all, const truce_feature_extent *one)
{
    if (!truce_box_empty(&one->box)) {
        double corners[4] = {one->box.min_lon, one->box.min_lat, one->box.max_lon,
                             one->box.max_lat};
        truce_box_add(&all->box, corners, 2);
    }
    if (one->from_s < all->from_s)
        all->from_s = one->from_s;
    if (one->until_s > all->until_s)
        all->until_s = one->until_s;
}

void truce_feature_query_init(truce_feature_query *q)
{
    q->has_box = 0;
    truce_box_init(&q->box);
    q->from_s = TRUCE_TIME_MIN;
    q->to_s = TRUCE_TIME_MAX;
}

int truce_feature_query_meets(const truce_feature_query *q, const truce_box *b, int64_t from_s,
                              int64_t until_s)
{
    if (!q)
        return 1;
    if (from_s >= q->to_s || until_s <= q->from_s)
        return 0;
    if (!q->has_box)
        return 1;
    if (!b || truce_box_empty(b) || b->min_lat > q->box.max_lat || b->max_lat < q->box.min_lat)
        return 0;
    if (q->box.min_lon <= q->box.max_lon)
        return b->min_lon <= q->box.max_lon && b->max_lon >= q->box.min_lon;
    /* The query crosses the antimeridian: [min_lon, 180] and [-180, max_lon]. */
    return b->max_lon >= q->box.min_lon || b->min_lon <= q->box.max_lon;
}
