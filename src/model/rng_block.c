/*
 * Philox4x32-10 for a block of people at once: the same counters and key as
 * sb__rng_u32 (rng.h), one person to a vector lane, so that the multiplies of
 * SB_RNG_LANES streams run side by side. The round is Random123's: two
 * 32x32->64-bit products of the counter's words 0 and 2 with fixed
 * multipliers, their halves crossed with words 1 and 3 and the key, and the
 * key bumped by Weyl constants between rounds. Everything is exact integer
 * arithmetic, so every instruction set gives the same words; the portable C
 * version is the reference the tests compare the others with.
 */
#include "model/rng.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SB_RNG_X86 1
#include <immintrin.h>
#endif

#define ROUNDS 10

/* The lanes' counters, words 0 and 1 (person and phase); words 2 and 3
 * (week and block) are the same in every lane. */
typedef struct lanes {
    uint32_t c0[SB_RNG_LANES], c1[SB_RNG_LANES];
} lanes;

static void lanes_of(lanes *l, uint64_t first, uint32_t phase)
{
    for (unsigned j = 0; j < SB_RNG_LANES; j++) {
        uint64_t person = first + j;
        l->c0[j] = (uint32_t)person;
        l->c1[j] = (uint32_t)(person >> 32) ^ (phase << 24);
    }
}

static void fill_c(sb__rng_block words, unsigned blocks, const lanes *l,
       uint64_t seed, uint32_t week)
{
    for (unsigned b = 0; b < blocks; b++)
        for (unsigned j = 0; j < SB_RNG_LANES; j++) {
            uint32_t x0 = l->c0[j], x1 = l->c1[j], x2 = week, x3 = b;
            uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
            for (int r = 0; r < ROUNDS; r++) {
                uint64_t p0 = (uint64_t)PHILOX_M4x32_0 * x0;
                uint64_t p1 = (uint64_t)PHILOX_M4x32_1 * x2;
                x0 = (uint32_t)(p1 >> 32) ^ x1 ^ k0;
                x1 = (uint32_t)p1;
                x2 = (uint32_t)(p0 >> 32) ^ x3 ^ k1;
                x3 = (uint32_t)p0;
                k0 += PHILOX_W32_0;
                k1 += PHILOX_W32_1;
            }
            words[4 * b][j] = x0;
            words[4 * b + 1][j] = x1;
            words[4 * b + 2][j] = x2;
            words[4 * b + 3][j] = x3;
        }
}

#ifdef SB_RNG_X86
/* Each width below writes the same round with its own vector type: the
 * 64-bit products of the even lanes come from one multiply, those of the
 * odd lanes from a second on the counter shifted down by 32 bits, and the
 * halves are put back in lane order. */

