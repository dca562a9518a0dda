/* IANA time zones read from TZif files (RFC 8536, "The Time Zone Information
 * Format"); see tz.h for why libc's TZ-based localtime_r/mktime is not used.
 *
 * A TZif file is a header, a version 1 data block with 32-bit times, and (in
 * versions 2 and later) a second header, a data block with 64-bit times and a
 * footer holding a POSIX TZ string for instants after the last transition.
 * Only the 64-bit block is used when present.  Every count in a header is
 * checked against the bytes that remain before anything is read, so a
 * truncated or corrupt file gives TRUCE_E_PARSE. */
#include "truce/tz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "time/tz_posix.h"
#include "base/util.h"

#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
#define TZ_NAME_MAX 255        /* longest zone name accepted */
#define TZ_FILE_MAX (1u << 20) /* real files are under 4 KiB */
#define TZ_FOOTER_MAX 1024     /* real footers are under 64 bytes */
#define TZ_HEADER_SIZE 44
/* RFC 8536 section 3.2: utoff SHOULD be in [-89999, 93599]; rejecting the
 * rest keeps every instant-plus-offset sum far from overflow. */
#define TZ_UTOFF_MIN (-89999)
#define TZ_UTOFF_MAX 93599

typedef struct tz_type {
    int32_t utoff_s; /* seconds east of UTC */
    uint8_t is_dst;
    uint8_t abbr_index; /* into truce_tz.abbrs */
} tz_type;

struct truce_tz {
    char *name;        /* owned */
    size_t time_count; /* transitions */
    int64_t *times;    /* owned; strictly ascending instants */
    uint8_t *type_of;  /* owned; type index in force from times[i] on */
    size_t type_count; /* in [1, 256] */
    tz_type *types;    /* owned */
    char *abbrs;       /* owned; the file's abbreviation bytes plus a final NUL */
    int has_footer;    /* a non-empty TZ string governs after the last transition */
    truce_tz_posix footer;
    int32_t min_offset_s, max_offset_s; /* over all types and the footer */
};

/* Header counts, in file order (RFC 8536 section 3.1). */
typedef struct tz_header {
    char version; /* 0, '2', '3' or '4' */
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} tz_header;

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const uint8_t *p)
{
    uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
    return (int64_t)v; /* two's complement on every platform truce supports */
}

static int32_t be32s(const uint8_t *p)
{
    return (int32_t)be32(p);
}

/* Read a header at data[*pos]; 0 if it is short or lacks the magic. */
static int read_header(const uint8_t *data, size_t len, size_t *pos, tz_header *h)
{
    if (len - *pos < TZ_HEADER_SIZE || memcmp(data + *pos, "TZif", 4) != 0)
        return 0;
    const uint8_t *p = data + *pos;
    h->version = (char)p[4];
    h->isutcnt = be32(p + 20);
    h->isstdcnt = be32(p + 24);
    h->leapcnt = be32(p + 28);
    h->timecnt = be32(p + 32);
    h->typecnt = be32(p + 36);
    h->charcnt = be32(p + 40);
    *pos += TZ_HEADER_SIZE;
    return 1;
}

/* Size of the data block that follows `h`; time_size is 4 (v1) or 8. */
static uint64_t block_size(const tz_header *h, unsigned time_size)
{
    return (uint64_t)h->timecnt * time_size + h->timecnt + (uint64_t)h->typecnt * 6 + h->charcnt +
           (uint64_t)h->leapcnt * (time_size + 4) + h->isstdcnt + h->isutcnt;
}

