/* truce check: placeholder until the agreement loader lands (same session). */
#include "cli.h"

int cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("check", "not built yet");
    return EXIT_FAILURE_;
}
