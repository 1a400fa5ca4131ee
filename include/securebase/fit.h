/*
 * securebase fit layer: calibration of the model's parameters to published
 * facts by approximate Bayesian computation with sequential Monte Carlo
 * (ABC-SMC), and the posterior it produces.
 *
 * - Priors (uniform, normal, lognormal), always truncated to the
 *   parameter's legal range.
 * - A generic ABC-SMC engine over any simulator (sb_abc_run). Simulations
 *   run through a 'map' callback that a face supplies: threads here
 *   (sb_fit_map_threads), MPI ranks in src/dist. Every particle's
 *   randomness is keyed by seed, generation and particle index, so the
 *   result does not depend on who computed what.
 * - Calibration files (targets, priors, scenarios; docs/calibration.md)
 *   and the model-specific simulator that turns a parameter vector into
 *   the targets' statistics.
 * - Posterior files: loading the particles a calibration wrote and drawing
 *   one per simulated person, by weight, keyed by seed and person.
 */
#ifndef SECUREBASE_FIT_H
#define SECUREBASE_FIT_H

#include <securebase/sim.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Priors                                                              */
/* ------------------------------------------------------------------ */

typedef enum sb_prior_kind {
    SB_PRIOR_UNIFORM = 0, /* a = min, b = max */
    SB_PRIOR_NORMAL,      /* a = mean, b = sd */
    SB_PRIOR_LOGNORMAL    /* a = mu, b = sigma of log x */
} sb_prior_kind;

/* A prior truncated to [lo, hi] (the parameter's legal range, narrowed by
 * a uniform prior's own bounds). */
typedef struct sb_prior {
    sb_prior_kind kind;
    double a, b;
    double lo, hi;
} sb_prior;

/* Name of a kind ("uniform", ...). */
const char *sb_prior_kind_name(sb_prior_kind kind);
/* Checks the numbers and that [lo, hi] holds a usable share of the mass
 * (at least 1e-9); `name` is the parameter, for the message. */
sb_status sb_prior_check(const sb_prior *p, const char *name, sb_error *err);
/* Density, up to the truncation constant (the same for every x); 0
 * outside [lo, hi]. */
double sb_prior_density(const sb_prior *p, double x);
/* Inverse distribution function of the truncated prior at u in (0, 1). */
double sb_prior_quantile(const sb_prior *p, double u);

/* ------------------------------------------------------------------ */
/* The map: how a face runs many independent tasks                    */
/* ------------------------------------------------------------------ */

/* Computes task `index` into `out` (a row of the map's width). */
typedef sb_status (*sb_fit_task_fn)(void *ctx, size_t index, double *out,
                                    sb_error *err);

/*
 * Runs `task` for every index in 0..count-1, row i of `out` (count x width
 * doubles) from task i. Whatever the order or place the tasks run in, the
 * output must be what calling them one by one would give. On failure the
 * error is that of the lowest failing index.
 */
typedef sb_status (*sb_fit_map_fn)(void *map_ctx, size_t count, size_t width,
                                   sb_fit_task_fn task, void *task_ctx,
                                   double *out, sb_error *err);

/* A map on OpenMP threads; map_ctx points to an int, the thread count
 * (0 or NULL: OpenMP's default). Tasks are handed out one at a time. */
sb_status sb_fit_map_threads(void *map_ctx, size_t count, size_t width,
                             sb_fit_task_fn task, void *task_ctx, double *out,
                             sb_error *err);

/* ------------------------------------------------------------------ */
/* ABC-SMC                                                             */
/* ------------------------------------------------------------------ */

/* Simulates once at `theta` with `seed`, filling `stats` (the problem's
 * stat_count figures; NAN where a figure is undefined). */
typedef sb_status (*sb_abc_simulate_fn)(void *ctx, const double *theta,
                                        uint64_t seed, double *stats,
                                        sb_error *err);

typedef struct sb_abc_problem {
    size_t dim;                    /* parameters */
    const sb_prior *priors;        /* dim */
    size_t stat_count;             /* statistics per simulation */
    const double *observed;        /* stat_count target values */
    const double *scale;           /* stat_count uncertainties (> 0) */
    const unsigned char *fitted;   /* stat_count: 1 enters the distance */
    sb_abc_simulate_fn simulate;
    void *simulate_ctx;
} sb_abc_problem;

typedef enum sb_abc_kernel {
    /* Multivariate normal, covariance twice the previous population's
     * weighted covariance (Filippi et al. 2013's extension of Beaumont et
     * al. 2009). */
    SB_KERNEL_MULTIVARIATE = 0,
    /* Independent normals, variance twice the weighted variance of each
     * component (Beaumont, Cornuet, Marin & Robert 2009). */
    SB_KERNEL_COMPONENTWISE
} sb_abc_kernel;

/* What one generation did, for progress and the output. */
typedef struct sb_abc_generation {
    int index;            /* 0: drawn from the prior */
    double epsilon;       /* tolerance; INFINITY for generation 0 */
    size_t accepted;      /* particles */
    size_t attempts;      /* proposals, including those outside the prior */
    size_t simulations;   /* proposals that were simulated */
    double ess;           /* effective sample size, 1 / sum w^2 */
} sb_abc_generation;

