/*
 * securebase calibrate: fits chosen model parameters to published facts by
 * ABC-SMC, on threads or, under mpirun, on MPI ranks (src/dist). Rank 0
 * prints and writes; every rank computes.
 */
#include "cli/cli.h"
#include "dist/dist.h"

#include <securebase/fit.h>
#include <securebase/fit_output.h>

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: securebase calibrate TARGETS [options]\n"
            "       mpirun -n K securebase calibrate TARGETS [options]\n\n"
            "Fits model parameters to published facts by approximate Bayesian\n"
            "computation (ABC-SMC). TARGETS is a calibration file (YAML; see\n"
            "docs/calibration.md) or a built-in one: 'v1-v9', the validation\n"
            "facts. Prints the posterior with credible intervals and checks\n"
            "every target, fitted and held out, against posterior predictive\n"
            "simulations. The same seed gives the same output for any number\n"
            "of threads or MPI ranks.\n\n"
            "  --params A,B,C      fit only these (each needs a prior in the file)\n"
            "  --particles N       particles per generation (200)\n"
            "  --generations G     populations, the first from the prior (6)\n"
            "  --persons P         simulated people per scenario and particle\n"
            "                      (default: the file's)\n"
            "  --seed S            random seed (1)\n"
            "  --quantile Q        next tolerance: this quantile of the last\n"
            "                      distances (0.5)\n"
            "  --kernel K          multivariate (default) or componentwise\n"
            "  --max-attempts M    proposals per particle before stopping (1000)\n"
            "  --quick             a small run for trying things out: 16\n"
            "                      particles, 3 generations, 300 people (each\n"
            "                      unless given)\n"
            "  -j, --threads K     threads (all cores); under MPI, per rank (1)\n"
            "  -o, --out DIR       write posterior.csv, generations.csv,\n"
            "                      predictive.csv, summary.json, medians.yaml\n"
            "  -h, --help          this help\n");
}

typedef struct cal_args {
    const char *file, *params, *out;
    sb_abc_options abc;
    long persons, threads;
    int quick, set_particles, set_generations;
} cal_args;

