/* Tests for src/measure/visit_date.c: dates and session numbers of survey
 * rows, their sort keys, and the one message for a cell that is neither. */
#include "support.h"

#include "measure/visit_date.h"

#include <string.h>

static void dates_and_sessions(void **state)
{
    (void)state;
    char key[SB__VISIT_KEY_SIZE];
    assert_int_equal(sb__visit_date_key("2024-02-29", key), SB__VISIT_DATE);
    assert_string_equal(key, "2024-02-29 00:00:00");
    assert_int_equal(sb__visit_date_key("2024-02-29T08:05", key),
                     SB__VISIT_DATE);
    assert_string_equal(key, "2024-02-29 08:05:00");
    assert_int_equal(sb__visit_date_key("2024-02-29 23:59:60", key),
                     SB__VISIT_DATE);
    assert_string_equal(key, "2024-02-29 23:59:60");
    assert_int_equal(sb__visit_date_key("12", key), SB__VISIT_SESSION);
    assert_string_equal(key, "00000000000000000012");
    assert_int_equal(sb__visit_date_key("7", NULL), SB__VISIT_SESSION);
}

static void what_is_refused(void **state)
{
    (void)state;
    const char *bad[] = {"", "2023-02-29", "2026-02-30", "2026-04-31",
                         "2026-00-10", "2026-13-01", "2026-01-00",
                         "2026-1-5", "2026-01-05 24:00", "2026-01-05T12:60",
                         "2026-01-05 12:00:61", "2026-01-05x", "1234567890",
                         "-3", "3.5", " 4"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (sb__visit_date_key(bad[i], NULL) != SB__VISIT_INVALID)
            fail_msg("'%s' was taken as a date or session", bad[i]);
}

static void the_message(void **state)
{
    (void)state;
    sb_error err;
    assert_int_equal(sb__visit_date_error(&err, "v.csv", 3, 2, "visit",
                                          "2026-02-30"),
                     SB_ERR_INVALID);
    assert_string_equal(err.file, "v.csv");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 2);
    assert_string_equal(err.message,
                        "column 'visit': '2026-02-30' is not a date "
                        "(YYYY-MM-DD, optionally with a time) nor a session "
                        "number");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_and_sessions),
        cmocka_unit_test(what_is_refused),
        cmocka_unit_test(the_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
