/*
 * securebase care layer: judgements a clinician acts on, made from records
 * and scores handed in as structs (never from the store). For now: whether
 * a scheduled measure is due. The expected-recovery and on-track signals
 * belong here too.
 */
#ifndef SECUREBASE_CARE_H
#define SECUREBASE_CARE_H

#include <securebase/measure.h>
#include <securebase/questionnaire.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Days after its due date that a measure counts as overdue. */
#define SB_DUE_GRACE_DAYS 7

typedef enum sb_due_state {
    SB_DUE_LATER = 0,  /* not yet */
    SB_DUE_NOW,        /* due: from the due date for SB_DUE_GRACE_DAYS */
    SB_DUE_OVERDUE     /* past that */
} sb_due_state;

typedef struct sb_due {
    sb_due_state state;
    char date[SB_DATE_SIZE]; /* the due date */
    long days;               /* today - due date (negative: days to go) */
} sb_due;

/*
 * When a schedule's instrument is next due as of `today` (YYYY-MM-DD): its
 * start date if it was never answered since, else every_weeks after the
 * latest answer (s->last_done), never before the start.
 */
sb_status sb_care_due(const sb_schedule *s, const char *today, sb_due *out,
                      sb_error *err);
typedef struct sb_care_change {
    sb_change_status status;   /* SB_CHANGE_UNKNOWN without the figures */
    double change;             /* latest - first */
    double threshold;          /* the reliable change, 1.96 S_diff; NaN */
} sb_care_change;

/*
 * Reliable change (Jacobson & Truax 1991) of score `score` of `inst` from
 * `first` to `latest`, answered on `scale`: with the instrument's
 * reliability and a clinical sample's SD (a general sample's when that is
 * all there is), and recovery judged against the cutoffs its norms give.
 */
void sb_care_reliable_change(const sb_instrument *inst, sb_scale scale,
                             const char *score, double first, double latest,
                             sb_care_change *out);

/* "later", "due", "overdue". */
const char *sb_due_state_name(sb_due_state st);

#ifdef __cplusplus
}
#endif
#endif
