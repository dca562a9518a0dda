/* JSON string escaping as YAJL's generator does it, UTF-8 made well-formed:
 * see json_escape.h. */
#include "base/json_escape.h"

#include <stdint.h>
#include <string.h>

#include "base/utf8.h"
#include "truce/text.h"

/* 0: the byte goes out as it is; 'U': a byte of 0x80 or above, which
 * starts a UTF-8 sequence or is replaced; otherwise the character after the
 * backslash ('u' for \u00XX). */
#define HIGH16 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U', 'U'
static const unsigned char esc[256] = {
    [0x80] = HIGH16, HIGH16,      HIGH16,        HIGH16,       HIGH16,       HIGH16,
    HIGH16,          HIGH16,      ['\b'] = 'b',  ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f',
    ['\r'] = 'r',    ['"'] = '"', ['\\'] = '\\', [0] = 'u',    [1] = 'u',    [2] = 'u',
    [3] = 'u',       [4] = 'u',   [5] = 'u',     [6] = 'u',    [7] = 'u',    [11] = 'u',
    [14] = 'u',      [15] = 'u',  [16] = 'u',    [17] = 'u',   [18] = 'u',   [19] = 'u',
    [20] = 'u',      [21] = 'u',  [22] = 'u',    [23] = 'u',   [24] = 'u',   [25] = 'u',
    [26] = 'u',      [27] = 'u',  [28] = 'u',    [29] = 'u',   [30] = 'u',   [31] = 'u',
};

/* Whether none of the 8 bytes in x needs a look: no byte below 0x20, no
 * quote, no backslash, no byte of 0x80 or above.  The zero-byte and
 * less-than tests of Anderson's "Bit Twiddling Hacks" (haszero, hasless),
 * exact for "is there such a byte". */
static int plain8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
    uint64_t t = ((q - ones) & ~q) | ((b - ones) & ~b) | ((x - ones * 0x20) & ~x) | x;
    return !(t & high);
}

size_t trc_json_escape_cut(const char *s, size_t n, size_t want)
{
    if (want >= n)
        return n;
    /* A cut changes the text only where it splits a well-formed sequence
     * (an ill-formed one is U+FFFD byte by byte either way); such a sequence
     * starts at most three bytes before `want`.  Cut before it, or after it
     * when it starts the string. */
    const unsigned char *u = (const unsigned char *)s;
    size_t k = want;
    for (int back = 0; back < 3 && k > 0 && (u[k] & 0xC0) == 0x80; back++)
        k--;
    size_t len = u[k] >= 0x80 ? truce_utf8_char_len(u + k, n - k) : 0;
    if (k == want || k + len <= want)
        return want;
    return k > 0 ? k : len;
}

size_t trc_json_escape(char *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    char *o = out;
    while (p < end) {
        /* Plain words are stored before they are tested: out has room for
         * 6 bytes per input byte, and o - out <= 6 (p - s) keeps the 8-byte
         * store inside it while 8 input bytes remain.  No memcpy call per
         * run: most strings here are a few words long. */
        for (uint64_t x; end - p >= 8;) {
            memcpy(&x, p, 8);
            memcpy(o, &x, 8);
            if (!plain8(x))
                break;
            p += 8;
            o += 8;
        }
        while (p < end && !esc[*p])
            *o++ = (char)*p++;
        if (p == end)
            break;
        unsigned char e = esc[*p];
        if (e == 'U') {
            size_t len = truce_utf8_char_len(p, (size_t)(end - p));
            if (len) {
                memcpy(o, p, len);
                o += len;
                p += len;
            } else {
                memcpy(o, "\xEF\xBF\xBD", 3); /* U+FFFD REPLACEMENT CHARACTER */
                o += 3;
                p++;
            }
            continue;
        }
        *o++ = '\\';
        *o++ = (char)e;
        if (e == 'u') {
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
        p++;
    }
    return (size_t)(o - out);
}

int trc_json_escape_fputs(FILE *out, const char *s)
{
    if (!s)
        return fputs("null", out) < 0 ? EOF : 0;
    enum { PIECE = 256 };
    char buf[JSON_ESCAPE_MAX(PIECE + 4)];
    int bad = fputc('"', out) == EOF;
    for (size_t n = strlen(s); n;) {
        size_t k = trc_json_escape_cut(s, n, PIECE); /* PIECE, or at most 4 more */
        size_t m = trc_json_escape(buf, s, k);
        bad |= fwrite(buf, 1, m, out) != m;
        s += k;
        n -= k;
    }
    bad |= fputc('"', out) == EOF;
    return bad ? EOF : 0;
}

truce_status trc_json_escape_text(truce_text *t, const char *s)
{
    if (!s)
        return truce_text_append(t, "null", 4);
    size_t n = strlen(s);
    char *o = truce_text_room(t, JSON_ESCAPE_MAX(n) + 2);
    if (!o)
        return TRUCE_E_NOMEM;
    o[0] = '"';
    size_t m = trc_json_escape(o + 1, s, n);
    o[m + 1] = '"';
    t->len += m + 2;
    t->p[t->len] = '\0';
    return TRUCE_OK;
}
