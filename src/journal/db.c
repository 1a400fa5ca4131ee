/*
 * Opening and closing a journal: creating the file privately (0600 in a 0700 directory), the connection settings
 * (foreign keys, WAL, busy timeout, full sync), recognising our own files,
 * migrations on open, transactions and integrity checks.
 */
#include "base/path.h"
#include "base/str.h"
#include "journal/db.h"
#include "journal/schema.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long a writer waits for another process's lock before giving up. */
#define BUSY_TIMEOUT_MS 5000

sb_status sb__journal_db_error(sb_journal *j, sb_error *err, const char *doing)
{
    return sb_error_set(err, SB_ERR_DB, j->path, 0, 0, "%s: %s", doing,
                        sqlite3_errmsg(j->db));
}

sb_status sb__journal_exec(sb_journal *j, const char *sql, sb_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(j->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return SB_OK;
    sb_status st = sb_error_set(err, SB_ERR_DB, j->path, 0, 0, "%s",
                                msg ? msg : sqlite3_errmsg(j->db));
    sqlite3_free(msg);
    return st;
}

sb_status sb__journal_begin(sb_journal *j, sb_error *err)
{
    if (j->readonly)
        return sb_error_set(err, SB_ERR_STATE, j->path, 0, 0,
                            "the journal was opened read-only");
    /* Inside a caller's transaction a write is a savepoint: it can fail
     * alone, and it is kept only when the whole transaction is. */
    sb_status st = sb__journal_exec(j, j->depth ? "SAVEPOINT sb_nested"
                                                : "BEGIN IMMEDIATE",
                                    err);
    if (st != SB_OK)
        sb_error_prefix(err, "cannot start a transaction: ");
    else
        j->depth++;
    return st;
}

sb_status sb__journal_commit(sb_journal *j, sb_error *err)
{
    sb_status st = sb__journal_exec(j, j->depth > 1 ? "RELEASE sb_nested"
                                                    : "COMMIT",
                                    err);
    if (st != SB_OK) {
        sb_error_prefix(err, "cannot commit: ");
        sb__journal_rollback(j);
        return st;
    }
    if (j->depth)
        j->depth--;
    return st;
}

void sb__journal_rollback(sb_journal *j)
{
    if (j->depth > 1) {
        (void)sqlite3_exec(j->db, "ROLLBACK TO sb_nested; RELEASE sb_nested",
                           NULL, NULL, NULL);
        j->depth--;
        return;
    }
    j->depth = 0;
    if (!sqlite3_get_autocommit(j->db))
        (void)sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
}

sb_status sb__journal_end(sb_journal *j, sb_status st, sb_error *err)
{
    if (st == SB_OK)
        return sb__journal_commit(j, err);
    sb__journal_rollback(j);
    return st;
}

sb_status sb_journal_transaction(sb_journal *j, sb_error *err)
{
    return sb__journal_begin(j, err);
}

sb_status sb_journal_transaction_commit(sb_journal *j, sb_error *err)
{
    return sb__journal_commit(j, err);
}

void sb_journal_transaction_rollback(sb_journal *j)
{
    sb__journal_rollback(j);
}

/* The parent directory of `path`, made 0700 when missing. */
static sb_status make_parent(const char *path, sb_error *err)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return SB_OK;
    size_t n = (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (!dir)
        return sb_error_set(err, SB_ERR_NOMEM, path, 0, 0, "out of memory");
    memcpy(dir, path, n);
    dir[n] = '\0';
    struct stat sb;
    sb_status st = SB_OK;
    if (stat(dir, &sb) != 0)
        st = sb_mkdir_p(dir, 0700, err);
    free(dir);
    return st;
}

/*
 * Creates the file empty and private (SQLite gives WAL files the same mode),
 * or checks that an existing one can be a journal. Only a command that
 * creates journals may turn an empty file into one: any other finding an
 * empty file (a typo in --db, a `touch`) says so and leaves it alone.
 */
static sb_status prepare_file(const char *path, unsigned flags, sb_error *err)
{
    struct stat sb;
    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return sb_error_set(err, SB_ERR_IO, path, 0, 0,
                                "is a directory, not a journal file");
        if (!S_ISREG(sb.st_mode))
            return sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                                "is not a regular file, so not a journal");
        if (sb.st_size == 0 && !(flags & SB_JOURNAL_CREATE))
            return sb_error_set(err, SB_ERR_NOTFOUND, path, 0, 0,
                                "is an empty file, not a journal");
        /* An empty file becomes a journal: private, like a new one. */
        if (sb.st_size == 0 && !(flags & SB_JOURNAL_READONLY) &&
            chmod(path, 0600) != 0)
            return sb_error_set(err, SB_ERR_IO, path, 0, 0,
                                "cannot make it private (0600): %s",
                                strerror(errno));
        return SB_OK;
    }
    if (errno != ENOENT)
        return sb_error_set(err, SB_ERR_IO, path, 0, 0, "cannot open: %s",
                            strerror(errno));
    if (!(flags & SB_JOURNAL_CREATE) || (flags & SB_JOURNAL_READONLY))
        return sb_error_set(err, SB_ERR_NOTFOUND, path, 0, 0,
                            "no journal exists at this path");
    sb_status st = make_parent(path, err);
    if (st != SB_OK)
        return st;
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return sb_error_set(err, SB_ERR_IO, path, 0, 0, "cannot create: %s",
                            strerror(errno));
    /* The umask can only remove bits; make sure of exactly 0600. */
    (void)fchmod(fd, 0600);
    close(fd);
    return SB_OK;
}

