/*
 * Each person's questionnaire series, counted as they are written. A
 * caseload row shows the series a person has most scored assessments of
 * (anxiety and avoidance both scored; ties to the latest); counting that
 * from the assessments costs a read of every one of them, which grows with
 * the person's history and, on a busy server, with every questionnaire
 * they send. The table assessment_series keeps, per person, questionnaire
 * and scale, how many assessments are scored on both dimensions and the
 * latest one's date, kept true by triggers inside the transaction that
 * writes: a score that completes an assessment adds one and a deleted
 * assessment takes one away; anything rarer (a score removed or changed,
 * an assessment moved to another person, questionnaire, scale or date, or
 * inserted after its scores) counts the series it touched again. The
 * triggers need the journal's connection settings: foreign keys on (so
 * that scores go with their assessment) and recursive triggers on (so that
 * a row REPLACE removes fires the triggers of a deletion). `journal check`
 * compares the table with a fresh count; `journal repair` counts it
 * afresh.
 */
#include "journal/practice.h"
#include "journal/schema.h"

#include <stdio.h>
#include <string.h>

/* An assessment `a` with both dimensions scored. */
#define BOTH_SCORED SB__JOURNAL_BOTH_SCORED("a.id")

/* The series of the assessments matching `where`, counted afresh. */
#define COUNT(where)                                                         \
    "SELECT a.person AS person, a.instrument AS instrument, "              \
    "coalesce(a.scale, '') AS scale, count(*) AS scored, max(a.date) AS "  \
    "latest FROM assessment a WHERE (" where ") AND " BOTH_SCORED           \
    " GROUP BY 1, 2, 3"

/*
 * Rarer changes count the series they touched again (the latest date
 * cannot be taken back by arithmetic): a row inserted into the view
 * assessment_series_recount names a series, and its trigger counts it. A
 * score removed after its assessment was deleted (a cascade) finds no
 * assessment to name: the deletion counted down before.
 */
#define RECOUNT "INSERT INTO assessment_series_recount "
/* The row of the assessment being deleted. */
#define ROW_OF_OLD                                                           \
    "person = OLD.person AND instrument = OLD.instrument AND scale = "      \
    "coalesce(OLD.scale, '')"
#define SERIES_OF(ids)                                                       \
    "SELECT person, instrument, coalesce(scale, '') FROM assessment WHERE " \
    "id IN (" ids ")"

const char sb__journal_series_schema[] =
    "CREATE TABLE assessment_series("
    "  person INTEGER NOT NULL,"
    "  instrument TEXT NOT NULL,"
    "  scale TEXT NOT NULL,"
    "  scored INTEGER NOT NULL CHECK(scored >= 1),"
    "  latest TEXT NOT NULL,"
    "  PRIMARY KEY(person, instrument, scale)) WITHOUT ROWID;"
    "INSERT INTO assessment_series " COUNT("1") ";"

    /* The common case, one step: the second of the two dimensions' scores
     * makes the assessment count. */
    "CREATE TRIGGER assessment_series_scored AFTER INSERT ON assessment_score"
    "  WHEN NEW.scale IN ('anxiety', 'avoidance') AND EXISTS(SELECT 1 FROM"
    "  assessment_score s WHERE s.assessment = NEW.assessment AND s.scale ="
    "  iif(NEW.scale = 'anxiety', 'avoidance', 'anxiety'))"
    " BEGIN"
    "  INSERT INTO assessment_series(person, instrument, scale, scored, latest)"
    "    SELECT person, instrument, coalesce(scale, ''), 1, date"
    "    FROM assessment WHERE id = NEW.assessment"
    "    ON CONFLICT(person, instrument, scale) DO UPDATE SET"
    "    scored = scored + 1, latest = max(latest, excluded.latest);"
    " END;"

    "CREATE VIEW assessment_series_recount(person, instrument, scale) AS"
    "  SELECT person, instrument, scale FROM assessment_series WHERE 0;"
    "CREATE TRIGGER assessment_series_count INSTEAD OF INSERT ON"
    "  assessment_series_recount"
    " BEGIN"
    "  DELETE FROM assessment_series WHERE person = NEW.person AND"
    "    instrument = NEW.instrument AND scale = NEW.scale;"
    "  INSERT INTO assessment_series " COUNT(
        "a.person = NEW.person AND a.instrument = NEW.instrument AND "
        "coalesce(a.scale, '') = NEW.scale") ";"
    " END;"
    "CREATE TRIGGER assessment_series_unscored AFTER DELETE ON"
    "  assessment_score WHEN OLD.scale IN ('anxiety', 'avoidance')"
    " BEGIN " RECOUNT SERIES_OF("OLD.assessment") "; END;"
    "CREATE TRIGGER assessment_series_rescored AFTER UPDATE ON"
    "  assessment_score"
    " BEGIN " RECOUNT SERIES_OF("OLD.assessment, NEW.assessment") "; END;"
    /* A deleted assessment counts down before it goes (its scores, which
     * a cascade removes after it, are still there): deleting a person's
     * thousands of assessments stays linear. Only when it held the
     * series' latest date is that read again, from the index's end. */
    "CREATE TRIGGER assessment_series_deleted BEFORE DELETE ON assessment"
    "  WHEN " SB__JOURNAL_BOTH_SCORED("OLD.id")
    " BEGIN"
    "  DELETE FROM assessment_series WHERE " ROW_OF_OLD " AND scored = 1;"
    "  UPDATE assessment_series SET scored = scored - 1, latest ="
    "    iif(latest = OLD.date, coalesce((SELECT a.date FROM assessment a"
    "    WHERE a.person = OLD.person AND a.instrument = OLD.instrument AND"
    "    coalesce(a.scale, '') = coalesce(OLD.scale, '') AND a.id <> OLD.id"
    "    AND " BOTH_SCORED " ORDER BY a.date DESC LIMIT 1), latest), latest)"
    "    WHERE " ROW_OF_OLD ";"
    " END;"
    /* Scores written before their assessment (deferred foreign keys). */
    "CREATE TRIGGER assessment_series_added AFTER INSERT ON assessment"
    "  WHEN EXISTS(SELECT 1 FROM assessment_score WHERE assessment = NEW.id)"
    " BEGIN " RECOUNT "VALUES(NEW.person, NEW.instrument,"
    "  coalesce(NEW.scale, '')); END;"
    "CREATE TRIGGER assessment_series_moved AFTER UPDATE OF person,"
    "  instrument, scale, date ON assessment"
    " BEGIN " RECOUNT "VALUES(OLD.person, OLD.instrument,"
    "  coalesce(OLD.scale, '')), (NEW.person, NEW.instrument,"
    "  coalesce(NEW.scale, '')); END;";

