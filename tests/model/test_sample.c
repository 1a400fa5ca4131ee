/*
 * Statistical tests of the samplers in src/model/sample.c and the streams
 * of src/model/rng.h. Seeds are fixed, so each test is deterministic; the
 * thresholds are those of a test at the 0.1% level.
 */
#include "support.h"

#include "model/sample.h"
#include "model/ziggurat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N 200000

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Kolmogorov-Smirnov statistic of a sample against a CDF. */
static double ks_statistic(double *x, size_t n, double (*cdf)(double))
{
    qsort(x, n, sizeof *x, cmp_double);
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double f = cdf(x[i]);
        double lo = f - (double)i / (double)n, hi = (double)(i + 1) / (double)n - f;
        d = fmax(d, fmax(lo, hi));
    }
    return d;
}

/* Critical KS value at alpha = 0.001. */
static double ks_critical(size_t n)
{
    return 1.949 / sqrt((double)n);
}

static double uniform_cdf(double x) { return x; }
static double normal_cdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }
static double exp2_cdf(double x) { return 1 - exp(-x / 2.0); }

static void streams_are_addressed_by_seed_person_and_week(void **state)
{
    (void)state;
    sb__rng a, b;
    sb__rng_init(&a, 42, 7, SB_RNG_WEEK, 3);
    sb__rng_init(&b, 42, 7, SB_RNG_WEEK, 3);
    assert_int_equal(sb__rng_draws(&a), 0);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(sb__rng_u32(&a), sb__rng_u32(&b));
        assert_int_equal(sb__rng_draws(&a), i + 1); /* words, not blocks */
    }
    /* Another person, week, phase or seed gives another stream. */
    uint32_t first[5];
    sb__rng r[5];
    sb__rng_init(&r[0], 42, 7, SB_RNG_WEEK, 3);
    sb__rng_init(&r[1], 42, 8, SB_RNG_WEEK, 3);
    sb__rng_init(&r[2], 42, 7, SB_RNG_WEEK, 4);
    sb__rng_init(&r[3], 42, 7, SB_RNG_INIT, 3);
    sb__rng_init(&r[4], 43, 7, SB_RNG_WEEK, 3);
    for (int i = 0; i < 5; i++)
        first[i] = sb__rng_u32(&r[i]);
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++)
            assert_int_not_equal(first[i], first[j]);
    /* Moving to a week restarts exactly that week's stream. */
    sb__rng_week(&a, SB_RNG_WEEK, 4);
    assert_int_equal(sb__rng_u32(&a), first[2]);
    assert_int_equal(sb__rng_draws(&a), 11); /* the count survives the move */
}

/* The constant ziggurat tables are those of Marsaglia & Tsang's recurrence. */
static void ziggurat_tables_follow_the_recurrence(void **state)
{
    (void)state;
    double dn = SB_ZIG_R, tn = dn, vn = 9.91256303526217e-3, m1 = 2147483648.0;
    double q = vn / exp(-0.5 * dn * dn);
    assert_int_equal(sb__zig_k[0], (uint32_t)((dn / q) * m1));
    assert_int_equal(sb__zig_k[1], 0);
    assert_near(sb__zig_w[0], q / m1, 1e-25);
    assert_near(sb__zig_w[127], dn / m1, 1e-25);
    assert_near(sb__zig_f[0], 1.0, 0);
    for (int i = 126; i >= 1; i--) {
        dn = sqrt(-2.0 * log(vn / dn + exp(-0.5 * dn * dn)));
        assert_int_equal(sb__zig_k[i + 1], (uint32_t)((dn / tn) * m1));
        tn = dn;
        assert_near(sb__zig_f[i], exp(-0.5 * dn * dn), 1e-15);
        assert_near(sb__zig_w[i], dn / m1, 1e-24);
    }
}

/* The fast path's forms of the tables are the same numbers, to the bit. */
static void ziggurat_fast_tables_match(void **state)
{
    (void)state;
    for (int i = 0; i < 128; i++) {
        assert_int_equal(sb__zig_k25[i], sb__zig_k[i] >> 7);
        assert_true(sb__zig_w25[i] == sb__zig_w[i] * 128.0);
    }
}

/* The block's first comparisons (normal_block.c), by every instruction set
 * the processor has, are sb__sample_normal_fast's, word by word: the same
 * normals to the bit where it accepts, and a lane marked all fast exactly
 * when it accepts every row. Rows of words from the block fill, and rows
 * made to hit every layer and both ends of the positions. */
