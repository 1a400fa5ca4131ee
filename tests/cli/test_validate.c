/*
 * securebase validate as a user runs it: a failed check says what it
 * missed and by how much; below the default size the run says it is noisy;
 * progress goes to standard error only when it is a terminal, and --quiet
 * turns it off.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every FAIL has a "missed:" line, every PASS none; the count adds up. */
static void small_runs_say_what_missed_and_that_they_are_noisy(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli("validate", "--persons", "300", "-j", "2", NULL);
    int failed = 0, passed = 0;
    for (const char *p = strstr(r.out, "\nV"); p; p = strstr(p + 1, "\nV")) {
        const char *end = strstr(p + 1, "\n\n");
        assert_non_null(end);
        int fail = !strncmp(p + 5, "FAIL", 4); /* "\nV1  FAIL" */
        const char *missed = strstr(p, "\n    missed:    ");
        int has = missed && missed < end;
        assert_int_equal(has, fail);
        if (has) /* a part and an amount: "... is 4.2 points below 35%" */
            assert_true(strstr(missed, " below ") || strstr(missed, " above ") ||
                        strstr(missed, " short of ") ||
                        strstr(missed, "not defined") ||
                        strstr(missed, " not "));
        failed += fail;
        passed += !fail;
    }
    assert_int_equal(failed + passed, 9);
    char line[64];
    snprintf(line, sizeof line, "%d of 9 checks pass.", passed);
    assert_non_null(strstr(r.out, line));
    assert_int_equal(r.exit_code, failed ? 1 : 0);
    assert_non_null(strstr(r.out, "This run simulated 300 people per run, "
                                  "fewer than the 20000 the checks are judged "
                                  "at.\nSmall runs are noisy"));
    sb_test_run_free(&r);
}

/* A progress bar on a terminal; none with --quiet, none in a pipe. */
static void progress_only_on_a_terminal(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli_tty("validate", "--persons", "300", "-j", "2",
                                    NULL);
    assert_non_null(strstr(r.err, "validate V1-V9"));
    assert_non_null(strstr(r.err, "100%"));
    assert_non_null(strstr(r.out, "checks pass"));
    sb_test_run_free(&r);
    r = sb_test_cli_tty("validate", "--persons", "300", "-j", "2", "--quiet",
                        NULL);
    assert_null(strstr(r.err, "%"));
    sb_test_run_free(&r);
    r = sb_test_cli("validate", "--persons", "300", "-j", "2", NULL);
    assert_string_equal(r.err, "");
    sb_test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_runs_say_what_missed_and_that_they_are_noisy),
        cmocka_unit_test(progress_only_on_a_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
