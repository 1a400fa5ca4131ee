/* Tests for src/base/error.c: located messages and prefixes. */
#include "support.h"

#include <securebase/base.h>

#include <stdarg.h>
#include <string.h>

static void format_includes_location_parts_that_are_known(void **state)
{
    (void)state;
    sb_error err;
    char buf[1024];
    assert_int_equal(sb_error_set(&err, SB_ERR_INVALID, "s.yaml", 3, 7,
                                  "field 'weeks' is %d", -1),
                     SB_ERR_INVALID);
    sb_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "s.yaml:3:7: field 'weeks' is -1");
    sb_error_set(&err, SB_ERR_IO, "f.csv", 9, 0, "bad");
    sb_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "f.csv:9: bad");
    sb_error_set(&err, SB_ERR_IO, NULL, 0, 0, "plain");
    sb_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "plain");
}

static void prefix_and_clear(void **state)
{
    (void)state;
    sb_error err;
    sb_error_set(&err, SB_ERR_PARSE, "x", 1, 1, "tail");
    sb_error_prefix(&err, "in '%s': ", "seed");
    assert_string_equal(err.message, "in 'seed': tail");
    sb_error_clear(&err);
    assert_int_equal(err.status, SB_OK);
    assert_string_equal(err.message, "");
    /* NULL errors are allowed everywhere. */
    assert_int_equal(sb_error_set(NULL, SB_ERR_NOMEM, NULL, 0, 0, "x"),
                     SB_ERR_NOMEM);
    sb_error_clear(NULL);
}

/* A function that locates errors its own way passes its arguments on. */
static sb_status located(sb_error *err, unsigned long line, const char *fmt,
                         ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_status st = sb_error_setv(err, SB_ERR_INVALID, "a.yaml", line, 7, fmt,
                                 ap);
    va_end(ap);
    return st;
}

static void setv_takes_a_va_list(void **state)
{
    (void)state;
    sb_error err;
    assert_int_equal(located(&err, 3, "%s is %d", "weeks", -2), SB_ERR_INVALID);
    assert_int_equal(err.status, SB_ERR_INVALID);
    assert_string_equal(err.file, "a.yaml");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 7);
    assert_string_equal(err.message, "weeks is -2");
    assert_int_equal(located(NULL, 1, "%s", "x"), SB_ERR_INVALID);
}

static void status_names_are_distinct(void **state)
{
    (void)state;
    for (int a = SB_OK; a <= SB_ERR_STATE; a++)
        for (int b = a + 1; b <= SB_ERR_STATE; b++)
            assert_string_not_equal(sb_status_name((sb_status)a),
                                    sb_status_name((sb_status)b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format_includes_location_parts_that_are_known),
        cmocka_unit_test(prefix_and_clear),
        cmocka_unit_test(setv_takes_a_va_list),
        cmocka_unit_test(status_names_are_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
