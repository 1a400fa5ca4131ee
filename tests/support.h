/*
 * Test support shared by every test program: scratch directories, running
 * the securebase command with its output captured, and checks that an error
 * is located where expected and says what it should.
 */
#ifndef SB_TEST_SUPPORT_H
#define SB_TEST_SUPPORT_H

#include <securebase/base.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

/* Asserts |a - b| <= eps, printing both numbers when it fails. */
#define assert_near(a, b, eps)                                              \
    do {                                                                    \
        double sb_a_ = (a), sb_b_ = (b), sb_e_ = (eps);                     \
        if (!(sb_a_ - sb_b_ <= sb_e_ && sb_b_ - sb_a_ <= sb_e_)) {          \
            print_error("%.17g != %.17g (tolerance %g)\n", sb_a_, sb_b_,    \
                        sb_e_);                                             \
            fail();                                                         \
        }                                                                   \
    } while (0)

/* Makes a fresh directory under $TMPDIR; the caller frees the string. */
char *sb_test_tmpdir(void);
/* Removes a directory tree made by sb_test_tmpdir (rm -rf). */
void sb_test_rmtree(const char *path);
/* Writes `text` to dir/name and returns the full path (caller frees). */
char *sb_test_write(const char *dir, const char *name, const char *text);
/* Reads a whole file (caller frees); NULL if it cannot be read. */
char *sb_test_slurp(const char *path);
/* Makes a FIFO (named pipe) dir/name, with no writer, and returns its path
 * (caller frees): an input that blocks a reader that opens it plainly. */
char *sb_test_fifo(const char *dir, const char *name);
/* A whole file of any bytes and its length (caller frees); fails the test
 * when the file cannot be read. */
char *sb_test_bytes(const char *path, size_t *len);
/* 1 if `path` followed by `suffix` ("-wal", or "" for the path itself)
 * exists; a link is not followed. */
int sb_test_exists(const char *path, const char *suffix);

/*
 * The path of `relative` under the project's shared data folder (../shared
 * beside the checkout, or $SB_SHARED_DIR), in `out`. A newcomer's clone has
 * no shared folder: then the calling test is skipped with a message saying
 * so, unless SB_REQUIRE_SHARED=1 (set by .ci/run), which fails it instead.
 */
void sb_test_shared_path(const char *relative, char *out, size_t size);

/* How many times an SVG written by cairo paints with the colour 0xRRGGBB
 * (cairo writes it as "rgb(53.333333%,13.333333%,33.333333%)"). */
int sb_test_svg_colour_uses(const char *svg, unsigned hex);

/* Output of one run of the securebase command. */
typedef struct sb_test_run {
    int exit_code;
    char *out; /* standard output, NUL-terminated */
    char *err; /* standard error */
} sb_test_run;

/* Runs the built securebase with a NULL-terminated argument list. */
sb_test_run sb_test_cli(const char *arg, ...);
/*
 * The same as a user whom file permissions bind: run as root, the command
 * runs as `nobody` (uid and gid 65534), so a 0444 file in a 0555 directory
 * is read-only to it as on a read-only mount. Files it must read need to be
 * reachable by others.
 */
sb_test_run sb_test_cli_unprivileged(const char *arg, ...);
/* The same with standard error on a terminal (a pseudo-terminal), as a
 * user at a shell sees it; `err` holds what the terminal received. */
sb_test_run sb_test_cli_tty(const char *arg, ...);
/* Runs argv[0] found on PATH (NULL-terminated argv) with stderr on a
 * pseudo-terminal and the environment variable `env` (NAME=VALUE, or NULL). */
sb_test_run sb_test_run_tty(char *const argv[], const char *env);
/* Seconds a run of sb_test_cli may take before it is killed with SIGALRM
 * (exit code 142); 0, the default, for no limit. For tests of inputs that
 * could make the command wait forever. */
extern unsigned sb_test_cli_seconds;
void sb_test_run_free(sb_test_run *r);
/* Fails the test, showing both outputs, unless `r` exited with `code`;
 * returns `r`. */
sb_test_run sb_test_expect(sb_test_run r, int code);

/* The one number `sql` (a count) gives on the SQLite file `path`, read on
 * a read-only connection of its own; fails the test if it cannot. */
size_t sb_test_sqlite_count(const char *path, const char *sql);

/* A NULL-terminated list of phrases for the checks below. */
#define PHRASES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Fails the test with the whole message when a phrase is missing. */
static inline void expect_phrases(const sb_error *err,
                                  const char *const *phrases)
{
    for (size_t i = 0; phrases[i]; i++)
        if (!strstr(err->message, phrases[i])) {
            print_error("message \"%s\"\n  lacks \"%s\"\n", err->message,
                        phrases[i]);
            fail();
        }
}

static inline void expect_error_at(const sb_error *err, const char *file,
                                   unsigned long line, unsigned long column,
                                   const char *const *phrases)
{
    if (strcmp(err->file, file) || err->line != line ||
        err->column != column) {
        print_error("error at %s:%lu:%lu, expected %s:%lu:%lu: %s\n",
                    err->file, err->line, err->column, file, line, column,
                    err->message);
        fail();
    }
    expect_phrases(err, phrases);
}

#endif
