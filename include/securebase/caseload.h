/*
 * securebase caseload: what a clinician's list of clients shows, read from
 * the journal in a few indexed queries per client. Part of the journal
 * layer; it returns facts (scores, dates, counts), and judgements such as
 * reliable change, measures due and being on track are made above it.
 */
#ifndef SECUREBASE_CASELOAD_H
#define SECUREBASE_CASELOAD_H

#include <securebase/journal.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sb_caseload_row {
    sb_id person;
    char name[SB_JOURNAL_NAME_MAX];
    int has_account;                      /* the client can sign in */
    /* The questionnaire series: the instrument and answer scale with most
     * assessments scoring both anxiety and avoidance ("" if none). */
    char instrument[SB_JOURNAL_NAME_MAX];
    char scale[SB_JOURNAL_SCALE_SIZE];    /* as stored: "" = the instrument's */
    size_t assessments;                   /* in the series */
    char first_date[SB_DATE_SIZE], latest_date[SB_DATE_SIZE];
    double first[2], latest[2];           /* anxiety, avoidance; NaN if none */
    size_t attended, missed;              /* sessions dated in the window */
    char last_activity[SB_DATE_SIZE];     /* latest record of any kind; "" */
} sb_caseload_row;

/*
 * The clients on a clinician's caseload by name, with sessions counted
 * from `since` to `until` (YYYY-MM-DD, inclusive). The caller frees *rows.
 */
sb_status sb_caseload_load(sb_journal *j, sb_id clinician, const char *since,
                           const char *until, sb_caseload_row **rows,
                           size_t *count, sb_error *err);

/*
 * The ids of the clients on a clinician's caseload, in sb_caseload_load's
 * order (by name). The caller frees *ids.
 */
sb_status sb_caseload_clients(sb_journal *j, sb_id clinician, sb_id **ids,
                              size_t *count, sb_error *err);

/*
 * The rows of `count` persons (rows[i] of ids[i]), in one read
 * transaction; a person no longer in the journal gets a row of zeros
 * (person 0).
 */
sb_status sb_caseload_people(sb_journal *j, const sb_id *ids, size_t count,
                             const char *since, const char *until,
                             sb_caseload_row *rows, sb_error *err);

/* The same row for one person, whoever's caseload they are on. */
sb_status sb_caseload_person(sb_journal *j, sb_id person, const char *since,
                             const char *until, sb_caseload_row *row,
                             sb_error *err);

/* One assessment of a questionnaire series: both scores, nothing else. */
typedef struct sb_caseload_score {
    sb_id person, id;
    char date[SB_DATE_SIZE];
    double score[2];                      /* anxiety, avoidance */
} sb_caseload_score;

/*
 * The assessments of `instrument` on `scale` (as stored: "" = the
 * instrument's own) that score both anxiety and avoidance, of one person
 * (or of everyone when person is 0), ordered by person, date and id: the
 * questionnaire series without the answers, in one query. The caller frees
 * *scores.
 */
sb_status sb_caseload_scores(sb_journal *j, const char *instrument,
                             const char *scale, sb_id person,
                             sb_caseload_score **scores, size_t *count,
                             sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
