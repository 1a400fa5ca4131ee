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

sb_status sb_calibration_simulate(void *ctx, const double *theta,
                                  uint64_t seed, double *stats, sb_error *err)
{
    const sb_calibration_run *run = ctx;
    const sb_calibration *cal = run->cal;
    for (size_t s = 0; s < cal->scenario_count; s++) {
        size_t used = 0;
        for (size_t k = 0; k < cal->target_count; k++)
            used += cal->target[k].scenario == s;
        if (!used)
            continue;
        sb_scenario sc = cal->scenario[s];
        for (size_t j = 0; j < cal->param_count; j++)
            *(double *)((char *)&sc.params + cal->param[j].info->offset) =
                theta[j];
        sb_sim_options opt;
        sb_sim_options_default(&opt);
        opt.seed = seed;
        opt.persons = run->persons ? run->persons : cal->persons;
        opt.threads = run->threads;
        sb__calibration_options(cal, s, &opt);
        sb_sim_result *res;
        sb_status st = sb_simulate(&sc, &opt, &res, err);
        if (st != SB_OK) {
            sb_error_prefix(err, "simulating scenario '%s': ",
                            cal->scenario_key[s]);
            return st;
        }
        for (size_t k = 0; k < cal->target_count; k++)
            if (cal->target[k].scenario == s)
                stats[k] = sb__target_statistic(&cal->target[k], &sc, res);
        sb_sim_result_free(res);
    }
    return SB_OK;
}
