/*
 * Tests for src/cli/journal_path.c: without --db the command keeps the
 * journal under XDG_DATA_HOME (when absolute), else under HOME; the
 * environment is read by the command line only.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int exists(const char *dir, const char *tail)
{
    char path[4300];
    snprintf(path, sizeof path, "%s%s", dir, tail);
    struct stat sbuf;
    return stat(path, &sbuf) == 0 && S_ISREG(sbuf.st_mode);
}

static void default_journal_follows_xdg_then_home(void **state)
{
    (void)state;
    char *saved_xdg = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
    char *saved_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    char *xdg = sb_test_tmpdir(), *home = sb_test_tmpdir();

    setenv("XDG_DATA_HOME", xdg, 1);
    setenv("HOME", home, 1);
    sb_test_run r = sb_test_cli("journal", "init", NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);
    assert_true(exists(xdg, "/securebase/journal.db"));
    assert_false(exists(home, "/.local/share/securebase/journal.db"));

    /* A relative XDG_DATA_HOME is ignored, as the XDG rules say. */
    setenv("XDG_DATA_HOME", "relative/ignored", 1);
    r = sb_test_cli("journal", "init", NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);
    assert_true(exists(home, "/.local/share/securebase/journal.db"));

    unsetenv("XDG_DATA_HOME");
    unsetenv("HOME");
    r = sb_test_cli("journal", "list", "person", NULL);
    assert_int_not_equal(r.exit_code, 0);
    assert_non_null(strstr(r.err, "neither XDG_DATA_HOME nor HOME is set; "
                                  "give the journal's path explicitly"));
    sb_test_run_free(&r);

    if (saved_xdg)
        setenv("XDG_DATA_HOME", saved_xdg, 1);
    if (saved_home)
        setenv("HOME", saved_home, 1);
    free(saved_xdg);
    free(saved_home);
    sb_test_rmtree(xdg);
    sb_test_rmtree(home);
    free(xdg);
    free(home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_journal_follows_xdg_then_home),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
