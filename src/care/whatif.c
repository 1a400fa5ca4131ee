/*
 * What-if projections: each plan is simulated on the same simulated people
 * who start at the person's latest scores, with the same random streams
 * (the model's streams are keyed by seed, person and week), so a plan and
 * keep differ only by what the plan changes. Differences from keep are
 * taken person by person, and their Monte-Carlo standard error is that of
 * a mean of paired differences.
 */
#include <securebase/whatif.h>

#include <securebase/sim.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_whatif_options_default(sb_whatif_options *o)
{
    memset(o, 0, sizeof *o);
    o->horizon_weeks[0] = 26;
    o->horizon_weeks[1] = 52;
    o->persons = 10000;
    o->seed = 1;
}

const char *const *sb_whatif_default_plans(void)
{
    static const char *const plans[] = {"keep", "therapy=weekly",
                                        "practice=3/week", "therapy=stop",
                                        NULL};
    return plans;
}

const char *const *sb_whatif_assumptions(void)
{
    static const char *const list[] = {
        "This is the output of a model, not a forecast: it shows what the "
        "simulator expects for people like this person under each plan, "
        "with the model's constants (the built-in defaults of "
        "docs/model.md, or each simulated person's own draw from a "
        "calibration's posterior when one is given), which describe "
        "groups of people, not this person.",
        "Every simulated person starts at the latest anxiety and avoidance "
        "scores, give or take the model's measurement error.",
        "Keep means the inputs of the last 12 weeks go on unchanged: the "
        "sessions scheduled and the share attended, reflections and "
        "practice a week, and the relationships that last to now.",
        "A plan's changes start now and last to the end; everything else "
        "(random stressful and good events, how plastic a person is) is "
        "the model's default for the general population.",
        "A supportive relationship is taken as responsive and predictable "
        "(0.75, 0.75 on the model's scales), a straining one as less so "
        "(0.3, 0.4); contacts and weight are the model's for its kind.",
        "The secure region is both anxiety and avoidance below the model's "
        "cutoff (4 on the 1-7 scale), on the true score without "
        "measurement error.",
        "Differences from keep compare the same simulated people with the "
        "same random events; the +/- is the Monte-Carlo standard error, "
        "which shrinks with more simulated people and says nothing about "
        "whether the model itself is right.",
        NULL};
    return list;
}

void sb_whatif_free(sb_whatif *w)
{
    for (size_t i = 0; i < SB_PLAN_MAX; i++)
        for (int d = 0; d < 2; d++)
            free(w->plans[i].median[d]);
    memset(w, 0, sizeof *w);
}

/* Each person's true scores at the horizons, kept for the differences. */
typedef struct paths {
    float *a[SB_WHATIF_HORIZONS], *v[SB_WHATIF_HORIZONS];
} paths;

static void paths_free(paths *p)
{
    for (int h = 0; h < SB_WHATIF_HORIZONS; h++) {
        free(p->a[h]);
        free(p->v[h]);
    }
}

typedef struct progress_share {
    const sb_whatif_options *o;
    size_t plan, plans;
} progress_share;

static void plan_progress(void *ctx, double done)
{
    progress_share *s = ctx;
    s->o->progress(s->o->progress_ctx,
                   ((double)s->plan + done) / (double)s->plans);
}

/* Mean and its standard error of x[0..n). */
static void mean_se(const double *x, size_t n, double *mean, double *se)
{
    double m = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    *mean = m;
    *se = n > 1 ? sqrt(ss / (double)(n - 1) / (double)n) : NAN;
}

