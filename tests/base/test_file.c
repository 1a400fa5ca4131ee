/* Tests for src/base/file.c: atomic writes, reads and mkdir -p. */
#include "support.h"

#include <securebase/base.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void atomic_write_replaces_whole_file(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *path = sb_test_write(dir, "out.txt", "old contents\n");
    sb_error err;
    sb_error_clear(&err);
    assert_int_equal(sb_write_file_atomic(path, "new\n", 4, &err), SB_OK);
    char *got = sb_test_slurp(path);
    assert_string_equal(got, "new\n");
    assert_int_equal(count_entries(dir), 1); /* no temporary left behind */
    free(got);
    free(path);
    sb_test_rmtree(dir);
    free(dir);
}

static void aborted_write_leaves_old_file(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *path = sb_test_write(dir, "out.txt", "old\n");
    sb_atomic_file *af;
    assert_int_equal(sb_atomic_open(path, &af, NULL), SB_OK);
    fputs("half of something", sb_atomic_stream(af));
    sb_atomic_abort(af);
    char *got = sb_test_slurp(path);
    assert_string_equal(got, "old\n");
    assert_int_equal(count_entries(dir), 1);
    free(got);
    free(path);
    sb_test_rmtree(dir);
    free(dir);
}

/* A stream whose error indicator was set earlier (here by reading from a
 * write-only stream) is not committed, and the message gives a cause
 * rather than whatever errno holds by then. */
static void commit_after_a_stream_error_fails_with_a_cause(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    sb_atomic_file *af;
    sb_error err;
    assert_int_equal(sb_atomic_open(path, &af, &err), SB_OK);
    FILE *f = sb_atomic_stream(af);
    fputs("half", f);
    assert_int_equal(fgetc(f), EOF);
    assert_true(ferror(f));
    errno = 0;
    assert_int_equal(sb_atomic_commit(af, &err), SB_ERR_IO);
    assert_string_equal(err.file, path);
    assert_null(strstr(err.message, "Success"));
    assert_non_null(strstr(err.message, "cannot write: "));
    assert_int_equal(count_entries(dir), 0);
    sb_test_rmtree(dir);
    free(dir);
}

