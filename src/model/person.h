/*
 * One simulated person: the state the weekly step updates, how it is drawn
 * at the start, and the step itself (docs/model.md states the equations).
 */
#ifndef SB_MODEL_PERSON_H
#define SB_MODEL_PERSON_H

#include <securebase/model.h>

#include "model/rng.h"
#include "model/sample.h"

#include <stdint.h>

typedef struct sb__person {
    double a, v;        /* working model: anxiety, avoidance (1..7) */
    double pa, pv;      /* prototype */
    double pa0, pv0;    /* prototype at week 0, to measure its revision */
    double ra, rv;      /* lasting residue of life events */
    double s, s_base;   /* self-awareness and its baseline */
    double c;           /* consolidation of new behaviour */
    double plasticity;
    double stress_rate; /* events a week */
    double stress_exp;  /* exp(-stress_rate), for the Poisson sampler */
    uint32_t rel_mask;  /* bit r: the person has relationship r */
    int proto;          /* prototype class */
} sb__person;

/* What one week produced that the runner needs: the attended sessions
 * count toward the dose-response figures. */
typedef struct sb__week_events {
    int sessions_attended;
} sb__week_events;

/* A scenario with what the weekly step needs precomputed once. The
 * scenario is borrowed and must outlive the plan. */
typedef struct sb__step_plan {
    const sb_scenario *sc;
    sb__poisson_table contacts[SB_MAX_RELATIONSHIPS];
    sb__poisson_table reflection, practice;
} sb__step_plan;

void sb__step_plan_init(sb__step_plan *plan, const sb_scenario *sc);

/* Draws a person's traits and starting state (before burn-in). */
void sb__person_init(sb__person *p, const sb_scenario *sc, sb__rng *rng);

/* Advances a person by one week. `week` is negative during burn-in, when
 * only relationships already there at week 0 act and nothing else does. */
void sb__person_step(sb__person *p, const sb__step_plan *plan, int week,
                     sb__rng *rng, sb__week_events *ev);

/* An observed score: the true one plus measurement error, kept on scale. */
double sb__person_observe(double truth, double sem, sb__rng *rng);

/* Secure: both dimensions below the cut-off. */
static inline int sb__person_secure(const sb__person *p, double cutoff)
{
    return p->a < cutoff && p->v < cutoff;
}

#endif
