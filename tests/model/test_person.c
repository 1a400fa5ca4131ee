/*
 * Tests of the weekly step in src/model/person.c: hand-computed updates in
 * isolated settings, bounds under hostile parameters, and who acts when.
 */
#include "support.h"

#include "model/person.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A scenario in which nothing acts unless a test switches it on. */
static void quiet_scenario(sb_scenario *sc)
{
    sb_scenario_default(sc);
    sc->relationship_count = 0;
    sc->population.stress_per_year = (sb_dist){0, 0, 0, 0};
    sc->population.positive_per_year = (sb_dist){0, 0, 0, 0};
    sc->params.noise = 0;
    sc->params.revision = 0;
}

static sb__person person_at(double a, double v, double pa, double pv)
{
    sb__person p;
    memset(&p, 0, sizeof p);
    p.a = a;
    p.v = v;
    p.pa = p.pa0 = pa;
    p.pv = p.pv0 = pv;
    p.plasticity = 1;
    p.s = p.s_base = 0.3;
    return p;
}

static void pull_closes_its_share_of_the_gap(void **state)
{
    (void)state;
    sb_scenario sc;
    quiet_scenario(&sc);
    sc.params.pull = 0.1;
    sb__person p = person_at(5.0, 2.0, 3.0, 4.0);
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    sb__rng r;
    sb__week_events ev;
    sb__rng_init(&r, 1, 0, SB_RNG_WEEK, 0);
    sb__person_step(&p, &plan, 0, &r, &ev);
    assert_near(p.a, 5.0 + 0.1 * (3.0 - 5.0), 1e-12);
    assert_near(p.v, 2.0 + 0.1 * (4.0 - 2.0), 1e-12);
    /* Consolidation weakens the pull: c = 0.5, pull_consolidation 0.8. */
    p = person_at(5.0, 2.0, 3.0, 4.0);
    p.c = 0.5;
    sc.params.pull_consolidation = 0.8;
    sc.params.consolidation_decay = 0;
    sb__person_step(&p, &plan, 0, &r, &ev);
    assert_near(p.a, 5.0 + 0.1 * 0.6 * (3.0 - 5.0), 1e-12);
}

static void revision_moves_the_prototype_only_with_consolidation(void **state)
{
    (void)state;
    sb_scenario sc;
    quiet_scenario(&sc);
    sc.params.pull = 0;
    sc.params.revision = 0.05;
    sc.params.consolidation_decay = 0;
    sb__person p = person_at(2.0, 2.0, 5.0, 5.0);
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    sb__rng r;
    sb__week_events ev;
    sb__rng_init(&r, 1, 0, SB_RNG_WEEK, 0);
    sb__person_step(&p, &plan, 0, &r, &ev);
    assert_near(p.pa, 5.0, 0);
    p.c = 0.5;
    sb__person_step(&p, &plan, 1, &r, &ev);
    assert_near(p.pa, 5.0 + 0.05 * 0.5 * (2.0 - 5.0), 1e-12);
}

static void awareness_decays_toward_its_baseline(void **state)
{
    (void)state;
    sb_scenario sc;
    quiet_scenario(&sc);
    sc.params.awareness_decay = 0.1;
    sb__person p = person_at(3, 3, 3, 3);
    p.s = 0.8;
    p.s_base = 0.3;
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    sb__rng r;
    sb__week_events ev;
    sb__rng_init(&r, 1, 0, SB_RNG_WEEK, 0);
    sb__person_step(&p, &plan, 0, &r, &ev);
    assert_near(p.s, 0.8 - 0.1 * 0.5, 1e-12);
}

static void therapy_acts_only_in_its_window_and_never_in_burn_in(void **state)
{
    (void)state;
    sb_scenario sc;
    quiet_scenario(&sc);
    sc.therapy = (sb_therapy){1.0, 10, 5, 1.0, 0.8, 1.0, 0.6};
    sb__person p = person_at(5, 5, 5, 5);
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    sb__rng r;
    sb__week_events ev;
    int attended[30];
    for (int w = -5; w < 25; w++) {
        sb__rng_init(&r, 1, 0, SB_RNG_WEEK, (uint32_t)(w + 5));
        sb__person_step(&p, &plan, w, &r, &ev);
        attended[w + 5] = ev.sessions_attended;
    }
    for (int w = -5; w < 25; w++)
        assert_int_equal(attended[w + 5], w >= 10 && w < 15 ? 1 : 0);
    /* Sessions moved the person toward security. */
    assert_true(p.a < 5 && p.v < 5);
}

