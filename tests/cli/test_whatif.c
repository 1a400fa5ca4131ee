/* Tests for src/cli/cmd_whatif.c: plans side by side from the command line. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A journal in `dir` with Ana's records from examples/ (weekly therapy,
 * 10 of the last 12 sessions attended, five ECR questionnaires). */
static void journal_with_ana(const char *dir, char *db, size_t size)
{
    snprintf(db, size, "%s/j.db", dir);
    sb_test_run r = sb_test_expect(sb_test_cli("journal", "--db", db, "init", NULL), 0);
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("journal", "--db", db, "add", "person", "--name",
                           "Ana", NULL), 0);
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("journal", "--db", db, "add", "person", "--name",
                           "Ben", NULL), 0);
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("journal", "--db", db, "import",
                           SB_SOURCE_DIR "/examples/ana-journal.csv", NULL), 0);
    sb_test_run_free(&r);
}

static void compares_the_default_plans_with_keep(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4300];
    journal_with_ana(dir, db, sizeof db);
    sb_test_run r = sb_test_expect(sb_test_cli("whatif", "Ana", "--db", db, "--people",
                                       "500", NULL), 0);
    assert_non_null(strstr(r.out, "This is a model, not a forecast."));
    assert_non_null(strstr(r.out, "After 26 weeks (about 6 months)"));
    assert_non_null(strstr(r.out, "After 52 weeks (about 12 months)"));
    assert_non_null(strstr(r.out, "\n  practice=3/week "));
    assert_non_null(strstr(r.out, "\n  therapy=stop "));
    assert_non_null(strstr(r.out, "Assumptions:\n"));
    /* Ana is in weekly therapy already: that plan is keep, to the person,
     * so its difference is exactly nothing. */
    assert_non_null(strstr(r.out, "therapy 1.00 a week (83% attended)"));
    const char *row = strstr(strstr(r.out, "After 52"), "\n  therapy=weekly ");
    assert_non_null(row);
    assert_non_null(strstr(row, "+0.0 pts +/- 0.0  "));
    assert_non_null(strstr(row, "+0.00 +/- 0.000"));
    /* The same seed gives the same figures. */
    sb_test_run again = sb_test_expect(sb_test_cli("whatif", "Ana", "--db", db,
                                           "--people", "500", NULL), 0);
    assert_string_equal(r.out, again.out);
    sb_test_run_free(&again);
    sb_test_run_free(&r);

    r = sb_test_expect(sb_test_cli("whatif", "Ana", "--db", db, "--people", "300",
                           "--plan", "calm=practice=1/day;reflection=2/week",
                           "--plan", "relationship-=Lena", "--plan", "keep",
                           NULL), 0);
    assert_non_null(strstr(r.out, "\n  calm "));
    assert_non_null(strstr(r.out, "reflection 2.00, practice 7.00 a week"));
    assert_non_null(strstr(r.out, "\n  relationship-=Lena "));
    assert_null(strstr(r.out, "therapy=stop"));
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
}

static void draws_parameters_from_a_posterior(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4300];
    journal_with_ana(dir, db, sizeof db);
    sb_test_run r = sb_test_expect(
        sb_test_cli("whatif", "Ana", "--db", db, "--people", "300", "--plan",
                    "therapy=stop", "--posterior",
                    SB_SOURCE_DIR "/calibrations/shipped/posterior.csv", NULL),
        0);
    assert_non_null(strstr(r.out, "drawn from a calibration's\nposterior ("));
    assert_non_null(strstr(r.out, " particles), the same draw under every "
                                  "plan."));
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("whatif", "Ana", "--db", db, "--people",
                                   "300", NULL), 0);
    assert_null(strstr(r.out, "particles)"));
    sb_test_run_free(&r);
    char *bad = sb_test_write(dir, "bad.csv", "particle,weight,colour\n1,1,2\n");
    r = sb_test_expect(sb_test_cli("whatif", "Ana", "--db", db, "--posterior",
                                   bad, NULL), 2);
    assert_non_null(strstr(r.err, "bad.csv"));
    assert_non_null(strstr(r.err, "'colour' is not a model parameter"));
    sb_test_run_free(&r);
    char missing[4400];
    snprintf(missing, sizeof missing, "%s/none.csv", dir);
    r = sb_test_expect(sb_test_cli("whatif", "Ana", "--db", db, "--posterior",
                                   missing, NULL), 2);
    assert_non_null(strstr(r.err, "none.csv"));
    sb_test_run_free(&r);
    free(bad);
    sb_test_rmtree(dir);
    free(dir);
}

