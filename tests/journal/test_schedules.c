/*
 * Measure schedules and questionnaire drafts: checked when added, listed
 * with the latest assessment of their instrument, drafts kept per account
 * and instrument.
 */
#include "journal/helpers.h"

#include <securebase/questionnaire.h>

#include <math.h>

static const char *ecr_r_items(void)
{
    return "4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 3 3 3 3 3 3 3 3 3 3 3 3 3 3 "
           "3 3 3 3";
}

static void schedules_are_checked_and_listed(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_id ana = tj_person(t.j, "Ana");
    sb_schedule s = {0};
    s.person = ana;
    snprintf(s.instrument, sizeof s.instrument, "ECR-R");
    s.every_weeks = 4;
    snprintf(s.start, sizeof s.start, "2026-01-05");
    assert_int_equal(sb_schedule_add(t.j, &s, &err), SB_OK);
    assert_string_equal(s.instrument, "ecr-r");
    sb_id first = s.id;
    s.id = 0;
    assert_int_equal(sb_schedule_add(t.j, &s, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "already has a schedule"));
    snprintf(s.instrument, sizeof s.instrument, "no-such-thing");
    assert_int_not_equal(sb_schedule_add(t.j, &s, &err), SB_OK);
    snprintf(s.instrument, sizeof s.instrument, "rq");
    s.every_weeks = 0;
    assert_int_equal(sb_schedule_add(t.j, &s, &err), SB_ERR_INVALID);
    s.every_weeks = 8;
    snprintf(s.start, sizeof s.start, "2026-02-30");
    assert_int_not_equal(sb_schedule_add(t.j, &s, &err), SB_OK);
    snprintf(s.start, sizeof s.start, "2026-02-28");
    s.person = 999;
    assert_int_equal(sb_schedule_add(t.j, &s, &err), SB_ERR_NOTFOUND);
    s.person = ana;
    assert_int_equal(sb_schedule_add(t.j, &s, &err), SB_OK);
    tj_any a;
    tj_fill(SB_KIND_ASSESSMENT, &a, "instrument=ecr-r", "date=2026-01-07",
            NULL);
    a.assessment.person = ana;
    assert_int_equal(sb_journal_field_parse(
                         sb_journal_field_find(SB_KIND_ASSESSMENT, "items"),
                         ecr_r_items(), &a, &err),
                     SB_OK);
    tj_add(t.j, SB_KIND_ASSESSMENT, &a);
    sb_schedule *list;
    size_t n;
    assert_int_equal(sb_schedule_list(t.j, ana, &list, &n, &err), SB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].instrument, "ecr-r");
    assert_string_equal(list[0].last_done, "2026-01-07");
    assert_string_equal(list[1].instrument, "rq");
    assert_string_equal(list[1].last_done, "");
    free(list);
    assert_int_equal(sb_schedule_delete(t.j, first, &err), SB_OK);
    assert_int_equal(sb_schedule_delete(t.j, first, &err), SB_ERR_NOTFOUND);
    assert_int_equal(sb_schedule_get(t.j, first, &s, &err), SB_ERR_NOTFOUND);
    tj_close(&t);
}

static void drafts_are_kept_per_account_and_instrument(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_id ana = tj_person(t.j, "Ana");
    char hash[SB_PASSWORD_HASH_MAX];
    assert_int_equal(sb_account_hash_password("a long password", hash, &err),
                     SB_OK);
    sb_id acc;
    assert_int_equal(sb_account_add_hashed(t.j, "ana", SB_ROLE_CLIENT, ana,
                                           hash, 1, &acc, &err),
                     SB_OK);
    double answers[36], back[64];
    for (int i = 0; i < 36; i++)
        answers[i] = i < 10 ? (i % 7) + 1 : NAN;
    size_t n;
    assert_int_equal(sb_draft_load(t.j, acc, "ecr-r", back, 64, &n, &err),
                     SB_ERR_NOTFOUND);
    assert_int_equal(sb_draft_save(t.j, acc, "ecr-r", answers, 36, 5, &err),
                     SB_OK);
    answers[10] = 7;
    assert_int_equal(sb_draft_save(t.j, acc, "ecr-r", answers, 36, 6, &err),
                     SB_OK);
    assert_int_equal(sb_draft_load(t.j, acc, "ecr-r", back, 64, &n, &err),
                     SB_OK);
    assert_int_equal(n, 36);
    assert_true(back[0] == 1 && back[9] == 3 && back[10] == 7);
    assert_true(isnan(back[11]) && isnan(back[35]));
    answers[0] = 2.5;
    assert_int_equal(sb_draft_save(t.j, acc, "ecr-r", answers, 36, 7, &err),
                     SB_ERR_INVALID);
    assert_int_equal(sb_draft_delete(t.j, acc, "ecr-r", &err), SB_OK);
    assert_int_equal(sb_draft_load(t.j, acc, "ecr-r", back, 64, &n, &err),
                     SB_ERR_NOTFOUND);
    assert_int_equal(sb_draft_delete(t.j, acc, "ecr-r", &err), SB_OK);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schedules_are_checked_and_listed),
        cmocka_unit_test(drafts_are_kept_per_account_and_instrument),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