static void attendance_rate_is_respected(void **state)
{
    (void)state;
    sb_scenario sc;
    quiet_scenario(&sc);
    sc.therapy = (sb_therapy){2.5, 0, 4000, 0.7, 0.8, 1.0, 0.6};
    sb__person p = person_at(4, 4, 4, 4);
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    sb__rng r;
    sb__week_events ev;
    long attended = 0;
    for (int w = 0; w < 4000; w++) {
        sb__rng_init(&r, 3, 0, SB_RNG_WEEK, (uint32_t)w);
        sb__person_step(&p, &plan, w, &r, &ev);
        attended += ev.sessions_attended;
    }
    /* 2.5 scheduled a week x 0.7 attended = 1.75 a week. */
    assert_true(fabs(attended / 4000.0 - 1.75) < 0.06);
}

static void state_stays_on_the_scale_under_extreme_forces(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_scenario_default(&sc);
    sc.params.noise = 2;
    sc.params.stress_size = 5;
    sc.params.learning = 1;
    sc.params.session_intensity = 50;
    sc.params.breakthrough_rate = 1;
    sc.params.breakthrough_share = 1;
    sc.population.stress_per_year = (sb_dist){52, 0, 0, 52};
    sc.therapy = (sb_therapy){7, 0, 100, 1, 1, 0, 1};
    sc.reflection = (sb_habit){50, 0, -1};
    sc.practice = (sb_habit){50, 0, -1};
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    sb__rng r;
    sb__person p;
    sb__week_events ev;
    sb__rng_init(&r, 9, 0, SB_RNG_INIT, 0);
    sb__person_init(&p, &sc, &r);
    for (int w = 0; w < 200; w++) {
        sb__rng_init(&r, 9, 0, SB_RNG_WEEK, (uint32_t)w);
        sb__person_step(&p, &plan, w, &r, &ev);
        assert_true(p.a >= 1 && p.a <= 7 && p.v >= 1 && p.v <= 7);
        assert_true(p.s >= 0 && p.s <= 1 && p.c >= 0 && p.c <= 1);
        assert_true(isfinite(p.pa) && isfinite(p.ra));
    }
}

static void practice_builds_consolidation_and_reflection_awareness(void **state)
{
    (void)state;
    sb_scenario sc;
    quiet_scenario(&sc);
    sc.reflection = (sb_habit){3, 0, -1};
    sc.practice = (sb_habit){3, 0, -1};
    sb__person p = person_at(4, 4, 4, 4);
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    sb__rng r;
    sb__week_events ev;
    for (int w = 0; w < 52; w++) {
        sb__rng_init(&r, 4, 0, SB_RNG_WEEK, (uint32_t)w);
        sb__person_step(&p, &plan, w, &r, &ev);
    }
    assert_true(p.c > 0.3);
    assert_true(p.s > 0.4);
    /* During burn-in (negative weeks) habits do not act. */
    sb__person q = person_at(4, 4, 4, 4);
    for (int w = -52; w < 0; w++) {
        sb__rng_init(&r, 4, 0, SB_RNG_WEEK, (uint32_t)(w + 52));
        sb__person_step(&q, &plan, w, &r, &ev);
    }
    assert_near(q.c, 0, 0);
}

static void observed_scores_stay_on_scale_with_the_right_error(void **state)
{
    (void)state;
    sb__rng r;
    sb__rng_init(&r, 5, 0, SB_RNG_TEST, 0);
    double sum = 0, sum2 = 0;
    for (int i = 0; i < 100000; i++) {
        double o = sb__person_observe(4.0, 0.3, &r);
        sum += o - 4.0;
        sum2 += (o - 4.0) * (o - 4.0);
        double edge = sb__person_observe(1.0, 0.3, &r);
        assert_true(edge >= 1.0 && edge <= 7.0);
    }
    assert_true(fabs(sum / 100000) < 0.005);
    assert_true(fabs(sqrt(sum2 / 100000) - 0.3) < 0.005);
}

/* Adds a timeline entry to a scenario and returns it for the caller to
 * fill. */
static sb_timeline_entry *add_entry(sb_scenario *sc, int week)
{
    sb_timeline_entry *e = &sc->timeline[sc->timeline_count++];
    sb_timeline_entry_default(e);
    e->week = week;
    return e;
}

/* Steps a person through weeks 0..last - 1 with seed-1 streams, keeping
 * each week's events. */
