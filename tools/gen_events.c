/* truce-gen-events: event files in ACLED's and UCDP GED's layouts (and
 * GeoJSON), of any size, from a seed, with chosen kinds of bad rows mixed in.
 *
 * ACLED's terms forbid redistributing its rows, so truce tests and benchmarks
 * on files made here.  The events are invented but shaped like the real
 * thing: places around Idlib (coordinates from GeoNames via Who's On First,
 * CC BY 4.0: tests/data/PROVENANCE.md), the actors, event types and
 * precision codes of the Idlib 2020 conflict, notes holding commas, quotes
 * and (now and then) line breaks.
 *
 * Every event sits exactly on its place, as in ACLED and UCDP (both geocode
 * to gazetteer places), so coordinates repeat.  --scatter KM moves each row's
 * point off its place by up to KM km, so that practically every event has
 * coordinates of its own: the worst case for anything keyed by coordinates.
 *
 * --places FILE draws the events from a gazetteer CSV's places instead of
 * the 22 built in (data/idlib-2020/places.csv holds 4,629 of NW Syria): the
 * realistic middle case, thousands of places repeating with a skewed
 * frequency as in ACLED.  The file needs a header naming columns lat and lon;
 * name and admin2 are used where the generator writes a place's names if
 * the file has them (otherwise "place N", N its row, and no admin-2 name);
 * admin1 and country stay the generator's Idlib and Syria, wherever the
 * place is.  The places are shuffled by a stream of their own seeded from
 * --seed and the place of rank r drawn with weight 1/r (Zipf's law, s = 1):
 * with 4,629 places the first holds about 11% of the events, and each of the
 * half at the tail under 0.005%.  Each event still costs one draw of the main
 * stream, so the rest of every row is what the same seed writes without
 * --places.  A row with a bad or missing lat or lon, a malformed or empty
 * file: exit 2, the message naming the file and the line.
 *
 * --manifest FILE lists what was written, so tests know the expected rejects
 * and line numbers and can check every good row:
 *   summary,ROWS,GOOD,BAD
 *   bad,LINE,KIND,FIELD          (FIELD "-" when the row has no single field at fault)
 *   good,ID,LINE,START,END,LON,LAT,RADIUS_M,FATALITIES   (START/END in UTC)
 * --expected-rejects FILE gets the header and the bad rows byte for byte, as
 * `truce events --rejects` should write them.
 *
 * The expected intervals and radii are computed here from the rules in
 * docs/events.md, independently of the library, which makes them a check.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

/* ---- randomness: SplitMix64 (Steele, Lea, Flood 2014) ---- */

static uint64_t rng_state;

/* The next number of the stream whose state is *state. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* The main stream, from which every row is drawn. */
static uint64_t rnd(void)
{
    return splitmix64(&rng_state);
}

static unsigned below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

/* Uniform in [0, 1), from the top 53 bits. */
static double unit(void)
{
    return (double)(rnd() >> 11) * 0x1p-53;
}

/* ---- the world ---- */

typedef struct place {
    const char *name;
    const char *admin2;
    double lat, lon;
} place;

/* Who's On First / GeoNames points (CC BY 4.0), admin-2 districts as named
 * in ACLED's Syria data. */
static const place places[] = {
    {"Ad Dana", "Harim", 35.69970, 36.68736},
    {"Afis", "Idleb", 35.90690, 36.80419},
    {"An Nayrab", "Idleb", 35.86955, 36.71867},
    {"Ariha", "Ariha", 35.81374, 36.60964},
    {"Armanaz", "Harim", 36.08363, 36.50310},
    {"Bdama", "Jisr-Ash-Shugur", 35.81151, 36.19649},
    {"Binnish", "Idleb", 35.95664, 36.71380},
    {"Dabsanqul", "Ariha", 35.80830, 36.49889},
    {"Harim", "Harim", 36.21176, 36.52078},
    {"Idlib", "Idleb", 35.93062, 36.63393},
    {"Ihsim", "Ariha", 35.72078, 36.55631},
    {"Kafr Ruma", "Maarrat An Nu'man", 35.63661, 36.63293},
    {"Kansafrah", "Ariha", 35.65935, 36.48547},
    {"Kufayr", "Jisr-Ash-Shugur", 35.78209, 36.32148},
    {"Maarrat an Numan", "Maarrat An Nu'man", 35.64830, 36.67693},
    {"Muhambal", "Ariha", 35.78735, 36.47210},
    {"Sarmada", "Harim", 36.18553, 36.72231},
    {"Sarmin", "Idleb", 35.90403, 36.72501},
    {"Taftanaz", "Idleb", 35.99832, 36.78579},
    {"Turumbah", "Idleb", 35.85979, 36.76833},
    {"Urum al Jawz", "Ariha", 35.79192, 36.56668},
    {"Ayn al Hawr", "Jisr-Ash-Shugur", 35.83889, 36.18403},
};
#define NPLACES (sizeof places / sizeof places[0])

/* ---- where events happen: the built-in places or a gazetteer file ---- */

/* The places events are drawn from.  Built in (places == the table above,
 * cum NULL): uniformly, one draw of the main stream per event.  From a
 * --places file: by Zipf's law with exponent 1 over an order shuffled by the
 * seed, the place of rank r (places[r - 1]) with weight 1/r, still one draw
 * per event, so the rest of each row comes out as without --places. */
typedef struct gazetteer {
    const place *places; /* the table above, or `owned` */
    size_t n;            /* places, >= 1 */
    place *owned;        /* a file's places in rank order; freed by gazetteer_release */
    double *cum;         /* cum[i]: sum of 1/r for r in 1..i+1; NULL when built in; owned */
    char *text;          /* the file's names and admin-2 names, NUL-ended; owned */
} gazetteer;

static void gazetteer_builtin(gazetteer *z)
{
    memset(z, 0, sizeof *z);
    z->places = places;
    z->n = NPLACES;
}

static void gazetteer_release(gazetteer *z)
{
    free(z->owned);
    free(z->cum);
    free(z->text);
    memset(z, 0, sizeof *z);
}

/* One place, drawn with one number of the main stream. */
static const place *draw_place(const gazetteer *z)
{
    if (!z->cum)
        return &z->places[below((unsigned)z->n)];
    /* The first rank whose cumulative weight exceeds u in [0, total). */
    double u = unit() * z->cum[z->n - 1];
    size_t lo = 0, hi = z->n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return &z->places[lo];
}

/* Caps on a gazetteer file, so that every name fits the generator's fixed
 * buffers (notes, UCDP's where_description, the GeoJSON line) whole, and a
 * runaway field or file fails instead of eating memory. */
#define PLACE_NAME_MAX 100          /* bytes of UTF-8, name and admin2 each */
#define PLACES_MAX 10000000         /* places in a file */
#define PLACES_FIELD_MAX (1u << 20) /* bytes of any one field, read or not */

/* A place as read, its strings as offsets into the text that is still growing. */
typedef struct place_row {
    double lat, lon;
    size_t name_at, admin2_at; /* SIZE_MAX: none */
} place_row;

/* The state of reading a --places file through libcsv's callbacks.  Rows
 * are numbered by the physical line they start on, as truce numbers them. */
