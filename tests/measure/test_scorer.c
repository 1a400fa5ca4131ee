/*
 * Tests for src/measure/scorer.c: survey exports streamed through the
 * scorer, every per-row error path, and the real openpsychometrics ECR data
 * (alpha must come out as the data's README states).
 */
#include "support.h"

#include <securebase/measure.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct got {
    size_t rows, flagged;
    double first[8];
    char id[32], date[32], error[512];
    char category[SB_CATEGORY_MAX];
} got;

static sb_status keep(void *ctx, const sb_scored_row *row, sb_error *err)
{
    (void)err;
    got *g = ctx;
    if (g->rows == 0) {
        for (size_t i = 0; i < row->scores->count && i < 8; i++)
            g->first[i] = row->scores->value[i];
        snprintf(g->id, sizeof g->id, "%s", row->id);
        snprintf(g->date, sizeof g->date, "%s", row->date);
        snprintf(g->category, sizeof g->category, "%s", row->scores->category);
    }
    if (row->error) {
        g->flagged++;
        snprintf(g->error, sizeof g->error, "%s", row->error);
    }
    g->rows++;
    return SB_OK;
}

static sb_status run(const char *inst_name, const sb_scorer_options *o,
                     const char *csv, got *g, sb_error *err)
{
    sb_instrument *inst;
    assert_int_equal(sb_instrument_builtin(inst_name, &inst, NULL), SB_OK);
    memset(g, 0, sizeof *g);
    sb_scorer *s;
    sb_status st = sb_scorer_new(inst, o, keep, g, &s, err);
    if (!st)
        st = sb_scorer_feed(s, csv, strlen(csv), err);
    if (!st)
        st = sb_scorer_finish(s, err);
    sb_scorer_free(s);
    sb_instrument_free(inst);
    return st;
}

#define RQ_HEAD "pid,when,rq_1,rq_2,rq_3,rq_4\n"

static void scores_with_id_and_date(void **state)
{
    (void)state;
    sb_scorer_options o = {0};
    o.id_column = "pid";
    o.date_column = "when";
    got g;
    sb_error err;
    assert_int_equal(run("rq", &o, RQ_HEAD "p1,2024-01-05,6,2,3,5\np2,2024-01-06,1,7,1,1\n",
                         &g, &err), SB_OK);
    assert_int_equal(g.rows, 2);
    assert_string_equal(g.id, "p1");
    assert_string_equal(g.date, "2024-01-05");
    assert_float_equal(g.first[4], 6.0, 1e-12);
    assert_string_equal(g.category, "secure");
}

static void missing_codes_and_scale(void **state)
{
    (void)state;
    sb_scorer_options o = {0};
    o.scale.min = 0;
    o.scale.max = 4;
    o.missing[0] = "-99";
    o.missing_count = 1;
    got g;
    sb_error err;
    /* on 0-4, reversed answers are 4 - x; anxiety of ECR-S: 2,4,6,8r,10,12 */
    const char *csv = "ecr_s_1,ecr_s_2,ecr_s_3,ecr_s_4,ecr_s_5,ecr_s_6,ecr_s_7,"
                      "ecr_s_8,ecr_s_9,ecr_s_10,ecr_s_11,ecr_s_12\n"
                      "0,1,2,3,4,-99,0,1,2,3,4, \n";
    assert_int_equal(run("ecr-s", &o, csv, &g, &err), SB_OK);
    /* anxiety: 1, 3, missing, 4 - 1 = 3, 3, missing -> 2 missing > 1 allowed */
    assert_true(isnan(g.first[0]));
    /* avoidance: 4 - 0, 2, 4 - 4, 0, 4 - 2, 4 = 4 + 2 + 0 + 0 + 2 + 4 */
    assert_float_equal(g.first[1], 12.0 / 6, 1e-12);
}

/* Each bad cell stops the run with line, column and the value. */
static void bad_cells(void **state)
{
    (void)state;
    struct { const char *row; const char *needle; unsigned long col; } bad[] = {
        {"p,d,8,1,1,1\n", "answer '8' is outside the scale 1-7", 3},
        {"p,d,1,x,1,1\n", "answer 'x' is not a number", 4},
        {"p,d,1,1,2.5,1\n", "not a whole number", 5},
        {"p,d,1,1,2.01,1\n", "answer '2.01' is not a whole number", 5},
        {"p,d,1,1,0x5,1\n", "answer '0x5' is not a number", 5},
        {"p,d,1,1,1e0,1\n", "answer '1e0' is not a number", 5},
        {"p,d,1,1,7.0,8.00\n", "answer '8.00' is outside the scale 1-7", 6},
        {"p,d,1,1,1,\"3,4\"\n", "more than one answer in one cell: '3,4'", 6},
        {"p,d,1,1,1,3/4\n", "more than one answer", 6},
        {"p,d,1,1,1\n", "has 5 fields, the header has 6", 5},
    };
    sb_scorer_options o = {0};
    o.origin = "x.csv";
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char csv[256];
        snprintf(csv, sizeof csv, RQ_HEAD "p,d,1,1,1,1\n%s", bad[i].row);
        got g;
        sb_error err;
        assert_int_equal(run("rq", &o, csv, &g, &err), SB_ERR_INVALID);
        assert_string_equal(err.file, "x.csv");
        assert_int_equal(err.line, 3);
        assert_int_equal(err.column, bad[i].col);
        assert_non_null(strstr(err.message, bad[i].needle));
        assert_non_null(strstr(err.message, "row 2"));
        assert_int_equal(g.rows, 1);
    }
}