/* Decode one data block into tz; the block's size was checked by the caller. */
static truce_status read_block(const uint8_t *p, const tz_header *h, unsigned time_size,
                               truce_tz *tz)
{
    if (h->typecnt == 0 || h->typecnt > 256 || h->charcnt == 0 ||
        (h->isstdcnt != 0 && h->isstdcnt != h->typecnt) ||
        (h->isutcnt != 0 && h->isutcnt != h->typecnt))
        return TRUCE_E_PARSE;
    if (h->leapcnt != 0)
        return TRUCE_E_UNSUPPORTED; /* the right/ zones count leap seconds */
    tz->time_count = h->timecnt;
    tz->type_count = h->typecnt;
    tz->times = trc_malloc((h->timecnt ? h->timecnt : 1) * sizeof *tz->times);
    tz->type_of = trc_malloc(h->timecnt ? h->timecnt : 1);
    tz->types = trc_malloc(h->typecnt * sizeof *tz->types);
    tz->abbrs = trc_malloc((size_t)h->charcnt + 1);
    if (!tz->times || !tz->type_of || !tz->types || !tz->abbrs)
        return TRUCE_E_NOMEM;
    for (size_t i = 0; i < h->timecnt; i++, p += time_size) {
        tz->times[i] = time_size == 8 ? be64(p) : be32s(p);
        if (i > 0 && tz->times[i] <= tz->times[i - 1])
            return TRUCE_E_PARSE; /* RFC 8536: strictly ascending */
    }
    for (size_t i = 0; i < h->timecnt; i++, p++) {
        if (*p >= h->typecnt)
            return TRUCE_E_PARSE;
        tz->type_of[i] = *p;
    }
    tz->min_offset_s = INT32_MAX;
    tz->max_offset_s = INT32_MIN;
    for (size_t i = 0; i < h->typecnt; i++, p += 6) {
        int32_t utoff = be32s(p);
        if (utoff < TZ_UTOFF_MIN || utoff > TZ_UTOFF_MAX || p[4] > 1 || p[5] >= h->charcnt)
            return TRUCE_E_PARSE;
        tz->types[i] = (tz_type){utoff, p[4], p[5]};
        if (utoff < tz->min_offset_s)
            tz->min_offset_s = utoff;
        if (utoff > tz->max_offset_s)
            tz->max_offset_s = utoff;
    }
    memcpy(tz->abbrs, p, h->charcnt);
    tz->abbrs[h->charcnt] = '\0'; /* so that every index names a C string */
    p += h->charcnt + (size_t)h->leapcnt * (time_size + 4);
    for (size_t i = 0; i < (size_t)h->isstdcnt + h->isutcnt; i++)
        if (p[i] > 1)
            return TRUCE_E_PARSE;
    return TRUCE_OK;
}

/* The footer: "\n" TZ string "\n" right after the v2+ data block.  An empty
 * string means no rule (RFC 8536 section 3.3); the last transition's type
 * then stays in force.  Bytes after the closing newline are ignored, as zic
 * never writes any and later versions of the format may. */
static truce_status read_footer(const uint8_t *p, size_t len, truce_tz *tz)
{
    if (len < 2 || p[0] != '\n')
        return TRUCE_E_PARSE;
    const uint8_t *nl = memchr(p + 1, '\n', len - 1 < TZ_FOOTER_MAX ? len - 1 : TZ_FOOTER_MAX);
    if (!nl)
        return TRUCE_E_PARSE;
    size_t n = (size_t)(nl - (p + 1));
    if (n == 0)
        return TRUCE_OK;
    truce_status st = truce_tz_posix_parse((const char *)p + 1, n, &tz->footer);
    if (st)
        return st;
    tz->has_footer = 1;
    int32_t offs[2] = {tz->footer.std_offset_s,
                       tz->footer.has_dst ? tz->footer.dst_offset_s : tz->footer.std_offset_s};
    for (int i = 0; i < 2; i++) {
        if (offs[i] < tz->min_offset_s)
            tz->min_offset_s = offs[i];
        if (offs[i] > tz->max_offset_s)
            tz->max_offset_s = offs[i];
    }
    return TRUCE_OK;
}