__attribute__((target("sse2"))) static void
fill_sse2(sb__rng_block words, unsigned blocks, const lanes *l,
          uint64_t seed, uint32_t week)
{
    const __m128i m0 = _mm_set1_epi32((int)PHILOX_M4x32_0);
    const __m128i m1 = _mm_set1_epi32((int)PHILOX_M4x32_1);
    const __m128i low = _mm_set1_epi64x(0xffffffff);
    for (unsigned b = 0; b < blocks; b++)
        for (unsigned j = 0; j < SB_RNG_LANES; j += 4) {
            __m128i x0 = _mm_loadu_si128((const __m128i *)&l->c0[j]);
            __m128i x1 = _mm_loadu_si128((const __m128i *)&l->c1[j]);
            __m128i x2 = _mm_set1_epi32((int)week);
            __m128i x3 = _mm_set1_epi32((int)b);
            uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
            for (int r = 0; r < ROUNDS; r++) {
                __m128i e0 = _mm_mul_epu32(x0, m0);
                __m128i o0 = _mm_mul_epu32(_mm_srli_epi64(x0, 32), m0);
                __m128i e1 = _mm_mul_epu32(x2, m1);
                __m128i o1 = _mm_mul_epu32(_mm_srli_epi64(x2, 32), m1);
                __m128i lo0 = _mm_or_si128(_mm_and_si128(e0, low),
                                           _mm_slli_epi64(o0, 32));
                __m128i hi0 = _mm_or_si128(_mm_srli_epi64(e0, 32),
                                           _mm_andnot_si128(low, o0));
                __m128i lo1 = _mm_or_si128(_mm_and_si128(e1, low),
                                           _mm_slli_epi64(o1, 32));
                __m128i hi1 = _mm_or_si128(_mm_srli_epi64(e1, 32),
                                           _mm_andnot_si128(low, o1));
                x0 = _mm_xor_si128(_mm_xor_si128(hi1, x1),
                                   _mm_set1_epi32((int)k0));
                x1 = lo1;
                x2 = _mm_xor_si128(_mm_xor_si128(hi0, x3),
                                   _mm_set1_epi32((int)k1));
                x3 = lo0;
                k0 += PHILOX_W32_0;
                k1 += PHILOX_W32_1;
            }
            _mm_storeu_si128((__m128i *)&words[4 * b][j], x0);
            _mm_storeu_si128((__m128i *)&words[4 * b + 1][j], x1);
            _mm_storeu_si128((__m128i *)&words[4 * b + 2][j], x2);
            _mm_storeu_si128((__m128i *)&words[4 * b + 3][j], x3);
        }
}

__attribute__((target("avx2"))) static void
fill_avx2(sb__rng_block words, unsigned blocks, const lanes *l,
          uint64_t seed, uint32_t week)
{
    const __m256i m0 = _mm256_set1_epi32((int)PHILOX_M4x32_0);
    const __m256i m1 = _mm256_set1_epi32((int)PHILOX_M4x32_1);
    for (unsigned b = 0; b < blocks; b++)
        for (unsigned j = 0; j < SB_RNG_LANES; j += 8) {
            __m256i x0 = _mm256_loadu_si256((const __m256i *)&l->c0[j]);
            __m256i x1 = _mm256_loadu_si256((const __m256i *)&l->c1[j]);
            __m256i x2 = _mm256_set1_epi32((int)week);
            __m256i x3 = _mm256_set1_epi32((int)b);
            uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
            for (int r = 0; r < ROUNDS; r++) {
                __m256i e0 = _mm256_mul_epu32(x0, m0);
                __m256i o0 = _mm256_mul_epu32(_mm256_srli_epi64(x0, 32), m0);
                __m256i e1 = _mm256_mul_epu32(x2, m1);
                __m256i o1 = _mm256_mul_epu32(_mm256_srli_epi64(x2, 32), m1);
                __m256i lo0 = _mm256_blend_epi32(e0, _mm256_slli_epi64(o0, 32), 0xaa);
                __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(e0, 32), o0, 0xaa);
                __m256i lo1 = _mm256_blend_epi32(e1, _mm256_slli_epi64(o1, 32), 0xaa);
                __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(e1, 32), o1, 0xaa);
                x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1),
                                      _mm256_set1_epi32((int)k0));
                x1 = lo1;
                x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3),
                                      _mm256_set1_epi32((int)k1));
                x3 = lo0;
                k0 += PHILOX_W32_0;
                k1 += PHILOX_W32_1;
            }
            _mm256_storeu_si256((__m256i *)&words[4 * b][j], x0);
            _mm256_storeu_si256((__m256i *)&words[4 * b + 1][j], x1);
            _mm256_storeu_si256((__m256i *)&words[4 * b + 2][j], x2);
            _mm256_storeu_si256((__m256i *)&words[4 * b + 3][j], x3);
        }
}

