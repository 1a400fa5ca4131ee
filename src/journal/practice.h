/*
 * What the journal's files for the web app's tables (accounts.c,
 * web_session.c, invites.c, drafts.c, schedules.c, audit.c, caseload.c,
 * assignments.c) share: their schema step, tokens, and small helpers for
 * reading rows and ending writes. Seen by nobody outside the journal.
 */
#ifndef SB_JOURNAL_PRACTICE_H
#define SB_JOURNAL_PRACTICE_H

#include "journal/db.h"

#include <securebase/accounts.h>

/* The migration step that adds the web app's tables (schema_practice.c). */
extern const char sb__journal_practice_schema[];

/* Starts libsodium (once, thread-safe); 0 if it cannot. */
int sb__journal_sodium_ready(void);
/* A new random token as text, and its hash (tokens.c). */
sb_status sb__journal_token_new(char text[SB_TOKEN_TEXT],
                                unsigned char hash[SB_TOKEN_BYTES],
                                sb_error *err);
/* The hash of a token given as text; 0 if the text is not a token. */
int sb__journal_token_hash(const char *text,
                           unsigned char hash[SB_TOKEN_BYTES]);
/* Copies text column `col` of the current row into buf (cut to size). */
void sb__journal_column_text(sqlite3_stmt *st, int col, char *buf,
                             size_t size);
/* Steps a statement that writes; resets it; SB_OK if it was done. */
sb_status sb__journal_step_done(sb_journal *j, sqlite3_stmt *st,
                                const char *doing, sb_error *err);
/* Reads one row into one element of a list. */
typedef void (*sb__journal_row_fn)(sqlite3_stmt *st, void *element);
/*
 * Steps `st` (bound by the caller) to its end, reading each row with `read`
 * into a growing array of `size`-byte elements (zeroed first). `out` is the
 * address of the caller's element pointer: it receives the array (NULL when
 * empty or on failure), which the caller frees. Resets the statement.
 */
sb_status sb__journal_collect(sb_journal *j, sqlite3_stmt *st, size_t size,
                              sb__journal_row_fn read, void *out,
                              size_t *count, const char *doing,
                              sb_error *err);

/* Replaces an account's password hash and ends its sessions, inside the
 * caller's transaction (invites.c uses it for reset links). */
sb_status sb__account_set_password_in_tx(sb_journal *j, sb_id id,
                                         const char *hash, sb_error *err);

/* sb_audit_append inside the caller's transaction or savepoint, without
 * one of its own (for many entries at once). */
struct sb_audit_entry;
sb_status sb__audit_insert(sb_journal *j, struct sb_audit_entry *e,
                           int64_t now_ms, sb_error *err);
/* Reads id, at, account, username, action, kind, record, person, address
 * and detail, in that order, into an sb_audit_entry. */
void sb__audit_row(sqlite3_stmt *st, void *element);

#endif
