/* Tests for src/base/str.c: allocating copies and joins. */
#include "support.h"

#include "base/str.h"

#include <stdlib.h>
#include <string.h>

static void copies_and_joins_are_new_strings(void **state)
{
    (void)state;
    const char *name = "seed";
    char *copy = sb__str_dup(name);
    assert_string_equal(copy, "seed");
    assert_ptr_not_equal(copy, name);
    char *joined = sb__str_concat("scenarios/", copy);
    assert_string_equal(joined, "scenarios/seed");
    char *empty = sb__str_concat("", "");
    assert_string_equal(empty, "");
    free(copy);
    free(joined);
    free(empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(copies_and_joins_are_new_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
