/*
 * Reliable change and clinical significance after Jacobson & Truax (1991,
 * Journal of Consulting and Clinical Psychology, 59, 12-19): the reliable
 * change index, the cutoffs a, b and c, and the status of one change.
 */
#include <securebase/measure.h>

#include <math.h>
#include <string.h>

sb_status sb_rci_sdiff(double sd, double reliability, double *sdiff,
                       sb_error *err)
{
    if (!(sd > 0) || !isfinite(sd))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "the SD for reliable change must be positive, got %g",
                            sd);
    if (!(reliability >= 0 && reliability < 1))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "the reliability must be in [0, 1), got %g",
                            reliability);
    double se = sd * sqrt(1.0 - reliability);
    *sdiff = sqrt(2.0 * se * se);
    return SB_OK;
}

sb_status sb_rci(double pre, double post, double sd, double reliability,
                 double *rci, sb_error *err)
{
    double sdiff = 0;
    sb_status st = sb_rci_sdiff(sd, reliability, &sdiff, err);
    if (st)
        return st;
    if (!isfinite(pre) || !isfinite(post))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "reliable change needs two scores");
    *rci = (post - pre) / sdiff;
    return SB_OK;
}

sb_status sb_clinical_cutoffs(const sb_norm *functional,
                              const sb_norm *dysfunctional,
                              sb_direction direction, sb_cutoffs *out,
                              sb_error *err)
{
    memset(out, 0, sizeof *out);
    out->a = out->b = out->c = NAN;
    if (direction == SB_DIRECTION_NONE)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "cutoffs need to know which end of the score is "
                            "better");
    if ((functional && !(functional->sd > 0)) ||
        (dysfunctional && !(dysfunctional->sd > 0)))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "norms need a positive SD");
    /* toward the functional end is down when higher is worse */
    double toward = direction == SB_HIGHER_WORSE ? -1.0 : 1.0;
    if (dysfunctional) {
        out->a = dysfunctional->mean + toward * 2.0 * dysfunctional->sd;
        out->has_a = 1;
    }
    if (functional) {
        out->b = functional->mean - toward * 2.0 * functional->sd;
        out->has_b = 1;
    }
    if (functional && dysfunctional) {
        out->c = (dysfunctional->sd * functional->mean +
                  functional->sd * dysfunctional->mean) /
                 (dysfunctional->sd + functional->sd);
        out->has_c = 1;
    }
    return SB_OK;
}

double sb_cutoff_used(const sb_cutoffs *c, char *which)
{
    if (c->has_c) {
        if (which)
            *which = 'c';
        return c->c;
    }
    if (c->has_a) {
        if (which)
            *which = 'a';
        return c->a;
    }
    if (c->has_b) {
        if (which)
            *which = 'b';
        return c->b;
    }
    if (which)
        *which = '\0';
    return NAN;
}

sb_change_status sb_change_classify(double pre, double post, double rci,
                                    const sb_cutoffs *cutoffs,
                                    sb_direction direction)
{
    if (isnan(rci) || direction == SB_DIRECTION_NONE)
        return SB_CHANGE_UNKNOWN;
    /* improvement is a negative change when higher is worse */
    double better = direction == SB_HIGHER_WORSE ? -rci : rci;
    if (better <= -SB_RCI_CRITICAL)
        return SB_CHANGE_DETERIORATED;
    if (better < SB_RCI_CRITICAL)
        return SB_CHANGE_UNCHANGED;
    double cut = cutoffs ? sb_cutoff_used(cutoffs, NULL) : NAN;
    if (!isnan(cut)) {
        int pre_dys = direction == SB_HIGHER_WORSE ? pre > cut : pre < cut;
        int post_fun = direction == SB_HIGHER_WORSE ? post <= cut : post >= cut;
        if (pre_dys && post_fun)
            return SB_CHANGE_RECOVERED;
    }
    return SB_CHANGE_IMPROVED;
}

const char *sb_change_status_name(sb_change_status st)
{
    switch (st) {
    case SB_CHANGE_RECOVERED: return "recovered";
    case SB_CHANGE_IMPROVED: return "improved";
    case SB_CHANGE_UNCHANGED: return "unchanged";
    case SB_CHANGE_DETERIORATED: return "deteriorated";
    case SB_CHANGE_UNKNOWN: break;
    }
    return "";
}
