/*
 * One-time links: a clinician invites a client to set up their account
 * (JOIN), or an admin lets someone set a new password (RESET). The link's
 * token is shown once; the journal keeps its hash, who made it, when it
 * expires, and whether it was used or revoked. Using a link and marking it
 * used happen in one transaction, so a link works once.
 */
#include "journal/practice.h"

#include <sodium.h>
#include <string.h>

static const char *const purpose_names[] = {"join", "reset"};
static const char *const state_names[] = {"open", "used", "expired",
                                          "revoked"};

sb_invite_state sb_invite_state_at(const sb_invite *inv, int64_t now)
{
    if (inv->used)
        return SB_INVITE_USED;
    if (inv->revoked)
        return SB_INVITE_REVOKED;
    return now >= inv->expires ? SB_INVITE_EXPIRED : SB_INVITE_OPEN;
}

const char *sb_invite_state_name(sb_invite_state st)
{
    return (unsigned)st < 4 ? state_names[st] : "?";
}

#define INVITE_COLUMNS \
    "SELECT id, purpose, coalesce(person, 0), coalesce(account, 0), " \
    "coalesce(created_by, 0), created, expires, coalesce(used, 0), revoked " \
    "FROM invite "

static void invite_row(sqlite3_stmt *st, void *element)
{
    sb_invite *v = element;
    memset(v, 0, sizeof *v);
    v->id = sqlite3_column_int64(st, 0);
    const char *p = (const char *)sqlite3_column_text(st, 1);
    v->purpose = p && !strcmp(p, "reset") ? SB_INVITE_RESET : SB_INVITE_JOIN;
    v->person = sqlite3_column_int64(st, 2);
    v->account = sqlite3_column_int64(st, 3);
    v->created_by = sqlite3_column_int64(st, 4);
    v->created = sqlite3_column_int64(st, 5);
    v->expires = sqlite3_column_int64(st, 6);
    v->used = sqlite3_column_int64(st, 7);
    v->revoked = sqlite3_column_int(st, 8);
}

/* One invite by id (hash NULL) or by token hash. */
static sb_status one_invite(sb_journal *j, sb_id id,
                            const unsigned char *hash, sb_invite *out,
                            sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                                  hash ? INVITE_COLUMNS "WHERE token_hash = ?"
                                       : INVITE_COLUMNS "WHERE id = ?",
                                  &st, err);
    if (s != SB_OK)
        return s;
    if (hash)
        sqlite3_bind_blob(st, 1, hash, SB_TOKEN_BYTES, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        invite_row(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            hash ? "this link is unknown or no longer valid"
                                 : "no such invite");
    return rc == SQLITE_ROW ? SB_OK
                            : sb__journal_db_error(j, err,
                                                  "cannot read an invite");
}

sb_status sb_invite_get(sb_journal *j, sb_id id, sb_invite *out, sb_error *err)
{
    return one_invite(j, id, NULL, out, err);
}

sb_status sb_invite_create(sb_journal *j, sb_invite_purpose purpose,
                           sb_id target, sb_id created_by, int64_t now,
                           int64_t ttl, char token[SB_TOKEN_TEXT],
                           sb_invite *out, sb_error *err)
{
    if (ttl <= 0 || ttl > 90 * 86400)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a link is valid for 1 second to 90 days, not "
                            "%lld seconds",
                            (long long)ttl);
    sb_status s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    sb_account a;
    sb_error ignored;
    if (purpose == SB_INVITE_JOIN) {
        sb_rec_person p;
        s = sb_journal_get(j, SB_KIND_PERSON, target, &p, err);
        if (s == SB_OK && sb_account_of_person(j, target, &a, &ignored) ==
                              SB_OK)
            s = sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                             "%s already has an account ('%s')", p.name,
                             a.username);
    } else {
        s = sb_account_get(j, target, &a, err);
    }
    unsigned char hash[SB_TOKEN_BYTES];
    if (s == SB_OK)
        s = sb__journal_token_new(token, hash, err);
    sqlite3_stmt *st;
    if (s == SB_OK)
        s = sb__journal_stmt(j,
                            "INSERT INTO invite(token_hash, purpose, person, "
                            "account, created_by, created, expires) "
                            "VALUES(?, ?, ?, ?, ?, ?, ?)",
                            &st, err);
    if (s == SB_OK) {
        sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, purpose_names[purpose == SB_INVITE_RESET], -1,
                          SQLITE_STATIC);
        if (purpose == SB_INVITE_JOIN)
            sqlite3_bind_int64(st, 3, target);
        else
            sqlite3_bind_int64(st, 4, target);
        if (created_by)
            sqlite3_bind_int64(st, 5, created_by);
        sqlite3_bind_int64(st, 6, now);
        sqlite3_bind_int64(st, 7, now + ttl);
        s = sb__journal_step_done(j, st, "cannot create the link", err);
    }
    if (s == SB_OK)
        s = one_invite(j, sqlite3_last_insert_rowid(j->db), NULL, out, err);
    s = sb__journal_end(j, s, err);
    if (s != SB_OK)
        sodium_memzero(token, SB_TOKEN_TEXT);
    return s;
}

