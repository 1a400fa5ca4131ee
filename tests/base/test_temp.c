/*
 * Tests for src/base/temp.c: the names of atomic writes' temporaries, their
 * exclusive creation, and the removal of those whose writer was killed.
 */
#include "support.h"

#include "base/temp.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* 1 if dir/name exists (a link is not followed). */
static int exists(const char *dir, const char *name)
{
    char suffix[4200];
    snprintf(suffix, sizeof suffix, "/%s", name);
    return sb_test_exists(dir, suffix);
}

/* The pid of a process that has exited and been reaped: gone for sure
 * (pids are not reused at once). */
static long dead_pid(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    return (long)pid;
}

static void names_are_known_in_advance(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(sb_atomic_temp_path("out/r.html", 4711, buf, sizeof buf),
                     (int)strlen("out/r.html.securebase-4711.tmp"));
    assert_string_equal(buf, "out/r.html.securebase-4711.tmp");
    assert_int_equal(sb_atomic_temp_path("a-long-name.csv", 1, buf, 10), -1);
}

/* An atomic write leaves no temporary of its own behind, and its name is
 * the one a signal handler would compute. */
static void the_write_uses_the_named_temporary(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char target[4200], tmp[4300];
    snprintf(target, sizeof target, "%s/out.csv", dir);
    sb_atomic_temp_path(target, (long)getpid(), tmp, sizeof tmp);
    sb_atomic_file *af;
    assert_int_equal(sb_atomic_open(target, &af, NULL), SB_OK);
    struct stat st;
    assert_int_equal(lstat(tmp, &st), 0);
    assert_int_equal(sb_atomic_commit(af, NULL), SB_OK);
    assert_int_not_equal(lstat(tmp, &st), 0);
    assert_int_equal(lstat(target, &st), 0);
    sb_test_rmtree(dir);
    free(dir);
}

/* What a writer killed with SIGKILL leaves is removed by the next write in
 * that directory; temporaries of running writers and files that only look
 * like ours are kept. */
static void stale_temporaries_are_swept(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char target[4200];
    snprintf(target, sizeof target, "%s/export.csv", dir);
    /* a writer killed in the middle of its write */
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sb_atomic_file *af;
        if (sb_atomic_open(target, &af, NULL) != SB_OK)
            _exit(1);
        fputs("half of an export", sb_atomic_stream(af));
        fflush(sb_atomic_stream(af));
        raise(SIGKILL);
        _exit(2);
    }
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));
    char killed[128];
    snprintf(killed, sizeof killed, "export.csv.securebase-%ld.tmp", (long)pid);
    assert_true(exists(dir, killed));
    /* a backup's temporary with the journal SQLite put beside it, for
     * another target in the same directory */
    long gone = dead_pid();
    char backup[128], side[160];
    snprintf(backup, sizeof backup, "copy.db.securebase-%ld.tmp", gone);
    snprintf(side, sizeof side, "%s-journal", backup);
    free(sb_test_write(dir, backup, "a copy"));
    free(sb_test_write(dir, side, "its journal"));
    /* a running writer's (this process's parent runs), and look-alikes */
    char live[128];
    snprintf(live, sizeof live, "other.csv.securebase-%ld.tmp", (long)getppid());
    free(sb_test_write(dir, live, "being written"));
    char look[4][128];
    snprintf(look[0], sizeof look[0], "notes.securebase-%ld.tmp.bak", gone);
    snprintf(look[1], sizeof look[1], "notes.securebase-%ldx.tmp", gone);
    snprintf(look[2], sizeof look[2], ".securebase-%ld.tmp", gone);
    snprintf(look[3], sizeof look[3], "notes.securebase-.tmp");
    for (int i = 0; i < 4; i++)
        free(sb_test_write(dir, look[i], "not ours"));
    /* a link with our name is not a file of ours to remove */
    char linkname[128], linkpath[4400];
    snprintf(linkname, sizeof linkname, "l.csv.securebase-%ld.tmp", gone);
    snprintf(linkpath, sizeof linkpath, "%s/%s", dir, linkname);
    assert_int_equal(symlink("/nonexistent", linkpath), 0);

    sb_atomic_file *af;
    assert_int_equal(sb_atomic_open(target, &af, NULL), SB_OK);
    assert_int_equal(sb_atomic_commit(af, NULL), SB_OK);
    assert_false(exists(dir, killed));
    assert_false(exists(dir, backup));
    assert_false(exists(dir, side));
    assert_true(exists(dir, live));
    for (int i = 0; i < 4; i++)
        assert_true(exists(dir, look[i]));
    assert_true(exists(dir, linkname));
    sb_test_rmtree(dir);
    free(dir);
}

/* A leftover with this process's own pid (an earlier process had it) is
 * replaced; something in the way that is not a file of ours is not. */
static void own_pid_leftovers_are_replaced(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char target[4200], tmp[4300];
    snprintf(target, sizeof target, "%s/r.html", dir);
    sb_atomic_temp_path(target, (long)getpid(), tmp, sizeof tmp);
    FILE *f = fopen(tmp, "w");
    assert_non_null(f);
    fputs("left by an earlier process", f);
    fclose(f);
    int fd;
    char *path;
    sb_error err;
    assert_int_equal(sb__temp_create(target, &fd, &path, &err), SB_OK);
    assert_string_equal(path, tmp);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(st.st_size, 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    close(fd);
    unlink(path);
    free(path);
    assert_int_equal(symlink("/etc/passwd", tmp), 0);
    assert_int_equal(sb__temp_create(target, &fd, &path, &err), SB_ERR_IO);
    assert_non_null(strstr(err.message, "is in the way and is not ours"));
    assert_null(path);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_are_known_in_advance),
        cmocka_unit_test(the_write_uses_the_named_temporary),
        cmocka_unit_test(stale_temporaries_are_swept),
        cmocka_unit_test(own_pid_leftovers_are_replaced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
