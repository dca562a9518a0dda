/* SVG to PNG: the PNG has the size asked for (read from its IHDR chunk),
 * the picture is drawn (not blank), and bad input is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "truce/raster.h"

static const char doc[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\" viewBox=\"0 0 200 "
    "100\"><rect x=\"10\" y=\"10\" width=\"80\" height=\"80\" fill=\"#d7191c\"/>"
    "<text x=\"100\" y=\"50\">&lt;script&gt;</text></svg>";

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The PNG in f: its size from the IHDR chunk, its length. */
static long png_size(FILE *f, uint32_t *w, uint32_t *h)
{
    unsigned char head[24];
    rewind(f);
    assert_int_equal(fread(head, 1, sizeof head, f), sizeof head);
    assert_memory_equal(head, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(head + 12, "IHDR", 4);
    *w = be32(head + 16);
    *h = be32(head + 20);
    fseek(f, 0, SEEK_END);
    return ftell(f);
}

static void test_sizes(void **state)
{
    (void)state;
    static const int sizes[][2] = {{200, 100}, {640, 320}, {37, 300}, {1, 1}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        FILE *f = tmpfile();
        assert_non_null(f);
        assert_int_equal(truce_svg_to_png(doc, strlen(doc), sizes[i][0], sizes[i][1], f), TRUCE_OK);
        uint32_t w, h;
        long len = png_size(f, &w, &h);
        assert_int_equal(w, (uint32_t)sizes[i][0]);
        assert_int_equal(h, (uint32_t)sizes[i][1]);
        assert_true(len > 60);
        fclose(f);
    }
}

/* A drawn picture compresses worse than a blank one of the same size. */
static void test_not_blank(void **state)
{
    (void)state;
    static const char blank[] =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\"/>";
    FILE *a = tmpfile(), *b = tmpfile();
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(truce_svg_to_png(doc, strlen(doc), 400, 200, a), TRUCE_OK);
    assert_int_equal(truce_svg_to_png(blank, strlen(blank), 400, 200, b), TRUCE_OK);
    uint32_t w, h;
    assert_true(png_size(a, &w, &h) > png_size(b, &w, &h) + 100);
    fclose(a);
    fclose(b);
}

static void test_errors(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(truce_svg_to_png("<svg", 4, 10, 10, f), TRUCE_E_PARSE);
    assert_int_equal(truce_svg_to_png("not xml at all", 14, 10, 10, f), TRUCE_E_PARSE);
    assert_int_equal(truce_svg_to_png(doc, strlen(doc), 0, 10, f), TRUCE_E_ARG);
    assert_int_equal(truce_svg_to_png(doc, strlen(doc), 10, TRUCE_PNG_MAX_SIDE + 1, f),
                     TRUCE_E_ARG);
    assert_int_equal(truce_svg_to_png(NULL, 0, 10, 10, f), TRUCE_E_ARG);
    fclose(f);
    assert_int_equal(truce_svg_to_png_file(doc, strlen(doc), 10, 10, "/nonexistent/dir/x.png"),
                     TRUCE_E_IO);
    /* A failed render leaves no file behind. */
    char dir[] = "/tmp/truce-raster-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/x.png", dir);
    assert_int_equal(truce_svg_to_png_file("<svg", 4, 10, 10, path), TRUCE_E_PARSE);
    assert_null(fopen(path, "rb"));
    /* ... and a file or a link that was there stays as it was: the writer
     * once removed the path it was given, a link or a device included */
    FILE *f2 = fopen(path, "w");
    assert_non_null(f2);
    fputs("before", f2);
    fclose(f2);
    char link[80], buf[16] = "";
    snprintf(link, sizeof link, "%s/link.png", dir);
    assert_int_equal(symlink("x.png", link), 0);
    assert_int_equal(truce_svg_to_png_file("<svg", 4, 10, 10, link), TRUCE_E_PARSE);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    f2 = fopen(path, "r");
    assert_non_null(f2);
    assert_non_null(fgets(buf, sizeof buf, f2));
    fclose(f2);
    assert_string_equal(buf, "before");
    /* a good one replaces the file the link names */
    assert_int_equal(truce_svg_to_png_file(doc, strlen(doc), 10, 10, link), TRUCE_OK);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 60);
    assert_int_equal(unlink(link), 0);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0); /* empty: no temporary file left */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_not_blank),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
