/*
 * The population runner: simulates people in parallel (OpenMP), each on its
 * own counter-based random stream, and gathers weekly statistics in integer
 * accumulators (fixed-point sums, histograms) whose merge does not depend on
 * the order of threads. Per-person figures are reduced afterwards in person
 * order. Together this makes results byte-identical for any thread count.
 */
#include <securebase/sim.h>

#include "model/person.h"
#include "model/sample.h"
#include "model/sim.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define FIXED_SCALE 1e6

void sb_sim_options_default(sb_sim_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->seed = 1;
    opt->persons = 100000;
}

/* Per-thread weekly accumulators. */
typedef struct week_acc {
    int64_t sum_a, sum_v, sum_s, sum_c;
    uint32_t secure;
    uint32_t hist_a[SB_HIST_BINS];
    uint32_t hist_v[SB_HIST_BINS];
} week_acc;

/* Values here are never negative, so adding one half and truncating
 * rounds to nearest (cheaper than lround in the hot loop). */
static int hist_bin(double x)
{
    int b = (int)((x - SB_SCALE_MIN) * SB_HIST_PER_POINT + 0.5);
    return b < 0 ? 0 : b >= SB_HIST_BINS ? SB_HIST_BINS - 1 : b;
}

static int64_t fixed(double x)
{
    return (int64_t)(x * FIXED_SCALE + 0.5);
}

/* Adds a person's week: true anxiety and avoidance `a`, `v` (the working
 * model and the week's state), and their s and c. */
static void week_acc_add(week_acc *w, double a, double v, const sb__person *p,
                         int secure)
{
    w->sum_a += fixed(a);
    w->sum_v += fixed(v);
    w->sum_s += fixed(p->s);
    w->sum_c += fixed(p->c);
    w->secure += (uint32_t)secure;
    w->hist_a[hist_bin(a)]++;
    w->hist_v[hist_bin(v)]++;
}

static void week_acc_merge(week_acc *dst, const week_acc *src)
{
    dst->sum_a += src->sum_a;
    dst->sum_v += src->sum_v;
    dst->sum_s += src->sum_s;
    dst->sum_c += src->sum_c;
    dst->secure += src->secure;
    for (int b = 0; b < SB_HIST_BINS; b++) {
        dst->hist_a[b] += src->hist_a[b];
        dst->hist_v[b] += src->hist_v[b];
    }
}

/* Percentile from a histogram of bin width 1/SB_HIST_PER_POINT, linear
 * within the bin. */
static double hist_percentile(const uint32_t *hist, size_t n, double q)
{
    double target = q * (double)n, cum = 0;
    for (int b = 0; b < SB_HIST_BINS; b++) {
        if (hist[b] && cum + hist[b] >= target) {
            double frac = (target - cum) / hist[b];
            double x = SB_SCALE_MIN + (b - 0.5 + frac) / SB_HIST_PER_POINT;
            return x < SB_SCALE_MIN ? SB_SCALE_MIN
                   : x > SB_SCALE_MAX ? SB_SCALE_MAX : x;
        }
        cum += hist[b];
    }
    return SB_SCALE_MAX;
}

/* Keeps `week` among the snapshot weeks, once. */
static void add_snapshot_week(sb_sim_result *res, int week)
{
    if (sb__sim_snapshot_index(res, week) < 0)
        res->snapshot_week[res->snapshot_count++] = week;
}

static sb_status alloc_result(sb_sim_result *res, const sb_sim_options *opt,
                              sb_error *err)
{
    size_t n = res->persons, weeks = (size_t)res->weeks + 1;
    res->week = calloc(weeks, sizeof *res->week);
    res->person = calloc(n, sizeof *res->person);
    res->baseline_composite = calloc(n, sizeof *res->baseline_composite);
    int ok = res->week && res->person && res->baseline_composite;
    for (size_t i = 0; ok && i < res->snapshot_count; i++)
        ok = (res->snapshot[i] = calloc(n, sizeof(sb_snapshot))) != NULL;
    if (ok && opt->dose_sessions > 0) {
        res->dose_sessions = opt->dose_sessions;
        res->dose = malloc(n * (size_t)opt->dose_sessions * sizeof(float));
        ok = res->dose != NULL;
    }
    if (ok && res->trajectory_count) {
        res->trajectory_person = calloc(res->trajectory_count, sizeof(size_t));
        res->trajectory = calloc(res->trajectory_count * weeks,
                                 sizeof(sb_trajectory_point));
        ok = res->trajectory_person && res->trajectory;
    }
    if (!ok)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for %zu simulated people over %d "
                            "weeks",
                            n, res->weeks);
    return SB_OK;
}

