/*
 * Accounts: roles, the rules for usernames and passwords, adding and
 * finding accounts, disabling them, and checking a password in constant
 * time whether or not the username exists.
 */
#include "base/utf8.h"
#include "journal/practice.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(SB_PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES,
               "room for an argon2id string");

static const char *const role_names[SB_ROLE_COUNT] = {"admin", "clinician",
                                                       "client"};

const char *sb_role_name(sb_role role)
{
    return (unsigned)role < SB_ROLE_COUNT ? role_names[role] : "?";
}

sb_status sb_role_parse(const char *name, sb_role *out, sb_error *err)
{
    for (int r = 0; r < SB_ROLE_COUNT; r++)
        if (!strcmp(name, role_names[r])) {
            *out = (sb_role)r;
            return SB_OK;
        }
    return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                        "unknown role '%s' (expected admin, clinician or "
                        "client)",
                        name);
}

sb_status sb_account_check_username(const char *u, sb_error *err)
{
    size_t n = strlen(u);
    if (n < 3 || n > SB_USERNAME_MAX - 1)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a username has 3 to %d characters; '%.80s' has "
                            "%zu",
                            SB_USERNAME_MAX - 1, u, n);
    if (!isalnum((unsigned char)u[0]))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a username starts with a letter or digit, not "
                            "'%c'",
                            isprint((unsigned char)u[0]) ? u[0] : '?');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)u[i];
        if (c < 0x80 && (isalnum(c) || strchr("._-@", c)))
            continue;
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a username holds only letters a-z, digits and "
                            ". _ - @; character %zu is not one of them",
                            i + 1);
    }
    return SB_OK;
}

sb_status sb_account_check_password(const char *p, sb_error *err)
{
    size_t n = strlen(p);
    if (n > SB_PASSWORD_MAX)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a password has at most %d bytes; this one has "
                            "%zu",
                            SB_PASSWORD_MAX, n);
    if (sb__utf8_valid_prefix(p, n) != n)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "the password is not valid UTF-8 text");
    size_t chars = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c == 0x7F)
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "the password contains a control character");
        chars += (c & 0xC0) != 0x80;
    }
    if (chars < SB_PASSWORD_MIN)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a password has at least %d characters; this one "
                            "has %zu",
                            SB_PASSWORD_MIN, chars);
    return SB_OK;
}

/* argon2id at libsodium's interactive limits (about 0.1 s and 64 MiB). */
static sb_status hash_password(const char *password,
                               char out[crypto_pwhash_STRBYTES], sb_error *err)
{
    sb_status st = sb_account_check_password(password, err);
    if (st != SB_OK)
        return st;
    if (!sb__journal_sodium_ready())
        return sb_error_set(err, SB_ERR_STATE, NULL, 0, 0,
                            "the cryptography library cannot start");
    if (crypto_pwhash_str(out, password, strlen(password),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                            "out of memory while hashing the password");
    return SB_OK;
}

static void read_account(sqlite3_stmt *st, sb_account *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    sb__journal_column_text(st, 1, a->username, sizeof a->username);
    char role[16];
    sb__journal_column_text(st, 2, role, sizeof role);
    (void)sb_role_parse(role, &a->role, NULL);
    a->person = sqlite3_column_int64(st, 3);
    a->disabled = sqlite3_column_int(st, 4);
    a->created = sqlite3_column_int64(st, 5);
}

#define ACCOUNT_COLUMNS \
    "SELECT id, username, role, coalesce(person, 0), disabled, created " \
    "FROM account "

/* Runs a one-row account query bound to an id or a text. */
static sb_status one_account(sb_journal *j, const char *sql, sb_id id,
                             const char *text, sb_account *out, sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j, sql, &st, err);
    if (s != SB_OK)
        return s;
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_account(st, out);
    else if (rc == SQLITE_DONE)
        s = sb_error_set(err, SB_ERR_NOTFOUND, j->path, 0, 0,
                         "no account %s%s%.80s%s", text ? "named " : "",
                         text ? "'" : "", text ? text : "", text ? "'" : "");
    else
        s = sb__journal_db_error(j, err, "cannot read an account");
    sqlite3_reset(st);
    if (s == SB_ERR_NOTFOUND && !text)
        s = sb_error_set(err, SB_ERR_NOTFOUND, j->path, 0, 0,
                         "no account with id %lld", (long long)id);
    return s;
}

