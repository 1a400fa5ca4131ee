/*
 * Samplers of the distributions the model draws from, on top of a counter-
 * based stream. Each is tested statistically in tests/model/test_sample.c.
 */
#ifndef SB_MODEL_SAMPLE_H
#define SB_MODEL_SAMPLE_H

#include <securebase/model.h>

#include "model/rng.h"
#include "model/ziggurat.h"

double sb__sample_normal_rare(sb__rng *r, uint32_t u);

/*
 * Standard normal (ziggurat). One 32-bit word gives both the layer (its low
 * 7 bits) and, independently, a signed 25-bit position (its high 25 bits);
 * about 99% of draws end at the first comparison, inline here: the fast
 * path gives z and says whether it is the answer (else the rest of the
 * method takes over from the same word).
 */
static inline int sb__sample_normal_fast(uint32_t u, double *z)
{
    int layer = (int)(u & 127u);
    int32_t j = (int32_t)(u >> 7) - (1 << 24);
    uint32_t aj = (uint32_t)(j < 0 ? -j : j);
    *z = j * sb__zig_w25[layer];
    return aj < sb__zig_k25[layer];
}

static inline double sb__sample_normal(sb__rng *r)
{
    uint32_t u = sb__rng_u32(r);
    double z;
    if (sb__sample_normal_fast(u, &z))
        return z;
    return sb__sample_normal_rare(r, u);
}
/*
 * The first comparison of sb__sample_normal for rows 0 .. rows - 1 of a
 * block's words, every lane (src/model/normal_block.c): z[i][j] is the
 * normal of words[i][j] when the comparison accepts it, and all_fast[j] is
 * nonzero when it accepts every row of lane j (the normals a stream drawing
 * those words one after another would give). `isa` as for
 * sb__rng_block_fill (C or the best the processor has); returns the one
 * used, or -1 when it cannot be used here.
 */
int sb__normal_block(sb__rng_block words, unsigned rows,
                     double z[][SB_RNG_LANES], int32_t *all_fast, int isa);

/* Exponential with the given mean (> 0). */
double sb__sample_exponential(sb__rng *r, double mean);
/* Poisson with mean lambda >= 0: inversion by sequential search below 10,
 * Hormann's PTRS transformed rejection above. */
unsigned sb__sample_poisson(sb__rng *r, double lambda);
unsigned sb__poisson_ptrs(sb__rng *r, double lambda);
unsigned sb__poisson_invert(double u, double lambda, double exp_neg);

/* The same with exp(-lambda) computed once by the caller (hot loops). The
 * means of the weekly step are mostly small, so most draws end at the
 * first comparison, inline. */
static inline unsigned sb__sample_poisson_exp(sb__rng *r, double lambda,
                                              double exp_neg)
{
    if (lambda <= 0)
        return 0;
    if (lambda >= 10)
        return sb__poisson_ptrs(r, lambda);
    double u = sb__rng_uniform(r);
    return u > exp_neg ? sb__poisson_invert(u, lambda, exp_neg) : 0;
}
/* A Poisson distribution with its CDF tabulated once, for means that a
 * hot loop draws from again and again. */
#define SB_POISSON_TABLE 64
/* Buckets of the guide table: a power of two, so that u * SB_POISSON_GUIDE
 * is exact. */
#define SB_POISSON_GUIDE 128
#define SB_POISSON_GUIDE_SHIFT 25 /* 32 - log2(SB_POISSON_GUIDE) */
_Static_assert(1u << (32 - SB_POISSON_GUIDE_SHIFT) == SB_POISSON_GUIDE,
               "the guide's shift picks its buckets");
typedef struct sb__poisson_table {
    double lambda;
    double exp_neg;
    int size;                       /* entries of cdf in use */
    double cdf[SB_POISSON_TABLE];
    /* above[k]: the least word w whose uniform (w + 0.5) / 2^32 exceeds
     * cdf[k] (2^32: none), so that words compare with the table as their
     * uniforms would, without the conversion */
    uint64_t above[SB_POISSON_TABLE];
    /* guide[i]: the first k whose cdf[k] >= i / SB_POISSON_GUIDE (or
     * size), where the search for a u in that bucket may start: every
     * entry before it is below u. */
    unsigned char guide[SB_POISSON_GUIDE];
} sb__poisson_table;

void sb__poisson_table_init(sb__poisson_table *t, double lambda);
unsigned sb__poisson_table_rest(sb__rng *r, const sb__poisson_table *t,
                                 double u);

/* The same count as a sequential search from 0 (Chen & Asau's guide
 * table finds where to start it). */
static inline unsigned sb__sample_poisson_table(sb__rng *r,
                                                const sb__poisson_table *t)
{
    if (t->size == 0)
        return sb__poisson_table_rest(r, t, 0);
    /* the bucket of u = (w + 0.5) / 2^32 is w's top bits: the same index
     * as u * SB_POISSON_GUIDE truncated, without the conversion */
    uint32_t w = sb__rng_u32(r);
    int k = t->guide[w >> SB_POISSON_GUIDE_SHIFT];
    while (k < t->size && w >= t->above[k]) /* u > cdf[k] */
        k++;
    return k < t->size ? (unsigned)k
                       : sb__poisson_table_rest(r, t, sb__rng_uniform_of(w));
}

/* 1 with probability p. */
int sb__sample_bernoulli(sb__rng *r, double p);
/* A normal truncated to [min, max], exactly: resampled until inside when
 * the interval holds 30% of the mass or more, else by Robert's (1995)
 * exponential or uniform rejection, however far out the interval lies. */
double sb__sample_dist(sb__rng *r, const sb_dist *d);
/* Index drawn with the given probabilities (summing to 1). */
int sb__sample_categorical(sb__rng *r, const double *p, int n);

#endif
