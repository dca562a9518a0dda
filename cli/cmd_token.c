/* truce token: the access tokens of a store (truce/store.h), for truce serve. */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>

#include "cli.h"
#include "truce/store.h"

static const char *const SUB = "token";

static const char *const usage_text =
    "usage: truce token add --db FILE --role ROLE [--party NAME] [--name LABEL]\n"
    "       truce token list --db FILE\n"
    "       truce token revoke --db FILE ID\n"
    "\n"
    "Manage who may use truce serve.  add makes a new token for ROLE and prints\n"
    "it once, as the only line on stdout: the store keeps only its SHA-256, so\n"
    "it cannot be shown again.  list prints one line per token (number, role,\n"
    "party, label, created, revoked), never the token itself.  revoke makes a\n"
    "token fail from the next request on.  The store is created when missing.\n"
    "\n"
    "Roles: admin does everything; party submits reports and reviews them for\n"
    "its own party (--party, one of the agreement's parties); reporter submits\n"
    "reports and sees its own; viewer reads.\n"
    "\n"
    "options:\n"
    "      --db FILE           the store (default truce.db), or a PostgreSQL\n"
    "                          database (postgresql://USER@HOST/DB; truce serve)\n"
    "      --role ROLE         admin, party, reporter or viewer\n"
    "      --party NAME        the party a party token speaks for\n"
    "      --name LABEL        a label for the token (who holds it)\n"
    "  -h, --help              show this help\n"
    "\n"
    "exit status: 0 ok, 1 failure (no such token to revoke), 2 usage, 4 I/O\n";

static truce_status print_token(void *ctx, const truce_token_info *t)
{
    (void)ctx;
    printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\n", t->id, truce_role_name(t->role),
           t->party[0] ? t->party : "-", t->name[0] ? t->name : "-", t->created_at,
           t->revoked_at[0] ? t->revoked_at : "-");
    return TRUCE_OK;
}

int cmd_token(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},    {"role", required_argument, NULL, 'r'},
        {"party", required_argument, NULL, 'p'}, {"name", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    const char *db = "truce.db", *role_name = NULL, *party = NULL, *name = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd':
            db = optarg;
            break;
        case 'r':
            role_name = optarg;
            break;
        case 'p':
            party = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        default:
            return cli_help_or_usage(opt, usage_text);
        }
    }
    if (optind >= argc)
        return cli_usage_error(SUB, usage_text, "expected add, list or revoke");
    const char *action = argv[optind++];
    truce_store *s = NULL;
    int status;
    if (!strcmp(action, "add")) {
        truce_role role;
        if (cli_operands(SUB, usage_text, argc, 0, 0, NULL))
            return EXIT_USAGE;
        if (!role_name || truce_role_from_name(role_name, &role))
            return cli_usage_error(SUB, usage_text,
                                   "--role: expected admin, party, reporter or viewer");
        if ((role == TRUCE_ROLE_PARTY) != (party != NULL && *party))
            return cli_usage_error(SUB, usage_text,
                                   role == TRUCE_ROLE_PARTY
                                       ? "--party: a party token needs the party it speaks for"
                                       : "--party: only a party token has a party");
        if ((status = cli_open_store(SUB, db, &s)) != EXIT_OK)
            return status;
        char token[TRUCE_TOKEN_SIZE];
        truce_status st = truce_store_token_add(s, role, party, name, token, NULL);
        if (st == TRUCE_E_RANGE) {
            cli_error(SUB, "--party, --name: at most %d bytes, no control characters",
                      TRUCE_TOKEN_TEXT_MAX);
            status = EXIT_USAGE;
        } else if (st) {
            cli_error(SUB, "%s: %s", db, truce_strerror(st));
            status = EXIT_IO;
        } else {
            puts(token);
            memset(token, 0, sizeof token);
        }
    } else if (!strcmp(action, "list")) {
        if (cli_operands(SUB, usage_text, argc, 0, 0, NULL))
            return EXIT_USAGE;
        if ((status = cli_open_store(SUB, db, &s)) != EXIT_OK)
            return status;
        truce_status st = truce_store_token_list(s, print_token, NULL);
        if (st) {
            cli_error(SUB, "%s: %s", db, truce_strerror(st));
            status = EXIT_IO;
        }
    } else if (!strcmp(action, "revoke")) {
        long id;
        if (cli_operands(SUB, usage_text, argc, 1, 1, "revoke: expected one token number"))
            return EXIT_USAGE;
        if (cli_parse_long(argv[optind], 1, LONG_MAX, &id)) {
            cli_error(SUB, "revoke: expected a token number, found '%s'", argv[optind]);
            return EXIT_USAGE;
        }
        if ((status = cli_open_store(SUB, db, &s)) != EXIT_OK)
            return status;
        truce_status st = truce_store_token_revoke(s, id);
        if (st == TRUCE_E_NOT_FOUND) {
            cli_error(SUB, "revoke: no valid token number %ld", id);
            status = EXIT_FAILURE_;
        } else if (st) {
            cli_error(SUB, "%s: %s", db, truce_strerror(st));
            status = EXIT_IO;
        }
    } else {
        return cli_usage_error(SUB, usage_text, "expected add, list or revoke");
    }
    truce_store_free(s);
    return status;
}
