/* Tests for src/report/history.c: what the report says about a person. */
#include "report/helpers.h"

#include "journal/db.h"
#include "report/history.h"

#include <math.h>

static void load(sb_journal *j, long as_of, sb__history *h)
{
    sb_error err;
    if (tr_history(j, 1, as_of, NULL, h, &err) != SB_OK)
        fail_msg("%s", err.message);
}

static long day(int y, int m, int d)
{
    return sb_date_days((sb_date){y, m, d});
}

static void summarises_therapy_and_gaps(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb__history h;
    load(t.j, 0, &h);
    assert_int_equal(h.session_count, 12);
    assert_int_equal(h.attended, 10);
    /* Weeks 3 and 4 missed: attended on 19 Jan, next on 9 Feb. */
    assert_int_equal(h.gap_count, 1);
    assert_int_equal(h.gaps[0].from, day(2026, 1, 19));
    assert_int_equal(h.gaps[0].to, day(2026, 2, 9));
    assert_int_equal(h.longest_gap, 21);
    assert_int_equal(h.first_day, day(2026, 1, 5));
    assert_int_equal(h.last_day, day(2026, 3, 23));
    sb__history_free(&h);
    tj_close(&t);
}

static void series_reliable_change_and_sudden_gain(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    /* Another instrument, once: the series stays the ECR. */
    sb_rec_assessment rq;
    tj_fill(SB_KIND_ASSESSMENT, &rq, "person=1", "instrument=rq",
            "date=2026-01-06", "items=4 4 4 4", NULL);
    tj_add(t.j, SB_KIND_ASSESSMENT, &rq);
    sb__history h;
    load(t.j, 0, &h);
    assert_string_equal(h.instrument, "ecr");
    assert_int_equal(h.assessment_count, 5);
    assert_int_equal(h.scale.min, 1);
    assert_int_equal(h.scale.max, 5);
    assert_int_equal(h.point_count, 4);
    assert_true(h.points[0].score[SB_ANXIETY] == 4.0);
    assert_true(h.points[3].score[SB_AVOIDANCE] == 2.0);
    /* ECR on 1-5 (instruments/ecr.yaml): anxiety alpha .916, SD .803;
     * avoidance alpha .938, SD .840. RC = 1.96 * SD * sqrt(2) * sqrt(1 - r). */
    assert_true(fabs(h.rc[SB_ANXIETY] - 1.96 * 0.803 * sqrt(2 * (1 - 0.916))) <
                1e-9);
    assert_true(fabs(h.rc[SB_AVOIDANCE] - 1.96 * 0.840 * sqrt(2 * (1 - 0.938))) <
                1e-9);
    assert_non_null(strstr(h.rc_source[SB_ANXIETY], "openpsychometrics"));
    /* Anxiety 4, 4, 2, 2: a sudden gain between the 2nd and 3rd. */
    assert_int_equal(h.event_count, 1);
    assert_int_equal(h.events[0].dimension, SB_ANXIETY);
    assert_int_equal(h.events[0].sudden.kind, SB_SUDDEN_GAIN);
    assert_int_equal(h.events[0].sudden.index, 1);
    sb__history_free(&h);
    tj_close(&t);
}

/* The questionnaire's own scale, given or not, is one series. */
static void own_scale_given_or_not_is_one_series(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    tr_add(t.j, SB_KIND_ASSESSMENT, "instrument=ecr-s", "date=2026-01-05",
           "items=4 4 4 4 4 4 4 4 4 4 4 4", "scale=", "scale=", "scale=");
    tr_add(t.j, SB_KIND_ASSESSMENT, "instrument=ecr-s", "date=2026-02-05",
           "items=4 4 4 4 4 4 4 4 4 4 4 4", "scale=1-7", "scale=1-7",
           "scale=1-7");
    sb__history h;
    load(t.j, 0, &h);
    assert_int_equal(h.assessment_count, 2);
    assert_int_equal(h.point_count, 2);
    assert_int_equal(h.scale.min, 1);
    assert_int_equal(h.scale.max, 7);
    sb__history_free(&h);
    /* A journal written before scales were stored in one spelling. */
    sb_error err;
    if (sb__journal_exec(t.j, "UPDATE assessment SET scale = '1-7' WHERE id = 2",
                         &err) != SB_OK)
        fail_msg("%s", err.message);
    load(t.j, 0, &h);
    assert_int_equal(h.point_count, 2);
    assert_int_equal(h.scale.min, 1);
    assert_int_equal(h.scale.max, 7);
    sb__history_free(&h);
    tj_close(&t);
}