static void normal_block_is_the_first_comparison(void **state)
{
    (void)state;
    static sb__rng_block words;
    static const int isas[] = {SB_RNG_ISA_C, SB_RNG_ISA_AVX2};
    int tried = 0;
    for (int round = 0; round < 40; round++) {
        sb__rng_block_fill(words, SB_RNG_AHEAD, 7 + (uint64_t)round,
                           (uint64_t)round * SB_RNG_LANES, SB_RNG_WEEK, 3,
                           SB_RNG_ISA_AUTO);
        if (round >= 20) /* layer round % 128 ... with extreme positions */
            for (unsigned i = 0; i < SB_RNG_AHEAD; i++)
                for (unsigned j = 0; j < SB_RNG_LANES; j++) {
                    uint32_t layer = (uint32_t)(round * 37 + i * 5 + j) & 127u;
                    uint32_t top = (i + j) % 3 == 0   ? 0u
                                   : (i + j) % 3 == 1 ? 0x1ffffffu
                                                      : words[i][j] >> 7;
                    words[i][j] = top << 7 | layer;
                }
        for (size_t k = 0; k < sizeof isas / sizeof *isas; k++) {
            double z[SB_RNG_AHEAD][SB_RNG_LANES];
            int32_t fast[SB_RNG_LANES];
            unsigned rows = 1 + (unsigned)round % 8;
            int used = sb__normal_block(words, rows, z, fast, isas[k]);
            if (used < 0)
                continue;
            assert_int_equal(used, isas[k]);
            tried++;
            for (unsigned j = 0; j < SB_RNG_LANES; j++) {
                int all = 1;
                for (unsigned i = 0; i < rows; i++) {
                    double want;
                    if (!sb__sample_normal_fast(words[i][j], &want)) {
                        all = 0;
                        continue;
                    }
                    assert_memory_equal(&z[i][j], &want, sizeof want);
                }
                assert_int_equal(fast[j] != 0, all);
            }
        }
    }
    assert_true(tried >= 40);
}

/* A stream whose next word is w (a column of one word, then its own
 * Philox blocks). */
static void rng_with_word(sb__rng *r, uint32_t *column, uint32_t w)
{
    sb__rng_init(r, 5, 0, SB_RNG_TEST, 0);
    column[0] = w;
    r->next = column;
    r->end = column + SB_RNG_LANES;
}

/* A Poisson table's draw compares words with its entries' least exceeding
 * words: the count is the sequential search's on the word's uniform, for
 * words on both sides of every entry's bound and words at random. */
static void poisson_table_counts_as_the_uniform_would(void **state)
{
    (void)state;
    static const double means[] = {0.01, 0.3, 1.5, 2, 5, 9.99};
    uint32_t column[SB_RNG_LANES];
    sb__rng words;
    sb__rng_init(&words, 11, 0, SB_RNG_TEST, 1);
    for (size_t m = 0; m < sizeof means / sizeof *means; m++) {
        sb__poisson_table t;
        sb__poisson_table_init(&t, means[m]);
        assert_true(t.size > 0);
        for (long c = -2 * t.size; c < 4000; c++) {
            uint32_t w;
            if (c < 0) { /* just below or at an entry's bound */
                uint64_t at = t.above[(-c - 1) / 2];
                if (at > 0xffffffffu)
                    continue;
                w = (uint32_t)at - (uint32_t)((-c) & 1);
            } else {
                w = sb__rng_u32(&words);
            }
            double u = sb__rng_uniform_of(w);
            unsigned want = 0;
            while ((int)want < t.size && u > t.cdf[want])
                want++;
            if ((int)want == t.size)
                want = sb__poisson_invert(u, t.lambda, t.exp_neg);
            sb__rng r;
            rng_with_word(&r, column, w);
            assert_int_equal(sb__sample_poisson_table(&r, &t), want);
        }
    }
}

static void normal_tails_have_the_right_mass(void **state)
{
    (void)state;
    /* Beyond the ziggurat's base (|x| > 3.4426): mass 5.76e-4; beyond 2:
     * 0.0455. 2,000,000 draws. */
    sb__rng r;
    sb__rng_init(&r, 12, 0, SB_RNG_TEST, 0);
    size_t far = 0, two = 0, n = 2000000;
    for (size_t i = 0; i < n; i++) {
        double x = fabs(sb__sample_normal(&r));
        far += x > SB_ZIG_R;
        two += x > 2.0;
    }
    double p_far = erfc(SB_ZIG_R / sqrt(2.0)), p_two = erfc(2.0 / sqrt(2.0));
    assert_true(fabs(far - n * p_far) < 3.3 * sqrt(n * p_far));
    assert_true(fabs(two - n * p_two) < 3.3 * sqrt(n * p_two));
}

