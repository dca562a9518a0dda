/* truce events: read event files, check every row, write normalised events. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_events.h"
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
          "  --agreement FILE        take the time zone from an agreement file, and the\n"
          "                          places a sighting's observer_place may name\n"
          "  --precision-table FILE  location precision -> uncertainty radius (JSON)\n"
          "  --property FIELD=NAME   GeoJSON: read schema FIELD from property NAME\n"
          "                          (repeatable)\n"
          "  --max-row-bytes N       reject rows longer than N bytes (default 1048576,\n"
          "                          8388608 for JSON Lines)\n"
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

/* Write one accepted event (the cli_read_event_file callback). */
static int write_event(void *ctx, const truce_event *event)
{
    truce_status ws = truce_event_write(ctx, event);
    if (ws) {
        cli_error(SUB, "writing events: %s", truce_strerror(ws));
        return EXIT_IO;
    }
    return EXIT_OK;
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
    cli_output out = {0}, rejects = {0};
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
        if ((status = cli_load_agreement(SUB, o.agreement, &agreement)) != EXIT_OK)
            goto done;
    }
    if (o.precision_table) {
        truce_status st = truce_precision_table_load(o.precision_table, &table, &diags);
        if (st) {
            cli_print_diags(SUB, &diags);
            if (!diags.errors)
                cli_error(SUB, "%s: %s", o.precision_table, truce_strerror(st));
            status = cli_exit_for(st);
            goto done;
        }
    }
    if ((status = cli_open_output(SUB, o.output, &out)) != EXIT_OK)
        goto done;
    setvbuf(out.f, outbuf, _IOFBF, sizeof outbuf);
    if (o.rejects && (status = cli_open_output(SUB, o.rejects, &rejects)) != EXIT_OK)
        goto done;
    truce_status ws = truce_event_writer_new(out.f, o.output_kind, &w);
    if (ws) {
        cli_error(SUB, "%s", truce_strerror(ws));
        status = cli_exit_for(ws);
        goto done;
    }
    truce_reader_options ropt;
    truce_reader_options_init(&ropt);
    ropt.format = o.format;
    ropt.tz = agreement ? agreement->tz : tz;
    if (agreement) {
        ropt.places = agreement->places;
        ropt.nplaces = agreement->nplaces;
    }
    ropt.precision = &table;
    ropt.geojson_properties = o.properties;
    ropt.max_row_bytes = o.max_row_bytes;
    ropt.check_ids = !o.no_id_check;
    cli_input_totals t = {0, 0, 0};
    cli_input in = {SUB, &ropt, rejects.f, o.quiet, o.nfiles, 1, NULL, NULL};
    for (int i = 0; i < o.nfiles; i++) {
        int s = cli_read_event_file(&in, o.files[i], write_event, w, &t);
        status = cli_worse(status, s);
        if (s == EXIT_USAGE || s == EXIT_FAILURE_)
            break;
    }
    fprintf(stderr, "truce events: read %llu, accepted %llu, rejected %llu\n",
            (unsigned long long)t.read, (unsigned long long)t.accepted,
            (unsigned long long)t.rejected);

done:
    if (w && truce_event_writer_free(w) != TRUCE_OK)
        status = cli_worse(status, EXIT_IO);
    int complete = cli_output_complete(status);
    status = cli_worse(status, cli_close_output(&out, complete));
    status = cli_worse(status, cli_close_output(&rejects, complete));
    if (agreement)
        truce_agreement_free(agreement);
    if (tz)
        truce_tz_free(tz);
    truce_diags_release(&diags);
    free(o.properties);
    return status;
}
