/* The truce command: shared declarations of the subcommands.
 * The CLI uses only the public API in include/truce/. */
#ifndef TRUCE_CLI_H
#define TRUCE_CLI_H

#include <stdio.h>

#include "truce/diag.h"
#include "truce/status.h"

/* Documented exit codes (docs/cli.md). */
enum {
    EXIT_OK = 0,       /* success */
    EXIT_FAILURE_ = 1, /* a failure that is not the input's fault */
    EXIT_USAGE = 2,    /* bad command line */
    EXIT_BADINPUT = 3, /* the input is invalid (errors were printed) */
    EXIT_IO = 4        /* a file could not be read or written */
};

/* One subcommand: `run` gets argv with argv[0] the subcommand's name. */
typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

int cmd_aid(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_corridor(int argc, char **argv);
int cmd_dedup(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_gen_track(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_measure(int argc, char **argv);
int cmd_patrol(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_store(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_track(int argc, char **argv);

/* Print "truce SUB: message" to stderr. */
void cli_error(const char *sub, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Print every diagnostic as "truce SUB: FILE:LINE: error: ..." to stderr. */
void cli_print_diags(const char *sub, const truce_diags *diags);

struct truce_agreement;

/* Load an agreement for subcommand `sub`: every diagnostic goes to stderr
 * (FILE: error: ITEM: KEY: ...), then on failure one line
 * "truce SUB: PATH: reason (N errors)".  Returns the exit code: EXIT_OK with
 * *out set (truce_agreement_free), or the failure's code with *out NULL. */
int cli_load_agreement(const char *sub, const char *path, struct truce_agreement **out);

struct truce_store;

/* Open the store at `where` (truce/store.h) for subcommand `sub`: EXIT_OK
 * with *out set (truce_store_free), or EXIT_IO (EXIT_FAILURE_ when out of
 * memory) after "truce SUB: WHERE: reason". */
int cli_open_store(const char *sub, const char *where, struct truce_store **out);

struct truce_gpx;
struct truce_gpx_options;

/* Read a GPX file for subcommand `sub`: every diagnostic goes to stderr,
 * and a failure that left none (out of memory) as "truce SUB: PATH:
 * reason".  Returns EXIT_OK, or EXIT_BADINPUT when points were rejected but
 * the file was read (*out set in both cases; truce_gpx_free), or the
 * failure's code with *out NULL.  `opt` may be NULL. */
int cli_load_gpx(const char *sub, const char *path, const struct truce_gpx_options *opt,
                 struct truce_gpx **out);

struct truce_borders;

/* Country borders for a map of AGREEMENT: the file `path`, else (unless
 * `none`) borders.geojson beside the agreement when there is one, else
 * none (*out NULL).  Diagnostics go to stderr.  Returns EXIT_OK or the
 * failure's code (*out NULL); free *out with truce_borders_free. */
int cli_load_borders(const char *sub, const char *agreement, const char *path, int none,
                     struct truce_borders **out);

/* The exit code for a library status (see the enum above). */
int cli_exit_for(truce_status status);

struct truce_output;

/* An output a command writes: a file, written atomically (truce/output.h:
 * a temporary file renamed onto the target when complete), or stdout.
 * Fields are set by cli_open_output; a zeroed one is "not open". */
typedef struct cli_output {
    const char *sub;           /* the subcommand, for messages */
    const char *path;          /* the path given; NULL for stdout */
    FILE *f;                   /* write here; NULL when not open */
    struct truce_output *file; /* owned; NULL for stdout */
} cli_output;

/* Open `path` for writing ("-" or NULL: stdout) into *out.  EXIT_OK, or
 * EXIT_IO (EXIT_FAILURE_ when out of memory) after "truce SUB: PATH:
 * reason", with out->f NULL and nothing created. */
int cli_open_output(const char *sub, const char *path, cli_output *out);

/* Close what cli_open_output opened.  When `complete` (the command wrote
 * all it had to write there), the new content replaces the target; else it
 * is abandoned and the target keeps what it had (stdout is flushed either
 * way).  EXIT_IO after "truce SUB: PATH: write failed: reason" when a write
 * failed (then the target is untouched too), EXIT_FAILURE_ after "truce
 * SUB: PATH: out of memory" when memory ran out, else EXIT_OK.  Nothing
 * open: EXIT_OK. */
int cli_close_output(cli_output *out, int complete);

/* Whether a command that ends with `status` has written all of its output,
 * so that its output files may replace what was there: EXIT_OK, or
 * EXIT_BADINPUT (rejected input was reported, everything else written); a
 * bad command line, a failure or an I/O error stop a command short. */
int cli_output_complete(int status);

/* Command lines (cli_options.c).  Each returns the exit code the
 * subcommand returns, EXIT_OK meaning go on. */

/* What a getopt loop does with an option it does not take: -h/--help (opt
 * 'h') prints `usage` on stdout and returns EXIT_OK; anything else (getopt's
 * '?', after getopt's own message) prints `usage` on stderr and returns
 * EXIT_USAGE. */
int cli_help_or_usage(int opt, const char *usage);

/* A bad command line: "truce SUB: WHY" when `why` is not NULL, then
 * `usage`, on stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *sub, const char *usage, const char *why);

/* The operands left after the options, argv[optind..argc-1]: EXIT_OK when
 * there are at least `min` and at most `max` (-1: no limit) of them, else
 * cli_usage_error(sub, usage, why). */
int cli_operands(const char *sub, const char *usage, int argc, int min, int max, const char *why);

/* Whether `s` is, as a whole, a number in [lo, hi] as strtod reads it
 * (leading blanks, a sign, decimal or hexadecimal, "inf"; beyond the range
 * of double it is +-inf, below it rounds toward 0; NaN is in no range):
 * 0 with *out set, else -1 with *out untouched. */
int cli_parse_double(const char *s, double lo, double hi, double *out);

/* The same for a decimal integer as strtol reads it; beyond the range of
 * long it fails. */
int cli_parse_long(const char *s, long lo, long hi, long *out);

/* The value `arg` of option --NAME as cli_parse_double reads it: EXIT_OK
 * with *out set, or EXIT_USAGE after
 * "truce SUB: --NAME: expected UNIT in [LO, HI], found 'ARG'"
 * (LO and HI as %.15g prints them: 0.001, 10000000). */
int cli_double_option(const char *sub, const char *name, const char *arg, const char *unit,
                      double lo, double hi, double *out);

/* Which of `names` (NULL-terminated, at least one) the --format value
 * `value` is: EXIT_OK with *index set (when `index` is not NULL), or
 * EXIT_USAGE after "truce SUB: unknown format 'VALUE' (expected A, B or C)". */
int cli_format_option(const char *sub, const char *value, const char *const *names, int *index);

/* Pictures (cli_picture.c).  Check a --format value (svg or png): EXIT_OK,
 * or EXIT_USAGE after an error naming the value. */
int cli_picture_format_option(const char *sub, const char *value);

/* Whether to write PNG: --format when given, else the output's extension
 * (.png or .PNG); SVG otherwise, and on stdout. */
int cli_picture_is_png(const char *format, const char *output);

/* Write an SVG document as it is, or as a PNG of width x height pixels,
 * to `output` ("-" or NULL: stdout); returns an exit code after printing
 * any error. */
int cli_write_picture(const char *sub, const char *svg, size_t len, int png, double width_px,
                      double height_px, const char *output);

#endif