static void uniform_is_uniform_on_open_interval(void **state)
{
    (void)state;
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    sb__rng r;
    sb__rng_init(&r, 1, 0, SB_RNG_TEST, 0);
    for (size_t i = 0; i < N; i++) {
        x[i] = sb__rng_uniform(&r);
        assert_true(x[i] > 0 && x[i] < 1);
    }
    assert_true(ks_statistic(x, N, uniform_cdf) < ks_critical(N));
    free(x);
}

static void normal_matches_standard_normal(void **state)
{
    (void)state;
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    sb__rng r;
    sb__rng_init(&r, 2, 0, SB_RNG_TEST, 0);
    double sum = 0, sum2 = 0;
    for (size_t i = 0; i < N; i++) {
        x[i] = sb__sample_normal(&r);
        sum += x[i];
        sum2 += x[i] * x[i];
    }
    double mean = sum / N, var = sum2 / N - mean * mean;
    assert_true(fabs(mean) < 3.3 / sqrt(N));
    assert_true(fabs(var - 1) < 3.3 * sqrt(2.0 / N));
    assert_true(ks_statistic(x, N, normal_cdf) < ks_critical(N));
    free(x);
}

static void exponential_matches_its_cdf(void **state)
{
    (void)state;
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    sb__rng r;
    sb__rng_init(&r, 3, 0, SB_RNG_TEST, 0);
    for (size_t i = 0; i < N; i++) {
        x[i] = sb__sample_exponential(&r, 2.0);
        assert_true(x[i] > 0);
    }
    assert_true(ks_statistic(x, N, exp2_cdf) < ks_critical(N));
    free(x);
}

/* Chi-square goodness of fit of Poisson draws: cells are pooled from the
 * left until each expects at least 5; the last cell takes the whole upper
 * tail. Returns statistic / critical value at alpha 0.001. */
static double poisson_fit(double lambda, unsigned seed)
{
    enum { CELLS = 400 };
    static size_t count[CELLS];
    for (int i = 0; i < CELLS; i++)
        count[i] = 0;
    sb__rng r;
    sb__rng_init(&r, seed, 0, SB_RNG_TEST, 0);
    for (size_t i = 0; i < N; i++) {
        unsigned k = sb__sample_poisson(&r, lambda);
        count[k < CELLS ? k : CELLS - 1]++;
    }
    double chi = 0, cell_e = 0, cell_o = 0, seen_e = 0, seen_o = 0;
    int cells = 0;
    double logp = -lambda; /* log pmf(0) */
    for (int k = 0; k < CELLS; k++) {
        if (k > 0)
            logp += log(lambda) - log((double)k);
        cell_e += N * exp(logp);
        cell_o += (double)count[k];
        /* Close a cell when it expects 5 and enough is left for the tail. */
        if (cell_e >= 5 && N - seen_e - cell_e >= 5) {
            chi += (cell_o - cell_e) * (cell_o - cell_e) / cell_e;
            cells++;
            seen_e += cell_e;
            seen_o += cell_o;
            cell_e = cell_o = 0;
        }
    }
    double tail_e = N - seen_e, tail_o = N - seen_o;
    chi += (tail_o - tail_e) * (tail_o - tail_e) / tail_e;
    cells++;
    int df = cells - 1;
    /* Wilson-Hilferty approximation of the chi-square 99.9% quantile. */
    double z = 3.09, h = 2.0 / (9.0 * df);
    double crit = df * pow(1 - h + z * sqrt(h), 3);
    return chi / crit;
}

static void poisson_fits_its_pmf_for_small_and_large_means(void **state)
{
    (void)state;
    const double lambdas[] = {0.05, 0.5, 3.0, 9.99, 10.0, 25.0, 150.0};
    for (size_t i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++) {
        double ratio = poisson_fit(lambdas[i], 10 + (unsigned)i);
        if (ratio >= 1)
            print_error("lambda %g: chi-square / critical = %g\n", lambdas[i],
                        ratio);
        assert_true(ratio < 1);
    }
    sb__rng r;
    sb__rng_init(&r, 9, 0, SB_RNG_TEST, 0);
    assert_int_equal(sb__sample_poisson(&r, 0), 0);
    assert_int_equal(sb__sample_poisson(&r, -1), 0);
}

static void truncated_normal_stays_inside_and_has_the_right_mean(void **state)
{
    (void)state;
    sb_dist d = {0.3, 0.15, 0.0, 1.0};
    sb__rng r;
    sb__rng_init(&r, 4, 0, SB_RNG_TEST, 0);
    double sum = 0;
    for (size_t i = 0; i < N; i++) {
        double x = sb__sample_dist(&r, &d);
        assert_true(x >= 0 && x <= 1);
        sum += x;
    }
    /* Mean of N(0.3, 0.15) truncated to [0, 1]: 0.3 + 0.15 * (phi(-2) -
     * phi(4.667)) / (Phi(4.667) - Phi(-2)) = 0.30828. */
    assert_true(fabs(sum / N - 0.30828) < 0.002);
    /* A degenerate distribution is its mean. */
    sb_dist fixed = {0.5, 0, 0, 1};
    assert_true(sb__sample_dist(&r, &fixed) == 0.5);
}

