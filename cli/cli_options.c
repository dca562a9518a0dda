/* Command lines: what the subcommands' option parsing shares, written once
 * so that a bad command line gets the same stream and exit code from every
 * command (docs/cli.md). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_help_or_usage(int opt, const char *usage)
{
    if (opt == 'h') {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    fputs(usage, stderr);
    return EXIT_USAGE;
}

int cli_usage_error(const char *sub, const char *usage, const char *why)
{
    if (why)
        cli_error(sub, "%s", why);
    fputs(usage, stderr);
    return EXIT_USAGE;
}

int cli_operands(const char *sub, const char *usage, int argc, int min, int max, const char *why)
{
    int n = argc - optind;
    if (n < min || (max >= 0 && n > max))
        return cli_usage_error(sub, usage, why);
    return EXIT_OK;
}

int cli_parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

int cli_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cli_double_option(const char *sub, const char *name, const char *arg, const char *unit,
                      double lo, double hi, double *out)
{
    if (cli_parse_double(arg, lo, hi, out)) {
        cli_error(sub, "--%s: expected %s in [%.15g, %.15g], found '%s'", name, unit, lo, hi, arg);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int cli_format_option(const char *sub, const char *value, const char *const *names, int *index)
{
    int n = 0;
    while (names[n] && strcmp(names[n], value))
        n++;
    if (names[n]) {
        if (index)
            *index = n;
        return EXIT_OK;
    }
    fprintf(stderr, "truce %s: unknown format '%s' (expected ", sub, value);
    for (int i = 0; i < n; i++)
        fprintf(stderr, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ", names[i]);
    fputs(")\n", stderr);
    return EXIT_USAGE;
}
