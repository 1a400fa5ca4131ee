/*
 * A clinician's caseload in a few indexed queries per client: the
 * questionnaire series with its first and latest scores, sessions in a
 * window, and the date of the latest record.
 */
#include <securebase/caseload.h>

#include "journal/practice.h"
#include "journal/schema.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void client_row(sqlite3_stmt *st, void *element)
{
    sb_caseload_row *r = element;
    r->person = sqlite3_column_int64(st, 0);
    sb__journal_column_text(st, 1, r->name, sizeof r->name);
    r->has_account = sqlite3_column_int(st, 2);
    r->first[0] = r->first[1] = r->latest[0] = r->latest[1] = NAN;
}

/* The assessments with both dimensions scored, of one person. */
#define BOTH_SCORED SB__JOURNAL_BOTH_SCORED("a.id")
#define SCORE(name)                                                      \
    "(SELECT score FROM assessment_score s WHERE s.assessment = a.id AND " \
    "s.scale = '" name "')"

static sb_status series(sb_journal *j, sb_caseload_row *r, sb_error *err)
{
    sqlite3_stmt *st;
    /* The series with most scored assessments, the latest on a tie, as
     * the journal keeps them counted (schema_series.c): a read of a few
     * rows however long the person's history. */
    sb_status s = sb__journal_stmt(j,
                                  "SELECT instrument, scale, scored FROM "
                                  "assessment_series WHERE person = ? ORDER "
                                  "BY scored DESC, latest DESC, instrument, "
                                  "scale LIMIT 1",
                                  &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, r->person);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        sb__journal_column_text(st, 0, r->instrument, sizeof r->instrument);
        sb__journal_column_text(st, 1, r->scale, sizeof r->scale);
        r->assessments = (size_t)sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE
                   ? SB_OK
                   : sb__journal_db_error(j, err, "cannot read the caseload");
    static const char *const ends[2] = {
        "SELECT a.date, " SCORE("anxiety") ", " SCORE("avoidance")
        " FROM assessment a WHERE a.person = ? AND a.instrument = ? AND "
        "coalesce(a.scale, '') = ? AND " BOTH_SCORED
        " ORDER BY a.date, a.id LIMIT 1",
        "SELECT a.date, " SCORE("anxiety") ", " SCORE("avoidance")
        " FROM assessment a WHERE a.person = ? AND a.instrument = ? AND "
        "coalesce(a.scale, '') = ? AND " BOTH_SCORED
        " ORDER BY a.date DESC, a.id DESC LIMIT 1"};
    for (int e = 0; e < 2 && s == SB_OK; e++) {
        s = sb__journal_stmt(j, ends[e], &st, err);
        if (s != SB_OK)
            break;
        sqlite3_bind_int64(st, 1, r->person);
        sqlite3_bind_text(st, 2, r->instrument, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, r->scale, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            double *to = e ? r->latest : r->first;
            sb__journal_column_text(st, 0, e ? r->latest_date : r->first_date,
                                   SB_DATE_SIZE);
            to[0] = sqlite3_column_double(st, 1);
            to[1] = sqlite3_column_double(st, 2);
        }
        sqlite3_reset(st);
        if (rc == SQLITE_DONE) {
            /* A kept count that another program's write left wrong (see
             * journal repair): the row shows no series rather
             * than the page failing. */
            r->instrument[0] = r->scale[0] = '\0';
            r->assessments = 0;
            r->first_date[0] = r->latest_date[0] = '\0';
            r->first[0] = r->first[1] = r->latest[0] = r->latest[1] = NAN;
            break;
        }
        if (rc != SQLITE_ROW)
            s = sb__journal_db_error(j, err, "cannot read the caseload");
    }
    return s;
}

static sb_status activity(sb_journal *j, sb_caseload_row *r, const char *since,
                          const char *until, sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(
        j,
        "SELECT coalesce(sum(attended), 0), coalesce(sum(1 - attended), 0) "
        "FROM session WHERE person = ? AND date BETWEEN ? AND ?",
        &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, r->person);
    sqlite3_bind_text(st, 2, since, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, until, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r->attended = (size_t)sqlite3_column_int64(st, 0);
        r->missed = (size_t)sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sb__journal_db_error(j, err, "cannot read the caseload");
    s = sb__journal_stmt(
        j,
        "SELECT max(d) FROM (SELECT max(date) AS d FROM session WHERE person "
        "= ?1 UNION ALL SELECT max(date) FROM assessment WHERE person = ?1 "
        "UNION ALL SELECT max(date) FROM reflection WHERE person = ?1 UNION "
        "ALL SELECT max(date) FROM practice WHERE person = ?1 UNION ALL "
        "SELECT max(start) FROM relationship WHERE person = ?1)",
        &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, r->person);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        sb__journal_column_text(st, 0, r->last_activity,
                               sizeof r->last_activity);
    sqlite3_reset(st);
    return rc == SQLITE_ROW
               ? SB_OK
               : sb__journal_db_error(j, err, "cannot read the caseload");
}

static void client_id(sqlite3_stmt *st, void *element)
{
    *(sb_id *)element = sqlite3_column_int64(st, 0);
}

sb_status sb_caseload_clients(sb_journal *j, sb_id clinician, sb_id **ids,
                              size_t *count, sb_error *err)
{
    *ids = NULL;
    *count = 0;
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                                  "SELECT p.id FROM assignment a JOIN person p "
                                  "ON p.id = a.person WHERE a.clinician = ? "
                                  "ORDER BY p.name, p.id",
                                  &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, clinician);
    return sb__journal_collect(j, st, sizeof **ids, client_id, ids, count,
                              "cannot read the caseload", err);
}

