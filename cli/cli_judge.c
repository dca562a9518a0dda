/* Judging event files in the CLI: see cli_judge.h. */
#include "cli_judge.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "truce/dedup.h"

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
    case 0x103: {
        long n;
        o->threads = cli_parse_long(arg, 1, 1024, &n) ? -1 : (int)n;
        return 1;
    }
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
    j->agreement_path = agreement_path;
    j->opts = *o;
    if (o->threads < 0) {
        cli_error(sub, "--threads: expected a number of threads from 1 to 1024");
        return EXIT_USAGE;
    }
    truce_diags diags;
    truce_diags_init(&diags);
    int loaded = cli_load_agreement(sub, agreement_path, &j->agreement);
    if (loaded != EXIT_OK)
        return loaded;
    truce_status st;
    truce_precision_table_default(&j->table);
    if (o->precision_table) {
        st = truce_precision_table_load(o->precision_table, &j->table, &diags);
        cli_print_diags(sub, &diags);
        truce_diags_release(&diags);
        if (st)
            return cli_exit_for(st);
    }
    j->ready = 1;
    truce_reader_options_init(&j->ropt);
    j->ropt.format = o->input_format;
    j->ropt.tz = j->agreement->tz;
    j->ropt.places = j->agreement->places;
    j->ropt.nplaces = j->agreement->nplaces;
    j->ropt.precision = &j->table;
    if (o->rejects)
        return cli_open_output(sub, o->rejects, &j->rejects);
    return EXIT_OK;
}

void cli_judge_with_aid(cli_judge *j, truce_aid *aid, int kind)
{
    j->aid = aid;
    if (kind < 0) {
        j->ropt.records = TRUCE_READ_EVENTS;
    } else if (kind == TRUCE_AID_NONE) {
        j->ropt.records = TRUCE_READ_EVENTS | TRUCE_READ_AID;
    } else {
        j->ropt.records = TRUCE_READ_AID;
        j->ropt.aid_kind = (truce_aid_kind)kind;
    }
}

int cli_judge_aid_new(cli_judge *j, const truce_aid_options *o, int kind, truce_aid **out)
{
    if (truce_aid_new(j->agreement, o, out) != TRUCE_OK) {
        cli_error(j->sub, "out of memory");
        return EXIT_FAILURE_;
    }
    cli_judge_with_aid(j, *out, kind);
    return EXIT_OK;
}

int cli_judge_aid_finish(cli_judge *j, truce_aid *aid, int *any)
{
    truce_status st = truce_aid_finish(aid);
    if (st) {
        cli_error(j->sub, "%s", truce_strerror(st));
        return EXIT_FAILURE_;
    }
    if (any)
        *any = truce_aid_any(aid);
    return EXIT_OK;
}

/* Aid records go to the accumulator. */
static int add_aid(void *ctx, const truce_aid_record *record)
{
    cli_judge *j = ctx;
    truce_status st = truce_aid_add_record(j->aid, record);
    if (st)
        cli_error(j->sub, "%s", truce_strerror(st));
    return st ? EXIT_FAILURE_ : EXIT_OK;
}

/* The judge's sink: the violations to the aid accumulator, if any, then
 * the command's callback, its exit status kept. */
static truce_status sink(void *ctx, const truce_judged *judged)
{
    cli_judge *j = ctx;
    int rc = EXIT_OK;
    if (j->aid && judged->verdict->violation == TRUCE_VIOLATION_YES &&
        truce_aid_add_violation(j->aid, judged->event) != TRUCE_OK) {
        cli_error(j->sub, "out of memory");
        rc = EXIT_FAILURE_;
    }
    if (rc == EXIT_OK)
        rc = j->fn(j->ctx, judged);
    if (rc == EXIT_OK)
        return TRUCE_OK;
    j->fn_status = rc;
    return TRUCE_E_IO; /* any failure stops the run; fn_status says which */
}

/* The exit status for what truce_judge_flush returned, saying why unless
 * the callback did. */
static int flushed(cli_judge *j, truce_status st)
{
    if (st == TRUCE_OK)
        return EXIT_OK;
    int rc = j->fn_status;
    j->fn_status = EXIT_OK;
    if (rc != EXIT_OK)
        return rc;
    const char *why = truce_judge_failure(j->judge);
    cli_error(j->sub, "%s", *why ? why : truce_strerror(st));
    return st == TRUCE_E_NOMEM ? EXIT_FAILURE_ : cli_exit_for(st);
}

