/* Tests for src/cli/cmd_status.c: the caseload on the command line, one
 * person's assessments judged, the evaluation, and its errors. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sb_test_run expect(sb_test_run r, int code)
{
    if (r.exit_code != code)
        fail_msg("exit %d, expected %d\nstdout: %s\nstderr: %s", r.exit_code,
                 code, r.out, r.err);
    return r;
}


/* ECR-R answers all `v`: anxiety and avoidance then depend only on v. */
static void answers(char *out, size_t size, int v)
{
    size_t n = 0;
    for (int i = 0; i < 36 && n + 3 < size; i++)
        n += (size_t)snprintf(out + n, size - n, "%s%d", i ? " " : "", v);
}

/*
 * A journal import: 31 people whose completed course stays where it
 * started (intake, week 4, week 8, all answers 4), then Ruth, whose
 * answers jump to 6 four weeks after intake, Sam, who stays at 4 and
 * missed his last two sessions, and Tia with no questionnaire.
 */
static char *practice_csv(const char *dir)
{
    size_t size = 1 << 20, n = 0;
    char *csv = malloc(size), four[200], six[200];
    answers(four, sizeof four, 4);
    answers(six, sizeof six, 6);
    n += (size_t)snprintf(csv + n, size - n,
                          "record,id,person,name,date,attended,minutes,"
                          "instrument,scale,items\n");
    static const char *const dates[3] = {"2025-01-06", "2025-02-03",
                                         "2025-03-03"};
    for (int p = 1; p <= 31; p++) {
        n += (size_t)snprintf(csv + n, size - n, "person,%d,,Past %02d,,,,,,\n",
                              p, p);
        for (int k = 0; k < 3; k++)
            n += (size_t)snprintf(csv + n, size - n,
                                  "assessment,,%d,,%s,,,ecr-r,,%s\n", p,
                                  dates[k], four);
    }
    n += (size_t)snprintf(csv + n, size - n,
                          "person,40,,Ruth,,,,,,\nperson,41,,Sam,,,,,,\n"
                          "person,42,,Tia,,,,,,\n"
                          "assessment,,40,,2026-01-05,,,ecr-r,,%s\n"
                          "assessment,,40,,2026-02-02,,,ecr-r,,%s\n"
                          "assessment,,41,,2026-01-05,,,ecr-r,,%s\n"
                          "assessment,,41,,2026-02-02,,,ecr-r,,%s\n"
                          "session,,41,,2026-01-20,yes,50,,,\n"
                          "session,,41,,2026-01-27,no,50,,,\n"
                          "session,,41,,2026-02-03,no,50,,,\n",
                          four, six, four, four);
    char *path = sb_test_write(dir, "practice.csv", csv);
    free(csv);
    return path;
}

static void a_practice(char **dir, char *db, size_t size, char **csv)
{
    *dir = sb_test_tmpdir();
    snprintf(db, size, "%s/j.db", *dir);
    *csv = practice_csv(*dir);
    sb_test_run r = expect(sb_test_cli("journal", "--db", db, "init", NULL), 0);
    sb_test_run_free(&r);
    r = expect(sb_test_cli("journal", "--db", db, "import", *csv, NULL), 0);
    sb_test_run_free(&r);
}

static void the_caseload_riskiest_first(void **state)
{
    (void)state;
    char *dir, *csv, db[4300];
    a_practice(&dir, db, sizeof db, &csv);
    sb_test_run r = expect(sb_test_cli("status", "--all", "--db", db,
                                       "--as-of", "2026-02-10", "--people",
                                       "0", NULL),
                           0);
    assert_non_null(strstr(r.out, "34 people as of 2026-02-10, riskiest first"));
    const char *ruth = strstr(r.out, "\nRuth ");
    const char *sam = strstr(r.out, "\nSam ");
    const char *tia = strstr(r.out, "\nTia ");
    const char *past = strstr(r.out, "\nPast 01 ");
    assert_non_null(ruth);
    assert_non_null(sam);
    assert_non_null(tia);
    assert_non_null(past);
    /* Not on track, then an attendance alert, then no signal. */
    assert_true(ruth < sam && sam < tia && tia < past);
    char line[256];
    sscanf(ruth + 1, "%255[^\n]", line);
    assert_non_null(strstr(line, "not on track"));
    assert_non_null(strstr(line, "anxiety above P90"));
    assert_non_null(strstr(line, "empirical"));
    sscanf(sam + 1, "%255[^\n]", line);
    assert_non_null(strstr(line, "on track"));
    assert_null(strstr(line, "not on track"));
    assert_non_null(strstr(line, "2 missed in a row"));
    sscanf(tia + 1, "%255[^\n]", line);
    assert_non_null(strstr(line, "no signal"));
    assert_non_null(strstr(line, "no sessions"));
    sb_test_run_free(&r);

    /* One person, every assessment; and the model band beside it. */
    r = expect(sb_test_cli("status", "Ruth", "--db", db, "--as-of",
                           "2026-02-10", "--people", "100", NULL),
               0);
    assert_non_null(strstr(r.out, "Ruth: not on track as of 2026-02-10"));
    assert_non_null(strstr(r.out, "empirical  30 nearest completed courses"));
    assert_non_null(strstr(r.out, "model      100 simulated people"));
    assert_non_null(strstr(r.out, "2026-02-02   4.0"));
    assert_non_null(strstr(r.out, "4.00-4.00"));
    sb_test_run_free(&r);
    /* Before the second questionnaire there is nothing to judge. */
    r = expect(sb_test_cli("status", "Ruth", "--db", db, "--as-of",
                           "2026-01-10", "--people", "0", NULL),
               0);
    assert_non_null(strstr(r.out, "Ruth: no signal"));
    sb_test_run_free(&r);
    /* The same seed gives the same words. */
    sb_test_run a = expect(sb_test_cli("status", "Sam", "--db", db, "--as-of",
                                       "2026-02-10", NULL),
                           0);
    sb_test_run b = expect(sb_test_cli("status", "Sam", "--db", db, "--as-of",
                                       "2026-02-10", NULL),
                           0);
    assert_string_equal(a.out, b.out);
    sb_test_run_free(&a);
    sb_test_run_free(&b);
    sb_test_rmtree(dir);
    free(dir);
    free(csv);
}

