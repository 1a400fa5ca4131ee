/*
 * The palette. Hues say which side a meaning is on: greens for what helps
 * (reliably better, supportive, went well), reds and purples for what
 * strains (reliably worse, straining, went badly); the two dimensions keep
 * the Okabe-Ito vermillion and blue, which stay apart for the common kinds
 * of colour blindness. Text colours keep a contrast of at least 4.5:1
 * (WCAG AA) on the page and card backgrounds. Within a figure the colours
 * differ in lightness as well as hue, and every figure names its colours
 * in a legend.
 */
#include "report/palette.h"

static const struct {
    const char *name;
    unsigned hex;
} colours[SB_MEANING_COUNT] = {
    [SB_MEANING_ANXIETY] = {"anxiety", 0xD55E00},
    [SB_MEANING_AVOIDANCE] = {"avoidance", 0x0072B2},
    [SB_MEANING_BETTER] = {"better", 0x047857},
    [SB_MEANING_WORSE] = {"worse", 0x882255},
    [SB_MEANING_NO_CHANGE] = {"no-change", 0x8DA2B8},
    [SB_MEANING_SUDDEN] = {"sudden", 0x000000},
    [SB_MEANING_ATTENDED] = {"attended", 0x5B7083},
    [SB_MEANING_MISSED] = {"missed", 0xE69F00},
    [SB_MEANING_GAP] = {"gap", 0xF0E442},
    [SB_MEANING_SUPPORTIVE] = {"supportive", 0x44AA99},
    [SB_MEANING_STRAINING] = {"straining", 0xCC6677},
    [SB_MEANING_REFLECTION] = {"reflection", 0x88CCEE},
    [SB_MEANING_TRIED] = {"tried", 0x332288},
    [SB_MEANING_WENT_WELL] = {"went-well", 0x117733},
    [SB_MEANING_MIXED] = {"mixed", 0xDDAA33},
    [SB_MEANING_WENT_BADLY] = {"went-badly", 0xAA3377},
    [SB_MEANING_SECURE] = {"secure", 0x009E73},
    [SB_MEANING_THERAPY] = {"therapy", 0xBBBBBB},
    [SB_MEANING_MODEL] = {"model", 0xF3F4F6},
    [SB_MEANING_REGION_SECURE] = {"region-secure", 0xDFF3EA},
    [SB_MEANING_REGION_PREOCCUPIED] = {"region-preoccupied", 0xFCEFDC},
    [SB_MEANING_REGION_DISMISSING] = {"region-dismissing", 0xE2EDF7},
    [SB_MEANING_REGION_FEARFUL] = {"region-fearful", 0xF5E4EA},
    [SB_MEANING_FIRST] = {"first", 0x9CA3AF},
    [SB_MEANING_LATEST] = {"latest", 0x1F2328},
    [SB_MEANING_ON_TRACK] = {"on-track", 0x1B5E20},
    [SB_MEANING_WATCH] = {"watch", 0x805600},
    [SB_MEANING_OFF_TRACK] = {"off-track", 0xB91C1C},
};

sb__rgba sb__palette(sb__meaning m, double alpha)
{
    return sb__rgb(sb__palette_hex(m), alpha);
}

unsigned sb__palette_hex(sb__meaning m)
{
    return (unsigned)m < SB_MEANING_COUNT ? colours[m].hex : SB_PALETTE_INK;
}

const char *sb__palette_name(sb__meaning m)
{
    return (unsigned)m < SB_MEANING_COUNT ? colours[m].name : "ink";
}
