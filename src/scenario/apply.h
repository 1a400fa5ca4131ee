/*
 * Applying the mapping of one scenario file onto a complete base scenario:
 * given fields replace the base's, partial mappings merge field by field,
 * relationships merge by name. Every field is read through the model's
 * field tables (sb_scenario_fields, sb_params_table), never restated here.
 */
#ifndef SB_SCENARIO_APPLY_H
#define SB_SCENARIO_APPLY_H

#include "scenario/value.h"

#include <securebase/model.h>

/*
 * One application. `skip` names a value node to leave out (used to find
 * which given value a cross-field error depends on); when `units` is not
 * NULL every applied value node is appended to it (room for `unit_cap`).
 */
typedef struct sb__apply {
    sb__yctx ctx;
    const sb__ynode *skip;
    const sb__ynode **units;
    size_t unit_count;
    size_t unit_cap;
} sb__apply;

/*
 * Applies the top-level mapping `root` onto `base` (which must be complete)
 * and writes the result to `out`; `base:` is ignored here (the caller
 * resolved it). The result has passed the per-field range checks but not yet
 * sb_scenario_check(). `out` may be written even on failure.
 */
sb_status sb__apply_scenario(sb__apply *ap, const sb__ynode *root,
                             const sb_scenario *base, sb_scenario *out);

/* Number of nodes in a tree: enough room for the units of one application. */
size_t sb__apply_count_nodes(const sb__ynode *node);

#endif
