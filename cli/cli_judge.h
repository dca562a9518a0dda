/* Judging event files against an agreement in the CLI: the set-up and loop
 * shared by classify, stats, report, map and timeline (load the agreement,
 * read every file, push each event into a judge, truce_judge in judge.h,
 * which hands it back with its verdict in input order).  The threads, the
 * batching and the ordering are the library's (judge.h says which thread
 * calls what); this file only turns options into its options and its
 * failures into exit statuses. */
#ifndef TRUCE_CLI_JUDGE_H
#define TRUCE_CLI_JUDGE_H

#include <getopt.h>

#include "cli.h"
#include "cli_events.h"
#include "truce/aid.h"
#include "truce/classify.h"
#include "truce/judge.h"

/* The input options both commands take (docs/cli.md). */
typedef struct cli_judge_opts {
    const char *input_format;    /* --input-format */
    const char *rejects;         /* --rejects FILE */
    const char *precision_table; /* --precision-table FILE */
    int quiet;                   /* -q */
    int threads;                 /* --threads N: 0 = by the CPUs online; -1 = invalid */
    /* Link responses within this window (seconds) and distance (metres);
     * 0: no linking (only classify links). */
    double response_window_s, response_distance_m;
    /* --dedup (stats, report): a first pass groups the reports into
     * incidents (truce/dedup.h) and only each incident's representative is
     * judged and counted.  Not with stdin. */
    int dedup;
} cli_judge_opts;

/* getopt_long entries for the options above (codes 0x100..0x103 and 'q'),
 * and the help text that documents them. */
#define CLI_JUDGE_LONGOPTS                                                                         \
    {"input-format", required_argument, NULL, 0x100}, {"rejects", required_argument, NULL, 0x101}, \
        {"precision-table", required_argument, NULL, 0x102},                                       \
        {"threads", required_argument, NULL, 0x103},                                               \
    {                                                                                              \
        "quiet", no_argument, NULL, 'q'                                                            \
    }
#define CLI_JUDGE_HELP                                                                             \
    "  --input-format NAME     read EVENTS as acled, ucdp, geojson or jsonl\n"                     \
    "                          (default: detected from each file's content)\n"                     \
    "  --rejects FILE          copy rejected rows to FILE verbatim\n"                              \
    "  --precision-table FILE  location precision -> uncertainty radius (JSON)\n"                  \
    "  --threads N             1: read and judge on one thread; N: read on one and\n"              \
    "                          judge on N - 1 more (default: one per online CPU;\n"                \
    "                          the output is the same)\n"                                          \
    "  -q, --quiet             do not list rejected rows\n"

/* Take one getopt result; returns 1 when it was one of ours. */
int cli_judge_option(cli_judge_opts *o, int opt, const char *arg);

/* Called for every event in input order, one call at a time (never two at
 * once), on the calling thread or a judging thread (judge.h): it may use
 * `ctx` freely but nothing the reading loop uses meanwhile.  judged->text
 * is what the prepare hook appended (NULL without one).  Returns EXIT_OK to
 * go on, or an exit code that stops reading the file. */
typedef int (*cli_verdict_fn)(void *ctx, const truce_judged *judged);

typedef struct cli_judge {
    const char *sub;
    const char *agreement_path;
    truce_agreement *agreement;
    truce_precision_table table;
    truce_reader_options ropt;
    cli_output rejects; /* --rejects FILE, or not open */
    int ready;          /* set up: the summary line is printed */
    cli_judge_opts opts;
    cli_input_totals totals;
    uint64_t verdicts[3]; /* by truce_violation */
    truce_judge *judge;   /* during cli_judge_run */
    cli_verdict_fn fn;
    void *ctx;
    int fn_status;             /* the exit status fn stopped the run with */
    truce_aid *aid;            /* cli_judge_with_aid: aid records and violations go here */
    struct truce_dedup *dedup; /* with opts.dedup, during cli_judge_run */
    size_t seen;               /* events read so far in the judging pass */
} cli_judge;

/* Load the agreement and set up; returns an exit status (EXIT_OK to go on).
 * Call cli_judge_close in every case. */
int cli_judge_open(cli_judge *j, const char *sub, const char *agreement_path,
                   const cli_judge_opts *o);

/* After cli_judge_open: read humanitarian records too (each file's kind
 * detected, or `kind` for every file: TRUCE_AID_NONE detects, and -1 reads
 * events only), adding them and every violation to `aid` (borrowed; the
 * caller finishes and frees it). */
void cli_judge_with_aid(cli_judge *j, truce_aid *aid, int kind);

/* The same with a new accumulator with options `o` (NULL: the defaults)
 * into *out (truce_aid_free), for commands that show the humanitarian
 * provisions beside their own output (stats, report, map).  EXIT_OK, or
 * EXIT_FAILURE_ after "out of memory". */
int cli_judge_aid_new(cli_judge *j, const truce_aid_options *o, int kind, truce_aid **out);

/* Finish the accumulator after cli_judge_run: EXIT_OK with whether any aid
 * record was read in *any (may be NULL), or EXIT_FAILURE_ after a message. */
int cli_judge_aid_finish(cli_judge *j, truce_aid *aid, int *any);

/* Read and judge every file; returns the worst exit status.  `prepare`
 * (may be NULL) runs on the judging threads with `prepare_ctx`, `fn` in
 * input order with `ctx` (judge.h). */
int cli_judge_run(cli_judge *j, char **files, int nfiles, int quiet, truce_judge_prepare_fn prepare,
                  const void *prepare_ctx, cli_verdict_fn fn, void *ctx);

/* Print the summary line to stderr, keep the rejects file when `status`
 * says the command went through (cli_output_complete) and free everything;
 * returns `status` made worse by a failure to write the rejects file. */
int cli_judge_close(cli_judge *j, int status);

#endif