#define SERIES_TABLE                                                         \
    "SELECT person, instrument, scale, scored, latest FROM assessment_series"
#define KEY "a.person = ?1 AND a.instrument = ?2 AND coalesce(a.scale, '') = ?3"

/* One side's count and latest date of the series bound as ?1-?3 (0 and
 * "none" when it has no row). */
static int side(sqlite3 *db, const char *sql, sqlite3_stmt *key,
                long long *scored, char latest[32])
{
    sqlite3_stmt *st;
    *scored = 0;
    snprintf(latest, 32, "none");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    for (int c = 0; c < 3; c++)
        sqlite3_bind_value(st, c + 1, sqlite3_column_value(key, c));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *scored = sqlite3_column_int64(st, 3);
        if (sqlite3_column_text(st, 4))
            snprintf(latest, 32, "%s",
                     (const char *)sqlite3_column_text(st, 4));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

sb_status sb__journal_series_check(sqlite3 *db, const char *path,
                                   sb_error *err)
{
    int present = 0;
    if (!sb__journal_query_int(db,
                               "SELECT count(*) FROM sqlite_schema WHERE "
                               "name = 'assessment_series'",
                               &present))
        return sb_error_set(err, SB_ERR_DB, path, 0, 0,
                            "cannot check the assessment series: %s",
                            sqlite3_errmsg(db));
    if (!present) /* a journal not yet migrated to it */
        return SB_OK;
    /* The first series on which the two disagree, then both sides of it. */
    sqlite3_stmt *key;
    if (sqlite3_prepare_v2(db,
                           "SELECT person, instrument, scale FROM (" COUNT("1")
                           " EXCEPT " SERIES_TABLE ") UNION ALL "
                           "SELECT person, instrument, scale FROM ("
                           SERIES_TABLE " EXCEPT " COUNT("1") ") LIMIT 1",
                           -1, &key, NULL) != SQLITE_OK)
        return sb_error_set(err, SB_ERR_DB, path, 0, 0,
                            "cannot check the assessment series: %s",
                            sqlite3_errmsg(db));
    int rc = sqlite3_step(key);
    sb_status s = SB_OK;
    long long kept_n, counted_n;
    char kept_at[32], counted_at[32];
    int read = rc == SQLITE_ROW &&
               side(db, SERIES_TABLE " WHERE person = ?1 AND instrument = "
                        "?2 AND scale = ?3", key, &kept_n, kept_at) &&
               side(db, COUNT(KEY), key, &counted_n, counted_at);
    if (read) {
        const char *inst = (const char *)sqlite3_column_text(key, 1);
        const char *scale = (const char *)sqlite3_column_text(key, 2);
        s = sb_error_set(err, SB_ERR_DB, path, 0, 0,
                         "the assessment series of person %lld ('%s'%s%s) is "
                         "kept as %lld scored assessment(s), latest %s, but "
                         "the assessments give %lld, latest %s",
                         (long long)sqlite3_column_int64(key, 0),
                         inst ? inst : "", scale && *scale ? ", scale " : "",
                         scale ? scale : "", kept_n, kept_at, counted_n,
                         counted_at);
    } else if (rc != SQLITE_DONE) { /* no mismatch found is the only pass */
        s = sb_error_set(err, SB_ERR_DB, path, 0, 0,
                         "cannot check the assessment series: %s",
                         sqlite3_errmsg(db));
    }
    sqlite3_finalize(key);
    return s;
}

sb_status sb__journal_series_rebuild(sqlite3 *db, const char *path,
                                     sb_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db,
                     "DELETE FROM assessment_series;"
                     "INSERT INTO assessment_series " COUNT("1") ";",
                     NULL, NULL, &msg) != SQLITE_OK) {
        sb_status s = sb_error_set(err, SB_ERR_DB, path, 0, 0,
                                   "cannot count the assessment series "
                                   "again: %s",
                                   msg ? msg : "unknown error");
        sqlite3_free(msg);
        return s;
    }
    return SB_OK;
}