static truce_status parse_tzif(const uint8_t *data, size_t len, truce_tz *tz)
{
    size_t pos = 0;
    tz_header h;
    if (!read_header(data, len, &pos, &h))
        return TRUCE_E_PARSE;
    if (h.version != 0 && (h.version < '2' || h.version > '4'))
        return TRUCE_E_PARSE;
    uint64_t size = block_size(&h, 4);
    if (size > len - pos)
        return TRUCE_E_PARSE;
    if (h.version == 0)
        return read_block(data + pos, &h, 4, tz);
    pos += (size_t)size; /* version 2+ readers skip the 32-bit block */
    tz_header h2;
    if (!read_header(data, len, &pos, &h2) || h2.version != h.version)
        return TRUCE_E_PARSE;
    size = block_size(&h2, 8);
    if (size > len - pos)
        return TRUCE_E_PARSE;
    truce_status st = read_block(data + pos, &h2, 8, tz);
    if (st)
        return st;
    pos += (size_t)size;
    return read_footer(data + pos, len - pos, tz);
}

void truce_tz_free(truce_tz *tz)
{
    if (!tz)
        return;
    trc_free(tz->name);
    trc_free(tz->times);
    trc_free(tz->type_of);
    trc_free(tz->types);
    trc_free(tz->abbrs);
    trc_free(tz);
}

truce_status truce_tz_from_tzif(const char *name, const void *data, size_t len, truce_tz **out)
{
    if (!out)
        return TRUCE_E_ARG;
    *out = NULL;
    if (!name || (!data && len))
        return TRUCE_E_ARG;
    truce_tz *tz = trc_calloc(1, sizeof *tz);
    if (!tz)
        return TRUCE_E_NOMEM;
    truce_status st = TRUCE_E_NOMEM;
    if ((tz->name = truce_strdup(name)) != NULL)
        st = len > TZ_FILE_MAX ? TRUCE_E_PARSE : parse_tzif(data, len, tz);
    if (st) {
        truce_tz_free(tz);
        return st;
    }
    *out = tz;
    return TRUCE_OK;
}

/* A zone name is a relative path of [A-Za-z0-9_+-] components separated by
 * single slashes, so that it can only name a file under the tz directory. */
static int valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > TZ_NAME_MAX || name[0] == '/' || name[n - 1] == '/')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        int ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                 ch == '_' || ch == '+' || ch == '-' || (ch == '/' && name[i + 1] != '/');
        if (!ok)
            return 0;
    }
    return 1; /* no '.' is allowed at all, so neither is ".." */
}

