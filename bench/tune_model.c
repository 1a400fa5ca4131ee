/*
 * The search that derived the model's defaults: runs the validation checks
 * V1-V9 with chosen parameter values and, with --search, a coordinate search
 * that moves one parameter at a time to where the smallest margin of any
 * check is largest. Same seed, same people in every evaluation (common
 * random numbers), so the search is reproducible and its steps are not
 * noise. docs/validation.md gives the command that produced the defaults.
 *
 *   tune_model [-n N] [-s SEED] [-j K] [-r ROUNDS] [-g POINTS]
 *              [NAME=VALUE | NAME=LO:HI ...]
 *
 * NAME is any parameter of `securebase params`. NAME=VALUE sets it;
 * NAME=LO:HI sets it to the middle of its range and, with -r, lets the
 * search move it within [LO, HI]. Without -r the checks are run once and
 * printed.
 */
#include <securebase/scenario.h>
#include <securebase/validate.h>

#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FREE 32

typedef struct free_param {
    const sb_param_info *info;
    double lo, hi;
} free_param;

typedef struct tuner {
    sb_scenario general, therapy;
    size_t persons;
    uint64_t seed;
    int threads;
    free_param free[MAX_FREE];
    size_t free_count;
} tuner;

/*
 * Population rates that are not model constants but are searched with
 * them: the mean of a distribution whose SD is kept at 0.75 of the mean
 * (the shape of the default stress rate, 2 +- 1.5). `which`: 1 the general
 * population, 2 the therapy scenario, 3 both.
 */
typedef struct rate_param {
    sb_param_info info;
    int which;
} rate_param;

static const rate_param rates[] = {
    {{"positive_per_year", offsetof(sb_population, positive_per_year), 0, 20,
      "a year", "good life events a year", "", 0}, 3},
    {{"stress_per_year", offsetof(sb_population, stress_per_year), 0, 20,
      "a year", "stressful events a year, general population", "", 0}, 1},
    {{"clinical_stress_per_year", offsetof(sb_population, stress_per_year), 0,
      20, "a year", "stressful events a year, clinical population", "", 0},
     2},
};
#define RATES (sizeof rates / sizeof rates[0])

static const rate_param *rate_of(const sb_param_info *info)
{
    for (size_t i = 0; i < RATES; i++)
        if (info == &rates[i].info)
            return &rates[i];
    return NULL;
}

static double *slot(sb_scenario *sc, const sb_param_info *info)
{
    if (rate_of(info))
        return (double *)((char *)&sc->population + info->offset);
    return (double *)((char *)&sc->params + info->offset);
}

/* The value as the general scenario has it (the therapy one for a rate of
 * the therapy scenario alone). */
static double get(const tuner *t, const sb_param_info *info)
{
    const rate_param *r = rate_of(info);
    return *slot((sb_scenario *)(r && r->which == 2 ? &t->therapy
                                                   : &t->general),
                 info);
}

static void set(tuner *t, const sb_param_info *info, double v)
{
    const rate_param *r = rate_of(info);
    sb_scenario *both[2] = {&t->general, &t->therapy};
    for (int i = 0; i < 2; i++) {
        if (r && !(r->which & (1 << i)))
            continue;
        *slot(both[i], info) = v;
        if (r) {
            sb_dist *d = (sb_dist *)slot(both[i], info);
            d->sd = 0.75 * v;
            d->min = 0;
            d->max = 20;
        }
    }
}

/* The objective: the smallest margin, then (for ties and to move within a
 * plateau) a small share of the mean of the margins, each capped at 0.5. */
static double score(const sb_validation *v)
{
    double least = INFINITY, sum = 0;
    for (int i = 0; i < SB_VALIDATE_CHECKS; i++) {
        least = fmin(least, v->checks[i].margin);
        sum += fmin(v->checks[i].margin, 0.5);
    }
    return least + 0.01 * sum / SB_VALIDATE_CHECKS;
}

static int evaluate(tuner *t, sb_validation *v, double *out)
{
    sb_error err;
    sb_status st = sb_scenario_check(&t->general, &err);
    sb_validate_options opt;
    sb_validate_options_default(&opt);
    opt.persons = t->persons;
    opt.seed = t->seed;
    opt.threads = t->threads;
    if (st == SB_OK)
        st = sb_validate(&t->general, &t->therapy, &opt, v, &err);
    if (st != SB_OK) {
        fprintf(stderr, "tune_model: %s\n", err.message);
        return -1;
    }
    *out = score(v);
    return 0;
}

static void print_checks(const sb_validation *v)
{
    for (int i = 0; i < SB_VALIDATE_CHECKS; i++) {
        const sb_check *c = &v->checks[i];
        printf("%-3s %s %+6.2f  %s\n", c->id, c->pass ? "pass" : "FAIL",
               c->margin, c->simulated);
    }
}

