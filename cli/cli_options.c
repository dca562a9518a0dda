/* Command lines: what the subcommands' option parsing shares, written once
 * so that a bad command line gets the same stream and exit code from every
 * command (docs/cli.md). */
#include <getopt.h>

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
