/*
 * Reliable change between a client's first and latest scores, with the
 * figures the measure layer's change plan chooses: a practice's local
 * norms of the instrument when it has them, else the instrument's
 * published ones. Whether the change is more than measurement error, and
 * whether it crosses from the clinical to the general range.
 */
#include <securebase/care.h>

#include <math.h>
#include <string.h>

void sb_care_reliable_change(const sb_instrument *inst, sb_scale scale,
                             const sb_norms_set *norms, const char *score,
                             double first, double latest, sb_care_change *out)
{
    out->status = SB_CHANGE_UNKNOWN;
    out->change = latest - first;
    out->threshold = NAN;
    out->local = NULL;
    size_t s = 0, n = sb_instrument_score_count(inst);
    while (s < n && strcmp(sb_instrument_score_name(inst, s), score))
        s++;
    if (s == n || isnan(first) || isnan(latest))
        return;
    /* The figures are chosen where `securebase change` and the report
     * choose them, so all three judge a change alike. */
    sb_change_sources src;
    sb_change_sources_init(&src);
    src.local = sb_norms_set_find(norms, inst);
    sb_change_plan plan;
    sb_change_plan_from(inst, s, scale, &src, &plan);
    if (isnan(plan.threshold))
        return;
    out->threshold = plan.threshold;
    if (plan.reliability_from == SB_FIGURE_NORMS ||
        plan.sd_from == SB_FIGURE_NORMS)
        out->local = src.local;
    double sdiff = plan.threshold / SB_RCI_CRITICAL;
    out->status = sb_change_classify(first, latest, out->change / sdiff,
                                     &plan.cutoffs, plan.direction);
}

const sb_norms *sb_care_rc(const sb_instrument *inst, sb_scale scale,
                           const sb_norms_set *norms, double rc[2])
{
    static const char *const names[2] = {"anxiety", "avoidance"};
    const sb_norms *local = NULL;
    for (int d = 0; d < 2; d++) {
        sb_care_change c;
        sb_care_reliable_change(inst, scale, norms, names[d], 0, 0, &c);
        rc[d] = c.threshold;
        if (c.local)
            local = c.local;
    }
    return local;
}
