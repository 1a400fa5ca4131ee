/*
 * Distribution samplers for the simulator.
 */
#include "model/sample.h"

#include <math.h>

/*
 * The ziggurat method (Marsaglia & Tsang 2000), the cases past the first
 * comparison (sample.h has the rest): the tail beyond R for layer 0, else
 * the wedge between the layer and the one above, and a new word when the
 * wedge rejects.
 */
double sb__sample_normal_rare(sb__rng *r, uint32_t u)
{
    int layer = (int)(u & 127u);
    int32_t j = (int32_t)(u >> 7) - (1 << 24);
    if (layer == 0) {
        /* The tail beyond R, by Marsaglia's exponential method. */
        double t, y;
        do {
            t = -log(sb__rng_uniform(r)) / SB_ZIG_R;
            y = -log(sb__rng_uniform(r));
        } while (y + y < t * t);
        return j > 0 ? SB_ZIG_R + t : -SB_ZIG_R - t;
    }
    double x = j * sb__zig_w25[layer];
    double f0 = sb__zig_f[layer - 1], f1 = sb__zig_f[layer];
    if (f1 + sb__rng_uniform(r) * (f0 - f1) < exp(-0.5 * x * x))
        return x;
    return sb__sample_normal(r);
}

double sb__sample_exponential(sb__rng *r, double mean)
{
    return -mean * log(sb__rng_uniform(r));
}

int sb__sample_bernoulli(sb__rng *r, double p)
{
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    return sb__rng_uniform(r) < p;
}

/* log(k!) for the PTRS acceptance test. */
static double log_factorial(unsigned k)
{
    return lgamma((double)k + 1.0);
}

/* Hormann 1993, "The transformed rejection method for generating Poisson
 * random variables", algorithm PTRS; valid for lambda >= 10. */
unsigned sb__poisson_ptrs(sb__rng *r, double lambda)
{
    double slam = sqrt(lambda), loglam = log(lambda);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = sb__rng_uniform(r) - 0.5;
        double v = sb__rng_uniform(r);
        double us = 0.5 - fabs(u);
        double k = floor((2 * a / us + b) * u + lambda + 0.43);
        if (us >= 0.07 && v <= vr)
            return (unsigned)k;
        if (k < 0 || (us < 0.013 && v > us))
            continue;
        if (log(v) + log(invalpha) - log(a / (us * us) + b) <=
            -lambda + k * loglam - log_factorial((unsigned)k))
            return (unsigned)k;
    }
}

/* Inversion by sequential search: one uniform per draw. The cap keeps
 * rounding in the cumulative sum from looping forever. */
unsigned sb__poisson_invert(double u, double lambda, double exp_neg)
{
    double p = exp_neg, cdf = p;
    unsigned k = 0;
    while (u > cdf && k < 1000) {
        k++;
        p *= lambda / k;
        cdf += p;
    }
    return k;
}

unsigned sb__sample_poisson(sb__rng *r, double lambda)
{
    return sb__sample_poisson_exp(r, lambda, lambda > 0 && lambda < 10
                                                ? exp(-lambda) : 0.0);
}

void sb__poisson_table_init(sb__poisson_table *t, double lambda)
{
    t->lambda = lambda;
    t->exp_neg = lambda > 0 && lambda < 10 ? exp(-lambda) : 0.0;
    t->size = 0;
    if (lambda <= 0 || lambda >= 10)
        return;
    double p = t->exp_neg, cdf = p;
    for (int k = 0; k < SB_POISSON_TABLE; k++) {
        t->cdf[k] = cdf;
        t->size = k + 1;
        if (1.0 - cdf < 1e-15)
            break;
        p *= lambda / (k + 1);
        cdf += p;
    }
    /* u = (w + 0.5) / 2^32 > cdf[k] exactly when w > c - 0.5 with c =
     * cdf[k] x 2^32 (a power of two: exact), and c - 0.5 is exact too (c
     * is at most about 2^32 and has no bits below 2^-21), so the least
     * such whole w is floor(c - 0.5) + 1 */
    for (int k = 0; k < t->size; k++) {
        double below = t->cdf[k] * 4294967296.0 - 0.5;
        t->above[k] = below < 0 ? 0 : (uint64_t)floor(below) + 1;
    }
    int k = 0;
    for (int i = 0; i < SB_POISSON_GUIDE; i++) {
        while (k < t->size && t->cdf[k] < (double)i / SB_POISSON_GUIDE)
            k++;
        t->guide[i] = (unsigned char)k;
    }
}

