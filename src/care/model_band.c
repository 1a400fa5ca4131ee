/*
 * The model's expected-recovery band: simulated people who start at one
 * person's intake and live with the inputs that person's records show
 * (calibrate.c), and the spread of their observed scores week by week.
 */
#include "care/internal.h"

#include <securebase/sim.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sb_status sb_care_band_model(const double intake[2], sb_scale scale,
                             const sb_care_inputs *in, int weeks,
                             size_t persons, uint64_t seed, sb_care_band *b,
                             sb_error *err)
{
    memset(b, 0, sizeof *b);
    b->source = SB_CARE_MODEL;
    b->intake[0] = intake[0];
    b->intake[1] = intake[1];
    if (weeks < 1 || weeks > SB_CARE_MAX_WEEKS || persons < 1)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a model band of %d weeks on %zu people: must be "
                            "1-%d weeks on at least one",
                            weeks, persons, SB_CARE_MAX_WEEKS);
    double start[2] = {sb_care_to_model(scale, intake[0]),
                       sb_care_to_model(scale, intake[1])};
    sb_scenario *sc = malloc(sizeof *sc);
    if (!sc)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    sb_care_scenario(in, start[0], start[1], weeks, sc);
    sb_status st = sb_scenario_check(sc, err);
    if (st != SB_OK) {
        sb_error_prefix(err, "cannot calibrate the model band: ");
        free(sc);
        return st;
    }
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.seed = seed;
    opt.persons = persons;
    opt.weeks = weeks;
    opt.threads = 1; /* small runs; the caller may run many side by side */
    opt.trajectories = persons;
    sb_sim_result *res = NULL;
    st = sb_simulate(sc, &opt, &res, err);
    free(sc);
    if (st != SB_OK)
        return st;
    int T = sb_sim_weeks(res) < weeks ? sb_sim_weeks(res) : weeks;
    size_t k = sb_sim_trajectory_count(res);
    double *v = malloc((k ? k : 1) * sizeof *v);
    st = v ? sb__care_band_alloc(b, T, err)
           : sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (int w = 0; st == SB_OK && w <= T; w++)
        for (int d = 0; d < 2 && k; d++) {
            for (size_t i = 0; i < k; i++) {
                const sb_trajectory_point *pt = &sb_sim_trajectory(res, i)[w];
                v[i] = sb_care_from_model(scale, d ? pt->obs_avoidance
                                                   : pt->obs_anxiety);
            }
            sb__care_band_fill(b, d, w, v, k);
        }
    free(v);
    sb_sim_result_free(res);
    if (st != SB_OK) {
        sb_care_band_free(b);
        return st;
    }
    b->n = k;
    b->ran = k > 0;
    if (!k)
        snprintf(b->why, sizeof b->why, "the simulation kept no paths");
    return SB_OK;
}
