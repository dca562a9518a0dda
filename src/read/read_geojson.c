/* GeoJSON FeatureCollections (RFC 7946) of Point features, streamed with
 * YAJL: memory holds one feature, however many the file has.
 *
 * Positions: YAJL's callbacks do not say where a token is, so the input is
 * fed in pieces that end at each line feed and before each '{' and '}'.  A
 * piece then holds at most one brace, at its start, so the callback for a
 * feature's opening or closing brace knows the brace's offset (the piece's)
 * and line: each feature is returned verbatim and reported by its line even
 * in a one-line file.
 *
 * Properties map to schema fields by name (docs/events.md); --property
 * FIELD=NAME overrides one.  The geometry gives lon/lat; null geometry is an
 * event without location.
 */
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "base/alloc.h"
#include "base/idset.h"
#include "read/json_fields.h"
#include "read/reader_impl.h"
#include "base/util.h"

typedef enum gj_ctx { X_ROOT, X_FEATURES, X_FEATURE, X_PROPS, X_GEOM, X_COORDS } gj_ctx;

enum {
    K_NONE = -1,
    K_SKIP = -2,
    K_ROOT_TYPE = -3,
    K_FEATURES = -4,
    K_FTYPE = -5,
    K_FID = -6,
    K_GEOM = -7,
    K_PROPS = -8,
    K_GTYPE = -9,
    K_COORDS = -10
    /* >= 0: a schema field (event_field) */
};

#define MAX_DEPTH 8

/* Keys are checked for repeats in a feature's objects this deep (the
 * feature itself is 1); a fixed stack keeps memory bounded however deep an
 * ignored value nests. */
#define KEY_DEPTH 64

typedef struct captured {
    int set;
    jvalue v;
    size_t off; /* JV_STRING: offset of the text in sbuf; JV_NUMBER: of its text */
    size_t len; /* of that text (a string may hold a NUL: "\u0000") */
} captured;

typedef struct gj_state {
    yajl_handle h;
    truce_reader *r;
    gj_ctx stack[MAX_DEPTH];
    int depth;
    long skip; /* > 0: inside an ignored value, that many containers deep */
    int key;
    int root_ok;
    int root_closed;
    /* the property read for each schema field; NULL for fields not read */
    char *props[EF_COUNT];
    int id_overridden;
    /* position of the piece being parsed */
    size_t piece_pos;
    long piece_line;
    size_t quiet_bytes; /* fed since the last callback */
    /* the feature in progress */
    int in_feature;
    int feature_done;
    long feat_line;
    size_t feat_end; /* index in buf one past its '}' */
    uint64_t feat_index;
    char ftype[16];
    int ftype_set;
    int geom; /* 0 absent, 1 null, 2 object */
    char gtype[24];
    double coords[3];
    int ncoords;
    int coords_bad;
    captured vals[EF_COUNT];
    captured fid;
    char *sbuf;
    size_t slen, scap;
    int bad;
    char bad_field[96];
    char bad_why[200];
    int oversize;
    char *trunc; /* the first max_row bytes of an oversize feature */
    size_t trunc_len;
    /* keys seen in the feature's objects, each object told apart by its
     * serial number (0: an array, which has no keys): a key repeated in an
     * object rejects the feature, as JSON Lines does */
    truce_idset keys;
    uint64_t kstack[KEY_DEPTH]; /* the serials of the containers open in the feature... */
    size_t klen;                /* ...of which this many (deeper ones are not checked) */
    uint64_t kserial;
    /* elements of "features" that are not objects, not yet reported */
    uint64_t stray;
    long stray_line;
    /* the end */
    int fatal;
    long fatal_line;
    char fatal_why[240];
    int fatal_reported;
    int finished;
} gj_state;

static int first_nonspace(const char *head, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (head[i] != ' ' && head[i] != '\t' && head[i] != '\r' && head[i] != '\n')
            return head[i];
    return -1;
}

/* Whether head holds the member "key": (with "value" after it when value is
 * not NULL), JSON whitespace allowed around the colon.  A member, not just
 * the text: in JSON Lines that truce wrote, "features" or
 * "FeatureCollection" may well be a field's value, never a key. */
