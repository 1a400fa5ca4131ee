/* Tests for src/report/whatif.c: a person's what-if from the journal, and
 * the comparison drawn as HTML in the report. */
#include "report/helpers.h"

#include "report/whatif.h"

#include <securebase/questionnaire.h>
#include <securebase/report.h>

/* sb_report_whatif of the journal's person `who`, as the command runs it. */
static sb_status whatif_of(sb_journal *j, const char *who, const char *as_of,
                           const sb_plan *plan, const sb_whatif_options *o,
                           sb_whatif *w, char used[SB_DATE_SIZE],
                           sb_error *err)
{
    sb_person_records r;
    sb_status st = tr_records(j, who, &r, err);
    if (st == SB_OK)
        st = sb_report_whatif(&r, as_of, plan, 1, o, w, used, err);
    sb_person_records_free(&r);
    return st;
}

static void loads_the_person_as_of_their_last_record(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb_plan plan;
    assert_int_equal(sb_plan_parse("therapy=stop", &plan, NULL), SB_OK);
    sb_whatif_options o;
    sb_whatif_options_default(&o);
    o.persons = 500;
    sb_whatif *w = calloc(1, sizeof *w);
    char used[SB_DATE_SIZE];
    sb_error err;
    if (whatif_of(t.j, "1", NULL, &plan, &o, w, used, &err) != SB_OK)
        fail_msg("%s", err.message);
    /* The last record is the session of 2026-03-23; the latest ECR (1-5)
     * has anxiety 2 and avoidance 2; the model's cutoff 4 on 1-7 is 3 on
     * 1-5. In the 12 weeks: 12 sessions (10 attended), 6 reflections,
     * 2 practice entries; Maya lasts, Sam ended on 1 Feb. */
    assert_string_equal(used, "2026-03-23");
    assert_true(w->start[0] == 2.0 && w->start[1] == 2.0);
    assert_int_equal(w->scale.min, 1);
    assert_int_equal(w->scale.max, 5);
    assert_near(w->secure_cutoff, 3.0, 1e-12);
    assert_near(w->recorded.sessions_per_week, 1.0, 1e-15);
    assert_near(w->recorded.attendance, 10.0 / 12.0, 1e-15);
    assert_near(w->recorded.reflections_per_week, 0.5, 1e-15);
    assert_near(w->recorded.practice_per_week, 2.0 / 12.0, 1e-15);
    assert_int_equal(w->recorded.relationship_count, 1);
    assert_string_equal(w->recorded.relationships[0].name, "Maya");
    assert_int_equal(w->plan_count, 2);
    assert_true(w->plans[1].inputs.sessions_per_week == 0);

    sb__html h = {0};
    sb__whatif_html(&h, w);
    assert_false(h.failed);
    assert_non_null(strstr(h.data, "This is the output of a simulation model"));
    assert_non_null(strstr(h.data, "<caption>After 26 weeks (about 6 months)"));
    assert_non_null(strstr(h.data, "<caption>After 52 weeks (about 12 months)"));
    assert_non_null(strstr(h.data, "<th scope=\"row\">keep</th>"));
    assert_non_null(strstr(h.data, "<td>&mdash;</td>"));
    assert_non_null(strstr(h.data, "<th scope=\"row\">therapy=stop</th>"));
    assert_non_null(strstr(h.data, "Maya (friend, supportive, secure)"));
    /* Each table scrolls in its own named box on a small screen. */
    assert_non_null(strstr(h.data, "<div class=\"tablewrap\" tabindex=\"0\" "
                                   "role=\"region\" aria-label=\"Plans after "
                                   "26 weeks\"><table class=\"whatif\">"));
    assert_non_null(strstr(h.data, "aria-label=\"Plans after 52 weeks\">"));
    sb__html_free(&h);
    sb_whatif_free(w);

    /* Earlier: as of 2026-02-01 the latest ECR is week 0's (4, 3). */
    if (whatif_of(t.j, "1", "2026-02-01", &plan, &o, w, used, &err))
        fail_msg("%s", err.message);
    assert_string_equal(used, "2026-02-01");
    assert_true(w->start[0] == 4.0 && w->start[1] == 3.0);
    sb_whatif_free(w);
    assert_int_equal(whatif_of(t.j, "1", "2026-02-31", &plan, &o, w, used,
                               &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "as-of date"));
    sb_whatif_free(w);
    free(w);
    tj_close(&t);
}

static void the_report_has_the_comparison_and_what_is_due(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb_schedule s;
    memset(&s, 0, sizeof s);
    s.person = 1;
    snprintf(s.instrument, sizeof s.instrument, "ecr");
    s.every_weeks = 4;
    snprintf(s.start, sizeof s.start, "2026-01-05");
    assert_int_equal(sb_schedule_add(t.j, &s, NULL), SB_OK);
    sb_report_options opt;
    sb_report_options_default(&opt);
    opt.projection_weeks = 0;
    opt.whatif_people = 300;
    opt.prepared = "2026-04-21";
    sb_schedule *schedules = NULL;
    assert_int_equal(sb_schedule_list(t.j, 1, &schedules, &opt.schedule_count,
                                      NULL),
                     SB_OK);
    opt.schedules = schedules;
    char *html;
    size_t len;
    sb_error err;
    if (tr_render(t.j, "1", &opt, &html, &len, &err) != SB_OK)
        fail_msg("%s", err.message);
    assert_non_null(strstr(html, "<section id=\"whatif\" class=\"model\"><h2>"
                                 "8. What-if plans</h2>"));
    assert_non_null(strstr(html, "<th scope=\"row\">practice=3/week</th>"));
    /* The ECR was last answered on 2026-03-23: due 4 weeks later, on
     * 2026-04-20, and still "due" (not overdue) on the 21st. */
    assert_non_null(strstr(html, "<td>ecr</td><td>4 weeks</td><td>2026-03-23"
                                 "</td><td>2026-04-20</td><td>due</td>"));
    assert_non_null(strstr(html, "aria-label=\"Measures due\"><table>"));
    assert_true(tr_tables_scroll(html) >= 3);
    free(html);
    opt.whatif_people = 0;
    if (tr_render(t.j, "1", &opt, &html, &len, &err) != SB_OK)
        fail_msg("%s", err.message);
    assert_null(strstr(html, "id=\"whatif\""));
    free(html);
    free(schedules);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_the_person_as_of_their_last_record),
        cmocka_unit_test(the_report_has_the_comparison_and_what_is_due),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
