/* Tests for src/cli/cmd_due.c: measures due per person on a date. */
#include "support.h"

#include <securebase/questionnaire.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void schedule(sb_journal *j, sb_id person, const char *inst, int weeks,
                     const char *start)
{
    sb_schedule s;
    memset(&s, 0, sizeof s);
    s.person = person;
    snprintf(s.instrument, sizeof s.instrument, "%s", inst);
    s.every_weeks = weeks;
    snprintf(s.start, sizeof s.start, "%s", start);
    sb_error err;
    if (sb_schedule_add(j, &s, &err) != SB_OK)
        fail_msg("%s", err.message);
}

/*
 * Ana (id 1) answered the ECR last on 2025-12-16 and has it every 4 weeks:
 * next due 2026-01-13. Her RQ every 8 weeks starts 2026-02-01. Ben (id 2)
 * has the ECR-S every 2 weeks from 2026-01-01, never answered.
 */
static void journal(const char *dir, char *db, size_t size)
{
    snprintf(db, size, "%s/j.db", dir);
    sb_test_run r = sb_test_expect(sb_test_cli("journal", "--db", db, "init", NULL), 0);
    sb_test_run_free(&r);
    const char *names[] = {"Ana", "Ben"};
    for (int i = 0; i < 2; i++) {
        r = sb_test_expect(sb_test_cli("journal", "--db", db, "add", "person",
                               "--name", names[i], NULL), 0);
        sb_test_run_free(&r);
    }
    r = sb_test_expect(sb_test_cli("journal", "--db", db, "import",
                           SB_SOURCE_DIR "/examples/ana-journal.csv", NULL), 0);
    sb_test_run_free(&r);
    sb_journal *j;
    assert_int_equal(sb_journal_open(db, 0, &j, NULL), SB_OK);
    schedule(j, 1, "ecr", 4, "2025-09-01");
    schedule(j, 1, "rq", 8, "2026-02-01");
    schedule(j, 2, "ecr-s", 2, "2026-01-01");
    sb_journal_close(j);
}

static void lists_what_is_due_on_a_date(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4300];
    journal(dir, db, sizeof db);
    sb_test_run r = sb_test_expect(sb_test_cli("due", "--db", db, "--date",
                                       "2026-01-13", NULL), 0);
    assert_non_null(strstr(r.out, "Ana                  ecr      4w     "
                                  "2025-12-16  2026-01-13  due      today\n"));
    assert_non_null(strstr(r.out, "Ana                  rq       8w     "
                                  "never       2026-02-01  later    in 19 "
                                  "days\n"));
    assert_non_null(strstr(r.out, "Ben                  ecr-s    2w     "
                                  "never       2026-01-01  overdue  12 days "
                                  "ago\n"));
    assert_non_null(strstr(r.out, "3 schedules as of 2026-01-13: 1 due, 1 "
                                  "overdue, 1 later."));
    sb_test_run_free(&r);
    /* A week after its due date the ECR is overdue. */
    r = sb_test_expect(sb_test_cli("due", "--db", db, "--person", "Ana", "--date",
                           "2026-01-20", NULL), 0);
    assert_non_null(strstr(r.out, "overdue  7 days ago"));
    assert_null(strstr(r.out, "Ben"));
    assert_non_null(strstr(r.out, "2 schedules as of 2026-01-20: 0 due, 1 "
                                  "overdue, 1 later."));
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("due", "--db", db, "--all", "--pending", "--date",
                           "2026-01-13", NULL), 0);
    assert_null(strstr(r.out, " rq "));
    assert_non_null(strstr(r.out, "ecr-s"));
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("due", "--db", db, "--person", "Nobody", NULL), 2);
    assert_non_null(strstr(r.err, "'Nobody'"));
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("due", "--db", db, "--date", "2026-02-30", NULL), 2);
    assert_non_null(strstr(r.err, "2026-02-30"));
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("due", "--db", db, "--person", "Ana", "--all", NULL),
               2);
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("due", "--help", NULL), 0);
    assert_non_null(strstr(r.out, "--pending"));
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
}

static void says_when_nothing_is_scheduled(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4300];
    snprintf(db, sizeof db, "%s/j.db", dir);
    sb_test_run r = sb_test_expect(sb_test_cli("journal", "--db", db, "init", NULL), 0);
    sb_test_run_free(&r);
    r = sb_test_expect(sb_test_cli("due", "--db", db, NULL), 0);
    assert_string_equal(r.out, "No measures are scheduled.\n");
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
}

/* Mistakes: each named, exit 2. */
static void errors(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4300], none[4300];
    journal(dir, db, sizeof db);
    snprintf(none, sizeof none, "%s/none.db", dir);
    static const struct {
        const char *a, *b, *says;
    } cases[] = {
        {"--person", "Nobody", "no person with id or name 'Nobody'"},
        {"--date", "2026-02-30", "--date"},
        {"--date", "soon", "'soon' is not a date"},
        {"--person", "", "person"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sb_test_run r = sb_test_cli("due", "--db", db, cases[i].a, cases[i].b,
                                    NULL);
        if (r.exit_code != 2 || !strstr(r.err, cases[i].says))
            fail_msg("%s '%s': exit %d: %s", cases[i].a, cases[i].b,
                     r.exit_code, r.err);
        sb_test_run_free(&r);
    }
    sb_test_run r = sb_test_cli("due", "--db", db, "--person", "Ana", "--all",
                                NULL);
    assert_int_equal(r.exit_code, 2);
    sb_test_run_free(&r);
    r = sb_test_cli("due", "--db", none, "--all", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "no journal exists"));
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lists_what_is_due_on_a_date),
        cmocka_unit_test(says_when_nothing_is_scheduled),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
