/*
 * Tests for src/cli/interrupt.c: a command stopped by SIGTERM or SIGINT in
 * the middle of an atomic write removes its temporary file and dies of the
 * signal; one killed outright (SIGKILL) has its temporary removed by the
 * next write in that directory.
 */
#include "support.h"

#include <securebase/base.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap(void)
{
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

/* Starts `securebase score rq - --out OUT` reading from a pipe we hold. */
static pid_t start_score(const char *out, int *to_child)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[0], 0);
        close(fds[0]);
        close(fds[1]);
        if (!freopen("/dev/null", "w", stdout) ||
            !freopen("/dev/null", "w", stderr))
            _exit(126);
        execl(SB_CLI_PATH, SB_CLI_PATH, "score", "rq", "-", "--out", out,
              (char *)NULL);
        _exit(127);
    }
    close(fds[0]);
    *to_child = fds[1];
    return pid;
}

static void signal_mid_write_removes_the_temporary(int sig)
{
    char *dir = sb_test_tmpdir();
    char out[4200], tmp[4300];
    snprintf(out, sizeof out, "%s/scores.csv", dir);
    int to_child;
    pid_t pid = start_score(out, &to_child);
    sb_atomic_temp_path(out, (long)pid, tmp, sizeof tmp);
    const char rows[] = "rq_1,rq_2,rq_3,rq_4\n6,2,3,5\n";
    assert_int_equal(write(to_child, rows, sizeof rows - 1),
                     (ssize_t)(sizeof rows - 1));
    /* The output is open (its temporary exists) while input is awaited. */
    for (int i = 0; i < 1000 && !sb_test_exists(tmp, ""); i++)
        nap();
    assert_true(sb_test_exists(tmp, ""));
    assert_int_equal(kill(pid, sig), 0);
    int status;
    waitpid(pid, &status, 0);
    close(to_child);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), sig);
    assert_false(sb_test_exists(tmp, ""));
    assert_false(sb_test_exists(out, ""));
    sb_test_rmtree(dir);
    free(dir);
}

static void sigterm_removes_the_temporary(void **state)
{
    (void)state;
    signal_mid_write_removes_the_temporary(SIGTERM);
}

static void sigint_removes_the_temporary(void **state)
{
    (void)state;
    signal_mid_write_removes_the_temporary(SIGINT);
}

/* A backup killed with SIGKILL leaves its copy (and SQLite's journal of
 * it); the next backup or export into that directory removes them. */
static void sigkill_leftovers_go_with_the_next_write(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4200], dest[4200], out[4200];
    snprintf(db, sizeof db, "%s/j.db", dir);
    snprintf(dest, sizeof dest, "%s/copy.db", dir);
    snprintf(out, sizeof out, "%s/all.csv", dir);
    sb_test_run r = sb_test_cli("journal", "--db", db, "init", NULL);
    sb_test_run_free(&r);
    /* what a killed backup leaves: its temporary, named for its pid */
    fflush(NULL);
    pid_t gone = fork();
    assert_true(gone >= 0);
    if (gone == 0)
        _exit(0);
    waitpid(gone, NULL, 0);
    char tmp[4300], side[4400];
    sb_atomic_temp_path(dest, (long)gone, tmp, sizeof tmp);
    snprintf(side, sizeof side, "%s-journal", tmp);
    FILE *f = fopen(tmp, "w");
    assert_non_null(f);
    for (int i = 0; i < 10000; i++)
        fputs("half of a copy of the journal, ", f);
    fclose(f);
    free(sb_test_write(dir, strrchr(side, '/') + 1, "rollback journal"));
    r = sb_test_cli("journal", "--db", db, "backup", dest, NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);
    assert_false(sb_test_exists(tmp, ""));
    assert_false(sb_test_exists(side, ""));
    /* the same for an export's, into another file of that directory */
    sb_atomic_temp_path(out, (long)gone, tmp, sizeof tmp);
    free(sb_test_write(dir, strrchr(tmp, '/') + 1, "half an export"));
    r = sb_test_cli("journal", "--db", db, "export", "--format", "json",
                    "--out", dest, NULL);
    assert_int_equal(r.exit_code, 2); /* dest is a backup: a database */
    sb_test_run_free(&r);
    r = sb_test_cli("journal", "--db", db, "export", "--format", "json",
                    "--out", out, NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);
    assert_false(sb_test_exists(tmp, ""));
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sigterm_removes_the_temporary),
        cmocka_unit_test(sigint_removes_the_temporary),
        cmocka_unit_test(sigkill_leftovers_go_with_the_next_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