typedef struct places_file {
    const char *path;
    long line;     /* physical line being fed, from 1 */
    long rec_line; /* line the record being read started on; 0 between records */
    size_t field;  /* fields of that record so far */
    size_t ncols;  /* fields of the header; 0 until it has been read */
    long lat_col, lon_col, name_col, admin2_col; /* -1: no such column */
    char lat[64], lon[64];                       /* this row's values, NUL-ended */
    size_t name_at, admin2_at;                   /* this row's strings in text; SIZE_MAX: none */
    int failed;                                  /* a message has been printed */
    place_row *rows;
    size_t nrows, rows_cap;
    char *text;
    size_t text_len, text_cap;
} places_file;

static void places_fail(places_file *pf, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void places_fail(places_file *pf, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "truce-gen-events: %s:%ld: ", pf->path, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    pf->failed = 1;
}

/* 1 when s[0, n) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) and holds no NUL byte: a name truce
 * would reject (it checks every row's UTF-8) would turn good rows bad. */
static int utf8_ok(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned long c = s[i];
        size_t k;
        unsigned long min;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
            min = 0x80;
            c &= 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            min = 0x800;
            c &= 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            min = 0x10000;
            c &= 0x07;
        } else {
            return 0;
        }
        if (n - i <= k)
            return 0;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
            c = c << 6 | (s[i + j] & 0x3Fu);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        i += k + 1;
    }
    return 1;
}

/* Appends s[0, n) and a NUL to pf->text; its offset there, or SIZE_MAX
 * when memory ran out (reported). */
static size_t places_keep(places_file *pf, const char *s, size_t n)
{
    if (pf->text_cap - pf->text_len < n + 1) {
        size_t cap = pf->text_cap ? pf->text_cap : 65536;
        while (cap - pf->text_len < n + 1)
            cap *= 2;
        char *t = realloc(pf->text, cap);
        if (!t) {
            places_fail(pf, pf->rec_line, "out of memory");
            return SIZE_MAX;
        }
        pf->text = t;
        pf->text_cap = cap;
    }
    size_t at = pf->text_len;
    memcpy(pf->text + at, s, n);
    pf->text[at + n] = '\0';
    pf->text_len += n + 1;
    return at;
}

/* A name or admin-2 field: checked and kept; SIZE_MAX when empty. */
static size_t places_name(places_file *pf, const char *what, const char *s, size_t n)
{
    if (n == 0)
        return SIZE_MAX;
    if (n > PLACE_NAME_MAX) {
        places_fail(pf, pf->rec_line, "%s: %zu bytes, more than %d", what, n, PLACE_NAME_MAX);
        return SIZE_MAX;
    }
    if (!utf8_ok((const unsigned char *)s, n)) {
        places_fail(pf, pf->rec_line, "%s: not valid UTF-8 (or holds a NUL byte)", what);
        return SIZE_MAX;
    }
    return places_keep(pf, s, n);
}

static void places_on_field(void *s, size_t len, void *data)
{
    places_file *pf = data;
    if (pf->failed)
        return;
    if (!pf->rec_line)
        pf->rec_line = pf->line;
    long i = (long)pf->field++;
    const char *v = s; /* NUL-ended (CSV_APPEND_NULL) */
    if (!pf->ncols) {
        /* The header: the first column of each name counts. */
        if (pf->lat_col < 0 && !strcasecmp(v, "lat"))
            pf->lat_col = i;
        else if (pf->lon_col < 0 && !strcasecmp(v, "lon"))
            pf->lon_col = i;
        else if (pf->name_col < 0 && !strcasecmp(v, "name"))
            pf->name_col = i;
        else if (pf->admin2_col < 0 && !strcasecmp(v, "admin2"))
            pf->admin2_col = i;
        return;
    }
    if (i == pf->lat_col || i == pf->lon_col) {
        const char *what = i == pf->lat_col ? "lat" : "lon";
        if (len >= sizeof pf->lat)
            places_fail(pf, pf->rec_line, "%s: %zu bytes, too long for a number", what, len);
        else if (memchr(v, '\0', len))
            places_fail(pf, pf->rec_line, "%s: holds a NUL byte", what);
        else
            memcpy(i == pf->lat_col ? pf->lat : pf->lon, v, len + 1);
    } else if (i == pf->name_col) {
        pf->name_at = places_name(pf, "name", v, len);
    } else if (i == pf->admin2_col) {
        pf->admin2_at = places_name(pf, "admin2", v, len);
    }
}

/* v as a coordinate in [-max, max] degrees, or fails naming the field. */
static double places_coord(places_file *pf, const char *what, const char *v, double max)
{
    char *end;
    errno = 0;
    if (!*v) {
        places_fail(pf, pf->rec_line, "%s: missing (an empty field)", what);
        return 0;
    }
    double d = strtod(v, &end);
    if (*end || errno || !isfinite(d) || d < -max || d > max) {
        places_fail(pf, pf->rec_line, "%s: '%s' is not a number in [%g, %g] (degrees)", what, v,
                    -max, max);
        return 0;
    }
    return d;
}

static void places_on_record(int term, void *data)
{
    (void)term;
    places_file *pf = data;
    if (pf->failed)
        return;
    if (!pf->rec_line)
        pf->rec_line = pf->line;
    if (!pf->ncols) {
        pf->ncols = pf->field;
        if (pf->lat_col < 0 || pf->lon_col < 0)
            places_fail(pf, pf->rec_line, "the header has no '%s' column",
                        pf->lat_col < 0 ? "lat" : "lon");
    } else if (pf->field != pf->ncols) {
        places_fail(pf, pf->rec_line, "%zu fields, the header has %zu", pf->field, pf->ncols);
    } else if (pf->nrows == PLACES_MAX) {
        places_fail(pf, pf->rec_line, "more than %d places", PLACES_MAX);
    } else {
        double lat = places_coord(pf, "lat", pf->lat, 90);
        double lon = pf->failed ? 0 : places_coord(pf, "lon", pf->lon, 180);
        if (!pf->failed && pf->nrows == pf->rows_cap) {
            size_t cap = pf->rows_cap ? 2 * pf->rows_cap : 4096;
            void *r = realloc(pf->rows, cap * sizeof *pf->rows);
            if (r) {
                pf->rows = r;
                pf->rows_cap = cap;
            } else {
                places_fail(pf, pf->rec_line, "out of memory");
            }
        }
        if (!pf->failed) {
            pf->rows[pf->nrows].lat = lat;
            pf->rows[pf->nrows].lon = lon;
            pf->rows[pf->nrows].name_at = pf->name_at;
            pf->rows[pf->nrows].admin2_at = pf->admin2_at;
            pf->nrows++;
        }
    }
    pf->field = 0;
    pf->rec_line = 0;
    pf->name_at = pf->admin2_at = SIZE_MAX;
    pf->lat[0] = pf->lon[0] = '\0';
}

static int places_no_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* libcsv grows its field buffer through this: refusing past the cap makes a
 * runaway field (an unclosed quote, say) an error instead of the whole file
 * in memory. */
static void *places_realloc(void *p, size_t n)
{
    return n > PLACES_FIELD_MAX ? NULL : realloc(p, n);
}

