/*
 * The simulation result's layout, shared by the runner (sim.c), the summary
 * (summary.c) and the accessors (sim_result.c). Not public.
 */
#ifndef SB_MODEL_SIM_H
#define SB_MODEL_SIM_H

#include <securebase/sim.h>

#include <stdint.h>

/* Histogram resolution for weekly percentiles: 0.01 scale points. */
#define SB_HIST_PER_POINT 100
#define SB_HIST_BINS 601 /* (SB_SCALE_MAX - SB_SCALE_MIN) * SB_HIST_PER_POINT + 1 */

/* What is kept of each person for the summary. */
typedef struct sb__person_record {
    float prototype_revision;
    int16_t weeks_to_stable;   /* -1: never */
    uint8_t secure_baseline;
    uint8_t setback, sudden_gain, sudden_loss;
} sb__person_record;

struct sb_sim_result {
    size_t persons;
    int weeks;
    int course_start, course_end;  /* the therapy course within the run */
    sb_week_stats *week;           /* weeks + 1 */
    sb_sim_summary summary;
    sb__person_record *person;      /* persons */
    float *baseline_composite;     /* persons */
    int snapshot_week[SB_SIM_MAX_SNAPSHOTS + 3];
    sb_snapshot *snapshot[SB_SIM_MAX_SNAPSHOTS + 3];
    size_t snapshot_count;
    float *dose;                   /* persons x dose_sessions */
    int dose_sessions;
    size_t trajectory_count;
    size_t *trajectory_person;
    sb_trajectory_point *trajectory; /* trajectory_count x (weeks + 1) */
    uint64_t draws;
};

/* Which of res->snapshot holds the given week, or -1. */
int sb__sim_snapshot_index(const sb_sim_result *res, int week);

/* Fills res->summary from the weekly statistics (already computed), the
 * per-person records and the snapshots. */
sb_status sb__sim_summarize(sb_sim_result *res, sb_error *err);

#endif
