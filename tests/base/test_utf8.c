/* Tests for src/base/utf8.c: well-formed and hostile byte sequences. */
#include "support.h"

#include "base/utf8.h"

#include <string.h>

static size_t prefix(const char *s)
{
    return sb__utf8_valid_prefix(s, strlen(s));
}

static void accepts_well_formed_text(void **state)
{
    (void)state;
    assert_int_equal(prefix(""), 0);
    assert_int_equal(prefix("plain"), 5);
    assert_int_equal(prefix("caf\xC3\xA9"), 5);               /* e-acute */
    assert_int_equal(prefix("\xE2\x82\xAC"), 3);              /* euro sign */
    assert_int_equal(prefix("\xF0\x9F\x98\x80"), 4);          /* U+1F600 */
    assert_int_equal(prefix("\xF4\x8F\xBF\xBF"), 4);          /* U+10FFFF */
    assert_int_equal(prefix("\xED\x9F\xBF"), 3);              /* U+D7FF */
}

static void stops_at_the_first_bad_byte(void **state)
{
    (void)state;
    assert_int_equal(prefix("ab\xC0\x80"), 2);         /* overlong NUL */
    assert_int_equal(prefix("\xC1\xBF"), 0);           /* overlong */
    assert_int_equal(prefix("x\xE0\x80\x80"), 1);      /* overlong 3-byte */
    assert_int_equal(prefix("\xED\xA0\x80"), 0);       /* surrogate U+D800 */
    assert_int_equal(prefix("\xF4\x90\x80\x80"), 0);   /* above U+10FFFF */
    assert_int_equal(prefix("\xF5\x80\x80\x80"), 0);
    assert_int_equal(prefix("abc\xE2\x82"), 3);        /* cut short */
    assert_int_equal(prefix("\x80"), 0);               /* lone continuation */
    assert_int_equal(prefix("\xC3\x28"), 0);           /* bad continuation */
    assert_int_equal(prefix("\xF0\x9F\x98\x28"), 0);
    assert_int_equal(prefix("\xFF"), 0);
    /* The length given is respected: no reading past it. */
    assert_int_equal(sb__utf8_valid_prefix("\xC3\xA9", 1), 0);
}

static void decodes_code_points(void **state)
{
    (void)state;
    const char *s = "a\xC2\x85\xE2\x80\xAE\xF0\x9F\x8C\xB1";
    size_t n = strlen(s), i = 0;
    assert_int_equal(sb__utf8_next(s, n, &i), 0x61);
    assert_int_equal(i, 1);
    assert_int_equal(sb__utf8_next(s, n, &i), 0x85);
    assert_int_equal(i, 3);
    assert_int_equal(sb__utf8_next(s, n, &i), 0x202E);
    assert_int_equal(i, 6);
    assert_int_equal(sb__utf8_next(s, n, &i), 0x1F331);
    assert_int_equal(i, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_well_formed_text),
        cmocka_unit_test(stops_at_the_first_bad_byte),
        cmocka_unit_test(decodes_code_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
