/* JSON string escaping for the JSON Lines writer (not public API).
 *
 * Byte for byte what YAJL 2.1's generator writes with its defaults (no
 * UTF-8 validation, solidus not escaped), so that output did not change
 * when the writer stopped going through YAJL (event_json.c says why):
 * - `"` and `\` as `\"` and `\\`;
 * - BS, TAB, LF, FF, CR as `\b`, `\t`, `\n`, `\f`, `\r`;
 * - the other bytes below 0x20 as `\u00XX`, upper-case hex (`\u001F`);
 * - every other byte as it is: DEL, `/`, UTF-8 sequences (U+2028 and U+2029
 *   included, which JSON allows raw), and bytes that are not UTF-8 (callers
 *   check UTF-8 before; YAJL does not either with its defaults).
 * tests/unit/test_json_escape.c compares the two on hostile strings.
 */
#ifndef TRUCE_JSON_ESCAPE_H
#define TRUCE_JSON_ESCAPE_H

#include <stddef.h>

/* The most bytes json_escape writes for n input bytes. */
#define JSON_ESCAPE_MAX(n) (6 * (n))

/* Escape s[0, n) into out (room for JSON_ESCAPE_MAX(n) bytes), without the
 * surrounding quotes; returns the bytes written.  Bytes are escaped one at a
 * time, so s may be cut anywhere and the pieces escaped one after another. */
size_t json_escape(char *out, const char *s, size_t n);

#endif
