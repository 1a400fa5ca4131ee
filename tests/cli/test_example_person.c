/*
 * examples/make-example-person.sh as a user at a terminal runs it: it
 * builds the example journal through the command line and shows how far
 * it is on standard error (the render test runs it with --quiet).
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void shows_progress_on_a_terminal(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4300], env[4400];
    snprintf(db, sizeof db, "%s/alex.db", dir);
    snprintf(env, sizeof env, "SECUREBASE=%s", SB_CLI_PATH);
    char *argv[] = {"sh", SB_SOURCE_DIR "/examples/make-example-person.sh", db,
                    NULL};
    sb_test_run r = sb_test_run_tty(argv, env);
    if (r.exit_code != 0)
        fail_msg("the script failed:\n%s%s", r.out, r.err);
    assert_non_null(strstr(r.err, "example person"));
    assert_non_null(strstr(r.err, "100% (192 of 192 records)"));
    assert_non_null(strstr(r.out, "example journal written to"));
    sb_test_run_free(&r);
    /* the journal holds what the progress counted */
    r = sb_test_cli("journal", "--db", db, "list", "reflection", NULL);
    assert_int_equal(r.exit_code, 0);
    size_t lines = 0;
    for (const char *p = r.out; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 1 + 76);
    sb_test_run_free(&r);
    /* a second run does not overwrite it */
    r = sb_test_run_tty(argv, env);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "exists"));
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shows_progress_on_a_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
