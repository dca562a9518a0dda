/* truce store: copy a whole store into a new one, and take a store's
 * census to compare two (truce/store_copy.h). */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "truce/store.h"
#include "truce/store_copy.h"

static const char *const SUB = "store";

static const char *const usage_text =
    "usage: truce store copy FROM TO\n"
    "       truce store checksum STORE\n"
    "\n"
    "copy moves a whole store of truce serve into a new, empty one, nothing\n"
    "lost and every number kept: the access tokens, the agreement versions,\n"
    "the events with every verdict and review in order, the change feed, the\n"
    "idempotency keys with their answers, the tracks, the webhooks with their\n"
    "deliveries and attempts.  FROM is read from one snapshot, so a server may\n"
    "keep running on it; TO must be empty (a file that does not exist yet is\n"
    "created).  Rows are written 10000 to a transaction, with progress on\n"
    "stderr for long tables.  Then TO is read back: the rows per table and two\n"
    "SHA-256 checksums (over the events with their verdict and review\n"
    "histories, and over every row) are printed for both, one line each:\n"
    "\n"
    "  table  FROM  TO\n"
    "\n"
    "and the exit status is 1 when they differ.  A store is a SQLite file (or\n"
    "sqlite:FILE); PostgreSQL locations join with their backend.\n"
    "\n"
    "checksum prints the rows per table and the two checksums of STORE (which\n"
    "must exist), so that two stores can be compared with diff.\n"
    "\n"
    "options:\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 ok, 1 failure (TO is not empty, the copy differs), 2 usage,\n"
    "4 I/O (a store cannot be opened or read, FROM does not exist)\n";

/* A SQLite file that does not exist: truce_store_open would create it. */
static int missing(const char *where)
{
    if (!strncmp(where, "postgres", 8))
        return 0;
    if (!strncmp(where, "sqlite:", 7))
        where += 7;
    struct stat st;
    return stat(where, &st) != 0;
}

static int open_existing(const char *where, truce_store **out)
{
    if (missing(where)) {
        cli_error(SUB, "%s: no such store", where);
        return EXIT_IO;
    }
    return cli_open_store(SUB, where, out);
}

static void hex(const unsigned char d[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* The census of one store (b NULL) or two side by side. */
static void print_census(const truce_store_census *a, const truce_store_census *b)
{
    for (size_t t = 0; t < TRUCE_STORE_TABLES; t++) {
        printf("%s\t%" PRId64, truce_store_table_name(t), a->rows[t]);
        if (b)
            printf("\t%" PRId64, b->rows[t]);
        putchar('\n');
    }
    char x[65], y[65];
    hex(a->history_sha256, x);
    hex(b ? b->history_sha256 : a->history_sha256, y);
    printf("history_sha256\t%s%s%s\n", x, b ? "\t" : "", b ? y : "");
    hex(a->sha256, x);
    hex(b ? b->sha256 : a->sha256, y);
    printf("sha256\t%s%s%s\n", x, b ? "\t" : "", b ? y : "");
}

static void progress(void *ctx, size_t table, int64_t copied, int64_t total)
{
    (void)ctx;
    if (total > TRUCE_STORE_COPY_BATCH_ROWS)
        fprintf(stderr, "truce %s: %s: %" PRId64 " of %" PRId64 " rows\n", SUB,
                truce_store_table_name(table), copied, total);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int copy(const char *from_where, const char *to_where)
{
    truce_store *from = NULL, *to = NULL;
    int status = open_existing(from_where, &from);
    if (status == EXIT_OK)
        status = cli_open_store(SUB, to_where, &to);
    if (status != EXIT_OK) {
        truce_store_free(from);
        return status;
    }
    truce_store_copy_report rep;
    char why[256];
    double t0 = now_s();
    truce_status st = truce_store_copy(from, to, progress, NULL, &rep, why, sizeof why);
    double took = now_s() - t0;
    if (st == TRUCE_OK || st == TRUCE_E_INVALID) {
        puts("table\tfrom\tto");
        print_census(&rep.from, &rep.to);
    }
    if (st) {
        cli_error(SUB, "copy %s to %s: %s", from_where, to_where, why);
        status = st == TRUCE_E_NOMEM || st == TRUCE_E_IO ? EXIT_IO : EXIT_FAILURE_;
    } else {
        int64_t rows = 0;
        for (size_t t = 0; t < TRUCE_STORE_TABLES; t++)
            rows += rep.to.rows[t];
        fprintf(stderr, "truce %s: copied %" PRId64 " rows in %.2f s: counts and checksums equal\n",
                SUB, rows, took);
    }
    truce_store_free(to);
    truce_store_free(from);
    return status;
}

static int checksum(const char *where)
{
    truce_store *s = NULL;
    int status = open_existing(where, &s);
    if (status != EXIT_OK)
        return status;
    truce_store_census c;
    truce_status st = truce_store_census_take(s, &c);
    if (st) {
        cli_error(SUB, "%s: %s", where, truce_strerror(st));
        status = st == TRUCE_E_UNSUPPORTED ? EXIT_FAILURE_ : EXIT_IO;
    } else {
        print_census(&c, NULL);
    }
    truce_store_free(s);
    return status;
}

int cmd_store(int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1)
        return cli_help_or_usage(opt, usage_text);
    if (optind >= argc)
        return cli_usage_error(SUB, usage_text, "expected copy or checksum");
    const char *action = argv[optind++];
    if (!strcmp(action, "copy")) {
        if (cli_operands(SUB, usage_text, argc, 2, 2, "copy: expected FROM and TO"))
            return EXIT_USAGE;
        return copy(argv[optind], argv[optind + 1]);
    }
    if (!strcmp(action, "checksum")) {
        if (cli_operands(SUB, usage_text, argc, 1, 1, "checksum: expected one STORE"))
            return EXIT_USAGE;
        return checksum(argv[optind]);
    }
    return cli_usage_error(SUB, usage_text, "expected copy or checksum");
}
