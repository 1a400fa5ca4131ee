/*
 * Tests for src/scenario/resolve.c: command-line arguments to scenarios,
 * built-in sets, set files with relative members, and what a set may not be.
 */
#include "scenario/expect.h"

#include <stdlib.h>
#include <string.h>

static void builtin_set_and_scenario(void **state)
{
    (void)state;
    sb_scenario *list;
    size_t n;
    sb_error err;
    assert_int_equal(sb_scenario_resolve("seed", &list, &n, &err), SB_OK);
    assert_int_equal(n, 5);
    static const char *const order[] = {"no-therapy", "therapy-only",
                                        "therapy+support",
                                        "therapy+reflection+practice",
                                        "all-factors"};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(list[i].name, order[i]);
        sb_scenario one;
        builtin_ok(order[i], &one);
        expect_same_scenario(&list[i], &one);
    }
    free(list);
    assert_int_equal(sb_scenario_resolve("clinical", &list, &n, &err), SB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].name, "clinical");
    free(list);
}

static void unknown_arguments(void **state)
{
    (void)state;
    sb_scenario *list = (sb_scenario *)&list;
    size_t n = 99;
    sb_error err;
    assert_int_equal(sb_scenario_resolve("nosuch", &list, &n, &err),
                     SB_ERR_NOTFOUND);
    assert_null(list);
    assert_int_equal(n, 0);
    assert_non_null(strstr(err.message,
                           "'nosuch' is neither a built-in scenario or set "
                           "(all-factors, clinical, general-population, "
                           "no-therapy, seed, therapy+reflection+practice, "
                           "therapy+support, therapy-only) nor a file"));
    assert_null(strstr(err.message, "did you mean"));
    assert_int_equal(sb_scenario_resolve("seeds", &list, &n, &err),
                     SB_ERR_NOTFOUND);
    assert_non_null(strstr(err.message, "nor a file; did you mean 'seed'?"));
    assert_int_equal(sb_scenario_resolve("", &list, &n, &err), SB_ERR_NOTFOUND);
    assert_int_equal(sb_scenario_resolve(NULL, &list, &n, NULL),
                     SB_ERR_NOTFOUND);
    assert_int_equal(sb_scenario_resolve("missing.yaml", &list, &n, &err),
                     SB_ERR_IO);
    assert_string_equal(err.file, "missing.yaml");
    assert_null(list);
}

static void set_files_name_builtins_and_relative_files(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    free(sb_test_write(dir, "local.yaml",
                       "name: local\nbase: therapy-only\ntherapy: {weeks: 10}\n"));
    char *set = sb_test_write(dir, "mine.yaml",
                              "name: mine\ndescription: two of them\n"
                              "set:\n  - clinical\n  - local.yaml\n");
    sb_scenario *list;
    size_t n;
    sb_error err;
    assert_int_equal(sb_scenario_resolve(set, &list, &n, &err), SB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].name, "clinical");
    assert_string_equal(list[1].name, "local");
    assert_int_equal(list[1].therapy.weeks, 10);
    free(list);
    /* A scenario file gives a list of one. */
    char path[4200];
    snprintf(path, sizeof path, "%s/local.yaml", dir);
    assert_int_equal(sb_scenario_resolve(path, &list, &n, &err), SB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].name, "local");
    free(list);
    free(set);
    sb_test_rmtree(dir);
    free(dir);
}

/* Writes a set file and expects resolving it to fail at line:column. */
static void expect_set_error(const char *text, sb_status status,
                             unsigned long line, unsigned long column,
                             const char *const *phrases)
{
    char *dir = sb_test_tmpdir();
    char *path = sb_test_write(dir, "set.yaml", text);
    sb_scenario *list;
    size_t n;
    sb_error err;
    assert_int_equal(sb_scenario_resolve(path, &list, &n, &err), status);
    assert_null(list);
    assert_int_equal(n, 0);
    expect_error_at(&err, path, line, column, phrases);
    free(path);
    sb_test_rmtree(dir);
    free(dir);
}

#define SET_ERROR(text, status, line, column, ...)                         \
    expect_set_error(text, status, line, column, PHRASES(__VA_ARGS__))

static void set_file_errors(void **state)
{
    (void)state;
    SET_ERROR("name: s\nset: [seed]\n", SB_ERR_INVALID, 2, 7,
              "set member 'seed' is a set of scenarios, not a scenario");
    SET_ERROR("name: s\nset: [clinical, no-therapy, clinical]\n",
              SB_ERR_INVALID, 2, 29,
              "set member 3 is a scenario named 'clinical', as is member 1 "
              "(line 2); names in a set must differ");
    SET_ERROR("name: s\nset: []\n", SB_ERR_INVALID, 2, 6,
              "a set has 1 to 64 scenarios; this one has 0");
    SET_ERROR("name: s\nset: [nosuch]\n", SB_ERR_NOTFOUND, 2, 7,
              "unknown set member 'nosuch'");
    SET_ERROR("name: s\nset: [gone.yaml]\n", SB_ERR_IO, 2, 7,
              "set member 'gone.yaml'", "cannot open");
    SET_ERROR("name: s\nset: clinical\n", SB_ERR_INVALID, 2, 6,
              "set: expected a list, got 'clinical'");
    SET_ERROR("name: s\nset: [[clinical]]\n", SB_ERR_INVALID, 2, 7,
              "set member: expected the name of a built-in scenario or a "
              "file path, got a list");
    SET_ERROR("name: s\nbase: clinical\nset: [clinical]\n", SB_ERR_INVALID, 2,
              1, "unknown key 'base' in a set file; allowed: name, "
                 "description, set");
    SET_ERROR("set: [clinical]\n", SB_ERR_INVALID, 1, 1,
              "a set needs a `name:`");
    SET_ERROR("name: a set\nset: [clinical]\n", SB_ERR_INVALID, 1, 7,
              "name 'a set' is not a valid name");
    SET_ERROR("name: s\ndescription: [x]\nset: [clinical]\n", SB_ERR_INVALID,
              2, 14, "description: expected text, got a list");
    /* An error inside a member is reported in the member's file. */
    char *dir = sb_test_tmpdir();
    free(sb_test_write(dir, "broken.yaml", "name: b\ntherapy: {weeks: x}\n"));
    char *set = sb_test_write(dir, "set.yaml",
                              "name: s\nset: [clinical, broken.yaml]\n");
    sb_scenario *list;
    size_t n;
    sb_error err;
    assert_int_equal(sb_scenario_resolve(set, &list, &n, &err), SB_ERR_INVALID);
    char broken[4200];
    snprintf(broken, sizeof broken, "%s/broken.yaml", dir);
    expect_error_at(&err, broken, 2, 18,
                    PHRASES("therapy.weeks: expected a whole number"));
    free(set);
    sb_test_rmtree(dir);
    free(dir);
}

static void sets_are_limited_in_size(void **state)
{
    (void)state;
    char text[2048];
    size_t o = (size_t)snprintf(text, sizeof text, "name: s\nset: [");
    for (int i = 0; i < 65; i++)
        o += (size_t)snprintf(text + o, sizeof text - o, "%sclinical",
                              i ? ", " : "");
    snprintf(text + o, sizeof text - o, "]\n");
    SET_ERROR(text, SB_ERR_INVALID, 2, 6,
              "a set has 1 to 64 scenarios; this one has 65");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtin_set_and_scenario),
        cmocka_unit_test(unknown_arguments),
        cmocka_unit_test(set_files_name_builtins_and_relative_files),
        cmocka_unit_test(set_file_errors),
        cmocka_unit_test(sets_are_limited_in_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