/* Reads the gazetteer CSV at path into z: RFC 4180 (quoted fields may hold
 * commas, doubled quotes and line breaks; CRLF or LF; a UTF-8 BOM is
 * skipped), a header naming columns lat and lon (degrees, WGS84) and
 * optionally name and admin2, then one place a row, every row with the
 * header's number of fields.  A place without a name is called "place N",
 * N its row number (from 1); without admin2 it has none.  The places are
 * shuffled with a stream of their own seeded from seed (the main stream is
 * left alone) and weighted by Zipf's law in that order.  Returns 0, or 1
 * after printing "PATH:LINE: what is wrong" (LINE: the line the row starts
 * on; for a misplaced quote, the line it is on) with z untouched; z is
 * released by gazetteer_release. */
static int gazetteer_load(gazetteer *z, const char *path, uint64_t seed)
{
    places_file pf;
    memset(&pf, 0, sizeof pf);
    pf.path = path;
    pf.line = 1;
    pf.lat_col = pf.lon_col = pf.name_col = pf.admin2_col = -1;
    pf.name_at = pf.admin2_at = SIZE_MAX;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "truce-gen-events: %s: cannot read: %s\n", path, strerror(errno));
        return 1;
    }
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fclose(f);
        fputs("truce-gen-events: out of memory\n", stderr);
        return 1;
    }
    csv_set_space_func(&parser, places_no_space);
    csv_set_realloc_func(&parser, places_realloc);
    /* Fed a physical line (or the part of one a read holds) at a time, so
     * that pf.line is the line libcsv is in when it calls back. */
    static char chunk[1 << 16];
    size_t got;
    int first = 1, line_start = 1;
    while (!pf.failed && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        const char *p = chunk, *end = chunk + got;
        if (first && got >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
            p += 3;
        first = 0;
        while (!pf.failed && p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *stop = nl ? nl + 1 : end;
            if (line_start && !pf.rec_line && *p != '\n' && *p != '\r')
                pf.rec_line = pf.line;
            size_t n = (size_t)(stop - p);
            if (csv_parse(&parser, p, n, places_on_field, places_on_record, &pf) != n) {
                if (csv_error(&parser) == CSV_EPARSE)
                    places_fail(&pf, pf.line,
                                "malformed CSV: a quote inside an unquoted field, or text after "
                                "a closing quote (RFC 4180)");
                else
                    places_fail(&pf, pf.rec_line ? pf.rec_line : pf.line,
                                "a field longer than %u bytes (or out of memory)",
                                PLACES_FIELD_MAX);
            }
            line_start = nl != NULL;
            pf.line += nl != NULL;
            p = stop;
        }
    }
    if (!pf.failed && ferror(f)) {
        fprintf(stderr, "truce-gen-events: %s: read failed: %s\n", path, strerror(errno));
        pf.failed = 1;
    }
    if (!pf.failed && csv_fini(&parser, places_on_field, places_on_record, &pf) != 0)
        places_fail(&pf, pf.rec_line ? pf.rec_line : pf.line,
                    "a quoted field opened on this line is never closed");
    csv_free(&parser);
    fclose(f);
    if (!pf.failed && !pf.ncols)
        places_fail(&pf, 1, "empty file: want a header line naming lat and lon columns");
    else if (!pf.failed && !pf.nrows)
        places_fail(&pf, pf.line, "no places after the header");
    /* Names for the nameless, then the places in their final form. */
    for (size_t i = 0; i < pf.nrows && !pf.failed; i++)
        if (pf.rows[i].name_at == SIZE_MAX) {
            char nm[32];
            int k = snprintf(nm, sizeof nm, "place %zu", i + 1);
            pf.rows[i].name_at = places_keep(&pf, nm, (size_t)k);
        }
    gazetteer g;
    memset(&g, 0, sizeof g);
    if (!pf.failed) {
        g.n = pf.nrows;
        g.owned = calloc(g.n, sizeof *g.owned);
        g.cum = calloc(g.n, sizeof *g.cum);
        if (!g.owned || !g.cum)
            places_fail(&pf, pf.line, "out of memory");
    }
    if (pf.failed) {
        free(g.owned);
        free(g.cum);
        free(pf.rows);
        free(pf.text);
        return 1;
    }
    /* Fisher-Yates (Knuth's Algorithm P), on a stream of its own; the
     * modulo's bias is below 2^-40 for any file under PLACES_MAX. */
    uint64_t order = seed ^ 0x706c61636573u; /* "places" */
    for (size_t i = g.n - 1; i > 0; i--) {
        size_t j = (size_t)(splitmix64(&order) % (i + 1));
        place_row t = pf.rows[i];
        pf.rows[i] = pf.rows[j];
        pf.rows[j] = t;
    }
    double sum = 0;
    for (size_t i = 0; i < g.n; i++) {
        sum += 1.0 / (double)(i + 1);
        g.cum[i] = sum;
    }
    g.text = pf.text;
    for (size_t i = 0; i < g.n; i++) {
        g.owned[i].lat = pf.rows[i].lat;
        g.owned[i].lon = pf.rows[i].lon;
        g.owned[i].name = g.text + pf.rows[i].name_at;
        g.owned[i].admin2 = pf.rows[i].admin2_at == SIZE_MAX ? "" : g.text + pf.rows[i].admin2_at;
    }
    g.places = g.owned;
    free(pf.rows);
    *z = g;
    return 0;
}

typedef struct kind_of_event {
    const char *disorder, *event_type, *sub_event_type;
} kind_of_event;

static const kind_of_event kinds[] = {
    {"Political violence", "Battles", "Armed clash"},
    {"Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack"},
    {"Political violence", "Explosions/Remote violence", "Air/drone strike"},
    {"Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED"},
    {"Political violence", "Violence against civilians", "Attack"},
    {"Strategic developments", "Strategic developments", "Headquarters or base established"},
    {"Strategic developments", "Strategic developments", "Agreement"},
};

static const char *const actors[] = {
    "Military Forces of Syria (2000-)",  "Military Forces of Russia (2000-)",
    "Military Forces of Turkey (2016-)", "Hayat Tahrir al Sham",
    "NLF: National Liberation Front",    "Civilians (Syria)",
    "Unidentified Armed Group (Syria)",
};

/* ---- output helpers ---- */

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->cap - b->n < n + 1) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->n < n + 1)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) {
            fputs("truce-gen-events: out of memory\n", stderr);
            exit(1);
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* RFC 4180 field, quoted only when it must be, as ACLED and UCDP exports do
 * (libcsv's writer quotes every field, which would not test the unquoted
 * path). */
static void put_field(buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        puts_(b, s);
        return;
    }
    puts_(b, "\"");
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            puts_(b, "\"");
        put(b, p, 1);
    }
    puts_(b, "\"");
}

/* s as the inside of a JSON string (RFC 8259): quote, backslash and
 * control characters escaped, the rest (UTF-8) as it is.  Cut short if out
 * (cap bytes) is too small, which the callers' sizes rule out. */
static void json_text(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        size_t k;
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            k = 2;
        } else if (*p < 0x20) {
            k = (size_t)snprintf(esc, sizeof esc, "\\u%04x", *p);
        } else {
            esc[0] = (char)*p;
            k = 1;
        }
        if (cap - n <= k)
            break;
        memcpy(out + n, esc, k);
        n += k;
    }
    out[n] = '\0';
}

static void trim_number(char *s)
{
    if (!strchr(s, '.'))
        return;
    size_t n = strlen(s);
    while (n && s[n - 1] == '0')
        s[--n] = '\0';
    if (n && s[n - 1] == '.')
        s[--n] = '\0';
}

