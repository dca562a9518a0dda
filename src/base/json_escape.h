/* JSON string escaping for the JSON Lines writer (not public API).
 *
 * What YAJL 2.1's generator writes with its defaults (solidus not escaped),
 * so that output did not change when the writer stopped going through YAJL
 * (event_json.c says why), except that the result is always well-formed
 * UTF-8, whatever the bytes given:
 * - `"` and `\` as `\"` and `\\`;
 * - BS, TAB, LF, FF, CR as `\b`, `\t`, `\n`, `\f`, `\r`;
 * - the other bytes below 0x20 as `\u00XX`, upper-case hex (`\u001F`);
 * - well-formed UTF-8 sequences (utf8.h) as they are (U+2028 and U+2029
 *   included, which JSON allows raw), and DEL, `/` and the rest of ASCII;
 * - every byte that does not start a well-formed sequence (a file name that
 *   is not UTF-8, say: the readers reject such fields) as U+FFFD, one each.
 * tests/unit/test_json_escape.c compares the result with YAJL's on hostile
 * strings.
 */
#ifndef TRUCE_JSON_ESCAPE_H
#define TRUCE_JSON_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

#include "truce/text.h"

/* The most bytes trc_json_escape writes for n input bytes. */
#define JSON_ESCAPE_MAX(n) (6 * (n))

/* Escape s[0, n) into out (room for JSON_ESCAPE_MAX(n) bytes), without the
 * surrounding quotes; returns the bytes written.  A string escaped in pieces
 * gives the same text as escaped whole when each cut is at a
 * trc_json_escape_cut. */
size_t trc_json_escape(char *out, const char *s, size_t n);

/* Where to end a piece of s[0, n), about `want` bytes (want > 0), so that it
 * splits no well-formed UTF-8 sequence: n when want >= n; else want, or the
 * start of the sequence that want falls in (at most three bytes before), or
 * when that sequence starts s, its end (at most four bytes). */
size_t trc_json_escape_cut(const char *s, size_t n, size_t want);

/* Write s to out as a JSON string literal, quotes included, escaped as
 * trc_json_escape does (in pieces: no allocation), or `null` when s is NULL.
 * Returns 0, or EOF when a write failed. */
int trc_json_escape_fputs(FILE *out, const char *s);

/* Append s to a text buffer (truce/text.h) as a JSON string literal,
 * quotes included, escaped as trc_json_escape does, or `null` when s is
 * NULL.  TRUCE_E_NOMEM. */
truce_status trc_json_escape_text(truce_text *t, const char *s);

/* A finite double as the event writers print it (event_json.c): the
 * shortest of %.15g, %.16g, %.17g that reads back to the same value, an
 * integral value below 2^53 as an integer, -0 as 0.  Returns the length
 * written into buf (NUL-terminated). */
size_t trc_json_double(double v, char buf[32]);

#endif
