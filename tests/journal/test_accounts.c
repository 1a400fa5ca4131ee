/*
 * Accounts, assignments, web sessions and invites in the journal: the
 * rules for names and passwords, constant answers for unknown users,
 * session expiry, one-time links, and that no secret is stored.
 */
#include "journal/helpers.h"

#include <securebase/accounts.h>

#include <sqlite3.h>

/* A hash made once, for accounts whose password the test never uses. */
static char some_hash[SB_PASSWORD_HASH_MAX];

static int setup(void **state)
{
    (void)state;
    sb_error err;
    return sb_account_hash_password("not the password", some_hash, &err);
}

static sb_id account(sb_journal *j, const char *name, sb_role role,
                     sb_id person)
{
    sb_id id = 0;
    sb_error err;
    if (sb_account_add_hashed(j, name, role, person, some_hash, 1000, &id,
                              &err) != SB_OK)
        fail_msg("add %s: %s", name, err.message);
    return id;
}

static void usernames_and_passwords_follow_the_rules(void **state)
{
    (void)state;
    sb_error err;
    assert_int_equal(sb_account_check_username("dr.rivera@clinic", &err),
                     SB_OK);
    assert_int_equal(sb_account_check_username("ab", &err), SB_ERR_INVALID);
    assert_int_equal(sb_account_check_username(".dot", &err), SB_ERR_INVALID);
    assert_int_equal(sb_account_check_username("a b c", &err),
                     SB_ERR_INVALID);
    assert_int_equal(sb_account_check_username("x'; DROP TABLE--", &err),
                     SB_ERR_INVALID);
    assert_int_equal(sb_account_check_username("zoë-müller", &err),
                     SB_ERR_INVALID);
    assert_int_equal(sb_account_check_password("short", &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "at least 10"));
    /* Ten characters in more than ten bytes are enough. */
    assert_int_equal(sb_account_check_password("ääääääääää", &err), SB_OK);
    assert_int_equal(sb_account_check_password("tab\there-is-bad", &err),
                     SB_ERR_INVALID);
    assert_int_equal(sb_account_check_password("\xff\xfe invalid utf8", &err),
                     SB_ERR_INVALID);
}

static void passwords_are_stored_hashed_and_verified(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_id id;
    assert_int_equal(sb_account_add(t.j, "Rivera", SB_ROLE_CLINICIAN, 0,
                                    "correct horse battery", 5, &id, &err),
                     SB_OK);
    sb_account a;
    /* Usernames are found in any letter case. */
    assert_int_equal(sb_account_verify(t.j, "rivera", "correct horse battery",
                                       &a, &err),
                     SB_OK);
    assert_int_equal(a.id, id);
    assert_int_equal(a.role, SB_ROLE_CLINICIAN);
    assert_int_equal(sb_account_verify(t.j, "rivera", "correct horse batterY",
                                       &a, &err),
                     SB_ERR_NOTFOUND);
    char wrong[SB_ERROR_MSG_MAX];
    snprintf(wrong, sizeof wrong, "%s", err.message);
    /* An unknown username gets the same answer as a wrong password. */
    assert_int_equal(sb_account_verify(t.j, "nobody", "correct horse battery",
                                       &a, &err),
                     SB_ERR_NOTFOUND);
    assert_string_equal(err.message, wrong);
    /* Taken in any case. */
    assert_int_equal(sb_account_add_hashed(t.j, "RIVERA", SB_ROLE_ADMIN, 0,
                                           some_hash, 5, NULL, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "taken"));
    /* No plain text anywhere in the file's table. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT password FROM account",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *stored = (const char *)sqlite3_column_text(st, 0);
    assert_int_equal(strncmp(stored, "$argon2id$", 10), 0);
    assert_null(strstr(stored, "horse"));
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* Disabled: refused only after the right password. */
    assert_int_equal(sb_account_set_disabled(t.j, id, 1, &err), SB_OK);
    assert_int_equal(sb_account_verify(t.j, "rivera", "correct horse battery",
                                       &a, &err),
                     SB_ERR_STATE);
    assert_int_equal(sb_account_verify(t.j, "rivera", "wrong password!", &a,
                                       &err),
                     SB_ERR_NOTFOUND);
    tj_close(&t);
}

