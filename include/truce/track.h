/* truce — GPS tracks: the GPX reader and writer, track measures, and a
 * generator of synthetic patrol tracks.
 *
 * A GPX file (GPX 1.0 or 1.1, http://www.topografix.com/GPX/1/1) is read
 * into a truce_gpx: its tracks (<trk>, and <rte> routes as one-segment
 * tracks), each with its segments and points, and its waypoints (<wpt>).
 * The model is plain data: read the fields directly.  Everything reachable
 * from a truce_gpx is owned by it and freed by truce_gpx_free.
 *
 * Positions are WGS84 latitude/longitude in degrees.  Instants are POSIX
 * seconds (time.h) held as double so that fractional seconds survive; a
 * double resolves better than a microsecond for any year before 2200.
 * Distances are geodesics on WGS84 (PROJ's <geodesic.h>, C. F. F. Karney,
 * "Algorithms for geodesics", J. Geodesy 87, 43-55, 2013).
 */
#ifndef TRUCE_TRACK_H
#define TRUCE_TRACK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "truce/diag.h"
#include "truce/status.h"

/* What the reader noticed about a point it kept: a bitmask in
 * truce_track_point.flags.  A point whose position is unusable (lat or lon
 * missing, not a number, or out of range) is not kept at all: it is
 * rejected, counted in truce_track.rejected and reported as an error. */
typedef enum truce_point_flag {
    TRUCE_PT_NO_TIME = 1u << 0,   /* no <time>: kept, with time_s NAN */
    TRUCE_PT_BAD_TIME = 1u << 1,  /* a <time> that is not an ISO 8601 date-time: as NO_TIME */
    TRUCE_PT_BACKWARDS = 1u << 2, /* earlier than the previous timed point of its segment */
    TRUCE_PT_TOO_FAST = 1u << 3,  /* the speed from the previous timed point of its segment
                                     exceeds truce_gpx_options.max_speed_mps */
    TRUCE_PT_BAD_ELE = 1u << 4    /* an <ele> that is not a number: ele_m is NAN */
} truce_point_flag;

/* Number of flags above, and their names ("no_time", "bad_time",
 * "backwards", "too_fast", "bad_ele") indexed by bit position. */
#define TRUCE_PT_NFLAGS 5
const char *truce_point_flag_name(unsigned bit);

typedef struct truce_track_point {
    double lat;     /* degrees, in [-90, 90] */
    double lon;     /* degrees, in [-180, 180] */
    double ele_m;   /* elevation, metres, as the file gives it (GPX: above mean sea level);
                       NAN when absent */
    double time_s;  /* POSIX seconds, UTC; NAN when absent or unreadable */
    long line;      /* line of the point's start tag in the file; 0 when generated */
    uint32_t flags; /* truce_point_flag bits */
} truce_track_point;

/* A segment: points[first .. first + count) of its track.  GPS gaps (a
 * receiver switched off) separate segments; nothing is measured across one. */
typedef struct truce_track_segment {
    size_t first;
    size_t count;
} truce_track_segment;

typedef enum truce_track_kind {
    TRUCE_TRACK_TRK = 0, /* a <trk> (recorded track) */
    TRUCE_TRACK_RTE = 1  /* a <rte> (planned route): one segment, points from <rtept> */
} truce_track_kind;

typedef struct truce_track {
    truce_track_kind kind;
    char *name;                /* owned; from <name>; NULL when absent */
    char *desc;                /* owned; from <desc>; NULL when absent (the generator
                                  records what it injected here, truce_gen_truth_parse) */
    truce_track_point *points; /* owned; npoints entries, in file order */
    size_t npoints;
    truce_track_segment *segments; /* owned; nsegments entries */
    size_t nsegments;
    size_t rejected; /* points of this track rejected for an unusable position */
    long line;       /* line of the <trk>/<rte> start tag; 0 when generated */
} truce_track;

typedef struct truce_waypoint {
    char *name;                     /* owned; NULL when absent */
    double lat, lon, ele_m, time_s; /* as in truce_track_point */
    long line;
    uint32_t flags; /* TRUCE_PT_BAD_TIME, TRUCE_PT_BAD_ELE only (a waypoint needs no time) */
} truce_waypoint;

typedef struct truce_gpx {
    char *path;          /* owned; the file it was read from or the name given; may be NULL */
    char *version;       /* owned; the version attribute ("1.0", "1.1"); NULL when absent */
    char *creator;       /* owned; the creator attribute; NULL when absent */
    truce_track *tracks; /* owned; ntracks entries, <trk> and <rte> in file order */
    size_t ntracks;
    truce_waypoint *waypoints; /* owned; nwaypoints entries */
    size_t nwaypoints;
    size_t rejected; /* all rejected points: those of the tracks and waypoints */
} truce_gpx;

/* Hard caps and thresholds of the reader.  Every cap, when exceeded, stops
 * the read with an error diagnostic (TRUCE_E_INVALID); none is silently
 * truncated. */