/* ---- dates (proleptic Gregorian, days since 1970-01-01; Hinnant 2013) ---- */

static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void utc_text(int64_t day, char out[32])
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(out, 32, "%04d-%02d-%02dT00:00:00Z", y, m, d);
}

static const char *const month_names[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

/* ---- bad rows ---- */

enum {
    B_COLUMNS_FEW,
    B_COLUMNS_MANY,
    B_LAT_RANGE,
    B_LON_RANGE,
    B_LAT_TEXT,
    B_DATE_INVALID,
    B_DATE_GARBAGE,
    B_ID_MISSING,
    B_ID_REPEAT,
    B_FATALITIES,
    B_PRECISION,
    B_YEAR,
    B_STRAY_QUOTE,
    B_UNCLOSED_QUOTE,
    B_UTF8,
    B_NOT_POINT,
    B_COUNT
};

static const char *const bad_names[B_COUNT] = {
    "columns_few",  "columns_many",   "lat_range", "lon_range",  "lat_text",  "date_invalid",
    "date_garbage", "id_missing",     "id_repeat", "fatalities", "precision", "year",
    "stray_quote",  "unclosed_quote", "utf8",      "not_point",
};

typedef enum layout {
    L_ACLED_2023,
    L_ACLED_PRE2023,
    L_UCDP,
    L_UCDP_NOHEADER,
    L_UCDP_HXL,
    L_GEOJSON
} layout;

static int is_acled(layout l)
{
    return l == L_ACLED_2023 || l == L_ACLED_PRE2023;
}

static int is_ucdp(layout l)
{
    return l == L_UCDP || l == L_UCDP_NOHEADER || l == L_UCDP_HXL;
}

/* Which kinds each layout can carry, and the field truce must name. */
static const char *bad_field(layout l, int kind)
{
    int acled = is_acled(l), ucdp = is_ucdp(l);
    switch (kind) {
    case B_COLUMNS_FEW:
    case B_COLUMNS_MANY:
    case B_STRAY_QUOTE:
    case B_UNCLOSED_QUOTE:
        return acled || ucdp ? "-" : NULL;
    case B_LAT_RANGE:
        return acled || ucdp ? "latitude" : "geometry.coordinates";
    case B_LON_RANGE:
        return acled || ucdp ? "longitude" : NULL;
    case B_LAT_TEXT:
        return acled || ucdp ? "latitude" : NULL;
    case B_DATE_INVALID:
    case B_DATE_GARBAGE:
        return acled ? "event_date" : ucdp ? "date_start" : "properties.date";
    case B_ID_MISSING:
    case B_ID_REPEAT:
        return acled ? "event_id_cnty" : "id";
    case B_FATALITIES:
        return acled ? "fatalities" : ucdp ? "best" : "properties.fatalities";
    case B_PRECISION:
        return acled ? "time_precision" : ucdp ? "where_prec" : NULL;
    case B_YEAR:
        return acled ? "year" : ucdp ? "date_end" : NULL;
    case B_UTF8:
        return acled ? "notes" : ucdp ? "source_headline" : NULL;
    case B_NOT_POINT:
        return l == L_GEOJSON ? "geometry.type" : NULL;
    default:
        return NULL;
    }
}

/* ---- one event ---- */

typedef struct event {
    char id[32];
    int64_t day;     /* the coded date */
    int time_prec;   /* ACLED 1-3 */
    int date_prec;   /* UCDP 1-5 */
    int64_t end_day; /* UCDP date_end */
    const place *where;
    double lat, lon; /* degrees: the place's, or off it by --scatter */
    int geo_prec;    /* ACLED 1-3 */
    int where_prec;  /* UCDP 1-7 */
    const kind_of_event *kind;
    const char *actor1, *actor2;
    int fatalities, low, high;
    char notes[420];
    int violence;
} event;

static const double acled_radius[4] = {0, 2000, 25000, 100000};
static const double ucdp_radius[8] = {0, 2000, 25000, 50000, 100000, 100000, 500000, 500000};

/* Move e's point to one drawn uniformly (by area) over the disk of radius
 * scatter_km km around its place: r = R sqrt(u), angle 2 pi v.  Kilometres
 * become degrees by a local flat approximation (111.32 km per degree of
 * longitude at the equator times cos(lat), 110.574 km per degree of
 * latitude; the WGS 84 values near the equator), not a geodesic: it only has
 * to be plausible, and at Idlib's 36 degrees north over a few tens of km it
 * is off by well under 1%. */
static void scatter(event *e, double scatter_km)
{
    static const double pi = 3.14159265358979323846;
    double r_km = scatter_km * sqrt(unit());
    double t = 2 * pi * unit();
    e->lon += r_km * cos(t) / (111.32 * cos(e->where->lat * pi / 180));
    e->lat += r_km * sin(t) / 110.574;
}

/* Event number n, at a place drawn from z.  scatter_km > 0 draws two more
 * randoms, after all the others, so that 0 leaves the random stream (and the
 * files) as they were before --scatter existed. */
static void make_event(event *e, uint64_t n, int multiline, double scatter_km, const gazetteer *z)
{
    snprintf(e->id, sizeof e->id, "SYR%" PRIu64, 40000 + n);
    e->day = days_from_civil(2020, 1, 1) + below(182);
    unsigned r = below(100);
    e->time_prec = r < 85 ? 1 : r < 96 ? 2 : 3;
    e->date_prec = r < 80 ? 1 : r < 88 ? 2 : r < 94 ? 3 : r < 98 ? 4 : 5;
    e->end_day = e->day + (e->date_prec == 1   ? 0
                           : e->date_prec == 2 ? 3
                           : e->date_prec == 3 ? 6
                           : e->date_prec == 4 ? 20
                                               : 60);
    e->where = draw_place(z);
    r = below(100);
    e->geo_prec = r < 75 ? 1 : r < 95 ? 2 : 3;
    e->where_prec = 1 + (r < 60 ? 0 : (int)below(7));
    e->kind = &kinds[below(sizeof kinds / sizeof kinds[0])];
    e->actor1 = actors[below(3)];
    e->actor2 = actors[3 + below(4)];
    e->fatalities = below(4) ? (int)below(6) : (int)below(40);
    e->low = e->fatalities - (e->fatalities > 0 ? (int)below((unsigned)e->fatalities + 1) : 0);
    e->high = e->fatalities + (int)below(5);
    e->violence = 1 + (int)below(3);
    int y, m, d;
    civil_from_days(e->day, &y, &m, &d);
    char lead[64];
    snprintf(lead, sizeof lead, "On %d %s %d, ", d, month_names[m - 1], y);
    char body[320];
    const char *w = e->where->name;
    int f = e->fatalities;
    switch (below(4)) {
    case 0:
        snprintf(body, sizeof body,
                 "Regime forces shelled the outskirts of %s, killing %d; SOHR said the "
                 "\"ceasefire\" was breached.",
                 w, f);
        break;
    case 1:
        snprintf(body, sizeof body,
                 "Russian warplanes struck near %s. %d fatalities reported, civilians among them.",
                 w, f);
        break;
    case 2:
        snprintf(body, sizeof body,
                 "Clashes between HTS and regime forces near %s, %d killed, according to local "
                 "sources.",
                 w, f);
        break;
    default:
        snprintf(body, sizeof body,
                 "Turkish-Russian joint patrol on the M4 passed %s; protesters, some armed, "
                 "blocked the road (%d fatalities).",
                 w, f);
        break;
    }
    snprintf(e->notes, sizeof e->notes, "%.40s%.300s%s", lead, body,
             multiline ? "\nUpdate: figures revised by a second source." : "");
    e->lat = e->where->lat;
    e->lon = e->where->lon;
    if (scatter_km > 0)
        scatter(e, scatter_km);
}

static void date_text(layout l, int fmt, int64_t day, char out[40])
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    if (is_ucdp(l))
        snprintf(out, 40, "%04d-%02d-%02d 00:00:00.000", y, m, d);
    else if (fmt == 1)
        snprintf(out, 40, "%02d %s %04d", d, month_names[m - 1], y);
    else if (fmt == 2)
        snprintf(out, 40, "%02d-%02d-%04d", d, m, y);
    else
        snprintf(out, 40, "%04d-%02d-%02d", y, m, d);
}

