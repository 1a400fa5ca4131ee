/*
 * Calibration files: the built-in v1-v9 loads; hostile and mistaken files
 * are refused with a located message naming what was wrong; the model
 * simulator behind a calibration gives every target a sensible figure and
 * the same figures for the same seed.
 */
#include "support.h"

#include "fit/fit_internal.h"

#include <securebase/scenario.h>
#include <securebase/validate.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const good =
    "name: small\n"
    "persons: 300\n"
    "scenarios:\n"
    "  general: general-population\n"
    "  therapy: therapy-only\n"
    "parameters:\n"
    "  pull: {prior: uniform, min: 0.05, max: 0.1}\n"
    "  noise: {prior: normal, mean: 0.26, sd: 0.05}\n"
    "  learning: {prior: lognormal, mu: -5.1, sigma: 0.3, max: 0.02}\n"
    "targets:\n"
    "  - {id: secure, statistic: share_secure, scenario: general, value: 0.58, sd: 0.02, source: s, use: fit}\n"
    "  - {id: r4, statistic: retest_r, scenario: general, lag: 4, dimension: anxiety, value: 0.75, sd: 0.05, source: s, use: fit}\n"
    "  - {id: stab, statistic: category_stability, scenario: general, lag: 52, group: insecure, value: 0.7, sd: 0.05, source: s, use: held-out}\n"
    "  - {id: ch, statistic: change, scenario: therapy, week: 20, dimension: avoidance, value: -0.2, sd: 0.1, source: s, use: held-out}\n"
    "  - {id: d, statistic: cohens_d, scenario: therapy, week: 20, dimension: anxiety, value: -0.5, sd: 0.2, source: s, use: fit}\n"
    "  - {id: imp, statistic: share_improved, scenario: therapy, session: 8, value: 0.5, sd: 0.07, source: s, use: fit}\n"
    "  - {id: gain, statistic: sudden_gain_share, scenario: therapy, value: 0.3, sd: 0.07, source: s, use: held-out}\n"
    "  - {id: loss, statistic: sudden_loss_share, scenario: therapy, value: 0.3, sd: 0.07, source: s, use: held-out}\n"
    "  - {id: ev, statistic: event_response, scenario: therapy, week: 0, lag: 20, dimension: anxiety, value: -0.3, sd: 0.1, source: s, use: held-out}\n"
    "  - {id: obs, statistic: share_secure, scenario: general, week: 4, scores: observed, value: 0.58, sd: 0.02, source: s, use: held-out}\n";

static void test_builtin_loads(void **state)
{
    (void)state;
    sb_calibration *cal;
    sb_error err;
    assert_int_equal(sb_calibration_load("v1-v9", &cal, &err), SB_OK);
    assert_string_equal(cal->name, "v1-v9");
    /* V7's course and V9's event runs in place */
    assert_int_equal(cal->scenario_count, 5);
    assert_true(cal->param_count >= 4);
    size_t fitted = 0, held = 0;
    for (size_t k = 0; k < cal->target_count; k++) {
        fitted += cal->target[k].fitted;
        held += !cal->target[k].fitted;
        assert_true(cal->target[k].source[0]);
        assert_true(cal->target[k].fact[0] == 'V');
    }
    assert_true(fitted >= 5);
    assert_true(held >= 5);
    /* Every fact V1-V9 has a target. */
    for (char f = '1'; f <= '9'; f++) {
        size_t n = 0;
        for (size_t k = 0; k < cal->target_count; k++)
            n += cal->target[k].fact[1] == f && !cal->target[k].fact[2];
        assert_true(n >= 1);
    }
    assert_null(sb_calibration_builtin_text("no-such"));
    assert_null(sb_calibration_builtin_text("../etc"));
    free(cal);
}

static void test_select(void **state)
{
    (void)state;
    sb_calibration *cal;
    sb_error err;
    assert_int_equal(sb_calibration_load_text(good, strlen(good), "small.yaml",
                                              &cal, &err),
                     SB_OK);
    assert_int_equal(cal->param_count, 3);
    assert_int_equal(cal->param[2].prior.kind, SB_PRIOR_LOGNORMAL);
    assert_near(cal->param[2].prior.hi, 0.02, 0);
    assert_int_equal(cal->target[1].scores, SB_SCORES_OBSERVED);
    assert_int_equal(cal->target[0].scores, SB_SCORES_TRUE);
    assert_int_equal(sb_calibration_select(cal, "noise,zzz", &err),
                     SB_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "'zzz' has no prior"));
    assert_int_equal(sb_calibration_select(cal, "noise,noise", &err),
                     SB_ERR_INVALID);
    assert_int_equal(sb_calibration_select(cal, "noise,", &err), SB_ERR_INVALID);
    assert_int_equal(sb_calibration_select(cal, "", &err), SB_ERR_INVALID);
    assert_int_equal(sb_calibration_select(cal, "learning,pull", &err), SB_OK);
    assert_int_equal(cal->param_count, 2);
    assert_string_equal(cal->param[0].info->name, "learning");
    free(cal);
}

