/*
 * Tests of the population runner (src/model/sim.c, summary.c,
 * sim_result.c): reproducibility across thread counts, errors, weekly
 * statistics, trajectories, timelines and the sudden changes of a
 * therapy course.
 */
#include "support.h"

#include "model/sim.h"

#include <securebase/measure.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sb_sim_result *run(const sb_scenario *sc, size_t persons, int threads,
                          uint64_t seed, size_t traj)
{
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.persons = persons;
    opt.threads = threads;
    opt.seed = seed;
    opt.trajectories = traj;
    sb_sim_result *res = NULL;
    sb_error err;
    sb_status st = sb_simulate(sc, &opt, &res, &err);
    if (st != SB_OK)
        print_error("%s\n", err.message);
    assert_int_equal(st, SB_OK);
    return res;
}

/* Two runs of the same people and seed give the same bytes: every week's
 * figures, the summary, the snapshot at the last week, every kept
 * trajectory and the count of words drawn. */
static void assert_same_bytes(const sb_sim_result *a, const sb_sim_result *b)
{
    int weeks = sb_sim_weeks(a);
    size_t persons = sb_sim_persons(a), kept = sb_sim_trajectory_count(a);
    assert_int_equal(sb_sim_weeks(b), weeks);
    assert_int_equal(sb_sim_persons(b), persons);
    assert_memory_equal(a->week, b->week, (weeks + 1) * sizeof(sb_week_stats));
    assert_memory_equal(&a->summary, &b->summary, sizeof a->summary);
    assert_memory_equal(sb_sim_snapshot(a, weeks), sb_sim_snapshot(b, weeks),
                        persons * sizeof(sb_snapshot));
    assert_int_equal(sb_sim_trajectory_count(b), kept);
    for (size_t k = 0; k < kept; k++)
        assert_memory_equal(sb_sim_trajectory(a, k), sb_sim_trajectory(b, k),
                            (weeks + 1) * sizeof(sb_trajectory_point));
    assert_true(sb_sim_draws(a) == sb_sim_draws(b));
}

static void therapy_scenario(sb_scenario *sc)
{
    sb_scenario_default(sc);
    sc->therapy = (sb_therapy){1.0, 2, 20, 0.8, 0.75, 0.85, 0.6};
    sc->practice = (sb_habit){2.0, 2, -1};
    sc->followup_weeks = 20;
    sc->params.burn_in_weeks = 26;
}

static void same_seed_same_bytes_for_any_thread_count(void **state)
{
    (void)state;
    sb_scenario sc;
    therapy_scenario(&sc);
    sb_sim_result *one = run(&sc, 3001, 1, 7, 5);
    sb_sim_result *two = run(&sc, 3001, 2, 7, 5);
    sb_sim_result *four = run(&sc, 3001, 4, 7, 5);
    assert_int_equal(sb_sim_weeks(one), 42);
    assert_same_bytes(one, two);
    assert_same_bytes(one, four);
    /* Another seed gives other numbers. */
    sb_sim_result *other = run(&sc, 3001, 2, 8, 0);
    assert_true(memcmp(&one->summary, &other->summary, sizeof one->summary));
    sb_sim_result_free(one);
    sb_sim_result_free(two);
    sb_sim_result_free(four);
    sb_sim_result_free(other);
}

/* Too few people for every thread to have a full group of 512 makes the
 * groups smaller (1,200 people on four threads: groups of 320, against
 * 512, 512 and 176 on one), which changes nothing either. */
static void smaller_groups_give_the_same_bytes(void **state)
{
    (void)state;
    sb_scenario sc;
    therapy_scenario(&sc);
    sb_sim_result *one = run(&sc, 1200, 1, 7, 5);
    sb_sim_result *four = run(&sc, 1200, 4, 7, 5);
    assert_same_bytes(one, four);
    sb_sim_result_free(one);
    sb_sim_result_free(four);
}

static void a_person_does_not_depend_on_the_population_size(void **state)
{
    (void)state;
    sb_scenario sc;
    therapy_scenario(&sc);
    /* Person 0 is sampled in both runs; their path must be the same. */
    sb_sim_result *small = run(&sc, 10, 1, 3, 1);
    sb_sim_result *large = run(&sc, 500, 2, 3, 1);
    assert_int_equal(sb_sim_trajectory_person(small, 0), 0);
    assert_int_equal(sb_sim_trajectory_person(large, 0), 0);
    assert_memory_equal(sb_sim_trajectory(small, 0), sb_sim_trajectory(large, 0),
                        43 * sizeof(sb_trajectory_point));
    sb_sim_result_free(small);
    sb_sim_result_free(large);
}