/* The value of a named column for event e (bad rows override some). */
typedef struct override {
    const char *column;
    const char *value;
} override;

static const char *const acled2023_cols[] = {
    "event_id_cnty", "event_date",     "year",     "time_precision", "disorder_type",
    "event_type",    "sub_event_type", "actor1",   "assoc_actor_1",  "inter1",
    "actor2",        "assoc_actor_2",  "inter2",   "interaction",    "civilian_targeting",
    "iso",           "region",         "country",  "admin1",         "admin2",
    "admin3",        "location",       "latitude", "longitude",      "geo_precision",
    "source",        "source_scale",   "notes",    "fatalities",     "tags",
    "timestamp"};
static const char *const acledpre_cols[] = {"data_id",
                                            "iso",
                                            "event_id_cnty",
                                            "event_id_no_cnty",
                                            "event_date",
                                            "year",
                                            "time_precision",
                                            "event_type",
                                            "sub_event_type",
                                            "actor1",
                                            "assoc_actor_1",
                                            "inter1",
                                            "actor2",
                                            "assoc_actor_2",
                                            "inter2",
                                            "interaction",
                                            "region",
                                            "country",
                                            "admin1",
                                            "admin2",
                                            "admin3",
                                            "location",
                                            "latitude",
                                            "longitude",
                                            "geo_precision",
                                            "source",
                                            "source_scale",
                                            "notes",
                                            "fatalities",
                                            "timestamp",
                                            "iso3"};
/* The column tables here repeat the readers' on purpose: the generator is
 * the tests' independent statement of each layout, so a wrong name in a
 * reader fails the tests instead of being shared by both sides. */
static const char *const ucdp_cols[] = {"id",
                                        "relid",
                                        "year",
                                        "active_year",
                                        "code_status",
                                        "type_of_violence",
                                        "conflict_dset_id",
                                        "conflict_new_id",
                                        "conflict_name",
                                        "dyad_dset_id",
                                        "dyad_new_id",
                                        "dyad_name",
                                        "side_a_dset_id",
                                        "side_a_new_id",
                                        "side_a",
                                        "side_b_dset_id",
                                        "side_b_new_id",
                                        "side_b",
                                        "number_of_sources",
                                        "source_article",
                                        "source_office",
                                        "source_date",
                                        "source_headline",
                                        "source_original",
                                        "where_prec",
                                        "where_coordinates",
                                        "where_description",
                                        "adm_1",
                                        "adm_2",
                                        "latitude",
                                        "longitude",
                                        "geom_wkt",
                                        "priogrid_gid",
                                        "country",
                                        "country_id",
                                        "region",
                                        "event_clarity",
                                        "date_prec",
                                        "date_start",
                                        "date_end",
                                        "deaths_a",
                                        "deaths_b",
                                        "deaths_civilians",
                                        "deaths_unknown",
                                        "best",
                                        "high",
                                        "low",
                                        "gwnoa",
                                        "gwnob"};
static const char *const ucdp_tags[] = {"#event+id",
                                        "#event+relid",
                                        "#date+year",
                                        "",
                                        "#status+code",
                                        "#event+type",
                                        "",
                                        "",
                                        "#event+name",
                                        "",
                                        "",
                                        "#group+name",
                                        "",
                                        "",
                                        "#group+a+name",
                                        "",
                                        "",
                                        "#group+b+name",
                                        "#meta+count",
                                        "#meta+source",
                                        "",
                                        "#date+source",
                                        "#description",
                                        "",
                                        "#geo+precision",
                                        "#loc+name",
                                        "#loc+description",
                                        "#adm1+name",
                                        "#adm2+name",
                                        "#geo+lat",
                                        "#geo+lon",
                                        "",
                                        "",
                                        "#country+name",
                                        "#country+code",
                                        "#region+name",
                                        "",
                                        "#date+precision",
                                        "#date+start",
                                        "#date+end",
                                        "",
                                        "",
                                        "",
                                        "",
                                        "#affected+killed",
                                        "#affected+killed+max",
                                        "#affected+killed+min",
                                        "",
                                        ""};

