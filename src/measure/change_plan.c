/*
 * Which reliability and SD reliable change of a score uses, decided once
 * for a run and shared by `securebase change` and the journey report, so
 * that both judge a change by the same figures.
 *
 * Reliability: one given by the caller, else the instrument's for the
 * answers' scale (a retest figure before alpha). SD: one given, else the
 * clinical (dysfunctional) sample's, since Jacobson & Truax (1991) use the
 * pre-treatment SD and a clinical sample is the natural one for change in
 * therapy, else the general (functional) sample's. The cutoffs a, b and c
 * always come from the instrument's norms.
 */
#include <securebase/measure.h>

#include <math.h>
#include <string.h>

void sb_change_plan_make(const sb_instrument *inst, size_t s, sb_scale scale,
                         double given_reliability, double given_sd,
                         sb_change_plan *out)
{
    memset(out, 0, sizeof *out);
    out->reliability = out->sd = out->threshold = NAN;
    out->direction = sb_instrument_score_direction(inst, s);
    const sb_norm *functional = sb_instrument_norm(inst, s, scale, 0);
    const sb_norm *clinical = sb_instrument_norm(inst, s, scale, 1);
    out->cutoffs.a = out->cutoffs.b = out->cutoffs.c = NAN;
    if ((functional || clinical) && out->direction != SB_DIRECTION_NONE)
        (void)sb_clinical_cutoffs(functional, clinical, out->direction,
                                  &out->cutoffs, NULL);
    if (!isnan(given_reliability)) {
        out->reliability = given_reliability;
    } else if ((out->reliability_source =
                    sb_instrument_reliability(inst, s, scale))) {
        out->reliability = out->reliability_source->value;
    }
    if (!isnan(given_sd)) {
        out->sd = given_sd;
    } else if ((out->sd_source = clinical ? clinical : functional)) {
        out->sd = out->sd_source->sd;
    }
    double sdiff;
    if (!isnan(out->reliability) && !isnan(out->sd) &&
        sb_rci_sdiff(out->sd, out->reliability, &sdiff, NULL) == SB_OK)
        out->threshold = SB_RCI_CRITICAL * sdiff;
}

const char *sb_change_plan_missing(const sb_change_plan *p)
{
    int r = !isnan(p->reliability), sd = !isnan(p->sd);
    return r && sd ? NULL
           : !r && !sd ? "reliability and no SD"
           : !r        ? "reliability"
                       : "SD";
}
