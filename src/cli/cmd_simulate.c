/*
 * securebase simulate: runs scenarios on a simulated population, prints the
 * comparison table and, with --out, writes summary.json, weekly.csv,
 * trajectories.csv and a fan chart per scenario.
 */
#include "cli/cli.h"
#include "cli/progress.h"

#include "base/buf.h"

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
            "                         to DIR/trajectories.csv (needs --out;\n"
            "                         at most --persons)\n"
            "  -P, --posterior FILE   draw each person's model parameters from a\n"
            "                         calibration's posterior.csv (by weight,\n"
            "                         the same for the same seed and person)\n"
            "  -p, --plot             also draw a fan chart per scenario,\n"
            "                         DIR/SCENARIO.svg: share secure, and mean\n"
            "                         anxiety and avoidance with their 10-90%%\n"
            "                         spread, week by week (needs --out)\n"
            "  -W, --wide             the table with Cohen's d and the prototype\n"
            "                         revision (wider than 100 columns)\n"
            "  -q, --quiet            no progress bar (drawn only on a terminal)\n"
            "  -h, --help             this help\n");
}

/* The table: the name column, then columns of 6 characters ("  29.1",
 * " -1.48"); --wide adds Cohen's d to every change and the prototype
 * revision. Without --wide it fits 100 columns. */
#define NAME_WIDTH_MAX 28
#define CELL 6

static void put_pct(double x)
{
    if (isfinite(x))
        printf(" %5.1f", 100 * x);
    else
        printf("   n/a");
}

/* A mean change, and with --wide its Cohen's d in brackets; d is undefined
 * (NAN) when nobody varies at week 0, e.g. with one person. */
static void put_change(double mean, double d, int wide)
{
    printf(" %+5.2f", fabs(mean) < 0.005 ? 0.0 : mean); /* never "-0.00" */
    if (!wide)
        return;
    if (isfinite(d))
        printf("(%+4.1f)", fabs(d) < 0.05 ? 0.0 : d);
    else
        printf("( n/a)");
}

/* `text` centred over `width` columns between dashes, so that a group's
 * columns are seen together; blank when `text` is NULL. */
static void put_group(const char *text, int width)
{
    if (!text) {
        printf("%*s", width, "");
        return;
    }
    int dashes = width - 1 - ((int)strlen(text) + 2);
    int left = dashes / 2;
    putchar(' ');
    for (int i = 0; i < left; i++)
        putchar('-');
    printf(" %s ", text);
    for (int i = left; i < dashes; i++)
        putchar('-');
}

