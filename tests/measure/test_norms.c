/*
 * Local norms: N, mean, SD and alpha worked out by hand on four intake
 * rows, the norms file written and read back, every field of a hostile file
 * refused with its line and column, and the real openpsychometrics data.
 */
#include "support.h"

#include <securebase/measure.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Four items on 1-5: a = items 1-2, b = items 3-4 with item 4 reversed. */
static const char instrument[] =
    "name: t\ntitle: T\nsource: s\nitems: 4\nscale: 1-5\nkey_source: k\n"
    "missing_rule: m\nreversed: [4]\nsubscales:\n"
    "  - {name: a, items: [1-2], higher: worse}\n"
    "  - {name: b, items: [3-4], max_missing: 1, higher: worse}\n";

/*
 * a: 1.5, 2, 3.5, 4 -> mean 2.75, SD sqrt(4.25 / 3) = 1.19024; alpha of
 * items (1,2,3,4) and (2,2,4,4): variances 5/3 and 4/3, covariance 4/3,
 * alpha = 2 (1 - 3 / (17/3)) = 16/17 = .941176.
 * b (item 4 keyed 6 - x): 2.5, 4, 5, 3 (row 4 prorated) -> mean 3.625,
 * SD sqrt(3.6875 / 3) = 1.10868; alpha on rows 1-3 of (3,4,5) and (2,4,5):
 * variances 1 and 7/3, covariance 3/2, alpha = 2 (1 - (10/3) / (19/3)) =
 * 18/19 = .947368, 3 complete cases.
 */
static const char intake[] =
    "t_1,t_2,t_3,t_4\n1,2,3,4\n2,2,4,2\n3,4,5,1\n4,4,,3\n";

static sb_status add(void *ctx, const sb_scored_row *row, sb_error *err)
{
    return sb_norms_add(ctx, row, err);
}

static sb_instrument *load(void)
{
    sb_instrument *inst;
    sb_error err;
    if (sb_instrument_load_text(instrument, strlen(instrument), "t.yaml", &inst,
                                &err))
        fail_msg("%s", err.message);
    return inst;
}

static sb_norms *build(const sb_instrument *inst, const char *csv)
{
    sb_norms *nm;
    sb_scorer *sc;
    sb_error err;
    sb_scale five = {1, 5};
    assert_int_equal(sb_norms_new(inst, five, 1, &nm, &err), SB_OK);
    sb_scorer_options o = {0};
    o.origin = "intake.csv";
    assert_int_equal(sb_scorer_new(inst, &o, add, nm, &sc, &err), SB_OK);
    assert_int_equal(sb_scorer_feed(sc, csv, strlen(csv), &err), SB_OK);
    assert_int_equal(sb_scorer_finish(sc, &err), SB_OK);
    sb_scorer_free(sc);
    assert_int_equal(sb_norms_finish(nm, "2026-03-01", "intake.csv", &err),
                     SB_OK);
    return nm;
}

static char *written(const sb_norms *nm)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(sb_norms_write(nm, out, NULL), SB_OK);
    fclose(out);
    return buf;
}

static void by_hand(void **state)
{
    (void)state;
    sb_instrument *inst = load();
    sb_norms *nm = build(inst, intake);
    sb_norms_entry e;
    sb_norms_entry_get(nm, 0, &e);
    assert_true(e.present);
    assert_float_equal(e.n, 4, 0);
    assert_near(e.mean, 2.75, 1e-12);
    assert_near(e.sd, sqrt(4.25 / 3), 1e-12);
    assert_near(e.alpha, 16.0 / 17, 1e-12);
    assert_float_equal(e.alpha_n, 4, 0);
    sb_norms_entry_get(nm, 1, &e);
    assert_near(e.mean, 3.625, 1e-12);
    assert_near(e.sd, sqrt(3.6875 / 3), 1e-12);
    assert_near(e.alpha, 18.0 / 19, 1e-12);
    assert_float_equal(e.alpha_n, 3, 0);
    char *text = written(nm);
    assert_string_equal(text,
        "instrument,score,scale,population,n,mean,sd,alpha,alpha_n,date,source\n"
        "t,a,1-5,clinical,4,2.7500,1.1902,0.9412,4,2026-03-01,intake.csv\n"
        "t,b,1-5,clinical,4,3.6250,1.1087,0.9474,3,2026-03-01,intake.csv\n");
    free(text);
    sb_norms_free(nm);
    sb_instrument_free(inst);
}

