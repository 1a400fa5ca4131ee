/*
 * The audit log: one row per read or write of a client's record, appended
 * and never changed (the table's triggers refuse UPDATE and DELETE).
 */
#include <securebase/audit.h>
#include <securebase/measure.h>

#include "journal/practice.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void iso_time(int64_t ms, char out[SB_AUDIT_TIME_SIZE])
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char buf[96];
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
             (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
    snprintf(out, SB_AUDIT_TIME_SIZE, "%.24s", buf);
}

sb_status sb__audit_insert(sb_journal *j, sb_audit_entry *e, int64_t now_ms,
                           sb_error *err)
{
    iso_time(now_ms < 0 ? 0 : now_ms, e->at);
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                        "INSERT INTO audit(at, account, username, action, "
                        "kind, record, person, address, detail) "
                        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &st, err);
    if (s == SB_OK) {
        /* The fixed-size fields may lack a NUL if the caller filled them
         * to the brim: bind with explicit lengths. */
        sqlite3_bind_text(st, 1, e->at, -1, SQLITE_STATIC);
        if (e->account)
            sqlite3_bind_int64(st, 2, e->account);
        sqlite3_bind_text(st, 3, e->username,
                          (int)strnlen(e->username, sizeof e->username),
                          SQLITE_STATIC);
        const char *action = e->action[0] ? e->action : "?";
        sqlite3_bind_text(st, 4, action,
                          (int)strnlen(action, sizeof e->action),
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 5, e->kind, (int)strnlen(e->kind, sizeof e->kind),
                          SQLITE_STATIC);
        if (e->record)
            sqlite3_bind_int64(st, 6, e->record);
        if (e->person)
            sqlite3_bind_int64(st, 7, e->person);
        sqlite3_bind_text(st, 8, e->address,
                          (int)strnlen(e->address, sizeof e->address),
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 9, e->detail,
                          (int)strnlen(e->detail, sizeof e->detail),
                          SQLITE_STATIC);
        s = sb__journal_step_done(j, st, "cannot write the audit log", err);
    }
    if (s == SB_OK)
        e->id = sqlite3_last_insert_rowid(j->db);
    return s;
}

sb_status sb_audit_append(sb_journal *j, sb_audit_entry *e, int64_t now_ms,
                          sb_error *err)
{
    sb_status s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    return sb__journal_end(j, sb__audit_insert(j, e, now_ms, err), err);
}

void sb__audit_row(sqlite3_stmt *st, void *element)
{
    sb_audit_entry *e = element;
    e->id = sqlite3_column_int64(st, 0);
    sb__journal_column_text(st, 1, e->at, sizeof e->at);
    e->account = sqlite3_column_int64(st, 2);
    sb__journal_column_text(st, 3, e->username, sizeof e->username);
    sb__journal_column_text(st, 4, e->action, sizeof e->action);
    sb__journal_column_text(st, 5, e->kind, sizeof e->kind);
    e->record = sqlite3_column_int64(st, 6);
    e->person = sqlite3_column_int64(st, 7);
    sb__journal_column_text(st, 8, e->address, sizeof e->address);
    sb__journal_column_text(st, 9, e->detail, sizeof e->detail);
}

#define AUDIT_COLUMNS \
    "SELECT id, at, coalesce(account, 0), username, action, kind, " \
    "coalesce(record, 0), coalesce(person, 0), address, detail FROM audit "

sb_status sb_audit_list(sb_journal *j, sb_id person, sb_id before,
                        size_t limit, sb_audit_entry **out, size_t *count,
                        sb_error *err)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                                  AUDIT_COLUMNS "WHERE (?1 = 0 OR person = ?1) "
                                                "AND (?2 = 0 OR id < ?2) "
                                                "ORDER BY id DESC LIMIT ?3",
                                  &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, person);
    sqlite3_bind_int64(st, 2, before);
    sqlite3_bind_int64(st, 3, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    return sb__journal_collect(j, st, sizeof **out, sb__audit_row, out, count,
                              "cannot read the audit log", err);
}

sb_status sb_audit_count(sb_journal *j, size_t *count, sb_error *err)
{
    *count = 0;
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j, "SELECT count(*) FROM audit", &st, err);
    if (s != SB_OK)
        return s;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *count = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? SB_OK
                            : sb__journal_db_error(j, err,
                                                  "cannot count the audit log");
}

/* An id, or an empty cell for none. */
static void put_id(sb_csv_writer *w, sb_id id)
{
    if (id)
        sb_csv_integer(w, (long long)id);
    else
        sb_csv_text(w, "");
}

sb_status sb_audit_export_csv(sb_journal *j, FILE *out, sb_error *err)
{
    static const char *const header[] = {"id", "at", "account", "username",
        "action", "kind", "record", "person", "address", "detail"};
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j, AUDIT_COLUMNS "ORDER BY id", &st, err);
    if (s != SB_OK)
        return s;
    sb_csv_writer w;
    sb_csv_writer_init(&w, out);
    for (size_t i = 0; i < sizeof header / sizeof *header; i++)
        sb_csv_text(&w, header[i]);
    sb_csv_end_row(&w);
    int rc = SQLITE_DONE, bad = 0;
    sb_audit_entry e;
    while (!(bad = sb_csv_writer_status(&w) != 0) &&
           (rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&e, 0, sizeof e);
        sb__audit_row(st, &e);
        put_id(&w, e.id);
        sb_csv_text(&w, e.at);
        put_id(&w, e.account);
        sb_csv_text(&w, e.username);
        sb_csv_text(&w, e.action);
        sb_csv_text(&w, e.kind);
        put_id(&w, e.record);
        put_id(&w, e.person);
        sb_csv_text(&w, e.address);
        sb_csv_text(&w, e.detail);
        sb_csv_end_row(&w);
    }
    sqlite3_reset(st);
    if (bad)
        return sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                            "cannot write the audit log out");
    return rc == SQLITE_DONE ? SB_OK
                             : sb__journal_db_error(j, err,
                                                   "cannot read the audit log");
}
