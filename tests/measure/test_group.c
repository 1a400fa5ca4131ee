/* Tests for src/measure/group.c: administrations gathered by person. */
#include "support.h"

#include <securebase/measure.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

/* What the callback saw: "A:2024-01-01=1,2024-02-01=2;B:..." */
typedef struct seen {
    char text[1024];
    int calls;
    int fail_at;   /* return an error on this call (1-based), 0: never */
} seen;

static sb_status record(void *ctx, const sb_administration *adm, size_t n,
                        sb_error *err)
{
    seen *s = ctx;
    s->calls++;
    if (s->calls == s->fail_at)
        return sb_error_set(err, SB_ERR_IO, NULL, 0, 0, "writer failed");
    size_t len = strlen(s->text);
    len += (size_t)snprintf(s->text + len, sizeof s->text - len, "%s%s:",
                            len ? ";" : "", adm[0].id);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(adm[i].id, adm[0].id);
        len += (size_t)snprintf(s->text + len, sizeof s->text - len,
                                "%s%s=%g@%lu", i ? "," : "", adm[i].date,
                                adm[i].value[0], adm[i].line);
    }
    return SB_OK;
}

/* Adds one row with a single score. */
static sb_status add(sb_grouper *g, const char *id, const char *date,
                     double value, unsigned long line, sb_error *err)
{
    double v[1] = {value};
    sb_scores scores;
    memset(&scores, 0, sizeof scores);
    scores.count = 1;
    scores.value = v;
    sb_scored_row row = {line, id, date, &scores, NULL, NULL};
    return sb_grouper_add(g, &row, err);
}

static sb_grouper *grouper(sb_grouping mode, seen *s)
{
    sb_grouper *g = NULL;
    sb_error err;
    memset(s, 0, sizeof *s);
    assert_int_equal(sb_grouper_new(1, mode, "v.csv", "day", record, s, &g, &err),
                     SB_OK);
    return g;
}

static void grouped_input_streams_one_person_at_a_time(void **state)
{
    (void)state;
    seen s;
    sb_grouper *g = grouper(SB_GROUP_STREAM, &s);
    sb_error err;
    assert_int_equal(add(g, "B", "2024-03-01", 3, 2, &err), SB_OK);
    assert_int_equal(add(g, "B", "2024-01-01", 1, 3, &err), SB_OK);
    assert_int_equal(add(g, "B", "2024-02-01", 2, 4, &err), SB_OK);
    assert_int_equal(s.calls, 0);
    /* the next person hands B on, in date order */
    assert_int_equal(add(g, "A", "2024-01-05", 5, 5, &err), SB_OK);
    assert_int_equal(s.calls, 1);
    assert_string_equal(s.text, "B:2024-01-01=1@3,2024-02-01=2@4,2024-03-01=3@2");
    assert_int_equal(sb_grouper_finish(g, &err), SB_OK);
    assert_string_equal(s.text, "B:2024-01-01=1@3,2024-02-01=2@4,2024-03-01=3@2;"
                                "A:2024-01-05=5@5");
    assert_int_equal(sb_grouper_people(g), 2);
    assert_int_equal(sb_grouper_peak_rows(g), 3);
    assert_true(sb_grouper_grouped(g));
    sb_grouper_free(g);
}

