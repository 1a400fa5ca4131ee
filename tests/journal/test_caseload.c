/*
 * A clinician's caseload from the journal (src/journal/caseload.c): the
 * list of clients by name, each client's row, the same whether read all at
 * once or client by client, and a client no longer there.
 */
#include "journal/helpers.h"

#include <securebase/accounts.h>
#include <securebase/caseload.h>

#include <math.h>

static sb_id clinician(sb_journal *j)
{
    sb_id id;
    sb_error err;
    /* Never signed in with: any argon2id string does. */
    if (sb_account_add_hashed(j, "dr.c", SB_ROLE_CLINICIAN, 0,
                              "$argon2id$v=19$m=65536,t=2,p=1$unused", 1,
                              &id, &err) != SB_OK)
        fail_msg("account: %s", err.message);
    return id;
}

static void session(sb_journal *j, sb_id person, const char *date,
                    const char *attended)
{
    tj_any rec;
    char who[32], when[32], came[32];
    snprintf(who, sizeof who, "person=%lld", (long long)person);
    snprintf(when, sizeof when, "date=%s", date);
    snprintf(came, sizeof came, "attended=%s", attended);
    tj_fill(SB_KIND_SESSION, &rec, who, when, came, "minutes=50", NULL);
    tj_add(j, SB_KIND_SESSION, &rec);
}

static void the_list_and_the_rows_agree(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_id dr = clinician(t.j);
    sb_id zoe = tj_person(t.j, "Zoe");
    sb_id ana = tj_person(t.j, "Ana");
    sb_id other = tj_person(t.j, "Not Assigned");
    assert_int_equal(sb_assignment_add(t.j, dr, zoe, 1, &err), SB_OK);
    assert_int_equal(sb_assignment_add(t.j, dr, ana, 1, &err), SB_OK);
    session(t.j, ana, "2026-03-02", "yes");
    session(t.j, ana, "2026-03-09", "no");
    session(t.j, ana, "2026-01-05", "yes"); /* before the window */
    session(t.j, other, "2026-03-02", "yes");

    sb_id *ids;
    size_t n;
    assert_int_equal(sb_caseload_clients(t.j, dr, &ids, &n, &err), SB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], ana); /* by name */
    assert_int_equal(ids[1], zoe);

    sb_caseload_row *all;
    size_t count;
    assert_int_equal(sb_caseload_load(t.j, dr, "2026-02-15", "2026-03-14",
                                      &all, &count, &err),
                     SB_OK);
    assert_int_equal(count, 2);
    sb_caseload_row one[2];
    assert_int_equal(sb_caseload_people(t.j, ids, n, "2026-02-15",
                                        "2026-03-14", one, &err),
                     SB_OK);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(one[i].person, all[i].person);
        assert_string_equal(one[i].name, all[i].name);
        assert_int_equal(one[i].attended, all[i].attended);
        assert_int_equal(one[i].missed, all[i].missed);
        assert_string_equal(one[i].last_activity, all[i].last_activity);
        assert_true(isnan(one[i].latest[0]));
    }
    assert_string_equal(all[0].name, "Ana");
    assert_int_equal(all[0].attended, 1);
    assert_int_equal(all[0].missed, 1);
    assert_string_equal(all[0].last_activity, "2026-03-09");
    assert_int_equal(all[1].attended, 0);
    assert_string_equal(all[1].last_activity, "");

    /* A client gone from the journal: a row of zeros. */
    sb_id gone[2] = {ana, 999999};
    assert_int_equal(sb_caseload_people(t.j, gone, 2, "2026-02-15",
                                        "2026-03-14", one, &err),
                     SB_OK);
    assert_int_equal(one[0].person, ana);
    assert_int_equal(one[1].person, 0);
    free(all);
    free(ids);
    tj_close(&t);
}

static void the_data_version_moves_with_another_handles_commit(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_journal *other;
    assert_int_equal(sb_journal_open(t.path, 0, &other, &err), SB_OK);
    int64_t v0, v1, v2;
    assert_int_equal(sb_journal_data_version(t.j, &v0, &err), SB_OK);
    tj_person(t.j, "Own");
    assert_int_equal(sb_journal_data_version(t.j, &v1, &err), SB_OK);
    assert_true(v1 == v0);
    tj_person(other, "Other");
    assert_int_equal(sb_journal_data_version(t.j, &v2, &err), SB_OK);
    assert_true(v2 != v1);
    sb_journal_close(other);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_list_and_the_rows_agree),
        cmocka_unit_test(the_data_version_moves_with_another_handles_commit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
