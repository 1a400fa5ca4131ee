/*
 * Distribution samplers for the simulator.
 */
#include "model/sample.h"

#include <math.h>

double sb_sample_normal(sb_rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare_normal;
    }
    double u1 = sb_rng_uniform(r);
    double u2 = sb_rng_uniform(r);
    double radius = sqrt(-2.0 * log(u1));
    double angle = 6.283185307179586476925 * u2;
    r->spare_normal = radius * sin(angle);
    r->has_spare = 1;
    return radius * cos(angle);
}

double sb_sample_exponential(sb_rng *r, double mean)
{
    return -mean * log(sb_rng_uniform(r));
}

int sb_sample_bernoulli(sb_rng *r, double p)
{
    if (p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    return sb_rng_uniform(r) < p;
}

/* log(k!) for the PTRS acceptance test. */
static double log_factorial(unsigned k)
{
    return lgamma((double)k + 1.0);
}

/* Hormann 1993, "The transformed rejection method for generating Poisson
 * random variables", algorithm PTRS; valid for lambda >= 10. */
static unsigned poisson_ptrs(sb_rng *r, double lambda)
{
    double slam = sqrt(lambda), loglam = log(lambda);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = sb_rng_uniform(r) - 0.5;
        double v = sb_rng_uniform(r);
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

unsigned sb_sample_poisson(sb_rng *r, double lambda)
{
    if (lambda <= 0)
        return 0;
    if (lambda >= 10)
        return poisson_ptrs(r, lambda);
    double limit = exp(-lambda), prod = sb_rng_uniform(r);
    unsigned k = 0;
    while (prod > limit) {
        k++;
        prod *= sb_rng_uniform(r);
    }
    return k;
}

double sb_sample_dist(sb_rng *r, const sb_dist *d)
{
    if (d->sd <= 0 || d->min >= d->max)
        return d->mean;
    for (int tries = 0; tries < 1000; tries++) {
        double x = d->mean + d->sd * sb_sample_normal(r);
        if (x >= d->min && x <= d->max)
            return x;
    }
    return d->min + (d->max - d->min) * sb_rng_uniform(r);
}

int sb_sample_categorical(sb_rng *r, const double *p, int n)
{
    double u = sb_rng_uniform(r), acc = 0;
    for (int i = 0; i < n - 1; i++) {
        acc += p[i];
        if (u < acc)
            return i;
    }
    return n - 1;
}
