/* truce — the agreement: parties, the ceasefire instant, zones, corridors,
 * patrol routes and rules, each valid over an interval (amendments).
 *
 * An agreement is read from a GeoJSON FeatureCollection (RFC 7946) with a
 * foreign member "agreement"; docs/agreement.md is the format.  The model is
 * plain data: read the fields directly.  Everything reachable from a
 * truce_agreement is owned by it and freed by truce_agreement_free.
 *
 * Lines and polygons are the geometry types of geometry.h (WGS84
 * longitude/latitude in degrees, interleaved).  Instants are POSIX seconds (time.h).
 */
#ifndef TRUCE_AGREEMENT_H
#define TRUCE_AGREEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "truce/corridor.h"
#include "truce/diag.h"
#include "truce/geometry.h"
#include "truce/status.h"
#include "truce/time.h"
#include "truce/tz.h"
#include "truce/window.h"

/* When an item is in force: the half-open interval [from_s, until_s).
 * TRUCE_TIME_MIN / TRUCE_TIME_MAX mark an open end.  The text as written is
 * kept for display (NULL when absent). */
typedef struct truce_validity {
    int64_t from_s;
    int64_t until_s;
    char *from_text;  /* owned; as written in the file */
    char *until_text; /* owned */
} truce_validity;

typedef struct truce_zone {
    char *id;                /* owned; never NULL (features without an id get "zone-<index>") */
    char *name;              /* owned; may be NULL */
    truce_polygon *polygons; /* owned; npolygons (a Polygon has 1) */
    size_t npolygons;
    double area_m2; /* geodesic area on WGS84 (outer rings minus holes) */
    truce_validity valid;
    size_t feature_index; /* position in the file's "features" array */
} truce_zone;

typedef struct truce_corridor_def {
    char *id;          /* owned; never NULL */
    char *name;        /* owned; may be NULL */
    truce_line *roads; /* owned; nroads parts (a LineString has 1) */
    size_t nroads;
    double left_m;   /* depth left of the direction of travel, metres, >= 0 */
    double right_m;  /* depth right of the direction of travel, metres, >= 0 */
    double length_m; /* geodesic length of all parts of the road */
    truce_validity valid;
    size_t feature_index;
} truce_corridor_def;

typedef struct truce_patrol_route {
    char *id;         /* owned; never NULL */
    char *name;       /* owned; may be NULL */
    char *start_name; /* owned; the named start ("Trumba"); may be NULL */
    char *end_name;   /* owned; may be NULL */
    char *corridor;   /* owned; id of the corridor the route runs in; may be NULL */
    truce_line route;
    double length_m;
    truce_validity valid;      /* from_s is the date patrols start */
    int has_window;            /* 1 when the route gives an allowed daily window */
    truce_daily_window window; /* the hours patrols may run, local time ("window") */
    size_t feature_index;
} truce_patrol_route;

/* A place named in the agreement (role "place"): a reference for maps, not
 * used in verdicts.  A MultiPoint gives one place per point, all with the
 * feature's name. */
typedef struct truce_place {
    char *name; /* owned; may be NULL */
    double lon; /* degrees, in [-180, 180] */
    double lat; /* degrees, in [-90, 90] */
    size_t feature_index;
} truce_place;

/* A place or area in need of aid (role "need"; docs/aid.md): a Point with
 * a radius, or a Polygon or MultiPolygon.  Aid records belong to it by name
 * (ASCII case-insensitive), by admin code or by location. */
typedef struct truce_need {
    char *id;               /* owned; never NULL */
    char *name;             /* owned; may be NULL */
    char *admin_code;       /* owned; "admin_code", e.g. an OCHA p-code; may be NULL */
    int64_t people_in_need; /* >= 0, or -1 when not given */
    int reach_every_days;   /* the target: no stretch longer without a delivery; 0: none */
    int is_point;           /* 1: the disk of radius_m around (lon, lat) */
    double lon;             /* degrees (is_point) */
    double lat;
    double radius_m;         /* metres, > 0 (is_point) */
    truce_polygon *polygons; /* owned; npolygons (not is_point) */
    size_t npolygons;
    size_t feature_index;
} truce_need;

/* A border crossing aid comes through (role "crossing"): a Point. */
typedef struct truce_crossing {
    char *id;   /* owned; never NULL */
    char *name; /* owned; may be NULL */
    double lon; /* degrees */
    double lat;
    size_t feature_index;
} truce_crossing;

/* A road convoys take (role "aid_route"): a LineString measured like a
 * corridor's road; incidents within buffer_m of it are counted along it. */