static int json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int has_member(const char *head, size_t len, const char *key, const char *value)
{
    size_t k = strlen(key), v = value ? strlen(value) : 0;
    for (size_t i = 0; i + k + 2 <= len; i++) {
        if (head[i] != '"' || memcmp(head + i + 1, key, k) || head[i + k + 1] != '"')
            continue;
        size_t j = i + k + 2;
        while (j < len && json_space(head[j]))
            j++;
        if (j == len || head[j] != ':')
            continue;
        if (!value)
            return 1;
        for (j++; j < len && json_space(head[j]);)
            j++;
        if (j + v + 2 <= len && head[j] == '"' && !memcmp(head + j + 1, value, v) &&
            head[j + v + 1] == '"')
            return 1;
    }
    return 0;
}

static int geojson_sniff(const char *head, size_t len)
{
    if (first_nonspace(head, len) != '{')
        return 0;
    if (has_member(head, len, "type", "FeatureCollection"))
        return 90;
    return has_member(head, len, "features", NULL) ? 70 : 0;
}

/* ---- what the callbacks see ---- */

static void set_fatal(gj_state *g, const char *why)
{
    if (g->fatal)
        return;
    g->fatal = 1;
    g->fatal_line = g->piece_line;
    snprintf(g->fatal_why, sizeof g->fatal_why, "%s", why);
}

/* Reject the feature in progress, naming `field` (NULL: none). */
static void feature_bad(gj_state *g, const char *field, const char *why)
{
    if (g->bad)
        return;
    g->bad = 1;
    snprintf(g->bad_field, sizeof g->bad_field, "%s", field ? field : "");
    snprintf(g->bad_why, sizeof g->bad_why, "%s", why);
}

static int keep_text(gj_state *g, const char *s, size_t n, size_t *off)
{
    if (g->oversize)
        return 0; /* the feature is rejected anyway: keep memory bounded */
    if (g->scap - g->slen < n + 1) {
        size_t cap = g->scap ? g->scap : 1024;
        while (cap - g->slen < n + 1)
            cap *= 2;
        char *b = trc_realloc(g->sbuf, cap);
        if (!b)
            return -1;
        g->sbuf = b;
        g->scap = cap;
    }
    memcpy(g->sbuf + g->slen, s, n);
    g->sbuf[g->slen + n] = '\0';
    *off = g->slen;
    g->slen += n + 1;
    return 0;
}

static gj_ctx top(const gj_state *g)
{
    return g->stack[g->depth - 1];
}

static void start_feature(gj_state *g)
{
    truce_src *s = &g->r->src;
    g->in_feature = 1;
    g->feature_done = 0;
    g->feat_line = g->piece_line;
    g->feat_index++;
    g->ftype_set = 0;
    g->geom = 0;
    g->gtype[0] = '\0';
    g->ncoords = 0;
    g->coords_bad = 0;
    memset(g->vals, 0, sizeof g->vals);
    memset(&g->fid, 0, sizeof g->fid);
    g->slen = 0;
    trc_idset_clear(&g->keys);
    g->klen = 0;
    g->bad = 0;
    g->oversize = 0;
    g->trunc_len = 0;
    s->mark = g->piece_pos; /* keep the feature's bytes from its '{' */
}

static int push(gj_state *g, gj_ctx c)
{
    if (g->depth == MAX_DEPTH) {
        g->skip = 1; /* cannot happen with the contexts above; be safe */
        return 1;
    }
    g->stack[g->depth++] = c;
    return 1;
}