static void print_table(const sb_sim_run *runs, size_t n, int wide)
{
    int name_w = 8;
    for (size_t i = 0; i < n; i++) {
        int len = (int)strlen(runs[i].scenario->name);
        if (len > name_w)
            name_w = len > NAME_WIDTH_MAX ? NAME_WIDTH_MAX : len;
    }
    int change_w = wide ? CELL + 6 : CELL;
    int proto_w = wide ? CELL + 1 : 0;
    /* Three header lines: the changes' group, the groups, the columns. */
    printf("%-*s", name_w, "");
    put_group(NULL, 3 * CELL);
    put_group("change since week 0", 4 * change_w);
    printf("\n%-*s", name_w, "");
    put_group("secure (%)", 3 * CELL);
    put_group("end", 2 * change_w);
    put_group("f-up", 2 * change_w);
    if (wide)
        printf("%*s", proto_w, "proto");
    put_group("with one (%)", 3 * CELL);
    put_group("stable", 2 * CELL);
    printf("\n%-*s%*s%*s%*s", name_w, "scenario", CELL, "base", CELL, "end",
           CELL, "f-up");
    for (int k = 0; k < 2; k++)
        printf("%*s%*s", change_w, wide ? "anx  (d)" : "anx", change_w,
               wide ? "avoid  (d)" : "avoid");
    if (wide)
        printf("%*s", proto_w, "rev.");
    printf("%*s%*s%*s%*s%*s\n", CELL, "setbk", CELL, "gain", CELL, "loss",
           CELL, "share", CELL, "week");
    for (size_t i = 0; i < n; i++) {
        const sb_sim_summary *s = sb_sim_get_summary(runs[i].result);
        const char *name = runs[i].scenario->name;
        if ((int)strlen(name) > name_w)
            printf("%.*s~", name_w - 1, name);
        else
            printf("%-*s", name_w, name);
        put_pct(s->secure_baseline);
        put_pct(s->secure_end);
        put_pct(s->secure_followup);
        put_change(s->change_anxiety_end, s->d_anxiety_end, wide);
        put_change(s->change_avoidance_end, s->d_avoidance_end, wide);
        put_change(s->change_anxiety_followup, s->d_anxiety_followup, wide);
        put_change(s->change_avoidance_followup, s->d_avoidance_followup, wide);
        if (wide)
            printf("%*.2f", proto_w, s->prototype_revision);
        put_pct(s->share_setback);
        put_pct(s->share_sudden_gain);
        put_pct(s->share_sudden_loss);
        put_pct(s->share_stable);
        if (isfinite(s->median_weeks_stable))
            printf(" %5.0f\n", s->median_weeks_stable);
        else
            printf("   n/a\n");
    }
    /* What every header means; each line fits 100 columns. */
    printf("\n"
           "secure (%%)     base: week 0, end: the end of therapy, f-up: the "
           "end of the follow-up; the share\n"
           "               secure there (anxiety and avoidance both below the "
           "cut-off)\n"
           "change ...     anx: anxiety, avoid: avoidance; the mean change "
           "since week 0 on the 1-7 scale,\n"
           "               at the end of therapy and of the follow-up; below "
           "0 is toward security\n");
    if (wide)
        printf("(d)            Cohen's d: the change divided by the SD at week "
               "0\n"
               "proto rev.     prototype revision: the mean distance the inner "
               "working model moved\n");
    printf("with one (%%)   setbk: setback, over the whole run; gain: sudden "
           "gain, loss: sudden loss, over\n"
           "               the therapy course only, session by session on the "
           "observed composite by the\n"
           "               rule of 'securebase change --sudden' (weekly over "
           "the course's weeks without\n"
           "               therapy); the share with at least one\n"
           "stable         share: of those insecure at week 0, the share "
           "secure for stable_weeks in a row\n"
           "               (26 by default); week: the median week at which "
           "that period began\n"
           "%sDefinitions: docs/model.md.\n",
           wide ? "" : "--wide adds Cohen's d to each change and the "
                       "prototype revision. ");
}

/* Room for DIR/NAME of every file written: checked before the runs, so a
 * long --out fails at once rather than after the simulation. A fan chart
 * is named after its scenario, at most SB_NAME_MAX - 1 bytes. */
#define OUT_PATH_MAX 4096
#define LONGEST_TABLE sizeof "/trajectories.csv"
#define LONGEST_CHART (sizeof "/.svg" + SB_NAME_MAX - 1)