static void bad_plans_and_people_are_clear_errors(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4300];
    journal_with_ana(dir, db, sizeof db);
    sb_test_run r = sb_test_expect(sb_test_cli("whatif", "Ana", "--db", db, "--plan",
                                       "therapy=daily", NULL), 2);
    assert_non_null(strstr(r.err, "plan 'therapy=daily': therapy: 'daily'"));
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("whatif", "Ana", "--db", db, "--plan",
                           "more=practice=3/fortnight", NULL), 2);
    assert_non_null(strstr(r.err, "plan 'more': practice: '3/fortnight'"));
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("whatif", "Ana", "--db", db, "--people", "100",
                           "--plan", "relationship-=Sam", NULL), 2);
    assert_non_null(strstr(r.err, "Ana: plan 'relationship-=Sam'"));
    assert_non_null(strstr(r.err, "'Sam'"));
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("whatif", "Ben", "--db", db, NULL), 2);
    assert_non_null(strstr(r.err, "no questionnaire"));
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("whatif", "Nobody", "--db", db, NULL), 2);
    assert_non_null(strstr(r.err, "'Nobody'"));
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("whatif", "Ana", "--db", db, "--people", "5", NULL),
               2);
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("whatif", "Ana", "--db", db, "--as-of", "2026-02-30",
                           NULL), 2);
    assert_non_null(strstr(r.err, "as-of date"));
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("whatif", "--db", db, NULL), 2);
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("whatif", "--help", NULL), 0);
    assert_non_null(strstr(r.out, "relationship+=KIND"));
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
}

/* Each kind of mistake in a plan, from the command line: exit 2, nothing
 * on standard output, and a message naming the plan, field and value. */
static void every_kind_of_bad_plan_is_named(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4300];
    journal_with_ana(dir, db, sizeof db);
    static const struct {
        const char *plan, *says[3];
    } cases[] = {
        {"", {"a plan is empty", "keep", NULL}},
        {" ; ", {"empty", NULL}},
        {"sleep=8/day", {"plan 'sleep=8/day'", "field: 'sleep' is unknown",
                         "therapy, attendance"}},
        {"practice=0/week", {"practice: '0/week'", "zero", "practice=stop"}},
        {"therapy=-2/week", {"therapy: '-2/week'", "negative", NULL}},
        {"therapy=99999/week", {"therapy: '99999/week'", "1e+05 a week",
                                "at most 7"}},
        {"reflection=60/week", {"reflection: '60/week'", "at most 50", NULL}},
        {"attendance=2", {"attendance: '2'", "above 100%", NULL}},
        {"relationship+=dog", {"relationship+: 'dog'", "partner, friend",
                               NULL}},
        {"relationship-=Nobody", {"relationship-: 'Nobody'",
                                  "lasts to now", NULL}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sb_test_run r = sb_test_cli("whatif", "Ana", "--db", db, "--people",
                                    "100", "--plan", cases[i].plan, NULL);
        if (r.exit_code != 2 || r.out[0])
            fail_msg("plan '%s': exit %d\nstdout: %s\nstderr: %s",
                     cases[i].plan, r.exit_code, r.out, r.err);
        for (int k = 0; k < 3 && cases[i].says[k]; k++)
            if (!strstr(r.err, cases[i].says[k]))
                fail_msg("plan '%s': no '%s' in: %s", cases[i].plan,
                         cases[i].says[k], r.err);
        sb_test_run_free(&r);
    }
    /* An unknown person, and a journal that is not there. */
    sb_test_run r = sb_test_expect(sb_test_cli("whatif", "Zoe", "--db", db,
                                               "--plan", "keep", NULL),
                                   2);
    assert_non_null(strstr(r.err, "no person with id or name 'Zoe'"));
    sb_test_run_free(&r);
    char none[4400];
    snprintf(none, sizeof none, "%s/none.db", dir);
    r = sb_test_cli("whatif", "Ana", "--db", none, NULL);
    assert_int_not_equal(r.exit_code, 0);
    assert_non_null(strstr(r.err, "no journal exists"));
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compares_the_default_plans_with_keep),
        cmocka_unit_test(draws_parameters_from_a_posterior),
        cmocka_unit_test(bad_plans_and_people_are_clear_errors),
        cmocka_unit_test(every_kind_of_bad_plan_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
