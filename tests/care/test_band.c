/* Tests for src/care/band.c: quantiles and the empirical band, with
 * expectations worked out by hand. */
#include "support.h"

#include <securebase/care.h>

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void quantiles_interpolate_between_order_statistics(void **state)
{
    (void)state;
    double v[4] = {4, 1, 3, 2};
    /* sorted 1 2 3 4; h = 3q */
    assert_near(sb_care_quantile(v, 4, 0.10), 1.3, 1e-12);
    assert_near(sb_care_quantile(v, 4, 0.25), 1.75, 1e-12);
    assert_near(sb_care_quantile(v, 4, 0.50), 2.5, 1e-12);
    assert_near(sb_care_quantile(v, 4, 0.90), 3.7, 1e-12);
    assert_near(sb_care_quantile(v, 4, 1.0), 4, 1e-12);
    assert_near(sb_care_quantile(v, 4, 0.0), 1, 1e-12);
    double one = 2.5;
    assert_near(sb_care_quantile(&one, 1, 0.9), 2.5, 1e-12);
}

/* Reference courses: days 0, 14, 56 from `start`, intake (a, v), change
 * -k/20 at week 2 and -k/10 at week 8 on both dimensions. */
typedef struct refs {
    sb_care_course c[64];
    long day[64][3];
    double score[64][3][2];
    size_t n;
} refs;

static void add_course(refs *r, sb_id person, double a, double v,
                       double change2, double change8, long start)
{
    size_t i = r->n++;
    r->c[i].person = person;
    r->c[i].count = 3;
    r->c[i].day = r->day[i];
    r->c[i].score = r->score[i];
    long days[3] = {0, 14, 56};
    double ch[3] = {0, change2, change8};
    for (int t = 0; t < 3; t++) {
        r->day[i][t] = start + days[t];
        r->score[i][t][0] = a + ch[t];
        r->score[i][t][1] = v + ch[t];
    }
}

static refs *thirty(void)
{
    refs *r = calloc(1, sizeof *r);
    for (int k = 0; k < 30; k++)
        add_course(r, k + 1, 4, 4, -k / 20.0, -k / 10.0, 1000);
    return r;
}

static const sb_scale ecr = {1, 7};
/* A date well after every reference course closed. */
#define LATER 5000

static void band_from_thirty_courses_by_hand(void **state)
{
    (void)state;
    refs *r = thirty();
    double intake[2] = {5, 3};
    sb_care_band b;
    sb_error err;
    assert_int_equal(sb_care_band_empirical(r->c, r->n, 999, LATER, intake,
                                            ecr, 10, &b, &err),
                     SB_OK);
    assert_true(b.ran);
    assert_int_equal(b.n, 30);
    assert_int_equal(b.source, SB_CARE_EMPIRICAL);
    /* Week 8, anxiety: 5 - k/10, k = 0..29, sorted 2.1 .. 5.0. */
    assert_near(b.pct[0][0][8], 2.39, 1e-9);  /* h 2.9: 2.3 + 0.9 x 0.1 */
    assert_near(b.pct[0][2][8], 3.55, 1e-9);  /* h 14.5 */
    assert_near(b.pct[0][4][8], 4.71, 1e-9);  /* h 26.1 */
    /* Avoidance: 3 - k/10, kept at the scale's 1 from k = 20: ten 1.0s,
     * then 1.1 .. 3.0. */
    assert_near(b.pct[1][0][8], 1.0, 1e-9);
    assert_near(b.pct[1][2][8], 1.55, 1e-9);
    /* Week 1 is half way to week 2's -k/20: 5 - k/40; median 5 - 14.5/40. */
    assert_near(b.pct[0][2][1], 4.6375, 1e-9);
    /* Week 0 is the intake. */
    assert_near(b.pct[0][4][0], 5, 1e-12);
    /* No course reaches week 9. */
    assert_true(isnan(b.pct[0][2][9]));
    assert_true(isnan(sb_care_band_at(&b, 0, 2, 9)));
    /* Between weeks: linear. */
    assert_near(sb_care_band_at(&b, 0, 2, 0.5), (5 + 4.6375) / 2, 1e-9);
    assert_true(isnan(sb_care_band_at(&b, 0, 2, -0.1)));
    assert_true(isnan(sb_care_band_at(&b, 0, 5, 1)));
    sb_care_band_free(&b);
    free(r);
}

static void nearest_intake_courses_are_the_ones_taken(void **state)
{
    (void)state;
    refs *r = thirty();
    /* Ten courses far from the client's intake that got much worse. */
    for (int k = 0; k < 10; k++)
        add_course(r, 100 + k, 1, 1, 1, 2, 1000);
    double intake[2] = {4.2, 4.1};
    sb_care_band b;
    assert_int_equal(sb_care_band_empirical(r->c, r->n, 999, LATER, intake,
                                            ecr, 8, &b, NULL),
                     SB_OK);
    assert_int_equal(b.n, 30);
    /* Only the thirty near ones: the 90th percentile at week 8 is
     * 4.2 - 0.29 (h 26.1 of 0 .. -2.9 ascending: -0.29). */
    assert_near(b.pct[0][4][8], 4.2 - 0.29, 1e-9);
    sb_care_band_free(&b);
    free(r);
}

