/*
 * The distributed engine: one calibration run threads-only and under
 * mpirun with 1, 2 and 3 ranks (more ranks than cores, so the work queue
 * really hands tasks around) must write the same bytes. Skipped, saying
 * why, in a build without MPI.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const outputs[] = {"posterior.csv", "generations.csv",
                                      "predictive.csv", "summary.json",
                                      "medians.yaml"};

/* Runs argv with output to files in `dir`; returns the exit code. */
static int run(char *const *argv, const char *dir)
{
    char out[4200];
    snprintf(out, sizeof out, "%s/log", dir);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen(out, "a", stdout) || !freopen(out, "a", stderr))
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void test_same_bytes_for_any_rank_count(void **state)
{
    (void)state;
    if (!SB_MPIEXEC[0]) {
        print_message("skipped: this build has no MPI engine (SB_MPI off)\n");
        skip();
    }
    /* Open MPI's own allocations at exit are not ours to chase. */
    setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
    char *dir = sb_test_tmpdir();
    char base[4200], ranks[3][4200];
    snprintf(base, sizeof base, "%s/threads", dir);
    char *common[] = {"calibrate", "v1-v9", "--persons", "100",
                      "--particles", "8", "--generations", "3", "--params",
                      "pull,noise,learning", "--seed", "5", "-j", "1"};
    enum { NC = sizeof common / sizeof common[0] };
    char *argv[NC + 16];
    int k = 0;
    argv[k++] = SB_CLI_PATH;
    for (int i = 0; i < NC; i++)
        argv[k++] = common[i];
    argv[k++] = "--out";
    argv[k++] = base;
    argv[k] = NULL;
    assert_int_equal(run(argv, dir), 0);
    for (int n = 1; n <= 3; n++) {
        snprintf(ranks[n - 1], sizeof ranks[0], "%s/ranks%d", dir, n);
        char count[8];
        snprintf(count, sizeof count, "%d", n);
        k = 0;
        argv[k++] = SB_MPIEXEC;
        argv[k++] = "--oversubscribe";
        argv[k++] = "--allow-run-as-root";
        argv[k++] = "-n";
        argv[k++] = count;
        argv[k++] = SB_CLI_PATH;
        for (int i = 0; i < NC; i++)
            argv[k++] = common[i];
        argv[k++] = "--out";
        argv[k++] = ranks[n - 1];
        argv[k] = NULL;
        int rc = run(argv, dir);
        if (rc != 0) {
            char log[4300];
            snprintf(log, sizeof log, "%s/log", dir);
            char *text = sb_test_slurp(log);
            print_error("mpirun -n %d exited %d:\n%s\n", n, rc, text ? text : "");
            free(text);
        }
        assert_int_equal(rc, 0);
        for (size_t f = 0; f < 5; f++) {
            char a[16800], b[16800];
            snprintf(a, sizeof a, "%s/%s", base, outputs[f]);
            snprintf(b, sizeof b, "%s/%s", ranks[n - 1], outputs[f]);
            char *x = sb_test_slurp(a), *y = sb_test_slurp(b);
            assert_non_null(x);
            assert_non_null(y);
            if (strcmp(x, y))
                print_error("%s differs with %d ranks\n", outputs[f], n);
            assert_string_equal(x, y);
            free(x);
            free(y);
        }
    }
    char log[4300];
    snprintf(log, sizeof log, "%s/log", dir);
    char *text = sb_test_slurp(log);
    assert_non_null(strstr(text, "3 ranks"));
    free(text);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes_for_any_rank_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