/* What is written is what is read, as the figures change and reports use. */
static void round_trip(void **state)
{
    (void)state;
    sb_instrument *inst = load();
    sb_norms *nm = build(inst, intake);
    char *text = written(nm);
    sb_norms_free(nm);
    sb_error err;
    assert_int_equal(sb_norms_load_text(text, strlen(text), "n.csv", inst, &nm,
                                        &err), SB_OK);
    sb_scale five = {1, 5}, seven = {1, 7};
    const sb_norm *a = sb_norms_norm(nm, 0, five);
    assert_non_null(a);
    assert_near(a->mean, 2.75, 1e-12);
    assert_near(a->sd, 1.1902, 1e-12);
    assert_float_equal(a->n, 4, 0);
    assert_true(a->dysfunctional);
    assert_non_null(strstr(a->sample, "local clinical sample: 4 administrations"));
    assert_non_null(strstr(a->sample, "intake.csv, 2026-03-01"));
    const sb_reliability *r = sb_norms_reliability(nm, 1, five);
    assert_non_null(r);
    assert_near(r->value, 0.9474, 1e-12);
    assert_false(r->retest);
    assert_float_equal(r->n, 3, 0);
    assert_null(sb_norms_norm(nm, 0, seven));
    assert_null(sb_norms_reliability(nm, 0, seven));
    assert_string_equal(sb_norms_date(nm), "2026-03-01");
    assert_string_equal(sb_norms_label(nm), "intake.csv");
    char *again = written(nm);
    assert_string_equal(again, text);
    free(again);
    free(text);
    sb_norms_free(nm);
    sb_instrument_free(inst);
}

/* A score that never varies, a derived score, too few rows. */
static void what_gets_no_row(void **state)
{
    (void)state;
    sb_instrument *inst;
    assert_int_equal(sb_instrument_builtin("rq", &inst, NULL), SB_OK);
    sb_norms *nm;
    sb_scorer *sc;
    sb_scale seven = {1, 7};
    assert_int_equal(sb_norms_new(inst, seven, 0, &nm, NULL), SB_OK);
    assert_int_equal(sb_scorer_new(inst, NULL, add, nm, &sc, NULL), SB_OK);
    const char *csv = "rq_1,rq_2,rq_3,rq_4\n6,2,3,5\n6,3,1,5\n6,4,,5\n";
    assert_int_equal(sb_scorer_feed(sc, csv, strlen(csv), NULL), SB_OK);
    assert_int_equal(sb_scorer_finish(sc, NULL), SB_OK);
    sb_scorer_free(sc);
    assert_int_equal(sb_norms_finish(nm, "2026-01-01", "x", NULL), SB_OK);
    sb_norms_entry e;
    sb_norms_entry_get(nm, 0, &e); /* secure: always 6 */
    assert_false(e.present);
    sb_norms_entry_get(nm, 1, &e); /* fearful 2, 3, 4 */
    assert_true(e.present);
    assert_near(e.sd, 1, 1e-12);
    assert_true(isnan(e.alpha)); /* a single rating has no alpha */
    sb_norms_entry_get(nm, 4, &e); /* model of self: rows 1 and 2 only */
    assert_true(e.present);
    assert_float_equal(e.n, 2, 0);
    assert_near(e.mean, (6.0 + 7.0) / 2, 1e-12); /* (6+5)-(2+3), (6+5)-(3+1) */
    char *text = written(nm);
    assert_null(strstr(text, "rq,secure,"));
    assert_non_null(strstr(text, "rq,fearful,1-7,general,3,3.0000,1.0000,,,"));
    free(text);
    sb_error err;
    assert_int_equal(sb_norms_finish(nm, "2026-02-30", "x", &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "YYYY-MM-DD"));
    assert_int_equal(sb_norms_finish(nm, "2026-02-01", "a \"b\"", &err),
                     SB_ERR_INVALID);
    assert_int_equal(sb_norms_finish(nm, "2026-02-01", "", &err), SB_ERR_INVALID);
    sb_norms_free(nm);
    sb_instrument_free(inst);
}

