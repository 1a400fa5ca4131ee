/* Tests for src/measure/score_csv.c: the columns and quoting of the output. */
#include "support.h"

#include <securebase/measure.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *render(const sb_instrument *inst, const sb_scored_row *row,
                    int id, int date)
{
    char *dir = sb_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/o.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(sb_scores_write_header(f, inst, id, date), 0);
    assert_int_equal(sb_scores_write_row(f, inst, id, date, row), 0);
    fclose(f);
    char *text = sb_test_slurp(path);
    sb_test_rmtree(dir);
    free(dir);
    return text;
}

static void rq_row(void **state)
{
    (void)state;
    sb_instrument *inst;
    sb_scores *sc;
    assert_int_equal(sb_instrument_builtin("rq", &inst, NULL), SB_OK);
    assert_int_equal(sb_scores_new(inst, &sc, NULL), SB_OK);
    const double x[4] = {6, 2, 3, 5};
    const sb_scale seven = {1, 7};
    assert_int_equal(sb_instrument_score_items(inst, x, 4, seven, sc, NULL), SB_OK);
    sb_scored_row row = {12, "a,b", "2024-01-02", sc, NULL, NULL};
    char *text = render(inst, &row, 1, 1);
    assert_string_equal(text,
        "id,date,line,secure,fearful,preoccupied,dismissing,model_of_self,"
        "model_of_other,secure_answered,fearful_answered,preoccupied_answered,"
        "dismissing_answered,category,status,note\n"
        "\"a,b\",2024-01-02,12,6.0000,2.0000,3.0000,5.0000,6.0000,2.0000,"
        "1,1,1,1,secure,ok,\n");
    free(text);
    const double y[4] = {6, NAN, 3, 5};
    assert_int_equal(sb_instrument_score_items(inst, y, 4, seven, sc, NULL), SB_OK);
    text = render(inst, &row, 0, 0);
    assert_non_null(strstr(text, "\n12,6.0000,,3.0000,5.0000,,,1,0,1,1,,incomplete,"
                                 "\"fearful: 1 of 1 items missing, more than the 0 allowed; "));
    free(text);
    sb_scores_free(sc);
    sb_instrument_free(inst);
}

static void error_and_prorated_rows(void **state)
{
    (void)state;
    sb_instrument *inst;
    sb_scores *sc;
    assert_int_equal(sb_instrument_builtin("ecr-s", &inst, NULL), SB_OK);
    assert_int_equal(sb_scores_new(inst, &sc, NULL), SB_OK);
    double x[12];
    for (int i = 0; i < 12; i++)
        x[i] = 4;
    x[1] = NAN;
    const sb_scale seven = {1, 7};
    assert_int_equal(sb_instrument_score_items(inst, x, 12, seven, sc, NULL), SB_OK);
    sb_scored_row row = {3, "", "", sc, NULL, NULL};
    char *text = render(inst, &row, 0, 0);
    assert_non_null(strstr(text, "\n3,4.0000,4.0000,5,6,prorated,\n"));
    free(text);
    sc->value[0] = sc->value[1] = NAN;
    row.error = "line 3, answer 'x' is not a number";
    text = render(inst, &row, 0, 0);
    assert_non_null(strstr(text, "\n3,,,,,error,\"line 3, answer 'x' is not a number\"\n"));
    free(text);
    sb_scores_free(sc);
    sb_instrument_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rq_row),
        cmocka_unit_test(error_and_prorated_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