static void too_few_completed_courses_give_no_band(void **state)
{
    (void)state;
    refs *r = thirty();
    double intake[2] = {4, 4};
    sb_care_band b;
    /* The client's own course does not count. */
    assert_int_equal(sb_care_band_empirical(r->c, r->n, 7, LATER, intake, ecr,
                                            8, &b, NULL),
                     SB_OK);
    assert_false(b.ran);
    assert_non_null(strstr(b.why, "29 completed courses"));
    assert_non_null(strstr(b.why, "needs 30"));
    sb_care_band_free(&b);
    /* 55 days after the last assessment a course is still open; 56 closed. */
    long last = 1000 + 56;
    assert_int_equal(sb_care_band_empirical(r->c, r->n, 999, last + 55,
                                            intake, ecr, 8, &b, NULL),
                     SB_OK);
    assert_false(b.ran);
    assert_non_null(strstr(b.why, "0 completed courses"));
    sb_care_band_free(&b);
    assert_int_equal(sb_care_band_empirical(r->c, r->n, 999, last + 56,
                                            intake, ecr, 8, &b, NULL),
                     SB_OK);
    assert_true(b.ran);
    sb_care_band_free(&b);
    sb_error err;
    assert_int_equal(sb_care_band_empirical(r->c, r->n, 999, LATER, intake,
                                            ecr, SB_CARE_MAX_WEEKS + 1, &b,
                                            &err),
                     SB_ERR_INVALID);
    free(r);
}

static void completion_needs_three_scores_over_six_weeks(void **state)
{
    (void)state;
    long day[3] = {0, 20, 41};
    double score[3][2] = {{4, 4}, {4, 4}, {4, 4}};
    sb_care_course c = {1, 3, day, score};
    assert_false(sb_care_course_completed(&c, 1000)); /* 41 days < 42 */
    day[2] = 42;
    assert_true(sb_care_course_completed(&c, 42 + 56));
    assert_false(sb_care_course_completed(&c, 42 + 55));
    c.count = 2;
    day[1] = 60;
    assert_false(sb_care_course_completed(&c, 1000));
}

static void courses_group_assessments_by_person(void **state)
{
    (void)state;
    sb_rec_assessment *a = calloc(5, sizeof *a);
    const char *dates[5] = {"2026-02-01", "2026-01-01", "2026-01-15",
                            "2026-03-01", "2026-01-10"};
    sb_id who[5] = {2, 2, 1, 2, 2};
    for (int i = 0; i < 5; i++) {
        a[i].id = i + 1;
        a[i].person = who[i];
        snprintf(a[i].instrument, sizeof a[i].instrument, "ecr-r");
        snprintf(a[i].date, sizeof a[i].date, "%s", dates[i]);
        a[i].score_count = 2;
        snprintf(a[i].scores[0].scale, sizeof a[i].scores[0].scale,
                 "anxiety");
        a[i].scores[0].value = i;
        snprintf(a[i].scores[1].scale, sizeof a[i].scores[1].scale,
                 "avoidance");
        a[i].scores[1].value = 10 + i;
    }
    snprintf(a[4].instrument, sizeof a[4].instrument, "ecr"); /* another */
    sb_date d = {2026, 2, 15};
    sb_care_course *c;
    size_t n;
    sb_error err;
    assert_int_equal(sb_care_courses_from(a, 5, "ecr-r", "", sb_date_days(d),
                                          &c, &n, &err),
                     SB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(c[0].person, 1);
    assert_int_equal(c[0].count, 1);
    assert_int_equal(c[1].person, 2);
    assert_int_equal(c[1].count, 2); /* 2026-03-01 is after the date */
    assert_near(c[1].score[0][0], 1, 0);   /* 2026-01-01 first */
    assert_near(c[1].score[1][1], 10, 0);  /* then 2026-02-01 */
    assert_true(sb_care_course_find(c, n, 2) == &c[1]);
    assert_null(sb_care_course_find(c, n, 3));
    sb_care_courses_free(c, n);
    /* Another scale: nothing. */
    assert_int_equal(sb_care_courses_from(a, 5, "ecr-r", "1-5", LONG_MAX, &c,
                                          &n, &err),
                     SB_OK);
    assert_int_equal(n, 0);
    sb_care_courses_free(c, n);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantiles_interpolate_between_order_statistics),
        cmocka_unit_test(band_from_thirty_courses_by_hand),
        cmocka_unit_test(nearest_intake_courses_are_the_ones_taken),
        cmocka_unit_test(too_few_completed_courses_give_no_band),
        cmocka_unit_test(completion_needs_three_scores_over_six_weeks),
        cmocka_unit_test(courses_group_assessments_by_person),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
