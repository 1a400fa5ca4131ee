/*
 * The colours of the report and the simulator's charts, one per meaning,
 * defined once: the figures draw with them and the page's style sheet is
 * written from them, so a meaning looks the same in a figure, a table and
 * a card, and no two meanings share a colour.
 */
#ifndef SB_REPORT_PALETTE_H
#define SB_REPORT_PALETTE_H

#include "report/plot.h"

#include <stddef.h>

typedef enum sb__meaning {
    SB_MEANING_ANXIETY = 0,   /* a person's or the model's anxiety */
    SB_MEANING_AVOIDANCE,
    SB_MEANING_BETTER,        /* reliably better than the first score */
    SB_MEANING_WORSE,         /* reliably worse than the first score */
    SB_MEANING_NO_CHANGE,     /* within the reliable change of the first */
    SB_MEANING_SUDDEN,        /* a sudden gain or loss between two scores */
    SB_MEANING_ATTENDED,      /* a therapy session attended */
    SB_MEANING_MISSED,        /* a therapy session missed */
    SB_MEANING_GAP,           /* a long time between attended sessions */
    SB_MEANING_SUPPORTIVE,    /* a relationship that supports */
    SB_MEANING_STRAINING,     /* a relationship that strains */
    SB_MEANING_REFLECTION,    /* a reflection on a trigger */
    SB_MEANING_TRIED,         /* a new response tried */
    SB_MEANING_WENT_WELL,     /* practice that went well */
    SB_MEANING_MIXED,         /* practice with a mixed outcome */
    SB_MEANING_WENT_BADLY,    /* practice that went badly */
    SB_MEANING_SECURE,        /* the share secure in a simulation */
    SB_MEANING_THERAPY,       /* the weeks of therapy in a simulation */
    SB_MEANING_MODEL,         /* the model's side of a projection */
    SB_MEANING_REGION_SECURE, /* the plane's four regions */
    SB_MEANING_REGION_PREOCCUPIED,
    SB_MEANING_REGION_DISMISSING,
    SB_MEANING_REGION_FEARFUL,
    SB_MEANING_FIRST,         /* the first point of a path */
    SB_MEANING_LATEST,        /* the latest point of a path */
    SB_MEANING_COUNT
} sb__meaning;

/* The colour of a meaning at an opacity. */
sb__rgba sb__palette(sb__meaning m, double alpha);
/* The colour as 0xRRGGBB. */
unsigned sb__palette_hex(sb__meaning m);
/* The name of its style-sheet variable (--NAME), e.g. "better". */
const char *sb__palette_name(sb__meaning m);

/* Ink for text, axes and frames (not a meaning). */
#define SB_PALETTE_INK 0x333338

#endif
