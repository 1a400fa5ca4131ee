/*
 * securebase care layer: judgements a clinician acts on, made from records
 * and scores handed in as structs (never from the store). For now: whether
 * a scheduled measure is due; reliable change; the expected recovery of a
 * client from their intake score (from the practice's own completed
 * courses, and from the model) and whether they are on track. The rules
 * are in docs/care.md.
 */
#ifndef SECUREBASE_CARE_H
#define SECUREBASE_CARE_H

#include <securebase/caseload.h>
#include <securebase/measure.h>
#include <securebase/questionnaire.h>
#include <securebase/records.h>
#include <securebase/journal.h>
#include <securebase/model.h>

#include <stdint.h>

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
    /* The local norms (of `norms`) that gave the reliability or the SD, for
     * a page to say so (sb_norms_describe); NULL: published figures. */
    const sb_norms *local;
} sb_care_change;

/*
 * Reliable change (Jacobson & Truax 1991) of score `score` of `inst` from
 * `first` to `latest`, answered on `scale`, with the figures `securebase
 * change` would take: the local norms of `inst` in `norms` (may be NULL)
 * first, then the instrument's reliability and a clinical sample's SD (a
 * general sample's when that is all there is); recovery judged against the
 * cutoffs those norms give.
 */
void sb_care_reliable_change(const sb_instrument *inst, sb_scale scale,
                             const sb_norms_set *norms, const char *score,
                             double first, double latest,
                             sb_care_change *out);

/* "later", "due", "overdue". */
const char *sb_due_state_name(sb_due_state st);

/* ---- expected recovery ------------------------------------------------- */

/* A course counts as completed, and may serve as a reference, when it has
 * at least SB_CARE_COURSE_MIN_SCORES assessments over at least
 * SB_CARE_COURSE_MIN_WEEKS weeks and none in the SB_CARE_COURSE_CLOSED_DAYS
 * before the date of the judgement. */
#define SB_CARE_COURSE_MIN_SCORES 3
#define SB_CARE_COURSE_MIN_WEEKS 6
#define SB_CARE_COURSE_CLOSED_DAYS 56
/* The empirical band needs this many completed courses on the same
 * instrument and scale, and is made of the SB_CARE_NEIGHBOURS of them
 * whose intake is nearest; at a week, of those that reach it, when at
 * least SB_CARE_MIN_AT_WEEK do. */
#define SB_CARE_MIN_COURSES 30
#define SB_CARE_NEIGHBOURS 30
#define SB_CARE_MIN_AT_WEEK 10
/* Simulated people behind a model band, by default. */
#define SB_CARE_MODEL_PEOPLE 500
/* Longest band, in weeks after intake. */
#define SB_CARE_MAX_WEEKS 260

/* One person's questionnaire series on one instrument and answer scale:
 * the assessments that score both anxiety and avoidance, by date. */
typedef struct sb_care_course {
    sb_id person;
    size_t count;
    long *day;           /* days since 1970-01-01, ascending */
    double (*score)[2];  /* anxiety, avoidance on the answer scale */
} sb_care_course;

/*
 * Groups assessments (any order, any people) into one course per person:
 * those of `instrument` answered on `scale` ("" = the instrument's own)
 * and dated up to `as_of` (days; LONG_MAX: all). Free with
 * sb_care_courses_free.
 */
sb_status sb_care_courses_from(const sb_rec_assessment *a, size_t n,
                               const char *instrument, const char *scale,
                               long as_of, sb_care_course **out,
                               size_t *count, sb_error *err);
/* The same from a series' scores (sb_caseload_scores), only the completed
 * courses as of `as_of` when `completed_only`. */
sb_status sb_care_courses_from_scores(const sb_caseload_score *s, size_t n,
                                      long as_of, int completed_only,
                                      sb_care_course **out, size_t *count,
                                      sb_error *err);
void sb_care_courses_free(sb_care_course *c, size_t count);
/* Whether a course is completed as of `as_of` (the rule above). */
int sb_care_course_completed(const sb_care_course *c, long as_of);

typedef enum sb_care_source {
    SB_CARE_EMPIRICAL = 0, /* the practice's own completed courses */
    SB_CARE_MODEL          /* the simulator, driven by the person's inputs */
} sb_care_source;

