/*
 * Tests for src/cli/norms_option.c: --norms FILE as `serve`, `status` and
 * `report` take it (repeatable, one file per instrument, the instrument
 * read from the file), the figures it gives, and its errors: a missing
 * file, a malformed one and two files for one instrument stop the command
 * before it serves or writes anything.
 */
#include "support.h"

#include <securebase/measure.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER \
    "instrument,score,scale,population,n,mean,sd,alpha,alpha_n,date,source\n"

/* Anxiety SD 1.1, alpha .93: 1.96 x 1.1 x sqrt(2 x .07) = 0.8067;
 * avoidance SD 1.2, alpha .80: 1.96 x 1.2 x sqrt(2 x .2) = 1.4875. */
static const char good[] =
    HEADER
    "ecr-r,anxiety,1-7,clinical,212,4.1,1.1,0.93,205,2026-03-01,intake\n"
    "ecr-r,avoidance,1-7,clinical,212,3.6,1.2,0.80,207,2026-03-01,intake\n";

static sb_test_run expect(sb_test_run r, int code)
{
    if (r.exit_code != code)
        fail_msg("exit %d, expected %d\nstdout: %s\nstderr: %s", r.exit_code,
                 code, r.out, r.err);
    return r;
}

static void expect_err(const sb_test_run *r, const char *text)
{
    if (!strstr(r->err, text))
        fail_msg("stderr lacks \"%s\":\n%s", text, r->err);
}

/* ECR-R answers whose keyed values are all `keyed`. */
static void answers(char *out, size_t size, int keyed)
{
    sb_instrument *inst;
    assert_int_equal(sb_instrument_builtin("ecr-r", &inst, NULL), SB_OK);
    size_t n = 0;
    for (size_t i = 1; i <= 36 && n + 3 < size; i++)
        n += (size_t)snprintf(out + n, size - n, "%s%d", i > 1 ? " " : "",
                              sb_instrument_item_reversed(inst, i)
                                  ? 8 - keyed
                                  : keyed);
    sb_instrument_free(inst);
}

/* A journal of Ann, whose anxiety and avoidance come down from 5 to 4. */
static void a_journal(const char *dir, char *db, size_t size)
{
    char five[200], four[200], csv[1000];
    answers(five, sizeof five, 5);
    answers(four, sizeof four, 4);
    snprintf(csv, sizeof csv,
             "record,id,person,name,date,attended,minutes,instrument,scale,"
             "items\n"
             "person,1,,Ann,,,,,,\n"
             "assessment,,1,,2026-02-01,,,ecr-r,,%s\n"
             "assessment,,1,,2026-03-01,,,ecr-r,,%s\n",
             five, four);
    char *path = sb_test_write(dir, "journal.csv", csv);
    snprintf(db, size, "%s/j.db", dir);
    sb_test_run r = expect(sb_test_cli("journal", "--db", db, "init", NULL), 0);
    sb_test_run_free(&r);
    r = expect(sb_test_cli("journal", "--db", db, "import", path, NULL), 0);
    sb_test_run_free(&r);
    free(path);
}

/* Every command refuses the same bad files the same way, before it does
 * anything else: the server never listens. */
