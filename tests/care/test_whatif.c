/*
 * What-if projections and the person they start from: the series, the
 * inputs from records, and the comparison of plans with common random
 * numbers.
 */
#include "support.h"

#include <securebase/whatif.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void maps_scales_linearly(void **state)
{
    (void)state;
    sb_scale five = {1, 5}, seven = {1, 7};
    assert_true(sb_care_to_model(five, 1) == 1.0);
    assert_true(sb_care_to_model(five, 3) == 4.0);
    assert_true(sb_care_to_model(five, 5) == 7.0);
    assert_true(sb_care_from_model(five, 4) == 3.0);
    assert_true(sb_care_to_model(seven, 2.5) == 2.5);
}

static sb_rec_assessment assessment(const char *inst, const char *scale,
                                    const char *date, double anx, double avo)
{
    sb_rec_assessment a;
    memset(&a, 0, sizeof a);
    snprintf(a.instrument, sizeof a.instrument, "%s", inst);
    snprintf(a.scale, sizeof a.scale, "%s", scale);
    snprintf(a.date, sizeof a.date, "%s", date);
    a.score_count = 2;
    snprintf(a.scores[0].scale, sizeof a.scores[0].scale, "anxiety");
    a.scores[0].value = anx;
    snprintf(a.scores[1].scale, sizeof a.scores[1].scale, "avoidance");
    a.scores[1].value = avo;
    return a;
}

static void the_series_is_the_most_answered_instrument(void **state)
{
    (void)state;
    sb_rec_assessment a[6] = {
        assessment("ecr-r", "", "2026-01-01", 5.0, 4.0),
        assessment("ecr", "1-5", "2026-01-08", 4.0, 3.0),
        assessment("ecr", "1-5", "2026-01-15", 3.5, 3.0),
        assessment("ecr-r", "", "2026-01-22", 4.5, 4.0),
        assessment("ecr", "1-5", "2026-01-29", 3.0, 2.5),
        assessment("rq", "", "2026-02-05", 1, 1),
    };
    a[5].score_count = 1; /* no avoidance: not part of any series */
    unsigned char member[6];
    sb_care_series s;
    sb_care_series_pick(a, 6, &s, member);
    assert_string_equal(s.instrument, "ecr");
    assert_int_equal(s.scale.min, 1);
    assert_int_equal(s.scale.max, 5);
    assert_int_equal(s.count, 3);
    assert_int_equal(s.latest, 4);
    assert_true(s.anxiety == 3.0 && s.avoidance == 2.5);
    static const unsigned char want[6] = {0, 1, 1, 0, 1, 0};
    assert_memory_equal(member, want, 6);
    /* ECR-R on its own 1-7 scale ("") and written "1-7" is one series;
     * on a tie the first in date order wins. */
    snprintf(a[3].scale, sizeof a[3].scale, "1-7");
    sb_care_series_pick(a, 4, &s, NULL);
    assert_string_equal(s.instrument, "ecr-r");
    assert_int_equal(s.count, 2);
    assert_true(s.anxiety == 4.5);
    sb_care_series_pick(a, 0, &s, NULL);
    assert_int_equal(s.count, 0);
    assert_true(isnan(s.anxiety));
}