static void live(sb__person *p, const sb__step_plan *plan, int last,
                 sb__week_events *evs)
{
    sb__rng r;
    for (int w = 0; w < last; w++) {
        sb__rng_init(&r, 1, 0, SB_RNG_WEEK, (uint32_t)w);
        sb__person_step(p, plan, w, &r, &evs[w]);
    }
}

static void a_scheduled_event_shifts_by_its_size(void **state)
{
    (void)state;
    sb_scenario sc;
    quiet_scenario(&sc);
    sc.params.pull = 0;
    sc.params.stress_lasting = 0;
    sb_timeline_entry *e = add_entry(&sc, 3);
    e->event = SB_EVENT_BREAKUP;
    e->size = 2.0;
    assert_int_equal(sb_scenario_check(&sc, NULL), SB_OK);
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    /* Below the prototype on anxiety, above it on avoidance. */
    sb__person p = person_at(4.0, 5.0, 4.5, 3.0);
    sb__week_events ev[6];
    live(&p, &plan, 3, ev);
    assert_near(p.a, 4.0, 0);
    sb__rng r;
    sb__rng_init(&r, 1, 0, SB_RNG_WEEK, 3);
    sb__person_step(&p, &plan, 3, &r, &ev[3]);
    /* No support, c = 0, s = 0.3: size 2 * (1 - stress_awareness * 0.3);
     * the pull back toward the prototype closes at most the whole gap. */
    const sb_params *k = &sc.params;
    double m = 2.0 * (1.0 - k->stress_awareness * 0.3);
    double back = fmin(1.0, m * k->stress_to_prototype);
    assert_near(p.a, 4.0 + back * 0.5 + m * k->stress_anxiety * 3.0 / 6.0,
                1e-12);
    assert_near(p.v, 5.0 + m * k->stress_avoidance * 2.0 / 6.0, 1e-12);
    assert_true(ev[3].struck == 1);
    assert_near(p.ra, 0, 0);
    /* a small pull back is a share of the gap, not all of it */
    sc.params.stress_to_prototype = 0.2;
    sb__step_plan_init(&plan, &sc);
    p = person_at(4.0, 5.0, 4.5, 3.0);
    live(&p, &plan, 4, ev);
    assert_near(p.a, 4.0 + m * 0.2 * 0.5 + m * k->stress_anxiety * 3.0 / 6.0,
                1e-12);
}

static void a_positive_event_lowers_insecurity(void **state)
{
    (void)state;
    sb_scenario sc;
    quiet_scenario(&sc);
    sc.params.pull = 0;
    sc.params.stress_lasting = 1;
    sc.params.residue_decay = 0;
    sb_timeline_entry *e = add_entry(&sc, 0);
    e->event = SB_EVENT_NEW_SECURE_PARTNER;
    e->size = 1.5;
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    sb__person p = person_at(4.0, 5.0, 4.0, 5.0);
    sb__week_events ev[1];
    live(&p, &plan, 1, ev);
    const sb_params *k = &sc.params;
    double da = -1.5 * k->stress_anxiety * 3.0 / 6.0;
    double dv = -1.5 * k->stress_avoidance * 4.0 / 6.0;
    assert_near(p.a, 4.0 + da, 1e-12);
    assert_near(p.v, 5.0 + dv, 1e-12);
    /* stress_lasting 1: the whole shift moves the pull target too */
    assert_near(p.ra, da, 1e-12);
    assert_near(p.rv, dv, 1e-12);
}

static void an_events_lasting_part_fades_with_the_residue(void **state)
{
    (void)state;
    /* With a pull of 1 the working model sits on prototype + residue
     * each week after the event, so its shift halves every
     * ln 2 / -ln(1 - residue_decay) weeks. */
    sb_scenario sc;
    quiet_scenario(&sc);
    sc.params.pull = 1;
    sc.params.stress_lasting = 1;
    sc.params.residue_decay = 0.02;
    sb_timeline_entry *e = add_entry(&sc, 0);
    e->event = SB_EVENT_NEGATIVE;
    e->size = 1.0;
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    sb__person p = person_at(3.0, 3.0, 3.0, 3.0);
    p.s = p.s_base = 0;
    sb__week_events ev[200];
    live(&p, &plan, 1, ev);
    double shift = p.a - 3.0;
    assert_near(shift, sc.params.stress_anxiety * 4.0 / 6.0, 1e-12);
    /* ln 2 / -ln 0.98 = 34.3 weeks: more than half is left after 34 weeks,
     * less after 35. */
    sb__rng r;
    double left[36];
    for (int w = 1; w <= 35; w++) {
        sb__rng_init(&r, 1, 0, SB_RNG_WEEK, (uint32_t)w);
        sb__person_step(&p, &plan, w, &r, &ev[w]);
        left[w] = (p.a - 3.0) / shift;
    }
    assert_near(left[35], pow(0.98, 35), 1e-12);
    assert_true(left[34] > 0.5 && left[35] < 0.5);
}