/* The row of one person: name and account, then series and activity; 0
 * when there is no such person. */
static sb_status person_row(sb_journal *j, sb_id person, const char *since,
                            const char *until, sb_caseload_row *row,
                            int *found, sb_error *err)
{
    memset(row, 0, sizeof *row);
    *found = 0;
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                                  "SELECT p.id, p.name, EXISTS(SELECT 1 FROM "
                                  "account c WHERE c.person = p.id) FROM "
                                  "person p WHERE p.id = ?",
                                  &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, person);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        client_row(st, row);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return SB_OK;
    if (rc != SQLITE_ROW)
        return sb__journal_db_error(j, err, "cannot read the person");
    *found = 1;
    s = series(j, row, err);
    return s == SB_OK ? activity(j, row, since, until, err) : s;
}

/* Begins a read transaction unless one is open: one snapshot for every
 * query, and the WAL's read lock taken once instead of once a query. 1 if
 * it began one (the caller ends it with read_end). */
static int read_begin(sb_journal *j, sb_error *err, sb_status *s)
{
    int own = sqlite3_get_autocommit(j->db);
    if (own && sqlite3_exec(j->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        *s = sb__journal_db_error(j, err, "cannot read the caseload");
    return own && *s == SB_OK;
}

static void read_end(sb_journal *j, int own)
{
    if (own)
        (void)sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL);
}

sb_status sb_caseload_people(sb_journal *j, const sb_id *ids, size_t count,
                             const char *since, const char *until,
                             sb_caseload_row *rows, sb_error *err)
{
    sb_status s = SB_OK;
    int own = read_begin(j, err, &s);
    for (size_t i = 0; s == SB_OK && i < count; i++) {
        int found;
        s = person_row(j, ids[i], since, until, &rows[i], &found, err);
    }
    read_end(j, own);
    return s;
}

sb_status sb_caseload_load(sb_journal *j, sb_id clinician, const char *since,
                           const char *until, sb_caseload_row **rows,
                           size_t *count, sb_error *err)
{
    *rows = NULL;
    *count = 0;
    sb_status s = SB_OK;
    int own = read_begin(j, err, &s);
    sb_id *ids = NULL;
    size_t n = 0;
    if (s == SB_OK)
        s = sb_caseload_clients(j, clinician, &ids, &n, err);
    sb_caseload_row *out = s == SB_OK ? calloc(n ? n : 1, sizeof *out) : NULL;
    if (s == SB_OK && !out)
        s = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (s == SB_OK)
        s = sb_caseload_people(j, ids, n, since, until, out, err);
    read_end(j, own);
    free(ids);
    if (s != SB_OK) {
        free(out);
        return s;
    }
    *rows = out;
    *count = n;
    return SB_OK;
}

sb_status sb_caseload_person(sb_journal *j, sb_id person, const char *since,
                             const char *until, sb_caseload_row *row,
                             sb_error *err)
{
    int found;
    sb_status s = person_row(j, person, since, until, row, &found, err);
    if (s == SB_OK && !found)
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "no person with id %lld", (long long)person);
    return s;
}

static void score_row(sqlite3_stmt *st, void *element)
{
    sb_caseload_score *s = element;
    s->person = sqlite3_column_int64(st, 0);
    s->id = sqlite3_column_int64(st, 1);
    sb__journal_column_text(st, 2, s->date, sizeof s->date);
    s->score[0] = sqlite3_column_double(st, 3);
    s->score[1] = sqlite3_column_double(st, 4);
}

sb_status sb_caseload_scores(sb_journal *j, const char *instrument,
                             const char *scale, sb_id person,
                             sb_caseload_score **scores, size_t *count,
                             sb_error *err)
{
    *scores = NULL;
    *count = 0;
    sqlite3_stmt *st;
#define SERIES_SELECT                                                       \
    "SELECT a.person, a.id, a.date, x.score, v.score FROM assessment a "  \
    "JOIN assessment_score x ON x.assessment = a.id AND x.scale = "       \
    "'anxiety' JOIN assessment_score v ON v.assessment = a.id AND "       \
    "v.scale = 'avoidance' WHERE a.instrument = ?1 AND "                  \
    "coalesce(a.scale, '') = ?2 AND x.score IS NOT NULL AND v.score IS "  \
    "NOT NULL "
    /* Two statements, so that one person's is read through their index. */
    sb_status s = sb__journal_stmt(
        j,
        person ? SERIES_SELECT "AND a.person = ?3 ORDER BY a.date, a.id"
               : SERIES_SELECT "ORDER BY a.person, a.date, a.id",
        &st, err);
#undef SERIES_SELECT
    if (s != SB_OK)
        return s;
    sqlite3_bind_text(st, 1, instrument, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, scale, -1, SQLITE_STATIC);
    if (person)
        sqlite3_bind_int64(st, 3, person);
    return sb__journal_collect(j, st, sizeof **scores, score_row, scores,
                              count, "cannot read the questionnaire series",
                              err);
}
