/*
 * Scoring of stored assessments by the measure layer: the journal keeps the
 * answers as given and the scores the measure layer computes from them, so a
 * stored score always matches its answers.
 */
#include "journal/scoring.h"

#include "journal/db.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INSTRUMENT_SLOTS (sizeof ((sb_journal *)0)->instruments / \
                          sizeof ((sb_journal *)0)->instruments[0])

sb_status sb__journal_instrument(sb_journal *j, const char *name,
                                 const sb_instrument **out, sb_error *err)
{
    char lower[SB_JOURNAL_NAME_MAX];
    size_t n = strlen(name);
    if (n >= sizeof lower)
        n = sizeof lower - 1;
    for (size_t i = 0; i < n; i++)
        lower[i] = (char)tolower((unsigned char)name[i]);
    lower[n] = '\0';
    size_t slot;
    for (slot = 0; slot < INSTRUMENT_SLOTS && j->instruments[slot]; slot++)
        if (!strcmp(sb_instrument_name(j->instruments[slot]), lower)) {
            *out = j->instruments[slot];
            return SB_OK;
        }
    sb_instrument *inst;
    sb_status st = sb_instrument_builtin(lower, &inst, err);
    if (st != SB_OK) {
        sb_error_prefix(err, "field 'instrument': ");
        return st;
    }
    if (slot == INSTRUMENT_SLOTS) {
        /* More instruments than slots: the oldest makes room. */
        sb_instrument_free(j->instruments[0]);
        memmove(j->instruments, j->instruments + 1,
                (INSTRUMENT_SLOTS - 1) * sizeof j->instruments[0]);
        slot = INSTRUMENT_SLOTS - 1;
    }
    j->instruments[slot] = inst;
    *out = inst;
    return SB_OK;
}

sb_status sb__journal_parse_scale(const char *text, sb_scale fallback,
                                  sb_scale *out, sb_error *err)
{
    if (!text[0]) {
        *out = fallback;
        return SB_OK;
    }
    sb_status st = sb_scale_parse(text, out, err);
    if (st != SB_OK)
        sb_error_prefix(err, "field 'scale' ");
    return st;
}

sb_status sb__journal_score_assessment(sb_journal *j, sb_rec_assessment *a,
                                       sb_error *err)
{
    const sb_instrument *inst;
    sb_status st = sb__journal_instrument(j, a->instrument, &inst, err);
    if (st != SB_OK)
        return st;
    snprintf(a->instrument, sizeof a->instrument, "%s", sb_instrument_name(inst));
    sb_scale own = sb_instrument_scale(inst), scale;
    st = sb__journal_parse_scale(a->scale, own, &scale, err);
    if (st != SB_OK)
        return st;
    /* One spelling per scale: "" for the questionnaire's own, else "MIN-MAX"
     * without leading zeros, so the report sees one series, not two. */
    if (scale.min == own.min && scale.max == own.max)
        a->scale[0] = '\0';
    else
        snprintf(a->scale, sizeof a->scale, "%d-%d", scale.min, scale.max);
    size_t count = sb_instrument_score_count(inst);
    if (count > SB_JOURNAL_SCORES_MAX)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "%s has %zu scores; the journal keeps at most %d",
                            sb_instrument_name(inst), count,
                            SB_JOURNAL_SCORES_MAX);
    sb_scores *scores;
    st = sb_scores_new(inst, &scores, err);
    if (st != SB_OK)
        return st;
    st = sb_instrument_score_items(inst, a->items, a->item_count, scale,
                                   scores, err);
    if (st != SB_OK) {
        sb_error_prefix(err, "field 'items': ");
        sb_scores_free(scores);
        return st;
    }
    /* Scores too incomplete to compute are left out, not stored as zero. */
    a->score_count = 0;
    for (size_t s = 0; s < count; s++) {
        if (isnan(scores->value[s]))
            continue;
        sb_rec_score *out = &a->scores[a->score_count++];
        snprintf(out->scale, sizeof out->scale, "%s",
                 sb_instrument_score_name(inst, s));
        out->value = scores->value[s];
    }
    sb_scores_free(scores);
    return SB_OK;
}
