/* Tests for src/cli/cmd_score.c: `securebase score` as a user runs it. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static void help_and_usage(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli("score", "--help", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "--columns"));
    assert_non_null(strstr(r.out, "--lenient"));
    sb_test_run_free(&r);
    r = sb_test_cli("score", "rq", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "expects INSTRUMENT and FILE.csv"));
    sb_test_run_free(&r);
    r = sb_test_cli("score", "rq", "x.csv", "--scale", "7-1", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--scale expects MIN-MAX"));
    sb_test_run_free(&r);
    r = sb_test_cli("score", "rq", "x.csv", "--scale", "1- 7", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "got '1- 7'"));
    sb_test_run_free(&r);
    r = sb_test_cli("score", "nosuch", "x.csv", NULL);
    assert_int_equal(r.exit_code, 2);
    sb_test_run_free(&r);
}

static void scores_a_file(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *csv = sb_test_write(dir, "rq.csv",
        "record_id,visit,A,B,C,D\r\n"
        "1,2024-03-01,6,2,3,5\r\n"
        "2,2024-03-02,5,5,1,\r\n");
    char *map = sb_test_write(dir, "map.csv", "item,column\n1,A\n2,B\n3,C\n4,D\n");
    char out[4200];
    snprintf(out, sizeof out, "%s/scores.csv", dir);
    sb_test_run r = sb_test_cli("score", "rq", csv, "--columns", map, "--id",
                                "record_id", "--date", "visit", "--out", out, NULL);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, "");
    char *text = sb_test_slurp(out);
    assert_non_null(text);
    assert_string_equal(text,
        "id,date,line,secure,fearful,preoccupied,dismissing,model_of_self,"
        "model_of_other,secure_answered,fearful_answered,preoccupied_answered,"
        "dismissing_answered,category,status,note\n"
        "1,2024-03-01,2,6.0000,2.0000,3.0000,5.0000,6.0000,2.0000,1,1,1,1,"
        "secure,ok,\n"
        "2,2024-03-02,3,5.0000,5.0000,1.0000,,,,1,1,1,0,,incomplete,"
        "\"dismissing: 1 of 1 items missing, more than the 0 allowed; "
        "model_of_self: needs dismissing, which is empty; model_of_other: needs "
        "dismissing, which is empty; category needs dismissing, which is empty\"\n");
    free(text);
    sb_test_run_free(&r);
    free(csv);
    free(map);
    sb_test_rmtree(dir);
    free(dir);
}

static void errors_name_line_column_value(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *csv = sb_test_write(dir, "bad.csv", "Q1,Q2,Q3,Q4\n1,2,3,4\n1,2,three,4\n");
    char out[4200];
    snprintf(out, sizeof out, "%s/never.csv", dir);
    sb_test_run r = sb_test_cli("score", "rq", csv, "--columns", "Q{n}", "--out",
                                out, NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "bad.csv:3:3: row 2, column 'Q3': answer 'three' "
                                  "is not a number"));
    assert_null(sb_test_slurp(out)); /* nothing half-written */
    sb_test_run_free(&r);
    r = sb_test_cli("score", "rq", csv, "--columns", "Q{n}", "--lenient", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "\n3,,,,,,,,,,,,error,\"line 3, row 2, column 'Q3'"));
    assert_non_null(strstr(r.err, "1 of 2 rows flagged"));
    sb_test_run_free(&r);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

/* Cronbach's alpha of the two subscales as the data's README gives them. */
static void real_alphas(const char *out)
{
    double avoid = 0, anx = 0;
    const char *a = strstr(out, "avoidance: alpha ");
    const char *b = strstr(out, "anxiety: alpha ");
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(sscanf(a, "avoidance: alpha %lf", &avoid), 1);
    assert_int_equal(sscanf(b, "anxiety: alpha %lf", &anx), 1);
    assert_true(avoid >= 0.935 && avoid < 0.945);
    assert_true(anx >= 0.915 && anx < 0.925);
}

/* The real data through the command: alpha .94 and .92 as the README says,
 * with the columns named and with them found in the header (Q1..Q36), which
 * standard error then says. */
static void real_data_alpha(void **state)
{
    (void)state;
    char data[4200];
    sb_test_shared_path("data/ecr-openpsychometrics/data.csv", data,
                        sizeof data);
    for (int named = 1; named >= 0; named--) {
        sb_test_run r =
            named ? sb_test_cli("score", "ecr", data, "--columns", "Q{n}",
                                "--scale", "1-5", "--missing", "0", "--alpha",
                                NULL)
                  : sb_test_cli("score", "ecr", data, "--scale", "1-5",
                                "--missing", "0", "--alpha", NULL);
        assert_int_equal(r.exit_code, 0);
        assert_string_equal(r.err,
                            named ? ""
                                  : "securebase: ecr items read from the "
                                    "columns Q1..Q36 (pattern 'Q{n}' found in "
                                    "the header; --columns chooses others)\n");
        real_alphas(r.out);
        sb_test_run_free(&r);
    }
}

/* Standard output that cannot take the scores is a failure (exit 1), said. */
static void full_standard_output_fails(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *csv = sb_test_write(dir, "rq.csv", "rq_1,rq_2,rq_3,rq_4\n6,2,3,5\n");
    char cmd[13000], err_path[4200];
    snprintf(err_path, sizeof err_path, "%s/stderr", dir);
    snprintf(cmd, sizeof cmd, "'%s' score rq '%s' >/dev/full 2>'%s'",
             SB_CLI_PATH, csv, err_path);
    int status = system(cmd);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    char *err = sb_test_slurp(err_path);
    assert_non_null(err);
    assert_non_null(strstr(err, "<stdout>: cannot write the results"));
    free(err);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_and_usage),
        cmocka_unit_test(scores_a_file),
        cmocka_unit_test(errors_name_line_column_value),
        cmocka_unit_test(real_data_alpha),
        cmocka_unit_test(full_standard_output_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
