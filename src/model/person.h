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

typedef struct sb_person {
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
} sb_person;

/* What one week produced that the runner needs: the attended sessions
 * count toward the dose-response figures. */
typedef struct sb_week_events {
    int sessions_attended;
} sb_week_events;

/* A scenario with what the weekly step needs precomputed once. The
 * scenario is borrowed and must outlive the plan. */
typedef struct sb_step_plan {
    const sb_scenario *sc;
    sb_poisson_table contacts[SB_MAX_RELATIONSHIPS];
    sb_poisson_table reflection, practice;
} sb_step_plan;

void sb_step_plan_init(sb_step_plan *plan, const sb_scenario *sc);

/* Draws a person's traits and starting state (before burn-in). */
void sb_person_init(sb_person *p, const sb_scenario *sc, sb_rng *rng);

/* Advances a person by one week. `week` is negative during burn-in, when
 * only relationships already there at week 0 act and nothing else does. */
void sb_person_step(sb_person *p, const sb_step_plan *plan, int week,
                    sb_rng *rng, sb_week_events *ev);

/* An observed score: the true one plus measurement error, kept on scale. */
double sb_person_observe(double truth, double sem, sb_rng *rng);

/* Secure: both dimensions below the cut-off. */
static inline int sb_person_secure(const sb_person *p, double cutoff)
{
    return p->a < cutoff && p->v < cutoff;
}

#endif
