/*
 * securebase what-if plans: what the model expects for one person if a
 * part of their life changed (therapy more or less often or not at all,
 * more practice or reflection, a relationship gained or ended), compared
 * with keeping things as they are. Part of the care layer: it takes the
 * person's records as structs, never the store, and asks the model.
 * The plan grammar and the method are in docs/care.md.
 */
#ifndef SECUREBASE_WHATIF_H
#define SECUREBASE_WHATIF_H

#include <securebase/care.h>
#include <securebase/fit.h>
#include <securebase/journal.h>
#include <securebase/measure.h>
#include <securebase/model.h>

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the person as the model sees them --------------------------------- */

/*
 * The questionnaire series the care layer follows: of the administrations
 * that give both an anxiety and an avoidance score, those of the instrument
 * and response scale that has the most of them (the first such in date
 * order on a tie).
 */
typedef struct sb_care_series {
    char instrument[SB_JOURNAL_NAME_MAX]; /* "" when there is none */
    sb_scale scale;
    size_t count;            /* administrations in the series */
    size_t latest;           /* index of the latest of them in the array */
    double anxiety, avoidance; /* its scores */
} sb_care_series;

/*
 * Picks the series from `n` assessments in date order (as the journal lists
 * them). `member`, when not NULL, gets n flags: 1 for those in the series.
 */
void sb_care_series_pick(const sb_rec_assessment *a, size_t n,
                         sb_care_series *out, unsigned char *member);

/* A score of an assessment by scale name; NaN when it has none. */
double sb_care_score(const sb_rec_assessment *a, const char *name);


/* ---- plans --------------------------------------------------------------- */

#define SB_PLAN_NAME_MAX 33      /* a plan's name, with the NUL */
#define SB_PLAN_TEXT_MAX 256     /* longest plan text accepted, with the NUL */
#define SB_PLAN_CHANGES_MAX 8    /* relationships one plan adds or ends */
#define SB_PLAN_MAX 8            /* plans compared at once, keep included */

/*
 * One plan: changes to the recorded inputs from now on. A NaN rate keeps
 * the recorded one. Parsed from text such as "therapy=weekly",
 * "calm=practice=3/week;reflection=2/week" or
 * "relationship+=friend,supportive" (grammar in docs/care.md).
 */
typedef struct sb_plan {
    char name[SB_PLAN_NAME_MAX];
    char changes[SB_PLAN_TEXT_MAX]; /* as given; "" for keep */
    double sessions_per_week; /* 0: therapy stops */
    int therapy_start;        /* therapy=start: weekly unless already in it */
    double attendance;
    double reflections_per_week, practice_per_week;
    size_t add_count;
    sb_care_relationship add[SB_PLAN_CHANGES_MAX];
    size_t end_count;
    char end[SB_PLAN_CHANGES_MAX][SB_JOURNAL_NAME_MAX]; /* a name or a kind */
} sb_plan;

/* The plan that changes nothing, named "keep". */
void sb_plan_keep(sb_plan *p);

/*
 * Parses one plan from NUL-terminated `text`. Errors name the plan, the
 * field and the bad value.
 */
sb_status sb_plan_parse(const char *text, sb_plan *out, sb_error *err);

/*
 * The inputs under plan `p`: `in` with the plan's changes. A relationship
 * to end that the inputs do not hold is an error naming the plan and it.
 */
sb_status sb_plan_apply(const sb_plan *p, const sb_care_inputs *in,
                        sb_care_inputs *out, sb_error *err);

/* ---- the projection ------------------------------------------------------ */

#define SB_WHATIF_HORIZONS 2     /* 6 and 12 months */

typedef struct sb_whatif_options {
    int horizon_weeks[SB_WHATIF_HORIZONS]; /* default 26 and 52 */
    size_t persons;          /* simulated people per plan (default 10000) */
    uint64_t seed;           /* default 1; the same for every plan */
    /* NULL, or a calibration's posterior: each simulated person then lives
     * with a parameter set drawn from it (the same person, the same draw,
     * in every plan), so the spread includes what is not known about the
     * parameters. It must outlive the run. */
    const sb_posterior *posterior;
    void (*progress)(void *ctx, double done);
    void *progress_ctx;
} sb_whatif_options;

void sb_whatif_options_default(sb_whatif_options *o);

/* Where a plan stands after one horizon, on the person's scale. */
typedef struct sb_whatif_outcome {
    double pct[2][5];        /* anxiety, avoidance: 10/25/50/75/90th pct */
    double mean[2];
    double secure, secure_se;  /* chance of the secure region, its MC SE */
    /* Plan minus keep, person by person with the same random streams,
     * and the Monte-Carlo SE of that mean difference; NaN for keep. */
    double diff_secure, diff_secure_se;
    double diff_mean[2], diff_mean_se[2];
} sb_whatif_outcome;

typedef struct sb_whatif_plan {
    sb_plan plan;
    sb_care_inputs inputs;   /* as the plan leaves them */
    sb_whatif_outcome at[SB_WHATIF_HORIZONS];
    double *median[2];       /* weekly medians, weeks 0..weeks, person scale */
} sb_whatif_plan;

typedef struct sb_whatif {
    sb_scale scale;
    double start[2];         /* anxiety, avoidance now (person's scale) */
    double secure_cutoff;    /* the model's cutoff on the person's scale */
    sb_care_inputs recorded;
    int horizon_weeks[SB_WHATIF_HORIZONS];
    int weeks;               /* the longer horizon */
    size_t persons;
    uint64_t seed;
    size_t posterior_particles; /* 0: the model's defaults for everyone */
    size_t plan_count;       /* keep is first */
    sb_whatif_plan plans[SB_PLAN_MAX];
} sb_whatif;

/*
 * Projects `plans` (keep is added first when they do not hold it) for a
 * person now at `series`' latest scores with inputs `recorded`. Each plan
 * runs on the same simulated people with the same random streams, so their
 * differences are sharp. Free with sb_whatif_free, also after a failure.
 */
sb_status sb_whatif_run(const sb_care_series *series,
                        const sb_care_inputs *recorded, const sb_plan *plans,
                        size_t plan_count, const sb_whatif_options *o,
                        sb_whatif *out, sb_error *err);
void sb_whatif_free(sb_whatif *w);

/* The default comparison: keep, therapy weekly, practice 3 a week and
 * therapy stopped (plan texts; the list ends with NULL). */
const char *const *sb_whatif_default_plans(void);

/* The model's assumptions behind a projection, one sentence each, for
 * whoever shows one (static strings; the list ends with NULL). */
const char *const *sb_whatif_assumptions(void);

#ifdef __cplusplus
}
#endif
#endif
