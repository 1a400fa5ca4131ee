/* Measures due: the next due date and its state from a schedule. */
#include "support.h"

#include <securebase/care.h>

#include <string.h>

static sb_due due(const char *start, int weeks, const char *last,
                  const char *today)
{
    sb_schedule s;
    memset(&s, 0, sizeof s);
    snprintf(s.start, sizeof s.start, "%s", start);
    snprintf(s.last_done, sizeof s.last_done, "%s", last);
    s.every_weeks = weeks;
    sb_due d;
    sb_error err;
    assert_int_equal(sb_care_due(&s, today, &d, &err), SB_OK);
    return d;
}

static void never_answered_is_due_from_the_start(void **state)
{
    (void)state;
    sb_due d = due("2026-03-02", 4, "", "2026-03-01");
    assert_int_equal(d.state, SB_DUE_LATER);
    assert_int_equal(d.days, -1);
    assert_string_equal(d.date, "2026-03-02");
    assert_int_equal(due("2026-03-02", 4, "", "2026-03-02").state, SB_DUE_NOW);
    assert_int_equal(due("2026-03-02", 4, "", "2026-03-08").state, SB_DUE_NOW);
    assert_int_equal(due("2026-03-02", 4, "", "2026-03-09").state,
                     SB_DUE_OVERDUE);
}

static void answered_moves_the_next_date_on(void **state)
{
    (void)state;
    sb_due d = due("2026-01-05", 4, "2026-02-10", "2026-03-01");
    assert_string_equal(d.date, "2026-03-10");
    assert_int_equal(d.state, SB_DUE_LATER);
    d = due("2026-01-05", 4, "2026-02-10", "2026-03-20");
    assert_int_equal(d.state, SB_DUE_OVERDUE);
    assert_int_equal(d.days, 10);
    /* An answer before a later start does not pull the date forward. */
    d = due("2026-06-01", 2, "2026-01-01", "2026-05-01");
    assert_string_equal(d.date, "2026-06-01");
}

static void bad_dates_are_errors(void **state)
{
    (void)state;
    sb_schedule s;
    memset(&s, 0, sizeof s);
    snprintf(s.start, sizeof s.start, "2026-02-30");
    s.every_weeks = 1;
    sb_due d;
    sb_error err;
    assert_int_not_equal(sb_care_due(&s, "2026-01-01", &d, &err), SB_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(never_answered_is_due_from_the_start),
        cmocka_unit_test(answered_moves_the_next_date_on),
        cmocka_unit_test(bad_dates_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