static void inputs_come_from_the_last_twelve_weeks(void **state)
{
    (void)state;
    /* As of 2026-03-23 the window is 2025-12-30 .. 2026-03-23. */
    sb_rec_session ses[14];
    memset(ses, 0, sizeof ses);
    for (int i = 0; i < 14; i++) {
        sb_date_format(sb_date_from_days(sb_date_days((sb_date){2026, 3, 23}) -
                                         7L * i),
                       ses[i].date);
        ses[i].attended = i % 4 != 1; /* weeks 1, 5, 9 and 13 missed */
    }
    sb_rec_reflection ref[3];
    memset(ref, 0, sizeof ref);
    snprintf(ref[0].date, SB_DATE_SIZE, "2026-03-01");
    snprintf(ref[1].date, SB_DATE_SIZE, "2025-12-30");
    snprintf(ref[2].date, SB_DATE_SIZE, "2025-12-29"); /* one day too early */
    sb_rec_practice pr[1];
    memset(pr, 0, sizeof pr);
    snprintf(pr[0].date, SB_DATE_SIZE, "2026-03-24"); /* after as-of */
    sb_rec_relationship rel[3];
    memset(rel, 0, sizeof rel);
    snprintf(rel[0].name, sizeof rel[0].name, "Sam");
    rel[0].kind = SB_REL_PARTNER;
    snprintf(rel[0].start, SB_DATE_SIZE, "2020-01-01");
    snprintf(rel[0].end, SB_DATE_SIZE, "2026-02-01");
    snprintf(rel[1].name, sizeof rel[1].name, "Maya");
    rel[1].kind = SB_REL_FRIEND;
    rel[1].supportive = 1;
    rel[1].secure = 1;
    snprintf(rel[1].start, SB_DATE_SIZE, "2021-01-01");
    snprintf(rel[2].name, sizeof rel[2].name, "Lena");
    snprintf(rel[2].start, SB_DATE_SIZE, "2026-04-01"); /* not yet */
    sb_care_records r = {sb_date_days((sb_date){2026, 3, 23}), ses, 14, rel, 3,
                         ref, 3, pr, 1};
    sb_care_inputs in;
    sb_care_inputs_from_records(&r, &in);
    /* Sessions 0..11 are inside (12 of them); of those 1, 5 and 9 missed. */
    assert_near(in.sessions_per_week, 1.0, 1e-15);
    assert_near(in.attendance, 9.0 / 12.0, 1e-15);
    assert_near(in.reflections_per_week, 2.0 / 12.0, 1e-15);
    assert_true(in.practice_per_week == 0);
    assert_int_equal(in.relationships_recorded, 1);
    assert_int_equal(in.relationship_count, 1);
    assert_string_equal(in.relationships[0].name, "Maya");
    assert_int_equal(in.relationships[0].secure, 1);

    sb_scenario sc;
    sb_care_scenario(&in, 4.0, 3.0, 52, &sc);
    assert_int_equal(sb_scenario_check(&sc, NULL), SB_OK);
    assert_int_equal(sb_scenario_weeks(&sc), 52);
    assert_true(sc.params.proto_center[2][0] == 4.0);
    assert_true(sc.params.proto_center[2][1] == 3.0);
    assert_true(sc.therapy.attendance == 0.75);
    assert_int_equal(sc.relationship_count, 1);
    assert_true(sc.relationships[0].responsiveness ==
                SB_CARE_SUPPORTIVE_RESPONSIVENESS);
    /* Two people of one name stay apart in the model. */
    in.relationships[1] = in.relationships[0];
    in.relationship_count = 2;
    sb_care_scenario(&in, 4.0, 3.0, 52, &sc);
    assert_int_equal(sb_scenario_check(&sc, NULL), SB_OK);
    assert_string_equal(sc.relationships[1].name, "Maya 2");
}

static sb_care_series series_at(double anx, double avo)
{
    sb_care_series s;
    memset(&s, 0, sizeof s);
    snprintf(s.instrument, sizeof s.instrument, "ecr-r");
    s.scale = (sb_scale){1, 7};
    s.count = 1;
    s.anxiety = anx;
    s.avoidance = avo;
    return s;
}

static sb_care_inputs in_weekly_therapy(void)
{
    sb_care_inputs in;
    memset(&in, 0, sizeof in);
    in.sessions_per_week = 1;
    in.attendance = 0.8;
    in.reflections_per_week = 0.5;
    return in;
}

static void run(const char *const *texts, size_t n, size_t persons,
                sb_whatif *w)
{
    sb_plan plans[SB_PLAN_MAX];
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sb_plan_parse(texts[i], &plans[i], NULL), SB_OK);
    sb_whatif_options o;
    sb_whatif_options_default(&o);
    o.persons = persons;
    o.seed = 11;
    sb_care_series s = series_at(4.6, 4.2);
    sb_care_inputs in = in_weekly_therapy();
    sb_error err;
    if (sb_whatif_run(&s, &in, plans, n, &o, w, &err) != SB_OK)
        fail_msg("%s", err.message);
}

static void the_same_plan_differs_from_keep_by_exactly_nothing(void **state)
{
    (void)state;
    static const char *const texts[] = {"therapy=weekly", "same=keep"};
    sb_whatif *w = malloc(sizeof *w);
    run(texts, 2, 3000, w);
    assert_int_equal(w->plan_count, 3);
    assert_string_equal(w->plans[0].plan.name, "keep");
    for (size_t i = 1; i < 3; i++)
        for (int h = 0; h < SB_WHATIF_HORIZONS; h++) {
            const sb_whatif_outcome *o = &w->plans[i].at[h];
            assert_true(o->diff_secure == 0 && o->diff_secure_se == 0);
            assert_true(o->diff_mean[0] == 0 && o->diff_mean_se[0] == 0);
            assert_true(o->diff_mean[1] == 0 && o->diff_mean_se[1] == 0);
            assert_true(o->secure == w->plans[0].at[h].secure);
        }
    assert_true(isnan(w->plans[0].at[0].diff_secure));
    sb_whatif_free(w);
    free(w);
}