/* Settings of the connection, then: is this file ours, and how old is it?
 * *fresh is 1 for a database without tables (a journal yet to be made). */
static sb_status configure(sb_journal *j, int *version, int *fresh,
                           sb_error *err)
{
    sqlite3_busy_timeout(j->db, BUSY_TIMEOUT_MS);
    int app_id, tables, fk = 0;
    if (!sb__journal_query_int(j->db, "PRAGMA application_id", &app_id) ||
        !sb__journal_query_int(j->db, "PRAGMA user_version", version) ||
        !sb__journal_query_int(j->db, "SELECT count(*) FROM sqlite_schema",
                              &tables)) {
        /* Not a database at all is bad input, not a failure of ours. */
        if (sqlite3_errcode(j->db) == SQLITE_NOTADB)
            return sb_error_set(err, SB_ERR_INVALID, j->path, 0, 0,
                                "is not a securebase journal (not an SQLite "
                                "database)");
        return sb_error_set(err, SB_ERR_DB, j->path, 0, 0,
                            "cannot read the journal: %s",
                            sqlite3_errmsg(j->db));
    }
    *fresh = app_id == 0 && *version == 0 && tables == 0;
    if (app_id != SB_JOURNAL_APPLICATION_ID && !*fresh)
        return sb_error_set(err, SB_ERR_INVALID, j->path, 0, 0,
                            "is an SQLite database but not a securebase "
                            "journal");
    if (*version > sb_journal_schema_version())
        return sb_error_set(err, SB_ERR_STATE, j->path, 0, 0,
                            "was written by a newer securebase (schema "
                            "version %d; this one knows up to %d)",
                            *version, sb_journal_schema_version());
    /* Recursive triggers: a row that REPLACE removes fires the triggers of
     * a deletion, which the counted series rely on (schema_series.c). */
    sb_status st = sb__journal_exec(j, "PRAGMA foreign_keys = ON;"
                                       "PRAGMA recursive_triggers = ON",
                                    err);
    if (st == SB_OK &&
        (!sb__journal_query_int(j->db, "PRAGMA foreign_keys", &fk) || !fk))
        st = sb_error_set(err, SB_ERR_DB, j->path, 0, 0,
                          "this SQLite cannot enforce foreign keys");
    if (st != SB_OK || j->readonly)
        return st;
    /* WAL: readers never block the writer; a crash never leaves half. */
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(j->db, "PRAGMA journal_mode = WAL", -1, &stmt,
                           NULL) != SQLITE_OK)
        return sb__journal_db_error(j, err, "cannot turn on WAL");
    const char *mode = "";
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
        mode = (const char *)sqlite3_column_text(stmt, 0);
    int ok = !strcmp(mode, "wal") || !strcmp(mode, "memory");
    sqlite3_finalize(stmt);
    if (!ok)
        return sb_error_set(err, SB_ERR_DB, j->path, 0, 0,
                            "cannot turn on WAL: %s", sqlite3_errmsg(j->db));
    /* FULL syncs the WAL on every commit: survives power loss, not just crashes. */
    return sb__journal_exec(j, "PRAGMA synchronous = FULL", err);
}

static sb_status migrate_on_open(sb_journal *j, int version, int fresh,
                                 unsigned flags, sb_error *err)
{
    if (version == sb_journal_schema_version())
        return SB_OK;
    if (fresh && !(flags & SB_JOURNAL_CREATE))
        return sb_error_set(err, SB_ERR_NOTFOUND, j->path, 0, 0,
                            "is an empty database, not a journal yet");
    if (j->readonly)
        return sb_error_set(err, SB_ERR_STATE, j->path, 0, 0,
                            "has schema version %d and needs migrating to %d; "
                            "open it for writing once",
                            version, sb_journal_schema_version());
    sb_status st = sb__journal_begin(j, err);
    if (st != SB_OK)
        return st;
    st = sb__journal_migrate(j->db, j->path, sb_journal_schema_version(), err);
    if (st != SB_OK) {
        sb__journal_rollback(j);
        return st;
    }
    return sb__journal_commit(j, err);
}

