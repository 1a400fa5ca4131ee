/*
 * What the journal's source files share and nobody else sees: the handle's
 * insides, transactions, and SQLite errors turned into sb_error messages.
 */
#ifndef SB_JOURNAL_INTERNAL_H
#define SB_JOURNAL_INTERNAL_H

#include <securebase/journal.h>

#include <securebase/measure.h>

#include <sqlite3.h>

/* More than the distinct queries of the journal (about ten per kind). */
#define SB_JOURNAL_STMT_CACHE 128

struct sb_journal {
    sqlite3 *db;
    char *path;
    int readonly;
    int depth; /* open transactions: 1 = BEGIN, more = savepoints */
    /* Prepared statements kept for reuse, keyed by their SQL text. */
    struct {
        char *sql;
        sqlite3_stmt *stmt;
    } cache[SB_JOURNAL_STMT_CACHE];
    /* Instruments loaded for scoring, kept until the journal is closed. */
    sb_instrument *instruments[8];
};

/*
 * A prepared statement for `sql`, reset and with bindings cleared, from the
 * journal's cache (owned by the journal: never finalize it). Call
 * sqlite3_reset() when done with it, so no read stays open.
 */
sb_status sb_journal_stmt(sb_journal *j, const char *sql, sqlite3_stmt **out,
                          sb_error *err);

/* Records SQLite's current message as "<doing>: <message>" (SB_ERR_DB). */
sb_status sb_journal_db_error(sb_journal *j, sb_error *err, const char *doing);
/* Runs SQL without results. */
sb_status sb_journal_exec(sb_journal *j, const char *sql, sb_error *err);

/* BEGIN IMMEDIATE (takes the write lock now, so the busy timeout applies). */
sb_status sb_journal_begin(sb_journal *j, sb_error *err);
sb_status sb_journal_commit(sb_journal *j, sb_error *err);
/* Rolls back if a transaction is open; never fails. */
void sb_journal_rollback(sb_journal *j);

/*
 * Brings the schema from its current PRAGMA user_version up to `target`,
 * one step at a time, inside the caller's transaction. Tests use targets
 * below the current version to build old journals.
 */
sb_status sb_journal_migrate(sqlite3 *db, const char *path, int target,
                             sb_error *err);
/*
 * The first column of the first row of `sql` as an int; 0 if the query
 * failed or returned no row (the caller reports sqlite3_errmsg).
 */
int sb_journal_query_int(sqlite3 *db, const char *sql, int *out);

/*
 * SQLite's integrity and foreign key checks on `db` (named `path` in
 * messages); a check that cannot run is a failure, not a pass.
 */
sb_status sb_journal_check_db(sqlite3 *db, const char *path, sb_error *err);

/* The migration step that adds the web app's tables (schema_practice.c). */
extern const char sb_journal_practice_schema[];

/* ---- the web app's tables (accounts.c, web_session.c, invites.c, ...) ---- */

#include <securebase/accounts.h>

/* Starts libsodium (once, thread-safe); 0 if it cannot. */
int sb_journal_sodium_ready(void);
/* A new random token as text, and its hash (tokens.c). */
sb_status sb_journal_token_new(char text[SB_TOKEN_TEXT],
                               unsigned char hash[SB_TOKEN_BYTES],
                               sb_error *err);
/* The hash of a token given as text; 0 if the text is not a token. */
int sb_journal_token_hash(const char *text, unsigned char hash[SB_TOKEN_BYTES]);
/* Copies text column `col` of the current row into buf (cut to size). */
void sb_journal_column_text(sqlite3_stmt *st, int col, char *buf, size_t size);
/* Steps a statement that writes; resets it; SB_OK if it was done. */
sb_status sb_journal_step_done(sb_journal *j, sqlite3_stmt *st,
                               const char *doing, sb_error *err);
/* Reads one row into one element of a list. */
typedef void (*sb_journal_row_fn)(sqlite3_stmt *st, void *element);
/*
 * Steps `st` (bound by the caller) to its end, reading each row with `read`
 * into a growing array of `size`-byte elements (zeroed first). `out` is the
 * address of the caller's element pointer: it receives the array (NULL when
 * empty or on failure), which the caller frees. Resets the statement.
 */
sb_status sb_journal_collect(sb_journal *j, sqlite3_stmt *st, size_t size,
                             sb_journal_row_fn read, void *out, size_t *count,
                             const char *doing, sb_error *err);
/* Ends a write begun with sb_journal_begin: commits on SB_OK, else rolls
 * back and passes the failure on. */
sb_status sb_journal_end(sb_journal *j, sb_status st, sb_error *err);

/* Replaces an account's password hash and ends its sessions, inside the
 * caller's transaction (invites.c uses it for reset links). */
sb_status sb_account_set_password_in_tx(sb_journal *j, sb_id id,
                                        const char *hash, sb_error *err);

/* The application_id that marks a SQLite file as a securebase journal. */
#define SB_JOURNAL_APPLICATION_ID 0x53424A4E /* "SBJN" */

/* Checks one field of a record, as sb_journal_record_check does for all. */
sb_status sb_journal_field_check(const sb_journal_field *f, const void *record,
                                 sb_error *err);

/* sb_journal_add without its own transaction (for import). */
sb_status sb_journal_add_in_tx(sb_journal *j, sb_journal_kind kind,
                               void *record, sb_error *err);

#endif
