/* Fuzz target for the TZif reader (truce_tz_from_tzif) and its POSIX TZ
 * footer parser.  An input that starts with "TZif" is parsed as a whole file;
 * any other input is wrapped as the footer of a minimal version 2 file with no
 * transitions, so the footer grammar is reached directly.  Every zone that
 * parses is queried, and two invariants are checked:
 *   - a local time that local_to_utc resolves maps back to itself;
 *   - the local reading of an instant is never reported as a gap, and its
 *     earliest instant is not after the instant. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "truce/tz.h"

#define MAX_INPUT 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

/* The 44-byte header of a file with one time type and four abbreviation bytes. */
static size_t header(uint8_t *p)
{
    memset(p, 0, 44);
    memcpy(p, "TZif2", 5);
    p[39] = 1; /* typecnt */
    p[43] = 4; /* charcnt */
    return 44;
}

static size_t wrap_footer(const uint8_t *footer, size_t len, uint8_t *out)
{
    static const uint8_t block[10] = {0, 0, 0, 0, 0, 0, 'U', 'T', 'C', 0};
    size_t n = 0;
    for (int i = 0; i < 2; i++) {
        n += header(out + n);
        memcpy(out + n, block, sizeof block);
        n += sizeof block;
    }
    out[n++] = '\n';
    memcpy(out + n, footer, len);
    n += len;
    out[n++] = '\n';
    return n;
}

static void round_trip(const truce_tz *tz, int64_t t)
{
    int32_t off;
    int dst;
    const char *abbrev;
    truce_tz_offset_at(tz, t, &off, &dst, &abbrev);
    check(abbrev != NULL && (dst == 0 || dst == 1));
    (void)strlen(abbrev);
    truce_civil c;
    truce_tz_utc_to_local(tz, t, &c);
    if (c.year < 1 || c.year > 9999)
        return;
    int64_t back;
    truce_local_kind kind;
    truce_status st = truce_tz_local_to_utc(tz, &c, &back, &kind);
    check(st == TRUCE_OK && back <= t);
    check(kind == TRUCE_LOCAL_AMBIGUOUS || back == t);
    truce_civil again;
    truce_tz_utc_to_local(tz, back, &again);
    check(memcmp(&again, &c, sizeof c) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    uint8_t *wrapped = NULL;
    const uint8_t *file = data;
    size_t len = size;
    if (size < 4 || memcmp(data, "TZif", 4) != 0) {
        wrapped = malloc(size + 128);
        if (!wrapped)
            return 0;
        len = wrap_footer(data, size, wrapped);
        file = wrapped;
    }
    truce_tz *tz = NULL;
    truce_status st = truce_tz_from_tzif("fuzz", file, len, &tz);
    free(wrapped);
    if (st != TRUCE_OK) {
        check(tz == NULL);
        return 0;
    }
    static const int64_t instants[] = {
        INT64_MIN,  INT64_MIN + 1, -62135596800LL, -2147483648LL, -1,       0, 1583445600,
        2147483647, 2374102800,    253402300799LL, INT64_MAX - 1, INT64_MAX};
    for (size_t i = 0; i < sizeof instants / sizeof *instants; i++)
        round_trip(tz, instants[i]);
    /* Instants taken from the input reach the file's own transitions. */
    for (size_t i = 0; i + 8 <= size && i < 64 * 8; i += 8) {
        uint64_t v = 0;
        for (int k = 0; k < 8; k++)
            v = v << 8 | data[i + (size_t)k];
        int64_t t = (int64_t)(v % (2 * 400ULL * 366 * 86400)) - 400LL * 366 * 86400 + 1583445600;
        round_trip(tz, t);
        round_trip(tz, t - 1);
    }
    /* Wall times every six hours through 2020, gaps included. */
    for (int day = 0; day < 366; day += 3) {
        truce_civil c;
        truce_civil_from_days(truce_days_from_civil(2020, 1, 1) + day, &c.year, &c.month, &c.day);
        c.minute = 30;
        c.second = 0;
        for (c.hour = 0; c.hour < 24; c.hour += 6) {
            int64_t t;
            truce_local_kind kind;
            st = truce_tz_local_to_utc(tz, &c, &t, &kind);
            check(st == TRUCE_OK || (st == TRUCE_E_TIME_GAP && kind == TRUCE_LOCAL_GAP));
            if (st == TRUCE_OK) {
                truce_civil back;
                truce_tz_utc_to_local(tz, t, &back);
                check(memcmp(&back, &c, sizeof c) == 0);
            }
        }
    }
    check(strcmp(truce_tz_name(tz), "fuzz") == 0);
    truce_tz_free(tz);
    return 0;
}
