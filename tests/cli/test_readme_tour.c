/*
 * The README's tour runs as printed: its commands are read from README.md
 * (the indented block under "## A short tour") and run, in order and
 * verbatim, by sh -e in a fresh directory holding a copy of examples/, with
 * a fresh HOME and the built securebase first on the PATH. A command that
 * fails, or an output the tour promises that is missing, fails the test,
 * so the README cannot drift from the code.
 */
#include "support.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The tour's commands, one a line, from README.md (caller frees). */
static char *tour_commands(size_t *count)
{
    char *readme = sb_test_slurp(SB_SOURCE_DIR "/README.md");
    assert_non_null(readme);
    char *start = strstr(readme, "\n## A short tour\n");
    if (!start)
        fail_msg("README.md has no '## A short tour' section");
    start += strlen("\n## A short tour\n");
    char *end = strstr(start, "\n## ");
    if (end)
        *end = '\0';
    size_t size = strlen(start) + 1, n = 0, lines = 0;
    char *script = malloc(size);
    assert_non_null(script);
    for (char *line = start; *line;) {
        size_t len = strcspn(line, "\n");
        if (len > 4 && !strncmp(line, "    ", 4)) {
            memcpy(script + n, line + 4, len - 4);
            n += len - 4;
            script[n++] = '\n';
            lines++;
        }
        line += len + (line[len] == '\n');
    }
    script[n] = '\0';
    free(readme);
    *count = lines;
    return script;
}

static void must_exist(const char *dir, const char *name, int mode)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    if (stat(path, &st) != 0 || st.st_size == 0)
        fail_msg("the tour should have written %s", name);
    if (mode && (st.st_mode & 0777) != (unsigned)mode)
        fail_msg("%s has mode %o, not %o", name, st.st_mode & 0777, mode);
}

static void the_tour_runs_as_printed(void **state)
{
    (void)state;
    size_t count;
    char *commands = tour_commands(&count);
    if (count < 10)
        fail_msg("the tour in README.md has %zu commands; expected at least "
                 "10 indented lines", count);
    char *dir = sb_test_tmpdir();
    char work[4200], home[4200], log[4300];
    snprintf(work, sizeof work, "%s/clone", dir);
    snprintf(home, sizeof home, "%s/home", dir);
    snprintf(log, sizeof log, "%s/log.txt", dir);
    assert_int_equal(mkdir(work, 0700), 0);
    assert_int_equal(mkdir(home, 0700), 0);
    free(sb_test_write(work, "tour.sh", commands));

    char cli[4200], env_path[8400];
    snprintf(cli, sizeof cli, "%s", SB_CLI_PATH);
    const char *old_path = getenv("PATH");
    snprintf(env_path, sizeof env_path, "%s:%s", dirname(cli),
             old_path ? old_path : "/usr/bin:/bin");
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* One file for both, in the order written. */
        if (!freopen(log, "w", stdout) || dup2(1, 2) < 0 ||
            !freopen("/dev/null", "r", stdin))
            _exit(126);
        setvbuf(stdout, NULL, _IONBF, 0);
        /* What the clone holds that the tour uses: examples/. */
        char copy[8600];
        snprintf(copy, sizeof copy, "cp -R '%s/examples' '%s/'", SB_SOURCE_DIR,
                 work);
        if (system(copy) != 0 || chdir(work) != 0)
            _exit(125);
        setenv("HOME", home, 1);
        setenv("PATH", env_path, 1);
        unsetenv("XDG_DATA_HOME");
        unsetenv("SECUREBASE");
        execlp("sh", "sh", "-e", "-x", "tour.sh", (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char *text = sb_test_slurp(log);
        size_t len = text ? strlen(text) : 0;
        fail_msg("the README's tour failed (exit %d); the end of its output:"
                 "\n%s", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                 text ? text + (len > 6000 ? len - 6000 : 0) : "(none)");
    }
    /* What the tour says it writes. */
    must_exist(work, "results/summary.json", 0);
    must_exist(work, "results/weekly.csv", 0);
    must_exist(work, "results/trajectories.csv", 0);
    must_exist(work, "results/fortnightly-therapy.svg", 0);
    must_exist(work, "ana.html", 0600);
    must_exist(work, "alex.html", 0600);
    must_exist(home, ".local/share/securebase/journal.db", 0600);
    char *text = sb_test_slurp(log);
    assert_non_null(text);
    /* The export's columns are found and said. */
    assert_non_null(strstr(text, "ecr items read from the columns Q1..Q36"));
    free(text);
    free(commands);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_tour_runs_as_printed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
