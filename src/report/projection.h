/*
 * The report's model projection: the population simulator run on many
 * simulated people who start where this person stands now and live with
 * this person's recent inputs (therapy, relationships, reflection and
 * practice). It shows a model's spread of possible paths, not a forecast.
 */
#ifndef SB_REPORT_PROJECTION_H
#define SB_REPORT_PROJECTION_H

#include "report/history.h"

#include <securebase/care.h>
#include <securebase/fit.h>
#include <securebase/model.h>
#include <securebase/whatif.h>

#include <stdint.h>

/* Assumption: how responsive and how predictable a supportive or a
 * straining relationship is (the care layer's calibration). */
#define SB_PROJECTION_SUPPORTIVE_RESPONSIVENESS SB_CARE_SUPPORTIVE_RESPONSIVENESS
#define SB_PROJECTION_SUPPORTIVE_CONSISTENCY SB_CARE_SUPPORTIVE_CONSISTENCY
#define SB_PROJECTION_STRAINING_RESPONSIVENESS SB_CARE_STRAINING_RESPONSIVENESS
#define SB_PROJECTION_STRAINING_CONSISTENCY SB_CARE_STRAINING_CONSISTENCY

/* Recent inputs are averaged over this many weeks before the report date. */
#define SB_PROJECTION_WINDOW_WEEKS SB_CARE_WINDOW_WEEKS

typedef struct sb__projection {
    int ran;                 /* 0: no projection; `why` says why */
    char why[200];
    int weeks;
    long start_day;
    size_t persons;
    uint64_t seed;
    double start[2];         /* latest anxiety, avoidance (person's scale) */
    /* Weekly 10th, 25th, 50th, 75th and 90th percentiles, weeks 0..weeks,
     * on the person's scale. */
    double *pct[2][5];
    double share_secure_start, share_secure_end; /* in the model */
    /* The calibration, as used. */
    double sessions_per_week, attendance;
    double reflections_per_week, practice_per_week;
    int rescaled;            /* the person's scale was mapped onto 1-7 */
    size_t posterior_particles; /* 0: the model's defaults for everyone */
    sb_scenario scenario;
} sb__projection;

/* How the projection is run: its length, size and seed, the posterior its
 * parameters are drawn from, and who hears of its progress (the share
 * simulated; NULL: nobody). */
typedef struct sb__projection_run_options {
    int weeks;
    size_t persons;
    uint64_t seed;
    /* A calibration's posterior (borrowed); NULL: the model's defaults. */
    const sb_posterior *posterior;
    void (*progress)(void *ctx, double done);
    void *progress_ctx;
} sb__projection_run_options;

/*
 * Calibrates a scenario to `h` as of `as_of` (days since 1970) and runs it
 * as `o` says. Without an anxiety and avoidance score there is nothing to
 * start from: p->ran is 0 and p->why says so (not an error). With a
 * posterior, each simulated person draws its model parameters from it, so
 * the spread also holds what is not known about them. Free with
 * sb__projection_free.
 */
sb_status sb__projection_run(const sb__history *h, long as_of,
                             const sb__projection_run_options *o,
                             sb__projection *p, sb_error *err);
void sb__projection_free(sb__projection *p);

/*
 * The projection in plain words: where the model's median goes on each
 * dimension and which way is more secure, the spread at the end, and the
 * share of simulated people below the security cutoff at the start and the
 * end, with the reason when that share falls while the medians improve.
 */
void sb__projection_describe(const sb__projection *p, char *out, size_t size);

/* The person's scale to the model's 1..7 metric and back (linear). */
double sb__projection_to_model(sb_scale scale, double x);
double sb__projection_from_model(sb_scale scale, double y);

#endif
