/* Tests for src/care/model_band.c: the inputs read from records, the
 * scenario they calibrate, and the model band. */
#include "support.h"

#include <securebase/care.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static long day(int y, int m, int d)
{
    return sb_date_days((sb_date){y, m, d});
}

static void inputs_counted_over_the_stretch(void **state)
{
    (void)state;
    /* Twelve weekly sessions from 2026-01-05, every fourth missed; six
     * reflections, three practice episodes; one of two relationships
     * ended before the stretch's end. */
    sb_rec_session s[13];
    memset(s, 0, sizeof s);
    for (int i = 0; i < 13; i++) {
        sb_date_format(sb_date_from_days(day(2026, 1, 5) + 7L * i), s[i].date);
        s[i].attended = i % 4 != 3;
    }
    sb_rec_reflection r[6];
    memset(r, 0, sizeof r);
    for (int i = 0; i < 6; i++)
        sb_date_format(sb_date_from_days(day(2026, 1, 10) + 10L * i),
                       r[i].date);
    sb_rec_practice p[3];
    memset(p, 0, sizeof p);
    for (int i = 0; i < 3; i++)
        sb_date_format(sb_date_from_days(day(2026, 2, 1) + i), p[i].date);
    sb_rec_relationship rel[2];
    memset(rel, 0, sizeof rel);
    snprintf(rel[0].start, sizeof rel[0].start, "2020-01-01");
    snprintf(rel[1].start, sizeof rel[1].start, "2020-01-01");
    snprintf(rel[1].end, sizeof rel[1].end, "2026-02-01");
    rel[0].supportive = 1;
    rel[0].kind = SB_REL_FRIEND;
    snprintf(rel[0].name, sizeof rel[0].name, "Lena");
    snprintf(rel[1].name, sizeof rel[1].name, "Tom");
    /* (2026-01-04, 2026-03-29]: 84 days, 12 weeks, sessions 0..11 (the
     * 13th is on 2026-03-30). */
    sb_care_records rec = {day(2026, 3, 29), s, 13, rel, 2, r, 6, p, 3};
    sb_care_inputs in;
    sb_care_inputs_between(&rec, day(2026, 1, 4), &in);
    assert_near(in.sessions_per_week, 1.0, 1e-12);
    assert_near(in.attendance, 9.0 / 12.0, 1e-12);
    assert_near(in.reflections_per_week, 0.5, 1e-12);
    assert_near(in.practice_per_week, 0.25, 1e-12);
    assert_int_equal(in.relationship_count, 1);
    assert_string_equal(in.relationships[0].name, "Lena");
    /* From intake four weeks before: sessions 8..11 (one missed) in 4
     * weeks, reflections on 03-01 only, no practice. */
    sb_care_inputs_between(&rec, day(2026, 3, 1), &in);
    assert_near(in.sessions_per_week, 1.0, 1e-12);
    assert_near(in.attendance, 0.75, 1e-12);
    assert_near(in.reflections_per_week, 0.0, 1e-12);
    /* Less than a week: a week. */
    sb_care_inputs_between(&rec, day(2026, 3, 27), &in);
    assert_near(in.sessions_per_week, 1.0, 1e-12);

    sb_scenario sc;
    sb_care_inputs_between(&rec, day(2026, 1, 4), &in);
    sb_care_scenario(&in, 4.5, 3.2, 10, &sc);
    sb_error err;
    assert_int_equal(sb_scenario_check(&sc, &err), SB_OK);
    assert_near(sc.therapy.sessions_per_week, 1.0, 1e-12);
    assert_near(sc.therapy.attendance, 0.75, 1e-12);
    assert_int_equal(sc.therapy.weeks, 10);
    assert_int_equal(sc.relationship_count, 1);
    assert_string_equal(sc.relationships[0].name, "Lena");
    assert_near(sc.relationships[0].share, 1, 0);
    assert_near(sc.params.proto_center[0][0], 4.5, 0);
    assert_near(sc.params.proto_center[0][1], 3.2, 0);
    assert_near(sc.params.burn_in_weeks, 0, 0);
    /* Recorded relationships that all ended: none now, not the model's
     * everyday ones; none recorded at all: the everyday ones. */
    rec.relationships = rel + 1;
    rec.relationship_count = 1;
    sb_care_inputs_between(&rec, day(2026, 1, 4), &in);
    sb_care_scenario(&in, 4.5, 3.2, 10, &sc);
    assert_int_equal(sc.relationship_count, 0);
    assert_int_equal(sb_scenario_check(&sc, &err), SB_OK);
    rec.relationship_count = 0;
    sb_care_inputs_between(&rec, day(2026, 1, 4), &in);
    sb_care_scenario(&in, 4.5, 3.2, 10, &sc);
    assert_true(sc.relationship_count > 0);
    /* No sessions: no therapy, the weeks are follow-up. */
    sb_care_records none = {day(2026, 1, 4), NULL, 0, NULL, 0, NULL, 0, NULL, 0};
    sb_care_inputs_between(&none, day(2026, 1, 4), &in);
    assert_near(in.sessions_per_week, 0, 0);
    sb_care_scenario(&in, 4.5, 3.2, 10, &sc);
    assert_int_equal(sc.therapy.weeks, 0);
    assert_int_equal(sc.followup_weeks, 10);
    assert_int_equal(sb_scenario_check(&sc, &err), SB_OK);
}

