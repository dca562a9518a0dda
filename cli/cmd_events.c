/* truce events: read event files, check every row, write normalised events. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "truce/agreement.h"
#include "truce/event.h"
#include "truce/reader.h"
#include "truce/tz.h"

static const char *const SUB = "events";

static void usage(FILE *out)
{
    fputs("usage: truce events [options] FILE...\n"
          "\n"
          "Read event reports (ACLED CSV, UCDP GED CSV, GeoJSON, JSON Lines), check every\n"
          "row, and write the normalised events (docs/events.md).  FILE \"-\" is standard\n"
          "input.  The format is detected from each file's content.\n"
          "\n"
          "options:\n"
          "  --format NAME           read FILEs as NAME: acled, ucdp, geojson or jsonl\n"
          "  --output-format KIND    jsonl (default) or csv\n"
          "  -o, --output FILE       write the events to FILE (default: standard output)\n"
          "  --rejects FILE          copy every rejected row to FILE verbatim (CSV rows\n"
          "                          after their file's header, so FILE reads back in)\n"
          "  --timezone NAME         IANA zone in which reported dates are local days\n"
          "                          (default: UTC)\n"
          "  --agreement FILE        take the time zone from an agreement file\n"
          "  --precision-table FILE  location precision -> uncertainty radius (JSON)\n"
          "  --property FIELD=NAME   GeoJSON: read schema FIELD from property NAME\n"
          "                          (repeatable)\n"
          "  --max-row-bytes N       reject rows longer than N bytes (default 1048576)\n"
          "  --no-id-check           accept repeated ids (memory then stays constant)\n"
          "  -q, --quiet             do not list rejected rows (the summary still prints)\n"
          "  -h, --help              show this help\n"
          "\n"
          "Each rejected row is reported on standard error as\n"
          "  FILE:LINE: FIELD: reason\n"
          "and a summary always ends the run:\n"
          "  truce events: read N, accepted A, rejected R\n"
          "\n"
          "Exit status: 0 every row accepted; 3 rows were rejected or an input is not in a\n"
          "known format (the accepted rows are still written); 4 a file could not be read\n"
          "or written; 2 bad command line; 1 any other failure.\n",
          out);
}

typedef struct opts {
    const char *format;
    truce_event_output output_kind;
    const char *output;
    const char *rejects;
    const char *timezone;
    const char *agreement;
    const char *precision_table;
    const char **properties; /* NULL-terminated */
    size_t nproperties;
    size_t max_row_bytes;
    int no_id_check;
    int quiet;
    char **files;
    int nfiles;
} opts;

/* Worst exit status so far: I/O beats bad input beats success. */
static void worse(int *status, int code)
{
    static const int rank[] = {
        [EXIT_OK] = 0, [EXIT_BADINPUT] = 1, [EXIT_IO] = 2, [EXIT_FAILURE_] = 3, [EXIT_USAGE] = 4};
    if (rank[code] > rank[*status])
        *status = code;
}

static int parse_args(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    o->properties = calloc((size_t)argc + 1, sizeof *o->properties);
    if (!o->properties)
        return EXIT_FAILURE_;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKES(name)                                                                                \
    (!strcmp(a, name) && (val ? 1 : (cli_error(SUB, "%s needs a value", name), 0)) && ++i)
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return -1;
        } else if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (TAKES("--format")) {
            o->format = val;
        } else if (TAKES("--output-format")) {
            if (!strcmp(val, "jsonl")) {
                o->output_kind = TRUCE_OUTPUT_JSONL;
            } else if (!strcmp(val, "csv")) {
                o->output_kind = TRUCE_OUTPUT_CSV;
            } else {
                cli_error(SUB, "--output-format: \"%s\" is not jsonl or csv", val);
                return EXIT_USAGE;
            }
        } else if (TAKES("-o") || TAKES("--output")) {
            o->output = val;
        } else if (TAKES("--rejects")) {
            o->rejects = val;
        } else if (TAKES("--timezone")) {
            o->timezone = val;
        } else if (TAKES("--agreement")) {
            o->agreement = val;
        } else if (TAKES("--precision-table")) {
            o->precision_table = val;
        } else if (TAKES("--property")) {
            o->properties[o->nproperties++] = val;
        } else if (TAKES("--max-row-bytes")) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(val, &end, 10);
            if (errno || *end || n < 64 || n > (1ull << 30)) {
                cli_error(SUB, "--max-row-bytes: \"%s\" is not a number in [64, 2^30]", val);
                return EXIT_USAGE;
            }
            o->max_row_bytes = (size_t)n;
        } else if (!strcmp(a, "--no-id-check")) {
            o->no_id_check = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            if (!val &&
                (!strcmp(a, "--format") || !strcmp(a, "--output-format") || !strcmp(a, "-o") ||
                 !strcmp(a, "--output") || !strcmp(a, "--rejects") || !strcmp(a, "--timezone") ||
                 !strcmp(a, "--agreement") || !strcmp(a, "--precision-table") ||
                 !strcmp(a, "--property") || !strcmp(a, "--max-row-bytes")))
                return EXIT_USAGE; /* TAKES printed why */
            cli_error(SUB, "unknown option %s (see --help)", a);
            return EXIT_USAGE;
        } else {
            break;
        }
