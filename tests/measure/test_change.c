/* Tests for src/measure/change.c: Jacobson-Truax figures by hand. */
#include "support.h"

#include <securebase/measure.h>

#include <math.h>

static void rci_by_hand(void **state)
{
    (void)state;
    double sdiff, rci;
    /* SD 1, r .75: SE = 0.5, S_diff = sqrt(2 * 0.25) */
    assert_int_equal(sb_rci_sdiff(1.0, 0.75, &sdiff, NULL), SB_OK);
    assert_float_equal(sdiff, sqrt(0.5), 1e-12);
    assert_int_equal(sb_rci(5.0, 3.0, 1.0, 0.75, &rci, NULL), SB_OK);
    assert_float_equal(rci, -2.0 / sqrt(0.5), 1e-12);
    sb_error err;
    assert_int_equal(sb_rci(5, 3, 0, 0.8, &rci, &err), SB_ERR_INVALID);
    assert_int_equal(sb_rci(5, 3, 1, 1.0, &rci, &err), SB_ERR_INVALID);
    assert_int_equal(sb_rci(5, 3, 1, -0.1, &rci, &err), SB_ERR_INVALID);
    assert_int_equal(sb_rci(NAN, 3, 1, 0.5, &rci, &err), SB_ERR_INVALID);
}

static void cutoffs_by_hand(void **state)
{
    (void)state;
    sb_norm fun = {3.0, 1.0, 100, {1, 7}, 0, "f", "s", 0, NULL};
    sb_norm dys = {5.0, 0.5, 100, {1, 7}, 1, "d", "s", 0, NULL};
    sb_cutoffs c;
    assert_int_equal(sb_clinical_cutoffs(&fun, &dys, SB_HIGHER_WORSE, &c, NULL), SB_OK);
    assert_float_equal(c.a, 5.0 - 2 * 0.5, 1e-12);
    assert_float_equal(c.b, 3.0 + 2 * 1.0, 1e-12);
    assert_float_equal(c.c, (0.5 * 3.0 + 1.0 * 5.0) / 1.5, 1e-12);
    char which;
    assert_float_equal(sb_cutoff_used(&c, &which), c.c, 0);
    assert_int_equal(which, 'c');
    /* higher is better: the cutoffs mirror */
    sb_norm fun2 = {5.0, 1.0, 0, {1, 7}, 0, "f", "s", 0, NULL};
    sb_norm dys2 = {3.0, 1.0, 0, {1, 7}, 1, "d", "s", 0, NULL};
    assert_int_equal(sb_clinical_cutoffs(&fun2, &dys2, SB_HIGHER_BETTER, &c, NULL), SB_OK);
    assert_float_equal(c.a, 5.0, 1e-12);
    assert_float_equal(c.b, 3.0, 1e-12);
    assert_float_equal(c.c, 4.0, 1e-12);
    /* only functional norms: b alone */
    assert_int_equal(sb_clinical_cutoffs(&fun, NULL, SB_HIGHER_WORSE, &c, NULL), SB_OK);
    assert_true(c.has_b && !c.has_a && !c.has_c);
    assert_float_equal(sb_cutoff_used(&c, &which), 5.0, 1e-12);
    assert_int_equal(which, 'b');
    assert_int_equal(sb_clinical_cutoffs(NULL, NULL, SB_HIGHER_WORSE, &c, NULL), SB_OK);
    assert_true(isnan(sb_cutoff_used(&c, &which)));
    assert_int_equal(sb_clinical_cutoffs(&fun, NULL, SB_DIRECTION_NONE, &c, NULL),
                     SB_ERR_INVALID);
}

static void status_by_hand(void **state)
{
    (void)state;
    sb_cutoffs c = {NAN, NAN, 4.0, 0, 0, 1};
    /* from 5 (dysfunctional side) to 3 (functional side), RCI -2.83 */
    assert_int_equal(sb_change_classify(5, 3, -2.83, &c, SB_HIGHER_WORSE),
                     SB_CHANGE_RECOVERED);
    /* reliable but still above the cutoff */
    assert_int_equal(sb_change_classify(6.5, 4.5, -2.83, &c, SB_HIGHER_WORSE),
                     SB_CHANGE_IMPROVED);
    /* reliable, but started on the functional side already */
    assert_int_equal(sb_change_classify(3.9, 1.9, -2.83, &c, SB_HIGHER_WORSE),
                     SB_CHANGE_IMPROVED);
    assert_int_equal(sb_change_classify(5, 4.5, -0.7, &c, SB_HIGHER_WORSE),
                     SB_CHANGE_UNCHANGED);
    assert_int_equal(sb_change_classify(3, 5, 2.83, &c, SB_HIGHER_WORSE),
                     SB_CHANGE_DETERIORATED);
    /* higher is better: a rise is an improvement */
    assert_int_equal(sb_change_classify(3, 5, 2.83, NULL, SB_HIGHER_BETTER),
                     SB_CHANGE_IMPROVED);
    assert_int_equal(sb_change_classify(3, 5, NAN, &c, SB_HIGHER_WORSE),
                     SB_CHANGE_UNKNOWN);
    /* exactly at the critical value counts as reliable */
    assert_int_equal(sb_change_classify(5, 4, -1.96, NULL, SB_HIGHER_WORSE),
                     SB_CHANGE_IMPROVED);
    assert_string_equal(sb_change_status_name(SB_CHANGE_RECOVERED), "recovered");
    assert_string_equal(sb_change_status_name(SB_CHANGE_UNKNOWN), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rci_by_hand),
        cmocka_unit_test(cutoffs_by_hand),
        cmocka_unit_test(status_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
