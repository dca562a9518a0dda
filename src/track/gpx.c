/* The GPX reader: GPX 1.0 and 1.1 through expat's streaming callbacks into a
 * truce_gpx (truce/track.h).
 *
 * The reader keeps a small stack of the GPX elements it uses (gpx, trk, rte,
 * trkseg, trkpt, rtept, wpt, and the text elements name, desc, ele, time);
 * every other element -- <metadata>, <extensions>, <link>, anything in a
 * foreign namespace -- is skipped with its whole subtree, so text is only
 * buffered where it is used and never beyond truce_gpx_options.max_text.
 * Each point is checked when its end tag is seen; its diagnostics carry the
 * line of its start tag. */
#include <errno.h>
#include <expat.h>
#include <geodesic.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/time.h"
#include "base/digits.h"
#include "time/time_rules.h"
#include "truce/track.h"
#include "base/alloc.h"
#include "base/util.h"

#define NS_GPX10 "http://www.topografix.com/GPX/1/0"
#define NS_GPX11 "http://www.topografix.com/GPX/1/1"
#define NS_SEP '\n' /* attribute normalisation turns newlines in a URI into spaces */
#define READ_BLOCK (1 << 16)
#define STACK_MAX 8 /* gpx > trk > trkseg > trkpt > time, with room to spare */

static const char *const flag_names[TRUCE_PT_NFLAGS] = {"no_time", "bad_time", "backwards",
                                                        "too_fast", "bad_ele"};

const char *truce_point_flag_name(unsigned bit)
{
    return bit < TRUCE_PT_NFLAGS ? flag_names[bit] : "unknown";
}

void truce_gpx_options_init(truce_gpx_options *opt)
{
    opt->max_depth = 64;
    opt->max_text = 65536;
    opt->max_points = 10000000;
    opt->max_tracks = 100000;
    opt->max_diags = 200;
    opt->max_speed_mps = 300.0 / 3.6;
}

void truce_track_init(truce_track *t)
{
    memset(t, 0, sizeof *t);
}

void truce_track_release(truce_track *t)
{
    trc_free(t->name);
    trc_free(t->desc);
    trc_free(t->points);
    trc_free(t->segments);
    truce_track_init(t);
}

void truce_gpx_free(truce_gpx *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->ntracks; i++)
        truce_track_release(&g->tracks[i]);
    trc_free(g->tracks);
    for (size_t i = 0; i < g->nwaypoints; i++)
        trc_free(g->waypoints[i].name);
    trc_free(g->waypoints);
    trc_free(g->path);
    trc_free(g->version);
    trc_free(g->creator);
    trc_free(g);
}

/* ---- the reader's state ---------------------------------------------- */

typedef enum elem {
    EL_GPX,
    EL_TRK,
    EL_RTE,
    EL_TRKSEG,
    EL_TRKPT,
    EL_RTEPT,
    EL_WPT,
    EL_NAME,
    EL_DESC,
    EL_ELE,
    EL_TIME,
    EL_UNUSED /* a GPX element truce does not use, or a foreign one: skipped */
} elem;

/* A point between its start and end tags. */
typedef struct pending_point {
    elem kind;
    long line;
    int position_ok;
    double lat, lon, ele_m, time_s;
    uint32_t flags;
    char *name;               /* waypoints only */
    char *bad_time, *bad_ele; /* the offending text, for the diagnostic */
    char *bad_lat, *bad_lon;  /* the offending attribute ("" when missing) */
} pending_point;

typedef struct reader {
    XML_Parser xp;
    const truce_gpx_options *opt;
    truce_diags *diags;
    const char *file;
    struct geod_geodesic wgs84;
    truce_gpx *gpx;
    size_t tracks_cap, points_cap, segments_cap, waypoints_cap;
    elem stack[STACK_MAX];
    size_t depth;      /* elements open, used or skipped */
    size_t used_depth; /* entries of stack in use */
    size_t skip_depth; /* > 0 inside a skipped subtree */
    char *text;
    size_t text_len, text_cap;
    int collecting;
    pending_point pt;
    size_t prev_timed;  /* index of the previous timed point of the segment; SIZE_MAX: none */
    size_t points_seen; /* every point element, for the cap */
    size_t ndiags, suppressed;
    truce_status stop; /* set when a handler stops the parser */
    int nomem;
    unsigned long failures; /* trc_alloc_failures() when the parser was made */
} reader;

