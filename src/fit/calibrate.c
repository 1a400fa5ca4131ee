/*
 * The model behind a calibration: a parameter vector is written into a
 * copy of every scenario the targets are measured on, each is simulated
 * with the seed the ABC engine gives, and each target's statistic is read
 * off its scenario's result.
 */
#include "fit/fit_internal.h"

#include <math.h>
#include <string.h>

void sb_calibration_problem(const sb_calibration_run *run, sb_prior *priors,
                            double *observed, double *scale,
                            unsigned char *fitted, sb_abc_problem *pb)
{
    const sb_calibration *cal = run->cal;
    for (size_t j = 0; j < cal->param_count; j++)
        priors[j] = cal->param[j].prior;
    for (size_t k = 0; k < cal->target_count; k++) {
        observed[k] = cal->target[k].value;
        scale[k] = cal->target[k].sd;
        fitted[k] = (unsigned char)cal->target[k].fitted;
    }
    *pb = (sb_abc_problem){cal->param_count, priors, cal->target_count,
                           observed, scale, fitted, sb_calibration_simulate,
                           (void *)run};
}

/* Whether any target reads scenario `s`, as its own or to compare with. */
static int scenario_used(const sb_calibration *cal, size_t s)
{
    for (size_t k = 0; k < cal->target_count; k++) {
        const sb_target *t = &cal->target[k];
        if (t->scenario == s || (t->has_versus && t->versus == s))
            return 1;
    }
    return 0;
}

/* Runs scenario `s` with theta written into its model constants. */
static sb_status simulate_one(const sb_calibration_run *run, size_t s,
                              const double *theta, uint64_t seed,
                              sb_scenario *sc, sb_sim_result **res,
                              sb_error *err)
{
    const sb_calibration *cal = run->cal;
    *sc = cal->scenario[s];
    for (size_t j = 0; j < cal->param_count; j++)
        *(double *)((char *)&sc->params + cal->param[j].info->offset) =
            theta[j];
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.seed = seed;
    opt.persons = run->persons ? run->persons : cal->persons;
    opt.threads = run->threads;
    sb__calibration_options(cal, s, &opt);
    sb_status st = sb_simulate(sc, &opt, res, err);
    if (st != SB_OK)
        sb_error_prefix(err, "simulating scenario '%s': ",
                        cal->scenario_key[s]);
    return st;
}

sb_status sb_calibration_simulate(void *ctx, const double *theta,
                                  uint64_t seed, double *stats, sb_error *err)
{
    const sb_calibration_run *run = ctx;
    const sb_calibration *cal = run->cal;
    /* Every scenario with the same seed: the same people, so that a
     * target can compare two runs (an event's response against none). */
    sb_sim_result *res[SB_FIT_MAX_SCENARIOS] = {NULL};
    sb_scenario sc[SB_FIT_MAX_SCENARIOS];
    sb_status st = SB_OK;
    for (size_t s = 0; s < cal->scenario_count && st == SB_OK; s++)
        if (scenario_used(cal, s))
            st = simulate_one(run, s, theta, seed, &sc[s], &res[s], err);
    for (size_t k = 0; k < cal->target_count && st == SB_OK; k++) {
        const sb_target *t = &cal->target[k];
        stats[k] = sb__target_statistic(t, &sc[t->scenario], res[t->scenario],
                                        t->has_versus ? res[t->versus] : NULL);
    }
    for (size_t s = 0; s < cal->scenario_count; s++)
        sb_sim_result_free(res[s]);
    return st;
}