typedef void (*sb_abc_progress_fn)(void *ctx, const sb_abc_generation *g);

typedef struct sb_abc_options {
    size_t particles;     /* N, 2..100000 */
    int generations;      /* populations including the prior one, 1..1000 */
    double quantile;      /* next tolerance: this weighted quantile of the
                           * current distances (0 < q < 1; 0.5) */
    size_t max_attempts;  /* proposals per particle and generation before
                           * the run stops early (1..1000000; 1000) */
    uint64_t seed;
    sb_abc_kernel kernel;
    int predictive;       /* 1: simulate each final particle once more
                           * with fresh randomness (posterior predictive) */
    sb_fit_map_fn map;    /* NULL: one task after another */
    void *map_ctx;
    sb_abc_progress_fn progress;
    void *progress_ctx;
} sb_abc_options;

void sb_abc_options_default(sb_abc_options *opt);

/* The final population. All arrays are owned by the result. */
typedef struct sb_abc_result {
    size_t particles, dim, stat_count;
    double *theta;        /* particles x dim */
    double *weight;       /* particles, summing to 1 */
    double *distance;     /* particles */
    double *stats;        /* particles x stat_count, at acceptance */
    double *predictive;   /* particles x stat_count, or NULL */
    sb_abc_generation *generation; /* generations done */
    int generations;
    int stopped_early;    /* a particle found no proposal within the
                           * tolerance in max_attempts: the result is the
                           * last complete generation */
    char why[256];        /* why it stopped early; "" otherwise */
} sb_abc_result;

/*
 * Runs ABC-SMC (Toni et al. 2009, with Beaumont et al. 2009's importance
 * weights and kernel scaling, and a tolerance that adapts as a quantile of
 * the previous distances as in Del Moral, Doucet & Jasra 2012). The
 * distance is sqrt(sum over fitted statistics of ((s - observed)/scale)^2).
 * The same options give the same result, bit for bit, for any map.
 */
sb_status sb_abc_run(const sb_abc_problem *pb, const sb_abc_options *opt,
                     sb_abc_result **out, sb_error *err);
void sb_abc_result_free(sb_abc_result *res);

/* The distance above; INFINITY when a fitted statistic is not finite. */
double sb_abc_distance(const sb_abc_problem *pb, const double *stats);

/* Weighted quantile (0 <= q <= 1) of x[i * stride], i < n, with weights
 * w (summing to 1): the smallest x whose cumulative weight reaches q.
 * Non-finite x are left out. NAN when nothing is left. */
double sb_fit_weighted_quantile(const double *x, size_t stride,
                                const double *w, size_t n, double q);

/* ------------------------------------------------------------------ */
/* Calibration files                                                   */
/* ------------------------------------------------------------------ */

#define SB_FIT_MAX_SCENARIOS 8
#define SB_FIT_MAX_PARAMS 40
#define SB_FIT_MAX_TARGETS 64
/* Largest calibration file accepted, in bytes. */
#define SB_FIT_FILE_MAX_BYTES (256 * 1024)

/* The fixed menu of statistics a target can name. */
typedef enum sb_statistic {
    SB_STAT_SHARE_SECURE = 0,  /* share secure at `week` */
    SB_STAT_RETEST_R,          /* correlation between `from` and from+lag */
    SB_STAT_CATEGORY_STABILITY,/* share keeping secure/insecure over lag */
    SB_STAT_CHANGE,            /* mean change from `from` to `week` */
    SB_STAT_COHENS_D,          /* that change over the SD at `from` */
    SB_STAT_SHARE_IMPROVED,    /* improved by `threshold` after `session` */
    SB_STAT_SUDDEN_GAIN_SHARE, /* share with a sudden gain (the summary's) */
    SB_STAT_SUDDEN_LOSS_SHARE, /* share with a sudden loss */
    SB_STAT_EVENT_RESPONSE,    /* mean shift from `week` to week + lag,
                                * less the same in the `versus` scenario;
                                * over that at `relative_lag` if given */
    SB_STAT_COUNT
} sb_statistic;

/* Name of a statistic in files ("share_secure", ...). */
const char *sb_statistic_name(sb_statistic s);

/* A score: anxiety, avoidance, or their mean, the composite. */
typedef enum sb_stat_dimension {
    SB_DIM_ANXIETY = 0,
    SB_DIM_AVOIDANCE,
    SB_DIM_COMPOSITE
} sb_stat_dimension;
typedef enum sb_stat_scores { SB_SCORES_TRUE = 0, SB_SCORES_OBSERVED } sb_stat_scores;
typedef enum sb_stat_group { SB_GROUP_ALL = 0, SB_GROUP_SECURE, SB_GROUP_INSECURE } sb_stat_group;

