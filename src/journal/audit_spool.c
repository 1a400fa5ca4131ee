/*
 * The audit spool: a small SQLite database beside the journal (its path
 * with ".audit-spool" added) where entries of the audit log are made
 * durable on their own, a few rows to a transaction, without waiting for
 * the journal's write transaction; they move into the journal's log with
 * the next one.
 *
 * A move touches the journal alone: the entries are appended from memory,
 * and in the same transaction the journal's audit_spool_mark records the
 * last spool id moved, under the spool's identity (random, drawn when the
 * spool is created). Whatever happens to the process, the log holds the
 * spool's entries up to the mark and none after it, so opening the spool
 * moves exactly those after the mark. Moved entries are deleted from the
 * spool later, in its own next transaction. A spool deleted or replaced
 * has another identity, and its entries count from nothing moved.
 */
#include <securebase/audit.h>

#include "journal/practice.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SPOOL_APPLICATION_ID 1396851027 /* "SBAS" */
#define STR_(x) #x
#define STR(x) STR_(x)
#define SPOOL_BUSY_MS 5000
#define IDENTITY_SIZE 33 /* 32 hex digits and the NUL */

struct sb_audit_spool {
    sqlite3 *db;
    char *path;
    char identity[IDENTITY_SIZE];
    int64_t tidied; /* entries up to this id are deleted */
};

static sb_status spool_error(sb_audit_spool *s, sb_error *err,
                             const char *doing)
{
    return sb_error_set(err, SB_ERR_DB, s->path, 0, 0, "%s: %s", doing,
                        sqlite3_errmsg(s->db));
}

static sb_status exec(sb_audit_spool *s, const char *sql, const char *doing,
                      sb_error *err)
{
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK
               ? SB_OK
               : spool_error(s, err, doing);
}

/* BEGIN IMMEDIATE, and first the deletion of entries up to `moved`, which
 * the journal's log holds. */
static sb_status begin(sb_audit_spool *s, int64_t moved, sb_error *err)
{
    sb_status st = exec(s, "BEGIN IMMEDIATE", "cannot write the audit spool",
                        err);
    if (st != SB_OK || moved <= s->tidied)
        return st;
    sqlite3_stmt *del;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM entry WHERE id <= ?", -1, &del,
                           NULL) != SQLITE_OK)
        return spool_error(s, err, "cannot tidy the audit spool");
    sqlite3_bind_int64(del, 1, moved);
    int rc = sqlite3_step(del);
    sqlite3_finalize(del);
    return rc == SQLITE_DONE ? SB_OK
                             : spool_error(s, err, "cannot tidy the audit spool");
}

static sb_status commit(sb_audit_spool *s, int64_t moved, sb_status st,
                        sb_error *err)
{
    if (st == SB_OK &&
        (st = exec(s, "COMMIT", "cannot commit the audit spool", err)) ==
            SB_OK) {
        if (moved > s->tidied)
            s->tidied = moved;
        return SB_OK;
    }
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

#define ENTRY_COLUMNS \
    "at_ms, account, username, action, kind, record, person, address, detail"

static void bind_text(sqlite3_stmt *st, int col, const char *text, size_t size)
{
    sqlite3_bind_text(st, col, text, (int)strnlen(text, size), SQLITE_STATIC);
}

sb_status sb_audit_spool_put(sb_audit_spool *s, int64_t moved,
                             const sb_audit_entry *e, const int64_t *at_ms,
                             size_t n, int64_t *last, sb_error *err)
{
    *last = 0;
    sb_status st = begin(s, moved, err);
    if (st != SB_OK)
        return commit(s, moved, st, err);
    sqlite3_stmt *ins;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO entry(" ENTRY_COLUMNS ") "
                           "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &ins, NULL) != SQLITE_OK)
        return commit(s, moved,
                      spool_error(s, err, "cannot write the audit spool"),
                      err);
    int64_t id = 0;
    for (size_t i = 0; i < n && st == SB_OK; i++) {
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, at_ms[i]);
        sqlite3_bind_int64(ins, 2, e[i].account);
        bind_text(ins, 3, e[i].username, sizeof e[i].username);
        bind_text(ins, 4, e[i].action, sizeof e[i].action);
        bind_text(ins, 5, e[i].kind, sizeof e[i].kind);
        sqlite3_bind_int64(ins, 6, e[i].record);
        sqlite3_bind_int64(ins, 7, e[i].person);
        bind_text(ins, 8, e[i].address, sizeof e[i].address);
        bind_text(ins, 9, e[i].detail, sizeof e[i].detail);
        if (sqlite3_step(ins) != SQLITE_DONE)
            st = spool_error(s, err, "cannot write the audit spool");
        else
            id = sqlite3_last_insert_rowid(s->db);
    }
    sqlite3_finalize(ins);
    st = commit(s, moved, st, err);
    if (st == SB_OK)
        *last = id;
    return st;
}

