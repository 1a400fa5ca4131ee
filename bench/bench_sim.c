/*
 * Simulator throughput: person-weeks per second for the all-factors
 * scenario on 1 and 2 threads, beside floor loops that only draw the same
 * count of random numbers from the same kind of streams. The ratio says how
 * much of the time goes to the model itself rather than to randomness.
 * Two floors: each person's stream computed alone, a Philox block at a time
 * (the simulator's way until it computed a block of people's words
 * together), and the block fill the simulator uses now (rng_block.c), each
 * person then taking their words from their own column.
 */
#include <securebase/scenario.h>
#include <securebase/sim.h>

#include "model/rng.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU time of the whole process, every thread: on a machine shared with
 * other work it moves less than wall time. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Words of person-week `cell` (person * weeks + week): `per_week`, and
 * one more for the first `rest` cells, so that persons * weeks * per_week
 * + rest words are drawn in all, as many as the simulator drew. */
static uint64_t words_of(uint64_t cell, uint64_t per_week, uint64_t rest)
{
    return per_week + (cell < rest ? 1 : 0);
}

/* Each person's stream alone, re-addressed each week as the simulator
 * does. */
static double floor_loop(size_t persons, int weeks, uint64_t per_week,
                         uint64_t rest, int threads, uint32_t *sink,
                         double *cpu)
{
    uint32_t acc = 0;
    double t0 = now(), c0 = cpu_now();
#pragma omp parallel for num_threads(threads) reduction(^ : acc) schedule(dynamic, 64)
    for (long i = 0; i < (long)persons; i++) {
        sb__rng r;
        sb__rng_init(&r, 1, (uint64_t)i, SB_RNG_WEEK, 0);
        for (int w = 0; w < weeks; w++) {
            sb__rng_week(&r, SB_RNG_WEEK, (uint32_t)w);
            uint64_t n = words_of((uint64_t)i * (uint64_t)weeks + (uint64_t)w,
                                  per_week, rest);
            for (uint64_t k = 0; k < n; k++)
                acc ^= sb__rng_u32(&r);
        }
    }
    double t = now() - t0;
    *cpu = cpu_now() - c0;
    *sink ^= acc;
    return t;
}

/* The same words through the block fill: a block of people's first words
 * of a week computed together, each person then drawing from their column
 * (and past it from their own stream). */
