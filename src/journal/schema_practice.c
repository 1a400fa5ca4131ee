/*
 * The tables a practice needs around the journal when it runs the web app:
 * accounts and their roles, which clinician sees which client, signed-in
 * sessions, one-time invite and reset links, questionnaire drafts, measure
 * schedules and the audit log. One migration step (schema.c lists it); the
 * CHECK constraints and triggers keep the rules even against other routes
 * into the file.
 *
 * Secrets are never stored: passwords as argon2id strings, session and
 * invite tokens as their BLAKE2b-256 hashes. Times are Unix seconds (UTC),
 * except the audit log's, which are ISO 8601 text with milliseconds.
 */
#include "journal/practice.h"

#define REAL_DATE(c) "date(julianday(" c ")) IS " c

const char sb__journal_practice_schema[] =
    "CREATE TABLE account("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  username TEXT NOT NULL UNIQUE COLLATE NOCASE"
    "    CHECK(length(username) BETWEEN 3 AND 64),"
    "  role TEXT NOT NULL CHECK(role IN ('admin','clinician','client')),"
    "  person INTEGER UNIQUE REFERENCES person(id) ON DELETE CASCADE,"
    "  password TEXT NOT NULL CHECK(password GLOB '$argon2id$*'),"
    "  disabled INTEGER NOT NULL DEFAULT 0 CHECK(disabled IN (0, 1)),"
    "  created INTEGER NOT NULL,"
    "  CHECK((role = 'client') = (person IS NOT NULL)));"
    "CREATE TABLE assignment("
    "  clinician INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
    "  person INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    "  since INTEGER NOT NULL,"
    "  PRIMARY KEY(clinician, person)) WITHOUT ROWID;"
    "CREATE INDEX assignment_by_person ON assignment(person);"
    "CREATE TRIGGER assignment_to_clinician BEFORE INSERT ON assignment"
    "  WHEN (SELECT role FROM account WHERE id = NEW.clinician)"
    "       IS NOT 'clinician'"
    "  BEGIN SELECT RAISE(ABORT, 'only a clinician can be assigned clients');"
    "  END;"
    "CREATE TABLE web_session("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  token_hash BLOB NOT NULL UNIQUE CHECK(length(token_hash) = 32),"
    "  account INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
    "  csrf BLOB NOT NULL CHECK(length(csrf) = 32),"
    "  created INTEGER NOT NULL,"
    "  seen INTEGER NOT NULL,"
    "  address TEXT NOT NULL);"
    "CREATE INDEX web_session_by_account ON web_session(account);"
    "CREATE TABLE invite("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  token_hash BLOB NOT NULL UNIQUE CHECK(length(token_hash) = 32),"
    "  purpose TEXT NOT NULL CHECK(purpose IN ('join','reset')),"
    "  person INTEGER REFERENCES person(id) ON DELETE CASCADE,"
    "  account INTEGER REFERENCES account(id) ON DELETE CASCADE,"
    "  created_by INTEGER REFERENCES account(id) ON DELETE SET NULL,"
    "  created INTEGER NOT NULL,"
    "  expires INTEGER NOT NULL CHECK(expires > created),"
    "  used INTEGER,"
    "  revoked INTEGER NOT NULL DEFAULT 0 CHECK(revoked IN (0, 1)),"
    "  CHECK((purpose = 'join') = (person IS NOT NULL)),"
    "  CHECK((purpose = 'reset') = (account IS NOT NULL)));"
    "CREATE INDEX invite_by_person ON invite(person);"
    "CREATE TABLE schedule("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  person INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    "  instrument TEXT NOT NULL CHECK(length(instrument) BETWEEN 1 AND 127),"
    "  every_weeks INTEGER NOT NULL CHECK(every_weeks BETWEEN 1 AND 104),"
    "  start TEXT NOT NULL CHECK(" REAL_DATE("start") "),"
    "  UNIQUE(person, instrument));"
    "CREATE TABLE draft("
    "  account INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
    "  instrument TEXT NOT NULL CHECK(length(instrument) BETWEEN 1 AND 127),"
    "  answers TEXT NOT NULL,"
    "  updated INTEGER NOT NULL,"
    "  PRIMARY KEY(account, instrument)) WITHOUT ROWID;"
    /* No foreign keys: the log outlives the accounts and records it names. */
    "CREATE TABLE audit("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  at TEXT NOT NULL,"
    "  account INTEGER,"
    "  username TEXT NOT NULL,"
    "  action TEXT NOT NULL CHECK(length(action) BETWEEN 1 AND 31),"
    "  kind TEXT NOT NULL,"
    "  record INTEGER,"
    "  person INTEGER,"
    "  address TEXT NOT NULL,"
    "  detail TEXT NOT NULL);"
    "CREATE INDEX audit_by_person ON audit(person, id);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";
