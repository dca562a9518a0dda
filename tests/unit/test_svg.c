/* The SVG writer: documents it writes are well-formed XML (checked by
 * parsing them back with expat), text from input comes back as the same
 * text and never as markup, and what XML cannot hold is replaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "truce/svg.h"

/* What expat saw: element count, the concatenated character data and the
 * value of the last attribute named "data-x". */
typedef struct parsed {
    int depth; /* character data is kept only inside the root's children */
    int elements;
    int scripts;
    char text[4096];
    size_t text_len;
    char attr[4096];
} parsed;

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    parsed *p = ud;
    p->depth++;
    p->elements++;
    if (strcmp(name, "http://www.w3.org/2000/svg script") == 0 || strstr(name, "script"))
        p->scripts++;
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], "data-x") == 0)
            snprintf(p->attr, sizeof p->attr, "%s", atts[i + 1]);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    (void)name;
    ((parsed *)ud)->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    parsed *p = ud;
    if (p->depth >= 2 && p->text_len + (size_t)len < sizeof p->text) {
        memcpy(p->text + p->text_len, s, (size_t)len);
        p->text_len += (size_t)len;
        p->text[p->text_len] = '\0';
    }
}

/* Parse doc with expat (namespaces on); fails the test when it is not
 * well-formed. */
static void parse(const char *doc, size_t len, parsed *out)
{
    memset(out, 0, sizeof *out);
    XML_Parser xp = XML_ParserCreateNS("UTF-8", ' ');
    assert_non_null(xp);
    XML_SetUserData(xp, out);
    XML_SetElementHandler(xp, on_start, on_end);
    XML_SetCharacterDataHandler(xp, on_text);
    enum XML_Status st = XML_Parse(xp, doc, (int)len, 1);
    if (st != XML_STATUS_OK)
        fail_msg("not well-formed at line %lu: %s\n%s", XML_GetCurrentLineNumber(xp),
                 XML_ErrorString(XML_GetErrorCode(xp)), doc);
    XML_ParserFree(xp);
}

/* A document with one <text data-x=s>s</text>. */
static char *doc_with(const char *s, size_t *len)
{
    truce_svg *svg;
    assert_int_equal(truce_svg_new(100, 50, &svg), TRUCE_OK);
    truce_svg_begin(svg, "text");
    truce_svg_attr(svg, "data-x", "%s", s);
    truce_svg_text(svg, "%s", s);
    truce_svg_end(svg);
    char *doc;
    assert_int_equal(truce_svg_finish(svg, 1, &doc, len), TRUCE_OK);
    return doc;
}

static void hostile_text_stays_text(void **state)
{
    (void)state;
    const char *notes[] = {
        "<script>alert(1)</script>",
        "\"quoted\" & 'single' <b>bold</b> ]]> &amp; &#60;",
        "Ma'arat al-Nu'man — معرة النعمان",
        "</text><script>x</script><text>",
    };
    for (size_t i = 0; i < sizeof notes / sizeof *notes; i++) {
        size_t len;
        char *doc = doc_with(notes[i], &len);
        assert_int_equal(strlen(doc), len);
        assert_null(strstr(doc, "<script"));
        parsed p;
        parse(doc, len, &p);
        assert_int_equal(p.elements, 2); /* svg, text */
        assert_int_equal(p.scripts, 0);
        assert_string_equal(p.text, notes[i]);
        assert_string_equal(p.attr, notes[i]);
        free(doc);
    }
}

static void what_xml_cannot_hold_is_replaced(void **state)
{
    (void)state;
    /* NUL cannot be passed through %s; the others can. */
    const char bad[] = "a\x01"
                       "b\x7f"
                       "c\xff"
                       "d\xc0\xaf"
                       "e\xed\xa0\x80"
                       "f\xef\xbf\xbe"
                       "g\xe2\x82";
    size_t len;
    char *doc = doc_with(bad, &len);
    parsed p;
    parse(doc, len, &p);
    /* Each bad byte became U+FFFD, and U+FFFE (well-formed UTF-8 for a
     * character XML excludes) one U+FFFD; the letters are kept in order. */
    const char *want = "a\xef\xbf\xbd"
                       "b\xef\xbf\xbd"
                       "c\xef\xbf\xbd"
                       "d\xef\xbf\xbd\xef\xbf\xbd"
                       "e\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                       "f\xef\xbf\xbd"
                       "g\xef\xbf\xbd\xef\xbf\xbd";
    assert_string_equal(p.text, want);
    free(doc);
}

