/* truce — the SVG writer behind every picture truce draws (map, timeline,
 * the figures of a report).
 *
 * A small streaming XML writer into memory, made so that text taken from
 * input can never become markup: every attribute value and every piece of
 * character data goes through one escaper, which writes `&`, `<`, `>`, `"`
 * and `'` as character references, and replaces what XML 1.0 does not allow
 * in a document (control characters other than TAB, LF and CR, bytes that
 * are not well-formed UTF-8, U+FFFE and U+FFFF) with U+FFFD.  There is no
 * call that writes raw markup.
 *
 * Usage:
 *
 *     truce_svg *svg;
 *     truce_svg_new(800, 600, &svg);          // <svg xmlns=... width height viewBox>
 *     truce_svg_begin(svg, "circle");
 *     truce_svg_attr(svg, "cx", "%.2f", x);
 *     truce_svg_attr(svg, "class", "%s", "violation");
 *     truce_svg_begin(svg, "title");           // closes <circle ...> with '>'
 *     truce_svg_text(svg, "%s", event_notes);  // escaped
 *     truce_svg_end(svg);                      // </title>
 *     truce_svg_end(svg);                      // </circle>
 *     truce_svg_finish(svg, 1, &data, &len);   // closes what is open
 *
 * An element with nothing inside is closed as `<name .../>`.  Errors are
 * sticky: after a failed allocation or a misuse (an attribute after content,
 * an end with nothing open) every call does nothing and truce_svg_finish
 * returns the first error.  A writer is not thread-safe; separate writers are
 * independent.
 */
#ifndef TRUCE_SVG_H
#define TRUCE_SVG_H

#include <stddef.h>

#include "truce/alloc.h"
#include "truce/status.h"

#if defined(__GNUC__)
#define TRUCE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TRUCE_PRINTF(f, a)
#endif

typedef struct truce_svg truce_svg;

/* Start a document whose root is <svg> with the SVG and XLink namespaces,
 * width and height in CSS pixels (> 0, finite) and a viewBox of
 * "0 0 width height".  *out is a new writer (truce_svg_finish or
 * truce_svg_free).  TRUCE_E_ARG, TRUCE_E_NOMEM. */
truce_status truce_svg_new(double width_px, double height_px, truce_svg **out);

/* Open a child element of the innermost open one.  `name` is an XML name
 * chosen by the program (checked: letters, digits, '-', '_', ':', '.'; not
 * from input). */
void truce_svg_begin(truce_svg *svg, const char *name);

/* Add an attribute to the element just begun (before any content).  The
 * value is printf-formatted, then escaped as a whole. */
void truce_svg_attr(truce_svg *svg, const char *name, const char *fmt, ...) TRUCE_PRINTF(3, 4);

/* A long attribute value (path data) in pieces: truce_svg_attr_open, any
 * number of truce_svg_attr_append (each escaped), truce_svg_attr_close.  No
 * other call may come between open and close. */
void truce_svg_attr_open(truce_svg *svg, const char *name);
void truce_svg_attr_append(truce_svg *svg, const char *fmt, ...) TRUCE_PRINTF(2, 3);
void truce_svg_attr_close(truce_svg *svg);

/* Character data inside the innermost open element, printf-formatted, then
 * escaped. */
void truce_svg_text(truce_svg *svg, const char *fmt, ...) TRUCE_PRINTF(2, 3);

/* Close the innermost open element. */
void truce_svg_end(truce_svg *svg);

/* Close every element still open and hand over the document: *data is a new
 * NUL-terminated buffer of *len bytes (truce_free() it) holding an XML declaration
 * when `xml_declaration` is nonzero (a standalone .svg file), none when the
 * SVG goes inline into HTML.  The writer is freed in every case; on failure
 * *data is NULL and the first error is returned (TRUCE_E_NOMEM, TRUCE_E_ARG
 * for a misuse). */
truce_status truce_svg_finish(truce_svg *svg, int xml_declaration, char **data, size_t *len);

/* Free a writer without taking its document.  NULL is allowed. */
void truce_svg_free(truce_svg *svg);

/* Escape s[0, n) for XML/HTML character data or a quoted attribute value,
 * as the writer does (and the GPX writer and the HTML report), into a new
 * NUL-terminated buffer (*out, truce_free()).  TRUCE_E_NOMEM. */
truce_status truce_xml_escape(const char *s, size_t n, char **out);

#endif
