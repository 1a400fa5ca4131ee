/* Tests for src/care/evaluate.c and src/care/cohort.c: the evaluation's
 * counts on courses written out by hand, and simulated cohorts. */
#include "support.h"

#include <securebase/care.h>
#include <securebase/scenario.h>

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Three courses of 10 weekly sessions, all attended, a questionnaire the
 * day after each: A gets reliably worse at session 4 and ends so; B
 * improves reliably; C does not move. rc is 1 on both dimensions. */
typedef struct three {
    sb_care_person p[3];
    sb_care_course c[3];
    long day[3][11];
    double score[3][11][2];
    sb_rec_session s[3][10];
} three;

static void build(three *t)
{
    memset(t, 0, sizeof *t);
    long start = sb_date_days((sb_date){2026, 1, 5});
    for (int i = 0; i < 3; i++) {
        t->c[i] = (sb_care_course){i + 1, 11, t->day[i], t->score[i]};
        for (int k = 0; k <= 10; k++) {
            t->day[i][k] = start + 7L * k + (k ? 1 : 0);
            double x = 4;
            if (i == 0 && k >= 4)
                x = 5.5;
            if (i == 1)
                x = 4 - 0.2 * k;
            t->score[i][k][0] = t->score[i][k][1] = x;
        }
        for (int k = 0; k < 10; k++) {
            sb_date_format(sb_date_from_days(start + 7L * (k + 1)),
                           t->s[i][k].date);
            t->s[i][k].attended = 1;
        }
        t->p[i].series = &t->c[i];
        t->p[i].scale = (sb_scale){1, 7};
        t->p[i].rc[0] = t->p[i].rc[1] = 1;
        t->p[i].records.sessions = t->s[i];
        t->p[i].records.session_count = 10;
    }
}

static void counts_by_hand(void **state)
{
    (void)state;
    three *t = malloc(sizeof *t);
    build(t);
    sb_care_options o;
    sb_care_options_default(&o);
    o.model_people = 0;
    o.as_of = LONG_MAX / 4;
    sb_care_eval e;
    sb_error err;
    assert_int_equal(sb_care_evaluate(t->p, 3, &o, &e, &err), SB_OK);
    assert_int_equal(e.courses, 3);
    assert_int_equal(e.bad, 2);         /* A worse, C unchanged */
    assert_int_equal(e.good, 1);        /* B: -2.0 at the end */
    assert_int_equal(e.deteriorated, 1);
    /* Reliable change alone flags A at session 4 (its 4th questionnaire
     * after intake), the very assessment that shows it: lead 0. */
    const sb_care_eval_side *rci = &e.side[2];
    assert_int_equal(rci->flagged_bad, 1);
    assert_int_equal(rci->flagged_good, 0);
    assert_near(rci->hit_rate, 0.5, 1e-12);
    assert_near(rci->false_alarm_rate, 0, 1e-12);
    assert_int_equal(rci->lead_n, 1);
    assert_near(rci->lead_median, 0, 1e-12);
    /* Two other courses are far too few for an empirical band; the model
     * band was not asked for. */
    assert_int_equal(e.side[0].no_band, 3);
    assert_int_equal(e.side[0].flagged_bad, 0);
    assert_int_equal(e.side[1].no_band, 3);
    /* Without reliable change nothing can be judged. */
    for (int i = 0; i < 3; i++)
        t->p[i].rc[0] = NAN;
    assert_int_equal(sb_care_evaluate(t->p, 3, &o, &e, &err), SB_OK);
    assert_int_equal(e.courses, 0);
    assert_true(isnan(e.side[2].hit_rate));
    free(t);
}

static void a_simulated_cohort_is_a_set_of_records(void **state)
{
    (void)state;
    sb_scenario sc;
    sb_error err;
    assert_int_equal(sb_scenario_builtin("therapy-only", &sc, &err), SB_OK);
    sb_care_cohort c;
    assert_int_equal(sb_care_cohort_simulate(&sc, 40, 12, 5, &c, &err), SB_OK);
    assert_int_equal(c.count, 40);
    size_t attended = 0;
    for (size_t i = 0; i < c.count; i++) {
        const sb_care_person *p = &c.people[i];
        assert_int_equal(p->records.session_count, 12);
        size_t here = 0;
        for (size_t k = 0; k < p->records.session_count; k++)
            here += p->records.sessions[k].attended == 1;
        /* An assessment at intake and after every attended session. */
        assert_int_equal(p->series->count, here + 1);
        for (size_t k = 1; k < p->series->count; k++)
            assert_true(p->series->day[k] > p->series->day[k - 1]);
        assert_true(p->rc[0] > 0 && p->rc[1] > 0);
        attended += here;
    }
    /* therapy-only: attendance 0.8 */
    assert_near((double)attended / (40.0 * 12), 0.8, 0.08);
    /* The same seed, the same cohort. */
    sb_care_cohort d;
    assert_int_equal(sb_care_cohort_simulate(&sc, 40, 12, 5, &d, &err), SB_OK);
    for (size_t i = 0; i < c.count; i++)
        assert_memory_equal(c.courses[i].score, d.courses[i].score,
                            c.courses[i].count * sizeof *c.courses[i].score);
    sb_care_cohort_free(&d);

    sb_care_options o;
    sb_care_options_default(&o);
    o.model_people = 50;
    o.as_of = LONG_MAX / 4;
    sb_care_eval e, f;
    assert_int_equal(sb_care_evaluate(c.people, c.count, &o, &e, &err), SB_OK);
    assert_int_equal(sb_care_evaluate(c.people, c.count, &o, &f, &err), SB_OK);
    assert_memory_equal(&e, &f, sizeof e);
    assert_int_equal(e.bad + e.good, e.courses);
    assert_true(e.courses > 30);
    for (int s = 0; s < 3; s++) {
        assert_true(e.side[s].flagged_bad <= e.bad);
        assert_true(e.side[s].flagged_good <= e.good);
    }
    assert_int_equal(e.side[1].no_band, 0);
    sb_care_cohort_free(&c);

    /* Bad requests. */
    assert_int_equal(sb_care_cohort_simulate(&sc, 40, 41, 5, &c, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "must be 1-40"));
    assert_int_equal(sb_care_cohort_simulate(&sc, 1, 10, 5, &c, &err),
                     SB_ERR_INVALID);
    assert_int_equal(sb_scenario_builtin("no-therapy", &sc, &err), SB_OK);
    assert_int_equal(sb_care_cohort_simulate(&sc, 40, 10, 5, &c, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "no course of therapy"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_by_hand),
        cmocka_unit_test(a_simulated_cohort_is_a_set_of_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
