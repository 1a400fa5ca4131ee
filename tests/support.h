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
void sb_test_run_free(sb_test_run *r);

#endif
