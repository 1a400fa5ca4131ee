/*
 * tests/support.c: a test that needs the shared data is skipped where the
 * folder is absent, fails there when SB_REQUIRE_SHARED=1 (as in CI), and
 * runs where the data is.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int reached;

static void needs_shared(void **state)
{
    (void)state;
    char path[4200];
    sb_test_shared_path("data/README.md", path, sizeof path);
    reached = 1;
}

/* Runs `needs_shared` in a child with the given environment; returns the
 * number of failed tests, and whether the body ran past the helper. */
static int run_child(const char *shared_dir, const char *require,
                     int *body_ran)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(126);
        setenv("SB_SHARED_DIR", shared_dir, 1);
        if (require)
            setenv("SB_REQUIRE_SHARED", require, 1);
        else
            unsetenv("SB_REQUIRE_SHARED");
        const struct CMUnitTest t[] = {cmocka_unit_test(needs_shared)};
        int failed = cmocka_run_group_tests(t, NULL, NULL);
        char c = (char)('0' + reached);
        if (write(fds[1], &c, 1) != 1)
            _exit(125);
        _exit(failed);
    }
    close(fds[1]);
    char c = '?';
    assert_int_equal(read(fds[0], &c, 1), 1);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    *body_ran = c == '1';
    return WEXITSTATUS(status);
}

static void skipped_where_absent_failed_when_required(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    int ran;
    /* absent: skipped, not failed, and the body after the helper never ran */
    assert_int_equal(run_child(dir, NULL, &ran), 0);
    assert_false(ran);
    assert_int_equal(run_child(dir, "0", &ran), 0);
    assert_false(ran);
    /* absent and required: a failure */
    assert_int_equal(run_child(dir, "1", &ran), 1);
    assert_false(ran);
    /* present: the test runs, required or not */
    sb_test_rmtree(dir);
    char *data = sb_test_tmpdir();
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/data", data);
    assert_int_equal(mkdir(sub, 0700), 0);
    free(sb_test_write(sub, "README.md", "shared data\n"));
    assert_int_equal(run_child(data, "1", &ran), 0);
    assert_true(ran);
    sb_test_rmtree(data);
    free(data);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(skipped_where_absent_failed_when_required),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
