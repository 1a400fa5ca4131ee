/*
 * The validation checks V1-V7 (src/model/validate.c) pass with the
 * defaults, on a population large enough to be stable and small enough for
 * the suite: the calibration is part of what is tested.
 */
#include "support.h"

#include <securebase/validate.h>

#include <string.h>

/* The clinical population in weekly therapy, as scenarios/therapy-only.yaml
 * describes it (the scenario tests check that the file says the same). */
static void therapy_only(sb_scenario *sc)
{
    sb_scenario_default(sc);
    const double shares[SB_PROTO_COUNT] = {0.25, 0.30, 0.20, 0.25};
    memcpy(sc->population.prototype_share, shares, sizeof shares);
    sc->population.stress_per_year = (sb_dist){3, 2, 0, 20};
    sc->relationships[0].responsiveness = 0.6;
    sc->relationships[0].consistency = 0.65;
    sc->therapy = (sb_therapy){1, 4, 40, 0.8, 0.75, 0.85, 0.6};
    sc->followup_weeks = 52;
}

static void defaults_pass_every_check(void **state)
{
    (void)state;
    sb_scenario general, therapy;
    sb_scenario_default(&general);
    therapy_only(&therapy);
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
    }
    assert_int_equal(v.passed, SB_VALIDATE_CHECKS);
}

static void a_broken_model_fails_checks(void **state)
{
    (void)state;
    /* Without a prototype pull or events, nothing is stationary and the
     * retest curve does not level off: checks must notice. */
    sb_scenario general, therapy;
    sb_scenario_default(&general);
    general.params.pull = 0;
    general.params.noise = 0.5;
    therapy_only(&therapy);
    therapy.therapy.sessions_per_week = 0;
    sb_validation v;
    assert_int_equal(sb_validate(&general, &therapy, 2000, 1, 2, &v, NULL),
                     SB_OK);
    assert_true(v.passed < SB_VALIDATE_CHECKS);
    assert_false(v.checks[2].pass); /* V3 */
    assert_false(v.checks[4].pass); /* V5: no therapy, no effect */
    assert_false(v.checks[5].pass); /* V6: no sessions to count */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_pass_every_check),
        cmocka_unit_test(a_broken_model_fails_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