static void a_therapy_stop_at_a_week_ends_sessions(void **state)
{
    (void)state;
    sb_scenario sc;
    quiet_scenario(&sc);
    sc.therapy = (sb_therapy){1.0, 2, 40, 1.0, 0.8, 1.0, 0.6};
    add_entry(&sc, 10)->therapy.sessions_per_week = 0;
    sb_timeline_entry *back = add_entry(&sc, 20);
    back->therapy.sessions_per_week = 2;
    back->therapy.attendance = 1;
    /* after the course (week 42) a change does not bring sessions back */
    add_entry(&sc, 50)->therapy.sessions_per_week = 1;
    assert_int_equal(sb_scenario_check(&sc, NULL), SB_OK);
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    sb__person p = person_at(5, 5, 5, 5);
    sb__week_events ev[60];
    live(&p, &plan, 60, ev);
    for (int w = 0; w < 60; w++) {
        int expect = w < 2 ? 0 : w < 10 ? 1 : w < 20 ? 0 : w < 42 ? 2 : 0;
        if (ev[w].sessions_attended != expect)
            print_error("week %d: %d sessions, expected %d\n", w,
                        ev[w].sessions_attended, expect);
        assert_int_equal(ev[w].sessions_attended, expect);
    }
}

static void relationships_begin_and_end_on_the_timeline(void **state)
{
    (void)state;
    sb_scenario sc;
    quiet_scenario(&sc);
    sb_scenario_default(&sc); /* partner, friends, family from week 0 */
    sc.population.stress_per_year = (sb_dist){0, 0, 0, 0};
    sb_timeline_entry *e = add_entry(&sc, 5);
    e->event = SB_EVENT_BREAKUP;
    e->size = 1;
    snprintf(e->ends, sizeof e->ends, "partner");
    snprintf(add_entry(&sc, 9)->begins, SB_NAME_MAX, "partner");
    /* the block's own end at the same week as a `begins`: the entry wins */
    sc.relationships[1].end_week = 7;
    snprintf(add_entry(&sc, 7)->begins, SB_NAME_MAX, "friends");
    assert_int_equal(sb_scenario_check(&sc, NULL), SB_OK);
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    sb__person p = person_at(4, 4, 4, 4);
    p.rel_mask = 7;
    sb__rng r;
    sb__week_events ev;
    uint32_t seen[12];
    for (int w = 0; w < 12; w++) {
        sb__rng_init(&r, 1, 0, SB_RNG_WEEK, (uint32_t)w);
        sb__person_step(&p, &plan, w, &r, &ev);
        seen[w] = p.in.relationships;
    }
    assert_int_equal(seen[0], 7);
    assert_int_equal(seen[4], 7);
    assert_int_equal(seen[5], 6);  /* the partner is gone */
    assert_int_equal(seen[7], 6);  /* friends end and begin: they stay */
    assert_int_equal(seen[9], 7);  /* reconciled */
    /* During burn-in the plan's own inputs act, not the timeline's. */
    assert_int_equal(plan.burn_in.relationships, 7);
}

static void an_entry_applies_to_its_share_of_people(void **state)
{
    (void)state;
    sb_scenario sc;
    quiet_scenario(&sc);
    sc.therapy = (sb_therapy){1.0, 0, 10, 1.0, 0.8, 1.0, 0.6};
    sb_timeline_entry *e = add_entry(&sc, 2);
    e->share = 0.3;
    e->therapy.sessions_per_week = 0; /* 30% drop out at week 2 */
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    int dropped = 0, n = 20000;
    sb__rng r;
    sb__week_events ev;
    for (int i = 0; i < n; i++) {
        sb__person p = person_at(4, 4, 4, 4);
        for (int w = 0; w < 4; w++) {
            sb__rng_init(&r, 8, (uint64_t)i, SB_RNG_WEEK, (uint32_t)w);
            sb__person_step(&p, &plan, w, &r, &ev);
        }
        dropped += ev.sessions_attended == 0;
    }
    /* binomial SD at n = 20000: 0.0032 */
    assert_true(fabs(dropped / (double)n - 0.3) < 0.015);
}