static void vreport(reader *r, truce_diag_level level, long line, const char *item, const char *key,
                    const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 0)))
#endif
    ;
static void vreport(reader *r, truce_diag_level level, long line, const char *item, const char *key,
                    const char *fmt, va_list ap)
{
    if (r->ndiags >= r->opt->max_diags) {
        r->suppressed++;
        return;
    }
    char *msg = truce_vasprintf(fmt, ap);
    if (!msg || truce_diags_add(r->diags, level, r->file, line, item, key, "%s", msg) != TRUCE_OK)
        r->nomem = 1;
    trc_free(msg);
    r->ndiags++;
}

static void report(reader *r, truce_diag_level level, long line, const char *item, const char *key,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static void report(reader *r, truce_diag_level level, long line, const char *item, const char *key,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(r, level, line, item, key, fmt, ap);
    va_end(ap);
}

static long current_line(const reader *r)
{
    return (long)XML_GetCurrentLineNumber(r->xp);
}

/* Stop the parse: an error diagnostic (never suppressed) and `status`. */
static void fail(reader *r, truce_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void fail(reader *r, truce_status status, const char *fmt, ...)
{
    if (r->stop != TRUCE_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = truce_vasprintf(fmt, ap);
    va_end(ap);
    if (!msg || truce_diags_add(r->diags, TRUCE_DIAG_ERROR, r->file, current_line(r), NULL, NULL,
                                "%s", msg) != TRUCE_OK)
        r->nomem = 1;
    trc_free(msg);
    r->stop = status;
    XML_StopParser(r->xp, XML_FALSE);
}

static void out_of_memory(reader *r)
{
    r->nomem = 1;
    if (r->stop == TRUCE_OK) {
        r->stop = TRUCE_E_NOMEM;
        XML_StopParser(r->xp, XML_FALSE);
    }
}

/* Grow *items (of `size`-byte entries) so that one more fits. */
static int reserve(void **items, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    if (ncap > SIZE_MAX / size)
        return -1;
    void *p = trc_realloc(*items, ncap * size);
    if (!p)
        return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

/* "track \"NAME\"" or "track #N" for the current track; for a waypoint,
 * "waypoint \"NAME\"" or "waypoint #N". */
static void describe_item(const reader *r, elem kind, const char *wpt_name, char *buf, size_t size)
{
    if (kind == EL_WPT) {
        if (wpt_name)
            snprintf(buf, size, "waypoint \"%.40s\"", wpt_name);
        else
            snprintf(buf, size, "waypoint #%zu", r->gpx->nwaypoints + 1);
        return;
    }
    const truce_track *t = &r->gpx->tracks[r->gpx->ntracks - 1];
    if (t->name)
        snprintf(buf, size, "track \"%.40s\"", t->name);
    else
        snprintf(buf, size, "track #%zu", r->gpx->ntracks);
}

/* ---- values ---------------------------------------------------------- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trim XML whitespace in place; returns the start. */
static char *trim(char *s)
{
    while (is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n && is_space(s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* A decimal number as xsd:decimal writes it, with an optional exponent:
 * [+-] digits [. digits] [e [+-] digits].  strtod alone would also take
 * "inf", "nan" and hexadecimal. */
static int parse_number(const char *s, double *out)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t digits = trc_digits(p, SIZE_MAX, NULL);
    p += digits;
    if (*p == '.') {
        p++;
        size_t frac = trc_digits(p, SIZE_MAX, NULL);
        p += frac;
        digits += frac;
    }
    if (!digits)
        return -1;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        size_t exp = trc_digits(p, SIZE_MAX, NULL);
        if (!exp)
            return -1;
        p += exp;
    }
    if (*p)
        return -1;
    double v = strtod(s, NULL);
    if (!isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* An xsd:dateTime, read by the library's one ISO 8601 parser
 * (time/time_rules.h): YYYY-MM-DDTHH:MM:SS[.fraction][Z | +HH:MM | +HHMM].
 * Without a zone designator the time is read as UTC, as GPX specifies for
 * every <time>. */
static int parse_time(const char *s, double *out)
{
    truce_time_value v;
    double fraction_s;
    int64_t t;
    if (trc_time_parse(s, TRC_TIME_XSD, &v, &fraction_s) != TRUCE_OK)
        return -1;
    if (v.kind == TRUCE_TIME_LOCAL)
        v.kind = TRUCE_TIME_UTC; /* offset 0 */
    if (truce_time_value_instant(&v, &t) != TRUCE_OK)
        return -1; /* an offset carried it out of years 0001-9999 */
    *out = (double)t + fraction_s;
    return 0;
}

/* ---- points ---------------------------------------------------------- */

static char *quoted(const char *s)
{
    if (strlen(s) > 40)
        return truce_asprintf("\"%.37s...\"", s);
    return truce_asprintf("\"%s\"", s);
}

static void pending_reset(pending_point *p)
{
    trc_free(p->name);
    trc_free(p->bad_time);
    trc_free(p->bad_ele);
    trc_free(p->bad_lat);
    trc_free(p->bad_lon);
    memset(p, 0, sizeof *p);
}

/* Check one coordinate attribute; on failure keep the text for the report. */
static int coordinate(reader *r, const char *value, double limit, double *out, char **bad)
{
    double v;
    if (value) {
        char *copy = truce_strdup(value);
        if (!copy) {
            out_of_memory(r);
            return -1;
        }
        int ok = parse_number(trim(copy), &v) == 0 && v >= -limit && v <= limit;
        trc_free(copy);
        if (ok) {
            *out = v;
            return 0;
        }
    }
    *bad = value ? quoted(value) : truce_strdup("");
    if (!*bad)
        out_of_memory(r);
    return -1;
}

static void start_point(reader *r, elem kind, const XML_Char **atts)
{
    if (++r->points_seen > r->opt->max_points) {
        fail(r, TRUCE_E_INVALID, "more than %zu points; the limit is max_points",
             r->opt->max_points);
        return;
    }
    pending_point *p = &r->pt;
    pending_reset(p);
    p->kind = kind;
    p->line = current_line(r);
    p->ele_m = p->time_s = (double)NAN;
    const char *lat = NULL, *lon = NULL;
    for (size_t i = 0; atts[i]; i += 2) {
        if (strchr(atts[i], NS_SEP))
            continue; /* a namespaced attribute: not GPX's */
        if (!strcmp(atts[i], "lat"))
            lat = atts[i + 1];
        else if (!strcmp(atts[i], "lon"))
            lon = atts[i + 1];
    }
    size_t longest = r->opt->max_text;
    if ((lat && strlen(lat) > longest) || (lon && strlen(lon) > longest)) {
        fail(r, TRUCE_E_INVALID, "a lat or lon attribute is longer than %zu bytes (max_text)",
             longest);
        return;
    }
    int bad = coordinate(r, lat, 90, &p->lat, &p->bad_lat);
    bad |= coordinate(r, lon, 180, &p->lon, &p->bad_lon);
    p->position_ok = !bad;
}

static void report_position(reader *r, const pending_point *p, const char *item, const char *el)
{
    static const char *const keys[2] = {"lat", "lon"};
    const char *bad[2] = {p->bad_lat, p->bad_lon};
    for (int k = 0; k < 2; k++) {
        if (!bad[k])
            continue;
        if (!*bad[k])
            report(r, TRUCE_DIAG_ERROR, p->line, item, keys[k], "%s has no %s; point rejected", el,
                   keys[k]);
        else
            report(r, TRUCE_DIAG_ERROR, p->line, item, keys[k],
                   "found %s, expected %s in degrees in [%d, %d]; point rejected", bad[k],
                   k ? "a longitude" : "a latitude", k ? -180 : -90, k ? 180 : 90);
    }
}

static void report_values(reader *r, const pending_point *p, const char *item)
{
    if (p->bad_time)
        report(r, TRUCE_DIAG_WARNING, p->line, item, "time",
               "found %s, expected an ISO 8601 date-time such as 2020-03-15T09:00:00Z, "
               "from " TRUCE_INSTANT_RANGE_TEXT "; point kept without a time",
               p->bad_time);
    if (p->bad_ele)
        report(r, TRUCE_DIAG_WARNING, p->line, item, "ele",
               "found %s, expected metres; point kept without an elevation", p->bad_ele);
}

static void end_waypoint(reader *r)
{
    pending_point *p = &r->pt;
    char item[64];
    describe_item(r, EL_WPT, p->name, item, sizeof item);
    if (!p->position_ok) {
        report_position(r, p, item, "wpt");
        r->gpx->rejected++;
        return;
    }
    report_values(r, p, item);
    truce_gpx *g = r->gpx;
    if (reserve((void **)&g->waypoints, &r->waypoints_cap, g->nwaypoints, sizeof *g->waypoints)) {
        out_of_memory(r);
        return;
    }
    g->waypoints[g->nwaypoints++] = (truce_waypoint){.name = p->name,
                                                     .lat = p->lat,
                                                     .lon = p->lon,
                                                     .ele_m = p->ele_m,
                                                     .time_s = p->time_s,
                                                     .line = p->line,
                                                     .flags = p->flags};
    p->name = NULL; /* now owned by the waypoint */
}

static void format_time(double t, char buf[32])
{
    truce_time_format_utc_ms(t, 0, buf);
}

/* The time checks against the previous timed point of the segment. */
static void check_time(reader *r, truce_track *t, truce_track_point *pt, const char *item)
{
    if (isnan(pt->time_s))
        return;
    size_t idx = (size_t)(pt - t->points);
    if (r->prev_timed != SIZE_MAX) {
        const truce_track_point *q = &t->points[r->prev_timed];
        double dt = pt->time_s - q->time_s;
        char when[32], before[32];
        if (dt < 0) {
            pt->flags |= TRUCE_PT_BACKWARDS;
            format_time(pt->time_s, when);
            format_time(q->time_s, before);
            report(r, TRUCE_DIAG_WARNING, pt->line, item, "time",
                   "%s is %.3f s before the previous point's %s (line %ld); time goes backwards",
                   when, -dt, before, q->line);
        } else {
            double s12;
            geod_inverse(&r->wgs84, q->lat, q->lon, pt->lat, pt->lon, &s12, NULL, NULL);
            /* Times are usually whole seconds: two points in the same second are
             * too far apart only beyond what the limit covers in one second. */
            double limit = r->opt->max_speed_mps;
            if ((dt > 0 && s12 / dt > limit) || (dt == 0 && s12 > limit)) {
                pt->flags |= TRUCE_PT_TOO_FAST;
                if (dt > 0)
                    report(r, TRUCE_DIAG_WARNING, pt->line, item, NULL,
                           "%.1f km/h from the previous point (line %ld: %.1f m in %.3f s), "
                           "above the limit of %.1f km/h",
                           s12 / dt * 3.6, q->line, s12, dt, limit * 3.6);
                else
                    report(r, TRUCE_DIAG_WARNING, pt->line, item, NULL,
                           "%.1f m from the previous point (line %ld) at the same time, "
                           "above the limit of %.1f km/h",
                           s12, q->line, limit * 3.6);
            }
        }
    }
    r->prev_timed = idx;
}

static void end_track_point(reader *r)
{
    pending_point *p = &r->pt;
    truce_gpx *g = r->gpx;
    truce_track *t = &g->tracks[g->ntracks - 1];
    char item[64];
    describe_item(r, p->kind, NULL, item, sizeof item);
    const char *el = p->kind == EL_TRKPT ? "trkpt" : "rtept";
    if (!p->position_ok) {
        report_position(r, p, item, el);
        t->rejected++;
        g->rejected++;
        return;
    }
    report_values(r, p, item);
    if (p->kind == EL_TRKPT && isnan(p->time_s) && !(p->flags & TRUCE_PT_BAD_TIME)) {
        p->flags |= TRUCE_PT_NO_TIME;
        report(r, TRUCE_DIAG_WARNING, p->line, item, "time",
               "trkpt has no <time>; point kept without a time");
    }
    if (reserve((void **)&t->points, &r->points_cap, t->npoints, sizeof *t->points)) {
        out_of_memory(r);
        return;
    }
    truce_track_point *pt = &t->points[t->npoints++];
    *pt = (truce_track_point){.lat = p->lat,
                              .lon = p->lon,
                              .ele_m = p->ele_m,
                              .time_s = p->time_s,
                              .line = p->line,
                              .flags = p->flags};
    t->segments[t->nsegments - 1].count++;
    check_time(r, t, pt, item);
}

/* ---- the element stack ------------------------------------------------ */

static elem classify(const char *local)
{
    static const struct {
        const char *name;
        elem kind;
    } names[] = {{"gpx", EL_GPX},     {"trk", EL_TRK},     {"rte", EL_RTE},  {"trkseg", EL_TRKSEG},
                 {"trkpt", EL_TRKPT}, {"rtept", EL_RTEPT}, {"wpt", EL_WPT},  {"name", EL_NAME},
                 {"desc", EL_DESC},   {"ele", EL_ELE},     {"time", EL_TIME}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(local, names[i].name))
            return names[i].kind;
    return EL_UNUSED;
}

/* Whether `child` is used where it is, under `parent`. */
static int placed(elem parent, elem child)
{
    switch (child) {
    case EL_TRK:
    case EL_RTE:
    case EL_WPT:
        return parent == EL_GPX;
    case EL_TRKSEG:
        return parent == EL_TRK;
    case EL_TRKPT:
        return parent == EL_TRKSEG;
    case EL_RTEPT:
        return parent == EL_RTE;
    case EL_NAME:
        return parent == EL_TRK || parent == EL_RTE || parent == EL_WPT;
    case EL_DESC:
        return parent == EL_TRK || parent == EL_RTE;
    case EL_ELE:
    case EL_TIME:
        return parent == EL_TRKPT || parent == EL_RTEPT || parent == EL_WPT;
    default:
        return 0;
    }
}

static char *attribute_copy(reader *r, const XML_Char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2) {
        if (strcmp(atts[i], name))
            continue;
        if (strlen(atts[i + 1]) > r->opt->max_text) {
            fail(r, TRUCE_E_INVALID, "attribute %s is longer than %zu bytes (max_text)", name,
                 r->opt->max_text);
            return NULL;
        }
        char *s = truce_strdup(atts[i + 1]);
        if (!s)
            out_of_memory(r);
        return s;
    }
    return NULL;
}

static void start_track(reader *r, elem kind)
{
    truce_gpx *g = r->gpx;
    if (g->ntracks >= r->opt->max_tracks) {
        fail(r, TRUCE_E_INVALID, "more than %zu tracks and routes; the limit is max_tracks",
             r->opt->max_tracks);
        return;
    }
    if (reserve((void **)&g->tracks, &r->tracks_cap, g->ntracks, sizeof *g->tracks)) {
        out_of_memory(r);
        return;
    }
    truce_track *t = &g->tracks[g->ntracks++];
    truce_track_init(t);
    t->kind = kind == EL_RTE ? TRUCE_TRACK_RTE : TRUCE_TRACK_TRK;
    t->line = current_line(r);
    r->points_cap = r->segments_cap = 0;
}

static void start_segment(reader *r)
{
    truce_track *t = &r->gpx->tracks[r->gpx->ntracks - 1];
    if (reserve((void **)&t->segments, &r->segments_cap, t->nsegments, sizeof *t->segments)) {
        out_of_memory(r);
        return;
    }
    t->segments[t->nsegments++] = (truce_track_segment){t->npoints, 0};
    r->prev_timed = SIZE_MAX;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    reader *r = ud;
    if (r->stop != TRUCE_OK)
        return;
    if (++r->depth > r->opt->max_depth) {
        fail(r, TRUCE_E_INVALID, "elements nested deeper than %zu (max_depth)", r->opt->max_depth);
        return;
    }
    if (r->skip_depth) {
        r->skip_depth++;
        return;
    }
    const char *sep = strchr(name, NS_SEP);
    const char *local = sep ? sep + 1 : name;
    int gpx_ns = !sep ||
                 (!strncmp(name, NS_GPX10, (size_t)(sep - name)) &&
                  strlen(NS_GPX10) == (size_t)(sep - name)) ||
                 (!strncmp(name, NS_GPX11, (size_t)(sep - name)) &&
                  strlen(NS_GPX11) == (size_t)(sep - name));
    elem kind = gpx_ns ? classify(local) : EL_UNUSED;

    if (r->used_depth == 0) {
        if (kind != EL_GPX) {
            if (sep)
                fail(r, TRUCE_E_INVALID,
                     "the root element is <%s> in namespace \"%.*s\", expected <gpx> (GPX 1.0 "
                     "or 1.1)",
                     local, (int)(sep - name), name);
            else
                fail(r, TRUCE_E_INVALID, "the root element is <%s>, expected <gpx>", local);
            return;
        }
        r->gpx->version = attribute_copy(r, atts, "version");
        r->gpx->creator = attribute_copy(r, atts, "creator");
        r->stack[r->used_depth++] = EL_GPX;
        return;
    }
    elem parent = r->stack[r->used_depth - 1];
    if (kind == EL_UNUSED || !placed(parent, kind)) {
        if (kind == EL_TRKPT || kind == EL_RTEPT || kind == EL_WPT) {
            if (++r->points_seen > r->opt->max_points) {
                fail(r, TRUCE_E_INVALID, "more than %zu points; the limit is max_points",
                     r->opt->max_points);
                return;
            }
            r->gpx->rejected++;
            report(r, TRUCE_DIAG_ERROR, current_line(r), NULL, local,
                   "<%s> is not where GPX allows it; point rejected", local);
        } else if (kind == EL_TRK || kind == EL_RTE || kind == EL_TRKSEG) {
            report(r, TRUCE_DIAG_WARNING, current_line(r), NULL, local,
                   "<%s> is not where GPX allows it; ignored with its contents", local);
        }
        r->skip_depth = 1;
        return;
    }
    if (r->used_depth >= STACK_MAX) { /* not reachable with the placement rules above */
        r->skip_depth = 1;
        return;
    }
    r->stack[r->used_depth++] = kind;
    switch (kind) {
    case EL_TRK:
    case EL_RTE:
        start_track(r, kind);
        if (kind == EL_RTE && r->stop == TRUCE_OK)
            start_segment(r);
        break;
    case EL_TRKSEG:
        start_segment(r);
        break;
    case EL_TRKPT:
    case EL_RTEPT:
    case EL_WPT:
        start_point(r, kind, atts);
        break;
    case EL_NAME:
    case EL_DESC:
    case EL_ELE:
    case EL_TIME:
        r->collecting = 1;
        r->text_len = 0;
        break;
    default:
        break;
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    reader *r = ud;
    if (!r->collecting || r->skip_depth || r->stop != TRUCE_OK || len <= 0)
        return;
    size_t n = (size_t)len;
    if (r->text_len + n > r->opt->max_text) {
        fail(r, TRUCE_E_INVALID, "text longer than %zu bytes (max_text)", r->opt->max_text);
        return;
    }
    if (r->text_len + n + 1 > r->text_cap) {
        size_t cap = r->text_cap ? r->text_cap : 256;
        while (cap < r->text_len + n + 1)
            cap *= 2;
        char *p = trc_realloc(r->text, cap);
        if (!p) {
            out_of_memory(r);
            return;
        }
        r->text = p;
        r->text_cap = cap;
    }
    memcpy(r->text + r->text_len, s, n);
    r->text_len += n;
}

static void end_text(reader *r, elem kind, elem parent)
{
    r->collecting = 0;
    char empty[1] = "";
    char *s = empty;
    if (r->text) {
        r->text[r->text_len] = '\0';
        s = trim(r->text);
    }
    if (kind == EL_NAME || kind == EL_DESC) {
        char **dst;
        if (parent == EL_WPT)
            dst = &r->pt.name;
        else if (kind == EL_NAME)
            dst = &r->gpx->tracks[r->gpx->ntracks - 1].name;
        else
            dst = &r->gpx->tracks[r->gpx->ntracks - 1].desc;
        trc_free(*dst);
        if (!(*dst = truce_strdup(s)))
            out_of_memory(r);
        return;
    }
    pending_point *p = &r->pt;
    double v;
    if (kind == EL_ELE) {
        if (parse_number(s, &v) == 0) {
            p->ele_m = v;
            p->flags &= ~(uint32_t)TRUCE_PT_BAD_ELE;
        } else {
            p->ele_m = (double)NAN;
            p->flags |= TRUCE_PT_BAD_ELE;
            trc_free(p->bad_ele);
            if (!(p->bad_ele = quoted(s)))
                out_of_memory(r);
        }
    } else if (kind == EL_TIME) {
        if (parse_time(s, &v) == 0) {
            p->time_s = v;
            p->flags &= ~(uint32_t)TRUCE_PT_BAD_TIME;
        } else {
            p->time_s = (double)NAN;
            p->flags |= TRUCE_PT_BAD_TIME;
            trc_free(p->bad_time);
            if (!(p->bad_time = quoted(s)))
                out_of_memory(r);
        }
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    (void)name;
    reader *r = ud;
    if (r->stop != TRUCE_OK)
        return;
    r->depth--;
    if (r->skip_depth) {
        r->skip_depth--;
        return;
    }
    elem kind = r->stack[--r->used_depth];
    elem parent = r->used_depth ? r->stack[r->used_depth - 1] : EL_GPX;
    switch (kind) {
    case EL_TRKPT:
    case EL_RTEPT:
        end_track_point(r);
        break;
    case EL_WPT:
        end_waypoint(r);
        break;
    case EL_NAME:
    case EL_DESC:
    case EL_ELE:
    case EL_TIME:
        end_text(r, kind, parent);
        break;
    default:
        break;
    }
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    /* GPX has no DTD; refusing one rules out entity expansion altogether. */
    fail(ud, TRUCE_E_INVALID, "a DOCTYPE declaration is not allowed in GPX");
}

/* ---- driving expat ------------------------------------------------------ */

static truce_status reader_begin(reader *r, const char *name, const truce_gpx_options *opt,
                                 truce_diags *diags)
{
    memset(r, 0, sizeof *r);
    r->opt = opt;
    r->diags = diags;
    r->file = name;
    r->prev_timed = SIZE_MAX;
    geod_init(&r->wgs84, 6378137.0, 1 / 298.257223563);
    r->gpx = trc_calloc(1, sizeof *r->gpx);
    if (!r->gpx)
        return TRUCE_E_NOMEM;
    if (name && !(r->gpx->path = truce_strdup(name))) {
        trc_free(r->gpx);
        return TRUCE_E_NOMEM;
    }
    static const XML_Memory_Handling_Suite memory = {trc_malloc, trc_realloc, trc_free};
    r->xp = XML_ParserCreate_MM(NULL, &memory, (XML_Char[]){NS_SEP, '\0'});
    if (!r->xp) {
        truce_gpx_free(r->gpx);
        return TRUCE_E_NOMEM;
    }
    r->failures = trc_alloc_failures();
    XML_SetUserData(r->xp, r);
    XML_SetElementHandler(r->xp, on_start, on_end);
    XML_SetCharacterDataHandler(r->xp, on_text);
    XML_SetStartDoctypeDeclHandler(r->xp, on_doctype);
    return TRUCE_OK;
}

/* Account for expat's verdict on one call; returns nonzero to stop. */
static int reader_check(reader *r, enum XML_Status status)
{
    if (status == XML_STATUS_OK)
        return 0;
    if (r->stop == TRUCE_OK) {
        enum XML_Error code = XML_GetErrorCode(r->xp);
        /* expat reports some failed allocations as another error (one
         * while binding a namespace as XML_ERROR_UNBOUND_PREFIX). */
        if (code == XML_ERROR_NO_MEMORY || trc_alloc_failures() != r->failures) {
            out_of_memory(r);
        } else {
            if (truce_diags_add(r->diags, TRUCE_DIAG_ERROR, r->file,
                                (long)XML_GetCurrentLineNumber(r->xp), NULL, NULL,
                                "malformed XML: %s (column %lu)", XML_ErrorString(code),
                                (unsigned long)XML_GetCurrentColumnNumber(r->xp) + 1) != TRUCE_OK)
                r->nomem = 1;
            r->stop = TRUCE_E_PARSE;
        }
    }
    return 1;
}

static truce_status reader_end(reader *r, truce_gpx **out)
{
    pending_reset(&r->pt);
    trc_free(r->text);
    XML_ParserFree(r->xp);
    if (r->suppressed && r->stop == TRUCE_OK &&
        truce_diags_add(r->diags, TRUCE_DIAG_WARNING, r->file, 0, NULL, NULL,
                        "%zu further problems not listed (max_diags is %zu)", r->suppressed,
                        r->opt->max_diags) != TRUCE_OK)
        r->nomem = 1;
    truce_status st = r->nomem ? TRUCE_E_NOMEM : r->stop;
    if (st != TRUCE_OK) {
        truce_gpx_free(r->gpx);
        return st;
    }
    *out = r->gpx;
    return TRUCE_OK;
}

truce_status truce_gpx_parse(const char *data, size_t len, const char *name,
                             const truce_gpx_options *opt, truce_gpx **out, truce_diags *diags)
{
    if (!out || !diags || (!data && len))
        return TRUCE_E_ARG;
    *out = NULL;
    truce_gpx_options defaults;
    if (!opt) {
        truce_gpx_options_init(&defaults);
        opt = &defaults;
    }
    reader r;
    truce_status st = reader_begin(&r, name, opt, diags);
    if (st)
        return st;
    size_t done = 0;
    do {
        size_t n = len - done < READ_BLOCK ? len - done : READ_BLOCK;
        if (reader_check(&r, XML_Parse(r.xp, data ? data + done : "", (int)n, done + n == len)))
            break;
        done += n;
    } while (done < len);
    return reader_end(&r, out);
}

truce_status truce_gpx_load(const char *path, const truce_gpx_options *opt, truce_gpx **out,
                            truce_diags *diags)
{
    if (!path || !out || !diags)
        return TRUCE_E_ARG;
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        return truce_diags_add(diags, TRUCE_DIAG_ERROR, path, 0, NULL, NULL, "cannot read: %s",
                               strerror(errno))
                   ? TRUCE_E_NOMEM
                   : TRUCE_E_IO;
    }
    truce_gpx_options defaults;
    if (!opt) {
        truce_gpx_options_init(&defaults);
        opt = &defaults;
    }
    reader r;
    truce_status st = reader_begin(&r, path, opt, diags);
    if (st) {
        fclose(f);
        return st;
    }
    int io_error = 0;
    for (;;) {
        void *buf = XML_GetBuffer(r.xp, READ_BLOCK);
        if (!buf) {
            out_of_memory(&r);
            break;
        }
        size_t n = fread(buf, 1, READ_BLOCK, f);
        if (n < READ_BLOCK && ferror(f)) {
            io_error = errno ? errno : EIO;
            break;
        }
        int final = n < READ_BLOCK;
        if (reader_check(&r, XML_ParseBuffer(r.xp, (int)n, final)) || final)
            break;
    }
    fclose(f);
    if (io_error && r.stop == TRUCE_OK) {
        if (truce_diags_add(diags, TRUCE_DIAG_ERROR, path, 0, NULL, NULL, "read failed: %s",
                            strerror(io_error)))
            r.nomem = 1;
        r.stop = TRUCE_E_IO;
    }
    return reader_end(&r, out);
}
