/*
 * Reliable change between a client's first and latest scores, with the
 * instrument's own figures: whether the change is more than measurement
 * error, and whether it crosses from the clinical to the general range.
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
    const sb_reliability *rel = sb_instrument_reliability(inst, s, scale);
    const sb_norm *clinical = sb_instrument_norm(inst, s, scale, 1);
    const sb_norm *general = sb_instrument_norm(inst, s, scale, 0);
    const sb_norm *spread = clinical ? clinical : general;
    double sdiff;
    if (!rel || !spread ||
        sb_rci_sdiff(spread->sd, rel->value, &sdiff, NULL) != SB_OK)
        return;
    out->threshold = SB_RCI_CRITICAL * sdiff;
    sb_direction dir = sb_instrument_score_direction(inst, s);
    sb_cutoffs cut;
    if (sb_clinical_cutoffs(general, clinical, dir, &cut, NULL) != SB_OK)
        memset(&cut, 0, sizeof cut);
    out->status = sb_change_classify(first, latest, out->change / sdiff, &cut,
                                     dir);
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
