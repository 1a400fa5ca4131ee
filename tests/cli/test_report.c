/* Tests for src/cli/cmd_report.c: the report from the command line. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static sb_test_run expect(sb_test_run r, int code)
{
    if (r.exit_code != code)
        fail_msg("exit %d, expected %d\nstdout: %s\nstderr: %s", r.exit_code,
                 code, r.out, r.err);
    return r;
}

/* A journal in `dir` (its path in db) with the person Ana. */
static void journal_with_ana(const char *dir, char *db, size_t size)
{
    snprintf(db, size, "%s/j.db", dir);
    sb_test_run r = expect(sb_test_cli("journal", "--db", db, "init", NULL), 0);
    sb_test_run_free(&r);
    r = expect(sb_test_cli("journal", "--db", db, "add", "person", "--name",
                           "Ana", NULL),
               0);
    sb_test_run_free(&r);
}

static void writes_a_report_file(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4300], out[4300];
    journal_with_ana(dir, db, sizeof db);
    snprintf(out, sizeof out, "%s/r.html", dir);
    sb_test_run r = expect(sb_test_cli("journal", "--db", db, "add", "session", "--person",
                           "Ana", "--date", "2026-01-05", "--attended", "yes",
                           "--minutes", "50", NULL),
               0);
    sb_test_run_free(&r);
    r = expect(sb_test_cli("report", "Ana", "--db", db, "--out", out,
                           "--weeks", "0", NULL),
               0);
    assert_non_null(strstr(r.out, "wrote "));
    sb_test_run_free(&r);
    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *html = sb_test_slurp(out);
    assert_non_null(strstr(html, "<h1>Ana</h1>"));
    assert_non_null(strstr(html, "1 of 1"));
    free(html);

    r = expect(sb_test_cli("report", "Nobody", "--db", db, "--out", out, NULL),
               2);
    assert_non_null(strstr(r.err, "no person with id or name 'Nobody'"));
    sb_test_run_free(&r);
    r = expect(sb_test_cli("report", "Ana", "--db", db, "--as-of", "2026-13-01",
                           "--out", out, NULL),
               2);
    assert_non_null(strstr(r.err, "as-of date"));
    sb_test_run_free(&r);
    r = expect(sb_test_cli("report", "Ana", "--db", db, "--weeks", "many",
                           NULL),
               2);
    sb_test_run_free(&r);
    r = expect(sb_test_cli("report", "--db", db, NULL), 2);
    sb_test_run_free(&r);
    r = expect(sb_test_cli("report", "--help", NULL), 0);
    assert_non_null(strstr(r.out, "--as-of"));
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
}

/* The projection shows its progress on a terminal, never in a pipe, and
 * --quiet keeps the terminal quiet too. */
static void projection_progress_only_on_a_terminal(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4300], out[4300];
    journal_with_ana(dir, db, sizeof db);
    snprintf(out, sizeof out, "%s/r.html", dir);
    sb_test_run r = expect(sb_test_cli("journal", "--db", db, "add",
                                       "assessment", "--person", "Ana",
                                       "--instrument", "ecr-s",
                           "--date", "2026-01-05", "--items",
                           "5 4 5 4 5 4 5 4 5 4 5 4", NULL),
               0);
    sb_test_run_free(&r);
    r = sb_test_cli_tty("report", "Ana", "--db", db, "--out", out, "--people",
                        "300", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.err, "model projection"));
    assert_non_null(strstr(r.err, "100%"));
    sb_test_run_free(&r);
    r = sb_test_cli_tty("report", "Ana", "--db", db, "--out", out, "--people",
                        "300", "--quiet", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_null(strstr(r.err, "%"));
    sb_test_run_free(&r);
    r = expect(sb_test_cli("report", "Ana", "--db", db, "--out", out,
                           "--people", "300", NULL),
               0);
    assert_string_equal(r.err, "");
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_a_report_file),
        cmocka_unit_test(projection_progress_only_on_a_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