#undef TAKES
    }
    o->files = argv + i;
    o->nfiles = argc - i;
    if (o->nfiles == 0) {
        cli_error(SUB, "no input files (see --help)");
        return EXIT_USAGE;
    }
    if (o->timezone && o->agreement) {
        cli_error(SUB, "give --timezone or --agreement, not both");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static void print_diags(const truce_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        fputs("truce events: ", stderr);
        truce_diag_print(&d->items[i], stderr);
    }
}

typedef struct totals {
    uint64_t read, accepted, rejected;
} totals;

/* Read one file; returns its exit status. */
static int read_one(const opts *o, const char *path, const truce_reader_options *ropt,
                    truce_event_writer *w, FILE *rejects, totals *t)
{
    int is_stdin = !strcmp(path, "-");
    const char *label = is_stdin ? "<stdin>" : path;
    FILE *in = is_stdin ? stdin : fopen(path, "rb");
    if (!in) {
        cli_error(SUB, "%s: %s", path, strerror(errno));
        return EXIT_IO;
    }
    truce_diags diags;
    truce_diags_init(&diags);
    truce_reader *r;
    truce_status st = truce_reader_open(in, label, ropt, &r, &diags);
    if (st) {
        print_diags(&diags);
        if (!diags.count)
            cli_error(SUB, "%s: %s", label, truce_strerror(st));
        truce_diags_release(&diags);
        if (!is_stdin)
            fclose(in);
        return st == TRUCE_E_NOMEM ? EXIT_FAILURE_
               : st == TRUCE_E_ARG ? EXIT_USAGE
                                   : cli_exit_for(st);
    }
    truce_diags_release(&diags);
    int status = EXIT_OK, header_written = 0;
    truce_row row;
    for (;;) {
        st = truce_reader_next(r, &row);
        if (st || row.kind == TRUCE_ROW_END)
            break;
        if (row.kind == TRUCE_ROW_EVENT) {
            truce_status ws = truce_event_write(w, row.event);
            if (ws) {
                cli_error(SUB, "writing events: %s", truce_strerror(ws));
                worse(&status, EXIT_IO);
                break;
            }
            continue;
        }
        worse(&status, EXIT_BADINPUT);
        if (!o->quiet) {
            fprintf(stderr, "%s:%ld: ", label, row.line);
            if (row.field)
                fprintf(stderr, "%s: ", row.field);
            fprintf(stderr, "%s\n", row.reason);
        }
        if (rejects) {
            const char *hdr;
            size_t hlen;
            truce_reader_header(r, &hdr, &hlen);
            if (!header_written && hlen) {
                fwrite(hdr, 1, hlen, rejects);
                if (hdr[hlen - 1] != '\n')
                    fputc('\n', rejects);
            }
            header_written = 1;
            if (row.raw_len) {
                fwrite(row.raw, 1, row.raw_len, rejects);
                if (row.raw[row.raw_len - 1] != '\n')
                    fputc('\n', rejects);
            }
        }
    }
    if (st) {
        if (row.reason)
            fprintf(stderr, "%s:%ld: %s\n", label, row.line, row.reason);
        else
            cli_error(SUB, "%s: %s", label, truce_strerror(st));
        worse(&status, st == TRUCE_E_NOMEM ? EXIT_FAILURE_ : cli_exit_for(st));
    }
    truce_reader_stats stats;
    truce_reader_stats_get(r, &stats);
    if (o->nfiles > 1)
        fprintf(stderr, "truce events: %s: %s: read %llu, accepted %llu, rejected %llu\n", label,
                truce_reader_layout(r), (unsigned long long)stats.read,
                (unsigned long long)stats.accepted, (unsigned long long)stats.rejected);
    t->read += stats.read;
    t->accepted += stats.accepted;
    t->rejected += stats.rejected;
    truce_reader_free(r);
    if (!is_stdin)
        fclose(in);
    return status;
}

