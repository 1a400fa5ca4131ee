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

/* The same row for one person, whoever's caseload they are on. */
sb_status sb_caseload_person(sb_journal *j, sb_id person, const char *since,
                             const char *until, sb_caseload_row *row,
                             sb_error *err);

/* A person's records that the care layer judges by (each by date). */
typedef struct sb_person_records {
    sb_rec_session *sessions;
    size_t session_count;
    sb_rec_reflection *reflections;
    size_t reflection_count;
    sb_rec_practice *practice;
    size_t practice_count;
    sb_rec_relationship *relationships;
    size_t relationship_count;
} sb_person_records;

/* Reads them; free with sb_person_records_free (also after a failure). */
sb_status sb_caseload_records(sb_journal *j, sb_id person,
                              sb_person_records *out, sb_error *err);
void sb_person_records_free(sb_person_records *r);

#ifdef __cplusplus
}
#endif
#endif
