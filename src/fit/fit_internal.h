/*
 * Shared inside the fit layer: the serial map, and the phases that keep the
 * layer's random streams apart from the simulator's (model/rng.h uses
 * phases 0-2 for people; these are far above).
 */
#ifndef SB_FIT_INTERNAL_H
#define SB_FIT_INTERNAL_H

#include <securebase/fit.h>

enum {
    SB_FIT_PHASE_PROPOSAL = 0x40,   /* a particle's proposals, by attempt */
    SB_FIT_PHASE_PREDICTIVE = 0x41, /* posterior predictive simulations */
    SB_FIT_PHASE_POSTERIOR = 0x42   /* a person's particle in a projection */
};

/* Runs tasks 0..count-1 in order on the calling thread. */
sb_status sb__fit_map_serial(size_t count, size_t width, sb_fit_task_fn task,
                             void *task_ctx, double *out, sb_error *err);

/* Index of the first cumulative weight >= u (cum ascending, last ~ 1). */
size_t sb__fit_pick(const double *cum, size_t n, double u);

/* The run options a calibration's scenario `s` needs: the snapshot weeks
 * its targets read, the dose sessions, and how many weeks to simulate. */
void sb__calibration_options(const sb_calibration *cal, size_t s,
                             sb_sim_options *opt);

/* Target `t`'s statistic from a run of its scenario `sc` (and of its
 * `versus` scenario with the same seed, or NULL); NAN when it is undefined
 * (nobody reached the session, no spread at the first week). */
double sb__target_statistic(const sb_target *t, const sb_scenario *sc,
                            const sb_sim_result *res,
                            const sb_sim_result *versus);

#endif
