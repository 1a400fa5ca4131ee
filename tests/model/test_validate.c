/*
 * The validation checks V1-V9 (src/model/validate.c) pass with the
 * defaults, on a population large enough to be stable and small enough for
 * the suite: the calibration is part of what is tested.
 */
#include "support.h"

#include <securebase/scenario.h>
#include <securebase/validate.h>

#include <string.h>

/* The built-in scenarios that `securebase validate` uses. */
static void builtin(const char *name, sb_scenario *sc)
{
    sb_error err;
    if (sb_scenario_builtin(name, sc, &err) != SB_OK)
        print_error("%s\n", err.message);
    assert_int_equal(sb_scenario_builtin(name, sc, &err), SB_OK);
}

static void defaults_pass_every_check(void **state)
{
    (void)state;
    sb_scenario general, therapy;
    builtin("general-population", &general);
    builtin("therapy-only", &therapy);
    sb_validation v;
    sb_error err;
    assert_int_equal(sb_validate(&general, &therapy, 12000, 1, 2, &v, &err),
                     SB_OK);
    for (int i = 0; i < SB_VALIDATE_CHECKS; i++) {
        if (!v.checks[i].pass)
            print_error("%s failed: %s (target %s)\n", v.checks[i].id,
                        v.checks[i].simulated, v.checks[i].target);
        assert_non_null(v.checks[i].source);
        assert_true(strlen(v.checks[i].simulated) > 10);
        assert_true(v.checks[i].margin > 0);
    }
    assert_int_equal(v.passed, SB_VALIDATE_CHECKS);
}

static void a_broken_model_fails_checks(void **state)
{
    (void)state;
    /* Without a prototype pull or events, nothing is stationary and the
     * retest curve does not level off: checks must notice. */
    sb_scenario general, therapy;
    builtin("general-population", &general);
    general.params.pull = 0;
    general.params.noise = 0.5;
    builtin("therapy-only", &therapy);
    therapy.therapy.sessions_per_week = 0;
    sb_validation v;
    assert_int_equal(sb_validate(&general, &therapy, 2000, 1, 2, &v, NULL),
                     SB_OK);
    assert_true(v.passed < SB_VALIDATE_CHECKS);
    assert_false(v.checks[2].pass); /* V3 */
    assert_false(v.checks[4].pass); /* V5: no therapy, no effect */
    assert_false(v.checks[5].pass); /* V6: no sessions to count */
    assert_false(v.checks[6].pass); /* V7: no breakthroughs without therapy */
    for (int i = 0; i < SB_VALIDATE_CHECKS; i++)
        assert_true(v.checks[i].pass == (v.checks[i].margin > 0));
}

/* V8 and V9 notice a model whose week-to-week noise swamps the working
 * model, and one in which events leave no trace or never fade. */
static void short_term_noise_and_events_that_never_fade_fail(void **state)
{
    (void)state;
    sb_scenario general, therapy;
    builtin("general-population", &general);
    builtin("therapy-only", &therapy);
    general.params.state_sd = 0.6;
    general.params.stress_lasting = 1;
    general.params.residue_decay = 0;
    sb_validation v;
    assert_int_equal(sb_validate(&general, &therapy, 2000, 1, 2, &v, NULL),
                     SB_OK);
    assert_false(v.checks[7].pass); /* V8 */
    assert_false(v.checks[8].pass); /* V9: all of the shift is left */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_pass_every_check),
        cmocka_unit_test(a_broken_model_fails_checks),
        cmocka_unit_test(short_term_noise_and_events_that_never_fade_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
