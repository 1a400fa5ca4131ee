/*
 * The audit log: entries are appended with a time and read back newest
 * first, the table refuses changes and deletions, hostile text is kept
 * literally, and the CSV export neutralises nothing it should keep.
 */
#include "journal/helpers.h"

#include <securebase/audit.h>

#include <sqlite3.h>

static void entries_are_appended_and_listed_newest_first(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    for (int i = 0; i < 5; i++) {
        sb_audit_entry e = {0};
        e.account = 3;
        snprintf(e.username, sizeof e.username, "dr.a");
        snprintf(e.action, sizeof e.action, "%s", i % 2 ? "read" : "add");
        snprintf(e.kind, sizeof e.kind, "reflection");
        e.record = 10 + i;
        e.person = i < 3 ? 1 : 2;
        snprintf(e.address, sizeof e.address, "127.0.0.1");
        snprintf(e.detail, sizeof e.detail, "'; DELETE FROM audit; -- %d", i);
        assert_int_equal(sb_audit_append(t.j, &e, 1767225600123LL + i, &err),
                         SB_OK);
        assert_true(e.id > 0);
    }
    sb_audit_entry *list;
    size_t n;
    assert_int_equal(sb_audit_list(t.j, 0, 0, 3, &list, &n, &err), SB_OK);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].record, 14);
    assert_string_equal(list[0].at, "2026-01-01T00:00:00.127Z");
    assert_string_equal(list[0].detail, "'; DELETE FROM audit; -- 4");
    sb_id before = list[2].id;
    free(list);
    assert_int_equal(sb_audit_list(t.j, 0, before, 10, &list, &n, &err),
                     SB_OK);
    assert_int_equal(n, 2);
    free(list);
    assert_int_equal(sb_audit_list(t.j, 2, 0, 10, &list, &n, &err), SB_OK);
    assert_int_equal(n, 2);
    free(list);
    size_t count;
    assert_int_equal(sb_audit_count(t.j, &count, &err), SB_OK);
    assert_int_equal(count, 5);
    tj_close(&t);
}

static void the_log_cannot_be_changed_or_shortened(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_audit_entry e = {0};
    snprintf(e.username, sizeof e.username, "admin");
    snprintf(e.action, sizeof e.action, "read");
    assert_int_equal(sb_audit_append(t.j, &e, 0, &err), SB_OK);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(t.path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET username = 'x'",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(db), "append-only"));
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL,
                                      NULL),
                         SQLITE_OK);
    sqlite3_close(db);
    size_t count;
    assert_int_equal(sb_audit_count(t.j, &count, &err), SB_OK);
    assert_int_equal(count, 1);
    tj_close(&t);
}

static void the_export_is_csv_with_a_header(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_audit_entry e = {0};
    snprintf(e.username, sizeof e.username, "dr.a");
    snprintf(e.action, sizeof e.action, "export");
    snprintf(e.kind, sizeof e.kind, "journal");
    e.person = 4;
    snprintf(e.detail, sizeof e.detail, "format csv, \"quoted\"\nline");
    assert_int_equal(sb_audit_append(t.j, &e, 1000, &err), SB_OK);
    char path[4300];
    snprintf(path, sizeof path, "%s/audit.csv", t.dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(sb_audit_export_csv(t.j, f, &err), SB_OK);
    fclose(f);
    char *text = sb_test_slurp(path);
    assert_non_null(strstr(text, "id,at,account,username,action,kind,record,"
                                 "person,address,detail\n"));
    assert_non_null(strstr(text, "1,1970-01-01T00:00:01.000Z,,dr.a,export,"
                                 "journal,,4,,\"format csv, \"\"quoted\"\"\n"
                                 "line\"\n"));
    free(text);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entries_are_appended_and_listed_newest_first),
        cmocka_unit_test(the_log_cannot_be_changed_or_shortened),
        cmocka_unit_test(the_export_is_csv_with_a_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
