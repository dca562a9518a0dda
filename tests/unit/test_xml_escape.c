/* The one XML escaper (src/base/xml_escape.h): reference vectors for the five
 * specials, bytes that are not UTF-8, C0 controls, DEL and U+FFFE/U+FFFF;
 * then every byte and random byte strings, escaped into both an attribute
 * value and character data, make a document that expat reads as
 * well-formed and gives back the text with U+FFFD in place of what XML
 * cannot hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/xml_escape.h"

typedef struct {
    char *p;
    size_t len, cap, calls;
} sbuf;

static void sink(void *ctx, const char *s, size_t n)
{
    sbuf *b = ctx;
    if (b->len + n + 1 > b->cap) {
        b->cap = 2 * (b->len + n + 1);
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    b->calls++;
}

/* s[0, n) escaped; free() it. */
static char *escaped(const char *s, size_t n)
{
    sbuf b = {0};
    sink(&b, "", 0);
    trc_xml_escape(s, n, sink, &b);
    return b.p;
}

#define CHECK(in, want)                                                                            \
    do {                                                                                           \
        char *got_ = escaped(in, sizeof in - 1);                                                   \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

#define FFFD "\xef\xbf\xbd"

static void vectors(void **state)
{
    (void)state;
    CHECK("", "");
    CHECK("plain text", "plain text");
    CHECK("<a href=\"x\">O'Neil & co</a>",
          "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;");
    /* TAB, LF and CR are XML characters; the other C0 controls and DEL are not */
    CHECK("a\tb\nc\rd", "a\tb\nc\rd");
    CHECK("\x01\x08\x0b\x0c\x1b\x1f\x7f", FFFD FFFD FFFD FFFD FFFD FFFD FFFD);
    CHECK("a\0b", "a" FFFD "b");
    /* not UTF-8: U+FFFD a byte, as the JSON writer writes it */
    CHECK("\xff", FFFD);
    CHECK("caf\xe9!", "caf" FFFD "!");
    CHECK("\xc0\xaf", FFFD FFFD);                   /* overlong '/' */
    CHECK("\xe2\x82", FFFD FFFD);                   /* cut short */
    CHECK("\xed\xa0\x80", FFFD FFFD FFFD);          /* a surrogate */
    CHECK("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* past U+10FFFF */
    CHECK("\x80<", FFFD "&lt;");
    /* the noncharacters XML excludes, one U+FFFD each */
    CHECK("\xef\xbf\xbe|\xef\xbf\xbf", FFFD "|" FFFD);
    /* well-formed UTF-8 other than those stays: U+00E9, U+FFFD, U+FFFC, U+1F600,
     * a C1 control (U+0085), U+FDD0, U+10FFFF */
    CHECK("\xc3\xa9 \xef\xbf\xbd \xef\xbf\xbc \xf0\x9f\x98\x80 \xc2\x85 \xef\xb7\x90 "
          "\xf4\x8f\xbf\xbf",
          "\xc3\xa9 \xef\xbf\xbd \xef\xbf\xbc \xf0\x9f\x98\x80 \xc2\x85 \xef\xb7\x90 "
          "\xf4\x8f\xbf\xbf");
}

static void one_call_per_run(void **state)
{
    (void)state;
    sbuf b = {0};
    trc_xml_escape("abc&def", 7, sink, &b);
    assert_int_equal(b.calls, 3); /* "abc", "&amp;", "def" */
    free(b.p);
}

typedef struct {
    sbuf text, attr;
} parsed;

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    parsed *p = ud;
    (void)name;
    for (size_t i = 0; atts[i]; i += 2)
        sink(&p->attr, atts[i + 1], strlen(atts[i + 1]));
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    sink(&((parsed *)ud)->text, s, (size_t)len);
}

/* What a reader gets back from s[0, n): each character XML can hold as it
 * is, U+FFFD for the others (a whole U+FFFE or U+FFFF, any other byte
 * alone), CR and CR LF as LF in text (XML's end-of-line rule) and as a space in an
 * attribute value, TAB and LF as spaces there too (attribute-value
 * normalisation). */
static char *expected(const char *str, size_t n, int attr)
{
    const unsigned char *s = (const unsigned char *)str;
    sbuf b = {0};
    sink(&b, "", 0);
    for (size_t i = 0; i < n;) {
        size_t len = truce_utf8_char_len(s + i, n - i);
        unsigned c = s[i];
        int ok = len > 1 ||
                 (len == 1 && (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') && c != 0x7f);
        if (len == 3 && c == 0xef && s[i + 1] == 0xbf && s[i + 2] >= 0xbe)
            ok = 0;
        if (c == '\r' && i + 1 < n && s[i + 1] == '\n') {
            i++; /* CR LF reads as LF */
            continue;
        }
        if (!ok)
            sink(&b, FFFD, 3);
        else if (attr && (c == '\t' || c == '\n' || c == '\r'))
            sink(&b, " ", 1);
        else if (c == '\r')
            sink(&b, "\n", 1);
        else
            sink(&b, str + i, len);
        i += len > 1 && ok ? len : len == 3 && !ok ? 3 : 1;
    }
    return b.p;
}

/* Escape s[0, n) into <d a="...">...</d>, parse it with expat and compare. */
static void round_trip(const char *s, size_t n)
{
    char *esc = escaped(s, n);
    assert_true(truce_utf8_valid(esc, strlen(esc)));
    size_t len = strlen(esc);
    char *doc = malloc(2 * len + 32);
    assert_non_null(doc);
    int dlen = sprintf(doc, "<d a=\"%s\">%s</d>", esc, esc);
    XML_Parser xp = XML_ParserCreate("UTF-8");
    assert_non_null(xp);
    parsed p = {{0}, {0}};
    sink(&p.text, "", 0);
    sink(&p.attr, "", 0);
    XML_SetUserData(xp, &p);
    XML_SetElementHandler(xp, on_start, NULL);
    XML_SetCharacterDataHandler(xp, on_text);
    if (XML_Parse(xp, doc, dlen, 1) != XML_STATUS_OK)
        fail_msg("not well-formed: %s in %s", XML_ErrorString(XML_GetErrorCode(xp)), doc);
    char *want_text = expected(s, n, 0), *want_attr = expected(s, n, 1);
    assert_string_equal(p.text.p, want_text);
    assert_string_equal(p.attr.p, want_attr);
    XML_ParserFree(xp);
    free(want_text);
    free(want_attr);
    free(p.text.p);
    free(p.attr.p);
    free(doc);
    free(esc);
}

static void every_byte(void **state)
{
    (void)state;
    for (int c = 1; c < 256; c++) {
        char s[3] = {'x', (char)c, 'y'};
        round_trip(s, sizeof s);
    }
    round_trip("\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbd", 9);
}

static void random_bytes(void **state)
{
    (void)state;
    uint64_t x = 0x9E3779B97F4A7C15u;
    char s[64];
    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)(round % 63) + 1;
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* mostly bytes that make UTF-8 lead and continuation bytes, and specials */
            static const char pick[] =
                "&<>\"'\t\r\n\x01\x7f\xc2\xe0\xed\xef\xf0\xf4\x80\xbf\xbe\xa0";
            s[i] = (x >> 8) % 3 ? pick[(x >> 16) % (sizeof pick - 1)] : (char)(x >> 24);
        }
        round_trip(s, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vectors),
        cmocka_unit_test(one_call_per_run),
        cmocka_unit_test(every_byte),
        cmocka_unit_test(random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
