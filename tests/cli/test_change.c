/* Tests for src/cli/cmd_change.c: reliable change and sudden gains end to end. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Two items on 1-7, retest .75, functional 3 (SD 1), dysfunctional 5 (SD .5). */
static const char instrument[] =
    "name: two\ntitle: Two items\nsource: Test (2024)\nkey_source: test\n"
    "missing_rule: none\nitems: 2\nscale: 1-7\nsubscales:\n"
    "  - name: total\n    items: [1-2]\n    higher: worse\n"
    "    reliability:\n      - {kind: retest, value: 0.75, scale: 1-7, sample: s, source: t}\n"
    "    norms:\n"
    "      - {population: functional, mean: 3, sd: 1, scale: 1-7, sample: f, source: t}\n"
    "      - {population: dysfunctional, mean: 5, sd: 0.5, scale: 1-7, sample: d, source: t}\n";

static void reliable_change_by_hand(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *inst = sb_test_write(dir, "two.yaml", instrument);
    char *csv = sb_test_write(dir, "visits.csv",
        "pid,day,two_1,two_2\n"
        "B,2024-02-01,5,4\n"
        "A,2024-01-01,6,6\n"
        "B,2024-01-01,5,5\n"
        "A,2024-02-01,3,3\n"
        "C,2024-01-01,3,3\n"
        "C,2024-01-09,4,4\n");
    sb_test_run r = sb_test_cli("change", inst, csv, "--id", "pid", "--date", "day", NULL);
    assert_int_equal(r.exit_code, 0);
    /* S_diff = sqrt(2) * 0.5 * sqrt(0.25) = 0.35355; a = 4, b = 5,
     * c = (0.5 * 3 + 1 * 5) / 1.5 = 4.3333. People in the order they first
     * appear: B, A, C. */
    assert_string_equal(r.out,
        "id,first_date,date,score,first,value,change,reliability,sd,rci,"
        "cutoff_a,cutoff_b,cutoff_c,status,note\n"
        "B,2024-01-01,2024-02-01,total,5.0000,4.5000,-0.5000,0.7500,0.5000,"
        "-1.4142,4.0000,5.0000,4.3333,unchanged,\n"
        "A,2024-01-01,2024-02-01,total,6.0000,3.0000,-3.0000,0.7500,0.5000,"
        "-8.4853,4.0000,5.0000,4.3333,recovered,\n"
        "C,2024-01-01,2024-01-09,total,3.0000,4.0000,1.0000,0.7500,0.5000,"
        "2.8284,4.0000,5.0000,4.3333,deteriorated,\n");
    assert_string_equal(r.err, "");
    sb_test_run_free(&r);
    free(inst);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

/* An id that a spreadsheet would run as a formula is neutralised in both
 * outputs; the dates and numbers beside it are untouched. */
static void formula_like_ids_are_neutralised(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *inst = sb_test_write(dir, "two.yaml", instrument);
    char *csv = sb_test_write(dir, "visits.csv",
        "pid,session,two_1,two_2\n"
        "=cmd|' /C calc'!A0,1,6,6\n=cmd|' /C calc'!A0,2,6,6\n"
        "=cmd|' /C calc'!A0,3,6,6\n=cmd|' /C calc'!A0,4,3,3\n"
        "=cmd|' /C calc'!A0,5,3,3\n=cmd|' /C calc'!A0,6,3,3\n"
        "@x,1,5,5\n@x,2,4,4\n");
    sb_test_run r = sb_test_cli("change", inst, csv, "--id", "pid", "--date",
                                "session", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "\n'=cmd|' /C calc'!A0,1,6,total,6.0000,"
                                  "3.0000,-3.0000,"));
    assert_non_null(strstr(r.out, "\n'@x,1,2,total,5.0000,4.0000,-1.0000,"));
    assert_null(strstr(r.out, "\n=cmd"));
    sb_test_run_free(&r);
    r = sb_test_cli("change", inst, csv, "--id", "pid", "--date", "session",
                    "--sudden", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "\n'=cmd|' /C calc'!A0,total,gain,3,4,"
                                  "6.0000,3.0000,3.0000,6.0000,3.0000,-inf\n"));
    sb_test_run_free(&r);
    free(inst);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

