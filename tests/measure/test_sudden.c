/* Tests for src/measure/sudden.c: the three criteria, each on its own,
 * applied over a whole series (the rule itself: tests/base/test_sudden.c). */
#include "support.h"

#include <securebase/measure.h>

#include <math.h>

static const sb_scale seven = {1, 7};

static void clear_gain(void **state)
{
    (void)state;
    const double x[6] = {5, 5, 5, 3, 3, 3};
    sb_sudden ev[4];
    size_t n = sb_sudden_find(x, 6, 1.0, seven, SB_HIGHER_WORSE, ev, 4);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].kind, SB_SUDDEN_GAIN);
    assert_int_equal(ev[0].index, 2);
    assert_float_equal(ev[0].magnitude, 2.0, 1e-12);
    assert_float_equal(ev[0].mean_before, 5.0, 1e-12);
    assert_float_equal(ev[0].mean_after, 3.0, 1e-12);
    assert_true(isinf(ev[0].t)); /* no spread on either side */
}

static void clear_loss(void **state)
{
    (void)state;
    const double x[6] = {2, 2, 2, 4, 4, 4};
    sb_sudden ev[4];
    assert_int_equal(sb_sudden_find(x, 6, 1.0, seven, SB_HIGHER_WORSE, ev, 4), 1);
    assert_int_equal(ev[0].kind, SB_SUDDEN_LOSS);
    /* the same rise on a score where higher is better is a gain */
    assert_int_equal(sb_sudden_find(x, 6, 1.0, seven, SB_HIGHER_BETTER, ev, 4), 1);
    assert_int_equal(ev[0].kind, SB_SUDDEN_GAIN);
}

static void criterion_one_threshold(void **state)
{
    (void)state;
    const double x[6] = {5, 5, 5, 3, 3, 3};
    sb_sudden ev[4];
    assert_int_equal(sb_sudden_find(x, 6, 2.5, seven, SB_HIGHER_WORSE, ev, 4), 0);
}

static void criterion_two_quarter(void **state)
{
    (void)state;
    /* 6 -> 5: 1 point is less than 25% of the 5 points above the floor */
    const double x[6] = {6, 6, 6, 5, 5, 5};
    sb_sudden ev[4];
    assert_int_equal(sb_sudden_find(x, 6, 0.5, seven, SB_HIGHER_WORSE, ev, 4), 0);
    /* 3 -> 2: 1 point is 50% of the 2 points above the floor */
    const double y[6] = {3, 3, 3, 2, 2, 2};
    assert_int_equal(sb_sudden_find(y, 6, 0.5, seven, SB_HIGHER_WORSE, ev, 4), 1);
}

static void criterion_three_stability(void **state)
{
    (void)state;
    /* see-saw: means 4.33 before and 3.67 after, t = -0.71 (df 4) */
    const double x[6] = {5, 3, 5, 3, 5, 3};
    sb_sudden ev[4];
    assert_int_equal(sb_sudden_find(x, 6, 1.0, seven, SB_HIGHER_WORSE, ev, 4), 0);
    /* too short: fewer than 2 sessions on each side */
    assert_int_equal(sb_sudden_find(x, 3, 1.0, seven, SB_HIGHER_WORSE, ev, 4), 0);
    const double gap[6] = {5, 5, NAN, 3, 3, 3};
    assert_int_equal(sb_sudden_find(gap, 6, 1.0, seven, SB_HIGHER_WORSE, ev, 4), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clear_gain),
        cmocka_unit_test(clear_loss),
        cmocka_unit_test(criterion_one_threshold),
        cmocka_unit_test(criterion_two_quarter),
        cmocka_unit_test(criterion_three_stability),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