static void weekly_statistics_are_coherent(void **state)
{
    (void)state;
    sb_scenario sc;
    therapy_scenario(&sc);
    sb_sim_result *res = run(&sc, 4000, 2, 11, 0);
    for (int w = 0; w <= sb_sim_weeks(res); w++) {
        const sb_week_stats *s = sb_sim_week(res, w);
        assert_non_null(s);
        for (int j = 0; j < 4; j++) {
            assert_true(s->pct_anxiety[j] <= s->pct_anxiety[j + 1]);
            assert_true(s->pct_avoidance[j] <= s->pct_avoidance[j + 1]);
        }
        assert_true(s->pct_anxiety[0] >= 1 && s->pct_anxiety[4] <= 7);
        assert_true(s->mean_anxiety >= 1 && s->mean_anxiety <= 7);
        assert_true(s->share_secure >= 0 && s->share_secure <= 1);
    }
    assert_null(sb_sim_week(res, -1));
    assert_null(sb_sim_week(res, sb_sim_weeks(res) + 1));

    /* The histogram median agrees with the exact median of week 0. */
    const sb_snapshot *s0 = sb_sim_snapshot(res, 0);
    double *a = malloc(4000 * sizeof *a);
    double mean = 0;
    size_t secure = 0;
    for (int i = 0; i < 4000; i++) {
        a[i] = s0[i].anxiety;
        mean += a[i];
        secure += s0[i].anxiety < 4 && s0[i].avoidance < 4;
    }
    for (int i = 1; i < 4000; i++) /* insertion sort: small and exact */
        for (int j = i; j > 0 && a[j - 1] > a[j]; j--) {
            double t = a[j];
            a[j] = a[j - 1];
            a[j - 1] = t;
        }
    const sb_week_stats *w0 = sb_sim_week(res, 0);
    assert_near(w0->pct_anxiety[2], (a[1999] + a[2000]) / 2, 0.011);
    assert_near(w0->mean_anxiety, mean / 4000, 1e-5);
    assert_near(w0->share_secure, secure / 4000.0, 1e-12);
    assert_near(sb_sim_get_summary(res)->secure_baseline, w0->share_secure, 1e-12);
    free(a);
    sb_sim_result_free(res);
}

/*
 * The summary's shares secure agree with the weekly ones even for a person
 * whose score lies a hair below the cut-off, where the float kept in the
 * snapshot rounds up onto it. The cut-off is set, in turn, to the float of
 * several people's week-0 anxiety (secure_cutoff changes no trajectory), so
 * some of them sit just below it in double precision.
 */
static void summary_shares_secure_match_the_weekly_ones(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_scenario_default(&sc);
    sc.params.burn_in_weeks = 10;
    sc.followup_weeks = 2;
    sb_sim_result *first = run(&sc, 300, 1, 5, 0);
    const sb_snapshot *s0 = sb_sim_snapshot(first, 0);
    int tried = 0;
    for (size_t i = 0; i < 300 && tried < 40; i++) {
        if (!(s0[i].avoidance < s0[i].anxiety))
            continue;
        tried++;
        sc.params.secure_cutoff = s0[i].anxiety;
        sb_sim_result *res = run(&sc, 300, 1, 5, 0);
        const sb_sim_summary *sum = sb_sim_get_summary(res);
        assert_true(sum->secure_baseline == sb_sim_week(res, 0)->share_secure);
        assert_true(sum->secure_followup ==
                    sb_sim_week(res, sb_sim_weeks(res))->share_secure);
        sb_sim_result_free(res);
    }
    assert_int_equal(tried, 40);
    sb_sim_result_free(first);
}