static void scale_mapping_round_trips(void **state)
{
    (void)state;
    sb_scale five = {1, 5};
    assert_near(sb_care_to_model(five, 1), 1, 1e-12);
    assert_near(sb_care_to_model(five, 5), 7, 1e-12);
    assert_near(sb_care_to_model(five, 3), 4, 1e-12);
    assert_near(sb_care_from_model(five, sb_care_to_model(five, 2.3)), 2.3,
                1e-12);
}

static void the_model_band_is_reproducible_and_ordered(void **state)
{
    (void)state;
    sb_care_inputs in;
    memset(&in, 0, sizeof in);
    in.sessions_per_week = 1;
    in.attendance = 0.9;
    double intake[2] = {3.5, 2.8};
    sb_scale five = {1, 5};
    sb_care_band a, b;
    sb_error err;
    assert_int_equal(sb_care_band_model(intake, five, &in, 12, 300, 7, &a,
                                        &err),
                     SB_OK);
    assert_int_equal(sb_care_band_model(intake, five, &in, 12, 300, 7, &b,
                                        &err),
                     SB_OK);
    assert_true(a.ran);
    assert_int_equal(a.n, 300);
    assert_int_equal(a.weeks, 12);
    assert_int_equal(a.source, SB_CARE_MODEL);
    for (int d = 0; d < 2; d++)
        for (int w = 0; w <= 12; w++) {
            for (int q = 0; q < 5; q++) {
                assert_true(a.pct[d][q][w] == b.pct[d][q][w]);
                assert_true(a.pct[d][q][w] >= 1 && a.pct[d][q][w] <= 5);
                if (q)
                    assert_true(a.pct[d][q][w] >= a.pct[d][q - 1][w]);
            }
        }
    /* Week 0 is centred on the intake, give or take measurement error (the
     * simulated working model starts there, not shifted by the residue). */
    assert_near(a.pct[0][2][0], 3.5, 0.1);
    assert_near(a.pct[1][2][0], 2.8, 0.1);
    assert_true(a.pct[0][4][0] - a.pct[0][0][0] > 0.2);
    sb_care_band_free(&b);
    assert_int_equal(sb_care_band_model(intake, five, &in, 12, 300, 8, &b,
                                        &err),
                     SB_OK);
    assert_true(memcmp(a.pct[0][2], b.pct[0][2], 13 * sizeof(double)) != 0);
    sb_care_band_free(&a);
    sb_care_band_free(&b);
    assert_int_equal(sb_care_band_model(intake, five, &in, 0, 300, 7, &a,
                                        &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "0 weeks"));
    assert_int_equal(sb_care_band_model(intake, five, &in, 5, 0, 7, &a, &err),
                     SB_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inputs_counted_over_the_stretch),
        cmocka_unit_test(scale_mapping_round_trips),
        cmocka_unit_test(the_model_band_is_reproducible_and_ordered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
