/* Judging event files against an agreement in the CLI: the set-up and loop
 * shared by classify and stats (load the agreement, build the classifier,
 * read every file, hand each event with its verdict to a callback).
 *
 * With more than one thread (the default when more than one CPU is online:
 * a thread per CPU) judging runs as a pipeline: the calling thread reads
 * rows, reports rejects and copies accepted events into batches; judging
 * threads, each with its own classifier sharing the indexes, classify
 * batches (and run the `prepare` hook) and hand the results to the
 * callback in input order, one thread at a time; the calling thread judges
 * or delivers a waiting batch itself whenever it would otherwise wait.  The
 * callback sees exactly what it sees with one thread, so output is
 * byte-identical (docs/performance.md, "Classify"). */
#ifndef TRUCE_CLI_JUDGE_H
#define TRUCE_CLI_JUDGE_H

#include <getopt.h>

#include "cli.h"
#include "cli_events.h"
#include "truce/classify.h"

/* The input options both commands take (docs/cli.md). */
typedef struct cli_judge_opts {
    const char *input_format;    /* --input-format */
    const char *rejects;         /* --rejects FILE */
    const char *precision_table; /* --precision-table FILE */
    int quiet;                   /* -q */
    int threads;                 /* --threads N: 0 = by the CPUs online; -1 = invalid */
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

/* A growable text buffer. */
typedef struct cli_text {
    char *p;
    size_t len, cap;
} cli_text;

/* Append n bytes (and keep a NUL after them); 0, or -1 when out of memory. */
int cli_text_put(cli_text *t, const char *s, size_t n);

/* Room for n more bytes and a NUL: where they go (t->p + t->len; the caller
 * writes them and advances t->len), or NULL when out of memory.  May move
 * t->p. */
char *cli_text_room(cli_text *t, size_t n);

/* Text made from a verdict on the judging thread, appended to `out` and
 * handed to the callback with the event.  It runs on the judging thread, so
 * it may only read `ctx` (and what that points to), never write it.
 * Returns EXIT_OK, or EXIT_FAILURE_ when out of memory. */
typedef int (*cli_prepare_fn)(const void *ctx, const truce_event *event,
                              const truce_verdict *verdict, cli_text *out);

/* Called for every event in input order, one call at a time (never two at
 * once), on the calling thread or a judging thread: it may use `ctx` freely
 * but nothing the reading loop uses meanwhile.  `text` is what `prepare`
 * appended (NULL without a prepare hook).  Returns EXIT_OK to go on, or an
 * exit code that stops reading the file. */
typedef int (*cli_verdict_fn)(void *ctx, const truce_event *event, const truce_verdict *verdict,
                              const char *text);

typedef struct cli_pipeline cli_pipeline;

typedef struct cli_judge {
    const char *sub;
    truce_agreement *agreement;
    truce_classifier *classifier; /* the calling thread's (judging threads share its indexes) */
    truce_precision_table table;
    truce_reader_options ropt;
    cli_output rejects; /* --rejects FILE, or not open */
    int threads;        /* in all: 1, or the reading thread and threads - 1 judging threads */
    cli_input_totals totals;
    uint64_t verdicts[3]; /* by truce_violation */
    cli_prepare_fn prepare;
    cli_verdict_fn fn;
    void *ctx;
    cli_text text;      /* prepare's output with one thread */
    cli_pipeline *pipe; /* NULL with one thread */
} cli_judge;

/* Load the agreement and set up; returns an exit status (EXIT_OK to go on).
 * Call cli_judge_close in every case. */
int cli_judge_open(cli_judge *j, const char *sub, const char *agreement_path,
                   const cli_judge_opts *o);

/* Read and judge every file; returns the worst exit status.  `prepare` may
 * be NULL. */
int cli_judge_run(cli_judge *j, char **files, int nfiles, int quiet, cli_prepare_fn prepare,
                  cli_verdict_fn fn, void *ctx);

/* Print the summary line to stderr, keep the rejects file when `status`
 * says the command went through (cli_output_complete) and free everything;
 * returns `status` made worse by a failure to write the rejects file. */
int cli_judge_close(cli_judge *j, int status);

#endif