typedef struct truce_gpx_options {
    size_t max_depth;     /* element nesting (default 64) */
    size_t max_text;      /* bytes of text in one element or attribute the reader uses
                             (<name>, <desc>, <ele>, <time>, lat, lon; default 65536) */
    size_t max_points;    /* <trkpt> + <rtept> + <wpt> in one file (default 10,000,000;
                             about 48 bytes of memory each) */
    size_t max_tracks;    /* <trk> + <rte> in one file (default 100,000) */
    size_t max_diags;     /* diagnostics listed per file; the rest are counted in one
                             final warning (default 200) */
    double max_speed_mps; /* TRUCE_PT_TOO_FAST above this (default 300 km/h = 83.33 m/s) */
} truce_gpx_options;

/* Fill `opt` with the defaults above. */
void truce_gpx_options_init(truce_gpx_options *opt);

/* Read a GPX file, streaming it through expat in blocks, so memory is what
 * the kept data needs (plus expat's buffer for the longest single token).
 *
 * Every problem becomes a diagnostic in `diags` (initialised by the caller)
 * with the file name and line: rejected points are errors; flagged points and
 * points in unexpected places are warnings.  `opt` may be NULL for the
 * defaults.
 *
 * Returns TRUCE_OK with *out a new truce_gpx (free with truce_gpx_free) when
 * the document was read to its end -- diags may still hold errors for
 * rejected points.  Otherwise *out is NULL and the status is TRUCE_E_IO (the
 * file cannot be read), TRUCE_E_PARSE (not well-formed XML: expat's message
 * and line), TRUCE_E_INVALID (not a <gpx> document, a DOCTYPE, or a cap
 * exceeded), TRUCE_E_NOMEM or TRUCE_E_ARG. */
truce_status truce_gpx_load(const char *path, const truce_gpx_options *opt, truce_gpx **out,
                            truce_diags *diags);

/* As truce_gpx_load, from `len` bytes in memory; `name` labels diagnostics
 * (may be NULL).  `data` need not be NUL-terminated and is not kept. */
truce_status truce_gpx_parse(const char *data, size_t len, const char *name,
                             const truce_gpx_options *opt, truce_gpx **out, truce_diags *diags);

/* Free a truce_gpx and everything it owns (NULL is a no-op). */
void truce_gpx_free(truce_gpx *gpx);

/* Set up an empty track (no allocation). */
void truce_track_init(truce_track *track);

/* Free what a track owns; it is empty afterwards. */
void truce_track_release(truce_track *track);

/* Write `gpx` as GPX 1.1 to `out`: tracks (as <trk>, or <rte> for
 * TRUCE_TRACK_RTE) with name, desc and points with lat/lon (7 decimals,
 * about 1 cm), <ele> and <time> (UTC, milliseconds) when present, then the
 * waypoints -- before the tracks, as GPX 1.1 orders them.  Text is escaped
 * as the SVG writer escapes it (truce_xml_escape, svg.h): what XML cannot
 * hold, bytes that are not UTF-8 included, becomes U+FFFD.
 * Returns TRUCE_E_IO when a write fails. */
truce_status truce_gpx_write(FILE *out, const truce_gpx *gpx);

/* ---- measures (no route needed) ------------------------------------- */

typedef struct truce_track_summary {
    size_t npoints;
    size_t nsegments;
    size_t ntimed;                   /* points with a time */
    size_t rejected;                 /* copied from the track */
    size_t flagged[TRUCE_PT_NFLAGS]; /* points with each flag, by bit position */
    double length_m;      /* geodesic length: the sum over segments of the distances between
                             consecutive points; 0 for fewer than two points */
    double start_s;       /* earliest time of a point; NAN when no point has one */
    double end_s;         /* latest time; NAN when none */
    double duration_s;    /* end_s - start_s; NAN when none */
    double max_speed_mps; /* the largest speed of truce_track_speeds; NAN when none */
} truce_track_summary;

/* Summarise a track.  Returns TRUCE_E_ARG for NULL arguments. */
truce_status truce_track_summarize(const truce_track *track, truce_track_summary *out);

/* The speed at every point, into the caller's array of track->npoints
 * doubles: the geodesic distance from the previous timed point of the same
 * segment divided by the time between them (m/s); NAN for a point with no
 * time, the first timed point of a segment, or a time not after the previous
 * one.  Returns TRUCE_E_ARG for NULL arguments. */
truce_status truce_track_speeds(const truce_track *track, double *speeds_mps);

/* A stop: the track stayed slower than a threshold for a while. */
typedef struct truce_stop {
    double start_s;  /* time of the first point of the stop */
    double end_s;    /* time of the last point of the stop */
    double lat, lon; /* mean position of its points, degrees */
    size_t first;    /* index of its first point in the track */
    size_t count;    /* its points */
} truce_stop;

typedef struct truce_stops {
    truce_stop *items; /* owned; count entries in time order */
    size_t count;
} truce_stops;

/* The stops `truce track` and `truce patrol` find by default: slower than
 * 3.6 km/h for at least two minutes. */
