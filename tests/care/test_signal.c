/* Tests for src/care/signal.c: every rule of the signal and of the
 * attendance alerts, on a band and sessions written out by hand. */
#include "support.h"

#include <securebase/care.h>

#include <math.h>
#include <string.h>

/* A band of weeks 0..2 whose percentiles are the same every week:
 * P10 1, P25 2, P50 3, P75 4, P90 5 on both dimensions. */
typedef struct fixed_band {
    sb_care_band b;
    double v[2][5][3];
} fixed_band;

static void fixed(fixed_band *f)
{
    memset(f, 0, sizeof *f);
    f->b.ran = 1;
    f->b.weeks = 2;
    for (int d = 0; d < 2; d++)
        for (int q = 0; q < 5; q++) {
            for (int w = 0; w < 3; w++)
                f->v[d][q][w] = q + 1;
            f->b.pct[d][q] = f->v[d][q];
        }
}

static sb_care_check judge(const sb_care_band *b, double week, double a,
                           double v, double rc)
{
    double intake[2] = {3, 3}, score[2] = {a, v}, r[2] = {rc, rc};
    sb_care_check k;
    sb_care_judge(b, week, intake, score, r, &k);
    return k;
}

static void band_rules(void **state)
{
    (void)state;
    fixed_band f;
    fixed(&f);
    sb_care_check k = judge(&f.b, 1, 3, 3, NAN);
    assert_int_equal(k.signal, SB_SIGNAL_ON_TRACK);
    assert_int_equal(k.why[0], 0);
    /* Exactly at P75 is not above it. */
    assert_int_equal(judge(&f.b, 1, 4, 3, NAN).signal, SB_SIGNAL_ON_TRACK);
    k = judge(&f.b, 1, 4.01, 3, NAN);
    assert_int_equal(k.signal, SB_SIGNAL_WATCH);
    assert_int_equal(k.dim[0], SB_SIGNAL_WATCH);
    assert_int_equal(k.dim[1], SB_SIGNAL_ON_TRACK);
    assert_int_equal(k.why[0], SB_WHY_ABOVE_75);
    /* Exactly at P90 is watch; above it, not on track. */
    assert_int_equal(judge(&f.b, 1, 5, 3, NAN).signal, SB_SIGNAL_WATCH);
    k = judge(&f.b, 1, 3, 5.01, NAN);
    assert_int_equal(k.signal, SB_SIGNAL_NOT_ON_TRACK);
    assert_int_equal(k.dim[1], SB_SIGNAL_NOT_ON_TRACK);
    assert_int_equal(k.why[1], SB_WHY_ABOVE_90);
    /* The worse dimension decides. */
    assert_int_equal(judge(&f.b, 1, 4.5, 5.5, NAN).signal,
                     SB_SIGNAL_NOT_ON_TRACK);
    /* Lower (more secure) than the whole band is on track. */
    assert_int_equal(judge(&f.b, 1, 0.5, 0.5, NAN).signal,
                     SB_SIGNAL_ON_TRACK);
}

static void reliable_deterioration_rule(void **state)
{
    (void)state;
    fixed_band f;
    fixed(&f);
    /* Intake 3; a rise of rc (1.0) is a reliable deterioration even inside
     * the band's middle. */
    sb_care_check k = judge(&f.b, 1, 4.0, 3, 1.0);
    assert_int_equal(k.signal, SB_SIGNAL_NOT_ON_TRACK);
    assert_int_equal(k.why[0], SB_WHY_DETERIORATED);
    assert_int_equal(judge(&f.b, 1, 3.99, 3, 1.0).signal, SB_SIGNAL_ON_TRACK);
    /* Both reasons at once. */
    k = judge(&f.b, 1, 6, 3, 1.0);
    assert_int_equal(k.why[0], SB_WHY_DETERIORATED | SB_WHY_ABOVE_90);
    /* Without a band, only reliable change speaks. */
    assert_int_equal(judge(NULL, 1, 4.0, 3, 1.0).signal,
                     SB_SIGNAL_NOT_ON_TRACK);
    assert_int_equal(judge(NULL, 1, 3.5, 3, 1.0).signal, SB_SIGNAL_NONE);
    assert_int_equal(judge(NULL, 1, 9, 9, NAN).signal, SB_SIGNAL_NONE);
    /* Past the band's end: no band there. */
    assert_int_equal(judge(&f.b, 2.5, 9, 9, NAN).signal, SB_SIGNAL_NONE);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(sb_care_signal_name(SB_SIGNAL_NONE), "no signal");
    assert_string_equal(sb_care_signal_name(SB_SIGNAL_ON_TRACK), "on track");
    assert_string_equal(sb_care_signal_name(SB_SIGNAL_WATCH), "watch");
    assert_string_equal(sb_care_signal_name(SB_SIGNAL_NOT_ON_TRACK),
                        "not on track");
    assert_string_equal(sb_care_source_name(SB_CARE_MODEL), "model");
    assert_string_equal(sb_care_source_name(SB_CARE_EMPIRICAL), "empirical");
}

static sb_rec_session session(const char *date, int attended)
{
    sb_rec_session s;
    memset(&s, 0, sizeof s);
    snprintf(s.date, sizeof s.date, "%s", date);
    s.attended = attended;
    return s;
}

static long day(int y, int m, int d)
{
    return sb_date_days((sb_date){y, m, d});
}

static void attendance_alerts(void **state)
{
    (void)state;
    sb_rec_session s[4] = {session("2026-01-01", 1), session("2026-01-08", 0),
                           session("2026-01-15", 0), session("2026-02-20", 1)};
    sb_care_attendance a;
    /* One missed: no alert. */
    sb_care_attendance_check(s, 4, day(2026, 1, 10), &a);
    assert_int_equal(a.missed_in_a_row, 1);
    assert_false(a.alert_missed);
    assert_int_equal(a.gap_days, 9);
    /* Two in a row, 19 days since the last attended: missed alert only;
     * the session after the date does not count. */
    sb_care_attendance_check(s, 4, day(2026, 1, 20), &a);
    assert_int_equal(a.missed_in_a_row, 2);
    assert_true(a.alert_missed);
    assert_int_equal(a.gap_days, 19);
    assert_false(a.alert_gap);
    /* 21 days is not yet a long gap; 22 is. */
    sb_care_attendance_check(s, 4, day(2026, 1, 22), &a);
    assert_false(a.alert_gap);
    sb_care_attendance_check(s, 4, day(2026, 1, 23), &a);
    assert_true(a.alert_gap);
    assert_int_equal(a.gap_days, 22);
    /* Attending again clears both. */
    sb_care_attendance_check(s, 4, day(2026, 2, 21), &a);
    assert_int_equal(a.missed_in_a_row, 0);
    assert_false(a.alert_missed);
    assert_false(a.alert_gap);
    /* Never attended: the gap runs from the first session. */
    sb_care_attendance_check(s + 1, 2, day(2026, 2, 1), &a);
    assert_int_equal(a.gap_days, 24);
    assert_true(a.alert_gap);
    assert_true(a.alert_missed);
    /* No sessions: no gap, no alerts. */
    sb_care_attendance_check(NULL, 0, day(2026, 2, 1), &a);
    assert_int_equal(a.gap_days, -1);
    assert_false(a.alert_gap || a.alert_missed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(band_rules),
        cmocka_unit_test(reliable_deterioration_rule),
        cmocka_unit_test(names),
        cmocka_unit_test(attendance_alerts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
