/* Tests for src/report/projection.c: calibration to one person, and the run. */
#include "report/helpers.h"

#include "report/projection.h"

#include <math.h>

static void maps_scales_linearly(void **state)
{
    (void)state;
    sb_scale five = {1, 5}, seven = {1, 7};
    assert_true(sb__projection_to_model(five, 1) == 1.0);
    assert_true(sb__projection_to_model(five, 3) == 4.0);
    assert_true(sb__projection_to_model(five, 5) == 7.0);
    assert_true(sb__projection_from_model(five, 4) == 3.0);
    assert_true(sb__projection_to_model(seven, 2.5) == 2.5);
}

static void calibrates_from_recent_records(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb__history h;
    assert_int_equal(tr_history(t.j, 1, 0, NULL, &h, NULL), SB_OK);
    sb__projection p;
    sb_error err;
    sb__projection_run_options run = {10, 1000, 7, NULL, NULL, NULL};
    if (sb__projection_run(&h, h.last_day, &run, &p, &err) != SB_OK)
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
    sb__projection_free(&p);
    sb__history_free(&h);
    tj_close(&t);
}

static void same_seed_same_projection(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb__history h;
    assert_int_equal(tr_history(t.j, 1, 0, NULL, &h, NULL), SB_OK);
    sb__projection a, b;
    sb__projection_run_options run = {6, 300, 3, NULL, NULL, NULL};
    assert_int_equal(sb__projection_run(&h, h.last_day, &run, &a, NULL), SB_OK);
    assert_int_equal(sb__projection_run(&h, h.last_day, &run, &b, NULL), SB_OK);
    for (int w = 0; w <= 6; w++)
        assert_true(a.pct[SB_AVOIDANCE][2][w] == b.pct[SB_AVOIDANCE][2][w]);
    sb__projection_free(&a);
    sb__projection_free(&b);
    /* Turned off: no run, a reason. */
    run.weeks = 0;
    assert_int_equal(sb__projection_run(&h, h.last_day, &run, &a, NULL), SB_OK);
    assert_int_equal(a.ran, 0);
    assert_non_null(strstr(a.why, "turned off"));
    sb__projection_free(&a);
    sb__history_free(&h);
    tj_close(&t);
}

/* A projection made by hand: medians from `now` to `end`, the share secure
 * from `a` to `b`. */
static void fake(sb__projection *p, double *store, const double now[2],
                 const double end[2], double a, double b)
{
    memset(p, 0, sizeof *p);
    p->ran = 1;
    p->weeks = 1;
    for (int d = 0; d < 2; d++) {
        p->start[d] = now[d];
        for (int q = 0; q < 5; q++) {
            p->pct[d][q] = store + (d * 5 + q) * 2;
            p->pct[d][q][0] = now[d] + 0.2 * (q - 2);
            p->pct[d][q][1] = end[d] + 0.4 * (q - 2);
        }
    }
    p->share_secure_start = a;
    p->share_secure_end = b;
}

/* The sentence never reads as worsening when the medians improve: a
 * falling share secure is explained by the spread, not left to be read as
 * a turn for the worse. */
static void describes_which_way_the_medians_go(void **state)
{
    (void)state;
    double store[20];
    sb__projection p;
    char text[1024];
    fake(&p, store, (double[]){2.50, 2.72}, (double[]){2.00, 2.38}, 0.90, 0.87);
    sb__projection_describe(&p, text, sizeof text);
    assert_non_null(strstr(text, "median anxiety is 2.00, down from 2.50 now "
                                 "(lower is more secure)"));
    assert_non_null(strstr(text, "median avoidance 2.38, down from 2.72"));
    assert_non_null(strstr(text, "90% of the simulated people at the start "
                                 "and 87% at the end"));
    assert_non_null(strstr(text, "falls although the medians improve because "
                                 "the paths spread out"));
    /* a rising share needs no explanation */
    fake(&p, store, (double[]){4.5, 4.2}, (double[]){3.9, 4.0}, 0.10, 0.25);
    sb__projection_describe(&p, text, sizeof text);
    assert_null(strstr(text, "falls"));
    assert_non_null(strstr(text, "10% of the simulated people at the start "
                                 "and 25% at the end."));
    /* a median that rises is said to rise, and the fall is not explained
     * away */
    fake(&p, store, (double[]){2.5, 2.5}, (double[]){2.9, 2.5}, 0.80, 0.60);
    sb__projection_describe(&p, text, sizeof text);
    assert_non_null(strstr(text, "2.90, up from 2.50"));
    assert_non_null(strstr(text, "2.50, unchanged from 2.50"));
    assert_null(strstr(text, "falls although"));
    /* a short buffer stays terminated */
    char small[40];
    sb__projection_describe(&p, small, sizeof small);
    assert_int_equal(strlen(small), sizeof small - 1);
    /* no projection, no words */
    p.ran = 0;
    sb__projection_describe(&p, text, sizeof text);
    assert_string_equal(text, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(maps_scales_linearly),
        cmocka_unit_test(calibrates_from_recent_records),
        cmocka_unit_test(same_seed_same_projection),
        cmocka_unit_test(describes_which_way_the_medians_go),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
