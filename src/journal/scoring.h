/*
 * The journal's link to the measure layer: an assessment's subscale scores
 * are computed from its answers when it is stored, never taken as input.
 */
#ifndef SB_JOURNAL_SCORING_H
#define SB_JOURNAL_SCORING_H

#include <securebase/journal.h>

/* Fills a->scores from a->items for a->instrument. */
sb_status sb_journal_score_assessment(sb_rec_assessment *a, sb_error *err);

#endif
