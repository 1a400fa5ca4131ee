/*
 * The sudden-gain rule of Tang & DeRubeis (1999, Journal of Consulting and
 * Clinical Psychology, 67, 894-904) for one interval of a series, with
 * criterion 1 set to the reliable change of the measure as Stiles et al.
 * (2003, Psychotherapy Research, 13, 411-431) did for a measure without a
 * fixed point threshold, and losses found by the mirror-image criteria
 * (Lutz et al. 2013, Journal of Consulting and Clinical Psychology, 81,
 * 647-657). It lives here, below both, so that the questionnaire series of
 * the measure layer and the simulated ones of the model are judged by the
 * same rule. The adaptations to attachment scales are described in
 * docs/instruments.md.
 */
#include <securebase/base.h>

#include <math.h>

double sb_t_critical_05(unsigned df)
{
    /* two-tailed .05 critical values of Student's t */
    static const double table[] = {NAN, 12.706, 4.303, 3.182, 2.776, 2.571,
                                   2.447, 2.365, 2.306, 2.262, 2.228};
    if (df < sizeof table / sizeof table[0])
        return table[df];
    return 1.96;
}

/* Mean and sum of squared deviations of x[0..n). */
static void moments(const double *x, size_t n, double *mean, double *ss)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (x[i] - m) * (x[i] - m);
    *mean = m;
    *ss = s;
}

int sb_sudden_test(const double *window, size_t before, size_t after,
                   double threshold, double best, int higher_worse,
                   sb_sudden *out)
{
    if (before < 2 || after < 2 || !(threshold > 0))
        return 0;
    double pre = window[before - 1], post = window[before];
    double delta = post - pre;
    /* how far the change went toward the worse end, and how far the pre
     * score lies from the better end (the scale starts at 1, not 0) */
    double worse = higher_worse ? delta : -delta;
    double distance = fabs(pre - best);
    double size = fabs(delta);
    if (size < threshold)                       /* criterion 1 */
        return 0;
    /* criterion 2, alike for losses (Lutz et al. take 25% of the pre-loss
     * score, that is, of its distance from the better end) */
    if (size < 0.25 * distance)
        return 0;
    double m1, ss1, m2, ss2;
    moments(window, before, &m1, &ss1);
    moments(window + before, after, &m2, &ss2);
    double n1 = (double)before, n2 = (double)after;
    unsigned df = (unsigned)(before + after - 2);
    double pooled = (ss1 + ss2) / (n1 + n2 - 2);
    double se = sqrt(pooled * (1.0 / n1 + 1.0 / n2));
    double t = se > 0 ? (m2 - m1) / se
                      : (m2 == m1 ? 0 : (m2 > m1 ? INFINITY : -INFINITY));
    if (!(fabs(t) > sb_t_critical_05(df)))      /* criterion 3 */
        return 0;
    /* the means must move the same way as the change itself */
    if ((m2 - m1) * delta <= 0)
        return 0;
    out->kind = worse < 0 ? SB_SUDDEN_GAIN : SB_SUDDEN_LOSS;
    out->index = 0;
    out->pre = pre;
    out->post = post;
    out->magnitude = size;
    out->mean_before = m1;
    out->mean_after = m2;
    out->t = t;
    return 1;
}