static void client_accounts_belong_to_one_person(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_id ana = tj_person(t.j, "Ana");
    assert_int_equal(sb_account_add_hashed(t.j, "ana", SB_ROLE_CLIENT, 0,
                                           some_hash, 1, NULL, &err),
                     SB_ERR_INVALID);
    assert_int_equal(sb_account_add_hashed(t.j, "dr", SB_ROLE_CLINICIAN, ana,
                                           some_hash, 1, NULL, &err),
                     SB_ERR_INVALID);
    assert_int_equal(sb_account_add_hashed(t.j, "ana", SB_ROLE_CLIENT, 99,
                                           some_hash, 1, NULL, &err),
                     SB_ERR_NOTFOUND);
    sb_id a = account(t.j, "ana", SB_ROLE_CLIENT, ana);
    assert_int_equal(sb_account_add_hashed(t.j, "ana2", SB_ROLE_CLIENT, ana,
                                           some_hash, 1, NULL, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "already has an account"));
    sb_account got;
    assert_int_equal(sb_account_of_person(t.j, ana, &got, &err), SB_OK);
    assert_int_equal(got.id, a);
    /* Deleting the person deletes their account with their records. */
    assert_int_equal(sb_journal_delete(t.j, SB_KIND_PERSON, ana,
                                       SB_JOURNAL_CASCADE, &err),
                     SB_OK);
    assert_int_equal(sb_account_get(t.j, a, &got, &err), SB_ERR_NOTFOUND);
    assert_int_equal(sb_journal_check_integrity(t.j, &err), SB_OK);
    tj_close(&t);
}

static void assignments_link_clinicians_to_clients(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_id ana = tj_person(t.j, "Ana"), ben = tj_person(t.j, "Ben");
    sb_id dr = account(t.j, "dr.a", SB_ROLE_CLINICIAN, 0);
    sb_id admin = account(t.j, "boss", SB_ROLE_ADMIN, 0);
    assert_int_equal(sb_assignment_add(t.j, dr, ana, 1, &err), SB_OK);
    assert_int_equal(sb_assignment_add(t.j, dr, ana, 2, &err), SB_OK);
    assert_int_equal(sb_assignment_add(t.j, admin, ben, 1, &err),
                     SB_ERR_INVALID);
    int yes;
    assert_int_equal(sb_assignment_exists(t.j, dr, ana, &yes, &err), SB_OK);
    assert_true(yes);
    assert_int_equal(sb_assignment_exists(t.j, dr, ben, &yes, &err), SB_OK);
    assert_false(yes);
    sb_assignment *list;
    size_t n;
    assert_int_equal(sb_assignment_list(t.j, 0, &list, &n, &err), SB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].person_name, "Ana");
    assert_string_equal(list[0].clinician_name, "dr.a");
    free(list);
    assert_int_equal(sb_assignment_remove(t.j, dr, ana, &err), SB_OK);
    assert_int_equal(sb_assignment_remove(t.j, dr, ana, &err),
                     SB_ERR_NOTFOUND);
    tj_close(&t);
}

