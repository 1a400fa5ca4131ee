/*
 * The simulator's numbers, pinned: every output of sb_simulate (weekly
 * statistics, summary, per-person records, snapshots, dose-response,
 * trajectories and the count of random words) for a handful of scenarios
 * that between them take every path of the weekly step (timelines of every
 * kind, fractional sessions, Poisson means beyond the tabulated range, ...)
 * is hashed and compared with the hash recorded here, on 1 and 2 threads.
 *
 * A change that makes the simulator faster must leave these hashes alone.
 * A change to the model's meaning changes them on purpose: run this test,
 * check the new figures, and copy the hashes it prints into `golden`.
 */
#include "support.h"

#include "model/sim.h"

#include <securebase/scenario.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* FNV-1a, 64-bit, fed every value's bits lowest byte first, so the hash
 * of the same numbers is the same on any byte order. */
typedef struct hasher {
    uint64_t h;
} hasher;

static void feed(hasher *x, uint64_t bits, int bytes)
{
    for (int i = 0; i < bytes; i++) {
        x->h ^= (bits >> (8 * i)) & 0xffu;
        x->h *= 0x100000001b3ull;
    }
}

static void feed_double(hasher *x, double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    feed(x, b, 8);
}

static void feed_float(hasher *x, float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    feed(x, b, 4);
}

static void feed_week(hasher *x, const sb_week_stats *s)
{
    feed_double(x, s->mean_anxiety);
    feed_double(x, s->mean_avoidance);
    for (int j = 0; j < 5; j++) {
        feed_double(x, s->pct_anxiety[j]);
        feed_double(x, s->pct_avoidance[j]);
    }
    feed_double(x, s->share_secure);
    feed_double(x, s->mean_awareness);
    feed_double(x, s->mean_consolidation);
}

static void feed_summary(hasher *x, const sb_sim_summary *s)
{
    feed(x, (uint64_t)s->therapy_end_week, 4);
    feed(x, (uint64_t)s->followup_week, 4);
    const double v[] = {
        s->secure_baseline, s->secure_end, s->secure_followup,
        s->change_anxiety_end, s->change_avoidance_end, s->d_anxiety_end,
        s->d_avoidance_end, s->change_anxiety_followup,
        s->change_avoidance_followup, s->d_anxiety_followup,
        s->d_avoidance_followup, s->prototype_revision, s->share_setback,
        s->share_sudden_gain, s->share_sudden_loss, s->share_stable,
        s->median_weeks_stable};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        feed_double(x, v[i]);
}

static void feed_point(hasher *x, const sb_trajectory_point *p)
{
    const float f[] = {p->anxiety, p->avoidance, p->obs_anxiety,
                       p->obs_avoidance, p->awareness, p->consolidation,
                       p->proto_anxiety, p->proto_avoidance};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        feed_float(x, f[i]);
    feed(x, p->events, 8);
    feed(x, p->sessions, 2);
    feed(x, p->stress_events, 2);
}

/* Every output of a run, field by field (no padding bytes). */
static uint64_t result_hash(const sb_sim_result *res)
{
    hasher x = {0xcbf29ce484222325ull};
    size_t n = res->persons;
    int weeks = res->weeks;
    feed(&x, n, 8);
    feed(&x, (uint64_t)weeks, 4);
    for (int w = 0; w <= weeks; w++)
        feed_week(&x, &res->week[w]);
    feed_summary(&x, &res->summary);
    for (size_t i = 0; i < n; i++) {
        const sb__person_record *r = &res->person[i];
        feed_float(&x, r->prototype_revision);
        feed(&x, (uint16_t)r->weeks_to_stable, 2);
        feed(&x, r->secure_baseline, 1);
        feed(&x, r->setback, 1);
        feed(&x, r->sudden_gain, 1);
        feed(&x, r->sudden_loss, 1);
        feed_float(&x, res->baseline_composite[i]);
    }
    for (size_t s = 0; s < res->snapshot_count; s++) {
        feed(&x, (uint64_t)res->snapshot_week[s], 4);
        for (size_t i = 0; i < n; i++) {
            const sb_snapshot *p = &res->snapshot[s][i];
            feed_float(&x, p->anxiety);
            feed_float(&x, p->avoidance);
            feed_float(&x, p->obs_anxiety);
            feed_float(&x, p->obs_avoidance);
        }
    }
    for (size_t i = 0; i < n * (size_t)res->dose_sessions; i++)
        feed_float(&x, res->dose[i]);
    for (size_t k = 0; k < res->trajectory_count; k++) {
        feed(&x, res->trajectory_person[k], 8);
        for (int w = 0; w <= weeks; w++)
            feed_point(&x, &res->trajectory[k * ((size_t)weeks + 1) + (size_t)w]);
    }
    feed(&x, res->draws, 8);
    return x.h;
}

