/*
 * The validation checks V1-V9 of docs/validation.md: each simulates what a
 * published study measured, the way it measured it (observed scores with
 * measurement error where the study used questionnaires, sudden changes by
 * the same rule as real data), and compares. Every check reports what it
 * missed when it fails, and its margin: how far inside its bands the
 * figures lie.
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
/* V1-V4 and V8 follow the general population for a decade. */
#define GENERAL_WEEKS 520
/* V9: the week of the scheduled event, and a year after its effect shows. */
#define EVENT_WEEK 26
#define EVENT_YEAR_LATER (EVENT_WEEK + 1 + 52)

/* A check starts as passing, with no figure near an edge; each condition
 * adds its margin, and one that does not hold fails the check and says
 * why. */
static sb_check *start_check(sb_validation *v, int i, const char *id,
                             const char *fact, const char *target,
                             const char *source)
{
    sb_check *c = &v->checks[i];
    c->id = id;
    c->fact = fact;
    c->target = target;
    c->source = source;
    c->simulated[0] = '\0';
    c->miss[0] = '\0';
    c->pass = 1;
    c->margin = INFINITY;
    return c;
}

/* One condition of a check, `margin` how far inside it the figure lies
 * (> 0 holds); the smallest margin is the check's. When it does not hold,
 * the check fails and the reason is added to what it missed. */
