/*
 * securebase population simulator: runs a scenario on N simulated people
 * and returns weekly distribution statistics, per-scenario summary figures,
 * per-person snapshots at chosen weeks, and optional sampled trajectories.
 * Memory is O(N) plus O(weeks) for the weekly statistics; trajectories add
 * O(K x weeks). The same seed gives identical results for any thread count.
 */
#ifndef SECUREBASE_SIM_H
#define SECUREBASE_SIM_H

#include <securebase/model.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SB_SIM_MAX_SNAPSHOTS 16
#define SB_SIM_MAX_DOSE 64

/* Called now and then from one thread with the share of people done. */
typedef void (*sb_sim_progress_fn)(void *ctx, double done);

typedef struct sb_sim_options {
    uint64_t seed;
    size_t persons;          /* 1..UINT32_MAX */
    int weeks;               /* 0: the scenario's own length */
    int threads;             /* 0: OpenMP's default */
    size_t trajectories;     /* people whose weekly paths are kept */
    /* Extra weeks at which every person's state is kept (validation). */
    int snapshot_weeks[SB_SIM_MAX_SNAPSHOTS];
    size_t snapshot_count;
    /* Keep the insecurity composite after the k-th attended session, for
     * k = 1..dose_sessions (dose-response; 0 = off). */
    int dose_sessions;
    sb_sim_progress_fn progress;
    void *progress_ctx;
    /* Parameter uncertainty (optional): person i lives with the model
     * constants param_sets[param_set_of(param_set_ctx, i)] instead of the
     * scenario's, e.g. a particle drawn from a calibration's posterior.
     * The definitions that summaries and the run share (secure_cutoff,
     * stable_weeks, setback_rise, burn_in_weeks) stay the scenario's.
     * param_set_of must be pure: the same person, the same set. */
    const sb_params *param_sets;
    size_t param_set_count;  /* 0: everyone has the scenario's constants */
    size_t (*param_set_of)(void *ctx, uint64_t person);
    void *param_set_ctx;
} sb_sim_options;

/* Most parameter sets one run accepts. */
#define SB_SIM_MAX_PARAM_SETS 100000

/* Defaults: seed 1, 100,000 persons, the scenario's weeks, all threads. */
void sb_sim_options_default(sb_sim_options *opt);

/* Statistics of one week over all people (true scores). */
typedef struct sb_week_stats {
    double mean_anxiety, mean_avoidance;
    double pct_anxiety[5];   /* 10th, 25th, 50th, 75th, 90th percentiles */
    double pct_avoidance[5];
    double share_secure;
    double mean_awareness, mean_consolidation;
} sb_week_stats;

/* The figures that compare scenarios. Weeks are counted from week 0. */
typedef struct sb_sim_summary {
    int therapy_end_week, followup_week;
    double secure_baseline, secure_end, secure_followup;
    double change_anxiety_end, change_avoidance_end;   /* mean, end - baseline */
    double d_anxiety_end, d_avoidance_end;             /* Cohen's d */
    double change_anxiety_followup, change_avoidance_followup;
    double d_anxiety_followup, d_avoidance_followup;
    double prototype_revision;   /* mean distance moved by the prototype */
    double share_setback;        /* >= 1 setback (true composite) */
    /* Over the therapy course only, on the observed composite at each week
     * with an attended session (weekly when the scenario schedules no
     * sessions in the course: an untreated group over the same weeks);
     * NAN when the course is shorter than the 4 scores the rule needs. */
    double share_sudden_gain;    /* >= 1 sudden gain */
    double share_sudden_loss;
    double share_stable;         /* of those insecure at baseline */
    double median_weeks_stable;  /* among those who reached it; NAN if none */
} sb_sim_summary;

/* One person's state kept at a snapshot week. */
typedef struct sb_snapshot {
    float anxiety, avoidance;          /* true */
    float obs_anxiety, obs_avoidance;  /* observed, with measurement error */
} sb_snapshot;

/* One sampled person's week: the state at its start, and what happened in
 * it (which shows from the next week). */
typedef struct sb_trajectory_point {
    float anxiety, avoidance, obs_anxiety, obs_avoidance;
    float awareness, consolidation, proto_anxiety, proto_avoidance;
    uint64_t events;          /* bit i: timeline entry i's event struck */
    uint16_t sessions;        /* therapy sessions attended */
    uint16_t stress_events;   /* random stressful events */
} sb_trajectory_point;

typedef struct sb_sim_result sb_sim_result;

/* Runs `sc` (already checked) on opt->persons people. On success the caller
 * owns *out and frees it with sb_sim_result_free. */
sb_status sb_simulate(const sb_scenario *sc, const sb_sim_options *opt,
                      sb_sim_result **out, sb_error *err);
void sb_sim_result_free(sb_sim_result *res);

/* Accessors; pointers stay valid until the result is freed. */
int sb_sim_weeks(const sb_sim_result *res);      /* T: weeks 0..T exist */
size_t sb_sim_persons(const sb_sim_result *res);
const sb_week_stats *sb_sim_week(const sb_sim_result *res, int week);
const sb_sim_summary *sb_sim_get_summary(const sb_sim_result *res);
/* 32-bit random words drawn in the whole run (for benchmarks). */
uint64_t sb_sim_draws(const sb_sim_result *res);
/* Per-person snapshots at a week given in the options (or 0, the therapy
 * end, T); NULL if that week was not kept. Array of sb_sim_persons(). */
const sb_snapshot *sb_sim_snapshot(const sb_sim_result *res, int week);
/* A person's true composite after their k-th attended session (1-based);
 * NAN where they attended fewer or dose_sessions < k. */
double sb_sim_dose(const sb_sim_result *res, size_t person, int k);
/* Baseline insecurity composite per person (true, week 0). */
const float *sb_sim_baseline_composite(const sb_sim_result *res);
/* Among those who attended at least `session` sessions, the share whose
 * true composite after it is at least `threshold` below their week-0 one
 * (the dose-response of V6 and of calibration targets); NAN when nobody
 * attended that many or dose_sessions < session. */
double sb_sim_share_improved(const sb_sim_result *res, int session,
                             double threshold);
/* Sampled trajectories: person index and weekly points (T + 1 each). */
size_t sb_sim_trajectory_count(const sb_sim_result *res);
size_t sb_sim_trajectory_person(const sb_sim_result *res, size_t i);
const sb_trajectory_point *sb_sim_trajectory(const sb_sim_result *res,
                                             size_t i);

#ifdef __cplusplus
}
#endif
#endif
