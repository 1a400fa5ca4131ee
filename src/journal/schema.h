/*
 * The journal's schema as the other journal files use it: migrations from
 * older versions, and small queries on the raw connection.
 */
#ifndef SB_JOURNAL_SCHEMA_H
#define SB_JOURNAL_SCHEMA_H

#include <securebase/journal.h>

#include <sqlite3.h>

/*
 * Brings the schema from its current PRAGMA user_version up to `target`,
 * one step at a time, inside the caller's transaction. Tests use targets
 * below the current version to build old journals.
 */
sb_status sb__journal_migrate(sqlite3 *db, const char *path, int target,
                              sb_error *err);
/*
 * The first column of the first row of `sql` as an int; 0 if the query
 * failed or returned no row (the caller reports sqlite3_errmsg).
 */
int sb__journal_query_int(sqlite3 *db, const char *sql, int *out);

/* SQL: the assessment whose id is the SQL expression `id` is scored on both
 * dimensions (what makes it part of a series). */
#define SB__JOURNAL_BOTH_SCORED(id)                                          \
    "EXISTS(SELECT 1 FROM assessment_score s WHERE s.assessment = " id       \
    " AND s.scale = 'anxiety') AND EXISTS(SELECT 1 FROM assessment_score s " \
    "WHERE s.assessment = " id " AND s.scale = 'avoidance')"

/* The migration step that keeps each person's questionnaire series counted
 * (schema_series.c). */
extern const char sb__journal_series_schema[];
/*
 * Compares the kept series with a fresh count of the assessments; SB_ERR_DB
 * naming the first person and series that disagree. SB_OK on a journal
 * whose schema has no such table yet.
 */
sb_status sb__journal_series_check(sqlite3 *db, const char *path,
                                   sb_error *err);
/* Counts every series afresh (inside the caller's transaction). */
sb_status sb__journal_series_rebuild(sqlite3 *db, const char *path,
                                     sb_error *err);

#endif
