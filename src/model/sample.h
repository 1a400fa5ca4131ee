/*
 * Samplers of the distributions the model draws from, on top of a counter-
 * based stream. Each is tested statistically in tests/model/test_sample.c.
 */
#ifndef SB_MODEL_SAMPLE_H
#define SB_MODEL_SAMPLE_H

#include <securebase/model.h>

#include "model/rng.h"

/* Standard normal (ziggurat). */
double sb_sample_normal(sb_rng *r);
/* Exponential with the given mean (> 0). */
double sb_sample_exponential(sb_rng *r, double mean);
/* Poisson with mean lambda >= 0: inversion by sequential search below 10,
 * Hormann's PTRS transformed rejection above. */
unsigned sb_sample_poisson(sb_rng *r, double lambda);
/* The same with exp(-lambda) computed once by the caller (hot loops). */
unsigned sb_sample_poisson_exp(sb_rng *r, double lambda, double exp_neg);
/* A Poisson distribution with its CDF tabulated once, for means that a
 * hot loop draws from again and again. */
#define SB_POISSON_TABLE 64
typedef struct sb_poisson_table {
    double lambda;
    double exp_neg;
    int size;                       /* entries of cdf in use */
    double cdf[SB_POISSON_TABLE];
} sb_poisson_table;

void sb_poisson_table_init(sb_poisson_table *t, double lambda);
unsigned sb_sample_poisson_table(sb_rng *r, const sb_poisson_table *t);

/* 1 with probability p. */
int sb_sample_bernoulli(sb_rng *r, double p);
/* A normal truncated to [min, max], exactly: resampled until inside when
 * the interval holds 30% of the mass or more, else by Robert's (1995)
 * exponential or uniform rejection, however far out the interval lies. */
double sb_sample_dist(sb_rng *r, const sb_dist *d);
/* Index drawn with the given probabilities (summing to 1). */
int sb_sample_categorical(sb_rng *r, const double *p, int n);

#endif