static void differences_are_paired_and_their_errors_add_up(void **state)
{
    (void)state;
    static const char *const texts[] = {"keep", "therapy=stop",
                                        "practice=3/week"};
    sb_whatif *w = malloc(sizeof *w);
    run(texts, 3, 4000, w);
    assert_int_equal(w->plan_count, 3);
    assert_int_equal(w->weeks, 52);
    assert_int_equal(w->horizon_weeks[0], 26);
    for (size_t i = 0; i < 3; i++)
        for (int h = 0; h < SB_WHATIF_HORIZONS; h++) {
            const sb_whatif_outcome *o = &w->plans[i].at[h];
            const sb_whatif_outcome *k = &w->plans[0].at[h];
            /* The binomial error of a share of 4000 people. */
            assert_near(o->secure_se,
                        sqrt(o->secure * (1 - o->secure) / 4000), 1e-15);
            if (i) /* a mean of differences is the difference of means */
                assert_near(o->diff_secure, o->secure - k->secure, 1e-12);
            for (int d = 0; d < 2; d++)
                for (int q = 0; q < 4; q++)
                    assert_true(o->pct[d][q] <= o->pct[d][q + 1]);
        }
    /* Stopping therapy leaves people less secure than keeping it, by far
     * more than the Monte-Carlo error; practice helps. */
    const sb_whatif_outcome *stop = &w->plans[1].at[1];
    const sb_whatif_outcome *practice = &w->plans[2].at[1];
    assert_true(stop->diff_mean[0] > 5 * stop->diff_mean_se[0]);
    assert_true(stop->diff_secure < -5 * stop->diff_secure_se);
    assert_true(practice->diff_mean[0] < -5 * practice->diff_mean_se[0]);
    /* Paired differences are sharper than two independent samples. */
    const sb_whatif_outcome *keep = &w->plans[0].at[1];
    assert_true(practice->diff_secure_se <
                sqrt(practice->secure_se * practice->secure_se +
                     keep->secure_se * keep->secure_se));
    /* Medians start where the person is, give or take the error. */
    assert_near(w->plans[0].median[0][0], 4.6, 0.3);
    assert_near(w->plans[1].median[1][52], stop->pct[1][2], 1e-12);
    assert_near(w->secure_cutoff, 4.0, 1e-12);
    sb_whatif_free(w);
    free(w);
}

static void a_plan_gives_the_same_figures_whatever_else_is_compared(void **state)
{
    (void)state;
    static const char *const one[] = {"therapy=stop"};
    static const char *const two[] = {"practice=1/day", "therapy=stop"};
    sb_whatif *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    run(one, 1, 2000, a);
    run(two, 2, 2000, b);
    assert_memory_equal(&a->plans[1].at, &b->plans[2].at, sizeof a->plans[1].at);
    sb_whatif_free(a);
    sb_whatif_free(b);
    free(a);
    free(b);
}

/* A posterior of one particle that holds the defaults changes nothing; one
 * that holds another noise changes every plan, the same person keeping the
 * same draw under each plan (a plan equal to keep still differs by 0). */