/*
 * "file:PATH?immutable=1" with PATH percent-encoded, for SQLite's URI
 * filenames; NULL when out of memory.
 */
static char *immutable_uri(const char *path)
{
    static const char keep[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789/._-~";
    size_t n = strlen(path);
    char *uri = malloc(3 * n + 32);
    if (!uri)
        return NULL;
    char *o = uri + sprintf(uri, "file:%s", path[0] == '/' ? "//" : "");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        o += strchr(keep, *p) ? sprintf(o, "%c", *p) : sprintf(o, "%%%02X", *p);
    strcpy(o, "?immutable=1");
    return uri;
}

static sb_status open_connection(sb_journal *j, int memory, int immutable,
                         sb_error *err)
{
    int oflags = j->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (memory)
        oflags |= SQLITE_OPEN_CREATE;
    char *uri = NULL;
    if (immutable && !(uri = immutable_uri(j->path)))
        return sb_error_set(err, SB_ERR_NOMEM, j->path, 0, 0, "out of memory");
    int rc = sqlite3_open_v2(uri ? uri : j->path, &j->db,
                             oflags | SQLITE_OPEN_NOMUTEX |
                                 (uri ? SQLITE_OPEN_URI : 0),
                             NULL);
    free(uri);
    if (rc != SQLITE_OK)
        return sb__journal_db_error(j, err, "cannot open the journal");
    sqlite3_extended_result_codes(j->db, 1);
    return SB_OK;
}

/*
 * A journal in WAL mode needs its -shm index, which a reader creates when
 * it is missing. Where it cannot (a read-only directory or mount), and no
 * -wal holds changes beyond the main file, the file is read as immutable:
 * everything is in it and nothing may be written beside it.
 */
static int needs_immutable(sb_journal *j, sb_error *err)
{
    int code = sqlite3_errcode(j->db) & 0xff;
    if (!j->readonly || (code != SQLITE_READONLY && code != SQLITE_CANTOPEN))
        return 0;
    size_t n = strlen(j->path) + 5;
    char *wal = malloc(n);
    if (!wal)
        return 0;
    snprintf(wal, n, "%s-wal", j->path);
    struct stat sb;
    int pending = stat(wal, &sb) == 0 && sb.st_size > 0;
    free(wal);
    if (pending)
        sb_error_set(err, SB_ERR_IO, j->path, 0, 0,
                     "cannot be read here: its -wal file holds changes not "
                     "yet in the journal, and reading them needs to write "
                     "beside it (%s); open it once where it can be written",
                     sqlite3_errmsg(j->db));
    return !pending;
}

sb_status sb_journal_open(const char *path, unsigned flags, sb_journal **out,
                          sb_error *err)
{
    *out = NULL;
    int memory = !strcmp(path, ":memory:");
    if (!path[0])
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "the journal's path is empty");
    sb_status st = memory ? SB_OK : prepare_file(path, flags, err);
    if (st != SB_OK)
        return st;
    sb_journal *j = calloc(1, sizeof *j);
    if (!j || !(j->path = sb__str_dup(path))) {
        free(j);
        return sb_error_set(err, SB_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    j->readonly = (flags & SB_JOURNAL_READONLY) != 0;
    /* ":memory:" is always new: opening it is creating it. */
    if (memory)
        flags |= SB_JOURNAL_CREATE;
    int version = 0, fresh = 0;
    st = open_connection(j, memory, 0, err);
    if (st == SB_OK)
        st = configure(j, &version, &fresh, err);
    if (st != SB_OK && j->db && needs_immutable(j, err)) {
        sqlite3_close(j->db);
        j->db = NULL;
        st = open_connection(j, memory, 1, err);
        if (st == SB_OK)
            st = configure(j, &version, &fresh, err);
    }
    if (st == SB_OK)
        st = migrate_on_open(j, version, fresh, flags, err);
    if (st != SB_OK) {
        sb_journal_close(j);
        return st;
    }
    *out = j;
    return SB_OK;
}

sb_status sb__journal_stmt(sb_journal *j, const char *sql, sqlite3_stmt **out,
                           sb_error *err)
{
    size_t i;
    for (i = 0; i < SB_JOURNAL_STMT_CACHE && j->cache[i].sql; i++)
        if (!strcmp(j->cache[i].sql, sql)) {
            sqlite3_reset(j->cache[i].stmt);
            sqlite3_clear_bindings(j->cache[i].stmt);
            *out = j->cache[i].stmt;
            return SB_OK;
        }
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v3(j->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                           NULL) != SQLITE_OK)
        return sb__journal_db_error(j, err, "cannot prepare a query");
    if (i == SB_JOURNAL_STMT_CACHE) {
        /* Never recycled: a caller may still be stepping an older one. */
        sqlite3_finalize(stmt);
        return sb_error_set(err, SB_ERR_STATE, j->path, 0, 0,
                            "too many distinct queries for the cache");
    }
    char *copy = sb__str_dup(sql);
    if (!copy) {
        sqlite3_finalize(stmt);
        return sb_error_set(err, SB_ERR_NOMEM, j->path, 0, 0, "out of memory");
    }
    j->cache[i].sql = copy;
    j->cache[i].stmt = stmt;
    *out = stmt;
    return SB_OK;
}

void sb_journal_close(sb_journal *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < SB_JOURNAL_STMT_CACHE && j->cache[i].sql; i++) {
        sqlite3_finalize(j->cache[i].stmt);
        free(j->cache[i].sql);
    }
    for (size_t i = 0; i < sizeof j->instruments / sizeof j->instruments[0]; i++)
        sb_instrument_free(j->instruments[i]);
    if (j->db)
        sqlite3_close(j->db);
    free(j->path);
    free(j);
}

