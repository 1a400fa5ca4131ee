/*
 * The journal's schema and its migrations. PRAGMA user_version holds the
 * schema version; each step below turns version n into n + 1, and a journal
 * is always brought to the newest version in one transaction when opened.
 * The CHECK constraints repeat the validation in fields.c so that nothing
 * invalid gets in even by another route.
 */
#include "journal/schema.h"

#include "journal/db.h"
#include "journal/practice.h"

#include <stdio.h>

/* A real calendar date in ISO form: julianday() rolls 02-30 into March. */
#define REAL_DATE(c) "date(julianday(" c ")) IS " c
#define PERSON_REF \
    "person INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT"
#define ID "id INTEGER PRIMARY KEY AUTOINCREMENT"

static const char *const steps[] = {
    /* 0 -> 1: people and what is recorded about them. */
    "PRAGMA application_id = 1396853326;"
    "CREATE TABLE person(" ID ","
    "  name TEXT NOT NULL UNIQUE CHECK(length(name) BETWEEN 1 AND 127),"
    "  notes TEXT);"
    "CREATE TABLE relationship(" ID "," PERSON_REF ","
    "  kind TEXT NOT NULL CHECK(kind IN ('partner','friend','family','other')),"
    "  name TEXT NOT NULL CHECK(length(name) >= 1),"
    "  supportive INTEGER NOT NULL CHECK(supportive IN (0, 1)),"
    "  secure INTEGER NOT NULL CHECK(secure IN (0, 1)),"
    "  start TEXT NOT NULL CHECK(" REAL_DATE("start") "),"
    "  \"end\" TEXT CHECK(\"end\" IS NULL OR (" REAL_DATE("\"end\"")
    "                     AND \"end\" >= start)),"
    "  notes TEXT);"
    "CREATE TABLE session(" ID "," PERSON_REF ","
    "  date TEXT NOT NULL CHECK(" REAL_DATE("date") "),"
    "  attended INTEGER NOT NULL CHECK(attended IN (0, 1)),"
    "  minutes INTEGER NOT NULL CHECK(minutes BETWEEN 1 AND 600),"
    "  notes TEXT);"
    "CREATE TABLE assessment(" ID "," PERSON_REF ","
    "  instrument TEXT NOT NULL CHECK(length(instrument) >= 1),"
    "  date TEXT NOT NULL CHECK(" REAL_DATE("date") "));"
    "CREATE TABLE assessment_item("
    "  assessment INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL CHECK(position BETWEEN 1 AND 64),"
    "  answer REAL,"
    "  PRIMARY KEY(assessment, position)) WITHOUT ROWID;"
    "CREATE TABLE reflection(" ID "," PERSON_REF ","
    "  date TEXT NOT NULL CHECK(" REAL_DATE("date") "),"
    "  \"trigger\" TEXT NOT NULL CHECK(length(\"trigger\") >= 1),"
    "  situation TEXT, old_response TEXT, new_response TEXT,"
    "  tried INTEGER NOT NULL CHECK(tried IN (0, 1)),"
    "  intensity INTEGER NOT NULL CHECK(intensity BETWEEN 0 AND 10));"
    "CREATE TABLE practice(" ID "," PERSON_REF ","
    "  date TEXT NOT NULL CHECK(" REAL_DATE("date") "),"
    "  behaviour TEXT NOT NULL CHECK(length(behaviour) >= 1),"
    "  outcome TEXT NOT NULL CHECK(outcome IN ('positive','mixed','negative')),"
    "  notes TEXT);",

    /* 1 -> 2: the answers' scale, computed scores, indexes for per-person
     * reads. */
    "ALTER TABLE assessment ADD COLUMN scale TEXT"
    "  CHECK(scale IS NULL OR scale GLOB '[0-9]*-[0-9]*');"
    "CREATE TABLE assessment_score("
    "  assessment INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL CHECK(position BETWEEN 1 AND 16),"
    "  scale TEXT NOT NULL CHECK(length(scale) BETWEEN 1 AND 31),"
    "  score REAL NOT NULL,"
    "  PRIMARY KEY(assessment, position), UNIQUE(assessment, scale))"
    "  WITHOUT ROWID;"
    "CREATE INDEX relationship_by_person ON relationship(person, start);"
    "CREATE INDEX session_by_person ON session(person, date);"
    "CREATE INDEX assessment_by_person ON assessment(person, date);"
    "CREATE INDEX reflection_by_person ON reflection(person, date);"
    "CREATE INDEX practice_by_person ON practice(person, date);",

    /* 2 -> 3: accounts, sessions, invites, drafts, schedules, audit log
     * (schema_practice.c). */
    sb__journal_practice_schema,

    /* 3 -> 4: how far each audit spool (audit_spool.c) has moved into the
     * audit log, written in the transaction that appends what it moves.
     * A spool is known by the random identity it was created with, so a
     * spool deleted and created again starts from nothing moved. */
    "CREATE TABLE audit_spool_mark("
    "  spool TEXT PRIMARY KEY CHECK(length(spool) = 32),"
    "  last INTEGER NOT NULL CHECK(last >= 1)) WITHOUT ROWID;",

    /* 4 -> 5: each person's questionnaire series counted as written, so
     * that a caseload row does not read every assessment
     * (schema_series.c). */
    sb__journal_series_schema,
};

int sb_journal_schema_version(void)
{
    return (int)(sizeof steps / sizeof steps[0]);
}

int sb__journal_query_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    int ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return ok;
}

sb_status sb__journal_migrate(sqlite3 *db, const char *path, int target,
                              sb_error *err)
{
    int version;
    if (!sb__journal_query_int(db, "PRAGMA user_version", &version))
        return sb_error_set(err, SB_ERR_DB, path, 0, 0,
                            "cannot read the schema version: %s",
                            sqlite3_errmsg(db));
    if (target > sb_journal_schema_version() || version > target)
        return sb_error_set(err, SB_ERR_STATE, path, 0, 0,
                            "cannot migrate the schema from version %d to %d",
                            version, target);
    for (int v = version; v < target; v++) {
        char *msg = NULL;
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
        if (sqlite3_exec(db, steps[v], NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(db, bump, NULL, NULL, &msg) != SQLITE_OK) {
            sb_status st = sb_error_set(err, SB_ERR_DB, path, 0, 0,
                                        "cannot migrate the schema from "
                                        "version %d to %d: %s",
                                        v, v + 1, msg ? msg : "unknown error");
            sqlite3_free(msg);
            return st;
        }
    }
    return SB_OK;
}
