/*
 * The audit spool (src/journal/audit_spool.c): entries put there move into
 * the journal's log exactly once, whether the process ends before the
 * journal's transaction that holds the move, after it but before the
 * spool lets go of them, or in good order; a spool deleted and created
 * again skips nothing, and an old one put back doubles nothing; entries
 * keep their own time; a file that is not a spool is refused.
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

/* Entries put in the spool, as the server keeps them to move. */
typedef struct batch {
    sb_audit_entry e[8];
    int64_t at[8];
    size_t n;
    int64_t last;
} batch;

/* Puts `n` reads (people first, first + 1, ...) stamped 1 ms apart,
 * deleting first what the log holds up to `moved`. */
static batch put(sb_audit_spool *s, int64_t moved, sb_id first, size_t n)
{
    batch b;
    assert_true(n <= 8);
    b.n = n;
    for (size_t i = 0; i < n; i++) {
        b.e[i] = read_of(first + (sb_id)i);
        b.at[i] = 1767225600000LL + first + (int64_t)i;
    }
    sb_error err;
    if (sb_audit_spool_put(s, moved, b.e, b.at, n, &b.last, &err) != SB_OK)
        fail_msg("put: %s", err.message);
    return b;
}

static sb_audit_spool *open_spool(test_journal *t)
{
    sb_audit_spool *s;
    sb_error err;
    if (sb_audit_spool_open(t->j, &s, &err) != SB_OK)
        fail_msg("spool: %s", err.message);
    return s;
}

/* Moves batches inside a transaction of the journal and commits it or
 * not (a process that dies before the commit). */
static void move(test_journal *t, sb_audit_spool *s, const batch *b,
                 size_t count, int commit)
{
    sb_error err;
    assert_int_equal(sb_journal_transaction(t->j, &err), SB_OK);
    for (size_t i = 0; i < count; i++)
        if (sb_audit_spool_move(s, t->j, b[i].e, b[i].at, b[i].n, b[i].last,
                                &err) != SB_OK)
            fail_msg("move: %s", err.message);
    if (commit)
        assert_int_equal(sb_journal_transaction_commit(t->j, &err), SB_OK);
    else
        sb_journal_transaction_rollback(t->j);
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

static void spool_path(const test_journal *t, char *path, size_t size)
{
    snprintf(path, size, "%s.audit-spool", t->path);
}

/* Entries the spool holds, read on a connection of its own. */
static size_t spooled(const test_journal *t)
{
    char path[4300];
    spool_path(t, path, sizeof path);
    return sb_test_sqlite_count(path, "SELECT count(*) FROM entry");
}

static void entries_move_once_and_keep_their_time(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_audit_spool *s = open_spool(&t);
    /* Private, like the journal. */
    char path[4300];
    spool_path(&t, path, sizeof path);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(strlen(sb_audit_spool_identity(s)), 32);
    batch b = put(s, 0, 1, 3);
    assert_int_equal(spooled(&t), 3);
    assert_int_equal(logged(&t, 0), 0);
    move(&t, s, &b, 1, 1);
    assert_int_equal(logged(&t, 0), 3);
    /* The mark holds it: the same batch is not appended a second time. */
    move(&t, s, &b, 1, 1);
    assert_int_equal(logged(&t, 0), 3);
    /* The next put lets go of what the log holds. */
    batch c = put(s, b.last, 4, 1);
    assert_true(c.last > b.last);
    assert_int_equal(spooled(&t), 1);
    move(&t, s, &c, 1, 1);
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
    /* Reopened: nothing is appended again, and the spool is empty. */
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 4);
    assert_int_equal(spooled(&t), 0);
    sb_audit_spool_close(s);
    tj_close(&t);
}

static void entries_left_in_the_spool_move_when_it_is_opened(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_audit_spool *s = open_spool(&t);
    put(s, 0, 1, 2);
    sb_audit_spool_close(s); /* the process ended before any move */
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 2);
    assert_int_equal(spooled(&t), 0);
    sb_audit_spool_close(s);
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 2);
    sb_audit_spool_close(s);
    tj_close(&t);
}

