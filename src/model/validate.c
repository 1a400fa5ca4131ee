/*
 * The validation checks V1-V7 of docs/validation.md: each simulates what a
 * published study measured, the way it measured it (observed scores with
 * measurement error where the study used questionnaires), and compares.
 */
#include <securebase/validate.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Improvement that counts as "improved" in the dose-response check: a
 * quarter of a population SD of the composite (assumption; Howard et al.
 * 1986 counted improvement as rated by patients and clinicians). */
#define DOSE_IMPROVEMENT 0.25

/* V1-V4 follow the general population for a decade. */
#define GENERAL_WEEKS 520

static double correlation(const sb_snapshot *x, const sb_snapshot *y,
                          size_t n, int dim)
{
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        double a = dim ? x[i].obs_avoidance : x[i].obs_anxiety;
        double b = dim ? y[i].obs_avoidance : y[i].obs_anxiety;
        sx += a;
        sy += b;
        sxx += a * a;
        syy += b * b;
        sxy += a * b;
    }
    double nn = (double)n;
    double cov = sxy - sx * sy / nn;
    double vx = sxx - sx * sx / nn, vy = syy - sy * sy / nn;
    return vx > 0 && vy > 0 ? cov / sqrt(vx * vy) : NAN;
}

static int secure_obs(const sb_snapshot *s, double cutoff)
{
    return s->obs_anxiety < cutoff && s->obs_avoidance < cutoff;
}

/* Share keeping their observed category between two snapshots, overall,
 * among the secure and among the insecure at the first. */
static void stability(const sb_snapshot *x, const sb_snapshot *y, size_t n,
                      double cutoff, double *all, double *sec, double *insec)
{
    size_t keep = 0, ns = 0, ks = 0, ni = 0, ki = 0;
    for (size_t i = 0; i < n; i++) {
        int a = secure_obs(&x[i], cutoff), b = secure_obs(&y[i], cutoff);
        keep += a == b;
        if (a) {
            ns++;
            ks += b;
        } else {
            ni++;
            ki += !b;
        }
    }
    *all = (double)keep / (double)n;
    *sec = ns ? (double)ks / (double)ns : NAN;
    *insec = ni ? (double)ki / (double)ni : NAN;
}

/* A check starts as passing; each condition that does not hold clears it
 * and says why. */
static void set_check(sb_check *c, const char *id, const char *fact,
                      const char *target, const char *source)
{
    c->id = id;
    c->fact = fact;
    c->target = target;
    c->source = source;
    c->simulated[0] = '\0';
    c->miss[0] = '\0';
    c->pass = 1;
}

