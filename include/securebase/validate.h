/*
 * securebase validation: simulates the published facts V1-V9 that the
 * model's defaults are checked against (docs/validation.md) and reports,
 * for each, the target, the source, the simulated figure, pass or fail, and
 * how far inside (or outside) its bands the figure lies.
 */
#ifndef SECUREBASE_VALIDATE_H
#define SECUREBASE_VALIDATE_H

#include <securebase/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SB_VALIDATE_CHECKS 9

typedef struct sb_check {
    const char *id;      /* "V1" .. "V9" */
    const char *fact;    /* what is checked */
    const char *target;  /* the published value or shape */
    const char *source;  /* citation */
    char simulated[320]; /* the simulated figures, in words */
    int pass;
    /* The smallest distance of any of its figures from the nearer edge of
     * that figure's band, as a share of the band's width (orderings: of a
     * stated scale): > 0 inside every band, < 0 outside one. */
    double margin;
} sb_check;

typedef struct sb_validation {
    sb_check checks[SB_VALIDATE_CHECKS];
    int passed;          /* how many passed */
} sb_validation;

/*
 * Runs the checks: V1-V4, V8 and V9 on `general` (a population with no
 * intervention), V5-V7 on `therapy` (a clinical population in therapy). Both
 * scenarios are checked structs; `persons`, `seed` and `threads` size the
 * runs.
 */
sb_status sb_validate(const sb_scenario *general, const sb_scenario *therapy,
                      size_t persons, uint64_t seed, int threads,
                      sb_validation *out, sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