static void without_reliability_no_bands_are_claimed(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Bo");
    char items[200], arg[240];
    tr_ecr_items(4, 3, items, sizeof items);
    snprintf(arg, sizeof arg, "items=%s", items);
    sb_rec_assessment a;
    /* The ECR on its own 7-point scale: no SD is recorded for it. */
    tj_fill(SB_KIND_ASSESSMENT, &a, "person=1", "instrument=ecr",
            "date=2026-01-06", arg, NULL);
    tj_add(t.j, SB_KIND_ASSESSMENT, &a);
    sb__history h;
    load(t.j, 0, &h);
    assert_int_equal(h.point_count, 1);
    assert_true(isnan(h.rc[0]) && isnan(h.rc[1]));
    assert_non_null(strstr(h.rc_source[0], "no reliability and SD recorded for "
                                           "ecr on a 1-7 scale"));
    assert_int_equal(h.event_count, 0);
    sb__history_free(&h);
    tj_close(&t);
}

static void groups_triggers_ignoring_case_and_spaces(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb__history h;
    load(t.j, 0, &h);
    assert_int_equal(h.reflection_count, 6);
    assert_int_equal(h.tried, 3);
    assert_int_equal(h.trigger_count, 3);
    assert_string_equal(h.triggers[0].label, "late reply");
    assert_int_equal(h.triggers[0].count, 3);
    assert_int_equal(h.triggers[0].tried, 2);
    assert_true(fabs(h.triggers[0].mean_intensity - 20.0 / 3.0) < 1e-12);
    assert_string_equal(h.triggers[1].label, "criticism");
    assert_int_equal(h.triggers[1].tried, 0);
    assert_true(h.triggers[1].mean_intensity == 6.0);
    assert_string_equal(h.triggers[2].label, "plans cancelled");
    assert_int_equal(h.practice_count, 2);
    assert_int_equal(h.outcomes[SB_OUTCOME_POSITIVE], 1);
    assert_int_equal(h.outcomes[SB_OUTCOME_MIXED], 1);
    assert_int_equal(h.relationship_count, 2);
    sb__history_free(&h);
    tj_close(&t);
}

static void as_of_leaves_later_records_out(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb__history h;
    load(t.j, day(2026, 2, 2), &h); /* weeks 0-4 */
    assert_int_equal(h.session_count, 5);
    assert_int_equal(h.attended, 3);
    assert_int_equal(h.point_count, 2);
    assert_int_equal(h.reflection_count, 4);
    assert_int_equal(h.practice_count, 1);
    assert_int_equal(h.event_count, 0); /* too few scores to judge */
    assert_int_equal(h.last_day, day(2026, 2, 2));
    sb__history_free(&h);
    sb_error err;
    assert_int_equal(tr_history(t.j, 9, 0, NULL, &h, &err),
                     SB_ERR_NOTFOUND);
    sb__history_free(&h);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(summarises_therapy_and_gaps),
        cmocka_unit_test(series_reliable_change_and_sudden_gain),
        cmocka_unit_test(own_scale_given_or_not_is_one_series),
        cmocka_unit_test(without_reliability_no_bands_are_claimed),
        cmocka_unit_test(groups_triggers_ignoring_case_and_spaces),
        cmocka_unit_test(as_of_leaves_later_records_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
