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

int main(int argc, char **argv)
{
    size_t persons = 1000000;
    int weeks = 520;
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
        } else {
            fprintf(stderr, "usage: bench_sim [--quick | --persons N]\n");
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
    printf("%-8s %12s %12s %7s %14s %14s %7s %9s %14s %7s\n", "threads",
           "model pw/s", "floor pw/s", "ratio", "model pw/cpu-s",
           "floor pw/cpu-s", "ratio", "draws/pw", "block pw/cpu-s", "ratio");
    double first = 0;
    uint32_t sink = 0;
    for (int threads = 1; threads <= 2; threads++) {
        sb_sim_options opt;
        sb_sim_options_default(&opt);
        opt.persons = persons;
        opt.weeks = weeks;
        opt.threads = threads;
        sb_sim_result *res;
        double t0 = now(), c0 = cpu_now();
        if (sb_simulate(&sc, &opt, &res, &err) != SB_OK) {
            fprintf(stderr, "bench_sim: %s\n", err.message);
            return 1;
        }
        double t_model = now() - t0, c_model = cpu_now() - c0;
        uint64_t draws = sb_sim_draws(res);
        sb_sim_result_free(res);
        uint64_t cells = (uint64_t)persons * (uint64_t)(weeks + burn);
        double c_floor;
        double t_floor = floor_loop(persons, weeks + burn, draws / cells,
                                    draws % cells, threads, &sink, &c_floor);
        double c_block;
        floor_block_loop(persons, weeks + burn, draws / cells, draws % cells,
                         threads, &sink, &c_block);
        double model = person_weeks / t_model, floor = person_weeks / t_floor;
        double model_cpu = person_weeks / c_model;
        double floor_cpu = person_weeks / c_floor;
        double block_cpu = person_weeks / c_block;
        printf("%-8d %12.4g %12.4g %7.3f %14.4g %14.4g %7.3f %9.1f %14.4g "
               "%7.3f\n",
               threads, model, floor, model / floor, model_cpu, floor_cpu,
               model_cpu / floor_cpu, (double)draws / person_weeks,
               block_cpu, model_cpu / block_cpu);
        if (threads == 1)
            first = model;
        else
            printf("scaling from 1 to 2 threads: x%.2f\n", model / first);
    }
    /* Keep the floor loop's work observable. */
    if (sink == 0x12345678u)
        printf(" \n");
    return 0;
}
