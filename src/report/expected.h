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

typedef struct sb_report_care {
    sb_care_status status;
    sb_care_band band[2];      /* empirical, model */
    sb_care_course series;     /* the history's points as a course */
    double rc[2];
} sb_report_care;

/*
 * Judges the person of `hi` as of `as_of`, with the journal's completed
 * courses on the same questionnaire as the empirical reference and
 * `people` simulated people (seed `seed`) for the model band. Free with
 * sb_report_care_free, also after a failure.
 */
sb_status sb_report_care_run(sb_journal *j, const sb_history *hi, long as_of,
                             size_t people, uint64_t seed, sb_report_care *c,
                             sb_error *err);
void sb_report_care_free(sb_report_care *c);

/* The band that judged (empirical first), or NULL. */
const sb_care_band *sb_report_care_band(const sb_report_care *c);

/* One dimension's scores over the weeks since intake, the expected band
 * behind them, each later score marked by its signal. */
sb_status sb_figure_expected(const sb_history *h, const sb_report_care *c,
                             int d, sb_figure *out, sb_error *err);

/* The part of the scores section on expected recovery and the signal. */
void sb_report_care_part(sb_html *h, const sb_history *hi,
                         const sb_report_care *c, sb_error *err,
                         sb_status *st);

#endif
