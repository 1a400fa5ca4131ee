/*
 * Tests of the weekly step in src/model/person.c: hand-computed updates in
 * isolated settings, bounds under hostile parameters, and who acts when.
 */
#include "support.h"

#include "model/person.h"

#include <math.h>
#include <string.h>

/* A scenario in which nothing acts unless a test switches it on. */
static void quiet_scenario(sb_scenario *sc)
{
    sb_scenario_default(sc);
    sc->relationship_count = 0;
    sc->population.stress_per_year = (sb_dist){0, 0, 0, 0};
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pull_closes_its_share_of_the_gap),
        cmocka_unit_test(revision_moves_the_prototype_only_with_consolidation),
        cmocka_unit_test(awareness_decays_toward_its_baseline),
        cmocka_unit_test(therapy_acts_only_in_its_window_and_never_in_burn_in),
        cmocka_unit_test(attendance_rate_is_respected),
        cmocka_unit_test(state_stays_on_the_scale_under_extreme_forces),
        cmocka_unit_test(practice_builds_consolidation_and_reflection_awareness),
        cmocka_unit_test(observed_scores_stay_on_scale_with_the_right_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
