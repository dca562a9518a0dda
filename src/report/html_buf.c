/* The HTML text buffer (html_buf.h). */
#include "report/html_buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/util.h"
#include "base/xml_escape.h"

void trc_html_init(html_buf *b)
{
    memset(b, 0, sizeof *b);
}

void trc_html_release(html_buf *b)
{
    trc_free(b->p);
    trc_html_init(b);
}

void trc_html_raw(html_buf *b, const char *s, size_t n)
{
    if (b->error)
        return;
    if (b->cap - b->len <= n) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len <= n) {
            if (cap > SIZE_MAX / 2) {
                b->error = TRUCE_E_NOMEM;
                return;
            }
            cap *= 2;
        }
        char *p = trc_realloc(b->p, cap);
        if (!p) {
            b->error = TRUCE_E_NOMEM;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void trc_html_puts(html_buf *b, const char *s)
{
    trc_html_raw(b, s, strlen(s));
}

void trc_html_printf(html_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->error = b->error ? b->error : TRUCE_E_ARG;
        return;
    }
    if ((size_t)n < sizeof small) {
        trc_html_raw(b, small, (size_t)n);
        return;
    }
    va_start(ap, fmt);
    char *big = truce_vasprintf(fmt, ap);
    va_end(ap);
    if (!big) {
        b->error = b->error ? b->error : TRUCE_E_NOMEM;
        return;
    }
    trc_html_raw(b, big, (size_t)n);
    trc_free(big);
}

static void raw_sink(void *b, const char *s, size_t n)
{
    trc_html_raw(b, s, n);
}

static void text_n(html_buf *b, const char *s, size_t n)
{
    if (!b->error)
        trc_xml_escape(s, n, raw_sink, b);
}

void trc_html_text(html_buf *b, const char *s)
{
    if (s)
        text_n(b, s, strlen(s));
}

void trc_html_text_cut(html_buf *b, const char *s, size_t max_bytes)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (!max_bytes || n <= max_bytes) {
        text_n(b, s, n);
        return;
    }
    n = max_bytes;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    text_n(b, s, n);
    trc_html_puts(b, "\xe2\x80\xa6"); /* U+2026 */
}
