/*
 * Reliable change between a client's first and latest scores, with the
 * instrument's own figures (chosen by the measure layer's change plan):
 * whether the change is more than measurement error, and whether it
 * crosses from the clinical to the general range.
 */
#include <securebase/care.h>

#include <math.h>
#include <string.h>

void sb_care_reliable_change(const sb_instrument *inst, sb_scale scale,
                             const char *score, double first, double latest,
                             sb_care_change *out)
{
    out->status = SB_CHANGE_UNKNOWN;
    out->change = latest - first;
    out->threshold = NAN;
    size_t s = 0, n = sb_instrument_score_count(inst);
    while (s < n && strcmp(sb_instrument_score_name(inst, s), score))
        s++;
    if (s == n || isnan(first) || isnan(latest))
        return;
    /* The figures are chosen where `securebase change` and the report
     * choose them, so all three judge a change alike. */
    sb_change_plan plan;
    sb_change_plan_make(inst, s, scale, NAN, NAN, &plan);
    if (isnan(plan.threshold))
        return;
    out->threshold = plan.threshold;
    double sdiff = plan.threshold / SB_RCI_CRITICAL;
    out->status = sb_change_classify(first, latest, out->change / sdiff,
                                     &plan.cutoffs, plan.direction);
}

void sb_care_rc(const sb_instrument *inst, sb_scale scale, double rc[2])
{
    static const char *const names[2] = {"anxiety", "avoidance"};
    for (int d = 0; d < 2; d++) {
        sb_care_change c;
        sb_care_reliable_change(inst, scale, names[d], 0, 0, &c);
        rc[d] = c.threshold;
    }
}
