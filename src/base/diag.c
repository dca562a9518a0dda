/* Diagnostics lists: see truce/diag.h. */
#include "truce/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/util.h"

void truce_diags_init(truce_diags *diags)
{
    memset(diags, 0, sizeof *diags);
}

void truce_diags_release(truce_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++) {
        truce_diag *d = &diags->items[i];
        trc_free(d->file);
        trc_free(d->item);
        trc_free(d->key);
        trc_free(d->message);
    }
    trc_free(diags->items);
    truce_diags_init(diags);
}

truce_status truce_diags_add(truce_diags *diags, truce_diag_level level, const char *file,
                             long line, const char *item, const char *key, const char *fmt, ...)
{
    if (diags->count == diags->capacity) {
        size_t cap = diags->capacity ? diags->capacity * 2 : 8;
        truce_diag *items = trc_realloc(diags->items, cap * sizeof *items);
        if (!items)
            return TRUCE_E_NOMEM;
        diags->items = items;
        diags->capacity = cap;
    }
    truce_diag d = {.level = level, .line = line};
    va_list ap;
    va_start(ap, fmt);
    d.message = truce_vasprintf(fmt, ap);
    va_end(ap);
    d.file = file ? truce_strdup(file) : NULL;
    d.item = item ? truce_strdup(item) : NULL;
    d.key = key ? truce_strdup(key) : NULL;
    if (!d.message || (file && !d.file) || (item && !d.item) || (key && !d.key)) {
        trc_free(d.message);
        trc_free(d.file);
        trc_free(d.item);
        trc_free(d.key);
        return TRUCE_E_NOMEM;
    }
    diags->items[diags->count++] = d;
    if (level == TRUCE_DIAG_ERROR)
        diags->errors++;
    return TRUCE_OK;
}

void truce_diag_print(const truce_diag *d, FILE *out)
{
    if (d->file) {
        fputs(d->file, out);
        if (d->line > 0)
            fprintf(out, ":%ld", d->line);
        fputs(": ", out);
    }
    fputs(d->level == TRUCE_DIAG_ERROR ? "error: " : "warning: ", out);
    if (d->item)
        fprintf(out, "%s: ", d->item);
    if (d->key)
        fprintf(out, "%s: ", d->key);
    fputs(d->message, out);
    fputc('\n', out);
}