/* The spool's entries after `after`, oldest first, and the id of the last
 * (the caller frees *out and *at_ms). */
static sb_status entries_after(sb_audit_spool *s, int64_t after,
                               sb_audit_entry **out, int64_t **at_ms,
                               size_t *count, int64_t *last, sb_error *err)
{
    *out = NULL;
    *at_ms = NULL;
    *count = 0;
    *last = 0;
    sqlite3_stmt *sel;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, " ENTRY_COLUMNS " FROM entry "
                           "WHERE id > ? ORDER BY id",
                           -1, &sel, NULL) != SQLITE_OK)
        return spool_error(s, err, "cannot read the audit spool");
    sqlite3_bind_int64(sel, 1, after);
    size_t cap = 0;
    int rc;
    sb_status st = SB_OK;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? 2 * cap : 64;
            sb_audit_entry *e = realloc(*out, cap * sizeof *e);
            if (e)
                *out = e;
            int64_t *t = e ? realloc(*at_ms, cap * sizeof *t) : NULL;
            if (!t) {
                st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                  "out of memory");
                break;
            }
            *at_ms = t;
        }
        sb_audit_entry *e = &(*out)[*count];
        memset(e, 0, sizeof *e);
        /* The log's columns, with the time in milliseconds. */
        sb__audit_row(sel, e);
        e->id = 0;
        e->at[0] = '\0';
        *last = sqlite3_column_int64(sel, 0);
        (*at_ms)[*count] = sqlite3_column_int64(sel, 1);
        (*count)++;
    }
    if (st == SB_OK && rc != SQLITE_DONE)
        st = spool_error(s, err, "cannot read the audit spool");
    sqlite3_finalize(sel);
    if (st != SB_OK) {
        free(*out);
        free(*at_ms);
        *out = NULL;
        *at_ms = NULL;
        *count = 0;
        *last = 0;
    }
    return st;
}