static void sessions_end_when_idle_old_or_signed_out(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_id dr = account(t.j, "dr.a", SB_ROLE_CLINICIAN, 0);
    sb_web_session_limits lim = {600, 3600};
    char token[SB_TOKEN_TEXT];
    sb_web_session w, got;
    sb_account a;
    assert_int_equal(sb_web_session_start(t.j, dr, 10000, "127.0.0.1", token,
                                          &w, &err),
                     SB_OK);
    assert_int_equal(strlen(token), SB_TOKEN_TEXT - 1);
    assert_int_equal(sb_web_session_find(t.j, token, 10500, &lim, &got, &a,
                                         &err),
                     SB_OK);
    assert_int_equal(got.id, w.id);
    assert_memory_equal(got.csrf, w.csrf, sizeof w.csrf);
    assert_int_equal(a.id, dr);
    assert_int_equal(sb_web_session_touch(t.j, got.id, 10500, &err), SB_OK);
    /* Used at 10500, so still alive at 11000 (idle 500 s)... */
    assert_int_equal(sb_web_session_find(t.j, token, 11000, &lim, &got, &a,
                                         &err),
                     SB_OK);
    assert_int_equal(sb_web_session_touch(t.j, got.id, 13000, &err), SB_OK);
    /* ...but an hour after sign-in it ends, however busy. */
    assert_int_equal(sb_web_session_find(t.j, token, 13601, &lim, &got, &a,
                                         &err),
                     SB_ERR_NOTFOUND);
    /* Idle expiry. */
    assert_int_equal(sb_web_session_start(t.j, dr, 20000, "::1", token, &w,
                                          &err),
                     SB_OK);
    assert_int_equal(sb_web_session_find(t.j, token, 20601, &lim, &got, &a,
                                         &err),
                     SB_ERR_NOTFOUND);
    /* Sign-out ends it server-side. */
    assert_int_equal(sb_web_session_start(t.j, dr, 30000, "::1", token, &w,
                                          &err),
                     SB_OK);
    assert_int_equal(sb_web_session_end(t.j, w.id, &err), SB_OK);
    assert_int_equal(sb_web_session_find(t.j, token, 30001, &lim, &got, &a,
                                         &err),
                     SB_ERR_NOTFOUND);
    /* Disabling the account ends it. */
    assert_int_equal(sb_web_session_start(t.j, dr, 40000, "::1", token, &w,
                                          &err),
                     SB_OK);
    assert_int_equal(sb_account_set_disabled(t.j, dr, 1, &err), SB_OK);
    assert_int_equal(sb_web_session_find(t.j, token, 40001, &lim, &got, &a,
                                         &err),
                     SB_ERR_NOTFOUND);
    /* Garbage tokens are simply unknown. */
    const char *bad[] = {"", "x", "' OR 1=1 --",
                         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(sb_web_session_find(t.j, bad[i], 40001, &lim, &got,
                                             &a, &err),
                         SB_ERR_NOTFOUND);
    tj_close(&t);
}

static int contains(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; hay && i + k <= n; i++)
        if (!memcmp(hay + i, needle, k))
            return 1;
    return 0;
}

static void tokens_are_stored_only_as_hashes(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_id dr = account(t.j, "dr.a", SB_ROLE_CLINICIAN, 0);
    char token[SB_TOKEN_TEXT];
    sb_web_session w;
    assert_int_equal(sb_web_session_start(t.j, dr, 1, "::1", token, &w, &err),
                     SB_OK);
    sb_journal_close(t.j);
    t.j = NULL;
    /* The WAL holds the fresh pages; read it and the file. */
    char wal[4300];
    snprintf(wal, sizeof wal, "%s-wal", t.path);
    char *a = sb_test_slurp(t.path), *b = sb_test_slurp(wal);
    size_t la = 0, lb = 0;
    FILE *f = fopen(t.path, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        la = (size_t)ftell(f);
        fclose(f);
    }
    f = fopen(wal, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        lb = (size_t)ftell(f);
        fclose(f);
    }
    assert_true(la > 0);
    assert_false(contains(a, la, token));
    if (b)
        assert_false(contains(b, lb, token));
    free(a);
    free(b);
    sb_test_rmtree(t.dir);
    free(t.dir);
}

