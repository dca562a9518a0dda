/* Well-formed UTF-8 (not public API): the one rule, RFC 3629's, for the
 * readers (a field that is not UTF-8 is rejected, naming it) and for the JSON
 * writer (a byte that does not start a well-formed sequence is written as
 * U+FFFD), so that whatever was read, what is written is UTF-8. */
#ifndef TRUCE_UTF8_H
#define TRUCE_UTF8_H

#include <stddef.h>

/* The length (1 to 4) of the well-formed UTF-8 sequence that starts s[0, n),
 * n > 0; 0 when none does: a continuation byte, C0, C1 or F5-FF, an overlong
 * form, a surrogate (U+D800-DFFF), a value past U+10FFFF, or a sequence cut
 * short by the end of s. */
size_t truce_utf8_char_len(const unsigned char *s, size_t n);

/* Whether s[0, n) is well-formed UTF-8 throughout. */
int truce_utf8_valid(const char *s, size_t n);

#endif
