/*
 * securebase simulate: runs scenarios on a simulated population, prints the
 * comparison table and, with --out, writes summary.json, weekly.csv and
 * trajectories.csv.
 */
#include "cli/cli.h"
#include "cli/progress.h"

#include <securebase/fit.h>
#include <securebase/scenario.h>
#include <securebase/sim.h>
#include <securebase/sim_output.h>

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: securebase simulate [SCENARIO|SET|FILE ...] [options]\n\n"
            "Simulates how attachment anxiety and avoidance change week by\n"
            "week for each scenario (default: the set 'seed') and prints a\n"
            "comparison table. 'securebase scenarios' lists the built-ins.\n\n"
            "  -n, --persons N        simulated people per scenario (100000)\n"
            "  -w, --weeks T          weeks to simulate (default: the scenario's\n"
            "                         therapy start + length + follow-up)\n"
            "  -s, --seed S           random seed (1); same seed, same output\n"
            "  -j, --threads K        threads (default: all cores); results do\n"
            "                         not depend on it\n"
            "  -o, --out DIR          write summary.json and weekly.csv there\n"
            "  -t, --trajectories K   also write K sampled people's weekly paths\n"
            "                         to DIR/trajectories.csv (needs --out)\n"
            "  -P, --posterior FILE   draw each person's model parameters from a\n"
            "                         calibration's posterior.csv (by weight,\n"
            "                         the same for the same seed and person)\n"
            "  -h, --help             this help\n");
}

static void print_pct(double x)
{
    if (isfinite(x))
        printf(" %5.1f%%", 100 * x);
    else
        printf("    n/a");
}

/* A mean change and its Cohen's d in brackets, 12 wide; d is undefined
 * (NAN) when nobody varies at week 0, e.g. with one person. */
static void print_change(double mean, double d)
{
    if (isfinite(d))
        printf(" %+5.2f(%+4.1f)", mean, d);
    else
        printf(" %+5.2f( n/a)", mean);
}

static void print_table(const sb_sim_run *runs, size_t n)
{
    /* Widths match the rows below: 7 per share, 13 + 12 per change pair. */
    printf("%-28s%21s%25s%24s%7s%7s%7s%7s%15s\n", "", "share secure",
           "end of therapy", "follow-up", "proto", "", "sudden", "sudden",
           "stable secur.");
    printf("%-28s%7s%7s%7s%13s%12s%12s%12s%7s%7s%7s%7s%7s%8s\n", "scenario",
           "base", "end", "follow", "anxiety", "avoidance", "anxiety",
           "avoidance", "rev.", "setbck", "gain", "loss", "share", "median");
    for (size_t i = 0; i < n; i++) {
        const sb_sim_summary *s = sb_sim_get_summary(runs[i].result);
        printf("%-28.28s", runs[i].scenario->name);
        print_pct(s->secure_baseline);
        print_pct(s->secure_end);
        print_pct(s->secure_followup);
        putchar(' ');
        print_change(s->change_anxiety_end, s->d_anxiety_end);
        print_change(s->change_avoidance_end, s->d_avoidance_end);
        print_change(s->change_anxiety_followup, s->d_anxiety_followup);
        print_change(s->change_avoidance_followup, s->d_avoidance_followup);
        printf("  %5.2f", s->prototype_revision);
        print_pct(s->share_setback);
        print_pct(s->share_sudden_gain);
        print_pct(s->share_sudden_loss);
        print_pct(s->share_stable);
        if (isfinite(s->median_weeks_stable))
            printf(" %4.0f wk\n", s->median_weeks_stable);
        else
            printf("     n/a\n");
    }
    printf("\nChanges are mean differences from week 0 on the 1-7 scale, with "
           "Cohen's d in brackets.\nSetback, sudden gain and sudden loss: the share "
           "with at least one.\nSecure: anxiety and avoidance both below "
           "the cut-off. Stable security: the share of\nthose insecure at week "
           "0 who were secure for the stable period, and the median\nweek at "
           "which that period began. See docs/model.md.\n");
}

