/* Tests for src/measure/scale.c: "MIN-MAX" as every reader of scales takes it. */
#include "support.h"

#include <securebase/measure.h>

#include <string.h>

static void accepts_plain_ranges(void **state)
{
    (void)state;
    sb_scale s;
    sb_error err;
    assert_int_equal(sb_scale_parse("1-7", &s, &err), SB_OK);
    assert_int_equal(s.min, 1);
    assert_int_equal(s.max, 7);
    assert_int_equal(sb_scale_parse("0-100", &s, &err), SB_OK);
    assert_int_equal(s.min, 0);
    assert_int_equal(s.max, 100);
    assert_int_equal(sb_scale_parse("07-09", &s, &err), SB_OK);
    assert_int_equal(s.min, 7);
    assert_int_equal(s.max, 9);
}

/* Signs and spaces were once let through by sscanf("%d"); none is a scale. */
static void refuses_anything_else(void **state)
{
    (void)state;
    const char *bad[] = {"",      "7",     "1-",    "-1-5",   "1-5x",
                         "a-b",   "1-500", "5-1",   "3-3",    "1- 7",
                         "1-+7",  " 1-7",  "+1-7",  "1-7 ",   "1 -7",
                         "1--7",  "1-101", "1000-1001", "1.5-7"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sb_scale s = {0, 0};
        sb_error err;
        if (sb_scale_parse(bad[i], &s, &err) != SB_ERR_INVALID)
            fail_msg("'%s' was accepted as %d-%d", bad[i], s.min, s.max);
        assert_non_null(strstr(err.message, "must be MIN-MAX"));
        assert_non_null(strstr(err.message, bad[i]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_plain_ranges),
        cmocka_unit_test(refuses_anything_else),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