void sb_sim_result_free(sb_sim_result *res)
{
    if (!res)
        return;
    free(res->week);
    free(res->person);
    free(res->baseline_composite);
    for (size_t i = 0; i < res->snapshot_count; i++)
        free(res->snapshot[i]);
    free(res->dose);
    free(res->trajectory_person);
    free(res->trajectory);
    free(res);
}

/* Index among the sampled trajectories of person i, or -1. People
 * floor(j * N / K), j = 0..K-1, are sampled: evenly spread. */
static long trajectory_index(const sb_sim_result *res, size_t i)
{
    size_t k = res->trajectory_count, n = res->persons;
    if (!k)
        return -1;
    size_t j = (i * k + n - 1) / n; /* ceil(i*k/n) */
    if (j < k && j * n / k == i)
        return (long)j;
    return -1;
}

/* One set of model constants the run uses: the scenario's own, or one of
 * the caller's parameter sets applied to a copy of it. */
/* Words to compute in advance for a week whose people draw about `mean`:
 * a Philox block computed for a whole block of people costs about a sixth
 * of one computed for a single person when their words run out, so words
 * are computed up to about one standard deviation past the mean (a Poisson
 * count's). */
static unsigned words_ahead(double mean)
{
    double want = mean + 2.0 * sqrt(mean);
    unsigned blocks = (unsigned)ceil(want / 4);
    return blocks * 4 < SB_RNG_AHEAD ? blocks * 4 : SB_RNG_AHEAD;
}

typedef struct variant {
    sb_scenario sc;
    sb__step_plan plan;
    double rci; /* smallest sudden change: 1.96 * sqrt(2) * SEM of the
                 * observed composite (a reliable change) */
} variant;

typedef struct run_ctx {
    const sb_scenario *sc;
    variant *variants;
    size_t variant_count;
    const sb_sim_options *opt;
    sb_sim_result *res;
    int burn_in;
    int bad_set; /* param_set_of gave an index out of range */
    int course_start, course_end; /* the therapy course, within the run */
    int course_weekly;  /* no sessions scheduled in it: score every week */
    unsigned ahead_burn_in, ahead; /* words computed in advance a week */
} run_ctx;

/* One person in flight: state, stream and the running trackers. */
typedef struct tracker {
    const variant *var;
    sb__person p;
    sb__rng rng;
    double true_ring[4];
    double course_ring[6]; /* the last six scores of the course series */
    int course_scores, course_closed;
    int streak, attended;
    int dose_due;          /* sessions of last week, scored this week */
    long traj;
    float *dose;
} tracker;

/*
 * Puts the interval from course score i to i + 1 to the one rule
 * (sb_sudden_test), with up to three scores on each side: those up to
 * score `last` - 1 are in the ring.
 */
static void course_test(tracker *t, int i, int last, sb__person_record *rec)
{
    int lo = i >= 2 ? i - 2 : 0;
    double window[6];
    for (int j = lo; j < last; j++)
        window[j - lo] = t->course_ring[j % 6];
    sb_sudden e;
    if (!sb_sudden_test(window, (size_t)(i + 1 - lo), (size_t)(last - i - 1),
                        t->var->rci, SB_SCALE_MIN, 1, &e))
        return;
    if (e.kind == SB_SUDDEN_GAIN)
        rec->sudden_gain = 1;
    else
        rec->sudden_loss = 1;
}

