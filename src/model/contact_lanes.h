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

/* One person of the block: lane j's stream draws its words ahead from
 * column j of the block's words, and its week is begun (st). */
typedef struct sb__lane {
    const sb__person *p;
    const sb__step_plan *plan;
    sb__rng *rng;
    sb__step_week *st;
} sb__lane;

/*
 * Relationship r's contacts this week for the block's first `count`
 * people (those who have r this week: bit r of st->here): each draws its
 * count of contacts, then each contact's normal, and adds them to its
 * week's sums, as sb__person_contacts would. `words` is the block's fill
 * the streams draw from (&block[0][0]). `isa` picks the instruction set (SB_RNG_ISA_*,
 * AUTO for the best available; without AVX2 every person goes through
 * sb__person_contacts). Returns the one used, or -1 when the processor
 * lacks the one asked for (nothing done).
 */
int sb__contact_lanes(const sb__lane *lanes, unsigned count, int r,
                      const uint32_t *words, int isa);

#endif
