/* Internal helpers: strings and files. */
#include "base/util.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"

char *truce_strdup(const char *s)
{
    return truce_strndup(s, strlen(s));
}

char *truce_strndup(const char *s, size_t n)
{
    char *p = trc_malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *truce_vasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = trc_malloc((size_t)n + 1);
    if (!p)
        return NULL;
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *truce_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = truce_vasprintf(fmt, ap);
    va_end(ap);
    return p;
}

char *truce_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = trc_malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n < cap - 1) {
            if (ferror(f)) {
                int e = errno;
                trc_free(buf);
                buf = NULL;
                errno = e ? e : EIO;
            }
            break;
        }
        char *bigger = trc_realloc(buf, cap * 2);
        if (!bigger) {
            trc_free(buf);
            buf = NULL;
            errno = ENOMEM;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int truce_strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || !ca)
            return ca - cb;
    }
}

truce_status truce_load_input(const char *path, size_t max_bytes, truce_diags *diags, char **data,
                              size_t *len)
{
    struct stat sb;
    int too_big = max_bytes && stat(path, &sb) == 0 && (uintmax_t)sb.st_size > max_bytes;
    *data = too_big ? NULL : truce_read_file(path, len);
    if (*data)
        return TRUCE_OK;
    if (!too_big && errno == ENOMEM)
        return TRUCE_E_NOMEM;
    char reason[64];
    if (too_big)
        snprintf(reason, sizeof reason, "larger than the cap of %zu bytes", max_bytes);
    if (truce_diags_add(diags, TRUCE_DIAG_ERROR, path, 0, NULL, NULL, "cannot read: %s",
                        too_big ? reason : strerror(errno)) != TRUCE_OK)
        return TRUCE_E_NOMEM;
    return TRUCE_E_IO;
}

void trc_one_line(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

void trc_format_hms(double s, char buf[32])
{
    if (!(fabs(s) < 1e15)) {
        snprintf(buf, 32, "-");
        return;
    }
    long long whole = llround(s);
    snprintf(buf, 32, "%lld:%02lld:%02lld", whole / 3600, whole / 60 % 60, whole % 60);
}