/* Adds a score to the course series. Once a score has three after it, the
 * interval before those three is tested, as sb_sudden_find does. */
static void course_score(tracker *t, double score, sb__person_record *rec)
{
    int k = ++t->course_scores;
    t->course_ring[(k - 1) % 6] = score;
    if (k >= 5)
        course_test(t, k - 4, k, rec);
}

/* The end of the course: its last interval has two scores after it. */
static void course_close(tracker *t, sb__person_record *rec)
{
    if (t->course_closed)
        return;
    t->course_closed = 1;
    int n = t->course_scores;
    if (n >= 4)
        course_test(t, n - 3, n, rec);
}

/* Draws the person and resets the trackers; burn-in comes after, for the
 * whole group at once (simulate_group). */
static void person_start(const run_ctx *ctx, size_t i, tracker *t)
{
    const sb_sim_options *opt = ctx->opt;
    size_t set = opt->param_set_count
                     ? opt->param_set_of(opt->param_set_ctx, i) : 0;
    if (set >= ctx->variant_count) {
#pragma omp atomic write
        ((run_ctx *)ctx)->bad_set = 1;
        set = 0;
    }
    t->var = &ctx->variants[set];
    sb_sim_result *res = ctx->res;
    sb__rng_init(&t->rng, opt->seed, i, SB_RNG_INIT, 0);
    sb__person_init(&t->p, &t->var->sc, &t->rng);
    t->traj = trajectory_index(res, i);
    t->streak = t->attended = t->dose_due = 0;
    t->course_scores = t->course_closed = 0;
    for (int j = 0; j < 4; j++)
        t->true_ring[j] = INFINITY;
    t->dose = res->dose ? res->dose + i * (size_t)res->dose_sessions : NULL;
    for (int d = 0; t->dose && d < res->dose_sessions; d++)
        t->dose[d] = NAN;
    res->person[i].weeks_to_stable = -1;
}

/* Week w of person i: observe, record, track, then step to week w + 1.
 * `z` is the person's column of the block's first four normals (stride
 * SB_RNG_LANES), which their stream would draw first, valid when `fast`. */