typedef struct hostile {
    const char *text;
    const char *message;
} hostile;

static void test_hostile_files(void **state)
{
    (void)state;
    static const char head[] =
        "name: h\nscenarios: {general: general-population}\n"
        "parameters: {pull: {prior: uniform}}\n";
    static const char tgt[] =
        "targets:\n  - {id: a, statistic: share_secure, scenario: general, "
        "value: 0.5, sd: 0.1, source: s, use: fit";
    static const hostile cases[] = {
        {"", "empty"},
        {"- a\n- b\n", "expected a mapping"},
        {"name: h\n", "needs 'scenarios:'"},
        {"name: h\nnonsense: 1\n", "unknown key 'nonsense'"},
        {"name: &a h\n", "anchors"},
        {"name: h\nscenarios: {g: general-population}\nparameters: {pull: "
         "{prior: uniform}}\ntargets: []\n",
         "allowed 1..64"},
        {"name: h\nscenarios: {g: seed}\nparameters: {pull: {prior: "
         "uniform}}\ntargets: []\n",
         "is a set"},
        {"name: h\nscenarios: {g: no-such-scenario}\nparameters: {}\ntargets: []\n",
         "no-such-scenario"},
        {"name: h\nscenarios:\n  g:\n    name: inline\n    base: "
         "general-population\n    timeline:\n      - {week: 3, event: "
         "earthquake}\nparameters: {}\ntargets: []\n",
         "earthquake"},
        {"name: h\nscenarios:\n  g:\n    name: inline\n    base: "
         "no-such-base\nparameters: {}\ntargets: []\n",
         "no-such-base"},
        {"name: h\nscenarios:\n  g:\n    base: general-population\n"
         "parameters: {}\ntargets: []\n",
         "name"},
        {"name: h\nscenarios: {general: general-population}\nparameters: "
         "{burn_in_weeks: {prior: uniform}}\n",
         "defines what the summaries count"},
        {"name: h\nscenarios: {general: general-population}\nparameters: "
         "{secure_cutoff: {prior: uniform}}\n",
         "defines what the summaries count"},
        {"name: h\nscenarios: {general: general-population}\nparameters: "
         "{pulll: {prior: uniform}}\n",
         "no parameter 'pulll'"},
        {"name: h\nscenarios: {general: general-population}\nparameters: "
         "{pull: {prior: normal, mean: 0.1}}\n",
         "needs mean and sd"},
        {"name: h\nscenarios: {general: general-population}\nparameters: "
         "{pull: {prior: normal, mean: 50, sd: 0.001}}\n",
         "almost no weight"},
        {"name: h\nscenarios: {general: general-population}\nparameters: "
         "{pull: {prior: uniform, min: 0.5, max: 0.2}}\n",
         "must be below max"},
        {"name: h\nscenarios: {general: general-population}\nparameters: "
         "{pull: {prior: uniform, min: -1}}\n",
         "allowed 0..1"},
        {"name: h\nscenarios: {general: general-population}\nparameters: "
         "{pull: {prior: uniform, sd: 1}}\n",
         "does not go with a uniform prior"},
        {"name: h\nscenarios: {general: general-population}\nparameters: "
         "{pull: {prior: beta}}\n",
         "prior"},
        {"name: h\nscenarios: {general: general-population}\nparameters: "
         "{pull: {prior: uniform, min: nan}}\n",
         "expected a number"},
    };
    sb_calibration *cal;
    sb_error err;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* Complete the file where the case is not about a missing part. */
        char text[1024];
        int whole = !strncmp(cases[i].text, "name: h\nscenarios", 17) &&
                    !strstr(cases[i].text, "targets");
        snprintf(text, sizeof text, "%s%s", cases[i].text,
                 whole ? "targets: [{id: a}]\n" : "");
        sb_status st =
            sb_calibration_load_text(text, strlen(text), "h.yaml", &cal, &err);
        if (st == SB_OK || !strstr(err.message, cases[i].message))
            print_error("case %zu: status %d, message '%s'\n", i, (int)st,
                        err.message);
        assert_int_not_equal(st, SB_OK);
        assert_null(cal);
        assert_non_null(strstr(err.message, cases[i].message));
        assert_string_equal(err.file, "h.yaml");
    }
    /* Targets, each with one thing wrong. */
    static const hostile targets[] = {
        {"}\n", NULL},
        {", lag: 4}\n", "'lag' does not apply to share_secure"},
        {", week: 600}\n", "reads week 600"},
        {", scores: fuzzy}\n", "scores"},
        {", statistic2: x}\n", "unknown key 'statistic2'"},
        {"}\n  - {id: a, statistic: share_secure, scenario: general, value: "
         "0.5, sd: 0.1, source: s, use: fit}\n",
         "the id is used twice"},
        {"}\n  - {id: b, statistic: retest_r, scenario: general, value: 0.5, "
         "sd: 0.1, source: s, use: fit}\n",
         "retest_r needs 'lag'"},
        {"}\n  - {id: b, statistic: share_improved, scenario: general, "
         "session: 8, value: 0.5, sd: 0.1, source: s, use: fit}\n",
         "has no therapy"},
        {"}\n  - {id: b, statistic: share_secure, scenario: other, value: "
         "0.5, sd: 0.1, source: s, use: fit}\n",
         "no scenario 'other'"},
        {"}\n  - {id: b, statistic: share_secure, scenario: general, value: "
         "0.5, sd: 0, source: s, use: fit}\n",
         "sd is 0"},
        {"}\n  - {id: b, statistic: share_secure, scenario: general, value: "
         "0.5, sd: 1, source: '', use: fit}\n",
         "the source is empty"},
        {"}\n  - {id: b, statistic: share_secure, scenario: general, value: "
         "0.5, sd: 1, use: fit}\n",
         "give source"},
        {"}\n  - {id: b, statistic: share_secure, scenario: general, value: "
         "0.5, sd: 1, source: x, use: maybe}\n",
         "use"},
        {", versus: general}\n", "'versus' does not apply to share_secure"},
        {"}\n  - {id: b, statistic: event_response, scenario: general, "
         "versus: general, week: 0, lag: 1, dimension: anxiety, value: 0.5, "
         "sd: 1, source: x, use: fit}\n",
         "versus names the target's own scenario"},
        {"}\n  - {id: b, statistic: event_response, scenario: general, "
         "versus: elsewhere, week: 0, lag: 1, dimension: anxiety, value: 0.5, "
         "sd: 1, source: x, use: fit}\n",
         "no scenario 'elsewhere'"},
        {"}\n  - {id: b, statistic: event_response, scenario: general, "
         "week: 0, lag: 1, relative_lag: 0, dimension: composite, value: 0.5, "
         "sd: 1, source: x, use: fit}\n",
         "relative_lag"},
        {"}\n  - {id: b, statistic: event_response, scenario: general, "
         "week: 0, lag: 1, relative_lag: 600, dimension: composite, "
         "value: 0.5, sd: 1, source: x, use: fit}\n",
         "reads week 600"},
        {"}\n  - {id: b, statistic: retest_r, scenario: general, lag: 4, "
         "dimension: both, value: 0.5, sd: 1, source: x, use: fit}\n",
         "dimension"},
    };
    char text[2048];
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        snprintf(text, sizeof text, "%s%s%s", head, tgt, targets[i].text);
        sb_status st =
            sb_calibration_load_text(text, strlen(text), "h.yaml", &cal, &err);
        if (!targets[i].message) {
            assert_int_equal(st, SB_OK);
            free(cal);
            continue;
        }
        if (st == SB_OK || !strstr(err.message, targets[i].message))
            print_error("target case %zu: status %d, message '%s'\n", i,
                        (int)st, err.message);
        assert_int_not_equal(st, SB_OK);
        assert_non_null(strstr(err.message, targets[i].message));
        assert_true(err.line > 0);
    }
    /* Only held-out targets: nothing to fit. */
    snprintf(text, sizeof text, "%s%s", head,
             "targets:\n  - {id: a, statistic: share_secure, scenario: "
             "general, value: 0.5, sd: 0.1, source: s, use: held-out}\n");
    assert_int_equal(
        sb_calibration_load_text(text, strlen(text), "h.yaml", &cal, &err),
        SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "use: fit"));
    /* Too large, and a missing file. */
    size_t big = SB_FIT_FILE_MAX_BYTES + 1;
    char *huge = malloc(big);
    memset(huge, '#', big);
    assert_int_equal(sb_calibration_load_text(huge, big, "big.yaml", &cal, &err),
                     SB_ERR_INVALID);
    free(huge);
    assert_int_equal(sb_calibration_load("/nonexistent/c.yaml", &cal, &err),
                     SB_ERR_IO);
}

