/* Tests for src/cli/cmd_change.c: reliable change and sudden gains end to end. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Two items on 1-7, retest .75, functional 3 (SD 1), dysfunctional 5 (SD .5). */
static const char instrument[] =
    "name: two\ntitle: Two items\nsource: Test (2024)\nkey_source: test\n"
    "missing_rule: none\nitems: 2\nscale: 1-7\nsubscales:\n"
    "  - name: total\n    items: [1-2]\n    higher: worse\n"
    "    reliability:\n      - {kind: retest, value: 0.75, scale: 1-7, sample: s, source: t}\n"
    "    norms:\n"
    "      - {population: functional, mean: 3, sd: 1, scale: 1-7, sample: f, source: t}\n"
    "      - {population: dysfunctional, mean: 5, sd: 0.5, scale: 1-7, sample: d, source: t}\n";

static void reliable_change_by_hand(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *inst = sb_test_write(dir, "two.yaml", instrument);
    char *csv = sb_test_write(dir, "visits.csv",
        "pid,day,two_1,two_2\n"
        "B,2024-02-01,5,4\n"
        "A,2024-01-01,6,6\n"
        "B,2024-01-01,5,5\n"
        "A,2024-02-01,3,3\n"
        "C,2024-01-01,3,3\n"
        "C,2024-01-09,4,4\n");
    sb_test_run r = sb_test_cli("change", inst, csv, "--id", "pid", "--date", "day", NULL);
    assert_int_equal(r.exit_code, 0);
    /* S_diff = sqrt(2) * 0.5 * sqrt(0.25) = 0.35355; a = 4, b = 5,
     * c = (0.5 * 3 + 1 * 5) / 1.5 = 4.3333 */
    assert_string_equal(r.out,
        "id,first_date,date,score,first,value,change,rci,cutoff_a,cutoff_b,"
        "cutoff_c,status,note\n"
        "A,2024-01-01,2024-02-01,total,6.0000,3.0000,-3.0000,-8.4853,4.0000,"
        "5.0000,4.3333,recovered,\n"
        "B,2024-01-01,2024-02-01,total,5.0000,4.5000,-0.5000,-1.4142,4.0000,"
        "5.0000,4.3333,unchanged,\n"
        "C,2024-01-01,2024-01-09,total,3.0000,4.0000,1.0000,2.8284,4.0000,"
        "5.0000,4.3333,deteriorated,\n");
    sb_test_run_free(&r);
    free(inst);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

static void sudden_gain_by_sessions(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *inst = sb_test_write(dir, "two.yaml", instrument);
    char *csv = sb_test_write(dir, "s.csv",
        "pid,session,two_1,two_2\n"
        "A,1,6,6\nA,2,6,6\nA,3,6,6\nA,4,3,3\nA,5,3,3\nA,6,3,3\n");
    sb_test_run r = sb_test_cli("change", inst, csv, "--id", "pid", "--date",
                                "session", "--sudden", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out,
        "id,score,kind,from_date,to_date,pre,post,magnitude,mean_before,"
        "mean_after,t\n"
        "A,total,gain,3,4,6.0000,3.0000,3.0000,6.0000,3.0000,-inf\n");
    sb_test_run_free(&r);
    free(inst);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

static void input_errors(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *inst = sb_test_write(dir, "two.yaml", instrument);
    struct { const char *csv; const char *needle; } bad[] = {
        {"pid,day,two_1,two_2\nA,2024-01-01,1,1\nA,2024-01-01,2,2\n",
         "two administrations on '2024-01-01' (lines 2 and 3)"},
        {"pid,day,two_1,two_2\nA,2024-02-30,1,1\n", "'2024-02-30' is not a date"},
        {"pid,day,two_1,two_2\nA,01/02/2024,1,1\n", "is not a date"},
        {"pid,day,two_1,two_2\nA,2024-01-01,1,1\nA,3,1,1\n", "mixes dates"},
        {"pid,day,two_1,two_2\n,2024-01-01,1,1\n", "the id is empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *csv = sb_test_write(dir, "bad.csv", bad[i].csv);
        sb_test_run r = sb_test_cli("change", inst, csv, "--id", "pid", "--date",
                                    "day", NULL);
        assert_int_equal(r.exit_code, 2);
        if (!strstr(r.err, bad[i].needle))
            fprintf(stderr, "%s", r.err);
        assert_non_null(strstr(r.err, bad[i].needle));
        sb_test_run_free(&r);
        free(csv);
    }
    sb_test_run r = sb_test_cli("change", inst, "x.csv", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--id COL and --date COL"));
    sb_test_run_free(&r);
    free(inst);
    sb_test_rmtree(dir);
    free(dir);
}

/* A built-in without reliability: change is given, RCI and status are not. */
static void no_norms_said_plainly(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *csv = sb_test_write(dir, "rq.csv",
        "id,d,rq_1,rq_2,rq_3,rq_4\nA,1,2,6,5,5\nA,2,6,2,3,5\n");
    sb_test_run r = sb_test_cli("change", "rq", csv, "--id", "id", "--date", "d", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "A,1,2,secure,2.0000,6.0000,4.0000,,,,,,"
                                  "no reliability and SD for answers on 1-7"));
    sb_test_run_free(&r);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reliable_change_by_hand),
        cmocka_unit_test(sudden_gain_by_sessions),
        cmocka_unit_test(input_errors),
        cmocka_unit_test(no_norms_said_plainly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
