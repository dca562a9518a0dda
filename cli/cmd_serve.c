/* truce serve: the live monitoring service (docs/server.md).  Options, the
 * agreement and the store; server/ does the rest. */
#include <getopt.h>
#include <limits.h>

#include "../server/server.h"
#include "cli.h"
#include "truce/agreement.h"
#include "truce/store.h"

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
    "again).\n"
    "\n"
    "options:\n"
    "      --db FILE           the store (default truce.db; created when missing)\n"
    "      --listen HOST:PORT  where to listen (default 127.0.0.1:8080; port 0: any\n"
    "                          free port, named in the first log line)\n"
    "      --max-body BYTES    the largest request body (default 1048576): 413 beyond\n"
    "      --threads N         request threads (default 4)\n"
    "      --routes            list the routes it answers (METHOD PATH) and exit;\n"
    "                          GET /api/v1/openapi.json describes each\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 stopped by a signal, 1 failure, 2 usage, 3 invalid\n"
    "agreement, 4 I/O (the store cannot be opened, the address is taken)\n";

int cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                             {"listen", required_argument, NULL, 'l'},
                                             {"max-body", required_argument, NULL, 'm'},
                                             {"threads", required_argument, NULL, 't'},
                                             {"routes", no_argument, NULL, 'r'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *db = "truce.db";
    srv_config cfg = {NULL, NULL, "127.0.0.1:8080", 1048576, 4};
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
        case 't':
            if (cli_parse_long(optarg, 1, 256, &n)) {
                cli_error(SUB, "--threads: expected a number in [1, 256], found '%s'", optarg);
                return EXIT_USAGE;
            }
            cfg.threads = (unsigned)n;
            break;
        case 'r':
            srv_routes_write(stdout);
            return EXIT_OK;
        default:
            return cli_help_or_usage(opt, usage_text);
        }
    }
    if (cli_operands(SUB, usage_text, argc, 1, 1, NULL))
        return EXIT_USAGE;
    truce_agreement *agreement;
    int status = cli_load_agreement(SUB, argv[optind], &agreement);
    if (status != EXIT_OK)
        return status;
    truce_store *store;
    status = cli_open_store(SUB, db, &store);
    if (status != EXIT_OK) {
        truce_agreement_free(agreement);
        return status;
    }
    cfg.agreement = agreement;
    cfg.store = store;
    status = srv_run(&cfg);
    truce_store_free(store);
    truce_agreement_free(agreement);
    return status;
}
