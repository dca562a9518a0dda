/* The SVG writer: a streaming XML writer into memory (svg.h). */
#include "truce/svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/util.h"
#include "base/xml_escape.h"

/* Elements nest this deep at most; truce's pictures use 4 or 5 levels. */
#define SVG_MAX_DEPTH 32
#define SVG_MAX_NAME 32

struct truce_svg {
    char *buf; /* the document so far, owned */
    size_t len, cap;
    truce_status error; /* the first error; sticky */
    int tag_open;       /* a start tag waits for its '>' or '/>' */
    int in_attr;        /* between truce_svg_attr_open and _close */
    size_t depth;
    char names[SVG_MAX_DEPTH][SVG_MAX_NAME];
};

static void fail(truce_svg *svg, truce_status st)
{
    if (!svg->error)
        svg->error = st;
}

/* Room for n more bytes plus a NUL. */
static int reserve(truce_svg *svg, size_t n)
{
    if (svg->error)
        return 0;
    if (svg->len + n + 1 <= svg->cap)
        return 1;
    size_t cap = svg->cap ? svg->cap : 4096;
    while (cap < svg->len + n + 1) {
        if (cap > SIZE_MAX / 2) {
            fail(svg, TRUCE_E_NOMEM);
            return 0;
        }
        cap *= 2;
    }
    char *p = trc_realloc(svg->buf, cap);
    if (!p) {
        fail(svg, TRUCE_E_NOMEM);
        return 0;
    }
    svg->buf = p;
    svg->cap = cap;
    return 1;
}

static void put(truce_svg *svg, const char *s, size_t n)
{
    if (!reserve(svg, n))
        return;
    memcpy(svg->buf + svg->len, s, n);
    svg->len += n;
    svg->buf[svg->len] = '\0';
}

static void puts_raw(truce_svg *svg, const char *s)
{
    put(svg, s, strlen(s));
}

/* The escaper's sink: append to the document. */
static void put_sink(void *svg, const char *s, size_t n)
{
    put(svg, s, n);
}

/* Append s[0, n) escaped (svg.h, xml_escape.h). */
static void put_escaped(truce_svg *svg, const char *s, size_t n)
{
    if (!svg->error)
        trc_xml_escape(s, n, put_sink, svg);
}

static void put_vescaped(truce_svg *svg, const char *fmt, va_list ap) TRUCE_PRINTF(2, 0);
static void put_vescaped(truce_svg *svg, const char *fmt, va_list ap)
{
    if (svg->error)
        return;
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        fail(svg, TRUCE_E_ARG);
        return;
    }
    if ((size_t)n < sizeof small) {
        put_escaped(svg, small, (size_t)n);
        return;
    }
    char *big = truce_vasprintf(fmt, ap);
    if (!big) {
        fail(svg, TRUCE_E_NOMEM);
        return;
    }
    put_escaped(svg, big, (size_t)n);
    trc_free(big);
}

static int valid_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n >= SVG_MAX_NAME)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                 (i > 0 && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
        if (!ok)
            return 0;
    }
    return 1;
}

/* Misuse is an error of the program, reported through the sticky status. */
static int usable(truce_svg *svg, int need_tag_open)
{
    if (!svg || svg->error)
        return 0;
    if (svg->in_attr || (need_tag_open && !svg->tag_open)) {
        fail(svg, TRUCE_E_ARG);
        return 0;
    }
    return 1;
}

static void close_start_tag(truce_svg *svg)
{
    if (svg->tag_open) {
        puts_raw(svg, ">");
        svg->tag_open = 0;
    }
}

truce_status truce_svg_new(double width_px, double height_px, truce_svg **out)
{
    if (!out)
        return TRUCE_E_ARG;
    *out = NULL;
    if (!isfinite(width_px) || !isfinite(height_px) || width_px <= 0 || height_px <= 0)
        return TRUCE_E_ARG;
    truce_svg *svg = trc_calloc(1, sizeof *svg);
    if (!svg)
        return TRUCE_E_NOMEM;
    truce_svg_begin(svg, "svg");
    truce_svg_attr(svg, "xmlns", "http://www.w3.org/2000/svg");
    truce_svg_attr(svg, "xmlns:xlink", "http://www.w3.org/1999/xlink");
    truce_svg_attr(svg, "width", "%g", width_px);
    truce_svg_attr(svg, "height", "%g", height_px);
    truce_svg_attr(svg, "viewBox", "0 0 %g %g", width_px, height_px);
    if (svg->error) {
        truce_status st = svg->error;
        truce_svg_free(svg);
        return st;
    }
    *out = svg;
    return TRUCE_OK;
}

