/* Tests for src/care/change.c: a client's reliable change on the web app
 * takes the figures sb_change_plan_from chooses, a practice's local norms
 * first, with expectations worked out by hand from the built-in instrument
 * files and the norms given. */
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
    sb_care_reliable_change(ecr, five, NULL, "avoidance", 4.5, 3.0, &c);
    assert_near(c.change, -1.5, 1e-12);
    assert_near(c.threshold, 0.579757, 1e-6);
    assert_int_equal(c.status, SB_CHANGE_RECOVERED);
    /* 3.5 -> 2.5: reliable (-3.381) but it starts below b already. */
    sb_care_reliable_change(ecr, five, NULL, "avoidance", 3.5, 2.5, &c);
    assert_int_equal(c.status, SB_CHANGE_IMPROVED);
    /* 3.0 -> 2.6: 0.4 is inside 0.5798. */
    sb_care_reliable_change(ecr, five, NULL, "avoidance", 3.0, 2.6, &c);
    assert_int_equal(c.status, SB_CHANGE_UNCHANGED);
    /* 2.0 -> 2.7: worse by more than 0.5798. */
    sb_care_reliable_change(ecr, five, NULL, "avoidance", 2.0, 2.7, &c);
    assert_int_equal(c.status, SB_CHANGE_DETERIORATED);
    /* Anxiety: alpha .916, SD 0.803: S_diff = sqrt(2) x 0.803 x sqrt(.084)
     * = 0.329132, reliable change 0.645099. */
    sb_care_reliable_change(ecr, five, NULL, "anxiety", 3.0, 3.0, &c);
    assert_near(c.threshold, 0.645099, 1e-6);
    assert_int_equal(c.status, SB_CHANGE_UNCHANGED);
    /* The same threshold as `securebase change` takes with no options. */
    double rc[2];
    sb_care_rc(ecr, five, NULL, rc);
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
    sb_care_reliable_change(ecr_r, seven, NULL, "anxiety", 5.0, 2.0, &c);
    assert_near(c.change, -3.0, 1e-12);
    assert_true(isnan(c.threshold));
    assert_int_equal(c.status, SB_CHANGE_UNKNOWN);
    double rc[2];
    sb_care_rc(ecr_r, seven, NULL, rc);
    assert_true(isnan(rc[0]) && isnan(rc[1]));
    sb_instrument_free(ecr_r);
    sb_instrument *ecr = builtin("ecr");
    sb_care_reliable_change(ecr, seven, NULL, "avoidance", 5.0, 2.0, &c);
    assert_int_equal(c.status, SB_CHANGE_UNKNOWN);
    /* An unknown score or a missing score gives no verdict either. */
    sb_scale five = scale_of("1-5");
    sb_care_reliable_change(ecr, five, NULL, "model_of_self", 3, 2, &c);
    assert_int_equal(c.status, SB_CHANGE_UNKNOWN);
    sb_care_reliable_change(ecr, five, NULL, "avoidance", NAN, 2, &c);
    assert_int_equal(c.status, SB_CHANGE_UNKNOWN);
    sb_instrument_free(ecr);
}

static sb_norms_set *norms_of(const char *dir, const char *name,
                              const char *text)
{
    char *path = sb_test_write(dir, name, text);
    sb_norms_set *set;
    sb_error err;
    assert_int_equal(sb_norms_set_new(&set, &err), SB_OK);
    if (sb_norms_set_add_file(set, path, NULL, &err) != SB_OK)
        fail_msg("%s:%lu:%lu: %s", err.file, err.line, err.column,
                 err.message);
    free(path);
    return set;
}

/*
 * A practice's local norms of the ECR-R, which has no published figures:
 * anxiety SD 1.1, alpha .93; avoidance SD 1.2, alpha .80 (clinical
 * sample, mean 4.1 and 3.6).
 * Anxiety: S_diff = SD x sqrt(2 (1 - alpha)) = 1.1 x sqrt(0.14) =
 * 1.1 x 0.3741657 = 0.4115823; reliable change 1.96 x S_diff = 0.8067013.
 * From 5.0 to 4.0 the RCI is -1.0 / 0.4115823 = -2.4296: reliable. Cutoff
 * a (no general norms) = 4.1 - 2 x 1.1 = 1.9, and 4.0 is above it:
 * improved, not recovered.
 * Avoidance: S_diff = 1.2 x sqrt(0.4) = 0.7589466, reliable change
 * 1.4875354; -1.0 gives an RCI of -1.3176: unchanged.
 */
