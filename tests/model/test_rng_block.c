/*
 * The block fill of src/model/rng_block.c: for every instruction set the
 * processor has, the words computed for a block of people are the words
 * each person's own stream gives one at a time, and a stream that starts a
 * week from a block's column goes on past it as the plain stream does.
 */
#include "support.h"

#include "model/rng.h"

#include <stdio.h>

static const int isas[] = {SB_RNG_ISA_C, SB_RNG_ISA_SSE2, SB_RNG_ISA_AVX2,
                           SB_RNG_ISA_AVX512};
static const char *isa_names[] = {"auto", "C", "SSE2", "AVX2", "AVX-512"};

/* Seeds with both halves of the key in use, people on both sides of 2^32
 * (the counter's second word), phases and weeks. */
static const struct {
    uint64_t seed, first;
    uint32_t phase, week;
} cases[] = {
    {1, 0, SB_RNG_WEEK, 0},
    {42, 1000, SB_RNG_WEEK, 1039},
    {0xfedcba9876543210ull, 4294967296ull - 7, SB_RNG_INIT, 77},
    {0xffffffffffffffffull, 123456789, SB_RNG_TEST, 0xffffffffu},
};

static void block_words_are_each_persons_stream(void **state)
{
    (void)state;
    static sb__rng_block words;
    int tried = 0;
    for (size_t k = 0; k < sizeof isas / sizeof *isas; k++)
        for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
            int used = sb__rng_block_fill(words, SB_RNG_AHEAD, cases[c].seed, cases[c].first,
                                          cases[c].phase, cases[c].week,
                                          isas[k]);
            if (used < 0) {
                if (c == 0)
                    printf("# %s: not on this processor, skipped\n",
                           isa_names[isas[k]]);
                continue;
            }
            assert_int_equal(used, isas[k]);
            tried++;
            for (unsigned j = 0; j < SB_RNG_LANES; j++) {
                sb__rng r;
                sb__rng_init(&r, cases[c].seed, cases[c].first + j,
                             cases[c].phase, cases[c].week);
                for (unsigned i = 0; i < SB_RNG_AHEAD; i++)
                    assert_int_equal(words[i][j], sb__rng_u32(&r));
            }
        }
    assert_true(tried >= 4); /* the portable version at least */
    /* The default choice is one of them, with the same words. */
    static sb__rng_block best;
    int used = sb__rng_block_fill(best, SB_RNG_AHEAD, 9, 64, SB_RNG_WEEK, 5, SB_RNG_ISA_AUTO);
    assert_true(used >= SB_RNG_ISA_C);
    assert_int_equal(sb__rng_block_fill(words, SB_RNG_AHEAD, 9, 64,
                                        SB_RNG_WEEK, 5, SB_RNG_ISA_C),
                     SB_RNG_ISA_C);
    assert_memory_equal(best, words, sizeof words);
}

/* For a block filled with `ahead` words. */
static void week_from_column(unsigned ahead)
{
    static sb__rng_block words;
    sb__rng_block_fill(words, ahead, 3, 96, SB_RNG_WEEK, 11, SB_RNG_ISA_AUTO);
    for (unsigned j = 0; j < SB_RNG_LANES; j += 5) {
        sb__rng a, b;
        /* Both streams have drawn from another phase before. */
        sb__rng_init(&a, 3, 96 + j, SB_RNG_INIT, 0);
        sb__rng_init(&b, 3, 96 + j, SB_RNG_INIT, 0);
        for (unsigned i = 0; i < j + 1; i++) {
            sb__rng_u32(&a);
            sb__rng_u32(&b);
        }
        sb__rng_week(&a, SB_RNG_WEEK, 11);
        sb__rng_week_from(&b, SB_RNG_WEEK, 11, &words[0][j], ahead);
        assert_int_equal(sb__rng_draws(&a), sb__rng_draws(&b));
        for (unsigned i = 0; i < 3 * SB_RNG_AHEAD + 3; i++) {
            assert_int_equal(sb__rng_u32(&a), sb__rng_u32(&b));
            assert_int_equal(sb__rng_draws(&a), sb__rng_draws(&b));
        }
        /* and the next week is the plain stream's again */
        sb__rng_week(&a, SB_RNG_WEEK, 12);
        sb__rng_week(&b, SB_RNG_WEEK, 12);
        assert_int_equal(sb__rng_draws(&a), sb__rng_draws(&b));
        assert_int_equal(sb__rng_u32(&a), sb__rng_u32(&b));
    }
}

static void a_week_from_a_column_goes_on_as_the_stream(void **state)
{
    (void)state;
    for (unsigned ahead = 0; ahead <= SB_RNG_AHEAD; ahead += 4)
        week_from_column(ahead);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(block_words_are_each_persons_stream),
        cmocka_unit_test(a_week_from_a_column_goes_on_as_the_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