static void test_simulate_statistics(void **state)
{
    (void)state;
    sb_calibration *cal;
    sb_error err;
    assert_int_equal(sb_calibration_load_text(good, strlen(good), "small.yaml",
                                              &cal, &err),
                     SB_OK);
    sb_calibration_run run = {cal, 300, 1};
    sb_prior priors[SB_FIT_MAX_PARAMS];
    double obs[SB_FIT_MAX_TARGETS], scale[SB_FIT_MAX_TARGETS];
    unsigned char fitted[SB_FIT_MAX_TARGETS];
    sb_abc_problem pb;
    sb_calibration_problem(&run, priors, obs, scale, fitted, &pb);
    assert_int_equal(pb.stat_count, cal->target_count);
    assert_int_equal(fitted[0], 1);
    assert_int_equal(fitted[2], 0);
    double theta[3] = {0.07, 0.26, 0.006}, a[16], b[16];
    assert_int_equal(sb_calibration_simulate(&run, theta, 5, a, &err), SB_OK);
    assert_int_equal(sb_calibration_simulate(&run, theta, 5, b, &err), SB_OK);
    assert_memory_equal(a, b, cal->target_count * sizeof(double));
    for (size_t k = 0; k < cal->target_count; k++) {
        print_message("%-8s %8.4f\n", cal->target[k].id, a[k]);
        assert_true(isfinite(a[k]));
    }
    assert_true(a[0] > 0.3 && a[0] < 0.8);   /* share secure */
    assert_true(a[1] > 0.5 && a[1] < 0.95);  /* 4-week retest */
    assert_true(a[2] > 0.3 && a[2] <= 1);    /* stability of the insecure */
    assert_true(a[4] < 0);                   /* therapy lowers anxiety */
    assert_true(a[5] > 0.1 && a[5] < 0.9);   /* improved by 8 sessions */
    assert_true(a[8] < 0);                   /* mean anxiety falls in therapy */
    /* A parameter the model refuses is an error, not a crash. */
    theta[0] = 2;
    assert_int_equal(sb_calibration_simulate(&run, theta, 5, a, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "pull"));
    free(cal);
}

