/*
 * Tests for src/cli/cmd_scenarios.c: what `securebase scenarios` prints and
 * its exit codes, run as a user runs it.
 */
#include "support.h"

#include <securebase/scenario.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void lists_every_builtin_with_kind_and_description(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli("scenarios", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    assert_true(!strncmp(r.out, "NAME ", 5));
    for (size_t i = 0; i < sb_scenario_builtin_count(); i++) {
        char line[512];
        snprintf(line, sizeof line, "\n%-28s %-9s %s\n",
                 sb_scenario_builtin_name(i),
                 sb_scenario_builtin_is_set(i) ? "set" : "scenario",
                 sb_scenario_builtin_description(i));
        assert_non_null(strstr(r.out, line));
    }
    assert_non_null(strstr(r.out, "\nseed                         set       "));
    sb_test_run_free(&r);
}

static void show_prints_the_file_as_written(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli("scenarios", "--show", "therapy+support", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, sb_scenario_builtin_text("therapy+support"));
    sb_test_run_free(&r);

    r = sb_test_cli("scenarios", "--show", "nosuch", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "no built-in scenario or set is named "
                                  "'nosuch'; the built-ins are: all-factors"));
    sb_test_run_free(&r);
}

static void resolved_output_loads_back_to_the_same_scenario(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli("scenarios", "--resolved", "all-factors", NULL);
    assert_int_equal(r.exit_code, 0);
    sb_scenario from_cli, builtin;
    sb_error err;
    assert_int_equal(sb_scenario_load_text(r.out, strlen(r.out), "out.yaml",
                                           &from_cli, &err),
                     SB_OK);
    assert_int_equal(sb_scenario_builtin("all-factors", &builtin, &err), SB_OK);
    assert_memory_equal(&from_cli, &builtin, sizeof builtin);
    sb_test_run_free(&r);

    /* A set prints one document per scenario. */
    r = sb_test_cli("scenarios", "--resolved", "seed", NULL);
    assert_int_equal(r.exit_code, 0);
    int documents = 0;
    for (const char *p = r.out; (p = strstr(p, "---\n")); p += 4)
        documents++;
    assert_int_equal(documents, 5);
    assert_true(!strncmp(r.out, "---\n# Scenario 'no-therapy'", 27));
    sb_test_run_free(&r);

    r = sb_test_cli("scenarios", "--resolved", "nosuch", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "securebase: 'nosuch' is neither"));
    sb_test_run_free(&r);
    r = sb_test_cli("scenarios", "--resolved", "no/such.yaml", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "securebase: no/such.yaml: cannot open"));
    sb_test_run_free(&r);
}

static void check_reports_ok_or_the_located_error(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *good = sb_test_write(dir, "good.yaml",
                               "name: good\nbase: therapy-only\n"
                               "therapy: {weeks: 20}\n");
    char *bad = sb_test_write(dir, "bad.yaml",
                              "name: bad\nbase: therapy-only\n"
                              "therapy: {weeks: twenty}\n");
    char *set = sb_test_write(dir, "set.yaml",
                              "name: pair\nset: [clinical, good.yaml]\n");
    sb_test_run r = sb_test_cli("scenarios", "--check", good, NULL);
    assert_int_equal(r.exit_code, 0);
    char expected[8400];
    snprintf(expected, sizeof expected, "%s: ok, scenario 'good'\n", good);
    assert_string_equal(r.out, expected);
    assert_string_equal(r.err, "");
    sb_test_run_free(&r);

    r = sb_test_cli("scenarios", "--check", bad, NULL);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.out, "");
    snprintf(expected, sizeof expected,
             "securebase: %s:3:18: therapy.weeks: expected a whole number, "
             "got 'twenty'\n",
             bad);
    assert_string_equal(r.err, expected);
    sb_test_run_free(&r);

    r = sb_test_cli("scenarios", "--check", set, NULL);
    assert_int_equal(r.exit_code, 0);
    snprintf(expected, sizeof expected,
             "%s: ok, a set of 2 scenarios: clinical good\n", set);
    assert_string_equal(r.out, expected);
    sb_test_run_free(&r);

    /* A file that is not there is an input error too. */
    r = sb_test_cli("scenarios", "--check", "no/such.yaml", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "securebase: no/such.yaml: cannot open"));
    sb_test_run_free(&r);
    free(good);
    free(bad);
    free(set);
    sb_test_rmtree(dir);
    free(dir);
}

static void usage_errors(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli("scenarios", "--show", "clinical", "--check",
                                "x.yaml", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "give only one of --show, --resolved, "
                                  "--check and --reference"));
    sb_test_run_free(&r);
    r = sb_test_cli("scenarios", "extra", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "unexpected argument 'extra'"));
    sb_test_run_free(&r);
    r = sb_test_cli("scenarios", "--bogus", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "usage: securebase scenarios"));
    sb_test_run_free(&r);
    r = sb_test_cli("scenarios", "--show", NULL);
    assert_int_equal(r.exit_code, 2);
    sb_test_run_free(&r);
    r = sb_test_cli("scenarios", "--help", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "usage: securebase scenarios"));
    assert_non_null(strstr(r.out, "--resolved NAME|FILE"));
    sb_test_run_free(&r);
    r = sb_test_cli("--help", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "\n  scenarios  "));
    sb_test_run_free(&r);
}

static void reference_tables_in_the_docs_are_current(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli("scenarios", "--reference", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "| `weeks` | whole number | 0..2080 | 0 |"));
    char *docs = sb_test_slurp(SB_SOURCE_DIR "/docs/scenarios.md");
    assert_non_null(docs);
    if (!strstr(docs, r.out)) {
        print_error("docs/scenarios.md does not hold the output of "
                    "`securebase scenarios --reference`; paste it in\n");
        fail();
    }
    free(docs);
    sb_test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lists_every_builtin_with_kind_and_description),
        cmocka_unit_test(show_prints_the_file_as_written),
        cmocka_unit_test(resolved_output_loads_back_to_the_same_scenario),
        cmocka_unit_test(check_reports_ok_or_the_located_error),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(reference_tables_in_the_docs_are_current),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
