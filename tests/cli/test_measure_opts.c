/*
 * The plumbing shared by `score` and `change` (src/cli/measure_opts.c):
 * item columns found in the export's header are said on standard error,
 * once, and a header that fits no pattern, or two, is an input error
 * (tests/cli/test_score.c finds the real export's Q1..Q36).
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void found_columns_are_said_once(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *csv = sb_test_write(dir, "rq.csv",
                              "id,when,RQ_1,RQ_2,RQ_3,RQ_4,RQ_5\n"
                              "A,2026-01-05,6,2,3,5,1\n"
                              "A,2026-03-02,7,1,2,4,1\n");
    sb_test_run r = sb_test_cli("score", "rq", csv, "--id", "id", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "\nA,2,6.0000,2.0000,3.0000,5.0000"));
    assert_string_equal(r.err,
                        "securebase: rq items read from the columns RQ_1..RQ_4 "
                        "(pattern 'RQ_{n}' found in the header; --columns "
                        "chooses others)\n"
                        "securebase: 1 more column fits 'RQ_{n}' with a number "
                        "outside 1-4 and is not read\n");
    sb_test_run_free(&r);
    /* change reads a grouped file twice and says it once */
    r = sb_test_cli("change", "rq", csv, "--id", "id", "--date", "when", NULL);
    assert_int_equal(r.exit_code, 0);
    const char *said = strstr(r.err, "rq items read from the columns RQ_1..RQ_4");
    assert_non_null(said);
    assert_null(strstr(said + 10, "items read from"));
    sb_test_run_free(&r);
    /* the instrument's own names need no word */
    char *own = sb_test_write(dir, "own.csv", "rq_1,rq_2,rq_3,rq_4\n6,2,3,5\n");
    r = sb_test_cli("score", "rq", own, NULL);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    sb_test_run_free(&r);
    free(own);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

static void ambiguous_or_unknown_headers_are_input_errors(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *two = sb_test_write(dir, "two.csv", "id,Q1,Q2,Q3,Q4,1,2,3,4\n"
                                              "A,1,2,3,4,1,2,3,4\n");
    sb_test_run r = sb_test_cli("score", "rq", two, NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "two.csv:1: the header fits more than one "
                                  "column pattern for the 4 items of rq: "
                                  "'Q{n}' and '{n}'; say which with --columns"));
    sb_test_run_free(&r);
    /* --columns settles it */
    r = sb_test_cli("score", "rq", two, "--columns", "Q{n}", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    sb_test_run_free(&r);
    char *none = sb_test_write(dir, "none.csv", "id,a,b,c,d\nA,1,2,3,4\n");
    r = sb_test_cli("change", "rq", none, "--id", "id", "--date", "a", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "none fits rq_{n}, Q{n}, item{n}, {n}"));
    sb_test_run_free(&r);
    free(two);
    free(none);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(found_columns_are_said_once),
        cmocka_unit_test(ambiguous_or_unknown_headers_are_input_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
