/*
 * Tests for src/cli/util.c and what every command shares: given an input
 * file that is not there, each exits 2 (usage or input error) and names
 * the file, as the README promises; and no command that writes a file ever
 * writes it over the journal or the files beside it.
 */
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MISSING "/nonexistent/securebase-missing"

typedef struct walk {
    const char *args[12];
    const char *named; /* the path the message must name */
} walk;

/* A new journal at `db` holding one person, `name`. */
static void journal_with(const char *db, const char *name)
{
    sb_test_run r = sb_test_cli("journal", "--db", db, "init", NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);
    r = sb_test_cli("journal", "--db", db, "add", "person", "--name", name,
                    NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);
}

static void every_missing_input_is_an_input_error(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4200], csv[4200], scenario[4200], out[4200];
    snprintf(db, sizeof db, "%s/j.db", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    journal_with(db, "Ana");
    sb_test_run r;
    free(sb_test_write(dir, "rq.csv", "rq_1,rq_2,rq_3,rq_4\n6,2,3,5\n"));
    snprintf(csv, sizeof csv, "%s/rq.csv", dir);
    free(sb_test_write(dir, "s.yaml",
                       "name: based\nbase: " MISSING "/base.yaml\n"));
    snprintf(scenario, sizeof scenario, "%s/s.yaml", dir);
    const walk cases[] = {
        {{"simulate", MISSING "/s.yaml"}, MISSING "/s.yaml"},
        {{"simulate", scenario, "-n", "10"}, MISSING "/base.yaml"},
        {{"scenarios", "--check", MISSING "/s.yaml"}, MISSING "/s.yaml"},
        {{"scenarios", "--resolved", MISSING "/s.yaml"}, MISSING "/s.yaml"},
        {{"score", "rq", MISSING "/data.csv"}, MISSING "/data.csv"},
        {{"score", MISSING "/i.yaml", csv}, MISSING "/i.yaml"},
        {{"score", "rq", csv, "--columns", MISSING "/map.csv"},
         MISSING "/map.csv"},
        {{"score", "rq", MISSING "/data.csv", "--alpha"}, MISSING "/data.csv"},
        {{"change", "rq", MISSING "/data.csv", "--id", "a", "--date", "b"},
         MISSING "/data.csv"},
        {{"change", MISSING "/i.yaml", csv, "--id", "a", "--date", "b"},
         MISSING "/i.yaml"},
        {{"change", "rq", csv, "--id", "a", "--date", "b", "--columns",
          MISSING "/map.csv"},
         MISSING "/map.csv"},
        {{"journal", "--db", db, "import", MISSING "/rows.csv"},
         MISSING "/rows.csv"},
        {{"report", "Ana", "--db", db, "--instrument", MISSING "/i.yaml",
          "--out", out},
         MISSING "/i.yaml"},
        {{"report", "Ana", "--db", MISSING "/j.db", "--out", out},
         MISSING "/j.db"},
        {{"journal", "--db", MISSING "/j.db", "list", "person"},
         MISSING "/j.db"},
        {{"journal", "--db", MISSING "/j.db", "add", "person", "--name", "B"},
         MISSING "/j.db"},
        {{"journal", "--db", MISSING "/j.db", "edit", "person", "1", "--name",
          "B"},
         MISSING "/j.db"},
        {{"journal", "--db", MISSING "/j.db", "delete", "person", "1"},
         MISSING "/j.db"},
        {{"journal", "--db", MISSING "/j.db", "import", csv}, MISSING "/j.db"},
        {{"journal", "--db", MISSING "/j.db", "export", "--format", "csv"},
         MISSING "/j.db"},
        {{"journal", "--db", MISSING "/j.db", "backup", out}, MISSING "/j.db"},
        {{"journal", "--db", MISSING "/j.db", "check"}, MISSING "/j.db"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const *a = cases[i].args;
        r = sb_test_cli(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                        a[9], a[10], a[11], NULL);
        if (r.exit_code != 2 || !strstr(r.err, cases[i].named))
            fail_msg("%s %s %s: exit %d (expected 2), stderr: %s", a[0], a[1],
                     a[2] ? a[2] : "", r.exit_code, r.err);
        sb_test_run_free(&r);
    }
    /* nothing was written by any of them */
    assert_null(sb_test_slurp(out));
    sb_test_rmtree(dir);
    free(dir);
}

/* No name in `dir` has our temporaries' tag: nothing was left behind. */
static void assert_no_temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".securebase-"))
            fail_msg("left behind: %s/%s", dir, e->d_name);
    closedir(d);
}

