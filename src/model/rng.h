/*
 * Counter-based random streams (Philox4x32-10 from Random123). A stream is
 * keyed by the seed and addressed by (person, phase, week): the numbers a
 * person draws in a week never depend on which thread simulates them or on
 * how many people came before, which makes every run reproducible whatever
 * the thread count.
 */
#ifndef SB_MODEL_RNG_H
#define SB_MODEL_RNG_H

#include <stdint.h>

#include <Random123/philox.h>

/* Phases keep the streams of different uses apart. */
enum { SB_RNG_WEEK = 0, SB_RNG_INIT = 1, SB_RNG_TEST = 2 };

/* People whose words a block fill computes together (sb__rng_block_fill),
 * and the words of each person's week it computes ahead. */
#define SB_RNG_LANES 32
#define SB_RNG_AHEAD 32 /* at most: eight Philox blocks */

typedef struct sb__rng {
    philox4x32_key_t key;
    philox4x32_ctr_t ctr;
    philox4x32_ctr_t out;
    unsigned idx;        /* next unused word of `out`; 4 = empty */
    /* Words computed in advance, in a column of a block: the next at
     * `next`, the one after SB_RNG_LANES words on, none left at `end`. */
    const uint32_t *next, *end;
    uint64_t draws_before; /* words drawn in the weeks before this one */
} sb__rng;

/* Positions `r` at the start of the stream for (seed, person, phase, week). */
static inline void sb__rng_init(sb__rng *r, uint64_t seed, uint64_t person,
                               uint32_t phase, uint32_t week)
{
    r->key.v[0] = (uint32_t)seed;
    r->key.v[1] = (uint32_t)(seed >> 32);
    r->ctr.v[0] = (uint32_t)person;
    r->ctr.v[1] = (uint32_t)(person >> 32) ^ (phase << 24);
    r->ctr.v[2] = week;
    r->ctr.v[3] = 0;
    r->idx = 4;
    r->next = r->end = NULL;
    r->draws_before = 0;
}

/* 32-bit words drawn so far, every week's (for benchmarks): this week's
 * are the words of the blocks computed, less those not used yet. Counted
 * here rather than at each draw, which is the hot path. */
static inline uint64_t sb__rng_draws(const sb__rng *r)
{
    return r->draws_before + 4u * (uint64_t)r->ctr.v[3] - (4u - r->idx) -
           (uint64_t)(r->end - r->next) / SB_RNG_LANES;
}

/* Moves to another week of the same person and seed, keeping the count. */
static inline void sb__rng_week(sb__rng *r, uint32_t phase, uint32_t week)
{
    r->draws_before = sb__rng_draws(r);
    r->ctr.v[1] = (r->ctr.v[1] & 0x00ffffffu) ^ (phase << 24);
    r->ctr.v[2] = week;
    r->ctr.v[3] = 0;
    r->idx = 4;
    r->next = r->end = NULL;
}

/*
 * Words of many people's streams computed at once: for people first ..
 * first + SB_RNG_LANES - 1, the first `ahead` words of their stream (a
 * multiple of 4, at most SB_RNG_AHEAD) for (phase, week), person first +
 * j's word i at words[i][j]. The same
 * words sb__rng_u32 gives, computed side by side with the widest vector
 * instructions the processor has (exact integer arithmetic, so the choice
 * changes nothing but speed). `isa` picks the instruction set for tests:
 * one of SB_RNG_ISA_*, AUTO for the best available. Returns the one used,
 * or -1 when the processor lacks the one asked for (nothing written).
 */
enum { SB_RNG_ISA_AUTO = 0, SB_RNG_ISA_C, SB_RNG_ISA_SSE2, SB_RNG_ISA_AVX2,
       SB_RNG_ISA_AVX512 };
typedef uint32_t sb__rng_block[SB_RNG_AHEAD][SB_RNG_LANES];
int sb__rng_block_fill(sb__rng_block words, unsigned ahead, uint64_t seed,
                       uint64_t first, uint32_t phase, uint32_t week, int isa);

/* Moves to (phase, week) as sb__rng_week does, with the week's first words
 * taken from a column of a block filled with `ahead` words, `column` =
 * &words[0][lane] (the stream's own person must be the block's first +
 * lane). */
static inline void sb__rng_week_from(sb__rng *r, uint32_t phase, uint32_t week,
                                     const uint32_t *column, unsigned ahead)
{
    sb__rng_week(r, phase, week);
    r->ctr.v[3] = ahead / 4;
    r->next = column;
    r->end = column + ahead * SB_RNG_LANES;
}

static inline uint32_t sb__rng_u32(sb__rng *r)
{
    if (r->next != r->end) {
        uint32_t w = *r->next;
        r->next += SB_RNG_LANES;
        return w;
    }
    if (r->idx == 4) {
        r->out = philox4x32(r->ctr, r->key);
        r->ctr.v[3]++;
        r->idx = 0;
    }
    return r->out.v[r->idx++];
}

/* Uniform on the open interval (0, 1), from a word (exact: 33 bits). */
static inline double sb__rng_uniform_of(uint32_t w)
{
    return ((double)w + 0.5) * (1.0 / 4294967296.0);
}

static inline double sb__rng_uniform(sb__rng *r)
{
    return sb__rng_uniform_of(sb__rng_u32(r));
}

#endif
