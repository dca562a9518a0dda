/* Helpers shared by the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "truce/agreement.h"
#include "truce/borders.h"
#include "truce/event.h"
#include "truce/output.h"
#include "truce/store.h"
#include "truce/track.h"

void cli_error(const char *sub, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "truce %s: ", sub);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_exit_for(truce_status status)
{
    switch (status) {
    case TRUCE_OK:
        return EXIT_OK;
    case TRUCE_E_IO:
        return EXIT_IO;
    case TRUCE_E_ARG:
        return EXIT_USAGE;
    case TRUCE_E_PARSE:
    case TRUCE_E_INVALID:
    case TRUCE_E_RANGE:
    case TRUCE_E_TZ_UNKNOWN:
    case TRUCE_E_TIME_GAP:
    case TRUCE_E_GEOMETRY:
    case TRUCE_E_NOT_FOUND:
    case TRUCE_E_UNSUPPORTED:
        return EXIT_BADINPUT;
    default:
        return EXIT_FAILURE_;
    }
}

int cli_open_output(const char *sub, const char *path, cli_output *out)
{
    *out = (cli_output){sub, NULL, stdout, NULL};
    if (!path || !strcmp(path, "-"))
        return EXIT_OK;
    out->path = path;
    out->f = NULL;
    truce_status st = truce_output_open(path, &out->file);
    if (st) {
        cli_error(sub, "%s: %s", path, st == TRUCE_E_IO ? strerror(errno) : truce_strerror(st));
        return cli_exit_for(st);
    }
    out->f = truce_output_stream(out->file);
    return EXIT_OK;
}

int cli_close_output(cli_output *out, int complete)
{
    if (!out->f)
        return EXIT_OK;
    int failed;
    truce_status st = TRUCE_OK;
    if (!out->file) {
        failed = fflush(out->f) != 0 || ferror(out->f);
    } else if (complete) {
        failed = (st = truce_output_commit(out->file)) != TRUCE_OK;
    } else {
        failed = ferror(out->f);
        truce_output_abort(out->file);
    }
    int e = errno;
    const char *name = out->path ? out->path : "stdout";
    out->f = NULL;
    out->file = NULL;
    if (st == TRUCE_E_NOMEM) {
        cli_error(out->sub, "%s: %s", name, truce_strerror(st));
        return EXIT_FAILURE_;
    }
    if (failed) {
        cli_error(out->sub, "%s: write failed: %s", name, strerror(e));
        return EXIT_IO;
    }
    return EXIT_OK;
}

int cli_output_complete(int status)
{
    return status == EXIT_OK || status == EXIT_BADINPUT;
}

void cli_print_diags(const char *sub, const truce_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        fprintf(stderr, "truce %s: ", sub);
        truce_diag_print(&d->items[i], stderr);
    }
}

int cli_open_store(const char *sub, const char *where, truce_store **out)
{
    char why[256];
    truce_status st = truce_store_open(where, out, why, sizeof why);
    if (st) {
        cli_error(sub, "%s: %s", where, why);
        return st == TRUCE_E_NOMEM ? EXIT_FAILURE_ : EXIT_IO;
    }
    return EXIT_OK;
}

int cli_load_agreement(const char *sub, const char *path, truce_agreement **out)
{
    truce_diags diags;
    truce_diags_init(&diags);
    truce_status st = truce_agreement_load(path, out, &diags);
    for (size_t i = 0; i < diags.count; i++)
        truce_diag_print(&diags.items[i], stderr);
    if (st != TRUCE_OK) {
        if (diags.errors > 1)
            cli_error(sub, "%s: %s (%zu errors)", path, truce_strerror(st), diags.errors);
        else
            cli_error(sub, "%s: %s", path, truce_strerror(st));
    }
    truce_diags_release(&diags);
    return cli_exit_for(st);
}

int cli_load_gpx(const char *sub, const char *path, const truce_gpx_options *opt, truce_gpx **out)
{
    truce_diags diags;
    truce_diags_init(&diags);
    *out = NULL;
    truce_status st = truce_gpx_load(path, opt, out, &diags);
    for (size_t i = 0; i < diags.count; i++)
        truce_diag_print(&diags.items[i], stderr);
    size_t errors = diags.errors;
    truce_diags_release(&diags);
    if (st != TRUCE_OK && !errors)
        cli_error(sub, "%s: %s", path, truce_strerror(st));
    if (st != TRUCE_OK)
        return cli_exit_for(st);
    return errors ? EXIT_BADINPUT : EXIT_OK;
}

/* borders.geojson in the agreement's directory, when it is there: a new
 * string, or NULL. */
static char *borders_beside(const char *agreement)
{
    const char *slash = strrchr(agreement, '/');
    size_t dir = slash ? (size_t)(slash - agreement) + 1 : 0;
    char *p = malloc(dir + sizeof "borders.geojson");
    if (!p)
        return NULL;
    memcpy(p, agreement, dir);
    memcpy(p + dir, "borders.geojson", sizeof "borders.geojson");
    if (access(p, R_OK) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

int cli_load_borders(const char *sub, const char *agreement, const char *path, int none,
                     truce_borders **out)
{
    *out = NULL;
    char *beside = path || none ? NULL : borders_beside(agreement);
    const char *file = none ? NULL : path ? path : beside;
    int status = EXIT_OK;
    if (file) {
        truce_diags diags;
        truce_diags_init(&diags);
        truce_status st = truce_borders_load(file, out, &diags);
        cli_print_diags(sub, &diags);
        truce_diags_release(&diags);
        if (st) {
            cli_error(sub, "%s: %s", file, truce_strerror(st));
            status = cli_exit_for(st);
        }
    }
    free(beside);
    return status;
}