static void stress_and_habits_change_on_the_timeline(void **state)
{
    (void)state;
    sb_scenario sc;
    quiet_scenario(&sc);
    sc.practice = (sb_habit){3, 0, -1};
    add_entry(&sc, 0)->stress_factor = 3;
    add_entry(&sc, 20)->practice_per_week = 0;
    sb__step_plan plan;
    sb__step_plan_init(&plan, &sc);
    sb__person p = person_at(4, 4, 4, 4);
    p.stress_base = 10.0 / 52; /* ten events a year of one's own */
    sb__rng r;
    sb__week_events ev;
    long events = 0;
    double c20 = 0;
    for (int w = 0; w < 4000; w++) {
        sb__rng_init(&r, 2, 0, SB_RNG_WEEK, (uint32_t)w);
        sb__person_step(&p, &plan, w, &r, &ev);
        events += ev.stress_events;
        if (w == 19)
            c20 = p.c;
        if (w == 30)
            /* practice stopped: consolidation only decays */
            assert_near(p.c, c20 * pow(1 - sc.params.consolidation_decay, 11),
                        1e-12);
    }
    /* 30 a year for 4000 weeks: mean 2308, Poisson SD 48 */
    assert_true(fabs(events - 4000 * 30.0 / 52) < 200);
    assert_true(c20 > 0.3);
}

/*
 * A population starts each working model at prototype plus residue; a
 * projection (start_at_prototype) starts it at the drawn prototype and
 * sets the prototype back by the residue, so that prototype + residue is
 * still where the working model is. Stressful events with a lasting part
 * give the residue a mean above zero, which is what a projection must
 * not add to a person's known scores.
 */
static void a_projection_starts_at_the_known_scores(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_scenario_default(&sc);
    for (int k = 0; k < SB_PROTO_COUNT; k++) {
        sc.params.proto_center[k][0] = 3.5;
        sc.params.proto_center[k][1] = 2.8;
        sc.population.prototype_share[k] = k == 0;
    }
    sc.params.proto_sd = 0;
    sc.params.stress_lasting = 0.2;
    double mean_ra = 0;
    for (uint64_t id = 0; id < 200; id++) {
        sb__person pop, proj;
        sb__rng r;
        sb__rng_init(&r, 1, id, SB_RNG_INIT, 0);
        sc.population.start_at_prototype = 0;
        sb__person_init(&pop, &sc, &r);
        sb__rng_init(&r, 1, id, SB_RNG_INIT, 0);
        sc.population.start_at_prototype = 1;
        sb__person_init(&proj, &sc, &r);
        /* The same draws: only where the working model and prototype sit
         * differ. */
        assert_true(pop.ra == proj.ra && pop.rv == proj.rv);
        assert_near(pop.a, 3.5 + pop.ra, 1e-12);
        assert_near(pop.pa, 3.5, 1e-12);
        assert_near(proj.a, 3.5, 1e-12);
        assert_near(proj.v, 2.8, 1e-12);
        /* On the scale: a residue larger than the distance to 1 leaves
         * the prototype at 1. */
        assert_near(proj.pa, fmax(1, 3.5 - proj.ra), 1e-12);
        assert_near(proj.pv, fmax(1, 2.8 - proj.rv), 1e-12);
        assert_true(proj.pa0 == proj.pa && proj.pv0 == proj.pv);
        mean_ra += pop.ra / 200;
    }
    /* The residue's mean is what the projection keeps out of the start. */
    assert_true(mean_ra > 0.05);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pull_closes_its_share_of_the_gap),
        cmocka_unit_test(a_projection_starts_at_the_known_scores),
        cmocka_unit_test(revision_moves_the_prototype_only_with_consolidation),
        cmocka_unit_test(awareness_decays_toward_its_baseline),
        cmocka_unit_test(therapy_acts_only_in_its_window_and_never_in_burn_in),
        cmocka_unit_test(attendance_rate_is_respected),
        cmocka_unit_test(state_stays_on_the_scale_under_extreme_forces),
        cmocka_unit_test(practice_builds_consolidation_and_reflection_awareness),
        cmocka_unit_test(observed_scores_stay_on_scale_with_the_right_error),
        cmocka_unit_test(a_scheduled_event_shifts_by_its_size),
        cmocka_unit_test(a_positive_event_lowers_insecurity),
        cmocka_unit_test(an_events_lasting_part_fades_with_the_residue),
        cmocka_unit_test(a_therapy_stop_at_a_week_ends_sessions),
        cmocka_unit_test(relationships_begin_and_end_on_the_timeline),
        cmocka_unit_test(an_entry_applies_to_its_share_of_people),
        cmocka_unit_test(stress_and_habits_change_on_the_timeline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
