/*
 * Sudden gains and sudden losses in one person's series of administrations:
 * every interval between consecutive ones whose window of up to three
 * scores on each side is complete is put to the one rule, sb_sudden_test()
 * in the base layer, which the simulator's session-by-session figures use
 * too.
 */
#include <securebase/measure.h>

#include <math.h>

size_t sb_sudden_find(const double *x, size_t n, double threshold,
                      sb_scale scale, sb_direction direction, sb_sudden *out,
                      size_t max)
{
    size_t found = 0;
    if (direction == SB_DIRECTION_NONE || !(threshold > 0) || n < 4)
        return 0;
    int higher_worse = direction == SB_HIGHER_WORSE;
    double best = higher_worse ? scale.min : scale.max;
    /* the interval is between sessions i and i + 1 */
    for (size_t i = 1; i + 2 < n; i++) {
        size_t lo = i >= 2 ? i - 2 : 0;
        size_t hi = i + 4 < n ? i + 4 : n;
        int bad = 0;
        for (size_t j = lo; j < hi; j++)
            bad |= isnan(x[j]);
        if (bad)
            continue;
        sb_sudden e;
        if (!sb_sudden_test(x + lo, i + 1 - lo, hi - i - 1, threshold, best,
                            higher_worse, &e))
            continue;
        if (found < max) {
            e.index = i;
            out[found] = e;
        }
        found++;
    }
    return found;
}
