/* Tests for src/report/projection.c: calibration to one person, and the run. */
#include "report/helpers.h"

#include "report/projection.h"

#include <math.h>

static void maps_scales_linearly(void **state)
{
    (void)state;
    sb_scale five = {1, 5}, seven = {1, 7};
    assert_true(sb_projection_to_model(five, 1) == 1.0);
    assert_true(sb_projection_to_model(five, 3) == 4.0);
    assert_true(sb_projection_to_model(five, 5) == 7.0);
    assert_true(sb_projection_from_model(five, 4) == 3.0);
    assert_true(sb_projection_to_model(seven, 2.5) == 2.5);
}

static void calibrates_from_recent_records(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb_history h;
    assert_int_equal(sb_history_load(t.j, 1, 0, NULL, &h, NULL), SB_OK);
    sb_projection p;
    sb_error err;
    if (sb_projection_run(&h, h.last_day, 10, 1000, 7, NULL, &p, &err) != SB_OK)
        fail_msg("%s", err.message);
    assert_int_equal(p.ran, 1);
    assert_int_equal(p.weeks, 10);
    assert_int_equal(p.rescaled, 1);
    /* The 12 weeks up to 23 Mar 2026 hold all 12 sessions (10 attended),
     * the 6 reflections and the 2 practice entries. */
    assert_true(fabs(p.sessions_per_week - 1.0) < 1e-12);
    assert_true(fabs(p.attendance - 10.0 / 12.0) < 1e-12);
    assert_true(fabs(p.reflections_per_week - 0.5) < 1e-12);
    assert_true(fabs(p.practice_per_week - 2.0 / 12.0) < 1e-12);
    assert_true(p.scenario.therapy.sessions_per_week == 1.0);
    assert_int_equal(p.scenario.therapy.weeks, 10);
    /* Only Maya lasts to the report date; Sam ended on 1 Feb. */
    assert_int_equal(p.scenario.relationship_count, 1);
    assert_string_equal(p.scenario.relationships[0].name, "Maya");
    assert_true(p.scenario.relationships[0].responsiveness ==
                SB_PROJECTION_SUPPORTIVE_RESPONSIVENESS);
    /* Everyone starts at the latest scores (2, 2 on 1-5 = 2.5 on 1-7). */
    assert_true(p.scenario.params.proto_center[0][0] == 2.5);
    assert_true(p.start[SB_ANXIETY] == 2.0);
    for (int d = 0; d < 2; d++)
        for (int w = 0; w <= p.weeks; w++)
            for (int q = 0; q < 4; q++)
                assert_true(p.pct[d][q][w] <= p.pct[d][q + 1][w]);
    /* Week 0 is the start: the median within the spread of the start. */
    assert_true(fabs(p.pct[SB_ANXIETY][2][0] - 2.0) < 0.3);
    sb_projection_free(&p);
    sb_history_free(&h);
    tj_close(&t);
}

static void same_seed_same_projection(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb_history h;
    assert_int_equal(sb_history_load(t.j, 1, 0, NULL, &h, NULL), SB_OK);
    sb_projection a, b;
    assert_int_equal(sb_projection_run(&h, h.last_day, 6, 300, 3, NULL, &a, NULL),
                     SB_OK);
    assert_int_equal(sb_projection_run(&h, h.last_day, 6, 300, 3, NULL, &b, NULL),
                     SB_OK);
    for (int w = 0; w <= 6; w++)
        assert_true(a.pct[SB_AVOIDANCE][2][w] == b.pct[SB_AVOIDANCE][2][w]);
    sb_projection_free(&a);
    sb_projection_free(&b);
    /* Turned off: no run, a reason. */
    assert_int_equal(sb_projection_run(&h, h.last_day, 0, 300, 3, NULL, &a, NULL),
                     SB_OK);
    assert_int_equal(a.ran, 0);
    assert_non_null(strstr(a.why, "turned off"));
    sb_projection_free(&a);
    sb_history_free(&h);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(maps_scales_linearly),
        cmocka_unit_test(calibrates_from_recent_records),
        cmocka_unit_test(same_seed_same_projection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
