/* Tests for src/journal/db.c: how journals are created and opened. */
#include "journal/helpers.h"
#include "journal/db.h"

#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void creates_private_file_and_directories(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char path[4300], sub[4200];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    snprintf(path, sizeof path, "%s/journal.db", sub);
    mode_t old = umask(0); /* even a permissive umask gives 0600 / 0700 */
    sb_journal *j;
    assert_int_equal(sb_journal_open(path, SB_JOURNAL_CREATE, &j, NULL), SB_OK);
    tj_person(j, "Ana");
    umask(old);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    char wal[4400];
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_int_equal(stat(wal, &st), 0); /* WAL is on, and private too */
    assert_int_equal(st.st_mode & 0077, 0);
    sb_journal_close(j);
    sb_test_rmtree(dir);
    free(dir);
}

static void missing_journal_is_not_created_without_the_flag(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/none.db", dir);
    sb_journal *j;
    sb_error err;
    assert_int_equal(sb_journal_open(path, 0, &j, &err), SB_ERR_NOTFOUND);
    assert_null(j);
    assert_string_equal(err.file, path);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(sb_journal_open(path, SB_JOURNAL_READONLY | SB_JOURNAL_CREATE,
                                     &j, &err),
                     SB_ERR_NOTFOUND);
    assert_int_equal(sb_journal_open(dir, SB_JOURNAL_CREATE, &j, &err),
                     SB_ERR_IO);
    assert_non_null(strstr(err.message, "directory"));
    assert_int_equal(sb_journal_open("", SB_JOURNAL_CREATE, &j, &err),
                     SB_ERR_INVALID);
    sb_test_rmtree(dir);
    free(dir);
}

static void refuses_files_that_are_not_journals(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *text = sb_test_write(dir, "notes.txt",
                               "this is not a database, just words that are "
                               "long enough to fill a header of a hundred "
                               "bytes and then some more words\n");
    sb_journal *j;
    sb_error err;
    /* bad input, not a failure of the database */
    assert_int_equal(sb_journal_open(text, 0, &j, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "not an SQLite database"));
    assert_null(j);

    /* Someone else's SQLite database. */
    char other[4200];
    snprintf(other, sizeof other, "%s/other.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(sb_journal_open(other, 0, &j, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "not a securebase journal"));
    free(text);
    sb_test_rmtree(dir);
    free(dir);
}

static void refuses_a_newer_schema(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_journal_close(t.j);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
             sb_journal_schema_version() + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    sb_error err;
    assert_int_equal(sb_journal_open(t.path, 0, &t.j, &err), SB_ERR_STATE);
    assert_non_null(strstr(err.message, "newer securebase"));
    t.j = NULL;
    tj_close(&t);
}

static void connection_enforces_foreign_keys_and_uses_wal(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    /* Bypassing the library's own checks: SQLite itself refuses. */
    int rc = sqlite3_exec(t.j->db,
                          "INSERT INTO session(person, date, attended, minutes) "
                          "VALUES(99, '2026-01-05', 1, 50)",
                          NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(t.j->db, "PRAGMA journal_mode", -1,
                                        &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    assert_int_equal(sb_journal_check_integrity(t.j, NULL), SB_OK);
    assert_string_equal(sb_journal_path(t.j), t.path);
    tj_close(&t);
}

static void read_only_journal_refuses_writes(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    sb_journal_close(t.j);
    assert_int_equal(sb_journal_open(t.path, SB_JOURNAL_READONLY, &t.j, NULL),
                     SB_OK);
    assert_int_equal(tj_count(t.j, SB_KIND_PERSON), 1);
    sb_rec_person p;
    tj_fill(SB_KIND_PERSON, &p, "name=Bo", NULL);
    sb_error err;
    assert_int_equal(sb_journal_add(t.j, SB_KIND_PERSON, &p, &err),
                     SB_ERR_STATE);
    assert_non_null(strstr(err.message, "read-only"));
    assert_int_equal(p.id, 0);
    tj_close(&t);
}

static void memory_journal_needs_no_file(void **state)
{
    (void)state;
    sb_journal *j;
    assert_int_equal(sb_journal_open(":memory:", 0, &j, NULL), SB_OK);
    assert_int_equal(tj_person(j, "Ana"), 1);
    sb_journal_close(j);
    sb_journal_close(NULL);
}

/* A check that cannot even run (not a database) is a failure: the backup's
 * check once let a failed query pass as "ok". */
static void a_check_that_cannot_run_fails(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *path = sb_test_write(dir, "junk.db",
                               "this is not an SQLite database at all, but it "
                               "is long enough to have a header of sorts....\n"
                               "more bytes, more bytes, more bytes, more....\n");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    sb_error err;
    assert_int_equal(sb__journal_check_db(db, path, &err), SB_ERR_DB);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "cannot check integrity"));
    sqlite3_close(db);

    test_journal t;
    tj_open(&t);
    assert_int_equal(sb_journal_check_integrity(t.j, &err), SB_OK);
    tj_close(&t);
    free(path);
    sb_test_rmtree(dir);
    free(dir);
}

/*
 * Runs fn(path) in a child process: as `nobody` when the tests run as root
 * (whom file modes do not bind), so that a 0444 file in a 0555 directory is
 * read-only as on a read-only mount. Returns fn's result (0: passed).
 */
static int as_unprivileged_child(int (*fn)(const char *), const char *path)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setgid(65534) != 0 ||
                               setuid(65534) != 0))
            _exit(100);
        /* The result leaves through a shell: exec ends this copy of the
         * test's memory without a leak check of what the parent owns. */
        char code[16];
        snprintf(code, sizeof code, "exit %d", fn(path));
        execl("/bin/sh", "sh", "-c", code, (char *)NULL);
        _exit(101);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 200;
}