/* Unless `ok`, the check fails and the reason is added to what it missed. */
static void holds(sb_check *c, int ok, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void holds(sb_check *c, int ok, const char *fmt, ...)
{
    if (ok)
        return;
    c->pass = 0;
    size_t n = strlen(c->miss);
    if (n && n + 2 < sizeof c->miss) {
        memcpy(c->miss + n, "; ", 3);
        n += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->miss + n, sizeof c->miss - n, fmt, ap);
    va_end(ap);
}

/* A figure that must lie in [lo, hi]: how far outside it is when it does
 * not. A share (`share` 1) is given in percent and its distance in
 * percentage points. */
static void in_band(sb_check *c, const char *what, double x, double lo,
                    double hi, int share)
{
    double k = share ? 100 : 1;
    const char *unit = share ? "%" : "";
    const char *dist = share ? " points" : "";
    int dp = share ? 1 : 2;
    if (isnan(x))
        holds(c, 0, "%s is not defined", what);
    else if (x < lo)
        holds(c, 0, "%s %.*f%s is %.*f%s below %.*g%s", what, dp, k * x, unit,
              dp, k * (lo - x), dist, 3, k * lo, unit);
    else if (x > hi)
        holds(c, 0, "%s %.*f%s is %.*f%s above %.*g%s", what, dp, k * x, unit,
              dp, k * (x - hi), dist, 3, k * hi, unit);
}

/* Both runs use the caller's size, seed and threads; progress is reported
 * as a share of the whole validation, the run being [from, from + span). */
typedef struct stage {
    const sb_validate_options *opt;
    double from, span;
} stage;

static void stage_progress(void *ctx, double done)
{
    const stage *s = ctx;
    s->opt->progress(s->opt->progress_ctx, s->from + s->span * done);
}

static sb_sim_options run_options(const sb_validate_options *o, stage *st)
{
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.persons = o->persons;
    opt.seed = o->seed;
    opt.threads = o->threads;
    if (o->progress) {
        opt.progress = stage_progress;
        opt.progress_ctx = st;
    }
    return opt;
}

static sb_status check_general(const sb_scenario *general,
                               const sb_validate_options *o, stage *progress,
                               sb_validation *out, sb_error *err)
{
    sb_sim_options opt = run_options(o, progress);
    opt.weeks = GENERAL_WEEKS;
    static const int lags[] = {4, 52, 104, 260, 520};
    for (size_t i = 0; i < sizeof lags / sizeof lags[0]; i++)
        opt.snapshot_weeks[opt.snapshot_count++] = lags[i];
    sb_sim_result *res;
    sb_status st = sb_simulate(general, &opt, &res, err);
    if (st != SB_OK)
        return st;
    const sb_sim_summary *sum = sb_sim_get_summary(res);
    double cutoff = general->params.secure_cutoff;

    sb_check *c = &out->checks[0];
    set_check(c, "V1", "share secure in a population with no intervention",
              "55-60% (checked 54-62%)",
              "Mickelson, Kessler & Shaver 1997; Bakermans-Kranenburg & van "
              "IJzendoorn 2009");
    snprintf(c->simulated, sizeof c->simulated, "%.1f%% secure at week 0",
             100 * sum->secure_baseline);
    in_band(c, "share secure", sum->secure_baseline, 0.54, 0.62, 1);

    const sb_week_stats *w0 = sb_sim_week(res, 0), *w1 = sb_sim_week(res, 520);
    double da = w1->mean_anxiety - w0->mean_anxiety;
    double dv = w1->mean_avoidance - w0->mean_avoidance;
    c = &out->checks[1];
    set_check(c, "V2", "stationarity with no intervention over 10 years",
              "means drift < 0.1", "assumption from the prototype model");
    snprintf(c->simulated, sizeof c->simulated,
             "anxiety %.2f -> %.2f (%+.3f), avoidance %.2f -> %.2f (%+.3f)",
             w0->mean_anxiety, w1->mean_anxiety, da, w0->mean_avoidance,
             w1->mean_avoidance, dv);
    in_band(c, "anxiety's drift", da, -0.1, 0.1, 0);
    in_band(c, "avoidance's drift", dv, -0.1, 0.1, 0);

    size_t n = sb_sim_persons(res);
    const sb_snapshot *s0 = sb_sim_snapshot(res, 0);
    double r[2][5];
    for (int d = 0; d < 2; d++)
        for (int l = 0; l < 5; l++)
            r[d][l] = correlation(s0, sb_sim_snapshot(res, lags[l]), n, d);
    c = &out->checks[2];
    set_check(c, "V3",
              "test-retest correlation of observed scores, no intervention",
              ".65-.85 over 30 days; falls and levels off near .4 (.30-.50) "
              "over a decade",
              "Fraley, Vicary, Brumbaugh & Roisman 2011; ECR-RS retest; "
              "Pinquart, Feussner & Ahnert 2013");
    snprintf(c->simulated, sizeof c->simulated,
             "anxiety r = %.2f (4 wk), %.2f (1 y), %.2f (2 y), %.2f (5 y), "
             "%.2f (10 y); avoidance %.2f, %.2f, %.2f, %.2f, %.2f",
             r[0][0], r[0][1], r[0][2], r[0][3], r[0][4], r[1][0], r[1][1],
             r[1][2], r[1][3], r[1][4]);
    for (int d = 0; d < 2; d++) {
        const char *dim = d ? "avoidance" : "anxiety";
        char what[64];
        snprintf(what, sizeof what, "%s r over 4 weeks", dim);
        in_band(c, what, r[d][0], 0.65, 0.85, 0);
        snprintf(what, sizeof what, "%s r over 10 years", dim);
        in_band(c, what, r[d][4], 0.30, 0.50, 0);
        holds(c, r[d][0] > r[d][1] && r[d][1] > r[d][3],
              "%s r does not fall from 4 weeks (%.2f) to 1 year (%.2f) to 5 "
              "years (%.2f)", dim, r[d][0], r[d][1], r[d][3]);
        /* Levels off: the last five years lose far less than the first. */
        holds(c, (r[d][3] - r[d][4]) < 0.5 * (r[d][0] - r[d][3]),
              "%s r does not level off: years 5-10 lose %.2f, more than half "
              "of the %.2f lost by year 5", dim, r[d][3] - r[d][4],
              r[d][0] - r[d][3]);
    }

    double all1, sec1, ins1, all2, sec2, ins2;
    stability(s0, sb_sim_snapshot(res, 52), n, cutoff, &all1, &sec1, &ins1);
    stability(s0, sb_sim_snapshot(res, 104), n, cutoff, &all2, &sec2, &ins2);
    c = &out->checks[3];
    set_check(c, "V4",
              "category stability (secure/insecure) on observed scores",
              "65-80% keep their category over 1-2 years; insecure less "
              "stable than secure",
              "Crowell, Treboux & Waters 2002; Baldwin & Fehr 1995");
    snprintf(c->simulated, sizeof c->simulated,
             "1 y: %.0f%% keep (secure %.0f%%, insecure %.0f%%); 2 y: %.0f%% "
             "(secure %.0f%%, insecure %.0f%%)",
             100 * all1, 100 * sec1, 100 * ins1, 100 * all2, 100 * sec2,
             100 * ins2);
    in_band(c, "kept over 1 year", all1, 0.65, 0.80, 1);
    in_band(c, "kept over 2 years", all2, 0.65, 0.80, 1);
    holds(c, ins1 < sec1 && ins2 < sec2,
          "the insecure are not less stable than the secure (1 y: %.0f%% "
          "against %.0f%%; 2 y: %.0f%% against %.0f%%)",
          100 * ins1, 100 * sec1, 100 * ins2, 100 * sec2);
    sb_sim_result_free(res);
    return SB_OK;
}

/* Therapy alone, observed to its end: no follow-up. */
static sb_scenario therapy_run(const sb_scenario *therapy)
{
    sb_scenario sc = *therapy;
    sc.followup_weeks = 0;
    return sc;
}

static sb_status check_therapy(const sb_scenario *therapy,
                               const sb_validate_options *o, stage *progress,
                               sb_validation *out, sb_error *err)
{
    sb_scenario sc = therapy_run(therapy);
    sb_sim_options opt = run_options(o, progress);
    opt.dose_sessions = 26;
    sb_sim_result *res;
    sb_status st = sb_simulate(&sc, &opt, &res, err);
    if (st != SB_OK)
        return st;
    const sb_sim_summary *sum = sb_sim_get_summary(res);

    sb_check *c = &out->checks[4];
    set_check(c, "V5", "therapy moves anxiety and security clearly, avoidance "
              "less",
              "anxiety d <= -0.3, share secure up >= 8 points, avoidance d "
              "smaller in size than anxiety d",
              "Taylor, Rietzschel, Danquah & Berry 2015");
    snprintf(c->simulated, sizeof c->simulated,
             "d anxiety %.2f, d avoidance %.2f; secure %.0f%% -> %.0f%%",
             sum->d_anxiety_end, sum->d_avoidance_end,
             100 * sum->secure_baseline, 100 * sum->secure_end);
    in_band(c, "anxiety d", sum->d_anxiety_end, -INFINITY, -0.3, 0);
    in_band(c, "the rise in share secure",
            sum->secure_end - sum->secure_baseline, 0.08, INFINITY, 1);
    holds(c, fabs(sum->d_avoidance_end) < fabs(sum->d_anxiety_end),
          "avoidance d %.2f is not smaller in size than anxiety d %.2f",
          sum->d_avoidance_end, sum->d_anxiety_end);

    /* Dose-response: share improved among those who attended k sessions. */
    size_t n = sb_sim_persons(res);
    const float *base = sb_sim_baseline_composite(res);
    static const int doses[] = {1, 8, 26};
    double improved[3];
    for (int d = 0; d < 3; d++) {
        size_t reached = 0, better = 0;
        for (size_t i = 0; i < n; i++) {
            double x = sb_sim_dose(res, i, doses[d]);
            if (isnan(x))
                continue;
            reached++;
            better += x <= base[i] - DOSE_IMPROVEMENT;
        }
        improved[d] = reached ? (double)better / (double)reached : NAN;
    }
    c = &out->checks[5];
    set_check(c, "V6", "dose-response of therapy: share improved",
              "about 50% by 8 sessions (35-65%), 75% by 26 (60-90%), steep "
              "early then flat",
              "Howard, Kopta, Krause & Orlinsky 1986");
    snprintf(c->simulated, sizeof c->simulated,
             "improved by >= %.2f: %.0f%% after 1, %.0f%% after 8, %.0f%% "
             "after 26 sessions",
             DOSE_IMPROVEMENT, 100 * improved[0], 100 * improved[1],
             100 * improved[2]);
    double early = (improved[1] - improved[0]) / 7.0;
    double late = (improved[2] - improved[1]) / 18.0;
    in_band(c, "improved after 8 sessions", improved[1], 0.35, 0.65, 1);
    in_band(c, "improved after 26 sessions", improved[2], 0.60, 0.90, 1);
    holds(c, early > 2 * late,
          "not steep early, then flat: %.2f points a session up to 8 "
          "sessions is %.2f short of twice the %.2f a session after",
          100 * early, 100 * (2 * late - early), 100 * late);

    c = &out->checks[6];
    set_check(c, "V7", "sudden gains and losses in therapy trajectories",
              "sudden gain in 15-40%; sudden loss in about a quarter (15-35%)",
              "Tang & DeRubeis 1999; Shalom & Aderka 2020; Odyniec et al. "
              "2019");
    snprintf(c->simulated, sizeof c->simulated,
             "%.0f%% with a sudden gain, %.0f%% with a sudden loss (weekly "
             "observed composite, Tang & DeRubeis criteria)",
             100 * sum->share_sudden_gain, 100 * sum->share_sudden_loss);
    in_band(c, "with a sudden gain", sum->share_sudden_gain, 0.15, 0.40, 1);
    in_band(c, "with a sudden loss", sum->share_sudden_loss, 0.15, 0.35, 1);
    sb_sim_result_free(res);
    return SB_OK;
}

void sb_validate_options_default(sb_validate_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->persons = SB_VALIDATE_PERSONS;
    opt->seed = 1;
}

sb_status sb_validate(const sb_scenario *general, const sb_scenario *therapy,
                      const sb_validate_options *opt, sb_validation *out,
                      sb_error *err)
{
    memset(out, 0, sizeof *out);
    /* Progress by simulated weeks: the decade of the general population
     * takes most of the time. */
    sb_scenario sc = therapy_run(therapy);
    double a = GENERAL_WEEKS + general->params.burn_in_weeks;
    double b = sb_scenario_weeks(&sc) + sc.params.burn_in_weeks;
    stage first = {opt, 0, a / (a + b)}, second = {opt, a / (a + b), b / (a + b)};
    sb_status st = check_general(general, opt, &first, out, err);
    if (st == SB_OK)
        st = check_therapy(therapy, opt, &second, out, err);
    if (st != SB_OK)
        return st;
    for (int i = 0; i < SB_VALIDATE_CHECKS; i++)
        out->passed += out->checks[i].pass;
    return SB_OK;
}
