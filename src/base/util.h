/* Internal helpers shared by the library's modules (not public API). */
#ifndef TRUCE_UTIL_H
#define TRUCE_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#include "truce/diag.h"
#include "truce/status.h"

/* strdup that returns NULL on allocation failure (C17 has no strdup). */
char *truce_strdup(const char *s);

/* Copy of the first n bytes of s, NUL-terminated; NULL when out of memory. */
char *truce_strndup(const char *s, size_t n);

/* printf into a new string; NULL when out of memory. */
char *truce_asprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
char *truce_vasprintf(const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 0)))
#endif
    ;

/* A duration in seconds as H:MM:SS, rounded to the second (hours not
 * wrapped), into buf; "-" for NaN or a value of 1e15 s or more, whose
 * rounding would not fit a long long. */
void trc_format_hms(double s, char buf[32]);

/* Make a message one printable line in place: every control character
 * becomes '?', so that text quoted from the input cannot forge another
 * line of a diagnostic or a log. */
void trc_one_line(char *s);

/* Read a whole file into a new NUL-terminated buffer; *len gets its length.
 * Returns NULL and sets errno on failure. */
char *truce_read_file(const char *path, size_t *len);

/* Read a whole file for a loader (truce_*_load): on success *data is a new
 * NUL-terminated buffer of *len bytes (free it).  On failure one error,
 * "cannot read: REASON", goes to `diags` for `path` and the status is
 * TRUCE_E_IO (TRUCE_E_NOMEM, with no diagnostic, when memory runs out).  A file
 * larger than `max_bytes` (0: no cap) is refused before it is read. */
truce_status truce_load_input(const char *path, size_t max_bytes, truce_diags *diags, char **data,
                              size_t *len);

/* ASCII case-insensitive comparison (locale-independent). */
int truce_strcasecmp(const char *a, const char *b);

#endif
