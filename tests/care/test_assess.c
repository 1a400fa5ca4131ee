/* Tests for src/care/assess.c: a person judged as of a date, and the
 * caseload's order of risk. */
#include "support.h"

#include <securebase/care.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Thirty completed reference courses from intake (4, 4): no change at all,
 * so the band is 4 at every percentile and week. */
typedef struct world {
    sb_care_course c[31];
    long day[31][3];
    double score[31][3][2];
} world;

static world *flat_world(void)
{
    world *w = calloc(1, sizeof *w);
    for (int k = 0; k < 30; k++) {
        w->c[k] = (sb_care_course){k + 1, 3, w->day[k], w->score[k]};
        for (int t = 0; t < 3; t++) {
            w->day[k][t] = 100 + 28L * t;
            w->score[k][t][0] = w->score[k][t][1] = 4;
        }
    }
    return w;
}

static void judged_against_the_empirical_band(void **state)
{
    (void)state;
    world *w = flat_world();
    /* The client: intake 4/4 on day 1000, 4.5/4 at week 2, 4/4 at week 4. */
    long day[3] = {1000, 1014, 1028};
    double score[3][2] = {{4, 4}, {4.5, 4}, {4, 4}};
    sb_care_course me = {77, 3, day, score};
    sb_care_person p;
    memset(&p, 0, sizeof p);
    p.series = &me;
    p.scale = (sb_scale){1, 7};
    p.rc[0] = p.rc[1] = NAN;
    sb_care_options o;
    sb_care_options_default(&o);
    o.model_people = 0;
    o.reference = w->c;
    o.reference_count = 30;
    o.as_of = 1020; /* the week-4 score is later */
    sb_care_status s;
    sb_care_band emp, model;
    sb_care_band *b[2] = {&emp, &model};
    sb_error err;
    assert_int_equal(sb_care_assess(&p, &o, &s, b, &err), SB_OK);
    assert_true(emp.ran);
    assert_false(model.ran);
    assert_non_null(strstr(model.why, "not asked"));
    assert_true(s.has_band);
    assert_int_equal(s.source, SB_CARE_EMPIRICAL);
    assert_int_equal(s.checks, 1);
    assert_int_equal(s.signal, SB_SIGNAL_NOT_ON_TRACK); /* 4.5 > P90 4 */
    assert_int_equal(s.latest.why[0], SB_WHY_ABOVE_90);
    assert_near(s.latest.week, 2, 1e-12);
    /* Band widths are zero here: the excess is large but finite. */
    assert_true(isfinite(s.excess) && s.excess > 0);
    sb_care_band_free(&emp);
    sb_care_band_free(&model);
    /* A month on, back at 4: on track, one of two judged not on track. */
    o.as_of = 1100;
    assert_int_equal(sb_care_assess(&p, &o, &s, NULL, &err), SB_OK);
    assert_int_equal(s.checks, 2);
    assert_int_equal(s.not_on_track, 1);
    assert_int_equal(s.signal, SB_SIGNAL_ON_TRACK);
    /* Intake only, and nothing at all. */
    me.count = 1;
    assert_int_equal(sb_care_assess(&p, &o, &s, NULL, &err), SB_OK);
    assert_int_equal(s.signal, SB_SIGNAL_NONE);
    assert_int_equal(s.checks, 0);
    p.series = NULL;
    assert_int_equal(sb_care_assess(&p, &o, &s, NULL, &err), SB_OK);
    assert_int_equal(s.signal, SB_SIGNAL_NONE);
    free(w);
}

static void the_model_band_judges_when_the_practice_has_too_few(void **state)
{
    (void)state;
    long day[2] = {1000, 1056};
    double score[2][2] = {{4, 4}, {6.9, 6.9}};
    sb_care_course me = {1, 2, day, score};
    sb_care_person p;
    memset(&p, 0, sizeof p);
    p.series = &me;
    p.scale = (sb_scale){1, 7};
    p.rc[0] = p.rc[1] = NAN;
    sb_care_options o;
    sb_care_options_default(&o);
    o.model_people = 200;
    o.as_of = 1056;
    sb_care_status s;
    sb_error err;
    assert_int_equal(sb_care_assess(&p, &o, &s, NULL, &err), SB_OK);
    assert_true(s.has_band);
    assert_int_equal(s.source, SB_CARE_MODEL);
    /* Nearly 3 points worse in 8 weeks is beyond the model's spread. */
    assert_int_equal(s.signal, SB_SIGNAL_NOT_ON_TRACK);
}

static sb_care_status status(sb_care_signal sig, int missed, int gap,
                             double excess)
{
    sb_care_status s;
    memset(&s, 0, sizeof s);
    s.signal = sig;
    s.attendance.alert_missed = missed;
    s.attendance.alert_gap = gap;
    s.excess = excess;
    return s;
}

static void riskier_first(void **state)
{
    (void)state;
    sb_care_status not = status(SB_SIGNAL_NOT_ON_TRACK, 0, 0, 1);
    sb_care_status watch = status(SB_SIGNAL_WATCH, 0, 0, 0.5);
    sb_care_status alert = status(SB_SIGNAL_ON_TRACK, 1, 0, -1);
    sb_care_status two = status(SB_SIGNAL_ON_TRACK, 1, 1, -1);
    sb_care_status none = status(SB_SIGNAL_NONE, 0, 0, NAN);
    sb_care_status on = status(SB_SIGNAL_ON_TRACK, 0, 0, -0.5);
    sb_care_status on_better = status(SB_SIGNAL_ON_TRACK, 0, 0, -0.9);
    assert_true(sb_care_status_cmp(&not, &watch) < 0);
    assert_true(sb_care_status_cmp(&watch, &alert) < 0);
    assert_true(sb_care_status_cmp(&two, &alert) < 0);
    assert_true(sb_care_status_cmp(&alert, &none) < 0);
    assert_true(sb_care_status_cmp(&none, &on) < 0);
    assert_true(sb_care_status_cmp(&on, &on_better) < 0);
    assert_true(sb_care_status_cmp(&on_better, &on) > 0);
    assert_int_equal(sb_care_status_cmp(&on, &on), 0);
    /* A worse 'not on track' (farther above the band) comes first. */
    sb_care_status far = status(SB_SIGNAL_NOT_ON_TRACK, 0, 0, 3);
    assert_true(sb_care_status_cmp(&far, &not) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(judged_against_the_empirical_band),
        cmocka_unit_test(the_model_band_judges_when_the_practice_has_too_few),
        cmocka_unit_test(riskier_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