/*
 * Every scenario here is written out in full, down to the last model
 * constant, so that the recorded hashes depend on the simulator alone: a
 * change of the built-in defaults or of the seed scenario files (say, to
 * the medians of a calibration) must not move them. The values are those
 * the defaults and the seed files held when the hashes were recorded.
 */
static const sb_params pinned_params = {
    .proto_center = {{2.7, 2.2}, {4.6, 2.7}, {2.8, 3.9}, {4.7, 4.4}},
    .proto_sd = 0.3,
    .pull = 0.03,
    .pull_consolidation = 0.9,
    .revision = 0.05,
    .learning = 0.0035,
    .learning_awareness = 1.0,
    .session_intensity = 6.5,
    .avoidance_learning = 0.6,
    .quality_noise = 0.3,
    .bias_anxiety = 0.3,
    .bias_avoidance = 0.3,
    .target_secure = 1.5,
    .target_insecure = 4.0,
    .rejection_push = 0.3,
    .inconsistency_push = 0.5,
    .breakthrough_rate = 0.22,
    .breakthrough_share = 0.45,
    .awareness_therapy = 0.03,
    .awareness_reflection = 0.01,
    .awareness_decay = 0.01,
    .consolidation_practice = 0.02,
    .consolidation_therapy = 0.005,
    .consolidation_decay = 0.005,
    .stress_size = 1.6,
    .stress_buffer = 0.15,
    .stress_to_prototype = 4.0,
    .stress_anxiety = 1.0,
    .stress_avoidance = 1.2,
    .stress_consolidation = 0.85,
    .stress_awareness = 0.2,
    .stress_lasting = 0.06,
    .residue_decay = 0.006,
    .noise = 0.06,
    .state_sd = 0.17,
    .sem_anxiety = 0.35,
    .sem_avoidance = 0.39,
    .secure_cutoff = 4.0,
    .stable_weeks = 26,
    .setback_rise = 1.0,
    .burn_in_weeks = 520,
};

static void add_relationship(sb_scenario *sc, const sb_relationship *r)
{
    sc->relationships[sc->relationship_count++] = *r;
}

/* Adults in general, with three everyday relationships, no intervention. */
static void general_population(sb_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    snprintf(sc->name, sizeof sc->name, "general-population");
    sb_population *pop = &sc->population;
    const double shares[SB_PROTO_COUNT] = {0.59, 0.11, 0.25, 0.05};
    memcpy(pop->prototype_share, shares, sizeof shares);
    pop->plasticity = (sb_dist){1.0, 0.3, 0.2, 3.0};
    pop->stress_per_year = (sb_dist){0.675, 0.5, 0.0, 20.0};
    pop->positive_per_year = (sb_dist){0.02, 0.015, 0.0, 20.0};
    pop->awareness = (sb_dist){0.3, 0.15, 0.0, 1.0};
    sc->therapy = (sb_therapy){0.0, 0, 0, 0.8, 0.75, 0.85, 0.6};
    sc->reflection = (sb_habit){0.0, 0, -1};
    sc->practice = (sb_habit){0.0, 0, -1};
    add_relationship(sc, &(sb_relationship){"partner", SB_REL_PARTNER, 0.6,
                                            0.65, 0.7, 5.0, 0.5, 1, 0, -1});
    add_relationship(sc, &(sb_relationship){"friends", SB_REL_FRIEND, 0.8,
                                            0.6, 0.7, 2.0, 0.25, 1, 0, -1});
    add_relationship(sc, &(sb_relationship){"family", SB_REL_FAMILY, 0.7,
                                            0.5, 0.6, 1.5, 0.3, 0, 0, -1});
    sc->followup_weeks = 520;
    sc->params = pinned_params;
}