/* The journal's transaction was committed; the process died before the
 * spool deleted what it moved. */
static void a_move_committed_before_the_spool_let_go_is_not_appended_again(
    void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_audit_spool *s = open_spool(&t);
    batch b = put(s, 0, 1, 3);
    move(&t, s, &b, 1, 1);
    assert_int_equal(logged(&t, 0), 3);
    put(s, 0, 4, 1); /* and an entry after it, not moved */
    assert_int_equal(spooled(&t), 4);
    sb_audit_spool_close(s);
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 4);
    for (sb_id p = 1; p <= 4; p++)
        assert_int_equal(logged(&t, p), 1);
    assert_int_equal(spooled(&t), 0);
    sb_audit_spool_close(s);
    tj_close(&t);
}

static void a_move_lost_with_its_transaction_is_done_again(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_audit_spool *s = open_spool(&t);
    batch b = put(s, 0, 1, 2);
    move(&t, s, &b, 1, 0); /* the process died before the commit */
    assert_int_equal(logged(&t, 0), 0);
    sb_audit_spool_close(s);
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 2);
    sb_audit_spool_close(s);

    /* A commit that failed: the next group moves the same batch again,
     * with the one put since, in order. */
    s = open_spool(&t);
    batch two[2];
    two[0] = put(s, 0, 3, 2);
    move(&t, s, two, 1, 0);
    two[1] = put(s, 0, 5, 1);
    move(&t, s, two, 2, 1);
    assert_int_equal(logged(&t, 0), 5);
    sb_audit_entry *e;
    size_t n;
    sb_error err;
    assert_int_equal(sb_audit_list(t.j, 0, 0, 10, &e, &n, &err), SB_OK);
    for (size_t i = 0; i < n; i++) /* newest first: people 5, 4, ... 1 */
        assert_int_equal(e[i].person, (sb_id)(5 - i));
    free(e);
    sb_audit_spool_close(s);
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 5);
    sb_audit_spool_close(s);
    tj_close(&t);
}

/* A spool deleted (or replaced by a new one) counts its ids from 1 again:
 * its entries are not taken for the old spool's, which the log holds. An
 * old spool put back is known by its identity: nothing moves twice. */
static void a_replaced_spool_skips_nothing_and_an_old_one_doubles_nothing(
    void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    char path[4300], old[4400];
    spool_path(&t, path, sizeof path);
    snprintf(old, sizeof old, "%s.old", path);
    sb_audit_spool *s = open_spool(&t);
    char first[33];
    snprintf(first, sizeof first, "%s", sb_audit_spool_identity(s));
    batch b = put(s, 0, 1, 2);
    move(&t, s, &b, 1, 1);
    /* Closed (no WAL file beside it then) before the spool let go of
     * them, and put aside. */
    sb_audit_spool_close(s);
    assert_int_equal(rename(path, old), 0);

    s = open_spool(&t);
    assert_string_not_equal(sb_audit_spool_identity(s), first);
    batch c = put(s, 0, 3, 2);
    assert_int_equal(c.last, 2); /* ids as the first spool's */
    sb_audit_spool_close(s);     /* the process ended before a move */
    s = open_spool(&t);
    assert_int_equal(logged(&t, 0), 4);
    for (sb_id p = 1; p <= 4; p++)
        assert_int_equal(logged(&t, p), 1);
    sb_audit_spool_close(s);

    assert_int_equal(rename(old, path), 0);
    s = open_spool(&t);
    assert_string_equal(sb_audit_spool_identity(s), first);
    assert_int_equal(logged(&t, 0), 4);
    assert_int_equal(spooled(&t), 0);
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
            a_move_committed_before_the_spool_let_go_is_not_appended_again),
        cmocka_unit_test(a_move_lost_with_its_transaction_is_done_again),
        cmocka_unit_test(
            a_replaced_spool_skips_nothing_and_an_old_one_doubles_nothing),
        cmocka_unit_test(a_file_that_is_not_a_spool_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