/* Room for DIR/NAME of every file written: checked before the runs, so a
 * long --out fails at once rather than after the simulation. */
#define OUT_PATH_MAX 4096
#define LONGEST_OUTPUT "/trajectories.csv"

typedef struct sim_args {
    sb_sim_options opt;
    const char *out_dir;
    const char *posterior;
} sim_args;

static int parse(int argc, char **argv, sim_args *a)
{
    static const struct option options[] = {
        {"persons", required_argument, NULL, 'n'},
        {"weeks", required_argument, NULL, 'w'},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'j'},
        {"out", required_argument, NULL, 'o'},
        {"trajectories", required_argument, NULL, 't'},
        {"posterior", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    long v;
    unsigned long long seed;
    int c, rc;
    sb_sim_options_default(&a->opt);
    a->out_dir = NULL;
    a->posterior = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:w:s:j:o:t:P:h", options, NULL)) != -1) {
        switch (c) {
        case 'n':
            if ((rc = sb_cli_parse_long("simulate", "--persons", optarg, 1,
                                        100000000L, &v)))
                return rc;
            a->opt.persons = (size_t)v;
            break;
        case 'w':
            if ((rc = sb_cli_parse_long("simulate", "--weeks", optarg, 1, 4160,
                                        &v)))
                return rc;
            a->opt.weeks = (int)v;
            break;
        case 's':
            if ((rc = sb_cli_parse_u64("simulate", "--seed", optarg, &seed)))
                return rc;
            if (seed > (unsigned long long)SB_SIM_OUTPUT_SEED_MAX)
                return sb_cli_usage_error(
                    "simulate", "--seed must be in 0..%lld (summary.json "
                    "records it), got %llu",
                    (long long)SB_SIM_OUTPUT_SEED_MAX, seed);
            a->opt.seed = seed;
            break;
        case 'j':
            if ((rc = sb_cli_parse_long("simulate", "--threads", optarg, 1, 1024,
                                        &v)))
                return rc;
            a->opt.threads = (int)v;
            break;
        case 'o':
            a->out_dir = optarg;
            break;
        case 'P':
            a->posterior = optarg;
            break;
        case 't':
            if ((rc = sb_cli_parse_long("simulate", "--trajectories", optarg, 0,
                                        100000, &v)))
                return rc;
            a->opt.trajectories = (size_t)v;
            break;
        case 'h':
            usage(stdout);
            return -1;
        default:
            usage(stderr);
            return SB_EXIT_USAGE;
        }
    }
    if (a->out_dir && strlen(a->out_dir) + sizeof LONGEST_OUTPUT > OUT_PATH_MAX)
        return sb_cli_usage_error("simulate",
                                  "--out: the directory's path is %zu bytes "
                                  "long; at most %zu are allowed",
                                  strlen(a->out_dir),
                                  OUT_PATH_MAX - sizeof LONGEST_OUTPUT);
    if (a->opt.trajectories && !a->out_dir)
        return sb_cli_usage_error("simulate",
                                  "--trajectories needs --out DIR to write to");
    return SB_EXIT_OK;
}

/* Resolves every argument into one list of scenarios (caller frees). */
static sb_status resolve_all(int argc, char **argv, sb_scenario **out,
                             size_t *count, sb_error *err)
{
    char *deflt[] = {"seed"};
    if (argc == 0) {
        argv = deflt;
        argc = 1;
    }
    sb_scenario *all = NULL;
    size_t n = 0;
    for (int i = 0; i < argc; i++) {
        sb_scenario *list;
        size_t k;
        sb_status st = sb_scenario_resolve(argv[i], &list, &k, err);
        if (st != SB_OK) {
            free(all);
            return st;
        }
        sb_scenario *grown = realloc(all, (n + k) * sizeof *all);
        if (!grown) {
            free(list);
            free(all);
            return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
        }
        all = grown;
        memcpy(all + n, list, k * sizeof *list);
        n += k;
        free(list);
    }
    *out = all;
    *count = n;
    return SB_OK;
}

