/* truce — ceasefire monitoring from the command line.
 * The subcommand table is sorted by name; each subcommand is one cmd_<name>.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "truce/version.h"

static const cli_command commands[] = {
    {"aid", "humanitarian provisions: aid reaching places in need, access, returns", cmd_aid},
    {"check", "validate an agreement and summarise it", cmd_check},
    {"classify", "judge events against an agreement: phase, place, verdict", cmd_classify},
    {"corridor", "write the corridors of an agreement as polygons", cmd_corridor},
    {"dedup", "group reports of one incident from several sources into incidents", cmd_dedup},
    {"events", "read, check and normalise event reports", cmd_events},
    {"gen-track", "write a synthetic patrol track along a patrol route (GPX)", cmd_gen_track},
    {"map", "draw an agreement and its events as a map (SVG or PNG)", cmd_map},
    {"measure", "distance, chainage and side of points against a road", cmd_measure},
    {"patrol", "judge GPX tracks against a patrol route: coverage, gaps, offsets", cmd_patrol},
    {"report", "write a self-contained HTML report: map, timeline, stats, violations", cmd_report},
    {"serve", "serve reports over HTTP: judged on arrival, stored, reviewed", cmd_serve},
    {"stats", "is the ceasefire holding: rates, rate ratio, hotspots", cmd_stats},
    {"store", "copy a whole store into a new one; count and checksum a store", cmd_store},
    {"timeline", "draw events per day around the ceasefire (SVG)", cmd_timeline},
    {"token", "add, list and revoke the access tokens of truce serve", cmd_token},
    {"track", "read GPX tracks and summarise them", cmd_track},
};

static void usage(FILE *out)
{
    fputs("usage: truce [--help] [--version] <command> [<args>]\n"
          "\n"
          "truce judges reported events against a ceasefire agreement: where they\n"
          "happened relative to its zones and corridors, before or after the ceasefire,\n"
          "and whether they break a provision.\n"
          "\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "Run 'truce <command> --help' for a command's options.\n"
          "Exit status: 0 ok, 1 failure, 2 usage, 3 invalid input, 4 I/O error.\n",
          out);
}

/* What a run that ends with `status` exits with, once whatever it left on
 * stdout (help, a version, data the command did not check) is flushed: a
 * write that failed there is an I/O error, "truce[ SUB]: stdout: write
 * failed: reason", unless the command failed already and said so. */
static int finish(const char *sub, int status)
{
    int flushed = fflush(stdout) == 0;
    if (flushed && !ferror(stdout))
        return status;
    if (status != EXIT_OK)
        return status;
    fprintf(stderr, "truce%s%s: stdout: write failed%s%s\n", sub ? " " : "", sub ? sub : "",
            flushed ? "" : ": ", flushed ? "" : strerror(errno));
    return EXIT_IO;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        usage(stdout);
        return finish(NULL, EXIT_OK);
    }
    if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
        printf("truce %s\n", truce_version());
        return finish(NULL, EXIT_OK);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(name, commands[i].name))
            return finish(name, commands[i].run(argc - 1, argv + 1));
    fprintf(stderr, "truce: unknown command '%s'\n", name);
    usage(stderr);
    return EXIT_USAGE;
}