static int open_container(gj_state *g, int is_map)
{
    int key = g->key;
    g->key = K_NONE;
    g->quiet_bytes = 0;
    if (g->skip) {
        g->skip++;
        return 1;
    }
    if (g->depth == 0) {
        if (!is_map || g->root_closed) {
            set_fatal(g, "not a GeoJSON FeatureCollection: the top level is not an object");
            return 0;
        }
        return push(g, X_ROOT);
    }
    switch (top(g)) {
    case X_ROOT:
        if (key == K_FEATURES) {
            if (is_map) {
                set_fatal(g, "\"features\" is not an array");
                return 0;
            }
            return push(g, X_FEATURES);
        }
        if (key == K_ROOT_TYPE) {
            set_fatal(g, "\"type\" is not \"FeatureCollection\"");
            return 0;
        }
        break;
    case X_FEATURES:
        if (is_map) {
            start_feature(g);
            return push(g, X_FEATURE);
        }
        if (!g->stray++)
            g->stray_line = g->piece_line;
        break;
    case X_FEATURE:
        if (key == K_GEOM && is_map) {
            g->geom = 2;
            return push(g, X_GEOM);
        }
        if (key == K_PROPS && is_map)
            return push(g, X_PROPS);
        if (key == K_GEOM || key == K_PROPS)
            feature_bad(g, key == K_GEOM ? "geometry" : "properties",
                        "expected an object or null, found an array");
        else if (key == K_FID)
            feature_bad(g, "id", "expected a string or a number");
        else if (key == K_FTYPE)
            feature_bad(g, "type", "expected \"Feature\"");
        break;
    case X_PROPS:
        if (key >= 0) {
            char field[80];
            snprintf(field, sizeof field, "properties.%s", g->props[key]);
            feature_bad(g, field,
                        is_map ? "expected a scalar, found an object"
                               : "expected a scalar, found an array");
        }
        break;
    case X_GEOM:
        if (key == K_COORDS && !is_map)
            return push(g, X_COORDS);
        if (key == K_COORDS || key == K_GTYPE)
            feature_bad(g, key == K_COORDS ? "geometry.coordinates" : "geometry.type",
                        "wrong JSON type");
        break;
    case X_COORDS:
        g->coords_bad = 1;
        break;
    }
    g->skip = 1;
    return 1;
}

/* A container opens: its context, then, inside a feature, its place on
 * the stack of containers whose keys are checked. */
static int on_open(gj_state *g, int is_map)
{
    if (!open_container(g, is_map))
        return 0;
    if (!g->in_feature || g->feature_done)
        return 1;
    if (g->klen < KEY_DEPTH)
        g->kstack[g->klen] = is_map ? ++g->kserial : 0;
    g->klen++;
    return 1;
}

static int on_close(gj_state *g)
{
    if (g->in_feature && g->klen)
        g->klen--;
    g->quiet_bytes = 0;
    g->key = K_NONE;
    if (g->skip) {
        g->skip--;
        return 1;
    }
    if (g->depth == 0)
        return 1;
    gj_ctx c = g->stack[--g->depth];
    if (c == X_FEATURE) {
        g->feature_done = 1;
        g->feat_end = g->piece_pos + 1;
    } else if (c == X_ROOT) {
        g->root_closed = 1;
        if (!g->root_ok)
            set_fatal(g, "not a GeoJSON FeatureCollection (no \"type\": \"FeatureCollection\")");
    }
    return 1;
}

static int on_scalar(gj_state *g, const jvalue *v, const char *text, size_t len)
{
    int key = g->key;
    g->key = K_NONE;
    g->quiet_bytes = 0;
    if (g->skip)
        return 1;
    if (g->depth == 0) {
        set_fatal(g, "not a GeoJSON FeatureCollection: the top level is not an object");
        return 0;
    }
    switch (top(g)) {
    case X_ROOT:
        if (key == K_ROOT_TYPE) {
            if (v->type == JV_STRING && len == 17 && !memcmp(text, "FeatureCollection", 17)) {
                g->root_ok = 1;
                return 1;
            }
            set_fatal(g, "\"type\" is not \"FeatureCollection\"");
            return 0;
        }
        if (key == K_FEATURES) {
            set_fatal(g, "\"features\" is not an array");
            return 0;
        }
        return 1;
    case X_FEATURES:
        if (!g->stray++)
            g->stray_line = g->piece_line;
        return 1;
    case X_FEATURE:
        if (key == K_FTYPE) {
            g->ftype_set = 1;
            snprintf(g->ftype, sizeof g->ftype, "%.*s",
                     (int)(v->type == JV_STRING && len < sizeof g->ftype ? len : 0), text);
            if (v->type != JV_STRING || len != 7 || memcmp(text, "Feature", 7))
                feature_bad(g, "type", "expected \"Feature\"");
        } else if (key == K_FID) {
            if (v->type != JV_STRING && v->type != JV_NUMBER) {
                feature_bad(g, "id", "expected a string or a number");
            } else {
                g->fid.set = 1;
                g->fid.v = *v;
                g->fid.len = len;
                if (keep_text(g, text, len, &g->fid.off))
                    return 0;
            }
        } else if (key == K_GEOM || key == K_PROPS) {
            if (v->type != JV_NULL)
                feature_bad(g, key == K_GEOM ? "geometry" : "properties",
                            "expected an object or null");
            else if (key == K_GEOM)
                g->geom = 1;
        }
        return 1;
    case X_PROPS:
        if (key >= 0) {
            captured *c = &g->vals[key];
            c->set = 1;
            c->v = *v;
            c->len = len;
            if ((v->type == JV_STRING || v->type == JV_NUMBER) && keep_text(g, text, len, &c->off))
                return 0;
        }
        return 1;
    case X_GEOM:
        if (key == K_GTYPE) {
            if (v->type != JV_STRING)
                feature_bad(g, "geometry.type", "expected a string");
            else
                snprintf(g->gtype, sizeof g->gtype, "%.*s",
                         (int)(len < sizeof g->gtype ? len : sizeof g->gtype - 1), text);
        } else if (key == K_COORDS) {
            feature_bad(g, "geometry.coordinates", "expected an array");
        }
        return 1;
    case X_COORDS:
        if (v->type != JV_NUMBER || g->ncoords == 3)
            g->coords_bad = 1;
        else
            g->coords[g->ncoords++] = v->num;
        return 1;
    }
    return 1;
}