static sb_status write_outputs(const char *dir, const sim_args *a,
                               const sb_sim_run *runs, size_t n, sb_error *err)
{
    char path[OUT_PATH_MAX];
    sb_status st = sb_mkdir_p(dir, 0755, err);
    sb_sim_run_info info = {a->opt.seed, a->opt.persons};
    if (st == SB_OK) {
        snprintf(path, sizeof path, "%s/summary.json", dir);
        st = sb_write_summary_json(path, &info, runs, n, err);
    }
    if (st == SB_OK) {
        snprintf(path, sizeof path, "%s/weekly.csv", dir);
        st = sb_write_weekly_csv(path, runs, n, err);
    }
    if (st == SB_OK && a->opt.trajectories) {
        snprintf(path, sizeof path, "%s/trajectories.csv", dir);
        st = sb_write_trajectories_csv(path, runs, n, err);
    }
    return st;
}

int sb_cli_simulate(int argc, char **argv)
{
    sim_args a;
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc < 0 ? SB_EXIT_OK : rc;
    sb_error err;
    sb_error_clear(&err);
    sb_scenario *scenarios = NULL;
    size_t n = 0;
    sb_status st = resolve_all(argc - optind, argv + optind, &scenarios, &n, &err);
    if (st != SB_OK) {
        sb_cli_report_error(&err);
        return sb_cli_input_exit_code(st);
    }
    sb_posterior *post = NULL;
    if (a.posterior && (st = sb_posterior_load(a.posterior, &post, &err))) {
        sb_cli_report_error(&err);
        free(scenarios);
        return sb_cli_input_exit_code(st);
    }
    sb_sim_run *runs = calloc(n, sizeof *runs);
    sb_sim_result **results = calloc(n, sizeof *results);
    if (!runs || !results) {
        free(runs);
        free(results);
        free(scenarios);
        sb_posterior_free(post);
        fprintf(stderr, "securebase: out of memory\n");
        return SB_EXIT_FAILURE;
    }
    printf("securebase simulate: %zu people per scenario, seed %llu",
           a.opt.persons, (unsigned long long)a.opt.seed);
    if (post)
        printf("; parameters drawn from %s (%zu particles)", a.posterior,
               sb_posterior_particles(post));
    printf("\n\n");
    for (size_t i = 0; i < n && st == SB_OK; i++) {
        sb_cli_progress bar;
        sb_cli_progress_init(&bar, scenarios[i].name);
        a.opt.progress = sb_cli_progress_update;
        a.opt.progress_ctx = &bar;
        sb_posterior_sets *sets = NULL;
        if (post)
            st = sb_posterior_attach(post, &scenarios[i].params, NULL, &a.opt,
                                     &sets, &err);
        if (st == SB_OK)
            st = sb_simulate(&scenarios[i], &a.opt, &results[i], &err);
        sb_posterior_sets_free(sets);
        runs[i].scenario = &scenarios[i];
        runs[i].result = results[i];
    }
    if (st == SB_OK) {
        print_table(runs, n);
        if (a.out_dir) {
            st = write_outputs(a.out_dir, &a, runs, n, &err);
            if (st == SB_OK)
                printf("\nWrote %s/summary.json and weekly.csv%s.\n", a.out_dir,
                       a.opt.trajectories ? " and trajectories.csv" : "");
        }
    }
    if (st != SB_OK)
        sb_cli_report_error(&err);
    for (size_t i = 0; i < n; i++)
        sb_sim_result_free(results[i]);
    free(results);
    free(runs);
    free(scenarios);
    sb_posterior_free(post);
    return sb_cli_exit_code(st);
}
