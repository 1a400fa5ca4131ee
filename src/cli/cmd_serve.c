/* placeholder replaced below */
#include "cli/cli.h"
int sb_cli_serve(int argc, char **argv) { (void)argc; (void)argv; return 1; }
