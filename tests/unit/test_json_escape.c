/* The JSON Lines writer's string escaping against YAJL's generator, which
 * it replaced (src/base/json_escape.h says what each byte becomes, and that bytes
 * that are not UTF-8 become U+FFFD): hostile strings, every byte, random
 * bytes, pieces, and long strings through the writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "base/json_escape.h"
#include "base/utf8.h"
#include "truce/event.h"

/* s[0, n) as YAJL 2.1 writes it with its defaults, quotes included. */
static char *yajl_quoted(const char *s, size_t n, size_t *len)
{
    yajl_gen g = yajl_gen_alloc(NULL);
    assert_non_null(g);
    assert_int_equal(yajl_gen_string(g, (const unsigned char *)s, n), yajl_gen_status_ok);
    const unsigned char *buf;
    size_t blen;
    assert_int_equal(yajl_gen_get_buf(g, &buf, &blen), yajl_gen_status_ok);
    char *copy = malloc(blen + 1);
    assert_non_null(copy);
    memcpy(copy, buf, blen);
    copy[blen] = '\0';
    *len = blen;
    yajl_gen_free(g);
    return copy;
}

/* s[0, n) with every byte that does not start a well-formed UTF-8 sequence
 * replaced by U+FFFD (malloc'd; its length in *len). */
static char *replaced(const char *s, size_t n, size_t *len)
{
    char *r = malloc(3 * n + 1);
    assert_non_null(r);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t c = truce_utf8_char_len((const unsigned char *)s + i, n - i);
        if (c) {
            memcpy(r + k, s + i, c);
            k += c;
            i += c;
        } else {
            memcpy(r + k, "\xEF\xBF\xBD", 3);
            k += 3;
            i++;
        }
    }
    *len = k;
    return r;
}

/* What trc_json_escape writes is what YAJL writes for the string with its
 * ill-formed bytes replaced, and well-formed UTF-8. */
static void same_as_yajl(const char *s, size_t n)
{
    size_t ylen, rlen;
    char *fixed = replaced(s, n, &rlen);
    char *y = yajl_quoted(fixed, rlen, &ylen);
    free(fixed);
    char *mine = malloc(JSON_ESCAPE_MAX(n) + 2);
    assert_non_null(mine);
    mine[0] = '"';
    size_t m = trc_json_escape(mine + 1, s, n);
    assert_true(m <= JSON_ESCAPE_MAX(n));
    mine[m + 1] = '"';
    assert_int_equal(m + 2, ylen);
    assert_memory_equal(mine, y, ylen);
    assert_true(truce_utf8_valid(mine, m + 2));
    free(mine);
    free(y);
}

static void hostile_strings(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n;
    } cases[] = {
#define S(x) {x, sizeof x - 1}
        S(""),
        S("plain ASCII, with commas; and (brackets)"),
        S("\"quoted\" and \\backslashed\\ and /solidus/ </script>"),
        S("\b\t\n\f\r"),
        S("\x01\x02\x1f\x7f"),
        S("nul \0 inside"),
        S("caf\xC3\xA9 \xE2\x80\xA8 line sep \xE2\x80\xA9 para sep \xF0\x9F\x98\x80"),
        S("\xEF\xBB\xBF BOM, \xEF\xBF\xBF noncharacter"),
        S("invalid: \xC0\xAF overlong, \xED\xA0\x80 surrogate, \xF5\x80\x80\x80 past, \xFF\xFE"),
        S("cut: \xE2\x80"),
        S("\x80\x80 lone continuations"),
#undef S
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        same_as_yajl(cases[i].s, cases[i].n);
}

static void every_byte(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        char s[3] = {'a', (char)c, 'z'};
        same_as_yajl(s + 1, 1);
        same_as_yajl(s, 3);
    }
}

static void random_bytes_and_pieces(void **state)
{
    (void)state;
    uint64_t x = 0x9E3779B97F4A7C15u;
    char s[200];
    char whole[JSON_ESCAPE_MAX(200)], pieces[JSON_ESCAPE_MAX(200)];
    for (int t = 0; t < 20000; t++) {
        size_t n = (size_t)(t % 200);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            /* Mostly the bytes that matter: controls, quotes, high bytes. */
            unsigned b = (unsigned)(x >> 24) & 0xFF;
            s[i] = (char)(t & 1 ? b : (b & 0x3F) | (b & 0x80));
        }
        same_as_yajl(s, n);
        size_t a = trc_json_escape(whole, s, n), cut = n ? trc_json_escape_cut(s, n, 1 + x % n) : 0;
        size_t b = trc_json_escape(pieces, s, cut);
        b += trc_json_escape(pieces + b, s + cut, n - cut);
        assert_int_equal(a, b);
        assert_memory_equal(whole, pieces, a);
    }
}

/* Strings longer than the writer's piece size go out in several pieces. */
static void long_strings_through_the_writer(void **state)
{
    (void)state;
    size_t n = 300000;
    char *notes = malloc(n + 1);
    assert_non_null(notes);
    for (size_t i = 0; i < n; i++)
        notes[i] = "ab\"\\\n\x01\xC3\xA9/\xE2\x82\xAC"[i % 12];
    notes[n] = '\0';
    truce_event e;
    truce_event_init(&e);
    e.id = "X1";
    e.notes = notes;
    e.place = "\x1f";
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    assert_non_null(f);
    truce_event_writer *w;
    assert_int_equal(truce_event_writer_new(f, TRUCE_OUTPUT_JSONL, &w), TRUCE_OK);
    assert_int_equal(truce_event_write(w, &e), TRUCE_OK);
    assert_int_equal(truce_event_write(w, &e), TRUCE_OK);
    assert_int_equal(truce_event_writer_free(w), TRUCE_OK);
    fclose(f);
    size_t ylen;
    char *y = yajl_quoted(notes, n, &ylen);
    assert_true(truce_utf8_valid(out, outlen)); /* no sequence cut between pieces */
    char *key = strstr(out, "\"notes\":");
    assert_non_null(key);
    assert_memory_equal(key + 8, y, ylen);
    assert_non_null(strstr(out, "\"place\":\"\\u001F\""));
    char *second = strchr(out, '\n');
    assert_non_null(second);
    assert_int_equal((size_t)(second + 1 - out) * 2, outlen);
    assert_memory_equal(out, second + 1, outlen / 2);
    free(y);
    free(out);
    free(notes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_strings),
        cmocka_unit_test(every_byte),
        cmocka_unit_test(random_bytes_and_pieces),
        cmocka_unit_test(long_strings_through_the_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
