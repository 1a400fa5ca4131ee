/*
 * The securebase command line: shared declarations of the subcommands and of
 * the small helpers they use for errors and exit codes.
 */
#ifndef SB_CLI_H
#define SB_CLI_H

#include <securebase/base.h>
#include <securebase/journal.h>

/* Exit codes, documented in docs/cli.md. */
enum {
    SB_EXIT_OK = 0,      /* success */
    SB_EXIT_FAILURE = 1, /* runtime failure (I/O, a check that did not pass) */
    SB_EXIT_USAGE = 2    /* usage or input error */
};

/* One subcommand: `run` gets argv with argv[0] set to the command's name. */
typedef struct sb__cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} sb__cli_command;

int sb__cli_params(int argc, char **argv);
int sb__cli_simulate(int argc, char **argv);
int sb__cli_scenarios(int argc, char **argv);
int sb__cli_validate(int argc, char **argv);
int sb__cli_calibrate(int argc, char **argv);
int sb__cli_score(int argc, char **argv);
int sb__cli_change(int argc, char **argv);
int sb__cli_journal(int argc, char **argv);
int sb__cli_report(int argc, char **argv);
int sb__cli_status(int argc, char **argv);
int sb__cli_whatif(int argc, char **argv);
int sb__cli_due(int argc, char **argv);
int sb__cli_serve(int argc, char **argv);
int sb__cli_user(int argc, char **argv);
int sb__cli_norms(int argc, char **argv);

/* Prints "securebase: <located message>" to stderr. */
void sb__cli_report_error(const sb_error *err);
/* Maps a library status to an exit code: input problems are 2, others 1. */
int sb__cli_exit_code(sb_status st);
/* For failing to load what the user named (a scenario, a file): an input
 * error whatever the cause, a missing file included; only running out of
 * memory is a runtime failure. */
int sb__cli_input_exit_code(sb_status st);
/* Prints a usage error and a hint to stderr; returns SB_EXIT_USAGE. */
int sb__cli_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/*
 * The journal used when --db is not given: $XDG_DATA_HOME/securebase/
 * journal.db (an absolute XDG_DATA_HOME only), else ~/.local/share/
 * securebase/journal.db; SB_ERR_STATE when neither is set. The caller frees
 * *path.
 */
sb_status sb__cli_default_journal(char **path, sb_error *err);

/*
 * Opens the journal at `db` (NULL: the default path) with sb_journal_open's
 * flags. On failure prints why (for a missing journal, how to create one)
 * and returns the exit code; else 0 with *out to close.
 */
int sb__cli_journal_open(const char *db, unsigned flags, sb_journal **out);

/*
 * Before writing `target` atomically: if SIGINT, SIGTERM or SIGHUP ends
 * the command, the temporary file of that write (and what SQLite puts
 * beside a backup's) is removed first.
 */
void sb__cli_remove_on_signal(const char *target);

/* Strict number parsing for options: the whole string, within [min, max]. */
int sb__cli_parse_long(const char *command, const char *option,
                       const char *text, long min, long max, long *out);
int sb__cli_parse_u64(const char *command, const char *option,
                      const char *text, unsigned long long *out);

/* Today's local date as YYYY-MM-DD. */
void sb__cli_today(char out[11]);

#endif