sb_status sb_account_get(sb_journal *j, sb_id id, sb_account *out,
                         sb_error *err)
{
    return one_account(j, ACCOUNT_COLUMNS "WHERE id = ?", id, NULL, out, err);
}

sb_status sb_account_find(sb_journal *j, const char *username,
                          sb_account *out, sb_error *err)
{
    return one_account(j, ACCOUNT_COLUMNS "WHERE username = ?", 0, username,
                       out, err);
}

sb_status sb_account_of_person(sb_journal *j, sb_id person, sb_account *out,
                               sb_error *err)
{
    sb_status s = one_account(j, ACCOUNT_COLUMNS "WHERE person = ?", person,
                              NULL, out, err);
    if (s == SB_ERR_NOTFOUND)
        s = sb_error_set(err, SB_ERR_NOTFOUND, j->path, 0, 0,
                         "person %lld has no account", (long long)person);
    return s;
}

static void account_row(sqlite3_stmt *st, void *element)
{
    read_account(st, element);
}

sb_status sb_account_list(sb_journal *j, sb_account **accounts, size_t *count,
                          sb_error *err)
{
    *accounts = NULL;
    *count = 0;
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j, ACCOUNT_COLUMNS "ORDER BY id", &st, err);
    if (s != SB_OK)
        return s;
    return sb__journal_collect(j, st, sizeof **accounts, account_row, accounts,
                              count, "cannot list accounts", err);
}

sb_status sb_account_add_hashed(sb_journal *j, const char *username,
                                sb_role role, sb_id person, const char *hash,
                                int64_t now, sb_id *id, sb_error *err)
{
    sb_status s = sb_account_check_username(username, err);
    if (s != SB_OK)
        return s;
    if ((unsigned)role >= SB_ROLE_COUNT)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0, "unknown role");
    if ((role == SB_ROLE_CLIENT) != (person != 0))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            role == SB_ROLE_CLIENT
                                ? "a client account belongs to a person of "
                                  "the journal; give the person"
                                : "only a client account belongs to a person");
    if (strncmp(hash, "$argon2id$", 10))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a password hash must be an argon2id string");
    if ((s = sb__journal_begin(j, err)) != SB_OK)
        return s;
    sb_account other;
    sb_error ignored;
    if (sb_account_find(j, username, &other, &ignored) == SB_OK)
        s = sb_error_set(err, SB_ERR_INVALID, j->path, 0, 0,
                         "the username '%s' is taken", username);
    if (s == SB_OK && person) {
        sb_rec_person p;
        s = sb_journal_get(j, SB_KIND_PERSON, person, &p, err);
        if (s == SB_OK && sb_account_of_person(j, person, &other, &ignored) ==
                              SB_OK)
            s = sb_error_set(err, SB_ERR_INVALID, j->path, 0, 0,
                             "%s already has an account ('%s')", p.name,
                             other.username);
    }
    sqlite3_stmt *st = NULL;
    if (s == SB_OK)
        s = sb__journal_stmt(j,
                            "INSERT INTO account(username, role, person, "
                            "password, created) VALUES(?, ?, ?, ?, ?)",
                            &st, err);
    if (s == SB_OK) {
        sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, sb_role_name(role), -1, SQLITE_STATIC);
        if (person)
            sqlite3_bind_int64(st, 3, person);
        sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, now);
        s = sb__journal_step_done(j, st, "cannot add the account", err);
    }
    if (s == SB_OK && id)
        *id = sqlite3_last_insert_rowid(j->db);
    return sb__journal_end(j, s, err);
}

sb_status sb_account_add(sb_journal *j, const char *username, sb_role role,
                         sb_id person, const char *password, int64_t now,
                         sb_id *id, sb_error *err)
{
    /* Cheap checks first: hashing takes a tenth of a second. */
    sb_status s = sb_account_check_username(username, err);
    char hash[crypto_pwhash_STRBYTES];
    if (s == SB_OK)
        s = hash_password(password, hash, err);
    if (s == SB_OK)
        s = sb_account_add_hashed(j, username, role, person, hash, now, id,
                                  err);
    sodium_memzero(hash, sizeof hash);
    return s;
}

sb_status sb_account_hash_password(const char *password,
                                   char out[SB_PASSWORD_HASH_MAX],
                                   sb_error *err)
{
    return hash_password(password, out, err);
}

