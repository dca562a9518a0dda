/* truce — which features a client asks for by place and time: OGC API
 * Features' `bbox` and `datetime` (truce serve's collections under /ogc),
 * over features that have a bounding box and an interval of time.
 *
 * A box is WGS84 longitude and latitude in degrees; a query's box may cross
 * the antimeridian (min_lon > max_lon, OGC API Features' rule); a feature's
 * box never does (it is the min and max of its coordinates).  Boxes are
 * closed: touching edges meet.  Times are POSIX seconds, intervals
 * half-open [from_s, until_s), TRUCE_TIME_MIN and TRUCE_TIME_MAX (time.h)
 * for open ends.
 */
#ifndef TRUCE_FEATURE_QUERY_H
#define TRUCE_FEATURE_QUERY_H

#include <stddef.h>
#include <stdint.h>

typedef struct truce_box {
    double min_lon, min_lat, max_lon, max_lat;
} truce_box;

/* An empty box: truce_box_add grows it; truce_box_empty says so. */
void truce_box_init(truce_box *b);
int truce_box_empty(const truce_box *b);

/* Grow b to hold n positions (lonlat: 2n doubles, interleaved). */
void truce_box_add(truce_box *b, const double *lonlat, size_t n);

typedef struct truce_feature_query {
    int has_box;
    truce_box box;        /* with has_box */
    int64_t from_s, to_s; /* the interval asked for, [from_s, to_s) */
} truce_feature_query;

/* Where and when a feature (or a layer of them) lies: its box (empty for
 * none) and its interval [from_s, until_s). */
typedef struct truce_feature_extent {
    truce_box box;
    int64_t from_s, until_s;
} truce_feature_extent;

/* Nothing yet: an empty box, an empty interval (from_s TRUCE_TIME_MAX,
 * until_s TRUCE_TIME_MIN). */
void truce_feature_extent_init(truce_feature_extent *e);

/* Grow `all` to hold `one` too. */
void truce_feature_extent_join(truce_feature_extent *all, const truce_feature_extent *one);

/* Everything: no box, all of time. */
void truce_feature_query_init(truce_feature_query *q);

/* Whether a feature with box `b` (NULL or empty: no geometry, which no box
 * meets) and interval [from_s, until_s) meets q (NULL: everything does):
 * the boxes share a point, and the intervals share an instant. */
int truce_feature_query_meets(const truce_feature_query *q, const truce_box *b, int64_t from_s,
                              int64_t until_s);

#endif