int cmd_events(int argc, char **argv)
{
    opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc) {
        free(o.properties);
        return rc < 0 ? EXIT_OK : rc;
    }
    int status = EXIT_OK;
    truce_tz *tz = NULL;
    truce_agreement *agreement = NULL;
    truce_precision_table table;
    truce_precision_table_default(&table);
    truce_diags diags;
    truce_diags_init(&diags);
    FILE *out = NULL, *rejects = NULL;
    truce_event_writer *w = NULL;
    static char outbuf[1 << 20];

    if (o.timezone) {
        truce_status st = truce_tz_open(o.timezone, &tz);
        if (st) {
            cli_error(SUB, "--timezone %s: %s", o.timezone, truce_strerror(st));
            status = st == TRUCE_E_TZ_UNKNOWN ? EXIT_USAGE : cli_exit_for(st);
            goto done;
        }
    }
    if (o.agreement) {
        truce_status st = truce_agreement_load(o.agreement, &agreement, &diags);
        if (st) {
            print_diags(&diags);
            cli_error(SUB, "--agreement %s: %s", o.agreement, truce_strerror(st));
            status = cli_exit_for(st);
            goto done;
        }
    }
    if (o.precision_table) {
        truce_status st = truce_precision_table_load(o.precision_table, &table, &diags);
        if (st) {
            print_diags(&diags);
            status = cli_exit_for(st);
            goto done;
        }
    }
    if (!(out = cli_open_output(SUB, o.output))) {
        status = EXIT_IO;
        goto done;
    }
    setvbuf(out, outbuf, _IOFBF, sizeof outbuf);
    if (o.rejects && !(rejects = cli_open_output(SUB, o.rejects))) {
        status = EXIT_IO;
        goto done;
    }
    if (truce_event_writer_new(out, o.output_kind, &w)) {
        status = EXIT_FAILURE_;
        goto done;
    }
    truce_reader_options ropt;
    truce_reader_options_init(&ropt);
    ropt.format = o.format;
    ropt.tz = agreement ? agreement->tz : tz;
    ropt.precision = &table;
    ropt.geojson_properties = o.properties;
    ropt.max_row_bytes = o.max_row_bytes;
    ropt.check_ids = !o.no_id_check;
    totals t = {0, 0, 0};
    for (int i = 0; i < o.nfiles; i++) {
        int s = read_one(&o, o.files[i], &ropt, w, rejects, &t);
        worse(&status, s);
        if (s == EXIT_USAGE || s == EXIT_FAILURE_)
            break;
    }
    fprintf(stderr, "truce events: read %llu, accepted %llu, rejected %llu\n",
            (unsigned long long)t.read, (unsigned long long)t.accepted,
            (unsigned long long)t.rejected);

done:
    if (w && truce_event_writer_free(w) != TRUCE_OK)
        worse(&status, EXIT_IO);
    if (out && cli_close_output(SUB, out, o.output) != EXIT_OK)
        worse(&status, EXIT_IO);
    if (rejects && cli_close_output(SUB, rejects, o.rejects) != EXIT_OK)
        worse(&status, EXIT_IO);
    if (agreement)
        truce_agreement_free(agreement);
    if (tz)
        truce_tz_free(tz);
    truce_diags_release(&diags);
    free(o.properties);
    return status;
}
