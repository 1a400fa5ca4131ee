/*
 * securebase validation: simulates the published facts V1-V9 that the
 * model's defaults are checked against (docs/validation.md) and reports,
 * for each, the target, the source, the simulated figure, pass or fail,
 * what a failing check missed, and how far inside (or outside) its bands
 * the figures lie.
 */
#ifndef SECUREBASE_VALIDATE_H
#define SECUREBASE_VALIDATE_H

#include <securebase/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SB_VALIDATE_CHECKS 9
/* The people per run the checks' targets are judged at: smaller runs are
 * noisier, and a check can miss by chance. */
#define SB_VALIDATE_PERSONS 20000
/* V7's course: weekly sessions scheduled for this many weeks (about 16
 * attended at the usual attendance). */
#define SB_VALIDATE_COURSE_WEEKS 20

typedef struct sb_check {
    const char *id;      /* "V1" .. "V9" */
    const char *fact;    /* what is checked */
    const char *target;  /* the published value or shape */
    const char *source;  /* citation */
    char simulated[320]; /* the simulated figures, in words */
    int pass;
    char miss[512];      /* when it fails: which part, and by how much */
    /* The smallest distance of any of its figures from the nearer edge of
     * that figure's band, as a share of the band's width (orderings and
     * one-sided bounds: of a stated scale): > 0 inside every band. */
    double margin;
} sb_check;

typedef struct sb_validation {
    sb_check checks[SB_VALIDATE_CHECKS];
    int passed;          /* how many passed */
} sb_validation;

typedef struct sb_validate_options {
    size_t persons;          /* people per run */
    uint64_t seed;
    int threads;             /* 0: OpenMP's default */
    /* Called now and then with the share of the whole validation done. */
    sb_sim_progress_fn progress;
    void *progress_ctx;
} sb_validate_options;

/* SB_VALIDATE_PERSONS people, seed 1, all threads, no progress. */
void sb_validate_options_default(sb_validate_options *opt);

/*
 * The course V7 counts sudden gains and losses over: `therapy` cut to
 * SB_VALIDATE_COURSE_WEEKS weeks of sessions, with no follow-up. The
 * calibration 'v1-v9' reads its V7 targets on the same course.
 */
void sb_validate_course(const sb_scenario *therapy, sb_scenario *course);

/*
 * Runs the checks: V1-V4, V8 and V9 on `general` (a population with no
 * intervention), V5-V7 on `therapy` (a clinical population in therapy).
 * Both scenarios are checked structs; `opt` sizes the runs.
 */
sb_status sb_validate(const sb_scenario *general, const sb_scenario *therapy,
                      const sb_validate_options *opt, sb_validation *out,
                      sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