static void check_stops_where_an_id_comes_back(void **state)
{
    (void)state;
    seen s;
    sb_grouper *g = grouper(SB_GROUP_CHECK, &s);
    sb_error err;
    assert_int_equal(add(g, "A", "1", 1, 2, &err), SB_OK);
    assert_int_equal(add(g, "A", "2", 1, 3, &err), SB_OK);
    assert_int_equal(add(g, "B", "1", 1, 4, &err), SB_OK);
    assert_int_equal(add(g, "A", "3", 1, 5, &err), SB_ERR_STATE);
    assert_int_equal(err.line, 5);
    assert_non_null(strstr(err.message, "not grouped by id"));
    assert_false(sb_grouper_grouped(g));
    assert_int_equal(s.calls, 0); /* CHECK hands nothing on */
    sb_grouper_free(g);

    /* grouped input passes, and the checks on dates still run */
    g = grouper(SB_GROUP_CHECK, &s);
    assert_int_equal(add(g, "A", "1", 1, 2, &err), SB_OK);
    assert_int_equal(add(g, "B", "1", 1, 3, &err), SB_OK);
    assert_int_equal(add(g, "B", "1", 1, 4, &err), SB_OK);
    assert_int_equal(sb_grouper_finish(g, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "two administrations on '1' (lines 3 and 4)"));
    assert_true(sb_grouper_grouped(g));
    sb_grouper_free(g);
}

static void stream_refuses_an_id_that_comes_back(void **state)
{
    (void)state;
    seen s;
    sb_grouper *g = grouper(SB_GROUP_STREAM, &s);
    sb_error err;
    assert_int_equal(add(g, "A", "1", 1, 2, &err), SB_OK);
    assert_int_equal(add(g, "B", "1", 1, 3, &err), SB_OK);
    assert_int_equal(add(g, "A", "2", 1, 4, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "'A' comes back"));
    assert_int_equal(err.line, 4);
    sb_grouper_free(g);
}

/* Any order: people come out in order of first appearance, each by date. */
static void sort_orders_people_by_first_appearance(void **state)
{
    (void)state;
    seen s;
    sb_grouper *g = grouper(SB_GROUP_SORT, &s);
    sb_error err;
    assert_int_equal(add(g, "B", "10", 4, 2, &err), SB_OK);
    assert_int_equal(add(g, "A", "2", 1, 3, &err), SB_OK);
    assert_int_equal(add(g, "B", "2", 3, 4, &err), SB_OK);
    assert_int_equal(add(g, "A", "10", 2, 5, &err), SB_OK);
    assert_int_equal(add(g, "C", "7", 9, 6, &err), SB_OK);
    assert_int_equal(s.calls, 0);
    assert_int_equal(sb_grouper_finish(g, &err), SB_OK);
    /* sessions sort as numbers: 2 before 10 */
    assert_string_equal(s.text, "B:2=3@4,10=4@2;A:2=1@3,10=2@5;C:7=9@6");
    assert_int_equal(sb_grouper_peak_rows(g), 5);
    sb_grouper_free(g);
}

/* SORT checks every person's dates before handing anyone on. */
static void sort_checks_before_handing_on(void **state)
{
    (void)state;
    seen s;
    sb_grouper *g = grouper(SB_GROUP_SORT, &s);
    sb_error err;
    assert_int_equal(add(g, "A", "2024-01-01", 1, 2, &err), SB_OK);
    assert_int_equal(add(g, "B", "2024-01-01", 1, 3, &err), SB_OK);
    assert_int_equal(add(g, "B", "2024-01-01", 2, 4, &err), SB_OK);
    assert_int_equal(sb_grouper_finish(g, &err), SB_ERR_INVALID);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.message, "person 'B' has two administrations"));
    assert_int_equal(s.calls, 0);
    sb_grouper_free(g);
}