/* Every writer refuses the journal as its output: by its name, through a
 * link, and its -wal and -shm files; the journal stays as it was. */
static void no_writer_replaces_the_journal(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4200], link_path[4200], wal[4300], shm[4300], sim[4200], csv[4300];
    snprintf(db, sizeof db, "%s/q.db", dir);
    snprintf(link_path, sizeof link_path, "%s/link.html", dir);
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    snprintf(sim, sizeof sim, "%s/sim", dir);
    journal_with(db, "A");
    sb_test_run r;
    assert_int_equal(symlink(db, link_path), 0);
    /* simulate --out DIR, where one of its files is a link to the journal */
    assert_int_equal(mkdir(sim, 0755), 0);
    char sim_file[4300];
    snprintf(sim_file, sizeof sim_file, "%s/weekly.csv", sim);
    assert_int_equal(symlink(db, sim_file), 0);
    free(sb_test_write(dir, "rq.csv", "id,day,rq_1,rq_2,rq_3,rq_4\n"
                                      "p,2026-01-01,6,2,3,5\n"
                                      "p,2026-02-01,5,2,3,5\n"));
    snprintf(csv, sizeof csv, "%s/rq.csv", dir);
    size_t len_before, len_after;
    char *before = sb_test_bytes(db, &len_before);
    const char *targets[] = {db, link_path, wal, shm};
    for (size_t t = 0; t < 4; t++) {
        const char *out = targets[t];
        const char *cmds[][10] = {
            {"report", "A", "--db", db, "--out", out, "--weeks", "0"},
            {"journal", "--db", db, "export", "--format", "csv", "--out", out},
            {"journal", "--db", db, "backup", out},
            {"score", "rq", csv, "--out", out},
            {"change", "rq", csv, "--id", "id", "--date", "day", "--out", out},
        };
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
            const char *const *a = cmds[i];
            r = sb_test_cli(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
                            a[8], a[9], NULL);
            if (r.exit_code != 2 || (!strstr(r.err, "journal") &&
                                     !strstr(r.err, "SQLite database")))
                fail_msg("%s %s --out %s: exit %d, stderr: %s", a[0], a[1],
                         out, r.exit_code, r.err);
            sb_test_run_free(&r);
        }
    }
    r = sb_test_cli("simulate", "therapy-only", "-n", "10", "--weeks", "2",
                    "--out", sim, NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "SQLite database"));
    sb_test_run_free(&r);
    /* refused before anything of the run was written */
    snprintf(sim_file, sizeof sim_file, "%s/summary.json", sim);
    assert_null(sb_test_slurp(sim_file));
    char *after = sb_test_bytes(db, &len_after);
    assert_int_equal(len_after, len_before);
    assert_memory_equal(after, before, len_before);
    free(before);
    free(after);
    assert_no_temporaries(dir);
    assert_no_temporaries(sim);
    r = sb_test_cli("journal", "--db", link_path, "list", "person", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "A"));
    sb_test_run_free(&r);
    r = sb_test_cli("journal", "--db", db, "check", NULL);
    assert_string_equal(r.out, "ok\n");
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_missing_input_is_an_input_error),
        cmocka_unit_test(no_writer_replaces_the_journal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