static int read_one_person(const char *path)
{
    sb_journal *j;
    sb_error err;
    if (sb_journal_open(path, SB_JOURNAL_READONLY, &j, &err) != SB_OK) {
        fprintf(stderr, "open: %s\n", err.message);
        return 1;
    }
    size_t n = 0;
    int rc = sb_journal_count(j, SB_KIND_PERSON, 0, &n, NULL) != SB_OK ? 2
             : n != 1                                              ? 3
             : sb_journal_check_integrity(j, NULL) != SB_OK         ? 4
                                                                    : 0;
    sb_journal_close(j);
    return rc;
}

static int expect_pending_changes_refused(const char *path)
{
    sb_journal *j;
    sb_error err;
    if (sb_journal_open(path, SB_JOURNAL_READONLY, &j, &err) == SB_OK) {
        sb_journal_close(j);
        return 1;
    }
    return strstr(err.message, "its -wal file holds changes") ? 0 : 2;
}

/* A journal on a read-only mount (a 0444 file in a 0555 directory) is read
 * without writing anything, not even the WAL index beside it. */
static void read_only_directory_is_read_without_writing(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    assert_int_equal(chmod(dir, 0755), 0);
    char ro[4200], path[4300];
    snprintf(ro, sizeof ro, "%s/ro", dir);
    snprintf(path, sizeof path, "%s/journal.db", ro);
    assert_int_equal(mkdir(ro, 0755), 0);
    sb_journal *j;
    assert_int_equal(sb_journal_open(path, SB_JOURNAL_CREATE, &j, NULL), SB_OK);
    tj_person(j, "Ana");
    sb_journal_close(j);
    assert_false(sb_test_exists(path, "-wal")); /* a clean close folds the WAL in */
    size_t len_before, len_after;
    char *before = sb_test_bytes(path, &len_before);
    assert_non_null(before);
    assert_int_equal(chmod(path, 0444), 0);
    assert_int_equal(chmod(ro, 0555), 0);
    assert_int_equal(as_unprivileged_child(read_one_person, path), 0);
    assert_false(sb_test_exists(path, "-wal"));
    assert_false(sb_test_exists(path, "-shm"));
    char *after = sb_test_bytes(path, &len_after);
    assert_int_equal(len_after, len_before);
    assert_memory_equal(after, before, len_before);
    free(before);
    free(after);

    /* Changes still in the -wal cannot be read there without writing: they
     * are not silently left out. */
    assert_int_equal(chmod(ro, 0755), 0);
    assert_int_equal(chmod(path, 0644), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
                                       NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO person(name) VALUES('Bo')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_true(sb_test_exists(path, "-wal"));
    char shm[4400];
    snprintf(shm, sizeof shm, "%s-shm", path);
    unlink(shm);
    assert_int_equal(chmod(ro, 0555), 0);
    assert_int_equal(as_unprivileged_child(expect_pending_changes_refused, path),
                     0);
    assert_int_equal(chmod(ro, 0755), 0);
    sb_test_rmtree(dir);
    free(dir);
}

/* Only a command that creates journals turns a missing or empty file into
 * one; any other open leaves the file as it was. */
static void only_create_makes_a_journal(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *empty = sb_test_write(dir, "empty.db", "");
    assert_int_equal(chmod(empty, 0644), 0);
    sb_journal *j;
    sb_error err;
    unsigned flags[] = {0, SB_JOURNAL_READONLY};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(sb_journal_open(empty, flags[i], &j, &err),
                         SB_ERR_NOTFOUND);
        assert_non_null(strstr(err.message, "is an empty file, not a journal"));
        struct stat st;
        assert_int_equal(stat(empty, &st), 0);
        assert_int_equal(st.st_size, 0);
        assert_int_equal(st.st_mode & 0777, 0644);
    }
    /* an SQLite database without tables is not a journal yet either */
    char bare[4200];
    snprintf(bare, sizeof bare, "%s/bare.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(bare, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); DROP TABLE t;", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(sb_journal_open(bare, flags[i], &j, &err),
                         SB_ERR_NOTFOUND);
        assert_non_null(strstr(err.message, "empty database, not a journal"));
    }
    assert_int_equal(sb_journal_open(bare, SB_JOURNAL_CREATE, &j, &err), SB_OK);
    sb_journal_close(j);
    /* creating one from an empty file makes it private, like a new one */
    assert_int_equal(sb_journal_open(empty, SB_JOURNAL_CREATE, &j, &err), SB_OK);
    sb_journal_close(j);
    struct stat st;
    assert_int_equal(stat(empty, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(sb_journal_open(empty, SB_JOURNAL_READONLY, &j, &err),
                     SB_OK);
    sb_journal_close(j);
    /* a FIFO (or any file that is not regular) is not a journal */
    char fifo[4200];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(sb_journal_open(fifo, SB_JOURNAL_CREATE, &j, &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "not a regular file"));
    free(empty);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(creates_private_file_and_directories),
        cmocka_unit_test(missing_journal_is_not_created_without_the_flag),
        cmocka_unit_test(refuses_files_that_are_not_journals),
        cmocka_unit_test(refuses_a_newer_schema),
        cmocka_unit_test(connection_enforces_foreign_keys_and_uses_wal),
        cmocka_unit_test(read_only_journal_refuses_writes),
        cmocka_unit_test(memory_journal_needs_no_file),
        cmocka_unit_test(a_check_that_cannot_run_fails),
        cmocka_unit_test(read_only_directory_is_read_without_writing),
        cmocka_unit_test(only_create_makes_a_journal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