static void dates_and_ids(void **state)
{
    (void)state;
    static const char *const good[] = {
        "2024-02-29", "2024-01-01 09:30", "2024-01-01T09:30:15",
        "2024-12-31 23:59:60", "2000-02-29",
    };
    static const char *const bad[] = {
        "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31",
        "2024-1-01", "2024-01-01 24:00", "2024-01-01 10:60", "2024-01-01 10:30:61",
        "2024-01-01 10:30 ", "2024-01-01 ", "2024-01-01x", "01/02/2024", "",
        "1234567890", "-3", "+3", "3.0", " 3", "2024-01-0a",
    };
    seen s;
    sb_error err;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        sb_grouper *g = grouper(SB_GROUP_SORT, &s);
        assert_int_equal(add(g, "A", good[i], 1, 2, &err), SB_OK);
        sb_grouper_free(g);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sb_grouper *g = grouper(SB_GROUP_SORT, &s);
        sb_status st = add(g, "A", bad[i], 1, 7, &err);
        if (st != SB_ERR_INVALID)
            fprintf(stderr, "accepted '%s'\n", bad[i]);
        assert_int_equal(st, SB_ERR_INVALID);
        assert_int_equal(err.line, 7);
        assert_non_null(strstr(err.message, "column 'day'"));
        assert_non_null(strstr(err.message, "is not a date"));
        sb_grouper_free(g);
    }
    sb_grouper *g = grouper(SB_GROUP_STREAM, &s);
    assert_int_equal(add(g, "A", "2024-01-01", 1, 2, &err), SB_OK);
    assert_int_equal(add(g, "A", "3", 1, 3, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "mixes dates and session numbers"));
    assert_int_equal(add(g, "", "2024-01-02", 1, 4, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "the id is empty"));
    sb_grouper_free(g);
}

/* A flagged row is left out; a failing callback stops the grouper. */
static void flagged_rows_and_callback_errors(void **state)
{
    (void)state;
    seen s;
    sb_grouper *g = grouper(SB_GROUP_STREAM, &s);
    sb_error err;
    sb_scores scores;
    memset(&scores, 0, sizeof scores);
    double v[1] = {NAN};
    scores.count = 1;
    scores.value = v;
    sb_scored_row flagged = {3, "A", "not a date", &scores, "'9' is outside",
                             NULL};
    assert_int_equal(add(g, "A", "1", 1, 2, &err), SB_OK);
    assert_int_equal(sb_grouper_add(g, &flagged, &err), SB_OK);
    assert_int_equal(sb_grouper_finish(g, &err), SB_OK);
    assert_string_equal(s.text, "A:1=1@2");
    sb_grouper_free(g);

    g = grouper(SB_GROUP_STREAM, &s);
    s.fail_at = 1;
    assert_int_equal(add(g, "A", "1", 1, 2, &err), SB_OK);
    assert_int_equal(add(g, "B", "1", 1, 3, &err), SB_ERR_IO);
    assert_string_equal(err.message, "writer failed");
    sb_grouper_free(g);

    assert_int_equal(sb_grouper_new(1, (sb_grouping)9, NULL, NULL, record, &s,
                                    &g, &err), SB_ERR_INVALID);
    assert_null(g);
}

/* Many people: the set of ids seen grows, and a late return is caught. */
static void many_people(void **state)
{
    (void)state;
    seen s;
    sb_grouper *g = grouper(SB_GROUP_CHECK, &s);
    sb_error err;
    char id[16];
    for (int i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "P%d", i);
        assert_int_equal(add(g, id, "1", 1, (unsigned long)(2 * i + 2), &err), SB_OK);
        assert_int_equal(add(g, id, "2", 1, (unsigned long)(2 * i + 3), &err), SB_OK);
    }
    assert_int_equal(sb_grouper_people(g), 4999);
    assert_int_equal(sb_grouper_peak_rows(g), 2);
    assert_int_equal(add(g, "P17", "3", 1, 10002, &err), SB_ERR_STATE);
    assert_false(sb_grouper_grouped(g));
    sb_grouper_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grouped_input_streams_one_person_at_a_time),
        cmocka_unit_test(check_stops_where_an_id_comes_back),
        cmocka_unit_test(stream_refuses_an_id_that_comes_back),
        cmocka_unit_test(sort_orders_people_by_first_appearance),
        cmocka_unit_test(sort_checks_before_handing_on),
        cmocka_unit_test(dates_and_ids),
        cmocka_unit_test(flagged_rows_and_callback_errors),
        cmocka_unit_test(many_people),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
