/*
 * The securebase command line: shared declarations of the subcommands and of
 * the small helpers they use for errors and exit codes.
 */
#ifndef SB_CLI_H
#define SB_CLI_H

#include <securebase/base.h>

/* Exit codes, documented in docs/cli.md. */
enum {
    SB_EXIT_OK = 0,      /* success */
    SB_EXIT_FAILURE = 1, /* runtime failure (I/O, a check that did not pass) */
    SB_EXIT_USAGE = 2    /* usage or input error */
};

/* One subcommand: `run` gets argv with argv[0] set to the command's name. */
typedef struct sb_cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} sb_cli_command;

int sb_cli_params(int argc, char **argv);
int sb_cli_simulate(int argc, char **argv);
int sb_cli_scenarios(int argc, char **argv);
int sb_cli_validate(int argc, char **argv);
int sb_cli_calibrate(int argc, char **argv);
int sb_cli_score(int argc, char **argv);
int sb_cli_change(int argc, char **argv);
int sb_cli_journal(int argc, char **argv);
int sb_cli_report(int argc, char **argv);

/* Prints "securebase: <located message>" to stderr. */
void sb_cli_report_error(const sb_error *err);
/* Maps a library status to an exit code: input problems are 2, others 1. */
int sb_cli_exit_code(sb_status st);
/* For failing to load what the user named (a scenario, a file): an input
 * error whatever the cause, a missing file included; only running out of
 * memory is a runtime failure. */
int sb_cli_input_exit_code(sb_status st);
/* Prints a usage error and a hint to stderr; returns SB_EXIT_USAGE. */
int sb_cli_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Strict number parsing for options: the whole string, within [min, max]. */
int sb_cli_parse_long(const char *command, const char *option,
                      const char *text, long min, long max, long *out);
int sb_cli_parse_u64(const char *command, const char *option,
                     const char *text, unsigned long long *out);

#endif
