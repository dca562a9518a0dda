/* Judging event files against an agreement in the CLI: the set-up and loop
 * shared by classify and stats (load the agreement, build the classifier,
 * read every file, hand each event with its verdict to a callback). */
#ifndef TRUCE_CLI_JUDGE_H
#define TRUCE_CLI_JUDGE_H

#include <getopt.h>

#include "cli_events.h"
#include "truce/classify.h"

/* The input options both commands take (docs/cli.md). */
typedef struct cli_judge_opts {
    const char *input_format;    /* --input-format */
    const char *rejects;         /* --rejects FILE */
    const char *precision_table; /* --precision-table FILE */
    int quiet;                   /* -q */
} cli_judge_opts;

/* getopt_long entries for the options above (codes 0x100..0x102 and 'q'),
 * and the help text that documents them. */
#define CLI_JUDGE_LONGOPTS                                                                         \
    {"input-format", required_argument, NULL, 0x100}, {"rejects", required_argument, NULL, 0x101}, \
        {"precision-table", required_argument, NULL, 0x102},                                       \
    {                                                                                              \
        "quiet", no_argument, NULL, 'q'                                                            \
    }
#define CLI_JUDGE_HELP                                                                             \
    "  --input-format NAME     read EVENTS as acled, ucdp, geojson or jsonl\n"                     \
    "                          (default: detected from each file's content)\n"                     \
    "  --rejects FILE          copy rejected rows to FILE verbatim\n"                              \
    "  --precision-table FILE  location precision -> uncertainty radius (JSON)\n"                  \
    "  -q, --quiet             do not list rejected rows\n"

/* Take one getopt result; returns 1 when it was one of ours. */
int cli_judge_option(cli_judge_opts *o, int opt, const char *arg);

typedef int (*cli_verdict_fn)(void *ctx, const truce_event *event, const truce_verdict *verdict);

typedef struct cli_judge {
    const char *sub;
    truce_agreement *agreement;
    truce_classifier *classifier;
    truce_precision_table table;
    truce_reader_options ropt;
    FILE *rejects;
    const char *rejects_path;
    cli_input_totals totals;
    uint64_t verdicts[3]; /* by truce_violation */
    cli_verdict_fn fn;
    void *ctx;
} cli_judge;

/* Load the agreement and set up; returns an exit status (EXIT_OK to go on).
 * Call cli_judge_close in every case. */
int cli_judge_open(cli_judge *j, const char *sub, const char *agreement_path,
                   const cli_judge_opts *o);

/* Read and judge every file; returns the worst exit status. */
int cli_judge_run(cli_judge *j, char **files, int nfiles, int quiet, cli_verdict_fn fn, void *ctx);

/* Print the summary line to stderr and free everything; returns `status`
 * made worse by a failure to write the rejects file. */
int cli_judge_close(cli_judge *j, int status);

#endif
