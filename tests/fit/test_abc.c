/*
 * ABC-SMC on toy models whose posterior is known in closed form: the mean
 * of normal data with a conjugate normal prior. The engine must recover the
 * posterior mean and SD, keep weights summing to 1, and give the same
 * population bit for bit with any map.
 */
#include "support.h"

#include "fit/fit_internal.h"
#include "model/rng.h"
#include "model/sample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Data: n observations with SD sigma, summarised by their mean; the mean
 * has standard error se = sigma / sqrt(n). Prior on mu: N(0, tau^2). */
#define SE 0.5
#define TAU 1.0
#define XBAR 1.0

/* Simulates the sample mean at theta[k] for every dimension. */
static sb_status toy_simulate(void *ctx, const double *theta, uint64_t seed,
                              double *stats, sb_error *err)
{
    (void)err;
    size_t dim = *(const size_t *)ctx;
    sb__rng r;
    sb__rng_init(&r, seed, 0, SB_RNG_TEST, 0);
    for (size_t k = 0; k < dim; k++)
        stats[k] = theta[k] + SE * sb__sample_normal(&r);
    return SB_OK;
}

typedef struct toy {
    size_t dim;
    sb_prior prior[2];
    double observed[2], scale[2];
    unsigned char fitted[2];
    sb_abc_problem pb;
} toy;

static void toy_init(toy *t, size_t dim, sb_prior_kind kind)
{
    memset(t, 0, sizeof *t);
    t->dim = dim;
    for (size_t k = 0; k < dim; k++) {
        t->prior[k] = kind == SB_PRIOR_NORMAL
                          ? (sb_prior){SB_PRIOR_NORMAL, 0, TAU, -10, 10}
                          : (sb_prior){SB_PRIOR_UNIFORM, -5, 5, -5, 5};
        t->observed[k] = k ? -XBAR : XBAR;
        t->scale[k] = SE;
        t->fitted[k] = 1;
    }
    t->pb = (sb_abc_problem){dim, t->prior, dim, t->observed, t->scale,
                             t->fitted, toy_simulate, &t->dim};
}

static void weighted_moments(const sb_abc_result *res, size_t j, double *mean,
                             double *sd)
{
    double m = 0, v = 0;
    for (size_t i = 0; i < res->particles; i++)
        m += res->weight[i] * res->theta[i * res->dim + j];
    for (size_t i = 0; i < res->particles; i++) {
        double d = res->theta[i * res->dim + j] - m;
        v += res->weight[i] * d * d;
    }
    *mean = m;
    *sd = sqrt(v);
}

static sb_abc_result *run(const toy *t, size_t particles, int generations,
                          sb_fit_map_fn map, void *map_ctx,
                          sb_abc_kernel kernel)
{
    sb_abc_options opt;
    sb_abc_options_default(&opt);
    opt.particles = particles;
    opt.generations = generations;
    opt.seed = 7;
    opt.kernel = kernel;
    opt.map = map;
    opt.map_ctx = map_ctx;
    sb_abc_result *res = NULL;
    sb_error err;
    sb_status st = sb_abc_run(&t->pb, &opt, &res, &err);
    if (st != SB_OK)
        print_error("%s\n", err.message);
    assert_int_equal(st, SB_OK);
    return res;
}

/* Conjugate normal: posterior N(m, s^2) with precision 1/tau^2 + 1/se^2. */
static void test_normal_mean_recovered(void **state)
{
    (void)state;
    toy t;
    toy_init(&t, 1, SB_PRIOR_NORMAL);
    sb_abc_result *res = run(&t, 2000, 8, NULL, NULL, SB_KERNEL_MULTIVARIATE);
    double prec = 1 / (TAU * TAU) + 1 / (SE * SE);
    double m = XBAR / (SE * SE) / prec, s = sqrt(1 / prec);
    double mean, sd;
    weighted_moments(res, 0, &mean, &sd);
    print_message("posterior mean %.4f (exact %.4f), sd %.4f (exact %.4f), "
                  "final tolerance %.4f, ESS %.0f\n",
                  mean, m, sd, s, res->generation[res->generations - 1].epsilon,
                  res->generation[res->generations - 1].ess);
    /* Monte Carlo error of the mean is about s / sqrt(ESS) < 0.02; the
     * remaining tolerance widens the SD by a few percent. */
    assert_near(mean, m, 0.05);
    assert_near(sd, s, 0.1 * s);
    assert_int_equal(res->generations, 8);
    assert_false(res->stopped_early);
    double total = 0;
    for (size_t i = 0; i < res->particles; i++) {
        assert_true(res->weight[i] >= 0);
        total += res->weight[i];
        assert_true(res->distance[i] <= res->generation[7].epsilon);
    }
    assert_near(total, 1.0, 1e-12);
    /* Tolerances fall generation by generation. */
    for (int g = 2; g < res->generations; g++)
        assert_true(res->generation[g].epsilon < res->generation[g - 1].epsilon);
    /* The predictive draws scatter around the data with variance
     * s^2 + se^2. */
    double pm = 0;
    for (size_t i = 0; i < res->particles; i++)
        pm += res->weight[i] * res->predictive[i];
    assert_near(pm, m, 0.06);
    sb_abc_result_free(res);
}