#define HEADER "instrument,score,scale,population,n,mean,sd,alpha,alpha_n," \
               "date,source\n"
#define ROW_A "t,a,1-5,clinical,4,2.75,1.19,0.94,4,2026-03-01,intake\n"

static void expect_refused(const sb_instrument *inst, const char *text,
                           unsigned long line, unsigned long col,
                           const char *needle)
{
    sb_norms *nm = (sb_norms *)1;
    sb_error err;
    sb_error_clear(&err);
    sb_status st = sb_norms_load_text(text, strlen(text), "n.csv", inst, &nm,
                                      &err);
    if (st == SB_OK || !strstr(err.message, needle) || err.line != line ||
        err.column != col)
        fail_msg("%s\n-> %d at %lu:%lu: %s", text, st, err.line, err.column,
                 err.message);
    assert_null(nm);
    assert_string_equal(err.file, "n.csv");
}

static void hostile_files(void **state)
{
    (void)state;
    sb_instrument *inst = load();
    expect_refused(inst, "", 0, 0, "the norms file is empty");
    expect_refused(inst, HEADER, 0, 0, "no rows of figures");
    expect_refused(inst, "score,n\nb,3\n", 1, 0, "not a norms file");
    expect_refused(inst, HEADER "ecr,a,1-5,clinical,4,2.75,1.19,0.94,4,"
                   "2026-03-01,x\n", 2, 1, "'ecr', not for t");
    expect_refused(inst, HEADER "t,c,1-5,clinical,4,2,1,,,2026-03-01,x\n", 2, 2,
                   "'c' is not a score");
    expect_refused(inst, HEADER ROW_A ROW_A, 3, 2, "'a' has two rows");
    expect_refused(inst, HEADER "t,a,5-1,clinical,4,2,1,,,2026-03-01,x\n", 2, 3,
                   "not a scale");
    expect_refused(inst, HEADER "t,a,1-5,clinic,4,2,1,,,2026-03-01,x\n", 2, 4,
                   "neither clinical nor general");
    expect_refused(inst, HEADER "t,a,1-5,clinical,1,2,1,,,2026-03-01,x\n", 2, 5,
                   "whole number of at least 2");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4.5,2,1,,,2026-03-01,x\n", 2,
                   5, "whole number");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,nan,1,,,2026-03-01,x\n", 2, 6,
                   "'nan' is not a number");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,0x2,1,,,2026-03-01,x\n", 2, 6,
                   "'0x2' is not a number");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,1e0,,,2026-03-01,x\n", 2, 7,
                   "'1e0' is not an SD");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,0,,,2026-03-01,x\n", 2, 7,
                   "'0' is not an SD above 0");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,-1,,,2026-03-01,x\n", 2, 7,
                   "not an SD above 0");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,1,1.0,4,2026-03-01,x\n", 2,
                   8, "'1.0' is not a reliability in [0, 1)");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,1,-0.2,4,2026-03-01,x\n", 2,
                   8, "reliability");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,1,0.8,,2026-03-01,x\n", 2, 9,
                   "together or not at all");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,1,0.8,5,2026-03-01,x\n", 2,
                   9, "from 2 to n");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,1,,,2026-02-30,x\n", 2, 10,
                   "not a date");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,1,,,26-02-03,x\n", 2, 10,
                   "not a date");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,1,,,2026-03-01,\n", 2, 11,
                   "the source must be");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,1,,,2026-03-01,\"a\tb\"\n", 2,
                   11, "printable");
    expect_refused(inst, HEADER ROW_A
                   "t,b,1-5,clinical,4,2,1,,,2026-03-02,intake\n", 3, 0,
                   "must share scale, population, date and source");
    expect_refused(inst, HEADER ROW_A
                   "t,b,1-7,clinical,4,2,1,,,2026-03-01,intake\n", 3, 0,
                   "must share");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,1,,,2026-03-01\n", 2, 0,
                   "has 10 fields, the header 11");
    expect_refused(inst, HEADER "t,a,1-5,clinical,4,2,1,,,2026-03-01,\"x\n", 2, 11,
                   "quoted field is not closed");
    sb_instrument_free(inst);
}