/* What the inline sampler leaves: no table (a mean of 0, or of 10 and
 * more), or u past the table (probability < 1e-15), where the same search
 * goes on untabulated. */
unsigned sb__poisson_table_rest(sb__rng *r, const sb__poisson_table *t,
                                double u)
{
    if (t->size == 0)
        return t->lambda <= 0 ? 0 : sb__poisson_ptrs(r, t->lambda);
    return sb__poisson_invert(u, t->lambda, t->exp_neg);
}

/*
 * A standard normal truncated to [a, b] with 0 <= a < b (b may be
 * infinite), exactly, by Robert (1995, Statistics and Computing 5, 121-125):
 * an exponential proposal of rate alpha beyond a when the interval is long,
 * a uniform one on it when it is short; each accepted with the ratio of the
 * densities, so the result follows the truncated normal for any a and b.
 */
static double normal_beyond(sb__rng *r, double a, double b)
{
    double root = sqrt(a * a + 4.0);
    double alpha = (a + root) / 2.0;
    /* Robert's comparison of the two proposals' acceptance rates */
    double short_enough = 2.0 / (a + root) * exp((a * a - a * root) / 4.0 + 0.5);
    if (b - a < short_enough)
        for (;;) {
            double z = a + (b - a) * sb__rng_uniform(r);
            if (sb__rng_uniform(r) <= exp((a * a - z * z) / 2.0))
                return z;
        }
    for (;;) {
        double z = a - log(sb__rng_uniform(r)) / alpha;
        if (z <= b && sb__rng_uniform(r) <= exp(-(z - alpha) * (z - alpha) / 2.0))
            return z;
    }
}

/* Standard normal truncated to [a, b], a < b. */
static double normal_between(sb__rng *r, double a, double b)
{
    /* Most intervals hold most of the mass: plain resampling, a few draws
     * at most (1 / mass on average). */
    double mass = 0.5 * (erfc(-b / M_SQRT2) - erfc(-a / M_SQRT2));
    if (mass >= 0.3)
        for (;;) {
            double z = sb__sample_normal(r);
            if (z >= a && z <= b)
                return z;
        }
    if (a >= 0)
        return normal_beyond(r, a, b);
    if (b <= 0)
        return -normal_beyond(r, -b, -a);
    /* A short interval around the mean: a uniform proposal accepted with
     * the normal's density, at least exp(-1.3) of the time here (an
     * interval around 0 with mass below 0.3 is shorter than 0.78). */
    for (;;) {
        double z = a + (b - a) * sb__rng_uniform(r);
        if (sb__rng_uniform(r) <= exp(-z * z / 2.0))
            return z;
    }
}

double sb__sample_dist(sb__rng *r, const sb_dist *d)
{
    if (d->sd <= 0 || d->min >= d->max)
        return d->mean;
    double z = normal_between(r, (d->min - d->mean) / d->sd,
                              (d->max - d->mean) / d->sd);
    double x = d->mean + d->sd * z;
    /* rounding at the ends of the interval */
    return x < d->min ? d->min : x > d->max ? d->max : x;
}

int sb__sample_categorical(sb__rng *r, const double *p, int n)
{
    double u = sb__rng_uniform(r), acc = 0;
    for (int i = 0; i < n - 1; i++) {
        acc += p[i];
        if (u < acc)
            return i;
    }
    return n - 1;
}