/* The outcome of one plan at horizon h from its run and keep's people. */
static sb_status outcome(const sb_whatif *w, const sb_sim_result *res, int h,
                         const paths *keep, int is_keep, double cutoff,
                         sb_whatif_outcome *out, sb_error *err)
{
    int week = w->horizon_weeks[h];
    const sb_week_stats *ws = sb_sim_week(res, week);
    const sb_snapshot *snap = sb_sim_snapshot(res, week);
    size_t n = sb_sim_persons(res);
    double unit = (w->scale.max - w->scale.min) / (SB_SCALE_MAX - SB_SCALE_MIN);
    for (int q = 0; q < 5; q++) {
        out->pct[0][q] = sb_care_from_model(w->scale, ws->pct_anxiety[q]);
        out->pct[1][q] = sb_care_from_model(w->scale, ws->pct_avoidance[q]);
    }
    out->mean[0] = sb_care_from_model(w->scale, ws->mean_anxiety);
    out->mean[1] = sb_care_from_model(w->scale, ws->mean_avoidance);
    size_t secure = 0;
    for (size_t i = 0; i < n; i++)
        secure += snap[i].anxiety < cutoff && snap[i].avoidance < cutoff;
    out->secure = (double)secure / (double)n;
    out->secure_se = sqrt(out->secure * (1 - out->secure) / (double)n);
    out->diff_secure = out->diff_secure_se = NAN;
    out->diff_mean[0] = out->diff_mean[1] = NAN;
    out->diff_mean_se[0] = out->diff_mean_se[1] = NAN;
    if (is_keep)
        return SB_OK;
    double *d = malloc(n * sizeof *d);
    if (!d)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        d[i] = (double)(snap[i].anxiety < cutoff && snap[i].avoidance < cutoff) -
               (double)(keep->a[h][i] < cutoff && keep->v[h][i] < cutoff);
    mean_se(d, n, &out->diff_secure, &out->diff_secure_se);
    for (int dim = 0; dim < 2; dim++) {
        const float *k = dim ? keep->v[h] : keep->a[h];
        for (size_t i = 0; i < n; i++)
            d[i] = ((double)(dim ? snap[i].avoidance : snap[i].anxiety) -
                    (double)k[i]) * unit;
        mean_se(d, n, &out->diff_mean[dim], &out->diff_mean_se[dim]);
    }
    free(d);
    return SB_OK;
}

/* Runs plan i of w (inputs already applied) and fills its results; keep's
 * people are copied into `keep` when i is 0. */
static sb_status run_plan(sb_whatif *w, size_t i, const sb_whatif_options *o,
                          paths *keep, sb_error *err)
{
    sb_whatif_plan *wp = &w->plans[i];
    sb_scenario *sc = malloc(sizeof *sc);
    if (!sc)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    sb_care_scenario(&wp->inputs, sb_care_to_model(w->scale, w->start[0]),
                     sb_care_to_model(w->scale, w->start[1]), w->weeks, sc);
    sb_status st = sb_scenario_check(sc, err);
    if (st != SB_OK) {
        sb_error_prefix(err, "plan '%s': ", wp->plan.name);
        free(sc);
        return st;
    }
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.seed = w->seed;
    opt.persons = w->persons;
    opt.weeks = w->weeks;
    for (int h = 0; h < SB_WHATIF_HORIZONS; h++)
        opt.snapshot_weeks[opt.snapshot_count++] = w->horizon_weeks[h];
    progress_share share = {o, i, w->plan_count};
    if (o->progress) {
        opt.progress = plan_progress;
        opt.progress_ctx = &share;
    }
    /* The spread around the start is the person's measurement error, not
     * the population's, whatever the posterior says about proto_sd. */
    static const char *const keep_own[] = {"proto_sd", NULL};
    sb_posterior_sets *sets = NULL;
    if (o->posterior)
        st = sb_posterior_attach(o->posterior, &sc->params, keep_own, &opt,
                                 &sets, err);
    sb_sim_result *res = NULL;
    if (st == SB_OK)
        st = sb_simulate(sc, &opt, &res, err);
    sb_posterior_sets_free(sets);
    double cutoff = sc->params.secure_cutoff;
    free(sc);
    if (st != SB_OK)
        return st;
    size_t n = sb_sim_persons(res);
    for (int d = 0; d < 2 && st == SB_OK; d++) {
        wp->median[d] = malloc(((size_t)w->weeks + 1) * sizeof(double));
        if (!wp->median[d])
            st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
        for (int t = 0; wp->median[d] && t <= w->weeks; t++) {
            const sb_week_stats *ws = sb_sim_week(res, t);
            wp->median[d][t] = sb_care_from_model(
                w->scale, d ? ws->pct_avoidance[2] : ws->pct_anxiety[2]);
        }
    }
    for (int h = 0; h < SB_WHATIF_HORIZONS && st == SB_OK && i == 0; h++) {
        const sb_snapshot *snap = sb_sim_snapshot(res, w->horizon_weeks[h]);
        keep->a[h] = malloc(n * sizeof(float));
        keep->v[h] = malloc(n * sizeof(float));
        if (!keep->a[h] || !keep->v[h]) {
            st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        for (size_t k = 0; k < n; k++) {
            keep->a[h][k] = snap[k].anxiety;
            keep->v[h][k] = snap[k].avoidance;
        }
    }
    for (int h = 0; h < SB_WHATIF_HORIZONS && st == SB_OK; h++)
        st = outcome(w, res, h, keep, i == 0, cutoff, &wp->at[h], err);
    sb_sim_result_free(res);
    return st;
}

static sb_status check_options(const sb_whatif_options *o, sb_error *err)
{
    if (o->persons < 2 || o->persons > 10000000)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "what-if: %zu simulated people; give 2 to "
                            "10,000,000",
                            o->persons);
    for (int h = 0; h < SB_WHATIF_HORIZONS; h++)
        if (o->horizon_weeks[h] < 1 || o->horizon_weeks[h] > 520 ||
            (h && o->horizon_weeks[h] <= o->horizon_weeks[h - 1]))
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "what-if: horizon %d is %d weeks; the "
                                "horizons rise, within 1..520",
                                h + 1, o->horizon_weeks[h]);
    return SB_OK;
}

