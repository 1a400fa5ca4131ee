/*
 * Test support: scratch directories and the securebase command run as a
 * child process, so tests see exactly what a user sees.
 */
#include "support.h"

#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *sb_test_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/sbtest.XXXXXX", base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    char *copy = strdup(d);
    assert_non_null(copy);
    return copy;
}

void sb_test_rmtree(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        execlp("rm", "rm", "-rf", path, (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
}

char *sb_test_write(const char *dir, const char *name, const char *text)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    assert_non_null(path);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

char *sb_test_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len < 2) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* Copies a file byte for byte, keeping it executable. */
static void copy_executable(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, got, out), got);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    assert_int_equal(chmod(to, 0755), 0);
}

/* Runs argv (argv[0] the command); as `nobody` when `unprivileged`. */
static sb_test_run run_cli(const char **argv, int unprivileged)
{
    char *dir = sb_test_tmpdir();
    char out_path[4200], err_path[4200], copy[4200];
    snprintf(out_path, sizeof out_path, "%s/stdout", dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", dir);
    if (unprivileged) {
        /* nobody must reach the program: a copy in a directory it may enter */
        assert_int_equal(chmod(dir, 0755), 0);
        snprintf(copy, sizeof copy, "%s/securebase", dir);
        copy_executable(argv[0], copy);
        argv[0] = copy;
    }
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen(out_path, "w", stdout) || !freopen(err_path, "w", stderr) ||
            !freopen("/dev/null", "r", stdin))
            _exit(126);
        if (unprivileged && (setgroups(0, NULL) != 0 || setgid(65534) != 0 ||
                             setuid(65534) != 0))
            _exit(125);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    sb_test_run r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = sb_test_slurp(out_path);
    r.err = sb_test_slurp(err_path);
    assert_non_null(r.out);
    assert_non_null(r.err);
    sb_test_rmtree(dir);
    free(dir);
    return r;
}

#define COLLECT_ARGS(argv, argc, arg)                                       \
    do {                                                                    \
        va_list ap;                                                         \
        va_start(ap, arg);                                                  \
        for (const char *a = arg; a && argc < 63;                           \
             a = va_arg(ap, const char *))                                  \
            argv[argc++] = a;                                               \
        va_end(ap);                                                         \
        argv[argc] = NULL;                                                  \
    } while (0)

sb_test_run sb_test_cli(const char *arg, ...)
{
    const char *argv[64];
    int argc = 0;
    argv[argc++] = SB_CLI_PATH;
    COLLECT_ARGS(argv, argc, arg);
    return run_cli(argv, 0);
}

sb_test_run sb_test_cli_unprivileged(const char *arg, ...)
{
    const char *argv[64];
    int argc = 0;
    argv[argc++] = SB_CLI_PATH;
    COLLECT_ARGS(argv, argc, arg);
    return run_cli(argv, geteuid() == 0);
}

void sb_test_run_free(sb_test_run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}
