/* Tests for src/journal/backup.c: a whole, private, self-contained copy. */
#include "journal/helpers.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void backup_is_a_whole_private_journal(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    for (int i = 0; i < 50; i++) {
        sb_rec_session s;
        tj_fill(SB_KIND_SESSION, &s, "person=1", "date=2026-01-05",
                "attended=yes", "minutes=50", NULL);
        tj_add(t.j, SB_KIND_SESSION, &s);
    }
    char sub[4300], dest[4400];
    snprintf(sub, sizeof sub, "%s/backups", t.dir);
    assert_int_equal(sb_mkdir_p(sub, 0700, NULL), SB_OK);
    snprintf(dest, sizeof dest, "%s/copy.db", sub);
    sb_error err;
    if (sb_journal_backup(t.j, dest, &err) != SB_OK)
        fail_msg("%s", err.message);
    /* The journal itself is still open and in use: add after the copy. */
    tj_person(t.j, "Bo");
    assert_int_equal(entries(sub), 1); /* no temporary, no WAL beside it */
    struct stat st;
    assert_int_equal(stat(dest, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    sb_journal *copy;
    assert_int_equal(sb_journal_open(dest, 0, &copy, NULL), SB_OK);
    assert_int_equal(sb_journal_check_integrity(copy, NULL), SB_OK);
    assert_int_equal(tj_count(copy, SB_KIND_SESSION), 50);
    assert_int_equal(tj_count(copy, SB_KIND_PERSON), 1);
    sb_journal_close(copy);
    /* A second backup replaces the first. */
    assert_int_equal(sb_journal_backup(t.j, dest, NULL), SB_OK);
    assert_int_equal(sb_journal_open(dest, SB_JOURNAL_READONLY, &copy, NULL),
                     SB_OK);
    assert_int_equal(tj_count(copy, SB_KIND_PERSON), 2);
    sb_journal_close(copy);
    tj_close(&t);
}

static void refuses_bad_destinations(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    sb_error err;
    assert_int_equal(sb_journal_backup(t.j, t.path, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "the journal itself"));
    /* nor the files beside it (the open journal has them), by name or
     * through a link, nor the journal through a link */
    const char *sides[] = {"-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 3; i++) {
        char side[4300];
        snprintf(side, sizeof side, "%s%s", t.path, sides[i]);
        assert_int_equal(sb_journal_backup(t.j, side, &err), SB_ERR_INVALID);
        char want[64];
        snprintf(want, sizeof want, "is the journal's %s file", sides[i]);
        assert_non_null(strstr(err.message, want));
    }
    char link_path[4300], target[4300];
    snprintf(link_path, sizeof link_path, "%s/link.db", t.dir);
    assert_int_equal(symlink(t.path, link_path), 0);
    assert_int_equal(sb_journal_backup(t.j, link_path, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "the journal itself"));
    snprintf(link_path, sizeof link_path, "%s/wal-link", t.dir);
    snprintf(target, sizeof target, "%s-wal", t.path);
    assert_int_equal(symlink(target, link_path), 0);
    assert_int_equal(sb_journal_backup(t.j, link_path, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "-wal file"));
    assert_int_equal(sb_journal_backup(t.j, t.dir, &err), SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "directory"));
    assert_int_equal(sb_journal_backup(t.j, "", &err), SB_ERR_INVALID);
    assert_int_equal(sb_journal_backup(t.j, "/nonexistent/dir/copy.db", &err),
                     SB_ERR_IO);
    assert_string_equal(err.file, "/nonexistent/dir/copy.db");
    assert_int_equal(tj_count(t.j, SB_KIND_PERSON), 1);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backup_is_a_whole_private_journal),
        cmocka_unit_test(refuses_bad_destinations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