static void print_values(const tuner *t)
{
    printf("model:\n");
    for (size_t i = 0; i < t->free_count; i++)
        printf("  %s: %.4g\n", t->free[i].info->name,
               get(t, t->free[i].info));
}

/*
 * Coordinate search: each round tries, for every free parameter in turn,
 * `points` values evenly spread over a window around its current value
 * (the whole range in the first round, then a window that halves each
 * round) and keeps the best.
 */
static int search(tuner *t, int rounds, int points)
{
    sb_validation v;
    double best;
    if (evaluate(t, &v, &best))
        return -1;
    printf("start: score %+.3f\n", best);
    double width = 1.0;
    for (int r = 0; r < rounds; r++, width /= 2) {
        for (size_t i = 0; i < t->free_count; i++) {
            free_param *f = &t->free[i];
            double cur = get(t, f->info);
            double span = (f->hi - f->lo) * width;
            double lo = fmax(f->lo, cur - span / 2);
            double hi = fmin(f->hi, cur + span / 2);
            double keep = cur;
            for (int k = 0; k < points; k++) {
                double x = lo + (hi - lo) * k / (points - 1);
                if (f->info->whole)
                    x = round(x);
                if (x == cur)
                    continue;
                set(t, f->info, x);
                double s;
                if (evaluate(t, &v, &s))
                    return -1;
                if (s > best) {
                    best = s;
                    keep = x;
                }
            }
            set(t, f->info, keep);
            printf("round %d: %s = %.4g, score %+.3f\n", r + 1, f->info->name,
                   keep, best);
            fflush(stdout);
        }
    }
    return 0;
}

static int add_setting(tuner *t, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char name[64];
    if (!eq || (size_t)(eq - arg) >= sizeof name) {
        fprintf(stderr, "tune_model: expected NAME=VALUE or NAME=LO:HI, got "
                        "'%s'\n", arg);
        return -1;
    }
    memcpy(name, arg, (size_t)(eq - arg));
    name[eq - arg] = '\0';
    const sb_param_info *info = sb_params_find(name);
    for (size_t i = 0; i < RATES; i++)
        if (!strcmp(name, rates[i].info.name))
            info = &rates[i].info;
    if (!info) {
        fprintf(stderr, "tune_model: no parameter is named '%s'\n", name);
        return -1;
    }
    char *end;
    double lo = strtod(eq + 1, &end), hi = lo;
    if (*end == ':')
        hi = strtod(end + 1, &end);
    if (*end || !(lo >= info->min && hi <= info->max && lo <= hi)) {
        fprintf(stderr, "tune_model: %s: '%s' is not a value or range within "
                        "%g..%g\n", name, eq + 1, info->min, info->max);
        return -1;
    }
    if (hi > lo) {
        if (t->free_count == MAX_FREE) {
            fprintf(stderr, "tune_model: at most %d free parameters\n",
                    MAX_FREE);
            return -1;
        }
        t->free[t->free_count++] = (free_param){info, lo, hi};
        /* a range starts from the default when it lies inside */
        double now = get(t, info);
        set(t, info, now >= lo && now <= hi ? now : (lo + hi) / 2);
    } else {
        set(t, info, lo);
    }
    return 0;
}

int main(int argc, char **argv)
{
    static tuner t;
    sb_error err;
    if (sb_scenario_builtin("general-population", &t.general, &err) != SB_OK ||
        sb_scenario_builtin("therapy-only", &t.therapy, &err) != SB_OK) {
        fprintf(stderr, "tune_model: %s\n", err.message);
        return 1;
    }
    t.persons = 6000;
    t.seed = 1;
    int rounds = 0, points = 5, c;
    while ((c = getopt(argc, argv, "n:s:j:r:g:")) != -1) {
        switch (c) {
        case 'n': t.persons = (size_t)atol(optarg); break;
        case 's': t.seed = strtoull(optarg, NULL, 10); break;
        case 'j': t.threads = atoi(optarg); break;
        case 'r': rounds = atoi(optarg); break;
        case 'g': points = atoi(optarg); break;
        default:
            fprintf(stderr, "usage: tune_model [-n N] [-s SEED] [-j K] "
                            "[-r ROUNDS] [-g POINTS] [NAME=VALUE|NAME=LO:HI "
                            "...]\n");
            return 2;
        }
    }
    if (t.persons < 100 || points < 2) {
        fprintf(stderr, "tune_model: -n needs 100 or more, -g 2 or more\n");
        return 2;
    }
    for (int i = optind; i < argc; i++)
        if (add_setting(&t, argv[i]))
            return 2;
    if (rounds > 0 && search(&t, rounds, points))
        return 1;
    sb_validation v;
    double s;
    if (evaluate(&t, &v, &s))
        return 1;
    printf("%d of %d pass, score %+.3f (%zu people, seed %llu)\n", v.passed,
           SB_VALIDATE_CHECKS, s, t.persons, (unsigned long long)t.seed);
    print_checks(&v);
    if (t.free_count)
        print_values(&t);
    return 0;
}
