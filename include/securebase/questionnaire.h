/*
 * securebase questionnaires in a practice: measure schedules (an instrument
 * every N weeks for a client) and drafts (answers given so far in a browser,
 * kept until the questionnaire is submitted). Part of the journal layer; the
 * submitted questionnaire itself is an assessment (sb_journal_add).
 */
#ifndef SECUREBASE_QUESTIONNAIRE_H
#define SECUREBASE_QUESTIONNAIRE_H

#include <securebase/accounts.h>

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SB_SCHEDULE_WEEKS_MAX 104

typedef struct sb_schedule {
    sb_id id;
    sb_id person;
    char instrument[SB_JOURNAL_NAME_MAX]; /* a built-in name, e.g. "ecr-r" */
    int every_weeks;                      /* 1..SB_SCHEDULE_WEEKS_MAX */
    char start[SB_DATE_SIZE];             /* first due date */
    /* Filled by sb_schedule_list: the date of the person's latest
     * assessment with this instrument, "" if none. */
    char last_done[SB_DATE_SIZE];
} sb_schedule;

/*
 * Adds a schedule after checking it: a built-in instrument (stored by its
 * canonical name), weeks in range, a real start date, an existing person,
 * and no other schedule of that instrument for the person. s->id is set.
 */
sb_status sb_schedule_add(sb_journal *j, sb_schedule *s, sb_error *err);
sb_status sb_schedule_get(sb_journal *j, sb_id id, sb_schedule *out,
                          sb_error *err);
sb_status sb_schedule_delete(sb_journal *j, sb_id id, sb_error *err);
/* One person's schedules (or everyone's when 0), by person and instrument,
 * each with its last_done; the caller frees *out. */
sb_status sb_schedule_list(sb_journal *j, sb_id person, sb_schedule **out,
                           size_t *count, sb_error *err);

/*
 * Keeps the answers given so far to an instrument (n of them, NaN for not
 * yet answered) for an account, replacing an earlier draft.
 */
sb_status sb_draft_save(sb_journal *j, sb_id account, const char *instrument,
                        const double *answers, size_t n, int64_t now,
                        sb_error *err);
/* Reads a draft into answers (up to max); SB_ERR_NOTFOUND if there is none. */
sb_status sb_draft_load(sb_journal *j, sb_id account, const char *instrument,
                        double *answers, size_t max, size_t *n,
                        sb_error *err);
/* Removes a draft; removing none is not an error. */
sb_status sb_draft_delete(sb_journal *j, sb_id account, const char *instrument,
                          sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
