/*
 * securebase accounts: who may sign in to a practice's journal and as what.
 * Accounts with a role (admin, clinician, client; a client account belongs
 * to one person of the journal), the clients assigned to each clinician,
 * signed-in web sessions, and one-time links to join or to reset a
 * password. Part of the journal layer: everything is stored in the journal
 * file (schema version 3), and each write is one transaction (or a
 * savepoint inside sb_journal_transaction).
 *
 * No secret is stored. Passwords are kept as argon2id strings (libsodium's
 * crypto_pwhash_str at its interactive limits); session and invite tokens
 * are 256-bit random values handed out once as text and kept only as
 * BLAKE2b-256 hashes. Times are Unix seconds given by the caller, so that
 * expiry is testable.
 */
#ifndef SECUREBASE_ACCOUNTS_H
#define SECUREBASE_ACCOUNTS_H

#include <securebase/journal.h>

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sb_role {
    SB_ROLE_ADMIN = 0,  /* accounts, assignments, audit log; no records */
    SB_ROLE_CLINICIAN,  /* the records of the clients assigned to them */
    SB_ROLE_CLIENT,     /* their own record only */
    SB_ROLE_COUNT
} sb_role;

/* "admin", "clinician", "client". */
const char *sb_role_name(sb_role role);
sb_status sb_role_parse(const char *name, sb_role *out, sb_error *err);

#define SB_USERNAME_MAX 65  /* 3..64 characters, with the NUL */
#define SB_PASSWORD_MIN 10  /* characters (code points), not bytes */
#define SB_PASSWORD_MAX 1024 /* bytes */

typedef struct sb_account {
    sb_id id;
    char username[SB_USERNAME_MAX];
    sb_role role;
    sb_id person;       /* a client's person; 0 for other roles */
    int disabled;
    int64_t created;
} sb_account;

/*
 * A username is 3-64 characters of ASCII letters, digits and . _ - @ and
 * starts with a letter or digit; usernames are compared without letter
 * case. The message names the rule that was broken.
 */
sb_status sb_account_check_username(const char *username, sb_error *err);
/* A password is valid UTF-8 of SB_PASSWORD_MIN characters or more, with no
 * control characters, and at most SB_PASSWORD_MAX bytes. */
sb_status sb_account_check_password(const char *password, sb_error *err);

/*
 * Adds an account. A client account needs `person` (who must exist and have
 * no account yet); other roles need 0. The password is checked, then hashed.
 * *id (may be NULL) receives the new id.
 */
sb_status sb_account_add(sb_journal *j, const char *username, sb_role role,
                         sb_id person, const char *password, int64_t now,
                         sb_id *id, sb_error *err);
/* Room for an argon2id hash string (libsodium's crypto_pwhash_STRBYTES). */
#define SB_PASSWORD_HASH_MAX 128
/* Checks a password and hashes it with argon2id into `out`. */
sb_status sb_account_hash_password(const char *password,
                                   char out[SB_PASSWORD_HASH_MAX],
                                   sb_error *err);
/* sb_account_add with the password already hashed (an argon2id string from
 * sb_account_hash_password): for moving accounts between journals and for
 * making many test accounts without hashing each. */
sb_status sb_account_add_hashed(sb_journal *j, const char *username,
                                sb_role role, sb_id person, const char *hash,
                                int64_t now, sb_id *id, sb_error *err);
/* By id or by username (any letter case); SB_ERR_NOTFOUND if none. */
sb_status sb_account_get(sb_journal *j, sb_id id, sb_account *out,
                         sb_error *err);
sb_status sb_account_find(sb_journal *j, const char *username,
                          sb_account *out, sb_error *err);
/* The client account of a person; SB_ERR_NOTFOUND if they have none. */
sb_status sb_account_of_person(sb_journal *j, sb_id person, sb_account *out,
                               sb_error *err);
/* Every account by id; the caller frees *accounts (NULL when none). */
sb_status sb_account_list(sb_journal *j, sb_account **accounts, size_t *count,
                          sb_error *err);
/* Disables (1) or enables (0) an account; disabling ends its sessions. */
sb_status sb_account_set_disabled(sb_journal *j, sb_id id, int disabled,
                                  sb_error *err);
/* Sets a new password (checked and hashed) and ends every session. */
sb_status sb_account_set_password(sb_journal *j, sb_id id,
                                  const char *password, sb_error *err);
/* The same with the password hashed already (sb_account_hash_password), so
 * that a caller can hash outside its own locks. */
sb_status sb_account_set_password_hashed(sb_journal *j, sb_id id,
                                         const char *hash, sb_error *err);
/*
 * Checks a username and password. Unknown usernames cost as much time as
 * wrong passwords (a dummy hash is verified), and both give
 * SB_ERR_NOTFOUND with the same message; a disabled account gives
 * SB_ERR_STATE (only after the right password).
 */
sb_status sb_account_verify(sb_journal *j, const char *username,
                            const char *password, sb_account *out,
                            sb_error *err);

/* ---- assignments: which clinician sees which client ---------------------- */

typedef struct sb_assignment {
    sb_id clinician;                      /* an account */
    sb_id person;
    char clinician_name[SB_USERNAME_MAX];
    char person_name[SB_JOURNAL_NAME_MAX];
    int64_t since;
} sb_assignment;

/* Assigns a person to a clinician's caseload (idempotent). */
sb_status sb_assignment_add(sb_journal *j, sb_id clinician, sb_id person,
                            int64_t now, sb_error *err);
/* SB_ERR_NOTFOUND if there was no such assignment. */
sb_status sb_assignment_remove(sb_journal *j, sb_id clinician, sb_id person,
                               sb_error *err);
