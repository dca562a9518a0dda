/* The XML escaper (not public API): the one way text taken from input goes
 * into XML or HTML -- SVG (svg.c), GPX (gpx_write.c) and the HTML report
 * (html_buf.c) -- as character data or a quoted attribute value.
 *
 * `&`, `<`, `>`, `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and
 * `&#39;` (a numeric reference for `'`, since HTML 4 has no `&apos;`).  What
 * XML 1.0 does not allow in a document (section 2.2, "Char") becomes U+FFFD:
 * a byte that does not start well-formed UTF-8 (utf8.h, the rule the JSON
 * writer follows), a C0 control other than TAB, LF and CR, and the
 * noncharacters U+FFFE and U+FFFF; DEL too, which XML allows but
 * discourages (the C1 controls, U+0080 to U+009F, are kept).  So whatever
 * the input, the output is well-formed UTF-8 that no XML or HTML parser
 * reads as markup. */
#ifndef TRUCE_XML_ESCAPE_H
#define TRUCE_XML_ESCAPE_H

#include <stddef.h>

/* Receives the escaped text in pieces, in order; `s` is not NUL-terminated
 * and is valid only during the call. */
typedef void (*trc_xml_sink)(void *ctx, const char *s, size_t n);

/* Escape s[0, n) (NUL bytes included, as U+FFFD) into `put`.  Runs that
 * need no escaping are passed through in one call each. */
void trc_xml_escape(const char *s, size_t n, trc_xml_sink put, void *ctx);

#endif