/* Read a regular file of at most TZ_FILE_MAX bytes into a new buffer. */
static truce_status read_zone_file(const char *path, uint8_t **buf, size_t *len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR || errno == ENAMETOOLONG || errno == ELOOP
                   ? TRUCE_E_TZ_UNKNOWN
                   : TRUCE_E_IO;
    struct stat sb;
    truce_status st = TRUCE_OK;
    if (fstat(fd, &sb) != 0)
        st = TRUCE_E_IO;
    else if (!S_ISREG(sb.st_mode))
        st = TRUCE_E_TZ_UNKNOWN; /* a directory such as "Asia" */
    else if (sb.st_size > (off_t)TZ_FILE_MAX)
        st = TRUCE_E_PARSE;
    size_t cap = st ? 0 : (size_t)sb.st_size, n = 0;
    uint8_t *b = st ? NULL : trc_malloc(cap + 1);
    if (!st && !b)
        st = TRUCE_E_NOMEM;
    while (!st && n < cap) {
        ssize_t got = read(fd, b + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            st = TRUCE_E_IO;
        else if (got == 0)
            break; /* shrank while reading: parse what there is */
        else
            n += (size_t)got;
    }
    close(fd);
    if (st) {
        trc_free(b);
        return st;
    }
    *buf = b;
    *len = n;
    return TRUCE_OK;
}

truce_status truce_tz_open(const char *name, truce_tz **out)
{
    if (!out)
        return TRUCE_E_ARG;
    *out = NULL;
    if (!name)
        return TRUCE_E_ARG;
    if (!valid_name(name))
        return TRUCE_E_TZ_UNKNOWN;
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = TZ_DEFAULT_DIR;
    char *path = truce_asprintf("%s/%s", dir, name);
    if (!path)
        return TRUCE_E_NOMEM;
    uint8_t *buf = NULL;
    size_t len = 0;
    truce_status st = read_zone_file(path, &buf, &len);
    trc_free(path);
    if (st)
        return st;
    /* Files without the magic (zone.tab's cousins such as "leapseconds") are
     * not zones; a file with it that does not parse is a corrupt zone. */
    if (len < 4 || memcmp(buf, "TZif", 4) != 0)
        st = TRUCE_E_TZ_UNKNOWN;
    else
        st = truce_tz_from_tzif(name, buf, len, out);
    trc_free(buf);
    return st;
}

const char *truce_tz_name(const truce_tz *tz)
{
    return tz->name;
}

/* What is in force at an instant. */
typedef struct tz_state {
    int32_t offset_s;
    int is_dst;
    const char *abbrev;
} tz_state;

static tz_state type_state(const truce_tz *tz, size_t type)
{
    const tz_type *ty = &tz->types[type];
    return (tz_state){ty->utoff_s, ty->is_dst, tz->abbrs + ty->abbr_index};
}

/* Index of the last transition at or before t; time_count when t precedes all. */
static size_t last_at_or_before(const truce_tz *tz, int64_t t)
{
    size_t lo = 0, hi = tz->time_count; /* answer + 1 lies in [lo, hi] */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tz->times[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? tz->time_count : lo - 1;
}

static int footer_governs(const truce_tz *tz, int64_t t)
{
    return tz->has_footer && (tz->time_count == 0 || t >= tz->times[tz->time_count - 1]);
}

static tz_state state_at(const truce_tz *tz, int64_t t)
{
    if (footer_governs(tz, t)) {
        tz_state s;
        truce_tz_posix_at(&tz->footer, t, &s.offset_s, &s.is_dst, &s.abbrev);
        return s;
    }
    size_t i = last_at_or_before(tz, t);
    /* Before the first transition (or with none and no footer) time type 0
     * applies: RFC 8536 section 3.2.  zic makes type 0 the zone's earliest
     * standard time (usually LMT). */
    return type_state(tz, i == tz->time_count ? 0 : tz->type_of[i]);
}

/* The first instant after t at which the state may change; INT64_MAX if never. */
static int64_t next_change(const truce_tz *tz, int64_t t)
{
    if (tz->time_count > 0 && t < tz->times[tz->time_count - 1]) {
        size_t i = last_at_or_before(tz, t);
        return tz->times[i == tz->time_count ? 0 : i + 1];
    }
    return tz->has_footer ? truce_tz_posix_next(&tz->footer, t) : INT64_MAX;
}

void truce_tz_offset_at(const truce_tz *tz, int64_t instant_s, int32_t *offset_s, int *is_dst,
                        const char **abbrev)
{
    tz_state s = state_at(tz, instant_s);
    if (offset_s)
        *offset_s = s.offset_s;
    if (is_dst)
        *is_dst = s.is_dst;
    if (abbrev)
        *abbrev = s.abbrev;
}

void truce_tz_utc_to_local(const truce_tz *tz, int64_t instant_s, truce_civil *out)
{
    int32_t off = state_at(tz, instant_s).offset_s;
    /* Clamp to about a billion years either side of 1970: the sum cannot
     * overflow, the year fits an int, and truce_civil_from_utc (which negates
     * its argument) stays defined. */
    const int64_t limit = INT64_C(1) << 55;
    int64_t wall = instant_s < -limit ? -limit : instant_s > limit ? limit : instant_s + off;
    truce_civil_from_utc(wall, out);
}

/* Solve instant + offset(instant) = wall.  Every solution lies in
 * [wall - max offset, wall - min offset]; walk the stretches of constant state
 * that cover that window and keep each stretch's candidate wall - offset if it
 * falls inside the stretch.  Solutions are met in order, so the first is the
 * earliest.  With none, the wall time is in a gap, which opens at the change
 * whose offset before leaves wall behind and whose offset after jumps past it.
 * `wall` is the local time read as UTC, within a few days of the range of
 * instants (time.h), so no sum overflows. */
static truce_status solve_wall(const truce_tz *tz, int64_t wall, int64_t *instant_s,
                               truce_local_kind *kind)
{
    int64_t from = wall - tz->max_offset_s, to = wall - tz->min_offset_s;
    int64_t first = 0, gap_at = from;
    int solutions = 0, gap_found = 0;
    for (int64_t s = from;;) {
        int32_t off = state_at(tz, s).offset_s;
        int64_t next = next_change(tz, s);
        int64_t cand = wall - off;
        if (cand >= s && cand < next && solutions++ == 0)
            first = cand;
        if (next > to)
            break;
        if (!gap_found && cand >= next && wall - state_at(tz, next).offset_s < next) {
            gap_found = 1;
            gap_at = next;
        }
        s = next;
    }
    if (solutions == 0) {
        if (kind)
            *kind = TRUCE_LOCAL_GAP;
        *instant_s = gap_at;
        return TRUCE_E_TIME_GAP;
    }
    if (kind)
        *kind = solutions > 1 ? TRUCE_LOCAL_AMBIGUOUS : TRUCE_LOCAL_UNIQUE;
    *instant_s = first;
    return TRUCE_OK;
}

truce_status truce_tz_local_to_utc(const truce_tz *tz, const truce_civil *local, int64_t *instant_s,
                                   truce_local_kind *kind)
{
    if (!tz || !local || !instant_s)
        return TRUCE_E_ARG;
    if (local->year < 1 || local->year > 9999 || local->month < 1 || local->month > 12 ||
        local->day < 1 || local->day > truce_days_in_month(local->year, local->month) ||
        local->hour < 0 || local->hour > 23 || local->minute < 0 || local->minute > 59 ||
        local->second < 0 || local->second > 59)
        return TRUCE_E_RANGE;
    return solve_wall(tz, truce_civil_to_utc(local), instant_s, kind);
}

truce_status truce_tz_day_start(const truce_tz *tz, int64_t day, int64_t *instant_s)
{
    if (!instant_s)
        return TRUCE_E_ARG;
    /* Local days of years 0 to 10000: a day either side of the range of
     * instants can still begin inside it in some zone. */
    if (day < truce_days_from_civil(0, 1, 1) || day > truce_days_from_civil(10000, 12, 31))
        return TRUCE_E_RANGE;
    int64_t t = day * 86400;
    if (tz) {
        /* A midnight in a spring-forward gap (Damascus 2020-03-27): the day
         * begins when the gap ends, the instant solve_wall gives for a gap;
         * an ambiguous midnight at the earlier instant. */
        truce_status st = solve_wall(tz, t, &t, NULL);
        if (st != TRUCE_OK && st != TRUCE_E_TIME_GAP)
            return st;
    }
    *instant_s = t;
    return truce_instant_in_range(t) ? TRUCE_OK : TRUCE_E_RANGE;
}

truce_status truce_tz_instant_of(const truce_tz *tz, const truce_time_value *v, int end_of_day,
                                 int64_t *instant_s, truce_local_kind *kind)
{
    if (!v || !instant_s)
        return TRUCE_E_ARG;
    if (kind)
        *kind = TRUCE_LOCAL_UNIQUE;
    truce_status st;
    int64_t t;
    switch (v->kind) {
    case TRUCE_TIME_DATE:
        return truce_tz_day_start(
            tz, truce_days_from_civil(v->civil.year, v->civil.month, v->civil.day) + !!end_of_day,
            instant_s);
    case TRUCE_TIME_UTC:
        st = truce_time_value_instant(v, &t);
        break;
    case TRUCE_TIME_LOCAL:
        st = tz ? truce_tz_local_to_utc(tz, &v->civil, &t, kind)
                : truce_time_value_instant(&(truce_time_value){TRUCE_TIME_UTC, v->civil, 0}, &t);
        break;
    default:
        return TRUCE_E_ARG;
    }
    if (st != TRUCE_OK && st != TRUCE_E_TIME_GAP)
        return st;
    *instant_s = t;
    return !truce_instant_in_range(t) ? TRUCE_E_RANGE : st;
}