/* *yes = 1 if `person` is on `clinician`'s caseload. */
sb_status sb_assignment_exists(sb_journal *j, sb_id clinician, sb_id person,
                               int *yes, sb_error *err);
/* The assignments of one clinician (or all when 0), by clinician then
 * person name; the caller frees *out. */
sb_status sb_assignment_list(sb_journal *j, sb_id clinician,
                             sb_assignment **out, size_t *count,
                             sb_error *err);

/* ---- tokens -------------------------------------------------------------- */

#define SB_TOKEN_BYTES 32
/* A token as text: URL-safe base64 without padding (43) and the NUL. */
#define SB_TOKEN_TEXT 44

/* ---- signed-in web sessions ---------------------------------------------- */

typedef struct sb_web_session_limits {
    int64_t idle;      /* seconds without a request before it ends */
    int64_t absolute;  /* seconds after sign-in when it ends regardless */
} sb_web_session_limits;

typedef struct sb_web_session {
    sb_id id;
    sb_id account;
    int64_t created, seen;
    unsigned char csrf[SB_TOKEN_BYTES]; /* the session's anti-forgery token */
} sb_web_session;

/*
 * Starts a session for an account: writes a new random token to `token`
 * (handed to the browser once; only its hash is stored) and a new CSRF
 * token into *out.
 */
sb_status sb_web_session_start(sb_journal *j, sb_id account, int64_t now,
                               const char *address, char token[SB_TOKEN_TEXT],
                               sb_web_session *out, sb_error *err);
/*
 * Finds the live session of a token and its account: SB_ERR_NOTFOUND for an
 * unknown or malformed token, and for a session past either limit or of a
 * disabled account. Never writes (sb_web_session_expire removes ended
 * sessions; sb_web_session_touch records use).
 */
sb_status sb_web_session_find(sb_journal *j, const char *token, int64_t now,
                              const sb_web_session_limits *limits,
                              sb_web_session *out, sb_account *account,
                              sb_error *err);
/* Records that a session was used at `now` (its idle limit counts from
 * here); callers may do it at most every minute or so. */
sb_status sb_web_session_touch(sb_journal *j, sb_id id, int64_t now,
                               sb_error *err);
/* Ends one session (sign-out); ending an ended one is not an error. */
sb_status sb_web_session_end(sb_journal *j, sb_id id, sb_error *err);
/* Ends every session past its limits; *ended (may be NULL) counts them. */
sb_status sb_web_session_expire(sb_journal *j, int64_t now,
                                const sb_web_session_limits *limits,
                                size_t *ended, sb_error *err);

/* ---- one-time links: joining as a client, resetting a password ----------- */

typedef enum sb_invite_purpose {
    SB_INVITE_JOIN = 0, /* a client sets up their account for `person` */
    SB_INVITE_RESET     /* the holder of `account` sets a new password */
} sb_invite_purpose;

typedef enum sb_invite_state {
    SB_INVITE_OPEN = 0,
    SB_INVITE_USED,
    SB_INVITE_EXPIRED,
    SB_INVITE_REVOKED
} sb_invite_state;

typedef struct sb_invite {
    sb_id id;
    sb_invite_purpose purpose;
    sb_id person;      /* JOIN */
    sb_id account;     /* RESET */
    sb_id created_by;  /* 0 if that account is gone */
    int64_t created, expires, used; /* used: 0 while unused */
    int revoked;
} sb_invite;

/* "open", "used", "expired", "revoked" as of `now`. */
sb_invite_state sb_invite_state_at(const sb_invite *inv, int64_t now);
const char *sb_invite_state_name(sb_invite_state st);

/*
 * Creates a one-time link valid for `ttl` seconds and writes its token.
 * JOIN needs a person without an account; RESET an existing account.
 */
sb_status sb_invite_create(sb_journal *j, sb_invite_purpose purpose,
                           sb_id person_or_account, sb_id created_by,
                           int64_t now, int64_t ttl,
                           char token[SB_TOKEN_TEXT], sb_invite *out,
                           sb_error *err);
/* The open invite of a token; SB_ERR_NOTFOUND for an unknown, malformed,
 * used, expired or revoked one (the message says which of these it is
 * only as "no longer valid"). */
sb_status sb_invite_find(sb_journal *j, const char *token, int64_t now,
                         sb_invite *out, sb_error *err);
/*
 * Uses a JOIN link: in one transaction checks it is still open, creates the
 * client account with the username and password and marks the link used.
 * *account receives the new account.
 */
sb_status sb_invite_join(sb_journal *j, const char *token, int64_t now,
                         const char *username, const char *password,
                         sb_account *account, sb_error *err);
/* Uses a RESET link: sets the password, ends the account's sessions and
 * marks the link used, in one transaction. */
sb_status sb_invite_reset(sb_journal *j, const char *token, int64_t now,
                          const char *password, sb_account *account,
                          sb_error *err);
/* sb_invite_join and _reset with the password hashed already
 * (sb_account_hash_password; the username is still checked). */
sb_status sb_invite_join_hashed(sb_journal *j, const char *token, int64_t now,
                                const char *username, const char *hash,
                                sb_account *account, sb_error *err);
sb_status sb_invite_reset_hashed(sb_journal *j, const char *token,
                                 int64_t now, const char *hash,
                                 sb_account *account, sb_error *err);
/* An invite by id; SB_ERR_NOTFOUND if none. */
sb_status sb_invite_get(sb_journal *j, sb_id id, sb_invite *out,
                        sb_error *err);
/* The JOIN links made for a person, newest first; the caller frees *out. */
sb_status sb_invite_list(sb_journal *j, sb_id person, sb_invite **out,
                         size_t *count, sb_error *err);
/* Revokes an open link (a used one stays used). */
sb_status sb_invite_revoke(sb_journal *j, sb_id id, sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
