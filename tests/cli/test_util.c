/*
 * Tests for src/cli/util.c and the exit codes it maps: every command, given
 * an input file that is not there, exits 2 (usage or input error) and names
 * the file, as the README promises.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MISSING "/nonexistent/securebase-missing"

typedef struct walk {
    const char *args[12];
    const char *named; /* the path the message must name */
} walk;

static void every_missing_input_is_an_input_error(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4200], csv[4200], scenario[4200], out[4200];
    snprintf(db, sizeof db, "%s/j.db", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    sb_test_run r = sb_test_cli("journal", "--db", db, "init", NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);
    r = sb_test_cli("journal", "--db", db, "add", "person", "--name", "Ana",
                    NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_missing_input_is_an_input_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
