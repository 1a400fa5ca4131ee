/* Tests for src/cli/cmd_score.c: `securebase score` as a user runs it. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
    /* Per-person scores are private: 0600 whatever the umask allows. */
    struct stat sb;
    assert_int_equal(stat(out, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
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

/* --date is checked as `change` checks it: 2026-02-30 is refused, with the
 * same words, in both commands. */
static void dates_checked_as_change_does(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *csv = sb_test_write(dir, "v.csv",
                              "id,visit,rq_1,rq_2,rq_3,rq_4\n"
                              "A,2026-02-28,6,2,3,5\n"
                              "A,2026-02-30,6,2,3,5\n");
    const char *want = "v.csv:3:2: row 2, column 'visit': '2026-02-30' is not "
                       "a date (YYYY-MM-DD, optionally with a time) nor a "
                       "session number";
    sb_test_run r = sb_test_cli("score", "rq", csv, "--id", "id", "--date",
                                "visit", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, want));
    sb_test_run_free(&r);
    r = sb_test_cli("change", "rq", csv, "--id", "id", "--date", "visit", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, want));
    sb_test_run_free(&r);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

/* Three items a subscale, none reversed, answered 1-5. */
static const char three_three[] =
    "name: six\ntitle: Six items\nsource: Test (2024)\nkey_source: test\n"
    "missing_rule: none\nitems: 6\nscale: 1-5\nsubscales:\n"
    "  - name: first\n    items: [1-3]\n    higher: worse\n"
    "  - name: second\n    items: [4-6]\n    higher: worse\n";

/* The same items split four and two. */
static const char four_two[] =
    "name: six\ntitle: Six items\nsource: Test (2024)\nkey_source: test\n"
    "missing_rule: none\nitems: 6\nscale: 1-5\nsubscales:\n"
    "  - name: first\n    items: [1-4]\n    higher: worse\n"
    "  - name: second\n    items: [5-6]\n    higher: worse\n";

static sb_test_run alpha_of(const char *dir, const char *definition,
                            const char *rows)
{
    char *inst = sb_test_write(dir, "six.yaml", definition);
    char body[2048];
    snprintf(body, sizeof body, "six_1,six_2,six_3,six_4,six_5,six_6\n%s", rows);
    char *csv = sb_test_write(dir, "a.csv", body);
    sb_test_run r = sb_test_cli("score", inst, csv, "--alpha", NULL);
    free(inst);
    free(csv);
    return r;
}

/* An alpha that cannot be computed is never printed as nan with exit 0:
 * the report says why, and when no subscale has one the run fails. */
static void alpha_says_why_it_is_missing(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    /* one complete row for both subscales */
    sb_test_run r = alpha_of(dir, three_three, "1,2,3,4,5,1\n1,,3,4,,1\n");
    assert_int_equal(r.exit_code, 2);
    assert_null(strstr(r.out, "nan"));
    assert_non_null(strstr(r.err, "no Cronbach's alpha can be computed: "
                                  "first: only 1 row answers every item of "
                                  "it; alpha needs at least 2; second: only "
                                  "1 row"));
    sb_test_run_free(&r);
    /* single-item scores (the RQ's ratings) have no alpha at all */
    char *rq = sb_test_write(dir, "rq.csv", "rq_1,rq_2,rq_3,rq_4\n6,2,3,5\n"
                                            "5,2,3,4\n");
    r = sb_test_cli("score", "rq", rq, "--alpha", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "rq has no subscale of two or more items"));
    assert_string_equal(r.out, "");
    sb_test_run_free(&r);
    free(rq);
    /* no complete row at all */
    r = alpha_of(dir, three_three, "1,,3,4,,1\n");
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "first: no row answers every item of it"));
    sb_test_run_free(&r);
    /* answers that do not vary */
    r = alpha_of(dir, three_three, "2,2,2,3,3,3\n2,2,2,3,3,3\n2,2,2,3,3,3\n");
    assert_int_equal(r.exit_code, 2);
    assert_null(strstr(r.out, "nan"));
    assert_non_null(strstr(r.out, "first: alpha n/a (3 items, 3 complete "
                                  "rows): its total does not vary over the 3 "
                                  "complete rows"));
    assert_non_null(strstr(r.err, "no Cronbach's alpha can be computed"));
    sb_test_run_free(&r);
    /* one subscale computable, the other constant: the run succeeds and says
     * which one has no alpha; undefined item figures are n/a */
    r = alpha_of(dir, three_three, "1,1,2,3,3,3\n3,3,4,3,3,3\n5,4,5,3,3,3\n");
    assert_int_equal(r.exit_code, 0);
    assert_null(strstr(r.out, "nan"));
    assert_non_null(strstr(r.out, "first: alpha 0.9"));
    assert_non_null(strstr(r.out, "second: alpha n/a (3 items, 3 complete "
                                  "rows)"));
    assert_non_null(strstr(r.out, "     4   3.000   0.000           n/a"));
    assert_non_null(strstr(r.err, "no alpha for second: its total does not "
                                  "vary"));
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
}