/* The expected scores after intake: percentiles 10, 25, 50, 75, 90 at
 * whole weeks 0..weeks since intake, on the answer scale. */
typedef struct sb_care_band {
    sb_care_source source;
    int ran;             /* 0: no band; `why` says why */
    char why[200];
    size_t n;            /* reference courses or simulated people */
    int weeks;
    double intake[2];
    double *pct[2][5];   /* [dimension][percentile][week]; NAN: none */
} sb_care_band;

void sb_care_band_free(sb_care_band *b);
/* "empirical" or "model". */
const char *sb_care_source_name(sb_care_source s);

/*
 * The q-th quantile (0..1) of v[0..n), n >= 1, by linear interpolation
 * between order statistics (Hyndman & Fan's type 7). Sorts v.
 */
double sb_care_quantile(double *v, size_t n, double q);

/*
 * The empirical band of a client with this intake: the completed courses
 * of `ref` (as of `as_of`, other than `self`'s) with the nearest intake,
 * each course's change since its own intake added to the client's, kept
 * on `scale`. Not enough courses is not an error: b->ran is 0.
 */
sb_status sb_care_band_empirical(const sb_care_course *ref, size_t n,
                                 sb_id self, long as_of,
                                 const double intake[2], sb_scale scale,
                                 int weeks, sb_care_band *b, sb_error *err);

/* ---- the person as the model sees them --------------------------------- */

/* Recent inputs are averaged over this many weeks before the as-of date. */
#define SB_CARE_WINDOW_WEEKS 12

/* Assumption: how responsive and how predictable a supportive or a
 * straining relationship is, on the model's 0..1 scales. */
#define SB_CARE_SUPPORTIVE_RESPONSIVENESS 0.75
#define SB_CARE_SUPPORTIVE_CONSISTENCY 0.75
#define SB_CARE_STRAINING_RESPONSIVENESS 0.3
#define SB_CARE_STRAINING_CONSISTENCY 0.4

/* One person's records up to a date, borrowed from the caller. */
typedef struct sb_care_records {
    long as_of;              /* days since 1970: inputs are averaged over
                              * the SB_CARE_WINDOW_WEEKS weeks up to it */
    const sb_rec_session *sessions;
    size_t session_count;
    const sb_rec_relationship *relationships;
    size_t relationship_count;
    const sb_rec_reflection *reflections;
    size_t reflection_count;
    const sb_rec_practice *practice;
    size_t practice_count;
} sb_care_records;

/* A relationship that lasts to the as-of date, or that a plan adds. */
typedef struct sb_care_relationship {
    char name[SB_NAME_MAX];
    sb_relationship_kind kind;
    int supportive;          /* 1 supportive, 0 straining */
    int secure;              /* 1 if the other person is secure */
} sb_care_relationship;

/* What drives the model for one person: their recent inputs. */
typedef struct sb_care_inputs {
    double sessions_per_week; /* scheduled; 0 = not in therapy */
    double attendance;        /* share of scheduled sessions attended */
    double reflections_per_week, practice_per_week;
    /* 0: nothing recorded, the model's everyday relationships stand in */
    int relationships_recorded;
    size_t relationship_count;
    sb_care_relationship relationships[SB_MAX_RELATIONSHIPS];
} sb_care_inputs;

/* The person's recent inputs from their records. */
void sb_care_inputs_from_records(const sb_care_records *r, sb_care_inputs *out);

/* The same with the rates counted over the days (from, r->as_of], at least
 * a week: the inputs of a course from its intake. */
void sb_care_inputs_between(const sb_care_records *r, long from,
                            sb_care_inputs *out);

/*
 * A scenario in which every simulated person starts at (anxiety, avoidance)
 * on the model's 1..7 scale, give or take the model's measurement error,
 * with no burn-in, and lives with `in` for `weeks` weeks. Everything else
 * is the model's default (docs/model.md).
 */
void sb_care_scenario(const sb_care_inputs *in, double anxiety,
                      double avoidance, int weeks, sb_scenario *sc);