/* A clinical population (insecure prototypes over-represented, more stress,
 * a less responsive partner) on a waiting list: no sessions. */
static void no_therapy(sb_scenario *sc)
{
    general_population(sc);
    snprintf(sc->name, sizeof sc->name, "no-therapy");
    sb_population *pop = &sc->population;
    const double shares[SB_PROTO_COUNT] = {0.25, 0.30, 0.20, 0.25};
    memcpy(pop->prototype_share, shares, sizeof shares);
    pop->stress_per_year = (sb_dist){3.0, 2.25, 0.0, 20.0};
    sc->therapy = (sb_therapy){0.0, 4, 40, 0.8, 0.75, 0.85, 0.6};
    sc->relationships[0].responsiveness = 0.6;
    sc->relationships[0].consistency = 0.65;
    sc->followup_weeks = 52;
}

/* The clinical population with every force: weekly therapy, a supportive
 * friend, reflection, practice and, for half, a secure partner. */
static void all_factors(sb_scenario *sc)
{
    no_therapy(sc);
    snprintf(sc->name, sizeof sc->name, "all-factors");
    sc->therapy.sessions_per_week = 1.0;
    sc->reflection = (sb_habit){2.0, 4, -1};
    sc->practice = (sb_habit){2.0, 4, -1};
    add_relationship(sc, &(sb_relationship){"close-support", SB_REL_FRIEND,
                                            1.0, 0.75, 0.8, 2.0, 0.35, 1, 4,
                                            -1});
    add_relationship(sc, &(sb_relationship){"secure-partner", SB_REL_PARTNER,
                                            0.5, 0.8, 0.85, 5.0, 0.5, 1, 12,
                                            -1});
}

static void add_entry(sb_scenario *sc, int week, double share, int event,
                      double size, sb_timeline_entry **out)
{
    sb_timeline_entry *e = &sc->timeline[sc->timeline_count++];
    sb_timeline_entry_default(e);
    e->week = week;
    e->share = share;
    e->event = event;
    e->size = event != SB_EVENT_NONE ? size : 0;
    if (out)
        *out = e;
}

/* all-factors with a timeline that uses every kind of event and every kind
 * of change, most for a share of the people. */
static void timeline_scenario(sb_scenario *sc)
{
    all_factors(sc);
    snprintf(sc->name, sizeof sc->name, "timeline");
    sb_timeline_entry *e;
    add_entry(sc, 3, 0.5, SB_EVENT_NEGATIVE, 1.2, NULL);
    add_entry(sc, 5, 0.6, SB_EVENT_NONE, 0, &e);
    e->stress_factor = 3;
    e->positive_factor = 4;
    add_entry(sc, 6, 1.0, SB_EVENT_POSITIVE, 0.8, NULL);
    add_entry(sc, 8, 0.3, SB_EVENT_BREAKUP, 2.0, &e);
    snprintf(e->ends, sizeof e->ends, "close-support");
    add_entry(sc, 9, 0.5, SB_EVENT_NONE, 0, &e);
    e->therapy = (sb_therapy_change){0.5, 0.9, 0.6, 0.5, 0.7};
    add_entry(sc, 10, 0.4, SB_EVENT_LOSS, 2.5, NULL);
    add_entry(sc, 12, 0.5, SB_EVENT_NONE, 0, &e);
    e->reflection_per_week = 4;
    e->practice_per_week = 0;
    add_entry(sc, 14, 0.5, SB_EVENT_NEW_SECURE_PARTNER, 1.0, &e);
    snprintf(e->begins, sizeof e->begins, "secure-partner");
    add_entry(sc, 16, 0.2, SB_EVENT_NONE, 0, &e);
    e->therapy.sessions_per_week = 0;
    add_entry(sc, 18, 0.6, SB_EVENT_RECONCILIATION, 0.7, NULL);
    add_entry(sc, 24, 1.0, SB_EVENT_NONE, 0, &e);
    e->therapy.sessions_per_week = 2;
    add_entry(sc, 30, 0.7, SB_EVENT_NONE, 0, &e);
    snprintf(e->begins, sizeof e->begins, "close-support");
    e->stress_factor = 1;
}

