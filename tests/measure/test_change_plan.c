/*
 * Tests for src/measure/change_plan.c: which reliability and SD reliable
 * change uses, the one decision `securebase change` and the report share.
 */
#include "support.h"

#include <securebase/measure.h>

#include <math.h>
#include <string.h>

/* "a": retest and alpha, a general and a clinical sample; "b": alpha and a
 * general sample only; "c": nothing. All on 1-7. */
static const char definition[] =
    "name: three\ntitle: Three\nsource: Test (2024)\nkey_source: test\n"
    "missing_rule: none\nitems: 6\nscale: 1-7\nsubscales:\n"
    "  - name: a\n    items: [1-2]\n    higher: worse\n"
    "    reliability:\n"
    "      - {kind: alpha, value: 0.9, scale: 1-7, sample: s1, source: t}\n"
    "      - {kind: retest, value: 0.75, scale: 1-7, sample: s2, source: t}\n"
    "    norms:\n"
    "      - {population: functional, mean: 3, sd: 1, scale: 1-7, sample: f, source: t}\n"
    "      - {population: dysfunctional, mean: 5, sd: 0.5, scale: 1-7, sample: d, source: t}\n"
    "  - name: b\n    items: [3-4]\n    higher: worse\n"
    "    reliability:\n"
    "      - {kind: alpha, value: 0.8, scale: 1-7, sample: s3, source: t}\n"
    "    norms:\n"
    "      - {population: functional, mean: 3, sd: 2, scale: 1-7, sample: g, source: t}\n"
    "  - name: c\n    items: [5-6]\n    higher: worse\n";

static sb_instrument *load(void)
{
    sb_instrument *inst;
    sb_error err;
    if (sb_instrument_load_text(definition, strlen(definition), "three.yaml",
                                &inst, &err) != SB_OK)
        fail_msg("%s", err.message);
    return inst;
}

static const sb_scale seven = {1, 7};

static void retest_and_clinical_sd_first(void **state)
{
    (void)state;
    sb_instrument *inst = load();
    sb_change_plan p;
    sb_change_plan_make(inst, 0, seven, NAN, NAN, &p);
    assert_float_equal(p.reliability, 0.75, 0);
    assert_float_equal(p.sd, 0.5, 0);
    assert_non_null(p.reliability_source);
    assert_string_equal(p.reliability_source->sample, "s2");
    assert_string_equal(p.sd_source->sample, "d");
    /* 1.96 x sqrt(2) x 0.5 x sqrt(0.25) */
    assert_near(p.threshold, 1.96 * sqrt(2.0) * 0.25, 1e-12);
    assert_null(sb_change_plan_missing(&p));
    assert_int_equal(p.direction, SB_HIGHER_WORSE);
    /* a = 5 - 2 x 0.5, b = 3 + 2 x 1, c = (0.5 x 3 + 1 x 5) / 1.5 */
    assert_true(p.cutoffs.has_a && p.cutoffs.has_b && p.cutoffs.has_c);
    assert_near(p.cutoffs.a, 4.0, 1e-12);
    assert_near(p.cutoffs.b, 5.0, 1e-12);
    assert_near(p.cutoffs.c, 6.5 / 1.5, 1e-12);
    sb_instrument_free(inst);
}

static void given_figures_win(void **state)
{
    (void)state;
    sb_instrument *inst = load();
    sb_change_plan p;
    sb_change_plan_make(inst, 0, seven, 0.5, 2.0, &p);
    assert_float_equal(p.reliability, 0.5, 0);
    assert_float_equal(p.sd, 2.0, 0);
    assert_null(p.reliability_source);
    assert_null(p.sd_source);
    assert_near(p.threshold, 1.96 * sqrt(2.0) * 2.0 * sqrt(0.5), 1e-12);
    /* the cutoffs still come from the norms */
    assert_true(p.cutoffs.has_c);
    sb_instrument_free(inst);
}

static void general_sample_when_it_is_all_there_is(void **state)
{
    (void)state;
    sb_instrument *inst = load();
    sb_change_plan p;
    sb_change_plan_make(inst, 1, seven, NAN, NAN, &p);
    assert_float_equal(p.reliability, 0.8, 0);
    assert_float_equal(p.sd, 2.0, 0);
    assert_string_equal(p.sd_source->sample, "g");
    assert_false(p.cutoffs.has_a);
    assert_true(p.cutoffs.has_b);
    sb_instrument_free(inst);
}

static void what_is_missing_is_said(void **state)
{
    (void)state;
    sb_instrument *inst = load();
    sb_change_plan p;
    sb_change_plan_make(inst, 2, seven, NAN, NAN, &p);
    assert_true(isnan(p.reliability) && isnan(p.sd) && isnan(p.threshold));
    assert_string_equal(sb_change_plan_missing(&p), "reliability and no SD");
    sb_change_plan_make(inst, 2, seven, 0.8, NAN, &p);
    assert_string_equal(sb_change_plan_missing(&p), "SD");
    assert_true(isnan(p.threshold));
    sb_change_plan_make(inst, 2, seven, NAN, 1.0, &p);
    assert_string_equal(sb_change_plan_missing(&p), "reliability");
    /* figures recorded for another scale do not apply */
    sb_change_plan_make(inst, 0, (sb_scale){1, 5}, NAN, NAN, &p);
    assert_string_equal(sb_change_plan_missing(&p), "reliability and no SD");
    sb_instrument_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(retest_and_clinical_sd_first),
        cmocka_unit_test(given_figures_win),
        cmocka_unit_test(general_sample_when_it_is_all_there_is),
        cmocka_unit_test(what_is_missing_is_said),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
