/*
 * The menu of statistics a calibration target can name, computed from a
 * simulation result the way the studies measured them: correlations and
 * category stability on observed scores (true score plus measurement
 * error), shares and changes on true scores unless a target says
 * otherwise. Sums run in person order, so figures do not depend on threads.
 */
#include "fit/fit_internal.h"

#include <math.h>

/* Anxiety, avoidance or their mean (the composite) from a pair. */
static double dimension(double anxiety, double avoidance, sb_stat_dimension d)
{
    return d == SB_DIM_ANXIETY     ? anxiety
           : d == SB_DIM_AVOIDANCE ? avoidance
                                   : (anxiety + avoidance) / 2;
}

static double score(const sb_snapshot *s, sb_stat_dimension d,
                    sb_stat_scores scores)
{
    if (scores == SB_SCORES_OBSERVED)
        return dimension(s->obs_anxiety, s->obs_avoidance, d);
    return dimension(s->anxiety, s->avoidance, d);
}

static double pearson(const sb_snapshot *x, const sb_snapshot *y, size_t n,
                      sb_stat_dimension d, sb_stat_scores scores)
{
    /* Two passes (means first): stable even when the SD is small
     * against the mean. */
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += score(&x[i], d, scores);
        my += score(&y[i], d, scores);
    }
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        double a = score(&x[i], d, scores) - mx, b = score(&y[i], d, scores) - my;
        sxx += a * a;
        syy += b * b;
        sxy += a * b;
    }
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

static int secure(const sb_snapshot *s, double cutoff, sb_stat_scores scores)
{
    return score(s, SB_DIM_ANXIETY, scores) < cutoff &&
           score(s, SB_DIM_AVOIDANCE, scores) < cutoff;
}

static double stability(const sb_snapshot *x, const sb_snapshot *y, size_t n,
                        double cutoff, sb_stat_group group)
{
    size_t in = 0, kept = 0;
    for (size_t i = 0; i < n; i++) {
        int a = secure(&x[i], cutoff, SB_SCORES_OBSERVED);
        if ((group == SB_GROUP_SECURE && !a) ||
            (group == SB_GROUP_INSECURE && a))
            continue;
        in++;
        kept += a == secure(&y[i], cutoff, SB_SCORES_OBSERVED);
    }
    return in ? (double)kept / (double)in : NAN;
}

/* Mean change from x to y, and that change over the SD at x. */
static void change(const sb_snapshot *x, const sb_snapshot *y, size_t n,
                   sb_stat_dimension d, double *mean, double *cohens_d)
{
    double sum = 0, base = 0;
    for (size_t i = 0; i < n; i++) {
        sum += score(&y[i], d, SB_SCORES_TRUE) - score(&x[i], d, SB_SCORES_TRUE);
        base += score(&x[i], d, SB_SCORES_TRUE);
    }
    double nn = (double)n;
    base /= nn;
    double var = 0;
    for (size_t i = 0; i < n; i++) {
        double e = score(&x[i], d, SB_SCORES_TRUE) - base;
        var += e * e;
    }
    var = n > 1 ? var / (nn - 1) : 0;
    *mean = sum / nn;
    *cohens_d = var > 0 ? *mean / sqrt(var) : NAN;
}

static double share_secure_observed(const sb_snapshot *s, size_t n,
                                    double cutoff)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += secure(&s[i], cutoff, SB_SCORES_OBSERVED);
    return (double)k / (double)n;
}

static double week_mean(const sb_sim_result *res, int week, sb_stat_dimension d)
{
    const sb_week_stats *w = sb_sim_week(res, week);
    if (!w)
        return NAN;
    return dimension(w->mean_anxiety, w->mean_avoidance, d);
}

/* The mean shift from `week` to week + lag, less the same shift in the
 * comparison run (the same people without the event) when there is one. */
static double response(const sb_target *t, const sb_sim_result *res,
                       const sb_sim_result *versus, int lag)
{
    double shift = week_mean(res, t->week + lag, t->dimension) -
                   week_mean(res, t->week, t->dimension);
    if (versus)
        shift -= week_mean(versus, t->week + lag, t->dimension) -
                 week_mean(versus, t->week, t->dimension);
    return shift;
}

double sb__target_statistic(const sb_target *t, const sb_scenario *sc,
                            const sb_sim_result *res,
                            const sb_sim_result *versus)
{
    size_t n = sb_sim_persons(res);
    double cutoff = sc->params.secure_cutoff;
    const sb_sim_summary *sum = sb_sim_get_summary(res);
    const sb_snapshot *a = NULL, *b = NULL;
    double mean, d;
    switch (t->statistic) {
    case SB_STAT_SHARE_SECURE:
        if (t->scores == SB_SCORES_TRUE) {
            const sb_week_stats *w = sb_sim_week(res, t->week);
            return w ? w->share_secure : NAN;
        }
        a = sb_sim_snapshot(res, t->week);
        return a ? share_secure_observed(a, n, cutoff) : NAN;
    case SB_STAT_RETEST_R:
        a = sb_sim_snapshot(res, t->from);
        b = sb_sim_snapshot(res, t->from + t->lag);
        return a && b ? pearson(a, b, n, t->dimension, t->scores) : NAN;
    case SB_STAT_CATEGORY_STABILITY:
        a = sb_sim_snapshot(res, t->from);
        b = sb_sim_snapshot(res, t->from + t->lag);
        return a && b ? stability(a, b, n, cutoff, t->group) : NAN;
    case SB_STAT_CHANGE:
    case SB_STAT_COHENS_D:
        a = sb_sim_snapshot(res, t->from);
        b = sb_sim_snapshot(res, t->week);
        if (!a || !b)
            return NAN;
        change(a, b, n, t->dimension, &mean, &d);
        return t->statistic == SB_STAT_CHANGE ? mean : d;
    case SB_STAT_SHARE_IMPROVED:
        return sb_sim_share_improved(res, t->session, t->threshold);
    case SB_STAT_SUDDEN_GAIN_SHARE:
        return sum->share_sudden_gain;
    case SB_STAT_SUDDEN_LOSS_SHARE:
        return sum->share_sudden_loss;
    case SB_STAT_EVENT_RESPONSE:
        mean = response(t, res, versus, t->lag);
        if (!t->relative_lag)
            return mean;
        d = response(t, res, versus, t->relative_lag);
        return d != 0 ? mean / d : NAN;
    case SB_STAT_COUNT:
        break;
    }
    return NAN;
}