static int parse(int argc, char **argv, cal_args *a)
{
    enum { O_PARAMS = 1000, O_PARTICLES, O_GENERATIONS, O_PERSONS, O_SEED,
           O_QUANTILE, O_KERNEL, O_ATTEMPTS, O_QUICK };
    static const struct option options[] = {
        {"params", required_argument, NULL, O_PARAMS},
        {"particles", required_argument, NULL, O_PARTICLES},
        {"generations", required_argument, NULL, O_GENERATIONS},
        {"persons", required_argument, NULL, O_PERSONS},
        {"seed", required_argument, NULL, O_SEED},
        {"quantile", required_argument, NULL, O_QUANTILE},
        {"kernel", required_argument, NULL, O_KERNEL},
        {"max-attempts", required_argument, NULL, O_ATTEMPTS},
        {"quick", no_argument, NULL, O_QUICK},
        {"threads", required_argument, NULL, 'j'},
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    sb_abc_options_default(&a->abc);
    long v;
    unsigned long long seed;
    int c, rc;
    char *end;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:o:h", options, NULL)) != -1) {
        switch (c) {
        case O_PARAMS: a->params = optarg; break;
        case O_PARTICLES:
            if ((rc = sb__cli_parse_long("calibrate", "--particles", optarg, 2,
                                        100000, &v)))
                return rc;
            a->abc.particles = (size_t)v;
            a->set_particles = 1;
            break;
        case O_GENERATIONS:
            if ((rc = sb__cli_parse_long("calibrate", "--generations", optarg, 1,
                                        1000, &v)))
                return rc;
            a->abc.generations = (int)v;
            a->set_generations = 1;
            break;
        case O_PERSONS:
            if ((rc = sb__cli_parse_long("calibrate", "--persons", optarg, 10,
                                        10000000L, &a->persons)))
                return rc;
            break;
        case O_SEED:
            if ((rc = sb__cli_parse_u64("calibrate", "--seed", optarg, &seed)))
                return rc;
            a->abc.seed = seed;
            break;
        case O_QUANTILE:
            a->abc.quantile = strtod(optarg, &end);
            if (end == optarg || *end || !(a->abc.quantile > 0 &&
                                           a->abc.quantile < 1))
                return sb__cli_usage_error("calibrate",
                                          "--quantile expects a number between "
                                          "0 and 1, got '%s'",
                                          optarg);
            break;
        case O_KERNEL:
            if (!strcmp(optarg, "multivariate"))
                a->abc.kernel = SB_KERNEL_MULTIVARIATE;
            else if (!strcmp(optarg, "componentwise"))
                a->abc.kernel = SB_KERNEL_COMPONENTWISE;
            else
                return sb__cli_usage_error("calibrate",
                                          "--kernel is multivariate or "
                                          "componentwise, got '%s'",
                                          optarg);
            break;
        case O_ATTEMPTS:
            if ((rc = sb__cli_parse_long("calibrate", "--max-attempts", optarg, 1,
                                        1000000L, &v)))
                return rc;
            a->abc.max_attempts = (size_t)v;
            break;
        case O_QUICK: a->quick = 1; break;
        case 'j':
            if ((rc = sb__cli_parse_long("calibrate", "--threads", optarg, 1,
                                        1024, &a->threads)))
                return rc;
            break;
        case 'o': a->out = optarg; break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return SB_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return sb__cli_usage_error("calibrate",
                                  optind < argc ? "give one TARGETS file"
                                                : "give a TARGETS file (or "
                                                  "'v1-v9')");
    a->file = argv[optind];
    if (a->quick) {
        if (!a->set_particles)
            a->abc.particles = 16;
        if (!a->set_generations)
            a->abc.generations = 3;
        if (!a->persons)
            a->persons = 300;
    }
    return SB_EXIT_OK;
}

typedef struct progress {
    int print;
    struct timespec start;
} progress;

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static void on_generation(void *ctx, const sb_abc_generation *g)
{
    progress *p = ctx;
    if (!p->print)
        return;
    printf("generation %d: tolerance %-9.4g %zu particles from %zu "
           "simulations (%.1f%% accepted), ESS %.0f, %.1f s\n",
           g->index, g->epsilon, g->accepted, g->simulations,
           100.0 * (double)g->accepted / (double)(g->simulations ? g->simulations : 1),
           g->ess, seconds_since(&p->start));
    fflush(stdout);
}

static void print_results(const sb_calibration *cal, const sb_abc_result *res)
{
    printf("\nposterior (%zu particles, generation %d)\n", res->particles,
           res->generations - 1);
    printf("  %-22s %10s %10s %10s %21s\n", "parameter", "median", "mean",
           "sd", "95% credible interval");
    for (size_t j = 0; j < res->dim; j++) {
        sb_fit_param_summary s;
        sb_fit_param_summarize(res, j, &s);
        printf("  %-22s %10.4g %10.4g %10.4g   %9.4g .. %-9.4g\n",
               cal->param[j].info->name, s.median, s.mean, s.sd, s.q025,
               s.q975);
    }
    for (int fitted = 1; fitted >= 0; fitted--) {
        printf("\n%s targets: posterior predictive check\n",
               fitted ? "fitted" : "held-out");
        printf("  %-26s %9s %8s %10s %21s %7s\n", "target", "value", "sd",
               "predicted", "95% interval", "z");
        for (size_t k = 0; k < cal->target_count; k++) {
            const sb_target *t = &cal->target[k];
            if (t->fitted != fitted)
                continue;
            sb_fit_check ch;
            sb_fit_check_target(res, t, k, &ch);
            printf("  %-26s %9.4g %8.3g %10.4g   %9.4g .. %-9.4g %+5.1f%s\n",
                   t->id, t->value, t->sd, ch.mean, ch.q025, ch.q975, ch.z,
                   ch.consistent ? "" : "  !");
        }
    }
    printf("\n'!': the target is more than 2 combined SDs from its prediction.\n");
}

int sb__cli_calibrate(int argc, char **argv)
{
    cal_args a;
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc < 0 ? SB_EXIT_OK : rc;
    sb_error err;
    sb_error_clear(&err);
    sb_dist_world *dist;
    sb_status st = sb_dist_start(&argc, &argv, (int)a.threads, &dist, &err);
    if (st != SB_OK) {
        sb__cli_report_error(&err);
        return sb__cli_exit_code(st);
    }
    int lead = sb_dist_rank(dist) == 0;
    sb_calibration *cal = NULL;
    sb_abc_result *res = NULL;
    st = sb_calibration_load(a.file, &cal, &err);
    if (st == SB_OK && a.params)
        st = sb_calibration_select(cal, a.params, &err);
    if (st != SB_OK) {
        if (lead)
            sb__cli_report_error(&err);
        free(cal);
        sb_dist_finish(dist);
        return sb__cli_input_exit_code(st);
    }
    sb_calibration_run run = {cal, (size_t)a.persons, sb_dist_task_threads(dist)};
    sb_prior priors[SB_FIT_MAX_PARAMS];
    double observed[SB_FIT_MAX_TARGETS], scale[SB_FIT_MAX_TARGETS];
    unsigned char fitted[SB_FIT_MAX_TARGETS];
    sb_abc_problem pb;
    sb_calibration_problem(&run, priors, observed, scale, fitted, &pb);
    progress prog = {lead, {0, 0}};
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    a.abc.map = sb_dist_map;
    a.abc.map_ctx = dist;
    a.abc.progress = on_generation;
    a.abc.progress_ctx = &prog;
    size_t persons = a.persons ? (size_t)a.persons : cal->persons;
    if (lead) {
        printf("securebase calibrate: %s, %zu parameters, %zu targets; %zu "
               "particles, %d generations, %zu people per scenario, seed %llu; "
               "%d rank%s\n\n",
               cal->name, cal->param_count, cal->target_count,
               a.abc.particles, a.abc.generations, persons,
               (unsigned long long)a.abc.seed, sb_dist_size(dist),
               sb_dist_size(dist) == 1 ? "" : "s");
        fflush(stdout);
    }
    st = sb_abc_run(&pb, &a.abc, &res, &err);
    if (st == SB_OK && lead) {
        if (res->stopped_early)
            printf("\nstopped early: %s\n", res->why);
        double secs = seconds_since(&prog.start);
        size_t sims = 0;
        for (int g = 0; g < res->generations; g++)
            sims += res->generation[g].simulations;
        if (res->predictive)
            sims += res->particles;
        printf("%zu simulations in %.1f s: %.2f particle simulations per "
               "second\n",
               sims, secs, (double)sims / secs);
        print_results(cal, res);
        if (a.out) {
            sb_fit_run_info info = {a.abc.seed, persons, a.abc.particles,
                                    a.abc.generations,
                                    a.abc.kernel == SB_KERNEL_MULTIVARIATE
                                        ? "multivariate" : "componentwise"};
            st = sb_fit_write_outputs(a.out, cal, &info, res, &err);
            if (st == SB_OK)
                printf("\nWrote %s/posterior.csv, generations.csv, "
                       "predictive.csv, summary.json and medians.yaml.\n",
                       a.out);
        }
    }
    if (st != SB_OK && lead)
        sb__cli_report_error(&err);
    sb_abc_result_free(res);
    free(cal);
    sb_dist_finish(dist);
    return sb__cli_exit_code(st);
}
