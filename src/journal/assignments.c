/*
 * Assignments: which clients are on which clinician's caseload. The
 * clinician sees those clients' records and nobody else's.
 */
#include "journal/practice.h"


sb_status sb_assignment_add(sb_journal *j, sb_id clinician, sb_id person,
                            int64_t now, sb_error *err)
{
    sb_account a;
    sb_rec_person p;
    sb_status s = sb_account_get(j, clinician, &a, err);
    if (s == SB_OK && a.role != SB_ROLE_CLINICIAN)
        s = sb_error_set(err, SB_ERR_INVALID, j->path, 0, 0,
                         "'%s' is not a clinician's account", a.username);
    if (s == SB_OK)
        s = sb_journal_get(j, SB_KIND_PERSON, person, &p, err);
    sqlite3_stmt *st;
    if (s == SB_OK)
        s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    s = sb__journal_stmt(j,
                        "INSERT INTO assignment(clinician, person, since) "
                        "VALUES(?, ?, ?) ON CONFLICT DO NOTHING",
                        &st, err);
    if (s == SB_OK) {
        sqlite3_bind_int64(st, 1, clinician);
        sqlite3_bind_int64(st, 2, person);
        sqlite3_bind_int64(st, 3, now);
        s = sb__journal_step_done(j, st, "cannot assign the client", err);
    }
    return sb__journal_end(j, s, err);
}

sb_status sb_assignment_remove(sb_journal *j, sb_id clinician, sb_id person,
                               sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    s = sb__journal_stmt(j,
                        "DELETE FROM assignment WHERE clinician = ? AND "
                        "person = ?",
                        &st, err);
    if (s == SB_OK) {
        sqlite3_bind_int64(st, 1, clinician);
        sqlite3_bind_int64(st, 2, person);
        s = sb__journal_step_done(j, st, "cannot remove the assignment", err);
    }
    if (s == SB_OK && sqlite3_changes(j->db) == 0)
        s = sb_error_set(err, SB_ERR_NOTFOUND, j->path, 0, 0,
                         "person %lld is not on the caseload of account %lld",
                         (long long)person, (long long)clinician);
    return sb__journal_end(j, s, err);
}

sb_status sb_assignment_exists(sb_journal *j, sb_id clinician, sb_id person,
                               int *yes, sb_error *err)
{
    *yes = 0;
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                                  "SELECT 1 FROM assignment WHERE clinician "
                                  "= ? AND person = ?",
                                  &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, clinician);
    sqlite3_bind_int64(st, 2, person);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sb__journal_db_error(j, err, "cannot read the assignments");
    *yes = rc == SQLITE_ROW;
    return SB_OK;
}

static void assignment_row(sqlite3_stmt *st, void *element)
{
    sb_assignment *a = element;
    a->clinician = sqlite3_column_int64(st, 0);
    a->person = sqlite3_column_int64(st, 1);
    sb__journal_column_text(st, 2, a->clinician_name, sizeof a->clinician_name);
    sb__journal_column_text(st, 3, a->person_name, sizeof a->person_name);
    a->since = sqlite3_column_int64(st, 4);
}

sb_status sb_assignment_list(sb_journal *j, sb_id clinician,
                             sb_assignment **out, size_t *count, sb_error *err)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(
        j,
        "SELECT a.clinician, a.person, c.username, p.name, a.since FROM "
        "assignment a JOIN account c ON c.id = a.clinician JOIN person p ON "
        "p.id = a.person WHERE ?1 = 0 OR a.clinician = ?1 ORDER BY "
        "c.username, p.name, p.id",
        &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, clinician);
    return sb__journal_collect(j, st, sizeof **out, assignment_row, out, count,
                              "cannot list the assignments", err);
}