/* The journal's mark of this spool: its last entry in the log (0: none). */
static sb_status mark_of(const sb_audit_spool *s, sb_journal *j,
                         int64_t *last, sb_error *err)
{
    *last = 0;
    sqlite3_stmt *st;
    sb_status r = sb__journal_stmt(
        j, "SELECT last FROM audit_spool_mark WHERE spool = ?", &st, err);
    if (r != SB_OK)
        return r;
    sqlite3_bind_text(st, 1, s->identity, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *last = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? SB_OK
               : sb__journal_db_error(j, err,
                                      "cannot read the audit spool's mark");
}

sb_status sb_audit_spool_move(const sb_audit_spool *s, sb_journal *j,
                              const sb_audit_entry *e, const int64_t *at_ms,
                              size_t n, int64_t last, sb_error *err)
{
    if (!n)
        return SB_OK;
    /* All or nothing in the caller's transaction: a move that fails
     * leaves neither an entry nor the mark, so it can be done again; and
     * one the mark holds already is not done twice. */
    sb_status st = sb__journal_begin(j, err);
    if (st != SB_OK)
        return st;
    int64_t mark;
    if ((st = mark_of(s, j, &mark, err)) == SB_OK && mark >= last)
        return sb__journal_end(j, st, err);
    for (size_t i = 0; i < n && st == SB_OK; i++) {
        sb_audit_entry copy = e[i];
        st = sb__audit_insert(j, &copy, at_ms[i], err);
    }
    sqlite3_stmt *set;
    if (st == SB_OK &&
        (st = sb__journal_stmt(j,
                               "INSERT INTO audit_spool_mark(spool, last) "
                               "VALUES(?, ?) ON CONFLICT(spool) DO UPDATE "
                               "SET last = max(last, excluded.last)",
                               &set, err)) == SB_OK) {
        sqlite3_bind_text(set, 1, s->identity, -1, SQLITE_STATIC);
        sqlite3_bind_int64(set, 2, last);
        st = sb__journal_step_done(j, set, "cannot mark the audit spool's move",
                                   err);
    }
    return sb__journal_end(j, st, err);
}

/*
 * After the server's end, orderly or not: the entries after the journal's
 * mark move now, with the mark, in one transaction of the journal; then
 * the spool lets go of what the log holds.
 */
static sb_status recover(sb_audit_spool *s, sb_journal *j, sb_error *err)
{
    int64_t mark;
    sb_status st = mark_of(s, j, &mark, err);
    sb_audit_entry *e = NULL;
    int64_t *at_ms = NULL, last = 0;
    size_t n = 0;
    if (st == SB_OK)
        st = entries_after(s, mark, &e, &at_ms, &n, &last, err);
    if (st == SB_OK && n && (st = sb_journal_transaction(j, err)) == SB_OK) {
        st = sb_audit_spool_move(s, j, e, at_ms, n, last, err);
        if (st == SB_OK)
            st = sb_journal_transaction_commit(j, err);
        else
            sb_journal_transaction_rollback(j);
        if (st == SB_OK)
            mark = last;
    }
    free(e);
    free(at_ms);
    if (st != SB_OK)
        return st;
    st = begin(s, mark, err);
    return commit(s, mark, st, err);
}

/* The spool's identity, drawn when it is created. */
static sb_status read_identity(sb_audit_spool *s, sb_error *err)
{
    sqlite3_stmt *q;
    sb_status st = SB_OK;
    if (sqlite3_prepare_v2(s->db, "SELECT id FROM identity", -1, &q, NULL) !=
            SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW)
        st = spool_error(s, err, "cannot read the audit spool's identity");
    else {
        const unsigned char *id = sqlite3_column_text(q, 0);
        if (!id || strlen((const char *)id) != IDENTITY_SIZE - 1)
            st = sb_error_set(err, SB_ERR_INVALID, s->path, 0, 0,
                              "the audit spool's identity is not 32 hex "
                              "digits");
        else
            memcpy(s->identity, id, IDENTITY_SIZE);
    }
    sqlite3_finalize(q);
    return st;
}

sb_status sb_audit_spool_open(sb_journal *j, sb_audit_spool **out,
                              sb_error *err)
{
    *out = NULL;
    const char *journal = sb_journal_path(j);
    sb_audit_spool *s = calloc(1, sizeof *s);
    size_t len = strlen(journal);
    if (!s || !(s->path = malloc(len + sizeof ".audit-spool"))) {
        free(s);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    memcpy(s->path, journal, len);
    memcpy(s->path + len, ".audit-spool", sizeof ".audit-spool");
    /* Private like the journal (SQLite gives its WAL file the same mode);
     * anything but a regular file is refused. */
    sb_status st = SB_OK;
    struct stat sb;
    int fd = open(s->path, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) {
        (void)fchmod(fd, 0600);
        close(fd);
    } else if (errno != EEXIST) {
        st = sb_error_set(err, SB_ERR_IO, s->path, 0, 0,
                          "cannot create the audit spool: %s",
                          strerror(errno));
    } else if (lstat(s->path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = sb_error_set(err, SB_ERR_INVALID, s->path, 0, 0,
                          "the audit spool is not a regular file");
    }
    if (st == SB_OK &&
        sqlite3_open_v2(s->path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK)
        st = s->db ? spool_error(s, err, "cannot open the audit spool")
                   : sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                  "out of memory");
    int id = 0;
    if (st == SB_OK) {
        sqlite3_busy_timeout(s->db, SPOOL_BUSY_MS);
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(s->db, "PRAGMA application_id", -1, &q,
                               NULL) != SQLITE_OK ||
            sqlite3_step(q) != SQLITE_ROW)
            st = spool_error(s, err, "cannot read the audit spool");
        else
            id = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
    }
    if (st == SB_OK && id != 0 && id != SPOOL_APPLICATION_ID)
        st = sb_error_set(err, SB_ERR_INVALID, s->path, 0, 0,
                          "not an audit spool (application_id %d)", id);
    /* Every entry is on the disk when its transaction returns. The
     * identity is drawn once, with the tables (SQLite's randomness comes
     * from the system's). */
    if (st == SB_OK)
        st = exec(s,
                  "PRAGMA journal_mode = WAL;"
                  "PRAGMA synchronous = FULL;"
                  "BEGIN IMMEDIATE;"
                  "PRAGMA application_id = " STR(SPOOL_APPLICATION_ID) ";"
                  "CREATE TABLE IF NOT EXISTS entry("
                  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
                  "  at_ms INTEGER NOT NULL, account INTEGER NOT NULL,"
                  "  username TEXT NOT NULL, action TEXT NOT NULL,"
                  "  kind TEXT NOT NULL, record INTEGER NOT NULL,"
                  "  person INTEGER NOT NULL, address TEXT NOT NULL,"
                  "  detail TEXT NOT NULL);"
                  "CREATE TABLE IF NOT EXISTS identity(id TEXT NOT NULL);"
                  "INSERT INTO identity SELECT lower(hex(randomblob(16))) "
                  "  WHERE NOT EXISTS (SELECT 1 FROM identity);"
                  "COMMIT;",
                  "cannot set up the audit spool", err);
    if (st != SB_OK && s->db)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    if (st == SB_OK)
        st = read_identity(s, err);
    if (st == SB_OK)
        st = recover(s, j, err);
    if (st != SB_OK) {
        sb_audit_spool_close(s);
        return st;
    }
    *out = s;
    return SB_OK;
}

const char *sb_audit_spool_identity(const sb_audit_spool *s)
{
    return s->identity;
}

void sb_audit_spool_close(sb_audit_spool *s)
{
    if (!s)
        return;
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}
