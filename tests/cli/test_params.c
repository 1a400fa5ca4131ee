/*
 * securebase params, and docs/model.md kept true to the code: the
 * parameter table in the document is exactly what the command prints, and
 * what its sources say of half-lives is what the defaults give.
 */
#include "support.h"

#include <securebase/model.h>

#include <math.h>
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

/* What the table says of the residue's half-life and of the burn-in's
 * length in half-lives is what the defaults give. */
static void stated_half_lives_match_the_defaults(void **state)
{
    (void)state;
    sb_params p;
    sb_params_default(&p);
    double half = log(2) / -log(1 - p.residue_decay);
    const char *src = sb_params_find("residue_decay")->source;
    const char *at = strstr(src, "half-life ");
    assert_non_null(at);
    assert_int_equal(atoi(at + strlen("half-life ")), (int)lround(half));
    src = sb_params_find("burn_in_weeks")->source;
    at = strstr(src, " half-lives");
    assert_non_null(at);
    while (at > src && at[-1] != ' ')
        at--;
    assert_int_equal(atoi(at), (int)floor(p.burn_in_weeks / half));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(docs_table_matches_the_code),
        cmocka_unit_test(plain_listing_and_errors),
        cmocka_unit_test(stated_half_lives_match_the_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
