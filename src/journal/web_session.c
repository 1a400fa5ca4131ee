/*
 * Signed-in web sessions. The browser holds a random token; the journal
 * holds its hash, the account, when it started and when it was last used,
 * and the session's anti-forgery (CSRF) token. A session ends at sign-out,
 * after a time without requests, a fixed time after sign-in, or when its
 * account is disabled or gets a new password.
 */
#include "journal/practice.h"

#include <sodium.h>
#include <string.h>

sb_status sb_web_session_start(sb_journal *j, sb_id account, int64_t now,
                               const char *address, char token[SB_TOKEN_TEXT],
                               sb_web_session *out, sb_error *err)
{
    unsigned char hash[SB_TOKEN_BYTES];
    sb_status s = sb__journal_token_new(token, hash, err);
    if (s != SB_OK)
        return s;
    memset(out, 0, sizeof *out);
    randombytes_buf(out->csrf, sizeof out->csrf);
    out->account = account;
    out->created = out->seen = now;
    sqlite3_stmt *st;
    if ((s = sb__journal_begin(j, err)) != SB_OK)
        return s;
    s = sb__journal_stmt(j,
                        "INSERT INTO web_session(token_hash, account, csrf, "
                        "created, seen, address) VALUES(?, ?, ?, ?, ?, ?)",
                        &st, err);
    if (s == SB_OK) {
        sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, account);
        sqlite3_bind_blob(st, 3, out->csrf, sizeof out->csrf, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now);
        sqlite3_bind_int64(st, 5, now);
        sqlite3_bind_text(st, 6, address ? address : "", -1, SQLITE_STATIC);
        s = sb__journal_step_done(j, st, "cannot start the session", err);
    }
    if (s == SB_OK)
        out->id = sqlite3_last_insert_rowid(j->db);
    s = sb__journal_end(j, s, err);
    if (s != SB_OK)
        sodium_memzero(token, SB_TOKEN_TEXT);
    return s;
}

static int expired(const sb_web_session *w, int64_t now,
                   const sb_web_session_limits *limits)
{
    return now - w->seen > limits->idle || now - w->created > limits->absolute ||
           now < w->created;
}

/* Runs a write with one id bound, in its own transaction. */
static sb_status write_with_id(sb_journal *j, const char *sql, sb_id a,
                               int64_t b, int with_b, const char *doing,
                               sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    s = sb__journal_stmt(j, sql, &st, err);
    if (s == SB_OK) {
        sqlite3_bind_int64(st, 1, a);
        if (with_b)
            sqlite3_bind_int64(st, 2, b);
        s = sb__journal_step_done(j, st, doing, err);
    }
    return sb__journal_end(j, s, err);
}

sb_status sb_web_session_end(sb_journal *j, sb_id id, sb_error *err)
{
    return write_with_id(j, "DELETE FROM web_session WHERE id = ?", id, 0, 0,
                         "cannot end the session", err);
}

sb_status sb_web_session_find(sb_journal *j, const char *token, int64_t now,
                              const sb_web_session_limits *limits,
                              sb_web_session *out, sb_account *account,
                              sb_error *err)
{
    unsigned char hash[SB_TOKEN_BYTES];
    if (!sb__journal_sodium_ready() || !sb__journal_token_hash(token, hash))
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "not signed in");
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                                  "SELECT id, account, created, seen, csrf "
                                  "FROM web_session WHERE token_hash = ?",
                                  &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sb_web_session w;
    memset(&w, 0, sizeof w);
    if (rc == SQLITE_ROW) {
        w.id = sqlite3_column_int64(st, 0);
        w.account = sqlite3_column_int64(st, 1);
        w.created = sqlite3_column_int64(st, 2);
        w.seen = sqlite3_column_int64(st, 3);
        if (sqlite3_column_bytes(st, 4) == (int)sizeof w.csrf)
            memcpy(w.csrf, sqlite3_column_blob(st, 4), sizeof w.csrf);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "not signed in");
    if (rc != SQLITE_ROW)
        return sb__journal_db_error(j, err, "cannot read the session");
    sb_account a;
    sb_status found = sb_account_get(j, w.account, &a, err);
    if (found != SB_OK && found != SB_ERR_NOTFOUND)
        return found;
    /* Ended sessions are left for sb_web_session_expire: a lookup never
     * writes, so that reading a page stays a read. */
    if (found == SB_ERR_NOTFOUND || a.disabled || expired(&w, now, limits))
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "the session has ended; sign in again");
    *out = w;
    *account = a;
    return SB_OK;
}

sb_status sb_web_session_touch(sb_journal *j, sb_id id, int64_t now,
                               sb_error *err)
{
    return write_with_id(j, "UPDATE web_session SET seen = ?2 WHERE id = ?1",
                         id, now, 1, "cannot update the session", err);
}

sb_status sb_web_session_expire(sb_journal *j, int64_t now,
                                const sb_web_session_limits *limits,
                                size_t *ended, sb_error *err)
{
    if (ended)
        *ended = 0;
    sqlite3_stmt *st;
    sb_status s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    s = sb__journal_stmt(j,
                        "DELETE FROM web_session WHERE ?1 - seen > ?2 OR "
                        "?1 - created > ?3 OR created > ?1 OR account IN "
                        "(SELECT id FROM account WHERE disabled)",
                        &st, err);
    if (s == SB_OK) {
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_int64(st, 2, limits->idle);
        sqlite3_bind_int64(st, 3, limits->absolute);
        s = sb__journal_step_done(j, st, "cannot end old sessions", err);
    }
    if (s == SB_OK && ended)
        *ended = (size_t)sqlite3_changes(j->db);
    return sb__journal_end(j, s, err);
}