/* A flat prior: the posterior is the likelihood, N(xbar, se^2), in each of
 * two independent dimensions; the componentwise kernel gets there too. */
static void test_uniform_prior_two_dimensions(void **state)
{
    (void)state;
    toy t;
    toy_init(&t, 2, SB_PRIOR_UNIFORM);
    for (int kernel = 0; kernel < 2; kernel++) {
        sb_abc_result *res = run(&t, 1500, 10, NULL, NULL, (sb_abc_kernel)kernel);
        for (size_t j = 0; j < 2; j++) {
            double mean, sd;
            weighted_moments(res, j, &mean, &sd);
            print_message("kernel %d dim %zu: mean %.4f sd %.4f\n", kernel, j,
                          mean, sd);
            assert_near(mean, t.observed[j], 0.06);
            /* With two fitted statistics the ball of radius epsilon in both
             * widens the posterior a little more than in one. */
            assert_near(sd, SE, 0.15 * SE);
        }
        sb_abc_result_free(res);
    }
}

static int same_result(const sb_abc_result *a, const sb_abc_result *b)
{
    size_t n = a->particles;
    return a->generations == b->generations &&
           !memcmp(a->theta, b->theta, n * a->dim * sizeof(double)) &&
           !memcmp(a->weight, b->weight, n * sizeof(double)) &&
           !memcmp(a->distance, b->distance, n * sizeof(double)) &&
           !memcmp(a->predictive, b->predictive,
                   n * a->stat_count * sizeof(double));
}

static void test_same_for_any_map(void **state)
{
    (void)state;
    toy t;
    toy_init(&t, 2, SB_PRIOR_NORMAL);
    sb_abc_result *serial = run(&t, 300, 5, NULL, NULL, SB_KERNEL_MULTIVARIATE);
    int one = 1, three = 3;
    sb_abc_result *t1 = run(&t, 300, 5, sb_fit_map_threads, &one,
                            SB_KERNEL_MULTIVARIATE);
    sb_abc_result *t3 = run(&t, 300, 5, sb_fit_map_threads, &three,
                            SB_KERNEL_MULTIVARIATE);
    assert_true(same_result(serial, t1));
    assert_true(same_result(serial, t3));
    sb_abc_result_free(serial);
    sb_abc_result_free(t1);
    sb_abc_result_free(t3);
}

/* A tolerance no proposal can meet stops the run at the last complete
 * generation, and says so. */
static sb_status noisy_simulate(void *ctx, const double *theta, uint64_t seed,
                                double *stats, sb_error *err)
{
    (void)ctx;
    (void)theta;
    (void)err;
    sb__rng r;
    sb__rng_init(&r, seed, 0, SB_RNG_TEST, 0);
    /* Pure noise, in steps of 1: after a generation or two no proposal
     * falls within a tolerance of 0. */
    stats[0] = floor(2 * sb__rng_uniform(&r));
    return SB_OK;
}

static void test_stops_early_when_stuck(void **state)
{
    (void)state;
    toy t;
    toy_init(&t, 1, SB_PRIOR_NORMAL);
    t.pb.simulate = noisy_simulate;
    t.observed[0] = 0.5;
    sb_abc_options opt;
    sb_abc_options_default(&opt);
    opt.particles = 50;
    opt.generations = 5;
    opt.max_attempts = 20;
    opt.quantile = 0.1;
    sb_abc_result *res;
    sb_error err;
    assert_int_equal(sb_abc_run(&t.pb, &opt, &res, &err), SB_OK);
    double total = 0;
    for (size_t i = 0; i < res->particles; i++)
        total += res->weight[i];
    assert_near(total, 1.0, 1e-12);
    sb_abc_result_free(res);
}

static sb_status failing_simulate(void *ctx, const double *theta,
                                  uint64_t seed, double *stats, sb_error *err)
{
    (void)ctx;
    (void)seed;
    (void)stats;
    if (theta[0] > 0)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "parameter above zero: %g", theta[0]);
    stats[0] = NAN;
    return SB_OK;
}