static int judge_one(void *ctx, const truce_event *event)
{
    cli_judge *j = ctx;
    if (j->dedup && !truce_dedup_counts(j->dedup, j->seen++))
        return EXIT_OK; /* told again by another source: its incident counts once */
    /* A failure only stops the reading here: truce_judge_flush returns it
     * again and `flushed` gives its status, never better than this one. */
    return truce_judge_push(j->judge, event) ? EXIT_BADINPUT : EXIT_OK;
}

static int dedup_add(void *ctx, const truce_event *event)
{
    return truce_dedup_add(ctx, event) == TRUCE_OK ? EXIT_OK : EXIT_FAILURE_;
}

/* --dedup's first pass: every file read once (quietly: the judging pass
 * lists the rejected rows) into a dedup, which is run. */
static int dedup_pass(cli_judge *j, char **files, int nfiles)
{
    for (int i = 0; i < nfiles; i++)
        if (!strcmp(files[i], "-")) {
            cli_error(j->sub, "--dedup reads the events twice: give files, not stdin");
            return EXIT_USAGE;
        }
    truce_dedup_options o;
    truce_dedup_options_init(&o);
    truce_status st = truce_dedup_new(&o, &j->dedup);
    /* no summary line per file; aid records are not reports: skipped */
    cli_input in = {j->sub, &j->ropt, NULL, 1, 1, 0, NULL, NULL};
    cli_input_totals t = {0, 0, 0};
    for (int i = 0; i < nfiles && st == TRUCE_OK; i++) {
        int s = cli_read_event_file(&in, files[i], dedup_add, j->dedup, &t);
        if (s == EXIT_USAGE || s == EXIT_FAILURE_ || s == EXIT_IO)
            return s;
    }
    if (st == TRUCE_OK)
        st = truce_dedup_run(j->dedup);
    if (st) {
        cli_error(j->sub, "--dedup: %s", truce_strerror(st));
        return cli_exit_for(st);
    }
    return EXIT_OK;
}

int cli_judge_run(cli_judge *j, char **files, int nfiles, int quiet, truce_judge_prepare_fn prepare,
                  const void *prepare_ctx, cli_verdict_fn fn, void *ctx)
{
    truce_judge_options o;
    truce_judge_options_init(&o);
    o.threads = j->opts.threads;
    o.response_window_s = j->opts.response_window_s;
    o.response_distance_m = j->opts.response_distance_m;
    o.prepare = prepare;
    o.prepare_ctx = prepare_ctx;
    j->fn = fn;
    j->ctx = ctx;
    truce_status st = truce_judge_new(j->agreement, &o, sink, j, &j->judge);
    if (st) {
        cli_error(j->sub, "%s: %s", j->agreement_path, truce_strerror(st));
        return cli_exit_for(st);
    }
    cli_input in = {j->sub, &j->ropt, j->rejects.f, quiet, nfiles, 1, j->aid ? add_aid : NULL, j};
    int status = j->opts.dedup ? dedup_pass(j, files, nfiles) : EXIT_OK;
    for (int i = status == EXIT_OK ? 0 : nfiles; i < nfiles; i++) {
        int s = cli_read_event_file(&in, files[i], judge_one, j, &j->totals);
        s = cli_worse(s, flushed(j, truce_judge_flush(j->judge)));
        status = cli_worse(status, s);
        if (s == EXIT_USAGE || s == EXIT_FAILURE_ || s == EXIT_IO)
            break;
    }
    truce_judge_counts counts;
    truce_judge_counts_get(j->judge, &counts);
    for (int v = 0; v < 3; v++)
        j->verdicts[v] += counts.by_violation[v];
    truce_judge_free(j->judge);
    j->judge = NULL;
    if (j->dedup)
        fprintf(stderr, "truce %s: %zu reports counted as %zu incidents (--dedup)\n", j->sub,
                truce_dedup_reports(j->dedup), truce_dedup_count(j->dedup));
    truce_dedup_free(j->dedup);
    j->dedup = NULL;
    return status;
}

int cli_judge_close(cli_judge *j, int status)
{
    if (j->ready)
        fprintf(stderr,
                "truce %s: read %llu, accepted %llu, rejected %llu; violations %llu, possible "
                "%llu, none %llu\n",
                j->sub, (unsigned long long)j->totals.read, (unsigned long long)j->totals.accepted,
                (unsigned long long)j->totals.rejected,
                (unsigned long long)j->verdicts[TRUCE_VIOLATION_YES],
                (unsigned long long)j->verdicts[TRUCE_VIOLATION_POSSIBLE],
                (unsigned long long)j->verdicts[TRUCE_VIOLATION_NONE]);
    status = cli_worse(status, cli_close_output(&j->rejects, cli_output_complete(status)));
    truce_agreement_free(j->agreement);
    memset(j, 0, sizeof *j);
    return status;
}
