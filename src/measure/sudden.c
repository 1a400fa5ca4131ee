/*
 * Sudden gains and sudden losses between consecutive administrations,
 * after Tang & DeRubeis (1999, Journal of Consulting and Clinical
 * Psychology, 67, 894-904), with criterion 1 set to the reliable change of
 * the measure as Stiles et al. (2003, Psychotherapy Research, 13, 411-431)
 * did for a measure without a fixed point threshold, and losses found by the
 * mirror-image criteria (Lutz et al. 2013, Journal of Consulting and
 * Clinical Psychology, 81, 647-657). The adaptations to attachment scales
 * are described in docs/instruments.md.
 */
#include <securebase/measure.h>

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

/* Mean and sum of squared deviations of x[lo..hi). */
static void moments(const double *x, size_t lo, size_t hi, double *mean,
                    double *ss)
{
    double m = 0;
    for (size_t i = lo; i < hi; i++)
        m += x[i];
    m /= (double)(hi - lo);
    double s = 0;
    for (size_t i = lo; i < hi; i++)
        s += (x[i] - m) * (x[i] - m);
    *mean = m;
    *ss = s;
}

size_t sb_sudden_find(const double *x, size_t n, double threshold,
                      sb_scale scale, sb_direction direction, sb_sudden *out,
                      size_t max)
{
    size_t found = 0;
    if (direction == SB_DIRECTION_NONE || !(threshold > 0) || n < 4)
        return 0;
    /* the interval is between sessions i and i + 1 */
    for (size_t i = 1; i + 2 < n; i++) {
        size_t lo = i >= 2 ? i - 2 : 0;
        size_t hi = i + 4 < n ? i + 4 : n;
        int bad = 0;
        for (size_t j = lo; j < hi; j++)
            bad |= isnan(x[j]);
        if (bad)
            continue;
        double pre = x[i], post = x[i + 1];
        double delta = post - pre;
        /* how far the change went toward the worse end, and how far the pre
         * score lies from the better end (the scale starts at 1, not 0) */
        double worse = direction == SB_HIGHER_WORSE ? delta : -delta;
        double distance = direction == SB_HIGHER_WORSE ? pre - scale.min
                                                       : scale.max - pre;
        sb_sudden_kind kind = worse < 0 ? SB_SUDDEN_GAIN : SB_SUDDEN_LOSS;
        double size = fabs(delta);
        if (size < threshold)                       /* criterion 1 */
            continue;
        /* criterion 2, alike for losses (Lutz et al. take 25% of the
         * pre-loss score, that is, of its distance from the better end) */
        if (size < 0.25 * distance)
            continue;
        double m1, ss1, m2, ss2;
        moments(x, lo, i + 1, &m1, &ss1);
        moments(x, i + 1, hi, &m2, &ss2);
        double n1 = (double)(i + 1 - lo), n2 = (double)(hi - i - 1);
        unsigned df = (unsigned)(n1 + n2 - 2);
        double pooled = (ss1 + ss2) / (n1 + n2 - 2);
        double se = sqrt(pooled * (1.0 / n1 + 1.0 / n2));
        double t = se > 0 ? (m2 - m1) / se
                          : (m2 == m1 ? 0 : (m2 > m1 ? INFINITY : -INFINITY));
        if (!(fabs(t) > sb_t_critical_05(df)))      /* criterion 3 */
            continue;
        /* the means must move the same way as the change itself */
        if ((m2 - m1) * delta <= 0)
            continue;
        if (found < max) {
            sb_sudden *e = &out[found];
            e->kind = kind;
            e->index = i;
            e->pre = pre;
            e->post = post;
            e->magnitude = size;
            e->mean_before = m1;
            e->mean_after = m2;
            e->t = t;
        }
        found++;
    }
    return found;
}
