/* Tests for src/measure/alpha.c: Cronbach's alpha worked out by hand. */
#include "support.h"

#include <securebase/measure.h>

#include <math.h>
#include <string.h>

static void parallel_items_give_one(void **state)
{
    (void)state;
    sb_alpha *a;
    assert_int_equal(sb_alpha_new(3, &a, NULL), SB_OK);
    const double rows[3][3] = {{1, 2, 3}, {2, 3, 4}, {3, 4, 5}};
    for (int i = 0; i < 3; i++)
        sb_alpha_add(a, rows[i]);
    sb_alpha_result r;
    sb_alpha_compute(a, &r);
    /* every variance and covariance is 1: 3/2 * (1 - 3/9) = 1 */
    assert_float_equal(r.alpha, 1.0, 1e-12);
    assert_float_equal(r.n, 3, 0);
    assert_float_equal(r.items[0].mean, 2.0, 1e-12);
    assert_float_equal(r.items[2].mean, 4.0, 1e-12);
    assert_float_equal(r.items[1].sd, 1.0, 1e-12);
    assert_float_equal(r.items[0].item_total_r, 1.0, 1e-12);
    assert_float_equal(r.items[0].alpha_if_deleted, 1.0, 1e-12);
    sb_alpha_free(a);
}

static void two_items(void **state)
{
    (void)state;
    sb_alpha *a;
    assert_int_equal(sb_alpha_new(2, &a, NULL), SB_OK);
    const double rows[3][2] = {{1, 1}, {2, 3}, {3, 2}};
    for (int i = 0; i < 3; i++)
        sb_alpha_add(a, rows[i]);
    sb_alpha_result r;
    sb_alpha_compute(a, &r);
    /* var 1 and 1, cov 0.5: total 3, alpha = 2 * (1 - 2/3) */
    assert_float_equal(r.alpha, 2.0 / 3, 1e-12);
    assert_float_equal(r.items[0].item_total_r, 0.5, 1e-12);
    assert_true(isnan(r.items[0].alpha_if_deleted)); /* one item left */
    sb_alpha_free(a);
}

static void degenerate_cases(void **state)
{
    (void)state;
    sb_alpha *a;
    sb_error err;
    assert_int_equal(sb_alpha_new(1, &a, &err), SB_ERR_INVALID);
    assert_int_equal(sb_alpha_new(2, &a, NULL), SB_OK);
    sb_alpha_result r;
    sb_alpha_compute(a, &r);
    assert_true(isnan(r.alpha));
    assert_string_equal(r.why, "no row answers every item of it");
    const double same[2] = {4, 4};
    sb_alpha_add(a, same);
    sb_alpha_compute(a, &r);
    assert_true(isnan(r.alpha));
    assert_string_equal(r.why, "only 1 row answers every item of it; alpha "
                               "needs at least 2");
    sb_alpha_add(a, same);
    sb_alpha_compute(a, &r); /* no variance at all */
    assert_true(isnan(r.alpha));
    assert_non_null(strstr(r.why, "its total does not vary over the 2 "
                                  "complete rows"));
    assert_true(isnan(r.items[0].item_total_r));
    /* a number once the total varies */
    const double other[2] = {5, 6};
    sb_alpha_add(a, other);
    sb_alpha_compute(a, &r);
    assert_false(isnan(r.alpha));
    assert_string_equal(r.why, "");
    sb_alpha_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parallel_items_give_one),
        cmocka_unit_test(two_items),
        cmocka_unit_test(degenerate_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