/* A person's scale to the model's 1..7 metric and back (linear). */
double sb_care_to_model(sb_scale scale, double x);
double sb_care_from_model(sb_scale scale, double y);

/*
 * The model band: `persons` simulated people started at the intake and
 * driven by `in`, their observed scores (with measurement error) at each
 * week, on `scale`.
 */
sb_status sb_care_band_model(const double intake[2], sb_scale scale,
                             const sb_care_inputs *in, int weeks,
                             size_t persons, uint64_t seed, sb_care_band *b,
                             sb_error *err);

/* A band's percentile q (0..4) of dimension d at a week that need not be
 * whole (linear between weeks); NAN outside the band or where it has none. */
double sb_care_band_at(const sb_care_band *b, int d, int q, double week);

/* ---- the signal -------------------------------------------------------- */

typedef enum sb_care_signal {
    SB_SIGNAL_NONE = 0,        /* nothing to judge by */
    SB_SIGNAL_ON_TRACK,
    SB_SIGNAL_WATCH,           /* worse than 3 in 4 comparable paths */
    SB_SIGNAL_NOT_ON_TRACK     /* worse than 9 in 10, or reliably worse */
} sb_care_signal;

/* Why a dimension's signal is what it is (bits). */
enum {
    SB_WHY_ABOVE_75 = 1,       /* above the band's 75th percentile */
    SB_WHY_ABOVE_90 = 2,       /* above its 90th */
    SB_WHY_DETERIORATED = 4    /* reliable deterioration since intake */
};

/* One assessment after intake, judged. */
typedef struct sb_care_check {
    long day;
    double week;               /* since intake */
    double score[2];
    sb_care_signal dim[2];     /* per dimension */
    unsigned why[2];
    sb_care_signal signal;     /* the worse of the two */
} sb_care_check;

/*
 * Judges scores taken `week` weeks after intake against the band (may be
 * NULL or not ran) and reliable change (rc[d]: 1.96 S_diff, NaN unknown).
 * Higher scores are less secure.
 */
void sb_care_judge(const sb_care_band *b, double week, const double intake[2],
                   const double score[2], const double rc[2],
                   sb_care_check *out);

/* "no signal", "on track", "watch", "not on track". */
const char *sb_care_signal_name(sb_care_signal s);

/* Days without an attended session beyond which a gap is a long one. */
#define SB_CARE_GAP_DAYS 21

typedef struct sb_care_attendance {
    size_t missed_in_a_row;    /* the latest sessions, all missed */
    long gap_days;             /* since the last attended session (or the
                                * first session, if none was); -1: none */
    int alert_missed;          /* missed_in_a_row >= 2 */
    int alert_gap;             /* gap_days > SB_CARE_GAP_DAYS */
} sb_care_attendance;

/* Attendance as of `as_of` from sessions by date (later ones ignored). */
void sb_care_attendance_check(const sb_rec_session *s, size_t n, long as_of,
                              sb_care_attendance *out);

/* Everything the care layer needs of one person (borrowed). */
typedef struct sb_care_person {
    const sb_care_course *series;        /* NULL or empty: no scores */
    sb_scale scale;
    double rc[2];                        /* reliable change; NaN unknown */
    /* Their sessions, relationships, reflections and practice, all of
     * them: records.as_of is not read here, as each judgement has its own
     * date (sb_care_records_of sets it). */
    sb_care_records records;
} sb_care_person;

/* The records of p as of a date, for the calibration. */
void sb_care_records_of(const sb_care_person *p, long as_of,
                        sb_care_records *out);

/* Fills p from a person's records, their course (NULL: none) and the
 * reliable change of their questionnaire; all borrowed. */
void sb_care_person_init(sb_care_person *p, const sb_person_records *r,
                         const sb_care_course *series, sb_scale scale,
                         const double rc[2]);
/* The course of `person` among c[0..n), or NULL. */
const sb_care_course *sb_care_course_find(const sb_care_course *c, size_t n,
                                          sb_id person);
/* Reliable change (1.96 S_diff) of anxiety and avoidance of `inst` on
 * `scale`, local norms in `norms` (may be NULL) first, NaN where the
 * figures are missing. Returns the local norms used for either, or NULL. */
