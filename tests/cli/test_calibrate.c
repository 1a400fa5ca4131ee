/*
 * The calibrate command as a user runs it: a quick calibration writes its
 * five files, the same seed gives the same bytes for any thread count, the
 * posterior it writes drives 'simulate --posterior', and mistakes are
 * usage errors.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *file_in(const char *dir, const char *name)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return sb_test_slurp(path);
}

static const char *const outputs[] = {"posterior.csv", "generations.csv",
                                      "predictive.csv", "summary.json",
                                      "medians.yaml"};

static void test_quick_run_and_threads(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char one[4200], two[4200];
    snprintf(one, sizeof one, "%s/one", dir);
    snprintf(two, sizeof two, "%s/two", dir);
    sb_test_run r = sb_test_cli("calibrate", "v1-v9", "--quick", "--persons",
                                "100", "--particles", "6", "--generations",
                                "2", "--params", "pull,noise", "-j", "1",
                                "--out", one, NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "fitted targets"));
    assert_non_null(strstr(r.out, "held-out targets"));
    assert_non_null(strstr(r.out, "95% credible interval"));
    sb_test_run_free(&r);
    r = sb_test_cli("calibrate", "v1-v9", "--quick", "--persons", "100",
                    "--particles", "6", "--generations", "2", "--params",
                    "pull,noise", "-j", "2", "--out", two, NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);
    for (size_t i = 0; i < 5; i++) {
        char *a = file_in(one, outputs[i]), *b = file_in(two, outputs[i]);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    char *post = file_in(one, "posterior.csv");
    assert_true(!strncmp(post, "particle,weight,pull,noise,distance\n", 36));
    free(post);
    char *pred = file_in(one, "predictive.csv");
    assert_non_null(strstr(pred, "V4-stability-2y,V4,held-out,"));
    assert_non_null(strstr(pred, "V1-secure,V1,fit,"));
    free(pred);
    /* The posterior drives simulate, and the medians load as a scenario. */
    char path[8400], medians[8400];
    snprintf(path, sizeof path, "%s/posterior.csv", one);
    snprintf(medians, sizeof medians, "%s/medians.yaml", one);
    r = sb_test_cli("simulate", "therapy-only", "-n", "300", "-w", "10",
                    "--posterior", path, NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "6 particles"));
    sb_test_run_free(&r);
    r = sb_test_cli("simulate", medians, "-n", "300", "-w", "10", NULL);
    assert_int_equal(r.exit_code, 0);
    sb_test_run_free(&r);
    sb_test_rmtree(dir);
    free(dir);
}

static void test_errors(void **state)
{
    (void)state;
    sb_test_run r = sb_test_cli("calibrate", NULL);
    assert_int_equal(r.exit_code, 2);
    sb_test_run_free(&r);
    r = sb_test_cli("calibrate", "/nonexistent/targets.yaml", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "/nonexistent/targets.yaml"));
    sb_test_run_free(&r);
    r = sb_test_cli("calibrate", "v1-v9", "--params", "pull,nope", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "'nope' has no prior"));
    sb_test_run_free(&r);
    r = sb_test_cli("calibrate", "v1-v9", "--particles", "1", NULL);
    assert_int_equal(r.exit_code, 2);
    sb_test_run_free(&r);
    r = sb_test_cli("calibrate", "v1-v9", "--quantile", "1.5", NULL);
    assert_int_equal(r.exit_code, 2);
    sb_test_run_free(&r);
    r = sb_test_cli("calibrate", "v1-v9", "--kernel", "wide", NULL);
    assert_int_equal(r.exit_code, 2);
    sb_test_run_free(&r);
    r = sb_test_cli("simulate", "--posterior", "/nonexistent.csv", NULL);
    assert_int_equal(r.exit_code, 2);
    sb_test_run_free(&r);
    r = sb_test_cli("calibrate", "--help", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "mpirun"));
    sb_test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quick_run_and_threads),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