static void person_week(const run_ctx *ctx, size_t i, tracker *t, int w,
                        const uint32_t *column, const double *z, int fast,
                        week_acc *acc, sb_snapshot *snapshot)
{
    const sb_params *k = &t->var->sc.params;
    sb_sim_result *res = ctx->res;
    sb__person_record *rec = &res->person[i];
    sb__person *p = &t->p;
    int weeks = res->weeks;

    sb__rng_week_from(&t->rng, SB_RNG_WEEK, (uint32_t)(w + ctx->burn_in),
                      column, ctx->ahead);
    /* The true scores: the working model and this week's state; then the
     * observed ones. */
    double a, v, oa, ov;
    if (fast) {
        a = sb__person_true_of(p->a, k->state_sd, z[0]);
        v = sb__person_true_of(p->v, k->state_sd, z[SB_RNG_LANES]);
        oa = sb__person_observe_of(a, k->sem_anxiety, z[2 * SB_RNG_LANES]);
        ov = sb__person_observe_of(v, k->sem_avoidance, z[3 * SB_RNG_LANES]);
        t->rng.next += 4 * SB_RNG_LANES;
    } else {
        a = sb__person_true(p->a, k->state_sd, &t->rng);
        v = sb__person_true(p->v, k->state_sd, &t->rng);
        oa = sb__person_observe(a, k->sem_anxiety, &t->rng);
        ov = sb__person_observe(v, k->sem_avoidance, &t->rng);
    }
    double comp = (a + v) / 2, obs = (oa + ov) / 2;
    /* both comparisons, without a branch between them: whether a person
     * is secure this week is a coin the processor cannot predict */
    int secure = (a < k->secure_cutoff) & (v < k->secure_cutoff);

    week_acc_add(acc, a, v, p, secure);
    if (snapshot)
        snapshot[i] = (sb_snapshot){(float)a, (float)v, (float)oa, (float)ov};
    sb_trajectory_point *point = NULL;
    if (t->traj >= 0) {
        point = &res->trajectory[(size_t)t->traj * ((size_t)weeks + 1) +
                                 (size_t)w];
        *point = (sb_trajectory_point){(float)a, (float)v, (float)oa,
                                       (float)ov, (float)p->s, (float)p->c,
                                       (float)p->pa, (float)p->pv, 0, 0, 0};
    }
    if (w == 0) {
        res->baseline_composite[i] = (float)comp;
        rec->secure_baseline = (uint8_t)secure;
    }
    /* Last week's sessions: the composite after them is this week's. */
    for (int d = t->attended - t->dose_due; d < t->attended; d++)
        if (t->dose && d < res->dose_sessions)
            t->dose[d] = (float)comp;

    /* Setback: the composite rose by setback_rise above its lowest value
     * of the last four weeks. */
    if (w >= 1) {
        double lo = comp; /* fmin: no NaN here; weeks before 0 are +inf */
        for (int j = 0; j < 4; j++)
            lo = t->true_ring[j] < lo ? t->true_ring[j] : lo;
        if (comp - lo >= k->setback_rise)
            rec->setback = 1;
    }
    t->true_ring[w % 4] = comp;

    t->streak = secure ? t->streak + 1 : 0;
    if (t->streak == (int)k->stable_weeks && rec->weeks_to_stable < 0)
        rec->weeks_to_stable = (int16_t)(w - t->streak + 1);

    if (w == weeks) {
        course_close(t, rec);
        return;
    }
    sb__week_events ev;
    sb__person_step(p, &t->var->plan, w, &t->rng, &ev);
    t->attended += ev.sessions_attended;
    t->dose_due = ev.sessions_attended;
    if (point) {
        point->events = ev.struck;
        point->sessions = (uint16_t)ev.sessions_attended;
        point->stress_events = (uint16_t)(ev.stress_events < UINT16_MAX
                                              ? ev.stress_events : UINT16_MAX);
    }
    /* The course series: this week's observed composite, the score a
     * questionnaire at its session would give. */
    if (w >= ctx->course_start && w < ctx->course_end &&
        (ctx->course_weekly || ev.sessions_attended > 0))
        course_score(t, obs, rec);
    if (w + 1 == ctx->course_end)
        course_close(t, rec);
}

/*
 * A group of people simulated week by week together, so that each week's
 * accumulators are touched by the whole group while they are in cache, in
 * blocks whose random words of a week are computed in one vectorised pass.
 * A week's accumulators are spread over a few kilobytes (its histograms)
 * and a run holds one set a week, more than the cache keeps, so a group
 * of several blocks shares each week's misses. Every person keeps their
 * own stream: grouping changes no number.
 */
#define BLOCK SB_RNG_LANES
#define GROUP_BLOCKS 16
#define GROUP (GROUP_BLOCKS * BLOCK)

/* A thread's people in flight and their words (a few hundred kilobytes:
 * on the heap, not a thread's stack). */
typedef struct group_space {
    tracker t[GROUP];
    sb__rng_block words[GROUP_BLOCKS];
} group_space;

