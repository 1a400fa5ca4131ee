/*
 * Test support: scratch directories and the securebase command run as a
 * child process, so tests see exactly what a user sees.
 */
/* posix_openpt and friends, for a terminal to run the command on. */
#define _XOPEN_SOURCE 700

#include "support.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sqlite3.h>
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

/* The file's bytes with a NUL after them, and their count; NULL if it
 * cannot be read. */
static char *slurp(const char *path, size_t *size)
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
    *size = len;
    return buf;
}

char *sb_test_fifo(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    assert_non_null(path);
    snprintf(path, n, "%s/%s", dir, name);
    assert_int_equal(mkfifo(path, 0600), 0);
    return path;
}

unsigned sb_test_cli_seconds;

char *sb_test_slurp(const char *path)
{
    size_t len;
    return slurp(path, &len);
}

char *sb_test_bytes(const char *path, size_t *len)
{
    char *data = slurp(path, len);
    if (!data)
        fail_msg("cannot read %s", path);
    return data;
}

int sb_test_exists(const char *path, const char *suffix)
{
    char full[8192];
    snprintf(full, sizeof full, "%s%s", path, suffix);
    struct stat st;
    return lstat(full, &st) == 0;
}

void sb_test_shared_path(const char *relative, char *out, size_t size)
{
    const char *dir = getenv("SB_SHARED_DIR");
    if (!dir || !dir[0])
        dir = SB_SHARED_DIR;
    snprintf(out, size, "%s/%s", dir, relative);
    struct stat st;
    if (stat(out, &st) == 0)
        return;
    const char *require = getenv("SB_REQUIRE_SHARED");
    if (require && !strcmp(require, "1"))
        fail_msg("shared data %s is missing, and SB_REQUIRE_SHARED=1 makes "
                 "the tests that use it required (link the project's shared "
                 "folder beside the checkout, or set SB_SHARED_DIR)", out);
    printf("shared data %s is not here (a fresh clone has no ../shared): "
           "skipping; set SB_REQUIRE_SHARED=1 to make this a failure\n", out);
    skip();
}

int sb_test_svg_colour_uses(const char *svg, unsigned hex)
{
    char rgb[80];
    size_t n = (size_t)snprintf(rgb, sizeof rgb, "rgb(");
    for (int k = 2; k >= 0; k--) {
        char num[32];
        snprintf(num, sizeof num, "%f", ((hex >> (8 * k)) & 0xff) * 100.0 / 255);
        char *end = num + strlen(num);
        while (end[-1] == '0')
            *--end = '\0';
        if (end[-1] == '.')
            *--end = '\0';
        n += (size_t)snprintf(rgb + n, sizeof rgb - n, "%s%%%s", num,
                              k ? "," : ")");
    }
    int uses = 0;
    for (size_t at = 0; strstr(svg + at, rgb); uses++)
        at = (size_t)(strstr(svg + at, rgb) - svg) + 1;
    return uses;
}

/* The command's path and the NULL-terminated arguments, into argv[64]. */
static void cli_argv(const char *argv[64], const char *arg, va_list ap)
{
    int argc = 0;
    argv[argc++] = SB_CLI_PATH;
    for (const char *a = arg; a && argc < 63; a = va_arg(ap, const char *))
        argv[argc++] = a;
    argv[argc] = NULL;
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
        if (sb_test_cli_seconds)
            alarm(sb_test_cli_seconds); /* kept across execv */
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

sb_test_run sb_test_cli(const char *arg, ...)
{
    const char *argv[64];
    va_list ap;
    va_start(ap, arg);
    cli_argv(argv, arg, ap);
    va_end(ap);
    return run_cli(argv, 0);
}

sb_test_run sb_test_cli_unprivileged(const char *arg, ...)
{
    const char *argv[64];
    va_list ap;
    va_start(ap, arg);
    cli_argv(argv, arg, ap);
    va_end(ap);
    return run_cli(argv, geteuid() == 0);
}

sb_test_run sb_test_run_tty(char *const argv[], const char *env)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    const char *slave = ptsname(master);
    assert_non_null(slave);
    char *dir = sb_test_tmpdir();
    char out_path[4200];
    snprintf(out_path, sizeof out_path, "%s/stdout", dir);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(slave, O_RDWR);
        if (fd < 0 || dup2(fd, 2) < 0 || !freopen(out_path, "w", stdout) ||
            !freopen("/dev/null", "r", stdin))
            _exit(126);
        close(master);
        if (env)
            putenv((char *)env);
        execvp(argv[0], argv);
        _exit(127);
    }
    /* Read while the child runs: a terminal holds only a few kilobytes. */
    size_t cap = 4096, len = 0;
    char *err = malloc(cap);
    assert_non_null(err);
    for (;;) {
        if (cap - len < 1024) {
            cap *= 2;
            err = realloc(err, cap);
            assert_non_null(err);
        }
        ssize_t got = read(master, err + len, cap - len - 1);
        if (got > 0)
            len += (size_t)got;
        else if (got < 0 && errno == EINTR)
            continue;
        else
            break; /* EIO: every copy of the terminal's other end closed */
    }
    err[len] = '\0';
    close(master);
    int status = 0;
    waitpid(pid, &status, 0);
    sb_test_run r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = sb_test_slurp(out_path);
    r.err = err;
    assert_non_null(r.out);
    sb_test_rmtree(dir);
    free(dir);
    return r;
}

sb_test_run sb_test_cli_tty(const char *arg, ...)
{
    const char *argv[64];
    va_list ap;
    va_start(ap, arg);
    cli_argv(argv, arg, ap);
    va_end(ap);
    return sb_test_run_tty((char *const *)argv, NULL);
}

void sb_test_run_free(sb_test_run *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

sb_test_run sb_test_expect(sb_test_run r, int code)
{
    if (r.exit_code != code)
        fail_msg("exit %d, expected %d\nstdout: %s\nstderr: %s", r.exit_code,
                 code, r.out, r.err);
    return r;
}

size_t sb_test_sqlite_count(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    size_t n = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}