static double floor_block_loop(size_t persons, int weeks, uint64_t per_week,
                               uint64_t rest, int threads, uint32_t *sink,
                               double *cpu)
{
    uint32_t acc = 0;
    long blocks = (long)((persons + SB_RNG_LANES - 1) / SB_RNG_LANES);
    double t0 = now(), c0 = cpu_now();
#pragma omp parallel for num_threads(threads) reduction(^ : acc) schedule(dynamic, 2)
    for (long b = 0; b < blocks; b++) {
        size_t first = (size_t)b * SB_RNG_LANES;
        size_t count = persons - first < SB_RNG_LANES ? persons - first
                                                      : SB_RNG_LANES;
        sb__rng r[SB_RNG_LANES];
        sb__rng_block words;
        for (size_t j = 0; j < count; j++)
            sb__rng_init(&r[j], 1, first + j, SB_RNG_WEEK, 0);
        for (int w = 0; w < weeks; w++) {
            sb__rng_block_fill(words, SB_RNG_AHEAD, 1, first, SB_RNG_WEEK,
                               (uint32_t)w, SB_RNG_ISA_AUTO);
            for (size_t j = 0; j < count; j++) {
                sb__rng_week_from(&r[j], SB_RNG_WEEK, (uint32_t)w,
                                  &words[0][j], SB_RNG_AHEAD);
                uint64_t n = words_of((first + j) * (uint64_t)weeks +
                                          (uint64_t)w,
                                      per_week, rest);
                for (uint64_t k = 0; k < n; k++)
                    acc ^= sb__rng_u32(&r[j]);
            }
        }
    }
    double t = now() - t0;
    *cpu = cpu_now() - c0;
    *sink ^= acc;
    return t;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of n figures (n odd keeps it one of them). */
static double median(const double *v, int n)
{
    double sorted[64];
    memcpy(sorted, v, (size_t)n * sizeof *v);
    qsort(sorted, (size_t)n, sizeof *sorted, by_value);
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/* One round: the model, then both floors drawing as many words. Figures
 * in person-weeks per second (wall) and per CPU-second. */
typedef struct round_figures {
    double model, floor, model_cpu, floor_cpu, block_cpu, draws_pw;
} round_figures;

static int run_round(const sb_scenario *sc, size_t persons, int weeks,
                     int threads, uint32_t *sink, round_figures *f)
{
    int burn = (int)sc->params.burn_in_weeks;
    double person_weeks = (double)persons * (weeks + burn);
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.persons = persons;
    opt.weeks = weeks;
    opt.threads = threads;
    sb_sim_result *res;
    sb_error err;
    double t0 = now(), c0 = cpu_now();
    if (sb_simulate(sc, &opt, &res, &err) != SB_OK) {
        fprintf(stderr, "bench_sim: %s\n", err.message);
        return -1;
    }
    double t_model = now() - t0, c_model = cpu_now() - c0;
    uint64_t draws = sb_sim_draws(res);
    sb_sim_result_free(res);
    uint64_t cells = (uint64_t)persons * (uint64_t)(weeks + burn);
    double c_floor, c_block;
    double t_floor = floor_loop(persons, weeks + burn, draws / cells,
                                draws % cells, threads, sink, &c_floor);
    floor_block_loop(persons, weeks + burn, draws / cells, draws % cells,
                     threads, sink, &c_block);
    f->model = person_weeks / t_model;
    f->floor = person_weeks / t_floor;
    f->model_cpu = person_weeks / c_model;
    f->floor_cpu = person_weeks / c_floor;
    f->block_cpu = person_weeks / c_block;
    f->draws_pw = (double)draws / person_weeks;
    return 0;
}

int main(int argc, char **argv)
{
    size_t persons = 200000;
    int weeks = 520, rounds = 5, only_threads = 0; /* 0: both 1 and 2 */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            persons = 50000;
        else if (!strcmp(argv[i], "--persons") && i + 1 < argc) {
            char *end;
            unsigned long long n = strtoull(argv[++i], &end, 10);
            if (*end || n < 1 || n > 100000000ULL) {
                fprintf(stderr, "bench_sim: --persons must be 1..100000000, "
                                "got '%s'\n",
                        argv[i]);
                return 2;
            }
            persons = (size_t)n;
        } else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > 63) {
                fprintf(stderr, "bench_sim: --rounds must be 1..63, got '%s'\n",
                        argv[i]);
                return 2;
            }
            rounds = (int)n;
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "1") && strcmp(argv[i], "2")) {
                fprintf(stderr, "bench_sim: --threads must be 1 or 2, got '%s'\n",
                        argv[i]);
                return 2;
            }
            only_threads = atoi(argv[i]);
        } else {
            fprintf(stderr, "usage: bench_sim [--quick | --persons N] "
                            "[--rounds R] [--threads 1|2]\n");
            return 2;
        }
    }
    sb_scenario sc;
    sb_error err;
    if (sb_scenario_builtin("all-factors", &sc, &err) != SB_OK) {
        fprintf(stderr, "bench_sim: %s\n", err.message);
        return 1;
    }
    int burn = (int)sc.params.burn_in_weeks;
    double person_weeks = (double)persons * (weeks + burn);
    printf("simulator: all-factors, %zu people x %d weeks (+%d burn-in weeks)"
           " = %.3g person-weeks\n",
           persons, weeks, burn, person_weeks);
    printf("floor: each person's stream alone; block floor: the block fill "
           "the simulator uses\n");
    printf("medians of %d rounds, each the model then both floors; the "
           "ratios are medians of each round's own\n",
           rounds);
    printf("%-8s %12s %12s %7s %14s %14s %7s %9s %14s %7s\n", "threads",
           "model pw/s", "floor pw/s", "ratio", "model pw/cpu-s",
           "floor pw/cpu-s", "ratio", "draws/pw", "block pw/cpu-s", "ratio");
    double first = 0;
    uint32_t sink = 0;
    for (int threads = 1; threads <= 2; threads++) {
        if (only_threads && threads != only_threads)
            continue;
        double model[64], floor[64], ratio[64], model_cpu[64], floor_cpu[64],
            ratio_cpu[64], block_cpu[64], ratio_block[64], draws_pw = 0;
        for (int r = 0; r < rounds; r++) {
            round_figures f;
            if (run_round(&sc, persons, weeks, threads, &sink, &f) != 0)
                return 1;
            model[r] = f.model;
            floor[r] = f.floor;
            ratio[r] = f.model / f.floor;
            model_cpu[r] = f.model_cpu;
            floor_cpu[r] = f.floor_cpu;
            ratio_cpu[r] = f.model_cpu / f.floor_cpu;
            block_cpu[r] = f.block_cpu;
            ratio_block[r] = f.model_cpu / f.block_cpu;
            draws_pw = f.draws_pw; /* the same every round */
        }
        printf("%-8d %12.4g %12.4g %7.3f %14.4g %14.4g %7.3f %9.1f %14.4g "
               "%7.3f\n",
               threads, median(model, rounds), median(floor, rounds),
               median(ratio, rounds), median(model_cpu, rounds),
               median(floor_cpu, rounds), median(ratio_cpu, rounds), draws_pw,
               median(block_cpu, rounds), median(ratio_block, rounds));
        if (rounds > 1) {
            double lo = model_cpu[0], hi = model_cpu[0];
            for (int r = 1; r < rounds; r++) {
                lo = model_cpu[r] < lo ? model_cpu[r] : lo;
                hi = model_cpu[r] > hi ? model_cpu[r] : hi;
            }
            printf("%-8s model pw/cpu-s from %.4g to %.4g over the rounds\n",
                   "", lo, hi);
        }
        if (threads == 1)
            first = median(model, rounds);
        else if (!only_threads)
            printf("scaling from 1 to 2 threads: x%.2f\n",
                   median(model, rounds) / first);
    }
    /* Keep the floor loop's work observable. */
    if (sink == 0x12345678u)
        printf(" \n");
    return 0;
}
