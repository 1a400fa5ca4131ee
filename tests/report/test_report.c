/* Tests for src/report/report.c: the page, its safety and its file. */
#include "report/helpers.h"

#include <securebase/report.h>

#include <dirent.h>
#include <sys/stat.h>

static char *render(sb_journal *j, const char *who, sb_report_options *opt)
{
    char *html;
    size_t len;
    sb_error err;
    if (tr_render(j, who, opt, &html, &len, &err) != SB_OK)
        fail_msg("%s", err.message);
    assert_int_equal(strlen(html), len);
    return html;
}

static void page_has_every_section_and_loads_nothing(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb_report_options opt;
    sb_report_options_default(&opt);
    opt.projection_people = 300;
    opt.prepared = "2026-03-30";
    char *html = render(t.j, "1", &opt);
    assert_int_equal(strncmp(html, "<!DOCTYPE html>", 15), 0);
    const char *ids[] = {"id=\"scores\"", "id=\"plane\"", "id=\"therapy\"",
                         "id=\"relationships\"", "id=\"triggers\"",
                         "id=\"flags\"", "id=\"projection\"", "id=\"method\""};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        assert_non_null(strstr(html, ids[i]));
    /* The name is escaped wherever it appears; no markup gets through. */
    assert_non_null(strstr(html, "Ana &lt;test&gt; &amp; co"));
    assert_null(strstr(html, "<test>"));
    /* Self-contained: nothing fetched, no scripts. */
    assert_null(strstr(html, "http://"));
    assert_null(strstr(html, "https://"));
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<link"));
    assert_non_null(strstr(html, "data:image/svg+xml;base64,"));
    assert_non_null(strstr(html, "@media print"));
    /* The model is labelled as one. */
    assert_non_null(strstr(html, "not a prediction"));
    assert_non_null(strstr(html, "sudden gain"));
    assert_non_null(strstr(html, "prepared 30 Mar 2026"));
    /* Counts in words that fit them (12 sessions, 2 relationships). */
    assert_non_null(strstr(html, "12 therapy sessions, "));
    assert_non_null(strstr(html, " 2 relationships</p>"));
    /* Scores, gaps, relationships, sudden gains, the model's inputs: each
     * table scrolls in its box on a phone instead of widening the page. */
    assert_true(tr_tables_scroll(html) >= 5);
    assert_non_null(strstr(html, "aria-label=\"Sudden gains and setbacks\">"));
    assert_non_null(strstr(html, ".tablewrap{overflow-x:auto"));
    free(html);
    tj_close(&t);
}

static void same_journal_same_report(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb_report_options opt;
    sb_report_options_default(&opt);
    opt.projection_people = 200;
    char *a = render(t.j, "Ana <test> & co", &opt);
    char *b = render(t.j, "1", &opt);
    assert_string_equal(a, b);
    free(a);
    free(b);
    tj_close(&t);
}

static void other_questionnaires_are_counted(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb_rec_assessment rq;
    tj_fill(SB_KIND_ASSESSMENT, &rq, "person=1", "instrument=rq",
            "date=2026-01-06", "items=4 4 4 4", NULL);
    tj_add(t.j, SB_KIND_ASSESSMENT, &rq);
    sb_report_options opt;
    sb_report_options_default(&opt);
    opt.projection_weeks = 0;
    char *html = render(t.j, "1", &opt);
    assert_non_null(strstr(html, "1 other questionnaire in the journal"));
    free(html);
    tj_close(&t);
}

static void a_person_with_nothing_recorded(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Bo");
    char *html = render(t.j, "Bo", NULL);
    assert_non_null(strstr(html, "No questionnaire that gives"));
    assert_non_null(strstr(html, "No therapy sessions are recorded"));
    assert_non_null(strstr(html, "No projection: no questionnaire"));
    assert_null(strstr(html, "<img"));
    assert_non_null(strstr(html, ">0 therapy sessions, 0 questionnaires, 0 "
                                 "reflections, 0 practice entries, 0 "
                                 "relationships</p>"));
    free(html);
    /* One of each reads in the singular. */
    tr_add(t.j, SB_KIND_SESSION, "date=2026-01-05", "attended=yes",
           "minutes=50", NULL, NULL, NULL);
    tr_add(t.j, SB_KIND_RELATIONSHIP, "kind=friend", "name=Maya",
           "supportive=yes", "secure=yes", "start=2025-01-01", NULL);
    tr_add(t.j, SB_KIND_PRACTICE, "date=2026-01-06", "behaviour=asked for help",
           "outcome=positive", NULL, NULL, NULL);
    html = render(t.j, "Bo", NULL);
    assert_non_null(strstr(html, ">1 therapy session, 0 questionnaires, 0 "
                                 "reflections, 1 practice entry, 1 "
                                 "relationship</p>"));
    free(html);
    tj_close(&t);
}