static void therapy_improves_and_summary_is_in_range(void **state)
{
    (void)state;
    sb_scenario with, without;
    therapy_scenario(&with);
    therapy_scenario(&without);
    without.therapy.sessions_per_week = 0;
    without.practice.per_week = 0;
    sb_sim_result *a = run(&with, 4000, 2, 5, 0);
    sb_sim_result *b = run(&without, 4000, 2, 5, 0);
    const sb_sim_summary *sa = sb_sim_get_summary(a), *sb = sb_sim_get_summary(b);
    /* Same people at baseline (same seed, therapy starts later). */
    assert_near(sa->secure_baseline, sb->secure_baseline, 1e-12);
    assert_true(sa->change_anxiety_end < sb->change_anxiety_end - 0.2);
    assert_true(sa->secure_end > sb->secure_end + 0.05);
    assert_true(sa->prototype_revision > sb->prototype_revision);
    assert_int_equal(sa->therapy_end_week, 22);
    assert_int_equal(sa->followup_week, 42);
    const double shares[] = {sa->share_setback, sa->share_sudden_gain,
                             sa->share_sudden_loss, sa->share_stable};
    for (size_t i = 0; i < 4; i++)
        assert_true(shares[i] >= 0 && shares[i] <= 1);
    sb_sim_result_free(a);
    sb_sim_result_free(b);
}

static void options_and_scenarios_are_checked(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_scenario_default(&sc);
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    sb_sim_result *res = (sb_sim_result *)&opt; /* must be reset to NULL */
    sb_error err;
    opt.persons = 0;
    assert_int_equal(sb_simulate(&sc, &opt, &res, &err), SB_ERR_INVALID);
    assert_null(res);
    assert_non_null(strstr(err.message, "persons is 0"));
    /* 2^32 people would wrap the 32-bit weekly counts: refused before any
     * allocation. */
    opt.persons = (size_t)UINT32_MAX + 1;
    assert_int_equal(sb_simulate(&sc, &opt, &res, &err), SB_ERR_INVALID);
    assert_null(res);
    assert_non_null(strstr(err.message, "persons is 4294967296; allowed "
                                        "1..4294967295"));
    opt.persons = 10;
    opt.weeks = 5000;
    assert_int_equal(sb_simulate(&sc, &opt, &res, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "weeks is 5000"));
    opt.weeks = 10;
    opt.snapshot_weeks[0] = 11;
    opt.snapshot_count = 1;
    assert_int_equal(sb_simulate(&sc, &opt, &res, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "snapshot week 11"));
    opt.snapshot_count = 0;
    sc.therapy.attendance = 1.5;
    assert_int_equal(sb_simulate(&sc, &opt, &res, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "therapy.attendance is 1.5"));
    assert_non_null(strstr(err.message, "0..1"));
}

static void trajectories_are_spread_and_match_snapshots(void **state)
{
    (void)state;
    sb_scenario sc;
    therapy_scenario(&sc);
    sb_sim_result *res = run(&sc, 100, 2, 2, 4);
    assert_int_equal(sb_sim_trajectory_count(res), 4);
    const size_t expect[4] = {0, 25, 50, 75};
    const sb_snapshot *s0 = sb_sim_snapshot(res, 0);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(sb_sim_trajectory_person(res, i), expect[i]);
        const sb_trajectory_point *t = sb_sim_trajectory(res, i);
        assert_true(t[0].anxiety == s0[expect[i]].anxiety);
        assert_true(t[0].obs_avoidance == s0[expect[i]].obs_avoidance);
    }
    assert_null(sb_sim_trajectory(res, 4));
    sb_sim_result_free(res);
    /* More trajectories than people: everyone once. */
    res = run(&sc, 3, 1, 2, 10);
    assert_int_equal(sb_sim_trajectory_count(res), 3);
    sb_sim_result_free(res);
}

/* A therapy scenario with a busy timeline: events for everyone and for a
 * share, a dropout, a relationship that ends and one that begins. */
static void timeline_scenario(sb_scenario *sc)
{
    therapy_scenario(sc);
    struct { int week; double share; int event; const char *ends; } add[] = {
        {5, 0.4, SB_EVENT_LOSS, NULL},
        {8, 1.0, SB_EVENT_BREAKUP, "partner"},
        {12, 0.5, SB_EVENT_NEW_SECURE_PARTNER, NULL},
    };
    for (size_t i = 0; i < sizeof add / sizeof add[0]; i++) {
        sb_timeline_entry *e = &sc->timeline[sc->timeline_count++];
        sb_timeline_entry_default(e);
        e->week = add[i].week;
        e->share = add[i].share;
        e->event = add[i].event;
        e->size = sb_event_kind_info(add[i].event)->size;
        if (add[i].ends)
            snprintf(e->ends, sizeof e->ends, "%s", add[i].ends);
    }
    sb_timeline_entry *e = &sc->timeline[sc->timeline_count++];
    sb_timeline_entry_default(e);
    e->week = 10;
    e->share = 0.25;
    e->therapy.sessions_per_week = 0;
    e->stress_factor = 2;
    e = &sc->timeline[sc->timeline_count++];
    sb_timeline_entry_default(e);
    e->week = 14;
    snprintf(e->begins, sizeof e->begins, "partner");
}