static void file_limits(void **state)
{
    (void)state;
    sb_instrument *inst = load();
    char *dir = sb_test_tmpdir();
    char *big = malloc((1u << 20) + 100);
    assert_non_null(big);
    memset(big, 'x', (1u << 20) + 99);
    big[(1u << 20) + 99] = '\0';
    char *path = sb_test_write(dir, "big.csv", big);
    sb_norms *nm;
    sb_error err;
    assert_int_equal(sb_norms_load_file(path, inst, &nm, &err), SB_ERR_INVALID);
    free(path);
    path = sb_test_write(dir, "ok.csv", HEADER ROW_A);
    assert_int_equal(sb_norms_load_file(path, inst, &nm, &err), SB_OK);
    sb_norms_free(nm);
    assert_int_equal(sb_norms_load_file("/nonexistent/n.csv", inst, &nm, &err),
                     SB_ERR_IO);
    free(path);
    free(big);
    sb_test_rmtree(dir);
    free(dir);
    sb_instrument_free(inst);
}

/* The real data: 51,491 people, original ECR on 5 points, 0 = missing. */
static void real_data(void **state)
{
    (void)state;
    char path[4096];
    sb_test_shared_path("data/ecr-openpsychometrics/data.csv", path,
                        sizeof path);
    sb_instrument *inst;
    assert_int_equal(sb_instrument_builtin("ecr", &inst, NULL), SB_OK);
    sb_column_map *map;
    assert_int_equal(sb_column_map_pattern(inst, "Q{n}", &map, NULL), SB_OK);
    sb_scale five = {1, 5};
    sb_norms *nm;
    assert_int_equal(sb_norms_new(inst, five, 0, &nm, NULL), SB_OK);
    sb_scorer_options o = {0};
    o.scale = five;
    o.missing[0] = "0";
    o.missing_count = 1;
    o.map = map;
    o.origin = path;
    sb_scorer *sc;
    sb_error err;
    assert_int_equal(sb_scorer_new(inst, &o, add, nm, &sc, &err), SB_OK);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        assert_int_equal(sb_scorer_feed(sc, buf, n, &err), SB_OK);
    fclose(f);
    assert_int_equal(sb_scorer_finish(sc, &err), SB_OK);
    assert_int_equal(sb_norms_finish(nm, "2018-03-01", "openpsychometrics",
                                     &err), SB_OK);
    /* the README: alpha about .94 (avoidance) and .92 (anxiety); the rows
     * complete on each subscale, as `score --alpha` counts them */
    sb_norms_entry av, ax;
    sb_norms_entry_get(nm, 0, &av);
    sb_norms_entry_get(nm, 1, &ax);
    assert_string_equal(sb_instrument_score_name(inst, 0), "avoidance");
    assert_float_equal(round(av.alpha * 100) / 100, 0.94, 1e-9);
    assert_float_equal(round(ax.alpha * 100) / 100, 0.92, 1e-9);
    assert_float_equal(av.alpha_n, 48757, 0);
    assert_float_equal(ax.alpha_n, 48774, 0);
    /* scores with up to 3 of 18 items missing are prorated and counted */
    assert_float_equal(av.n, 51348, 0);
    assert_float_equal(ax.n, 51347, 0);
    /* close to the complete-case figures recorded in instruments/ecr.yaml
     * (mean 2.565, SD 0.840; mean 3.095, SD 0.803 on 46,610 rows) */
    assert_near(av.mean, 2.565, 0.005);
    assert_near(av.sd, 0.840, 0.005);
    assert_near(ax.mean, 3.095, 0.005);
    assert_near(ax.sd, 0.803, 0.005);
    sb_scorer_free(sc);
    sb_norms_free(nm);
    sb_column_map_free(map);
    sb_instrument_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(by_hand),
        cmocka_unit_test(round_trip),
        cmocka_unit_test(what_gets_no_row),
        cmocka_unit_test(hostile_files),
        cmocka_unit_test(file_limits),
        cmocka_unit_test(real_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