/* Keep first, then the other plans in the order given; names unique. */
static sb_status gather_plans(sb_whatif *w, const sb_plan *plans, size_t n,
                              sb_error *err)
{
    sb_plan_keep(&w->plans[0].plan);
    w->plan_count = 1;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(plans[i].name, "keep"))
            continue;
        for (size_t k = 0; k < w->plan_count; k++)
            if (!strcmp(w->plans[k].plan.name, plans[i].name))
                return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                    "plan '%s' is given twice; name the "
                                    "plans apart, as in NAME=CHANGES",
                                    plans[i].name);
        if (w->plan_count == SB_PLAN_MAX)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "%zu plans; at most %d are compared at once, "
                                "keep included",
                                n + 1, SB_PLAN_MAX);
        w->plans[w->plan_count++].plan = plans[i];
    }
    return SB_OK;
}

sb_status sb_whatif_run(const sb_care_series *series,
                        const sb_care_inputs *recorded, const sb_plan *plans,
                        size_t plan_count, const sb_whatif_options *o,
                        sb_whatif *w, sb_error *err)
{
    memset(w, 0, sizeof *w);
    if (!series->count || isnan(series->anxiety) || isnan(series->avoidance))
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "no questionnaire with anxiety and avoidance "
                            "scores is recorded, so a what-if has no "
                            "starting point");
    if (series->scale.max <= series->scale.min)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "the scale of %s is not known, so its scores "
                            "cannot be put on the model's scale",
                            series->instrument);
    sb_status st = check_options(o, err);
    if (st == SB_OK)
        st = gather_plans(w, plans, plan_count, err);
    if (st != SB_OK)
        return st;
    w->scale = series->scale;
    w->start[0] = series->anxiety;
    w->start[1] = series->avoidance;
    w->recorded = *recorded;
    memcpy(w->horizon_weeks, o->horizon_weeks, sizeof w->horizon_weeks);
    w->weeks = o->horizon_weeks[SB_WHATIF_HORIZONS - 1];
    w->persons = o->persons;
    w->seed = o->seed;
    w->posterior_particles =
        o->posterior ? sb_posterior_particles(o->posterior) : 0;
    sb_params k;
    sb_params_default(&k);
    w->secure_cutoff = sb_care_from_model(w->scale, k.secure_cutoff);
    for (size_t i = 0; i < w->plan_count && st == SB_OK; i++)
        st = sb_plan_apply(&w->plans[i].plan, recorded, &w->plans[i].inputs,
                           err);
    paths keep;
    memset(&keep, 0, sizeof keep);
    for (size_t i = 0; i < w->plan_count && st == SB_OK; i++)
        st = run_plan(w, i, o, &keep, err);
    paths_free(&keep);
    return st;
}