static void a_timeline_gives_the_same_bytes_for_any_thread_count(void **state)
{
    (void)state;
    sb_scenario sc;
    timeline_scenario(&sc);
    assert_int_equal(sb_scenario_check(&sc, NULL), SB_OK);
    sb_sim_result *one = run(&sc, 2001, 1, 9, 7);
    sb_sim_result *three = run(&sc, 2001, 3, 9, 7);
    assert_same_bytes(one, three);
    /* The timeline changed something: the breakup struck everybody. */
    sb_scenario plain;
    therapy_scenario(&plain);
    sb_sim_result *without = run(&plain, 2001, 2, 9, 0);
    assert_true(sb_sim_week(one, 9)->mean_anxiety >
                sb_sim_week(without, 9)->mean_anxiety + 0.1);
    for (size_t k = 0; k < 7; k++)
        assert_true(sb_sim_trajectory(one, k)[8].events >> 1 & 1);
    sb_sim_result_free(one);
    sb_sim_result_free(three);
    sb_sim_result_free(without);
}

/*
 * The course's sudden gains and losses are those the measure layer's
 * sb_sudden_find finds in each person's series of observed composites at
 * the weeks of the course with an attended session. Trajectories keep the
 * scores as floats, so a person whose change sits within float rounding of
 * a criterion could differ: allowed for one in a hundred, found for none.
 */
static void the_course_is_judged_session_by_session_by_the_measure_rule(
    void **state)
{
    (void)state;
    sb_scenario sc;
    therapy_scenario(&sc);
    sc.therapy.weeks = 30;
    sc.population.stress_per_year = (sb_dist){6, 2, 0, 20};
    size_t n = 1500;
    sb_sim_result *res = run(&sc, n, 2, 21, n);
    const sb_params *k = &sc.params;
    double rci = 1.96 * sqrt(2.0) *
                 sqrt(k->sem_anxiety * k->sem_anxiety +
                      k->sem_avoidance * k->sem_avoidance) / 2;
    size_t gains = 0, losses = 0, differ = 0;
    double series[64];
    for (size_t i = 0; i < n; i++) {
        const sb_trajectory_point *t = sb_sim_trajectory(res, i);
        size_t m = 0;
        for (int w = 2; w < 32; w++)
            if (t[w].sessions > 0)
                series[m++] = ((double)t[w].obs_anxiety + t[w].obs_avoidance) / 2;
        sb_sudden found[64];
        size_t f = sb_sudden_find(series, m, rci, (sb_scale){1, 7},
                                  SB_HIGHER_WORSE, found, 64);
        int gain = 0, loss = 0;
        for (size_t j = 0; j < f; j++) {
            gain |= found[j].kind == SB_SUDDEN_GAIN;
            loss |= found[j].kind == SB_SUDDEN_LOSS;
        }
        gains += gain;
        losses += loss;
        differ += gain != res->person[i].sudden_gain ||
                  loss != res->person[i].sudden_loss;
    }
    const sb_sim_summary *s = sb_sim_get_summary(res);
    assert_true(differ <= n / 100);
    assert_near(s->share_sudden_gain, gains / (double)n, 0.01);
    assert_near(s->share_sudden_loss, losses / (double)n, 0.01);
    assert_true(gains > 0 && losses > 0);
    sb_sim_result_free(res);
}

static void an_untreated_course_is_scored_weekly_and_no_course_is_none(
    void **state)
{
    (void)state;
    sb_scenario sc;
    therapy_scenario(&sc);
    sc.therapy.sessions_per_week = 0;
    sc.practice.per_week = 0;
    sb_sim_result *res = run(&sc, 2000, 2, 4, 0);
    double untreated = sb_sim_get_summary(res)->share_sudden_gain;
    assert_true(untreated > 0 && untreated < 0.5);
    sb_sim_result_free(res);
    /* a course of 3 weeks cannot hold the 4 scores the rule needs */
    sc.therapy.weeks = 3;
    res = run(&sc, 200, 2, 4, 0);
    assert_true(isnan(sb_sim_get_summary(res)->share_sudden_gain));
    assert_true(isnan(sb_sim_get_summary(res)->share_sudden_loss));
    sb_sim_result_free(res);
}

