/* Tests for src/base/buf.c: array growth and the NUL-terminated buffer. */
#include "support.h"

#include "base/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void arrays_grow_by_doubling_and_keep_their_contents(void **state)
{
    (void)state;
    int *a = NULL;
    size_t cap = 0;
    for (int i = 0; i < 1000; i++) {
        size_t before = cap;
        int *g = sb__grow(a, &cap, (size_t)i + 1, sizeof *a);
        assert_non_null(g);
        a = g;
        assert_true(cap >= (size_t)i + 1);
        if (cap != before)
            assert_true(before == 0 ? cap == 16 : cap == 2 * before);
        a[i] = i;
    }
    for (int i = 0; i < 1000; i++)
        assert_int_equal(a[i], i);
    /* Room already there: the same array, the same capacity. */
    size_t had = cap;
    assert_ptr_equal(sb__grow(a, &cap, 10, sizeof *a), a);
    assert_int_equal(cap, had);
    /* A jump straight to a large size. */
    int *g = sb__grow(a, &cap, 100000, sizeof *a);
    assert_non_null(g);
    a = g;
    assert_true(cap >= 100000);
    free(a);
}

static void sizes_that_overflow_are_refused(void **state)
{
    (void)state;
    size_t cap = 0;
    char *a = sb__grow(NULL, &cap, 4, 1);
    assert_non_null(a);
    size_t had = cap;
    assert_null(sb__grow(a, &cap, SIZE_MAX, 1));
    assert_null(sb__grow(a, &cap, SIZE_MAX / 4, 8));
    assert_int_equal(cap, had); /* and `a` is still ours */
    a[0] = 'x';
    free(a);
}

static void buffers_stay_nul_terminated(void **state)
{
    (void)state;
    sb__buf b = {0};
    assert_int_equal(sb__buf_append(&b, "abc", 3), 0);
    assert_string_equal(b.data, "abc");
    assert_int_equal(sb__buf_printf(&b, "-%d-%s", 42, "x"), 0);
    assert_string_equal(b.data, "abc-42-x");
    assert_int_equal(b.len, 8);
    char big[5000];
    memset(big, 'y', sizeof big);
    assert_int_equal(sb__buf_append(&b, big, sizeof big), 0);
    assert_int_equal(b.len, 5008);
    assert_int_equal(strlen(b.data), 5008);
    assert_int_equal(sb__buf_append(&b, "", 0), 0);
    assert_int_equal(b.failed, 0);
    sb__buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    /* Usable again after free. */
    assert_int_equal(sb__buf_printf(&b, "%s", "again"), 0);
    assert_string_equal(b.data, "again");
    sb__buf_free(&b);
}

static void a_failure_sticks(void **state)
{
    (void)state;
    sb__buf b = {0};
    assert_int_equal(sb__buf_append(&b, "kept", 4), 0);
    assert_int_equal(sb__buf_reserve(&b, SIZE_MAX - 2), -1);
    assert_int_equal(b.failed, 1);
    assert_int_equal(sb__buf_append(&b, "lost", 4), -1);
    assert_int_equal(sb__buf_printf(&b, "%d", 1), -1);
    assert_string_equal(b.data, "kept");
    sb__buf_free(&b);
    assert_int_equal(b.failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arrays_grow_by_doubling_and_keep_their_contents),
        cmocka_unit_test(sizes_that_overflow_are_refused),
        cmocka_unit_test(buffers_stay_nul_terminated),
        cmocka_unit_test(a_failure_sticks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
