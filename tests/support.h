/*
 * Test support shared by every test program: scratch directories and running
 * the securebase command with its output captured.
 */
#ifndef SB_TEST_SUPPORT_H
#define SB_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
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
/* The same with standard error on a terminal (a pseudo-terminal), as a
 * user at a shell sees it; `err` holds what the terminal received. */
sb_test_run sb_test_cli_tty(const char *arg, ...);
/* Runs argv[0] found on PATH (NULL-terminated argv) with stderr on a
 * pseudo-terminal and the environment variable `env` (NAME=VALUE, or NULL). */
sb_test_run sb_test_run_tty(char *const argv[], const char *env);
void sb_test_run_free(sb_test_run *r);

#endif
