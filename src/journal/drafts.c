/*
 * Questionnaire drafts: the answers a client has given so far, kept per
 * account and instrument until the questionnaire is submitted, in the same
 * text form as an assessment's items ("4 2 NA 7 ...").
 */
#include <securebase/questionnaire.h>

#include "journal/practice.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sb_status sb_draft_save(sb_journal *j, sb_id account, const char *instrument,
                        const double *answers, size_t n, int64_t now,
                        sb_error *err)
{
    if (n > SB_JOURNAL_ITEMS_MAX)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "a draft holds at most %d answers, not %zu",
                            SB_JOURNAL_ITEMS_MAX, n);
    char text[SB_JOURNAL_ITEMS_MAX * 8 + 1] = "";
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        /* Answers are whole numbers on a scale of at most 0..100. */
        if (!isnan(answers[i]) && (answers[i] < 0 || answers[i] > 100 ||
                                   answers[i] != floor(answers[i])))
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "answer %zu of the draft is not a whole "
                                "number from 0 to 100",
                                i + 1);
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s",
                                i ? " " : "", isnan(answers[i]) ? "NA" : "");
        if (!isnan(answers[i]))
            len += (size_t)snprintf(text + len, sizeof text - len, "%d",
                                    (int)answers[i]);
    }
    sb_status s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    sqlite3_stmt *st;
    s = sb__journal_stmt(j,
                        "INSERT INTO draft(account, instrument, answers, "
                        "updated) VALUES(?, ?, ?, ?) ON CONFLICT(account, "
                        "instrument) DO UPDATE SET answers = excluded.answers, "
                        "updated = excluded.updated",
                        &st, err);
    if (s == SB_OK) {
        sqlite3_bind_int64(st, 1, account);
        sqlite3_bind_text(st, 2, instrument, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, text, (int)len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now);
        s = sb__journal_step_done(j, st, "cannot keep the draft", err);
    }
    return sb__journal_end(j, s, err);
}

sb_status sb_draft_load(sb_journal *j, sb_id account, const char *instrument,
                        double *answers, size_t max, size_t *n, sb_error *err)
{
    *n = 0;
    sqlite3_stmt *st;
    sb_status s = sb__journal_stmt(j,
                                  "SELECT answers FROM draft WHERE account = "
                                  "? AND instrument = ?",
                                  &st, err);
    if (s != SB_OK)
        return s;
    sqlite3_bind_int64(st, 1, account);
    sqlite3_bind_text(st, 2, instrument, -1, SQLITE_STATIC);
    char text[SB_JOURNAL_ITEMS_MAX * 8 + 1] = "";
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        sb__journal_column_text(st, 0, text, sizeof text);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "no draft of %s", instrument);
    if (rc != SQLITE_ROW)
        return sb__journal_db_error(j, err, "cannot read the draft");
    for (char *p = text, *end; *p && *n < max; p = end) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        if (!strncmp(p, "NA", 2)) {
            answers[(*n)++] = NAN;
            end = p + 2;
            continue;
        }
        long v = strtol(p, &end, 10);
        if (end == p || v < 0 || v > 100)
            return sb_error_set(err, SB_ERR_DB, j->path, 0, 0,
                                "a stored draft of %s is damaged", instrument);
        answers[(*n)++] = (double)v;
    }
    return SB_OK;
}

sb_status sb_draft_delete(sb_journal *j, sb_id account, const char *instrument,
                          sb_error *err)
{
    sb_status s = sb__journal_begin(j, err);
    if (s != SB_OK)
        return s;
    sqlite3_stmt *st;
    s = sb__journal_stmt(j,
                        "DELETE FROM draft WHERE account = ? AND instrument "
                        "= ?",
                        &st, err);
    if (s == SB_OK) {
        sqlite3_bind_int64(st, 1, account);
        sqlite3_bind_text(st, 2, instrument, -1, SQLITE_STATIC);
        s = sb__journal_step_done(j, st, "cannot remove the draft", err);
    }
    return sb__journal_end(j, s, err);
}