static void bad_options_and_people_are_errors(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    char *html;
    size_t len;
    sb_error err;
    assert_int_equal(tr_render(t.j, "Nobody", NULL, &html, &len, &err),
                     SB_ERR_NOTFOUND);
    assert_null(html);
    sb_report_options opt;
    sb_report_options_default(&opt);
    opt.as_of = "2026-02-30";
    assert_int_equal(tr_render(t.j, "1", &opt, &html, &len, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "as-of date: '2026-02-30'"));
    tj_close(&t);
}

static void written_atomically_and_privately(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb_report_options opt;
    sb_report_options_default(&opt);
    opt.projection_weeks = 0;
    char path[4300];
    snprintf(path, sizeof path, "%s/report.html", t.dir);
    sb_person_records r;
    assert_int_equal(tr_records(t.j, "1", &r, NULL), SB_OK);
    assert_int_equal(sb_report_write(&r, &opt, path, NULL), SB_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *text = sb_test_slurp(path);
    assert_non_null(strstr(text, "No projection: the projection was turned off"));
    free(text);
    sb_error err;
    assert_int_equal(sb_report_write(&r, &opt, "/nonexistent/r.html", &err),
                     SB_ERR_IO);
    sb_person_records_free(&r);
    tj_close(&t);
}

/* Cards say what their numbers are; colours come from the one palette and
 * mean one thing each; where the reliable-change figures come from is said
 * once. */
static void cards_colours_and_notes_say_what_they_mean(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tr_fill_person(t.j);
    sb_report_options opt;
    sb_report_options_default(&opt);
    opt.projection_people = 300;
    char *html = render(t.j, "1", &opt);
    assert_non_null(strstr(html, "<div class=\"label\">Attachment anxiety now"
                                 "</div><div class=\"value better\">2.00</div>"));
    assert_non_null(strstr(html, "latest score on the 1&ndash;5 scale (lower is "
                                 "more secure); -2.00 since the first, 4.00 on "
                                 "5 Jan 2026: <span class=\"better\">reliable "
                                 "improvement</span> (beyond &plusmn;"));
    assert_non_null(strstr(html, "scheduled therapy sessions attended (83%)"));
    assert_non_null(strstr(html, "1 supportive, 0 straining"));
    assert_non_null(strstr(html, "relationships that last to the report date "
                                 "(2 recorded in all)"));
    /* the palette is the style sheet's */
    assert_non_null(strstr(html, "--sudden:#000000;"));
    assert_non_null(strstr(html, "--worse:#882255;"));
    assert_non_null(strstr(html, "<span class=\"swatch sw-supportive\">"));
    assert_non_null(strstr(html, ".sw-supportive{background:var(--supportive)}"));
    /* no style attributes: the app serves the page under a CSP that allows
     * its style sheet alone */
    assert_null(strstr(html, " style=\""));
    assert_null(strstr(html, "class=\"good\""));
    assert_null(strstr(html, "class=\"bad\""));
    /* the source of the figures, per score since each alpha has its own
     * number of complete rows; the legends name the colours */
    assert_non_null(strstr(html, "<br>anxiety: Reliability from "
                                 "openpsychometrics.org online ECR, 5-point "
                                 "answers, the 48,774 rows complete"));
    assert_non_null(strstr(html, "<br>avoidance: Reliability from "
                                 "openpsychometrics.org online ECR, 5-point "
                                 "answers, the 48,757 rows complete"));
    assert_non_null(strstr(html, "non-clinical one. Computed by securebase on "
                                 "the published raw data; not a figure from a "
                                 "paper.<br>"));
    assert_null(strstr(html, "a paper. Computed by securebase"));
    assert_null(strstr(html, "Green: reliably"));
    free(html);
    tj_close(&t);
}

static void assert_no_journal(const char *path)
{
    char *text = sb_test_slurp(path);
    if (!text)
        fail_msg("cannot read %s", path);
    if (strstr(text, "<securebase/journal.h>") || strstr(text, "\"journal/"))
        fail_msg("%s includes the journal", path);
    free(text);
}

/* The report takes records, not the store: no file of the report layer
 * includes a journal header (the face loads the records and hands them on). */
static void report_layer_never_includes_the_store(void **state)
{
    (void)state;
    char path[4300];
    snprintf(path, sizeof path, "%s/src/report", SB_SOURCE_DIR);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/src/report/%s", SB_SOURCE_DIR,
                 e->d_name);
        assert_no_journal(path);
        files++;
    }
    closedir(d);
    assert_true(files >= 10);
    assert_no_journal(SB_SOURCE_DIR "/include/securebase/report.h");
    assert_no_journal(SB_SOURCE_DIR "/include/securebase/sim_output.h");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_has_every_section_and_loads_nothing),
        cmocka_unit_test(report_layer_never_includes_the_store),
        cmocka_unit_test(cards_colours_and_notes_say_what_they_mean),
        cmocka_unit_test(same_journal_same_report),
        cmocka_unit_test(other_questionnaires_are_counted),
        cmocka_unit_test(a_person_with_nothing_recorded),
        cmocka_unit_test(bad_options_and_people_are_errors),
        cmocka_unit_test(written_atomically_and_privately),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
