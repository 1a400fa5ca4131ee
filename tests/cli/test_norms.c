/*
 * securebase norms: the norms file of a small intake export checked against
 * figures worked out by hand, its mode, the summary, and the errors.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * ECR-S intake of three clients on 1-7. Anxiety items 2 4 6 8 10 12 (8
 * reversed), avoidance 1 3 5 7 9 11 (1, 5, 9 reversed). Anxiety means 2, 4,
 * 6: mean 4, SD 2; avoidance 3, 3, 6: mean 4, SD sqrt(3) = 1.7321. Every
 * item moves with its subscale's mean, so alpha is 1: a reliability that
 * reliable change cannot use, and the file leaves it empty.
 */
static const char intake[] =
    "ecr_s_1,ecr_s_2,ecr_s_3,ecr_s_4,ecr_s_5,ecr_s_6,ecr_s_7,ecr_s_8,"
    "ecr_s_9,ecr_s_10,ecr_s_11,ecr_s_12\n"
    "5,2,3,2,5,2,3,6,5,2,3,2\n"
    "5,4,3,4,5,4,3,4,5,4,3,4\n"
    "2,6,6,6,2,6,6,2,2,6,6,6\n";

static void by_hand(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *csv = sb_test_write(dir, "intake.csv", intake);
    char out[4200];
    snprintf(out, sizeof out, "%s/norms.csv", dir);
    sb_test_run r = sb_test_cli("norms", "ecr-s", csv, "--as-of", "2026-03-01",
                                "--out", out, NULL);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "ecr-s on 1-7, clinical sample (intake.csv, "
                                  "2026-03-01)"));
    assert_non_null(strstr(r.err, "anxiety            N 3  mean 4.000  SD "
                                  "2.000  no alpha (3 complete rows)"));
    sb_test_run_free(&r);
    struct stat sb;
    assert_int_equal(stat(out, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char *text = sb_test_slurp(out);
    assert_non_null(text);
    assert_non_null(strstr(text,
        "instrument,score,scale,population,n,mean,sd,alpha,alpha_n,date,source\n"
        "ecr-s,anxiety,1-7,clinical,3,4.0000,2.0000,,,2026-03-01,intake.csv\n"
        "ecr-s,avoidance,1-7,clinical,3,4.0000,1.7321,,,2026-03-01,intake.csv\n"));
    free(text);
    /* to standard output, with a label and a general population */
    r = sb_test_cli("norms", "ecr-s", csv, "--as-of", "2026-03-01",
                    "--population", "general", "--label", "spring cohort", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "ecr-s,anxiety,1-7,general,3,4.0000,2.0000,,,"
                                  "2026-03-01,spring cohort\n"));
    sb_test_run_free(&r);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

static void errors(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *one = sb_test_write(dir, "one.csv", "rq_1,rq_2,rq_3,rq_4\n6,2,3,5\n");
    char *csv = sb_test_write(dir, "intake.csv", intake);
    char out[4200];
    snprintf(out, sizeof out, "%s/norms.csv", dir);
    static const struct {
        const char *a, *b, *c, *needle;
    } bad[] = {
        {"--population", "clinic", NULL, "clinical or general"},
        {"--as-of", "2026-02-30", NULL, "YYYY-MM-DD"},
        {"--label", "a\"b", NULL, "without quotes"},
        {"--scale", "1-99x", NULL, "--scale expects"},
        {"--id", "x", NULL, "unrecognized option '--id'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sb_test_run r = sb_test_cli("norms", "ecr-s", csv, bad[i].a, bad[i].b,
                                    "--out", out, NULL);
        if (r.exit_code != 2 || !strstr(r.err, bad[i].needle))
            fail_msg("%s %s: exit %d: %s", bad[i].a, bad[i].b, r.exit_code,
                     r.err);
        sb_test_run_free(&r);
    }
    /* one row: nothing to write, and no file is left behind */
    sb_test_run r = sb_test_cli("norms", "rq", one, "--out", out, NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "no norms to write"));
    sb_test_run_free(&r);
    struct stat sb;
    assert_int_not_equal(stat(out, &sb), 0);
    r = sb_test_cli("norms", "rq", "/nonexistent.csv", NULL);
    assert_int_not_equal(r.exit_code, 0);
    assert_non_null(strstr(r.err, "/nonexistent.csv: cannot open"));
    sb_test_run_free(&r);
    r = sb_test_cli("norms", "rq", NULL);
    assert_int_equal(r.exit_code, 2);
    sb_test_run_free(&r);
    free(one);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

/* The wrong instrument or file: each named, exit 2, no norms file. */
static void wrong_instrument_and_empty_files(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char header[400] = "", *p = header;
    for (int i = 1; i <= 12; i++)
        p += sprintf(p, "%sQ%d", i > 1 ? "," : "", i);
    char *empty = sb_test_write(dir, "empty.csv", "");
    char *only = sb_test_write(dir, "header.csv", header);
    /* An ECR-S export (12 items) where ECR-R (36) is asked for. */
    char ecrs[800];
    snprintf(ecrs, sizeof ecrs, "%s\n%s\n", header,
             "1,2,3,4,5,6,7,1,2,3,4,5");
    char *short_form = sb_test_write(dir, "ecr-s.csv", ecrs);
    /* An answer outside the scale. */
    snprintf(ecrs, sizeof ecrs, "%s\n%s\n", header,
             "1,2,3,4,5,6,9,1,2,3,4,5");
    char *nine = sb_test_write(dir, "nine.csv", ecrs);
    char out[4200];
    snprintf(out, sizeof out, "%s/norms.csv", dir);
    static const char *const says_of[][2] = {
        {"no-such-form", "no built-in instrument named 'no-such-form'"},
        {"ecr-s", "empty.csv: the file is empty"},
        {"ecr-s", "header.csv: no score has 2 or more administrations"},
        {"ecr-r", "ecr-s.csv:1: no column 'Q13' for item 13 of ecr-r"},
        {"ecr-s", "nine.csv:2:7: row 1, column 'Q7': answer '9' is outside "
                  "the scale 1-7"},
    };
    const char *files[] = {empty, empty, only, short_form, nine};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        sb_test_run r = sb_test_cli("norms", says_of[i][0], files[i], "--out",
                                    out, NULL);
        if (r.exit_code != 2 || !strstr(r.err, says_of[i][1]))
            fail_msg("%s %s: exit %d: %s", says_of[i][0], files[i],
                     r.exit_code, r.err);
        sb_test_run_free(&r);
        struct stat sb;
        assert_int_not_equal(stat(out, &sb), 0);
    }
    free(empty);
    free(only);
    free(short_form);
    free(nine);
    sb_test_rmtree(dir);
    free(dir);
}

/* The real data through the command: alpha .94 and .92 as the README says. */
static void real_data(void **state)
{
    (void)state;
    char path[4096];
    sb_test_shared_path("data/ecr-openpsychometrics/data.csv", path,
                        sizeof path);
    sb_test_run r = sb_test_cli("norms", "ecr", path, "--columns", "Q{n}",
                                "--scale", "1-5", "--missing", "0",
                                "--population", "general", "--as-of",
                                "2018-03-01", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "ecr,avoidance,1-5,general,51348,2.5673,"
                                  "0.8391,0.9380,48757,2018-03-01,data.csv\n"));
    assert_non_null(strstr(r.out, "ecr,anxiety,1-5,general,51347,3.0990,"
                                  "0.8024,0.9155,48774,2018-03-01,data.csv\n"));
    sb_test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(by_hand),
        cmocka_unit_test(errors),
        cmocka_unit_test(wrong_instrument_and_empty_files),
        cmocka_unit_test(real_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
