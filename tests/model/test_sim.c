/*
 * Tests of the population runner (src/model/sim.c, summary.c,
 * sim_result.c): reproducibility across thread counts, errors, weekly
 * statistics, trajectories and the sudden-change criteria.
 */
#include "support.h"

#include "model/sim.h"

#include <math.h>
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
    int weeks = sb_sim_weeks(one);
    assert_int_equal(weeks, 42);
    assert_memory_equal(one->week, two->week, (weeks + 1) * sizeof(sb_week_stats));
    assert_memory_equal(one->week, four->week, (weeks + 1) * sizeof(sb_week_stats));
    assert_memory_equal(&one->summary, &two->summary, sizeof one->summary);
    assert_memory_equal(&one->summary, &four->summary, sizeof one->summary);
    assert_memory_equal(sb_sim_snapshot(one, 42), sb_sim_snapshot(four, 42),
                        3001 * sizeof(sb_snapshot));
    assert_memory_equal(sb_sim_trajectory(one, 4), sb_sim_trajectory(two, 4),
                        (weeks + 1) * sizeof(sb_trajectory_point));
    assert_true(sb_sim_draws(one) == sb_sim_draws(four));
    /* Another seed gives other numbers. */
    sb_sim_result *other = run(&sc, 3001, 2, 8, 0);
    assert_true(memcmp(&one->summary, &other->summary, sizeof one->summary));
    sb_sim_result_free(one);
    sb_sim_result_free(two);
    sb_sim_result_free(four);
    sb_sim_result_free(other);
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

static void sudden_change_follows_tang_and_derubeis(void **state)
{
    (void)state;
    /* A clean drop of 1.0 from 4: large, >= 25% of 3, and the means of
     * three weeks on either side differ beyond 2.776 pooled SDs. */
    const double gain[6] = {4.0, 4.1, 4.0, 3.0, 3.1, 3.0};
    assert_int_equal(sb__sim_sudden_change(gain, 0.55), 1);
    const double loss[6] = {3.0, 3.1, 3.0, 4.0, 4.1, 4.0};
    assert_int_equal(sb__sim_sudden_change(loss, 0.55), -1);
    /* Below the absolute criterion. */
    const double small[6] = {4.0, 4.0, 4.0, 3.5, 3.5, 3.5};
    assert_int_equal(sb__sim_sudden_change(small, 0.55), 0);
    /* Large but less than 25% of the distance from the floor (6 -> 5.0
     * is 1.0 < 1.25). */
    const double relative[6] = {6.0, 6.0, 6.0, 5.0, 5.0, 5.0};
    assert_int_equal(sb__sim_sudden_change(relative, 0.55), 0);
    /* Large step but too noisy around it: pre mean 4.0, post 3.4, pooled
     * SD about 0.9. */
    const double noisy[6] = {3.0, 5.0, 4.0, 3.0, 2.5, 4.7};
    assert_int_equal(sb__sim_sudden_change(noisy, 0.55), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_bytes_for_any_thread_count),
        cmocka_unit_test(a_person_does_not_depend_on_the_population_size),
        cmocka_unit_test(weekly_statistics_are_coherent),
        cmocka_unit_test(summary_shares_secure_match_the_weekly_ones),
        cmocka_unit_test(therapy_improves_and_summary_is_in_range),
        cmocka_unit_test(options_and_scenarios_are_checked),
        cmocka_unit_test(trajectories_are_spread_and_match_snapshots),
        cmocka_unit_test(sudden_change_follows_tang_and_derubeis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