static void holds(sb_check *c, double margin, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The check's margin is the smallest of its conditions'. */
static void note_margin(sb_check *c, double margin)
{
    if (!(margin >= c->margin))
        c->margin = isnan(margin) ? -1 : margin;
}

static void holds(sb_check *c, double margin, const char *fmt, ...)
{
    note_margin(c, margin);
    if (margin > 0)
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

/*
 * A figure that must lie in [lo, hi]. Its margin is its distance from the
 * nearer edge as a share of the band's width, or of the bound's size when
 * the band is open on one side. A share (`share` 1) is shown in percent and
 * its distance in percentage points.
 */
static void in_band(sb_check *c, const char *what, double x, double lo,
                    double hi, int share)
{
    double k = share ? 100 : 1;
    const char *unit = share ? "%" : "";
    const char *dist = share ? " points" : "";
    int dp = share ? 1 : 2;
    double margin;
    if (isinf(lo))
        margin = (hi - x) / fabs(hi);
    else if (isinf(hi))
        margin = (x - lo) / fabs(lo);
    else
        margin = fmin(x - lo, hi - x) / (hi - lo);
    if (isnan(x))
        holds(c, NAN, "%s is not defined", what);
    else if (x < lo)
        holds(c, margin, "%s %.*f%s is %.*f%s below %.*g%s", what, dp, k * x,
              unit, dp, k * (lo - x), dist, 3, k * lo, unit);
    else if (x > hi)
        holds(c, margin, "%s %.*f%s is %.*f%s above %.*g%s", what, dp, k * x,
              unit, dp, k * (x - hi), dist, 3, k * hi, unit);
    else
        note_margin(c, margin);
}

/* The runs report progress as a share of the whole validation, each run
 * being [from, from + span) of it. */
typedef struct stage {
    const sb_validate_options *opt;
    double from, span;
} stage;

static void stage_progress(void *ctx, double done)
{
    const stage *s = ctx;
    s->opt->progress(s->opt->progress_ctx, s->from + s->span * done);
}

/* Every run uses the caller's size, seed and threads. */
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

static double correlation(const sb_snapshot *x, const sb_snapshot *y,
                          size_t n, int dim, int observed)
{
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        double a = observed ? (dim ? x[i].obs_avoidance : x[i].obs_anxiety)
                            : (dim ? x[i].avoidance : x[i].anxiety);
        double b = observed ? (dim ? y[i].obs_avoidance : y[i].obs_anxiety)
                            : (dim ? y[i].avoidance : y[i].anxiety);
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

/* Means and SDs of true anxiety [0] and avoidance [1]. */
static void moments(const sb_snapshot *x, size_t n, double *mean, double *sd)
{
    double s[2] = {0, 0}, ss[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        s[0] += x[i].anxiety;
        s[1] += x[i].avoidance;
        ss[0] += (double)x[i].anxiety * x[i].anxiety;
        ss[1] += (double)x[i].avoidance * x[i].avoidance;
    }
    double nn = (double)n;
    for (int d = 0; d < 2; d++) {
        mean[d] = s[d] / nn;
        sd[d] = n > 1 ? sqrt(fmax(0, (ss[d] - s[d] * s[d] / nn) / (nn - 1))) : 0;
    }
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

static void check_share_and_drift(const sb_sim_result *res, sb_validation *v)
{
    const sb_sim_summary *sum = sb_sim_get_summary(res);
    sb_check *c = start_check(
        v, 0, "V1", "share secure in a population with no intervention",
        "55-60% (checked 54-62%)",
        "Mickelson, Kessler & Shaver 1997; Bakermans-Kranenburg & van "
        "IJzendoorn 2009");
    double mean[2], sd[2];
    moments(sb_sim_snapshot(res, 0), sb_sim_persons(res), mean, sd);
    snprintf(c->simulated, sizeof c->simulated,
             "%.1f%% secure at week 0 (anxiety %.2f, SD %.2f; avoidance %.2f, "
             "SD %.2f)",
             100 * sum->secure_baseline, mean[0], sd[0], mean[1], sd[1]);
    in_band(c, "share secure", sum->secure_baseline, 0.54, 0.62, 1);

    const sb_week_stats *w0 = sb_sim_week(res, 0), *w1 = sb_sim_week(res, 520);
    double da = w1->mean_anxiety - w0->mean_anxiety;
    double dv = w1->mean_avoidance - w0->mean_avoidance;
    c = start_check(v, 1, "V2", "stationarity with no intervention over 10 "
                    "years",
                    "means drift < 0.1", "assumption from the prototype model");
    snprintf(c->simulated, sizeof c->simulated,
             "anxiety %.2f -> %.2f (%+.3f), avoidance %.2f -> %.2f (%+.3f)",
             w0->mean_anxiety, w1->mean_anxiety, da, w0->mean_avoidance,
             w1->mean_avoidance, dv);
    in_band(c, "anxiety's drift", da, -0.1, 0.1, 0);
    in_band(c, "avoidance's drift", dv, -0.1, 0.1, 0);
}

static void check_retest(const sb_sim_result *res, sb_validation *v)
{
    static const int lags[] = {4, 52, 104, 260, 520};
    size_t n = sb_sim_persons(res);
    const sb_snapshot *s0 = sb_sim_snapshot(res, 0);
    double r[2][5];
    for (int d = 0; d < 2; d++)
        for (int l = 0; l < 5; l++)
            r[d][l] = correlation(s0, sb_sim_snapshot(res, lags[l]), n, d, 1);
    sb_check *c = start_check(
        v, 2, "V3",
        "test-retest correlation of observed scores, no intervention",
        ".65-.85 over 30 days; falls and levels off near .4 (.30-.50) over a "
        "decade",
        "Fraley, Vicary, Brumbaugh & Roisman 2011; ECR-RS retest; Pinquart, "
        "Feussner & Ahnert 2013");
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
        /* Falls: 4 weeks > 1 year > 5 years (margins on the scale of .1). */
        holds(c, fmin(r[d][0] - r[d][1], r[d][1] - r[d][3]) / 0.1,
              "%s r does not fall from 4 weeks (%.2f) to 1 year (%.2f) to 5 "
              "years (%.2f)", dim, r[d][0], r[d][1], r[d][3]);
        /* Levels off: the last five years lose less than half of what the
         * first five did. */
        holds(c, (0.5 * (r[d][0] - r[d][3]) - (r[d][3] - r[d][4])) / 0.1,
              "%s r does not level off: years 5-10 lose %.2f, more than half "
              "of the %.2f lost by year 5", dim, r[d][3] - r[d][4],
              r[d][0] - r[d][3]);
    }
}

static void check_categories(const sb_sim_result *res, double cutoff,
                             sb_validation *v)
{
    size_t n = sb_sim_persons(res);
    const sb_snapshot *s0 = sb_sim_snapshot(res, 0);
    double all1, sec1, ins1, all2, sec2, ins2;
    stability(s0, sb_sim_snapshot(res, 52), n, cutoff, &all1, &sec1, &ins1);
    stability(s0, sb_sim_snapshot(res, 104), n, cutoff, &all2, &sec2, &ins2);
    sb_check *c = start_check(
        v, 3, "V4", "category stability (secure/insecure) on observed scores",
        "65-80% keep their category over 1-2 years; insecure less stable than "
        "secure",
        "Crowell, Treboux & Waters 2002; Baldwin & Fehr 1995");
    snprintf(c->simulated, sizeof c->simulated,
             "1 y: %.0f%% keep (secure %.0f%%, insecure %.0f%%); 2 y: %.0f%% "
             "(secure %.0f%%, insecure %.0f%%)",
             100 * all1, 100 * sec1, 100 * ins1, 100 * all2, 100 * sec2,
             100 * ins2);
    in_band(c, "kept over 1 year", all1, 0.65, 0.80, 1);
    in_band(c, "kept over 2 years", all2, 0.65, 0.80, 1);
    holds(c, fmin(sec1 - ins1, sec2 - ins2) / 0.1,
          "the insecure are not less stable than the secure (1 y: %.0f%% "
          "against %.0f%%; 2 y: %.0f%% against %.0f%%)",
          100 * ins1, 100 * sec1, 100 * ins2, 100 * sec2);
}

static void check_short_term(const sb_sim_result *res, sb_validation *v)
{
    size_t n = sb_sim_persons(res);
    const sb_snapshot *s0 = sb_sim_snapshot(res, 0);
    static const int lags[2] = {3, 6};
    double t[2][2], o[2][2]; /* [lag][dimension] */
    for (int l = 0; l < 2; l++)
        for (int d = 0; d < 2; d++) {
            const sb_snapshot *s = sb_sim_snapshot(res, lags[l]);
            t[l][d] = correlation(s0, s, n, d, 0);
            o[l][d] = correlation(s0, s, n, d, 1);
        }
    sb_check *c = start_check(
        v, 7, "V8", "short-term stability over 3-6 weeks, no intervention",
        "true scores r = .90-.95, observed ECR-R scores r = .80-.90",
        "Sibley & Liu 2004; Sibley, Fischer & Liu 2005");
    snprintf(c->simulated, sizeof c->simulated,
             "true r = %.3f, %.3f (3 wk), %.3f, %.3f (6 wk); observed r = "
             "%.3f, %.3f (3 wk), %.3f, %.3f (6 wk) (anxiety, avoidance)",
             t[0][0], t[0][1], t[1][0], t[1][1], o[0][0], o[0][1], o[1][0],
             o[1][1]);
    for (int l = 0; l < 2; l++)
        for (int d = 0; d < 2; d++) {
            char what[64];
            snprintf(what, sizeof what, "true %s r over %d weeks",
                     d ? "avoidance" : "anxiety", lags[l]);
            in_band(c, what, t[l][d], 0.90, 0.95, 0);
            snprintf(what, sizeof what, "observed %s r over %d weeks",
                     d ? "avoidance" : "anxiety", lags[l]);
            in_band(c, what, o[l][d], 0.80, 0.90, 0);
        }
}

static sb_status check_general(const sb_scenario *general,
                               const sb_validate_options *o, stage *progress,
                               sb_validation *out, sb_error *err)
{
    sb_sim_options opt = run_options(o, progress);
    opt.weeks = GENERAL_WEEKS;
    static const int weeks[] = {3, 4, 6, 52, 104, 260, 520};
    for (size_t i = 0; i < sizeof weeks / sizeof weeks[0]; i++)
        opt.snapshot_weeks[opt.snapshot_count++] = weeks[i];
    sb_sim_result *res;
    sb_status st = sb_simulate(general, &opt, &res, err);
    if (st != SB_OK)
        return st;
    check_share_and_drift(res, out);
    check_retest(res, out);
    check_categories(res, general->params.secure_cutoff, out);
    check_short_term(res, out);
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

void sb_validate_course(const sb_scenario *therapy, sb_scenario *course)
{
    *course = therapy_run(therapy);
    course->therapy.weeks = SB_VALIDATE_COURSE_WEEKS;
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

    sb_check *c = start_check(
        out, 4, "V5", "therapy moves anxiety and security clearly, avoidance "
        "less",
        "anxiety d <= -0.3, share secure up >= 8 points, avoidance d smaller "
        "in size than anxiety d",
        "Taylor, Rietzschel, Danquah & Berry 2015");
    snprintf(c->simulated, sizeof c->simulated,
             "d anxiety %.2f, d avoidance %.2f; secure %.0f%% -> %.0f%%",
             sum->d_anxiety_end, sum->d_avoidance_end,
             100 * sum->secure_baseline, 100 * sum->secure_end);
    /* One-sided bounds: margins on the scale of the bound. */
    in_band(c, "anxiety d", sum->d_anxiety_end, -INFINITY, -0.3, 0);
    in_band(c, "the rise in share secure",
            sum->secure_end - sum->secure_baseline, 0.08, INFINITY, 1);
    holds(c, (fabs(sum->d_anxiety_end) - fabs(sum->d_avoidance_end)) / 0.3,
          "avoidance d %.2f is not smaller in size than anxiety d %.2f",
          sum->d_avoidance_end, sum->d_anxiety_end);

    /* Dose-response: share improved among those who attended k sessions. */
    static const int doses[] = {1, 8, 26};
    double improved[3];
    for (int d = 0; d < 3; d++)
        improved[d] = sb_sim_share_improved(res, doses[d], DOSE_IMPROVEMENT);
    c = start_check(out, 5, "V6", "dose-response of therapy: share improved",
                    "about 50% by 8 sessions (35-65%), 75% by 26 (60-90%), "
                    "steep early then flat",
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
    /* margin per session, on the scale of a point */
    holds(c, (early - 2 * late) / 0.01,
          "not steep early, then flat: %.2f points a session up to 8 "
          "sessions is %.2f short of twice the %.2f a session after",
          100 * early, 100 * (2 * late - early), 100 * late);
    sb_sim_result_free(res);
    return SB_OK;
}

/*
 * V7: a course of weekly therapy, measured at each attended session, and
 * the same people without therapy measured every week over the same weeks;
 * sudden changes by the rule `securebase change --sudden` applies.
 */
static sb_status check_sudden(const sb_scenario *therapy,
                              const sb_validate_options *o, stage *progress,
                              sb_validation *out, sb_error *err)
{
    sb_scenario sc;
    sb_validate_course(therapy, &sc);
    sb_sim_options opt = run_options(o, &progress[0]);
    sb_sim_result *treated, *untreated;
    sb_status st = sb_simulate(&sc, &opt, &treated, err);
    if (st != SB_OK)
        return st;
    sc.therapy.sessions_per_week = 0;
    sc.timeline_count = 0;
    opt = run_options(o, &progress[1]);
    st = sb_simulate(&sc, &opt, &untreated, err);
    if (st != SB_OK) {
        sb_sim_result_free(treated);
        return st;
    }
    const sb_sim_summary *t = sb_sim_get_summary(treated);
    const sb_sim_summary *u = sb_sim_get_summary(untreated);
    sb_check *c = start_check(
        out, 6, "V7",
        "sudden gains and losses over a course of weekly sessions",
        "sudden gain in 15-40% of courses, sudden loss in 15-35%; gains at "
        "least 1.5 times (and 5 points above) an untreated group's over the "
        "same weeks",
        "Tang & DeRubeis 1999; Shalom & Aderka 2020; Odyniec et al. 2019");
    snprintf(c->simulated, sizeof c->simulated,
             "%d weeks of therapy, at each attended session: %.0f%% with a "
             "sudden gain, %.0f%% with a sudden loss; untreated, weekly: "
             "%.0f%% and %.0f%% (Tang & DeRubeis criteria as `change "
             "--sudden`)",
             SB_VALIDATE_COURSE_WEEKS, 100 * t->share_sudden_gain,
             100 * t->share_sudden_loss, 100 * u->share_sudden_gain,
             100 * u->share_sudden_loss);
    in_band(c, "with a sudden gain", t->share_sudden_gain, 0.15, 0.40, 1);
    in_band(c, "with a sudden loss", t->share_sudden_loss, 0.15, 0.35, 1);
    holds(c, fmin(t->share_sudden_gain - 1.5 * u->share_sudden_gain,
                  t->share_sudden_gain - u->share_sudden_gain - 0.05) / 0.05,
          "sudden gains with therapy (%.1f%%) are not clearly more than "
          "without (%.1f%%)",
          100 * t->share_sudden_gain, 100 * u->share_sudden_gain);
    sb_sim_result_free(treated);
    sb_sim_result_free(untreated);
    return SB_OK;
}

/* Runs `general` with one scheduled event of `kind` for everyone (or with
 * none for SB_EVENT_NONE) and keeps the weekly means. */
static sb_status event_run(const sb_scenario *general, int kind,
                           const sb_sim_options *opt, sb_sim_result **res,
                           sb_error *err)
{
    sb_scenario sc = *general;
    sc.timeline_count = 0;
    if (kind != SB_EVENT_NONE) {
        sb_timeline_entry *e = &sc.timeline[sc.timeline_count++];
        sb_timeline_entry_default(e);
        e->week = EVENT_WEEK;
        e->event = kind;
        e->size = sb_event_kind_info(kind)->size;
    }
    return sb_simulate(&sc, opt, res, err);
}

/*
 * V9: the same people with and without one scheduled event, so that the
 * difference of the weekly means is the event's effect: at once (the week
 * after it) and a year later.
 */
static sb_status check_events(const sb_scenario *general,
                              const sb_validate_options *o, stage *progress,
                              sb_validation *out, sb_error *err)
{
    static const int kinds[3] = {SB_EVENT_NONE, SB_EVENT_LOSS,
                                 SB_EVENT_NEW_SECURE_PARTNER};
    sb_sim_result *res[3] = {NULL, NULL, NULL};
    sb_status st = SB_OK;
    for (int i = 0; i < 3 && st == SB_OK; i++) {
        sb_sim_options opt = run_options(o, &progress[i]);
        opt.weeks = EVENT_YEAR_LATER;
        st = event_run(general, kinds[i], &opt, &res[i], err);
    }
    sb_sim_result *none = res[0], *loss = res[1], *partner = res[2];
    if (st != SB_OK) {
        for (int i = 0; i < 3; i++)
            sb_sim_result_free(res[i]);
        return st;
    }
    int at = EVENT_WEEK + 1, later = EVENT_YEAR_LATER;
    double now = sb_sim_week(loss, at)->mean_anxiety -
                 sb_sim_week(none, at)->mean_anxiety;
    double year = sb_sim_week(loss, later)->mean_anxiety -
                  sb_sim_week(none, later)->mean_anxiety;
    double left = now > 0 ? year / now : NAN;
    const sb_week_stats *p = sb_sim_week(partner, at), *q = sb_sim_week(none, at);
    double good = (p->mean_anxiety + p->mean_avoidance -
                   q->mean_anxiety - q->mean_avoidance) / 2;
    sb_check *c = start_check(
        out, 8, "V9", "a major life event shifts attachment, and most of the "
        "shift fades",
        "a loss raises mean anxiety at once (by 0.05 or more); a year later "
        "5-50% of that shift is left; a new secure partner lowers insecurity",
        "Fraley, Gillath & Deboeck 2021");
    snprintf(c->simulated, sizeof c->simulated,
             "loss (size %.2g) at week %d: mean anxiety %+.3f the week after, "
             "%+.3f a year later (%.0f%% left); new secure partner (size "
             "%.2g): insecurity %+.3f the week after",
             sb_event_kind_info(SB_EVENT_LOSS)->size, EVENT_WEEK, now, year,
             100 * left, sb_event_kind_info(SB_EVENT_NEW_SECURE_PARTNER)->size,
             good);
    in_band(c, "the loss's shift in mean anxiety", now, 0.05, INFINITY, 0);
    in_band(c, "the share of it left a year later", left, 0.05, 0.50, 1);
    holds(c, -good / 0.05,
          "a new secure partner does not lower insecurity (%+.3f)", good);
    sb_sim_result_free(none);
    sb_sim_result_free(loss);
    sb_sim_result_free(partner);
    return SB_OK;
}

void sb_validate_options_default(sb_validate_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->persons = SB_VALIDATE_PERSONS;
    opt->seed = 1;
}

/* Weeks a run simulates, its burn-in included: progress is shared out by
 * them. */
static double run_weeks(const sb_scenario *sc, int weeks)
{
    return weeks + sc->params.burn_in_weeks;
}

sb_status sb_validate(const sb_scenario *general, const sb_scenario *therapy,
                      const sb_validate_options *opt, sb_validation *out,
                      sb_error *err)
{
    memset(out, 0, sizeof *out);
    /* The seven runs, in order: the general population's decade, therapy,
     * V7's treated and untreated course, V9's three event runs. */
    sb_scenario th = therapy_run(therapy), su;
    sb_validate_course(therapy, &su);
    double w[7] = {run_weeks(general, GENERAL_WEEKS),
                   run_weeks(&th, sb_scenario_weeks(&th)),
                   run_weeks(&su, sb_scenario_weeks(&su)),
                   run_weeks(&su, sb_scenario_weeks(&su)),
                   run_weeks(general, EVENT_YEAR_LATER),
                   run_weeks(general, EVENT_YEAR_LATER),
                   run_weeks(general, EVENT_YEAR_LATER)};
    double total = 0;
    for (int i = 0; i < 7; i++)
        total += w[i];
    stage stages[7];
    for (int i = 0; i < 7; i++) {
        double from = 0;
        for (int j = 0; j < i; j++)
            from += w[j];
        /* the last run ends exactly at 1 */
        stages[i] = (stage){opt, from / total,
                            i == 6 ? 1.0 - from / total : w[i] / total};
    }
    sb_status st = check_general(general, opt, &stages[0], out, err);
    if (st == SB_OK)
        st = check_therapy(therapy, opt, &stages[1], out, err);
    if (st == SB_OK)
        st = check_sudden(therapy, opt, &stages[2], out, err);
    if (st == SB_OK)
        st = check_events(general, opt, &stages[4], out, err);
    if (st != SB_OK)
        return st;
    for (int i = 0; i < SB_VALIDATE_CHECKS; i++)
        out->passed += out->checks[i].pass;
    return SB_OK;
}
