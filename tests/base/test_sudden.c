/*
 * Tests for src/base/sudden.c: the Tang & DeRubeis rule on one interval,
 * with hand-computed t values, windows shortened at a series' ends, and
 * both directions of scale.
 */
#include "support.h"

#include <securebase/base.h>

#include <math.h>

static void a_clean_drop_is_a_gain_with_its_figures(void **state)
{
    (void)state;
    /* means 4.033 and 3.033; pooled variance 0.01333 / 4, so
     * t = -1 / sqrt(0.003333 * 2/3) = -21.21 */
    const double x[6] = {4.0, 4.1, 4.0, 3.0, 3.1, 3.0};
    sb_sudden e;
    assert_int_equal(sb_sudden_test(x, 3, 3, 0.55, 1, 1, &e), 1);
    assert_int_equal(e.kind, SB_SUDDEN_GAIN);
    assert_float_equal(e.pre, 4.0, 0);
    assert_float_equal(e.post, 3.0, 0);
    assert_float_equal(e.magnitude, 1.0, 1e-12);
    assert_float_equal(e.mean_before, 4.1 / 3 + 8.0 / 3, 1e-12);
    assert_float_equal(e.t, -21.2132034356, 1e-6);
    /* the mirror image is a loss */
    const double y[6] = {3.0, 3.1, 3.0, 4.0, 4.1, 4.0};
    assert_int_equal(sb_sudden_test(y, 3, 3, 0.55, 1, 1, &e), 1);
    assert_int_equal(e.kind, SB_SUDDEN_LOSS);
}

static void each_criterion_can_refuse(void **state)
{
    (void)state;
    sb_sudden e;
    /* 1: a drop of 0.5 under a threshold of 0.55 */
    const double small[6] = {4.0, 4.0, 4.0, 3.5, 3.5, 3.5};
    assert_int_equal(sb_sudden_test(small, 3, 3, 0.55, 1, 1, &e), 0);
    /* 2: 6 -> 5 is less than a quarter of the 5 points above the floor;
     * 5 -> 4 is exactly a quarter of 4, which is enough */
    const double high[6] = {6, 6, 6, 5, 5, 5};
    assert_int_equal(sb_sudden_test(high, 3, 3, 0.5, 1, 1, &e), 0);
    const double quarter[6] = {5, 5, 5, 4, 4, 4};
    assert_int_equal(sb_sudden_test(quarter, 3, 3, 0.5, 1, 1, &e), 1);
    /* 3: a see-saw whose means barely differ */
    const double saw[6] = {5, 3, 5, 3, 5, 3};
    assert_int_equal(sb_sudden_test(saw, 3, 3, 1.0, 1, 1, &e), 0);
    /* means that move against the change */
    const double against[6] = {2, 2, 5, 3, 6, 6};
    assert_int_equal(sb_sudden_test(against, 3, 3, 1.0, 1, 1, &e), 0);
}

static void a_short_window_needs_a_larger_t(void **state)
{
    (void)state;
    sb_sudden e;
    /* 3 + 2 scores: t = -2.93 with df 3 falls short of 3.182 */
    const double end[5] = {4.6, 5.4, 5.0, 4.0, 4.2};
    assert_int_equal(sb_sudden_test(end, 3, 2, 0.5, 1, 1, &e), 0);
    /* 3 + 3: t = -3.10 with df 4 passes 2.776 */
    const double full[6] = {4.6, 5.4, 5.0, 4.0, 4.2, 4.4};
    assert_int_equal(sb_sudden_test(full, 3, 3, 0.5, 1, 1, &e), 1);
    assert_float_equal(e.t, -3.0983866770, 1e-6);
    /* fewer than two scores on a side is no test at all */
    assert_int_equal(sb_sudden_test(full, 1, 3, 0.5, 1, 1, &e), 0);
    assert_int_equal(sb_sudden_test(full, 3, 1, 0.5, 1, 1, &e), 0);
    assert_int_equal(sb_sudden_test(full, 3, 3, 0, 1, 1, &e), 0);
}

static void higher_better_scores_mirror_the_rule(void **state)
{
    (void)state;
    sb_sudden e;
    /* on a 1-7 score where 7 is best, a rise is a gain; 3 -> 4 is a quarter
     * of the 4 points below 7 */
    const double rise[6] = {3, 3, 3, 4, 4, 4};
    assert_int_equal(sb_sudden_test(rise, 3, 3, 0.5, 7, 0, &e), 1);
    assert_int_equal(e.kind, SB_SUDDEN_GAIN);
    /* 2 -> 3 is less than a quarter of the 5 points below 7 */
    const double low[6] = {2, 2, 2, 3, 3, 3};
    assert_int_equal(sb_sudden_test(low, 3, 3, 0.5, 7, 0, &e), 0);
}

static void t_table(void **state)
{
    (void)state;
    assert_true(isnan(sb_t_critical_05(0)));
    assert_float_equal(sb_t_critical_05(2), 4.303, 1e-9);
    assert_float_equal(sb_t_critical_05(4), 2.776, 1e-9);
    assert_float_equal(sb_t_critical_05(30), 1.96, 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_clean_drop_is_a_gain_with_its_figures),
        cmocka_unit_test(each_criterion_can_refuse),
        cmocka_unit_test(a_short_window_needs_a_larger_t),
        cmocka_unit_test(higher_better_scores_mirror_the_rule),
        cmocka_unit_test(t_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
