/*
 * The audit spool (src/journal/audit_spool.c): entries put there move into
 * the journal's log exactly once, whether the process ends before the
 * journal's transaction that holds the move, after it, or in good order;
 * they keep their own time; a file that is not a spool is refused.
 */
#include "journal/helpers.h"

#include <securebase/audit.h>

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

static sb_audit_entry read_of(sb_id person)
{
    sb_audit_entry e;
    memset(&e, 0, sizeof e);
    e.account = 7;
    snprintf(e.username, sizeof e.username, "dr.a");
    snprintf(e.action, sizeof e.action, "read");
    snprintf(e.kind, sizeof e.kind, "caseload");
    e.person = person;
    snprintf(e.address, sizeof e.address, "127.0.0.1");
    snprintf(e.detail, sizeof e.detail, "/caseload");
    return e;
}

/* Puts `n` reads (people first, first + 1, ...) stamped 1 ms apart. */
static void put(sb_audit_spool *s, sb_id first, size_t n)
{
    sb_audit_entry e[8];
    int64_t at[8];
    assert_true(n <= 8);
    for (size_t i = 0; i < n; i++) {
        e[i] = read_of(first + (sb_id)i);
        at[i] = 1767225600000LL + first + (int64_t)i;
    }
    sb_error err;
    if (sb_audit_spool_put(s, e, at, n, &err) != SB_OK)
        fail_msg("put: %s", err.message);
}

static sb_audit_spool *open_spool(test_journal *t)
{
    sb_audit_spool *s;
    sb_error err;
    if (sb_audit_spool_open(t->j, &s, &err) != SB_OK)
        fail_msg("spool: %s", err.message);
    return s;
}

/* Moves what the spool holds inside a transaction of the journal, and
 * commits it or not; `tell` says whether the spool hears of the outcome
 * (a process that dies does not tell it). */
static size_t move(test_journal *t, sb_audit_spool *s, int commit, int tell)
{
    sb_error err;
    assert_int_equal(sb_journal_transaction(t->j, &err), SB_OK);
    size_t moved;
    if (sb_audit_spool_move(s, t->j, &moved, &err) != SB_OK)
        fail_msg("move: %s", err.message);
    if (commit)
        assert_int_equal(sb_journal_transaction_commit(t->j, &err), SB_OK);
    else
        sb_journal_transaction_rollback(t->j);
    if (tell)
        sb_audit_spool_moved(s, commit);
    return moved;
}

/* The log's entries of person `p`, and of everyone. */
static size_t logged(test_journal *t, sb_id p)
{
    sb_audit_entry *e;
    size_t n;
    sb_error err;
    assert_int_equal(sb_audit_list(t->j, p, 0, 1000, &e, &n, &err), SB_OK);
    free(e);
    return n;
}

static void entries_move_once_and_keep_their_time(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_audit_spool *s = open_spool(&t);
    /* Private, like the journal. */
    char path[4300];
    snprintf(path, sizeof path, "%s.audit-spool", t.path);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    put(s, 1, 3);
    assert_int_equal(logged(&t, 0), 0);
    assert_int_equal(move(&t, s, 1, 1), 3);
    assert_int_equal(logged(&t, 0), 3);
    /* Nothing is left to move a second time. */
    assert_int_equal(move(&t, s, 1, 1), 0);
    put(s, 4, 1);
    assert_int_equal(move(&t, s, 1, 1), 1);
    assert_int_equal(logged(&t, 0), 4);
    sb_audit_entry *e;
    size_t n;
    sb_error err;
    assert_int_equal(sb_audit_list(t.j, 2, 0, 10, &e, &n, &err), SB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(e[0].at, "2026-01-01T00:00:00.002Z");
    assert_string_equal(e[0].username, "dr.a");
    assert_string_equal(e[0].detail, "/caseload");
    free(e);
    sb_audit_spool_close(s);
    /* Reopened: nothing is appended again. */
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 4);
    sb_audit_spool_close(s);
    tj_close(&t);
}

