/*
 * Tests for src/measure/score.c: one administration of every instrument,
 * with expectations worked out by hand from the published keys.
 */
#include "support.h"

#include <securebase/measure.h>

#include <math.h>
#include <string.h>

typedef struct fixture {
    sb_instrument *inst;
    sb_scores *scores;
} fixture;

static fixture open_inst(const char *name)
{
    fixture f;
    sb_error err;
    assert_int_equal(sb_instrument_builtin(name, &f.inst, &err), SB_OK);
    assert_int_equal(sb_scores_new(f.inst, &f.scores, &err), SB_OK);
    return f;
}

static void close_inst(fixture *f)
{
    sb_scores_free(f->scores);
    sb_instrument_free(f->inst);
}

static void score(fixture *f, const double *x, size_t n, sb_scale scale)
{
    sb_error err;
    sb_status st = sb_instrument_score_items(f->inst, x, n, scale, f->scores, &err);
    if (st)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, SB_OK);
}

static const sb_scale seven = {1, 7};

static void ecr_r_all_ones(void **state)
{
    (void)state;
    fixture f = open_inst("ecr-r");
    double x[36];
    for (int i = 0; i < 36; i++)
        x[i] = 1;
    score(&f, x, 36, seven);
    /* anxiety: 16 answers of 1 and reversed 9, 11 as 7 -> 30 / 18 */
    assert_float_equal(f.scores->value[0], 30.0 / 18, 1e-12);
    /* avoidance: 12 reversed items as 7, 6 others as 1 -> 90 / 18 */
    assert_float_equal(f.scores->value[1], 5.0, 1e-12);
    assert_int_equal(f.scores->answered[0], 18);
    assert_false(f.scores->prorated);
    assert_string_equal(f.scores->category, "");
    close_inst(&f);
}

static void ecr_r_missing_limit(void **state)
{
    (void)state;
    fixture f = open_inst("ecr-r");
    double x[36];
    for (int i = 0; i < 36; i++)
        x[i] = 4;
    x[0] = x[1] = x[2] = NAN; /* 3 anxiety items missing: prorated */
    x[8] = 2;                 /* reversed: 8 - 2 = 6 */
    score(&f, x, 36, seven);
    /* 14 answers of 4 and one 6 over 15 answered items */
    assert_float_equal(f.scores->value[0], (14 * 4 + 6) / 15.0, 1e-12);
    assert_int_equal(f.scores->answered[0], 15);
    assert_true(f.scores->prorated);
    x[3] = NAN; /* a fourth: beyond the limit of 3 */
    score(&f, x, 36, seven);
    assert_true(isnan(f.scores->value[0]));
    assert_non_null(strstr(f.scores->reason[0], "4 of 18 items missing"));
    assert_float_equal(f.scores->value[1], 4.0, 1e-12);
    assert_string_equal(f.scores->reason[1], "");
    close_inst(&f);
}

static void ecr_s_mixed(void **state)
{
    (void)state;
    fixture f = open_inst("ecr-s");
    const double x[12] = {1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5};
    score(&f, x, 12, seven);
    /* anxiety 2,4,6,8r,10,12 = 2 + 4 + 6 + 7 + 3 + 5 */
    assert_float_equal(f.scores->value[0], 27.0 / 6, 1e-12);
    /* avoidance 1r,3,5r,7,9r,11 = 7 + 3 + 3 + 7 + 6 + 4 */
    assert_float_equal(f.scores->value[1], 30.0 / 6, 1e-12);
    close_inst(&f);
}

static void ecr_rs_targets_and_global(void **state)
{
    (void)state;
    fixture f = open_inst("ecr-rs");
    double x[36];
    const double per_target[4] = {7, 1, 4, 2}; /* mother, father, partner, friend */
    for (int t = 0; t < 4; t++)
        for (int i = 0; i < 9; i++)
            x[t * 9 + i] = per_target[t];
    score(&f, x, 36, seven);
    const double *v = f.scores->value;
    assert_float_equal(v[0], 18.0 / 6, 1e-12); /* mother avoidance: 1,1,1,1,7,7 */
    assert_float_equal(v[1], 7.0, 1e-12);
    assert_float_equal(v[2], 30.0 / 6, 1e-12); /* father: 7,7,7,7,1,1 */
    assert_float_equal(v[3], 1.0, 1e-12);
    assert_float_equal(v[4], 4.0, 1e-12);
    assert_float_equal(v[6], 28.0 / 6, 1e-12); /* friend: 6,6,6,6,2,2 */
    assert_float_equal(v[8], (3.0 + 5.0 + 4.0 + 28.0 / 6) / 4, 1e-12);
    assert_float_equal(v[9], (7.0 + 1 + 4 + 2) / 4, 1e-12);
    /* one anxiety item missing for the partner: no partner anxiety, no global */
    x[2 * 9 + 7] = NAN;
    score(&f, x, 36, seven);
    assert_true(isnan(f.scores->value[5]));
    assert_true(isnan(f.scores->value[9]));
    assert_non_null(strstr(f.scores->reason[9], "partner_anxiety"));
    assert_float_equal(f.scores->value[8], (3.0 + 5.0 + 4.0 + 28.0 / 6) / 4, 1e-12);
    close_inst(&f);
}

