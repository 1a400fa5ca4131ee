/*
 * Measure schedules: a client answers an instrument every N weeks from a
 * start date. The journal stores the schedule and, when listing, the date
 * of the latest assessment with that instrument; whether one is due is
 * decided above the store (src/care/due.c).
 */
#include <securebase/questionnaire.h>

#include "journal/practice.h"
#include "journal/scoring.h"

#include <stdio.h>
#include <string.h>

#define SCHEDULE_COLUMNS \
    "SELECT s.id, s.person, s.instrument, s.every_weeks, s.start, " \
    "(SELECT max(a.date) FROM assessment a WHERE a.person = s.person AND " \
    "a.instrument = s.instrument) FROM schedule s "

static void schedule_row(sqlite3_stmt *st, void *element)
{
    sb_schedule *s = element;
    s->id = sqlite3_column_int64(st, 0);
    s->person = sqlite3_column_int64(st, 1);
    sb__journal_column_text(st, 2, s->instrument, sizeof s->instrument);
    s->every_weeks = sqlite3_column_int(st, 3);
    sb__journal_column_text(st, 4, s->start, sizeof s->start);
    sb__journal_column_text(st, 5, s->last_done, sizeof s->last_done);
}

sb_status sb_schedule_add(sb_journal *j, sb_schedule *s, sb_error *err)
{
    const sb_instrument *inst;
    sb_date d;
    sb_rec_person p;
    sb_status st = sb__journal_instrument(j, s->instrument, &inst, err);
    if (st == SB_OK && (s->every_weeks < 1 ||
                        s->every_weeks > SB_SCHEDULE_WEEKS_MAX))
        st = sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                          "a schedule repeats every 1 to %d weeks, not %d",
                          SB_SCHEDULE_WEEKS_MAX, s->every_weeks);
    if (st == SB_OK && (st = sb_date_parse(s->start, &d, err)) != SB_OK)
        sb_error_prefix(err, "the schedule's start: ");
    if (st == SB_OK)
        st = sb_journal_get(j, SB_KIND_PERSON, s->person, &p, err);
    if (st != SB_OK)
        return st;
    snprintf(s->instrument, sizeof s->instrument, "%s",
             sb_instrument_name(inst));
    if ((st = sb__journal_begin(j, err)) != SB_OK)
        return st;
    sqlite3_stmt *q;
    st = sb__journal_stmt(j,
                         "SELECT 1 FROM schedule WHERE person = ? AND "
                         "instrument = ?",
                         &q, err);
    if (st == SB_OK) {
        sqlite3_bind_int64(q, 1, s->person);
        sqlite3_bind_text(q, 2, s->instrument, -1, SQLITE_STATIC);
        int rc = sqlite3_step(q);
        sqlite3_reset(q);
        if (rc == SQLITE_ROW)
            st = sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                              "%s already has a schedule for %s; remove it "
                              "first",
                              p.name, s->instrument);
        else if (rc != SQLITE_DONE)
            st = sb__journal_db_error(j, err, "cannot read the schedules");
    }
    if (st == SB_OK)
        st = sb__journal_stmt(j,
                             "INSERT INTO schedule(person, instrument, "
                             "every_weeks, start) VALUES(?, ?, ?, ?)",
                             &q, err);
    if (st == SB_OK) {
        sqlite3_bind_int64(q, 1, s->person);
        sqlite3_bind_text(q, 2, s->instrument, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 3, s->every_weeks);
        sqlite3_bind_text(q, 4, s->start, -1, SQLITE_STATIC);
        st = sb__journal_step_done(j, q, "cannot add the schedule", err);
    }
    if (st == SB_OK)
        s->id = sqlite3_last_insert_rowid(j->db);
    return sb__journal_end(j, st, err);
}

sb_status sb_schedule_get(sb_journal *j, sb_id id, sb_schedule *out,
                          sb_error *err)
{
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j, SCHEDULE_COLUMNS "WHERE s.id = ?", &st,
                                  err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        schedule_row(st, out);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "no schedule with id %lld", (long long)id);
    return rc == SQLITE_ROW ? SB_OK
                            : sb__journal_db_error(j, err,
                                                  "cannot read a schedule");
}

sb_status sb_schedule_delete(sb_journal *j, sb_id id, sb_error *err)
{
    sb_status s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    sqlite3_stmt *st;
    s = sb__journal_stmt(j, "DELETE FROM schedule WHERE id = ?", &st, err);
    if (s == SB_OK) {
        sqlite3_bind_int64(st, 1, id);
        s = sb__journal_step_done(j, st, "cannot remove the schedule", err);
    }
    if (s == SB_OK && sqlite3_changes(j->db) != 1)
        s = sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                         "no schedule with id %lld", (long long)id);
    return sb__journal_end(j, s, err);
}

sb_status sb_schedule_list(sb_journal *j, sb_id person, sb_schedule **out,
                           size_t *count, sb_error *err)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                                  SCHEDULE_COLUMNS "WHERE ?1 = 0 OR s.person "
                                                   "= ?1 ORDER BY s.person, "
                                                   "s.instrument",
                                  &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, person);
    return sb__journal_collect(j, st, sizeof **out, schedule_row, out, count,
                              "cannot list the schedules", err);
}