/* One round on sixteen lanes' counters x[0..3]. */
__attribute__((target("avx512f"), always_inline)) static inline void
round_avx512(__m512i x[4], __m512i key0, __m512i key1)
{
    const __m512i m0 = _mm512_set1_epi32((int)PHILOX_M4x32_0);
    const __m512i m1 = _mm512_set1_epi32((int)PHILOX_M4x32_1);
    const __mmask16 odd = 0xaaaa;
    __m512i e0 = _mm512_mul_epu32(x[0], m0);
    __m512i o0 = _mm512_mul_epu32(_mm512_srli_epi64(x[0], 32), m0);
    __m512i e1 = _mm512_mul_epu32(x[2], m1);
    __m512i o1 = _mm512_mul_epu32(_mm512_srli_epi64(x[2], 32), m1);
    __m512i lo0 = _mm512_mask_blend_epi32(odd, e0, _mm512_slli_epi64(o0, 32));
    __m512i hi0 = _mm512_mask_blend_epi32(odd, _mm512_srli_epi64(e0, 32), o0);
    __m512i lo1 = _mm512_mask_blend_epi32(odd, e1, _mm512_slli_epi64(o1, 32));
    __m512i hi1 = _mm512_mask_blend_epi32(odd, _mm512_srli_epi64(e1, 32), o1);
    x[0] = _mm512_xor_si512(_mm512_xor_si512(hi1, x[1]), key0);
    x[1] = lo1;
    x[2] = _mm512_xor_si512(_mm512_xor_si512(hi0, x[3]), key1);
    x[3] = lo0;
}

/* The two halves of the lanes go through the rounds side by side: each
 * round's products wait on the last round, so two chains keep the
 * multiplier busy where one leaves it idle. */
__attribute__((target("avx512f"))) static void
fill_avx512(sb__rng_block words, unsigned blocks, const lanes *l,
            uint64_t seed, uint32_t week)
{
    _Static_assert(SB_RNG_LANES == 32, "two vectors of sixteen lanes");
    for (unsigned b = 0; b < blocks; b++) {
        __m512i x[2][4];
        for (int h = 0; h < 2; h++) {
            x[h][0] = _mm512_loadu_si512((const void *)&l->c0[16 * h]);
            x[h][1] = _mm512_loadu_si512((const void *)&l->c1[16 * h]);
            x[h][2] = _mm512_set1_epi32((int)week);
            x[h][3] = _mm512_set1_epi32((int)b);
        }
        uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
        for (int r = 0; r < ROUNDS; r++) {
            __m512i key0 = _mm512_set1_epi32((int)k0);
            __m512i key1 = _mm512_set1_epi32((int)k1);
            round_avx512(x[0], key0, key1);
            round_avx512(x[1], key0, key1);
            k0 += PHILOX_W32_0;
            k1 += PHILOX_W32_1;
        }
        for (int h = 0; h < 2; h++)
            for (int i = 0; i < 4; i++)
                _mm512_storeu_si512((void *)&words[4 * b + i][16 * h], x[h][i]);
    }
}

static int best_isa(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return SB_RNG_ISA_AVX512;
    if (__builtin_cpu_supports("avx2"))
        return SB_RNG_ISA_AVX2;
    return SB_RNG_ISA_SSE2;
}
#endif

int sb__rng_block_fill(sb__rng_block words, unsigned ahead, uint64_t seed,
                       uint64_t first, uint32_t phase, uint32_t week, int isa)
{
    unsigned blocks = ahead / 4;
    lanes l;
    lanes_of(&l, first, phase);
#ifdef SB_RNG_X86
    int best = best_isa();
    if (isa == SB_RNG_ISA_AUTO)
        isa = best;
    if (isa > best)
        return -1;
    switch (isa) {
    case SB_RNG_ISA_AVX512:
        fill_avx512(words, blocks, &l, seed, week);
        return isa;
    case SB_RNG_ISA_AVX2:
        fill_avx2(words, blocks, &l, seed, week);
        return isa;
    case SB_RNG_ISA_SSE2:
        fill_sse2(words, blocks, &l, seed, week);
        return isa;
    default:
        break;
    }
#else
    if (isa == SB_RNG_ISA_AUTO)
        isa = SB_RNG_ISA_C;
    if (isa != SB_RNG_ISA_C)
        return -1;
#endif
    fill_c(words, blocks, &l, seed, week);
    return SB_RNG_ISA_C;
}
