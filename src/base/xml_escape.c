/* The XML escaper: see xml_escape.h. */
#include "base/xml_escape.h"

#include "base/utf8.h"

/* The length of the character at s[0, n) when XML may carry it as it is
 * (1 to 4), 0 when it must be replaced or is one of the five specials. */
static size_t plain_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80) {
        if (c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || c == 0x7f)
            return 0;
        return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
    }
    size_t len = truce_utf8_char_len(s, n);
    if (len == 3 && c == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
        return 0; /* U+FFFE, U+FFFF */
    return len;
}

void trc_xml_escape(const char *str, size_t n, trc_xml_sink put, void *ctx)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        size_t run = i, k;
        while (i < n && (k = plain_len(s + i, n - i)) != 0)
            i += k;
        if (i > run)
            put(ctx, str + run, i - run);
        if (i == n)
            break;
        switch (s[i]) {
        case '&':
            put(ctx, "&amp;", 5);
            break;
        case '<':
            put(ctx, "&lt;", 4);
            break;
        case '>':
            put(ctx, "&gt;", 4);
            break;
        case '"':
            put(ctx, "&quot;", 6);
            break;
        case '\'':
            put(ctx, "&#39;", 5);
            break;
        default:
            put(ctx, "\xef\xbf\xbd", 3); /* U+FFFD */
            /* U+FFFE and U+FFFF are replaced whole; any other refused byte
             * alone, as the JSON writer does. */
            if (n - i >= 3 && truce_utf8_char_len(s + i, n - i) == 3)
                i += 2;
            break;
        }
        i++;
    }
}
