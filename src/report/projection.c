/*
 * The report's model projection: the person as the care layer calibrates
 * them (their latest scores and recent inputs, src/care/calibrate.c), run
 * on many simulated people, and described in plain words.
 */
#include "report/projection.h"

#include <securebase/sim.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


double sb__projection_to_model(sb_scale scale, double x)
{
    return sb_care_to_model(scale, x);
}

double sb__projection_from_model(sb_scale scale, double y)
{
    return sb_care_from_model(scale, y);
}

void sb__projection_free(sb__projection *p)
{
    for (int d = 0; d < 2; d++)
        for (int q = 0; q < 5; q++)
            free(p->pct[d][q]);
    memset(p, 0, sizeof *p);
}

static void calibrate(const sb__history *h, long as_of, int weeks,
                      sb__projection *p)
{
    sb_care_records r = sb__history_records(h, as_of);
    sb_care_inputs in;
    sb_care_inputs_from_records(&r, &in);
    p->sessions_per_week = in.sessions_per_week;
    p->attendance = in.attendance;
    p->reflections_per_week = in.reflections_per_week;
    p->practice_per_week = in.practice_per_week;
    sb_care_scenario(&in, sb_care_to_model(h->scale, p->start[SB_ANXIETY]),
                     sb_care_to_model(h->scale, p->start[SB_AVOIDANCE]),
                     weeks, &p->scenario);
}

sb_status sb__projection_run(const sb__history *h, long as_of,
                             const sb__projection_run_options *o,
                             sb__projection *p, sb_error *err)
{
    int weeks = o->weeks;
    size_t persons = o->persons;
    uint64_t seed = o->seed;
    memset(p, 0, sizeof *p);
    if (!h->point_count) {
        snprintf(p->why, sizeof p->why,
                 "no questionnaire with anxiety and avoidance scores is "
                 "recorded, so there is no starting point");
        return SB_OK;
    }
    if (weeks <= 0) {
        snprintf(p->why, sizeof p->why, "the projection was turned off");
        return SB_OK;
    }
    const sb__series_point *last = &h->points[h->point_count - 1];
    p->start[SB_ANXIETY] = last->score[SB_ANXIETY];
    p->start[SB_AVOIDANCE] = last->score[SB_AVOIDANCE];
    p->weeks = weeks;
    p->start_day = as_of;
    p->persons = persons;
    p->seed = seed;
    p->rescaled = h->scale.min != (int)SB_SCALE_MIN ||
                  h->scale.max != (int)SB_SCALE_MAX;
    calibrate(h, as_of, weeks, p);
    sb_status st = sb_scenario_check(&p->scenario, err);
    if (st != SB_OK) {
        sb_error_prefix(err, "cannot calibrate the projection: ");
        return st;
    }
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.seed = seed;
    opt.persons = persons;
    opt.weeks = weeks;
    sb_posterior_sets *sets = NULL;
    /* The spread around the start is the person's, not the population's. */
    static const char *const keep[] = {"proto_sd", NULL};
    if (o->posterior) {
        st = sb_posterior_attach(o->posterior, &p->scenario.params, keep, &opt,
                                 &sets, err);
        if (st != SB_OK)
            return st;
        p->posterior_particles = sb_posterior_particles(o->posterior);
    }
    opt.progress = o->progress;
    opt.progress_ctx = o->progress_ctx;
    sb_sim_result *res;
    st = sb_simulate(&p->scenario, &opt, &res, err);
    sb_posterior_sets_free(sets);
    if (st != SB_OK)
        return st;
    int T = sb_sim_weeks(res);
    if (T > weeks)
        T = weeks;
    p->weeks = T;
    for (int d = 0; d < 2; d++)
        for (int q = 0; q < 5; q++) {
            p->pct[d][q] = malloc(((size_t)T + 1) * sizeof(double));
            if (!p->pct[d][q]) {
                sb_sim_result_free(res);
                return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                    "out of memory");
            }
        }
    for (int t = 0; t <= T; t++) {
        const sb_week_stats *ws = sb_sim_week(res, t);
        for (int q = 0; q < 5; q++) {
            p->pct[SB_ANXIETY][q][t] =
                sb__projection_from_model(h->scale, ws->pct_anxiety[q]);
            p->pct[SB_AVOIDANCE][q][t] =
                sb__projection_from_model(h->scale, ws->pct_avoidance[q]);
        }
    }
    p->share_secure_start = sb_sim_week(res, 0)->share_secure;
    p->share_secure_end = sb_sim_week(res, T)->share_secure;
    sb_sim_result_free(res);
    p->ran = 1;
    return SB_OK;
}

/* -1 when `end` is lower than `now` (to two decimals), 1 when higher. */
static int direction(double now, double end)
{
    double delta = end - now;
    return delta <= -0.005 ? -1 : delta >= 0.005 ? 1 : 0;
}

/* Appends to out[0..size), keeping it terminated; *n counts what fitted. */
static void append(char *out, size_t size, size_t *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void append(char *out, size_t size, size_t *n, const char *fmt, ...)
{
    if (*n + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int got = vsnprintf(out + *n, size - *n, fmt, ap);
    va_end(ap);
    if (got > 0)
        *n += (size_t)got < size - *n ? (size_t)got : size - *n - 1;
}

void sb__projection_describe(const sb__projection *p, char *out, size_t size)
{
    if (!size)
        return;
    out[0] = '\0';
    if (!p->ran)
        return;
    static const char *const way[] = {"down", "unchanged", "up"};
    int T = p->weeks;
    int dir[2];
    for (int d = 0; d < 2; d++)
        dir[d] = direction(p->start[d], p->pct[d][2][T]);
    size_t n = 0;
    append(out, size, &n,
           "After %d weeks the model's median anxiety is %.2f, %s from %.2f "
           "now (lower is more secure), and its median avoidance %.2f, %s "
           "from %.2f. ",
           T, p->pct[0][2][T], way[dir[0] + 1], p->start[0], p->pct[1][2][T],
           way[dir[1] + 1], p->start[1]);
    append(out, size, &n,
           "80%% of the simulated paths end between %.2f and %.2f for "
           "anxiety and between %.2f and %.2f for avoidance. ",
           p->pct[0][0][T], p->pct[0][4][T], p->pct[1][0][T], p->pct[1][4][T]);
    double a = p->share_secure_start, b = p->share_secure_end;
    append(out, size, &n,
           "Below the model's security cutoff on both dimensions: %.0f%% of "
           "the simulated people at the start and %.0f%% at the end",
           100 * a, 100 * b);
    int improving = dir[0] <= 0 && dir[1] <= 0 && (dir[0] < 0 || dir[1] < 0);
    if (direction(a, b) < 0 && improving)
        append(out, size, &n,
               ". That share falls although the medians improve because the "
               "paths spread out: everyone starts at the latest scores, give "
               "or take measurement error, and over the weeks most move "
               "toward security while some drift across the cutoff.");
    else
        append(out, size, &n, ".");
}