static void sudden_gain_by_sessions(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *inst = sb_test_write(dir, "two.yaml", instrument);
    char *csv = sb_test_write(dir, "s.csv",
        "pid,session,two_1,two_2\n"
        "A,1,6,6\nA,2,6,6\nA,3,6,6\nA,4,3,3\nA,5,3,3\nA,6,3,3\n");
    sb_test_run r = sb_test_cli("change", inst, csv, "--id", "pid", "--date",
                                "session", "--sudden", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out,
        "id,score,kind,from_date,to_date,pre,post,magnitude,mean_before,"
        "mean_after,t\n"
        "A,total,gain,3,4,6.0000,3.0000,3.0000,6.0000,3.0000,-inf\n");
    sb_test_run_free(&r);
    free(inst);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

static void input_errors(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *inst = sb_test_write(dir, "two.yaml", instrument);
    struct { const char *csv; const char *needle; } bad[] = {
        {"pid,day,two_1,two_2\nA,2024-01-01,1,1\nA,2024-01-01,2,2\n",
         "two administrations on '2024-01-01' (lines 2 and 3)"},
        {"pid,day,two_1,two_2\nA,2024-02-30,1,1\n", "'2024-02-30' is not a date"},
        {"pid,day,two_1,two_2\nA,01/02/2024,1,1\n", "is not a date"},
        {"pid,day,two_1,two_2\nA,2024-01-01,1,1\nA,3,1,1\n", "mixes dates"},
        {"pid,day,two_1,two_2\n,2024-01-01,1,1\n", "the id is empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *csv = sb_test_write(dir, "bad.csv", bad[i].csv);
        sb_test_run r = sb_test_cli("change", inst, csv, "--id", "pid", "--date",
                                    "day", NULL);
        assert_int_equal(r.exit_code, 2);
        if (!strstr(r.err, bad[i].needle))
            fprintf(stderr, "%s", r.err);
        assert_non_null(strstr(r.err, bad[i].needle));
        sb_test_run_free(&r);
        free(csv);
    }
    sb_test_run r = sb_test_cli("change", inst, "x.csv", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--id COL and --date COL"));
    sb_test_run_free(&r);
    free(inst);
    sb_test_rmtree(dir);
    free(dir);
}

/* A built-in without reliability: change is given, RCI and status are not. */
static void no_norms_said_plainly(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *csv = sb_test_write(dir, "rq.csv",
        "id,d,rq_1,rq_2,rq_3,rq_4\nA,1,2,6,5,5\nA,2,6,2,3,5\n");
    sb_test_run r = sb_test_cli("change", "rq", csv, "--id", "id", "--date", "d", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "A,1,2,secure,2.0000,6.0000,4.0000,,,,,,,,"
                                  "no reliable change index: no reliability "
                                  "and no SD for scores on 1-7 in the "
                                  "instrument file or the options (give "
                                  "--reliability secure=R --sd secure=SD)\n"));
    /* and once on standard error, naming every score concerned */
    assert_string_equal(r.err,
        "securebase change: no reliable change index for secure, fearful, "
        "preoccupied, dismissing, model_of_self, model_of_other: no "
        "reliability and no SD for scores on 1-7 in the instrument file or "
        "the options\n");
    sb_test_run_free(&r);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}


/* The same visits grouped by person or not give the same output: grouped
 * files are streamed a person at a time, others sorted. */
static void grouped_or_not_same_output(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *inst = sb_test_write(dir, "two.yaml", instrument);
    char *grouped = sb_test_write(dir, "g.csv",
        "pid,day,two_1,two_2\n"
        "B,2024-03-01,2,2\nB,2024-01-01,6,6\nB,2024-02-01,5,5\n"
        "A,2024-01-01,6,6\nA,2024-02-01,3,3\n");
    char *mixed = sb_test_write(dir, "m.csv",
        "pid,day,two_1,two_2\n"
        "B,2024-03-01,2,2\nA,2024-01-01,6,6\nB,2024-01-01,6,6\n"
        "A,2024-02-01,3,3\nB,2024-02-01,5,5\n");
    sb_test_run g = sb_test_cli("change", inst, grouped, "--id", "pid",
                                "--date", "day", NULL);
    sb_test_run m = sb_test_cli("change", inst, mixed, "--id", "pid",
                                "--date", "day", NULL);
    assert_int_equal(g.exit_code, 0);
    assert_int_equal(m.exit_code, 0);
    /* B: 6 -> 5 (RCI -2.8284), 6 -> 2 (-11.3137); A: 6 -> 3 (-8.4853) */
    const char *want =
        "id,first_date,date,score,first,value,change,reliability,sd,rci,"
        "cutoff_a,cutoff_b,cutoff_c,status,note\n"
        "B,2024-01-01,2024-02-01,total,6.0000,5.0000,-1.0000,0.7500,0.5000,"
        "-2.8284,4.0000,5.0000,4.3333,improved,\n"
        "B,2024-01-01,2024-03-01,total,6.0000,2.0000,-4.0000,0.7500,0.5000,"
        "-11.3137,4.0000,5.0000,4.3333,recovered,\n"
        "A,2024-01-01,2024-02-01,total,6.0000,3.0000,-3.0000,0.7500,0.5000,"
        "-8.4853,4.0000,5.0000,4.3333,recovered,\n";
    assert_string_equal(g.out, want);
    assert_string_equal(m.out, want);
    sb_test_run_free(&g);
    sb_test_run_free(&m);
    /* written to a file: the same bytes, private to the owner (0600) */
    char file[1024];
    snprintf(file, sizeof file, "%s/changes.csv", dir);
    g = sb_test_cli("change", inst, grouped, "--id", "pid", "--date", "day",
                    "--out", file, NULL);
    assert_int_equal(g.exit_code, 0);
    char *written = sb_test_slurp(file);
    assert_non_null(written);
    assert_string_equal(written, want);
    free(written);
    struct stat sb;
    assert_int_equal(stat(file, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    sb_test_run_free(&g);
    /* a grouped file with an error late in it: nothing is written */
    char *late = sb_test_write(dir, "late.csv",
        "pid,day,two_1,two_2\nA,2024-01-01,6,6\nA,2024-02-01,3,3\n"
        "B,2024-01-01,6,6\nB,2024-01-01,5,5\n");
    char out[1024];
    snprintf(out, sizeof out, "%s/out.csv", dir);
    g = sb_test_cli("change", inst, late, "--id", "pid", "--date", "day", NULL);
    assert_int_equal(g.exit_code, 2);
    assert_string_equal(g.out, "");
    assert_non_null(strstr(g.err, "person 'B' has two administrations on "
                                  "'2024-01-01' (lines 4 and 5)"));
    sb_test_run_free(&g);
    g = sb_test_cli("change", inst, late, "--id", "pid", "--date", "day",
                    "--out", out, NULL);
    assert_int_equal(g.exit_code, 2);
    assert_null(sb_test_slurp(out));
    sb_test_run_free(&g);
    free(late);
    free(inst);
    free(grouped);
    free(mixed);
    sb_test_rmtree(dir);
    free(dir);
}

/* ECR-R items 1-36 with every score equal to v (reverse-keyed items 8 - v). */
static void ecr_r_row(char *buf, size_t size, const char *id, const char *day,
                      int anxiety, int avoidance)
{
    static const int rev[] = {9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36};
    size_t len = (size_t)snprintf(buf, size, "%s,%s", id, day);
    for (int i = 1; i <= 36; i++) {
        int v = i <= 18 ? anxiety : avoidance, r = 0;
        for (size_t j = 0; j < sizeof rev / sizeof rev[0]; j++)
            r |= rev[j] == i;
        len += (size_t)snprintf(buf + len, size - len, ",%d", r ? 8 - v : v);
    }
    snprintf(buf + len, size - len, "\n");
}

/* The built-in ECR-R has no reliability or SD: a clinician's own figures. */
static void ecr_r_with_own_figures(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char text[4096], row[256];
    size_t len = (size_t)snprintf(text, sizeof text, "id,day");
    for (int i = 1; i <= 36; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, ",ecr_r_%d", i);
    len += (size_t)snprintf(text + len, sizeof text - len, "\n");
    ecr_r_row(row, sizeof row, "P1", "2024-01-10", 6, 6);
    len += (size_t)snprintf(text + len, sizeof text - len, "%s", row);
    ecr_r_row(row, sizeof row, "P1", "2024-04-10", 3, 5);
    snprintf(text + len, sizeof text - len, "%s", row);
    char *csv = sb_test_write(dir, "ecr.csv", text);
    sb_test_run r = sb_test_cli("change", "ecr-r", csv, "--id", "id", "--date",
                                "day", "--reliability", "anxiety=0.9", "--sd",
                                "anxiety=1.2", "--reliability", "avoidance=.85",
                                "--sd", "avoidance=1", NULL);
    assert_int_equal(r.exit_code, 0);
    /* anxiety: S_diff = sqrt(2) * 1.2 * sqrt(0.1) = 0.53666, RCI = -3 /
     * 0.53666 = -5.5902; avoidance: sqrt(2) * 1 * sqrt(0.15) = 0.54772,
     * RCI = -1 / 0.54772 = -1.8257, not reliable. No norms: no cutoffs, so
     * a reliable improvement is "improved", never "recovered". */
    assert_string_equal(r.out,
        "id,first_date,date,score,first,value,change,reliability,sd,rci,"
        "cutoff_a,cutoff_b,cutoff_c,status,note\n"
        "P1,2024-01-10,2024-04-10,anxiety,6.0000,3.0000,-3.0000,0.9000,"
        "1.2000,-5.5902,,,,improved,\n"
        "P1,2024-01-10,2024-04-10,avoidance,6.0000,5.0000,-1.0000,0.8500,"
        "1.0000,-1.8257,,,,unchanged,\n");
    assert_string_equal(r.err, "");
    sb_test_run_free(&r);
    /* only the reliability of anxiety: its SD is missing, and avoidance
     * has neither; both are said in the note and on standard error */
    r = sb_test_cli("change", "ecr-r", csv, "--id", "id", "--date", "day",
                    "--reliability", "anxiety=0.9", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out,
        "P1,2024-01-10,2024-04-10,anxiety,6.0000,3.0000,-3.0000,0.9000,,,,,,,"
        "no reliable change index: no SD for scores on 1-7 in the instrument "
        "file or the options (give --sd anxiety=SD)\n"));
    assert_string_equal(r.err,
        "securebase change: no reliable change index for anxiety: no SD for "
        "scores on 1-7 in the instrument file or the options\n"
        "securebase change: no reliable change index for avoidance: no "
        "reliability and no SD for scores on 1-7 in the instrument file or "
        "the options\n");
    sb_test_run_free(&r);
    /* --sudden says which scores it could not look at */
    r = sb_test_cli("change", "ecr-r", csv, "--id", "id", "--date", "day",
                    "--sudden", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, "id,score,kind,from_date,to_date,pre,post,"
                               "magnitude,mean_before,mean_after,t\n");
    assert_non_null(strstr(r.err, "no sudden gains or losses looked for in "
                                  "anxiety, avoidance: no reliability and no SD"));
    sb_test_run_free(&r);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

/* ECR-RS: the file's 30-day retest figures (.80 parents, .65 partner) with
 * an SD given on the command line; --reliability takes precedence. */
static void ecr_rs_file_retest_with_given_sd(void **state)
{
    (void)state;
    static const char *const targets[] = {"mother", "father", "partner", "friend"};
    char *dir = sb_test_tmpdir();
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof text, "id,day");
    for (int t = 0; t < 4; t++)
        for (int i = 1; i <= 9; i++)
            len += (size_t)snprintf(text + len, sizeof text - len,
                                    ",ecr_rs_%s_%d", targets[t], i);
    /* avoidance (items 1-6, 1-4 reverse-keyed) and anxiety (7-9) per target */
    static const int visit[2][4][2] = {{{2, 3}, {3, 3}, {5, 5}, {4, 4}},
                                       {{4, 3}, {3, 3}, {3, 3}, {4, 4}}};
    for (int v = 0; v < 2; v++) {
        len += (size_t)snprintf(text + len, sizeof text - len, "\nR1,%d", v + 1);
        for (int t = 0; t < 4; t++)
            for (int i = 1; i <= 9; i++) {
                int x = i <= 6 ? visit[v][t][0] : visit[v][t][1];
                len += (size_t)snprintf(text + len, sizeof text - len, ",%d",
                                        i <= 4 ? 8 - x : x);
            }
    }
    snprintf(text + len, sizeof text - len, "\n");
    char *csv = sb_test_write(dir, "rs.csv", text);
    sb_test_run r = sb_test_cli("change", "ecr-rs", csv, "--id", "id", "--date",
                                "day", "--sd", "partner_avoidance=1.1", "--sd",
                                "partner_anxiety=1.1", "--reliability",
                                "partner_anxiety=0.9", "--sd",
                                "mother_avoidance=0.9", NULL);
    assert_int_equal(r.exit_code, 0);
    /* partner avoidance 5 -> 3 with the file's .65: S_diff = sqrt(2) * 1.1 *
     * sqrt(0.35) = 0.92033, RCI = -2.1731; partner anxiety with .9 given:
     * S_diff = sqrt(2) * 1.1 * sqrt(0.1) = 0.49193, RCI = -4.0656; mother
     * avoidance 2 -> 4 with the file's .80: S_diff = sqrt(2) * 0.9 *
     * sqrt(0.2) = 0.56921, RCI = 3.5136 */
    assert_non_null(strstr(r.out, "R1,1,2,partner_avoidance,5.0000,3.0000,"
                                  "-2.0000,0.6500,1.1000,-2.1731,,,,improved,\n"));
    assert_non_null(strstr(r.out, "R1,1,2,partner_anxiety,5.0000,3.0000,"
                                  "-2.0000,0.9000,1.1000,-4.0656,,,,improved,\n"));
    assert_non_null(strstr(r.out, "R1,1,2,mother_avoidance,2.0000,4.0000,"
                                  "2.0000,0.8000,0.9000,3.5136,,,,deteriorated,\n"));
    /* father anxiety has the file's .80 but no SD; friend has neither */
    assert_non_null(strstr(r.out, "R1,1,2,father_anxiety,3.0000,3.0000,0.0000,"
                                  "0.8000,,,,,,,no reliable change index: no SD"));
    assert_non_null(strstr(r.out, "R1,1,2,friend_anxiety,4.0000,4.0000,0.0000,"
                                  ",,,,,,,no reliable change index: no "
                                  "reliability and no SD"));
    assert_non_null(strstr(r.err, "no reliable change index for mother_anxiety, "
                                  "father_avoidance, father_anxiety: no SD"));
    assert_non_null(strstr(r.err, "no reliable change index for "
                                  "friend_avoidance, friend_anxiety, avoidance, "
                                  "anxiety: no reliability and no SD"));
    sb_test_run_free(&r);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

/* --reliability and --sd are parsed strictly. */
static void figure_option_errors(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *inst = sb_test_write(dir, "two.yaml", instrument);
    char *csv = sb_test_write(dir, "v.csv",
        "pid,day,two_1,two_2\nA,2024-01-01,6,6\nA,2024-02-01,3,3\n");
    struct { const char *opt, *arg, *needle; } bad[] = {
        {"--reliability", "total", "expects SCORE=VALUE"},
        {"--reliability", "=0.8", "expects SCORE=VALUE"},
        {"--reliability", "total=", "expects SCORE=VALUE"},
        {"--reliability", "total=0.8x", "'0.8x' after '=' is not a number"},
        {"--reliability", "total= 0.8", "' 0.8' after '=' is not a number"},
        {"--reliability", "total=+0.8", "'+0.8' after '=' is not a number"},
        {"--reliability", "total=0x1p-1", "'0x1p-1' after '=' is not a number"},
        {"--reliability", "total=nan", "'nan' after '=' is not a number"},
        {"--reliability", "total=1", "total=1: a reliability must be at least "
                                     "0 and below 1"},
        {"--reliability", "total=-0.2", "at least 0 and below 1"},
        {"--sd", "total=0", "total=0: an SD must be above 0"},
        {"--sd", "total=-1", "an SD must be above 0"},
        {"--sd", "total=1e999", "'1e999' after '=' is not a number"},
        {"--sd", "totl=1", "--sd: 'totl' is not a score of two (its scores: "
                           "total)"},
        {"--reliability", "Total=0.8", "'Total' is not a score of two"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sb_test_run r = sb_test_cli("change", inst, csv, "--id", "pid", "--date",
                                    "day", bad[i].opt, bad[i].arg, NULL);
        assert_int_equal(r.exit_code, 2);
        assert_string_equal(r.out, "");
        if (!strstr(r.err, bad[i].needle))
            fprintf(stderr, "%s %s: %s", bad[i].opt, bad[i].arg, r.err);
        assert_non_null(strstr(r.err, bad[i].needle));
        sb_test_run_free(&r);
    }
    sb_test_run r = sb_test_cli("change", inst, csv, "--id", "pid", "--date",
                                "day", "--sd", "total=1", "--sd", "total=2", NULL);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--sd is given twice for 'total'"));
    sb_test_run_free(&r);
    /* given figures replace the file's: r .5, SD 2 -> S_diff = 2, RCI -1.5 */
    r = sb_test_cli("change", inst, csv, "--id", "pid", "--date", "day",
                    "--sd", "total=2", "--reliability", "total=0.5", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, ",-3.0000,0.5000,2.0000,-1.5000,4.0000,5.0000,"
                                  "4.3333,unchanged,\n"));
    sb_test_run_free(&r);
    free(inst);
    free(csv);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reliable_change_by_hand),
        cmocka_unit_test(sudden_gain_by_sessions),
        cmocka_unit_test(formula_like_ids_are_neutralised),
        cmocka_unit_test(input_errors),
        cmocka_unit_test(no_norms_said_plainly),
        cmocka_unit_test(grouped_or_not_same_output),
        cmocka_unit_test(ecr_r_with_own_figures),
        cmocka_unit_test(ecr_rs_file_retest_with_given_sd),
        cmocka_unit_test(figure_option_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
