/*
 * Posterior files: strict loading, draws in proportion to the weights and
 * keyed by seed and person only, and simulations whose people carry
 * parameter sets (one set equal to the scenario's changes nothing).
 */
#include "support.h"

#include <securebase/fit.h>
#include <securebase/scenario.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static sb_posterior *load(const char *dir, const char *text, sb_status want,
                          const char *message)
{
    char *path = sb_test_write(dir, "posterior.csv", text);
    sb_posterior *post = NULL;
    sb_error err;
    sb_status st = sb_posterior_load(path, &post, &err);
    if (st != want || (message && !strstr(err.message, message)))
        print_error("status %d, message '%s'\n", (int)st, err.message);
    assert_int_equal(st, want);
    if (message)
        assert_non_null(strstr(err.message, message));
    free(path);
    return post;
}

static void test_load_and_draw(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    sb_posterior *post = load(dir,
                              "particle,weight,pull,noise,distance\n"
                              "1,0.5,0.05,0.2,1.5\n"
                              "2,0.25,0.1,0.3,1.2\n"
                              "3,0.25,0.15,0.25,0.9\n",
                              SB_OK, NULL);
    assert_int_equal(sb_posterior_particles(post), 3);
    assert_int_equal(sb_posterior_dim(post), 2);
    assert_string_equal(sb_posterior_param(post, 1), "noise");
    assert_near(sb_posterior_value(post, 2, 0), 0.15, 0);
    assert_near(sb_posterior_weight(post, 1), 0.25, 0);
    /* Frequencies follow the weights (4 SDs of a binomial). */
    size_t count[3] = {0};
    const size_t n = 40000;
    for (size_t i = 0; i < n; i++)
        count[sb_posterior_draw(post, 3, i)]++;
    assert_near((double)count[0] / n, 0.5, 4 * sqrt(0.25 / n));
    assert_near((double)count[1] / n, 0.25, 4 * sqrt(0.1875 / n));
    /* The same seed and person, the same particle; another seed differs
     * for some people. */
    size_t differ = 0;
    for (size_t i = 0; i < 100; i++) {
        assert_int_equal(sb_posterior_draw(post, 3, i),
                         sb_posterior_draw(post, 3, i));
        differ += sb_posterior_draw(post, 3, i) != sb_posterior_draw(post, 4, i);
    }
    assert_true(differ > 20);
    sb_posterior_free(post);
    sb_test_rmtree(dir);
    free(dir);
}

static void test_hostile(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    load(dir, "particle,weight\n1,1\n", SB_ERR_PARSE, "at least one parameter");
    load(dir, "particle,pull\n1,0.1\n", SB_ERR_PARSE, "'weight'");
    load(dir, "particle,weight,pull,colour\n1,1,0.1,2\n", SB_ERR_PARSE,
         "'colour' is not a model parameter");
    load(dir, "particle,weight,stable_weeks\n1,1,26\n", SB_ERR_PARSE,
         "'stable_weeks' is not a model parameter");
    load(dir, "particle,weight,pull,pull\n1,1,0.1,0.1\n", SB_ERR_PARSE,
         "appears twice");
    load(dir, "particle,weight,pull\n1,1,0x1\n", SB_ERR_PARSE,
         "not a finite decimal");
    load(dir, "particle,weight,pull\n1,1,nan\n", SB_ERR_PARSE,
         "not a finite decimal");
    load(dir, "particle,weight,pull\n1,1,\n", SB_ERR_PARSE,
         "not a finite decimal");
    load(dir, "particle,weight,pull\n1,1,2\n", SB_ERR_INVALID, "allowed 0..1");
    load(dir, "particle,weight,pull\n1,-1,0.1\n2,2,0.1\n", SB_ERR_INVALID,
         "not negative");
    load(dir, "particle,weight,pull\n1,0.5,0.1\n", SB_ERR_INVALID,
         "add up to 0.5");
    load(dir, "particle,weight,pull\n", SB_ERR_INVALID, "no particles");
    load(dir, "particle,weight,pull\n1,1\n", SB_ERR_PARSE, NULL);
    load(dir, "particle,weight,pull\n\"1,1,0.1\n", SB_ERR_PARSE, NULL);
    sb_posterior *post;
    sb_error err;
    assert_int_equal(sb_posterior_load("/nonexistent/p.csv", &post, &err),
                     SB_ERR_IO);
    sb_test_rmtree(dir);
    free(dir);
}

static sb_sim_result *simulate(const sb_scenario *sc, const sb_posterior *post)
{
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.persons = 400;
    opt.weeks = 30;
    opt.seed = 11;
    opt.threads = 2;
    sb_posterior_sets *sets = NULL;
    sb_error err;
    if (post)
        assert_int_equal(
            sb_posterior_attach(post, &sc->params, NULL, &opt, &sets, &err),
            SB_OK);
    sb_sim_result *res;
    assert_int_equal(sb_simulate(sc, &opt, &res, &err), SB_OK);
    sb_posterior_sets_free(sets);
    return res;
}