static void evaluation_on_a_journal_an_export_and_a_cohort(void **state)
{
    (void)state;
    char *dir, *csv, db[4300];
    a_practice(&dir, db, sizeof db, &csv);
    /* ECR-R has no reliable change built in: no course can be judged, and
     * the command says why. */
    sb_test_run r = expect(sb_test_cli("status", "--evaluate", "--db", db,
                                       "--as-of", "2026-02-10", "--people",
                                       "0", NULL),
                           0);
    assert_non_null(strstr(r.out, "31 completed courses of ecr-r"));
    assert_non_null(strstr(r.out, "No reliable change is known"));
    sb_test_run_free(&r);
    r = expect(sb_test_cli("status", "--evaluate", "--from", csv, "--as-of",
                           "2026-02-10", "--people", "0", NULL),
               0);
    assert_non_null(strstr(r.out, "practice.csv: 31 completed courses"));
    sb_test_run_free(&r);
    r = expect(sb_test_cli("status", "--evaluate", "--simulate",
                           "therapy-only", "--cohort", "60", "--course-weeks",
                           "10", "--people", "50", NULL),
               0);
    assert_non_null(strstr(r.out, "not clinical data"));
    assert_non_null(strstr(r.out, "poor outcomes flagged (hit rate)"));
    assert_non_null(strstr(r.out, "RCI alone"));
    sb_test_run s = expect(sb_test_cli("status", "--evaluate", "--simulate",
                                       "therapy-only", "--cohort", "60",
                                       "--course-weeks", "10", "--people",
                                       "50", NULL),
                           0);
    assert_string_equal(r.out, s.out);
    sb_test_run_free(&r);
    sb_test_run_free(&s);
    sb_test_rmtree(dir);
    free(dir);
    free(csv);
}

static void errors(void **state)
{
    (void)state;
    char *dir, *csv, db[4300];
    a_practice(&dir, db, sizeof db, &csv);
    /* An export that is not one. */
    char *bad = sb_test_write(dir, "bad.csv", "record,id,person,date\n"
                                              "session,x,1,2026-99-01\n");
    /* An empty file, and a questionnaire export where a journal export
     * belongs. */
    char *empty = sb_test_write(dir, "empty.csv", "");
    char *survey = sb_test_write(dir, "survey.csv", "Q1,Q2,Q3\n1,2,3\n");
    struct {
        const char *args[8];
        int code;
        const char *says;
    } cases[] = {
        {{"status", "--db", db, NULL}, 2, "give a PERSON, or --all"},
        {{"status", "Ruth", "--all", "--db", db, NULL}, 2, "not both"},
        {{"status", "Ruth", "Sam", "--db", db, NULL}, 2, "one PERSON"},
        {{"status", "Nobody", "--db", db, NULL}, 2, "Nobody"},
        {{"status", "--all", "--as-of", "2026-02-30", "--db", db, NULL}, 2,
         "--as-of '2026-02-30'"},
        {{"status", "--all", "--people", "-1", "--db", db, NULL}, 2,
         "--people"},
        {{"status", "--all", "--from", csv, NULL}, 2, "go with --evaluate"},
        {{"status", "--evaluate", "--all", NULL}, 2, "no PERSON or --all"},
        {{"status", "--evaluate", "--simulate", "no-such-scenario", NULL}, 2,
         "no-such-scenario"},
        {{"status", "--evaluate", "--simulate", "seed", NULL}, 2,
         "one scenario"},
        {{"status", "--evaluate", "--simulate", "no-therapy", NULL}, 2,
         "no course of therapy"},
        {{"status", "--evaluate", "--simulate", "therapy-only",
          "--course-weeks", "41", NULL},
         2, "must be 1-40"},
        {{"status", "--evaluate", "--from", "/nonexistent.csv", NULL}, 2,
         "nonexistent"},
        {{"status", "--all", "--db", "/nonexistent/j.db", NULL}, 1, ""},
        {{"status", "--evaluate", "--from", bad, NULL}, 2, "bad.csv:2"},
        {{"status", "--evaluate", "--from", empty, NULL}, 2,
         "empty.csv: is empty"},
        {{"status", "--evaluate", "--from", survey, NULL}, 2,
         "survey.csv:1:1: unknown column 'Q1'"},
        {{"status", "--all", "--db", db, "--seed", "x", NULL}, 2, "--seed"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const *a = cases[i].args;
        sb_test_run r = sb_test_cli(a[0], a[1], a[2], a[3], a[4], a[5], a[6],
                                    a[7]);
        if (r.exit_code == 0 || (cases[i].code == 2 && r.exit_code != 2) ||
            !strstr(r.err, cases[i].says))
            fail_msg("case %zu: exit %d\nstderr: %s", i, r.exit_code, r.err);
        sb_test_run_free(&r);
    }
    sb_test_run r = expect(sb_test_cli("status", "--help", NULL), 0);
    assert_non_null(strstr(r.out, "--evaluate"));
    assert_non_null(strstr(r.out, "docs/care.md"));
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
    free(csv);
    free(bad);
    free(empty);
    free(survey);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_caseload_riskiest_first),
        cmocka_unit_test(evaluation_on_a_journal_an_export_and_a_cohort),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
