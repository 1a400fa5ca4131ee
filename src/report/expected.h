/*
 * The report's expected recovery: the care layer's bands from the intake
 * score and its on-track signal at each later questionnaire, with a figure
 * per dimension that draws the band behind the person's scores.
 */
#ifndef SB_REPORT_EXPECTED_H
#define SB_REPORT_EXPECTED_H

#include "report/figures.h"
#include "report/history.h"
#include "report/html.h"

#include <securebase/care.h>

typedef struct sb__report_care {
    sb_care_status status;
    sb_care_band band[2];      /* empirical, model */
    sb_care_course series;     /* the history's points as a course */
    double rc[2];
} sb__report_care;

/*
 * Judges the person of `hi` as of `as_of`, with the completed courses on
 * the same questionnaire among the practice's assessments all[0..count)
 * (borrowed; NULL: none) as the empirical reference and
 * `people` simulated people (seed `seed`) for the model band. Free with
 * sb__report_care_free, also after a failure.
 */
sb_status sb__report_care_run(const sb_rec_assessment *all, size_t count,
                              const sb__history *hi, long as_of, size_t people,
                              uint64_t seed, sb__report_care *c, sb_error *err);
void sb__report_care_free(sb__report_care *c);

/* The band that judged (empirical first), or NULL. */
const sb_care_band *sb__report_care_band(const sb__report_care *c);

/* One dimension's scores over the weeks since intake, the expected band
 * behind them, each later score marked by its signal. */
sb_status sb__figure_expected(const sb__history *h, const sb__report_care *c,
                             int d, sb__figure *out, sb_error *err);

/* The part of the scores section on expected recovery and the signal. */
void sb__report_care_part(sb__html *h, const sb__history *hi,
                         const sb__report_care *c, sb_error *err,
                         sb_status *st);

#endif
