/*
 * One person's journey, from their records (as the journal gives them),
 * summarised for the report: the questionnaire series with reliable change and sudden changes,
 * therapy attendance and gaps, relationships, triggers and practice.
 */
#ifndef SB_REPORT_HISTORY_H
#define SB_REPORT_HISTORY_H

#include <securebase/measure.h>
#include <securebase/records.h>
#include <securebase/care.h>
#include <securebase/whatif.h>

#define SB_HISTORY_TRIGGERS 10  /* most frequent triggers kept */
#define SB_HISTORY_EVENTS 32    /* sudden gains and losses kept */
#define SB_HISTORY_GAPS 32      /* gaps in therapy kept */
/* Days between attended sessions beyond which a gap is flagged. */
#define SB_HISTORY_GAP_DAYS 14

enum { SB_ANXIETY = 0, SB_AVOIDANCE = 1 };

typedef struct sb__series_point {
    long day;                /* days since 1970-01-01 */
    double score[2];         /* anxiety, avoidance */
    sb_id assessment;
} sb__series_point;

typedef struct sb__history_event {
    int dimension;           /* SB_ANXIETY or SB_AVOIDANCE */
    sb_sudden sudden;        /* from the measure layer; index into points */
} sb__history_event;

typedef struct sb__gap {
    long from, to;           /* days of two attended sessions in a row */
} sb__gap;

typedef struct sb__trigger_count {
    char label[SB_JOURNAL_NAME_MAX];
    size_t count;
    size_t tried;            /* how often a new response was tried */
    double mean_intensity;
} sb__trigger_count;

typedef struct sb__history {
    sb_rec_person person;
    long first_day, last_day;        /* first and last record of any kind */
    /* questionnaires: the instrument with most anxiety/avoidance scores */
    char instrument[SB_JOURNAL_NAME_MAX]; /* "" when there is none */
    char instrument_title[160];
    sb_scale scale;
    size_t point_count;
    sb__series_point *points;
    size_t assessment_count;         /* of every instrument */
    /* reliable change (Jacobson & Truax 1991): 1.96 x S_diff, or NaN */
    double reliability[2], sd[2], rc[2];
    char rc_source[2][400];  /* the sample(s) the figures are from, or why
                                there are none */
    char rc_note[2][300];    /* who reported or computed them */
    size_t event_count;
    sb__history_event events[SB_HISTORY_EVENTS];
    /* therapy */
    sb_rec_session *sessions;
    size_t session_count, attended;
    size_t gap_count;
    sb__gap gaps[SB_HISTORY_GAPS];
    long longest_gap;                /* days; 0 with fewer than two */
    /* relationships */
    sb_rec_relationship *relationships;
    size_t relationship_count;
    /* reflections and practice */
    sb_rec_reflection *reflections;
    size_t reflection_count, tried;
    size_t trigger_count;            /* distinct triggers */
    sb__trigger_count triggers[SB_HISTORY_TRIGGERS];
    sb_rec_practice *practice;
    size_t practice_count;
    size_t outcomes[SB_OUTCOME_COUNT];
} sb__history;

/*
 * Summarises a person's records dated up to `as_of` (days since 1970;
 * 0: everything); the records (each kind in date order) are copied, not
 * kept. `override` (may be NULL) is an instrument definition to take
 * reliability and norms from when it has the same name as the series'
 * instrument; `norms_file` (may be NULL) local norms of that instrument
 * (`securebase norms`), used before its published figures; else those of
 * the instrument in `norms` (may be NULL). Free with sb__history_free,
 * also after a failure.
 */
sb_status sb__history_load(const sb_person_records *r, long as_of,
                           const sb_instrument *override,
                           const char *norms_file, const sb_norms_set *norms,
                           sb__history *h, sb_error *err);
void sb__history_free(sb__history *h);

/* The records of `h` as the care layer takes them, as of `as_of`. */
sb_care_records sb__history_records(const sb__history *h, long as_of);

/* The day of a stored date (validated when stored). */
long sb__history_day(const char *date);

#endif
