/* Sign-in throttling per account and per address, in fixed windows. */
#include "support.h"

#include "serve/internal.h"

static void accounts_and_addresses_wait_after_failures(void **state)
{
    (void)state;
    static sb_throttle t;
    sb_throttle_init(&t);
    for (int i = 0; i < 4; i++)
        sb_throttle_fail(&t, "Ann", "10.0.0.1", 1000);
    assert_int_equal(sb_throttle_wait(&t, "ann", "10.0.0.2", 1000), 0);
    sb_throttle_fail(&t, "ann", "10.0.0.1", 1000);
    /* Five on the account (any letter case): wait out the window. */
    assert_int_equal(sb_throttle_wait(&t, "ANN", "10.0.0.9", 1100), 800);
    assert_int_equal(sb_throttle_wait(&t, "ann", "10.0.0.9", 1900), 0);
    /* Twenty from one address, over many names. */
    char name[16];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "user%d", i);
        sb_throttle_fail(&t, name, "10.0.0.7", 5000);
    }
    assert_true(sb_throttle_wait(&t, "someone", "10.0.0.7", 5000) > 0);
    assert_int_equal(sb_throttle_wait(&t, "someone", "10.0.0.8", 5000), 0);
    /* A success clears the account's count. */
    sb_throttle_fail(&t, "ben", "10.0.0.3", 6000);
    sb_throttle_success(&t, "ben");
    for (int i = 0; i < 4; i++)
        sb_throttle_fail(&t, "ben", "10.0.0.3", 6000);
    assert_int_equal(sb_throttle_wait(&t, "ben", "10.0.0.4", 6000), 0);
    /* A flood of names cannot grow the table or crash it. */
    for (int i = 0; i < 20000; i++) {
        snprintf(name, sizeof name, "flood%d", i);
        sb_throttle_fail(&t, name, "10.1.0.1", 7000);
    }
    sb_throttle_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accounts_and_addresses_wait_after_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
