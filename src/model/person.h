/*
 * One simulated person: the state the weekly step updates, how it is drawn
 * at the start, the inputs that act on it week by week (the scenario's
 * blocks and its timeline, compiled into a plan), and the step itself
 * (docs/model.md states the equations).
 */
#ifndef SB_MODEL_PERSON_H
#define SB_MODEL_PERSON_H

#include <securebase/model.h>

#include "model/rng.h"
#include "model/sample.h"

#include <stdint.h>

/* The inputs in force for one person in one week. */
typedef struct sb__inputs {
    int course;                /* the therapy course is open */
    sb_therapy_change therapy; /* settings in force (no NAN here) */
    double reflection, reflection_exp; /* mean a week and exp(-mean) */
    double practice, practice_exp;
    double stress_factor;      /* times the person's own rate */
    double positive_factor;
    uint32_t relationships;    /* bit r: relationship r is there this week */
} sb__inputs;

typedef struct sb__person {
    double a, v;        /* working model: anxiety, avoidance (1..7) */
    double pa, pv;      /* prototype */
    double pa0, pv0;    /* prototype at week 0, to measure its revision */
    double ra, rv;      /* lasting residue of life events */
    double s, s_base;   /* self-awareness and its baseline */
    double c;           /* consolidation of new behaviour */
    double plasticity;
    double stress_base; /* the person's own rate of stressful events a week */
    double stress_rate; /* the rate in force: stress_base x stress_factor */
    double stress_exp;  /* exp(-stress_rate), for the Poisson sampler */
    double positive_base, positive_rate, positive_exp; /* good events */
    uint32_t rel_mask;  /* bit r: the person has relationship r */
    int proto;          /* prototype class */
    sb__inputs in;       /* from week 0 on; burn-in uses the plan's */
    size_t next_switch; /* the plan's first switch not yet reached */
} sb__person;

/* What one week produced that the runner needs: sessions for the
 * dose-response and course figures, events for the trajectories. */
typedef struct sb__week_events {
    int sessions_attended;
    unsigned stress_events;   /* random stressful events */
    unsigned positive_events; /* random good events */
    uint64_t struck;          /* bit i: timeline entry i's event struck */
} sb__week_events;

/*
 * A change of inputs at a week, for everyone or for a share of people: a
 * block of the scenario opening or closing, or a timeline entry. NAN and
 * empty masks leave things as they are.
 */
typedef struct sb__switch {
    int week;
    int entry;                 /* timeline entry, or -1: the blocks */
    double share;              /* share of people it applies to */
    int course;                /* +1 the course opens, -1 it closes, 0 */
    sb_therapy_change therapy;
    double reflection, practice, stress_factor, positive_factor;
    uint32_t rel_on, rel_off;
    int event;                 /* sb_event_kind */
    double size;
} sb__switch;

/* Blocks' own starts and ends (2 each for therapy, habits and every
 * relationship) and the timeline. */
#define SB_PLAN_SWITCHES (SB_TIMELINE_MAX + 2 * SB_MAX_RELATIONSHIPS + 6)

/* A scenario with what the weekly step needs precomputed once. The
 * scenario is borrowed and must outlive the plan. */
typedef struct sb__step_plan {
    const sb_scenario *sc;
    sb__poisson_table contacts[SB_MAX_RELATIONSHIPS];
    /* Each relationship's spread of contact quality ((1 - consistency) x
     * quality_noise) and the target its good contacts pull toward. */
    double rel_spread[SB_MAX_RELATIONSHIPS], rel_target[SB_MAX_RELATIONSHIPS];
    /* The scenario's own weekly means of reflection and practice (a
     * timeline may set others, drawn without a table). */
    sb__poisson_table reflection, practice;
    sb__inputs burn_in;         /* before week 0 */
    sb__inputs start;           /* at week 0, before its switches */
    size_t switch_count;
    sb__switch switches[SB_PLAN_SWITCHES]; /* by week; ties in plan order */
} sb__step_plan;

/* Compiles the scenario's blocks and timeline (which must have passed
 * sb_scenario_check) into switches by week. */
void sb__step_plan_init(sb__step_plan *plan, const sb_scenario *sc);

/* About how many random words the step draws in a week, on average, in
 * burn-in or after it (a guide for how many to compute in advance). */
double sb__step_plan_words(const sb__step_plan *plan, int burn_in);

/* Draws a person's traits and starting state (before burn-in). */
void sb__person_init(sb__person *p, const sb_scenario *sc, sb__rng *rng);

/*
 * Advances a person by one week. `week` is negative during burn-in, when
 * only relationships already there at week 0 act and nothing else does;
 * week 0 puts the person on the plan's inputs, so weeks 0, 1, 2, ... must
 * follow each other.
 */
void sb__person_step(sb__person *p, const sb__step_plan *plan, int week,
                    sb__rng *rng, sb__week_events *ev);

/* x kept in [lo, hi]: x < lo ? lo : x > hi ? hi : x, NaN passed through.
 * On x86-64 it is MAXSD and MINSD, whose operand order gives exactly those
 * comparisons, so that it never branches (compilers keep a branch for
 * constant bounds, and the intrinsics add moves). */
static inline double sb__person_clamp(double x, double lo, double hi)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __asm__("maxsd %1, %0" : "+x"(lo) : "x"(x));  /* lo > x ? lo : x */
    __asm__("minsd %1, %0" : "+x"(hi) : "x"(lo)); /* hi < lo ? hi : lo */
    return hi;
#else
    double y = x < lo ? lo : x;
    return y > hi ? hi : y;
#endif
}

/* A week's true score: the working model plus the week's momentary state
 * (normal z, SD `state_sd`, drawn afresh each week), kept on scale. */
static inline double sb__person_true_of(double model, double state_sd, double z)
{
    return sb__person_clamp(model + state_sd * z, SB_SCALE_MIN, SB_SCALE_MAX);
}

static inline double sb__person_true(double model, double state_sd,
                                     sb__rng *rng)
{
    return sb__person_true_of(model, state_sd, sb__sample_normal(rng));
}

/* An observed score: the true one plus measurement error (normal z, SD
 * `sem`), kept on scale. */
static inline double sb__person_observe_of(double truth, double sem, double z)
{
    return sb__person_clamp(truth + sem * z, SB_SCALE_MIN, SB_SCALE_MAX);
}

static inline double sb__person_observe(double truth, double sem,
                                        sb__rng *rng)
{
    return sb__person_observe_of(truth, sem, sb__sample_normal(rng));
}

#endif