static void simulate_group(const run_ctx *ctx, size_t first, size_t count,
                           group_space *space, week_acc *acc, uint64_t *draws)
{
    tracker *t = space->t;
    sb__rng_block *words = space->words;
    uint64_t seed = ctx->opt->seed;
    int burn = ctx->burn_in;
    size_t blocks = (count + BLOCK - 1) / BLOCK;
    for (size_t j = 0; j < count; j++)
        person_start(ctx, first + j, &t[j]);
    /* Burn-in, week by week: a block's words of a week are computed
     * together, then each person draws from their own column. */
    for (int w = -burn; w < 0; w++) {
        uint32_t at = (uint32_t)(w + burn);
        for (size_t b = 0; b < blocks; b++) {
            size_t lo = b * BLOCK, hi = lo + BLOCK < count ? lo + BLOCK : count;
            sb__rng_block_fill(words[b], ctx->ahead_burn_in, seed, first + lo,
                               SB_RNG_WEEK, at, SB_RNG_ISA_AUTO);
            for (size_t j = lo; j < hi; j++) {
                sb__week_events ev;
                sb__rng_week_from(&t[j].rng, SB_RNG_WEEK, at,
                                  &words[b][0][j - lo], ctx->ahead_burn_in);
                sb__person_step(&t[j].p, &t[j].var->plan, w, &t[j].rng, &ev);
            }
        }
    }
    for (size_t j = 0; j < count; j++) {
        t[j].p.pa0 = t[j].p.pa;
        t[j].p.pv0 = t[j].p.pv;
    }
    /* The four score normals that open everyone's week, for a block at
     * once, from the words computed ahead (always at least four) */
    double z[4][SB_RNG_LANES];
    int32_t fast[SB_RNG_LANES] = {0};
    for (int w = 0; w <= ctx->res->weeks; w++) {
        /* found once for the group, not once a person-week */
        int s = sb__sim_snapshot_index(ctx->res, w);
        sb_snapshot *snapshot = s >= 0 ? ctx->res->snapshot[s] : NULL;
        /* The week's accumulators have left the core's own caches (the group
         * went through every other week since); asked for at once, their lines
         * arrive while the first block's words are computed, rather than
         * one miss at a time as people land in their bins. */
        for (const char *c = (const char *)&acc[w];
             c < (const char *)&acc[w + 1]; c += 64)
            __builtin_prefetch(c, 1);
        for (size_t b = 0; b < blocks; b++) {
            size_t lo = b * BLOCK, hi = lo + BLOCK < count ? lo + BLOCK : count;
            sb__rng_block_fill(words[b], ctx->ahead, seed, first + lo,
                               SB_RNG_WEEK, (uint32_t)(w + burn),
                               SB_RNG_ISA_AUTO);
            if (ctx->ahead >= 4)
                sb__normal_block(words[b], 4, z, fast, SB_RNG_ISA_AUTO);
            for (size_t j = lo; j < hi; j++)
                person_week(ctx, first + j, &t[j], w, &words[b][0][j - lo],
                            &z[0][j - lo], fast[j - lo], &acc[w], snapshot);
        }
    }
    for (size_t j = 0; j < count; j++) {
        const sb__person *p = &t[j].p;
        ctx->res->person[first + j].prototype_revision =
            (float)hypot(p->pa - p->pa0, p->pv - p->pv0);
        *draws += sb__rng_draws(&t[j].rng);
    }
}

/* Whether sessions are scheduled in some week of the therapy course: by
 * the therapy's own rate, or by a timeline change before the course ends. */
static int course_has_sessions(const sb_scenario *sc)
{
    if (sc->therapy.sessions_per_week > 0)
        return 1;
    int end = sb_scenario_therapy_end(sc);
    for (size_t i = 0; i < sc->timeline_count; i++) {
        const sb_timeline_entry *e = &sc->timeline[i];
        if (e->week < end && e->share > 0 &&
            e->therapy.sessions_per_week > 0) /* false for NAN */
            return 1;
    }
    return 0;
}

