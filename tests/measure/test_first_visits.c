/*
 * First visits: each person's earliest administration is kept whatever the
 * order of the rows, by calendar date or session number; its norms are
 * those of the intake rows worked out by hand in test_norms.c; bad ids and
 * dates are refused with their line; flagged rows are left out.
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

static sb_status add(void *ctx, const sb_scored_row *row, sb_error *err)
{
    return sb_first_visits_add(ctx, row, err);
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

/* Feeds `csv` (columns id, date, t_1..t_4); returns the status. */
static sb_status feed(const sb_instrument *inst, const char *csv, int lenient,
                      sb_first_visits **fv, sb_error *err)
{
    assert_int_equal(sb_first_visits_new(inst, "visits.csv", fv, err), SB_OK);
    sb_scorer *sc;
    sb_scorer_options o = {0};
    o.origin = "visits.csv";
    o.id_column = "id";
    o.date_column = "date";
    o.lenient = lenient;
    assert_int_equal(sb_scorer_new(inst, &o, add, *fv, &sc, err), SB_OK);
    sb_status st = sb_scorer_feed(sc, csv, strlen(csv), err);
    if (!st)
        st = sb_scorer_finish(sc, err);
    sb_scorer_free(sc);
    return st;
}

/*
 * The first visits are test_norms.c's intake rows (1,2,3,4), (2,2,4,2),
 * (3,4,5,1), (4,4,-,3): a has mean 2.75, SD sqrt(4.25 / 3) = 1.19024 and
 * alpha 16/17 = .941176; b has mean 3.625, SD sqrt(3.6875 / 3) = 1.10868
 * and alpha 18/19 = .947368 on the 3 complete rows.
 */
static void check_intake_figures(const sb_first_visits *fv,
                                 const sb_instrument *inst)
{
    sb_norms *nm;
    sb_error err;
    sb_scale five = {1, 5};
    assert_int_equal(sb_first_visits_people(fv), 4);
    assert_int_equal(sb_first_visits_norms(fv, five, "2026-03-01",
                                           "first visits in visits.csv", &nm,
                                           &err), SB_OK);
    sb_norms_entry e;
    sb_norms_entry_get(nm, 0, &e);
    assert_true(e.present);
    assert_true(e.n == 4);
    assert_true(fabs(e.mean - 2.75) < 1e-12);
    assert_true(fabs(e.sd - sqrt(4.25 / 3)) < 1e-12);
    assert_true(fabs(e.alpha - 16.0 / 17) < 1e-12);
    assert_true(e.alpha_n == 4);
    sb_norms_entry_get(nm, 1, &e);
    assert_true(fabs(e.mean - 3.625) < 1e-12);
    assert_true(fabs(e.sd - sqrt(3.6875 / 3)) < 1e-12);
    assert_true(fabs(e.alpha - 18.0 / 19) < 1e-12);
    assert_true(e.alpha_n == 3);
    /* labelled as a clinical sample on the answers' scale */
    assert_true(sb_norms_clinical(nm));
    assert_string_equal(sb_norms_label(nm), "first visits in visits.csv");
    const sb_norm *n = sb_norms_norm(nm, 0, five);
    assert_non_null(n);
    sb_scale seven = {1, 7};
    assert_null(sb_norms_norm(nm, 0, seven));
    sb_norms_free(nm);
    (void)inst;
}

/* Later visits before, after and between the first ones change nothing. */
static void earliest_whatever_the_order(void **state)
{
    (void)state;
    sb_instrument *inst = load();
    sb_first_visits *fv;
    sb_error err;
    assert_int_equal(feed(inst,
        "id,date,t_1,t_2,t_3,t_4\n"
        "D,2024-05-01,5,5,5,5\n"
        "A,2024-02-01 10:30,5,5,1,5\n"
        "A,2024-02-01 09:00,1,2,3,4\n"
        "B,2024-01-02,2,2,4,2\n"
        "C,2024-03-01,1,1,1,1\n"
        "C,2024-01-03T08:15,3,4,5,1\n"
        "D,2024-01-04,4,4,,3\n"
        "B,2024-06-01,5,1,5,1\n", 0, &fv, &err), SB_OK);
    check_intake_figures(fv, inst);
    sb_first_visits_free(fv);
    /* session numbers compare as numbers: 9 comes before 10 */
    assert_int_equal(feed(inst,
        "id,date,t_1,t_2,t_3,t_4\n"
        "A,10,5,5,5,5\nA,9,1,2,3,4\nB,2,2,2,4,2\nB,12,1,1,1,1\n"
        "C,3,3,4,5,1\nD,7,4,4,,3\nD,100,2,2,2,2\n", 0, &fv, &err), SB_OK);
    check_intake_figures(fv, inst);
    sb_first_visits_free(fv);
    sb_instrument_free(inst);
}