/* One published fact the model is compared with. */
typedef struct sb_target {
    char id[SB_NAME_MAX];      /* unique in the file */
    char fact[16];             /* the validation fact, e.g. "V3"; may be "" */
    sb_statistic statistic;
    size_t scenario;           /* index into the calibration's scenarios */
    int week, from, lag, session;
    int has_versus;            /* event_response: compared with a scenario */
    size_t versus;             /* ...this one, run with the same seed */
    int relative_lag;          /* event_response: 0, or the lag whose
                                * response the figure is a share of */
    sb_stat_dimension dimension;
    sb_stat_scores scores;
    sb_stat_group group;
    double threshold;          /* share_improved: the fall that counts */
    double value, sd;          /* the published figure and its uncertainty */
    char source[SB_TEXT_MAX];
    int fitted;                /* 1 fitted; 0 held out */
} sb_target;

/* One parameter with its prior. */
typedef struct sb_fit_param {
    const sb_param_info *info; /* the model's table entry */
    sb_prior prior;
} sb_fit_param;

typedef struct sb_calibration {
    char name[SB_NAME_MAX];
    char description[SB_TEXT_MAX];
    char origin[SB_ERROR_FILE_MAX]; /* where it was read from */
    size_t persons;            /* simulated people per scenario and particle */
    size_t scenario_count;
    char scenario_key[SB_FIT_MAX_SCENARIOS][SB_NAME_MAX];
    sb_scenario scenario[SB_FIT_MAX_SCENARIOS];
    size_t param_count;
    sb_fit_param param[SB_FIT_MAX_PARAMS];
    size_t target_count;
    sb_target target[SB_FIT_MAX_TARGETS];
} sb_calibration;

/* Loads a calibration from YAML text (`origin` names it in messages and,
 * when it is a file, is where relative scenario paths start). A scenario
 * is a reference (a built-in name or a path) or written out in place, as
 * in a scenario file. The caller frees *out with free(). */
sb_status sb_calibration_load_text(const char *text, size_t len,
                                   const char *origin, sb_calibration **out,
                                   sb_error *err);
/* Loads a file, or the built-in calibration of that name (see
 * sb_calibration_builtin_text). */
sb_status sb_calibration_load(const char *name_or_path, sb_calibration **out,
                              sb_error *err);
/* The built-in calibration file `name` (e.g. "v1-v9"), or NULL. */
const char *sb_calibration_builtin_text(const char *name);

/* Keeps only the named parameters (comma-separated, each with a prior in
 * the file) as free; the others keep their scenario values. */
sb_status sb_calibration_select(sb_calibration *cal, const char *names,
                                sb_error *err);

/* Settings of the model simulator behind a calibration. */
typedef struct sb_calibration_run {
    const sb_calibration *cal;
    size_t persons;   /* 0: the file's */
    int threads;      /* threads per simulation (1 inside a threaded map) */
} sb_calibration_run;

/* The ABC problem of a calibration: its simulator, targets and priors.
 * `priors`, `observed`, `scale` and `fitted` are arrays the caller gives,
 * of the calibration's param_count and target_count. */
void sb_calibration_problem(const sb_calibration_run *run, sb_prior *priors,
                            double *observed, double *scale,
                            unsigned char *fitted, sb_abc_problem *pb);

/* The simulator itself (an sb_abc_simulate_fn; ctx is an
 * sb_calibration_run): applies theta to every scenario, simulates, and
 * computes every target's statistic. */
sb_status sb_calibration_simulate(void *ctx, const double *theta,
                                  uint64_t seed, double *stats, sb_error *err);

/* ------------------------------------------------------------------ */
/* Posterior files                                                     */
/* ------------------------------------------------------------------ */

typedef struct sb_posterior sb_posterior;

/* Loads a posterior CSV written by a calibration (docs/formats.md):
 * columns particle, weight, then one per parameter. Free with
 * sb_posterior_free. */
sb_status sb_posterior_load(const char *path, sb_posterior **out,
                            sb_error *err);
void sb_posterior_free(sb_posterior *post);
size_t sb_posterior_particles(const sb_posterior *post);
size_t sb_posterior_dim(const sb_posterior *post);
const char *sb_posterior_param(const sb_posterior *post, size_t j);
double sb_posterior_value(const sb_posterior *post, size_t particle, size_t j);
double sb_posterior_weight(const sb_posterior *post, size_t particle);

/* The particle that person `person` lives with in a run of `seed`: drawn
 * by weight, the same for the same seed and person wherever it is asked. */
size_t sb_posterior_draw(const sb_posterior *post, uint64_t seed,
                         uint64_t person);

/*
 * Sets `opt` up so that each simulated person of a run with opt->seed lives
 * with a particle drawn by sb_posterior_draw: one parameter set per
 * particle, `base` with the particle's values applied, except those named
 * in `keep` (NULL-terminated, or NULL), which stay base's. `*out` holds
 * the sets; free it with sb_posterior_sets_free after the run. The
 * posterior must outlive the run.
 */
typedef struct sb_posterior_sets sb_posterior_sets;
sb_status sb_posterior_attach(const sb_posterior *post, const sb_params *base,
                              const char *const *keep, sb_sim_options *opt,
                              sb_posterior_sets **out, sb_error *err);
void sb_posterior_sets_free(sb_posterior_sets *sets);

#ifdef __cplusplus
}
#endif
#endif
