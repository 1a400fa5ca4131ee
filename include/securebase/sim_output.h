/*
 * Writers of simulation results: summary.json, weekly.csv and
 * trajectories.csv (formats in docs/formats.md). Every file is written
 * atomically: a reader sees the old file or the whole new one.
 */
#ifndef SECUREBASE_SIM_OUTPUT_H
#define SECUREBASE_SIM_OUTPUT_H

#include <securebase/sim.h>

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One simulated scenario with its result (both borrowed). */
typedef struct sb_sim_run {
    const sb_scenario *scenario;
    const sb_sim_result *result;
} sb_sim_run;

/* The largest seed summary.json can record: JSON integers are read and
 * written as signed 64-bit numbers, and a larger seed would come out
 * negative instead of the one that reproduces the run. */
#define SB_SIM_OUTPUT_SEED_MAX INT64_MAX

/* Settings shared by the runs, recorded in summary.json. */
typedef struct sb_sim_run_info {
    uint64_t seed;
    size_t persons;
} sb_sim_run_info;

/* Each writer replaces `path` atomically and fails, writing nothing, when a
 * figure cannot be recorded (a seed above SB_SIM_OUTPUT_SEED_MAX). */
sb_status sb_write_summary_json(const char *path, const sb_sim_run_info *info,
                                const sb_sim_run *runs, size_t count,
                                sb_error *err);
sb_status sb_write_weekly_csv(const char *path, const sb_sim_run *runs,
                              size_t count, sb_error *err);
sb_status sb_write_trajectories_csv(const char *path, const sb_sim_run *runs,
                                    size_t count, sb_error *err);

/*
 * A fan chart of one run as an SVG document: the share secure week by
 * week, and mean anxiety and avoidance with the band from their 10th to
 * their 90th percentile, with the weeks of therapy shaded. The caller
 * frees *svg.
 */
sb_status sb_fan_chart_svg(const sb_sim_run *run, char **svg, size_t *len,
                           sb_error *err);
/* The same chart written to `path`, atomically. */
sb_status sb_write_fan_chart(const char *path, const sb_sim_run *run,
                             sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
