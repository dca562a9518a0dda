/* truce — the map: an agreement, its events and patrol tracks drawn as one
 * SVG document (docs/map.md).
 *
 * The renderer is pure: it takes the agreement, the events the caller has
 * already judged (as marks: a place, a class, fatalities, an id and a label),
 * optional GPX tracks and optional country borders, and returns SVG text
 * written through the SVG writer (svg.h), so every piece of text taken from
 * input is escaped.  It reads no file and keeps no state.
 *
 * What is drawn, bottom to top, each layer a <g class="...">:
 *   "borders"    country polygons (borders.h)
 *   "zones"      the agreement's zones
 *   "corridors"  each corridor's area (corridor.h, truce_corridor_area)
 *   "roads"      each corridor's road
 *   "routes"     patrol routes (dashed)
 *   "tracks"     GPX tracks
 *   "places"     places named in the agreement, labelled
 *   "events"     one <circle class="event CLASS" data-id="ID"> per located
 *                mark, with a <title> holding its label; or, past
 *                opt->cluster_above located marks, one pie per grid cell,
 *                <g class="event-cell" data-count="TOTAL"> of one element per class present,
 *                class="event-cluster CLASS" data-count="N" (a wedge, or a
 *                <circle> when the cell holds one class), each with a <title>
 *                (docs/map.md, "Many events")
 *   "legend", "scale-bar", "north-arrow", "title"
 *
 * The document defines one id, "truce-map-frame" (the clip path of the map
 * frame); a page that inlines two maps of different sizes must rename one.
 *
 * Projection: an azimuthal equidistant projection (PROJ "+proj=aeqd" on
 * WGS84) centred on the area of interest -- the agreement's geometry and the
 * located marks, with a margin -- so the scale bar is true at the centre.
 */
#ifndef TRUCE_MAP_H
#define TRUCE_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "truce/alloc.h"
#include "truce/agreement.h"
#include "truce/borders.h"
#include "truce/classify.h"
#include "truce/event.h"
#include "truce/sector.h"
#include "truce/status.h"
#include "truce/track.h"

/* How an event is drawn: its colour and legend entry. */
typedef enum truce_map_class {
    TRUCE_MAP_VIOLATION = 0, /* the verdict is a violation */
    TRUCE_MAP_POSSIBLE = 1,  /* a possible violation */
    TRUCE_MAP_NONE = 2,      /* no violation, at or after the ceasefire */
    TRUCE_MAP_BEFORE = 3,    /* no violation, before the ceasefire */
    TRUCE_MAP_NCLASSES = 4
} truce_map_class;

/* "violation", "possible", "none", "before" (the CSS class of a marker);
 * "none" for a value out of range. */
const char *truce_map_class_name(truce_map_class cls);

/* The colour a class is drawn in, wherever truce draws events (map
 * markers, timeline bars, the report's tables): "#d7191c" (violation, red),
 * "#f28e2b" (possible, orange), "#2c7bb6" (none, blue), "#8c8c8c" (before,
 * grey) -- a CSS/SVG colour, a static string; "none"'s for a value out of
 * range. */
const char *truce_map_class_colour(truce_map_class cls);

/* The words a legend gives a class: "violation", "possible violation", "no
 * violation", "before the ceasefire" (a static string; "no violation" for a
 * value out of range). */
const char *truce_map_class_label(truce_map_class cls);

/* The class of a verdict: violation and possible as the verdict says;
 * otherwise "before" when the event ended before the ceasefire instant
 * (phase before), else "none". */
truce_map_class truce_map_class_of(const truce_verdict *verdict);

/* The room truce_map_mark_label needs: a longer label is cut. */
#define TRUCE_MAP_LABEL_MAX 2048

/* The tooltip of an event's marker, as truce map and the HTML report show
 * it, in lines:
 *
 *     ID, WHEN: REASON                 (WHEN: truce_event_when_local, event.h)
 *     TYPE; ACTOR1 vs ACTOR2; N fatalities   (or "fatalities unknown")
 *     PLACE
 *     NOTES                            (the first 300 bytes, then an ellipsis)
 *
 * with absent fields left out.  `a` gives the time zone of WHEN.  Written
 * into buf (`size` bytes; the caller owns it), NUL-terminated; a label that
 * does not fit is cut at a UTF-8 character boundary (TRUCE_MAP_LABEL_MAX
 * bytes hold any label with fields of ordinary length).  Returns the
 * label's length in bytes, or 0 (and buf "" when size > 0) for a NULL
 * argument.  Reads only its arguments, so it is safe on any thread. */