static void posterior_draws_reach_every_plan(void **state)
{
    (void)state;
    sb_params def;
    sb_params_default(&def);
    char *dir = sb_test_tmpdir(), text[256];
    snprintf(text, sizeof text,
             "particle,weight,noise,proto_sd\n1,1,%.17g,%.17g\n", def.noise,
             3 * def.proto_sd);
    char *same_path = sb_test_write(dir, "same.csv", text);
    snprintf(text, sizeof text,
             "particle,weight,noise\n1,0.5,%.17g\n2,0.5,%.17g\n",
             4 * def.noise, 2 * def.noise);
    char *other_path = sb_test_write(dir, "other.csv", text);
    sb_posterior *same = NULL, *other = NULL;
    sb_error err;
    assert_int_equal(sb_posterior_load(same_path, &same, &err), SB_OK);
    assert_int_equal(sb_posterior_load(other_path, &other, &err), SB_OK);

    sb_plan plans[2];
    assert_int_equal(sb_plan_parse("therapy=stop", &plans[0], NULL), SB_OK);
    assert_int_equal(sb_plan_parse("same=keep", &plans[1], NULL), SB_OK);
    sb_care_series s = series_at(4.6, 4.2);
    sb_care_inputs in = in_weekly_therapy();
    sb_whatif_options o;
    sb_whatif_options_default(&o);
    o.persons = 1000;
    o.seed = 5;
    sb_whatif *base = calloc(1, sizeof *base), *w = calloc(1, sizeof *w);
    assert_int_equal(sb_whatif_run(&s, &in, plans, 2, &o, base, &err), SB_OK);
    assert_int_equal(base->posterior_particles, 0);

    /* proto_sd is the person's own measurement error whatever the
     * posterior says, so the default particle is the defaults exactly. */
    o.posterior = same;
    assert_int_equal(sb_whatif_run(&s, &in, plans, 2, &o, w, &err), SB_OK);
    assert_int_equal(w->posterior_particles, 1);
    for (size_t i = 0; i < 3; i++)
        assert_memory_equal(&w->plans[i].at, &base->plans[i].at,
                            sizeof w->plans[i].at);
    sb_whatif_free(w);

    o.posterior = other;
    assert_int_equal(sb_whatif_run(&s, &in, plans, 2, &o, w, &err), SB_OK);
    assert_int_equal(w->posterior_particles, 2);
    /* More week-to-week noise widens the spread of keep at a year. */
    const sb_whatif_outcome *k = &w->plans[0].at[1], *kb = &base->plans[0].at[1];
    assert_true(k->pct[0][4] - k->pct[0][0] > kb->pct[0][4] - kb->pct[0][0]);
    const sb_whatif_outcome *eq = &w->plans[2].at[1];
    assert_true(eq->diff_secure == 0 && eq->diff_mean[0] == 0 &&
                eq->diff_mean_se[0] == 0);

    sb_whatif_free(w);
    sb_whatif_free(base);
    free(w);
    free(base);
    sb_posterior_free(same);
    sb_posterior_free(other);
    free(same_path);
    free(other_path);
    sb_test_rmtree(dir);
    free(dir);
}

static void bad_comparisons_are_refused(void **state)
{
    (void)state;
    sb_plan plans[SB_PLAN_MAX + 1];
    assert_int_equal(sb_plan_parse("therapy=stop", &plans[0], NULL), SB_OK);
    assert_int_equal(sb_plan_parse("therapy=stop", &plans[1], NULL), SB_OK);
    sb_whatif_options o;
    sb_whatif_options_default(&o);
    o.persons = 100;
    sb_care_series s = series_at(4, 4);
    sb_care_inputs in = in_weekly_therapy();
    sb_whatif *w = malloc(sizeof *w);
    sb_error err;
    assert_int_equal(sb_whatif_run(&s, &in, plans, 2, &o, w, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "plan 'therapy=stop' is given twice"));
    sb_whatif_free(w);
    for (int i = 0; i < SB_PLAN_MAX; i++) {
        char text[32];
        snprintf(text, sizeof text, "p%d=practice=%d/week", i, i + 1);
        assert_int_equal(sb_plan_parse(text, &plans[i], NULL), SB_OK);
    }
    assert_int_equal(sb_whatif_run(&s, &in, plans, SB_PLAN_MAX, &o, w, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "at most 8"));
    sb_whatif_free(w);
    assert_int_equal(sb_plan_parse("relationship-=Sam", &plans[0], NULL),
                     SB_OK);
    assert_int_equal(sb_whatif_run(&s, &in, plans, 1, &o, w, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "'Sam'"));
    sb_whatif_free(w);
    s.count = 0;
    assert_int_equal(sb_whatif_run(&s, &in, plans, 0, &o, w, &err),
                     SB_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "no questionnaire"));
    sb_whatif_free(w);
    s = series_at(4, 4);
    o.persons = 1;
    assert_int_equal(sb_whatif_run(&s, &in, plans, 0, &o, w, &err),
                     SB_ERR_INVALID);
    sb_whatif_free(w);
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(maps_scales_linearly),
        cmocka_unit_test(the_series_is_the_most_answered_instrument),
        cmocka_unit_test(inputs_come_from_the_last_twelve_weeks),
        cmocka_unit_test(the_same_plan_differs_from_keep_by_exactly_nothing),
        cmocka_unit_test(differences_are_paired_and_their_errors_add_up),
        cmocka_unit_test(a_plan_gives_the_same_figures_whatever_else_is_compared),
        cmocka_unit_test(posterior_draws_reach_every_plan),
        cmocka_unit_test(bad_comparisons_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