/* Bad ids and dates are refused with the line; flagged rows are skipped. */
static void hostile_rows(void **state)
{
    (void)state;
    sb_instrument *inst = load();
    static const struct {
        const char *csv, *needle;
        unsigned long line;
    } bad[] = {
        {"id,date,t_1,t_2,t_3,t_4\n,2024-01-01,1,1,1,1\n",
         "the person's id is empty", 2},
        {"id,date,t_1,t_2,t_3,t_4\nA,2024-02-30,1,1,1,1\n",
         "'2024-02-30' is not a date", 2},
        {"id,date,t_1,t_2,t_3,t_4\nA,yesterday,1,1,1,1\n",
         "'yesterday' is not a date", 2},
        {"id,date,t_1,t_2,t_3,t_4\nA,2024-01-01,1,1,1,1\nB,3,1,1,1,1\n",
         "'3': dates and session numbers mixed", 3},
        {"id,date,t_1,t_2,t_3,t_4\nA,1234567890,1,1,1,1\n",
         "'1234567890' is not a date", 2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sb_first_visits *fv;
        sb_error err;
        assert_int_not_equal(feed(inst, bad[i].csv, 0, &fv, &err), SB_OK);
        if (!strstr(err.message, bad[i].needle))
            fail_msg("case %zu: %s", i, err.message);
        assert_string_equal(err.file, "visits.csv");
        assert_int_equal(err.line, bad[i].line);
        sb_first_visits_free(fv);
    }
    /* lenient: a row with an answer off the scale is flagged, not kept as
     * A's first visit */
    sb_first_visits *fv;
    sb_error err;
    assert_int_equal(feed(inst,
        "id,date,t_1,t_2,t_3,t_4\n"
        "A,2024-01-01,9,9,9,9\nA,2024-02-01,1,2,3,4\nB,2024-01-02,2,2,4,2\n"
        "C,2024-01-03,3,4,5,1\nD,2024-01-04,4,4,,3\n", 1, &fv, &err), SB_OK);
    check_intake_figures(fv, inst);
    sb_first_visits_free(fv);
    sb_instrument_free(inst);
}

/* Many people: the table grows and every person is found again. */
static void many_people(void **state)
{
    (void)state;
    sb_instrument *inst = load();
    size_t cap = 5000 * 64, len = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    len += (size_t)snprintf(csv, cap, "id,date,t_1,t_2,t_3,t_4\n");
    /* person p: a later visit of all 5s first, then the first visit of all
     * 1s except every third person's 3s */
    for (int p = 0; p < 2000; p++)
        len += (size_t)snprintf(csv + len, cap - len,
                                "person-%d,2024-06-01,5,5,5,5\n", p);
    for (int p = 0; p < 2000; p++) {
        int x = p % 3 ? 1 : 3;
        len += (size_t)snprintf(csv + len, cap - len,
                                "person-%d,2024-01-01,%d,%d,%d,%d\n", p, x, x,
                                x, 6 - x);
    }
    sb_first_visits *fv;
    sb_error err;
    assert_int_equal(feed(inst, csv, 0, &fv, &err), SB_OK);
    assert_int_equal(sb_first_visits_people(fv), 2000);
    sb_norms *nm;
    sb_scale five = {1, 5};
    assert_int_equal(sb_first_visits_norms(fv, five, "2026-03-01", "x", &nm,
                                           &err), SB_OK);
    sb_norms_entry e;
    sb_norms_entry_get(nm, 0, &e);
    /* 667 people at 3 and 1333 at 1: mean 1 + 2 * 667 / 2000 */
    assert_true(e.n == 2000);
    assert_true(fabs(e.mean - (1 + 2 * 667.0 / 2000)) < 1e-12);
    sb_norms_free(nm);
    sb_first_visits_free(fv);
    free(csv);
    sb_instrument_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(earliest_whatever_the_order),
        cmocka_unit_test(hostile_rows),
        cmocka_unit_test(many_people),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
