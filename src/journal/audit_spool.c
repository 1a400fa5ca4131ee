/*
 * The audit spool: a small SQLite database beside the journal (its path
 * with ".audit-spool" added) where entries of the audit log are made
 * durable on their own, a few rows to a transaction, without waiting for
 * the journal's write transaction; they move into the journal's log with
 * the next one. Before the journal's transaction that holds a move is
 * committed, the spool records which of its entries moved and the log id
 * the last of them took: after a crash, that entry of the log says whether
 * the move was committed, so the spool's entries are neither lost nor
 * appended twice.
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

struct sb_audit_spool {
    sqlite3 *db;
    char *path;
    int64_t moved;   /* entries up to this id are in the journal's log */
    int64_t moving;  /* up to this one, in its open transaction; 0: none */
    int tidy;        /* moved entries and the move record to delete */
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

/* BEGIN IMMEDIATE, and first the deletion of what the log holds now. */
static sb_status begin(sb_audit_spool *s, sb_error *err)
{
    sb_status st = exec(s, "BEGIN IMMEDIATE", "cannot write the audit spool",
                        err);
    if (st != SB_OK || !s->tidy)
        return st;
    sqlite3_stmt *del;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM entry WHERE id <= ?", -1, &del,
                           NULL) != SQLITE_OK)
        return spool_error(s, err, "cannot tidy the audit spool");
    sqlite3_bind_int64(del, 1, s->moved);
    int rc = sqlite3_step(del);
    sqlite3_finalize(del);
    if (rc != SQLITE_DONE ||
        sqlite3_exec(s->db, "DELETE FROM move", NULL, NULL, NULL) != SQLITE_OK)
        return spool_error(s, err, "cannot tidy the audit spool");
    return SB_OK;
}

static sb_status commit(sb_audit_spool *s, sb_status st, sb_error *err)
{
    if (st == SB_OK &&
        (st = exec(s, "COMMIT", "cannot commit the audit spool", err)) ==
            SB_OK) {
        s->tidy = 0;
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

sb_status sb_audit_spool_put(sb_audit_spool *s, const sb_audit_entry *e,
                             const int64_t *at_ms, size_t n, sb_error *err)
{
    sb_status st = begin(s, err);
    if (st != SB_OK)
        return commit(s, st, err);
    sqlite3_stmt *ins;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO entry(" ENTRY_COLUMNS ") "
                           "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &ins, NULL) != SQLITE_OK)
        return commit(s, spool_error(s, err, "cannot write the audit spool"),
                      err);
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
    }
    sqlite3_finalize(ins);
    return commit(s, st, err);
}

/* The spool's entries after `after`, oldest first (the caller frees). */
static sb_status entries_after(sb_audit_spool *s, int64_t after,
                               sb_audit_entry **out, int64_t **at_ms,
                               int64_t **ids, size_t *count, sb_error *err)
{
    *out = NULL;
    *at_ms = *ids = NULL;
    *count = 0;
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
            int64_t *t = e ? realloc(*at_ms, cap * sizeof *t) : NULL;
            if (e)
                *out = e;
            if (t)
                *at_ms = t;
            int64_t *id = t ? realloc(*ids, cap * sizeof *id) : NULL;
            if (!id) {
                st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                  "out of memory");
                break;
            }
            *ids = id;
        }
        sb_audit_entry *e = &(*out)[*count];
        memset(e, 0, sizeof *e);
        /* The log's columns, with the time in milliseconds. */
        sb__audit_row(sel, e);
        e->id = 0;
        e->at[0] = '\0';
        (*ids)[*count] = sqlite3_column_int64(sel, 0);
        (*at_ms)[*count] = sqlite3_column_int64(sel, 1);
        (*count)++;
    }
    if (st == SB_OK && rc != SQLITE_DONE)
        st = spool_error(s, err, "cannot read the audit spool");
    sqlite3_finalize(sel);
    if (st != SB_OK) {
        free(*out);
        free(*at_ms);
        free(*ids);
        *out = NULL;
        *at_ms = *ids = NULL;
        *count = 0;
    }
    return st;
}

