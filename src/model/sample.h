/*
 * Samplers of the distributions the model draws from, on top of a counter-
 * based stream. Each is tested statistically in tests/model/test_sample.c.
 */
#ifndef SB_MODEL_SAMPLE_H
#define SB_MODEL_SAMPLE_H

#include <securebase/model.h>

#include "model/rng.h"

/* Standard normal (ziggurat). */
double sb__sample_normal(sb__rng *r);
/* Exponential with the given mean (> 0). */
double sb__sample_exponential(sb__rng *r, double mean);
/* Poisson with mean lambda >= 0: inversion by sequential search below 10,
 * Hormann's PTRS transformed rejection above. */
unsigned sb__sample_poisson(sb__rng *r, double lambda);
/* The same with exp(-lambda) computed once by the caller (hot loops). */
unsigned sb__sample_poisson_exp(sb__rng *r, double lambda, double exp_neg);
/* A Poisson distribution with its CDF tabulated once, for means that a
 * hot loop draws from again and again. */
#define SB_POISSON_TABLE 64
typedef struct sb__poisson_table {
    double lambda;
    double exp_neg;
    int size;                       /* entries of cdf in use */
    double cdf[SB_POISSON_TABLE];
} sb__poisson_table;

void sb__poisson_table_init(sb__poisson_table *t, double lambda);
unsigned sb__sample_poisson_table(sb__rng *r, const sb__poisson_table *t);

/* 1 with probability p. */
int sb__sample_bernoulli(sb__rng *r, double p);
/* A normal truncated to [min, max], exactly: resampled until inside when
 * the interval holds 30% of the mass or more, else by Robert's (1995)
 * exponential or uniform rejection, however far out the interval lies. */
double sb__sample_dist(sb__rng *r, const sb_dist *d);
/* Index drawn with the given probabilities (summing to 1). */
int sb__sample_categorical(sb__rng *r, const double *p, int n);

#endif
