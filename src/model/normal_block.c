/*
 * The ziggurat's first comparison (sb__sample_normal_fast) for the first
 * rows of a block's random words, every person of the block at once: the
 * week's first words of every person are normals (their true and observed
 * scores), and about 97% of normals end at that comparison. The words are
 * the block fill's (rng_block.c), one person to a column, so a row is a
 * vector's worth of people. The normal of a word is an exact integer times
 * a tabulated width, so every instruction set gives the same numbers; the
 * portable C version is the reference that tests/model/test_sample.c
 * compares the others with.
 */
#include "model/sample.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SB_NORMAL_X86 1
#include <immintrin.h>
#endif

static void rows_c(sb__rng_block words, unsigned rows,
                   double z[][SB_RNG_LANES], int32_t *all_fast)
{
    for (unsigned j = 0; j < SB_RNG_LANES; j++)
        all_fast[j] = -1;
    for (unsigned i = 0; i < rows; i++)
        for (unsigned j = 0; j < SB_RNG_LANES; j++)
            if (!sb__sample_normal_fast(words[i][j], &z[i][j]))
                all_fast[j] = 0;
}

#ifdef SB_NORMAL_X86
/* Eight people at a time: the layer is the word's low 7 bits, the
 * position its high 25 bits less 2^24, accepted when its magnitude is
 * below the layer's bound. */
__attribute__((target("avx2"))) static void
rows_avx2(sb__rng_block words, unsigned rows, double z[][SB_RNG_LANES],
          int32_t *all_fast)
{
    const __m256i low7 = _mm256_set1_epi32(127);
    const __m256i half = _mm256_set1_epi32(1 << 24);
    for (unsigned j = 0; j < SB_RNG_LANES; j += 8) {
        __m256i fast = _mm256_set1_epi32(-1);
        for (unsigned i = 0; i < rows; i++) {
            __m256i u = _mm256_loadu_si256((const __m256i *)&words[i][j]);
            __m256i layer = _mm256_and_si256(u, low7);
            __m256i pos = _mm256_sub_epi32(_mm256_srli_epi32(u, 7), half);
            __m256i bound = _mm256_i32gather_epi32((const int *)sb__zig_k25,
                                                   layer, 4);
            fast = _mm256_and_si256(
                fast, _mm256_cmpgt_epi32(bound, _mm256_abs_epi32(pos)));
            __m128i lo = _mm256_castsi256_si128(layer);
            __m128i hi = _mm256_extracti128_si256(layer, 1);
            __m256d w_lo = _mm256_i32gather_pd(sb__zig_w25, lo, 8);
            __m256d w_hi = _mm256_i32gather_pd(sb__zig_w25, hi, 8);
            __m256d p_lo = _mm256_cvtepi32_pd(_mm256_castsi256_si128(pos));
            __m256d p_hi = _mm256_cvtepi32_pd(_mm256_extracti128_si256(pos, 1));
            _mm256_storeu_pd(&z[i][j], _mm256_mul_pd(p_lo, w_lo));
            _mm256_storeu_pd(&z[i][j + 4], _mm256_mul_pd(p_hi, w_hi));
        }
        _mm256_storeu_si256((__m256i *)&all_fast[j], fast);
    }
}
#endif

int sb__normal_block(sb__rng_block words, unsigned rows,
                     double z[][SB_RNG_LANES], int32_t *all_fast, int isa)
{
#ifdef SB_NORMAL_X86
    __builtin_cpu_init();
    int best = __builtin_cpu_supports("avx2") ? SB_RNG_ISA_AVX2 : SB_RNG_ISA_C;
#else
    int best = SB_RNG_ISA_C;
#endif
    if (isa == SB_RNG_ISA_AUTO)
        isa = best;
    if (isa != SB_RNG_ISA_C && isa != best)
        return -1;
#ifdef SB_NORMAL_X86
    if (isa == SB_RNG_ISA_AVX2) {
        rows_avx2(words, rows, z, all_fast);
        return isa;
    }
#endif
    rows_c(words, rows, z, all_fast);
    return SB_RNG_ISA_C;
}
