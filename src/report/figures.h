/*
 * The report's figures, each drawn from a person's history (and the model
 * projection) into an SVG document. Every function returns SB_OK with
 * *svg NULL when there is nothing to draw; the caller frees *svg.
 */
#ifndef SB_REPORT_FIGURES_H
#define SB_REPORT_FIGURES_H

#include "report/history.h"
#include "report/projection.h"

/* The period the time axes show. */
typedef struct sb__span {
    long from, to; /* days since 1970-01-01 */
} sb__span;

typedef struct sb__figure {
    char *svg;
    size_t len;
} sb__figure;

/* One dimension over time with its reliable-change band and sudden changes. */
sb_status sb__figure_scores(const sb__history *h, int dimension, sb__span span,
                            sb__figure *out, sb_error *err);
/* The path on the anxiety-avoidance plane with the four regions. */
sb_status sb__figure_plane(const sb__history *h, sb__figure *out, sb_error *err);
/* Sessions a month, attended and missed, with gaps shaded. */
sb_status sb__figure_therapy(const sb__history *h, sb__span span, sb__figure *out,
                             sb_error *err);
/* Relationships as bars in time: supportive or straining, secure or not. */
sb_status sb__figure_relationships(const sb__history *h, sb__span span,
                                   sb__figure *out, sb_error *err);
/* The most frequent triggers, and how often a new response was tried. */
sb_status sb__figure_triggers(const sb__history *h, sb__figure *out,
                              sb_error *err);
/* Practice a month by outcome. */
sb_status sb__figure_practice(const sb__history *h, sb__span span, sb__figure *out,
                              sb_error *err);
/* The model's spread of paths for one dimension after the last score. */
sb_status sb__figure_projection(const sb__history *h, const sb__projection *p,
                                int dimension, sb__figure *out, sb_error *err);

/* Cuts UTF-8 text to at most `chars` characters, adding "..." if cut. */
void sb__figure_clip_text(const char *in, size_t chars, char *out, size_t size);

#endif