static const char ecr_r_norms[] =
    "instrument,score,scale,population,n,mean,sd,alpha,alpha_n,date,source\n"
    "ecr-r,anxiety,1-7,clinical,212,4.1,1.1,0.93,205,2026-03-01,intake\n"
    "ecr-r,avoidance,1-7,clinical,212,3.6,1.2,0.80,207,2026-03-01,intake\n";

static void local_norms_give_what_no_published_figure_does(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    sb_norms_set *set = norms_of(dir, "norms.csv", ecr_r_norms);
    sb_instrument *ecr_r = builtin("ecr-r");
    sb_scale seven = scale_of("1-7");
    sb_care_change c;
    sb_care_reliable_change(ecr_r, seven, set, "anxiety", 5.0, 4.0, &c);
    assert_near(c.threshold, 0.8067013, 1e-6);
    assert_near(c.change / (c.threshold / 1.96), -2.4296, 1e-4);
    assert_int_equal(c.status, SB_CHANGE_IMPROVED);
    assert_ptr_equal(c.local, sb_norms_set_get(set, 0));
    sb_care_reliable_change(ecr_r, seven, set, "avoidance", 5.0, 4.0, &c);
    assert_near(c.threshold, 1.4875354, 1e-6);
    assert_int_equal(c.status, SB_CHANGE_UNCHANGED);
    /* The caseload's thresholds, and which norms gave them. */
    double rc[2];
    assert_ptr_equal(sb_care_rc(ecr_r, seven, set, rc),
                     sb_norms_set_get(set, 0));
    assert_near(rc[0], 0.8067013, 1e-6);
    assert_near(rc[1], 1.4875354, 1e-6);
    /* Norms of 1-7 answers say nothing of 1-5 answers, nor of another
     * instrument: no figure, no norms named. */
    sb_care_reliable_change(ecr_r, scale_of("1-5"), set, "anxiety", 5.0, 2.0,
                            &c);
    assert_int_equal(c.status, SB_CHANGE_UNKNOWN);
    assert_null(c.local);
    sb_instrument *ecr = builtin("ecr");
    assert_null(sb_care_rc(ecr, scale_of("1-5"), set, rc));
    assert_near(rc[0], 0.645099, 1e-6); /* the published figures */
    sb_instrument_free(ecr);
    sb_instrument_free(ecr_r);
    sb_norms_set_free(set);
    sb_test_rmtree(dir);
    free(dir);
}

/* Local norms of the ECR on 1-5 answers come before its published
 * figures: anxiety SD 0.5, alpha .8 give 1.96 x 0.5 x sqrt(0.4) =
 * 0.6198064 instead of the published 0.645099. */
static void local_norms_come_before_published_figures(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    sb_norms_set *set = norms_of(dir, "ecr.csv",
        "instrument,score,scale,population,n,mean,sd,alpha,alpha_n,date,"
        "source\n"
        "ecr,anxiety,1-5,clinical,40,3.9,0.5,0.8,38,2026-01-01,intake\n");
    sb_instrument *ecr = builtin("ecr");
    double rc[2];
    assert_non_null(sb_care_rc(ecr, scale_of("1-5"), set, rc));
    assert_near(rc[0], 0.6198064, 1e-6);
    /* Avoidance has no row: published alpha .938 and SD 0.840. */
    assert_near(rc[1], 0.579757, 1e-6);
    sb_instrument_free(ecr);
    sb_norms_set_free(set);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ecr_on_five_points_uses_the_published_figures),
        cmocka_unit_test(no_published_figure_no_verdict),
        cmocka_unit_test(local_norms_give_what_no_published_figure_does),
        cmocka_unit_test(local_norms_come_before_published_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