/* V9's statistics: a scenario written in place with one event, against
 * the same people without it. */
static const char *const events =
    "name: events\n"
    "persons: 400\n"
    "scenarios:\n"
    "  general: general-population\n"
    "  loss:\n"
    "    name: loss\n"
    "    base: general-population\n"
    "    timeline:\n"
    "      - {week: 10, event: loss}\n"
    "  partner:\n"
    "    name: partner\n"
    "    base: general-population\n"
    "    timeline:\n"
    "      - {week: 10, event: new-secure-partner}\n"
    "parameters:\n"
    "  stress_lasting: {prior: uniform, min: 0, max: 0.3}\n"
    "targets:\n"
    "  - {id: now, statistic: event_response, scenario: loss, versus: general, week: 10, lag: 1, dimension: anxiety, value: 0.5, sd: 0.4, source: s, use: fit}\n"
    "  - {id: later, statistic: event_response, scenario: loss, versus: general, week: 10, lag: 53, dimension: anxiety, value: 0.1, sd: 0.1, source: s, use: fit}\n"
    "  - {id: left, statistic: event_response, scenario: loss, versus: general, week: 10, lag: 53, relative_lag: 1, dimension: anxiety, value: 0.3, sd: 0.1, source: s, use: fit}\n"
    "  - {id: raw, statistic: event_response, scenario: loss, week: 10, lag: 1, dimension: anxiety, value: 0.5, sd: 0.4, source: s, use: held-out}\n"
    "  - {id: base, statistic: event_response, scenario: general, week: 10, lag: 1, dimension: anxiety, value: 0, sd: 0.4, source: s, use: held-out}\n"
    "  - {id: p-anx, statistic: event_response, scenario: partner, versus: general, week: 10, lag: 1, dimension: anxiety, value: -0.5, sd: 0.4, source: s, use: held-out}\n"
    "  - {id: p-avo, statistic: event_response, scenario: partner, versus: general, week: 10, lag: 1, dimension: avoidance, value: -0.5, sd: 0.4, source: s, use: held-out}\n"
    "  - {id: p-both, statistic: event_response, scenario: partner, versus: general, week: 10, lag: 1, dimension: composite, value: -0.5, sd: 0.4, source: s, use: held-out}\n";