sb_status sb_invite_find(sb_journal *j, const char *token, int64_t now,
                         sb_invite *out, sb_error *err)
{
    unsigned char hash[SB_TOKEN_BYTES];
    if (!sb__journal_sodium_ready() || !sb__journal_token_hash(token, hash))
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "this link is unknown or no longer valid");
    sb_status s = one_invite(j, 0, hash, out, err);
    if (s == SB_OK && sb_invite_state_at(out, now) != SB_INVITE_OPEN)
        s = sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                         "this link is unknown or no longer valid");
    return s;
}

/* Marks an open invite used, inside the caller's transaction. */
static sb_status mark_used(sb_journal *j, sb_id id, int64_t now,
                           sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                                  "UPDATE invite SET used = ? WHERE id = ? "
                                  "AND used IS NULL AND revoked = 0",
                                  &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, id);
    s = sb__journal_step_done(j, st, "cannot use the link", err);
    if (s == SB_OK && sqlite3_changes(j->db) != 1)
        s = sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                         "this link is unknown or no longer valid");
    return s;
}

/* Finds the open invite of `purpose` inside a new transaction. */
static sb_status begin_use(sb_journal *j, const char *token, int64_t now,
                           sb_invite_purpose purpose, sb_invite *inv,
                           sb_error *err)
{
    sb_status s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    s = sb_invite_find(j, token, now, inv, err);
    if (s == SB_OK && inv->purpose != purpose)
        s = sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                         "this link is unknown or no longer valid");
    if (s != SB_OK)
        sb__journal_rollback(j);
    return s;
}

sb_status sb_invite_join_hashed(sb_journal *j, const char *token, int64_t now,
                                const char *username, const char *hash,
                                sb_account *account, sb_error *err)
{
    sb_invite inv;
    sb_status s = sb_account_check_username(username, err);
    if (s == SB_OK)
        s = begin_use(j, token, now, SB_INVITE_JOIN, &inv, err);
    if (s != SB_OK)
        return s;
    sb_id id = 0;
    s = sb_account_add_hashed(j, username, SB_ROLE_CLIENT, inv.person, hash,
                              now, &id, err);
    if (s == SB_OK)
        s = mark_used(j, inv.id, now, err);
    if (s == SB_OK)
        s = sb_account_get(j, id, account, err);
    return sb__journal_end(j, s, err);
}

sb_status sb_invite_join(sb_journal *j, const char *token, int64_t now,
                         const char *username, const char *password,
                         sb_account *account, sb_error *err)
{
    /* Hash outside the transaction: it takes a tenth of a second. */
    char hash[SB_PASSWORD_HASH_MAX];
    sb_status s = sb_account_check_username(username, err);
    if (s == SB_OK)
        s = sb_account_hash_password(password, hash, err);
    if (s == SB_OK)
        s = sb_invite_join_hashed(j, token, now, username, hash, account, err);
    sodium_memzero(hash, sizeof hash);
    return s;
}

sb_status sb_invite_reset_hashed(sb_journal *j, const char *token,
                                 int64_t now, const char *hash,
                                 sb_account *account, sb_error *err)
{
    sb_invite inv;
    sb_status s = begin_use(j, token, now, SB_INVITE_RESET, &inv, err);
    if (s != SB_OK)
        return s;
    s = sb__account_set_password_in_tx(j, inv.account, hash, err);
    if (s == SB_OK)
        s = mark_used(j, inv.id, now, err);
    if (s == SB_OK)
        s = sb_account_get(j, inv.account, account, err);
    return sb__journal_end(j, s, err);
}

sb_status sb_invite_reset(sb_journal *j, const char *token, int64_t now,
                          const char *password, sb_account *account,
                          sb_error *err)
{
    char hash[SB_PASSWORD_HASH_MAX];
    sb_status s = sb_account_hash_password(password, hash, err);
    if (s == SB_OK)
        s = sb_invite_reset_hashed(j, token, now, hash, account, err);
    sodium_memzero(hash, sizeof hash);
    return s;
}

sb_status sb_invite_list(sb_journal *j, sb_id person, sb_invite **out,
                         size_t *count, sb_error *err)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                                  INVITE_COLUMNS "WHERE person = ? ORDER BY "
                                                 "id DESC",
                                  &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, person);
    return sb__journal_collect(j, st, sizeof **out, invite_row, out, count,
                              "cannot list the invites", err);
}

sb_status sb_invite_revoke(sb_journal *j, sb_id id, sb_error *err)
{
    sb_invite inv;
    sb_status s = sb_invite_get(j, id, &inv, err);
    if (s != SB_OK)
        return s;
    if (inv.used)
        return sb_error_set(err, SB_ERR_STATE, NULL, 0, 0,
                            "this link was already used");
    if ((s = sb__journal_begin(j, err)) != SB_OK)
        return s;
    sqlite3_stmt *st;
    s = sb__journal_stmt(j, "UPDATE invite SET revoked = 1 WHERE id = ?", &st,
                        err);
    if (s == SB_OK) {
        sqlite3_bind_int64(st, 1, id);
        s = sb__journal_step_done(j, st, "cannot revoke the link", err);
    }
    return sb__journal_end(j, s, err);
}