static void random_bytes_always_well_formed(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int round = 0; round < 2000; round++) {
        char s[64];
        size_t n = (size_t)(round % 63);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s[i] = (char)((x & 0xff) ? (x & 0xff) : 'z');
        }
        s[n] = '\0';
        size_t len;
        char *doc = doc_with(s, &len);
        parsed p;
        parse(doc, len, &p);
        assert_int_equal(p.elements, 2);
        free(doc);
    }
}

static void structure_and_long_attributes(void **state)
{
    (void)state;
    truce_svg *svg;
    assert_int_equal(truce_svg_new(640, 480, &svg), TRUCE_OK);
    truce_svg_begin(svg, "g");
    truce_svg_attr(svg, "class", "roads");
    truce_svg_begin(svg, "path");
    truce_svg_attr_open(svg, "d");
    for (int i = 0; i < 10000; i++)
        truce_svg_attr_append(svg, "%s%d,%d", i ? "L" : "M", i, i % 7);
    truce_svg_attr_close(svg);
    truce_svg_end(svg);
    truce_svg_begin(svg, "circle"); /* left open: finish closes it and g */
    char *doc;
    size_t len;
    assert_int_equal(truce_svg_finish(svg, 0, &doc, &len), TRUCE_OK);
    assert_memory_equal(doc, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39);
    assert_non_null(strstr(doc, "viewBox=\"0 0 640 480\""));
    assert_non_null(strstr(doc, "<path d=\"M0,0L1,1"));
    assert_non_null(strstr(doc, "<circle/></g>"));
    parsed p;
    parse(doc, len, &p);
    assert_int_equal(p.elements, 4);
    free(doc);
}

static void misuse_is_an_error(void **state)
{
    (void)state;
    char *doc = (char *)1;
    size_t len = 1;
    truce_svg *svg;
    /* An attribute after content. */
    assert_int_equal(truce_svg_new(10, 10, &svg), TRUCE_OK);
    truce_svg_begin(svg, "text");
    truce_svg_text(svg, "x");
    truce_svg_attr(svg, "x", "1");
    assert_int_equal(truce_svg_finish(svg, 1, &doc, &len), TRUCE_E_ARG);
    assert_null(doc);
    assert_int_equal(len, 0);
    /* A name that is not an XML name. */
    assert_int_equal(truce_svg_new(10, 10, &svg), TRUCE_OK);
    truce_svg_begin(svg, "a b");
    assert_int_equal(truce_svg_finish(svg, 1, &doc, &len), TRUCE_E_ARG);
    /* Ending more than was begun. */
    assert_int_equal(truce_svg_new(10, 10, &svg), TRUCE_OK);
    truce_svg_end(svg);
    truce_svg_end(svg);
    assert_int_equal(truce_svg_finish(svg, 1, &doc, &len), TRUCE_E_ARG);
    /* Bad sizes. */
    assert_int_equal(truce_svg_new(0, 10, &svg), TRUCE_E_ARG);
    assert_null(svg);
    truce_svg_free(NULL);
}

static void escape_for_html(void **state)
{
    (void)state;
    char *out;
    const char s[] = "<a href=\"x\">O'Neil & co</a>";
    assert_int_equal(truce_xml_escape(s, sizeof s - 1, &out), TRUCE_OK);
    assert_string_equal(out, "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;");
    free(out);
    assert_int_equal(truce_xml_escape("", 0, &out), TRUCE_OK);
    assert_string_equal(out, "");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_text_stays_text),
        cmocka_unit_test(what_xml_cannot_hold_is_replaced),
        cmocka_unit_test(random_bytes_always_well_formed),
        cmocka_unit_test(structure_and_long_attributes),
        cmocka_unit_test(misuse_is_an_error),
        cmocka_unit_test(escape_for_html),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