static void entries_left_in_the_spool_move_when_it_is_opened(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_audit_spool *s = open_spool(&t);
    put(s, 1, 2);
    sb_audit_spool_close(s); /* the process ended before any move */
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 2);
    sb_audit_spool_close(s);
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 2);
    sb_audit_spool_close(s);
    tj_close(&t);
}

static void a_move_committed_before_a_crash_is_not_appended_again(
    void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_audit_spool *s = open_spool(&t);
    put(s, 1, 3);
    move(&t, s, 1, 0); /* committed; the process died before telling */
    assert_int_equal(logged(&t, 0), 3);
    put(s, 4, 1);      /* and an entry after it, not moved */
    sb_audit_spool_close(s);
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 4);
    for (sb_id p = 1; p <= 4; p++)
        assert_int_equal(logged(&t, p), 1);
    sb_audit_spool_close(s);
    tj_close(&t);
}

static void a_move_lost_with_its_transaction_is_done_again(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_audit_spool *s = open_spool(&t);
    put(s, 1, 2);
    move(&t, s, 0, 0); /* the process died before the commit */
    assert_int_equal(logged(&t, 0), 0);
    sb_audit_spool_close(s);
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 2);
    sb_audit_spool_close(s);

    /* A commit that failed: the next move takes the same entries again. */
    s = open_spool(&t);
    put(s, 3, 2);
    assert_int_equal(move(&t, s, 0, 1), 2);
    put(s, 5, 1);
    assert_int_equal(move(&t, s, 1, 1), 3);
    assert_int_equal(logged(&t, 0), 5);
    sb_audit_spool_close(s);
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 5);
    sb_audit_spool_close(s);
    tj_close(&t);
}

/* A recorded move whose log entry is another one (its transaction was lost
 * and the id taken since): the spool's entries are not taken as moved. */
static void a_move_whose_log_id_holds_another_entry_is_done_again(
    void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_audit_spool *s = open_spool(&t);
    put(s, 1, 1);
    move(&t, s, 0, 0);
    sb_audit_spool_close(s);
    sb_audit_entry other = read_of(9);
    sb_error err;
    assert_int_equal(sb_audit_append(t.j, &other, 1767225600000LL, &err),
                     SB_OK);
    s = open_spool(&t);
    assert_int_equal(logged(&t, 1), 1);
    assert_int_equal(logged(&t, 0), 2);
    sb_audit_spool_close(s);
    tj_close(&t);
}

static void a_file_that_is_not_a_spool_is_refused(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    char path[4300];
    snprintf(path, sizeof path, "%s.audit-spool", t.path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i < 300; i++)
        fputs("not a database; ", f);
    fclose(f);
    sb_audit_spool *s;
    sb_error err;
    assert_int_not_equal(sb_audit_spool_open(t.j, &s, &err), SB_OK);
    assert_null(s);
    assert_non_null(strstr(err.message, "audit spool"));

    /* A database of something else. */
    remove(path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA application_id = 42;"
                                      "CREATE TABLE entry(x);",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_not_equal(sb_audit_spool_open(t.j, &s, &err), SB_OK);
    assert_non_null(strstr(err.message, "application_id 42"));
    assert_non_null(strstr(err.file, "audit-spool"));

    /* Not a file at all. */
    remove(path);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_not_equal(sb_audit_spool_open(t.j, &s, &err), SB_OK);
    assert_non_null(strstr(err.message, "not a regular file"));
    rmdir(path);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entries_move_once_and_keep_their_time),
        cmocka_unit_test(entries_left_in_the_spool_move_when_it_is_opened),
        cmocka_unit_test(
            a_move_committed_before_a_crash_is_not_appended_again),
        cmocka_unit_test(a_move_lost_with_its_transaction_is_done_again),
        cmocka_unit_test(
            a_move_whose_log_id_holds_another_entry_is_done_again),
        cmocka_unit_test(a_file_that_is_not_a_spool_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
