/* Tests for src/journal/schema.c: migrations and the constraints as backstop. */
#include "journal/helpers.h"
#include "journal/db.h"
#include "journal/schema.h"
#include <securebase/audit.h>

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st,
                                        NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void migrates_a_version_1_journal_keeping_its_records(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/old.db", dir);
    /* A journal as the first schema left it. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sb__journal_migrate(db, path, 1, NULL), SB_OK);
    assert_int_equal(user_version(db), 1);
    const char *old_rows =
        "INSERT INTO person(name) VALUES('Ana');"
        "INSERT INTO session(person, date, attended, minutes) "
        "  VALUES(1, '2025-09-01', 1, 50), (1, '2025-09-08', 0, 50);"
        "INSERT INTO assessment(person, instrument, date) "
        "  VALUES(1, 'ECR-R', '2025-09-01');"
        "INSERT INTO assessment_item(assessment, position, answer) "
        "  VALUES(1, 1, 4), (1, 2, NULL);";
    assert_int_equal(sqlite3_exec(db, old_rows, NULL, NULL, NULL), SQLITE_OK);
    /* Version 1 had no table of scores. */
    assert_int_not_equal(sqlite3_exec(db, "SELECT * FROM assessment_score",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);

    sb_journal *j;
    sb_error err;
    assert_int_equal(sb_journal_open(path, 0, &j, &err), SB_OK);
    assert_int_equal(user_version(j->db), sb_journal_schema_version());
    assert_int_equal(sb_journal_schema_version(), 5);
    assert_int_equal(tj_count(j, SB_KIND_SESSION), 2);
    sb_rec_assessment a;
    assert_int_equal(sb_journal_get(j, SB_KIND_ASSESSMENT, 1, &a, &err), SB_OK);
    assert_int_equal(a.item_count, 2);
    assert_true(a.items[0] == 4.0);
    assert_true(a.items[1] != a.items[1]); /* NaN: the missing answer */
    assert_int_equal(sqlite3_exec(j->db, "SELECT * FROM assessment_score", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sb_journal_check_integrity(j, NULL), SB_OK);
    sb_journal_close(j);

    /* A read-only open of an old journal says it needs migrating. */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(sb_journal_open(path, SB_JOURNAL_READONLY, &j, &err),
                     SB_ERR_STATE);
    assert_non_null(strstr(err.message, "needs migrating"));
    sb_test_rmtree(dir);
    free(dir);
}

static void migrates_a_version_3_journal_keeping_its_audit_log(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/old.db", dir);
    /* A journal of the web app before the audit spool's mark. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sb__journal_migrate(db, path, 3, NULL), SB_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO audit(at, account, username, "
                                  "action, kind, record, person, address, "
                                  "detail) VALUES('2026-01-01T00:00:00.000Z', "
                                  "1, 'dr.a', 'read', 'caseload', 0, 1, "
                                  "'127.0.0.1', '/caseload')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "SELECT * FROM audit_spool_mark",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);

    sb_journal *j;
    sb_error err;
    assert_int_equal(sb_journal_open(path, 0, &j, &err), SB_OK);
    assert_int_equal(user_version(j->db), sb_journal_schema_version());
    size_t n;
    assert_int_equal(sb_audit_count(j, &n, &err), SB_OK);
    assert_int_equal(n, 1);
    /* The mark: one row per spool identity (32 hex digits), from 1 up. */
    assert_int_equal(sqlite3_exec(j->db,
                                  "INSERT INTO audit_spool_mark VALUES("
                                  "'0123456789abcdef0123456789abcdef', 5)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    const char *bad[] = {
        "INSERT INTO audit_spool_mark VALUES('short', 5)",
        "INSERT INTO audit_spool_mark VALUES("
        "'fedcba9876543210fedcba9876543210', 0)",
        "INSERT INTO audit_spool_mark VALUES("
        "'0123456789abcdef0123456789abcdef', 6)",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = sqlite3_exec(j->db, bad[i], NULL, NULL, NULL);
        if ((rc & 0xff) != SQLITE_CONSTRAINT)
            fail_msg("accepted: %s", bad[i]);
    }
    assert_int_equal(sb_journal_check_integrity(j, NULL), SB_OK);
    sb_journal_close(j);
    sb_test_rmtree(dir);
    free(dir);
}

static void failed_migration_changes_nothing(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/old.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sb__journal_migrate(db, path, 1, NULL), SB_OK);
    /* Something in the way of step 2: its table name is taken. */
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE assessment_score(x)", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    sb_journal *j;
    sb_error err;
    assert_int_equal(sb_journal_open(path, 0, &j, &err), SB_ERR_DB);
    assert_non_null(strstr(err.message, "from version 1 to 2"));
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(user_version(db), 1);
    /* The indexes of step 2 were rolled back with it. */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM sqlite_schema "
                                        "WHERE type = 'index' AND name LIKE "
                                        "'%_by_person'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* Neither past the newest version nor backwards. */
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sb__journal_migrate(db, "mem", 99, &err), SB_ERR_STATE);
    assert_int_equal(sb__journal_migrate(db, "mem", 2, &err), SB_OK);
    assert_int_equal(sb__journal_migrate(db, "mem", 1, &err), SB_ERR_STATE);
    sqlite3_close(db);
    sb_test_rmtree(dir);
    free(dir);
}

static void constraints_refuse_what_validation_refuses(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    const char *bad[] = {
        "INSERT INTO session(person, date, attended, minutes) "
        "VALUES(1, '2026-02-30', 1, 50)",
        "INSERT INTO session(person, date, attended, minutes) "
        "VALUES(1, '2026-2-3', 1, 50)",
        "INSERT INTO session(person, date, attended, minutes) "
        "VALUES(1, '2026-01-05', 2, 50)",
        "INSERT INTO session(person, date, attended, minutes) "
        "VALUES(1, '2026-01-05', 1, 0)",
        "INSERT INTO reflection(person, date, \"trigger\", tried, intensity) "
        "VALUES(1, '2026-01-05', 'x', 0, 11)",
        "INSERT INTO relationship(person, kind, name, supportive, secure, "
        "start, \"end\") VALUES(1, 'partner', 'S', 1, 1, '2026-01-05', "
        "'2026-01-04')",
        "INSERT INTO relationship(person, kind, name, supportive, secure, "
        "start) VALUES(1, 'boss', 'S', 1, 1, '2026-01-05')",
        "INSERT INTO practice(person, date, behaviour, outcome) "
        "VALUES(1, '2026-01-05', 'ask', 'great')",
        "INSERT INTO person(name) VALUES('Ana')",
        "INSERT INTO person(name) VALUES('')",
        "INSERT INTO assessment_item(assessment, position, answer) "
        "VALUES(42, 1, 3)",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = sqlite3_exec(t.j->db, bad[i], NULL, NULL, NULL);
        if ((rc & 0xff) != SQLITE_CONSTRAINT)
            fail_msg("accepted: %s", bad[i]);
    }
    assert_int_equal(sqlite3_exec(t.j->db,
                                  "INSERT INTO session(person, date, attended, "
                                  "minutes) VALUES(1, '2024-02-29', 0, 50)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrates_a_version_1_journal_keeping_its_records),
        cmocka_unit_test(migrates_a_version_3_journal_keeping_its_audit_log),
        cmocka_unit_test(failed_migration_changes_nothing),
        cmocka_unit_test(constraints_refuse_what_validation_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