typedef struct sim_args {
    sb_sim_options opt;
    const char *out_dir;
    const char *posterior;
    int plot, wide, quiet;
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
        {"plot", no_argument, NULL, 'p'},
        {"wide", no_argument, NULL, 'W'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    long v;
    unsigned long long seed;
    int c, rc;
    sb_sim_options_default(&a->opt);
    a->out_dir = NULL;
    a->posterior = NULL;
    a->plot = a->wide = a->quiet = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:w:s:j:o:t:P:pWqh", options, NULL)) !=
           -1) {
        switch (c) {
        case 'n':
            if ((rc = sb__cli_parse_long("simulate", "--persons", optarg, 1,
                                         100000000L, &v)))
                return rc;
            a->opt.persons = (size_t)v;
            break;
        case 'w':
            if ((rc = sb__cli_parse_long("simulate", "--weeks", optarg, 1, 4160,
                                         &v)))
                return rc;
            a->opt.weeks = (int)v;
            break;
        case 's':
            if ((rc = sb__cli_parse_u64("simulate", "--seed", optarg, &seed)))
                return rc;
            if (seed > (unsigned long long)SB_SIM_OUTPUT_SEED_MAX)
                return sb__cli_usage_error(
                    "simulate", "--seed must be in 0..%lld (summary.json "
                    "records it), got %llu",
                    (long long)SB_SIM_OUTPUT_SEED_MAX, seed);
            a->opt.seed = seed;
            break;
        case 'j':
            if ((rc = sb__cli_parse_long("simulate", "--threads", optarg, 1, 1024,
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
            if ((rc = sb__cli_parse_long("simulate", "--trajectories", optarg, 0,
                                         100000, &v)))
                return rc;
            a->opt.trajectories = (size_t)v;
            break;
        case 'p':
            a->plot = 1;
            break;
        case 'W':
            a->wide = 1;
            break;
        case 'q':
            a->quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return -1;
        default:
            usage(stderr);
            return SB_EXIT_USAGE;
        }
    }
    size_t longest = a->plot && LONGEST_CHART > LONGEST_TABLE ? LONGEST_CHART
                                                              : LONGEST_TABLE;
    if (a->out_dir && strlen(a->out_dir) + longest > OUT_PATH_MAX)
        return sb__cli_usage_error("simulate",
                                   "--out: the directory's path is %zu bytes "
                                   "long; at most %zu are allowed",
                                   strlen(a->out_dir), OUT_PATH_MAX - longest);
    if (a->opt.trajectories && !a->out_dir)
        return sb__cli_usage_error("simulate",
                                   "--trajectories needs --out DIR to write to");
    /* Refused rather than cut: the file would hold fewer paths than asked. */
    if (a->opt.trajectories > a->opt.persons)
        return sb__cli_usage_error("simulate",
                                   "--trajectories %zu is more than the %zu "
                                   "simulated people (--persons); ask for at "
                                   "most %zu",
                                   a->opt.trajectories, a->opt.persons,
                                   a->opt.persons);
    if (a->plot && !a->out_dir)
        return sb__cli_usage_error("simulate",
                                   "--plot needs --out DIR to write the charts "
                                   "to");
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
    size_t n = 0, cap = 0;
    for (int i = 0; i < argc; i++) {
        sb_scenario *list;
        size_t k;
        sb_status st = sb_scenario_resolve(argv[i], &list, &k, err);
        if (st != SB_OK) {
            free(all);
            return st;
        }
        sb_scenario *grown = sb__grow(all, &cap, n + k, sizeof *all);
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
    static const char *const tables[] = {"summary.json", "weekly.csv",
                                         "trajectories.csv"};
    size_t ntables = a->opt.trajectories ? 3 : 2;
    size_t nfiles = ntables + (a->plot ? n : 0);
    char (*path)[OUT_PATH_MAX] = calloc(nfiles, sizeof *path);
    if (!path)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    sb_status st = sb_mkdir_p(dir, 0755, err);
    /* Every target is checked before the first is written: a refused one
     * must not leave the others of this run beside old files. */
    for (size_t i = 0; i < nfiles && st == SB_OK; i++) {
        if (i < ntables)
            snprintf(path[i], sizeof path[i], "%s/%s", dir, tables[i]);
        else
            snprintf(path[i], sizeof path[i], "%s/%s.svg", dir,
                     runs[i - ntables].scenario->name);
        sb__cli_remove_on_signal(path[i]);
        st = sb_atomic_check(path[i], err);
    }
    sb_sim_run_info info = {a->opt.seed, a->opt.persons};
    if (st == SB_OK)
        st = sb_write_summary_json(path[0], &info, runs, n, err);
    if (st == SB_OK)
        st = sb_write_weekly_csv(path[1], runs, n, err);
    if (st == SB_OK && ntables == 3)
        st = sb_write_trajectories_csv(path[2], runs, n, err);
    for (size_t i = 0; st == SB_OK && a->plot && i < n; i++)
        st = sb_write_fan_chart(path[ntables + i], &runs[i], err);
    free(path);
    return st;
}

int sb__cli_simulate(int argc, char **argv)
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
        sb__cli_report_error(&err);
        return sb__cli_input_exit_code(st);
    }
    sb_posterior *post = NULL;
    if (a.posterior && (st = sb_posterior_load(a.posterior, &post, &err))) {
        sb__cli_report_error(&err);
        free(scenarios);
        return sb__cli_input_exit_code(st);
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
        sb__cli_progress bar;
        sb__cli_progress_init(&bar, scenarios[i].name, a.quiet);
        a.opt.progress = sb__cli_progress_update;
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
        print_table(runs, n, a.wide);
        if (a.out_dir) {
            st = write_outputs(a.out_dir, &a, runs, n, &err);
            if (st == SB_OK)
                printf("\nWrote %s/summary.json, weekly.csv%s%s.\n", a.out_dir,
                       a.opt.trajectories ? ", trajectories.csv" : "",
                       a.plot ? " and a fan chart per scenario (SCENARIO.svg)"
                              : "");
        }
    }
    if (st != SB_OK)
        sb__cli_report_error(&err);
    for (size_t i = 0; i < n; i++)
        sb_sim_result_free(results[i]);
    free(results);
    free(runs);
    free(scenarios);
    sb_posterior_free(post);
    return sb__cli_exit_code(st);
}
