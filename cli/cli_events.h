/* Reading event files in the CLI: one loop shared by events, classify and
 * stats, so every command reports bad rows, keeps rejects and prints its
 * summary the same way. */
#ifndef TRUCE_CLI_EVENTS_H
#define TRUCE_CLI_EVENTS_H

#include <stdint.h>
#include <stdio.h>

#include "truce/event.h"
#include "truce/reader.h"

typedef struct cli_input_totals {
    uint64_t read, accepted, rejected;
} cli_input_totals;

/* Called for every accepted event; returns EXIT_OK to go on, or an exit code
 * that stops the reading (the code is returned). */
typedef int (*cli_event_fn)(void *ctx, const truce_event *event);

/* Called for every accepted humanitarian record (when in->ropt asks for
 * them, TRUCE_READ_AID); as cli_event_fn. */
typedef int (*cli_aid_fn)(void *ctx, const truce_aid_record *record);

typedef struct cli_input {
    const char *sub;                  /* subcommand, for messages */
    const truce_reader_options *ropt; /* not owned */
    FILE *rejects;                    /* rejected rows verbatim; may be NULL */
    int quiet;                        /* do not list rejected rows */
    int nfiles;                       /* more than one: a summary line per file */
    int progress;                     /* rows-read progress on a terminal stderr */
    cli_aid_fn aid;                   /* for aid records; NULL: ropt asks for none */
    void *aid_ctx;
} cli_input;

/* Read one file ("-" is stdin), calling `fn` for each event (and in->aid
 * for each aid record); bad rows are
 * listed on stderr as FILE:LINE: FIELD: reason and copied to in->rejects.
 * Adds to *t; returns the file's exit status (cli.h). */
int cli_read_event_file(const cli_input *in, const char *path, cli_event_fn fn, void *ctx,
                        cli_input_totals *t);

/* The worse of two exit statuses: usage > failure > I/O > bad input > ok. */
int cli_worse(int a, int b);

#endif