const char *sb_journal_path(const sb_journal *j)
{
    return j->path;
}

sb_status sb__journal_check_db(sqlite3 *db, const char *path, sb_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) !=
        SQLITE_OK)
        return sb_error_set(err, SB_ERR_DB, path, 0, 0,
                            "cannot check integrity: %s", sqlite3_errmsg(db));
    char first[256] = "";
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(first, sizeof first, "%s",
                 (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return sb_error_set(err, SB_ERR_DB, path, 0, 0,
                            "cannot check integrity: %s", sqlite3_errstr(rc));
    if (strcmp(first, "ok"))
        return sb_error_set(err, SB_ERR_DB, path, 0, 0,
                            "integrity check failed: %s", first);
    if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL) !=
        SQLITE_OK)
        return sb_error_set(err, SB_ERR_DB, path, 0, 0,
                            "cannot check foreign keys: %s",
                            sqlite3_errmsg(db));
    rc = sqlite3_step(st);
    sb_status result = SB_OK;
    if (rc == SQLITE_ROW)
        result = sb_error_set(err, SB_ERR_DB, path, 0, 0,
                              "a record in '%s' (row %lld) refers to a "
                              "missing '%s'",
                              (const char *)sqlite3_column_text(st, 0),
                              (long long)sqlite3_column_int64(st, 1),
                              (const char *)sqlite3_column_text(st, 2));
    else if (rc != SQLITE_DONE)
        result = sb_error_set(err, SB_ERR_DB, path, 0, 0,
                              "cannot check foreign keys: %s",
                              sqlite3_errstr(rc));
    sqlite3_finalize(st);
    return result == SB_OK ? sb__journal_series_check(db, path, err) : result;
}

sb_status sb_journal_check_integrity(sb_journal *j, sb_error *err)
{
    return sb__journal_check_db(j->db, j->path, err);
}

sb_status sb_journal_repair(sb_journal *j, sb_error *err)
{
    sb_status s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    return sb__journal_end(j, sb__journal_series_rebuild(j->db, j->path, err),
                           err);
}

sb_status sb_journal_data_version(sb_journal *j, int64_t *out, sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j, "PRAGMA data_version", &st, err);
    if (s != SB_OK)
        return s;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW
               ? SB_OK
               : sb__journal_db_error(j, err, "cannot read the data version");
}

sb_status sb_journal_guard_output(const sb_journal *j, const char *path,
                                  sb_error *err)
{
    if (!strcmp(j->path, ":memory:"))
        return SB_OK;
    static const char *const what[] = {"", "-wal", "-shm", "-journal"};
    char *target = sb__path_resolve(path);
    char *journal = sb__path_resolve(j->path);
    sb_status st = SB_OK;
    for (size_t i = 0; i < 4 && st == SB_OK; i++) {
        char *file = sb__str_concat(j->path, what[i]);
        char *named = journal ? sb__str_concat(journal, what[i]) : NULL;
        if (!file)
            st = sb_error_set(err, SB_ERR_NOMEM, path, 0, 0, "out of memory");
        else if (sb__path_same_file(path, file) ||
                 (target && named && !strcmp(target, named)))
            st = i ? sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                                  "is the journal's %s file; write to "
                                  "another file",
                                  what[i])
                   : sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                                  "is the journal itself; write to another "
                                  "file");
        free(file);
        free(named);
    }
    free(target);
    free(journal);
    return st;
}
