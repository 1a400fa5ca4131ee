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

/* Runs the checks on `persons` people, two threads, seed 1. */
static sb_status validate(const sb_scenario *general,
                          const sb_scenario *therapy, size_t persons,
                          sb_validation *v, sb_error *err)
{
    sb_validate_options opt;
    sb_validate_options_default(&opt);
    opt.persons = persons;
    opt.threads = 2;
    return sb_validate(general, therapy, &opt, v, err);
}

static void defaults_pass_every_check(void **state)
{
    (void)state;
    sb_scenario general, therapy;
    builtin("general-population", &general);
    builtin("therapy-only", &therapy);
    sb_validation v;
    sb_error err;
    assert_int_equal(validate(&general, &therapy, 12000, &v, &err), SB_OK);
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
    assert_int_equal(validate(&general, &therapy, 2000, &v, NULL), SB_OK);
    assert_true(v.passed < SB_VALIDATE_CHECKS);
    assert_false(v.checks[2].pass); /* V3 */
    assert_false(v.checks[4].pass); /* V5: no therapy, no effect */
    assert_false(v.checks[5].pass); /* V6: no sessions to count */
    assert_false(v.checks[6].pass); /* V7: no breakthroughs without therapy */
    /* Each failure says what it missed, and by how much. */
    assert_non_null(strstr(v.checks[4].miss, "anxiety d "));
    assert_non_null(strstr(v.checks[4].miss, " above -0.3"));
    assert_non_null(strstr(v.checks[5].miss, "improved after 8 sessions is "
                                             "not defined"));
    for (int i = 0; i < SB_VALIDATE_CHECKS; i++) {
        assert_int_equal(v.checks[i].pass, v.checks[i].miss[0] == '\0');
        assert_true(v.checks[i].pass == (v.checks[i].margin > 0));
    }
}

/* V8 and V9 notice a model whose week-to-week state swamps the working
 * model, and one in which events' shifts never fade. */
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
    assert_int_equal(validate(&general, &therapy, 2000, &v, NULL), SB_OK);
    assert_false(v.checks[7].pass); /* V8 */
    assert_false(v.checks[8].pass); /* V9: all of the shift is left */
    assert_non_null(strstr(v.checks[8].miss, "left a year later"));
}

/* The progress reported runs from 0 to 1 over all the runs, never back. */
typedef struct seen {
    double last, first;
    int calls, backwards;
} seen;

static void record(void *ctx, double done)
{
    seen *s = ctx;
    if (!s->calls++)
        s->first = done;
    s->backwards += done < s->last;
    s->last = done;
}

static void progress_covers_every_run(void **state)
{
    (void)state;
    sb_scenario general, therapy;
    builtin("general-population", &general);
    builtin("therapy-only", &therapy);
    sb_validate_options opt;
    sb_validate_options_default(&opt);
    assert_int_equal(opt.persons, SB_VALIDATE_PERSONS);
    opt.persons = 300;
    opt.threads = 2;
    seen s = {0, 0, 0, 0};
    opt.progress = record;
    opt.progress_ctx = &s;
    sb_validation v;
    assert_int_equal(sb_validate(&general, &therapy, &opt, &v, NULL), SB_OK);
    assert_true(s.calls > 2);
    assert_int_equal(s.backwards, 0);
    assert_true(s.first < 0.5);
    assert_true(s.last == 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_pass_every_check),
        cmocka_unit_test(a_broken_model_fails_checks),
        cmocka_unit_test(short_term_noise_and_events_that_never_fade_fail),
        cmocka_unit_test(progress_covers_every_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
