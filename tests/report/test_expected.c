/* Tests for src/report/expected.c: the report's expected-recovery part,
 * with the practice's completed courses as the empirical reference
 * (sb_report_options.practice_assessments) and without enough of them. */
#include "report/helpers.h"

#include <securebase/care.h>
#include <securebase/report.h>

/* An ECR on 1-5 of person `who` on `date` with whole anxiety and avoidance
 * means. */
static void ecr(sb_journal *j, sb_id who, const char *date, int anx, int av)
{
    char person[40], day[40], items[200], arg[240];
    snprintf(person, sizeof person, "person=%lld", (long long)who);
    snprintf(day, sizeof day, "date=%s", date);
    tr_ecr_items(anx, av, items, sizeof items);
    snprintf(arg, sizeof arg, "items=%s", items);
    tj_any rec;
    tj_fill(SB_KIND_ASSESSMENT, &rec, person, "instrument=ecr", "scale=1-5",
            day, arg, NULL);
    tj_add(j, SB_KIND_ASSESSMENT, &rec);
}

/*
 * `courses` past clients with an intake of anxiety 4 and avoidance 3 on
 * 2025-01-06, the same six weeks later, and 12 weeks after intake
 * (2025-03-31) anxiety 2 (the first 10), 3 (the next 14) or 4 (the rest),
 * avoidance still 3; then Cleo, anxiety 4 and avoidance 3 on 2026-01-05 and
 * again 12 weeks later, 2026-03-30. Returns Cleo's id.
 */
static sb_id practice(sb_journal *j, int courses)
{
    for (int i = 0; i < courses; i++) {
        char name[32];
        snprintf(name, sizeof name, "Past %02d", i + 1);
        sb_id p = tj_person(j, name);
        ecr(j, p, "2025-01-06", 4, 3);
        ecr(j, p, "2025-02-17", 4, 3);
        ecr(j, p, "2025-03-31", i < 10 ? 2 : i < 24 ? 3 : 4, 3);
    }
    sb_id cleo = tj_person(j, "Cleo");
    ecr(j, cleo, "2026-01-05", 4, 3);
    ecr(j, cleo, "2026-03-30", 4, 3);
    return cleo;
}

/* Cleo's report with every assessment of the practice as its reference. */
static char *report(sb_journal *j, sb_id cleo)
{
    sb_rec_assessment *all = NULL;
    size_t count = 0;
    sb_error err;
    assert_int_equal(sb_journal_list(j, SB_KIND_ASSESSMENT, 0, (void **)&all,
                                     &count, &err),
                     SB_OK);
    sb_report_options opt;
    sb_report_options_default(&opt);
    opt.projection_weeks = 0;
    opt.whatif_people = 0;
    opt.practice_assessments = all;
    opt.practice_assessment_count = count;
    char who[32], *html;
    size_t len;
    snprintf(who, sizeof who, "%lld", (long long)cleo);
    if (tr_render(j, who, &opt, &html, &len, &err) != SB_OK)
        fail_msg("%s", err.message);
    free(all);
    return html;
}

static void empirical_band_from_thirty_completed_courses(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_id cleo = practice(t.j, SB_CARE_MIN_COURSES);
    char *html = report(t.j, cleo);
    /* The band is the practice's, said so, and it is the one that judged. */
    assert_non_null(strstr(html, "<li><b>Empirical</b>: the 30 completed "
                                 "courses of this practice"));
    assert_non_null(strstr(html, "Judged against the <b>empirical</b> band"));
    /* By hand, at week 12 the 30 changes of anxiety are ten -2, fourteen -1
     * and six 0: type-7 percentiles at (30 - 1) q give P25 -2 (index
     * 7.25), P50 -1 (14.5), P75 -1 (21.75), P90 0 (26.1). Laid onto Cleo's
     * intake of 4: the middle half is 2-3 and P90 is 4. Avoidance never
     * moved: 3-3. Her anxiety of 4 is above P75 and not above P90: watch. */
    assert_non_null(strstr(html, "<tr><td>12.0</td><td class=\"num\">4.00</td>"
                                 "<td class=\"num\">2.00&ndash;3.00</td>"
                                 "<td class=\"num\">3.00</td>"
                                 "<td class=\"num\">3.00&ndash;3.00</td>"
                                 "<td class=\"watch\">watch</td></tr>"));
    assert_non_null(strstr(html, "Now: <b class=\"watch\">watch</b>"));
    /* The figures of the band, anxiety and avoidance. */
    assert_non_null(strstr(html, "alt=\"Expected anxiety after intake"));
    assert_non_null(strstr(html, "alt=\"Expected avoidance after intake"));
    free(html);
    tj_close(&t);
}

static void below_the_threshold_the_model_band_judges(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_id cleo = practice(t.j, SB_CARE_MIN_COURSES - 1);
    char *html = report(t.j, cleo);
    assert_non_null(strstr(html, "<li><b>Empirical</b>: none (29 completed "
                                 "courses on this questionnaire; the "
                                 "empirical band needs 30).</li>"));
    assert_non_null(strstr(html, "<li><b>Model</b>: 500 simulated people"));
    assert_non_null(strstr(html, "Judged against the <b>model</b> band"));
    /* A signal is still given, by the model's band. */
    assert_non_null(strstr(html, "<tr><td>12.0</td><td class=\"num\">4.00</td>"));
    assert_null(strstr(html, "no expected band could be made"));
    free(html);
    tj_close(&t);
}

/* A course still going (a questionnaire in the last 56 days) is no
 * reference: 30 courses, one of them still open, are 29. */
static void an_open_course_is_not_a_reference(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_id cleo = practice(t.j, SB_CARE_MIN_COURSES);
    ecr(t.j, 1, "2026-02-16", 4, 3);
    char *html = report(t.j, cleo);
    assert_non_null(strstr(html, "none (29 completed courses"));
    assert_non_null(strstr(html, "Judged against the <b>model</b> band"));
    free(html);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empirical_band_from_thirty_completed_courses),
        cmocka_unit_test(below_the_threshold_the_model_band_judges),
        cmocka_unit_test(an_open_course_is_not_a_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