/* Paths the seed scenarios rarely take: Poisson means of 10 and more (the
 * rejection sampler), fractional sessions, many events, a relationship
 * that ends, practice and reflection windows that close, and a short
 * burn-in. */
static void edge_scenario(sb_scenario *sc)
{
    general_population(sc);
    snprintf(sc->name, sizeof sc->name, "edge");
    sc->therapy = (sb_therapy){1.5, 2, 30, 0.7, 0.7, 0.6, 0.6};
    sc->reflection = (sb_habit){12.0, 0, 20};
    sc->practice = (sb_habit){3.5, 5, 25};
    sc->relationships[0].contacts_per_week = 14;
    sc->relationships[1].end_week = 15;
    sc->population.stress_per_year = (sb_dist){8, 6, 8, 9};
    sc->population.positive_per_year = (sb_dist){4, 3, 0, 20};
    sc->population.plasticity = (sb_dist){1.0, 0.9, 0.05, 3.0};
    /* intervals that hold little mass: the truncated normal's other samplers */
    sc->population.awareness = (sb_dist){0.5, 0.5, 0.45, 0.6};
    sc->followup_weeks = 10;
    sc->params.burn_in_weeks = 60;
}

typedef struct golden {
    const char *scenario;
    size_t persons;
    int weeks; /* 0: the scenario's */
    uint64_t seed;
    size_t trajectories;
    int dose;
    uint64_t hash;
} golden;

static const golden goldens[] = {
    {"all-factors", 600, 0, 11, 7, 12, 0x3bb1c004baed1519ull},
    {"no-therapy", 500, 30, 12, 5, 0, 0x902df06c64d66af7ull},
    {"general-population", 400, 20, 13, 4, 0, 0x20d1b53f6fbed28cull},
    {"timeline", 700, 60, 14, 9, 8, 0x0c8114ad2e24a926ull},
    {"edge", 500, 0, 15, 6, 20, 0xc8792324b01ee523ull},
};

static void load(const char *name, sb_scenario *sc)
{
    static const struct {
        const char *name;
        void (*build)(sb_scenario *);
    } builders[] = {
        {"all-factors", all_factors},
        {"no-therapy", no_therapy},
        {"general-population", general_population},
        {"timeline", timeline_scenario},
        {"edge", edge_scenario},
    };
    size_t i = 0;
    while (strcmp(builders[i].name, name))
        i++;
    builders[i].build(sc);
    sb_error err;
    if (sb_scenario_check(sc, &err) != SB_OK)
        print_error("%s: %s\n", name, err.message);
    assert_int_equal(sb_scenario_check(sc, NULL), SB_OK);
}

static uint64_t run_hash(const sb_scenario *sc, const golden *g, int threads)
{
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.persons = g->persons;
    opt.weeks = g->weeks;
    opt.seed = g->seed;
    opt.threads = threads;
    opt.trajectories = g->trajectories;
    opt.dose_sessions = g->dose;
    opt.snapshot_weeks[0] = 7;
    opt.snapshot_count = 1;
    sb_sim_result *res = NULL;
    sb_error err;
    sb_status st = sb_simulate(sc, &opt, &res, &err);
    if (st != SB_OK)
        print_error("%s: %s\n", g->scenario, err.message);
    assert_int_equal(st, SB_OK);
    uint64_t h = result_hash(res);
    sb_sim_result_free(res);
    return h;
}

static void results_keep_their_recorded_bytes(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < sizeof goldens / sizeof goldens[0]; i++) {
        const golden *g = &goldens[i];
        sb_scenario sc;
        load(g->scenario, &sc);
        for (int threads = 1; threads <= 2; threads++) {
            uint64_t h = run_hash(&sc, g, threads);
            if (h != g->hash) {
                print_message("%-20s %d thread(s): hash 0x%016" PRIx64
                              "ull, recorded 0x%016" PRIx64 "ull\n",
                              g->scenario, threads, h, g->hash);
                failed = 1;
            }
        }
    }
    if (failed)
        fail_msg("the simulator's results changed (see the hashes above)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(results_keep_their_recorded_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