static const char *value_of(layout l, const event *e, int datefmt, uint64_t n, const char *col,
                            char *tmp, size_t tlen, const override *ov, size_t nov)
{
    for (size_t i = 0; i < nov; i++)
        if (!strcmp(ov[i].column, col))
            return ov[i].value;
    int y, m, d;
    civil_from_days(e->day, &y, &m, &d);
#define IS(s) (!strcmp(col, s))
    if (IS("latitude") || IS("longitude")) {
        snprintf(tmp, tlen, "%.5f", IS("latitude") ? e->lat : e->lon);
        trim_number(tmp);
        return tmp;
    }
    if (is_acled(l)) {
        if (IS("event_id_cnty"))
            return e->id;
        if (IS("event_date")) {
            date_text(l, datefmt, e->day, tmp);
            return tmp;
        }
        if (IS("year")) {
            snprintf(tmp, tlen, "%d", y);
            return tmp;
        }
        if (IS("time_precision")) {
            snprintf(tmp, tlen, "%d", e->time_prec);
            return tmp;
        }
        if (IS("disorder_type"))
            return e->kind->disorder;
        if (IS("event_type"))
            return e->kind->event_type;
        if (IS("sub_event_type"))
            return e->kind->sub_event_type;
        if (IS("actor1"))
            return e->actor1;
        if (IS("actor2"))
            return e->actor2;
        if (IS("assoc_actor_1") || IS("assoc_actor_2") || IS("civilian_targeting") || IS("tags") ||
            IS("admin3"))
            return "";
        if (IS("inter1"))
            return "1";
        if (IS("inter2"))
            return "2";
        if (IS("interaction"))
            return "12";
        if (IS("iso"))
            return "760";
        if (IS("iso3"))
            return "SYR";
        if (IS("region"))
            return "Middle East";
        if (IS("country"))
            return "Syria";
        if (IS("admin1"))
            return "Idleb";
        if (IS("admin2"))
            return e->where->admin2;
        if (IS("location"))
            return e->where->name;
        if (IS("geo_precision")) {
            snprintf(tmp, tlen, "%d", e->geo_prec);
            return tmp;
        }
        if (IS("source"))
            return "Syrian Observatory for Human Rights; Step News Agency";
        if (IS("source_scale"))
            return "National-Regional";
        if (IS("notes"))
            return e->notes;
        if (IS("fatalities")) {
            snprintf(tmp, tlen, "%d", e->fatalities);
            return tmp;
        }
        if (IS("timestamp")) {
            snprintf(tmp, tlen, "%" PRIu64, 1583900000 + n);
            return tmp;
        }
        if (IS("data_id")) {
            snprintf(tmp, tlen, "%" PRIu64, 7000000 + n);
            return tmp;
        }
        if (IS("event_id_no_cnty")) {
            snprintf(tmp, tlen, "%" PRIu64, 40000 + n);
            return tmp;
        }
        return "";
    }
    if (IS("id"))
        return e->id + 3; /* numeric */
    if (IS("relid")) {
        snprintf(tmp, tlen, "SYR-2020-1-%s", e->id + 3);
        return tmp;
    }
    if (IS("year")) {
        snprintf(tmp, tlen, "%d", y);
        return tmp;
    }
    if (IS("active_year"))
        return "1";
    if (IS("code_status"))
        return "Clear";
    if (IS("type_of_violence")) {
        snprintf(tmp, tlen, "%d", e->violence);
        return tmp;
    }
    if (IS("conflict_dset_id") || IS("conflict_new_id"))
        return "299";
    if (IS("conflict_name"))
        return "Syria: Government";
    if (IS("dyad_dset_id") || IS("dyad_new_id"))
        return "12361";
    if (IS("dyad_name"))
        return "Government of Syria - Syrian insurgents";
    if (IS("side_a"))
        return "Government of Syria";
    if (IS("side_b"))
        return "Syrian insurgents";
    if (IS("number_of_sources"))
        return "2";
    if (IS("source_article"))
        return "\"Reuters,2020-03-05,Syrian, Russian jets strike Idlib\"";
    if (IS("source_headline"))
        return e->notes;
    if (IS("where_prec")) {
        snprintf(tmp, tlen, "%d", e->where_prec);
        return tmp;
    }
    if (IS("where_coordinates")) {
        snprintf(tmp, tlen, "%s town", e->where->name);
        return tmp;
    }
    if (IS("where_description")) {
        if (*e->where->admin2)
            snprintf(tmp, tlen, "near %s, %s district", e->where->name, e->where->admin2);
        else
            snprintf(tmp, tlen, "near %s", e->where->name);
        return tmp;
    }
    if (IS("adm_1"))
        return "Idlib governorate";
    if (IS("adm_2")) {
        if (!*e->where->admin2)
            return "";
        snprintf(tmp, tlen, "%s district", e->where->admin2);
        return tmp;
    }
    if (IS("geom_wkt")) {
        snprintf(tmp, tlen, "POINT (%.5f %.5f)", e->lon, e->lat);
        return tmp;
    }
    if (IS("priogrid_gid"))
        return "180474";
    if (IS("country"))
        return "Syria";
    if (IS("country_id"))
        return "652";
    if (IS("region"))
        return "Middle East";
    if (IS("event_clarity"))
        return "1";
    if (IS("date_prec")) {
        snprintf(tmp, tlen, "%d", e->date_prec);
        return tmp;
    }
    if (IS("date_start")) {
        date_text(l, 0, e->day, tmp);
        return tmp;
    }
    if (IS("date_end")) {
        date_text(l, 0, e->end_day, tmp);
        return tmp;
    }
    if (IS("best")) {
        snprintf(tmp, tlen, "%d", e->fatalities);
        return tmp;
    }
    if (IS("low")) {
        snprintf(tmp, tlen, "%d", e->low);
        return tmp;
    }
    if (IS("high")) {
        snprintf(tmp, tlen, "%d", e->high);
        return tmp;
    }
    if (IS("deaths_a") || IS("deaths_b") || IS("deaths_unknown"))
        return "0";
    if (IS("deaths_civilians")) {
        snprintf(tmp, tlen, "%d", e->fatalities);
        return tmp;
    }
    if (IS("gwnoa"))
        return "652";
    return "";
#undef IS
}

/* ---- the file ---- */

typedef struct gen {
    layout l;
    int datefmt;
    int crlf;
    double scatter_km;    /* km, in [0, 500]; 0: events on their places */
    const gazetteer *gaz; /* where events happen; not owned */
    FILE *out, *manifest, *rejects;
    long line;
    uint64_t bytes; /* written to out so far (ftell fails on a pipe) */
    uint64_t rows, good, bad;
    char last_good_id[32];
    int have_good;
} gen;

static void emit(gen *g, const buf *b)
{
    if (fwrite(b->p, 1, b->n, g->out) != b->n) {
        fprintf(stderr, "truce-gen-events: write failed: %s\n", strerror(errno));
        exit(1);
    }
    g->bytes += b->n;
    for (size_t i = 0; i < b->n; i++)
        g->line += b->p[i] == '\n';
}

static void row_end(gen *g, buf *b)
{
    puts_(b, g->crlf ? "\r\n" : "\n");
}

static void write_header(gen *g)
{
    buf b = {0};
    const char *const *cols = g->l == L_ACLED_2023      ? acled2023_cols
                              : g->l == L_ACLED_PRE2023 ? acledpre_cols
                                                        : ucdp_cols;
    size_t n = is_acled(g->l) ? 31 : 49;
    if (g->l == L_GEOJSON) {
        puts_(&b, "{\"type\": \"FeatureCollection\", \"features\": [\n");
    } else if (g->l != L_UCDP_NOHEADER) {
        for (size_t i = 0; i < n; i++) {
            if (i)
                puts_(&b, ",");
            puts_(&b, cols[i]);
        }
        row_end(g, &b);
        if (g->l == L_UCDP_HXL) {
            for (size_t i = 0; i < n; i++) {
                if (i)
                    puts_(&b, ",");
                puts_(&b, ucdp_tags[i]);
            }
            row_end(g, &b);
        }
    }
    if (g->rejects && g->l != L_GEOJSON)
        fwrite(b.p ? b.p : "", 1, b.n, g->rejects);
    if (b.n)
        emit(g, &b);
    free(b.p);
}