static sb_status prepare(sb_sim_result *res, const sb_scenario *sc,
                         const sb_sim_options *opt, sb_error *err)
{
    /* Weekly counts (secure, histogram bins) are 32-bit, and person
     * indices must fit in 32 bits for the trajectory sampling arithmetic
     * (i * K) to stay within 64. */
    if (opt->persons == 0 || opt->persons > UINT32_MAX)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "persons is %zu; allowed 1..%lu", opt->persons,
                            (unsigned long)UINT32_MAX);
    if (opt->weeks < 0 || opt->weeks > SB_MAX_WEEKS)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "weeks is %d; allowed 0..%d (0: the scenario's)",
                            opt->weeks, SB_MAX_WEEKS);
    if (opt->dose_sessions < 0 || opt->dose_sessions > SB_SIM_MAX_DOSE)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "dose_sessions is %d; allowed 0..%d",
                            opt->dose_sessions, SB_SIM_MAX_DOSE);
    if (opt->snapshot_count > SB_SIM_MAX_SNAPSHOTS)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "%zu snapshot weeks; at most %d",
                            opt->snapshot_count, SB_SIM_MAX_SNAPSHOTS);
    if (opt->param_set_count > SB_SIM_MAX_PARAM_SETS ||
        (opt->param_set_count && (!opt->param_sets || !opt->param_set_of)))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "%zu parameter sets; allowed 0..%d, with the sets "
                            "and the function that picks one per person",
                            opt->param_set_count, SB_SIM_MAX_PARAM_SETS);
    sb_status st = sb_scenario_check(sc, err);
    if (st != SB_OK)
        return st;
    res->persons = opt->persons;
    res->weeks = opt->weeks ? opt->weeks : sb_scenario_weeks(sc);
    if (res->weeks < 1)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "scenario '%s' simulates no weeks; give therapy "
                            "weeks, follow-up weeks or a number of weeks",
                            sc->name);
    int end = sb_scenario_therapy_end(sc);
    res->summary.therapy_end_week = end < res->weeks ? end : res->weeks;
    res->course_start = sc->therapy.start_week < res->weeks
                            ? sc->therapy.start_week : res->weeks;
    res->course_end = res->summary.therapy_end_week;
    res->summary.followup_week = res->weeks;
    add_snapshot_week(res, 0);
    add_snapshot_week(res, res->summary.therapy_end_week);
    add_snapshot_week(res, res->weeks);
    for (size_t s = 0; s < opt->snapshot_count; s++) {
        int w = opt->snapshot_weeks[s];
        if (w < 0 || w > res->weeks)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "snapshot week %d is outside 0..%d", w,
                                res->weeks);
        add_snapshot_week(res, w); /* room: 3 + SB_SIM_MAX_SNAPSHOTS */
    }
    res->trajectory_count = opt->trajectories < opt->persons
                                ? opt->trajectories : opt->persons;
    return alloc_result(res, opt, err);
}

static void variant_init(variant *v)
{
    const sb_params *k = &v->sc.params;
    double sem_comp = sqrt(k->sem_anxiety * k->sem_anxiety +
                           k->sem_avoidance * k->sem_avoidance) / 2;
    v->rci = 1.96 * sqrt(2.0) * sem_comp;
    sb__step_plan_init(&v->plan, &v->sc);
}

/* The scenario's constants, or one variant per parameter set with the
 * shared definitions kept from the scenario; every set is range-checked. */
static sb_status make_variants(run_ctx *ctx, sb_error *err)
{
    const sb_sim_options *opt = ctx->opt;
    size_t n = opt->param_set_count ? opt->param_set_count : 1;
    ctx->variants = malloc(n * sizeof *ctx->variants);
    if (!ctx->variants)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for %zu parameter sets", n);
    ctx->variant_count = n;
    for (size_t i = 0; i < n; i++) {
        variant *v = &ctx->variants[i];
        v->sc = *ctx->sc;
        if (opt->param_set_count) {
            const sb_params *own = &ctx->sc->params;
            v->sc.params = opt->param_sets[i];
            v->sc.params.secure_cutoff = own->secure_cutoff;
            v->sc.params.stable_weeks = own->stable_weeks;
            v->sc.params.setback_rise = own->setback_rise;
            v->sc.params.burn_in_weeks = own->burn_in_weeks;
            sb_status st = sb_scenario_check(&v->sc, err);
            if (st != SB_OK) {
                sb_error_prefix(err, "parameter set %zu: ", i);
                return st;
            }
        }
        variant_init(v);
    }
    return SB_OK;
}