/* avoidance = 1 and anxiety = 1 on the ECR: keyed answers all 1. */
static void ecr_secure_and_preoccupied(void **state)
{
    (void)state;
    fixture f = open_inst("ecr");
    double x[36];
    for (int i = 1; i <= 36; i++)
        x[i - 1] = sb_instrument_item_reversed(f.inst, (size_t)i) ? 7 : 1;
    score(&f, x, 36, seven);
    assert_float_equal(f.scores->value[0], 1.0, 1e-12);
    assert_float_equal(f.scores->value[1], 1.0, 1e-12);
    /* at (1, 1): secure -2.77 beats dismissing -9.92, preoccupied -14.82,
     * fearful -16.94 */
    assert_string_equal(f.scores->category, "secure");
    /* all answers 7: avoidance (9 reversed odd items) = (9 + 63) / 18 = 4,
     * anxiety (only 22 reversed) = (17 * 7 + 1) / 18 */
    for (int i = 0; i < 36; i++)
        x[i] = 7;
    score(&f, x, 36, seven);
    assert_float_equal(f.scores->value[0], 4.0, 1e-12);
    assert_float_equal(f.scores->value[1], 120.0 / 18, 1e-12);
    /* preoccupied 51.98 beats fearful 51.11, dismissing 40.16, secure 38.11 */
    assert_string_equal(f.scores->category, "preoccupied");
    close_inst(&f);
}

static void ecr_category_needs_seven_points(void **state)
{
    (void)state;
    fixture f = open_inst("ecr");
    double x[36];
    for (int i = 0; i < 36; i++)
        x[i] = 3;
    const sb_scale five = {1, 5};
    score(&f, x, 36, five);
    assert_float_equal(f.scores->value[0], 3.0, 1e-12); /* 6 - 3 = 3 */
    assert_string_equal(f.scores->category, "");
    assert_non_null(strstr(f.scores->category_reason, "1-7"));
    close_inst(&f);
}

static void rq_dimensions_and_ties(void **state)
{
    (void)state;
    fixture f = open_inst("rq");
    const double x[4] = {6, 2, 3, 5}; /* secure, fearful, preoccupied, dismissing */
    score(&f, x, 4, seven);
    assert_float_equal(f.scores->value[4], (6 + 5) - (2 + 3), 1e-12);
    assert_float_equal(f.scores->value[5], (6 + 3) - (2 + 5), 1e-12);
    assert_string_equal(f.scores->category, "secure");
    assert_string_equal(f.scores->category_reason, "");
    const double tie[4] = {5, 5, 1, 1};
    score(&f, tie, 4, seven);
    assert_string_equal(f.scores->category, "secure/fearful");
    assert_non_null(strstr(f.scores->category_reason, "tie"));
    const double gap[4] = {5, NAN, 1, 1};
    score(&f, gap, 4, seven);
    assert_true(isnan(f.scores->value[1]));
    assert_true(isnan(f.scores->value[4]));
    assert_string_equal(f.scores->category, "");
    assert_non_null(strstr(f.scores->category_reason, "fearful"));
    close_inst(&f);
}

static void bad_answers_are_errors(void **state)
{
    (void)state;
    fixture f = open_inst("ecr-s");
    double x[12];
    for (int i = 0; i < 12; i++)
        x[i] = 4;
    sb_error err;
    x[4] = 8;
    assert_int_equal(sb_instrument_score_items(f.inst, x, 12, seven, f.scores, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "item 5: answer 8 is outside the scale 1-7"));
    x[4] = 2.5;
    assert_int_equal(sb_instrument_score_items(f.inst, x, 12, seven, f.scores, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "not a whole number"));
    x[4] = 2;
    assert_int_equal(sb_instrument_score_items(f.inst, x, 11, seven, f.scores, &err),
                     SB_ERR_INVALID);
    const sb_scale empty = {3, 3};
    assert_int_equal(sb_instrument_score_items(f.inst, x, 12, empty, f.scores, &err),
                     SB_ERR_INVALID);
    close_inst(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ecr_r_all_ones),
        cmocka_unit_test(ecr_r_missing_limit),
        cmocka_unit_test(ecr_s_mixed),
        cmocka_unit_test(ecr_rs_targets_and_global),
        cmocka_unit_test(ecr_secure_and_preoccupied),
        cmocka_unit_test(ecr_category_needs_seven_points),
        cmocka_unit_test(rq_dimensions_and_ties),
        cmocka_unit_test(bad_answers_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
