/* Tests for src/care/change.c: a client's reliable change on the web app
 * takes the figures sb_change_plan_from chooses with nothing given, with
 * expectations worked out by hand from the built-in instrument files. */
#include "support.h"

#include <securebase/care.h>

#include <math.h>
#include <stdlib.h>

static sb_instrument *builtin(const char *name)
{
    sb_instrument *inst = NULL;
    assert_int_equal(sb_instrument_builtin(name, &inst, NULL), SB_OK);
    return inst;
}

static sb_scale scale_of(const char *text)
{
    sb_scale sc;
    assert_int_equal(sb_scale_parse(text, &sc, NULL), SB_OK);
    return sc;
}

/* The ECR on 5-point answers has an alpha and a general sample's SD on
 * record (instruments/ecr.yaml): avoidance alpha .938, SD 0.840, mean
 * 2.565. S_diff = sqrt(2) x 0.840 x sqrt(1 - .938) = 0.295795, so the
 * reliable change is 1.96 x 0.295795 = 0.579757; cutoff b = 2.565 + 2 x
 * 0.840 = 4.245 (higher is worse). */
static void ecr_on_five_points_uses_the_published_figures(void **state)
{
    (void)state;
    sb_instrument *ecr = builtin("ecr");
    sb_scale five = scale_of("1-5");
    sb_care_change c;
    /* 4.5 -> 3.0: RCI -1.5 / 0.295795 = -5.071, from above b to below. */
    sb_care_reliable_change(ecr, five, "avoidance", 4.5, 3.0, &c);
    assert_near(c.change, -1.5, 1e-12);
    assert_near(c.threshold, 0.579757, 1e-6);
    assert_int_equal(c.status, SB_CHANGE_RECOVERED);
    /* 3.5 -> 2.5: reliable (-3.381) but it starts below b already. */
    sb_care_reliable_change(ecr, five, "avoidance", 3.5, 2.5, &c);
    assert_int_equal(c.status, SB_CHANGE_IMPROVED);
    /* 3.0 -> 2.6: 0.4 is inside 0.5798. */
    sb_care_reliable_change(ecr, five, "avoidance", 3.0, 2.6, &c);
    assert_int_equal(c.status, SB_CHANGE_UNCHANGED);
    /* 2.0 -> 2.7: worse by more than 0.5798. */
    sb_care_reliable_change(ecr, five, "avoidance", 2.0, 2.7, &c);
    assert_int_equal(c.status, SB_CHANGE_DETERIORATED);
    /* Anxiety: alpha .916, SD 0.803: S_diff = sqrt(2) x 0.803 x sqrt(.084)
     * = 0.329132, reliable change 0.645099. */
    sb_care_reliable_change(ecr, five, "anxiety", 3.0, 3.0, &c);
    assert_near(c.threshold, 0.645099, 1e-6);
    assert_int_equal(c.status, SB_CHANGE_UNCHANGED);
    /* The same threshold as `securebase change` takes with no options. */
    double rc[2];
    sb_care_rc(ecr, five, rc);
    sb_change_plan plan;
    sb_change_plan_make(ecr, 1, five, NAN, NAN, &plan);
    assert_string_equal(sb_instrument_score_name(ecr, 1), "anxiety");
    assert_near(rc[0], plan.threshold, 1e-12);
    assert_int_equal(plan.reliability_from, SB_FIGURE_INSTRUMENT);
    assert_int_equal(plan.sd_from, SB_FIGURE_INSTRUMENT);
    sb_instrument_free(ecr);
}

/* Without both figures on record there is no verdict, only the change:
 * the ECR-R has neither, the ECR on 7-point answers an alpha (.94, .91)
 * but no SD. */
static void no_published_figure_no_verdict(void **state)
{
    (void)state;
    sb_scale seven = scale_of("1-7");
    sb_instrument *ecr_r = builtin("ecr-r");
    sb_care_change c;
    sb_care_reliable_change(ecr_r, seven, "anxiety", 5.0, 2.0, &c);
    assert_near(c.change, -3.0, 1e-12);
    assert_true(isnan(c.threshold));
    assert_int_equal(c.status, SB_CHANGE_UNKNOWN);
    double rc[2];
    sb_care_rc(ecr_r, seven, rc);
    assert_true(isnan(rc[0]) && isnan(rc[1]));
    sb_instrument_free(ecr_r);
    sb_instrument *ecr = builtin("ecr");
    sb_care_reliable_change(ecr, seven, "avoidance", 5.0, 2.0, &c);
    assert_int_equal(c.status, SB_CHANGE_UNKNOWN);
    /* An unknown score or a missing score gives no verdict either. */
    sb_care_reliable_change(ecr, scale_of("1-5"), "model_of_self", 3, 2, &c);
    assert_int_equal(c.status, SB_CHANGE_UNKNOWN);
    sb_care_reliable_change(ecr, scale_of("1-5"), "avoidance", NAN, 2, &c);
    assert_int_equal(c.status, SB_CHANGE_UNKNOWN);
    sb_instrument_free(ecr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ecr_on_five_points_uses_the_published_figures),
        cmocka_unit_test(no_published_figure_no_verdict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
