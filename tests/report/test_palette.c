/* Tests for src/report/palette.c: one colour per meaning, named once. */
#include "support.h"

#include "report/palette.h"

#include <string.h>

static void every_meaning_has_its_own_colour_and_name(void **state)
{
    (void)state;
    for (int a = 0; a < SB_MEANING_COUNT; a++) {
        const char *name = sb__palette_name((sb__meaning)a);
        assert_non_null(name);
        assert_true(strlen(name) > 0);
        assert_true(strspn(name, "abcdefghijklmnopqrstuvwxyz-") == strlen(name));
        assert_true(sb__palette_hex((sb__meaning)a) != SB_PALETTE_INK);
        for (int b = 0; b < a; b++) {
            if (sb__palette_hex((sb__meaning)a) == sb__palette_hex((sb__meaning)b))
                fail_msg("'%s' and '%s' share the colour #%06X", name,
                         sb__palette_name((sb__meaning)b),
                         sb__palette_hex((sb__meaning)a));
            assert_string_not_equal(name, sb__palette_name((sb__meaning)b));
        }
    }
    /* the ones the report was wrong about */
    assert_true(sb__palette_hex(SB_MEANING_SUDDEN) !=
                sb__palette_hex(SB_MEANING_WORSE));
    sb__rgba c = sb__palette(SB_MEANING_ANXIETY, 0.5);
    assert_true(c.a == 0.5);
    assert_true(c.r > c.b); /* vermillion */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_meaning_has_its_own_colour_and_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