static void bad_files_stop_every_command(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4300], missing[4300], out[4300];
    a_journal(dir, db, sizeof db);
    snprintf(missing, sizeof missing, "%s/missing.csv", dir);
    snprintf(out, sizeof out, "%s/report.html", dir);
    char *ok = sb_test_write(dir, "norms.csv", good);
    char *again = sb_test_write(dir, "again.csv", good);
    char *bad = sb_test_write(dir, "bad.csv",
        HEADER
        "ecr-r,anxiety,1-7,clinical,212,4.1,1.1,0.93,205,2026-03-01,i\n"
        "ecr-r,avoidance,1-7,clinical,212,3.6,0,0.80,207,2026-03-01,i\n");
    char *unknown = sb_test_write(dir, "unknown.csv",
        HEADER "xyz,anxiety,1-7,clinical,20,4,1,0.9,20,2026-03-01,i\n");
    /* A server that started would wait for a signal: the limit turns that
     * into exit code 142, which fails the test. */
    sb_test_cli_seconds = 30;
    char expect_bad[4400], expect_dup[4400], expect_unknown[4400];
    snprintf(expect_bad, sizeof expect_bad,
             "%s:3:7: column 'sd': '0' is not an SD above 0", bad);
    snprintf(expect_dup, sizeof expect_dup,
             "%s:2:1: column 'instrument': norms for 'ecr-r' were already "
             "given in %s; give one norms file per instrument",
             again, ok);
    snprintf(expect_unknown, sizeof expect_unknown,
             "%s:2:1: column 'instrument': 'xyz' is not a built-in "
             "instrument", unknown);
    const char *const commands[3][5] = {
        {"serve", "--listen", "127.0.0.1:0", "--quiet", "--quiet"},
        {"status", "Ann", "--people", "0", "--as-of=2026-03-02"},
        {"report", "Ann", "--quiet", "--out", out},
    };
    for (size_t c = 0; c < 3; c++) {
        const char *a = commands[c][0], *b = commands[c][1];
        const char *x = commands[c][2], *y = commands[c][3];
        const char *z = commands[c][4];
        sb_test_run r = expect(sb_test_cli(a, b, x, y, z, "--db", db, "--norms",
                                           missing, NULL),
                               2);
        expect_err(&r, missing);
        assert_string_equal(r.out, "");
        sb_test_run_free(&r);
        r = expect(sb_test_cli(a, b, x, y, z, "--db", db, "--norms", bad, NULL),
                   2);
        expect_err(&r, expect_bad);
        sb_test_run_free(&r);
        r = expect(sb_test_cli(a, b, x, y, z, "--db", db, "--norms", ok,
                               "--norms", again, NULL),
                   2);
        expect_err(&r, expect_dup);
        sb_test_run_free(&r);
        r = expect(sb_test_cli(a, b, x, y, z, "--db", db, "--norms", unknown,
                               NULL),
                   2);
        expect_err(&r, expect_unknown);
        sb_test_run_free(&r);
    }
    assert_false(sb_test_exists(out, ""));
    sb_test_cli_seconds = 0;
    free(ok);
    free(again);
    free(bad);
    free(unknown);
    sb_test_rmtree(dir);
    free(dir);
}

/* `status` and `report` judge Ann's change by the norms and say whose. */
static void status_and_report_use_the_norms(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char db[4300], out[4300];
    a_journal(dir, db, sizeof db);
    char *ok = sb_test_write(dir, "norms.csv", good);
    /* norms of another instrument beside them are read and not used */
    char *ecr_s = sb_test_write(dir, "ecr-s.csv",
        HEADER "ecr-s,anxiety,1-7,general,90,3.2,1.0,,,2025-11-30,spring\n");

    sb_test_run r = expect(sb_test_cli("status", "Ann", "--db", db, "--as-of",
                                       "2026-03-02", "--people", "0",
                                       "--norms", ecr_s, "--norms", ok, NULL),
                           0);
    if (!strstr(r.out, "reliable change: anxiety 0.81, avoidance 1.49\n"
                       "reliable change of ecr-r uses local norms of ecr-r "
                       "(clinical sample, N = 212, 2026-03-01, intake)\n"))
        fail_msg("status said:\n%s", r.out);
    assert_null(strstr(r.out, "ecr-s"));
    sb_test_run_free(&r);
    r = expect(sb_test_cli("status", "Ann", "--db", db, "--as-of",
                           "2026-03-02", "--people", "0", NULL),
               0);
    assert_non_null(strstr(r.out, "anxiety unknown, avoidance unknown"));
    assert_null(strstr(r.out, "local norms"));
    sb_test_run_free(&r);
    r = expect(sb_test_cli("status", "--all", "--db", db, "--as-of",
                           "2026-03-02", "--people", "0", "--norms", ok,
                           NULL),
               0);
    assert_non_null(strstr(r.out, "\nreliable change of ecr-r uses local "
                                  "norms of ecr-r (clinical sample, N = 212, "
                                  "2026-03-01, intake)\n"));
    sb_test_run_free(&r);
    r = expect(sb_test_cli("status", "--evaluate", "--simulate", "seed",
                           "--norms", ok, NULL),
               2);
    expect_err(&r, "--norms is for a journal's clients");
    sb_test_run_free(&r);

    snprintf(out, sizeof out, "%s/report.html", dir);
    r = expect(sb_test_cli("report", "Ann", "--db", db, "--out", out,
                           "--weeks", "0", "--whatif-people", "0", "--quiet",
                           "--norms", ok, "--norms", ecr_s, NULL),
               0);
    sb_test_run_free(&r);
    char *html = sb_test_slurp(out);
    assert_non_null(html);
    assert_non_null(strstr(html, "local clinical sample: 212 administrations "
                                 "of ecr-r (intake, 2026-03-01)"));
    assert_non_null(strstr(html, "&plusmn;0.81 points (r = 0.93, SD = 1.1)"));
    assert_non_null(strstr(html, "&plusmn;1.49 points (r = 0.8, SD = 1.2)"));
    free(html);
    free(ok);
    free(ecr_s);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_files_stop_every_command),
        cmocka_unit_test(status_and_report_use_the_norms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
