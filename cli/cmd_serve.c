/* truce serve: the live monitoring service (docs/server.md).  Options, the
 * agreement and the store; server/ does the rest. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../server/server.h"
#include "cli.h"
#include "truce/agreement.h"
#include "truce/store.h"
#include "truce/webhook.h"

static const char *const SUB = "serve";

static const char *const usage_text =
    "usage: truce serve [options] AGREEMENT\n"
    "       truce serve --routes\n"
    "\n"
    "Serve the agreement over HTTP: reports come in, are judged on arrival\n"
    "against the agreement, stored, and reviewed by the parties (docs/server.md).\n"
    "Every request but GET /healthz carries \"Authorization: Bearer TOKEN\", a\n"
    "token made with truce token add.  A report is on disk before its 2xx answer.\n"
    "One JSON line per request goes to stderr (method, path, status, duration,\n"
    "role; never a token or a body).  SIGTERM or SIGINT stops it: the requests\n"
    "in flight finish, then the store is closed.\n"
    "\n"
    "The agreement is versioned in the store: AGREEMENT is stored as a new\n"
    "version when its text is not stored yet, and the latest stored version is\n"
    "served (PUT /api/v1/agreement stores another and judges the stored events\n"
    "again).  Under /ogc the events, the agreement's layers and the patrol\n"
    "tracks are OGC API - Features collections, for QGIS and GDAL.\n"
    "\n"
    "options:\n"
    "      --db FILE           the store (default truce.db; created when missing),\n"
    "                          or a PostgreSQL database: postgresql://USER@HOST/DB\n"
    "                          or libpq key=value words (password from PGPASSWORD\n"
    "                          or ~/.pgpass; several processes may share it)\n"
    "      --listen HOST:PORT  where to listen (default 127.0.0.1:8080; port 0: any\n"
    "                          free port, named in the first log line)\n"
    "      --max-body BYTES    the largest request body (default 1048576): 413 beyond\n"
    "      --max-import BYTES  the largest body of POST /api/v1/imports (default\n"
    "                          268435456), spooled to a temporary file beside the\n"
    "                          store (PostgreSQL: in $TMPDIR) as it arrives: 413\n"
    "                          beyond\n"
    "      --threads N         request threads (default 4)\n"
    "      --tls-cert FILE     serve HTTPS with this PEM certificate (chain)...\n"
    "      --tls-key FILE      ...and its PEM private key (both or neither)\n"
    "      --timeout SECONDS   close a connection idle this long, and cut off a\n"
    "                          request body that takes longer (default 30)\n"
    "      --max-connections N connections at once (default 256); more are closed\n"
    "                          at once, unanswered\n"
    "      --rate N/s          requests a second per token (or N/min a minute;\n"
    "                          default 0: no limit); more get 429 with Retry-After\n"
    "      --burst N           requests a token may make at once (default N of\n"
    "                          --rate)\n"
    "      --max-streams N     GET /api/v1/stream connections at once (default 64);\n"
    "                          more get 503\n"
    "      --webhook-retry SECONDS  a webhook delivery's first retry comes this long\n"
    "                          after a failure (default 10; a decimal); later ones\n"
    "                          double up to 360 times it, and a delivery is given\n"
    "                          up 8640 times it after it was queued (an hour and a\n"
    "                          day at 10 s).  Shorter only for tests.\n"
    "      --routes            list the routes it answers (METHOD PATH) and exit;\n"
    "                          GET /api/v1/openapi.json describes each\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 stopped by a signal, 1 failure, 2 usage, 3 invalid\n"
    "agreement, 4 I/O (the store, a --tls file cannot be read, the address is\n"
    "taken)\n";

/* The whole of a (small) file, NUL-terminated, or NULL with errno. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t len = 0, cap = 0, n;
    do {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *p = realloc(text, cap);
            if (!p) {
                free(text);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            text = p;
        }
        n = fread(text + len, 1, 4096, f);
        len += n;
    } while (n == 4096);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(text);
        errno = EIO;
        return NULL;
    }
    text[len] = '\0';
    return text;
}

/* --rate: "N/s" or "N/min" (N >= 0) as requests a second, and N. */
static int parse_rate(const char *arg, double *per_second, long *n)
{
    const char *slash = strchr(arg, '/');
    char num[32];
    if (!slash || (size_t)(slash - arg) >= sizeof num)
        return -1;
    memcpy(num, arg, (size_t)(slash - arg));
    num[slash - arg] = '\0';
    if (cli_parse_long(num, 0, 1000000, n))
        return -1;
    if (!strcmp(slash, "/s"))
        *per_second = (double)*n;
    else if (!strcmp(slash, "/min"))
        *per_second = (double)*n / 60;
    else
        return -1;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                             {"listen", required_argument, NULL, 'l'},
                                             {"max-body", required_argument, NULL, 'm'},
                                             {"threads", required_argument, NULL, 't'},
                                             {"tls-cert", required_argument, NULL, 'c'},
                                             {"tls-key", required_argument, NULL, 'k'},
                                             {"timeout", required_argument, NULL, 'T'},
                                             {"max-connections", required_argument, NULL, 'C'},
                                             {"rate", required_argument, NULL, 'r'},
                                             {"burst", required_argument, NULL, 'b'},
                                             {"max-import", required_argument, NULL, 'i'},
                                             {"max-streams", required_argument, NULL, 'S'},
                                             {"webhook-retry", required_argument, NULL, 'W'},
                                             {"routes", no_argument, NULL, 'R'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *db = "truce.db";
    const char *cert_path = NULL, *key_path = NULL;
    long rate_n = 0, burst = 0;
    srv_config cfg = {.listen = "127.0.0.1:8080",
                      .max_body = 1048576,
                      .max_import = (size_t)256 << 20,
                      .threads = 4,
                      .timeout = 30,
                      .max_connections = 256,
                      .max_streams = 64,
                      .webhook_retry_s = TRUCE_WEBHOOK_RETRY_S};
    long n;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd':
            db = optarg;
            break;
        case 'l':
            cfg.listen = optarg;
            break;
        case 'm':
            if (cli_parse_long(optarg, 1, LONG_MAX, &n)) {
                cli_error(SUB, "--max-body: expected a number of bytes >= 1, found '%s'", optarg);
                return EXIT_USAGE;
            }
            cfg.max_body = (size_t)n;
            break;
        case 'i':
            if (cli_parse_long(optarg, 1, LONG_MAX, &n)) {
                cli_error(SUB, "--max-import: expected a number of bytes >= 1, found '%s'", optarg);
                return EXIT_USAGE;
            }
            cfg.max_import = (size_t)n;
            break;
        case 't':
            if (cli_parse_long(optarg, 1, 256, &n)) {
                cli_error(SUB, "--threads: expected a number in [1, 256], found '%s'", optarg);
                return EXIT_USAGE;
            }
            cfg.threads = (unsigned)n;
            break;
        case 'c':
            cert_path = optarg;
            break;
        case 'k':
            key_path = optarg;
            break;
        case 'T':
            if (cli_parse_long(optarg, 1, 86400, &n)) {
                cli_error(SUB, "--timeout: expected seconds in [1, 86400], found '%s'", optarg);
                return EXIT_USAGE;
            }
            cfg.timeout = (unsigned)n;
            break;
        case 'C':
            if (cli_parse_long(optarg, 1, 1000000, &n)) {
                cli_error(SUB, "--max-connections: expected a number >= 1, found '%s'", optarg);
                return EXIT_USAGE;
            }
            cfg.max_connections = (unsigned)n;
            break;
        case 'r':
            if (parse_rate(optarg, &cfg.rate, &rate_n)) {
                cli_error(SUB, "--rate: expected N/s or N/min, found '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'b':
            if (cli_parse_long(optarg, 1, 1000000, &burst)) {
                cli_error(SUB, "--burst: expected a number >= 1, found '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'S':
            if (cli_parse_long(optarg, 1, 100000, &n)) {
                cli_error(SUB, "--max-streams: expected a number >= 1, found '%s'", optarg);
                return EXIT_USAGE;
            }
            cfg.max_streams = (unsigned)n;
            break;
        case 'W': {
            char *end;
            double v = strtod(optarg, &end);
            if (end == optarg || *end || !(v >= 0.001 && v <= 86400)) {
                cli_error(SUB, "--webhook-retry: expected seconds in [0.001, 86400], found '%s'",
                          optarg);
                return EXIT_USAGE;
            }
            cfg.webhook_retry_s = v;
            break;
        }
        case 'R':
            srv_routes_write(stdout);
            return EXIT_OK;
        default:
            return cli_help_or_usage(opt, usage_text);
        }
    }
    if (cli_operands(SUB, usage_text, argc, 1, 1, NULL))
        return EXIT_USAGE;
    if (!cert_path != !key_path)
        return cli_usage_error(SUB, usage_text, "--tls-cert and --tls-key go together");
    cfg.burst = (unsigned)(burst ? burst : rate_n > 0 ? rate_n : 1);
    int status = EXIT_OK;
    char *cert = NULL, *key = NULL;
    if (cert_path && (!(cert = slurp(cert_path)) || !(key = slurp(key_path)))) {
        cli_error(SUB, "%s %s: %s", cert ? "--tls-key" : "--tls-cert", cert ? key_path : cert_path,
                  strerror(errno));
        free(cert);
        return EXIT_IO;
    }
    cfg.tls_cert = cert;
    cfg.tls_key = key;
    truce_agreement *agreement;
    status = cli_load_agreement(SUB, argv[optind], &agreement);
    if (status != EXIT_OK)
        goto done;
    truce_store *store;
    status = cli_open_store(SUB, db, &store);
    if (status == EXIT_OK) {
        cfg.agreement = agreement;
        cfg.store = store;
        /* Imports spool beside a SQLite store: the disk that must hold it
         * anyway; for a PostgreSQL store (a URI or key=value string), in
         * $TMPDIR or /tmp. */
        int remote = !strncmp(db, "postgres", 8) || (strncmp(db, "sqlite:", 7) && strchr(db, '='));
        const char *tmpdir = getenv("TMPDIR");
        char *dir = strdup(remote                      ? (tmpdir && *tmpdir ? tmpdir : "/tmp")
                           : strncmp(db, "sqlite:", 7) ? db
                                                       : db + 7);
        const char *slash = dir && !remote ? strrchr(dir, '/') : NULL;
        if (dir && slash)
            dir[slash == dir ? 1 : slash - dir] = '\0';
        cfg.spool_dir = !dir ? NULL : slash || remote ? dir : ".";
        status = srv_run(&cfg);
        free(dir);
        truce_store_free(store);
    }
    truce_agreement_free(agreement);
done:
    free(cert);
    free(key);
    return status;
}