/* "5.0" is the whole answer 5, as SPSS and R write it; it was once refused
 * as "not a whole number". */
static void zero_decimals_are_whole_answers(void **state)
{
    (void)state;
    sb_scorer_options o = {0};
    got g;
    sb_error err;
    assert_int_equal(run("rq", &o, RQ_HEAD "p,d,6.0,2.00,+3.0,5\n", &g, &err),
                     SB_OK);
    assert_int_equal(g.rows, 1);
    assert_float_equal(g.first[0], 6.0, 0);
    assert_float_equal(g.first[1], 2.0, 0);
    assert_float_equal(g.first[2], 3.0, 0);
    assert_float_equal(g.first[3], 5.0, 0);
    const char *not_whole[] = {"5.", "5.0x", ".0", "5.0.0", "5,0"};
    for (size_t i = 0; i < sizeof not_whole / sizeof not_whole[0]; i++) {
        char csv[128];
        snprintf(csv, sizeof csv, RQ_HEAD "p,d,\"%s\",1,1,1\n", not_whole[i]);
        if (run("rq", &o, csv, &g, &err) != SB_ERR_INVALID)
            fail_msg("'%s' was taken as an answer", not_whole[i]);
    }
}

/* A date column is read as `change` reads it: a date that does not exist
 * stops the run (or flags the row), an empty one is allowed. */
static void dates_are_checked(void **state)
{
    (void)state;
    sb_scorer_options o = {0};
    o.date_column = "when";
    o.origin = "x.csv";
    got g;
    sb_error err;
    assert_int_equal(run("rq", &o, RQ_HEAD "p,2026-02-28,1,1,1,1\n"
                                           "p,,1,1,1,1\n"
                                           "p,12,1,1,1,1\n"
                                           "p,2026-02-28T09:30,1,1,1,1\n",
                         &g, &err), SB_OK);
    assert_int_equal(g.rows, 4);
    const char *bad[] = {"2026-02-30", "2025-13-01", "01/02/2026",
                         "2026-02-28 25:00", "next week"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char csv[256];
        snprintf(csv, sizeof csv, RQ_HEAD "p,2026-01-01,1,1,1,1\np,%s,1,1,1,1\n",
                 bad[i]);
        assert_int_equal(run("rq", &o, csv, &g, &err), SB_ERR_INVALID);
        assert_int_equal(err.line, 3);
        assert_int_equal(err.column, 2);
        char want[160];
        snprintf(want, sizeof want, "row 2, column 'when': '%s' is not a date "
                 "(YYYY-MM-DD, optionally with a time) nor a session number",
                 bad[i]);
        assert_string_equal(err.message, want);
    }
    o.lenient = 1;
    assert_int_equal(run("rq", &o, RQ_HEAD "p,2026-02-30,1,1,1,1\n", &g, &err),
                     SB_OK);
    assert_int_equal(g.flagged, 1);
    assert_non_null(strstr(g.error, "'2026-02-30' is not a date"));
}

static void lenient_flags_rows(void **state)
{
    (void)state;
    sb_scorer_options o = {0};
    o.lenient = 1;
    got g;
    sb_error err;
    assert_int_equal(run("rq", &o, RQ_HEAD "p,d,9,1,1,1\np,d,1,1,1,1\np,d,1\n", &g, &err),
                     SB_OK);
    assert_int_equal(g.rows, 3);
    assert_int_equal(g.flagged, 2);
    assert_true(isnan(g.first[0]));
    assert_non_null(strstr(g.error, "line 4"));
}

static void header_problems(void **state)
{
    (void)state;
    sb_scorer_options o = {0};
    got g;
    sb_error err;
    assert_int_equal(run("rq", &o, "rq_1,rq_2,rq_3,rq_1,rq_4\n1,1,1,1,1\n", &g, &err),
                     SB_ERR_INVALID);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 4);
    assert_non_null(strstr(err.message, "'rq_1' appears twice"));
    assert_int_equal(run("rq", &o, "rq_1,rq_2,rq_3\n1,1,1\n", &g, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "no column 'rq_4'"));
    o.id_column = "who";
    assert_int_equal(run("rq", &o, RQ_HEAD, &g, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "no id column 'who'"));
    o.id_column = "rq_1";
    assert_int_equal(run("rq", &o, RQ_HEAD, &g, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "both the id and an item"));
    o.id_column = NULL;
    assert_int_equal(run("rq", &o, "", &g, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "empty"));
}