static void write_row(gen *g, uint64_t n, int bad, int multiline)
{
    event e;
    make_event(&e, n, multiline && bad < 0, g->scatter_km, g->gaz);
    override ov[4];
    size_t nov = 0;
    char t1[64], t2[64];
    const char *idcol = is_acled(g->l) ? "event_id_cnty" : "id";
    const char *datecol = is_acled(g->l) ? "event_date" : "date_start";
    const char *textcol = is_acled(g->l) ? "notes" : "source_headline";
    int y, m, d;
    civil_from_days(e.day, &y, &m, &d);
    switch (bad) {
    case B_LAT_RANGE:
        ov[nov++] = (override){"latitude", "95.2"};
        break;
    case B_LON_RANGE:
        ov[nov++] = (override){"longitude", "-200.5"};
        break;
    case B_LAT_TEXT:
        ov[nov++] = (override){"latitude", "N35.8"};
        break;
    case B_DATE_INVALID:
        date_text(g->l, g->datefmt, days_from_civil(2020, 2, 28), t1);
        /* 28 -> 30 in whichever form: an impossible date */
        for (char *p = t1; *p; p++)
            if (p[0] == '2' && p[1] == '8') {
                p[0] = '3';
                p[1] = '0';
                break;
            }
        ov[nov++] = (override){datecol, t1};
        if (is_ucdp(g->l))
            ov[nov++] = (override){"date_end", t1};
        break;
    case B_DATE_GARBAGE:
        ov[nov++] = (override){datecol, "yesterday"};
        break;
    case B_ID_MISSING:
        ov[nov++] = (override){idcol, ""};
        break;
    case B_ID_REPEAT:
        ov[nov++] = (override){idcol, is_acled(g->l) ? g->last_good_id : g->last_good_id + 3};
        break;
    case B_FATALITIES:
        ov[nov++] = is_acled(g->l) ? (override){"fatalities", "many"} : (override){"best", "-3"};
        break;
    case B_PRECISION:
        ov[nov++] =
            is_acled(g->l) ? (override){"time_precision", "4"} : (override){"where_prec", "9"};
        break;
    case B_YEAR:
        if (is_acled(g->l)) {
            snprintf(t2, sizeof t2, "%d", y + 1);
            ov[nov++] = (override){"year", t2};
        } else {
            date_text(g->l, 0, e.day - 1, t2);
            ov[nov++] = (override){"date_end", t2};
        }
        break;
    case B_UTF8: {
        static char broken[80];
        snprintf(broken, sizeof broken, "Shelling near Kafr \xC3\x28 (a broken byte)");
        ov[nov++] = (override){textcol, broken};
        break;
    }
    default:
        break;
    }
    buf b = {0};
    if (g->l == L_GEOJSON) {
        char lat[32], lon[32], date[40];
        snprintf(lat, sizeof lat, "%.5f", e.lat);
        snprintf(lon, sizeof lon, "%.5f", e.lon);
        trim_number(lat);
        trim_number(lon);
        date_text(L_ACLED_2023, 0, e.day, date);
        const char *idv = bad == B_ID_MISSING ? NULL : bad == B_ID_REPEAT ? g->last_good_id : e.id;
        char name[6 * PLACE_NAME_MAX + 1];
        json_text(e.where->name, name, sizeof name);
        char line[2048]; /* about 500 bytes and the name */
        snprintf(line, sizeof line,
                 "%s{\"type\": \"Feature\", %s%s%s\"geometry\": {\"type\": \"%s\", "
                 "\"coordinates\": [%s, %s]}, \"properties\": {\"date\": \"%s\", "
                 "\"event_type\": \"%s\", \"actor1\": \"%s\", \"actor2\": \"%s\", "
                 "\"fatalities\": %s, \"place\": \"%s\", \"radius_m\": 2000}}",
                 n ? ",\n" : "", idv ? "\"id\": \"" : "", idv ? idv : "", idv ? "\", " : "",
                 bad == B_NOT_POINT ? "MultiPoint" : "Point", lon,
                 bad == B_LAT_RANGE ? "95.2" : lat,
                 bad == B_DATE_GARBAGE   ? "yesterday"
                 : bad == B_DATE_INVALID ? "2020-02-30"
                                         : date,
                 e.kind->event_type, e.actor1, e.actor2, bad == B_FATALITIES ? "-3" : "0", name);
        if (n) {
            /* the separator belongs before the feature's line */
            put(&b, line, 2);
            emit(g, &b);
            b.n = 0;
            puts_(&b, line + 2);
        } else {
            puts_(&b, line);
        }
        e.fatalities = 0;
    } else {
        const char *const *cols = g->l == L_ACLED_2023      ? acled2023_cols
                                  : g->l == L_ACLED_PRE2023 ? acledpre_cols
                                                            : ucdp_cols;
        size_t ncols = is_acled(g->l) ? 31 : 49;
        if (bad == B_COLUMNS_FEW)
            ncols--;
        for (size_t i = 0; i < ncols; i++) {
            char tmp[256]; /* holds "near NAME, ADMIN2 district" at PLACE_NAME_MAX each */
            const char *v = value_of(g->l, &e, g->datefmt, n, cols[i], tmp, sizeof tmp, ov, nov);
            if (i)
                puts_(&b, ",");
            if (!strcmp(cols[i], textcol) && bad == B_STRAY_QUOTE)
                puts_(&b, "Witnesses said \"no warning\" was given"); /* unquoted quotes */
            else if (!strcmp(cols[i], textcol) && bad == B_UNCLOSED_QUOTE)
                puts_(&b, "\"An unterminated note, with a comma");
            else
                put_field(&b, v);
        }
        if (bad == B_COLUMNS_MANY)
            puts_(&b, ",extra");
        row_end(g, &b);
    }
    long line = g->line + 1;
    emit(g, &b);
    g->rows++;
    if (bad >= 0) {
        g->bad++;
        if (g->manifest)
            fprintf(g->manifest, "bad,%ld,%s,%s\n", line, bad_names[bad], bad_field(g->l, bad));
        if (g->rejects) {
            fwrite(b.p, 1, b.n, g->rejects);
            if (g->l == L_GEOJSON)
                fputc('\n', g->rejects);
        }
    } else {
        g->good++;
        snprintf(g->last_good_id, sizeof g->last_good_id, "%s", e.id);
        g->have_good = 1;
        if (g->manifest) {
            int64_t first = e.day, after = e.day + 1;
            double radius;
            if (is_acled(g->l)) {
                if (e.time_prec == 2) {
                    first = e.day - 3;
                    after = e.day + 4;
                } else if (e.time_prec == 3) {
                    first = days_from_civil(y, m, 1);
                    after = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
                }
                radius = acled_radius[e.geo_prec];
            } else if (is_ucdp(g->l)) {
                after = e.end_day + 1;
                radius = ucdp_radius[e.where_prec];
            } else {
                radius = 2000;
            }
            char s1[32], s2[32], lat[32], lon[32];
            utc_text(first, s1);
            utc_text(after, s2);
            snprintf(lat, sizeof lat, "%.5f", e.lat);
            snprintf(lon, sizeof lon, "%.5f", e.lon);
            trim_number(lat);
            trim_number(lon);
            fprintf(g->manifest, "good,%s,%ld,%s,%s,%s,%s,%g,%d\n", is_ucdp(g->l) ? e.id + 3 : e.id,
                    line, s1, s2, lon, lat, radius, e.fatalities);
        }
    }
    free(b.p);
}

static void usage(FILE *f)
{
    fputs("usage: truce-gen-events [options]\n"
          "  --layout L        acled-2023 (default), acled-pre2023, ucdp, ucdp-noheader,\n"
          "                    ucdp-hxl, geojson\n"
          "  --rows N          number of rows (default 1000), or\n"
          "  --bytes N         write rows until the file holds at least N bytes\n"
          "  --seed S          random seed (default 1)\n"
          "  --date-format F   ACLED dates: iso (2020-03-05), text (05 March 2020),\n"
          "                    dmy (05-03-2020)\n"
          "  --crlf            CRLF line ends          --bom   start with a UTF-8 BOM\n"
          "  --trailing-blank N  end with N empty lines\n"
          "  --multiline P     percent of good rows whose notes hold a line break (default 5)\n"
          "  --scatter KM      move each event off its place, uniformly over a disk of KM km\n"
          "                    (0 to 500; default 0: every event exactly on a gazetteer place)\n"
          "  --places FILE     events on the places of a gazetteer CSV instead of the 22 built\n"
          "                    in: a header naming columns lat and lon (degrees), and name and\n"
          "                    admin2 if it has them; the place of rank r in an order shuffled\n"
          "                    by the seed is drawn with weight 1/r (Zipf), so a few places\n"
          "                    hold most events.  A bad row: exit 2 naming its file and line\n"
          "  --bad KIND=N      mix in N rows of KIND (repeatable); --bad all=N for every kind\n"
          "                    the layout can carry\n"
          "  --manifest FILE   what was written (see the source)\n"
          "  --expected-rejects FILE  header + bad rows, byte for byte\n"
          "  -o FILE           output (default standard output)\n"
          "kinds: columns_few columns_many lat_range lon_range lat_text date_invalid\n"
          "       date_garbage id_missing id_repeat fatalities precision year stray_quote\n"
          "       unclosed_quote utf8 not_point\n",
          f);
}

