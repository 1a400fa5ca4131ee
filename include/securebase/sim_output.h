/*
 * Writers of simulation results: summary.json, weekly.csv and
 * trajectories.csv (formats in docs/formats.md). Every file is written
 * atomically: a reader sees the old file or the whole new one.
 */
#ifndef SECUREBASE_SIM_OUTPUT_H
#define SECUREBASE_SIM_OUTPUT_H

#include <securebase/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One simulated scenario with its result (both borrowed). */
typedef struct sb_sim_run {
    const sb_scenario *scenario;
    const sb_sim_result *result;
} sb_sim_run;

/* Settings shared by the runs, recorded in summary.json. */
typedef struct sb_sim_run_info {
    uint64_t seed;
    size_t persons;
} sb_sim_run_info;

sb_status sb_write_summary_json(const char *path, const sb_sim_run_info *info,
                                const sb_sim_run *runs, size_t count,
                                sb_error *err);
sb_status sb_write_weekly_csv(const char *path, const sb_sim_run *runs,
                              size_t count, sb_error *err);
sb_status sb_write_trajectories_csv(const char *path, const sb_sim_run *runs,
                                    size_t count, sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