#define TRUCE_STOP_SPEED_MPS_DEFAULT 1.0
#define TRUCE_STOP_MIN_S_DEFAULT 120.0

/* Find the stops of a track: maximal runs of timed points, within one
 * segment, where every step between consecutive timed points is slower than
 * `max_speed_mps` (>= 0) and that last at least `min_duration_s` (> 0).  A
 * step whose time does not advance ends a run.  *out is filled (release with
 * truce_stops_release).  Returns TRUCE_E_ARG for NULL or out-of-range
 * arguments, TRUCE_E_NOMEM. */
truce_status truce_track_stops(const truce_track *track, double max_speed_mps,
                               double min_duration_s, truce_stops *out);

/* Free the list; it is empty afterwards. */
void truce_stops_release(truce_stops *stops);

/* ---- synthetic patrol tracks ---------------------------------------- */

/* What to generate along a route.  Chainage is metres along the route from
 * its first vertex.  A feature is off when its parameter is 0 (or, for the
 * stop, stop_duration_s is 0). */
typedef struct truce_gen_options {
    double spacing_m;       /* distance between points along the route, > 0 (default 25) */
    double speed_mps;       /* travel speed, > 0 (default 40 km/h = 11.11 m/s) */
    double start_s;         /* time of the first point, POSIX seconds (default 0) */
    double noise_m;         /* standard deviation of Gaussian position noise, metres, per axis
                               (east and north); 0: none (default) */
    uint64_t seed;          /* seed of the noise generator (default 1) */
    double detour_from_m;   /* chainage where the detour leaves the route */
    double detour_to_m;     /* chainage where it rejoins (> detour_from_m) */
    double detour_offset_m; /* its distance from the route: > 0 left of the direction of
                               travel, < 0 right; 0: no detour (default) */
    double turn_back_m;     /* chainage where the patrol turns back and returns along the
                               route to its start; 0: it runs to the end (default) */
    double stop_at_m;       /* chainage of a stop on the way out */
    double stop_duration_s; /* how long it stays there; 0: no stop (default) */
    size_t max_points;      /* refuse to generate more (default 10,000,000) */
} truce_gen_options;

/* Fill `opt` with the defaults above. */
void truce_gen_options_init(truce_gen_options *opt);

/* The truth of a generated track, for tests and demos to compare with. */
typedef struct truce_gen_truth {
    double route_length_m; /* geodesic length of the route */
    double covered_from_m; /* the chainage interval of the route the track covers */
    double covered_to_m;
    double path_length_m;              /* geodesic length of the noise-free track */
    double start_s, end_s;             /* times of the first and last points */
    double detour_from_m, detour_to_m; /* as requested; 0, 0 when there is none */
    double detour_max_offset_m;        /* the detour's greatest distance from the route: |offset| */
    double stop_start_s, stop_end_s;   /* NAN when there is no stop */
    double stop_lat, stop_lon;         /* NAN when there is no stop */
} truce_gen_truth;

/* Generate one track along the route `lonlat` (n >= 2 vertices, interleaved
 * lon0, lat0, lon1, lat1, ..., as truce_line in agreement.h):
 *
 * - points at every multiple of spacing_m of chainage and at every vertex, on
 *   the geodesic segments between vertices, so that a noise-free track is as
 *   long as the route;
 * - times from the distance travelled at speed_mps;
 * - the detour: at detour_from_m the track leaves the route along the
 *   geodesic perpendicular to it, runs at |detour_offset_m| beside it (each
 *   point the perpendicular offset of a route point) and comes back
 *   perpendicularly at detour_to_m;
 * - the stop: at stop_at_m the track stays put, one point every
 *   spacing_m / speed_mps seconds, for stop_duration_s;
 * - the turn-back: the track goes to turn_back_m and returns to chainage 0
 *   (the detour and the stop happen on the way out);
 * - noise, last: every point displaced by Gaussian east and north errors
 *   (Box-Muller on a splitmix64 stream seeded with `seed`, so a seed always
 *   gives the same track).
 *
 * The track (one segment, kind TRUCE_TRACK_TRK, named "synthetic patrol")
 * goes into *track, which the caller set up with truce_track_init and
 * releases with truce_track_release; its desc records the truth as
 * "truce-gen key=value ..." (truce_gen_truth_parse reads it back).  `truth`
 * may be NULL.  Returns TRUCE_E_ARG for a route with fewer than 2 vertices or
 * no length, or options out of range (a turn-back beyond the end, a detour
 * or stop outside the covered chainage, a stop within the detour),
 * TRUCE_E_RANGE when more than max_points would be made, TRUCE_E_NOMEM. */
truce_status truce_track_generate(const double *lonlat, size_t n, const truce_gen_options *opt,
                                  truce_track *track, truce_gen_truth *truth);

/* Read the truth back from a generated track's desc.  Returns TRUCE_E_PARSE
 * when `desc` is not one the generator wrote. */
truce_status truce_gen_truth_parse(const char *desc, truce_gen_truth *truth);

#endif