static int cb_null(void *ctx)
{
    jvalue v = {.type = JV_NULL};
    return on_scalar(ctx, &v, "", 0);
}

static int cb_bool(void *ctx, int b)
{
    (void)b;
    jvalue v = {.type = JV_BOOL};
    return on_scalar(ctx, &v, "", 0);
}

static int cb_number(void *ctx, const char *s, size_t len)
{
    jvalue v = {.type = JV_NUMBER};
    char small[64];
    char *buf = len < sizeof small ? small : trc_malloc(len + 1);
    if (!buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    v.num = strtod(buf, NULL);
    v.is_int = !memchr(s, '.', len) && !memchr(s, 'e', len) && !memchr(s, 'E', len);
    if (v.is_int) {
        int64_t out = 0;
        char why[96];
        v.is_int = trc_parse_int64(buf, INT64_MIN + 1, INT64_MAX, &out, why, sizeof why) == 0;
        v.ival = out;
    }
    if (buf != small)
        trc_free(buf);
    return on_scalar(ctx, &v, s, len);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
    jvalue v = {.type = JV_STRING};
    return on_scalar(ctx, &v, (const char *)s, len);
}

static int cb_start_map(void *ctx)
{
    return on_open(ctx, 1);
}

static int cb_start_array(void *ctx)
{
    return on_open(ctx, 0);
}

static int cb_end(void *ctx)
{
    return on_close(ctx);
}

/* Whether key k[0, len) was seen before in the feature's innermost open
 * object; -1 when the set cannot grow. */
static int key_repeated(gj_state *g, const unsigned char *k, size_t len)
{
    uint64_t serial = g->klen && g->klen <= KEY_DEPTH ? g->kstack[g->klen - 1] : 0;
    if (!serial || g->bad || g->oversize)
        return 0; /* an array; too deep; or the feature is rejected anyway */
    uint64_t h = trc_idset_hash((const char *)k, len) ^ (serial * 0x9E3779B97F4A7C15u);
    long first = 0;
    if (trc_idset_add_hash(&g->keys, h ? h : 1, 1, &first))
        return -1;
    return first != 0;
}

static int cb_key(void *ctx, const unsigned char *k, size_t len)
{
    gj_state *g = ctx;
    g->quiet_bytes = 0;
    if (g->in_feature && !g->feature_done) {
        int rep = key_repeated(g, k, len);
        if (rep < 0)
            return 0;
        if (rep) {
            /* Named as a field when the object is one truce reads. */
            int n = len > 60 ? 60 : (int)len;
            gj_ctx c = g->skip || g->depth == 0 ? X_ROOT : top(g);
            char field[80];
            snprintf(field, sizeof field, "%s%.*s",
                     c == X_PROPS  ? "properties."
                     : c == X_GEOM ? "geometry."
                                   : "",
                     n, (const char *)k);
            char why[96];
            snprintf(why, sizeof why, "key \"%.*s\" repeated in an object", n, (const char *)k);
            feature_bad(g, c == X_PROPS || c == X_GEOM || c == X_FEATURE ? field : NULL, why);
        }
    }
    if (g->skip || g->depth == 0)
        return 1;
    const char *s = (const char *)k;
#define IS(lit) (len == sizeof(lit) - 1 && !memcmp(s, lit, len))
    switch (top(g)) {
    case X_ROOT:
        g->key = IS("type") ? K_ROOT_TYPE : IS("features") ? K_FEATURES : K_SKIP;
        break;
    case X_FEATURE:
        g->key = IS("type")         ? K_FTYPE
                 : IS("id")         ? K_FID
                 : IS("geometry")   ? K_GEOM
                 : IS("properties") ? K_PROPS
                                    : K_SKIP;
        break;
    case X_GEOM:
        g->key = IS("type") ? K_GTYPE : IS("coordinates") ? K_COORDS : K_SKIP;
        break;
    case X_PROPS:
        g->key = K_SKIP;
        for (int f = 0; f < EF_COUNT; f++)
            if (g->props[f] && strlen(g->props[f]) == len && !memcmp(g->props[f], s, len))
                g->key = f;
        break;
    default:
        g->key = K_SKIP;
        break;
    }
#undef IS
    return 1;
}

static const yajl_callbacks callbacks = {
    cb_null,      cb_bool, NULL,   NULL,           cb_number, cb_string,
    cb_start_map, cb_key,  cb_end, cb_start_array, cb_end,
};

/* ---- the reader ---- */

static void geojson_close(truce_reader *r)
{
    gj_state *g = r->state;
    if (g->h)
        yajl_free(g->h);
    for (int f = 0; f < EF_COUNT; f++)
        trc_free(g->props[f]);
    trc_free(g->sbuf);
    trc_free(g->trunc);
    trc_idset_release(&g->keys);
    trc_free(g);
    r->state = NULL;
}

static truce_status geojson_open(truce_reader *r, truce_diags *diags)
{
    gj_state *g = trc_calloc(1, sizeof *g);
    if (!g)
        return TRUCE_E_NOMEM;
    r->state = g;
    r->layout = "geojson";
    g->r = r;
    g->key = K_NONE;
    trc_idset_init(&g->keys);
    for (int f = 0; f < EF_COUNT; f++) {
        if (f == EF_LON || f == EF_LAT)
            continue; /* the geometry gives the location */
        if (!(g->props[f] = truce_strdup(trc_event_schema[f].key)))
            return TRUCE_E_NOMEM;
    }
    for (const char *const *o = r->geojson_properties; o && *o; o++) {
        const char *eq = strchr(*o, '=');
        int f = eq ? trc_event_field_find(*o, (size_t)(eq - *o)) : -1;
        if (f < 0 || f == EF_LON || f == EF_LAT || !eq[1]) {
            truce_diags_add(diags, TRUCE_DIAG_ERROR, NULL, 0, NULL, NULL,
                            "--property \"%s\": expected FIELD=PROPERTY with FIELD a schema "
                            "field other than lon and lat",
                            *o);
            return TRUCE_E_ARG;
        }
        trc_free(g->props[f]);
        if (!(g->props[f] = truce_strdup(eq + 1)))
            return TRUCE_E_NOMEM;
        if (f == EF_ID)
            g->id_overridden = 1;
    }
    g->h = yajl_alloc(&callbacks, NULL, g);
    return g->h ? TRUCE_OK : TRUCE_E_NOMEM;
}

static const char *text_of(const gj_state *g, const captured *c)
{
    return g->sbuf + c->off;
}

/* Turn the finished feature into a row. */
static truce_status finish_feature(truce_reader *r, gj_state *g, truce_row *row)
{
    truce_src *s = &r->src;
    const char *raw = g->oversize ? g->trunc : s->buf + s->mark;
    size_t raw_len = g->oversize ? g->trunc_len : g->feat_end - s->mark;
    long line = g->feat_line;
    g->in_feature = 0;
    g->feature_done = 0;
    char why[200];
#define REJECT(fieldname, ...)                                                                     \
    do {                                                                                           \
        trc_reader_reject(r, row, line, raw, raw_len, fieldname, __VA_ARGS__);                     \
        row->raw_truncated = g->oversize;                                                          \
        return TRUCE_OK;                                                                           \
    } while (0)
    if (g->oversize)
        REJECT(NULL, "feature larger than the maximum row size");
    if (g->bad)
        REJECT(g->bad_field[0] ? g->bad_field : NULL, "%s", g->bad_why);
    if (!g->ftype_set)
        REJECT("type", "missing (expected \"Feature\")");
    truce_event *e = &r->event;
    truce_event_init(e);
    e->format = TRUCE_FORMAT_GEOJSON;
    e->file = r->name;
    e->line = line;
    jrow jr;
    memset(&jr, 0, sizeof jr);
    if (g->geom == 0)
        REJECT("geometry", "missing (null for an event without a location)");
    /* A sighting's properties give its sector: its geometry may be the
     * sector's Polygon (as truce writes it), which is not read again, or
     * a Point, the observer when observer_lon and observer_lat are not
     * given (docs/events.md, "Sightings"). */
    int sighting = g->vals[EF_BEARING_MIN].set && g->vals[EF_BEARING_MIN].v.type != JV_NULL;
    int observer_given = g->vals[EF_OBSERVER_LON].set || g->vals[EF_OBSERVER_LAT].set ||
                         g->vals[EF_OBSERVER_PLACE].set;
    if (g->geom == 2 && sighting && strcmp(g->gtype, "Point")) {
        if (strcmp(g->gtype, "Polygon"))
            REJECT("geometry.type", "\"%s\": a sighting's geometry is a Point or its Polygon",
                   g->gtype);
    } else if (g->geom == 2) {
        if (strcmp(g->gtype, "Point"))
            REJECT("geometry.type", "\"%s\": only Point geometries are events", g->gtype);
        if (g->coords_bad || g->ncoords < 2)
            REJECT("geometry.coordinates", "expected [longitude, latitude]");
        if (!(g->coords[0] >= -180 && g->coords[0] <= 180))
            REJECT("geometry.coordinates", "longitude %.17g is outside [-180, 180]", g->coords[0]);
        if (!(g->coords[1] >= -90 && g->coords[1] <= 90))
            REJECT("geometry.coordinates", "latitude %.17g is outside [-90, 90]", g->coords[1]);
        e->lon = g->coords[0];
        e->lat = g->coords[1];
        jr.given[EF_LON] = jr.given[EF_LAT] = 1;
        if (sighting && !observer_given) {
            e->sector.observer_lon = g->coords[0];
            e->sector.observer_lat = g->coords[1];
            jr.given[EF_OBSERVER_LON] = jr.given[EF_OBSERVER_LAT] = 1;
        }
    }
    for (int f = 0; f < EF_COUNT; f++) {
        captured *c = &g->vals[f];
        if (!c->set)
            continue;
        jvalue v = c->v;
        char field[80];
        snprintf(field, sizeof field, "properties.%s", g->props[f]);
        if (v.type == JV_STRING) {
            v.str = text_of(g, c);
            const char *problem = trc_reader_text_problem(v.str, c->len);
            if (problem)
                REJECT(field, "%s", problem);
        }
        if (v.type == JV_NUMBER)
            v.text = text_of(g, c);
        if (trc_jfield_set(e, &jr, (event_field)f, &v, why, sizeof why))
            REJECT(field, "%s", why);
    }
    if (g->fid.set && !g->id_overridden) {
        jvalue v = g->fid.v;
        v.str = v.text = text_of(g, &g->fid);
        const char *problem = trc_reader_text_problem(v.str, g->fid.len);
        if (problem)
            REJECT("id", "%s", problem);
        if (trc_jfield_set(e, &jr, EF_ID, &v, why, sizeof why))
            REJECT("id", "%s", why);
    }
    if (jr.given[EF_FORMAT]) {
        /* Written by truce: keep the provenance it carries. */
    } else {
        e->format = TRUCE_FORMAT_GEOJSON;
        e->file = r->name;
        e->line = line;
    }
    const char *bad;
    if (trc_jrow_finish(e, &jr, r->tz, r->places, r->nplaces, &bad, why, sizeof why)) {
        /* Name the property the field was read from. */
        char field[80];
        int f = bad ? trc_event_field_find(bad, strlen(bad)) : -1;
        if (f >= 0 && g->props[f] && (f != EF_ID || g->id_overridden))
            snprintf(field, sizeof field, "properties.%s", g->props[f]);
        else
            snprintf(field, sizeof field, "%s", bad ? bad : "");
        REJECT(bad ? field : NULL, "%s", why);
    }
#undef REJECT
    return trc_reader_accept(r, row, line, raw, raw_len, "id");
}

/* Where the piece that starts at p (of n bytes available) ends: after a line
 * feed, or before the next brace. */
static size_t piece_length(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n')
            return i + 1;
        if (i > 0 && (p[i] == '{' || p[i] == '}'))
            return i;
    }
    return n;
}