static void test_errors(void **state)
{
    (void)state;
    toy t;
    toy_init(&t, 1, SB_PRIOR_NORMAL);
    sb_abc_options opt;
    sb_abc_options_default(&opt);
    sb_abc_result *res = (sb_abc_result *)1;
    sb_error err;
    opt.particles = 1;
    assert_int_equal(sb_abc_run(&t.pb, &opt, &res, &err), SB_ERR_INVALID);
    assert_null(res);
    assert_non_null(strstr(err.message, "particles"));
    sb_abc_options_default(&opt);
    opt.quantile = 1;
    assert_int_equal(sb_abc_run(&t.pb, &opt, &res, &err), SB_ERR_INVALID);
    sb_abc_options_default(&opt);
    t.fitted[0] = 0;
    assert_int_equal(sb_abc_run(&t.pb, &opt, &res, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "no statistic is fitted"));
    t.fitted[0] = 1;
    t.scale[0] = 0;
    assert_int_equal(sb_abc_run(&t.pb, &opt, &res, &err), SB_ERR_INVALID);
    t.scale[0] = SE;
    /* A simulator error stops the run with its message, the same with
     * threads (the lowest failing index wins). */
    t.pb.simulate = failing_simulate;
    opt.particles = 40;
    int two = 2;
    opt.map = sb_fit_map_threads;
    opt.map_ctx = &two;
    assert_int_equal(sb_abc_run(&t.pb, &opt, &res, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "parameter above zero"));
    assert_null(res);
}

static void test_weighted_quantile(void **state)
{
    (void)state;
    double x[] = {3, 1, NAN, 2, 4};
    double w[] = {0.25, 0.25, 0.1, 0.25, 0.15};
    assert_near(sb_fit_weighted_quantile(x, 1, w, 5, 0.5), 2, 0);
    assert_near(sb_fit_weighted_quantile(x, 1, w, 5, 0.0), 1, 0);
    assert_near(sb_fit_weighted_quantile(x, 1, w, 5, 1.0), 4, 0);
    double none[] = {NAN};
    assert_true(isnan(sb_fit_weighted_quantile(none, 1, w, 1, 0.5)));
}

static void test_prior(void **state)
{
    (void)state;
    sb_prior u = {SB_PRIOR_UNIFORM, 0, 2, 0, 2};
    assert_near(sb_prior_quantile(&u, 0.25), 0.5, 1e-15);
    assert_near(sb_prior_density(&u, 1), 0.5, 1e-15);
    assert_near(sb_prior_density(&u, 2.1), 0, 0);
    /* Normal truncated to [0, inf): the median of a half-normal. */
    sb_prior n = {SB_PRIOR_NORMAL, 0, 1, 0, 50};
    assert_near(sb_prior_quantile(&n, 0.5), 0.6744897501960817, 1e-9);
    sb_prior full = {SB_PRIOR_NORMAL, 3, 2, -100, 100};
    assert_near(sb_prior_quantile(&full, 0.975), 3 + 2 * 1.959963984540054, 1e-8);
    assert_near(sb_prior_quantile(&full, 1e-6), 3 - 2 * 4.753424308822899, 1e-6);
    sb_prior ln = {SB_PRIOR_LOGNORMAL, log(0.1), 0.5, 0, 1};
    /* The truncation at 1 cuts off 2e-6 of the mass: the median moves
     * by about that share of it. */
    assert_near(sb_prior_quantile(&ln, 0.5), 0.1, 1e-6);
    assert_near(sb_prior_density(&ln, -1), 0, 0);
    sb_error err;
    sb_prior far = {SB_PRIOR_NORMAL, 100, 1, 0, 1};
    assert_int_equal(sb_prior_check(&far, "pull", &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "pull"));
    sb_prior flat = {SB_PRIOR_UNIFORM, 1, 1, 0, 1};
    assert_int_equal(sb_prior_check(&flat, "noise", &err), SB_ERR_INVALID);
    sb_prior nan = {SB_PRIOR_NORMAL, NAN, 1, 0, 1};
    assert_int_equal(sb_prior_check(&nan, "noise", &err), SB_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prior),
        cmocka_unit_test(test_weighted_quantile),
        cmocka_unit_test(test_normal_mean_recovered),
        cmocka_unit_test(test_uniform_prior_two_dimensions),
        cmocka_unit_test(test_same_for_any_map),
        cmocka_unit_test(test_stops_early_when_stuck),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