static void invites_work_once_and_expire(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_id ana = tj_person(t.j, "Ana");
    sb_id dr = account(t.j, "dr.a", SB_ROLE_CLINICIAN, 0);
    char token[SB_TOKEN_TEXT], old[SB_TOKEN_TEXT];
    sb_invite inv;
    assert_int_equal(sb_invite_create(t.j, SB_INVITE_JOIN, ana, dr, 100, 50,
                                      old, &inv, &err),
                     SB_OK);
    assert_int_equal(sb_invite_state_at(&inv, 149), SB_INVITE_OPEN);
    assert_int_equal(sb_invite_state_at(&inv, 150), SB_INVITE_EXPIRED);
    sb_account a;
    /* Expired. */
    assert_int_equal(sb_invite_join(t.j, old, 150, "ana", "a good password",
                                    &a, &err),
                     SB_ERR_NOTFOUND);
    assert_int_equal(sb_invite_create(t.j, SB_INVITE_JOIN, ana, dr, 200, 50,
                                      token, &inv, &err),
                     SB_OK);
    /* A bad password leaves the link open. */
    assert_int_equal(sb_invite_join(t.j, token, 201, "ana", "short", &a,
                                    &err),
                     SB_ERR_INVALID);
    assert_int_equal(sb_invite_find(t.j, token, 201, &inv, &err), SB_OK);
    /* A reset link cannot be used to join, nor the reverse. */
    assert_int_equal(sb_invite_reset(t.j, token, 201, "a good password", &a,
                                     &err),
                     SB_ERR_NOTFOUND);
    assert_int_equal(sb_invite_join(t.j, token, 202, "ana", "a good password",
                                    &a, &err),
                     SB_OK);
    assert_int_equal(a.role, SB_ROLE_CLIENT);
    assert_int_equal(a.person, ana);
    /* Once only. */
    assert_int_equal(sb_invite_join(t.j, token, 203, "ana2",
                                    "a good password", &a, &err),
                     SB_ERR_NOTFOUND);
    assert_int_equal(sb_invite_get(t.j, inv.id, &inv, &err), SB_OK);
    assert_int_equal(sb_invite_state_at(&inv, 203), SB_INVITE_USED);
    /* Ana has an account now: no more join links for her. */
    assert_int_equal(sb_invite_create(t.j, SB_INVITE_JOIN, ana, dr, 300, 50,
                                      token, &inv, &err),
                     SB_ERR_INVALID);
    /* A reset link sets a new password and ends her sessions. */
    sb_web_session w;
    char session[SB_TOKEN_TEXT];
    assert_int_equal(sb_web_session_start(t.j, a.id, 300, "::1", session, &w,
                                          &err),
                     SB_OK);
    assert_int_equal(sb_invite_create(t.j, SB_INVITE_RESET, a.id, 0, 300, 50,
                                      token, &inv, &err),
                     SB_OK);
    assert_int_equal(sb_invite_revoke(t.j, inv.id, &err), SB_OK);
    assert_int_equal(sb_invite_reset(t.j, token, 301, "another password",
                                     &a, &err),
                     SB_ERR_NOTFOUND);
    assert_int_equal(sb_invite_create(t.j, SB_INVITE_RESET, a.id, 0, 300, 50,
                                      token, &inv, &err),
                     SB_OK);
    assert_int_equal(sb_invite_reset(t.j, token, 301, "another password", &a,
                                     &err),
                     SB_OK);
    sb_web_session_limits lim = {600, 3600};
    sb_account who;
    assert_int_equal(sb_web_session_find(t.j, session, 302, &lim, &w, &who,
                                         &err),
                     SB_ERR_NOTFOUND);
    assert_int_equal(sb_account_verify(t.j, "ana", "another password", &who,
                                       &err),
                     SB_OK);
    sb_invite *list;
    size_t n;
    assert_int_equal(sb_invite_list(t.j, ana, &list, &n, &err), SB_OK);
    assert_int_equal(n, 2);
    free(list);
    tj_close(&t);
}

static void a_transaction_keeps_all_or_nothing(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_id ana = tj_person(t.j, "Ana");
    tj_any r;
    assert_int_equal(sb_journal_transaction(t.j, &err), SB_OK);
    tj_fill(SB_KIND_SESSION, &r, "date=2026-01-05", "attended=yes",
            "minutes=50", NULL);
    r.session.person = ana;
    tj_add(t.j, SB_KIND_SESSION, &r);
    /* A failing write inside leaves the others in the transaction... */
    tj_fill(SB_KIND_SESSION, &r, "date=2026-01-06", "attended=yes",
            "minutes=50", NULL);
    r.session.person = 77;
    assert_int_not_equal(sb_journal_add(t.j, SB_KIND_SESSION, &r, &err),
                         SB_OK);
    sb_journal_transaction_rollback(t.j);
    /* ...and rolling the whole back keeps none. */
    assert_int_equal(tj_count(t.j, SB_KIND_SESSION), 0);
    assert_int_equal(sb_journal_transaction(t.j, &err), SB_OK);
    r.session.person = ana;
    tj_add(t.j, SB_KIND_SESSION, &r);
    r.session.id = 0;
    r.session.person = 77;
    assert_int_not_equal(sb_journal_add(t.j, SB_KIND_SESSION, &r, &err),
                         SB_OK);
    assert_int_equal(sb_journal_transaction_commit(t.j, &err), SB_OK);
    assert_int_equal(tj_count(t.j, SB_KIND_SESSION), 1);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(usernames_and_passwords_follow_the_rules),
        cmocka_unit_test(passwords_are_stored_hashed_and_verified),
        cmocka_unit_test(client_accounts_belong_to_one_person),
        cmocka_unit_test(assignments_link_clinicians_to_clients),
        cmocka_unit_test(sessions_end_when_idle_old_or_signed_out),
        cmocka_unit_test(tokens_are_stored_only_as_hashes),
        cmocka_unit_test(invites_work_once_and_expire),
        cmocka_unit_test(a_transaction_keeps_all_or_nothing),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
