/*
 * Scenario summary figures from the per-person records, reduced in person
 * order so that the floating-point sums are the same for any thread count.
 */
#include "model/sim.h"

#include <math.h>
#include <stdlib.h>

/* Mean change from `base` to `later` and Cohen's d (change / baseline SD). */
static void change_stats(const sb_snapshot *base, const sb_snapshot *later,
                         size_t n, double *ch_a, double *ch_v, double *d_a,
                         double *d_v)
{
    double sa = 0, sv = 0, ba = 0, bv = 0, ba2 = 0, bv2 = 0;
    for (size_t i = 0; i < n; i++) {
        sa += later[i].anxiety - base[i].anxiety;
        sv += later[i].avoidance - base[i].avoidance;
        ba += base[i].anxiety;
        bv += base[i].avoidance;
        ba2 += (double)base[i].anxiety * base[i].anxiety;
        bv2 += (double)base[i].avoidance * base[i].avoidance;
    }
    double nn = (double)n;
    *ch_a = sa / nn;
    *ch_v = sv / nn;
    double var_a = n > 1 ? (ba2 - ba * ba / nn) / (nn - 1) : 0;
    double var_v = n > 1 ? (bv2 - bv * bv / nn) / (nn - 1) : 0;
    *d_a = var_a > 0 ? *ch_a / sqrt(var_a) : NAN;
    *d_v = var_v > 0 ? *ch_v / sqrt(var_v) : NAN;
}

sb_status sb__sim_summarize(sb_sim_result *res, sb_error *err)
{
    sb_sim_summary *s = &res->summary;
    size_t n = res->persons;
    const sb_snapshot *base = sb_sim_snapshot(res, 0);
    const sb_snapshot *end = sb_sim_snapshot(res, s->therapy_end_week);
    const sb_snapshot *fu = sb_sim_snapshot(res, s->followup_week);
    if (!base || !end || !fu)
        return sb_error_set(err, SB_ERR_STATE, NULL, 0, 0,
                            "internal: summary snapshots were not kept");
    /* The weekly counts classify the double-precision state; the float
     * snapshots could put a score a hair below the cut-off on it. */
    s->secure_baseline = res->week[0].share_secure;
    s->secure_end = res->week[s->therapy_end_week].share_secure;
    s->secure_followup = res->week[s->followup_week].share_secure;
    change_stats(base, end, n, &s->change_anxiety_end,
                 &s->change_avoidance_end, &s->d_anxiety_end,
                 &s->d_avoidance_end);
    change_stats(base, fu, n, &s->change_anxiety_followup,
                 &s->change_avoidance_followup, &s->d_anxiety_followup,
                 &s->d_avoidance_followup);

    double revision = 0;
    size_t setback = 0, gain = 0, loss = 0, insecure = 0, stable = 0;
    /* Weeks to stable security are small integers: count them. */
    size_t weeks1 = (size_t)res->weeks + 1;
    size_t *count = calloc(weeks1, sizeof *count);
    if (!count)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const sb__person_record *r = &res->person[i];
        revision += r->prototype_revision;
        setback += r->setback;
        gain += r->sudden_gain;
        loss += r->sudden_loss;
        if (!r->secure_baseline) {
            insecure++;
            if (r->weeks_to_stable >= 0) {
                stable++;
                count[r->weeks_to_stable]++;
            }
        }
    }
    double nn = (double)n;
    s->prototype_revision = revision / nn;
    s->share_setback = setback / nn;
    /* The rule needs four scores: a shorter course has none to test. */
    int course = res->course_end - res->course_start;
    s->share_sudden_gain = course >= 4 ? gain / nn : NAN;
    s->share_sudden_loss = course >= 4 ? loss / nn : NAN;
    s->share_stable = insecure ? (double)stable / (double)insecure : NAN;
    s->median_weeks_stable = NAN;
    if (stable) {
        /* Lower median of the weeks at which stable security began. */
        size_t half = (stable + 1) / 2, cum = 0;
        for (size_t w = 0; w < weeks1; w++) {
            cum += count[w];
            if (cum >= half) {
                s->median_weeks_stable = (double)w;
                break;
            }
        }
    }
    free(count);
    return SB_OK;
}
