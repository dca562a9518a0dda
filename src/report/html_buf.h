/* A growable text buffer for HTML (not public API): markup written by the
 * program goes in as it is; text taken from input goes through the one XML
 * escaper (xml_escape.h), as in the SVG writer.  Errors are sticky:
 * after a failed allocation every call does nothing and `error` says
 * TRUCE_E_NOMEM. */
#ifndef TRUCE_HTML_BUF_H
#define TRUCE_HTML_BUF_H

#include <stddef.h>

#include "truce/status.h"
#include "truce/svg.h"

typedef struct html_buf {
    char *p; /* owned; NUL-terminated when len > 0 */
    size_t len, cap;
    truce_status error;
} html_buf;

/* Empty, no allocation. */
void trc_html_init(html_buf *b);

/* Free the contents; empty afterwards. */
void trc_html_release(html_buf *b);

/* Markup written by the program (never text from input). */
void trc_html_raw(html_buf *b, const char *s, size_t n);
void trc_html_puts(html_buf *b, const char *s);
void trc_html_printf(html_buf *b, const char *fmt, ...) TRUCE_PRINTF(2, 3);

/* Text from input, escaped; NULL writes nothing.  trc_html_text_cut keeps at
 * most max_bytes of it (0: no limit), cut at a character boundary and
 * followed by an ellipsis. */
void trc_html_text(html_buf *b, const char *s);
void trc_html_text_cut(html_buf *b, const char *s, size_t max_bytes);

#endif
