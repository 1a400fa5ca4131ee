/* Tests for src/base/date.c: strict ISO dates and day counts. */
#include "support.h"

#include <securebase/base.h>

#include <stdio.h>
#include <string.h>

static void parses_real_dates(void **state)
{
    (void)state;
    sb_date d;
    assert_int_equal(sb_date_parse("2026-01-05", &d, NULL), SB_OK);
    assert_int_equal(d.year, 2026);
    assert_int_equal(d.month, 1);
    assert_int_equal(d.day, 5);
    assert_int_equal(sb_date_parse("2024-02-29", &d, NULL), SB_OK); /* leap */
    assert_int_equal(sb_date_parse("2000-02-29", &d, NULL), SB_OK); /* 400 */
    assert_int_equal(sb_date_parse("1900-01-01", &d, NULL), SB_OK);
    assert_int_equal(sb_date_parse("2199-12-31", &d, NULL), SB_OK);
}

static void rejects_impossible_and_malformed_dates(void **state)
{
    (void)state;
    sb_date d;
    sb_error err;
    assert_int_equal(sb_date_parse("2023-02-29", &d, &err), SB_ERR_INVALID);
    assert_string_equal(err.message, "'2023-02-29' is not a real date "
                                     "(February 2023 has 28 days)");
    assert_int_equal(sb_date_parse("1900-02-29", &d, &err), SB_ERR_INVALID);
    assert_int_equal(sb_date_parse("2026-04-31", &d, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "April 2026 has 30 days"));
    assert_int_equal(sb_date_parse("2026-13-01", &d, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "month 13"));
    assert_int_equal(sb_date_parse("2026-00-10", &d, &err), SB_ERR_INVALID);
    assert_int_equal(sb_date_parse("2026-01-00", &d, &err), SB_ERR_INVALID);
    const char *malformed[] = {"", "2026-1-05", "2026/01/05", "26-01-05",
                               "2026-01-05 ", " 2026-01-05", "2026-01-05T10",
                               "+026-01-05", "2026-0a-05", "20260105",
                               "2026--01-5"};
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        assert_int_equal(sb_date_parse(malformed[i], &d, &err), SB_ERR_INVALID);
        assert_non_null(strstr(err.message, "YYYY-MM-DD"));
    }
    assert_int_equal(sb_date_parse("1899-12-31", &d, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "1900..2199"));
    assert_int_equal(sb_date_parse("2200-01-01", &d, &err), SB_ERR_INVALID);
}

static void counts_days_from_1970(void **state)
{
    (void)state;
    sb_date epoch = {1970, 1, 1}, before = {1969, 12, 31};
    /* 1970..1999: 30 years, 7 of them leap (72..96): 10957 days; then
     * January (31) and February 2000 (29). */
    sb_date march2000 = {2000, 3, 1};
    assert_int_equal(sb_date_days(epoch), 0);
    assert_int_equal(sb_date_days(before), -1);
    assert_int_equal(sb_date_days(march2000), 10957 + 31 + 29);
    sb_date a = {2026, 1, 5}, b = {2026, 3, 2};
    assert_int_equal(sb_date_days(b) - sb_date_days(a), 26 + 28 + 2);
}

static void days_and_dates_round_trip(void **state)
{
    (void)state;
    sb_date start = {1900, 1, 1}, end = {2199, 12, 31};
    char text[SB_DATE_SIZE];
    for (long day = sb_date_days(start); day <= sb_date_days(end); day += 3) {
        sb_date d = sb_date_from_days(day);
        assert_int_equal(sb_date_days(d), day);
        sb_date_format(d, text);
        sb_date back;
        assert_int_equal(sb_date_parse(text, &back, NULL), SB_OK);
        assert_memory_equal(&back, &d, sizeof d);
    }
    sb_date d = {2026, 1, 5};
    sb_date_format(d, text);
    assert_string_equal(text, "2026-01-05");
}

static void months_have_their_days_and_names(void **state)
{
    (void)state;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++) {
        assert_int_equal(sb_days_in_month(2026, m), days[m - 1]);
        /* Every day of the month parses, the day after does not. */
        char text[32];
        sb_date d;
        snprintf(text, sizeof text, "2026-%02d-%02d", m, days[m - 1]);
        assert_int_equal(sb_date_parse(text, &d, NULL), SB_OK);
        snprintf(text, sizeof text, "2026-%02d-%02d", m, days[m - 1] + 1);
        assert_int_equal(sb_date_parse(text, &d, NULL), SB_ERR_INVALID);
    }
    assert_int_equal(sb_days_in_month(2024, 2), 29);
    assert_int_equal(sb_days_in_month(1900, 2), 28);
    assert_int_equal(sb_days_in_month(2000, 2), 29);
    assert_int_equal(sb_days_in_month(2026, 0), 0);
    assert_int_equal(sb_days_in_month(2026, 13), 0);
    assert_string_equal(sb_month_name(1), "January");
    assert_string_equal(sb_month_name(9), "September");
    assert_string_equal(sb_month_name(12), "December");
    assert_string_equal(sb_month_name(0), "");
    assert_string_equal(sb_month_name(13), "");
    char abbr[8];
    snprintf(abbr, sizeof abbr, "%.3s", sb_month_name(9));
    assert_string_equal(abbr, "Sep");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_real_dates),
        cmocka_unit_test(rejects_impossible_and_malformed_dates),
        cmocka_unit_test(counts_days_from_1970),
        cmocka_unit_test(days_and_dates_round_trip),
        cmocka_unit_test(months_have_their_days_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
