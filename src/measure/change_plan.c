/*
 * Which reliability and SD reliable change of a score uses, decided once
 * for a run and shared by `securebase change` and the journey report, so
 * that both judge a change by the same figures.
 *
 * Each figure comes from the first source that has it: a figure the caller
 * gives, then a practice's local norms, then the instrument's published
 * figures, then, as a last resort, the input's own first visits when they
 * rest on at least SB_FIRST_VISITS_MIN people (docs/instruments.md). The
 * SD of published figures is the clinical (dysfunctional) sample's, since
 * Jacobson & Truax (1991) use the pre-treatment SD and a clinical sample is
 * the natural one for change in therapy, else the general (functional)
 * sample's. The cutoffs a, b and c come from norms of a known population
 * only: the instrument's, or local norms in place of the same population.
 */
#include <securebase/measure.h>

#include <math.h>
#include <string.h>

const char *sb_figure_origin_name(sb_figure_origin o)
{
    switch (o) {
    case SB_FIGURE_GIVEN:
        return "option";
    case SB_FIGURE_NORMS:
        return "norms";
    case SB_FIGURE_INSTRUMENT:
        return "instrument";
    case SB_FIGURE_FIRST_VISITS:
        return "first-visits";
    case SB_FIGURE_NONE:
        break;
    }
    return "";
}

void sb_change_sources_init(sb_change_sources *src)
{
    memset(src, 0, sizeof *src);
    src->reliability = src->sd = NAN;
}

/* The first visits' figures of score s that rest on enough people. */
static void first_visit_figures(const sb_norms *first, size_t s,
                                sb_scale scale, const sb_reliability **r,
                                const sb_norm **n)
{
    *r = NULL;
    *n = NULL;
    if (!first)
        return;
    sb_norms_entry e;
    sb_norms_entry_get(first, s, &e);
    if (!e.present || e.n < SB_FIRST_VISITS_MIN)
        return;
    *n = sb_norms_norm(first, s, scale);
    if (!isnan(e.alpha) && e.alpha_n >= SB_FIRST_VISITS_MIN)
        *r = sb_norms_reliability(first, s, scale);
}

void sb_change_plan_from(const sb_instrument *inst, size_t s, sb_scale scale,
                         const sb_change_sources *src, sb_change_plan *out)
{
    memset(out, 0, sizeof *out);
    out->reliability = out->sd = out->threshold = NAN;
    out->direction = sb_instrument_score_direction(inst, s);
    const sb_norm *local = src->local ? sb_norms_norm(src->local, s, scale)
                                      : NULL;
    const sb_reliability *local_r =
        src->local ? sb_norms_reliability(src->local, s, scale) : NULL;
    const sb_norm *functional = sb_instrument_norm(inst, s, scale, 0);
    const sb_norm *clinical = sb_instrument_norm(inst, s, scale, 1);
    const sb_norm *published = clinical ? clinical : functional;
    if (local && local->dysfunctional)
        clinical = local;
    else if (local)
        functional = local;
    out->cutoffs.a = out->cutoffs.b = out->cutoffs.c = NAN;
    if ((functional || clinical) && out->direction != SB_DIRECTION_NONE)
        (void)sb_clinical_cutoffs(functional, clinical, out->direction,
                                  &out->cutoffs, NULL);
    const sb_reliability *first_r, *inst_r;
    const sb_norm *first_n;
    first_visit_figures(src->first_visits, s, scale, &first_r, &first_n);
    if (!isnan(src->reliability)) {
        out->reliability = src->reliability;
        out->reliability_from = SB_FIGURE_GIVEN;
    } else if (local_r) {
        out->reliability_source = local_r;
        out->reliability_from = SB_FIGURE_NORMS;
    } else if ((inst_r = sb_instrument_reliability(inst, s, scale))) {
        out->reliability_source = inst_r;
        out->reliability_from = SB_FIGURE_INSTRUMENT;
    } else if (first_r) {
        out->reliability_source = first_r;
        out->reliability_from = SB_FIGURE_FIRST_VISITS;
    }
    if (out->reliability_source)
        out->reliability = out->reliability_source->value;
    if (!isnan(src->sd)) {
        out->sd = src->sd;
        out->sd_from = SB_FIGURE_GIVEN;
    } else if (local) {
        out->sd_source = local;
        out->sd_from = SB_FIGURE_NORMS;
    } else if (published) {
        out->sd_source = published;
        out->sd_from = SB_FIGURE_INSTRUMENT;
    } else if (first_n) {
        out->sd_source = first_n;
        out->sd_from = SB_FIGURE_FIRST_VISITS;
    }
    if (out->sd_source)
        out->sd = out->sd_source->sd;
    double sdiff;
    if (!isnan(out->reliability) && !isnan(out->sd) &&
        sb_rci_sdiff(out->sd, out->reliability, &sdiff, NULL) == SB_OK)
        out->threshold = SB_RCI_CRITICAL * sdiff;
}

void sb_change_plan_make(const sb_instrument *inst, size_t s, sb_scale scale,
                         double given_reliability, double given_sd,
                         sb_change_plan *out)
{
    sb_change_sources src;
    sb_change_sources_init(&src);
    src.reliability = given_reliability;
    src.sd = given_sd;
    sb_change_plan_from(inst, s, scale, &src, out);
}

const char *sb_change_plan_missing(const sb_change_plan *p)
{
    int r = !isnan(p->reliability), sd = !isnan(p->sd);
    return r && sd ? NULL
           : !r && !sd ? "reliability and no SD"
           : !r        ? "reliability"
                       : "SD";
}