sb_status sb_audit_spool_move(sb_audit_spool *s, sb_journal *j, size_t *moved,
                              sb_error *err)
{
    *moved = 0;
    sb_audit_entry *e;
    int64_t *at_ms, *ids;
    size_t n;
    sb_status st = entries_after(s, s->moved, &e, &at_ms, &ids, &n, err);
    if (st != SB_OK || !n)
        return st;
    /* All or nothing in the caller's transaction: a move that fails
     * leaves no entry there, so none is appended twice later. */
    st = sb__journal_begin(j, err);
    int opened = st == SB_OK;
    for (size_t i = 0; i < n && st == SB_OK; i++)
        st = sb_audit_append(j, &e[i], at_ms[i], err);
    if (st == SB_OK && (st = begin(s, err)) == SB_OK) {
        sqlite3_stmt *rec;
        /* One move at a time: a record left by a move whose journal
         * transaction failed is replaced. */
        if (sqlite3_exec(s->db, "DELETE FROM move", NULL, NULL, NULL) !=
                SQLITE_OK ||
            sqlite3_prepare_v2(s->db,
                               "INSERT INTO move(last, log_id) VALUES(?, ?)",
                               -1, &rec, NULL) != SQLITE_OK)
            st = spool_error(s, err, "cannot write the audit spool");
        else {
            sqlite3_bind_int64(rec, 1, ids[n - 1]);
            sqlite3_bind_int64(rec, 2, e[n - 1].id);
            if (sqlite3_step(rec) != SQLITE_DONE)
                st = spool_error(s, err, "cannot write the audit spool");
            sqlite3_finalize(rec);
        }
        st = commit(s, st, err);
    }
    if (opened)
        st = sb__journal_end(j, st, err);
    if (st == SB_OK) {
        s->moving = ids[n - 1];
        *moved = n;
    }
    free(e);
    free(at_ms);
    free(ids);
    return st;
}

void sb_audit_spool_moved(sb_audit_spool *s, int committed)
{
    if (!s->moving)
        return;
    if (committed) {
        s->moved = s->moving;
        s->tidy = 1;
    }
    s->moving = 0;
}

/*
 * After the server's end, orderly or not: a move recorded and committed in
 * the journal is done; the spool's other entries move now.
 */
static sb_status recover(sb_audit_spool *s, sb_journal *j, sb_error *err)
{
    sqlite3_stmt *sel;
    if (sqlite3_prepare_v2(s->db, "SELECT last, log_id FROM move", -1, &sel,
                           NULL) != SQLITE_OK)
        return spool_error(s, err, "cannot read the audit spool");
    int64_t last = 0, log_id = 0;
    int rc = sqlite3_step(sel);
    if (rc == SQLITE_ROW) {
        last = sqlite3_column_int64(sel, 0);
        log_id = sqlite3_column_int64(sel, 1);
    }
    sqlite3_finalize(sel);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return spool_error(s, err, "cannot read the audit spool");
    sb_status st = SB_OK;
    if (rc == SQLITE_ROW) {
        sb_audit_entry *e;
        int64_t *at_ms, *ids;
        size_t n;
        st = entries_after(s, last - 1, &e, &at_ms, &ids, &n, err);
        int same = 0;
        if (st == SB_OK && n && ids[0] == last)
            st = sb__audit_same(j, log_id, &e[0], at_ms[0], &same, err);
        free(e);
        free(at_ms);
        free(ids);
        if (st != SB_OK)
            return st;
        /* Entries up to `last` are in the log if it was committed. */
        s->moved = same ? last : 0;
        s->tidy = 1;
    }
    if ((st = sb_journal_transaction(j, err)) != SB_OK)
        return st;
    size_t moved;
    st = sb_audit_spool_move(s, j, &moved, err);
    if (st == SB_OK)
        st = sb_journal_transaction_commit(j, err);
    else
        sb_journal_transaction_rollback(j);
    sb_audit_spool_moved(s, st == SB_OK);
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
    /* Every entry is on the disk when its transaction returns. */
    if (st == SB_OK)
        st = exec(s,
                  "PRAGMA journal_mode = WAL;"
                  "PRAGMA synchronous = FULL;"
                  "PRAGMA application_id = " STR(SPOOL_APPLICATION_ID) ";"
                  "CREATE TABLE IF NOT EXISTS entry("
                  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
                  "  at_ms INTEGER NOT NULL, account INTEGER NOT NULL,"
                  "  username TEXT NOT NULL, action TEXT NOT NULL,"
                  "  kind TEXT NOT NULL, record INTEGER NOT NULL,"
                  "  person INTEGER NOT NULL, address TEXT NOT NULL,"
                  "  detail TEXT NOT NULL);"
                  "CREATE TABLE IF NOT EXISTS move("
                  "  last INTEGER NOT NULL, log_id INTEGER NOT NULL);",
                  "cannot set up the audit spool", err);
    if (st == SB_OK)
        st = recover(s, j, err);
    if (st != SB_OK) {
        sb_audit_spool_close(s);
        return st;
    }
    *out = s;
    return SB_OK;
}

void sb_audit_spool_close(sb_audit_spool *s)
{
    if (!s)
        return;
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}