static void qualtrics_rows(void **state)
{
    (void)state;
    const char *csv = "Q1,Q2,Q3,Q4\n"
                      "\"Rate A\",\"Rate B\",\"Rate C\",\"Rate D\"\n"
                      "\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{}\",\"{}\",\"{}\"\n"
                      "7,1,2,3\n";
    sb_instrument *inst;
    assert_int_equal(sb_instrument_builtin("rq", &inst, NULL), SB_OK);
    sb_column_map *map;
    assert_int_equal(sb_column_map_pattern(inst, "Q{n}", &map, NULL), SB_OK);
    sb_instrument_free(inst);
    sb_scorer_options o = {0};
    o.map = map;
    got g;
    sb_error err;
    /* without --skip-rows the question-text row is an error with a hint */
    assert_int_equal(run("rq", &o, csv, &g, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "--skip-rows 2"));
    o.skip_rows = 2;
    assert_int_equal(run("rq", &o, csv, &g, &err), SB_OK);
    assert_int_equal(g.rows, 1);
    assert_float_equal(g.first[0], 7.0, 0);
    sb_column_map_free(map);
}

/* The real data: 51,491 people, original ECR on a 5-point scale, 0 = missing. */
static sb_status note_line(void *ctx, const sb_scored_row *row, sb_error *err)
{
    (void)err;
    char *lines = ctx;
    size_t n = strlen(lines);
    snprintf(lines + n, 64 - n, "%lu,", row->line);
    return SB_OK;
}

/* Old spreadsheet exports end lines with a CR alone: every row still has
 * its own line, in the output and in errors. */
static void cr_only_line_ends_give_real_lines(void **state)
{
    (void)state;
    sb_instrument *inst;
    assert_int_equal(sb_instrument_builtin("rq", &inst, NULL), SB_OK);
    sb_scorer_options o = {0};
    o.id_column = "pid";
    char lines[64] = "";
    sb_scorer *s;
    sb_error err;
    const char *ok = "pid,rq_1,rq_2,rq_3,rq_4\rp1,6,2,3,5\r\rp2,1,7,1,1\r"
                     "p3,1,1,1,1";
    assert_int_equal(sb_scorer_new(inst, &o, note_line, lines, &s, &err), SB_OK);
    assert_int_equal(sb_scorer_feed(s, ok, strlen(ok), &err), SB_OK);
    assert_int_equal(sb_scorer_finish(s, &err), SB_OK);
    sb_scorer_free(s);
    assert_string_equal(lines, "2,4,5,");
    const char *bad = "pid,rq_1,rq_2,rq_3,rq_4\rp1,6,2,3,5\rp2,1,x,1,1\r";
    got g;
    assert_int_equal(run("rq", &o, bad, &g, &err), SB_ERR_INVALID);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 3);
    sb_instrument_free(inst);
}

static void real_data_alpha(void **state)
{
    (void)state;
    char path[4200];
    sb_test_shared_path("data/ecr-openpsychometrics/data.csv", path,
                        sizeof path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    sb_instrument *inst;
    assert_int_equal(sb_instrument_builtin("ecr", &inst, NULL), SB_OK);
    sb_column_map *map;
    assert_int_equal(sb_column_map_pattern(inst, "Q{n}", &map, NULL), SB_OK);
    sb_scorer_options o = {0};
    o.scale.min = 1;
    o.scale.max = 5;
    o.missing[0] = "0";
    o.missing_count = 1;
    o.map = map;
    o.alpha = 1;
    o.origin = path;
    got g;
    memset(&g, 0, sizeof g);
    sb_scorer *s;
    sb_error err;
    assert_int_equal(sb_scorer_new(inst, &o, keep, &g, &s, &err), SB_OK);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        assert_int_equal(sb_scorer_feed(s, buf, n, &err), SB_OK);
    assert_int_equal(sb_scorer_finish(s, &err), SB_OK);
    fclose(f);
    assert_int_equal(g.rows, 51491);
    assert_int_equal(g.flagged, 0);
    sb_alpha_result avoid, anx;
    sb_alpha_compute(sb_scorer_alpha(s, 0), &avoid);
    assert_string_equal(sb_instrument_score_name(inst, 0), "avoidance");
    assert_int_equal(avoid.k, 18);
    assert_true(avoid.n > 46610 && avoid.n < 51491);
    assert_float_equal(round(avoid.alpha * 100) / 100, 0.94, 1e-9);
    sb_alpha_compute(sb_scorer_alpha(s, 1), &anx);
    assert_float_equal(round(anx.alpha * 100) / 100, 0.92, 1e-9);
    /* first row of the file, by hand: avoidance = (17 * 1 + 2) / 18 */
    assert_float_equal(g.first[0], 19.0 / 18, 1e-12);
    sb_scorer_free(s);
    sb_column_map_free(map);
    sb_instrument_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scores_with_id_and_date),
        cmocka_unit_test(missing_codes_and_scale),
        cmocka_unit_test(bad_cells),
        cmocka_unit_test(zero_decimals_are_whole_answers),
        cmocka_unit_test(dates_are_checked),
        cmocka_unit_test(lenient_flags_rows),
        cmocka_unit_test(header_problems),
        cmocka_unit_test(qualtrics_rows),
        cmocka_unit_test(cr_only_line_ends_give_real_lines),
        cmocka_unit_test(real_data_alpha),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