static void test_event_response(void **state)
{
    (void)state;
    sb_calibration *cal;
    sb_error err;
    assert_int_equal(sb_calibration_load_text(events, strlen(events),
                                              "events.yaml", &cal, &err),
                     SB_OK);
    assert_int_equal(cal->scenario_count, 3);
    assert_int_equal(cal->scenario[1].timeline_count, 1);
    assert_true(cal->target[0].has_versus);
    assert_int_equal(cal->target[0].versus, 0);
    assert_false(cal->target[3].has_versus);
    assert_int_equal(cal->target[2].relative_lag, 1);
    sb_calibration_run run = {cal, 400, 1};
    double theta[1] = {0.06}, a[8];
    assert_int_equal(sb_calibration_simulate(&run, theta, 3, a, &err), SB_OK);
    for (size_t k = 0; k < cal->target_count; k++)
        print_message("%-8s %8.4f\n", cal->target[k].id, a[k]);
    /* The loss raises anxiety at once, and most of it fades. */
    assert_true(a[0] > 0.05);
    assert_true(a[1] < a[0]);
    /* The share left is the later response over the one at once. */
    assert_near(a[2], a[1] / a[0], 1e-12);
    /* Against the same people without it: the raw shift less theirs. */
    assert_near(a[0], a[3] - a[4], 1e-12);
    /* A new secure partner lowers both; the composite is their mean. */
    assert_true(a[5] < 0 && a[6] < 0);
    assert_near(a[7], (a[5] + a[6]) / 2, 1e-12);
    free(cal);
}

static const sb_target *target_named(const sb_calibration *cal, const char *id)
{
    for (size_t k = 0; k < cal->target_count; k++)
        if (!strcmp(cal->target[k].id, id))
            return &cal->target[k];
    fail_msg("v1-v9 has no target '%s'", id);
    return NULL;
}

/*
 * The built-in calibration fits what `securebase validate` checks: V7's
 * sudden changes on validate's own course (sb_validate_course), the same
 * people giving the same figures; V5's effect sizes at the end of therapy,
 * where validate reads them.
 */
static void test_builtin_measures_as_validate(void **state)
{
    (void)state;
    sb_calibration *cal;
    sb_error err;
    assert_int_equal(sb_calibration_load("v1-v9", &cal, &err), SB_OK);
    sb_scenario therapy, course;
    assert_int_equal(sb_scenario_builtin("therapy-only", &therapy, &err), SB_OK);
    sb_validate_course(&therapy, &course);
    const char *sudden[2] = {"V7-sudden-gains", "V7-sudden-losses"};
    for (int k = 0; k < 2; k++) {
        const sb_target *t = target_named(cal, sudden[k]);
        const sb_scenario *fit = &cal->scenario[t->scenario];
        assert_int_equal(fit->therapy.weeks, course.therapy.weeks);
        assert_int_equal(fit->followup_weeks, course.followup_weeks);
        /* The run a particle makes and the run validate makes. */
        sb_sim_options a, b;
        sb_sim_options_default(&a);
        a.persons = 600;
        a.seed = 11;
        a.threads = 1;
        b = a;
        sb__calibration_options(cal, t->scenario, &a);
        sb_sim_result *ra, *rb;
        assert_int_equal(sb_simulate(fit, &a, &ra, &err), SB_OK);
        assert_int_equal(sb_simulate(&course, &b, &rb, &err), SB_OK);
        const sb_sim_summary *sa = sb_sim_get_summary(ra);
        const sb_sim_summary *sv = sb_sim_get_summary(rb);
        assert_true(sv->share_sudden_gain > 0 && sv->share_sudden_loss > 0);
        double want = k ? sv->share_sudden_loss : sv->share_sudden_gain;
        assert_true(sb__target_statistic(t, fit, ra, NULL) == want);
        assert_true(sa->share_sudden_gain == sv->share_sudden_gain);
        assert_true(sa->share_sudden_loss == sv->share_sudden_loss);
        sb_sim_result_free(ra);
        sb_sim_result_free(rb);
    }
    const char *effect[2] = {"V5-anxiety-d", "V5-avoidance-d"};
    for (int k = 0; k < 2; k++) {
        const sb_target *t = target_named(cal, effect[k]);
        assert_int_equal(t->week, sb_scenario_therapy_end(&therapy));
    }
    free(cal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_loads),
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_hostile_files),
        cmocka_unit_test(test_simulate_statistics),
        cmocka_unit_test(test_event_response),
        cmocka_unit_test(test_builtin_measures_as_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