static void test_simulate_with_posterior(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    sb_scenario sc;
    sb_error err;
    assert_int_equal(sb_scenario_builtin("therapy-only", &sc, &err), SB_OK);
    char text[256];
    /* One particle at the scenario's own values: the very same run. */
    snprintf(text, sizeof text, "particle,weight,pull,noise\n1,1,%.17g,%.17g\n",
             sc.params.pull, sc.params.noise);
    sb_posterior *same = load(dir, text, SB_OK, NULL);
    sb_sim_result *a = simulate(&sc, NULL), *b = simulate(&sc, same);
    for (int w = 0; w <= 30; w++)
        assert_memory_equal(sb_sim_week(a, w), sb_sim_week(b, w),
                            sizeof(sb_week_stats));
    /* Two particles far apart: the spread between people grows. */
    sb_posterior *wide = load(dir,
                              "particle,weight,noise\n1,0.5,0.05\n2,0.5,0.6\n",
                              SB_OK, NULL);
    sb_sim_result *c = simulate(&sc, wide);
    const sb_week_stats *wa = sb_sim_week(a, 30), *wc = sb_sim_week(c, 30);
    assert_true(wc->pct_anxiety[4] - wc->pct_anxiety[0] >
                wa->pct_anxiety[4] - wa->pct_anxiety[0]);
    sb_sim_result_free(a);
    sb_sim_result_free(b);
    sb_sim_result_free(c);
    sb_posterior_free(same);
    sb_posterior_free(wide);
    sb_test_rmtree(dir);
    free(dir);
}

static size_t beyond(void *ctx, uint64_t person)
{
    (void)ctx;
    return person == 7 ? 5 : 0;
}

static void test_sim_checks_param_sets(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_scenario_default(&sc);
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.persons = 50;
    opt.weeks = 2;
    sb_params sets[2] = {sc.params, sc.params};
    sets[1].pull = 3; /* out of range */
    opt.param_sets = sets;
    opt.param_set_count = 2;
    opt.param_set_of = beyond;
    sb_sim_result *res;
    sb_error err;
    assert_int_equal(sb_simulate(&sc, &opt, &res, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "parameter set 1"));
    sets[1].pull = 0.1;
    assert_int_equal(sb_simulate(&sc, &opt, &res, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "beyond"));
    opt.param_set_of = NULL;
    assert_int_equal(sb_simulate(&sc, &opt, &res, &err), SB_ERR_INVALID);
}

/*
 * The shipped calibration (calibrations/shipped/): its posterior loads, and
 * each value in its medians.yaml is a weighted median of the particles (to
 * the four significant digits the file prints).
 */
static void test_shipped_calibration(void **state)
{
    (void)state;
    sb_posterior *post;
    sb_error err;
    assert_int_equal(sb_posterior_load(SB_SOURCE_DIR
                                       "/calibrations/shipped/posterior.csv",
                                       &post, &err),
                     SB_OK);
    assert_int_equal(sb_posterior_particles(post), 200);
    sb_scenario medians;
    assert_int_equal(sb_scenario_load_file(SB_SOURCE_DIR
                                           "/calibrations/shipped/medians.yaml",
                                           &medians, &err),
                     SB_OK);
    size_t n = sb_posterior_particles(post);
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += sb_posterior_weight(post, i);
    assert_near(total, 1, 1e-9);
    sb_params defaults;
    sb_params_default(&defaults);
    for (size_t j = 0; j < sb_posterior_dim(post); j++) {
        const sb_param_info *info = sb_params_find(sb_posterior_param(post, j));
        assert_non_null(info);
        double m = *(const double *)((const char *)&medians.params +
                                     info->offset);
        double below = 0, above = 0;
        for (size_t i = 0; i < n; i++) {
            double v = sb_posterior_value(post, i, j);
            below += v < m * (1 - 5e-4) ? sb_posterior_weight(post, i) : 0;
            above += v > m * (1 + 5e-4) ? sb_posterior_weight(post, i) : 0;
        }
        print_message("%-20s median %g: %.3f below, %.3f above\n", info->name,
                      m, below, above);
        assert_true(below <= 0.5 + 1e-9 && above <= 0.5 + 1e-9);
        double d = *(const double *)((const char *)&defaults + info->offset);
        if (d != m)
            fail_msg("the default of %s is %.17g, not the shipped posterior "
                     "median %.17g", info->name, d, m);
    }
    sb_posterior_free(post);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_draw),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_simulate_with_posterior),
        cmocka_unit_test(test_sim_checks_param_sets),
        cmocka_unit_test(test_shipped_calibration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
