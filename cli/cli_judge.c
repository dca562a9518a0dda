/* Judging event files in the CLI: see cli_judge.h. */
#include "cli_judge.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_judge_option(cli_judge_opts *o, int opt, const char *arg)
{
    switch (opt) {
    case 0x100:
        o->input_format = arg;
        return 1;
    case 0x101:
        o->rejects = arg;
        return 1;
    case 0x102:
        o->precision_table = arg;
        return 1;
    case 'q':
        o->quiet = 1;
        return 1;
    default:
        return 0;
    }
}

int cli_judge_open(cli_judge *j, const char *sub, const char *agreement_path,
                   const cli_judge_opts *o)
{
    memset(j, 0, sizeof *j);
    j->sub = sub;
    truce_diags diags;
    truce_diags_init(&diags);
    truce_status st = truce_agreement_load(agreement_path, &j->agreement, &diags);
    cli_print_diags(sub, &diags);
    truce_diags_release(&diags);
    if (st)
        return cli_exit_for(st);
    truce_precision_table_default(&j->table);
    if (o->precision_table) {
        st = truce_precision_table_load(o->precision_table, &j->table, &diags);
        cli_print_diags(sub, &diags);
        truce_diags_release(&diags);
        if (st)
            return cli_exit_for(st);
    }
    st = truce_classifier_new(j->agreement, &j->classifier);
    if (st) {
        cli_error(sub, "%s: %s", agreement_path, truce_strerror(st));
        return cli_exit_for(st);
    }
    truce_reader_options_init(&j->ropt);
    j->ropt.format = o->input_format;
    j->ropt.tz = j->agreement->tz;
    j->ropt.precision = &j->table;
    if (o->rejects) {
        j->rejects_path = o->rejects;
        if (!(j->rejects = cli_open_output(sub, o->rejects)))
            return EXIT_IO;
    }
    return EXIT_OK;
}

static int judge_one(void *ctx, const truce_event *event)
{
    cli_judge *j = ctx;
    truce_verdict v;
    truce_status st = truce_classify(j->classifier, event, &v);
    if (st) {
        cli_error(j->sub, "%s:%ld: %s: %s", event->file ? event->file : "<stdin>", event->line,
                  event->id, truce_strerror(st));
        return cli_exit_for(st);
    }
    j->verdicts[v.violation]++;
    return j->fn(j->ctx, event, &v);
}

int cli_judge_run(cli_judge *j, char **files, int nfiles, int quiet, cli_verdict_fn fn, void *ctx)
{
    j->fn = fn;
    j->ctx = ctx;
    cli_input in = {j->sub, &j->ropt, j->rejects, quiet, nfiles, 1};
    int status = EXIT_OK;
    for (int i = 0; i < nfiles; i++) {
        int s = cli_read_event_file(&in, files[i], judge_one, j, &j->totals);
        status = cli_worse(status, s);
        if (s == EXIT_USAGE || s == EXIT_FAILURE_ || s == EXIT_IO)
            break;
    }
    return status;
}

int cli_judge_close(cli_judge *j, int status)
{
    if (j->classifier)
        fprintf(stderr,
                "truce %s: read %llu, accepted %llu, rejected %llu; violations %llu, possible "
                "%llu, none %llu\n",
                j->sub, (unsigned long long)j->totals.read, (unsigned long long)j->totals.accepted,
                (unsigned long long)j->totals.rejected,
                (unsigned long long)j->verdicts[TRUCE_VIOLATION_YES],
                (unsigned long long)j->verdicts[TRUCE_VIOLATION_POSSIBLE],
                (unsigned long long)j->verdicts[TRUCE_VIOLATION_NONE]);
    if (j->rejects && cli_close_output(j->sub, j->rejects, j->rejects_path) != EXIT_OK)
        status = cli_worse(status, EXIT_IO);
    truce_classifier_free(j->classifier);
    truce_agreement_free(j->agreement);
    memset(j, 0, sizeof *j);
    return status;
}