/* An item that runs against the rest of its subscale is pointed out. */
static void negative_item_total_is_warned(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    /* item 4 runs against items 1-3 */
    sb_test_run r = alpha_of(dir, four_two,
                             "1,1,2,5,1,2\n2,3,2,4,2,2\n3,2,3,3,3,4\n"
                             "4,5,4,1,4,4\n5,4,5,2,5,5\n");
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "warning: item 4 correlates negatively "
                                  "with the rest of first: check "
                                  "reverse-keyed items"));
    assert_null(strstr(r.out, "rest of second"));
    assert_non_null(strstr(r.err, "first: item 4 correlates negatively"));
    sb_test_run_free(&r);
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

/* Ids that a spreadsheet would run as formulas come out with a leading
 * single quote; numbers, negative ones too, come out as they are. */
static void formula_like_ids_are_neutralised(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *csv = sb_test_write(dir, "rq.csv",
        "pid,rq_1,rq_2,rq_3,rq_4\n"
        "\"=HYPERLINK(\"\"http://x.test\"\")\",6,2,3,5\n"
        "@today,6,2,3,5\n"
        "-0.5,6,2,3,5\n"
        "-2+3+cmd|' /C calc'!A0,6,2,3,5\n"
        "\"\tx\",6,2,3,5\n"
        "'=quoted,6,2,3,5\n");
    sb_test_run r = sb_test_cli("score", "rq", csv, "--id", "pid", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "\n\"'=HYPERLINK(\"\"http://x.test\"\")\",2,"));
    assert_non_null(strstr(r.out, "\n'@today,3,"));
    assert_non_null(strstr(r.out, "\n-0.5,4,"));
    assert_non_null(strstr(r.out, "\n'-2+3+cmd|' /C calc'!A0,5,"));
    /* An unquoted cell loses blanks at its ends: the tab was quoted. */
    assert_non_null(strstr(r.out, "\n'\tx,6,"));
    /* A guard already in the input is read as one and written again. */
    assert_non_null(strstr(r.out, "\n'=quoted,7,"));
    sb_test_run_free(&r);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

/* A FIFO or a device as the data or the instrument is refused at once
 * (the time limit turns a hang into a failure); no output is written. */
static void non_regular_inputs_are_refused_at_once(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *fifo = sb_test_fifo(dir, "pipe.csv");
    char *csv = sb_test_write(dir, "rq.csv", "rq_1,rq_2,rq_3,rq_4\n6,2,3,5\n");
    char out[4200];
    snprintf(out, sizeof out, "%s/never.csv", dir);
    sb_test_cli_seconds = 20;
    sb_test_run r = sb_test_cli("score", "rq", fifo, "--out", out, NULL);
    assert_int_not_equal(r.exit_code, 0);
    assert_true(r.exit_code < 128);
    assert_non_null(strstr(r.err, "it is a FIFO (named pipe), not a regular "
                                  "file"));
    sb_test_run_free(&r);
    r = sb_test_cli("score", fifo, csv, "--out", out, NULL);
    assert_int_not_equal(r.exit_code, 0);
    assert_true(r.exit_code < 128);
    assert_non_null(strstr(r.err, "FIFO"));
    sb_test_run_free(&r);
    r = sb_test_cli("score", "/dev/zero", csv, "--out", out, NULL);
    assert_int_not_equal(r.exit_code, 0);
    assert_true(r.exit_code < 128);
    assert_non_null(strstr(r.err, "/dev/zero: cannot read: it is a character "
                                  "device"));
    sb_test_run_free(&r);
    r = sb_test_cli("score", "rq", csv, "--columns", fifo, NULL);
    assert_int_not_equal(r.exit_code, 0);
    assert_true(r.exit_code < 128);
    sb_test_run_free(&r);
    sb_test_cli_seconds = 0;
    assert_null(sb_test_slurp(out));
    free(fifo);
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
        cmocka_unit_test(dates_checked_as_change_does),
        cmocka_unit_test(alpha_says_why_it_is_missing),
        cmocka_unit_test(negative_item_total_is_warned),
        cmocka_unit_test(real_data_alpha),
        cmocka_unit_test(full_standard_output_fails),
        cmocka_unit_test(formula_like_ids_are_neutralised),
        cmocka_unit_test(non_regular_inputs_are_refused_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
