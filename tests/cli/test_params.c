/*
 * securebase params, and docs/model.md kept true to the code: the
 * parameter table in the document is exactly what the command prints.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void docs_table_matches_the_code(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli("params", "--markdown", NULL);
    assert_int_equal(r.exit_code, 0);
    char *doc = sb_test_slurp(SB_SOURCE_DIR "/docs/model.md");
    assert_non_null(doc);
    if (!strstr(doc, r.out))
        print_error("docs/model.md is out of date: regenerate its table with "
                    "'securebase params --markdown'\n");
    assert_non_null(strstr(doc, r.out));
    /* Every parameter names a source or says it is an assumption. */
    for (char *line = strstr(r.out, "\n| `"); line; line = strstr(line + 1, "\n| `")) {
        char *end = strchr(line + 1, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char buf[2048];
        snprintf(buf, sizeof buf, "%.*s", (int)n, line);
        char *last = strrchr(buf, '|');
        *last = '\0';
        char *source = strrchr(buf, '|');
        assert_true(strlen(source) > 8);
    }
    free(doc);
    sb_test_run_free(&r);
}

static void plain_listing_and_errors(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli("params", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "pull"));
    assert_non_null(strstr(r.out, "source: "));
    sb_test_run_free(&r);
    r = sb_test_cli("params", "extra", NULL);
    assert_int_equal(r.exit_code, 2);
    sb_test_run_free(&r);
    r = sb_test_cli("--version", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "securebase "));
    sb_test_run_free(&r);
    r = sb_test_cli("no-such-command", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "unknown command"));
    sb_test_run_free(&r);
    r = sb_test_cli(NULL);
    assert_int_equal(r.exit_code, 2);
    sb_test_run_free(&r);
    r = sb_test_cli("--help", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "simulate"));
    sb_test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(docs_table_matches_the_code),
        cmocka_unit_test(plain_listing_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