static void yajl_message(gj_state *g, const unsigned char *piece, size_t n)
{
    unsigned char *msg = yajl_get_error(g->h, 0, piece, n);
    char why[240];
    snprintf(why, sizeof why, "not well-formed JSON: %s", msg ? (const char *)msg : "parse error");
    set_fatal(g, why);
    if (msg)
        yajl_free_error(g->h, msg);
    /* yajl's message ends with a newline */
    size_t len = strlen(g->fatal_why);
    while (len && (g->fatal_why[len - 1] == '\n' || g->fatal_why[len - 1] == ' '))
        g->fatal_why[--len] = '\0';
}

static truce_status geojson_next(truce_reader *r, truce_row *row)
{
    gj_state *g = r->state;
    truce_src *s = &r->src;
    for (;;) {
        if (g->stray) {
            /* An element of "features" that is not an object: one reject each. */
            trc_reader_reject(r, row, g->stray_line, NULL, 0, "features",
                              "an element that is not a Feature object");
            g->stray--;
            return TRUCE_OK;
        }
        if (g->feature_done)
            return finish_feature(r, g, row);
        if (g->fatal) {
            if (g->in_feature) {
                /* The feature the error cut short is a row that was read. */
                g->in_feature = 0;
                trc_reader_reject(r, row, g->feat_line, g->oversize ? g->trunc : s->buf + s->mark,
                                  g->oversize ? g->trunc_len : s->pos - s->mark, NULL,
                                  "%s (at line %ld)", g->fatal_why, g->fatal_line);
                row->raw_truncated = g->oversize;
                return TRUCE_OK;
            }
            /* Say that the count stops here: read = accepted + rejected
             * holds for what was read, which is not the whole file. */
            row->kind = TRUCE_ROW_END;
            row->line = g->fatal_line;
            snprintf(r->reason, sizeof r->reason,
                     "%s; reading stops here: the features after it are not read or counted",
                     g->fatal_why);
            row->reason = r->reason;
            return TRUCE_E_PARSE;
        }
        if (g->finished) {
            row->kind = TRUCE_ROW_END;
            return TRUCE_OK;
        }
        if (s->pos == s->len) {
            if (s->eof) {
                g->piece_line = s->line;
                yajl_status ys = yajl_complete_parse(g->h);
                if (ys == yajl_status_error)
                    yajl_message(g, NULL, 0);
                else if (!g->root_closed && !g->fatal)
                    set_fatal(g, "empty input: not a GeoJSON FeatureCollection");
                g->finished = 1;
                continue;
            }
            truce_status st = trc_src_fill(s);
            if (st)
                return st;
            continue;
        }
        const char *p = s->buf + s->pos;
        size_t n = piece_length(p, s->len - s->pos);
        g->piece_pos = s->pos;
        g->piece_line = s->line;
        yajl_status ys = yajl_parse(g->h, (const unsigned char *)p, n);
        s->pos += n;
        if (p[n - 1] == '\n')
            s->line++;
        if (ys == yajl_status_error)
            yajl_message(g, (const unsigned char *)p, n);
        else if (ys == yajl_status_client_canceled && !g->fatal)
            return TRUCE_E_NOMEM;
        g->quiet_bytes += n;
        if (g->quiet_bytes > s->max_row) {
            /* YAJL keeps a token whole until it ends: to hold memory to the
             * row cap, the file stops here (the message says so). */
            char why[160];
            snprintf(why, sizeof why,
                     "a JSON token or a run of white space longer than the maximum row size "
                     "(%zu bytes)",
                     s->max_row);
            set_fatal(g, why);
        }
        if (g->in_feature && !g->feature_done && !g->oversize && s->pos - s->mark > s->max_row) {
            /* Keep the start for --rejects, then let the buffer go. */
            trc_free(g->trunc);
            g->trunc = trc_malloc(s->max_row);
            if (!g->trunc)
                return TRUCE_E_NOMEM;
            memcpy(g->trunc, s->buf + s->mark, s->max_row);
            g->trunc_len = s->max_row;
            g->oversize = 1;
        }
        if (!g->in_feature || g->oversize)
            s->mark = s->pos;
    }
}

const truce_reader_format_ops truce_reader_geojson = {
    .name = "geojson",
    .summary = "GeoJSON FeatureCollection of Point features",
    .sniff = geojson_sniff,
    .open = geojson_open,
    .next = geojson_next,
    .close = geojson_close,
};