/* Runs `sql` with an id bound last and, first, an optional integer. */
static sb_status update_account(sb_journal *j, const char *sql, sb_id id,
                                const char *text, int value,
                                const char *doing, sb_error *err)
{
    sb_account a;
    sb_status s = sb_account_get(j, id, &a, err);
    sqlite3_stmt *st;
    if (s == SB_OK)
        s = sb__journal_stmt(j, sql, &st, err);
    if (s != SB_OK)
        return s;
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int(st, 1, value);
    sqlite3_bind_int64(st, 2, id);
    s = sb__journal_step_done(j, st, doing, err);
    if (s == SB_OK && (text || value)) {
        /* A new password or a disabled account: nobody stays signed in. */
        s = sb__journal_stmt(j, "DELETE FROM web_session WHERE account = ?",
                            &st, err);
        if (s == SB_OK) {
            sqlite3_bind_int64(st, 1, id);
            s = sb__journal_step_done(j, st, "cannot end the sessions", err);
        }
    }
    return s;
}

sb_status sb_account_set_disabled(sb_journal *j, sb_id id, int disabled,
                                  sb_error *err)
{
    sb_status s = sb__journal_begin(j, err);
    if (s == SB_OK)
        s = sb__journal_end(j,
                           update_account(j,
                                          "UPDATE account SET disabled = ? "
                                          "WHERE id = ?",
                                          id, NULL, disabled ? 1 : 0,
                                          "cannot change the account", err),
                           err);
    return s;
}

sb_status sb__account_set_password_in_tx(sb_journal *j, sb_id id,
                                        const char *hash, sb_error *err)
{
    return update_account(j, "UPDATE account SET password = ? WHERE id = ?",
                          id, hash, 0, "cannot change the password", err);
}

sb_status sb_account_set_password_hashed(sb_journal *j, sb_id id,
                                         const char *hash, sb_error *err)
{
    if (strncmp(hash, "$argon2id$", 10))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a password hash must be an argon2id string");
    sb_status s = sb__journal_begin(j, err);
    if (s == SB_OK)
        s = sb__journal_end(j, sb__account_set_password_in_tx(j, id, hash, err),
                           err);
    return s;
}

sb_status sb_account_set_password(sb_journal *j, sb_id id,
                                  const char *password, sb_error *err)
{
    char hash[crypto_pwhash_STRBYTES];
    sb_status s = hash_password(password, hash, err);
    if (s == SB_OK)
        s = sb_account_set_password_hashed(j, id, hash, err);
    sodium_memzero(hash, sizeof hash);
    return s;
}

sb_status sb_account_verify(sb_journal *j, const char *username,
                            const char *password, sb_account *out,
                            sb_error *err)
{
    /* A hash of a password nobody has, verified when the username is
     * unknown so that both failures take the same time. */
    static const char dummy[SB_PASSWORD_HASH_MAX] =
        "$argon2id$v=19$m=65536,t=2,p=1$ekNlllN1lVQkqoh1fiiZpQ$"
        "jAYBegLwS+Ekk9cOwD9I9PpyrP+4+Omm6CkQq7fe09A";
    if (!sb__journal_sodium_ready())
        return sb_error_set(err, SB_ERR_STATE, NULL, 0, 0,
                            "the cryptography library cannot start");
    char hash[crypto_pwhash_STRBYTES] = "";
    sb_account a;
    memset(&a, 0, sizeof a);
    int known = 0;
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                        "SELECT id, username, role, coalesce(person, 0), "
                        "disabled, created, password FROM account WHERE "
                        "username = ?",
                        &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_account(st, &a);
        sb__journal_column_text(st, 6, hash, sizeof hash);
        known = 1;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sb__journal_db_error(j, err, "cannot read an account");
    size_t n = strlen(password);
    int ok = crypto_pwhash_str_verify(known ? hash : dummy, password,
                                      n > SB_PASSWORD_MAX ? SB_PASSWORD_MAX
                                                          : n) == 0;
    sodium_memzero(hash, sizeof hash);
    if (!known || !ok || n > SB_PASSWORD_MAX)
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "wrong username or password");
    if (a.disabled)
        return sb_error_set(err, SB_ERR_STATE, NULL, 0, 0,
                            "this account is disabled");
    *out = a;
    return SB_OK;
}