/*
 * An event at week w moves the population mean from week w to w + 1 by the
 * mean of the shifts the equations give each person, and then fades at the
 * rate of the pull. Everything else is switched off: no relationships,
 * drift, weekly state, random events or residue.
 */
static void an_event_moves_the_mean_by_the_expected_amount_then_fades(
    void **state)
{
    (void)state;
    sb_scenario sc;
    sb_scenario_default(&sc);
    sc.relationship_count = 0;
    sc.population.stress_per_year = (sb_dist){0, 0, 0, 0};
    sc.population.positive_per_year = (sb_dist){0, 0, 0, 0};
    sc.population.awareness = (sb_dist){0.3, 0, 0.3, 0.3};
    sc.params.noise = 0;
    sc.params.state_sd = 0;
    sc.params.pull = 0.1;
    sc.params.stress_lasting = 0;
    sc.params.burn_in_weeks = 0;
    sc.followup_weeks = 30;
    sb_timeline_entry *e = &sc.timeline[sc.timeline_count++];
    sb_timeline_entry_default(e);
    e->week = 10;
    e->event = SB_EVENT_LOSS;
    e->size = 2;
    sb_sim_options opt;
    sb_sim_options_default(&opt);
    opt.persons = 3000;
    opt.threads = 2;
    opt.snapshot_weeks[0] = 10;
    opt.snapshot_count = 1;
    sb_sim_result *res = NULL;
    sb_error err;
    assert_int_equal(sb_simulate(&sc, &opt, &res, &err), SB_OK);
    /* With no force but the pull, everyone sits on their prototype, so the
     * event's pull back toward it is 0 and only the push toward 7 acts. */
    const sb_snapshot *s10 = sb_sim_snapshot(res, 10);
    double m = 2 * (1 - sc.params.stress_awareness * 0.3), expect = 0;
    for (size_t i = 0; i < 3000; i++)
        expect += m * sc.params.stress_anxiety * (7 - s10[i].anxiety) / 6;
    expect /= 3000;
    double before = sb_sim_week(res, 10)->mean_anxiety;
    double shift = sb_sim_week(res, 11)->mean_anxiety - before;
    assert_near(shift, expect, 1e-5);
    /* the pull closes a tenth of the gap a week */
    assert_near(sb_sim_week(res, 21)->mean_anxiety - before,
                shift * pow(0.9, 10), 1e-5);
    sb_sim_result_free(res);

    /* A positive event of the same size lowers it. */
    e->event = SB_EVENT_NEW_SECURE_PARTNER;
    assert_int_equal(sb_simulate(&sc, &opt, &res, &err), SB_OK);
    assert_true(sb_sim_week(res, 11)->mean_anxiety <
                sb_sim_week(res, 10)->mean_anxiety - 0.1);
    assert_true(sb_sim_week(res, 11)->mean_avoidance <
                sb_sim_week(res, 10)->mean_avoidance - 0.1);
    sb_sim_result_free(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_bytes_for_any_thread_count),
        cmocka_unit_test(smaller_groups_give_the_same_bytes),
        cmocka_unit_test(a_person_does_not_depend_on_the_population_size),
        cmocka_unit_test(weekly_statistics_are_coherent),
        cmocka_unit_test(summary_shares_secure_match_the_weekly_ones),
        cmocka_unit_test(therapy_improves_and_summary_is_in_range),
        cmocka_unit_test(options_and_scenarios_are_checked),
        cmocka_unit_test(trajectories_are_spread_and_match_snapshots),
        cmocka_unit_test(a_timeline_gives_the_same_bytes_for_any_thread_count),
        cmocka_unit_test(
            the_course_is_judged_session_by_session_by_the_measure_rule),
        cmocka_unit_test(
            an_untreated_course_is_scored_weekly_and_no_course_is_none),
        cmocka_unit_test(
            an_event_moves_the_mean_by_the_expected_amount_then_fades),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