const sb_norms *sb_care_rc(const sb_instrument *inst, sb_scale scale,
                           const sb_norms_set *norms, double rc[2]);

typedef struct sb_care_options {
    long as_of;                          /* days since 1970 */
    const sb_care_course *reference;     /* courses for the empirical band */
    size_t reference_count;
    size_t model_people;                 /* 0: no model band */
    int model_fallback;                  /* 1: the model band only where
                                          * there is no empirical one */
    uint64_t seed;
} sb_care_options;

void sb_care_options_default(sb_care_options *o);

/* A person's standing: the latest assessment judged, attendance, risk. */
typedef struct sb_care_status {
    sb_care_signal signal;
    sb_care_source source;     /* the band that judged (empirical first) */
    int has_band;
    sb_care_check latest;      /* valid when signal != SB_SIGNAL_NONE or
                                * checks > 0 */
    size_t checks;             /* assessments after intake */
    size_t not_on_track;       /* of them, judged not on track */
    sb_care_attendance attendance;
    double excess;             /* latest score above the band's median,
                                * in band widths (P90 - P50); worse, higher */
} sb_care_status;

/*
 * Judges a person as of o->as_of: both bands from the intake over the
 * weeks to the latest assessment (b[SB_CARE_EMPIRICAL], b[SB_CARE_MODEL]
 * may be NULL when not wanted back; the caller frees those given), each
 * assessment after intake against the empirical band where it ran, else the
 * model's, and attendance. The model band's inputs are those recorded from
 * intake to the latest assessment.
 */
sb_status sb_care_assess(const sb_care_person *p, const sb_care_options *o,
                         sb_care_status *out, sb_care_band *b[2],
                         sb_error *err);

/* Riskier first: not on track, watch, attendance alerts, no signal, on
 * track; then more alerts; then the larger excess. For qsort. */
int sb_care_status_cmp(const sb_care_status *a, const sb_care_status *b);

/* ---- evaluation -------------------------------------------------------- */

/* Sessions (attended, counted up to an assessment's date) within which an
 * early signal must come to count. */
#define SB_CARE_EARLY_FIRST 3
#define SB_CARE_EARLY_LAST 8

typedef struct sb_care_eval_side {
    size_t flagged_bad, flagged_good; /* not on track by session 3-8 */
    double hit_rate;           /* flagged_bad / bad */
    double false_alarm_rate;   /* flagged_good / good */
    double lead_median, lead_q1, lead_q3; /* weeks from the first flag to
                                * the RCI's verdict (the first reliably
                                * worse assessment of a deterioration, else
                                * the last), flagged bad outcomes; negative
                                * when the flag came later */
    size_t lead_n;
    size_t no_band;            /* courses never judged against a band */
} sb_care_eval_side;

typedef struct sb_care_eval {
    size_t courses;            /* completed, with rc and an early check */
    size_t bad, good;          /* outcome at the last assessment: bad = no
                                * reliable improvement on either dimension,
                                * or a reliable deterioration on one */
    size_t deteriorated;       /* of the bad, reliably worse at the end */
    sb_care_eval_side side[3]; /* empirical, model, RCI alone */
} sb_care_eval;

/*
 * Evaluates the signal on completed courses whose outcome is known: each
 * course in turn is the client, the others its reference. Courses without
 * reliable change (rc NaN) are skipped.
 */
sb_status sb_care_evaluate(const sb_care_person *people, size_t n,
                           const sb_care_options *o, sb_care_eval *out,
                           sb_error *err);

/* A simulated cohort: `people` courses of `sc` as journal records, with an
 * assessment at intake and after every week with an attended session, and
 * a session (attended or missed) every week of the course. The caller
 * frees with sb_care_cohort_free. */
typedef struct sb_care_cohort {
    size_t count;
    sb_care_person *people;
    sb_care_course *courses;
    sb_rec_session *sessions;    /* all people's, in one block */
} sb_care_cohort;

sb_status sb_care_cohort_simulate(const sb_scenario *sc, size_t people,
                                  int weeks, uint64_t seed,
                                  sb_care_cohort *out, sb_error *err);
void sb_care_cohort_free(sb_care_cohort *c);

#ifdef __cplusplus
}
#endif
#endif