sb_status sb_simulate(const sb_scenario *sc, const sb_sim_options *opt,
                      sb_sim_result **out, sb_error *err)
{
    *out = NULL;
    sb_sim_result *res = calloc(1, sizeof *res);
    if (!res)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    sb_status st = prepare(res, sc, opt, err);
    if (st != SB_OK) {
        sb_sim_result_free(res);
        return st;
    }
    for (size_t j = 0; j < res->trajectory_count; j++)
        res->trajectory_person[j] = j * res->persons / res->trajectory_count;

    run_ctx ctx = {sc, NULL, 0, opt, res, (int)sc->params.burn_in_weeks, 0,
                   res->course_start, res->course_end,
                   !course_has_sessions(sc), SB_RNG_AHEAD, SB_RNG_AHEAD};
    st = make_variants(&ctx, err);
    if (st == SB_OK) {
        /* the weeks after burn-in draw the four scores' normals too */
        ctx.ahead_burn_in = words_ahead(
            sb__step_plan_words(&ctx.variants[0].plan, 1));
        ctx.ahead =
            words_ahead(4 + sb__step_plan_words(&ctx.variants[0].plan, 0));
    }
    size_t weeks1 = (size_t)res->weeks + 1;
    week_acc *total = st == SB_OK ? calloc(weeks1, sizeof *total) : NULL;
    if (!total) {
        free(ctx.variants);
        sb_sim_result_free(res);
        return st != SB_OK ? st
                           : sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                          "out of memory");
    }
    int failed = 0;
    size_t done = 0;
    uint64_t draws = 0;
    int threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    long n = (long)res->persons;
    /* Groups of up to GROUP people, smaller when there are too few people
     * for every thread to have one (grouping changes no number). */
    long blocks = (n + BLOCK - 1) / BLOCK;
    long per_thread = (blocks + threads - 1) / threads;
    long group =
        (per_thread < GROUP_BLOCKS ? per_thread : GROUP_BLOCKS) * BLOCK;
    long groups = (n + group - 1) / group;

#pragma omp parallel num_threads(threads) reduction(+ : draws)
    {
        week_acc *acc = calloc(weeks1, sizeof *acc);
        group_space *space = malloc(sizeof *space);
        if (!acc || !space) {
            free(acc);
            acc = NULL;
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (long g = 0; g < groups; g++) {
            if (!acc)
                continue;
            size_t first = (size_t)(g * group);
            size_t count = (size_t)(n - (long)first) < (size_t)group
                               ? (size_t)(n - (long)first) : (size_t)group;
            simulate_group(&ctx, first, count, space, acc, &draws);
            size_t now;
#pragma omp atomic capture
            now = done += count;
            if (opt->progress && omp_get_thread_num() == 0)
                opt->progress(opt->progress_ctx, (double)now / (double)n);
        }
        if (acc) {
#pragma omp critical(sb_sim_merge)
            for (size_t w = 0; w < weeks1; w++)
                week_acc_merge(&total[w], &acc[w]);
            free(acc);
        }
        free(space);
    }
    free(ctx.variants);
    if (failed || ctx.bad_set) {
        free(total);
        sb_sim_result_free(res);
        if (ctx.bad_set)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "a person was given a parameter set beyond "
                                "the %zu there are",
                                opt->param_set_count);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for per-thread statistics");
    }
    res->draws = draws;
    double nn = (double)res->persons;
    for (size_t w = 0; w < weeks1; w++) {
        sb_week_stats *s = &res->week[w];
        const week_acc *a = &total[w];
        static const double q[5] = {0.10, 0.25, 0.50, 0.75, 0.90};
        s->mean_anxiety = (double)a->sum_a / FIXED_SCALE / nn;
        s->mean_avoidance = (double)a->sum_v / FIXED_SCALE / nn;
        s->mean_awareness = (double)a->sum_s / FIXED_SCALE / nn;
        s->mean_consolidation = (double)a->sum_c / FIXED_SCALE / nn;
        s->share_secure = a->secure / nn;
        for (int j = 0; j < 5; j++) {
            s->pct_anxiety[j] = hist_percentile(a->hist_a, res->persons, q[j]);
            s->pct_avoidance[j] = hist_percentile(a->hist_v, res->persons, q[j]);
        }
    }
    free(total);
    st = sb__sim_summarize(res, err);
    if (st != SB_OK) {
        sb_sim_result_free(res);
        return st;
    }
    if (opt->progress)
        opt->progress(opt->progress_ctx, 1.0);
    *out = res;
    return SB_OK;
}