typedef struct truce_aid_route {
    char *id;   /* owned; never NULL */
    char *name; /* owned; may be NULL */
    truce_line route;
    double length_m; /* geodesic length */
    double buffer_m; /* "buffer_m", metres (default 2000) */
    size_t feature_index;
} truce_aid_route;

/* Which phase of the agreement a rule applies in. */
typedef enum truce_rule_phase {
    TRUCE_PHASE_AFTER = 0, /* from the ceasefire instant on (default) */
    TRUCE_PHASE_BEFORE = 1,
    TRUCE_PHASE_ANY = 2
} truce_rule_phase;

/* A list of strings (owned). */
typedef struct truce_strings {
    char **items;
    size_t count;
} truce_strings;

/* A rule: events that match every given criterion are violations.  An empty
 * list means "any".  Matching is ASCII case-insensitive; actors match when
 * the pattern occurs as a substring of an event's actor. */
typedef struct truce_rule {
    char *id;          /* owned; never NULL */
    char *description; /* owned; may be NULL */
    truce_rule_phase phase;
    truce_strings event_types;   /* event types (ACLED event_type, UCDP type, ...) */
    truce_strings sub_types;     /* ACLED sub_event_type and similar */
    truce_strings actors;        /* at least one actor must match (empty: any) */
    truce_strings except_actors; /* no actor may match (e.g. UN-designated groups) */
    truce_strings zones;         /* inside any of these zones (empty: anywhere) */
    truce_strings corridors;     /* inside any of these corridors (empty: anywhere) */
    int min_fatalities;          /* 0: any */
    truce_validity valid;
    size_t rule_index; /* position in agreement.rules */
} truce_rule;

typedef struct truce_agreement {
    char *path;  /* owned; the file it was read from, or the name given */
    char *id;    /* owned; may be NULL */
    char *title; /* owned; may be NULL */
    truce_strings parties;
    char *timezone_name;         /* owned; IANA name */
    truce_tz *tz;                /* owned */
    truce_civil ceasefire_local; /* as written */
    int64_t ceasefire_s;         /* the ceasefire instant (UTC) */
    int32_t ceasefire_offset_s;  /* the zone's offset at that instant */
    truce_zone *zones;
    size_t nzones;
    truce_corridor_def *corridors;
    size_t ncorridors;
    truce_patrol_route *routes;
    size_t nroutes;
    truce_rule *rules;
    size_t nrules;
    truce_place *places; /* in file order */
    size_t nplaces;
    truce_need *needs; /* the humanitarian provisions, in file order */
    size_t nneeds;
    truce_crossing *crossings;
    size_t ncrossings;
    truce_aid_route *aid_routes;
    size_t naid_routes;
} truce_agreement;

/* Read and validate an agreement file.  Every problem found is appended to
 * `diags` (which the caller initialised); the load goes on past errors so that
 * all of them are reported.  Returns TRUCE_OK with *out set to a new agreement
 * (free with truce_agreement_free) when there are no errors; otherwise *out is
 * NULL and the status is TRUCE_E_IO (unreadable file), TRUCE_E_PARSE (not
 * JSON) or TRUCE_E_INVALID (see diags). */
truce_status truce_agreement_load(const char *path, truce_agreement **out, truce_diags *diags);

/* As truce_agreement_load, from a buffer of `len` bytes; `name` labels
 * diagnostics (may be NULL). */
truce_status truce_agreement_parse(const char *data, size_t len, const char *name,
                                   truce_agreement **out, truce_diags *diags);

/* Free an agreement and everything it owns (NULL is a no-op). */
void truce_agreement_free(truce_agreement *agreement);

/* Look items up by id; NULL when there is none. */
const truce_zone *truce_agreement_zone(const truce_agreement *a, const char *id);
const truce_corridor_def *truce_agreement_corridor(const truce_agreement *a, const char *id);
const truce_patrol_route *truce_agreement_route(const truce_agreement *a, const char *id);
const truce_need *truce_agreement_need(const truce_agreement *a, const char *id);

/* A corridor engine (corridor.h) over the road of an agreement's corridor,
 * with the corridor's own depths, or `left_m` / `right_m` instead where
 * those are >= 0.  Statuses as truce_corridor_new. */
truce_status truce_corridor_from_def(const truce_corridor_def *def, double left_m, double right_m,
                                     truce_corridor **out);

/* Whether a validity interval contains an instant. */
int truce_validity_contains(const truce_validity *v, int64_t instant_s);

#endif
