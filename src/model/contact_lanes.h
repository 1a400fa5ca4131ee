/*
 * A week's relationship contacts for the people of a block at once, one
 * person to a vector lane: the same words from each person's own stream,
 * the same operations in the same order for each person as the step's
 * own contacts (sb__person_contacts), so every number is the same.
 */
#ifndef SB_MODEL_CONTACT_LANES_H
#define SB_MODEL_CONTACT_LANES_H

#include "model/person.h"
#include "model/rng.h"

/* One person of the block and their week, begun (st). */
typedef struct sb__lane {
    const sb__person *p;
    const sb__step_plan *plan;
    sb__rng *rng;
    sb__step_week *st;
} sb__lane;

/*
 * The week's relationship contacts of the block's first `count` people
 * (each begun with sb__person_step_begin): every person draws, for each
 * relationship they have this week (st->here), the count of contacts and
 * each contact's normal, and adds the contacts to their week's sums, as
 * sb__person_contacts would relationship by relationship. `isa` picks the
 * instruction set (SB_RNG_ISA_*, AUTO for the best available); without
 * AVX2, or when the people do not all share one plan, every person goes
 * through sb__person_contacts. Returns the instruction set asked for (or
 * chosen), or -1 when the processor lacks it (nothing done).
 */
int sb__contact_lanes(const sb__lane *lanes, unsigned count, int isa);

#endif