void truce_svg_begin(truce_svg *svg, const char *name)
{
    if (!usable(svg, 0))
        return;
    if (!valid_name(name) || svg->depth == SVG_MAX_DEPTH) {
        fail(svg, TRUCE_E_ARG);
        return;
    }
    close_start_tag(svg);
    puts_raw(svg, "<");
    puts_raw(svg, name);
    strcpy(svg->names[svg->depth++], name);
    svg->tag_open = 1;
}

void truce_svg_attr_open(truce_svg *svg, const char *name)
{
    if (!usable(svg, 1))
        return;
    if (!valid_name(name)) {
        fail(svg, TRUCE_E_ARG);
        return;
    }
    puts_raw(svg, " ");
    puts_raw(svg, name);
    puts_raw(svg, "=\"");
    svg->in_attr = 1;
}

void truce_svg_attr_append(truce_svg *svg, const char *fmt, ...)
{
    if (!svg || svg->error)
        return;
    if (!svg->in_attr) {
        fail(svg, TRUCE_E_ARG);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    put_vescaped(svg, fmt, ap);
    va_end(ap);
}

void truce_svg_attr_close(truce_svg *svg)
{
    if (!svg || svg->error)
        return;
    if (!svg->in_attr) {
        fail(svg, TRUCE_E_ARG);
        return;
    }
    puts_raw(svg, "\"");
    svg->in_attr = 0;
}

void truce_svg_attr(truce_svg *svg, const char *name, const char *fmt, ...)
{
    truce_svg_attr_open(svg, name);
    if (!svg || svg->error)
        return;
    va_list ap;
    va_start(ap, fmt);
    put_vescaped(svg, fmt, ap);
    va_end(ap);
    truce_svg_attr_close(svg);
}

void truce_svg_text(truce_svg *svg, const char *fmt, ...)
{
    if (!usable(svg, 0))
        return;
    close_start_tag(svg);
    va_list ap;
    va_start(ap, fmt);
    put_vescaped(svg, fmt, ap);
    va_end(ap);
}

void truce_svg_end(truce_svg *svg)
{
    if (!usable(svg, 0))
        return;
    if (svg->depth == 0) {
        fail(svg, TRUCE_E_ARG);
        return;
    }
    const char *name = svg->names[--svg->depth];
    if (svg->tag_open) {
        puts_raw(svg, "/>");
        svg->tag_open = 0;
    } else {
        puts_raw(svg, "</");
        puts_raw(svg, name);
        puts_raw(svg, ">");
    }
    if (svg->depth <= 1)
        puts_raw(svg, "\n");
}

truce_status truce_svg_finish(truce_svg *svg, int xml_declaration, char **data, size_t *len)
{
    if (data)
        *data = NULL;
    if (len)
        *len = 0;
    if (!svg)
        return TRUCE_E_ARG;
    if (!data || !len)
        fail(svg, TRUCE_E_ARG);
    if (svg->in_attr)
        fail(svg, TRUCE_E_ARG);
    while (!svg->error && svg->depth > 0)
        truce_svg_end(svg);
    static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    size_t skip = xml_declaration ? 0 : sizeof decl - 1;
    char *doc = NULL;
    if (!svg->error) {
        doc = trc_malloc(sizeof decl - 1 - skip + svg->len + 1);
        if (!doc)
            fail(svg, TRUCE_E_NOMEM);
    }
    truce_status st = svg->error;
    if (!st) {
        memcpy(doc, decl + skip, sizeof decl - 1 - skip);
        memcpy(doc + sizeof decl - 1 - skip, svg->buf, svg->len);
        *len = sizeof decl - 1 - skip + svg->len;
        doc[*len] = '\0';
        *data = doc;
    }
    truce_svg_free(svg);
    return st;
}

void truce_svg_free(truce_svg *svg)
{
    if (!svg)
        return;
    trc_free(svg->buf);
    trc_free(svg);
}

truce_status truce_xml_escape(const char *s, size_t n, char **out)
{
    if (!out || (!s && n))
        return TRUCE_E_ARG;
    *out = NULL;
    truce_svg tmp = {0};
    put_escaped(&tmp, s ? s : "", n);
    if (!tmp.error && !tmp.buf)
        put(&tmp, "", 0);
    if (tmp.error) {
        trc_free(tmp.buf);
        return tmp.error;
    }
    *out = tmp.buf;
    return TRUCE_OK;
}