size_t truce_map_mark_label(const truce_agreement *a, const truce_event *event,
                            const truce_verdict *verdict, char *buf, size_t size);

/* One event to draw, prepared by the caller.  Strings are borrowed for the
 * duration of truce_map_render. */
typedef struct truce_map_mark {
    int has_location;    /* 0: not drawn, counted in truce_map_stats.unlocated */
    double lon;          /* degrees, in [-180, 180] */
    double lat;          /* degrees, in [-90, 90] */
    truce_map_class cls; /* in [0, TRUCE_MAP_NCLASSES) */
    int64_t fatalities;  /* >= 0, or TRUCE_COUNT_UNKNOWN (event.h): drawn at the minimum size */
    const char *id;      /* data-id of the marker; may be NULL */
    const char *label;   /* the marker's <title> (tooltip); may be NULL */
    /* A sighting's sector (event.h), drawn as an area under the markers
     * when the events are drawn one by one; has_sector 0 for none. */
    int has_sector;
    truce_sector sector;
} truce_map_mark;

/* What to draw.  Everything is borrowed for the duration of
 * truce_map_render. */
typedef struct truce_map_data {
    const truce_agreement *agreement; /* required */
    const truce_map_mark *marks;      /* nmarks entries; may be NULL when nmarks is 0 */
    size_t nmarks;
    const truce_gpx *const *tracks; /* GPX files whose tracks are drawn; may be NULL */
    size_t ntracks;
    const truce_borders *borders; /* country borders; NULL for none */
    const struct truce_aid *aid;  /* a finished humanitarian accumulator (aid.h): places in
                                     need coloured by days since the last delivery, access
                                     incidents, returns per place; NULL for none */
} truce_map_data;

/* The default threshold of truce_map_options.cluster_above. */
#define TRUCE_MAP_CLUSTER_ABOVE 2000

typedef struct truce_map_options {
    double width_px;        /* the document's width, CSS pixels, in [200, 16384] (default 1000) */
    double height_px;       /* its height, in [150, 16384] (default 760) */
    const char *title;      /* NULL: the agreement's title, else its id, else "truce map" */
    const char *note;       /* an extra line under the dates (e.g. where the events come
                               from); NULL for none */
    size_t cluster_above;   /* more located marks than this are aggregated into grid
                               cells (default TRUCE_MAP_CLUSTER_ABOVE); SIZE_MAX: never */
    double cluster_cell_px; /* the grid's cell size, pixels, in [4, 200] (default 24) */
    int xml_declaration;    /* 1: a standalone .svg file (default); 0: inline in HTML */
} truce_map_options;

/* Fill `opt` with the defaults above. */
void truce_map_options_init(truce_map_options *opt);

/* What a render drew. */
typedef struct truce_map_stats {
    size_t located;        /* marks with a location */
    size_t unlocated;      /* marks without one: not drawn */
    size_t markers;        /* <circle class="event ..."> elements: `located` unless clustered */
    size_t clusters;       /* class="event-cluster ..." elements (one per cell and class);
                              0 unless clustered */
    int clustered;         /* 1 when located > cluster_above */
    double scale_px_per_m; /* pixels per metre at the centre of the projection */
} truce_map_stats;

/* Draw the map.  On success *svg is a new NUL-terminated SVG document of
 * *len bytes (truce_free() it) and *stats (may be NULL) says what was drawn.
 * Returns TRUCE_E_ARG for NULL arguments or options out of range,
 * TRUCE_E_RANGE for a located mark with a coordinate out of range or a class
 * out of range, TRUCE_E_INTERNAL when PROJ cannot make the projection (or
 * GEOS a corridor's area), TRUCE_E_NOMEM; *svg is then NULL. */
truce_status truce_map_render(const truce_map_data *data, const truce_map_options *opt, char **svg,
                              size_t *len, truce_map_stats *stats);

#endif
