/*
 * The journal handle's insides, shared by the journal's files and seen by
 * nobody else: the connection and its statement cache, transactions,
 * SQLite errors turned into sb_error messages, and integrity checks.
 */
#ifndef SB_JOURNAL_DB_H
#define SB_JOURNAL_DB_H

#include <securebase/journal.h>

#include <securebase/measure.h>

#include <sqlite3.h>

/* More than the distinct queries of the journal (about ten per kind). */
#define SB_JOURNAL_STMT_CACHE 128

struct sb_journal {
    sqlite3 *db;
    char *path;
    int readonly;
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
sb_status sb__journal_stmt(sb_journal *j, const char *sql, sqlite3_stmt **out,
                           sb_error *err);

/* Records SQLite's current message as "<doing>: <message>" (SB_ERR_DB). */
sb_status sb__journal_db_error(sb_journal *j, sb_error *err, const char *doing);
/* Runs SQL without results. */
sb_status sb__journal_exec(sb_journal *j, const char *sql, sb_error *err);

/* BEGIN IMMEDIATE (takes the write lock now, so the busy timeout applies). */
sb_status sb__journal_begin(sb_journal *j, sb_error *err);
sb_status sb__journal_commit(sb_journal *j, sb_error *err);
/* Rolls back if a transaction is open; never fails. */
void sb__journal_rollback(sb_journal *j);

/*
 * SQLite's integrity and foreign key checks on `db` (named `path` in
 * messages); a check that cannot run is a failure, not a pass.
 */
sb_status sb__journal_check_db(sqlite3 *db, const char *path, sb_error *err);

/* The application_id that marks a SQLite file as a securebase journal. */
#define SB_JOURNAL_APPLICATION_ID 0x53424A4E /* "SBJN" */


#endif