int main(int argc, char **argv)
{
    gen g;
    memset(&g, 0, sizeof g);
    uint64_t rows = 1000, bytes = 0, seed = 1;
    unsigned multiline = 5, blank = 0;
    int bom = 0;
    unsigned bad_count[B_COUNT] = {0};
    const char *out = NULL, *manifest = NULL, *rejects = NULL, *places_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (!strcmp(a, name) && v && ++i)
        if (OPT("--layout")) {
            static const char *const ln[] = {"acled-2023",    "acled-pre2023", "ucdp",
                                             "ucdp-noheader", "ucdp-hxl",      "geojson"};
            int found = 0;
            for (int k = 0; k < 6; k++)
                if (!strcmp(v, ln[k])) {
                    g.l = (layout)k;
                    found = 1;
                }
            if (!found) {
                fprintf(stderr, "truce-gen-events: unknown layout %s\n", v);
                return 2;
            }
        } else if (OPT("--rows")) {
            rows = strtoull(v, NULL, 10);
        } else if (OPT("--bytes")) {
            bytes = strtoull(v, NULL, 10);
        } else if (OPT("--seed")) {
            seed = strtoull(v, NULL, 10);
        } else if (OPT("--date-format")) {
            g.datefmt = !strcmp(v, "text") ? 1 : !strcmp(v, "dmy") ? 2 : 0;
        } else if (OPT("--trailing-blank")) {
            blank = (unsigned)strtoul(v, NULL, 10);
        } else if (OPT("--scatter")) {
            char *end;
            g.scatter_km = strtod(v, &end);
            if (end == v || *end || !isfinite(g.scatter_km) || !(g.scatter_km >= 0) ||
                g.scatter_km > 500) {
                fprintf(stderr,
                        "truce-gen-events: --scatter: bad value '%s' (a distance in km, 0 to "
                        "500)\n",
                        v);
                return 2;
            }
        } else if (OPT("--multiline")) {
            multiline = (unsigned)strtoul(v, NULL, 10);
        } else if (OPT("--bad")) {
            const char *eq = strchr(v, '=');
            unsigned n = eq ? (unsigned)strtoul(eq + 1, NULL, 10) : 1;
            int found = 0;
            for (int k = 0; k < B_COUNT; k++)
                if ((eq && !strncmp(v, "all", 3) && (size_t)(eq - v) == 3) ||
                    (eq && strlen(bad_names[k]) == (size_t)(eq - v) &&
                     !strncmp(v, bad_names[k], (size_t)(eq - v)))) {
                    bad_count[k] = n;
                    found = 1;
                }
            if (!found) {
                fprintf(stderr, "truce-gen-events: unknown bad-row kind %s\n", v);
                return 2;
            }
        } else if (OPT("--places")) {
            places_path = v;
        } else if (OPT("--manifest")) {
            manifest = v;
        } else if (OPT("--expected-rejects")) {
            rejects = v;
        } else if (OPT("-o")) {
            out = v;
        } else if (!strcmp(a, "--crlf")) {
            g.crlf = 1;
        } else if (!strcmp(a, "--bom")) {
            bom = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
#undef OPT
    }
    rng_state = seed;
    gazetteer gaz;
    gazetteer_builtin(&gaz);
    if (places_path && gazetteer_load(&gaz, places_path, seed))
        return 2;
    g.gaz = &gaz;
    g.out = out ? fopen(out, "wb") : stdout;
    g.manifest = manifest ? fopen(manifest, "w") : NULL;
    g.rejects = rejects ? fopen(rejects, "wb") : NULL;
    if (!g.out || (manifest && !g.manifest) || (rejects && !g.rejects)) {
        fprintf(stderr, "truce-gen-events: cannot open output: %s\n", strerror(errno));
        gazetteer_release(&gaz);
        return 1;
    }
    static char obuf[1 << 20];
    setvbuf(g.out, obuf, _IOFBF, sizeof obuf);
    /* Kinds the layout cannot carry are dropped. */
    uint64_t nbad = 0;
    for (int k = 0; k < B_COUNT; k++) {
        if (!bad_field(g.l, k))
            bad_count[k] = 0;
        nbad += bad_count[k];
    }
    if (bytes)
        rows = UINT64_MAX;
    else if (rows < nbad + 1)
        rows = nbad + 1;
    /* Place the bad rows: evenly spread, never first (id_repeat needs a good row before it). */
    uint64_t span = bytes ? (nbad + 1) * 8 : rows;
    int *plan = calloc(nbad ? nbad : 1, sizeof *plan);
    uint64_t *at = calloc(nbad ? nbad : 1, sizeof *at);
    if (!plan || !at)
        return 1;
    uint64_t k2 = 0;
    for (int k = 0; k < B_COUNT; k++)
        for (unsigned c = 0; c < bad_count[k]; c++)
            plan[k2++] = k;
    for (uint64_t i = 0; i < nbad; i++) {
        uint64_t j = i + rnd() % (nbad - i);
        int t = plan[i];
        plan[i] = plan[j];
        plan[j] = t;
        at[i] =
            1 + (i * (span - 1)) / nbad + rnd() % ((span - 1) / nbad > 1 ? (span - 1) / nbad : 1);
    }
    if (bom) {
        fputs("\xEF\xBB\xBF", g.out); /* not part of the header truce keeps */
        g.bytes += 3;
    }
    write_header(&g);
    uint64_t next_bad = 0;
    long written = 0;
    for (uint64_t n = 0; n < rows; n++) {
        int bad = -1;
        if (next_bad < nbad && n >= at[next_bad])
            bad = plan[next_bad++];
        write_row(&g, n, bad, below(100) < multiline);
        if (bytes && next_bad == nbad && g.bytes >= bytes)
            break;
        written++;
    }
    (void)written;
    buf b = {0};
    if (g.l == L_GEOJSON)
        puts_(&b, "\n]}\n");
    for (unsigned i = 0; i < blank; i++)
        row_end(&g, &b);
    if (b.n)
        emit(&g, &b);
    free(b.p);
    if (g.manifest)
        fprintf(g.manifest, "summary,%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", g.rows, g.good, g.bad);
    int rc = 0;
    if (fflush(g.out) || ferror(g.out))
        rc = 1;
    if (out && fclose(g.out))
        rc = 1;
    if (g.manifest && fclose(g.manifest))
        rc = 1;
    if (g.rejects && fclose(g.rejects))
        rc = 1;
    free(plan);
    free(at);
    gazetteer_release(&gaz);
    if (rc)
        fprintf(stderr, "truce-gen-events: write failed\n");
    return rc;
}
