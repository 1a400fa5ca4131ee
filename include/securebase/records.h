/*
 * securebase records: what is recorded about a person on the way to a more
 * secure attachment, as plain structs. The journal stores and returns them;
 * writers (the report) and later layers take them as they are, without the
 * store.
 *
 * Every kind of record is a plain struct without pointers (so an array of
 * them is freed with one free()). Each struct starts with its `id`; every
 * kind except a person has a `person` reference next.
 */
#ifndef SECUREBASE_RECORDS_H
#define SECUREBASE_RECORDS_H

#include <securebase/base.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t sb_id;

/* ---- records ------------------------------------------------------------- */

#define SB_JOURNAL_NAME_MAX 128   /* names and short labels, with the NUL */
#define SB_JOURNAL_TEXT_MAX 1024  /* free text, with the NUL */
#define SB_JOURNAL_ITEMS_MAX 64   /* answers in one administration */
#define SB_JOURNAL_SCORES_MAX 16  /* scores of one administration */
#define SB_JOURNAL_SCALE_MAX 32   /* a subscale's name, with the NUL */
#define SB_JOURNAL_SCALE_SIZE 16  /* a response scale "min-max", with the NUL */

typedef enum sb_practice_outcome {
    SB_OUTCOME_POSITIVE = 0, /* it went better than the old response would have */
    SB_OUTCOME_MIXED,
    SB_OUTCOME_NEGATIVE,
    SB_OUTCOME_COUNT
} sb_practice_outcome;

/*
 * Integer fields that were not given hold this value after
 * sb_journal_record_init(); sb_journal_record_check() reports them missing.
 */
#define SB_UNSET (-1)

typedef struct sb_rec_person {
    sb_id id;
    char name[SB_JOURNAL_NAME_MAX];   /* a name or pseudonym; unique */
    char notes[SB_JOURNAL_TEXT_MAX];  /* optional */
} sb_rec_person;

typedef struct sb_rec_relationship {
    sb_id id;
    sb_id person;
    int kind;                         /* sb_relationship_kind */
    char name[SB_JOURNAL_NAME_MAX];   /* who the other person is */
    int supportive;                   /* 1 supportive, 0 straining */
    int secure;                       /* 1 if the other person is secure */
    char start[SB_DATE_SIZE];
    char end[SB_DATE_SIZE];           /* empty while it lasts */
    char notes[SB_JOURNAL_TEXT_MAX];
} sb_rec_relationship;

typedef struct sb_rec_session {
    sb_id id;
    sb_id person;
    char date[SB_DATE_SIZE];
    int attended;                     /* 1 attended, 0 missed */
    int minutes;                      /* scheduled length, 1..600 */
    char notes[SB_JOURNAL_TEXT_MAX];
} sb_rec_session;

typedef struct sb_rec_score {
    char scale[SB_JOURNAL_SCALE_MAX]; /* e.g. "anxiety" */
    double value;
} sb_rec_score;

typedef struct sb_rec_assessment {
    sb_id id;
    sb_id person;
    char instrument[SB_JOURNAL_NAME_MAX]; /* a built-in name, e.g. "ecr-r" */
    char date[SB_DATE_SIZE];
    char scale[SB_JOURNAL_SCALE_SIZE];    /* answers' scale "1-5"; "" = the
                                             instrument's own */
    size_t item_count;
    double items[SB_JOURNAL_ITEMS_MAX];   /* answers in item order; NaN = missing */
    size_t score_count;                   /* computed when stored; never input */
    sb_rec_score scores[SB_JOURNAL_SCORES_MAX];
} sb_rec_assessment;

typedef struct sb_rec_reflection {
    sb_id id;
    sb_id person;
    char date[SB_DATE_SIZE];
    char trigger[SB_JOURNAL_NAME_MAX];       /* a short label, counted in reports */
    char situation[SB_JOURNAL_TEXT_MAX];
    char old_response[SB_JOURNAL_TEXT_MAX];
    char new_response[SB_JOURNAL_TEXT_MAX];
    int tried;                               /* 1 if the new response was tried */
    int intensity;                           /* 0..10 */
} sb_rec_reflection;

typedef struct sb_rec_practice {
    sb_id id;
    sb_id person;
    char date[SB_DATE_SIZE];
    char behaviour[SB_JOURNAL_NAME_MAX];
    int outcome;                             /* sb_practice_outcome */
    char notes[SB_JOURNAL_TEXT_MAX];
} sb_rec_practice;

/*
 * Everything recorded about one person: each kind in date order (people's
 * relationships by their start), as sb_journal_load_person gives them. The
 * arrays belong to the struct (NULL when empty); free them with
 * sb_person_records_free.
 */
typedef struct sb_person_records {
    sb_rec_person person;
    sb_rec_relationship *relationships;
    size_t relationship_count;
    sb_rec_session *sessions;
    size_t session_count;
    sb_rec_assessment *assessments;
    size_t assessment_count;
    sb_rec_reflection *reflections;
    size_t reflection_count;
    sb_rec_practice *practice;
    size_t practice_count;
} sb_person_records;

/* Frees the arrays and empties the struct. Safe on an emptied one. */
void sb_person_records_free(sb_person_records *r);

#ifdef __cplusplus
}
#endif
#endif
