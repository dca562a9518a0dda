/* The CLI's event-reading loop: see cli_events.h. */
#include "cli_events.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int cli_worse(int a, int b)
{
    static const int rank[] = {
        [EXIT_OK] = 0, [EXIT_BADINPUT] = 1, [EXIT_IO] = 2, [EXIT_FAILURE_] = 3, [EXIT_USAGE] = 4};
    return rank[b] > rank[a] ? b : a;
}

/* Copy a rejected row to the rejects file, after its file's header once. */
static void keep_reject(const cli_input *in, const truce_reader *r, const truce_row *row,
                        int *header_written)
{
    const char *hdr;
    size_t hlen;
    truce_reader_header(r, &hdr, &hlen);
    if (!*header_written && hlen) {
        fwrite(hdr, 1, hlen, in->rejects);
        if (hdr[hlen - 1] != '\n')
            fputc('\n', in->rejects);
    }
    *header_written = 1;
    if (row->raw_len) {
        fwrite(row->raw, 1, row->raw_len, in->rejects);
        if (row->raw[row->raw_len - 1] != '\n')
            fputc('\n', in->rejects);
    }
}

int cli_read_event_file(const cli_input *in, const char *path, cli_event_fn fn, void *ctx,
                        cli_input_totals *t)
{
    int is_stdin = !strcmp(path, "-");
    const char *label = is_stdin ? "<stdin>" : path;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        cli_error(in->sub, "%s: %s", path, strerror(errno));
        return EXIT_IO;
    }
    truce_diags diags;
    truce_diags_init(&diags);
    truce_reader *r;
    truce_status st = truce_reader_open(f, label, in->ropt, &r, &diags);
    if (st) {
        cli_print_diags(in->sub, &diags);
        if (!diags.count)
            cli_error(in->sub, "%s: %s", label, truce_strerror(st));
        truce_diags_release(&diags);
        if (!is_stdin)
            fclose(f);
        return st == TRUCE_E_NOMEM ? EXIT_FAILURE_
               : st == TRUCE_E_ARG ? EXIT_USAGE
                                   : cli_exit_for(st);
    }
    truce_diags_release(&diags);
    int status = EXIT_OK, header_written = 0;
    int progress = in->progress && isatty(STDERR_FILENO);
    time_t last = progress ? time(NULL) : 0;
    uint64_t rows = 0;
    truce_row row;
    for (;;) {
        st = truce_reader_next(r, &row);
        if (st || row.kind == TRUCE_ROW_END)
            break;
        if (progress && (++rows & 0xffff) == 0 && time(NULL) != last) {
            last = time(NULL);
            truce_reader_stats rs;
            truce_reader_stats_get(r, &rs);
            fprintf(stderr, "\rtruce %s: %s: %llu rows, %.0f MB", in->sub, label,
                    (unsigned long long)rs.read, (double)rs.bytes / 1e6);
        }
        if (row.kind == TRUCE_ROW_EVENT || row.kind == TRUCE_ROW_AID) {
            int rc = row.kind == TRUCE_ROW_EVENT ? fn(ctx, row.event)
                     : in->aid                   ? in->aid(in->aid_ctx, row.aid)
                                                 : EXIT_OK;
            if (rc != EXIT_OK) {
                status = cli_worse(status, rc);
                break;
            }
            continue;
        }
        status = cli_worse(status, EXIT_BADINPUT);
        if (!in->quiet) {
            fprintf(stderr, "%s:%ld: ", label, row.line);
            if (row.field)
                fprintf(stderr, "%s: ", row.field);
            fprintf(stderr, "%s\n", row.reason);
        }
        if (in->rejects)
            keep_reject(in, r, &row, &header_written);
    }
    if (progress)
        fputs("\r\033[K", stderr);
    if (st) {
        if (row.reason)
            fprintf(stderr, "%s:%ld: %s\n", label, row.line, row.reason);
        else
            cli_error(in->sub, "%s: %s", label, truce_strerror(st));
        status = cli_worse(status, st == TRUCE_E_NOMEM ? EXIT_FAILURE_ : cli_exit_for(st));
    }
    truce_reader_stats stats;
    truce_reader_stats_get(r, &stats);
    if (in->nfiles > 1)
        fprintf(stderr, "truce %s: %s: %s: read %llu, accepted %llu, rejected %llu\n", in->sub,
                label, truce_reader_layout(r), (unsigned long long)stats.read,
                (unsigned long long)stats.accepted, (unsigned long long)stats.rejected);
    t->read += stats.read;
    t->accepted += stats.accepted;
    t->rejected += stats.rejected;
    truce_reader_free(r);
    if (!is_stdin)
        fclose(f);
    return status;
}
