/*
 * Backups through SQLite's online backup API: a consistent copy even while
 * the journal is in use, written to a private temporary file beside the
 * destination, checked, made self-contained (no WAL beside it), synced and
 * only then renamed into place.
 */
#include "journal/db.h"

#include "base/str.h"
#include "base/temp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Times a busy source is retried (the busy timeout does not cover backup). */
#define BACKUP_RETRIES 50
#define BACKUP_RETRY_MS 100

static void sync_dir_of(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    char *slash = strrchr(copy, '/');
    const char *dir = ".";
    if (slash == copy)
        dir = "/";
    else if (slash) {
        *slash = '\0';
        dir = copy;
    }
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(copy);
}

/* Copies the journal into the database at `tmp` and checks the copy. */
static sb_status copy_into(sb_journal *j, const char *tmp, const char *dest,
                           sb_error *err)
{
    sqlite3 *db = NULL;
    sb_status st = SB_OK;
    if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        st = sb_error_set(err, SB_ERR_IO, dest, 0, 0,
                          "cannot open the backup: %s", sqlite3_errmsg(db));
        sqlite3_close(db);
        return st;
    }
    sqlite3_backup *b = sqlite3_backup_init(db, "main", j->db, "main");
    if (!b) {
        st = sb_error_set(err, SB_ERR_DB, dest, 0, 0,
                          "cannot start the backup: %s", sqlite3_errmsg(db));
        sqlite3_close(db);
        return st;
    }
    int rc, tries = 0;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
           rc == SQLITE_LOCKED) {
        if (++tries > BACKUP_RETRIES)
            break;
        sqlite3_sleep(BACKUP_RETRY_MS);
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        st = sb_error_set(err, SB_ERR_DB, dest, 0, 0,
                          "the backup did not complete: %s",
                          sqlite3_errstr(rc));
        sqlite3_close(db);
        return st;
    }
    /* One self-contained file; the journal turns WAL back on when opened. */
    char *msg = NULL;
    if (sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL, NULL, &msg) !=
        SQLITE_OK)
        st = sb_error_set(err, SB_ERR_DB, dest, 0, 0,
                          "cannot finish the backup: %s", msg ? msg : "");
    sqlite3_free(msg);
    /* A check that cannot run counts as failed, like one that finds fault. */
    if (st == SB_OK && (st = sb__journal_check_db(db, dest, err)) != SB_OK)
        sb_error_prefix(err, "the backup failed its check: ");
    if (sqlite3_close(db) != SQLITE_OK && st == SB_OK)
        st = sb_error_set(err, SB_ERR_IO, dest, 0, 0,
                          "cannot close the backup");
    return st;
}

sb_status sb_journal_backup(sb_journal *j, const char *dest, sb_error *err)
{
    if (!dest[0])
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "the backup's path is empty");
    sb_status st = sb_journal_guard_output(j, dest, err);
    if (st != SB_OK)
        return st;
    struct stat sb;
    if (stat(dest, &sb) == 0 && S_ISDIR(sb.st_mode))
        return sb_error_set(err, SB_ERR_INVALID, dest, 0, 0,
                            "is a directory; give the backup's file name");
    char *tmp;
    int fd;
    /* 0600 like the journal; stale ones of killed backups are removed. */
    if ((st = sb__temp_create(dest, &fd, &tmp, err)) != SB_OK)
        return st;
    close(fd);
    st = copy_into(j, tmp, dest, err);
    if (st == SB_OK) {
        fd = open(tmp, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0)
            st = sb_error_set(err, SB_ERR_IO, dest, 0, 0,
                              "cannot sync the backup: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    if (st == SB_OK && rename(tmp, dest) != 0)
        st = sb_error_set(err, SB_ERR_IO, dest, 0, 0, "cannot write: %s",
                          strerror(errno));
    if (st == SB_OK) {
        sync_dir_of(dest);
    } else {
        unlink(tmp);
        /* A failed copy may have left its journal file beside the temporary. */
        static const char *const sides[] = {"-journal", "-wal", "-shm"};
        for (size_t i = 0; i < 3; i++) {
            char *side = sb__str_concat(tmp, sides[i]);
            if (side)
                unlink(side);
            free(side);
        }
    }
    free(tmp);
    return st;
}