static void private_files_are_never_wider_than_0600(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/private.txt", dir);
    sb_atomic_file *af;
    assert_int_equal(sb_atomic_open_mode(path, 0600, &af, NULL), SB_OK);
    struct stat st;
    /* Already private while being written, not only after the commit. */
    assert_int_equal(fstat(fileno(sb_atomic_stream(af)), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    fputs("secret", sb_atomic_stream(af));
    assert_int_equal(sb_atomic_commit(af, NULL), SB_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* The ordinary open gives an ordinary result file. */
    snprintf(path, sizeof path, "%s/public.txt", dir);
    assert_int_equal(sb_write_file_atomic(path, "x", 1, NULL), SB_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    sb_test_rmtree(dir);
    free(dir);
}

static void open_in_missing_directory_names_the_path(void **state)
{
    (void)state;
    sb_error err;
    sb_atomic_file *af = NULL;
    sb_status st = sb_atomic_open("/nonexistent/dir/x.json", &af, &err);
    assert_int_equal(st, SB_ERR_IO);
    assert_null(af);
    assert_string_equal(err.file, "/nonexistent/dir/x.json");
    assert_non_null(strstr(err.message, "temporary"));
}

/* Writes a file that starts like an SQLite database (the header's magic). */
static char *fake_database(const char *dir, const char *name)
{
    char *path = sb_test_write(dir, name, "");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite("SQLite format 3\0", 1, 16, f);
    for (int i = 0; i < 4080; i++)
        fputc(0, f);
    fclose(f);
    return path;
}

static void assert_refused(const char *path, const char *why)
{
    sb_error err;
    sb_atomic_file *af = NULL;
    assert_int_equal(sb_atomic_open(path, &af, &err), SB_ERR_INVALID);
    assert_null(af);
    assert_string_equal(err.file, path);
    if (!strstr(err.message, why))
        fail_msg("%s: %s", path, err.message);
    assert_int_equal(sb_write_file_atomic(path, "x", 1, NULL), SB_ERR_INVALID);
}

/* No result is ever renamed over a database or the files beside it: by
 * name, through a link, or under another name. */
static void never_replaces_a_database(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *db = fake_database(dir, "q.db");
    char path[4300];
    assert_refused(db, "is an SQLite database (a journal?)");
    snprintf(path, sizeof path, "%s/link.html", dir);
    assert_int_equal(symlink(db, path), 0);
    assert_refused(path, "is an SQLite database");
    snprintf(path, sizeof path, "%s/hard.csv", dir);
    assert_int_equal(link(db, path), 0);
    assert_refused(path, "is an SQLite database");
    /* the -wal and -shm beside it, whether they exist now or not */
    snprintf(path, sizeof path, "%s-shm", db);
    assert_refused(path, "is the -shm file of the SQLite database");
    char *wal = sb_test_write(dir, "q.db-wal", "");
    assert_refused(wal, "is the -wal file of the SQLite database");
    snprintf(path, sizeof path, "%s/wal-link", dir);
    assert_int_equal(symlink(wal, path), 0);
    assert_refused(path, "is the -wal file");
    snprintf(path, sizeof path, "%s/./q.db-journal", dir);
    assert_refused(path, "is the -journal file");
    /* a write-ahead log under any name */
    char *log = sb_test_write(dir, "log.bin", "\x37\x7f\x06\x82rest of a log");
    assert_refused(log, "write-ahead log");
    assert_int_equal(count_entries(dir), 6); /* nothing added or replaced */
    char *head = sb_test_slurp(db);
    assert_memory_equal(head, "SQLite format 3", 15);
    free(head);
    /* files that merely look related are ordinary outputs */
    snprintf(path, sizeof path, "%s/notes-wal", dir);
    assert_int_equal(sb_write_file_atomic(path, "x", 1, NULL), SB_OK);
    snprintf(path, sizeof path, "%s/q.db.csv", dir);
    assert_int_equal(sb_write_file_atomic(path, "x", 1, NULL), SB_OK);
    free(db);
    free(wal);
    free(log);
    sb_test_rmtree(dir);
    free(dir);
}

static void mkdir_p_makes_parents_and_is_idempotent(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    assert_int_equal(sb_mkdir_p(path, 0, NULL), SB_OK);
    assert_int_equal(sb_mkdir_p(path, 0, NULL), SB_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    char *file = sb_test_write(dir, "plain", "x");
    sb_error err;
    assert_int_equal(sb_mkdir_p(file, 0, &err), SB_ERR_IO);
    free(file);
    sb_test_rmtree(dir);
    free(dir);
}

static void read_file_returns_contents_and_size(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *path = sb_test_write(dir, "f", "hello\nworld");
    char *data;
    size_t size;
    assert_int_equal(sb_read_file(path, &data, &size, NULL), SB_OK);
    assert_int_equal(size, 11);
    assert_string_equal(data, "hello\nworld");
    free(data);
    sb_error err;
    assert_int_equal(sb_read_file("/nonexistent/f", &data, &size, &err),
                     SB_ERR_IO);
    assert_null(data);
    assert_string_equal(err.file, "/nonexistent/f");
    free(path);
    sb_test_rmtree(dir);
    free(dir);
}

/* A limit of exactly the file's size reads it; one less refuses it, naming
 * the limit; the growth past 4096 bytes keeps every byte. */
static void read_file_max_takes_up_to_the_limit(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char big[10001];
    for (size_t i = 0; i < sizeof big - 1; i++)
        big[i] = (char)('a' + i % 26);
    big[sizeof big - 1] = '\0';
    char *path = sb_test_write(dir, "big", big);
    char *data;
    size_t size;
    sb_error err;
    assert_int_equal(sb_read_file_max(path, 10000, &data, &size, &err), SB_OK);
    assert_int_equal(size, 10000);
    assert_string_equal(data, big);
    free(data);
    assert_int_equal(sb_read_file_max(path, 9999, &data, &size, &err),
                     SB_ERR_INVALID);
    assert_null(data);
    assert_int_equal(size, 0);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "larger than 9999 bytes"));
    char *empty = sb_test_write(dir, "empty", "");
    assert_int_equal(sb_read_file_max(empty, 0, &data, &size, &err), SB_OK);
    assert_int_equal(size, 0);
    assert_string_equal(data, "");
    free(data);
    assert_int_equal(sb_read_file_max(path, 0, &data, &size, &err),
                     SB_ERR_INVALID);
    /* A directory is not read: the cause is named. */
    assert_int_equal(sb_read_file(dir, &data, &size, &err), SB_ERR_IO);
    assert_non_null(strstr(err.message, "cannot read: "));
    free(empty);
    free(path);
    sb_test_rmtree(dir);
    free(dir);
}

/*
 * A FIFO with no writer, a device that never ends and a directory are
 * refused when opened, before anything waits or reads; the alarm fails the
 * test instead of hanging it if that ever regresses.
 */
static void inputs_must_be_regular_files(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char *fifo = sb_test_fifo(dir, "pipe.csv");
    char *plain = sb_test_write(dir, "plain.txt", "text\n");
    alarm(20);
    FILE *f = (FILE *)&f;
    sb_error err;
    assert_int_equal(sb_file_open_read(fifo, &f, &err), SB_ERR_IO);
    assert_null(f);
    assert_string_equal(err.file, fifo);
    assert_non_null(strstr(err.message, "it is a FIFO (named pipe), not a "
                                        "regular file"));
    char *data;
    size_t size;
    assert_int_equal(sb_read_file(fifo, &data, &size, &err), SB_ERR_IO);
    assert_null(data);
    assert_non_null(strstr(err.message, "FIFO"));
    assert_int_equal(sb_read_file_max(fifo, 100, &data, &size, &err),
                     SB_ERR_IO);
    assert_int_equal(sb_read_file("/dev/zero", &data, &size, &err), SB_ERR_IO);
    assert_non_null(strstr(err.message, "it is a character device"));
    assert_int_equal(sb_file_open_read("/dev/null", &f, &err), SB_ERR_IO);
    assert_int_equal(sb_file_open_read(dir, &f, &err), SB_ERR_IO);
    assert_non_null(strstr(err.message, "it is a directory"));
    assert_int_equal(sb_file_open_read(plain, &f, &err), SB_OK);
    char line[16];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "text\n");
    fclose(f);
    /* A symbolic link to a regular file is that file. */
    char link[4200];
    snprintf(link, sizeof link, "%s/link", dir);
    assert_int_equal(symlink(plain, link), 0);
    assert_int_equal(sb_read_file(link, &data, &size, &err), SB_OK);
    assert_string_equal(data, "text\n");
    free(data);
    alarm(0);
    free(plain);
    free(fifo);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(atomic_write_replaces_whole_file),
        cmocka_unit_test(aborted_write_leaves_old_file),
        cmocka_unit_test(commit_after_a_stream_error_fails_with_a_cause),
        cmocka_unit_test(private_files_are_never_wider_than_0600),
        cmocka_unit_test(open_in_missing_directory_names_the_path),
        cmocka_unit_test(never_replaces_a_database),
        cmocka_unit_test(mkdir_p_makes_parents_and_is_idempotent),
        cmocka_unit_test(read_file_returns_contents_and_size),
        cmocka_unit_test(read_file_max_takes_up_to_the_limit),
        cmocka_unit_test(inputs_must_be_regular_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
