/*
 * The journal's link to the measure layer: an assessment's scores are
 * computed from its answers when it is stored, never taken as input.
 */
#ifndef SB_JOURNAL_SCORING_H
#define SB_JOURNAL_SCORING_H

#include <securebase/journal.h>
#include <securebase/measure.h>

/*
 * Checks a->instrument (a built-in name, any case; rewritten to the
 * canonical name), a->scale (rewritten: empty when it is the instrument's
 * own, else "MIN-MAX") and the answers against the instrument, and fills
 * a->scores with every score that could be computed.
 */
sb_status sb__journal_score_assessment(sb_journal *j, sb_rec_assessment *a,
                                       sb_error *err);

/* Parses "min-max" (whole numbers, min < max); "" gives `fallback`. */
sb_status sb__journal_parse_scale(const char *text, sb_scale fallback,
                                  sb_scale *out, sb_error *err);

/* The instrument named by a->instrument, loaded once per journal (owned by
 * the journal). */
sb_status sb__journal_instrument(sb_journal *j, const char *name,
                                 const sb_instrument **out, sb_error *err);

#endif