/* The CDF of the standard normal truncated to [trunc_a, trunc_b]. */
static double trunc_a, trunc_b;
static double truncated_cdf(double x)
{
    double lo = normal_cdf(trunc_a);
    return (normal_cdf(x) - lo) / (normal_cdf(trunc_b) - lo);
}

/* Intervals with little mass, where plain resampling would take thousands
 * of draws: a far tail (both sides), a long one beyond 4 SD, a short one
 * around the mean, and one 90 SD out, all fit their exact CDF. */
static void truncated_normal_is_exact_where_the_mass_is_small(void **state)
{
    (void)state;
    const double cases[][2] = {{3, 3.5}, {-3.5, -3}, {4, 40}, {-0.1, 0.2},
                               {2.2, 2.3}, {0.5, 9}};
    double *x = malloc(N * sizeof *x);
    sb__rng r;
    sb__rng_init(&r, 11, 0, SB_RNG_TEST, 0);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        sb_dist d = {1.0, 0.5, 1.0 + 0.5 * cases[c][0], 1.0 + 0.5 * cases[c][1]};
        for (size_t i = 0; i < N; i++) {
            double v = sb__sample_dist(&r, &d);
            assert_true(v >= d.min && v <= d.max);
            x[i] = (v - 1.0) / 0.5;
        }
        trunc_a = cases[c][0];
        trunc_b = cases[c][1];
        double ks = ks_statistic(x, N, truncated_cdf);
        if (ks >= ks_critical(N))
            print_error("[%g, %g]: KS %g\n", trunc_a, trunc_b, ks);
        assert_true(ks < ks_critical(N));
    }
    /* 90 SD out: every draw inside, near the lower end (mean 90.011) */
    sb_dist far = {0.0, 0.01, 0.9, 1.0};
    double sum = 0;
    for (size_t i = 0; i < 1000; i++) {
        double v = sb__sample_dist(&r, &far);
        assert_true(v >= 0.9 && v <= 1.0);
        sum += v;
    }
    assert_true(fabs(sum / 1000 - 0.9001111) < 0.00002);
    free(x);
}

static void categorical_matches_its_probabilities(void **state)
{
    (void)state;
    const double p[4] = {0.59, 0.11, 0.25, 0.05};
    size_t count[4] = {0, 0, 0, 0};
    sb__rng r;
    sb__rng_init(&r, 5, 0, SB_RNG_TEST, 0);
    for (size_t i = 0; i < N; i++)
        count[sb__sample_categorical(&r, p, 4)]++;
    double chi = 0;
    for (int k = 0; k < 4; k++) {
        double e = N * p[k];
        chi += (count[k] - e) * (count[k] - e) / e;
    }
    assert_true(chi < 16.27); /* chi-square(3) at 0.001 */
}

static void bernoulli_edges_and_rate(void **state)
{
    (void)state;
    sb__rng r;
    sb__rng_init(&r, 6, 0, SB_RNG_TEST, 0);
    size_t ones = 0;
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(sb__sample_bernoulli(&r, 0.0), 0);
        assert_int_equal(sb__sample_bernoulli(&r, 1.0), 1);
        ones += (size_t)sb__sample_bernoulli(&r, 0.3);
    }
    assert_true(fabs((double)ones / N - 0.3) < 3.3 * sqrt(0.21 / N));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(streams_are_addressed_by_seed_person_and_week),
        cmocka_unit_test(ziggurat_tables_follow_the_recurrence),
        cmocka_unit_test(ziggurat_fast_tables_match),
        cmocka_unit_test(normal_block_is_the_first_comparison),
        cmocka_unit_test(poisson_table_counts_as_the_uniform_would),
        cmocka_unit_test(normal_tails_have_the_right_mass),
        cmocka_unit_test(uniform_is_uniform_on_open_interval),
        cmocka_unit_test(normal_matches_standard_normal),
        cmocka_unit_test(exponential_matches_its_cdf),
        cmocka_unit_test(poisson_fits_its_pmf_for_small_and_large_means),
        cmocka_unit_test(truncated_normal_stays_inside_and_has_the_right_mean),
        cmocka_unit_test(truncated_normal_is_exact_where_the_mass_is_small),
        cmocka_unit_test(categorical_matches_its_probabilities),
        cmocka_unit_test(bernoulli_edges_and_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
